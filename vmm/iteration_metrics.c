#include "iteration_metrics.h"

#include <stdatomic.h>
#include <stdlib.h>

static int on_critical_path(const struct bb_event *e)
{
	return bb_on_critical_path(e->thread, e->op == BB_OP_RUN);
}

static int by_start(const void *a, const void *b)
{
	const struct bb_event *x = *(const struct bb_event *const *)a;
	const struct bb_event *y = *(const struct bb_event *const *)b;
	return (x->start_ns > y->start_ns) - (x->start_ns < y->start_ns);
}

static int by_offcpu_total(const void *x, const void *y)
{
	const struct bb_offcpu_row *a = x, *b = y;
	return (a->total_ns < b->total_ns) - (a->total_ns > b->total_ns);
}

/* The critical path's off-CPU time by (stack, op), once, for the result
 * file and the run's metrics alike. */
static void group_offcpu(struct bb_iteration *it, const struct bb_event_log *log, struct bb_offcpu_row **rows, size_t *cap)
{
	size_t n = 0;
	uint32_t count = bb_event_log_count(log);
	for (uint32_t i = 0; i < count; i++) {
		const struct bb_event *e = &log->events[i];
		if (e->offcpu_ns <= 0 || !on_critical_path(e))
			continue;
		size_t k = 0;
		while (k < n && ((*rows)[k].stack != e->stack || (*rows)[k].op != e->op))
			k++;
		if (k == n) {
			if (n == *cap) {
				size_t grown = n ? 2 * n : 32;
				struct bb_offcpu_row *p = realloc(*rows, grown * sizeof(*p));
				if (!p)
					continue; /* the events keep it, the table does not */
				*rows = p;
				*cap = grown;
			}
			(*rows)[n++] = (struct bb_offcpu_row){ e->stack, e->op, 0, 0 };
		}
		(*rows)[k].calls++;
		(*rows)[k].total_ns += e->offcpu_ns;
	}
	if (n)
		qsort(*rows, n, sizeof(**rows), by_offcpu_total);
	it->offcpu_rows = (*rows);
	it->noffcpu_rows = n;
}

/* Per-op totals over the boot's critical path (on_critical_path()) and the startup time spent outside every timed
 * operation: the VMM's and the harness's own work. */
void bb_iteration_derive(struct bb_iteration *it, const struct bb_event_log *log, struct bb_offcpu_row **rows, size_t *cap)
{
	uint32_t n = bb_event_log_count(log);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	const struct bb_event **path = malloc((n ? n : 1) * sizeof(*path));
	uint32_t m = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct bb_event *e = &log->events[i];
		if (!on_critical_path(e))
			continue;
		it->ops[e->op].count++;
		it->ops[e->op].total_ns += e->duration_ns;
		it->ops[e->op].offcpu_ns += e->offcpu_ns;
		if (path)
			path[m++] = e;
	}
	it->events_dropped = atomic_load(&log->dropped);
	group_offcpu(it, log, rows, cap);
	if (!path || !it->ok)
		goto out;
	qsort(path, m, sizeof(*path), by_start); /* NOLINT(bugprone-sizeof-expression): pointers */
	int64_t covered = 0, reach = 0;
	for (uint32_t i = 0; i < m; i++) {
		int64_t s = path[i]->start_ns, e = s + path[i]->duration_ns;
		if (s >= it->startup_ns)
			break;
		if (e > it->startup_ns)
			e = it->startup_ns;
		if (s < reach)
			s = reach;
		if (e > s) {
			covered += e - s;
			reach = e;
		}
	}
	it->overhead_ns = it->startup_ns - covered;
out:
	free(path);
}

