/* The data of the charts that set each side against the first, the
 * baseline: the three acts (acts.gp) and where time moved, as
 * differences (moved.gp). Their numbers are compare's: each side is
 * loaded from its files as compare loads it (a file is a block) and
 * compared with the baseline by bb_compare, so a chart never says what
 * the report does not. */
#ifndef BOOTBENCH_PLOT_AB_H
#define BOOTBENCH_PLOT_AB_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"
#include "plot_data.h"

struct bb_plot_ab {
	size_t n;
	struct bb_compare_opts opts;
	struct bb_side *sides;        /* n */
	struct bb_comparison *against; /* [k]: side k against side 0; [0] unused */
};

/* -1 with err when a file cannot be read or compared. */
int bb_plot_ab_load(struct bb_plot_ab *ab, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen);
void bb_plot_ab_free(struct bb_plot_ab *ab);

#define BB_PLOT_MOVED_ROWS 10

/* B - A per op total (ops) or per phase, in ms, each side against the
 * baseline: a row per name, the BB_PLOT_MOVED_ROWS largest |B - A| over
 * the sides first; per side three columns: B - A, the low and high end
 * of its CI (compare's CI of the ratio, times A), and a fourth, 1 where
 * compare calls it a change. names receives the row names. The rows'
 * count; 0 with fewer than two sides. */
int bb_plot_moved(const char *path, const struct bb_plot_ab *ab, bool ops, char names[][160], char *err,
		  size_t errlen);

#define BB_PLOT_MAX_PANELS 6

struct bb_plot_panel {
	char metric[96];
	char title[64]; /* what the quantity is, short enough for a panel; the metric is its second line */
	char unit[8];    /* "us" or "ms" */
	bool log;
};

/* The three acts, one block per panel that applies: a row per side,
 * "side median lo hi" (in the panel's unit, a 95% bootstrap interval of
 * the median, blocks then iterations). The panels' count. */
int bb_plot_acts(const char *path, const struct bb_plot_ab *ab, struct bb_plot_panel *panels, char *err,
		 size_t errlen);

#endif
