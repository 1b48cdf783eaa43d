#include "blocked.h"
#include "duration.h"
#include "gate_verdict.h"
#include "report.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#define TEXT_WIDTH 72

int bb_report_format_parse(const char *text, enum bb_report_format *out)
{
	if (!strcmp(text, "text"))
		*out = BB_REPORT_TEXT;
	else if (!strcmp(text, "markdown"))
		*out = BB_REPORT_MARKDOWN;
	else if (!strcmp(text, "csv"))
		*out = BB_REPORT_CSV;
	else
		return -1;
	return 0;
}

static void format_change(double pct, char *buf, size_t len)
{
	if (isnan(pct))
		snprintf(buf, len, "-");
	else if (isinf(pct))
		snprintf(buf, len, "new");
	else if (fabs(pct) >= 999.95)
		snprintf(buf, len, "%+.0f%%", pct);
	else
		snprintf(buf, len, "%+.1f%%", pct);
}

static void format_ci(const struct bb_compare_row *r, char *buf, size_t len)
{
	if (isnan(r->ci_lo_pct))
		snprintf(buf, len, "-");
	else if (fabs(r->ci_lo_pct) >= 99.95 || fabs(r->ci_hi_pct) >= 99.95)
		snprintf(buf, len, "%+.0f..%+.0f", r->ci_lo_pct, r->ci_hi_pct);
	else
		snprintf(buf, len, "%+.1f..%+.1f", r->ci_lo_pct, r->ci_hi_pct);
}

void bb_format_p(double p, char *buf, size_t len)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "<0.001");
	else
		snprintf(buf, len, "%.3f", p);
}

/* The formatted cells of one row, shared by every layout. */
struct cells {
	char a[16], b[16], change[16], ci[32], p[16], moved[16], mde[16];
};

static void format_value(const struct bb_compare_row *r, double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (r->count)
		snprintf(buf, len, "%.0f", v);
	else
		bb_format_duration(v, BB_DURATION_COMPACT, buf, len);
}

static void format_mde(double pct, char *buf, size_t len)
{
	if (isnan(pct))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, ">=%.1f%%", pct);
}

static void row_cells(const struct bb_compare_row *r, struct cells *t)
{
	format_value(r, r->a, t->a, sizeof(t->a));
	format_value(r, r->b, t->b, sizeof(t->b));
	format_change(r->change_pct, t->change, sizeof(t->change));
	format_ci(r, t->ci, sizeof(t->ci));
	bb_format_p(r->p, t->p, sizeof(t->p));
	format_mde(r->mde_pct, t->mde, sizeof(t->mde));
	double moved = r->b - r->a;
	t->moved[0] = moved >= 0 ? '+' : '-';
	bb_format_duration(fabs(moved), BB_DURATION_COMPACT, t->moved + 1, sizeof(t->moved) - 1);
}

void bb_ci_heading(const struct bb_compare_opts *o, char *buf, size_t len)
{
	snprintf(buf, len, "%g%% CI", 100 * o->confidence);
}

void bb_report_method(char *buf, size_t len, const struct bb_compare_opts *o)
{
	snprintf(buf, len,
		 "Each row is one statistic of a metric, the median or (\"p90\") the 90th percentile. Change is its ratio B/A - 1; its CI, at the %g%% level that decides the verdict, and the two-sided p both come from one bootstrap of that ratio (%u resamples, seed %llu), so p < %g exactly when the %g%% interval excludes 0. A change counts when p < %g and |change| > %g%%; \"suggestive\" is |change| beyond that with p < %g but not below alpha, and \"undetermined\" a row with no CI or p (the baseline's statistic was 0 in a resample): neither means no change. \"Detect\" is the smallest change found with %.0f%% power at that alpha: a smaller change still reaches p < alpha, less often, so a verdict on a change below its detect is no contradiction. vmm is startup minus vCPU 0's time in KVM_RUN: the VMM's own time, where registration and memslot costs land; exit_cost is KVM_RUN time per exit, a property of the host. Per-call metrics are per-iteration medians of the op's calls.",
		 100 * o->confidence, o->resamples, (unsigned long long)o->seed, o->alpha, 100 * o->confidence, o->alpha,
		 o->threshold_pct, BB_SUGGESTIVE_P, 100 * o->power);
}

/* The power lines: for named metrics every row, else startup and vmm. */
static void for_power_rows(const struct bb_comparison *c, const struct bb_compare_opts *o,
			   void (*emit)(void *ctx, const char *line), void *ctx)
{
	char line[512];
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		if (!c->named && strcmp(r->name, "startup") && strcmp(r->name, BB_METRIC_VMM))
			continue;
		const char *unit;
		size_t units = bb_power_units(c, r, &unit);
		bb_power_describe(r, units, unit, o->alpha, o->power, o->threshold_pct, line, sizeof(line));
		emit(ctx, line);
	}
}

/* Plain ASCII, wrapped at TEXT_WIDTH on spaces, continuation lines
 * indented: nothing a label holds can break the layout. */
static void put_wrapped(FILE *out, const char *text, int indent)
{
	char line[TEXT_WIDTH + 1];
	size_t used = 0, last_space = 0;
	int first = 1;
	for (const char *p = text;; p++) {
		char c = *p;
		if (c && ((unsigned char)c > 126 || (c < 32)))
			c = '?';
		if (c == ' ' || c == '\0')
			last_space = used;
		size_t width = first ? TEXT_WIDTH : TEXT_WIDTH - (size_t)indent;
		if (c == '\0' || used == width) {
			size_t cut = c == '\0' || !last_space ? used : last_space;
			fprintf(out, "%*s%.*s\n", first ? 0 : indent, "", (int)cut, line);
			if (c == '\0')
				return;
			size_t rest = used - cut;
			size_t skip = cut < used && line[cut] == ' ' ? 1 : 0;
			memmove(line, line + cut + skip, rest - skip);
			used = rest - skip;
			last_space = 0;
			first = 0;
		}
		if (!(used == 0 && c == ' ' && !first))
			line[used++] = c;
	}
}

static const char *display_name(const char *metric, char *buf, size_t len)
{
	size_t n = strlen(metric);
	if (!strncmp(metric, "op:", 3) && n > 9 && !strcmp(metric + n - 6, ":total"))
		snprintf(buf, len, "%.*s", (int)(n - 9), metric + 3);
	else
		snprintf(buf, len, "%s", metric);
	return buf;
}

static void emit_wrapped(void *ctx, const char *line)
{
	put_wrapped((FILE *)ctx, line, 4);
}

static void emit_indented(void *ctx, const char *line)
{
	fprintf((FILE *)ctx, "  %s\n", line);
}

static void emit_markdown(void *ctx, const char *line)
{
	fprintf((FILE *)ctx, "- %s\n", line);
}

/* Each file with its side, block, kernel and labels; the mixed-pool and
 * blocking lines after. */
static bool side_by_host(const struct bb_comparison *c, char side)
{
	return side == 'A' ? c->by_host_a : c->by_host_b;
}

/* A side's blocks: "4", or where they are machines "2 machines, 4 runs" */
static void blocks_cell(const struct bb_comparison *c, char side, char *buf, size_t len)
{
	size_t blocks = side == 'A' ? c->blocks_a : c->blocks_b, runs = 0;
	for (size_t i = 0; i < c->nfiles; i++)
		runs += c->files[i].side == side;
	if (side_by_host(c, side))
		snprintf(buf, len, "%zu machines, %zu runs", blocks, runs);
	else
		snprintf(buf, len, "%zu", blocks);
}

static void write_files(const struct bb_comparison *c, void (*emit)(void *ctx, const char *line), void *ctx)
{
	char line[1024];
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct bb_file_row *f = &c->files[i];
		snprintf(line, sizeof(line), "%c %s %zu: %s, Linux %s, labels %s", f->side,
			 side_by_host(c, f->side) ? "machine" : "run", f->block + 1, f->path, f->kernel, f->labels);
		emit(ctx, line);
	}
	for (int s = 0; s < BB_MIXED_NOTES; s++) {
		if (!c->mixed[s][0])
			continue;
		snprintf(line, sizeof(line), "Warning: %s", c->mixed[s]);
		emit(ctx, line);
	}
	char method[256];
	bb_comparison_method(c, method, sizeof(method));
	snprintf(line, sizeof(line), "Pooling: %s", method);
	emit(ctx, line);
}

/* "KVM_SET_USER_MEMORY_REGION: +7.4 ms blocked in __synchronize_srcu" */
static void waited_line(const struct bb_compare_row *r, char *buf, size_t len)
{
	char op[128], moved[16];
	const char *fn = bb_blocked_split(r->name, op, sizeof(op));
	double d = r->b - r->a;
	moved[0] = d >= 0 ? '+' : '-';
	bb_format_duration(fabs(d), BB_DURATION_COMPACT, moved + 1, sizeof(moved) - 1);
	snprintf(buf, len, "%s: %s blocked in %s (%s)", op, moved, fn, bb_verdict_name(r->verdict));
}

static void write_waited(const struct bb_comparison *c, size_t top, void (*emit)(void *ctx, const char *line),
			 void *ctx)
{
	char line[512];
	for (size_t k = 0; k < c->nwaited && k < top; k++) {
		waited_line(&c->rows[c->waited[k]], line, sizeof(line));
		emit(ctx, line);
	}
}

/* "metric: A 29.0us (7 of 18) and 132us (11 of 18); B one" for a row
 * with two modes on a side; false for one without. */
static bool modes_line(const struct bb_compare_row *r, char *line, size_t len)
{
	const struct bb_modes *m[2] = { &r->modes_a, &r->modes_b };
	if (!m[0]->two && !m[1]->two)
		return false;
	size_t used = (size_t)snprintf(line, len, "%s:", r->name);
	for (int s = 0; s < 2 && used < len; s++) {
		char lo[16], hi[16];
		if (!m[s]->two) {
			used += (size_t)snprintf(line + used, len - used, "%s %c one", s ? ";" : "", s ? 'B' : 'A');
			continue;
		}
		format_value(r, m[s]->low_median, lo, sizeof(lo));
		format_value(r, m[s]->high_median, hi, sizeof(hi));
		used += (size_t)snprintf(line + used, len - used, "%s %c %s (%zu of %zu) and %s (%zu of %zu)", s ? ";" : "",
					 s ? 'B' : 'A', lo, m[s]->n_low, m[s]->n, hi, m[s]->n - m[s]->n_low, m[s]->n);
	}
	return true;
}

/* The rows whose values have two modes on a side, at most top; the count
 * of the rest after. */
static void write_modes(const struct bb_comparison *c, size_t top, const char *header,
			void (*emit)(void *ctx, const char *line), void *ctx, FILE *out)
{
	char line[512];
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < c->nrows; i++) {
		if (c->rows[i].stat != BB_STAT_MEDIAN || !modes_line(&c->rows[i], line, sizeof(line)))
			continue;
		if (shown == 0)
			fputs(header, out);
		if (shown < top) {
			emit(ctx, line);
			shown++;
		} else {
			more++;
		}
	}
	if (more) {
		snprintf(line, sizeof(line), "and %zu more metric%s (bootbench compare lists every one)", more, more == 1 ? "" : "s");
		emit(ctx, line);
	}
}

#define MODES_WHY "a side's per-iteration values in two groups, with each group's median and size: its median says which group most iterations fell in"

/* A row where neither side spent anything in most iterations (both
 * medians 0, one mode each) says nothing: compare and markdown leave it
 * out, and say how many; csv keeps every row, and a named metric is shown. */
static bool carries_nothing(const struct bb_comparison *c, const struct bb_compare_row *r)
{
	return !c->named && !r->count && r->a == 0 && r->b == 0 && !r->modes_a.two && !r->modes_b.two;
}

static size_t rows_carrying_nothing(const struct bb_comparison *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nrows; i++)
		n += carries_nothing(c, &c->rows[i]);
	return n;
}

static bool in_text_table(const struct bb_compare_row *r)
{
	return !strcmp(r->name, "startup") || !strncmp(r->name, "phase:", 6) || !strcmp(r->name, BB_METRIC_VMM) ||
	       !strcmp(r->name, BB_METRIC_EXITS) || !strcmp(r->name, BB_METRIC_EXIT_COST);
}

static void write_text(FILE *out, const struct bb_comparison *c, const struct bb_compare_opts *o, size_t top)
{
	char line[1536], name[160];
	struct cells t;

	fputs("bootbench A/B report\n\n", out);
	const struct bb_context_row *ctx = c->context;
	snprintf(line, sizeof(line), "A (baseline): Linux %s, CONFIG_HZ=%s, n=%zu, labels: %s", ctx[1].a, ctx[2].a,
		 c->iterations_a, ctx[0].a);
	put_wrapped(out, line, 4);
	snprintf(line, sizeof(line), "B (candidate): Linux %s, CONFIG_HZ=%s, n=%zu, labels: %s", ctx[1].b, ctx[2].b,
		 c->iterations_b, ctx[0].b);
	put_wrapped(out, line, 4);
	snprintf(line, sizeof(line), "Host: %s, %s, %s; profile %s; bootbench %s", ctx[5].a, ctx[4].a, ctx[3].a,
		 ctx[8].a, ctx[6].a);
	put_wrapped(out, line, 4);
	size_t used = (size_t)snprintf(line, sizeof(line), "Differs:");
	for (size_t i = 0; i < c->ncontext; i++)
		if (c->context[i].differs)
			used += (size_t)snprintf(line + used, sizeof(line) - used, " %s%s", c->context[i].field,
						 !strcmp(c->context[i].field, "profile fields") ? "" : ",");
	if (used == 8)
		snprintf(line + used, sizeof(line) - used, " nothing but the results");
	else if (line[used - 1] == ',')
		line[used - 1] = '\0';
	if (c->context[c->ncontext - 1].differs) {
		used = strlen(line);
		snprintf(line + used, sizeof(line) - used, " (%s)", c->context[c->ncontext - 1].a);
	}
	put_wrapped(out, line, 4);
	fputs("Files:\n", out);
	write_files(c, emit_wrapped, out);
	fputc('\n', out);
	bb_report_method(line, sizeof(line), o);
	put_wrapped(out, line, 0);

	/* TEXT_WIDTH holds with the longest verdict; "detect" is in Power
	 * below, and per row in compare, markdown and csv */
	char ci[16];
	bb_ci_heading(o, ci, sizeof(ci));
	fprintf(out, "\n%-16s %7s %7s %7s %-14s %s\n", "metric", "A", "B", "change", ci, "verdict");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		if (!in_text_table(r))
			continue;
		row_cells(r, &t);
		/* a name wider than its column is never cut: its values go on the next line */
		if (strlen(r->label) > 16)
			fprintf(out, "%s\n%-16s", r->label, "");
		else
			fprintf(out, "%-16s", r->label);
		fprintf(out, " %7s %7s %7s %-14s %s\n", t.a, t.b, t.change, t.ci, bb_verdict_name(r->verdict));
	}
	fputs("\nPower:\n", out);
	for_power_rows(c, o, emit_wrapped, out);
	fputs("\nWhere time moved (per-iteration total of each op, B - A):\n", out);
	fprintf(out, "%-26s %8s %8s %9s %s\n", "op", "A", "B", "moved", "verdict");
	for (size_t k = 0; k < c->nmoved && k < top; k++) {
		const struct bb_compare_row *r = &c->rows[c->moved[k]];
		row_cells(r, &t);
		fprintf(out, "%-26.26s %8s %8s %9s %s\n", display_name(r->name, name, sizeof(name)), t.a, t.b,
			t.moved, bb_verdict_name(r->verdict));
	}
	if (c->nwaited) {
		fputs("\nWhere it waited (off-CPU time by op and the kernel function\nit blocked in, B - A):\n", out);
		write_waited(c, top, emit_wrapped, out);
	}
	write_modes(c, top, "\nTwo modes (per-iteration values in two groups, each group's\nmedian and size; a side's median falls in one or between):\n",
		    emit_wrapped, out, out);
}

/* A Markdown table cell: pipes escaped, newlines flattened. */
static void md_cell(FILE *out, const char *text, bool bold)
{
	fputs(bold ? "| **" : "| ", out);
	for (const char *p = text; *p; p++) {
		if (*p == '|')
			fputs("\\|", out);
		else if (*p == '\n' || *p == '\r')
			fputc(' ', out);
		else
			fputc(*p, out);
	}
	fputs(bold ? "** " : " ", out);
}

static void write_markdown(FILE *out, const struct bb_comparison *c, const struct bb_compare_opts *o, size_t top)
{
	char buf[1536], a[16], b[16], name[160];
	struct cells t;

	fputs("## bootbench A/B comparison\n\n| | baseline (A) | candidate (B) |\n|---|---|---|\n", out);
	snprintf(a, sizeof(a), "%zu", c->iterations_a);
	snprintf(b, sizeof(b), "%zu", c->iterations_b);
	md_cell(out, "measured iterations", false);
	md_cell(out, a, false);
	md_cell(out, b, false);
	fputs("|\n", out);
	blocks_cell(c, 'A', a, sizeof(a));
	blocks_cell(c, 'B', b, sizeof(b));
	md_cell(out, "runs (blocks)", false);
	md_cell(out, a, false);
	md_cell(out, b, false);
	fputs("|\n", out);
	for (size_t i = 0; i < c->ncontext; i++) {
		md_cell(out, c->context[i].field, false);
		md_cell(out, c->context[i].a, c->context[i].differs);
		md_cell(out, c->context[i].b, c->context[i].differs);
		fputs("|\n", out);
	}
	fputs("\n| side | run | file | kernel | labels |\n|---|---:|---|---|---|\n", out);
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct bb_file_row *f = &c->files[i];
		snprintf(a, sizeof(a), "%c", f->side);
		snprintf(b, sizeof(b), "%zu", f->block + 1);
		md_cell(out, a, false);
		md_cell(out, b, false);
		md_cell(out, f->path, false);
		md_cell(out, f->kernel, false);
		md_cell(out, f->labels, false);
		fputs("|\n", out);
	}
	for (int s = 0; s < BB_MIXED_NOTES; s++)
		if (c->mixed[s][0])
			fprintf(out, "\n> **Warning:** %s\n", c->mixed[s]);
	bb_comparison_method(c, buf, sizeof(buf));
	fprintf(out, "\nPooling: %s.\n", buf);
	bb_report_method(buf, sizeof(buf), o);
	fprintf(out, "\n%s\n\n", buf);
	char ci[16];
	bb_ci_heading(o, ci, sizeof(ci));
	fprintf(out, "| metric | statistic | n A | n B | A | B | change | %s | p | detect | verdict |\n"
		     "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n", ci);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		if (carries_nothing(c, r))
			continue;
		row_cells(r, &t);
		bool changed = r->verdict == BB_VERDICT_FASTER || r->verdict == BB_VERDICT_SLOWER;
		fprintf(out, "| `%s` | %s | %zu | %zu | %s | %s | %s | %s | %s | %s | %s%s%s |\n", r->name,
			bb_ab_statistic_names[r->stat], r->na, r->nb, t.a, t.b, t.change, t.ci, t.p, t.mde,
			changed ? "**" : "", bb_verdict_name(r->verdict), changed ? "**" : "");
	}
	size_t idle = rows_carrying_nothing(c);
	if (idle)
		fprintf(out, "\n%zu %s where both medians are 0 %s left out (csv has every row).\n", idle,
			idle == 1 ? "row" : "rows", idle == 1 ? "is" : "are");
	fputs("\n### Power\n\n", out);
	for_power_rows(c, o, emit_markdown, out);
	fputs("\n### Where time moved\n\nPer-iteration total of each op, B - A, largest first.\n\n"
	      "| op | A | B | moved | verdict |\n|---|---:|---:|---:|---|\n", out);
	for (size_t k = 0; k < c->nmoved && k < top; k++) {
		const struct bb_compare_row *r = &c->rows[c->moved[k]];
		row_cells(r, &t);
		fprintf(out, "| `%s` | %s | %s | %s | %s |\n", display_name(r->name, name, sizeof(name)), t.a, t.b,
			t.moved, bb_verdict_name(r->verdict));
	}
	if (c->nwaited) {
		fputs("\n### Where it waited\n\nOff-CPU time by op and the kernel function it blocked in, B - A, largest first.\n\n", out);
		write_waited(c, top, emit_markdown, out);
	}
	write_modes(c, SIZE_MAX, "\n### Two modes\n\nMetrics with " MODES_WHY ".\n\n", emit_markdown, out, out);
}

static void csv_field(FILE *out, const char *text)
{
	fputc('"', out);
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

static void csv_number(FILE *out, double v)
{
	if (isnan(v))
		fputs(",", out);
	else if (isinf(v))
		fputs(",inf", out);
	else
		fprintf(out, ",%.10g", v);
}

/* Two modes as "low_median:count;high_median:count", or empty for one. */
static void csv_modes(FILE *out, const struct bb_modes *m)
{
	fputc(',', out);
	if (m->two)
		fprintf(out, "\"%.10g:%zu;%.10g:%zu\"", m->low_median, m->n_low, m->high_median, m->n - m->n_low);
}

static void write_csv(FILE *out, const struct bb_comparison *c)
{
	fputs("metric,statistic,unit,kind,n_a,n_b,value_a,value_b,change_pct,ci_low_pct,ci_high_pct,p_value,detectable_pct,verdict,modes_a,modes_b\n",
	      out);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		csv_field(out, r->name);
		fprintf(out, ",%s,%s,%s,%zu,%zu", bb_ab_statistic_names[r->stat], r->count ? "count" : "ns",
			r->per_call ? "call" : "iteration", r->na, r->nb);
		csv_number(out, r->a);
		csv_number(out, r->b);
		csv_number(out, r->change_pct);
		csv_number(out, r->ci_lo_pct);
		csv_number(out, r->ci_hi_pct);
		csv_number(out, r->p);
		csv_number(out, r->mde_pct);
		fputc(',', out);
		csv_field(out, bb_verdict_name(r->verdict));
		csv_modes(out, &r->modes_a);
		csv_modes(out, &r->modes_b);
		fputc('\n', out);
	}
}

static void write_compare(FILE *out, const struct bb_comparison *c, const struct bb_compare_opts *o, size_t top)
{
	char buf[1536], name[160];
	struct cells t;

	fprintf(out, "%-16s %-36s %-36s\n", "", "baseline (A)", "candidate (B)");
	fprintf(out, "%-16s %-36zu %-36zu\n", "iterations", c->iterations_a, c->iterations_b);
	char blocks_a[64], blocks_b[64];
	blocks_cell(c, 'A', blocks_a, sizeof(blocks_a));
	blocks_cell(c, 'B', blocks_b, sizeof(blocks_b));
	fprintf(out, "%-16s %-36s %-36s\n", "runs (blocks)", blocks_a, blocks_b);
	for (size_t i = 0; i < c->ncontext; i++) {
		const char *differs = c->context[i].differs ? "  <- differs" : "";
		/* a value wider than its column gets a line a side, named, so the
		 * two never run together */
		if (strlen(c->context[i].a) > 36 || strlen(c->context[i].b) > 36)
			fprintf(out, "%-16s A: %s\n%-16s B: %s%s\n", c->context[i].field, c->context[i].a, "", c->context[i].b,
				differs);
		else
			fprintf(out, "%-16s %-36s %-36s%s\n", c->context[i].field, c->context[i].a, c->context[i].b, differs);
	}
	fputs("\nfiles:\n", out);
	write_files(c, emit_indented, out);
	bb_report_method(buf, sizeof(buf), o);
	fputc('\n', out);
	put_wrapped(out, buf, 0);
	char ci[16];
	bb_ci_heading(o, ci, sizeof(ci));
	fprintf(out, "\n%-42s %5s %5s %9s %9s %8s %-15s %7s %8s %s\n", "metric", "n A", "n B", "A", "B", "change",
		ci, "p", "detect", "verdict");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		if (carries_nothing(c, r))
			continue;
		row_cells(r, &t);
		fprintf(out, "%-42s %5zu %5zu %9s %9s %8s %-15s %7s %8s %s\n", r->label, r->na, r->nb, t.a, t.b, t.change,
			t.ci, t.p, t.mde, bb_verdict_name(r->verdict));
	}
	size_t idle = rows_carrying_nothing(c);
	if (idle)
		fprintf(out, "(%zu %s where both medians are 0 left out: report --format csv has every row)\n", idle,
			idle == 1 ? "row" : "rows");
	fputs("\npower:\n", out);
	for_power_rows(c, o, emit_indented, out);
	fputs("\nWhere time moved (per-iteration total of each op, B - A, largest first):\n", out);
	for (size_t k = 0; k < c->nmoved && k < top; k++) {
		const struct bb_compare_row *r = &c->rows[c->moved[k]];
		row_cells(r, &t);
		fprintf(out, "  %-32s %-10s (%s -> %s) %s\n", display_name(r->name, name, sizeof(name)), t.moved, t.a,
			t.b, bb_verdict_name(r->verdict));
	}
	if (c->nwaited) {
		fputs("\nWhere it waited (off-CPU time by op and the kernel function it blocked in, B - A):\n", out);
		write_waited(c, top, emit_indented, out);
	}
	write_modes(c, SIZE_MAX, "\nTwo modes (" MODES_WHY "):\n", emit_indented, out, out);
}

void bb_report_write(FILE *out, const struct bb_comparison *c, const struct bb_compare_opts *o,
		     enum bb_report_format format, size_t top)
{
	switch (format) {
	case BB_REPORT_TEXT: write_text(out, c, o, top); break;
	case BB_REPORT_MARKDOWN: write_markdown(out, c, o, top); break;
	case BB_REPORT_CSV: write_csv(out, c); break;
	default: write_compare(out, c, o, top); break;
	}
}
