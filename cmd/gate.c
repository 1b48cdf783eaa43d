/* bootbench gate: a CI step that fails when the candidate is slower than
 * the baseline beyond a limit, with p < alpha, at the centre (median) or
 * in the tail (p90) of any gated metric. Exit 0 pass, 1 regression, 2 bad
 * input (and, with --strict, a limit below what the data can detect). */
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
		     "A metric regresses when the candidate's median, or its p90, is slower by more\n"
		     "than the limit with p < alpha; each is its own bootstrap test of that ratio.\n"
		     "Default metric: vmm, the boot's time outside KVM_RUN, which a registration or\n"
		     "memslot regression lands in and the host's exit cost does not move.\n"
		     "  --max-regression PCT   the limit for every --metric (default 5%%)\n"
		     "  --thresholds FILE      per-metric limits: {\"metrics\": {\"vmm\": \"5%%\"}};\n"
		     "                         not with --max-regression\n"
		     "  --junit FILE           JUnit XML, one testcase per gated metric\n"
		     "With GITHUB_STEP_SUMMARY set, a Markdown summary is appended to that file.\n"
		     "A limit below the change this n can detect is warned about; --strict exits 2.\n"
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
	if (a.thresholds && a.max_regression_set) {
		fprintf(stderr, "bootbench gate: --thresholds %s and --max-regression both set the limits: give one of them\n",
			a.thresholds);
		return BB_EXIT_USAGE;
	}
	if (a.thresholds) {
		if (bb_thresholds_load(a.thresholds, &t, err, sizeof(err)) < 0) {
			fprintf(stderr, "bootbench gate: %s\n", err);
			return BB_EXIT_USAGE;
		}
		if (t.has_alpha) {
			a.opts.alpha = t.alpha;
			a.opts.confidence = 1 - t.alpha;
		}
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
		names[n] = BB_DEFAULT_GATE_METRIC;
		limits[n++] = a.max_regression_pct;
	}
	/* compare exactly the gated metrics: bb_ab_run reads a.metrics */
	for (size_t i = 0; i < n; i++)
		a.metrics[i] = names[i];
	a.nmetrics = n;
	int loaded = bb_ab_run(&a, "gate", &sa, &sb, &c);
	if (loaded < 0)
		return loaded == BB_AB_STORE_FAILED ? BB_EXIT_FAILED : BB_EXIT_USAGE;

	/* a median and a p90 row per gated metric, in order */
	size_t nrows = c.nrows;
	struct bb_gate_verdict g[2 * (BB_AB_MAX_METRICS + BB_MAX_THRESHOLDS)];
	char warning[2 * (BB_AB_MAX_METRICS + BB_MAX_THRESHOLDS)][512];
	const char *warnings[2 * (BB_AB_MAX_METRICS + BB_MAX_THRESHOLDS)];
	size_t failures = 0, nwarnings = 0;
	if (nrows != 2 * n) { /* bb_compare gives a median and a p90 row per named metric */
		fprintf(stderr, "bootbench gate: %zu rows for %zu metrics: a bootbench bug\n", nrows, n);
		rc = BB_EXIT_FAILED;
		goto out;
	}
	for (size_t i = 0; i < nrows; i++) {
		const struct bb_compare_row *r = &c.rows[i];
		double limit = limits[i / 2];
		if (!isfinite(r->change_pct) || isnan(r->p)) {
			/* bb_compare refuses these for named metrics: never a verdict from nothing */
			fprintf(stderr, "bootbench gate: metric '%s' has no finite change (%g%%, p=%g): nothing to gate\n",
				r->label, r->change_pct, r->p);
			rc = BB_EXIT_USAGE;
			goto out;
		}
		g[i] = (struct bb_gate_verdict){ r, limit, r->p < a.opts.alpha && r->change_pct > limit,
						 !(r->mde_pct <= limit) };
		if (g[i].underpowered) {
			const char *unit;
			size_t units = bb_power_units(&c, r, &unit);
			char power[384];
			bb_power_describe(r, units, unit, a.opts.alpha, a.opts.power, limit, power, sizeof(power));
			snprintf(warning[nwarnings], sizeof(warning[0]), "the limit +%g%% is below what this run can detect: %s", limit, power);
			warnings[nwarnings] = warning[nwarnings];
			fprintf(stderr, "bootbench gate: %s%s\n", a.opts.strict ? "" : "warning: ", warning[nwarnings]);
			nwarnings++;
		}
	}
	if (nwarnings && a.opts.strict) {
		fprintf(stderr, "bootbench gate: --strict: %zu limit%s below the detectable change; run more iterations or raise the limit\n",
			nwarnings, nwarnings == 1 ? "" : "s");
		rc = BB_EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < nrows; i++) {
		failures += g[i].regressed;
		char what[512];
		bb_gate_describe(&g[i], a.opts.alpha, what, sizeof(what));
		printf("%s %s\n", g[i].regressed ? "FAIL" : "PASS", what);
	}
	printf("gate: %zu of %zu checks regressed (%zu metric%s, median and p90 each)\n", failures, nrows, n,
	       n == 1 ? "" : "s");
	rc = failures ? BB_EXIT_FAILED : BB_EXIT_OK;
	if (a.junit && bb_junit_write(a.junit, g, nrows, failures, a.opts.alpha, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench gate: %s\n", err);
		rc = BB_EXIT_USAGE;
	}
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	if (summary && *summary &&
	    bb_step_summary_append(summary, g, nrows, failures, a.opts.alpha, warnings, nwarnings, err, sizeof(err)) < 0)
		fprintf(stderr, "bootbench gate: warning: %s\n", err);
out:
	bb_comparison_free(&c);
	bb_side_free(&sa);
	bb_side_free(&sb);
	return rc;
}
