/* bootbench compare: what changed between two sets of results, by how
 * much, how sure, and where in the boot the time moved. */
#include <stdio.h>

#include "ab_args.h"
#include "cmd.h"
#include "parse.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: bootbench compare [OPTIONS] BASELINE.json... -- CANDIDATE.json...\n"
		     "       bootbench compare [OPTIONS] --baseline A.json --candidate B.json\n"
		     "\n"
		     "Several files a side are pooled. Per metric: n, medians, change, a 95%% bootstrap\n"
		     "CI of the ratio of medians, a permutation-test p-value and a verdict; then\n"
		     "where the time moved between ops. Exit status: 0 compared, 2 bad input.\n\n%s"
		     "  --top N                     rows of where time moved (default 10)\n",
		bb_ab_options_help());
}

/* Loads both sides and compares them; shared with report. */
int bb_ab_run(struct bb_ab_args *a, const char *cmd, struct bb_side *sa, struct bb_side *sb,
	      struct bb_comparison *c)
{
	char err[1024];
	/* both empty, so either can be freed whichever load fails */
	*sa = (struct bb_side){ 0 };
	*sb = (struct bb_side){ 0 };
	if (bb_side_load(sa, "baseline", a->baseline, a->nbaseline, &a->opts, stderr, err, sizeof(err)) < 0 ||
	    bb_side_load(sb, "candidate", a->candidate, a->ncandidate, &a->opts, stderr, err, sizeof(err)) < 0 ||
	    bb_compare(sa, sb, &a->opts, a->nmetrics ? a->metrics : NULL, a->nmetrics, c, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench %s: %s\n", cmd, err);
		bb_side_free(sa);
		bb_side_free(sb);
		return -1;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct bb_ab_args a;
	struct bb_side sa, sb;
	struct bb_comparison c;
	char err[1024];

	int rc = bb_ab_parse(argc, argv, 0, &a, err, sizeof(err));
	if (a.help) {
		usage(stdout);
		return BB_EXIT_OK;
	}
	if (rc < 0) {
		fprintf(stderr, "bootbench compare: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (bb_ab_run(&a, "compare", &sa, &sb, &c) < 0)
		return BB_EXIT_USAGE;
	bb_report_write(stdout, &c, &a.opts, BB_REPORT_COMPARE, a.top);
	bb_comparison_free(&c);
	bb_side_free(&sa);
	bb_side_free(&sb);
	return BB_EXIT_OK;
}
