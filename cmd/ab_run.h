/* Loads both sides of compare, report or gate and compares them. */
#ifndef BOOTBENCH_AB_RUN_H
#define BOOTBENCH_AB_RUN_H

#include "ab_options.h"

/* A side's argument may be a store selection (influx://...): its runs
 * join the side as files would. cmd names the subcommand in the one-line
 * error printed on failure; returns -1 then (bad input: exit 2), or
 * BB_AB_STORE_FAILED when a store failed or answered nothing bootbench
 * wrote (exit 1), with both sides freed. */
#define BB_AB_STORE_FAILED (-3)
int bb_ab_run(struct bb_ab_args *a, const char *cmd, struct bb_side *sa, struct bb_side *sb,
	      struct bb_comparison *c);

#endif
