/* Comparing results without (A, the baseline) and with (B, the candidate)
 * a change. Each row is one estimand, the ratio of a statistic (median or
 * p90) of a metric, with its bootstrap CI, its p-value, the smallest
 * change this n and this noise can detect, and a verdict; then where the
 * time moved between ops, and what differs between the sides' contexts. */
#ifndef BOOTBENCH_COMPARE_H
#define BOOTBENCH_COMPARE_H

#include <jansson.h>

#include "modes.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BB_MAX_SIDE_FILES 64

/* Derived from every result's iterations, so results of any bootbench
 * version have them: the critical path's time outside KVM_RUN (where a
 * registration or memslot regression lands), the vCPU 0 exits, and the
 * time per exit (a property of the host that flips between states). */
#define BB_METRIC_NAME_MAX 160
#define BB_METRIC_VMM "vmm"
#define BB_METRIC_EXITS "exits"
#define BB_METRIC_EXIT_COST "exit_cost"
/* The gate's default: the VMM's own time, centre and tail. */
#define BB_DEFAULT_GATE_METRIC BB_METRIC_VMM

/* One side: several result files, pooled; each file (a run) is a block. */
struct bb_side {
	const char *name; /* "baseline" or "candidate" */
	json_t *docs[BB_MAX_SIDE_FILES];
	const char *paths[BB_MAX_SIDE_FILES];
	size_t block_of[BB_MAX_SIDE_FILES]; /* block number of each file */
	json_t *stack_fn[BB_MAX_SIDE_FILES]; /* each file's stacks: the function each waited in */
	char *owned_path[BB_MAX_SIDE_FILES];  /* the names the side made itself (bb_side_add_named) */
	size_t ndocs, nblocks;
	bool by_host; /* the side spans several machines: each is a block */
};

struct bb_compare_opts {
	double alpha;         /* a change needs p < alpha (0.01) */
	double threshold_pct; /* and |change| above this, in % (5) */
	double confidence;    /* of the CI: 1 - alpha, so the interval shown is the one that decides */
	uint32_t resamples;   /* of the bootstrap that gives CI and p (10000) */
	uint64_t seed;
	double power;         /* at which the detectable change is quoted (0.8) */
	bool strict;          /* refuse incomplete results */
	bool allow_different_profiles;
};

void bb_compare_opts_default(struct bb_compare_opts *o);

/* NEW: the baseline's statistic is 0 and the candidate's is not, so
 * there is no ratio to test: time spent that A did not spend at all.
 * UNDETERMINED: the bootstrap had no ratio (the baseline's statistic was
 * 0 in a resample), so there is no CI and no p: never read as no change.
 * SUGGESTIVE: beyond the threshold with alpha <= p < BB_SUGGESTIVE_P,
 * short of the rule that counts a change. */
enum bb_verdict { BB_VERDICT_NO_CHANGE, BB_VERDICT_FASTER, BB_VERDICT_SLOWER, BB_VERDICT_ONE_SIDE, BB_VERDICT_NEW,
		  BB_VERDICT_UNDETERMINED, BB_VERDICT_SUGGESTIVE };
#define BB_SUGGESTIVE_P 0.05
/* The verdict of one row: its two statistics, B/A - 1 in %, and the p of
 * that ratio (NAN when the bootstrap had none). */
enum bb_verdict bb_verdict_of(double a, double b, double change_pct, double p, const struct bb_compare_opts *o);
const char *bb_verdict_name(enum bb_verdict v);

enum bb_ab_statistic { BB_STAT_MEDIAN, BB_STAT_P90 };
extern const char *const bb_ab_statistic_names[]; /* "median", "p90" */

struct bb_compare_row {
	char name[BB_METRIC_NAME_MAX]; /* the metric */
	char label[168]; /* the metric and, for a tail, its statistic: "vmm p90" */
	enum bb_ab_statistic stat;
	bool per_call;   /* per-iteration median of the op's call latencies */
	bool count;      /* a number of things, not nanoseconds */
	size_t na, nb;   /* iterations */
	double a, b;     /* the statistic of each side */
	double change_pct; /* b/a - 1: +: B slower; INFINITY when a is 0 and b is not */
	double ci_lo_pct, ci_hi_pct; /* NAN when there is no ratio */
	double p;        /* NAN when there is no ratio */
	double mde_pct;  /* detectable with opts.power at alpha; NAN if unknown */
	enum bb_verdict verdict;
	/* median rows: whether each side's per-iteration values fall into two
	 * groups (modes.h); p90 rows leave them unset */
	struct bb_modes modes_a, modes_b;
};

/* One input file, as the header lists it. */
struct bb_file_row {
	char side; /* 'A' or 'B' */
	const char *path;
	char kernel[128], labels[256];
	size_t block;
};

struct bb_context_row {
	char field[32];
	char a[256], b[256];
	bool differs;
};

#define BB_MIXED_NOTES 3

struct bb_comparison {
	struct bb_compare_row *rows;
	size_t nrows;
	size_t *moved; /* indices of op:*:total rows, by |B - A| descending */
	size_t nmoved;
	/* indices of blocked:<op>:<function> rows, the same way: off-CPU time
	 * by op and the kernel function it waited in */
	size_t *waited;
	size_t nwaited;
	struct bb_context_row context[12];
	size_t ncontext;
	size_t iterations_a, iterations_b;
	size_t blocks_a, blocks_b;
	bool by_host_a, by_host_b; /* blocks are machines, not runs */
	bool named; /* the metrics were named, not every metric */
	struct bb_file_row files[2 * BB_MAX_SIDE_FILES];
	size_t nfiles;
	/* a side that pools different labels, kernels, or emulated and
	 * hardware hosts: one line each; then [2], one side measured in an
	 * emulated host and the other on hardware */
	char mixed[BB_MIXED_NOTES][512];
};

/* Loads the files of one side. Warnings (an incomplete run) go to warn.
 * -1 with a one-line error, for exit status 2. */
/* A side built one run at a time (files, or runs read back from a store):
 * init, add each document (the side takes it; path names it in messages
 * and must outlive the side), then done, which refuses an empty side. */
void bb_side_init(struct bb_side *s, const char *name);
int bb_side_add(struct bb_side *s, json_t *doc, const char *path, const struct bb_compare_opts *o, FILE *warn,
		char *err, size_t errlen);
/* The same for a run with no file of its own: the side keeps a copy of
 * name (a run read back from a store, say). */
int bb_side_add_named(struct bb_side *s, json_t *doc, const char *name, const struct bb_compare_opts *o,
		      FILE *warn, char *err, size_t errlen);
int bb_side_done(struct bb_side *s, char *err, size_t errlen);
int bb_side_load(struct bb_side *s, const char *name, const char *const *paths, size_t n,
		 const struct bb_compare_opts *o, FILE *warn, char *err, size_t errlen);
void bb_side_free(struct bb_side *s);
/* The side's per-iteration values of metric, block after block, or NULL
 * when memory runs out (free it); block_start gets nblocks + 1 offsets.
 * Iterations without the metric are left out. */
double *bb_side_values(const struct bb_side *s, const char *metric, size_t *n, size_t *block_start);

/* metrics: NULL for every metric of both sides (a p90 row beside the
 * median for startup, vmm, exits and exit_cost), or the ones to compare,
 * each a median and a p90 row. A named metric must have values and a
 * ratio on both sides: -1 with a one-line error otherwise. */
int bb_compare(const struct bb_side *a, const struct bb_side *b, const struct bb_compare_opts *o,
	       const char *const *metrics, size_t nmetrics, struct bb_comparison *out, char *err,
	       size_t errlen);
void bb_comparison_free(struct bb_comparison *c);
const struct bb_compare_row *bb_comparison_row(const struct bb_comparison *c, const char *name,
					       enum bb_ab_statistic stat);
/* How the sides were resampled: by iteration, or by run and then by iteration. */
void bb_comparison_method(const struct bb_comparison *c, char *buf, size_t len);

#endif
