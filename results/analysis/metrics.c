#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocked.h"
#include "call_digest.h"
#include "iteration_metrics.h"

static int series_add(struct bb_series *s, double v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		double *p = realloc(s->values, cap * sizeof(*p));
		if (!p)
			return -1;
		s->values = p;
		s->cap = cap;
	}
	s->values[s->n++] = v;
	return 0;
}

void bb_run_metrics_init(struct bb_run_metrics *m)
{
	memset(m, 0, sizeof(*m));
	for (int op = 0; op < BB_OP_COUNT; op++)
		bb_histogram_init(&m->op_call[op]);
}

void bb_run_metrics_free(struct bb_run_metrics *m)
{
	free(m->index);
	free(m->startup.values);
	free(m->overhead.values);
	free(m->vmm.values);
	free(m->exits.values);
	free(m->exit_cost.values);
	for (int ph = 0; ph < BB_PHASE_COUNT; ph++)
		free(m->phase[ph].values);
	for (int op = 0; op < BB_OP_COUNT; op++) {
		free(m->op_total[op].values);
		free(m->op_count[op].values);
		free(m->op_offcpu[op].values);
	}
	for (size_t i = 0; i < m->nblocked; i++)
		free(m->blocked[i].s.values);
	free(m->blocked);
	memset(m, 0, sizeof(*m));
}

/* This iteration's off-CPU time on the critical path by (op, stack): one
 * value for every series, 0 where the pair was absent; a new pair's
 * series starts with a 0 for each earlier iteration. */
static int add_blocked(struct bb_run_metrics *m, const struct bb_iteration *it)
{
	size_t before = m->iterations - 1; /* m->iterations already counts this one */
	for (size_t k = 0; k < m->nblocked; k++)
		if (series_add(&m->blocked[k].s, 0) < 0)
			return -1;
	for (size_t i = 0; i < it->noffcpu_rows; i++) {
		const struct bb_offcpu_row *r = &it->offcpu_rows[i];
		size_t k = 0;
		while (k < m->nblocked && (m->blocked[k].op != r->op || m->blocked[k].stack != r->stack))
			k++;
		if (k == m->nblocked) {
			if (m->nblocked == m->blocked_cap) {
				size_t cap = m->blocked_cap ? m->blocked_cap * 2 : 32;
				struct bb_blocked_series *p = realloc(m->blocked, cap * sizeof(*p));
				if (!p)
					return -1;
				m->blocked = p;
				m->blocked_cap = cap;
			}
			m->blocked[k] = (struct bb_blocked_series){ .op = r->op, .stack = r->stack };
			m->nblocked++;
			for (size_t j = 0; j <= before; j++)
				if (series_add(&m->blocked[k].s, 0) < 0)
					return -1;
		}
		m->blocked[k].s.values[m->blocked[k].s.n - 1] += (double)r->total_ns;
	}
	return 0;
}

int bb_run_metrics_add(struct bb_run_metrics *m, uint32_t index, const struct bb_iteration *it)
{
	if (m->iterations == m->index_cap) {
		size_t cap = m->index_cap ? m->index_cap * 2 : 64;
		uint32_t *p = realloc(m->index, cap * sizeof(*p));
		if (!p)
			return -1;
		m->index = p;
		m->index_cap = cap;
	}
	m->index[m->iterations++] = index;
	int rc = series_add(&m->startup, (double)it->startup_ns);
	rc |= series_add(&m->overhead, (double)it->overhead_ns);
	const uint32_t exits = it->ops[BB_OP_RUN].count;
	const int64_t in_run = it->ops[BB_OP_RUN].total_ns;
	rc |= series_add(&m->vmm, (double)(it->startup_ns - in_run));
	rc |= series_add(&m->exits, exits);
	if (exits)
		rc |= series_add(&m->exit_cost, (double)in_run / exits);
	for (int ph = 0; ph < BB_PHASE_COUNT; ph++) {
		m->phase_seen[ph] |= it->phase_present[ph];
		rc |= series_add(&m->phase[ph], it->phase_present[ph] ? (double)it->phase_duration_ns[ph] : 0);
	}
	for (int op = 0; op < BB_OP_COUNT; op++) {
		m->op_seen[op] |= it->ops[op].count > 0;
		rc |= series_add(&m->op_total[op], (double)it->ops[op].total_ns);
		rc |= series_add(&m->op_count[op], it->ops[op].count);
	}
	for (int op = 0; op < BB_OP_COUNT; op++) {
		m->op_offcpu_seen[op] |= it->ops[op].offcpu_ns > 0;
		rc |= series_add(&m->op_offcpu[op], (double)it->ops[op].offcpu_ns);
	}
	uint32_t n = bb_event_log_count(it->log);
	for (uint32_t i = 0; i < n; i++) {
		const struct bb_event *e = &it->log->events[i];
		if (bb_on_critical_path(e->thread, e->op == BB_OP_RUN))
			bb_histogram_add(&m->op_call[e->op], e->duration_ns);
	}
	rc |= add_blocked(m, it);
	return rc ? -1 : 0;
}

json_t *bb_stats_to_json(const char *name, const char *unit, const char *kind,
			 const struct bb_stats *s)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
			 "name", name, "unit", unit, "kind", kind, "n", (json_int_t)s->n,
			 "min", s->min, "median", s->median, "mean", s->mean, "p90", s->p90,
			 "p99", s->p99, "max", s->max, "stddev", s->stddev, "mad", s->mad);
}

static void add_series(json_t *list, const char *name, const char *unit, const char *kind,
		       const struct bb_series *s)
{
	struct bb_stats st;
	if (bb_stats_compute(s->values, s->n, &st) == 0)
		json_array_append_new(list, bb_stats_to_json(name, unit, kind, &st));
}

/* The function a stack waited in, or "unknown" (no stack, or raw). */
static const char *stack_fn(const struct bb_run_metrics *m, int32_t stack)
{
	return stack >= 0 && (size_t)stack < m->nstack_fn && m->stack_fn[stack] ? m->stack_fn[stack] : "unknown";
}

/* "blocked:startup:<function>": a function more than one op of the
 * startup waited in, their time in it summed (an SRCU grace period waited
 * for by registrations, memslot updates and the irqchip's creation alike). */
static void add_blocked_all(json_t *list, const struct bb_run_metrics *m, double *sum)
{
	for (size_t k = 0; k < m->nblocked; k++) {
		const char *fn = stack_fn(m, m->blocked[k].stack);
		bool first = true, other_op = false;
		if (!bb_blocked_in_startup(bb_op_names[m->blocked[k].op]))
			continue;
		for (size_t j = 0; j < m->nblocked && first; j++) {
			if (!bb_blocked_in_startup(bb_op_names[m->blocked[j].op]) || strcmp(stack_fn(m, m->blocked[j].stack), fn))
				continue;
			if (j < k)
				first = false; /* done at its first series */
			else if (m->blocked[j].op != m->blocked[k].op)
				other_op = true;
		}
		if (!first || !other_op)
			continue;
		memset(sum, 0, m->iterations * sizeof(*sum));
		for (size_t j = k; j < m->nblocked; j++)
			if (bb_blocked_in_startup(bb_op_names[m->blocked[j].op]) && !strcmp(stack_fn(m, m->blocked[j].stack), fn))
				for (size_t i = 0; i < m->blocked[j].s.n && i < m->iterations; i++)
					sum[i] += m->blocked[j].s.values[i];
		char name[320];
		snprintf(name, sizeof(name), "blocked:" BB_BLOCKED_STARTUP ":%s", fn);
		struct bb_series s = { .values = sum, .n = m->iterations };
		add_series(list, name, "ns", "iteration", &s);
	}
}

/* "blocked:<op>:<function>": stacks that waited in the same function
 * are one metric, their series added up. */
static void add_blocked_summary(json_t *list, const struct bb_run_metrics *m)
{
	bool *done = calloc(m->nblocked ? m->nblocked : 1, sizeof(*done));
	double *sum = malloc((m->iterations ? m->iterations : 1) * sizeof(*sum));
	if (!done || !sum)
		goto out;
	for (size_t k = 0; k < m->nblocked; k++) {
		if (done[k])
			continue;
		const char *fn = stack_fn(m, m->blocked[k].stack);
		memset(sum, 0, m->iterations * sizeof(*sum));
		int32_t top = m->blocked[k].stack;
		double top_total = -1;
		for (size_t j = k; j < m->nblocked; j++) {
			if (m->blocked[j].op != m->blocked[k].op || strcmp(stack_fn(m, m->blocked[j].stack), fn))
				continue;
			done[j] = true;
			double total = 0;
			for (size_t i = 0; i < m->blocked[j].s.n && i < m->iterations; i++) {
				sum[i] += m->blocked[j].s.values[i];
				total += m->blocked[j].s.values[i];
			}
			if (total > top_total) {
				top_total = total;
				top = m->blocked[j].stack;
			}
		}
		char name[320];
		snprintf(name, sizeof(name), "blocked:%s:%s", bb_op_names[m->blocked[k].op], fn);
		struct bb_series s = { .values = sum, .n = m->iterations };
		size_t before = json_array_size(list);
		add_series(list, name, "ns", "iteration", &s);
		/* the stack that took the most of it, to show its callers */
		if (json_array_size(list) > before)
			json_object_set_new(json_array_get(list, before), "stack", json_integer(top));
	}
	add_blocked_all(list, m, sum);
out:
	free(done);
	free(sum);
}

json_t *bb_run_metrics_summary(const struct bb_run_metrics *m)
{
	json_t *list = json_array();
	char name[128];

	add_series(list, "startup", "ns", "iteration", &m->startup);
	add_series(list, "overhead", "ns", "iteration", &m->overhead);
	add_series(list, "vmm", "ns", "iteration", &m->vmm);
	add_series(list, "exits", "exits", "iteration", &m->exits);
	add_series(list, "exit_cost", "ns", "iteration", &m->exit_cost);
	for (int ph = 0; ph < BB_PHASE_COUNT; ph++) {
		if (!m->phase_seen[ph])
			continue;
		snprintf(name, sizeof(name), "phase:%s", bb_phase_names[ph]);
		add_series(list, name, "ns", "iteration", &m->phase[ph]);
	}
	for (int op = 0; op < BB_OP_COUNT; op++) {
		if (!m->op_seen[op])
			continue;
		snprintf(name, sizeof(name), "op:%s:total", bb_op_names[op]);
		add_series(list, name, "ns", "iteration", &m->op_total[op]);
		snprintf(name, sizeof(name), "op:%s:count", bb_op_names[op]);
		add_series(list, name, "calls", "iteration", &m->op_count[op]);
		struct bb_stats st;
		if (bb_histogram_stats(&m->op_call[op], &st) == 0) {
			snprintf(name, sizeof(name), "op:%s:" BB_CALL_POOLED, bb_op_names[op]);
			json_array_append_new(list, bb_stats_to_json(name, "ns", "call", &st));
		}
		if (m->op_offcpu_seen[op]) {
			snprintf(name, sizeof(name), "op:%s:offcpu", bb_op_names[op]);
			add_series(list, name, "ns", "iteration", &m->op_offcpu[op]);
		}
	}
	add_blocked_summary(list, m);
	return list;
}
