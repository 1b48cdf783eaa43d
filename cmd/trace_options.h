/* bootbench trace's command line. */
#ifndef BOOTBENCH_TRACE_OPTIONS_H
#define BOOTBENCH_TRACE_OPTIONS_H

#include "run_options.h"

enum bb_trace_until { BB_UNTIL_EXIT, BB_UNTIL_OUTPUT, BB_UNTIL_FIRST_RUN };

struct bb_trace_args {
	struct bb_run_args run; /* iterations, warmup, labels, out, timeout, upload, ... */
	char *const *command;   /* argv after --, NULL-terminated */
	int ncommand;
	enum bb_trace_until until;
	char until_output[512];
	bool show_output;
};

/* Returns 0, or -1 with a one-line error (exit status 2). */
int bb_trace_parse(int argc, char **argv, struct bb_trace_args *o, char *err, size_t errlen);
void bb_trace_usage(FILE *out);

#endif
