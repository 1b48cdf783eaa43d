/* What the off-CPU capture and bootbench trace share of perf_event: the
 * syscall, and reading a mapped ring buffer record by record. */
#ifndef BOOTBENCH_PERF_RING_H
#define BOOTBENCH_PERF_RING_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The largest record (its size is a u16), what walk's scratch must hold. */
#define BB_PERF_RECORD_MAX (1u << 16)

long bb_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group, unsigned long flags);

/* Calls fn on each record between the ring's tail and head, oldest
 * first, each copied whole into record (one may wrap around the ring's
 * end). base is the mapping (its first page the metadata), bytes the data
 * area's size. consume: and then frees their space for the kernel; else
 * a later walk sees them again. */
void bb_perf_ring_walk(void *base, size_t page, size_t bytes, uint8_t *record, bool consume,
		       void (*fn)(void *arg, const struct perf_event_header *h), void *arg);

#endif
