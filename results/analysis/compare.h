/* Comparing results without (A, the baseline) and with (B, the candidate)
 * a change: per metric, medians, the change, a bootstrap CI of the ratio
 * of medians, a permutation-test p-value and a verdict; where the time
 * moved between ops; and what differs between the sides' contexts. */
#ifndef BOOTBENCH_COMPARE_H
#define BOOTBENCH_COMPARE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BB_MAX_SIDE_FILES 64

/* One side: several result files, pooled. */
struct bb_side {
	const char *name; /* "baseline" or "candidate" */
	json_t *docs[BB_MAX_SIDE_FILES];
	const char *paths[BB_MAX_SIDE_FILES];
	size_t ndocs;
};

struct bb_compare_opts {
	double alpha;         /* a change needs p < alpha (0.01) */
	double threshold_pct; /* and |change| above this, in % (5) */
	double confidence;    /* of the CI (0.95) */
	uint32_t resamples;   /* bootstrap and permutation (10000) */
	uint64_t seed;
	bool strict;          /* refuse incomplete results */
	bool allow_different_profiles;
};

void bb_compare_opts_default(struct bb_compare_opts *o);

enum bb_verdict { BB_VERDICT_NO_CHANGE, BB_VERDICT_FASTER, BB_VERDICT_SLOWER, BB_VERDICT_ONE_SIDE };
const char *bb_verdict_name(enum bb_verdict v);

struct bb_compare_row {
	char name[160];
	bool per_call; /* per-iteration median of the op's call latencies */
	size_t na, nb;
	double median_a, median_b;
	double change_pct; /* +: B slower; INFINITY when A is 0 and B is not */
	double ci_lo_pct, ci_hi_pct; /* NAN when there is no ratio */
	double p;
	enum bb_verdict verdict;
};

struct bb_context_row {
	char field[32];
	char a[256], b[256];
	bool differs;
};

struct bb_comparison {
	struct bb_compare_row *rows;
	size_t nrows;
	size_t *moved; /* indices of op:*:total rows, by |B - A| descending */
	size_t nmoved;
	struct bb_context_row context[12];
	size_t ncontext;
	size_t iterations_a, iterations_b;
};

/* Loads the files of one side. Warnings (an incomplete run) go to warn.
 * -1 with a one-line error, for exit status 2. */
int bb_side_load(struct bb_side *s, const char *name, const char *const *paths, size_t n,
		 const struct bb_compare_opts *o, FILE *warn, char *err, size_t errlen);
void bb_side_free(struct bb_side *s);

/* metrics: NULL for every metric of both sides, or the ones to compare,
 * each of which must be on both sides. */
int bb_compare(const struct bb_side *a, const struct bb_side *b, const struct bb_compare_opts *o,
	       const char *const *metrics, size_t nmetrics, struct bb_comparison *out, char *err,
	       size_t errlen);
void bb_comparison_free(struct bb_comparison *c);
const struct bb_compare_row *bb_comparison_row(const struct bb_comparison *c, const char *name);

#endif
