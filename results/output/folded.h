/* Off-CPU time as folded stacks, the format flamegraph.pl, inferno and
 * speedscope read: one line per (op, stack), "op;outermost;...;innermost
 * NS", the nanoseconds summed over the measured iterations. */
#ifndef BOOTBENCH_FOLDED_H
#define BOOTBENCH_FOLDED_H

#include <jansson.h>
#include <stdio.h>

/* The lines written, 0 when the result has no off-CPU time. */
int bb_folded_write(FILE *out, json_t *doc);

#endif
