#include "plot_data.h"

#include <libgen.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_stats.h"
#include "blocked.h"
#include "call_digest.h"
#include "errorf.h"
#include "iteration_metrics.h"
#include "stats.h"

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "?";
}

void bb_plot_run_describe(struct bb_plot_run *r, const char *path)
{
	const char *k;
	json_t *v;
	size_t used = 0;
	r->label[0] = '\0';
	json_object_foreach(json_object_get(r->doc, "labels"), k, v)
		if (used < sizeof(r->label))
			used += (size_t)snprintf(r->label + used, sizeof(r->label) - used, "%s%s=%s", used ? " " : "", k,
						 json_is_string(v) ? json_string_value(v) : "?");
	const char *profile = str(json_object_get(r->doc, "profile"), "name");
	snprintf(r->group, sizeof(r->group), "%s", used ? r->label : profile);
	if (!used) {
		char copy[512];
		snprintf(copy, sizeof(copy), "%s", path);
		snprintf(r->label, sizeof(r->label), "%s", basename(copy));
	}
	json_t *host = json_object_get(r->doc, "host");
	snprintf(r->title, sizeof(r->title), "%s: %s, %s, Linux %s, HZ=%s", r->label, profile, str(host, "hostname"),
		 str(host, "kernel_release"), str(host, "config_hz"));
	snprintf(r->group_title, sizeof(r->group_title), "%s: %s, %s, Linux %s, HZ=%s", r->group, profile,
		 str(host, "hostname"), str(host, "kernel_release"), str(host, "config_hz"));
}

static bool measured(json_t *it)
{
	return json_is_true(json_object_get(it, "ok")) && !json_is_true(json_object_get(it, "warmup"));
}

static FILE *open_data(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f)
		bb_errorf(err, errlen, "cannot write %s: choose a writable --out", path);
	return f;
}

static int close_data(FILE *f, const char *path, char *err, size_t errlen)
{
	if (ferror(f) | fclose(f)) {
		bb_errorf(err, errlen, "cannot write %s", path);
		return -1;
	}
	return 0;
}

static int cmp(const void *a, const void *b);

/* Tukey's far fence of one side: beyond q3 + 3 IQR is far out. */
static double far_fence(double *v, size_t n)
{
	qsort(v, n, sizeof(double), cmp);
	double q1 = bb_quantile_sorted(v, n, 0.25), q3 = bb_quantile_sorted(v, n, 0.75);
	return q3 + 3 * (q3 - q1);
}

/* Clipped when a few points (at most a tenth) lie beyond their side's
 * far fence; log when more do and the values span over 4x; else linear. */
static void choose_axis(const struct bb_plot_run *runs, size_t n, struct bb_plot_axis *axis)
{
	size_t total = 0, outliers = 0, i;
	double inside_max = 0, lo = INFINITY, hi = 0;
	json_t *it;
	*axis = (struct bb_plot_axis){ 0 };
	for (size_t r = 0; r < n; r++) {
		size_t cap = json_array_size(json_object_get(runs[r].doc, "iterations")), k = 0;
		double *v = malloc((cap ? cap : 1) * sizeof(double));
		if (!v)
			return;
		json_array_foreach(json_object_get(runs[r].doc, "iterations"), i, it)
			if (measured(it))
				v[k++] = json_number_value(json_object_get(it, "startup_ns")) / 1e6;
		double fence = k ? far_fence(v, k) : 0;
		for (size_t j = 0; j < k; j++) {
			lo = fmin(lo, v[j]);
			hi = fmax(hi, v[j]);
			if (v[j] > fence)
				outliers++;
			else
				inside_max = fmax(inside_max, v[j]);
		}
		total += k;
		free(v);
	}
	if (outliers == 0 || total == 0)
		return;
	if (outliers * 10 <= total) {
		double range = inside_max > lo ? inside_max - lo : inside_max;
		axis->clipped = true;
		axis->edge = inside_max + 0.06 * range;
		axis->ymax = inside_max + 0.1 * range;
		axis->above_max = hi;
		/* another side's ordinary values may lie above one side's outliers:
		 * only what is above the axis is drawn on its edge */
		for (size_t r = 0; r < n; r++)
			json_array_foreach(json_object_get(runs[r].doc, "iterations"), i, it)
				if (measured(it) && json_number_value(json_object_get(it, "startup_ns")) / 1e6 > axis->edge)
					axis->above++;
		if (axis->above == 0)
			axis->clipped = false;
	} else if (lo > 0 && hi / lo > 4) {
		axis->log = true;
	}
}

int bb_plot_startup(const char *path, const struct bb_plot_run *runs, size_t n, struct bb_plot_axis *axis,
		    char *err, size_t errlen)
{
	size_t i;
	json_t *it;
	struct bb_rng rng;
	choose_axis(runs, n, axis);
	FILE *f = open_data(path, err, errlen);
	if (!f)
		return -1;
	bb_rng_seed(&rng, 1); /* the same jitter every time */
	/* a point above a clipped axis is drawn on its edge (column 4), and
	 * column 5 says which it is */
	fputs("# series jitter startup_ms drawn_at_ms above_axis\n", f);
	for (size_t r = 0; r < n; r++)
		json_array_foreach(json_object_get(runs[r].doc, "iterations"), i, it)
			if (measured(it)) {
				double ms = json_number_value(json_object_get(it, "startup_ns")) / 1e6;
				bool above = axis->clipped && ms > axis->edge;
				fprintf(f, "%zu %.3f %.6f %.6f %d\n", r + 1, ((double)bb_rng_below(&rng, 1000) / 1000 - 0.5) * 0.3,
					ms, above ? axis->edge : ms, above);
			}
	return close_data(f, path, err, errlen) < 0 ? -1 : (int)n;
}

/* Pooled runs each number their iterations from 0: a blank line where
 * the numbering starts again ends the line there, so no line joins one
 * run's last iteration to the next run's first. */
int bb_plot_timeseries(const char *path, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen)
{
	FILE *f = open_data(path, err, errlen);
	size_t i;
	json_t *it;
	if (!f)
		return -1;
	for (size_t r = 0; r < n; r++) {
		long long last = -1;
		fprintf(f, "%s# series %zu: iteration startup_ms; a blank line between pooled runs\n", r ? "\n\n" : "", r + 1);
		json_array_foreach(json_object_get(runs[r].doc, "iterations"), i, it) {
			if (!json_is_true(json_object_get(it, "ok")))
				continue;
			long long index = (long long)json_integer_value(json_object_get(it, "index"));
			if (index <= last)
				fputc('\n', f);
			last = index;
			fprintf(f, "%lld %.6f\n", index, json_number_value(json_object_get(it, "startup_ns")) / 1e6);
		}
	}
	return close_data(f, path, err, errlen) < 0 ? -1 : (int)n;
}

/* The median over measured iterations of a phase or op total, in ms. */
static double median_ms(json_t *doc, int ops, const char *name)
{
	size_t i, k = 0, cap = json_array_size(json_object_get(doc, "iterations"));
	double *v = malloc((cap ? cap : 1) * sizeof(double));
	json_t *it;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		if (!measured(it))
			continue;
		double x = 0;
		if (ops) {
			x = json_number_value(json_object_get(json_object_get(json_object_get(it, "ops"), name), "total_ns"));
		} else {
			size_t j;
			json_t *ph;
			json_array_foreach(json_object_get(it, "phases"), j, ph)
				if (!strcmp(str(ph, "name"), name))
					x = json_number_value(json_object_get(ph, "duration_ns"));
		}
		v[k++] = x / 1e6;
	}
	double m = k ? bb_median_inplace(v, k) : 0;
	free(v);
	return m;
}

static void add_name(char names[][160], size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(names[i], name))
			return;
	if (*n < 256)
		snprintf(names[(*n)++], 160, "%s", name);
}

int bb_plot_stack(const char *path, const struct bb_plot_run *runs, size_t n, int ops,
		  char out_names[BB_PLOT_MAX_STACK][160], char *err, size_t errlen)
{
	static char names[256][160];
	size_t nn = 0, i;
	json_t *x;
	const char *key;
	for (size_t r = 0; r < n; r++) {
		json_array_foreach(json_object_get(runs[r].doc, "iterations"), i, x) {
			if (!measured(x))
				continue;
			if (ops) {
				json_t *v;
				json_object_foreach(json_object_get(x, "ops"), key, v)
					add_name(names, &nn, key);
			} else {
				size_t j;
				json_t *ph;
				json_array_foreach(json_object_get(x, "phases"), j, ph)
					if (strcmp(str(ph, "name"), "teardown")) /* startup only */
						add_name(names, &nn, str(ph, "name"));
			}
		}
	}
	size_t cols = nn;
	double other[BB_PLOT_MAX_RUNS] = { 0 };
	if (ops) {
		/* the largest ops by their biggest median across runs; the rest is "other" */
		double *size = calloc(nn ? nn : 1, sizeof(double));
		for (size_t k = 0; k < nn; k++)
			for (size_t r = 0; r < n; r++)
				size[k] = fmax(size[k], median_ms(runs[r].doc, 1, names[k]));
		for (size_t a = 0; a < nn; a++)
			for (size_t b = a + 1; b < nn; b++)
				if (size[b] > size[a]) {
					double t = size[a];
					size[a] = size[b];
					size[b] = t;
					char tmp[160];
					memcpy(tmp, names[a], 160);
					memcpy(names[a], names[b], 160);
					memcpy(names[b], tmp, 160);
				}
		free(size);
		if (cols > BB_PLOT_MAX_STACK - 1)
			cols = BB_PLOT_MAX_STACK - 1;
		for (size_t r = 0; r < n; r++)
			for (size_t k = cols; k < nn; k++)
				other[r] += median_ms(runs[r].doc, 1, names[k]);
	} else if (cols > BB_PLOT_MAX_STACK) {
		cols = BB_PLOT_MAX_STACK;
	}
	FILE *f = open_data(path, err, errlen);
	if (!f)
		return -1;
	fputs("# series, then one column per name (median ms per iteration)\n", f);
	for (size_t r = 0; r < n; r++) {
		fprintf(f, "%zu", r + 1);
		for (size_t k = 0; k < cols; k++)
			fprintf(f, " %.6f", median_ms(runs[r].doc, ops, names[k]));
		if (ops && nn > cols)
			fprintf(f, " %.6f", other[r]);
		fputc('\n', f);
	}
	for (size_t k = 0; k < cols; k++)
		snprintf(out_names[k], 160, "%s", names[k]);
	if (ops && nn > cols)
		snprintf(out_names[cols++], 160, "other ops");
	return close_data(f, path, err, errlen) < 0 ? -1 : (int)cols;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A CDF from [value_ns, count] pairs in ascending order; 1 if it had any. */
static int histogram_cdf(FILE *f, json_t *pairs)
{
	double total = 0, seen = 0;
	size_t i;
	json_t *p;
	json_array_foreach(pairs, i, p)
		total += json_number_value(json_array_get(p, 1));
	if (!(total > 0)) {
		fputs("NaN NaN\n", f);
		return 0;
	}
	json_array_foreach(pairs, i, p) {
		double v = json_number_value(json_array_get(p, 0)) / 1e3;
		seen += json_number_value(json_array_get(p, 1));
		fprintf(f, "%.4f %.6f\n", v > 0 ? v : 0.001, seen / total);
	}
	return 1;
}

int bb_plot_cdf(const char *path, const char *op, const struct bb_plot_run *runs, size_t n, char *err,
		size_t errlen)
{
	FILE *f = open_data(path, err, errlen);
	size_t cap = 1 << 16, any = 0, i, j;
	double *v = malloc(cap * sizeof(double));
	json_t *it, *ev;
	if (!f || !v) {
		free(v);
		if (f)
			fclose(f);
		return -1;
	}
	for (size_t r = 0; r < n; r++) {
		size_t k = 0;
		if (bb_result_is_slim(runs[r].doc)) {
			fprintf(f, "%s# series %zu: latency_us cumulative_fraction (from its call_histograms)\n", r ? "\n\n" : "", r + 1);
			any += histogram_cdf(f, json_object_get(json_object_get(runs[r].doc, "call_histograms"), op));
			continue;
		}
		json_array_foreach(json_object_get(runs[r].doc, "iterations"), i, it) {
			if (!measured(it))
				continue;
			json_array_foreach(json_object_get(it, "events"), j, ev) {
				json_t *name = json_array_get(ev, 0);
				json_int_t thread = json_integer_value(json_array_get(ev, 1));
				if (json_is_string(name) && !strcmp(json_string_value(name), op) && bb_on_critical_path((int)thread, !strcmp(op, "KVM_RUN")) && k < cap)
					v[k++] = json_number_value(json_array_get(ev, 3)) / 1e3;
			}
		}
		qsort(v, k, sizeof(double), cmp);
		fprintf(f, "%s# series %zu: latency_us cumulative_fraction\n", r ? "\n\n" : "", r + 1);
		if (k == 0)
			fputs("NaN NaN\n", f);
		for (size_t m = 0; m < k; m++)
			fprintf(f, "%.4f %.6f\n", v[m] > 0 ? v[m] : 0.001, (double)(m + 1) / (double)k);
		any += k > 0;
	}
	free(v);
	return close_data(f, path, err, errlen) < 0 ? -1 : any ? (int)n : 0;
}

static void quantiles(double *v, size_t n, double q[3])
{
	qsort(v, n, sizeof(double), cmp);
	q[0] = bb_quantile_sorted(v, n, 0.5);
	q[1] = bb_quantile_sorted(v, n, 0.1);
	q[2] = bb_quantile_sorted(v, n, 0.9);
}

int bb_plot_scaling(const char *path, const struct bb_plot_run *runs, size_t n, size_t *groups, char *err,
		    size_t errlen)
{
	size_t group_of[BB_PLOT_MAX_RUNS], ngroups = 0;
	for (size_t r = 0; r < n; r++) {
		size_t g = 0;
		for (; g < ngroups; g++)
			if (!strcmp(runs[groups[g]].group, runs[r].group))
				break;
		if (g == ngroups)
			groups[ngroups++] = r;
		group_of[r] = g;
	}
	FILE *f = open_data(path, err, errlen);
	if (!f)
		return -1;
	size_t drawn = 0;
	for (size_t g = 0; g < ngroups; g++) {
		size_t order[BB_PLOT_MAX_RUNS], m = 0;
		for (size_t r = 0; r < n; r++)
			if (group_of[r] == g)
				order[m++] = r;
		/* by device count */
		for (size_t a = 0; a < m; a++)
			for (size_t b = a + 1; b < m; b++) {
				json_int_t da = json_integer_value(json_object_get(json_object_get(runs[order[a]].doc, "profile"), "devices"));
				json_int_t db = json_integer_value(json_object_get(json_object_get(runs[order[b]].doc, "profile"), "devices"));
				if (db < da) {
					size_t t = order[a];
					order[a] = order[b];
					order[b] = t;
				}
			}
		fprintf(f, "%s# group %zu: devices reg_us_per_device p50 p10 p90, startup_ms p50 p10 p90\n", g ? "\n\n" : "", g + 1);
		for (size_t k = 0; k < m; k++) {
			json_t *doc = runs[order[k]].doc;
			double devices = (double)json_integer_value(json_object_get(json_object_get(doc, "profile"), "devices"));
			size_t cap = json_array_size(json_object_get(doc, "iterations")), c = 0, i;
			double *reg = malloc((cap ? cap : 1) * sizeof(double)), *st = malloc((cap ? cap : 1) * sizeof(double));
			json_t *it;
			json_array_foreach(json_object_get(doc, "iterations"), i, it) {
				if (!measured(it) || devices <= 0)
					continue;
				reg[c] = json_number_value(json_object_get(json_object_get(json_object_get(it, "ops"), "KVM_IOEVENTFD"), "total_ns")) / 1e3 / devices;
				st[c++] = json_number_value(json_object_get(it, "startup_ns")) / 1e6;
			}
			if (c) {
				double qr[3], qs[3];
				quantiles(reg, c, qr);
				quantiles(st, c, qs);
				fprintf(f, "%.0f %.6f %.6f %.6f %.6f %.6f %.6f\n", devices, qr[0], qr[1], qr[2], qs[0], qs[1], qs[2]);
			}
			free(reg);
			free(st);
		}
		for (size_t k = 1; k < m; k++) /* two sizes at least: one size many times is no sweep */
			if (json_integer_value(json_object_get(json_object_get(runs[order[k]].doc, "profile"), "devices")) !=
			    json_integer_value(json_object_get(json_object_get(runs[order[0]].doc, "profile"), "devices"))) {
				drawn++;
				break;
			}
	}
	if (close_data(f, path, err, errlen) < 0)
		return -1;
	return drawn ? (int)ngroups : 0;
}

#define OFFCPU_FUNCTIONS 10

int bb_plot_offcpu(const char *path, const struct bb_plot_run *runs, size_t n, char *err, size_t errlen)
{
	struct fn_row {
		char name[160];
		double ms[BB_PLOT_MAX_RUNS];
		double largest;
	} *rows = NULL;
	size_t nrows = 0, cap = 0;
	for (size_t r = 0; r < n; r++) {
		size_t i;
		json_t *m;
		json_array_foreach(json_object_get(runs[r].doc, "summary"), i, m) {
			const char *name = json_string_value(json_object_get(m, "name"));
			char op[128];
			const char *fn = name ? bb_blocked_split(name, op, sizeof(op)) : NULL;
			if (!fn || !strcmp(op, BB_BLOCKED_STARTUP))
				continue;
			size_t k = 0;
			while (k < nrows && strcmp(rows[k].name, fn))
				k++;
			if (k == nrows) {
				if (nrows == cap) {
					cap = cap ? cap * 2 : 32;
					struct fn_row *p = realloc(rows, cap * sizeof(*p));
					if (!p) {
						free(rows);
						bb_errorf(err, errlen, "out of memory charting off-CPU time");
						return -1;
					}
					rows = p;
				}
				memset(&rows[nrows], 0, sizeof(rows[nrows]));
				/* a name is one gnuplot column: no blanks or quotes */
				size_t o = 0;
				for (const char *c = fn; *c && o < sizeof(rows[0].name) - 1; c++)
					rows[nrows].name[o++] = (unsigned char)*c <= ' ' || *c == '"' || *c == '\'' ? '_' : *c;
				nrows++;
			}
			rows[k].ms[r] += json_number_value(json_object_get(m, "median")) / 1e6;
			if (rows[k].ms[r] > rows[k].largest)
				rows[k].largest = rows[k].ms[r];
		}
	}
	/* the largest first; the rest do not fit a chart */
	for (size_t i = 1; i < nrows; i++)
		for (size_t j = i; j > 0 && rows[j].largest > rows[j - 1].largest; j--) {
			struct fn_row t = rows[j];
			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	while (nrows > 0 && !(rows[nrows - 1].largest > 0))
		nrows--;
	if (nrows > OFFCPU_FUNCTIONS)
		nrows = OFFCPU_FUNCTIONS;
	if (nrows == 0) {
		free(rows);
		return 0;
	}
	FILE *f = open_data(path, err, errlen);
	if (!f) {
		free(rows);
		return -1;
	}
	fputs("# function, then median off-CPU ms per iteration for each run\n", f);
	for (size_t k = 0; k < nrows; k++) {
		fprintf(f, "%s", rows[k].name);
		for (size_t r = 0; r < n; r++)
			fprintf(f, " %.6f", rows[k].ms[r]);
		fputc('\n', f);
	}
	free(rows);
	return close_data(f, path, err, errlen) < 0 ? -1 : (int)nrows;
}
