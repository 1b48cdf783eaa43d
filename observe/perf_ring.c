#include "perf_ring.h"

#include <sys/syscall.h>
#include <unistd.h>

long bb_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group, unsigned long flags)
{
	return syscall(SYS_perf_event_open, attr, pid, cpu, group, flags);
}

void bb_perf_ring_walk(void *base, size_t page, size_t bytes, uint8_t *record, bool consume,
		       void (*fn)(void *arg, const struct perf_event_header *h), void *arg)
{
	struct perf_event_mmap_page *meta = base;
	const uint8_t *data = (const uint8_t *)base + page;
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = meta->data_tail;
	while (tail < head) {
		struct perf_event_header h;
		size_t at = (size_t)(tail % bytes);
		for (size_t i = 0; i < sizeof(h); i++)
			((uint8_t *)&h)[i] = data[(at + i) % bytes];
		if (h.size < sizeof(h) || tail + h.size > head)
			break;
		for (size_t i = 0; i < h.size; i++)
			record[i] = data[(at + i) % bytes];
		fn(arg, (const struct perf_event_header *)record);
		tail += h.size;
	}
	if (consume)
		__atomic_store_n(&meta->data_tail, head, __ATOMIC_RELEASE);
}
