/* Pooling results (plot --pool): each file numbers its kernel stacks in its
 * own table, so the iterations that move have their off-CPU rows' and
 * events' stack ids renumbered into the receiving table (a stack both
 * files have keeps one id; a new one is appended); a slim and a full
 * result are not pooled, a slim one and one without events are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "result_pool.h"

static json_t *doc(json_t *frames, json_int_t stack)
{
	return json_pack("{s:{s:s, s:o}, s:[{s:b, s:{s:[[I, s, i, i]]}, s:[[s, i, i, i, i, s, i, I]]}]}", "stacks",
			 "symbols", "kallsyms", "frames", frames, "iterations", "ok", 1, "offcpu", "stacks", stack,
			 "KVM_RUN", 1, 100, "events", "KVM_RUN", 0, 0, 100, 0, "", 100, stack);
}

static void stacks_are_renumbered_into_one_table(void **state)
{
	(void)state;
	/* into: 0 = a, 1 = b; from: 0 = c (new), 1 = a (known) */
	json_t *into = doc(json_pack("[[s], [s]]", "a", "b"), 1);
	json_t *from = doc(json_pack("[[s], [s]]", "c", "a"), 1);
	json_t *from2 = doc(json_pack("[[s], [s]]", "c", "a"), 0);
	char err[256];
	assert_int_equal(bb_result_pool_into(into, from, err, sizeof(err)), 0);
	assert_int_equal(bb_result_pool_into(into, from2, err, sizeof(err)), 0);
	json_t *frames = json_object_get(json_object_get(into, "stacks"), "frames");
	assert_int_equal(json_array_size(frames), 3);
	assert_string_equal(json_string_value(json_array_get(json_array_get(frames, 2), 0)), "c");
	json_t *its = json_object_get(into, "iterations");
	assert_int_equal(json_array_size(its), 3);
	/* from's stack 1 (a) is into's 0; from2's stack 0 (c) is the new 2 */
	static const json_int_t want[3] = { 1, 0, 2 };
	for (size_t i = 0; i < 3; i++) {
		json_t *it = json_array_get(its, i);
		json_t *row = json_array_get(json_object_get(json_object_get(it, "offcpu"), "stacks"), 0);
		assert_int_equal(json_integer_value(json_array_get(row, 0)), want[i]);
		json_t *ev = json_array_get(json_object_get(it, "events"), 0);
		assert_int_equal(json_integer_value(json_array_get(ev, 7)), want[i]);
	}
	json_decref(into);
	json_decref(from);
	json_decref(from2);
}

static void a_slim_and_a_full_result_are_not_pooled(void **state)
{
	(void)state;
	json_t *into = doc(json_pack("[[s]]", "a"), 0);
	json_t *from = doc(json_pack("[[s]]", "a"), 0);
	json_object_set_new(from, "events_left_out", json_pack("{s:i}", "rows", 1));
	char err[256];
	assert_int_equal(bb_result_pool_into(into, from, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "make both slim"));
	assert_int_equal(json_array_size(json_object_get(into, "iterations")), 1);
	json_decref(into);
	json_decref(from);
}

/* A run written with --no-events has no calls to mix up: it pools with a
 * slim run either way round, and the pool is slim (its histograms are the
 * slim run's calls, all the calls there are). */
static void a_run_without_events_pools_with_a_slim_one(void **state)
{
	(void)state;
	for (int order = 0; order < 2; order++) {
		json_t *bare = doc(json_pack("[[s]]", "a"), 0);
		json_object_del(json_array_get(json_object_get(bare, "iterations"), 0), "events");
		json_t *slim = doc(json_pack("[[s]]", "a"), 0);
		json_object_del(json_array_get(json_object_get(slim, "iterations"), 0), "events");
		json_object_set_new(slim, "events_left_out", json_pack("{s:i}", "rows", 1));
		json_object_set_new(slim, "call_histograms", json_pack("{s:[[f, i]]}", "KVM_RUN", 100.0, 1));
		json_t *into = order ? slim : bare, *from = order ? bare : slim;
		char err[256];
		assert_int_equal(bb_result_pool_into(into, from, err, sizeof(err)), 0);
		assert_int_equal(json_array_size(json_object_get(into, "iterations")), 2);
		assert_non_null(json_object_get(into, "events_left_out"));
		assert_int_equal(json_array_size(json_object_get(json_object_get(into, "call_histograms"), "KVM_RUN")), 1);
		json_decref(bare);
		json_decref(slim);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stacks_are_renumbered_into_one_table),
		cmocka_unit_test(a_slim_and_a_full_result_are_not_pooled),
		cmocka_unit_test(a_run_without_events_pools_with_a_slim_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
