/* bootbench report: a comparison for a mailing list (text), a pull
 * request or CI summary (markdown), or a spreadsheet (csv). */
#include <stdio.h>

#include "ab_options.h"
#include "ab_run.h"
#include "cmd.h"
#include "parse.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: bootbench report [OPTIONS] BASELINE.json... -- CANDIDATE.json...\n"
		     "\n"
		     "  --format text|markdown|csv  text: 72 columns of plain ASCII, for a mailing-list\n"
		     "                              reply; markdown: for PRs and CI; csv: every metric\n"
		     "  --top N                     rows of where time moved (default 5 in text)\n%s",
		bb_ab_options_help());
}

int cmd_report(int argc, char **argv)
{
	struct bb_ab_args a;
	struct bb_side sa, sb;
	struct bb_comparison c;
	char err[1024];

	int rc = bb_ab_parse(argc, argv, BB_AB_FORMAT, &a, err, sizeof(err));
	if (a.help) {
		usage(stdout);
		return BB_EXIT_OK;
	}
	if (rc < 0) {
		fprintf(stderr, "bootbench report: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (bb_ab_run(&a, "report", &sa, &sb, &c) < 0)
		return BB_EXIT_USAGE;
	bb_report_write(stdout, &c, &a.opts, a.format, a.format == BB_REPORT_TEXT && a.top == 10 ? 5 : a.top);
	bb_comparison_free(&c);
	bb_side_free(&sa);
	bb_side_free(&sb);
	return BB_EXIT_OK;
}
