/* Statistics for comparing two samples (A = baseline, B = candidate):
 * a bootstrap confidence interval of the ratio of medians and a
 * two-sided permutation test of the difference of means, as Firecracker's
 * A/B tool does. Both are seeded, so a comparison is reproducible. */
#ifndef BOOTBENCH_AB_STATS_H
#define BOOTBENCH_AB_STATS_H

#include <stddef.h>
#include <stdint.h>

#define BB_AB_RESAMPLES 10000

struct bb_rng {
	uint64_t state;
};

void bb_rng_seed(struct bb_rng *r, uint64_t seed);
uint64_t bb_rng_next(struct bb_rng *r);
/* Uniform in [0, n). */
size_t bb_rng_below(struct bb_rng *r, size_t n);

/* The median of v (reordered in place): quickselect, O(n). */
double bb_median_inplace(double *v, size_t n);

/* Percentile bootstrap of median(B)/median(A): lo and hi bound the
 * central (1 - alpha_ci) of the resampled ratios. -1 if a resampled
 * median(A) is 0 (no ratio). */
int bb_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
			  uint32_t resamples, double confidence, uint64_t seed, double *lo,
			  double *hi);

/* Two-sided permutation test of mean(B) - mean(A): the share of random
 * relabellings whose |difference| reaches the observed one, counted as
 * (k + 1) / (resamples + 1) so it is never 0. */
double bb_permutation_p(const double *a, size_t na, const double *b, size_t nb,
			uint32_t resamples, uint64_t seed);

/* The fewest iterations per side for which the test can reach p < alpha
 * at all: the smallest two-sided p of an exact test with n per side is
 * 2 / C(2n, n). */
uint32_t bb_min_n_for_alpha(double alpha);
/* The smallest p reachable with na and nb: 2 / C(na + nb, na), and never
 * below 1 / (resamples + 1). */
double bb_min_p(size_t na, size_t nb, uint32_t resamples);

#endif
