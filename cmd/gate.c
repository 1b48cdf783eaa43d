/* bootbench gate: a CI step that fails when the candidate is slower than
 * the baseline beyond a limit, with p < alpha. Exit 0 pass, 1 regression,
 * 2 bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_options.h"
#include "ab_run.h"
#include "cmd.h"
#include "parse.h"
#include "gate_verdict.h"
#include "thresholds.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: bootbench gate --baseline A.json --candidate B.json [--max-regression 5%%]\n"
		     "                      [--metric NAME ...] [--alpha 0.01] [--junit FILE]\n"
		     "       bootbench gate --baseline A.json --candidate B.json --thresholds FILE\n"
		     "\n"
		     "A metric regresses when the candidate's median is slower by more than its limit\n"
		     "and the permutation test gives p < alpha. Default metric: startup.\n"
		     "  --max-regression PCT   the limit for every --metric (default 5%%)\n"
		     "  --thresholds FILE      per-metric limits: {\"metrics\": {\"startup\": \"5%%\"}}\n"
		     "  --junit FILE           JUnit XML, one testcase per gated metric\n"
		     "With GITHUB_STEP_SUMMARY set, a Markdown summary is appended to that file.\n"
		     "Exit status: 0 pass, 1 regression, 2 bad input.\n\n%s",
		bb_ab_options_help());
}

int cmd_gate(int argc, char **argv)
{
	struct bb_ab_args a;
	struct bb_thresholds t = { 0 };
	struct bb_side sa, sb;
	struct bb_comparison c;
	char err[1024];

	int rc = bb_ab_parse(argc, argv, BB_AB_GATE, &a, err, sizeof(err));
	if (a.help) {
		usage(stdout);
		return BB_EXIT_OK;
	}
	if (rc < 0) {
		fprintf(stderr, "bootbench gate: %s\n", err);
		return BB_EXIT_USAGE;
	}
	double limits[BB_AB_MAX_METRICS + BB_MAX_THRESHOLDS];
	size_t n = 0;
	const char *names[BB_AB_MAX_METRICS + BB_MAX_THRESHOLDS];
	if (a.thresholds) {
		if (bb_thresholds_load(a.thresholds, &t, err, sizeof(err)) < 0) {
			fprintf(stderr, "bootbench gate: %s\n", err);
			return BB_EXIT_USAGE;
		}
		if (t.has_alpha)
			a.opts.alpha = t.alpha;
		for (size_t i = 0; i < t.n; i++) {
			names[n] = t.metric[i];
			limits[n++] = t.limit_pct[i];
		}
	}
	for (size_t i = 0; i < a.nmetrics; i++) {
		names[n] = a.metrics[i];
		limits[n++] = a.max_regression_pct;
	}
	if (n == 0) {
		names[n] = "startup";
		limits[n++] = a.max_regression_pct;
	}
	/* compare exactly the gated metrics: bb_ab_run reads a.metrics */
	for (size_t i = 0; i < n; i++)
		a.metrics[i] = names[i];
	a.nmetrics = n;
	if (bb_ab_run(&a, "gate", &sa, &sb, &c) < 0)
		return BB_EXIT_USAGE;

	struct bb_gate_verdict g[BB_AB_MAX_METRICS + BB_MAX_THRESHOLDS];
	size_t failures = 0;
	for (size_t i = 0; i < n; i++) {
		const struct bb_compare_row *r = &c.rows[i];
		g[i] = (struct bb_gate_verdict){ r, limits[i], r->p < a.opts.alpha && r->change_pct > limits[i] };
		failures += g[i].regressed;
		char what[512];
		bb_gate_describe(&g[i], a.opts.alpha, what, sizeof(what));
		printf("%s %s\n", g[i].regressed ? "FAIL" : "PASS", what);
	}
	printf("gate: %zu of %zu metrics regressed\n", failures, n);
	rc = failures ? BB_EXIT_FAILED : BB_EXIT_OK;
	if (a.junit && bb_junit_write(a.junit, g, n, failures, a.opts.alpha, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench gate: %s\n", err);
		rc = BB_EXIT_USAGE;
	}
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	if (summary && *summary && bb_step_summary_append(summary, g, n, failures, a.opts.alpha, err, sizeof(err)) < 0)
		fprintf(stderr, "bootbench gate: warning: %s\n", err);
	bb_comparison_free(&c);
	bb_side_free(&sa);
	bb_side_free(&sb);
	return rc;
}
