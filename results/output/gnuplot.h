/* Running gnuplot: fork and exec, no shell. Every string reaches it as a
 * single-quoted gnuplot string literal (a quote written twice), where
 * gnuplot expands neither macros nor backquotes; the scripts set every
 * terminal noenhanced, so text renders literally. */
#ifndef BOOTBENCH_GNUPLOT_H
#define BOOTBENCH_GNUPLOT_H

#include <stdio.h>

struct bb_gp_var {
	const char *name;
	const char *text; /* a string, or NULL for number */
	double number;
};

/* Every gnuplot is killed after this many milliseconds (0: the default, 60000). */
void bb_gnuplot_set_timeout(unsigned ms);
/* Where gnuplot runs (NULL: here), so that the scripts name the data and
 * the charts relative to it, and replot.sh works from any directory. */
void bb_gnuplot_set_dir(const char *dir);
/* Whether gnuplot can be run at all: -1 with a one-line error naming the
 * package, before anything is written. */
int bb_gnuplot_check(char *err, size_t errlen);
/* Runs `gnuplot -e "<vars>" script`. Appends the same command, shell
 * quoted, to replay (may be NULL). -1 with a one-line error. */
int bb_gnuplot_run(const char *script, const struct bb_gp_var *vars, size_t nvars, FILE *replay,
		   char *err, size_t errlen);
/* "pngcairo" where gnuplot has it, else "png" (libgd). */
const char *bb_gnuplot_png_terminal(void);
/* The gnuplot string literal of text: 'it''s'. */
void bb_gnuplot_quote(const char *text, char *buf, size_t len);

#endif
