/* bootbench gate: a CI step that fails when the candidate is slower than
 * the baseline beyond a limit, with p < alpha. Exit 0 pass, 1 regression,
 * 2 bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_args.h"
#include "atomic_file.h"
#include "cmd.h"
#include "parse.h"
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

struct gated {
	const struct bb_compare_row *row;
	double limit;
	bool regressed;
};

/* XML attribute and text content: the five predefined entities. */
static void xml_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, f);
		}
	}
}

static void describe(const struct gated *g, double alpha, char *buf, size_t len)
{
	const struct bb_compare_row *r = g->row;
	snprintf(buf, len, "%s: %+.1f%% (95%% CI %+.1f%%..%+.1f%%), p=%.4g, limit +%g%% at p < %g", r->name,
		 r->change_pct, r->ci_lo_pct, r->ci_hi_pct, r->p, g->limit, alpha);
}

static int write_junit(const char *path, const struct gated *g, size_t n, size_t failures, double alpha)
{
	struct bb_atomic_file af;
	char err[1024], what[512];
	if (bb_atomic_open(&af, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench gate: %s\n", err);
		return -1;
	}
	fprintf(af.f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
		      "<testsuite name=\"bootbench gate\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n, failures);
	for (size_t i = 0; i < n; i++) {
		describe(&g[i], alpha, what, sizeof(what));
		fputs("  <testcase classname=\"bootbench.gate\" name=\"", af.f);
		xml_escaped(af.f, g[i].row->name);
		fputs("\">", af.f);
		if (g[i].regressed) {
			fputs("<failure message=\"", af.f);
			xml_escaped(af.f, what);
			fputs("\">regressed: ", af.f);
			xml_escaped(af.f, what);
			fputs("</failure>", af.f);
		} else {
			fputs("<system-out>", af.f);
			xml_escaped(af.f, what);
			fputs("</system-out>", af.f);
		}
		fputs("</testcase>\n", af.f);
	}
	fputs("</testsuite>\n</testsuites>\n", af.f);
	if (bb_atomic_commit(&af, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench gate: %s\n", err);
		return -1;
	}
	return 0;
}

static void append_step_summary(const struct gated *g, size_t n, size_t failures, double alpha)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	if (!path || !*path)
		return;
	FILE *f = fopen(path, "a");
	if (!f) {
		fprintf(stderr, "bootbench gate: warning: cannot append to GITHUB_STEP_SUMMARY %s\n", path);
		return;
	}
	fprintf(f, "### bootbench gate: %s\n\n| metric | change | 95%% CI | p | limit | result |\n"
		   "|---|---:|---:|---:|---:|---|\n",
		failures ? "regression" : "pass");
	for (size_t i = 0; i < n; i++) {
		const struct bb_compare_row *r = g[i].row;
		fprintf(f, "| `%s` | %+.1f%% | %+.1f%%..%+.1f%% | %.4g | +%g%% (p < %g) | %s |\n", r->name, r->change_pct,
			r->ci_lo_pct, r->ci_hi_pct, r->p, g[i].limit, alpha, g[i].regressed ? "**regressed**" : "pass");
	}
	fputc('\n', f);
	fclose(f);
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

	struct gated g[BB_AB_MAX_METRICS + BB_MAX_THRESHOLDS];
	size_t failures = 0;
	for (size_t i = 0; i < n; i++) {
		const struct bb_compare_row *r = &c.rows[i];
		g[i] = (struct gated){ r, limits[i], r->p < a.opts.alpha && r->change_pct > limits[i] };
		failures += g[i].regressed;
		char what[512];
		describe(&g[i], a.opts.alpha, what, sizeof(what));
		printf("%s %s\n", g[i].regressed ? "FAIL" : "PASS", what);
	}
	printf("gate: %zu of %zu metrics regressed\n", failures, n);
	rc = failures ? BB_EXIT_FAILED : BB_EXIT_OK;
	if (a.junit && write_junit(a.junit, g, n, failures, a.opts.alpha) < 0)
		rc = BB_EXIT_USAGE;
	append_step_summary(g, n, failures, a.opts.alpha);
	bb_comparison_free(&c);
	bb_side_free(&sa);
	bb_side_free(&sb);
	return rc;
}
