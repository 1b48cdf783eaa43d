#include "memslot_digest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMSLOT_OP "KVM_SET_USER_MEMORY_REGION"

/* A slot number at the start of text (digits only, no sign); *rest is
 * what follows it. */
static bool slot_number(const char *text, long *slot, const char **rest)
{
	if (*text < '0' || *text > '9')
		return false;
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno)
		return false;
	*slot = v;
	*rest = end;
	return true;
}

bool bb_memslot_metric_parse(const char *metric, long *slot, bool *offcpu)
{
	size_t k = strlen(BB_MEMSLOT_PREFIX);
	const char *rest;
	long v;
	if (strncmp(metric, BB_MEMSLOT_PREFIX, k) || !slot_number(metric + k, &v, &rest))
		return false;
	if (*rest == '\0')
		*offcpu = false;
	else if (!strcmp(rest, ":offcpu"))
		*offcpu = true;
	else
		return false;
	*slot = v;
	return true;
}

/* The slot an event's detail names ("slot=N gpa=..."); -1 if none. */
static long event_slot(json_t *ev)
{
	const char *op = json_string_value(json_array_get(ev, 0));
	const char *detail = json_string_value(json_array_get(ev, 5));
	const char *rest;
	long v;
	if (!op || strcmp(op, MEMSLOT_OP) || !detail || strncmp(detail, "slot=", 5) || !slot_number(detail + 5, &v, &rest))
		return -1;
	return *rest && *rest != ' ' ? -1 : v;
}

/* Sums one slot's calls from the events; the call count, 0 if none. */
static size_t events_sum(json_t *events, long slot, double *total, double *offcpu)
{
	size_t i, calls = 0;
	json_t *ev;
	*total = *offcpu = 0;
	json_array_foreach(events, i, ev) {
		if (event_slot(ev) != slot || !json_is_number(json_array_get(ev, 3)))
			continue;
		calls++;
		*total += json_number_value(json_array_get(ev, 3));
		json_t *off = json_array_get(ev, 6); /* version 1 rows have no off-CPU time */
		*offcpu += json_is_number(off) ? json_number_value(off) : 0;
	}
	return calls;
}

bool bb_memslot_value(json_t *iteration, long slot, bool offcpu, double *out)
{
	json_t *digest = json_object_get(iteration, "memslots");
	if (json_is_object(digest)) {
		char key[24];
		snprintf(key, sizeof(key), "%ld", slot);
		json_t *v = json_object_get(json_object_get(digest, key), offcpu ? "offcpu_ns" : "total_ns");
		if (!json_is_number(v))
			return false;
		*out = json_number_value(v);
		return true;
	}
	double total, off;
	if (!events_sum(json_object_get(iteration, "events"), slot, &total, &off))
		return false;
	*out = offcpu ? off : total;
	return true;
}

static size_t insert_sorted(long *slots, size_t n, size_t max, long v)
{
	size_t at = 0;
	while (at < n && slots[at] < v)
		at++;
	if ((at < n && slots[at] == v) || at == max)
		return n;
	if (n == max) /* keep the lowest: the largest makes room */
		n--;
	memmove(slots + at + 1, slots + at, (n - at) * sizeof(*slots));
	slots[at] = v;
	return n + 1;
}

size_t bb_memslot_slots(json_t *iteration, long *slots, size_t n, size_t max)
{
	size_t i;
	json_t *digest = json_object_get(iteration, "memslots");
	if (json_is_object(digest)) {
		const char *key;
		json_t *v;
		json_object_foreach(digest, key, v) {
			long slot;
			const char *rest;
			if (slot_number(key, &slot, &rest) && !*rest)
				n = insert_sorted(slots, n, max, slot);
		}
		return n;
	}
	json_t *ev;
	json_array_foreach(json_object_get(iteration, "events"), i, ev) {
		long slot = event_slot(ev);
		if (slot >= 0)
			n = insert_sorted(slots, n, max, slot);
	}
	return n;
}

json_t *bb_memslot_digest(json_t *iteration)
{
	long slots[BB_MEMSLOT_MAX_SLOTS];
	size_t n = bb_memslot_slots(iteration, slots, 0, BB_MEMSLOT_MAX_SLOTS);
	json_t *out = json_object();
	for (size_t k = 0; out && k < n; k++) {
		double total, off;
		size_t calls = events_sum(json_object_get(iteration, "events"), slots[k], &total, &off);
		char key[24];
		snprintf(key, sizeof(key), "%ld", slots[k]);
		if (json_object_set_new(out, key, json_pack("{s:I, s:f, s:f}", "calls", (json_int_t)calls, "total_ns", total,
							     "offcpu_ns", off)) < 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}
