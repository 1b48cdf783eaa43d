/* The call digest that slim results keep: each iteration's per-op median
 * and p90 of its critical-path calls (the median what compare computed
 * from the events), the vCPUs' KVM_RUN left out as compare leaves it out;
 * the per-op histograms of the measured iterations; and histograms added
 * bucket by bucket when runs are pooled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "call_digest.h"

/* An iteration whose KVM_IOEVENTFD calls took durations[] on the main
 * thread, plus a KVM_RUN on vCPU 0 (1000 ns) and one on vCPU 1 (off the
 * critical path, 9e9 ns). */
static json_t *iteration(const int *durations, size_t n, bool warmup)
{
	json_t *events = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(events, json_pack("[s, i, I, I, i, s]", "KVM_IOEVENTFD", -1, (json_int_t)i,
							(json_int_t)durations[i], 0, ""));
	json_array_append_new(events, json_pack("[s, i, I, I, i, s]", "KVM_RUN", 0, 0, 1000, 0, ""));
	json_array_append_new(events, json_pack("[s, i, I, I, i, s]", "KVM_RUN", 1, 0, (json_int_t)9000000000LL, 0, ""));
	return json_pack("{s:b, s:b, s:o}", "ok", 1, "warmup", warmup, "events", events);
}

static json_t *doc_of(json_t *it0, json_t *it1)
{
	return json_pack("{s:s, s:[o, o]}", "schema", "bootbench-result", "iterations", it0, it1);
}

static void medians_as_compare_took_them(void **state)
{
	(void)state;
	static const int even[] = { 10, 40, 20, 30 }, odd[] = { 7, 5, 900 };
	json_t *doc = doc_of(iteration(even, 4, true), iteration(odd, 3, false));
	double full0, full1, m;
	assert_true(bb_call_median(json_array_get(json_object_get(doc, "iterations"), 0), "KVM_IOEVENTFD", &full0));
	assert_true(bb_call_median(json_array_get(json_object_get(doc, "iterations"), 1), "KVM_IOEVENTFD", &full1));
	assert_float_equal(full0, 25, 0);
	assert_float_equal(full1, 7, 0);
	assert_false(bb_call_median(json_array_get(json_object_get(doc, "iterations"), 0), "KVM_CREATE_VM", &m));

	size_t removed;
	char err[256];
	assert_int_equal(bb_result_slim(doc, &removed, err, sizeof(err)), 0);
	assert_int_equal(removed, 11); /* 4 + 3 calls, 2 KVM_RUN each */
	assert_true(bb_result_is_slim(doc));
	json_t *it0 = json_array_get(json_object_get(doc, "iterations"), 0);
	json_t *it1 = json_array_get(json_object_get(doc, "iterations"), 1);
	assert_null(json_object_get(it0, "events"));
	assert_true(bb_call_median(it0, "KVM_IOEVENTFD", &m));
	assert_float_equal(m, full0, 0);
	assert_true(bb_call_median(it1, "KVM_IOEVENTFD", &m));
	assert_float_equal(m, full1, 0);
	/* p90 by linear interpolation, as every quantile here */
	assert_float_equal(json_number_value(json_object_get(json_object_get(json_object_get(it0, "calls"), "KVM_IOEVENTFD"), "p90_ns")), 37, 1e-9);
	/* vCPU 1's KVM_RUN is not on the critical path */
	json_t *run = json_object_get(json_object_get(it1, "calls"), "KVM_RUN");
	assert_int_equal(json_integer_value(json_object_get(run, "n")), 1);
	assert_float_equal(json_number_value(json_object_get(run, "median_ns")), 1000, 0);
	assert_false(bb_call_median(it0, "KVM_CREATE_VM", &m));

	/* the histogram holds the measured iteration only: 5, 7, 900 */
	json_t *h = json_object_get(json_object_get(doc, "call_histograms"), "KVM_IOEVENTFD");
	assert_int_equal(json_array_size(h), 3);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(h, 2), 1)), 1);
	assert_true(json_number_value(json_array_get(json_array_get(h, 2), 0)) > 890 &&
		    json_number_value(json_array_get(json_array_get(h, 2), 0)) < 910);

	/* nothing left to leave out */
	assert_int_equal(bb_result_slim(doc, &removed, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "already left out"));
	json_decref(doc);
}

static void histograms_pool_bucket_by_bucket(void **state)
{
	(void)state;
	static const int a[] = { 5, 7, 900 }, b[] = { 7, 7, 3000 };
	json_t *da = doc_of(iteration(a, 3, false), iteration(a, 0, true));
	json_t *db = doc_of(iteration(b, 3, false), iteration(b, 0, true));
	size_t removed;
	char err[256];
	assert_int_equal(bb_result_slim(da, &removed, err, sizeof(err)), 0);
	assert_int_equal(bb_result_slim(db, &removed, err, sizeof(err)), 0);
	assert_int_equal(bb_call_histograms_merge(da, db), 0);
	json_t *h = json_object_get(json_object_get(da, "call_histograms"), "KVM_IOEVENTFD");
	/* 5 x1, 7 x3, 900 x1, 3000 x1, ascending */
	assert_int_equal(json_array_size(h), 4);
	int want[] = { 1, 3, 1, 1 };
	double last = 0;
	for (size_t i = 0; i < 4; i++) {
		json_t *p = json_array_get(h, i);
		assert_int_equal(json_integer_value(json_array_get(p, 1)), want[i]);
		assert_true(json_number_value(json_array_get(p, 0)) > last);
		last = json_number_value(json_array_get(p, 0));
	}
	json_decref(da);
	json_decref(db);
}

static void no_events_nothing_to_digest(void **state)
{
	(void)state;
	json_t *doc = json_pack("{s:s, s:[{s:b, s:b}]}", "schema", "bootbench-result", "iterations", "ok", 1, "warmup", 0);
	size_t removed = 99;
	char err[256];
	assert_int_equal(bb_result_slim(doc, &removed, err, sizeof(err)), -1);
	assert_int_equal(removed, 0);
	assert_non_null(strstr(err, "no events to digest"));
	json_decref(doc);
}

static void the_compared_name_of_each_per_call_metric(void **state)
{
	(void)state;
	char out[160];
	static const char *const cases[][2] = {
		{ "op:KVM_IOEVENTFD:call", "op:KVM_IOEVENTFD:call_median" },
		{ "op:KVM_IOEVENTFD:call_pooled", "op:KVM_IOEVENTFD:call_median" },
		{ "op:KVM_IOEVENTFD:call_median", "op:KVM_IOEVENTFD:call_median" },
		{ "op:KVM_IOEVENTFD:total", "op:KVM_IOEVENTFD:total" },
		{ "blocked:KVM_RUN:call", "blocked:KVM_RUN:call" },
		{ "op:close:vm:call", "op:close:vm:call_median" },
		{ "vmm", "vmm" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(bb_compared_metric(cases[i][0], out, sizeof(out)));
		assert_string_equal(out, cases[i][1]);
	}
	assert_false(bb_compared_metric("op:KVM_IOEVENTFD:call", out, 20));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(medians_as_compare_took_them),
		cmocka_unit_test(histograms_pool_bucket_by_bucket),
		cmocka_unit_test(no_events_nothing_to_digest),
		cmocka_unit_test(the_compared_name_of_each_per_call_metric),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
