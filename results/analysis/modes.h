/* Whether a side's per-iteration values fall into two separate groups
 * (modes), so that its median says which group most iterations landed in
 * rather than a typical value. The test, kept simple enough to state in a
 * report: sort the values (their logarithms when all are positive, since
 * latencies spread by ratios); take the widest gap between neighbours
 * that leaves at least max(3, n/10) values on each side; call it two
 * modes when that gap is wider than 3 times the larger median absolute
 * deviation of the two groups and the groups' medians differ by at least
 * half (x1.5). Fewer than 8 values: never. */
#ifndef BOOTBENCH_MODES_H
#define BOOTBENCH_MODES_H

#include <stdbool.h>
#include <stddef.h>

#define BB_MODES_MIN_N 8

struct bb_modes {
	bool two;
	double low_median, high_median; /* the groups' medians */
	size_t n_low, n;                /* the low group's size, of n */
};

/* v is not modified; -1 only when memory runs out. */
int bb_modes_find(const double *v, size_t n, struct bb_modes *out);

#endif
