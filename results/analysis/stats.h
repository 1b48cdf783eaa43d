/* Descriptive statistics of a sample, exact. */
#ifndef BOOTBENCH_STATS_H
#define BOOTBENCH_STATS_H

#include <stddef.h>

struct bb_stats {
	size_t n;
	double min, median, mean, p90, p99, max;
	double stddev; /* sample standard deviation (n - 1); 0 when n < 2 */
	double mad;    /* median absolute deviation from the median, unscaled */
};

/* Quantile q in [0, 1] of sorted values: linear interpolation between
 * closest ranks (Hyndman & Fan type 7, R's and NumPy's default). */
double bb_quantile_sorted(const double *sorted, size_t n, double q);
/* Returns -1 if n == 0 or memory runs out; values are not modified. */
int bb_stats_compute(const double *values, size_t n, struct bb_stats *out);

#endif
