#include "duration.h"
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
	else
		snprintf(buf, len, "%+.1f%%", pct);
}

static void format_ci(const struct bb_compare_row *r, char *buf, size_t len)
{
	if (isnan(r->ci_lo_pct))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.1f..%+.1f", r->ci_lo_pct, r->ci_hi_pct);
}

static void format_p(double p, char *buf, size_t len)
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
	char a[16], b[16], change[16], ci[32], p[16], moved[16];
};

static void row_cells(const struct bb_compare_row *r, struct cells *t)
{
	bb_format_duration(r->median_a, BB_DURATION_COMPACT, t->a, sizeof(t->a));
	bb_format_duration(r->median_b, BB_DURATION_COMPACT, t->b, sizeof(t->b));
	format_change(r->change_pct, t->change, sizeof(t->change));
	format_ci(r, t->ci, sizeof(t->ci));
	format_p(r->p, t->p, sizeof(t->p));
	double moved = r->median_b - r->median_a;
	t->moved[0] = moved >= 0 ? '+' : '-';
	bb_format_duration(fabs(moved), BB_DURATION_COMPACT, t->moved + 1, sizeof(t->moved) - 1);
}

void bb_report_method(char *buf, size_t len, const struct bb_compare_opts *o)
{
	snprintf(buf, len,
		 "Medians. Change is median(B)/median(A) - 1, with a %.0f%% bootstrap confidence interval (%u resamples, seed %llu). p is from a two-sided permutation test of the difference of means (%u resamples). A change counts when p < %g and |change| > %g%%. Per-call metrics are per-iteration medians of the op's calls.",
		 100 * o->confidence, o->resamples, (unsigned long long)o->seed, o->resamples, o->alpha,
		 o->threshold_pct);
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

static void write_text(FILE *out, const struct bb_comparison *c, const struct bb_compare_opts *o, size_t top)
{
	char line[1024], name[160];
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
	fputc('\n', out);
	bb_report_method(line, sizeof(line), o);
	put_wrapped(out, line, 0);

	fprintf(out, "\n%-20s %8s %8s %7s %-13s %s\n", "metric", "A", "B", "change", "95% CI", "verdict");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		if (strcmp(r->name, "startup") && strncmp(r->name, "phase:", 6))
			continue;
		row_cells(r, &t);
		fprintf(out, "%-20.20s %8s %8s %7s %-13s %s\n", r->name, t.a, t.b, t.change, t.ci,
			bb_verdict_name(r->verdict));
	}
	fputs("\nWhere time moved (per-iteration total of each op, B - A):\n", out);
	fprintf(out, "%-26s %8s %8s %9s %s\n", "op", "A", "B", "moved", "verdict");
	for (size_t k = 0; k < c->nmoved && k < top; k++) {
		const struct bb_compare_row *r = &c->rows[c->moved[k]];
		row_cells(r, &t);
		fprintf(out, "%-26.26s %8s %8s %9s %s\n", display_name(r->name, name, sizeof(name)), t.a, t.b,
			t.moved, bb_verdict_name(r->verdict));
	}
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
	char buf[1024], a[16], b[16], name[160];
	struct cells t;

	fputs("## bootbench A/B comparison\n\n| | baseline (A) | candidate (B) |\n|---|---|---|\n", out);
	snprintf(a, sizeof(a), "%zu", c->iterations_a);
	snprintf(b, sizeof(b), "%zu", c->iterations_b);
	md_cell(out, "measured iterations", false);
	md_cell(out, a, false);
	md_cell(out, b, false);
	fputs("|\n", out);
	for (size_t i = 0; i < c->ncontext; i++) {
		md_cell(out, c->context[i].field, false);
		md_cell(out, c->context[i].a, c->context[i].differs);
		md_cell(out, c->context[i].b, c->context[i].differs);
		fputs("|\n", out);
	}
	bb_report_method(buf, sizeof(buf), o);
	fprintf(out, "\n%s\n\n", buf);
	fputs("| metric | n A | n B | median A | median B | change | 95% CI | p | verdict |\n"
	      "|---|---:|---:|---:|---:|---:|---:|---:|---|\n", out);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		row_cells(r, &t);
		bool changed = r->verdict == BB_VERDICT_FASTER || r->verdict == BB_VERDICT_SLOWER;
		fprintf(out, "| `%s` | %zu | %zu | %s | %s | %s | %s | %s | %s%s%s |\n", r->name, r->na, r->nb, t.a,
			t.b, t.change, t.ci, t.p, changed ? "**" : "", bb_verdict_name(r->verdict), changed ? "**" : "");
	}
	fputs("\n### Where time moved\n\nPer-iteration total of each op, B - A, largest first.\n\n"
	      "| op | A | B | moved | verdict |\n|---|---:|---:|---:|---|\n", out);
	for (size_t k = 0; k < c->nmoved && k < top; k++) {
		const struct bb_compare_row *r = &c->rows[c->moved[k]];
		row_cells(r, &t);
		fprintf(out, "| `%s` | %s | %s | %s | %s |\n", display_name(r->name, name, sizeof(name)), t.a, t.b,
			t.moved, bb_verdict_name(r->verdict));
	}
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

static void write_csv(FILE *out, const struct bb_comparison *c)
{
	fputs("metric,kind,n_a,n_b,median_a_ns,median_b_ns,change_pct,ci_low_pct,ci_high_pct,p_value,verdict\n", out);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		csv_field(out, r->name);
		fprintf(out, ",%s,%zu,%zu", r->per_call ? "call" : "iteration", r->na, r->nb);
		csv_number(out, r->median_a);
		csv_number(out, r->median_b);
		csv_number(out, r->change_pct);
		csv_number(out, r->ci_lo_pct);
		csv_number(out, r->ci_hi_pct);
		csv_number(out, r->p);
		fputc(',', out);
		csv_field(out, bb_verdict_name(r->verdict));
		fputc('\n', out);
	}
}

static void write_compare(FILE *out, const struct bb_comparison *c, const struct bb_compare_opts *o, size_t top)
{
	char buf[1024], name[160];
	struct cells t;

	fprintf(out, "%-16s %-36s %-36s\n", "", "baseline (A)", "candidate (B)");
	fprintf(out, "%-16s %-36zu %-36zu\n", "iterations", c->iterations_a, c->iterations_b);
	for (size_t i = 0; i < c->ncontext; i++)
		fprintf(out, "%-16s %-36s %-36s%s\n", c->context[i].field, c->context[i].a, c->context[i].b,
			c->context[i].differs ? "  <- differs" : "");
	bb_report_method(buf, sizeof(buf), o);
	fputc('\n', out);
	put_wrapped(out, buf, 0);
	fprintf(out, "\n%-42s %5s %5s %9s %9s %8s %-15s %7s %s\n", "metric", "n A", "n B", "median A", "median B",
		"change", "95% CI", "p", "verdict");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct bb_compare_row *r = &c->rows[i];
		row_cells(r, &t);
		fprintf(out, "%-42s %5zu %5zu %9s %9s %8s %-15s %7s %s\n", r->name, r->na, r->nb, t.a, t.b, t.change,
			t.ci, t.p, bb_verdict_name(r->verdict));
	}
	fputs("\nWhere time moved (per-iteration total of each op, B - A, largest first):\n", out);
	for (size_t k = 0; k < c->nmoved && k < top; k++) {
		const struct bb_compare_row *r = &c->rows[c->moved[k]];
		row_cells(r, &t);
		fprintf(out, "  %-32s %-10s (%s -> %s) %s\n", display_name(r->name, name, sizeof(name)), t.moved, t.a,
			t.b, bb_verdict_name(r->verdict));
	}
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
