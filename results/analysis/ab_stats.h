/* Statistics for comparing two samples (A = baseline, B = candidate).
 *
 * One estimand per comparison: the ratio Q(B)/Q(A) of a quantile Q (the
 * median for the centre, p90 for the tail). Its confidence interval and
 * its p-value come from the same bootstrap distribution, so p < alpha
 * exactly when the (1 - alpha) interval excludes 1: the change, the CI
 * and the p-value can never disagree.
 *
 * A side may hold several blocks (boots of a host, machines of a fleet).
 * Then each resample first draws blocks with replacement and then values
 * within each drawn block, so a shift between boots widens the interval
 * instead of reading as an effect. Seeded: the same inputs give the same
 * output. */
#ifndef BOOTBENCH_AB_STATS_H
#define BOOTBENCH_AB_STATS_H

#include <stddef.h>
#include <stdint.h>

#define BB_AB_RESAMPLES 10000
#define BB_AB_POWER 0.8 /* the power at which a minimum detectable effect is quoted */

struct bb_rng {
	uint64_t state;
};

void bb_rng_seed(struct bb_rng *r, uint64_t seed);
uint64_t bb_rng_next(struct bb_rng *r);
/* Uniform in [0, n). */
size_t bb_rng_below(struct bb_rng *r, size_t n);
/* Standard normal (Box-Muller), for simulations. */
double bb_rng_normal(struct bb_rng *r);

/* The median of v (reordered in place): quickselect, O(n). */
double bb_median_inplace(double *v, size_t n);
/* Quantile q in [0, 1] of v (reordered in place), type 7 as in stats.h. */
double bb_quantile_inplace(double *v, size_t n, double q);

/* One side's values; block i is v[block_start[i] .. block_start[i + 1]).
 * block_start NULL means one block of all n values. */
struct bb_ab_sample {
	const double *v;
	size_t n;
	const size_t *block_start; /* nblocks + 1 offsets */
	size_t nblocks;
};

struct bb_ab_estimate {
	double ratio;  /* Q(B) / Q(A) of the data */
	double lo, hi; /* percentile interval of the resampled ratios */
	double p;      /* two-sided: the resampled ratios' mass beyond 1, doubled */
	double sd_log; /* standard deviation of the resampled log ratios */
};

/* -1 if a side is empty, memory runs out, or Q(A) is 0 in the data or a
 * resample (there is no ratio); out's fields are NAN then. */
int bb_ab_bootstrap(const struct bb_ab_sample *a, const struct bb_ab_sample *b, double q, uint32_t resamples,
		    double confidence, uint64_t seed, struct bb_ab_estimate *out);

/* One side's quantile q with its percentile interval at confidence,
 * resampled as bb_ab_bootstrap resamples (blocks, then values): -1 when
 * the side is empty or memory runs out. */
int bb_quantile_ci(const struct bb_ab_sample *s, double q, uint32_t resamples, double confidence, uint64_t seed,
		   double *estimate, double *lo, double *hi);

/* The standard normal quantile: x with P(Z <= x) = p, 0 < p < 1. */
double bb_normal_quantile(double p);
/* The smallest |log ratio| a two-sided test at alpha detects with the
 * given power, for an estimate whose standard deviation is sd_log. */
double bb_mde_log(double sd_log, double alpha, double power);
/* How many units (iterations or blocks) a side needs, where n of them
 * give mde_log, for the detectable change to shrink to target_log. */
double bb_units_for_mde(double n, double mde_log, double target_log);

/* The fewest iterations per side for which a two-sample test can reach
 * p < alpha at all: an exact test's smallest two-sided p with n per side
 * is 2 / C(2n, n). Fewer than that, and a bootstrap's p would claim more
 * than the data can show. */
uint32_t bb_min_n_for_alpha(double alpha);

#endif
