/* bootbench run and info inside an emulated host: the same command, run
 * by lab/emulated-host in Debian's kernel under QEMU TCG, its files
 * checked and brought back. */
#ifndef BOOTBENCH_EMULATED_H
#define BOOTBENCH_EMULATED_H

#include <stdbool.h>

#include "run_options.h"

/* The environment variable through which the run inside learns what
 * emulated it (a JSON object, recorded as the result's "emulated"). */
#define BB_EMULATED_CONTEXT_ENV "BOOTBENCH_EMULATED_CONTEXT"

/* bootbench run with o parsed from argv (argv[0] "run"): the exit status
 * of the run inside, 1 when the emulated host failed it. */
int bb_emulated_run(const struct bb_run_args *o, int argc, char **argv);
/* bootbench info inside the emulated host for arch; inner_argv is info's
 * argv without --host (NULL-terminated, inner_argv[0] "info"). */
int bb_emulated_info(const char *arch, char *const *inner_argv);

#endif
