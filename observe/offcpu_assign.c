#include <stdlib.h>
#include <string.h>

#include "offcpu.h"

/* Events by (thread, start): a thread's timed calls do not overlap, so an
 * interval meets a run of consecutive ones. */
static const struct bb_event *sort_events;
static int by_thread_start(const void *x, const void *y)
{
	const struct bb_event *a = &sort_events[*(const uint32_t *)x], *b = &sort_events[*(const uint32_t *)y];
	if (a->thread != b->thread)
		return a->thread < b->thread ? -1 : 1;
	return (a->start_ns > b->start_ns) - (a->start_ns < b->start_ns);
}

void bb_offcpu_assign(const struct bb_offcpu_interval *iv, size_t n, struct bb_event *ev, uint32_t nev, int64_t t0)
{
	for (uint32_t i = 0; i < nev; i++) {
		ev[i].offcpu_ns = 0;
		ev[i].stack = BB_OFFCPU_NO_STACK;
	}
	if (n == 0 || nev == 0)
		return;
	uint32_t *order = malloc(nev * sizeof(*order));
	int64_t *best = calloc(nev, sizeof(*best)); /* the largest share one stack gave each event */
	if (!order || !best) {
		free(order);
		free(best);
		return;
	}
	for (uint32_t i = 0; i < nev; i++)
		order[i] = i;
	sort_events = ev;
	qsort(order, nev, sizeof(*order), by_thread_start);
	for (size_t k = 0; k < n; k++) {
		int64_t s = iv[k].start_ns - t0, e = iv[k].end_ns - t0;
		if (e <= s)
			continue;
		/* the first of the thread's events that ends after s */
		size_t lo = 0, hi = nev;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			const struct bb_event *m = &ev[order[mid]];
			if (m->thread < iv[k].thread || (m->thread == iv[k].thread && m->start_ns + m->duration_ns <= s))
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t j = lo; j < nev; j++) {
			struct bb_event *x = &ev[order[j]];
			if (x->thread != iv[k].thread || x->start_ns >= e)
				break;
			int64_t from = s > x->start_ns ? s : x->start_ns;
			int64_t to = e < x->start_ns + x->duration_ns ? e : x->start_ns + x->duration_ns;
			if (to <= from)
				continue;
			x->offcpu_ns += to - from;
			if (to - from > best[order[j]]) {
				best[order[j]] = to - from;
				x->stack = iv[k].stack;
			}
		}
	}
	free(order);
	free(best);
}
