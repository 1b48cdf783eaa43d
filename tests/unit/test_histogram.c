/* The per-call latency histogram: bucket layout, and quantiles within its
 * stated resolution of the exact ones. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "histogram.h"

static void exact_below_128(void **state)
{
	(void)state;
	for (int64_t v = 0; v < 128; v++) {
		assert_int_equal(bb_histogram_bucket(v), v);
		assert_float_equal(bb_histogram_bucket_value((uint32_t)v), (double)v, 0);
	}
}

static void bucket_layout(void **state)
{
	(void)state;
	/* By hand: 1000 = 0b1111101000, top bit 9, shift 3, mantissa 125:
	 * bucket 128 + (9-7)*64 + (125-64) = 317, covering [1000, 1008). */
	assert_int_equal(bb_histogram_bucket(1000), 317);
	assert_int_equal(bb_histogram_bucket(1007), 317);
	assert_int_equal(bb_histogram_bucket(1008), 318);
	assert_float_equal(bb_histogram_bucket_value(317), 1003.5, 1e-9);
	/* values past the range land in the last bucket, never out of bounds */
	assert_int_equal(bb_histogram_bucket(INT64_MAX), BB_HIST_BUCKETS - 1);
	assert_int_equal(bb_histogram_bucket(-5), 0);
	/* every bucket's value maps back to that bucket */
	for (uint32_t b = 0; b < BB_HIST_BUCKETS - 1; b++)
		assert_int_equal(bb_histogram_bucket((int64_t)bb_histogram_bucket_value(b)), b);
}

static void quantiles_match_exact_stats(void **state)
{
	(void)state;
	enum { N = 20000 };
	static double values[N];
	struct bb_histogram h;
	struct bb_stats exact, approx;

	bb_histogram_init(&h);
	srand(12345);
	for (int i = 0; i < N; i++) {
		/* log-uniform from 500 ns to 50 ms, like ioctl latencies */
		double v = floor(500 * exp((double)rand() / RAND_MAX * log(1e5)));
		values[i] = v;
		bb_histogram_add(&h, (int64_t)v);
	}
	assert_int_equal(bb_stats_compute(values, N, &exact), 0);
	assert_int_equal(bb_histogram_stats(&h, &approx), 0);
	assert_int_equal(approx.n, N);
	assert_float_equal(approx.min, exact.min, 0);
	assert_float_equal(approx.max, exact.max, 0);
	assert_float_equal(approx.mean, exact.mean, exact.mean * 1e-9);
	assert_float_equal(approx.stddev, exact.stddev, exact.stddev * 1e-9);
	assert_float_equal(approx.median, exact.median, exact.median * 0.008);
	assert_float_equal(approx.p90, exact.p90, exact.p90 * 0.008);
	assert_float_equal(approx.p99, exact.p99, exact.p99 * 0.008);
	assert_float_equal(approx.mad, exact.mad, exact.mad * 0.02);
}

static void constant_sample(void **state)
{
	(void)state;
	struct bb_histogram h;
	struct bb_stats s;
	bb_histogram_init(&h);
	assert_int_equal(bb_histogram_stats(&h, &s), -1);
	for (int i = 0; i < 10; i++)
		bb_histogram_add(&h, 5000);
	assert_int_equal(bb_histogram_stats(&h, &s), 0);
	/* clamped to the exact extremes: a constant reads back exactly */
	assert_float_equal(s.median, 5000, 0);
	assert_float_equal(s.p99, 5000, 0);
	assert_float_equal(s.mad, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_below_128),
		cmocka_unit_test(bucket_layout),
		cmocka_unit_test(quantiles_match_exact_stats),
		cmocka_unit_test(constant_sample),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
