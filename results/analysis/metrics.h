/* The metrics of a run, gathered iteration by iteration: per-iteration
 * values (startup, phases, per-op totals) kept exactly, per-call
 * latencies in fixed-size histograms. */
#ifndef BOOTBENCH_METRICS_H
#define BOOTBENCH_METRICS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "histogram.h"
#include "vm.h"

struct bb_series {
	double *values;
	size_t n, cap;
};

/* Off-CPU time of one op under one kernel stack, per iteration. */
struct bb_blocked_series {
	uint16_t op;
	int32_t stack;
	struct bb_series s;
};

struct bb_run_metrics {
	size_t iterations;   /* measured: ok and not warmup */
	uint32_t *index;     /* the iteration number of each */
	size_t index_cap;
	struct bb_series startup, overhead;
	/* startup minus vCPU 0's time in KVM_RUN; its exits; KVM_RUN time per exit */
	struct bb_series vmm, exits, exit_cost;
	struct bb_series phase[BB_PHASE_COUNT];
	bool phase_seen[BB_PHASE_COUNT];
	struct bb_series op_total[BB_OP_COUNT];
	struct bb_series op_count[BB_OP_COUNT];
	struct bb_series op_offcpu[BB_OP_COUNT];
	bool op_seen[BB_OP_COUNT], op_offcpu_seen[BB_OP_COUNT];
	struct bb_histogram op_call[BB_OP_COUNT];
	struct bb_blocked_series *blocked; /* aligned with iterations, 0 where absent */
	size_t nblocked, blocked_cap;
	/* set before the summary: the function each stack id waited in */
	const char *const *stack_fn;
	size_t nstack_fn;
};

void bb_run_metrics_init(struct bb_run_metrics *m);
void bb_run_metrics_free(struct bb_run_metrics *m);
/* Adds one measured iteration; -1 if memory runs out. */
int bb_run_metrics_add(struct bb_run_metrics *m, uint32_t index, const struct bb_iteration *it);

/* Metric names as written in results: "startup", "overhead", "vmm",
 * "exits", "exit_cost", "op:KVM_SET_USER_MEMORY_REGION:offcpu",
 * "blocked:KVM_SET_USER_MEMORY_REGION:__synchronize_srcu", "phase:open",
 * "op:KVM_IOEVENTFD:total", "op:KVM_IOEVENTFD:call_pooled" (every call,
 * pooled: see call_digest.h), "op:KVM_IOEVENTFD:count". */
json_t *bb_run_metrics_summary(const struct bb_run_metrics *m);
json_t *bb_stats_to_json(const char *name, const char *unit, const char *kind,
			 const struct bb_stats *s);

#endif
