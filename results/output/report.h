/* A comparison written for people and programs: the wide table of
 * bootbench compare, a 72-column plain-ASCII text for mailing lists,
 * Markdown for pull requests and CI summaries, CSV for spreadsheets. */
#ifndef BOOTBENCH_REPORT_H
#define BOOTBENCH_REPORT_H

#include <stdio.h>

#include "compare.h"

enum bb_report_format { BB_REPORT_COMPARE, BB_REPORT_TEXT, BB_REPORT_MARKDOWN, BB_REPORT_CSV };

int bb_report_format_parse(const char *text, enum bb_report_format *out);
/* top: rows of "where time moved" to show (text, markdown, compare). */
void bb_report_write(FILE *out, const struct bb_comparison *c, const struct bb_compare_opts *o,
		     enum bb_report_format format, size_t top);
/* One sentence on the statistics used, for every format. */
void bb_report_method(char *buf, size_t len, const struct bb_compare_opts *o);
/* "99% CI": the heading of the interval, at the level that decides. */
void bb_ci_heading(const struct bb_compare_opts *o, char *buf, size_t len);

/* A p-value as every output prints it: "<0.001", three decimals, or "-"
 * where it could not be computed. */
void bb_format_p(double p, char *buf, size_t len);

#endif
