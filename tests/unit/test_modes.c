/* The two-modes check on known samples: the baseline KVM_IOEVENTFD's
 * 30 us / 130 us split (and a 5 us / 25-70 us one) is found with each
 * group's median and size, and so is a slow tenth; one mode with noise, a
 * lognormal spread, an even spread, one slow outlier, a tail of 2 in 30
 * (too small to be a group) and fewer than 8 values are not; values with
 * a 0 are split on the linear scale. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ab_stats.h"
#include "modes.h"

static void two_modes_are_found(void **state)
{
	(void)state;
	/* a published baseline cell's per-iteration medians, us */
	static const double ioeventfd[] = { 29, 29, 30, 29, 31, 29, 127, 130, 128, 129, 132, 31, 136, 138, 132, 147, 144, 137 };
	struct bb_modes m;
	assert_int_equal(bb_modes_find(ioeventfd, 18, &m), 0);
	assert_true(m.two);
	assert_int_equal(m.n_low, 7);
	assert_int_equal(m.n, 18);
	assert_float_equal(m.low_median, 29, 0);
	assert_float_equal(m.high_median, 132, 0);
	static const double fix[] = { 5, 5.2, 4.9, 5.1, 26, 40, 70, 55, 4.8, 5, 5.3, 31 };
	assert_int_equal(bb_modes_find(fix, 12, &m), 0);
	assert_true(m.two);
	assert_int_equal(m.n_low, 7);
}

static void one_mode_is_not_two(void **state)
{
	(void)state;
	struct bb_rng r;
	bb_rng_seed(&r, 42);
	double v[60];
	struct bb_modes m;
	for (size_t i = 0; i < 60; i++) /* lognormal, 10% spread */
		v[i] = 100 * exp(0.1 * bb_rng_normal(&r));
	assert_int_equal(bb_modes_find(v, 60, &m), 0);
	assert_false(m.two);
	for (size_t i = 0; i < 60; i++) /* lognormal, a factor of e per sd */
		v[i] = 100 * exp(bb_rng_normal(&r));
	assert_int_equal(bb_modes_find(v, 60, &m), 0);
	assert_false(m.two);
	for (size_t i = 0; i < 60; i++) /* even, 1 to 60 */
		v[i] = (double)(i + 1);
	assert_int_equal(bb_modes_find(v, 60, &m), 0);
	assert_false(m.two);
	for (size_t i = 0; i < 30; i++) /* one outlier 100x slower */
		v[i] = i == 7 ? 10000 : 100 + (double)(i % 5);
	assert_int_equal(bb_modes_find(v, 30, &m), 0);
	assert_false(m.two);
	for (size_t i = 0; i < 30; i++) /* a tail of 2 in 30: fewer than n/10 */
		v[i] = i % 15 == 0 ? 10000 : 100 + (double)(i % 5);
	assert_int_equal(bb_modes_find(v, 30, &m), 0);
	assert_false(m.two);
	for (size_t i = 0; i < 30; i++) /* 3 in 30 is a group: a mode of 10% */
		v[i] = i % 10 == 0 ? 10000 : 100 + (double)(i % 5);
	assert_int_equal(bb_modes_find(v, 30, &m), 0);
	assert_true(m.two);
	assert_int_equal(m.n_low, 27);
	assert_float_equal(m.high_median, 10000, 0);
	static const double few[] = { 1, 1, 1, 100, 100, 100, 100 };
	assert_int_equal(bb_modes_find(few, 7, &m), 0);
	assert_false(m.two);
}

static void zeros_split_on_the_linear_scale(void **state)
{
	(void)state;
	static const double v[] = { 0, 0, 0, 0, 0, 0, 200, 210, 190, 205, 0, 195 };
	struct bb_modes m;
	assert_int_equal(bb_modes_find(v, 12, &m), 0);
	assert_true(m.two);
	assert_int_equal(m.n_low, 7);
	assert_float_equal(m.low_median, 0, 0);
	assert_float_equal(m.high_median, 200, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_modes_are_found),
		cmocka_unit_test(one_mode_is_not_two),
		cmocka_unit_test(zeros_split_on_the_linear_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
