#include "line_protocol.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "run_id.h"

void bb_lp_init(struct bb_lp_buffer *b)
{
	memset(b, 0, sizeof(*b));
}

void bb_lp_free(struct bb_lp_buffer *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void put(struct bb_lp_buffer *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(b->data, cap);
		if (!p)
			abort(); /* a result is megabytes at most */
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void putc_(struct bb_lp_buffer *b, char c)
{
	put(b, &c, 1);
}

static void putf(struct bb_lp_buffer *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct bb_lp_buffer *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(b, tmp, (size_t)n);
}

static char unbroken(char c)
{
	return c == '\n' || c == '\r' ? ' ' : c;
}

/* A backslash is literal unless a special character or another backslash
 * follows it; so one that ends an element, or stands before one of those,
 * is doubled, or it would escape the separator after it. */
static void escaped(struct bb_lp_buffer *b, const char *s, const char *special)
{
	for (; *s; s++) {
		char c = unbroken(*s), next = unbroken(s[1]);
		if (strchr(special, c) ||
		    (c == '\\' && (next == '\0' || next == '\\' || strchr(special, next))))
			putc_(b, '\\');
		putc_(b, c);
	}
}

void bb_lp_raw(struct bb_lp_buffer *b, const char *s)
{
	put(b, s, strlen(s));
}

void bb_lp_measurement(struct bb_lp_buffer *b, const char *s)
{
	escaped(b, s, ", ");
}

void bb_lp_key(struct bb_lp_buffer *b, const char *s)
{
	escaped(b, s, ",= ");
}

void bb_lp_string_field(struct bb_lp_buffer *b, const char *s)
{
	putc_(b, '"');
	escaped(b, s, "\"\\");
	putc_(b, '"');
}

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void tag(struct bb_lp_buffer *b, const char *key, const char *value)
{
	if (!value[0] || !key[0])
		return; /* line protocol has no empty tag values */
	putc_(b, ',');
	bb_lp_key(b, key);
	putc_(b, '=');
	bb_lp_key(b, value);
}

static const char *const fixed_tags[] = { "host", "arch", "kernel", "hz", "profile", "bootbench", "run", "warmup", "metric" };

bool bb_lp_fixed_tag(const char *key)
{
	for (size_t i = 0; i < sizeof(fixed_tags) / sizeof(fixed_tags[0]); i++)
		if (!strcmp(key, fixed_tags[i]))
			return true;
	return false;
}

void bb_lp_label_tag(const char *label, char *key, size_t len)
{
	snprintf(key, len, "%s%s", bb_lp_fixed_tag(label) ? "label_" : "", label);
}

/* The tags every point of a result carries. Labels keep their keys unless
 * they clash with a fixed tag, then they become label_<key>. */
static void run_tags(struct bb_lp_buffer *b, json_t *doc)
{
	json_t *host = json_object_get(doc, "host");
	tag(b, "host", str(host, "hostname"));
	tag(b, "arch", str(host, "arch"));
	tag(b, "kernel", str(host, "kernel_release"));
	tag(b, "hz", str(host, "config_hz"));
	tag(b, "profile", str(json_object_get(doc, "profile"), "name"));
	tag(b, "bootbench", str(json_object_get(doc, "bootbench"), "version"));
	char run[BB_RUN_ID_LEN + 1];
	bb_run_id_of(doc, run);
	tag(b, "run", run);
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(doc, "labels"), k, v) {
		char key[256];
		bb_lp_label_tag(k, key, sizeof(key));
		tag(b, key, json_is_string(v) ? json_string_value(v) : "");
	}
}

static void int_field(struct bb_lp_buffer *b, bool *first, const char *prefix, const char *name,
		      const char *suffix, json_int_t v)
{
	putc_(b, *first ? ' ' : ',');
	*first = false;
	char key[320];
	snprintf(key, sizeof(key), "%s%s%s", prefix, name, suffix);
	bb_lp_key(b, key);
	putf(b, "=%" JSON_INTEGER_FORMAT "i", v);
}

static int encode_iteration(struct bb_lp_buffer *b, json_t *doc, json_t *it, const char *result_name)
{
	json_t *ts = json_object_get(it, "start_unix_ns");
	if (!json_is_integer(ts))
		return -1;
	bb_lp_measurement(b, BB_LP_ITERATION);
	run_tags(b, doc);
	tag(b, "warmup", json_is_true(json_object_get(it, "warmup")) ? "true" : "false");
	bool first = true;
	int_field(b, &first, "", "iteration", "", json_integer_value(json_object_get(it, "index")));
	int_field(b, &first, "", "startup_ns", "", json_integer_value(json_object_get(it, "startup_ns")));
	int_field(b, &first, "", "overhead_ns", "", json_integer_value(json_object_get(it, "overhead_ns")));
	size_t i;
	json_t *ph;
	json_array_foreach(json_object_get(it, "phases"), i, ph)
		int_field(b, &first, "phase_", str(ph, "name"), "_ns",
			  json_integer_value(json_object_get(ph, "duration_ns")));
	const char *op;
	json_t *o;
	json_object_foreach(json_object_get(it, "ops"), op, o) {
		int_field(b, &first, "op_", op, "_total_ns", json_integer_value(json_object_get(o, "total_ns")));
		int_field(b, &first, "op_", op, "_count", json_integer_value(json_object_get(o, "count")));
	}
	if (result_name && result_name[0]) { /* a field: a file per run adds no series */
		put(b, ",result=", 8);
		bb_lp_string_field(b, result_name);
	}
	putf(b, " %" JSON_INTEGER_FORMAT "\n", json_integer_value(ts));
	b->lines++;
	return 0;
}

static void encode_summary(struct bb_lp_buffer *b, json_t *doc, json_t *m, json_int_t ts)
{
	static const char *const stats[] = { "min", "median", "mean", "p90", "p99", "max", "stddev", "mad" };
	bb_lp_measurement(b, BB_LP_SUMMARY);
	run_tags(b, doc);
	tag(b, "metric", str(m, "name"));
	putf(b, " n=%" JSON_INTEGER_FORMAT "i", json_integer_value(json_object_get(m, "n")));
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		json_t *v = json_object_get(m, stats[i]);
		if (json_is_number(v) && isfinite(json_number_value(v)))
			putf(b, ",%s=%.17g", stats[i], json_number_value(v));
	}
	put(b, ",unit=", 6);
	bb_lp_string_field(b, str(m, "unit"));
	putf(b, " %" JSON_INTEGER_FORMAT "\n", ts);
	b->lines++;
}

int bb_lp_encode_result(json_t *doc, const char *result_name, struct bb_lp_buffer *b, char *err, size_t errlen)
{
	size_t i;
	json_t *it, *m;
	json_int_t first_ts = -1;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		if (!json_is_true(json_object_get(it, "ok")))
			continue;
		if (encode_iteration(b, doc, it, result_name) < 0) {
			bb_errorf(err, errlen, "iteration %zu has no start_unix_ns: the result is not from this bootbench", i);
			return -1;
		}
		if (first_ts < 0)
			first_ts = json_integer_value(json_object_get(it, "start_unix_ns"));
	}
	if (first_ts < 0)
		return 0; /* nothing measured, nothing summarized */
	/* one summary per run, at the run's first start: the same on re-upload */
	json_array_foreach(json_object_get(doc, "summary"), i, m)
		encode_summary(b, doc, m, first_ts);
	return 0;
}
