/* Loads both sides of compare, report or gate and compares them. */
#ifndef BOOTBENCH_AB_RUN_H
#define BOOTBENCH_AB_RUN_H

#include "ab_options.h"

/* cmd names the subcommand in the one-line error printed on failure;
 * returns -1 then, with both sides freed. */
int bb_ab_run(struct bb_ab_args *a, const char *cmd, struct bb_side *sa, struct bb_side *sb,
	      struct bb_comparison *c);

#endif
