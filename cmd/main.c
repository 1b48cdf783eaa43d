/* bootbench: VM startup latency, one KVM ioctl at a time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "parse.h"

extern const char bb_version[];
extern const char bb_git_commit[];

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "boot VMs of a profile and time every ioctl of their startup" },
	{ "info", cmd_info, "show the host's kernel, CONFIG_HZ, KVM caps and measured ioctl costs" },
	{ "profiles", cmd_profiles, "list the built-in workload profiles" },
	{ "sweep", cmd_sweep, "run a grid of devices x vCPUs x queues, one result per point" },
	{ "plot", cmd_plot, "charts of results and sweeps with gnuplot (PNG, SVG)" },
	{ "upload", cmd_upload, "send results to InfluxDB or a JSON endpoint; resend pending ones" },
	{ "compare", cmd_compare, "compare results without and with a change: statistics and where time moved" },
	{ "report", cmd_report, "the same comparison as text for a mailing list, markdown or csv" },
	{ "gate", cmd_gate, "fail (exit 1) when the candidate regressed beyond a limit, for CI" },
	{ "trace", cmd_trace, "time every KVM ioctl of an unmodified VMM (QEMU, Firecracker, ...) as a result" },
	{ "query", cmd_query, "list the runs a results-store selection (influx://...) matches" },
	{ "slim", cmd_slim, "a result without its raw events, for publishing: compare and report unchanged" },
	{ "initramfs", cmd_initramfs, "write the initramfs bootbench boots Linux guests with (its init checks the disks)" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: bootbench COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'bootbench COMMAND --help' describes each one.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return BB_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return BB_EXIT_OK;
	}
	if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
		printf("bootbench %s (%s)\n", bb_version, bb_git_commit);
		return BB_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		int rc = commands[i].fn(argc - 1, argv + 1);
		/* stdout's errors are sticky: one check after the last write and
		 * the final flush covers every write (a report cut short on a
		 * full disk must not exit 0) */
		errno = 0;
		if (fflush(stdout) != 0 || ferror(stdout)) {
			/* errno is known only when this last flush failed; an earlier
			 * one may have emptied the buffer */
			int e = errno;
			fprintf(stderr, "bootbench %s: cannot write standard output: %s: what it printed is incomplete; write it somewhere with room\n",
				name, e ? strerror(e) : "a write failed (a full disk, or a closed pipe)");
			if (rc == BB_EXIT_OK)
				rc = BB_EXIT_FAILED;
		}
		return rc;
	}
	fprintf(stderr, "bootbench: unknown command '%s': use run, info, profiles, sweep, plot, upload, compare, report, gate, trace, query, slim or initramfs (bootbench help)\n", name);
	return BB_EXIT_USAGE;
}
