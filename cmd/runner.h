/* Runs one profile's iterations and writes its result (cmd/runner.c):
 * what bootbench run does, and what sweep does at each point. */
#ifndef BOOTBENCH_RUNNER_H
#define BOOTBENCH_RUNNER_H

#include <limits.h>

#include "kvm_errors.h"
#include "run_options.h"

struct bb_run_outcome {
	char json_path[PATH_MAX]; /* the result's path, or "" when none reached disk */
	char first_error[1024];   /* the first failed iteration's error, or "" */
	enum bb_error_kind first_error_kind;
};

/* Returns the exit status. */
int bb_run_execute(struct bb_run_args *o, struct bb_run_outcome *out);

#endif
