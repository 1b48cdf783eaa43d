#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	}
	memset(m, 0, sizeof(*m));
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
	uint32_t n = bb_event_log_count(it->log);
	for (uint32_t i = 0; i < n; i++) {
		const struct bb_event *e = &it->log->events[i];
		if (e->thread == BB_THREAD_MAIN || e->thread == 0)
			bb_histogram_add(&m->op_call[e->op], e->duration_ns);
	}
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
			snprintf(name, sizeof(name), "op:%s:call", bb_op_names[op]);
			json_array_append_new(list, bb_stats_to_json(name, "ns", "call", &st));
		}
	}
	return list;
}
