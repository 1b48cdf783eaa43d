/* A/B statistics against exact values: hand-worked permutation tests,
 * binomial bounds, the reference splitmix64 sequence. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ab_stats.h"
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

static void permutation_hand_worked(void **state)
{
	(void)state;
	/* A = {1,2,3}, B = {4,5,6}: of the C(6,3) = 20 ways to split the
	 * pool, only this one and its mirror reach |mean difference| 3, so
	 * the exact two-sided p is 2/20 = 0.1. */
	double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };
	double p = bb_permutation_p(a, 3, b, 3, 200000, 42);
	assert_float_equal(p, 0.1, 0.004);
	/* the test is symmetric in its sides */
	assert_float_equal(bb_permutation_p(b, 3, a, 3, 200000, 42), p, 0.004);
	/* A = {1,2}, B = {3,4,5}: |mean diff| = |4 - 1.5| = 2.5. Of the
	 * C(5,2) = 10 splits, {1,2} and {4,5} as A reach it (|2 - 4.5| =
	 * 2.5 too): p = 2/10. */
	double c[] = { 1, 2 }, d[] = { 3, 4, 5 };
	assert_float_equal(bb_permutation_p(c, 2, d, 3, 200000, 42), 0.2, 0.004);
}

static void permutation_no_difference(void **state)
{
	(void)state;
	/* identical samples: every relabelling reaches the observed 0 */
	double a[] = { 3, 1, 2, 5 }, b[] = { 5, 2, 1, 3 };
	assert_float_equal(bb_permutation_p(a, 4, b, 4, 10000, 1), 1.0, 0);
	/* seeded: the same call gives the same p */
	double x[] = { 1, 4, 2, 8, 5, 7 }, y[] = { 3, 9, 6, 10, 11, 12 };
	assert_float_equal(bb_permutation_p(x, 6, y, 6, 10000, 9), bb_permutation_p(x, 6, y, 6, 10000, 9), 0);
}

static void bootstrap_ratio(void **state)
{
	(void)state;
	double a[10], b[10], lo, hi, lo2, hi2;
	for (int i = 0; i < 10; i++) {
		a[i] = 10;
		b[i] = 20;
	}
	/* constant sides: every resample's ratio is exactly 2 */
	assert_int_equal(bb_bootstrap_ratio_ci(a, 10, b, 10, 2000, 0.95, 1, &lo, &hi), 0);
	assert_float_equal(lo, 2, 0);
	assert_float_equal(hi, 2, 0);
	/* the interval brackets the observed ratio and is reproducible */
	for (int i = 0; i < 10; i++) {
		a[i] = 100 + i;
		b[i] = 120 + 2 * i;
	}
	assert_int_equal(bb_bootstrap_ratio_ci(a, 10, b, 10, 10000, 0.95, 5, &lo, &hi), 0);
	double observed = (120 + 2 * 4.5) / (100 + 4.5);
	assert_true(lo <= observed && observed <= hi);
	assert_true(lo > 1.1 && hi < 1.35);
	assert_int_equal(bb_bootstrap_ratio_ci(a, 10, b, 10, 10000, 0.95, 5, &lo2, &hi2), 0);
	assert_float_equal(lo, lo2, 0);
	assert_float_equal(hi, hi2, 0);
	/* a zero median on A has no ratio */
	memset(a, 0, sizeof(a));
	assert_int_equal(bb_bootstrap_ratio_ci(a, 10, b, 10, 100, 0.95, 5, &lo, &hi), -1);
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
	assert_float_equal(bb_min_p(4, 4, 10000), 2.0 / 70, 1e-12);
	assert_float_equal(bb_min_p(30, 30, 10000), 1.0 / 10001, 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(splitmix64_reference),
		cmocka_unit_test(median_matches_sorting),
		cmocka_unit_test(permutation_hand_worked),
		cmocka_unit_test(permutation_no_difference),
		cmocka_unit_test(bootstrap_ratio),
		cmocka_unit_test(fewest_iterations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
