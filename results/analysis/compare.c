#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ab_stats.h"
#include "blocked.h"
#include "call_digest.h"
#include "errorf.h"
#include "iteration_metrics.h"
#include "memslot_digest.h"
#include "printable.h"
#include "result_reader.h"

void bb_compare_opts_default(struct bb_compare_opts *o)
{
	*o = (struct bb_compare_opts){ .alpha = 0.01, .threshold_pct = 5, .confidence = 0.99,
				       .power = BB_AB_POWER, .resamples = BB_AB_RESAMPLES, .seed = 1 };
}

const char *const bb_ab_statistic_names[] = { "median", "p90" };
static const double statistic_q[] = { 0.5, 0.9 };

const char *bb_verdict_name(enum bb_verdict v)
{
	switch (v) {
	case BB_VERDICT_FASTER: return "faster";
	case BB_VERDICT_SLOWER: return "slower";
	case BB_VERDICT_ONE_SIDE: return "one side only";
	case BB_VERDICT_NEW: return "new in B";
	case BB_VERDICT_UNDETERMINED: return "undetermined";
	case BB_VERDICT_SUGGESTIVE: return "suggestive";
	default: return "no change";
	}
}

static const char *str_at(json_t *doc, const char *obj, const char *key)
{
	json_t *v = json_object_get(json_object_get(doc, obj), key);
	return json_is_string(v) ? json_string_value(v) : "?";
}

/* A field's value for a one-line message: its JSON, cut at 32 characters. */
static void short_value(json_t *v, char *buf, size_t len)
{
	char *text = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
	const char *shown = v ? (text ? text : "?") : "absent";
	if (strlen(shown) > 32)
		snprintf(buf, len, "%.29s...", shown);
	else
		snprintf(buf, len, "%s", shown);
	free(text);
}

/* The profile fields on which two profiles differ, "a 1 vs 2, b x vs y".
 * The description is prose about the rest: the name already differs. */
static void profile_differences(json_t *pa, json_t *pb, char *buf, size_t len)
{
	const char *key;
	json_t *va;
	size_t used = 0;
	buf[0] = '\0';
	json_object_foreach(pa, key, va) {
		json_t *vb = json_object_get(pb, key);
		if ((vb && json_equal(va, vb)) || !strcmp(key, "description"))
			continue;
		char ta[40], tb[40];
		short_value(va, ta, sizeof(ta));
		short_value(vb, tb, sizeof(tb));
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s %s vs %s", used ? ", " : "", key, ta, tb);
	}
}

/* The function each of a result's stacks waited in, named once a file. */
static json_t *stack_functions(json_t *doc)
{
	json_t *names = json_array(), *frames;
	size_t i;
	json_array_foreach(json_object_get(json_object_get(doc, "stacks"), "frames"), i, frames) {
		char fn[512];
		const char *name = bb_waited_in_json(frames, 0, fn, sizeof(fn));
		json_array_append_new(names, json_string(name ? name : "unknown"));
	}
	return names;
}

/* Each file is a block: one run, one process, and in the lab one boot of
 * the kernel under test. Runs on one host shift against each other (by
 * 25% in startup's time outside KVM_RUN on a shared host), so the runs,
 * not the iterations, are what a side's values vary by. A side that spans
 * several machines (a fleet's runs read back from a store) varies by
 * machine above that, and its runs on one machine are not independent:
 * then each machine is a block. */
static void assign_blocks(struct bb_side *s)
{
	const char *hosts[BB_MAX_SIDE_FILES];
	size_t nhosts = 0;
	for (size_t i = 0; i < s->ndocs; i++) {
		json_t *h = json_object_get(json_object_get(s->docs[i], "host"), "hostname");
		const char *name = json_is_string(h) ? json_string_value(h) : "";
		size_t k = 0;
		while (k < nhosts && strcmp(hosts[k], name))
			k++;
		if (k == nhosts)
			hosts[nhosts++] = name;
		s->block_of[i] = k;
	}
	s->by_host = nhosts > 1;
	if (s->by_host) {
		s->nblocks = nhosts;
		return;
	}
	for (size_t i = 0; i < s->ndocs; i++)
		s->block_of[i] = i;
	s->nblocks = s->ndocs;
}

/* Whether two runs ran one profile. A run read back from a store ("store")
 * knows its profile's name alone, so against it only names are compared. */
static bool same_profile(json_t *da, json_t *db)
{
	json_t *pa = json_object_get(da, "profile"), *pb = json_object_get(db, "profile");
	if (json_object_get(da, "store") || json_object_get(db, "store"))
		return json_equal(json_object_get(pa, "name"), json_object_get(pb, "name"));
	return json_equal(pa, pb);
}

void bb_side_init(struct bb_side *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
}

int bb_side_add(struct bb_side *s, json_t *doc, const char *path, const struct bb_compare_opts *o, FILE *warn,
		char *err, size_t errlen)
{
	if (s->ndocs == BB_MAX_SIDE_FILES) {
		bb_errorf(err, errlen, "over %d %s runs: at most %d a side", BB_MAX_SIDE_FILES, s->name, BB_MAX_SIDE_FILES);
		json_decref(doc);
		return -1;
	}
	size_t i = s->ndocs;
	s->docs[i] = doc;
	s->stack_fn[i] = stack_functions(doc);
	s->paths[s->ndocs++] = path;
	if (!json_is_true(json_object_get(doc, "complete"))) {
		if (o->strict) {
			bb_errorf(err, errlen, "%s is an incomplete run (interrupted or stopped on a failure): refused with --strict; re-run it or leave out --strict", path);
			return -1;
		}
		fprintf(warn, "warning: %s is an incomplete run; its measured iterations are used\n", path);
	}
	if (i > 0 && !o->allow_different_profiles &&
	    !same_profile(doc, s->docs[0])) {
		char diff[512];
		profile_differences(json_object_get(s->docs[0], "profile"), json_object_get(doc, "profile"), diff, sizeof(diff));
		bb_errorf(err, errlen, "the %s runs %s and %s ran different profiles (%s): pool only runs of one profile, or pass --allow-different-profiles",
			 s->name, s->paths[0], path, diff);
		return -1;
	}
	return 0;
}

int bb_side_add_named(struct bb_side *s, json_t *doc, const char *name, const struct bb_compare_opts *o,
		      FILE *warn, char *err, size_t errlen)
{
	if (s->ndocs == BB_MAX_SIDE_FILES) /* refused there, as the side is full */
		return bb_side_add(s, doc, name, o, warn, err, errlen);
	char *copy = strdup(name);
	if (!copy)
		abort(); /* a name is a few hundred bytes */
	s->owned_path[s->ndocs] = copy;
	return bb_side_add(s, doc, copy, o, warn, err, errlen);
}

int bb_side_done(struct bb_side *s, char *err, size_t errlen)
{
	if (s->ndocs == 0) {
		bb_errorf(err, errlen, "no %s result files: give them as A.json... -- B.json... or with --%s", s->name, s->name);
		return -1;
	}
	assign_blocks(s);
	return 0;
}

int bb_side_load(struct bb_side *s, const char *name, const char *const *paths, size_t n,
		 const struct bb_compare_opts *o, FILE *warn, char *err, size_t errlen)
{
	bb_side_init(s, name);
	if (n > BB_MAX_SIDE_FILES) {
		bb_errorf(err, errlen, "%zu %s files: at most %d a side", n, name, BB_MAX_SIDE_FILES);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *doc = bb_result_load(paths[i], err, errlen);
		if (!doc || bb_side_add(s, doc, paths[i], o, warn, err, errlen) < 0)
			return -1;
	}
	return bb_side_done(s, err, errlen);
}

void bb_side_free(struct bb_side *s)
{
	for (size_t i = 0; i < s->ndocs; i++) {
		json_decref(s->docs[i]);
		json_decref(s->stack_fn[i]);
		free(s->owned_path[i]);
		s->owned_path[i] = NULL;
	}
	s->ndocs = 0;
}

static bool measured(json_t *it)
{
	return json_is_true(json_object_get(it, "ok")) && !json_is_true(json_object_get(it, "warmup"));
}

/* The value of metric in one iteration; false if it has none. Phases and
 * op totals an iteration did not have count as 0: that time was not spent. */
static bool is_derived(const char *metric)
{
	return !strcmp(metric, BB_METRIC_VMM) || !strcmp(metric, BB_METRIC_EXITS) ||
	       !strcmp(metric, BB_METRIC_EXIT_COST);
}

/* vmm, exits and exit_cost from startup and vCPU 0's KVM_RUN total. */
static bool derived_value(json_t *it, const char *metric, double *out)
{
	json_t *run = json_object_get(json_object_get(it, "ops"), "KVM_RUN");
	json_t *count = json_object_get(run, "count"), *total = json_object_get(run, "total_ns");
	json_t *startup = json_object_get(it, "startup_ns");
	if (!json_is_integer(count) || !json_is_number(total) || !json_is_number(startup))
		return false;
	double exits = (double)json_integer_value(count), in_run = json_number_value(total);
	if (!strcmp(metric, BB_METRIC_EXITS))
		*out = exits;
	else if (!strcmp(metric, BB_METRIC_VMM))
		*out = json_number_value(startup) - in_run;
	else if (exits > 0)
		*out = in_run / exits;
	else
		return false;
	return true;
}

/* Whether the result captured off-CPU time (version 2, permitted). */
static bool has_offcpu(json_t *doc)
{
	return json_is_true(json_object_get(json_object_get(doc, "offcpu"), "available"));
}

/* blocked:<op>:<function>: the iteration's off-CPU time of op (or of every
 * op of the startup, for BB_BLOCKED_STARTUP) under the stacks that waited in function
 * (named from the file's own stacks). */
static bool blocked_value(json_t *doc, json_t *fns, json_t *it, const char *metric, double *out)
{
	char want[128];
	const char *fn_wanted = bb_blocked_split(metric, want, sizeof(want));
	if (!has_offcpu(doc) || !fn_wanted)
		return false;
	size_t i;
	json_t *row;
	*out = 0;
	json_array_foreach(json_object_get(json_object_get(it, "offcpu"), "stacks"), i, row) {
		const char *op = json_string_value(json_array_get(row, 1));
		json_t *stack = json_array_get(row, 0);
		bool wanted = strcmp(want, BB_BLOCKED_STARTUP) ? op && !strcmp(op, want) : op && bb_blocked_in_startup(op);
		if (!wanted || !json_is_integer(stack))
			continue;
		const char *name = json_string_value(json_array_get(fns, (size_t)json_integer_value(stack)));
		if (!strcmp(name ? name : "unknown", fn_wanted))
			*out += json_number_value(json_array_get(row, 3));
	}
	return true;
}

static bool iteration_value(json_t *doc, json_t *fns, json_t *it, const char *metric, double *out)
{
	if (is_derived(metric))
		return derived_value(it, metric, out);
	if (!strncmp(metric, "blocked:", 8))
		return blocked_value(doc, fns, it, metric, out);
	long slot;
	bool slot_offcpu;
	if (bb_memslot_metric_parse(metric, &slot, &slot_offcpu))
		return (!slot_offcpu || has_offcpu(doc)) && bb_memslot_value(it, slot, slot_offcpu, out);
	if (strcmp(metric, "startup") == 0 || strcmp(metric, "overhead") == 0) {
		char key[32];
		snprintf(key, sizeof(key), "%s_ns", metric);
		json_t *v = json_object_get(it, key);
		*out = json_is_number(v) ? json_number_value(v) : 0;
		return json_is_number(v);
	}
	if (strncmp(metric, "phase:", 6) == 0) {
		size_t i;
		json_t *ph;
		*out = 0;
		json_array_foreach(json_object_get(it, "phases"), i, ph) {
			json_t *n = json_object_get(ph, "name");
			if (json_is_string(n) && strcmp(json_string_value(n), metric + 6) == 0)
				*out = json_number_value(json_object_get(ph, "duration_ns"));
		}
		return true;
	}
	const char *colon = strrchr(metric, ':');
	if (strncmp(metric, "op:", 3) != 0 || !colon || colon == metric + 2)
		return false;
	char op[128];
	size_t oplen = (size_t)(colon - (metric + 3));
	if (oplen >= sizeof(op))
		return false;
	memcpy(op, metric + 3, oplen);
	op[oplen] = '\0';
	if (strcmp(colon, ":total") == 0) {
		json_t *v = json_object_get(json_object_get(json_object_get(it, "ops"), op), "total_ns");
		*out = json_is_number(v) ? json_number_value(v) : 0;
		return true;
	}
	if (strcmp(colon, ":offcpu") == 0) {
		json_t *v = json_object_get(json_object_get(json_object_get(it, "ops"), op), "offcpu_ns");
		*out = json_is_number(v) ? json_number_value(v) : 0;
		return has_offcpu(doc);
	}
	if (strcmp(colon, ":" BB_CALL_MEDIAN) != 0)
		return false;
	return bb_call_median(it, op, out);
}

static size_t side_iterations(const struct bb_side *s)
{
	size_t n = 0, i;
	json_t *it;
	for (size_t d = 0; d < s->ndocs; d++)
		json_array_foreach(json_object_get(s->docs[d], "iterations"), i, it)
			n += measured(it);
	return n;
}

/* The side's values of metric, block after block; block_start gets the
 * nblocks + 1 offsets. */
double *bb_side_values(const struct bb_side *s, const char *metric, size_t *n, size_t *block_start)
{
	size_t cap = side_iterations(s), i;
	double *v = malloc((cap ? cap : 1) * sizeof(double));
	json_t *it;

	*n = 0;
	if (!v)
		return NULL;
	for (size_t blk = 0; blk < s->nblocks; blk++) {
		block_start[blk] = *n;
		for (size_t d = 0; d < s->ndocs; d++) {
			if (s->block_of[d] != blk)
				continue;
			json_array_foreach(json_object_get(s->docs[d], "iterations"), i, it)
				if (measured(it) && iteration_value(s->docs[d], s->stack_fn[d], it, metric, &v[*n]))
					(*n)++;
		}
	}
	block_start[s->nblocks] = *n;
	return v;
}

/* The op of op:X:call_median. */
static bool call_median_op(const char *metric, char *op, size_t len)
{
	size_t n = strlen(metric), k = strlen(":" BB_CALL_MEDIAN);
	if (strncmp(metric, "op:", 3) || n <= 3 + k || strcmp(metric + n - k, ":" BB_CALL_MEDIAN) || n - 3 - k >= len)
		return false;
	memcpy(op, metric + 3, n - 3 - k);
	op[n - 3 - k] = '\0';
	return true;
}

static bool side_has_metric(const struct bb_side *s, const char *metric)
{
	size_t i;
	json_t *it;
	double v;
	char op[128];
	bool per_call = call_median_op(metric, op, sizeof(op));
	long slot;
	bool slot_offcpu;
	if (bb_memslot_metric_parse(metric, &slot, &slot_offcpu)) {
		for (size_t d = 0; d < s->ndocs; d++)
			json_array_foreach(json_object_get(s->docs[d], "iterations"), i, it)
				if (iteration_value(s->docs[d], NULL, it, metric, &v))
					return true;
		return false;
	}
	for (size_t d = 0; d < s->ndocs; d++) {
		if (per_call) {
			/* a result without events still names it in its summary:
			 * bb_compare then says what left the values out */
			if (bb_summary_call_pooled(s->docs[d], op))
				return true;
			json_array_foreach(json_object_get(s->docs[d], "iterations"), i, it)
				if (bb_call_median(it, op, &v))
					return true;
			continue;
		}
		if (!is_derived(metric) && bb_result_metric(s->docs[d], metric))
			return true;
		if (is_derived(metric))
			json_array_foreach(json_object_get(s->docs[d], "iterations"), i, it)
				if (derived_value(it, metric, &v))
					return true;
	}
	return false;
}

/* The metrics whose tail is compared too when every metric is. */
static bool headline(const char *metric)
{
	return !strcmp(metric, "startup") || is_derived(metric);
}

static bool compared(const char *name)
{
	size_t n = strlen(name);
	return strcmp(name, "overhead") != 0 && !(n > 6 && strcmp(name + n - 6, ":count") == 0);
}

/* memslot:N (and its off-CPU part, where captured) for every slot either
 * side made calls for, after the op's own rows: where the op's total adds
 * the slots, these keep them apart. */
static size_t add_memslot_names(const struct bb_side *a, const struct bb_side *b, const char **names, size_t n,
				size_t cap, char (*store)[BB_METRIC_NAME_MAX])
{
	long slots[BB_MEMSLOT_MAX_SLOTS];
	size_t nslots = 0, i;
	bool offcpu = false;
	json_t *it;
	const struct bb_side *sides[2] = { a, b };
	for (int k = 0; k < 2; k++)
		for (size_t d = 0; d < sides[k]->ndocs; d++) {
			offcpu |= has_offcpu(sides[k]->docs[d]);
			json_array_foreach(json_object_get(sides[k]->docs[d], "iterations"), i, it)
				if (measured(it))
					nslots = bb_memslot_slots(it, slots, nslots, BB_MEMSLOT_MAX_SLOTS);
		}
	size_t after = n; /* after the last op:KVM_SET_USER_MEMORY_REGION row */
	for (size_t k = 0; k < n; k++)
		if (!strncmp(names[k], "op:KVM_SET_USER_MEMORY_REGION:", 30))
			after = k + 1;
	for (size_t k = 0; k < nslots; k++)
		for (int part = 0; part < 1 + offcpu && n < cap; part++) {
			snprintf(store[n], BB_METRIC_NAME_MAX, BB_MEMSLOT_PREFIX "%ld%s", slots[k], part ? ":offcpu" : "");
			const char *name = store[n];
			memmove(names + after + 1, names + after, (n - after) * sizeof(*names));
			names[after++] = name;
			n++;
		}
	return n;
}

/* Every compared metric of both sides: startup and the derived ones
 * first, then A's order, with the memslots after their op. */
static size_t collect_metric_names(const struct bb_side *a, const struct bb_side *b, const char ***names,
				   char (**store)[BB_METRIC_NAME_MAX])
{
	size_t n = 0, cap = 256, i;
	json_t *m;
	const struct bb_side *sides[2] = { a, b };
	static const char *const first[] = { "startup", BB_METRIC_VMM, BB_METRIC_EXITS, BB_METRIC_EXIT_COST };
	*names = malloc(cap * sizeof(char *));
	*store = malloc(cap * sizeof(**store));
	if (!*names || !*store)
		return 0;
	for (size_t k = 0; k < sizeof(first) / sizeof(first[0]); k++)
		if (side_has_metric(a, first[k]) || side_has_metric(b, first[k]))
			(*names)[n++] = first[k];
	for (int s = 0; s < 2; s++) {
		for (size_t d = 0; d < sides[s]->ndocs; d++) {
			json_array_foreach(json_object_get(sides[s]->docs[d], "summary"), i, m) {
				const char *raw = json_string_value(json_object_get(m, "name"));
				if (!raw || !compared(raw) || n == cap || !bb_compared_metric(raw, (*store)[n], sizeof((*store)[n])))
					continue;
				bool seen = false;
				for (size_t k = 0; k < n && !seen; k++)
					seen = strcmp((*names)[k], (*store)[n]) == 0;
				if (!seen) {
					(*names)[n] = (*store)[n];
					n++;
				}
			}
		}
	}
	return add_memslot_names(a, b, *names, n, cap, *store);
}

static void fill_row(struct bb_compare_row *r, const char *name, enum bb_ab_statistic stat,
		     const struct bb_ab_sample *sa, const struct bb_ab_sample *sb, const struct bb_compare_opts *o)
{
	memset(r, 0, sizeof(*r));
	/* names come from result files: what is printed is escaped */
	bb_printable(name, r->name, sizeof(r->name));
	snprintf(r->label, sizeof(r->label), "%s%s%s", r->name, stat == BB_STAT_MEDIAN ? "" : " ",
		 stat == BB_STAT_MEDIAN ? "" : bb_ab_statistic_names[stat]);
	r->stat = stat;
	size_t len = strlen(name);
	char op[128];
	r->per_call = call_median_op(name, op, sizeof(op));
	r->count = !strcmp(name, BB_METRIC_EXITS) || (len > 6 && !strcmp(name + len - 6, ":count"));
	r->na = sa->n;
	r->nb = sb->n;
	r->ci_lo_pct = r->ci_hi_pct = r->p = r->mde_pct = NAN;
	if (sa->n == 0 || sb->n == 0) {
		r->a = r->b = r->change_pct = NAN;
		r->verdict = BB_VERDICT_ONE_SIDE;
		return;
	}
	double q = statistic_q[stat];
	double *tmp = malloc((sa->n > sb->n ? sa->n : sb->n) * sizeof(double));
	memcpy(tmp, sa->v, sa->n * sizeof(double));
	r->a = bb_quantile_inplace(tmp, sa->n, q);
	memcpy(tmp, sb->v, sb->n * sizeof(double));
	r->b = bb_quantile_inplace(tmp, sb->n, q);
	free(tmp);
	if (r->a == 0)
		r->change_pct = r->b == 0 ? 0 : INFINITY;
	else
		r->change_pct = 100 * (r->b / r->a - 1);
	struct bb_ab_estimate e;
	if (bb_ab_bootstrap(sa, sb, q, o->resamples, o->confidence, o->seed, &e) == 0) {
		r->ci_lo_pct = 100 * (e.lo - 1);
		r->ci_hi_pct = 100 * (e.hi - 1);
		r->p = e.p;
		if (isfinite(e.sd_log))
			r->mde_pct = 100 * expm1(bb_mde_log(e.sd_log, o->alpha, o->power));
	}
	r->verdict = bb_verdict_of(r->a, r->b, r->change_pct, r->p, o);
	if (stat == BB_STAT_MEDIAN) {
		bb_modes_find(sa->v, sa->n, &r->modes_a);
		bb_modes_find(sb->v, sb->n, &r->modes_b);
	}
}

enum bb_verdict bb_verdict_of(double a, double b, double change_pct, double p, const struct bb_compare_opts *o)
{
	bool beyond = fabs(change_pct) > o->threshold_pct;
	if (a == 0 && b > 0)
		return BB_VERDICT_NEW;
	if (a == 0 && b == 0)
		return BB_VERDICT_NO_CHANGE; /* neither side spent any */
	if (isnan(p))
		return BB_VERDICT_UNDETERMINED;
	if (p < o->alpha && beyond)
		return change_pct > 0 ? BB_VERDICT_SLOWER : BB_VERDICT_FASTER;
	if (p < BB_SUGGESTIVE_P && beyond)
		return BB_VERDICT_SUGGESTIVE;
	return BB_VERDICT_NO_CHANGE;
}

/* ": 3 runs" after each value of a side that holds several (hosts,
 * kernels, label sets): what a pooled side, or a store's selection,
 * matched, counted */
static void run_count(char *buf, size_t len, size_t *used, size_t runs, size_t distinct)
{
	if (distinct > 1 && *used < len)
		*used += (size_t)snprintf(buf + *used, len - *used, ": %zu run%s", runs, runs == 1 ? "" : "s");
}

static size_t distinct_values(const struct bb_side *s, const char *obj, const char *key)
{
	size_t n = 0;
	for (size_t d = 0; d < s->ndocs; d++) {
		bool seen = false;
		for (size_t e = 0; e < d && !seen; e++)
			seen = strcmp(str_at(s->docs[e], obj, key), str_at(s->docs[d], obj, key)) == 0;
		n += !seen;
	}
	return n;
}

static void join_values(const struct bb_side *s, const char *obj, const char *key, char *buf, size_t len)
{
	size_t used = 0, distinct = distinct_values(s, obj, key);
	buf[0] = '\0';
	for (size_t d = 0; d < s->ndocs; d++) {
		const char *v = str_at(s->docs[d], obj, key);
		bool seen = false;
		for (size_t e = 0; e < d && !seen; e++)
			seen = strcmp(str_at(s->docs[e], obj, key), v) == 0;
		if (seen || used >= len)
			continue;
		size_t runs = 0;
		for (size_t e = d; e < s->ndocs; e++)
			runs += strcmp(str_at(s->docs[e], obj, key), v) == 0;
		char safe[256];
		bb_printable(v, safe, sizeof(safe));
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " | " : "", safe);
		run_count(buf, len, &used, runs, distinct);
	}
}

/* "k=v k2=v2" of one file, or "(none)". */
static void labels_of(json_t *doc, char *buf, size_t len)
{
	size_t used = 0;
	const char *k;
	json_t *v;
	buf[0] = '\0';
	json_object_foreach(json_object_get(doc, "labels"), k, v) {
		char sk[128], sv[256];
		bb_printable(k, sk, sizeof(sk));
		bb_printable(json_is_string(v) ? json_string_value(v) : "?", sv, sizeof(sv));
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "", sk, sv);
	}
	if (!used)
		snprintf(buf, len, "(none)");
}

/* Every distinct label set of a side, " | " between them, each with its
 * runs when there are several. */
static void join_labels(const struct bb_side *s, char *buf, size_t len, size_t *distinct)
{
	char seen[BB_MAX_SIDE_FILES][256];
	size_t runs[BB_MAX_SIDE_FILES], used = 0;
	*distinct = 0;
	buf[0] = '\0';
	for (size_t d = 0; d < s->ndocs; d++) {
		labels_of(s->docs[d], seen[*distinct], sizeof(seen[0]));
		size_t e = 0;
		while (e < *distinct && strcmp(seen[e], seen[*distinct]))
			e++;
		if (e == *distinct)
			runs[(*distinct)++] = 0;
		runs[e]++;
	}
	for (size_t e = 0; e < *distinct; e++) {
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " | " : "", seen[e]);
		run_count(buf, len, &used, runs[e], *distinct);
	}
}

static void list_files(const struct bb_side *s, char side, struct bb_comparison *c)
{
	for (size_t d = 0; d < s->ndocs; d++) {
		struct bb_file_row *f = &c->files[c->nfiles++];
		f->side = side;
		f->path = s->paths[d];
		f->block = s->block_of[d];
		bb_printable(str_at(s->docs[d], "host", "kernel_release"), f->kernel, sizeof(f->kernel));
		labels_of(s->docs[d], f->labels, sizeof(f->labels));
	}
}

/* Measured inside an emulated host: by run --host emulated (its
 * "emulated" object), or labelled so by the lab and the emulated-host tests. */
static bool is_emulated(json_t *doc)
{
	return json_is_object(json_object_get(doc, "emulated")) ||
	       json_object_get(json_object_get(doc, "labels"), "emulated") != NULL;
}

static size_t count_emulated(const struct bb_side *s)
{
	size_t n = 0;
	for (size_t d = 0; d < s->ndocs; d++)
		n += is_emulated(s->docs[d]);
	return n;
}

/* One line for a side that pools different labels or kernels, or
 * emulated and hardware hosts. */
static void note_mixed(const struct bb_side *s, const char *labels, size_t nlabels, char *buf, size_t len)
{
	size_t kernels = distinct_values(s, "host", "kernel_release");
	size_t emulated = count_emulated(s);
	buf[0] = '\0';
	if (emulated && emulated < s->ndocs) {
		snprintf(buf, len, "the %s side pools %zu result%s from emulated hosts with %zu from hardware: emulation's absolute times are not hardware's; pool results of one kind of host",
			 s->name, emulated, emulated == 1 ? "" : "s", s->ndocs - emulated);
		return;
	}
	if (nlabels < 2 && kernels < 2)
		return;
	char k[256];
	join_values(s, "host", "kernel_release", k, sizeof(k));
	snprintf(buf, len, "the %s side pools %s%s%s%s%s: check that each file is on the side meant", s->name,
		 kernels > 1 ? "kernels " : "", kernels > 1 ? k : "", kernels > 1 && nlabels > 1 ? " and " : "",
		 nlabels > 1 ? "labels " : "", nlabels > 1 ? labels : "");
}

static void build_context(const struct bb_side *a, const struct bb_side *b, struct bb_comparison *c)
{
	static const struct { const char *field, *obj, *key; } fields[] = {
		{ "kernel", "host", "kernel_release" }, { "CONFIG_HZ", "host", "config_hz" },
		{ "arch", "host", "arch" },             { "cpu", "host", "cpu_model" },
		{ "host", "host", "hostname" },         { "bootbench", "bootbench", "version" },
		{ "commit", "bootbench", "commit" },    { "profile", "profile", "name" },
	};
	struct bb_context_row *r = &c->context[c->ncontext++];
	size_t la, lb;
	snprintf(r->field, sizeof(r->field), "labels");
	join_labels(a, r->a, sizeof(r->a), &la);
	join_labels(b, r->b, sizeof(r->b), &lb);
	r->differs = strcmp(r->a, r->b) != 0;
	note_mixed(a, r->a, la, c->mixed[0], sizeof(c->mixed[0]));
	note_mixed(b, r->b, lb, c->mixed[1], sizeof(c->mixed[1]));
	size_t ea = count_emulated(a), eb = count_emulated(b);
	c->mixed[2][0] = '\0';
	if ((ea == a->ndocs && eb == 0) || (ea == 0 && eb == b->ndocs))
		snprintf(c->mixed[2], sizeof(c->mixed[2]),
			 "the %s was measured in an emulated host and the %s on hardware: emulation's absolute times are not hardware's, so every change below mixes the two; compare results of one kind of host",
			 ea ? a->name : b->name, ea ? b->name : a->name);
	list_files(a, 'A', c);
	list_files(b, 'B', c);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		r = &c->context[c->ncontext++];
		snprintf(r->field, sizeof(r->field), "%s", fields[i].field);
		join_values(a, fields[i].obj, fields[i].key, r->a, sizeof(r->a));
		join_values(b, fields[i].obj, fields[i].key, r->b, sizeof(r->b));
		r->differs = strcmp(r->a, r->b) != 0;
	}
	if (ea || eb) { /* shown where emulation is in play */
		r = &c->context[c->ncontext++];
		snprintf(r->field, sizeof(r->field), "host kind");
		snprintf(r->a, sizeof(r->a), "%s", ea == 0 ? "hardware" : ea == a->ndocs ? "emulated" : "emulated and hardware");
		snprintf(r->b, sizeof(r->b), "%s", eb == 0 ? "hardware" : eb == b->ndocs ? "emulated" : "emulated and hardware");
		r->differs = strcmp(r->a, r->b) != 0;
	}
	r = &c->context[c->ncontext++];
	snprintf(r->field, sizeof(r->field), "profile fields");
	if (json_equal(json_object_get(a->docs[0], "profile"), json_object_get(b->docs[0], "profile"))) {
		snprintf(r->a, sizeof(r->a), "same");
		snprintf(r->b, sizeof(r->b), "same");
	} else {
		profile_differences(json_object_get(a->docs[0], "profile"), json_object_get(b->docs[0], "profile"), r->a, sizeof(r->a));
		snprintf(r->b, sizeof(r->b), "(A vs B)");
		r->differs = true;
	}
}

static const struct bb_comparison *sort_ctx;
static int by_moved(const void *x, const void *y)
{
	const struct bb_compare_row *a = &sort_ctx->rows[*(const size_t *)x];
	const struct bb_compare_row *b = &sort_ctx->rows[*(const size_t *)y];
	double da = fabs(a->b - a->a), db = fabs(b->b - b->a);
	return (da < db) - (da > db);
}

int bb_compare(const struct bb_side *a, const struct bb_side *b, const struct bb_compare_opts *o,
	       const char *const *metrics, size_t nmetrics, struct bb_comparison *out, char *err,
	       size_t errlen)
{
	memset(out, 0, sizeof(*out));
	json_t *pa = json_object_get(a->docs[0], "profile"), *pb = json_object_get(b->docs[0], "profile");
	if (!o->allow_different_profiles && !same_profile(a->docs[0], b->docs[0])) {
		char diff[512];
		profile_differences(pa, pb, diff, sizeof(diff));
		bb_errorf(err, errlen, "baseline and candidate ran different profiles (%s): comparing them is usually a mistake; pass --allow-different-profiles if it is meant",
			 diff);
		return -1;
	}
	out->iterations_a = side_iterations(a);
	out->iterations_b = side_iterations(b);
	uint32_t need = bb_min_n_for_alpha(o->alpha);
	if (out->iterations_a < need || out->iterations_b < need) {
		bool a_short = out->iterations_a < need;
		bb_errorf(err, errlen, "too few iterations for alpha %g: the %s side (%s) has %zu measured, and no two-sample test reaches p < %g with fewer than %u a side; run more --iterations or raise --alpha",
			 o->alpha, a_short ? a->name : b->name, a_short ? a->paths[0] : b->paths[0],
			 a_short ? out->iterations_a : out->iterations_b, o->alpha, need);
		return -1;
	}
	const char **names = NULL;
	char (*store)[BB_METRIC_NAME_MAX] = NULL;
	size_t n;
	if (metrics) {
		names = malloc((nmetrics ? nmetrics : 1) * sizeof(char *));
		store = malloc((nmetrics ? nmetrics : 1) * sizeof(*store));
		for (n = 0; n < nmetrics; n++) {
			if (!bb_compared_metric(metrics[n], store[n], sizeof(store[n]))) {
				bb_errorf(err, errlen, "metric '%.60s...' is too long: name a metric of the results, e.g. vmm or op:KVM_IOEVENTFD:total", metrics[n]);
				free(names);
				free(store);
				return -1;
			}
			const char *metric = store[n];
			const struct bb_side *missing = !side_has_metric(a, metric) ? a
							: !side_has_metric(b, metric) ? b : NULL;
			if (missing && json_object_get(missing->docs[0], "store") && strstr(metric, ":call")) {
				bb_errorf(err, errlen, "metric '%s' is a per-call latency, which a results store does not hold (only each iteration's op totals and counts): compare the %s's result files for it",
					 metrics[n], missing->name);
				free(names);
				free(store);
				return -1;
			}
			if (missing) {
				bb_errorf(err, errlen, "metric '%s' is not in the %s results (%s): name a metric both sides have, e.g. vmm, startup, phase:guest_init, op:KVM_IOEVENTFD:total",
					 metrics[n], missing->name, missing->paths[0]);
				free(names);
				free(store);
				return -1;
			}
			names[n] = metric;
		}
	} else {
		n = collect_metric_names(a, b, &names, &store);
	}
	out->named = metrics != NULL;
	out->blocks_a = a->nblocks;
	out->blocks_b = b->nblocks;
	out->by_host_a = a->by_host;
	out->by_host_b = b->by_host;
	out->rows = calloc(n ? 2 * n : 1, sizeof(*out->rows));
	size_t ba[BB_MAX_SIDE_FILES + 1], bbk[BB_MAX_SIDE_FILES + 1];
	for (size_t i = 0; i < n; i++) {
		struct bb_ab_sample sa = { .block_start = ba, .nblocks = a->nblocks };
		struct bb_ab_sample sb = { .block_start = bbk, .nblocks = b->nblocks };
		double *va = bb_side_values(a, names[i], &sa.n, ba), *vb = bb_side_values(b, names[i], &sb.n, bbk);
		sa.v = va;
		sb.v = vb;
		for (int stat = BB_STAT_MEDIAN; stat <= BB_STAT_P90; stat++) {
			if (stat == BB_STAT_P90 && !metrics && !headline(names[i]))
				continue;
			struct bb_compare_row *r = &out->rows[out->nrows++];
			fill_row(r, names[i], (enum bb_ab_statistic)stat, &sa, &sb, o);
			if (metrics && r->verdict == BB_VERDICT_ONE_SIDE) {
				const struct bb_side *empty = sa.n == 0 ? a : b;
				bb_errorf(err, errlen, "metric '%s' has no values in the %s results (%s): per-call metrics need the events that --no-events leaves out; gate a metric both sides measured",
					 names[i], empty->name, empty->paths[0]);
			} else if (metrics && isnan(r->p)) {
				bb_errorf(err, errlen, "metric '%s': its baseline %s is 0 in the data or in resamples of it (%s), so there is no ratio; gate a metric the baseline spends time on",
					 names[i], bb_ab_statistic_names[r->stat], a->paths[0]);
			} else {
				continue;
			}
			free(va);
			free(vb);
			free(names);
			free(store);
			bb_comparison_free(out);
			return -1;
		}
		free(va);
		free(vb);
	}
	free(names);
	free(store);
	out->moved = malloc((out->nrows ? out->nrows : 1) * sizeof(size_t));
	for (size_t i = 0; i < out->nrows; i++) {
		const char *nm = out->rows[i].name;
		size_t len = strlen(nm);
		if (strncmp(nm, "op:", 3) == 0 && len > 6 && strcmp(nm + len - 6, ":total") == 0 &&
		    out->rows[i].stat == BB_STAT_MEDIAN && out->rows[i].verdict != BB_VERDICT_ONE_SIDE)
			out->moved[out->nmoved++] = i;
	}
	out->waited = malloc((out->nrows ? out->nrows : 1) * sizeof(size_t));
	char op[128];
	for (size_t i = 0; i < out->nrows; i++)
		if (bb_blocked_split(out->rows[i].name, op, sizeof(op)) && strcmp(op, BB_BLOCKED_STARTUP) &&
		    out->rows[i].stat == BB_STAT_MEDIAN && out->rows[i].verdict != BB_VERDICT_ONE_SIDE)
			out->waited[out->nwaited++] = i;
	sort_ctx = out;
	qsort(out->moved, out->nmoved, sizeof(size_t), by_moved);
	qsort(out->waited, out->nwaited, sizeof(size_t), by_moved);
	build_context(a, b, out);
	return 0;
}

void bb_comparison_free(struct bb_comparison *c)
{
	free(c->rows);
	free(c->moved);
	free(c->waited);
	memset(c, 0, sizeof(*c));
}

const struct bb_compare_row *bb_comparison_row(const struct bb_comparison *c, const char *name,
					       enum bb_ab_statistic stat)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].name, name) == 0 && c->rows[i].stat == stat)
			return &c->rows[i];
	return NULL;
}

void bb_comparison_method(const struct bb_comparison *c, char *buf, size_t len)
{
	if (c->by_host_a || c->by_host_b)
		snprintf(buf, len, "resampled by %s (%zu baseline, %zu candidate; a side that spans several machines varies by machine, and its runs on one are not independent), then by iteration within each",
			 c->by_host_a && c->by_host_b ? "machine" : c->by_host_a ? "machine on the baseline, by run on the candidate" : "run on the baseline, by machine on the candidate",
			 c->blocks_a, c->blocks_b);
	else if (c->blocks_a > 1 || c->blocks_b > 1)
		snprintf(buf, len, "resampled by run (%zu baseline, %zu candidate; a file is a run, in the lab a boot), then by iteration within each",
			 c->blocks_a, c->blocks_b);
	else
		snprintf(buf, len, "one run a side: resampled by iteration; a shift between runs cannot be told from an effect, so alternate several runs a side (A B A B ...) to have it measured");
}
