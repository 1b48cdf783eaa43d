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
	bool underpowered; /* the limit is below what this n and noise detect */
};

/* "vmm p90: +3.1% (99% CI +1.0%..+5.2%), p=0.002, limit +5% at p < 0.01" */
void bb_gate_describe(const struct bb_gate_verdict *v, double alpha, char *buf, size_t len);
/* One testcase per verdict, written atomically to path. */
int bb_junit_write(const char *path, const struct bb_gate_verdict *v, size_t n, size_t failures, double alpha,
		   char *err, size_t errlen);
/* "n=15 a side detects changes >= 18% here (80% power at alpha 0.01);
 * about 60 a side would detect 5%" (the row's threshold). */
void bb_power_describe(const struct bb_compare_row *r, size_t units, const char *unit, double alpha, double power,
		       double target_pct, char *buf, size_t len);
/* The units a comparison's power is counted in: blocks once a side has
 * several, iterations otherwise; the smaller side's. *unit names them
 * after the number (" runs", " machines", or "" for iterations). */
size_t bb_power_units(const struct bb_comparison *c, const struct bb_compare_row *r, const char **unit);
/* A Markdown table appended to path (GitHub's GITHUB_STEP_SUMMARY), with
 * a warning line for each underpowered limit. */
int bb_step_summary_append(const char *path, const struct bb_gate_verdict *v, size_t n, size_t failures,
			   double alpha, const char *const *warnings, size_t nwarnings, char *err, size_t errlen);

#endif
