/* A/B statistics against exact values and simulations: the bootstrap's
 * edge cases, its p against its own interval, the tail, blocks, the
 * minimum detectable effect against a simulated normal model, binomial
 * bounds, the reference splitmix64 sequence. */
#include <math.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ab_stats.h"
#include "compare.h"
#include "stats.h"

static void splitmix64_reference(void **state)
{
	(void)state;
	/* Vigna's reference splitmix64.c seeded with 0 gives these first. */
	struct bb_rng r;
	bb_rng_seed(&r, 0);
	assert_int_equal(bb_rng_next(&r), 0xe220a8397b1dcdafull);
	assert_int_equal(bb_rng_next(&r), 0x6e789e6aa1b965f4ull);
	assert_int_equal(bb_rng_next(&r), 0x06c45d188009454full);
	for (int i = 0; i < 1000; i++)
		assert_true(bb_rng_below(&r, 7) < 7);
}

static void median_matches_sorting(void **state)
{
	(void)state;
	double odd[] = { 5, 1, 4, 2, 3 }, even[] = { 4, 1, 3, 2 }, dup[] = { 2, 2, 2, 1, 2, 3 };
	assert_float_equal(bb_median_inplace(odd, 5), 3, 0);
	assert_float_equal(bb_median_inplace(even, 4), 2.5, 0);
	assert_float_equal(bb_median_inplace(dup, 6), 2, 0);
	srand(7);
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + (size_t)(rand() % 60);
		double v[64], w[64];
		for (size_t i = 0; i < n; i++)
			v[i] = w[i] = rand() % 20; /* many ties */
		struct bb_stats s;
		bb_stats_compute(w, n, &s);
		assert_float_equal(bb_median_inplace(v, n), s.median, 0);
	}
}

static void quantile_matches_sorting(void **state)
{
	(void)state;
	srand(11);
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + (size_t)(rand() % 60);
		double v[64], w[64];
		for (size_t i = 0; i < n; i++)
			v[i] = w[i] = rand() % 25;
		struct bb_stats s;
		bb_stats_compute(w, n, &s);
		double copy[64];
		memcpy(copy, v, sizeof(copy));
		assert_float_equal(bb_quantile_inplace(v, n, 0.9), s.p90, 1e-9);
		assert_float_equal(bb_quantile_inplace(copy, n, 0.5), s.median, 1e-9);
	}
}

static struct bb_ab_sample one_block(const double *v, size_t n)
{
	return (struct bb_ab_sample){ .v = v, .n = n };
}

static void bootstrap_constant_sides(void **state)
{
	(void)state;
	double a[10], b[10];
	struct bb_ab_estimate e;
	for (int i = 0; i < 10; i++) {
		a[i] = 10;
		b[i] = 20;
	}
	struct bb_ab_sample sa = one_block(a, 10), sb = one_block(b, 10);
	/* every resample's ratio is exactly 2: no spread, and all of the
	 * mass is on one side of 1, so p is the smallest the resamples give */
	assert_int_equal(bb_ab_bootstrap(&sa, &sb, 0.5, 2000, 0.95, 1, &e), 0);
	assert_float_equal(e.ratio, 2, 0);
	assert_float_equal(e.lo, 2, 0);
	assert_float_equal(e.hi, 2, 0);
	assert_float_equal(e.p, 2.0 / 2001, 1e-12);
	assert_float_equal(e.sd_log, 0, 0);
	/* the same sample on both sides: every ratio is 1, p is 1 */
	assert_int_equal(bb_ab_bootstrap(&sa, &sa, 0.5, 2000, 0.95, 1, &e), 0);
	assert_float_equal(e.p, 1, 0);
	/* a zero quantile on A has no ratio */
	memset(a, 0, sizeof(a));
	assert_int_equal(bb_ab_bootstrap(&sa, &sb, 0.5, 100, 0.95, 5, &e), -1);
	assert_true(isnan(e.p));
}

static void bootstrap_p_agrees_with_ci(void **state)
{
	(void)state;
	/* one estimand: p < alpha exactly when the (1 - alpha) interval
	 * excludes a ratio of 1, across shifts from none to large */
	struct bb_rng r;
	bb_rng_seed(&r, 3);
	for (int shift = 0; shift <= 12; shift++) {
		double a[20], b[20];
		for (int i = 0; i < 20; i++) {
			a[i] = 100 + 5 * bb_rng_normal(&r);
			b[i] = 100 + shift + 5 * bb_rng_normal(&r);
		}
		struct bb_ab_sample sa = one_block(a, 20), sb = one_block(b, 20);
		struct bb_ab_estimate e;
		assert_int_equal(bb_ab_bootstrap(&sa, &sb, 0.5, 20000, 0.95, 7, &e), 0);
		assert_true(e.lo <= e.ratio + 1e-12 && e.ratio <= e.hi + 1e-12);
		bool excludes = e.lo > 1 || e.hi < 1;
		/* at the boundary the two can differ by one resample */
		if (fabs(e.p - 0.05) > 0.002)
			assert_int_equal(e.p < 0.05, excludes);
	}
}

static void tail_moves_the_p90_not_the_median(void **state)
{
	(void)state;
	/* a third of the candidate's boots 100x slower: the median barely
	 * moves, the p90 test finds it */
	double a[30], b[30];
	for (int i = 0; i < 30; i++) {
		a[i] = 1000 + i;
		b[i] = i % 3 == 0 ? 100000 + i : 1000 + i;
	}
	struct bb_ab_sample sa = one_block(a, 30), sb = one_block(b, 30);
	struct bb_ab_estimate centre, tail;
	assert_int_equal(bb_ab_bootstrap(&sa, &sb, 0.5, 10000, 0.95, 1, &centre), 0);
	assert_int_equal(bb_ab_bootstrap(&sa, &sb, 0.9, 10000, 0.95, 1, &tail), 0);
	assert_true(centre.ratio < 1.05);
	assert_true(tail.ratio > 50);
	assert_true(tail.p < 0.01);
	assert_true(tail.lo > 10);
}

static void blocks_widen_the_interval(void **state)
{
	(void)state;
	/* three boots a side, each shifted as a whole: read by iteration the
	 * shift looks like an effect; by boot it does not */
	double a[30], b[30];
	static const double boot_shift[] = { 0, 8, -6 }, boot_shift_b[] = { 7, -5, 2 };
	for (int i = 0; i < 30; i++) {
		a[i] = 100 + boot_shift[i / 10] + (i % 10) * 0.1;
		b[i] = 100 + boot_shift_b[i / 10] + (i % 10) * 0.1;
	}
	size_t starts[] = { 0, 10, 20, 30 };
	struct bb_ab_sample flat_a = one_block(a, 30), flat_b = one_block(b, 30);
	struct bb_ab_sample blk_a = { a, 30, starts, 3 }, blk_b = { b, 30, starts, 3 };
	struct bb_ab_estimate flat, blocked;
	assert_int_equal(bb_ab_bootstrap(&flat_a, &flat_b, 0.5, 10000, 0.95, 1, &flat), 0);
	assert_int_equal(bb_ab_bootstrap(&blk_a, &blk_b, 0.5, 10000, 0.95, 1, &blocked), 0);
	assert_float_equal(flat.ratio, blocked.ratio, 0);
	assert_true(blocked.hi - blocked.lo > 1.5 * (flat.hi - flat.lo));
	assert_true(blocked.sd_log > flat.sd_log);
}

static double normal_mde_log(size_t n, double alpha)
{
	/* a known normal sample: N(1000, 50) at its exact quantiles */
	double a[64], b[64];
	for (size_t i = 0; i < n; i++)
		a[i] = b[i] = 1000 + 50 * bb_normal_quantile((i + 0.5) / (double)n);
	struct bb_ab_sample sa = one_block(a, n), sb = one_block(b, n);
	struct bb_ab_estimate e;
	assert_int_equal(bb_ab_bootstrap(&sa, &sb, 0.5, 20000, 0.95, 1, &e), 0);
	return bb_mde_log(e.sd_log, alpha, BB_AB_POWER);
}

static void mde_matches_simulation(void **state)
{
	(void)state;
	const size_t n = 30;
	const double alpha = 0.01;
	double mde = normal_mde_log(n, alpha);

	/* the sampling spread of log(median B / median A) under the normal
	 * model, simulated: the MDE it implies must match within 10% */
	struct bb_rng r;
	bb_rng_seed(&r, 2026);
	double sum = 0, sum_sq = 0, a[64], b[64];
	const int trials = 20000;
	for (int t = 0; t < trials; t++) {
		for (size_t i = 0; i < n; i++) {
			a[i] = 1000 + 50 * bb_rng_normal(&r);
			b[i] = 1000 + 50 * bb_rng_normal(&r);
		}
		double l = log(bb_median_inplace(b, n) / bb_median_inplace(a, n));
		sum += l;
		sum_sq += l * l;
	}
	double sd_sim = sqrt((sum_sq - sum * sum / trials) / (trials - 1));
	double mde_sim = (bb_normal_quantile(1 - alpha / 2) + bb_normal_quantile(BB_AB_POWER)) * sd_sim;
	if (fabs(mde / mde_sim - 1) > 0.10)
		fail_msg("MDE %.4f against %.4f simulated", mde, mde_sim);

	/* and the test itself detects a change of that size about 80% of
	 * the time (200 trials: 0.8 +- 0.11 at three standard errors) */
	int detected = 0;
	for (int t = 0; t < 200; t++) {
		for (size_t i = 0; i < n; i++) {
			a[i] = 1000 + 50 * bb_rng_normal(&r);
			b[i] = (1000 + 50 * bb_rng_normal(&r)) * exp(mde);
		}
		struct bb_ab_sample sa = one_block(a, n), sb = one_block(b, n);
		struct bb_ab_estimate e;
		assert_int_equal(bb_ab_bootstrap(&sa, &sb, 0.5, 2000, 0.95, (uint64_t)t, &e), 0);
		detected += e.p < alpha;
	}
	if (detected < 138 || detected > 182)
		fail_msg("a change of the MDE was detected in %d of 200 trials, not about 160", detected);

	/* four times the units halve it */
	assert_float_equal(bb_units_for_mde(15, 0.2, 0.1), 60, 1e-9);
}

static void normal_quantiles(void **state)
{
	(void)state;
	assert_float_equal(bb_normal_quantile(0.5), 0, 1e-12);
	assert_float_equal(bb_normal_quantile(0.975), 1.959963985, 1e-8);
	assert_float_equal(bb_normal_quantile(0.8), 0.841621234, 1e-8);
	assert_float_equal(bb_normal_quantile(0.005), -2.575829304, 1e-8);
}

static void fewest_iterations(void **state)
{
	(void)state;
	/* 2/C(8,4) = 2/70 = 0.029 and 2/C(10,5) = 2/252 = 0.0079 */
	assert_int_equal(bb_min_n_for_alpha(0.01), 5);
	assert_int_equal(bb_min_n_for_alpha(0.05), 4);
	/* 2/C(20,10) = 2/184756 = 1.08e-5 is not below 1e-5;
	 * 2/C(22,11) = 2/705432 = 2.8e-6 is */
	assert_int_equal(bb_min_n_for_alpha(1e-5), 11);
}

/* A verdict never claims what was not tested: no ratio is undetermined,
 * not no change; alpha <= p < 0.05 beyond the threshold is suggestive. */
static void verdicts_say_what_was_tested(void **state)
{
	(void)state;
	struct bb_compare_opts o;
	bb_compare_opts_default(&o); /* alpha 0.01, threshold 5% */
	static const struct {
		double a, b, change, p;
		enum bb_verdict want;
	} cases[] = {
		{ 100, 200, 100, 0.001, BB_VERDICT_SLOWER },
		{ 100, 50, -50, 0.001, BB_VERDICT_FASTER },
		{ 100, 200, 100, NAN, BB_VERDICT_UNDETERMINED },   /* a resampled baseline of 0 */
		{ 100, 101, 1, NAN, BB_VERDICT_UNDETERMINED },
		{ 100, 120, 20, 0.01, BB_VERDICT_SUGGESTIVE },     /* alpha itself is not below alpha */
		{ 100, 80, -20, 0.049, BB_VERDICT_SUGGESTIVE },
		{ 100, 120, 20, 0.05, BB_VERDICT_NO_CHANGE },
		{ 100, 103, 3, 0.02, BB_VERDICT_NO_CHANGE },       /* within the threshold */
		{ 100, 103, 3, 0.001, BB_VERDICT_NO_CHANGE },
		{ 0, 5, INFINITY, NAN, BB_VERDICT_NEW },
		{ 0, 0, 0, NAN, BB_VERDICT_NO_CHANGE },            /* neither side spent any */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum bb_verdict v = bb_verdict_of(cases[i].a, cases[i].b, cases[i].change, cases[i].p, &o);
		if (v != cases[i].want)
			fail_msg("case %zu: %s, want %s", i, bb_verdict_name(v), bb_verdict_name(cases[i].want));
	}
	assert_string_equal(bb_verdict_name(BB_VERDICT_UNDETERMINED), "undetermined");
	assert_string_equal(bb_verdict_name(BB_VERDICT_SUGGESTIVE), "suggestive");
	/* with alpha at 0.05 or above there is nothing between */
	o.alpha = 0.05;
	assert_int_equal(bb_verdict_of(100, 120, 20, 0.049, &o), BB_VERDICT_SLOWER);
	assert_int_equal(bb_verdict_of(100, 120, 20, 0.05, &o), BB_VERDICT_NO_CHANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(splitmix64_reference),
		cmocka_unit_test(median_matches_sorting),
		cmocka_unit_test(quantile_matches_sorting),
		cmocka_unit_test(bootstrap_constant_sides),
		cmocka_unit_test(bootstrap_p_agrees_with_ci),
		cmocka_unit_test(tail_moves_the_p90_not_the_median),
		cmocka_unit_test(blocks_widen_the_interval),
		cmocka_unit_test(mde_matches_simulation),
		cmocka_unit_test(normal_quantiles),
		cmocka_unit_test(fewest_iterations),
		cmocka_unit_test(verdicts_say_what_was_tested),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
