/* bootbench run: one profile's iterations, through the runner. */
#include <stdio.h>

#include "cmd.h"
#include "emulated.h"
#include "options.h"
#include "parse.h"
#include "runner.h"

int cmd_run(int argc, char **argv)
{
	static struct bb_run_args o; /* large; one per process */
	static struct bb_run_outcome out;
	char err[1024];

	if (bb_run_parse(argc, argv, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench run: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (o.help) {
		bb_run_usage(stdout);
		return BB_EXIT_OK;
	}
	if (o.host.kind == BB_HOST_EMULATED)
		return bb_emulated_run(&o, argc, argv);
	return bb_run_execute(&o, &out);
}
