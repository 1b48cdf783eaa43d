/* The data files bootbench plot hands to the gnuplot scripts in plot/.
 * They hold numbers only: every label reaches gnuplot as a quoted
 * variable (gnuplot.h), never through a data file. */
#ifndef BOOTBENCH_PLOT_DATA_H
#define BOOTBENCH_PLOT_DATA_H

#include <jansson.h>
#include <stddef.h>

#define BB_PLOT_MAX_RUNS 64
#define BB_PLOT_MAX_STACK 12

struct bb_plot_run {
	json_t *doc;
	char label[512]; /* "patch=on kernel=6.18", else the file name */
	char title[1024]; /* label plus profile, host, kernel, HZ */
	char group[512];  /* what a sweep's points share: labels, else the profile */
	char group_title[1024];
};

/* Fills label and title from the document. */
void bb_plot_run_describe(struct bb_plot_run *r, const char *path);

/* Each returns the number of series written, or -1 with err. */
int bb_plot_startup(const char *path, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen);
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
 * index of one run per group; 0 if no group has two device counts. */
int bb_plot_scaling(const char *path, const struct bb_plot_run *runs, size_t n, size_t *groups,
		    char *err, size_t errlen);

#endif
