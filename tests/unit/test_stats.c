/* Descriptive statistics against values worked by hand or taken from
 * published examples; the source of each is given beside it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stats.h"

static void one_to_five(void **state)
{
	(void)state;
	/* By hand: mean 3; sample variance (4+1+0+1+4)/4 = 2.5; type-7 p90 at
	 * rank 0.9*4 = 3.6 -> 4 + 0.6*(5-4) = 4.6; deviations {2,1,0,1,2} -> MAD 1. */
	double v[] = { 5, 1, 4, 2, 3 };
	struct bb_stats s;
	assert_int_equal(bb_stats_compute(v, 5, &s), 0);
	assert_int_equal(s.n, 5);
	assert_float_equal(s.min, 1, 1e-12);
	assert_float_equal(s.max, 5, 1e-12);
	assert_float_equal(s.median, 3, 1e-12);
	assert_float_equal(s.mean, 3, 1e-12);
	assert_float_equal(s.stddev, sqrt(2.5), 1e-12);
	assert_float_equal(s.p90, 4.6, 1e-12);
	assert_float_equal(s.p99, 4.96, 1e-12);
	assert_float_equal(s.mad, 1, 1e-12);
	/* the input is left as it was */
	assert_float_equal(v[0], 5, 0);
}

static void wikipedia_standard_deviation(void **state)
{
	(void)state;
	/* Wikipedia, "Standard deviation", first example: {2,4,4,4,5,5,7,9} has
	 * mean 5 and population SD 2, so sample SD sqrt(32/7). Median by hand
	 * (4+5)/2; type-7 p90 at rank 6.3 -> 7 + 0.3*2 = 7.6. */
	double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct bb_stats s;
	assert_int_equal(bb_stats_compute(v, 8, &s), 0);
	assert_float_equal(s.mean, 5, 1e-12);
	assert_float_equal(s.stddev, sqrt(32.0 / 7.0), 1e-12);
	assert_float_equal(s.median, 4.5, 1e-12);
	assert_float_equal(s.p90, 7.6, 1e-12);
}

static void wikipedia_mad(void **state)
{
	(void)state;
	/* Wikipedia, "Median absolute deviation": {1,1,2,2,4,6,9} has median 2
	 * and MAD 1. */
	double v[] = { 1, 1, 2, 2, 4, 6, 9 };
	struct bb_stats s;
	assert_int_equal(bb_stats_compute(v, 7, &s), 0);
	assert_float_equal(s.median, 2, 1e-12);
	assert_float_equal(s.mad, 1, 1e-12);
}

static void r_type7_quantile(void **state)
{
	(void)state;
	/* R: quantile(1:10, c(0.1, 0.9), type = 7) gives 1.9 and 9.1. */
	double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	assert_float_equal(bb_quantile_sorted(v, 10, 0.1), 1.9, 1e-12);
	assert_float_equal(bb_quantile_sorted(v, 10, 0.9), 9.1, 1e-12);
	assert_float_equal(bb_quantile_sorted(v, 10, 0.0), 1, 0);
	assert_float_equal(bb_quantile_sorted(v, 10, 1.0), 10, 0);
}

static void single_and_empty(void **state)
{
	(void)state;
	double v[] = { 42 };
	struct bb_stats s;
	assert_int_equal(bb_stats_compute(v, 1, &s), 0);
	assert_float_equal(s.median, 42, 0);
	assert_float_equal(s.p99, 42, 0);
	assert_float_equal(s.stddev, 0, 0);
	assert_float_equal(s.mad, 0, 0);
	assert_int_equal(bb_stats_compute(v, 0, &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_to_five),
		cmocka_unit_test(wikipedia_standard_deviation),
		cmocka_unit_test(wikipedia_mad),
		cmocka_unit_test(r_type7_quantile),
		cmocka_unit_test(single_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
