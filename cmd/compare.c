/* bootbench compare: what changed between two sets of results, by how
 * much, how sure, and where in the boot the time moved. */
#include <stdio.h>

#include "ab_options.h"
#include "ab_run.h"
#include "cmd.h"
#include "parse.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: bootbench compare [OPTIONS] BASELINE.json... -- CANDIDATE.json...\n"
		     "       bootbench compare [OPTIONS] --baseline A.json --candidate B.json\n"
		     "\n"
		     "Several files a side are pooled. Per metric: n, medians, change, and from one\n"
		     "bootstrap of the ratio of medians its CI (at 1 - alpha, the level that decides:\n"
		     "99%%) and p-value, and a verdict; then where the time moved between ops.\n"
		     "Exit status: 0 compared, 2 bad input.\n\n%s"
		     "  --top N                     rows of where time moved (default 10)\n",
		bb_ab_options_help());
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
	int loaded = bb_ab_run(&a, "compare", &sa, &sb, &c);
	if (loaded < 0)
		return loaded == BB_AB_STORE_FAILED ? BB_EXIT_FAILED : BB_EXIT_USAGE;
	bb_report_write(stdout, &c, &a.opts, BB_REPORT_COMPARE, a.top);
	bb_comparison_free(&c);
	bb_side_free(&sa);
	bb_side_free(&sb);
	return BB_EXIT_OK;
}
