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
#include "flamegraph_svg.h"
#include "plot_ab.h"
#include "result_pool.h"
#include "result_reader.h"
#include "side_names.h"

struct plot_job {
	const char *out_dir;
	const char *plot_dir;
	int png, svg;
	FILE *replay;
	size_t charts;
	char subtitle[512]; /* what every side shares */
};

static void usage(FILE *out)
{
	fputs("usage: bootbench plot RESULT.json... --out DIR [--format png|svg|both] [--op NAME ...]\n"
	      "                      [--pool] [--name N=NAME ...] [--timeout MS]\n"
	      "\n"
	      "The first side is the baseline. Writes, each when the inputs allow it:\n"
	      "  acts             the three acts, a panel each: registration per call, the\n"
	      "                   memslot update after it, the startup's SRCU waits, vmm and\n"
	      "                   startup; each side's median with its 95% CI\n"
	      "  moved-ops, moved-phases\n"
	      "                   where time moved: B - A per op and per phase, each side\n"
	      "                   against the baseline, with compare's 99% CI\n"
	      "  startup-distribution, startup-per-iteration\n"
	      "  where-time-goes-ops, where-time-goes-phases   the times themselves, stacked\n"
	      "  offcpu-by-function, offcpu-diff-N.svg (side N against the baseline, a\n"
	      "                   differential flame graph), offcpu-N.folded (for speedscope\n"
	      "                   or inferno)\n"
	      "  cdf-OP           per-call latency of KVM_IOEVENTFD, KVM_SET_USER_MEMORY_REGION,\n"
	      "                   KVM_CREATE_VCPU and each --op\n"
	      "  scaling-*        against the number of devices, from a sweep (its results\n"
	      "                   or its index file)\n"
	      "Charts name each side by a short name: its \"side\" label, its lab side, the\n"
	      "labels that differ between the sides, or --name; sides.txt lists each name with\n"
	      "its labels and files. Needs gnuplot (apt-get install gnuplot-nox).\n"
	      "\n"
	      "  --pool      results with the same labels are one series, their iterations\n"
	      "              together (several boots of one side of an A/B, as compare pools them)\n"
	      "  --name N=NAME  call side N (from 1, after --pool) NAME, at most 24 characters\n"
	      "  --timeout MS  each gnuplot is killed after MS milliseconds (default 60000;\n"
	      "              every --timeout of bootbench is in milliseconds)\n"
	      "\n"
	      "The gnuplot scripts are found in $BOOTBENCH_PLOT_DIR, else in\n"
	      "<prefix>/share/bootbench/plot beside an installed bootbench, else in the\n"
	      "source tree it was built from.\n",
	      out);
}

/* gnuplot runs in the output directory (bb_gnuplot_set_dir): every file
 * it reads or writes is named relative to it. */
static int chart(struct plot_job *j, const char *name, const char *script, const char *title,
		 struct bb_gp_var *vars, size_t nvars, char *err, size_t errlen)
{
	char gp[PATH_MAX], out[PATH_MAX];
	snprintf(gp, sizeof(gp), "%s/%s", j->plot_dir, script);
	for (int f = 0; f < 2; f++) {
		if (!(f == 0 ? j->png : j->svg))
			continue;
		snprintf(out, sizeof(out), "%s.%s", name, f == 0 ? "png" : "svg");
		vars[0] = (struct bb_gp_var){ "termname", f == 0 ? bb_gnuplot_png_terminal() : "svg", 0 };
		vars[1] = (struct bb_gp_var){ "width", NULL, 1000 };
		vars[2] = (struct bb_gp_var){ "height", NULL, 640 };
		vars[3] = (struct bb_gp_var){ "outfile", out, 0 };
		vars[4] = (struct bb_gp_var){ "charttitle", title, 0 };
		vars[5] = (struct bb_gp_var){ "plotdir", j->plot_dir, 0 };
		vars[6] = (struct bb_gp_var){ "subtitle", j->subtitle, 0 };
		if (bb_gnuplot_run(gp, vars, nvars, j->replay, err, errlen) < 0)
			return -1;
		printf("chart: %s/%s\n", j->out_dir, out);
		j->charts++;
	}
	return 0;
}

#define FIXED_VARS 8 /* the seven of chart() and datafile */

/* labelI and titleI for every run, after the fixed variables: both its
 * short name (side_names.h), for ticks and legends alike. */
static size_t run_vars(struct bb_gp_var *v, size_t at, const struct bb_plot_run *runs, size_t n, char names[][16])
{
	for (size_t r = 0; r < n; r++) {
		snprintf(names[2 * r], 16, "label%zu", r + 1);
		snprintf(names[2 * r + 1], 16, "title%zu", r + 1);
		v[at++] = (struct bb_gp_var){ names[2 * r], runs[r].name, 0 };
		v[at++] = (struct bb_gp_var){ names[2 * r + 1], runs[r].name, 0 };
	}
	return at;
}

/* Each data file by its name in the output directory, as gnuplot sees it. */
static void data_file(const struct plot_job *j, char *path, size_t len, const char *name, struct bb_gp_var *v)
{
	snprintf(path, len, "%s/%s", j->out_dir, name);
	v[7] = (struct bb_gp_var){ "datafile", name, 0 };
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
		r->paths[0] = strdup(paths[i]);
		r->npaths = 1;
		bb_plot_run_describe(r, paths[i]);
		(*nruns)++;
		if (!r->paths[0]) {
			bb_errorf(err, errlen, "out of memory loading %s", paths[i]);
			return -1;
		}
	}
	return 0;
}

static void free_run(struct bb_plot_run *r)
{
	json_decref(r->doc);
	r->doc = NULL;
	for (size_t i = 0; i < r->npaths; i++)
		free(r->paths[i]);
	r->npaths = 0;
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
		if (runs[k].npaths == BB_PLOT_MAX_FILES) {
			bb_errorf(err, errlen, "more than %d files with the labels %s: pool fewer", BB_PLOT_MAX_FILES, runs[k].label);
			for (size_t r = i; r < n; r++)
				free_run(&runs[r]);
			*np = kept;
			return -1;
		}
		if (bb_result_pool_into(runs[k].doc, runs[i].doc, err, errlen) < 0) {
			for (size_t r = i; r < n; r++)
				free_run(&runs[r]);
			*np = kept;
			return -1;
		}
		runs[k].paths[runs[k].npaths++] = runs[i].paths[0];
		runs[i].paths[0] = NULL;
		free_run(&runs[i]);
	}
	*np = kept;
	return 0;
}

static struct bb_gp_var v[FIXED_VARS + 2 * BB_PLOT_MAX_RUNS + 4 * BB_PLOT_MAX_STACK + 4 * BB_PLOT_MAX_PANELS + 16];
static char names[2 * BB_PLOT_MAX_RUNS][16];

/* The three acts, one panel per quantity that applies. */
static int draw_acts(struct plot_job *j, const struct bb_plot_ab *ab, const struct bb_plot_run *runs, size_t n,
		     char *err, size_t errlen)
{
	static char pvar[BB_PLOT_MAX_PANELS][4][16];
	struct bb_plot_panel panels[BB_PLOT_MAX_PANELS];
	char data[PATH_MAX];
	data_file(j, data, sizeof(data), "acts.dat", v);
	int np = bb_plot_acts(data, ab, panels, err, errlen);
	if (np <= 0) {
		remove(data);
		return np;
	}
	size_t at = run_vars(v, FIXED_VARS, runs, n, names);
	v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
	v[at++] = (struct bb_gp_var){ "npanels", NULL, np };
	for (int k = 0; k < np; k++) {
		snprintf(pvar[k][0], 16, "ptitle%d", k + 1);
		snprintf(pvar[k][1], 16, "punit%d", k + 1);
		snprintf(pvar[k][2], 16, "plog%d", k + 1);
		snprintf(pvar[k][3], 16, "pmetric%d", k + 1);
		v[at++] = (struct bb_gp_var){ pvar[k][3], panels[k].metric, 0 };
		v[at++] = (struct bb_gp_var){ pvar[k][0], panels[k].title, 0 };
		v[at++] = (struct bb_gp_var){ pvar[k][1], panels[k].unit, 0 };
		v[at++] = (struct bb_gp_var){ pvar[k][2], NULL, panels[k].log };
	}
	return chart(j, "acts", "acts.gp", "The three acts: each side's median with its 95% CI", v, at, err, errlen);
}

/* Where time moved, B - A per op and per phase, each side against the first. */
static int draw_moved(struct plot_job *j, const struct bb_plot_ab *ab, const struct bb_plot_run *runs, size_t n,
		      char *err, size_t errlen)
{
	static char rowvar[BB_PLOT_MOVED_ROWS][16], rows[BB_PLOT_MOVED_ROWS][160];
	static char title[2][256];
	char data[PATH_MAX];
	if (n < 2)
		return 0;
	for (int ops = 1; ops >= 0; ops--) {
		data_file(j, data, sizeof(data), ops ? "moved-ops.dat" : "moved-phases.dat", v);
		int nrows = bb_plot_moved(data, ab, ops, rows, err, errlen);
		if (nrows < 0)
			return -1;
		if (nrows == 0)
			continue;
		/* the sides after the first, as series 1..n-1 */
		size_t at = run_vars(v, FIXED_VARS, runs + 1, n - 1, names);
		v[at++] = (struct bb_gp_var){ "n", NULL, (double)(n - 1) };
		v[at++] = (struct bb_gp_var){ "nrows", NULL, nrows };
		v[at++] = (struct bb_gp_var){ "baseline", runs[0].name, 0 };
		v[at++] = (struct bb_gp_var){ "what", ops ? "op, per-iteration total" : "phase of startup", 0 };
		size_t widest = 0;
		for (int k = 0; k < nrows; k++) {
			snprintf(rowvar[k], sizeof(rowvar[k]), "row%d", k + 1);
			v[at++] = (struct bb_gp_var){ rowvar[k], rows[k], 0 };
			widest = strlen(rows[k]) > widest ? strlen(rows[k]) : widest;
		}
		/* room for the longest name at the left, never cut by the edge */
		v[at++] = (struct bb_gp_var){ "lmarg", NULL, (double)widest * 1.15 + 3 }; /* gnuplot's character is narrower than a capital */
		snprintf(title[ops], sizeof(title[ops]), "Where time moved against %s: B - A per %s, with its 99%% CI",
			 runs[0].name, ops ? "op" : "phase");
		if (chart(j, ops ? "moved-ops" : "moved-phases", "moved.gp", title[ops], v, at, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* Each side's off-CPU stacks folded, and each against the first as a
 * differential flame graph. */
static int draw_offcpu_stacks(struct plot_job *j, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen)
{
	char folded[PATH_MAX], first[PATH_MAX] = "";
	for (size_t r = 0; r < n; r++) {
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
		if (lines <= 0) {
			remove(folded);
			continue;
		}
		printf("folded: %s (%s)\n", folded, runs[r].name);
		if (r == 0) {
			snprintf(first, sizeof(first), "%s", folded);
			continue;
		}
		if (!first[0])
			continue;
		char svg[PATH_MAX], title[256], subtitle[512];
		snprintf(svg, sizeof(svg), "%s/offcpu-diff-%zu.svg", j->out_dir, r + 1);
		snprintf(title, sizeof(title), "Off-CPU time, %s (B) against %s (A)", runs[r].name, runs[0].name);
		snprintf(subtitle, sizeof(subtitle), "summed over the measured iterations, by op and kernel stack%s%s",
			 j->subtitle[0] ? "; " : "", j->subtitle);
		FILE *a = fopen(first, "r"), *b = fopen(folded, "r"), *out = fopen(svg, "w");
		int rc = -1;
		if (a && b && out) {
			struct bb_flamegraph_text text = { title, subtitle };
			rc = bb_flamegraph_diff_svg(out, a, b, &text, err, errlen);
		} else {
			bb_errorf(err, errlen, "cannot write %s: %s", svg, strerror(errno));
		}
		if (a)
			fclose(a);
		if (b)
			fclose(b);
		if (out && (fclose(out) != 0) && rc >= 0) {
			bb_errorf(err, errlen, "cannot write %s: %s", svg, strerror(errno));
			rc = -1;
		}
		if (rc < 0)
			return -1;
		printf("chart: %s\n", svg);
		j->charts++;
	}
	return 0;
}

static int draw_all(struct plot_job *j, const struct bb_plot_run *runs, size_t n, const struct bb_plot_ab *ab,
		    const char **ops, size_t nops, char *err, size_t errlen)
{
	static char stack_var[BB_PLOT_MAX_STACK][16];
	char data[PATH_MAX], stack[BB_PLOT_MAX_STACK][160], title[256], file[200];
	size_t at;

	if (draw_acts(j, ab, runs, n, err, errlen) < 0)
		return -1;

	/* startup distribution, on the axis its outliers call for */
	struct bb_plot_axis axis;
	char above[160] = "";
	data_file(j, data, sizeof(data), "startup.dat", v);
	if (bb_plot_startup(data, runs, n, &axis, err, errlen) < 0)
		return -1;
	at = run_vars(v, FIXED_VARS, runs, n, names);
	v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
	v[at++] = (struct bb_gp_var){ "logy", NULL, axis.log };
	v[at++] = (struct bb_gp_var){ "ymax", NULL, axis.clipped ? axis.ymax : 0 };
	if (axis.clipped)
		snprintf(above, sizeof(above), "%zu iteration%s above the axis (drawn on its edge), up to %.1f ms", axis.above,
			 axis.above == 1 ? "" : "s", axis.above_max);
	v[at++] = (struct bb_gp_var){ "abovenote", above, 0 };
	if (chart(j, "startup-distribution", "startup.gp", "VM startup to boot-done, per side", v, at, err, errlen) < 0)
		return -1;

	if (draw_moved(j, ab, runs, n, err, errlen) < 0)
		return -1;

	/* the time itself, stacked: what the differences above are out of */
	for (int ops_stack = 0; ops_stack < 2; ops_stack++) {
		data_file(j, data, sizeof(data), ops_stack ? "ops.dat" : "phases.dat", v);
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
		if (chart(j, ops_stack ? "where-time-goes-ops" : "where-time-goes-phases", "stack.gp",
			  ops_stack ? "Where time goes: the largest ops of the boot, per iteration" : "Where time goes: startup phases, in boot order",
			  v, at, err, errlen) < 0)
			return -1;
	}

	/* off-CPU time by kernel function, and each run's folded stacks */
	data_file(j, data, sizeof(data), "offcpu.dat", v);
	int fns = bb_plot_offcpu(data, runs, n, err, errlen);
	if (fns < 0)
		return -1;
	if (fns > 0) {
		at = run_vars(v, FIXED_VARS, runs, n, names);
		v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
		if (chart(j, "offcpu-by-function", "offcpu.gp", "Off-CPU time by the kernel function each op waited in",
			  v, at, err, errlen) < 0)
			return -1;
	} else {
		remove(data);
	}
	if (draw_offcpu_stacks(j, runs, n, err, errlen) < 0)
		return -1;

	/* per-call latency CDFs */
	for (size_t o = 0; o < nops; o++) {
		static char dat[200 + 4];
		snprintf(file, sizeof(file), "cdf-");
		size_t len = strlen(file);
		for (const char *c = ops[o]; *c && len < sizeof(file) - 1; c++) /* a file name from any op name */
			file[len++] = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ? *c : '-';
		file[len] = '\0';
		snprintf(dat, sizeof(dat), "%s.dat", file);
		data_file(j, data, sizeof(data), dat, v);
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

	/* scaling, from a sweep: two device counts at least */
	size_t groups[BB_PLOT_MAX_RUNS];
	data_file(j, data, sizeof(data), "scaling.dat", v);
	int ngroups = bb_plot_scaling(data, runs, n, groups, err, errlen);
	if (ngroups < 0)
		return -1;
	if (ngroups > 0) {
		struct bb_plot_run group_runs[BB_PLOT_MAX_RUNS];
		for (int g = 0; g < ngroups; g++) {
			group_runs[g] = runs[groups[g]];
			snprintf(group_runs[g].name, sizeof(group_runs[g].name), "%s", runs[groups[g]].name);
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

	/* per-iteration time series, a line per run, broken between pooled runs */
	data_file(j, data, sizeof(data), "timeseries.dat", v);
	if (bb_plot_timeseries(data, runs, n, err, errlen) < 0)
		return -1;
	at = run_vars(v, FIXED_VARS, runs, n, names);
	v[at++] = (struct bb_gp_var){ "n", NULL, (double)n };
	return chart(j, "startup-per-iteration", "timeseries.gp", "Startup per iteration (warm-up and drift)", v, at, err, errlen);
}

/* Short names for every side, and what they share for the subtitles. */
static void name_sides(struct plot_job *j, struct bb_plot_run *runs, size_t n, const char *const *given)
{
	static struct bb_side_name_input in[BB_PLOT_MAX_RUNS];
	static json_t *docs[BB_PLOT_MAX_RUNS];
	for (size_t i = 0; i < n; i++) {
		in[i] = (struct bb_side_name_input){ .doc = runs[i].doc, .path = runs[i].paths[0], .given = given[i] };
		docs[i] = runs[i].doc;
	}
	bb_side_names(in, n);
	for (size_t i = 0; i < n; i++)
		memcpy(runs[i].name, in[i].name, sizeof(runs[i].name));
	bb_sides_context(docs, n, j->subtitle, sizeof(j->subtitle));
}

/* The full label set and the files of each side, which the charts name
 * only by its short name: on stdout and in sides.txt. */
static int write_sides(const struct plot_job *j, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/sides.txt", j->out_dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		bb_errorf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# The sides of these charts: number, name, labels, then its files.\n%s%s\n",
		j->subtitle[0] ? "# All: " : "", j->subtitle);
	for (size_t i = 0; i < n; i++) {
		for (int to = 0; to < 2; to++) {
			FILE *out = to ? f : stdout;
			fprintf(out, "side %zu, %s: %s\n", i + 1, runs[i].name, runs[i].title);
			for (size_t k = 0; k < runs[i].npaths; k++)
				fprintf(out, "    %s\n", runs[i].paths[k]);
		}
	}
	if (ferror(f) | (fclose(f) != 0)) {
		bb_errorf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
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
	for (size_t i = n; i < BB_PLOT_MAX_NAMES; i++)
		if (a.names[i]) {
			fprintf(stderr, "bootbench plot: --name %zu=%s names no side: there %s %zu (after --pool); number them from 1\n",
				i + 1, a.names[i], n == 1 ? "is" : "are", n);
			goto out;
		}
	name_sides(&j, runs, n, a.names);
	static char plot_dir[PATH_MAX], found[PATH_MAX];
	rc = BB_EXIT_FAILED;
	if (find_plot_dir(found, sizeof(found), err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench plot: %s\n", err);
		goto out;
	}
	/* absolute: gnuplot runs in --out */
	if (!realpath(found, plot_dir)) {
		fprintf(stderr, "bootbench plot: cannot resolve the gnuplot scripts' directory %s: %s\n", found, strerror(errno));
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
	if (write_sides(&j, runs, n, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench plot: %s\n", err);
		goto out;
	}
	/* the charts that set each side against the first use compare's
	 * numbers; where compare cannot, the other charts still come */
	struct bb_plot_ab ab;
	if (bb_plot_ab_load(&ab, runs, n, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench plot: no acts or moved charts: %s\n", err);
		bb_plot_ab_free(&ab);
		ab = (struct bb_plot_ab){ 0 };
	}
	bb_gnuplot_set_dir(j.out_dir);
	char replay[PATH_MAX];
	snprintf(replay, sizeof(replay), "%s/replot.sh", j.out_dir);
	j.replay = fopen(replay, "w");
	if (j.replay)
		fputs("#!/bin/sh\n# The gnuplot commands bootbench plot ran; edit a script or a variable and re-run.\n"
		      "# It runs them in its own directory, where their data files are.\nset -e\ncd \"$(dirname \"$0\")\"\n",
		      j.replay);
	rc = draw_all(&j, runs, n, &ab, a.ops, a.nops, err, sizeof(err)) < 0 ? BB_EXIT_FAILED : BB_EXIT_OK;
	bb_plot_ab_free(&ab);
	if (j.replay)
		fclose(j.replay);
	if (rc != BB_EXIT_OK)
		fprintf(stderr, "bootbench plot: %s\n", err);
out:
	for (size_t i = 0; i < n; i++)
		free_run(&runs[i]);
	return rc;
}
