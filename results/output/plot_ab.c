#include "plot_ab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_stats.h"
#include "call_digest.h"
#include "errorf.h"

int bb_plot_ab_load(struct bb_plot_ab *ab, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen)
{
	*ab = (struct bb_plot_ab){ .n = n };
	bb_compare_opts_default(&ab->opts);
	ab->opts.allow_different_profiles = true; /* plot charts what it is given; the subtitle says what differs */
	ab->sides = calloc(n ? n : 1, sizeof(*ab->sides));
	ab->against = calloc(n ? n : 1, sizeof(*ab->against));
	/* compare's warnings (an incomplete run) were plot's to give when it loaded the files */
	FILE *quiet = fopen("/dev/null", "w");
	if (!ab->sides || !ab->against || !quiet) {
		if (quiet)
			fclose(quiet);
		bb_errorf(err, errlen, "out of memory comparing the sides");
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = bb_side_load(&ab->sides[i], i ? "candidate" : "baseline", (const char *const *)runs[i].paths,
				  runs[i].npaths, &ab->opts, quiet, err, errlen);
	fclose(quiet);
	for (size_t k = 1; k < n && rc == 0; k++)
		rc = bb_compare(&ab->sides[0], &ab->sides[k], &ab->opts, NULL, 0, &ab->against[k], err, errlen);
	return rc;
}

void bb_plot_ab_free(struct bb_plot_ab *ab)
{
	for (size_t i = 0; ab->sides && i < ab->n; i++)
		bb_side_free(&ab->sides[i]);
	for (size_t k = 1; ab->against && k < ab->n; k++)
		bb_comparison_free(&ab->against[k]);
	free(ab->sides);
	free(ab->against);
	*ab = (struct bb_plot_ab){ 0 };
}

/* The op of "op:X:total", or the phase of "phase:X"; NULL for any other. */
static const char *moved_name(const char *metric, bool ops, char *buf, size_t len)
{
	size_t n = strlen(metric);
	if (ops && !strncmp(metric, "op:", 3) && n > 9 && !strcmp(metric + n - 6, ":total")) {
		snprintf(buf, len, "%.*s", (int)(n - 9), metric + 3);
		return buf;
	}
	if (!ops && !strncmp(metric, "phase:", 6) && n > 6 && strcmp(metric + 6, "teardown")) {
		snprintf(buf, len, "%s", metric + 6);
		return buf;
	}
	return NULL;
}

/* gnuplot reads "NaN" as a missing value. */
static void put_number(FILE *f, double x)
{
	if (isnan(x))
		fputs(" NaN", f);
	else
		fprintf(f, " %.6f", x);
}

static const struct bb_compare_row *median_row(const struct bb_comparison *c, const char *metric)
{
	return bb_comparison_row(c, metric, BB_STAT_MEDIAN);
}

int bb_plot_moved(const char *path, const struct bb_plot_ab *ab, bool ops, char names[][160], char *err,
		  size_t errlen)
{
	struct moved {
		char name[160];
		char metric[BB_METRIC_NAME_MAX];
		double size;
	} *rows = NULL;
	size_t nrows = 0;
	if (ab->n < 2)
		return 0;
	for (size_t k = 1; k < ab->n; k++) {
		const struct bb_comparison *c = &ab->against[k];
		for (size_t i = 0; i < c->nrows; i++) {
			const struct bb_compare_row *r = &c->rows[i];
			char name[160];
			if (r->stat != BB_STAT_MEDIAN || !moved_name(r->name, ops, name, sizeof(name)))
				continue;
			size_t j = 0;
			while (j < nrows && strcmp(rows[j].metric, r->name))
				j++;
			if (j == nrows) {
				struct moved *p = realloc(rows, (nrows + 1) * sizeof(*rows));
				if (!p) {
					free(rows);
					bb_errorf(err, errlen, "out of memory charting where time moved");
					return -1;
				}
				rows = p;
				rows[nrows] = (struct moved){ .size = 0 };
				snprintf(rows[nrows].name, sizeof(rows[nrows].name), "%s", name);
				snprintf(rows[nrows].metric, sizeof(rows[nrows].metric), "%s", r->name);
				nrows++;
			}
			rows[j].size = fmax(rows[j].size, fabs(r->b - r->a));
		}
	}
	for (size_t i = 1; i < nrows; i++) /* the largest move first */
		for (size_t j = i; j > 0 && rows[j].size > rows[j - 1].size; j--) {
			struct moved t = rows[j];
			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	while (nrows > 0 && !(rows[nrows - 1].size > 0))
		nrows--;
	if (nrows > BB_PLOT_MOVED_ROWS)
		nrows = BB_PLOT_MOVED_ROWS;
	FILE *f = fopen(path, "w");
	if (!f) {
		free(rows);
		bb_errorf(err, errlen, "cannot write %s: choose a writable --out", path);
		return -1;
	}
	fputs("# row, then per side against the baseline: B-A_ms ci_lo_ms ci_hi_ms is_a_change\n", f);
	for (size_t i = 0; i < nrows; i++) {
		fprintf(f, "%zu", i + 1);
		for (size_t k = 1; k < ab->n; k++) {
			const struct bb_compare_row *r = median_row(&ab->against[k], rows[i].metric);
			if (!r) {
				fputs(" 0 NaN NaN 0", f);
				continue;
			}
			bool change = r->verdict == BB_VERDICT_FASTER || r->verdict == BB_VERDICT_SLOWER;
			put_number(f, (r->b - r->a) / 1e6);
			put_number(f, r->a * r->ci_lo_pct / 100 / 1e6);
			put_number(f, r->a * r->ci_hi_pct / 100 / 1e6);
			fprintf(f, " %d", change);
		}
		fputc('\n', f);
		snprintf(names[i], 160, "%s", rows[i].name);
	}
	free(rows);
	if (ferror(f) | fclose(f)) {
		bb_errorf(err, errlen, "cannot write %s", path);
		return -1;
	}
	return (int)nrows;
}

/* The quantities of the three acts, in the order of the story. */
static const struct {
	const char *metric, *title, *unit;
	double scale; /* ns per unit */
} acts[] = {
	{ "op:KVM_IOEVENTFD:" BB_CALL_MEDIAN, "Act 1: registration, per call", "us", 1e3 },
	{ "memslot:1", "Act 2: the memslot update after it", "ms", 1e6 },
	{ "blocked:startup:__synchronize_srcu", "Act 3: startup's SRCU waits", "ms", 1e6 },
	{ "vmm", "The VMM's own time", "ms", 1e6 },
	{ "startup", "Startup to boot-done", "ms", 1e6 },
};

int bb_plot_acts(const char *path, const struct bb_plot_ab *ab, struct bb_plot_panel *panels, char *err,
		 size_t errlen)
{
	size_t block_start[BB_MAX_SIDE_FILES + 1];
	int np = 0;
	FILE *f = fopen(path, "w");
	if (!f) {
		bb_errorf(err, errlen, "cannot write %s: choose a writable --out", path);
		return -1;
	}
	for (size_t a = 0; a < sizeof(acts) / sizeof(acts[0]); a++) {
		double median[BB_PLOT_MAX_RUNS], lo[BB_PLOT_MAX_RUNS], hi[BB_PLOT_MAX_RUNS];
		bool any = false, all_positive = true;
		double smallest = INFINITY, largest = 0;
		for (size_t i = 0; i < ab->n && i < BB_PLOT_MAX_RUNS; i++) {
			size_t n;
			double *v = bb_side_values(&ab->sides[i], acts[a].metric, &n, block_start);
			struct bb_ab_sample s = { v, n, block_start, ab->sides[i].nblocks };
			if (!v || bb_quantile_ci(&s, 0.5, ab->opts.resamples, 0.95, ab->opts.seed, &median[i], &lo[i], &hi[i]) < 0)
				median[i] = lo[i] = hi[i] = NAN;
			free(v);
			if (isnan(median[i]))
				continue;
			any = any || median[i] > 0;
			all_positive = all_positive && lo[i] > 0;
			smallest = fmin(smallest, lo[i]);
			largest = fmax(largest, hi[i]);
		}
		if (!any)
			continue; /* a panel that does not apply: this profile has no such quantity */
		struct bb_plot_panel *p = &panels[np];
		snprintf(p->metric, sizeof(p->metric), "%s", acts[a].metric);
		snprintf(p->title, sizeof(p->title), "%s", acts[a].title);
		snprintf(p->unit, sizeof(p->unit), "%s", acts[a].unit);
		/* a log axis where the sides differ by orders of magnitude: the
		 * story's changes are 10-100x, and a linear axis flattens the small side */
		p->log = all_positive && largest / smallest > 10;
		fprintf(f, "%s# panel %d: %s; side median lo hi (%s, 95%% CI of the median)\n", np ? "\n\n" : "", np + 1,
			acts[a].metric, acts[a].unit);
		for (size_t i = 0; i < ab->n; i++) {
			fprintf(f, "%zu", i + 1);
			put_number(f, median[i] / acts[a].scale);
			put_number(f, lo[i] / acts[a].scale);
			put_number(f, hi[i] / acts[a].scale);
			fputc('\n', f);
		}
		np++;
	}
	if (ferror(f) | fclose(f)) {
		bb_errorf(err, errlen, "cannot write %s", path);
		return -1;
	}
	return np;
}
