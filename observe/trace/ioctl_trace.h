/* Every KVM ioctl of another process tree, from the kernel's syscall
 * tracepoints (sys_enter_ioctl, sys_exit_ioctl) through perf_event: one
 * set of per-CPU rings, filled by the kernel with no help from the traced
 * process, which runs unmodified and unstopped. Each call's start and end
 * are the tracepoints' times on bootbench's clock (CLOCK_MONOTONIC_RAW);
 * arguments in a struct are read from the bytes of the caller's stack the
 * kernel copies at entry (trace_requests.h).
 *
 * System-wide per-CPU events, as the off-CPU capture uses: an inherited
 * per-task event cannot be mapped, and the tree's threads are picked out
 * by their fork records as the rings are drained. */
#ifndef BOOTBENCH_IOCTL_TRACE_H
#define BOOTBENCH_IOCTL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_log.h"

struct bb_ioctl_trace;

struct bb_trace_facts {
	uint32_t calls;       /* KVM calls that finished */
	uint32_t unfinished;  /* still in the kernel at the end: not recorded */
	uint64_t lost;        /* records the rings lost */
	int64_t first_run_ns; /* the first KVM_RUN's entry, finished or not, since log->t0; -1 */
	uint32_t vcpus;       /* vCPU fds created */
	uint32_t processes;   /* in the traced tree */
};

/* NULL where the host does not permit it, with one line in reason that
 * says why and how to permit it. */
struct bb_ioctl_trace *bb_ioctl_trace_open(char *reason, size_t len);
void bb_ioctl_trace_free(struct bb_ioctl_trace *t);

/* Starts tracing root (a process that has not exec'd yet) and what it forks. */
int bb_ioctl_trace_begin(struct bb_ioctl_trace *t, int32_t root);
/* Empties the rings into memory; call it often while the command runs. */
void bb_ioctl_trace_poll(struct bb_ioctl_trace *t);
/* Whether the tree has entered KVM_RUN, in what was polled so far, and
 * when first (CLOCK_MONOTONIC_RAW). */
bool bb_ioctl_trace_first_run(const struct bb_ioctl_trace *t, int64_t *time);
/* Stops, drains and pairs: every finished KVM call of the tree goes into
 * log, in start order, times relative to log->t0. -1 when log is full. */
int bb_ioctl_trace_end(struct bb_ioctl_trace *t, struct bb_event_log *log, struct bb_trace_facts *f);
/* After end: the vCPU whose fd the thread ran KVM_RUN on, or BB_THREAD_MAIN. */
int16_t bb_ioctl_trace_thread(const struct bb_ioctl_trace *t, int32_t tid);

#endif
