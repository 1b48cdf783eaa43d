#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bb_quantile_sorted(const double *sorted, size_t n, double q)
{
	if (n == 0)
		return NAN;
	double h = q * (double)(n - 1);
	size_t lo = (size_t)floor(h);
	size_t hi = lo + 1 < n ? lo + 1 : lo;
	return sorted[lo] + (h - (double)lo) * (sorted[hi] - sorted[lo]);
}

int bb_stats_compute(const double *values, size_t n, struct bb_stats *out)
{
	if (n == 0)
		return -1;
	double *s = malloc(n * sizeof(*s));
	if (!s)
		return -1;
	memcpy(s, values, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);

	double mean = 0, m2 = 0;
	for (size_t i = 0; i < n; i++) { /* Welford: stable for large ns */
		double d = s[i] - mean;
		mean += d / (double)(i + 1);
		m2 += d * (s[i] - mean);
	}
	*out = (struct bb_stats){
		.n = n,
		.min = s[0],
		.max = s[n - 1],
		.median = bb_quantile_sorted(s, n, 0.5),
		.p90 = bb_quantile_sorted(s, n, 0.9),
		.p99 = bb_quantile_sorted(s, n, 0.99),
		.mean = mean,
		.stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0,
	};
	for (size_t i = 0; i < n; i++)
		s[i] = fabs(s[i] - out->median);
	qsort(s, n, sizeof(*s), cmp_double);
	out->mad = bb_quantile_sorted(s, n, 0.5);
	free(s);
	return 0;
}
