/* bootbench plot on purpose-built results, with the real gnuplot and no
 * KVM: five sides with long label sets, pooled runs, an outlier. The
 * charts name each side by its short name, in full, never its label
 * set; the acts and where-time-moved charts come from compare's numbers;
 * the distribution clips its outlier and says so; no line joins two
 * pooled runs; results of one size make no scaling chart; replot.sh runs
 * from anywhere; --name is checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "harness.h"
#include "synthetic.h"

#define SIDES 5
#define RUNS 2

static struct proc p;
static char dir[64];
static char files[SIDES * RUNS][256];
/* the lab's side names, one longer than a legend holds */
static const char *const patches[SIDES] = { "none", "7d9a0273", "fix", "call-srcu-expedited-with-a-longer-name", "v2" };
static const char *const names[SIDES] = { "baseline", "7d9a0273", "fix", "call-srcu-e..longer-name", "v2" };

/* A lab-like result: its full label set is long, and only "patch" tells
 * the sides apart. */
static void write_side(const char *path, size_t side, size_t run)
{
	struct synthetic s = synthetic_default(patches[side]);
	s.kernel = side ? "6.1.192-patched" : "6.1.192";
	s.iterations = 8;
	s.ioeventfd_scale = side ? 0.05 : 1;
	s.memslot_extra_ns = side == 1 ? 10e6 : 0;
	if (side == 0 && run == 0) { /* one iteration of the baseline 40x: the outlier */
		s.tail_every = 8;
		s.tail_scale = 40;
	}
	assert_int_equal(write_synthetic(path, &s), 0);
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	assert_non_null(doc);
	json_t *labels = json_object_get(doc, "labels");
	json_object_set_new(labels, "kernel", json_string(s.kernel));
	json_object_set_new(labels, "hz", json_string("100"));
	json_object_set_new(labels, "accel", json_string("tcg"));
	json_object_set_new(labels, "lab", json_string("ab"));
	assert_int_equal(json_dump_file(doc, path, JSON_COMPACT), 0);
	json_decref(doc);
}

static int setup(void **state)
{
	(void)state;
	if (!have_command("gnuplot")) {
		print_message("SKIP: gnuplot is not installed (apt-get install gnuplot-nox)\n");
		exit(77);
	}
	make_temp_dir(dir, sizeof(dir));
	for (size_t side = 0; side < SIDES; side++)
		for (size_t run = 0; run < RUNS; run++) {
			snprintf(files[side * RUNS + run], sizeof(files[0]), "%s/r%zu-%s.json", dir, run + 1, patches[side]);
			write_side(files[side * RUNS + run], side, run);
		}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(dir);
	return 0;
}

/* plot of every file, pooled, into dir/out; extra arguments after. */
static void plot(const char *out, const char *const *extra)
{
	const char *args[64] = { "plot" };
	size_t n = 1;
	for (size_t i = 0; i < (size_t)SIDES * RUNS; i++)
		args[n++] = files[i];
	args[n++] = "--out";
	args[n++] = out;
	for (size_t i = 0; extra && extra[i]; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	run_bootbench(args, NULL, &p);
}

static char *chart(const char *out, const char *name)
{
	static char buf[1 << 21];
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", out, name);
	if (read_text(path, buf, sizeof(buf)) < 0)
		fail_msg("%s was not written", path);
	return buf;
}

static bool has_text(const char *svg, const char *text)
{
	char key[128];
	snprintf(key, sizeof(key), ">%s<", text); /* a whole text element: never cut */
	return strstr(svg, key) != NULL;
}

static void five_sides_are_named_short_and_whole(void **state)
{
	(void)state;
	char out[128];
	snprintf(out, sizeof(out), "%s/pooled", dir);
	const char *extra[] = { "--pool", "--format", "svg", NULL };
	plot(out, extra);
	if (p.exit_code != 0)
		fail_msg("plot exited %d: %s", p.exit_code, p.err);
	/* the full label sets are listed once, on stdout and in sides.txt */
	if (!strstr(p.out, "side 4, call-srcu-e..longer-name: patch=call-srcu-expedited-with-a-longer-name kernel="))
		fail_msg("the sides are not listed with their labels:\n%s", p.out);
	assert_non_null(strstr(chart(out, "sides.txt"), "patch=call-srcu-expedited-with-a-longer-name"));
	const char *charts[] = { "acts.svg", "startup-distribution.svg", "where-time-goes-ops.svg",
				 "startup-per-iteration.svg", "cdf-KVM_IOEVENTFD.svg" };
	for (size_t c = 0; c < sizeof(charts) / sizeof(charts[0]); c++) {
		char *svg = chart(out, charts[c]);
		for (size_t s = 0; s < SIDES; s++)
			if (!has_text(svg, names[s]))
				fail_msg("%s does not name side %zu \"%s\" in full", charts[c], s + 1, names[s]);
		if (strstr(svg, "kernel=") || strstr(svg, "accel=tcg"))
			fail_msg("%s shows a side's label set, not its name", charts[c]);
	}
	/* what every side shares is said once, under the title */
	assert_non_null(strstr(chart(out, "acts.svg"), "profile firecracker, x86_64, HZ="));
	/* against the baseline: four sides, each in the legend */
	char *moved = chart(out, "moved-ops.svg");
	assert_true(has_text(moved, "against baseline"));
	for (size_t s = 1; s < SIDES; s++)
		assert_true(has_text(moved, names[s]));
	assert_true(has_text(moved, "KVM_IOEVENTFD"));
	assert_true(has_text(moved, "KVM_SET_USER_MEMORY_REGION"));
}

/* One data row of moved-ops.dat: per side after the baseline, B - A,
 * its CI and whether compare calls it a change. */
static void moved_row(const char *dat, int row, double v[4 * (SIDES - 1)])
{
	char key[16];
	memset(v, 0, sizeof(double) * 4 * (SIDES - 1));
	snprintf(key, sizeof(key), "\n%d ", row);
	const char *c = strstr(dat, key);
	if (!c) {
		fail_msg("moved-ops.dat has no row %d:\n%s", row, dat);
		return;
	}
	c += strlen(key);
	for (size_t i = 0; i < (size_t)4 * (SIDES - 1); i++) {
		char *end;
		v[i] = strtod(c, &end);
		assert_true(end != c);
		c = end;
	}
}

/* The moved chart's numbers are compare's: B - A, its CI and its verdict. */
static void moved_is_what_compare_says(void **state)
{
	(void)state;
	char out[128];
	snprintf(out, sizeof(out), "%s/pooled", dir);
	char *dat = chart(out, "moved-ops.dat");
	double v[4 * (SIDES - 1)];
	/* the largest move first: 7d9a0273's memslot update, 10 ms dearer */
	moved_row(dat, 1, v);
	assert_true(v[0] > 9.5 && v[0] < 10.5);
	assert_true(v[1] <= v[0] && v[0] <= v[2]);
	assert_true(v[3] == 1);
	for (size_t s = 1; s < SIDES - 1; s++) /* the others did not move it */
		assert_true(v[4 * s + 3] == 0 && v[4 * s + 1] <= 0 && v[4 * s + 2] >= 0);
	/* then the registrations: cheaper on every side, each a change */
	moved_row(dat, 2, v);
	for (size_t s = 0; s < SIDES - 1; s++) {
		assert_true(v[4 * s] < 0);
		assert_true(v[4 * s + 1] <= v[4 * s] && v[4 * s] <= v[4 * s + 2]);
		assert_true(v[4 * s + 3] == 1);
	}
	/* compare, on the same files, calls them the same */
	const char *cmp[] = { "compare", files[0], files[1], "--", files[2], files[3], "--metric", "op:KVM_IOEVENTFD:total",
			      "--metric", "op:KVM_SET_USER_MEMORY_REGION:total", NULL };
	run_bootbench(cmp, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	const char *io = strstr(p.out, "\nop:KVM_IOEVENTFD:total "), *mem = strstr(p.out, "\nop:KVM_SET_USER_MEMORY_REGION:total ");
	assert_non_null(io);
	assert_non_null(mem);
	assert_true(strstr(io, "faster") && strstr(io, "faster") < strchr(io + 1, '\n'));
	assert_true(strstr(mem, "slower") && strstr(mem, "slower") < strchr(mem + 1, '\n'));
}

static void the_outlier_is_clipped_and_counted(void **state)
{
	(void)state;
	char out[128];
	snprintf(out, sizeof(out), "%s/pooled", dir);
	char *dat = chart(out, "startup.dat");
	int above = 0, rows = 0;
	double top = 0;
	for (const char *l = strchr(dat, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		int series, flag;
		double jitter, ms, drawn;
		assert_int_equal(sscanf(l + 1, "%d %lf %lf %lf %d", &series, &jitter, &ms, &drawn, &flag), 5);
		rows++;
		if (flag) { /* the 1.2 s iteration, drawn on the edge below every value */
			above++;
			assert_true(ms > 1000 && drawn < 100);
		} else {
			assert_true(drawn == ms);
			top = ms > top ? ms : top;
		}
	}
	assert_int_equal(rows, SIDES * RUNS * 8);
	assert_int_equal(above, 1);
	assert_true(top < 100);
	assert_true(has_text(chart(out, "startup-distribution.svg"),
			     "1 iteration above the axis (drawn on its edge), up to 1200.0 ms"));
}

static void pooled_runs_are_not_joined(void **state)
{
	(void)state;
	char out[128];
	snprintf(out, sizeof(out), "%s/pooled", dir);
	char *dat = chart(out, "timeseries.dat");
	/* per side, a blank line between its two runs: one more per side
	 * than the two between sides */
	size_t blank = 0, lines = 0;
	const char *first = strstr(dat, "# series 1");
	const char *second = strstr(dat, "# series 2");
	assert_non_null(first);
	assert_non_null(second);
	for (const char *l = first; l < second; l = strchr(l, '\n') + 1) {
		blank += *l == '\n';
		lines++;
	}
	/* 1 header, 16 iterations, one blank between the runs, two before the next series */
	assert_int_equal(lines, 1 + 16 + 1 + 2);
	assert_int_equal(blank, 3);
	/* one size, however many runs: no scaling chart */
	char path[256];
	snprintf(path, sizeof(path), "%s/scaling-startup.svg", out);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/scaling.dat", out);
	assert_int_equal(access(path, F_OK), -1);
}

static void replot_runs_from_anywhere(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "cd %s/pooled && rm -f acts.svg && sh replot.sh >/dev/null 2>&1 && test -s acts.svg", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "cd / && rm -f %s/pooled/acts.svg && sh %s/pooled/replot.sh >/dev/null 2>&1 && test -s %s/pooled/acts.svg",
		 dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	/* the data and charts by their names in the directory, not where plot ran */
	char path[256];
	snprintf(path, sizeof(path), "%s/pooled", dir);
	char *replot = chart(path, "replot.sh");
	assert_null(strstr(replot, dir));
	assert_non_null(strstr(replot, "datafile='\\''startup.dat'\\''"));
}

static void unpooled_runs_are_numbered(void **state)
{
	(void)state;
	char out[128];
	snprintf(out, sizeof(out), "%s/unpooled", dir);
	const char *extra[] = { "--format", "svg", NULL };
	plot(out, extra);
	assert_int_equal(p.exit_code, 0);
	char *svg = chart(out, "startup-per-iteration.svg");
	assert_true(has_text(svg, "baseline #1"));
	assert_true(has_text(svg, "baseline #2"));
	assert_true(has_text(svg, "v2 #2"));
}

static void names_can_be_given(void **state)
{
	(void)state;
	char out[128];
	snprintf(out, sizeof(out), "%s/named", dir);
	const char *extra[] = { "--pool", "--format", "svg", "--name", "1=6.1 stock", "--name", "4=call_srcu_expedited", NULL };
	plot(out, extra);
	assert_int_equal(p.exit_code, 0);
	char *svg = chart(out, "acts.svg");
	assert_true(has_text(svg, "6.1 stock"));
	assert_true(has_text(svg, "call_srcu_expedited"));
	assert_true(has_text(svg, "7d9a0273"));

	const char *past[] = { "--pool", "--name", "6=x", NULL };
	plot(out, past);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "--name 6=x names no side: there are 5 (after --pool); number them from 1"));
	const char *bad[][3] = { { "--name", "1=", NULL }, { "--name", "x=y", NULL }, { "--name", "1=a-name-longer-than-24-chars", NULL } };
	for (size_t i = 0; i < 3; i++) {
		plot(out, bad[i]);
		assert_int_equal(p.exit_code, 2);
		assert_non_null(strstr(p.err, "bad --name"));
		assert_int_equal(count_lines(p.err), 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(five_sides_are_named_short_and_whole),
		cmocka_unit_test(moved_is_what_compare_says),
		cmocka_unit_test(the_outlier_is_clipped_and_counted),
		cmocka_unit_test(pooled_runs_are_not_joined),
		cmocka_unit_test(replot_runs_from_anywhere),
		cmocka_unit_test(unpooled_runs_are_numbered),
		cmocka_unit_test(names_can_be_given),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
