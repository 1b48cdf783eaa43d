/* The arguments compare, report and gate share: the two sides, given as
 * "A.json... -- B.json..." or with --baseline/--candidate (each
 * repeatable; several files a side are pooled), and the statistics'
 * options. */
#ifndef BOOTBENCH_AB_ARGS_H
#define BOOTBENCH_AB_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"
#include "report.h"

#define BB_AB_MAX_METRICS 64

enum {
	BB_AB_FORMAT = 1 << 0,   /* report: --format */
	BB_AB_GATE = 1 << 1,     /* gate: --max-regression, --junit, --thresholds */
};

#define BB_AB_MAX_EXPORTS 4

/* report --export FORMAT=FILE: one comparison written in several formats */
struct bb_ab_export {
	enum bb_report_format format;
	const char *path;
};

struct bb_ab_args {
	const char *baseline[BB_MAX_SIDE_FILES];
	size_t nbaseline;
	const char *candidate[BB_MAX_SIDE_FILES];
	size_t ncandidate;
	struct bb_compare_opts opts;
	const char *metrics[BB_AB_MAX_METRICS];
	size_t nmetrics;
	size_t top;
	enum bb_report_format format;
	struct bb_ab_export exports[BB_AB_MAX_EXPORTS];
	size_t nexports;
	double max_regression_pct;
	bool max_regression_set;
	const char *junit;
	const char *thresholds;
	bool help;
};

/* -1 with a one-line error naming the bad input (exit status 2). */
int bb_ab_parse(int argc, char **argv, unsigned features, struct bb_ab_args *a, char *err,
		size_t errlen);
/* "5%", "5" or "0.5%": a percentage. */
int bb_parse_percent(const char *option, const char *text, double *out, char *err, size_t errlen);
const char *bb_ab_options_help(void);

#endif
