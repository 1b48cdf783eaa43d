/* Runs one profile's iterations and writes its result (cmd/runner.c):
 * what bootbench run does, and what sweep does at each point. */
#ifndef BOOTBENCH_RUNNER_H
#define BOOTBENCH_RUNNER_H

#include <stddef.h>

#include "run_options.h"

/* Returns the exit status; json_path gets the result's path, or "" when
 * none reached disk. */
int bb_run_execute(struct bb_run_args *o, char *json_path, size_t json_path_len);

#endif
