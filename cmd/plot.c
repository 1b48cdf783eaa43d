/* bootbench plot: the charts reviewers look at, drawn by the gnuplot
 * scripts in plot/ from data files written here. replot.sh in the output
 * directory repeats every gnuplot command, for tweaking by hand. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "call_digest.h"
#include "data_dir.h"
#include "errorf.h"
#include "folded.h"
#include "gnuplot.h"
#include "json_file.h"
#include "options.h"
#include "parse.h"
#include "plot_data.h"
#include "result_pool.h"
#include "result_reader.h"

struct plot_job {
	const char *out_dir;
	const char *plot_dir;
	int png, svg;
	FILE *replay;
	size_t charts;
};

static void usage(FILE *out)
{
	fputs("usage: bootbench plot RESULT.json... --out DIR [--format png|svg|both] [--op NAME ...] [--pool]\n"
	      "\n"
	      "Writes, each when the inputs allow it: startup distribution per run; where time\n"
	      "moved (phases and ops, stacked); per-call latency CDFs of KVM_IOEVENTFD,\n"
	      "KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU and each --op; scaling against the\n"
	      "number of devices (from a sweep: give its results or its index file); startup\n"
	      "per iteration. Needs gnuplot (apt-get install gnuplot-nox).\n"
	      "\n"
	      "  --pool      results with the same labels are one series, their iterations\n"
	      "              together (several boots of one side of an A/B, as compare pools them)\n"
	      "  --timeout MS  each gnuplot is killed after MS milliseconds (default 60000;\n"
	      "              every --timeout of bootbench is in milliseconds)\n"
	      "\n"
	      "The gnuplot scripts are found in $BOOTBENCH_PLOT_DIR, else in\n"
	      "<prefix>/share/bootbench/plot beside an installed bootbench, else in the\n"
	      "source tree it was built from.\n",
	      out);
}

static int chart(struct plot_job *j, const char *name, const char *script, const char *title,
		 struct bb_gp_var *vars, size_t nvars, char *err, size_t errlen)
{
	char gp[PATH_MAX], out[PATH_MAX];
	snprintf(gp, sizeof(gp), "%s/%s", j->plot_dir, script);
	for (int f = 0; f < 2; f++) {
		if (!(f == 0 ? j->png : j->svg))
			continue;
		snprintf(out, sizeof(out), "%s/%s.%s", j->out_dir, name, f == 0 ? "png" : "svg");
		vars[0] = (struct bb_gp_var){ "termname", f == 0 ? bb_gnuplot_png_terminal() : "svg", 0 };
		vars[1] = (struct bb_gp_var){ "width", NULL, 1000 };
		vars[2] = (struct bb_gp_var){ "height", NULL, 640 };
		vars[3] = (struct bb_gp_var){ "outfile", out, 0 };
		vars[4] = (struct bb_gp_var){ "charttitle", title, 0 };
		vars[5] = (struct bb_gp_var){ "plotdir", j->plot_dir, 0 };
		if (bb_gnuplot_run(gp, vars, nvars, j->replay, err, errlen) < 0)
			return -1;
		printf("chart: %s\n", out);
		j->charts++;
	}
	return 0;
}

#define FIXED_VARS 7 /* the six of chart() and datafile */

/* labelI and titleI for every run, after the fixed variables. */
static size_t run_vars(struct bb_gp_var *v, size_t at, const struct bb_plot_run *runs, size_t n, char names[][16])
{
	for (size_t r = 0; r < n; r++) {
		snprintf(names[2 * r], 16, "label%zu", r + 1);
		snprintf(names[2 * r + 1], 16, "title%zu", r + 1);
		v[at++] = (struct bb_gp_var){ names[2 * r], runs[r].label, 0 };
		v[at++] = (struct bb_gp_var){ names[2 * r + 1], runs[r].title, 0 };
	}
	return at;
}

/* index: the sweep index that listed paths, or NULL for the command line.
 * It recurses once at most: an index listing an index is refused. */
// NOLINTNEXTLINE(misc-no-recursion): one level, as above
static int load_inputs(char **paths, int n, const char *index, struct bb_plot_run *runs, size_t *nruns, char *err,
		       size_t errlen)
{
	for (int i = 0; i < n; i++) {
		json_error_t jerr;
		json_t *doc = bb_json_load_path(paths[i], 0, &jerr);
		json_t *schema = doc ? json_object_get(doc, "schema") : NULL;
		if (json_is_string(schema) && !strcmp(json_string_value(schema), "bootbench-sweep")) {
			if (index) { /* else an index listing itself recurses forever */
				bb_errorf(err, errlen, "%s lists %s, another sweep index: an index's points must be result files",
					  index, paths[i]);
				json_decref(doc);
				return -1;
			}
			/* a sweep index: plot its points */
			size_t k;
			json_t *pt;
			json_array_foreach(json_object_get(doc, "points"), k, pt) {
				json_t *res = json_object_get(pt, "result");
				if (!json_is_string(res) || !json_string_value(res)[0])
					continue;
				/* a point's path is relative to the index's own directory
				 * (older indexes: to where the sweep ran) */
				char resolved[PATH_MAX];
				const char *given = json_string_value(res);
				const char *slash = strrchr(paths[i], '/');
				if (given[0] != '/' && slash &&
				    snprintf(resolved, sizeof(resolved), "%.*s/%s", (int)(slash - paths[i]), paths[i], given) < (int)sizeof(resolved) &&
				    access(resolved, F_OK) == 0)
					given = resolved;
				char *one[] = { (char *)given };
				if (load_inputs(one, 1, paths[i], runs, nruns, err, errlen) < 0) {
					json_decref(doc);
					return -1;
				}
			}
			json_decref(doc);
			continue;
		}
		json_decref(doc);
		if (*nruns == BB_PLOT_MAX_RUNS) {
			bb_errorf(err, errlen, "more than %d results: plot fewer at a time", BB_PLOT_MAX_RUNS);
			return -1;
		}
		struct bb_plot_run *r = &runs[*nruns];
		r->doc = bb_result_load(paths[i], err, errlen);
		if (!r->doc)
			return -1;
		bb_plot_run_describe(r, paths[i]);
		(*nruns)++;
	}
	return 0;
}

/* --pool: runs whose labels are the same become the first of them, with
 * every run's iterations (their stacks renumbered); *n becomes the number of runs left (-1 with err
 * set when that fails; *n still counts the runs to free). Where one run is
 * slim, each is made slim first, and their call histograms are added up:
 * the CDF of a pool is of all its calls. */
static int pool_runs(struct bb_plot_run *runs, size_t *np, char *err, size_t errlen)
{
	size_t kept = 0, removed, n = *np;
	bool any_slim = false;
	for (size_t i = 0; i < n; i++)
		any_slim = any_slim || bb_result_is_slim(runs[i].doc);
	for (size_t i = 0; i < n && any_slim; i++) {
		char why[512];
		if (!bb_result_is_slim(runs[i].doc) && bb_result_slim(runs[i].doc, &removed, why, sizeof(why)) < 0 &&
		    removed > 0) {
			bb_errorf(err, errlen, "cannot pool %s with slim results: %s", runs[i].label, why);
			return -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < kept && strcmp(runs[k].label, runs[i].label))
			k++;
		if (k == kept) {
			runs[kept++] = runs[i];
			continue;
		}
		if (bb_result_pool_into(runs[k].doc, runs[i].doc, err, errlen) < 0) {
			json_decref(runs[i].doc);
			for (size_t r = i + 1; r < n; r++)
				json_decref(runs[r].doc);
			*np = kept;
			return -1;
		}
		json_decref(runs[i].doc);
	}
	*np = kept;
	return 0;
}

static int draw_all(struct plot_job *j, const struct bb_plot_run *runs, size_t n, const char **ops, size_t nops,
		    char *err, size_t errlen)
{
	static struct bb_gp_var v[FIXED_VARS + 2 * BB_PLOT_MAX_RUNS + 2 * BB_PLOT_MAX_STACK + 8];
	static char names[2 * BB_PLOT_MAX_RUNS][16], stack_var[BB_PLOT_MAX_STACK][16];
	char data[PATH_MAX], stack[BB_PLOT_MAX_STACK][160], title[256], file[200];
	size_t at;

	/* 1. startup distribution */
	snprintf(data, sizeof(data), "%s/startup.dat", j->out_dir);
	if (bb_plot_startup(data, runs, n, err, errlen) < 0)
		return -1;
	v[6] = (struct bb_gp_var){ "datafile", data, 0 };
	at = run_vars(v, FIXED_VARS, runs, n, names);
	v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
	if (chart(j, "startup-distribution", "startup.gp", "VM startup to boot-done, per run", v, at, err, errlen) < 0)
		return -1;

	/* 2. where time moved: phases, then ops */
	for (int ops_stack = 0; ops_stack < 2; ops_stack++) {
		snprintf(data, sizeof(data), "%s/%s.dat", j->out_dir, ops_stack ? "ops" : "phases");
		int cols = bb_plot_stack(data, runs, n, ops_stack, stack, err, errlen);
		if (cols < 0)
			return -1;
		if (cols == 0)
			continue;
		at = run_vars(v, FIXED_VARS, runs, n, names);
		v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
		v[at++] = (struct bb_gp_var){ "ncols", NULL, cols };
		v[at++] = (struct bb_gp_var){ "ytext", ops_stack ? "median time per iteration in the op (ms)"
								 : "median time per iteration in the phase (ms)", 0 };
		for (int k = 0; k < cols; k++) {
			snprintf(stack_var[k], sizeof(stack_var[k]), "name%d", k + 1);
			v[at++] = (struct bb_gp_var){ stack_var[k], stack[k], 0 };
		}
		if (chart(j, ops_stack ? "where-time-moved-ops" : "where-time-moved-phases", "stack.gp",
			  ops_stack ? "Where time moved: the largest ops of the boot, per iteration" : "Where time moved: startup phases, in boot order",
			  v, at, err, errlen) < 0)
			return -1;
	}

	/* off-CPU time by kernel function, and each run's folded stacks */
	snprintf(data, sizeof(data), "%s/offcpu.dat", j->out_dir);
	int fns = bb_plot_offcpu(data, runs, n, err, errlen);
	if (fns < 0)
		return -1;
	if (fns > 0) {
		at = run_vars(v, FIXED_VARS, runs, n, names);
		v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
		if (chart(j, "offcpu-by-function", "offcpu.gp", "Off-CPU time by the kernel function each op waited in",
			  v, at, err, errlen) < 0)
			return -1;
	}
	for (size_t r = 0; r < n; r++) {
		char folded[PATH_MAX];
		snprintf(folded, sizeof(folded), "%s/offcpu-%zu.folded", j->out_dir, r + 1);
		FILE *f = fopen(folded, "w");
		if (!f) {
			bb_errorf(err, errlen, "cannot write %s: %s", folded, strerror(errno));
			return -1;
		}
		int lines = bb_folded_write(f, runs[r].doc);
		if (ferror(f) | (fclose(f) != 0)) {
			bb_errorf(err, errlen, "cannot write %s: %s", folded, strerror(errno));
			return -1;
		}
		if (lines > 0)
			printf("folded: %s (%s)\n", folded, runs[r].label);
		else
			remove(folded);
	}

	/* 3. per-call latency CDFs */
	for (size_t o = 0; o < nops; o++) {
		snprintf(file, sizeof(file), "cdf-");
		size_t len = strlen(file);
		for (const char *c = ops[o]; *c && len < sizeof(file) - 1; c++) /* a file name from any op name */
			file[len++] = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ? *c : '-';
		file[len] = '\0';
		snprintf(data, sizeof(data), "%s/%s.dat", j->out_dir, file);
		int series = bb_plot_cdf(data, ops[o], runs, n, err, errlen);
		if (series < 0)
			return -1;
		if (series == 0) {
			remove(data);
			continue;
		}
		at = run_vars(v, FIXED_VARS, runs, n, names);
		v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
		v[at++] = (struct bb_gp_var){ "opname", ops[o], 0 };
		snprintf(title, sizeof(title), "Per-call latency of %s (boot critical path)", ops[o]);
		if (chart(j, file, "cdf.gp", title, v, at, err, errlen) < 0)
			return -1;
	}

	/* 4. scaling, from a sweep */
	size_t groups[BB_PLOT_MAX_RUNS];
	snprintf(data, sizeof(data), "%s/scaling.dat", j->out_dir);
	int ngroups = bb_plot_scaling(data, runs, n, groups, err, errlen);
	if (ngroups < 0)
		return -1;
	if (ngroups > 0) {
		struct bb_plot_run group_runs[BB_PLOT_MAX_RUNS];
		for (int g = 0; g < ngroups; g++) {
			group_runs[g] = runs[groups[g]];
			memcpy(group_runs[g].label, group_runs[g].group, sizeof(group_runs[g].group));
			memcpy(group_runs[g].title, group_runs[g].group_title, sizeof(group_runs[g].title));
		}
		for (int which = 0; which < 2; which++) {
			at = run_vars(v, FIXED_VARS, group_runs, (size_t)ngroups, names);
			v[at++] = (struct bb_gp_var){ "n", NULL, ngroups };
			v[at++] = (struct bb_gp_var){ "col", NULL, which ? 5 : 2 };
			v[at++] = (struct bb_gp_var){ "ytext", which ? "startup to boot-done (ms, log scale; p10..p90)"
								 : "KVM_IOEVENTFD time per device (us, log scale; p10..p90)", 0 };
			if (chart(j, which ? "scaling-startup" : "scaling-registration", "scaling.gp",
				  which ? "Startup against the number of devices" : "Registration cost per device against the number of devices",
				  v, at, err, errlen) < 0)
				return -1;
		}
	} else {
		remove(data);
	}

	/* 5. per-iteration time series */
	snprintf(data, sizeof(data), "%s/timeseries.dat", j->out_dir);
	if (bb_plot_timeseries(data, runs, n, err, errlen) < 0)
		return -1;
	v[6] = (struct bb_gp_var){ "datafile", data, 0 };
	at = run_vars(v, FIXED_VARS, runs, n, names);
	v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
	return chart(j, "startup-per-iteration", "timeseries.gp", "Startup per iteration (warm-up and drift)", v, at, err, errlen);
}

/* $BOOTBENCH_PLOT_DIR; else share/bootbench/plot under the prefix the
 * binary was installed in (bin/..); else the source tree of the build. */
static int find_plot_dir(char *buf, size_t len, char *err, size_t errlen)
{
	return bb_data_dir("plot", "startup.gp", "BOOTBENCH_PLOT_DIR", BB_PLOT_DIR, buf, len, err, errlen);
}

int cmd_plot(int argc, char **argv)
{
	struct bb_plot_args a;
	char err[1024];

	if (bb_plot_parse(argc, argv, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench plot: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (a.help) {
		usage(stdout);
		return BB_EXIT_OK;
	}
	struct plot_job j = { .out_dir = a.out_dir, .png = a.png, .svg = a.svg };

	static struct bb_plot_run runs[BB_PLOT_MAX_RUNS];
	size_t n = 0;
	int rc = BB_EXIT_USAGE;
	if (load_inputs(argv + a.first_file, argc - a.first_file, NULL, runs, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench plot: %s\n", err);
		goto out;
	}
	if (a.pool && pool_runs(runs, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench plot: %s\n", err);
		goto out;
	}
	static char plot_dir[PATH_MAX];
	rc = BB_EXIT_FAILED;
	if (find_plot_dir(plot_dir, sizeof(plot_dir), err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench plot: %s\n", err);
		goto out;
	}
	j.plot_dir = plot_dir;
	bb_gnuplot_set_timeout(a.timeout_ms);
	/* before anything is written: a missing gnuplot leaves no half a chart set */
	if (bb_gnuplot_check(err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench plot: %s\n", err);
		goto out;
	}
	rc = BB_EXIT_USAGE;
	if (mkdir(j.out_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "bootbench plot: cannot create --out %s: %s\n", j.out_dir, strerror(errno));
		goto out;
	}
	char replay[PATH_MAX];
	snprintf(replay, sizeof(replay), "%s/replot.sh", j.out_dir);
	j.replay = fopen(replay, "w");
	if (j.replay)
		fputs("#!/bin/sh\n# The gnuplot commands bootbench plot ran; edit a script or a variable and re-run.\nset -e\n", j.replay);
	rc = draw_all(&j, runs, n, a.ops, a.nops, err, sizeof(err)) < 0 ? BB_EXIT_FAILED : BB_EXIT_OK;
	if (j.replay)
		fclose(j.replay);
	if (rc != BB_EXIT_OK)
		fprintf(stderr, "bootbench plot: %s\n", err);
out:
	for (size_t i = 0; i < n; i++)
		json_decref(runs[i].doc);
	return rc;
}
