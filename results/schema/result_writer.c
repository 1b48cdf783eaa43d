#include "result_writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "kallsyms.h"
#include "offcpu.h"
#include "printable.h"

static int dump_members(FILE *f, json_t *obj, bool *first)
{
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value) {
		json_t *k = json_string(key);
		fputs(*first ? "\n" : ",\n", f);
		*first = false;
		int rc = json_dumpf(k, f, JSON_ENCODE_ANY);
		json_decref(k);
		fputs(": ", f);
		if (rc || json_dumpf(value, f, JSON_ENCODE_ANY | JSON_COMPACT))
			return -1;
	}
	return ferror(f) ? -1 : 0;
}

int bb_result_writer_open(struct bb_result_writer *w, const char *path, json_t *header,
			  bool with_events, char *err, size_t errlen)
{
	memset(w, 0, sizeof(*w));
	w->with_events = with_events;
	/* a member json_pack could not build (text that is not UTF-8) would be
	 * missing, and the reader would refuse the whole file */
	static const char *const objects[] = { "bootbench", "host", "profile", "labels" };
	for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (!json_is_object(json_object_get(header, objects[i]))) {
			bb_errorf(err, errlen, "the result's '%s' could not be built (text that is not UTF-8?): not writing %s, which bootbench could not read back",
				 objects[i], path);
			return -1;
		}
	}
	if (bb_atomic_open(&w->af, path, err, errlen) < 0)
		return -1;
	bool first = true;
	fputs("{", w->af.f);
	if (dump_members(w->af.f, header, &first) < 0) {
		bb_errorf(err, errlen, "cannot write %s: %s; free space there or choose another --out", path, strerror(errno));
		bb_atomic_discard(&w->af);
		return -1;
	}
	fputs(",\n\"iterations\": [", w->af.f);
	return 0;
}

static json_t *phases_json(const struct bb_iteration *it)
{
	json_t *a = json_array();
	for (int ph = 0; ph < BB_PHASE_COUNT; ph++) {
		if (!it->phase_present[ph])
			continue;
		json_array_append_new(a, json_pack("{s:s, s:I, s:I}", "name", bb_phase_names[ph],
						   "start_ns", (json_int_t)it->phase_start_ns[ph],
						   "duration_ns", (json_int_t)it->phase_duration_ns[ph]));
	}
	return a;
}

static json_t *ops_json(const struct bb_iteration *it)
{
	json_t *o = json_object();
	for (int op = 0; op < BB_OP_COUNT; op++) {
		if (!it->ops[op].count)
			continue;
		json_t *entry = json_pack("{s:I, s:I}", "count", (json_int_t)it->ops[op].count, "total_ns",
					  (json_int_t)it->ops[op].total_ns);
		if (it->offcpu)
			json_object_set_new(entry, "offcpu_ns", json_integer(it->ops[op].offcpu_ns));
		json_object_set_new(o, bb_op_names[op], entry);
	}
	return o;
}

/* The iteration's off-CPU time on the critical path by (stack, op):
 * [[stack, op, calls, total_ns], ...], largest first. */
static json_t *offcpu_json(const struct bb_iteration *it)
{
	json_t *table = json_array();
	for (size_t i = 0; i < it->noffcpu_rows; i++) {
		const struct bb_offcpu_row *r = &it->offcpu_rows[i];
		json_array_append_new(table, json_pack("[i, s, I, I]", r->stack, bb_op_names[r->op], (json_int_t)r->calls,
						       (json_int_t)r->total_ns));
	}
	return json_pack("{s:I, s:o}", "lost", (json_int_t)it->offcpu_lost, "stacks", table);
}

static json_t *bus_json(const uint32_t counts[BB_BUS_COUNT])
{
	json_t *o = json_object();
	for (int b = 0; b < BB_BUS_COUNT; b++)
		json_object_set_new(o, bb_bus_names[b], json_integer(counts[b]));
	return o;
}

static json_t *events_json(const struct bb_iteration *it)
{
	json_t *rows = json_array();
	uint32_t n = bb_event_log_count(it->log);
	char detail[192];
	for (uint32_t i = 0; i < n; i++) {
		const struct bb_event *e = &it->log->events[i];
		bb_event_detail(e, detail, sizeof(detail));
		json_array_append_new(rows, json_pack("[s, i, I, I, i, s, I, i]", bb_op_names[e->op], e->thread,
						      (json_int_t)e->start_ns, (json_int_t)e->duration_ns,
						      e->result, detail, (json_int_t)e->offcpu_ns, e->stack));
	}
	return rows;
}

/* What the guest wrote is its own: lines kept, any other control byte or
 * byte that is not UTF-8 escaped (JSON holds UTF-8 only), none dropped. */
static void console_text(const char *in, char *out, size_t len)
{
	size_t used = 0;
	char line[1024];
	while (*in && used + 1 < len) {
		size_t n = strcspn(in, "\r\n");
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, in, n);
		line[n] = '\0';
		bb_printable(line, out + used, len - used);
		used += strlen(out + used);
		in += n;
		if (*in == '\r')
			in++;
		else if (*in == '\n' && used + 1 < len) {
			out[used++] = '\n';
			in++;
		}
	}
	out[used] = '\0';
}

json_t *bb_iteration_to_json(uint32_t index, bool warmup, const struct bb_iteration *it,
			     bool with_events)
{
	json_t *o = json_pack("{s:I, s:b, s:b, s:b, s:I, s:I, s:I}", "index", (json_int_t)index,
			      "warmup", warmup, "ok", it->ok, "interrupted", it->interrupted,
			      "start_unix_ns", (json_int_t)it->start_realtime_ns,
			      "startup_ns", (json_int_t)it->startup_ns,
			      "overhead_ns", (json_int_t)it->overhead_ns);
	char error[sizeof(it->error) * 4];
	bb_printable(it->error, error, sizeof(error));
	json_object_set_new(o, "error", it->ok ? json_null() : json_string(error));
	json_object_set_new(o, "phases", phases_json(it));
	json_object_set_new(o, "ops", ops_json(it));
	if (it->offcpu)
		json_object_set_new(o, "offcpu", offcpu_json(it));
	json_object_set_new(o, "registrations",
			    json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I}",
				      "ioeventfds_per_bus", bus_json(it->bus_ioeventfds),
				      "devices_per_bus", bus_json(it->bus_devices),
				      "ioeventfds_assigned", (json_int_t)it->ioeventfds_assigned,
				      "ioeventfds_deassigned", (json_int_t)it->ioeventfds_deassigned,
				      "coalesced_zones", (json_int_t)it->coalesced_zones,
				      "irqfds", (json_int_t)it->irqfds,
				      "memslots_after", (json_int_t)it->memslots_after));
	json_object_set_new(o, "kicks", json_pack("{s:I, s:I, s:I}", "expected", (json_int_t)it->kicks_expected,
						  "received", (json_int_t)it->kicks_received,
						  "by_exit", (json_int_t)it->kicks_by_exit));
	json_object_set_new(o, "events_dropped", json_integer(it->events_dropped));
	if (it->console_tail) {
		static char tail[BB_CONSOLE_TAIL * 4];
		console_text(it->console_tail, tail, sizeof(tail));
		json_object_set_new(o, "console", json_pack("{s:I, s:s}", "bytes", (json_int_t)it->console_bytes, "tail", tail));
	}
	if (with_events)
		json_object_set_new(o, "events", events_json(it));
	return o;
}

int bb_result_writer_iteration(struct bb_result_writer *w, uint32_t index, bool warmup,
			       const struct bb_iteration *it)
{
	json_t *o = bb_iteration_to_json(index, warmup, it, w->with_events);
	fputs(w->any_iteration ? ",\n" : "\n", w->af.f);
	w->any_iteration = true;
	int rc = json_dumpf(o, w->af.f, JSON_COMPACT);
	json_decref(o);
	return rc || ferror(w->af.f) ? -1 : 0;
}

int bb_result_writer_close(struct bb_result_writer *w, json_t *trailer, char *err, size_t errlen)
{
	bool first = false;
	fputs("\n]", w->af.f);
	if (dump_members(w->af.f, trailer, &first) < 0) {
		bb_errorf(err, errlen, "cannot write %s: %s; free space there or choose another --out", w->af.final_path, strerror(errno));
		bb_atomic_discard(&w->af);
		return -1;
	}
	fputs("\n}\n", w->af.f);
	return bb_atomic_commit(&w->af, err, errlen);
}

void bb_result_writer_discard(struct bb_result_writer *w)
{
	bb_atomic_discard(&w->af);
}

json_t *bb_result_names_json(void)
{
	json_t *ops = json_array(), *phases = json_array(), *cols = json_array();
	for (int op = 0; op < BB_OP_COUNT; op++)
		json_array_append_new(ops, json_string(bb_op_names[op]));
	for (int ph = 0; ph < BB_PHASE_COUNT; ph++)
		json_array_append_new(phases, json_string(bb_phase_names[ph]));
	const char *columns[] = { "op", "thread", "start_ns", "duration_ns", "result", "detail", "offcpu_ns", "stack" };
	for (size_t i = 0; i < 8; i++)
		json_array_append_new(cols, json_string(columns[i]));
	return json_pack("{s:o, s:o, s:o}", "ops", ops, "phases", phases, "event_columns", cols);
}

json_t *bb_stacks_json(const struct bb_offcpu *o, const char *kallsyms_path)
{
	char why[512] = "";
	struct bb_kallsyms *k = bb_kallsyms_load(kallsyms_path, why, sizeof(why));
	json_t *frames = json_array();
	size_t n = bb_offcpu_nstacks(o);
	for (size_t id = 0; id < n; id++) {
		size_t depth;
		const uint64_t *ips = bb_offcpu_stack(o, id, &depth);
		json_t *stack = json_array();
		for (size_t f = 0; f < depth; f++) {
			char raw[24];
			json_array_append_new(stack, json_string(bb_kallsyms_frame(k, ips[f], raw, sizeof(raw))));
		}
		json_array_append_new(frames, stack);
	}
	json_t *out = json_pack("{s:s, s:o}", "symbols", k ? "kallsyms" : "raw", "frames", frames);
	if (!k)
		json_object_set_new(out, "note", json_string(why));
	bb_kallsyms_free(k);
	return out;
}
