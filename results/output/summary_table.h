/* The human summary of a result: phases in boot order with median, p90 and
 * share of startup; per-op counts and per-call latency. */
#ifndef BOOTBENCH_SUMMARY_TABLE_H
#define BOOTBENCH_SUMMARY_TABLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* doc: a result document, or one with at least bootbench, host, profile,
 * labels, iterations (a count or array) and summary. */
void bb_summary_print(FILE *out, json_t *doc);

#endif
