#include "store_fetch.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "line_protocol.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcmp(s + n - k, suffix);
}

/* One run being rebuilt. */
struct run {
	char id[64];
	json_t *doc, *iterations;
	json_int_t first_ns;
};

static json_t *new_doc(const char *id, const char *source)
{
	return json_pack("{s:s, s:i, s:s, s:{}, s:{s:s}, s:{}, s:{}, s:[], s:b, s:s, s:{s:b, s:s}}", "schema",
			 "bootbench-result", "schema_version", 2, "run", id, "host", "bootbench", "version", "", "profile",
			 "labels", "iterations", "complete", 1, "store", source, "offcpu", "available", 0, "unavailable",
			 "not in the store: results read back from it have no stacks");
}

static const char *cell_str(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A tag column's value into the run's document (the first row's wins:
 * a run has one host, kernel, profile) */
static void set_tag(json_t *doc, const char *column, const char *value)
{
	json_t *host = json_object_get(doc, "host");
	if (!strcmp(column, "host")) {
		json_object_set_new(host, "hostname", json_string(value));
		/* run --host emulated names its host emulated-<arch>-on-<machine>:
		 * the store keeps that, so compare's emulated-against-hardware
		 * warnings hold for runs read back too */
		if (!strncmp(value, "emulated-", 9))
			json_object_set_new(doc, "emulated", json_pack("{s:s}", "from", "the host's name in the store"));
	}
	else if (!strcmp(column, "arch"))
		json_object_set_new(host, "arch", json_string(value));
	else if (!strcmp(column, "kernel"))
		json_object_set_new(host, "kernel_release", json_string(value));
	else if (!strcmp(column, "hz"))
		json_object_set_new(host, "config_hz", json_string(value));
	else if (!strcmp(column, "profile"))
		json_object_set_new(json_object_get(doc, "profile"), "name", json_string(value));
	else if (!strcmp(column, "bootbench"))
		json_object_set_new(json_object_get(doc, "bootbench"), "version", json_string(value));
}

static bool is_field(const char *c)
{
	return !strcmp(c, "iteration") || !strcmp(c, "startup_ns") || !strcmp(c, "overhead_ns") || !strcmp(c, "result") ||
	       (!strncmp(c, "phase_", 6) && ends_with(c, "_ns")) ||
	       (!strncmp(c, "op_", 3) && (ends_with(c, "_total_ns") || ends_with(c, "_count")));
}

/* The label a tag column holds: label_<fixed> was a label named <fixed> */
static const char *label_name(const char *column)
{
	if (!strncmp(column, "label_", 6) && bb_lp_fixed_tag(column + 6))
		return column + 6;
	return column;
}

static void add_op(json_t *ops, const char *column, json_int_t v)
{
	char op[256];
	bool total = ends_with(column, "_total_ns");
	size_t n = strlen(column) - 3 - (total ? 9 : 6);
	snprintf(op, sizeof(op), "%.*s", (int)n, column + 3);
	json_t *o = json_object_get(ops, op);
	if (!o) {
		o = json_object();
		json_object_set_new(ops, op, o);
	}
	json_object_set_new(o, total ? "total_ns" : "count", json_integer(v));
}

static json_t *iteration_of(json_t *columns, json_t *row, json_int_t t, struct run *r)
{
	json_t *it = json_pack("{s:i, s:b, s:b, s:I, s:[], s:{}}", "index", 0, "warmup", 0, "ok", 1, "start_unix_ns", t,
			       "phases", "ops");
	size_t i;
	json_t *col;
	json_array_foreach(columns, i, col) {
		const char *c = json_string_value(col);
		json_t *v = json_array_get(row, i);
		if (!c || json_is_null(v) || !strcmp(c, "time"))
			continue;
		if (!is_field(c)) {
			const char *value = cell_str(v);
			if (!value)
				continue;
			if (bb_lp_fixed_tag(c)) { /* run, warmup and metric set nothing */
				if (json_array_size(r->iterations) == 0)
					set_tag(r->doc, c, value);
			} else {
				json_object_set_new(json_object_get(r->doc, "labels"), label_name(c), json_string(value));
			}
			continue;
		}
		if (!strcmp(c, "result")) {
			if (cell_str(v) && !json_object_get(r->doc, "result"))
				json_object_set_new(r->doc, "result", json_string(cell_str(v)));
			continue;
		}
		if (!json_is_integer(v))
			continue; /* what bootbench writes is an integer */
		json_int_t n = json_integer_value(v);
		if (!strcmp(c, "iteration"))
			json_object_set_new(it, "index", json_integer(n));
		else if (!strcmp(c, "startup_ns") || !strcmp(c, "overhead_ns"))
			json_object_set_new(it, c, json_integer(n));
		else if (!strncmp(c, "phase_", 6)) {
			char name[128];
			snprintf(name, sizeof(name), "%.*s", (int)(strlen(c) - 9), c + 6);
			json_array_append_new(json_object_get(it, "phases"),
					      json_pack("{s:s, s:I}", "name", name, "duration_ns", n));
		} else {
			add_op(json_object_get(it, "ops"), c, n);
		}
	}
	return it;
}

/* The metrics the store's fields give, named as a result's summary names
 * them (compare looks a metric up there before it reads the iterations):
 * startup, overhead, each phase, each op's total and count. */
static void summary_entry(json_t *summary, json_t *seen, const char *name, const char *unit, size_t n)
{
	if (json_object_get(seen, name))
		return;
	json_object_set_new(seen, name, json_true());
	json_array_append_new(summary, json_pack("{s:s, s:s, s:I}", "name", name, "unit", unit, "n", (json_int_t)n));
}

static void summarize(json_t *doc)
{
	json_t *its = json_object_get(doc, "iterations"), *summary = json_array(), *seen = json_object(), *it;
	size_t n = json_array_size(its), i;
	json_array_foreach(its, i, it) {
		if (json_object_get(it, "startup_ns"))
			summary_entry(summary, seen, "startup", "ns", n);
		if (json_object_get(it, "overhead_ns"))
			summary_entry(summary, seen, "overhead", "ns", n);
		size_t k;
		json_t *ph;
		json_array_foreach(json_object_get(it, "phases"), k, ph) {
			char name[160];
			snprintf(name, sizeof(name), "phase:%s", json_string_value(json_object_get(ph, "name")));
			summary_entry(summary, seen, name, "ns", n);
		}
		const char *op;
		json_t *o;
		json_object_foreach(json_object_get(it, "ops"), op, o) {
			char name[300];
			snprintf(name, sizeof(name), "op:%s:total", op);
			summary_entry(summary, seen, name, "ns", n);
			snprintf(name, sizeof(name), "op:%s:count", op);
			summary_entry(summary, seen, name, "calls", n);
		}
	}
	json_object_set_new(doc, "summary", summary);
	json_decref(seen);
}

static int by_first_time(const void *a, const void *b)
{
	const struct run *x = a, *y = b;
	return x->first_ns < y->first_ns ? -1 : x->first_ns > y->first_ns;
}

static int by_start(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "start_unix_ns"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "start_unix_ns"));
	return x < y ? -1 : x > y;
}

/* A 2.x answer holds a run's points in several tables, in no time order
 * across them: a run's iterations are put back in the order they ran. */
static void order_iterations(json_t *iterations)
{
	size_t n = json_array_size(iterations);
	json_t **its = malloc((n ? n : 1) * sizeof(json_t *));
	if (!its)
		abort();
	for (size_t i = 0; i < n; i++)
		its[i] = json_incref(json_array_get(iterations, i));
	qsort(its, n, sizeof(json_t *), by_start);
	json_array_clear(iterations);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(iterations, its[i]);
	free(its);
}

struct rebuild {
	struct run *r;
	size_t n, cap, max_runs;
	const char *source;
};

/* One series' rows into their runs; 0, or a code with err */
static int add_series(struct rebuild *b, json_t *columns, json_t *rows, char *err, size_t errlen)
{
	int time_col = -1, run_col = -1, host_col = -1;
	size_t i;
	json_t *col;
	json_array_foreach(columns, i, col) {
		const char *c = json_string_value(col);
		if (!c)
			continue;
		if (!strcmp(c, "time"))
			time_col = (int)i;
		else if (!strcmp(c, "run"))
			run_col = (int)i;
		else if (!strcmp(c, "host"))
			host_col = (int)i;
	}
	if (time_col < 0) {
		bb_errorf(err, errlen, "%s answered without a time column", b->source);
		return BB_STORE_FAILED;
	}
	json_t *row;
	json_array_foreach(rows, i, row) {
		json_t *t = json_array_get(row, (size_t)time_col);
		if (!json_is_integer(t)) {
			bb_errorf(err, errlen, "%s answered a point without a time in ns", b->source);
			return BB_STORE_FAILED;
		}
		/* points uploaded before runs were tagged: one run per host */
		char id[64];
		const char *run = run_col >= 0 ? cell_str(json_array_get(row, (size_t)run_col)) : NULL;
		const char *host = host_col >= 0 ? cell_str(json_array_get(row, (size_t)host_col)) : NULL;
		snprintf(id, sizeof(id), "%s%.40s", run ? "" : "untagged@", run ? run : host ? host : "unknown");
		size_t k = 0;
		while (k < b->n && strcmp(b->r[k].id, id))
			k++;
		if (k == b->n) {
			if (b->n == b->max_runs) {
				bb_errorf(err, errlen, "%s matches more than %zu runs: narrow it (since=, label.NAME=) or raise --max-runs",
					 b->source, b->max_runs);
				return BB_STORE_BAD_SELECTION;
			}
			if (b->n == b->cap) {
				size_t cap = b->cap ? 2 * b->cap : 16;
				struct run *bigger = realloc(b->r, cap * sizeof(*bigger));
				if (!bigger)
					abort(); /* runs are hundreds at most */
				b->r = bigger;
				b->cap = cap;
			}
			struct run *nr = &b->r[b->n++];
			memset(nr, 0, sizeof(*nr));
			snprintf(nr->id, sizeof(nr->id), "%s", id);
			nr->doc = new_doc(id, b->source);
			nr->iterations = json_object_get(nr->doc, "iterations");
			nr->first_ns = json_integer_value(t);
		}
		struct run *r = &b->r[k];
		if (json_integer_value(t) < r->first_ns)
			r->first_ns = json_integer_value(t);
		json_array_append_new(r->iterations, iteration_of(columns, row, json_integer_value(t), r));
	}
	return 0;
}

int bb_store_rebuild_series(json_t *series, const char *source, size_t max_runs, json_t **runs, char *err,
			    size_t errlen)
{
	*runs = NULL;
	size_t i, points = 0;
	json_t *s;
	json_array_foreach(series, i, s) {
		json_t *columns = json_object_get(s, "columns"), *rows = json_object_get(s, "values");
		if (!json_is_array(columns) || !json_is_array(rows)) {
			bb_errorf(err, errlen, "%s answered series this query does not make: no columns and values", source);
			return BB_STORE_FAILED;
		}
		points += json_array_size(rows);
	}
	if (points == 0) {
		bb_errorf(err, errlen, "no measured iteration matches %s: list what it holds with bootbench query, and check each key", source);
		return BB_STORE_BAD_SELECTION;
	}
	struct rebuild b = { .max_runs = max_runs, .source = source };
	int rc = 0;
	json_array_foreach(series, i, s) {
		rc = add_series(&b, json_object_get(s, "columns"), json_object_get(s, "values"), err, errlen);
		if (rc)
			break;
	}
	if (rc == 0) {
		for (size_t k = 0; k < b.n; k++) {
			order_iterations(b.r[k].iterations);
			summarize(b.r[k].doc);
		}
		if (b.n)
			qsort(b.r, b.n, sizeof(*b.r), by_first_time);
		*runs = json_array();
		for (size_t k = 0; k < b.n; k++)
			json_array_append(*runs, b.r[k].doc);
	}
	for (size_t k = 0; k < b.n; k++)
		json_decref(b.r[k].doc);
	free(b.r);
	return rc;
}

int bb_store_rebuild_influxql(const char *answer, size_t len, const char *source, size_t max_runs, json_t **runs,
			      char *err, size_t errlen)
{
	*runs = NULL;
	json_error_t je;
	json_t *doc = json_loadb(answer, len, 0, &je);
	json_t *result = json_array_get(json_object_get(doc, "results"), 0);
	if (!json_is_object(result)) {
		bb_errorf(err, errlen, "%s answered what is no InfluxDB 1.x query answer (%s)", source,
			 doc ? "no results" : je.text);
		json_decref(doc);
		return BB_STORE_FAILED;
	}
	if (json_is_string(json_object_get(result, "error"))) {
		bb_errorf(err, errlen, "%s: the store says: %s", source, json_string_value(json_object_get(result, "error")));
		json_decref(doc);
		return BB_STORE_FAILED;
	}
	json_t *series = json_object_get(result, "series");
	if (json_is_true(json_object_get(result, "partial")) ||
	    json_is_true(json_object_get(json_array_get(series, 0), "partial"))) {
		bb_errorf(err, errlen, "%s cut its answer short (partial): nothing is compared on part of a selection; narrow it (since=, label.NAME=) or raise the store's max-row-limit",
			 source);
		json_decref(doc);
		return BB_STORE_FAILED;
	}
	/* SELECT * with no GROUP BY makes one series */
	if (json_array_size(series) > 1 || (series && !json_is_array(series))) {
		bb_errorf(err, errlen, "%s answered series this query does not make: no columns and values", source);
		json_decref(doc);
		return BB_STORE_FAILED;
	}
	json_t *none = json_array();
	int rc = bb_store_rebuild_series(series ? series : none, source, max_runs, runs, err, errlen);
	json_decref(none);
	json_decref(doc);
	return rc;
}
