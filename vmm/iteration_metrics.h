/* What an iteration's events add up to: per-op totals and off-CPU time
 * over the boot's critical path, the table of where it waited, and the
 * startup time outside every timed call. run derives them from its own
 * events, trace from the calls it saw. */
#ifndef BOOTBENCH_ITERATION_METRICS_H
#define BOOTBENCH_ITERATION_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "event_log.h"
#include "vm.h"

/* Whether a call is on the boot's critical path: the main thread's,
 * vCPU 0's, and every other vCPU's call but KVM_RUN (a Linux guest probes
 * its devices on whichever vCPU its init thread runs, and that vCPU waits
 * in the registrations its DRIVER_OK causes; counting every vCPU's
 * KVM_RUN would count the guest's time once per vCPU). */
static inline bool bb_on_critical_path(int thread, bool is_run)
{
	return thread == BB_THREAD_MAIN || thread == 0 || !is_run;
}

/* it->ok and it->startup_ns set; rows: the off-CPU table's storage,
 * grown as needed and kept across iterations (it->offcpu_rows points in). */
void bb_iteration_derive(struct bb_iteration *it, const struct bb_event_log *log, struct bb_offcpu_row **rows, size_t *cap);

#endif
