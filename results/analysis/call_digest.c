#include "call_digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_stats.h"
#include "errorf.h"
#include "histogram.h"
#include "memslot_digest.h"
#include "iteration_metrics.h"
#include "result_reader.h"

struct op_calls {
	const char *name; /* the event's own string */
	double *v;
	size_t n, cap;
};

struct call_set {
	struct op_calls *ops;
	size_t n, cap;
};

static void call_set_free(struct call_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->ops[i].v);
	free(s->ops);
}

static struct op_calls *op_of(struct call_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->ops[i].name, name))
			return &s->ops[i];
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 32;
		struct op_calls *ops = realloc(s->ops, cap * sizeof(*ops));
		if (!ops)
			return NULL;
		s->ops = ops;
		s->cap = cap;
	}
	s->ops[s->n] = (struct op_calls){ .name = name };
	return &s->ops[s->n++];
}

static int add(struct op_calls *o, double v)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 16;
		double *nv = realloc(o->v, cap * sizeof(*nv));
		if (!nv)
			return -1;
		o->v = nv;
		o->cap = cap;
	}
	o->v[o->n++] = v;
	return 0;
}

/* The iteration's critical-path calls, by op, in the order ops first ran;
 * only op's when op is not NULL. */
static int collect(json_t *iteration, const char *only, struct call_set *s)
{
	size_t i;
	json_t *ev;
	json_array_foreach(json_object_get(iteration, "events"), i, ev) {
		json_t *name = json_array_get(ev, 0);
		json_t *dur = json_array_get(ev, 3);
		if (!json_is_string(name) || !json_is_number(dur))
			continue;
		const char *op = json_string_value(name);
		if ((only && strcmp(op, only)) ||
		    !bb_on_critical_path((int)json_integer_value(json_array_get(ev, 1)), !strcmp(op, "KVM_RUN")))
			continue;
		struct op_calls *o = op_of(s, op);
		if (!o || add(o, json_number_value(dur)) < 0)
			return -1;
	}
	return 0;
}

/* An iteration's "calls" object from its collected calls (reordered). */
static json_t *calls_json(struct call_set *s)
{
	json_t *calls = json_object();
	for (size_t i = 0; calls && i < s->n; i++) {
		struct op_calls *o = &s->ops[i];
		/* the median first: compare takes it from these very values */
		double median = bb_median_inplace(o->v, o->n);
		double p90 = bb_quantile_inplace(o->v, o->n, 0.9);
		if (json_object_set_new(calls, o->name, json_pack("{s:I, s:f, s:f}", "n", (json_int_t)o->n,
								   "median_ns", median, "p90_ns", p90)) < 0) {
			json_decref(calls);
			calls = NULL;
		}
	}
	return calls;
}

bool bb_call_median(json_t *iteration, const char *op, double *out)
{
	json_t *calls = json_object_get(iteration, "calls");
	if (json_is_object(calls)) {
		json_t *m = json_object_get(json_object_get(calls, op), "median_ns");
		if (!json_is_number(m))
			return false;
		*out = json_number_value(m);
		return true;
	}
	struct call_set s = { 0 };
	bool found = collect(iteration, op, &s) == 0 && s.n == 1;
	if (found)
		*out = bb_median_inplace(s.ops[0].v, s.ops[0].n);
	call_set_free(&s);
	return found;
}

static bool measured(json_t *it)
{
	return json_is_true(json_object_get(it, "ok")) && !json_is_true(json_object_get(it, "warmup"));
}

/* Per op, the measured iterations' calls, pooled. The names are the
 * events' own strings: the histograms become JSON before the events go. */
struct op_histograms {
	struct op_histogram {
		const char *name;
		struct bb_histogram h;
	} *hs;
	size_t n;
};

static int histograms_add(struct op_histograms *t, const struct call_set *s)
{
	for (size_t k = 0; k < s->n; k++) {
		size_t h = 0;
		while (h < t->n && strcmp(t->hs[h].name, s->ops[k].name))
			h++;
		if (h == t->n) {
			struct op_histogram *more = realloc(t->hs, (t->n + 1) * sizeof(*t->hs));
			if (!more)
				return -1;
			t->hs = more;
			t->hs[h].name = s->ops[k].name;
			bb_histogram_init(&t->hs[t->n++].h);
		}
		for (size_t v = 0; v < s->ops[k].n; v++)
			bb_histogram_add(&t->hs[h].h, (int64_t)s->ops[k].v[v]);
	}
	return 0;
}

static json_t *histograms_json(const struct op_histograms *t)
{
	json_t *out = json_object();
	for (size_t h = 0; out && h < t->n; h++) {
		json_t *pairs = json_array();
		for (uint32_t b = 0; pairs && b < BB_HIST_BUCKETS; b++)
			if (t->hs[h].h.buckets[b])
				json_array_append_new(pairs, json_pack("[f, I]", bb_histogram_bucket_value(b),
								       (json_int_t)t->hs[h].h.buckets[b]));
		if (!pairs || json_object_set_new(out, t->hs[h].name, pairs) < 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

int bb_result_slim(json_t *doc, size_t *removed, char *err, size_t errlen)
{
	size_t i;
	json_t *it;
	*removed = 0;
	if (bb_result_is_slim(doc)) {
		bb_errorf(err, errlen, "its events were already left out by bootbench slim");
		return -1;
	}
	json_array_foreach(json_object_get(doc, "iterations"), i, it)
		if (json_is_array(json_object_get(it, "events")))
			*removed += json_array_size(json_object_get(it, "events"));
	if (*removed == 0) {
		bb_errorf(err, errlen, "it has no events to digest (written with --no-events?): publish the result as it is");
		return -1;
	}
	/* one pass over each iteration's events: its calls, and the
	 * histograms of the measured ones; the events go after */
	struct op_histograms t = { 0 };
	json_t *hist = NULL;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		struct call_set s = { 0 };
		bool ok = collect(it, NULL, &s) == 0 && (!measured(it) || histograms_add(&t, &s) == 0);
		json_t *calls = ok ? calls_json(&s) : NULL;
		call_set_free(&s);
		json_t *memslots = calls ? bb_memslot_digest(it) : NULL;
		if (!memslots || json_object_set_new(it, "memslots", memslots) < 0) {
			json_decref(calls);
			calls = NULL;
		}
		if (!calls || json_object_set_new(it, "calls", calls) < 0) {
			free(t.hs);
			goto oom;
		}
	}
	hist = histograms_json(&t);
	free(t.hs);
	if (!hist)
		goto oom;
	json_array_foreach(json_object_get(doc, "iterations"), i, it)
		json_object_del(it, "events");
	json_object_set_new(doc, "call_histograms", hist);
	json_object_set_new(doc, "events_left_out", json_pack("{s:I, s:s}", "rows", (json_int_t)*removed, "by",
							       "bootbench slim: per-iteration \"calls\" and \"memslots\", and \"call_histograms\", keep what compare, report, gate and plot read"));
	return 0;
oom:
	bb_errorf(err, errlen, "out of memory digesting its events");
	return -1;
}

/* a and b ascending by value; the union, counts of equal values added */
static json_t *merge_pairs(json_t *a, json_t *b)
{
	json_t *out = json_array();
	size_t i = 0, j = 0, na = json_array_size(a), nb = json_array_size(b);
	while (out && (i < na || j < nb)) {
		json_t *pa = json_array_get(a, i), *pb = json_array_get(b, j);
		double va = i < na ? json_number_value(json_array_get(pa, 0)) : 0;
		double vb = j < nb ? json_number_value(json_array_get(pb, 0)) : 0;
		json_t *next;
		if (j == nb || (i < na && va < vb)) {
			next = json_copy(pa);
			i++;
		} else if (i == na || vb < va) {
			next = json_copy(pb);
			j++;
		} else {
			next = json_pack("[f, I]", va, json_integer_value(json_array_get(pa, 1)) +
							    json_integer_value(json_array_get(pb, 1)));
			i++;
			j++;
		}
		if (json_array_append_new(out, next) < 0) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

int bb_call_histograms_merge(json_t *into, json_t *from)
{
	json_t *dst = json_object_get(into, "call_histograms");
	const char *op;
	json_t *pairs;
	if (!json_is_object(dst)) {
		dst = json_object();
		if (json_object_set_new(into, "call_histograms", dst) < 0)
			return -1;
	}
	json_object_foreach(json_object_get(from, "call_histograms"), op, pairs) {
		json_t *merged = merge_pairs(json_object_get(dst, op), pairs);
		if (!merged || json_object_set_new(dst, op, merged) < 0)
			return -1;
	}
	return 0;
}

bool bb_result_is_slim(json_t *doc)
{
	return json_is_object(json_object_get(doc, "events_left_out"));
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && s[n - k - 1] == ':' && !strcmp(s + n - k, suffix);
}

bool bb_compared_metric(const char *name, char *out, size_t len)
{
	size_t n = strlen(name);
	size_t keep = n;
	if (!strncmp(name, "op:", 3)) {
		if (ends_with(name, n, BB_CALL_LEGACY))
			keep = n - strlen(BB_CALL_LEGACY);
		else if (ends_with(name, n, BB_CALL_POOLED))
			keep = n - strlen(BB_CALL_POOLED);
	}
	int w = keep == n ? snprintf(out, len, "%s", name)
			  : snprintf(out, len, "%.*s%s", (int)keep, name, BB_CALL_MEDIAN);
	return w >= 0 && (size_t)w < len;
}

json_t *bb_summary_call_pooled(json_t *doc, const char *op)
{
	char name[192];
	snprintf(name, sizeof(name), "op:%s:" BB_CALL_POOLED, op);
	json_t *m = bb_result_metric(doc, name);
	if (m)
		return m;
	snprintf(name, sizeof(name), "op:%s:" BB_CALL_LEGACY, op);
	return bb_result_metric(doc, name);
}
