/* Per-memslot values: each slot's KVM_SET_USER_MEMORY_REGION calls kept
 * apart (the op's total adds them), read alike from the events and from
 * the digest bootbench slim keeps; the metric names that select them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "call_digest.h"
#include "memslot_digest.h"

static json_t *memslot_event(int slot, int thread, json_int_t dur, json_int_t offcpu)
{
	char detail[96];
	snprintf(detail, sizeof(detail), "slot=%d gpa=0x0 size=0x1000 flags=0x0", slot);
	return json_pack("[s, i, I, I, i, s, I, i]", "KVM_SET_USER_MEMORY_REGION", thread, (json_int_t)0, dur, 0,
			 detail, offcpu, -1);
}

/* slot 0 once (300 us, 100 us off-CPU); slot 10 twice, the second from
 * vCPU 0 (as a Linux guest's DRIVER_OK does); other ops' slot= details do
 * not count. */
static json_t *iteration(void)
{
	json_t *events = json_array();
	json_array_append_new(events, memslot_event(0, -1, 300000, 100000));
	json_array_append_new(events, json_pack("[s, i, I, I, i, s, I, i]", "KVM_IOEVENTFD", -1, (json_int_t)0,
						(json_int_t)5000, 0, "slot=0", (json_int_t)0, -1));
	json_array_append_new(events, memslot_event(10, -1, 2000, 0));
	json_array_append_new(events, memslot_event(10, 0, 11000000, 10500000));
	return json_pack("{s:b, s:b, s:o}", "ok", 1, "warmup", 0, "events", events);
}

static void names_parse(void **state)
{
	(void)state;
	long slot;
	bool off;
	assert_true(bb_memslot_metric_parse("memslot:0", &slot, &off));
	assert_int_equal(slot, 0);
	assert_false(off);
	assert_true(bb_memslot_metric_parse("memslot:12:offcpu", &slot, &off));
	assert_int_equal(slot, 12);
	assert_true(off);
	assert_false(bb_memslot_metric_parse("memslot:", &slot, &off));
	assert_false(bb_memslot_metric_parse("memslot:-1", &slot, &off));
	assert_false(bb_memslot_metric_parse("memslot:1:total", &slot, &off));
	assert_false(bb_memslot_metric_parse("memslot:1x", &slot, &off));
	assert_false(bb_memslot_metric_parse("phase:memslots_after", &slot, &off));
}

static void slots_apart_from_events_and_digest(void **state)
{
	(void)state;
	json_t *doc = json_pack("{s:s, s:[o]}", "schema", "bootbench-result", "iterations", iteration());
	json_t *it = json_array_get(json_object_get(doc, "iterations"), 0);
	long slots[4];
	double v;
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(bb_memslot_slots(it, slots, 0, 4), 2);
		assert_int_equal(slots[0], 0);
		assert_int_equal(slots[1], 10);
		/* added to a list that has them already: no repeats */
		assert_int_equal(bb_memslot_slots(it, slots, 2, 4), 2);
		assert_true(bb_memslot_value(it, 0, false, &v));
		assert_float_equal(v, 300000, 0);
		assert_true(bb_memslot_value(it, 0, true, &v));
		assert_float_equal(v, 100000, 0);
		assert_true(bb_memslot_value(it, 10, false, &v));
		assert_float_equal(v, 11002000, 0);
		assert_true(bb_memslot_value(it, 10, true, &v));
		assert_float_equal(v, 10500000, 0);
		assert_false(bb_memslot_value(it, 1, false, &v));
		if (pass == 0) { /* the same numbers once slim has digested the events */
			size_t removed;
			char err[256];
			assert_int_equal(bb_result_slim(doc, &removed, err, sizeof(err)), 0);
			assert_null(json_object_get(it, "events"));
			assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(it, "memslots"), "10"), "calls")), 2);
		}
	}
	json_decref(doc);
}

static void at_most_max_slots(void **state)
{
	(void)state;
	json_t *events = json_array();
	for (int s = 5; s >= 0; s--)
		json_array_append_new(events, memslot_event(s, -1, 1000, 0));
	json_t *it = json_pack("{s:o}", "events", events);
	long slots[3];
	/* the lowest are kept, ascending, whatever the order of the calls */
	assert_int_equal(bb_memslot_slots(it, slots, 0, 3), 3);
	assert_int_equal(slots[0], 0);
	assert_int_equal(slots[2], 2);
	json_decref(it);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_parse),
		cmocka_unit_test(slots_apart_from_events_and_digest),
		cmocka_unit_test(at_most_max_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
