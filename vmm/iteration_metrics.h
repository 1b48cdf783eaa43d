/* What an iteration's events add up to: per-op totals and off-CPU time
 * over the boot's critical path, the table of where it waited, and the
 * startup time outside every timed call. run derives them from its own
 * events, trace from the calls it saw. */
#ifndef BOOTBENCH_ITERATION_METRICS_H
#define BOOTBENCH_ITERATION_METRICS_H

#include <stddef.h>

#include "event_log.h"
#include "vm.h"

/* it->ok and it->startup_ns set; rows: the off-CPU table's storage,
 * grown as needed and kept across iterations (it->offcpu_rows points in). */
void bb_iteration_derive(struct bb_iteration *it, const struct bb_event_log *log, struct bb_offcpu_row **rows, size_t *cap);

#endif
