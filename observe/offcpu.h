/* Off-CPU time and the kernel stack each thread blocked in, from the
 * kernel's perf_event interface.
 *
 * One software context-switch event (a sample with the kernel callchain
 * at every switch-out, and PERF_RECORD_SWITCH records for every switch)
 * is opened on the main thread with inherit, so the vCPU threads each
 * iteration creates carry it too, and its output is redirected into one
 * ring buffer that was mapped before any timed work. Timestamps are on
 * bootbench's own clock (CLOCK_MONOTONIC_RAW), so each interval falls
 * inside the timed call that contains it. The ring is drained after the
 * iteration: the timed path gains no allocation and no syscall. */
#ifndef BOOTBENCH_OFFCPU_H
#define BOOTBENCH_OFFCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_log.h"

#define BB_OFFCPU_NO_STACK (-1)

/* One stretch a thread spent switched out, on bootbench's clock. */
struct bb_offcpu_interval {
	int64_t start_ns, end_ns; /* CLOCK_MONOTONIC_RAW */
	int32_t stack;            /* into the run's stack table, or BB_OFFCPU_NO_STACK */
	int32_t tid;
	int16_t thread;           /* vCPU index, or BB_THREAD_MAIN (always, when following) */
};

struct bb_offcpu;

/* Opens the events on the calling thread, which must be the one that
 * runs the iterations. NULL where the host does not permit it, with one
 * line in reason saying why and how to permit it. */
struct bb_offcpu *bb_offcpu_open(char *reason, size_t len);
void bb_offcpu_free(struct bb_offcpu *o);

/* Follows another process from the next begin on: its threads and every
 * process it forks, and their threads (bootbench trace). Each interval
 * then names its thread by tid only. pid 0 goes back to the calling
 * process, whose k-th new thread is vCPU k. */
void bb_offcpu_follow(struct bb_offcpu *o, int32_t pid);

/* Around one iteration: begin before its clock starts, end after its
 * teardown. end disables the events, drains the ring and returns the
 * iteration's intervals (valid until the next begin) and the records the
 * ring lost. */
int bb_offcpu_begin(struct bb_offcpu *o);
int bb_offcpu_end(struct bb_offcpu *o, const struct bb_offcpu_interval **iv, size_t *n, uint64_t *lost);

/* The run's stacks: raw kernel return addresses, innermost first. */
size_t bb_offcpu_nstacks(const struct bb_offcpu *o);
const uint64_t *bb_offcpu_stack(const struct bb_offcpu *o, size_t id, size_t *depth);

/* Gives each event of ev the off-CPU time of its thread inside it, and
 * the stack that took the most of it; t0 is the log's clock origin. An
 * interval that spans two events is split between them; one that falls
 * in no event is attributed to none. */
void bb_offcpu_assign(const struct bb_offcpu_interval *iv, size_t n, struct bb_event *ev, uint32_t nev, int64_t t0);

#endif
