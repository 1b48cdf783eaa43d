/* bootbench sweep: run a grid of profile sizes (devices x vCPUs x queues)
 * with the options of run, one result file per point and an index. It
 * stops at the first point that fails (the KVM bus limit, typically) and
 * keeps the points already measured. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "cmd.h"
#include "parse.h"
#include "options.h"
#include "runner.h"
#include "run_options.h"
#include "summary_table.h"

static void usage(FILE *out)
{
	fputs("usage: bootbench sweep --devices 16,64,256,1024 [--vcpus 1,4,16] [--queues 1,4]\n"
	      "                       [any option of bootbench run]\n"
	      "\n"
	      "Runs every combination of the listed values, each as bootbench run would,\n"
	      "writing one result per point and sweep-<profile>-<time>-<pid>.json, an index of them,\n"
	      "to --out. At the first point that fails (at the KVM bus limit, say) it stops\n"
	      "and keeps the points measured. bootbench plot draws the scaling charts from\n"
	      "the results. Exit status: 0 every point ran, 1 the sweep stopped, 2 bad usage.\n",
	      out);
}

static int write_index(const char *path, json_t *index)
{
	struct bb_atomic_file af;
	char err[1024];
	if (bb_atomic_open(&af, path, err, sizeof(err)) < 0 || json_dumpf(index, af.f, JSON_INDENT(2)) != 0 ||
	    bb_atomic_commit(&af, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench sweep: %s\n", err);
		return -1;
	}
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	static struct bb_sweep_args a;
	static struct bb_run_args point;
	char err[1024], index_path[PATH_MAX], stamp[32];

	if (bb_sweep_parse(argc, argv, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench sweep: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (a.help) {
		usage(stdout);
		return BB_EXIT_OK;
	}
	const struct bb_run_args *base = &a.base;
	size_t total = a.points;

	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	/* the pid: sweeps started in the same second each keep their index */
	snprintf(index_path, sizeof(index_path), "%s/sweep-%s-%s-%d.json", base->out_dir, base->cfg.profile.name, stamp,
		 (int)getpid());
	/* the index is written even when the first point fails: it says why */
	if (bb_run_make_dirs(base->out_dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench sweep: %s\n", err);
		return BB_EXIT_USAGE;
	}
	json_t *points = json_array();
	json_t *index = json_pack("{s:s, s:i, s:s, s:o, s:n}", "schema", "bootbench-sweep", "schema_version", 1,
				  "profile", base->cfg.profile.name, "points", points, "stopped");
	bool tty = isatty(STDERR_FILENO), written = false;
	int rc = BB_EXIT_OK;

	for (size_t p = 0; p < total; p++) {
		uint32_t v[3];
		bb_sweep_point(&a, p, &point, v, err, sizeof(err)); /* checked by bb_sweep_parse */
		point.quiet = true;
		if (tty)
			fprintf(stderr, "[%zu/%zu] devices=%u vcpus=%u queues=%u\n", p + 1, total, v[0], v[1], v[2]);
		static struct bb_run_outcome run;
		int prc = bb_run_execute(&point, &run);
		/* relative to the index's directory (both are in --out), so the
		 * index plots from anywhere and survives being moved with them */
		const char *slash = strrchr(run.json_path, '/');
		const char *path = slash ? slash + 1 : run.json_path;
		/* a point that wrote no result names none */
		json_t *entry = json_pack("{s:I, s:I, s:I, s:o, s:s}", "devices", (json_int_t)v[0], "vcpus", (json_int_t)v[1],
					  "queues", (json_int_t)v[2], "result", path[0] ? json_string(path) : json_null(), "status",
					  prc == BB_EXIT_OK ? "ok" : prc == BB_EXIT_INTERRUPTED ? "interrupted" : "failed");
		if (!entry || json_array_append_new(points, entry) < 0) {
			fprintf(stderr, "bootbench sweep: out of memory recording point %zu\n", p + 1);
			rc = BB_EXIT_FAILED;
			break;
		}
		if (prc != BB_EXIT_OK) {
			const char *why = run.first_error[0] ? run.first_error
					  : prc == BB_EXIT_INTERRUPTED ? "interrupted (SIGINT or SIGTERM)" : "the run failed";
			bool bus_full = run.first_error_kind == BB_ERROR_BUS_FULL;
			char stop[1536];
			snprintf(stop, sizeof(stop), "at devices=%u vcpus=%u queues=%u: %s%s", v[0], v[1], v[2],
				 bus_full ? "the KVM I/O bus is full (NR_IOBUS_DEVS); " : "", why);
			json_object_set_new(index, "stopped", json_string(stop));
			fprintf(stderr, "bootbench sweep: stopped %s; the %zu points before it are kept\n", stop, p);
			rc = prc == BB_EXIT_INTERRUPTED ? BB_EXIT_INTERRUPTED : BB_EXIT_FAILED;
		}
		if (write_index(index_path, index) < 0)
			rc = BB_EXIT_FAILED;
		else
			written = true;
		if (rc != BB_EXIT_OK)
			break;
	}
	if (written) /* never a path to a file that is not there */
		printf("sweep index: %s\n", index_path);
	json_decref(index);
	return rc;
}
