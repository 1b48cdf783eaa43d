/* The result-file reader and what consumes what it accepts: a file is a
 * result or a one-line error, and an accepted one, however odd, can be
 * compared with itself, reported in every format, turned into every plot
 * data file and into line protocol, without a crash, and so can its slim
 * copy (bootbench slim). A gzip input is read
 * decompressed, as the reader reads a .json.gz. */
#include <unistd.h>

#include "call_digest.h"
#include "compare.h"
#include "folded.h"
#include "summary_table.h"
#include "fuzz_target.h"
#include "gnuplot.h"
#include "line_protocol.h"
#include "flamegraph_svg.h"
#include "plot_ab.h"
#include "plot_data.h"
#include "side_names.h"
#include "report.h"
#include "result_reader.h"

static char path[64];
static FILE *devnull;

/* Text from a file reaches gnuplot only as one single-quoted string: no
 * line break, and every quote inside doubled. */
static void expect_gnuplot_literal(const char *text)
{
	char q[4096];
	size_t n;
	bb_gnuplot_quote(text, q, sizeof(q));
	n = strlen(q);
	if (n < 2 || q[0] != '\'' || q[n - 1] != '\'' || strpbrk(q, "\n\r"))
		abort();
	for (size_t i = 1; i + 1 < n; i++) {
		if (q[i] == '\'') {
			if (q[i + 1] != '\'' || i + 2 >= n)
				abort();
			i++;
		}
	}
}

static void consume(struct bb_side *a, struct bb_side *b, const struct bb_compare_opts *o)
{
	struct bb_comparison c[2];
	char err[1024] = "";
	if (bb_compare(a, b, o, NULL, 0, &c[1], err, sizeof(err)) == 0) {
		for (int f = BB_REPORT_COMPARE; f <= BB_REPORT_CSV; f++)
			bb_report_write(devnull, &c[1], o, (enum bb_report_format)f, 10);
		/* the charts against the baseline, from the same comparison */
		struct bb_side sides[2] = { *a, *b };
		struct bb_plot_ab ab = { .n = 2, .opts = *o, .sides = sides, .against = c };
		char rows[BB_PLOT_MOVED_ROWS][160];
		struct bb_plot_panel panels[BB_PLOT_MAX_PANELS];
		bb_plot_moved("/dev/null", &ab, true, rows, err, sizeof(err));
		bb_plot_moved("/dev/null", &ab, false, rows, err, sizeof(err));
		bb_plot_acts("/dev/null", &ab, panels, err, sizeof(err));
		bb_comparison_free(&c[1]);
	} else {
		expect_one_line_error(err);
	}

	struct bb_plot_run runs[2] = { { .doc = a->docs[0] }, { .doc = b->docs[0] } };
	char names[BB_PLOT_MAX_STACK][160];
	size_t groups[2];
	bb_plot_run_describe(&runs[0], path);
	bb_plot_run_describe(&runs[1], path);
	for (size_t i = 0; i < 2; i++) {
		expect_gnuplot_literal(runs[i].label);
		expect_gnuplot_literal(runs[i].title);
	}
	struct bb_plot_axis axis;
	bb_plot_startup("/dev/null", runs, 2, &axis, err, sizeof(err));
	struct bb_side_name_input sides_named[2] = { { .doc = a->docs[0], .path = path }, { .doc = b->docs[0], .path = path } };
	bb_side_names(sides_named, 2);
	for (size_t i = 0; i < 2; i++)
		if (strlen(sides_named[i].name) > BB_SIDE_NAME_MAX)
			abort();
	bb_plot_timeseries("/dev/null", runs, 2, err, sizeof(err));
	bb_plot_stack("/dev/null", runs, 2, 0, names, err, sizeof(err));
	bb_plot_stack("/dev/null", runs, 2, 1, names, err, sizeof(err));
	bb_plot_cdf("/dev/null", "KVM_IOEVENTFD", runs, 2, err, sizeof(err));
	bb_plot_scaling("/dev/null", runs, 2, groups, err, sizeof(err));
	bb_plot_offcpu("/dev/null", runs, 2, err, sizeof(err));
	/* the folded stacks, and a flame graph of them against themselves */
	char *folded = NULL;
	size_t folded_len = 0;
	FILE *mem = open_memstream(&folded, &folded_len);
	if (mem) {
		bb_folded_write(mem, a->docs[0]);
		fclose(mem);
		FILE *fa = folded_len ? fmemopen(folded, folded_len, "r") : NULL;
		FILE *fb = folded_len ? fmemopen(folded, folded_len, "r") : NULL;
		struct bb_flamegraph_text text = { "fuzz", "fuzz" };
		if (fa && fb && bb_flamegraph_diff_svg(devnull, fa, fb, &text, err, sizeof(err)) < 0)
			expect_one_line_error(err);
		if (fa)
			fclose(fa);
		if (fb)
			fclose(fb);
		free(folded);
	}
	bb_summary_print(devnull, a->docs[0]);

	struct bb_lp_buffer lp;
	bb_lp_init(&lp);
	if (bb_lp_encode_result(a->docs[0], NULL, &lp, err, sizeof(err)) < 0)
		expect_one_line_error(err);
	bb_lp_free(&lp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		snprintf(path, sizeof(path), "/tmp/bb-fuzz-result-%d.json", (int)getpid());
	}
	/* through a file, as compare, plot and upload read one */
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();

	struct bb_compare_opts o;
	struct bb_side a, b;
	const char *paths[1] = { path };
	char err[1024] = "";
	bb_compare_opts_default(&o);
	o.resamples = 64; /* the statistics' code paths, not their precision */
	o.allow_different_profiles = true;
	if (bb_side_load(&a, "baseline", paths, 1, &o, devnull, err, sizeof(err)) < 0) {
		expect_one_line_error(err);
		bb_side_free(&a);
	} else if (bb_side_load(&b, "candidate", paths, 1, &o, devnull, err, sizeof(err)) < 0) {
		abort(); /* the same file, read twice */
	} else {
		consume(&a, &b, &o);
		/* and once more with the candidate made slim, as lab/publish does */
		size_t removed;
		if (bb_result_slim(b.docs[0], &removed, err, sizeof(err)) == 0)
			consume(&a, &b, &o);
		else
			expect_one_line_error(err);
		bb_side_free(&a);
		bb_side_free(&b);
	}
	unlink(path);
	return 0;
}
