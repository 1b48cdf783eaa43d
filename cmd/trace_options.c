#include "trace_options.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "parse.h"
#include "upload.h"

enum { OPT_UNTIL_OUTPUT = OPT_RUN_LAST + 1, OPT_UNTIL_FIRST_RUN, OPT_SHOW_OUTPUT };

static const struct option options[] = {
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
	{ "no-events", no_argument, NULL, OPT_NO_EVENTS },
	{ "no-stacks", no_argument, NULL, OPT_NO_STACKS },
	{ "upload", required_argument, NULL, OPT_UPLOAD },
	{ "upload-format", required_argument, NULL, OPT_UPLOAD_FORMAT },
	{ "until-output", required_argument, NULL, OPT_UNTIL_OUTPUT },
	{ "until-first-run", no_argument, NULL, OPT_UNTIL_FIRST_RUN },
	{ "show-output", no_argument, NULL, OPT_SHOW_OUTPUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0 }
};

void bb_trace_usage(FILE *out)
{
	fputs("usage: bootbench trace [OPTIONS] -- COMMAND [ARGS...]\n"
	      "\n"
	      "Starts COMMAND once per iteration and times every ioctl that any of its\n"
	      "threads, or the processes it starts, makes on /dev/kvm, a VM or a vCPU, from\n"
	      "the kernel's syscall tracepoints: the command runs unmodified. The result is\n"
	      "an ordinary bootbench result (profile \"trace\"): compare, report, gate, plot\n"
	      "and upload take it as they take run's. Needs root (or CAP_PERFMON and\n"
	      "kernel.perf_event_paranoid=-1) and tracefs.\n"
	      "\n"
	      "Boot-done, by default the command exiting with status 0:\n"
	      "  --until-output TEXT   when a line of its output (stdout or stderr) contains TEXT\n"
	      "  --until-first-run     at its first KVM_RUN: the VMM's setup alone\n"
	      "  --timeout MS          not done by then fails the iteration (default 30000)\n"
	      "The command is then stopped (SIGTERM to its process group, SIGKILL 2 s later).\n"
	      "\n"
	      "  --iterations N        measured iterations (default 10)\n"
	      "  --warmup N            iterations run first and left out of the summary (default 1)\n"
	      "  --label KEY=VALUE     tag the result (repeatable)\n"
	      "  --out DIR             where the result files go (default bootbench-results)\n"
	      "  --quiet               no progress and no summary table\n"
	      "  --show-output         copy the command's output to stderr\n"
	      "  --keep-going          go on after a failed iteration (default: stop)\n"
	      "  --no-events           leave the raw per-ioctl events out of the result\n"
	      "  --no-stacks           no off-CPU time or kernel stacks\n"
	      "  --upload URL          send the result once it is on disk (see bootbench upload)\n"
	      "  --upload-format F     influx, influx2 or json (default: from the URL)\n"
	      "\n"
	      "Exit status: 0 all iterations passed, 1 a failure (or perf events not\n"
	      "permitted), 2 bad usage or a command that cannot be started, 130 interrupted.\n",
	      out);
}

int bb_trace_parse(int argc, char **argv, struct bb_trace_args *o, char *err, size_t errlen)
{
	int c;
	memset(o, 0, sizeof(*o));
	snprintf(o->run.out_dir, sizeof(o->run.out_dir), "bootbench-results");
	snprintf(o->run.cfg.profile.name, sizeof(o->run.cfg.profile.name), "trace");
	o->run.iterations = 10;
	o->run.warmup = 1;
	o->run.cfg.timeout_ms = 30000;
	o->run.with_events = true;
	o->run.cfg.stacks = true;

	optind = 0;
	opterr = 0;
	/* "+": the command's own options are not ours */
	while ((c = getopt_long(argc, argv, "+:", options, NULL)) != -1) {
		switch (c) {
		case OPT_HELP:
			o->run.help = true;
			return 0;
		case OPT_UNTIL_OUTPUT:
			if (!optarg[0] || strlen(optarg) >= sizeof(o->until_output) || strpbrk(optarg, "\r\n")) {
				bb_errorf(err, errlen, "bad --until-output '%.100s': give text of one line, at most %zu bytes", optarg,
					  sizeof(o->until_output) - 1);
				return -1;
			}
			if (o->until == BB_UNTIL_FIRST_RUN) {
				bb_errorf(err, errlen, "--until-output and --until-first-run are both given: choose one boot-done");
				return -1;
			}
			o->until = BB_UNTIL_OUTPUT;
			snprintf(o->until_output, sizeof(o->until_output), "%s", optarg);
			break;
		case OPT_UNTIL_FIRST_RUN:
			if (o->until == BB_UNTIL_OUTPUT) {
				bb_errorf(err, errlen, "--until-output and --until-first-run are both given: choose one boot-done");
				return -1;
			}
			o->until = BB_UNTIL_FIRST_RUN;
			break;
		case OPT_SHOW_OUTPUT:
			o->show_output = true;
			break;
		default: {
			int shared = bb_run_shared_option(c, optarg, &o->run, err, errlen);
			if (shared < 0)
				return -1;
			if (shared > 0) {
				bb_option_error(c, argc, argv, "trace", err, errlen);
				return -1;
			}
		}
		}
	}
	if (optind >= argc || strcmp(argv[optind - 1], "--") != 0) {
		bb_errorf(err, errlen, optind < argc ? "'%s' is not an option: put the command after --, e.g. bootbench trace -- qemu-system-x86_64 ..."
						     : "no command: give it after --, e.g. bootbench trace -- qemu-system-x86_64 ...",
			  optind < argc ? argv[optind] : "");
		return -1;
	}
	o->command = argv + optind;
	o->ncommand = argc - optind;
	if (o->run.upload_url[0]) {
		struct bb_upload_opts u;
		if (bb_run_upload_opts(&o->run, &u, err, errlen) < 0)
			return -1;
	}
	return 0;
}
