/* The data files bootbench plot hands to the gnuplot scripts in plot/.
 * They hold numbers only: every label reaches gnuplot as a quoted
 * variable (gnuplot.h), never through a data file. */
#ifndef BOOTBENCH_PLOT_DATA_H
#define BOOTBENCH_PLOT_DATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "side_names.h"

#define BB_PLOT_MAX_RUNS 64
#define BB_PLOT_MAX_STACK 12

#define BB_PLOT_MAX_FILES 64 /* of one side, pooled */

struct bb_plot_run {
	json_t *doc;
	char name[BB_SIDE_NAME_MAX + 1]; /* in legends and ticks: side_names.h */
	char *paths[BB_PLOT_MAX_FILES]; /* its files, several once pooled */
	size_t npaths;
	char label[512]; /* "patch=on kernel=6.18", else the file name */
	char title[1024]; /* label plus profile, host, kernel, HZ */
	char group[512];  /* what a sweep's points share: labels, else the profile */
	char group_title[1024];
};

/* Fills label and title from the document. */
void bb_plot_run_describe(struct bb_plot_run *r, const char *path);

/* How the startup distribution's y axis is drawn, chosen by the data so
 * that one outlier cannot squash every box: linear; clipped at ymax,
 * the points above drawn on the edge and counted; or log, where the
 * values spread over a range too wide for clipping a few to help. */
struct bb_plot_axis {
	bool log, clipped;
	double ymax;      /* clipped: the top of the axis (ms) */
	double edge;      /* clipped: where the points above are drawn, just below ymax */
	size_t above;     /* clipped: the points above it */
	double above_max; /* the largest of them (ms) */
};

/* Each returns the number of series written, or -1 with err. */
int bb_plot_startup(const char *path, const struct bb_plot_run *runs, size_t n, struct bb_plot_axis *axis,
		    char *err, size_t errlen);
int bb_plot_timeseries(const char *path, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen);
/* Stacked columns: phases of startup in boot order, or the ops with the
 * largest per-iteration totals; names receives the column names. */
int bb_plot_stack(const char *path, const struct bb_plot_run *runs, size_t n, int ops,
		  char names[BB_PLOT_MAX_STACK][160], char *err, size_t errlen);
/* Off-CPU time by the kernel function it waited in (the results'
 * blocked:<op>:<function> medians, summed by function, ms): a row per
 * function, the 10 largest, a column per run. The functions' count. */
int bb_plot_offcpu(const char *path, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen);
/* Sorted per-call latencies of op (us) and their cumulative fraction,
 * one block per run; 0 if no run has the op. */
int bb_plot_cdf(const char *path, const char *op, const struct bb_plot_run *runs, size_t n, char *err,
		size_t errlen);
/* Sweep points grouped by label: devices, per-device registration cost
 * (us: p50 p10 p90), startup (ms: p50 p10 p90). groups receives the
 * index of one run per group; 0 if no group has two different device
 * counts (results of one size are not a sweep, however many). */
int bb_plot_scaling(const char *path, const struct bb_plot_run *runs, size_t n, size_t *groups,
		    char *err, size_t errlen);

#endif
