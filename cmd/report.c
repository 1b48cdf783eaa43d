/* bootbench report: a comparison for a mailing list (text), a pull
 * request or CI summary (markdown), or a spreadsheet (csv). */
#include <stdio.h>

#include "ab_options.h"
#include "ab_run.h"
#include "atomic_file.h"
#include "cmd.h"
#include "parse.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: bootbench report [OPTIONS] BASELINE.json... -- CANDIDATE.json...\n"
		     "\n"
		     "  --format text|markdown|csv  text: 72 columns of plain ASCII, for a mailing-list\n"
		     "                              reply; markdown: for PRs and CI; csv: every metric\n"
		     "  --top N                     rows of where time moved (default 5 in text)\n"
		     "  --export FORMAT=FILE        write FILE in FORMAT (text, markdown, csv, or compare:\n"
		     "                              bootbench compare's output) instead of stdout;\n"
		     "                              repeatable, one bootstrap for every format\n%s",
		bb_ab_options_help());
}

/* text shows the first 5 of where time moved unless --top says otherwise */
static size_t top_of(const struct bb_ab_args *a, enum bb_report_format f)
{
	return f == BB_REPORT_TEXT && a->top == 10 ? 5 : a->top;
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
	int loaded = bb_ab_run(&a, "report", &sa, &sb, &c);
	if (loaded < 0)
		return loaded == BB_AB_STORE_FAILED ? BB_EXIT_FAILED : BB_EXIT_USAGE;
	if (!a.nexports)
		bb_report_write(stdout, &c, &a.opts, a.format, top_of(&a, a.format));
	rc = BB_EXIT_OK;
	for (size_t i = 0; i < a.nexports && rc == BB_EXIT_OK; i++) {
		struct bb_atomic_file af;
		/* each file whole or not at all, as results are written; a
		 * path that cannot be created is a bad input */
		if (bb_atomic_open(&af, a.exports[i].path, err, sizeof(err)) < 0)
			rc = BB_EXIT_USAGE;
		else {
			bb_report_write(af.f, &c, &a.opts, a.exports[i].format, top_of(&a, a.exports[i].format));
			if (bb_atomic_commit(&af, err, sizeof(err)) < 0)
				rc = BB_EXIT_FAILED;
		}
	}
	if (rc != BB_EXIT_OK)
		fprintf(stderr, "bootbench report: %s\n", err);
	bb_comparison_free(&c);
	bb_side_free(&sa);
	bb_side_free(&sb);
	return rc;
}
