/* What bootbench gate decided for each gated metric, and the formats it
 * writes that: a line per metric (gate_text.c), JUnit XML (junit.c) and a
 * Markdown step summary for CI (step_summary.c). */
#ifndef BOOTBENCH_GATE_VERDICT_H
#define BOOTBENCH_GATE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"

struct bb_gate_verdict {
	const struct bb_compare_row *row;
	double limit; /* percent */
	bool regressed;
};

/* "startup: +3.1% (95% CI +1.0%..+5.2%), p=0.002, limit +5% at p < 0.01" */
void bb_gate_describe(const struct bb_gate_verdict *v, double alpha, char *buf, size_t len);
/* One testcase per verdict, written atomically to path. */
int bb_junit_write(const char *path, const struct bb_gate_verdict *v, size_t n, size_t failures, double alpha,
		   char *err, size_t errlen);
/* A Markdown table appended to path (GitHub's GITHUB_STEP_SUMMARY). */
int bb_step_summary_append(const char *path, const struct bb_gate_verdict *v, size_t n, size_t failures,
			   double alpha, char *err, size_t errlen);

#endif
