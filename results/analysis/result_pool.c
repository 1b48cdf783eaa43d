#include "result_pool.h"

#include <stdbool.h>
#include <stdlib.h>

#include "call_digest.h"
#include "errorf.h"

/* The id of stack (a frames array) in into's table, appended if new; -1
 * on no memory. */
static json_int_t stack_id(json_t *table, json_t *stack)
{
	size_t i;
	json_t *known;
	json_array_foreach(table, i, known)
		if (json_equal(known, stack))
			return (json_int_t)i;
	if (json_array_append(table, stack) < 0)
		return -1;
	return (json_int_t)json_array_size(table) - 1;
}

/* Renumbers a stack id held at row[at] through map (n ids); ids outside
 * the table, or not integers, are left as they are. */
static void renumber(json_t *row, size_t at, const json_int_t *map, size_t n)
{
	json_t *id = json_array_get(row, at);
	if (json_is_integer(id) && json_integer_value(id) >= 0 && (size_t)json_integer_value(id) < n)
		json_array_set_new(row, at, json_integer(map[json_integer_value(id)]));
}

/* Whether any iteration still has raw events. */
static bool has_events(json_t *doc)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(doc, "iterations"), i, it)
		if (json_array_size(json_object_get(it, "events")))
			return true;
	return false;
}

int bb_result_pool_into(json_t *into, json_t *from, char *err, size_t errlen)
{
	/* per-call values come from events on one side and digests on the
	 * other: mixing them would count one side's calls and not the
	 * other's. A run without events (--no-events) has neither to mix. */
	bool into_slim = bb_result_is_slim(into), from_slim = bb_result_is_slim(from);
	if ((into_slim && has_events(from)) || (from_slim && has_events(into))) {
		bb_errorf(err, errlen, "one result is slim and the other is not: make both slim (bootbench slim) to pool them");
		return -1;
	}
	json_t *from_frames = json_object_get(json_object_get(from, "stacks"), "frames");
	size_t n = json_array_size(from_frames), i, k;
	json_int_t *map = malloc((n ? n : 1) * sizeof(*map));
	if (!map)
		goto oom;
	if (n) {
		json_t *stacks = json_object_get(into, "stacks");
		if (!json_is_object(stacks)) {
			stacks = json_pack("{s:O}", "symbols", json_object_get(json_object_get(from, "stacks"), "symbols"));
			if (!stacks || json_object_set_new(into, "stacks", stacks) < 0)
				goto oom;
		}
		json_t *table = json_object_get(stacks, "frames");
		if (!json_is_array(table)) {
			table = json_array();
			if (!table || json_object_set_new(stacks, "frames", table) < 0)
				goto oom;
		}
		json_t *stack;
		json_array_foreach(from_frames, i, stack)
			if ((map[i] = stack_id(table, stack)) < 0)
				goto oom;
	}
	json_t *it, *row, *moved = json_object_get(from, "iterations");
	json_array_foreach(moved, i, it) {
		/* [stack, op, calls, total_ns] and events' [..., offcpu_ns, stack] */
		json_array_foreach(json_object_get(json_object_get(it, "offcpu"), "stacks"), k, row)
			renumber(row, 0, map, n);
		json_array_foreach(json_object_get(it, "events"), k, row)
			renumber(row, 7, map, n);
	}
	if (json_array_extend(json_object_get(into, "iterations"), moved) < 0)
		goto oom;
	if (from_slim && bb_call_histograms_merge(into, from) < 0)
		goto oom;
	/* a run without events takes the slim one's marker with its histograms */
	if (from_slim && !into_slim && json_object_set(into, "events_left_out", json_object_get(from, "events_left_out")) < 0)
		goto oom;
	free(map);
	return 0;
oom:
	free(map);
	bb_errorf(err, errlen, "out of memory pooling results");
	return -1;
}
