/* bootbench plot and sweep from real runs on /dev/kvm: every chart is a
 * valid PNG and SVG of the stated size with the expected number of
 * series, names holding quotes and gnuplot syntax render literally, a
 * sweep feeds the scaling charts, and a missing gnuplot is named. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"

#define HOSTILE "it's \"quoted\" @macro `touch /tmp/bb-plot-pwned` $HOME ^_{x} set output '/tmp/x'"
/* a side's name reaches gnuplot: the most of the above a name holds */
#define HOSTILE_NAME "it's `touch /tmp/bbpw`@m"

static struct proc p;
static char dir[64], a[256], b[256];

static size_t slurp(const char *path, char *buf, size_t len)
{
	ssize_t n = read_text(path, buf, len);
	if (n < 0)
		fail_msg("%s was not written", path);
	return (size_t)n;
}

static void check_png(const char *name)
{
	static unsigned char buf[1 << 20];
	char path[256];
	snprintf(path, sizeof(path), "%s/charts/%s.png", dir, name);
	size_t n = slurp(path, (char *)buf, sizeof(buf));
	assert_true(n > 1000);
	assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(buf + 12, "IHDR", 4);
	uint32_t w = (uint32_t)buf[16] << 24 | buf[17] << 16 | buf[18] << 8 | buf[19];
	uint32_t h = (uint32_t)buf[20] << 24 | buf[21] << 16 | buf[22] << 8 | buf[23];
	assert_int_equal(w, 1000);
	assert_int_equal(h, 640);
}

/* The number of series gnuplot plotted in an SVG. */
static int count_series(const char *svg)
{
	int series = 0;
	for (const char *s = svg; (s = strstr(s, "id=\"gnuplot_plot_")); s++)
		series++;
	return series;
}

/* Returns the SVG's number of plotted series. */
static int check_svg(const char *name, char *buf, size_t len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/charts/%s.svg", dir, name);
	assert_true(slurp(path, buf, len) > 1000);
	assert_non_null(strstr(buf, "<svg"));
	assert_non_null(strstr(buf, "width=\"1000\""));
	assert_non_null(strstr(buf, "height=\"640\""));
	assert_non_null(strstr(buf, "</svg>"));
	return count_series(buf);
}

static int setup(void **state)
{
	(void)state;
	make_temp_dir(dir, sizeof(dir));
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	const char *ra[] = { "run", "--devices", "8", "--iterations", "5", "--warmup", "1", "--label", "side=A",
			     "--out", a, "--quiet", NULL };
	const char *rb[] = { "run", "--devices", "8", "--iterations", "5", "--warmup", "1", "--memslots-after", "1",
			     "--label", "name=" HOSTILE, "--out", b, "--quiet", NULL }; // NOLINT(bugprone-suspicious-missing-comma): one label
	return run_bootbench(ra, NULL, &p) || run_bootbench(rb, NULL, &p);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void every_chart_renders(void **state)
{
	(void)state;
	static char svg[1 << 21];
	char fa[256], fb[256], out[256];
	assert_int_equal(find_only(a, ".json", fa, sizeof(fa)), 0);
	assert_int_equal(find_only(b, ".json", fb, sizeof(fb)), 0);
	snprintf(out, sizeof(out), "%s/charts", dir);
	const char *args[] = { "plot", fa, fb, "--out", out, "--format", "both", "--op", "KVM_RUN", "--name",
			       "2=" HOSTILE_NAME, NULL }; // NOLINT(bugprone-suspicious-missing-comma): one argument
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("plot exited %d: %s", p.exit_code, p.err);

	/* two sides: a box, its points and the points above a clipped axis */
	check_png("startup-distribution");
	assert_int_equal(check_svg("startup-distribution", svg, sizeof(svg)), 6);
	/* the hostile name came out as written, and nothing ran */
	assert_non_null(strstr(svg, ">" HOSTILE_NAME "<"));
	assert_int_equal(access("/tmp/bbpw", F_OK), -1);
	/* side A by its side label; what both share under the title */
	assert_non_null(strstr(svg, ">A<"));
	assert_non_null(strstr(svg, "profile firecracker, "));
	assert_non_null(strstr(svg, ", HZ="));
	/* the full label sets, the hostile one too, are listed, not drawn */
	char sides[4096];
	snprintf(out, sizeof(out), "%s/charts/sides.txt", dir);
	slurp(out, sides, sizeof(sides));
	assert_non_null(strstr(sides, "side 2, " HOSTILE_NAME ": name=" HOSTILE));
	assert_int_equal(access("/tmp/bb-plot-pwned", F_OK), -1);
	assert_int_equal(access("/tmp/x", F_OK), -1);

	/* the acts and where time moved against A */
	check_png("acts");
	check_svg("acts", svg, sizeof(svg));
	assert_non_null(strstr(svg, "op:KVM_IOEVENTFD:call_median"));
	assert_non_null(strstr(svg, "memslot:1")); /* B updates a memslot after its registrations */
	check_png("moved-ops");
	assert_int_equal(check_svg("moved-ops", svg, sizeof(svg)), 3); /* B's changes, the rest, the CIs */

	/* phases of startup: B has memslots_after on top of A's seven */
	check_png("where-time-goes-phases");
	assert_int_equal(check_svg("where-time-goes-phases", svg, sizeof(svg)), 8);
	assert_non_null(strstr(svg, "memslots_after"));
	check_png("where-time-goes-ops");
	assert_int_equal(check_svg("where-time-goes-ops", svg, sizeof(svg)), 12);

	const char *cdfs[] = { "cdf-KVM_IOEVENTFD", "cdf-KVM_SET_USER_MEMORY_REGION", "cdf-KVM_CREATE_VCPU", "cdf-KVM_RUN" };
	for (int i = 0; i < 4; i++) {
		check_png(cdfs[i]);
		assert_int_equal(check_svg(cdfs[i], svg, sizeof(svg)), 2);
		assert_non_null(strstr(svg, "latency per call (us, log scale)"));
	}
	check_png("startup-per-iteration");
	assert_int_equal(check_svg("startup-per-iteration", svg, sizeof(svg)), 2);
	/* two runs of one profile size: no scaling chart */
	snprintf(out, sizeof(out), "%s/charts/scaling-startup.png", dir);
	assert_int_equal(access(out, F_OK), -1);

	/* replot.sh repeats it by hand */
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "sh %s/charts/replot.sh >/dev/null 2>&1", dir);
	assert_int_equal(system(cmd), 0);
}

/* --pool draws results with the same labels as one series: two runs of
 * side=A are one box, whose points are both runs' iterations. */
static void pool_makes_one_series_per_label(void **state)
{
	(void)state;
	static char svg[1 << 21], dat[1 << 16];
	char fa[256], a2[256], fa2[256], out[256], path[256];
	assert_int_equal(find_only(a, ".json", fa, sizeof(fa)), 0);
	snprintf(a2, sizeof(a2), "%s/a2", dir);
	const char *again[] = { "run", "--devices", "8", "--iterations", "4", "--warmup", "0", "--label", "side=A",
				"--out", a2, "--quiet", NULL };
	assert_int_equal(run_bootbench(again, NULL, &p), 0);
	assert_int_equal(find_only(a2, ".json", fa2, sizeof(fa2)), 0);
	snprintf(out, sizeof(out), "%s/pooled", dir);
	const char *args[] = { "plot", fa, fa2, "--out", out, "--format", "svg", "--pool", NULL };
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("plot exited %d: %s", p.exit_code, p.err);
	snprintf(path, sizeof(path), "%s/pooled/startup-distribution.svg", dir);
	slurp(path, svg, sizeof(svg));
	assert_int_equal(count_series(svg), 3); /* one box, its points and those above a clipped axis */
	/* the pooled series holds 5 + 4 measured iterations */
	snprintf(path, sizeof(path), "%s/pooled/startup.dat", dir);
	slurp(path, dat, sizeof(dat));
	int rows = 0;
	for (char *line = strtok(dat, "\n"); line; line = strtok(NULL, "\n"))
		rows += line[0] != '#' && line[0] != '\0';
	assert_int_equal(rows, 9);
	/* without --pool they are two series */
	const char *unpooled[] = { "plot", fa, fa2, "--out", out, "--format", "svg", NULL };
	assert_int_equal(run_bootbench(unpooled, NULL, &p), 0);
	snprintf(path, sizeof(path), "%s/pooled/startup-distribution.svg", dir);
	slurp(path, svg, sizeof(svg));
	assert_int_equal(count_series(svg), 6);
	assert_non_null(strstr(svg, ">A #1<")); /* each named apart */
	assert_non_null(strstr(svg, ">A #2<"));
}

static void sweep_feeds_the_scaling_charts(void **state)
{
	(void)state;
	static char svg[1 << 21];
	char sweep[256], index[256], out[256], text[8192];
	snprintf(sweep, sizeof(sweep), "%s/sweep", dir);
	const char *args[] = { "sweep", "--devices", "2,4,8", "--iterations", "3", "--warmup", "0", "--out", sweep, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(find_only(sweep, ".tsv", index, sizeof(index)), -1); /* three points */
	snprintf(out, sizeof(out), "%s/sweep", dir);
	char *line = strstr(p.out, "sweep index: ");
	assert_non_null(line);
	sscanf(line, "sweep index: %255s", index);
	slurp(index, text, sizeof(text));
	assert_non_null(strstr(text, "\"schema\": \"bootbench-sweep\""));
	int ok = 0;
	for (char *s = text; (s = strstr(s, "\"status\": \"ok\"")); s++)
		ok++;
	assert_int_equal(ok, 3);

	snprintf(out, sizeof(out), "%s/charts", dir);
	const char *plot[] = { "plot", index, "--out", out, "--format", "svg", NULL };
	run_bootbench(plot, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(check_svg("scaling-registration", svg, sizeof(svg)), 1);
	assert_non_null(strstr(svg, "(us, log scale; p10..p90)"));
	assert_int_equal(check_svg("scaling-startup", svg, sizeof(svg)), 1);
}

static void sweep_stops_at_the_bus_limit(void **state)
{
	(void)state;
	char sweep[256], index[256], text[8192];
	snprintf(sweep, sizeof(sweep), "%s/full", dir);
	const char *args[] = { "sweep", "--devices", "2,4", "--set", "coalesced_zones=1000", "--iterations", "2",
			       "--warmup", "0", "--out", sweep, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "bootbench sweep: stopped at devices=2 vcpus=2 queues=4: the KVM I/O bus is full"));
	char *line = strstr(p.out, "sweep index: ");
	assert_non_null(line);
	sscanf(line, "sweep index: %255s", index);
	slurp(index, text, sizeof(text));
	assert_non_null(strstr(text, "\"status\": \"failed\""));
	assert_null(strstr(text, "\"devices\": 4")); /* it stopped there */
}

static void sweep_indexes_are_unique_and_portable(void **state)
{
	(void)state;
	char rel[64], index[3][512], out[256];
	/* three sweeps started in one second each keep their index */
	snprintf(rel, sizeof(rel), "%s/many", dir);
	pid_t pids[3];
	for (int i = 0; i < 3; i++) {
		char log[300];
		snprintf(log, sizeof(log), "%s/sweep%d", dir, i);
		const char *args[] = { "sweep", "--devices", "1", "--iterations", "1", "--warmup", "0", "--quiet", "--out", rel, NULL };
		pids[i] = start_bootbench(args, log);
	}
	for (int i = 0; i < 3; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		char log[300], text[4096];
		snprintf(log, sizeof(log), "%s/sweep%d.stdout", dir, i);
		slurp(log, text, sizeof(text));
		char *line = strstr(text, "sweep index: ");
		assert_non_null(line);
		sscanf(line, "sweep index: %511s", index[i]);
	}
	assert_string_not_equal(index[0], index[1]);
	assert_string_not_equal(index[1], index[2]);
	assert_string_not_equal(index[0], index[2]);
	for (int i = 0; i < 3; i++)
		assert_int_equal(access(index[i], F_OK), 0);
	/* an index made with a relative --out plots from anywhere */
	char cwd[4096], here[300];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	const char *relative[] = { "sweep", "--devices", "1", "--iterations", "1", "--warmup", "0", "--quiet", "--out", "rel-out", NULL };
	run_bootbench(relative, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	char *line = strstr(p.out, "sweep index: ");
	assert_non_null(line);
	sscanf(line, "sweep index: %299s", here);
	char moved[512];
	snprintf(moved, sizeof(moved), "%s/%s", dir, here);
	assert_int_equal(chdir("/"), 0);
	snprintf(out, sizeof(out), "%s/elsewhere", dir);
	const char *plot[] = { "plot", moved, "--out", out, "--format", "svg", NULL };
	run_bootbench(plot, NULL, &p);
	assert_int_equal(chdir(cwd), 0);
	if (p.exit_code != 0)
		fail_msg("plot of %s from / exited %d: %s", moved, p.exit_code, p.err);
}

static void interrupted_sweep_says_so(void **state)
{
	(void)state;
	char out[256], log[300], text[8192];
	snprintf(out, sizeof(out), "%s/cut", dir);
	snprintf(log, sizeof(log), "%s/cut-log", dir);
	const char *args[] = { "sweep", "--devices", "1,2", "--iterations", "100000", "--warmup", "0", "--out", out, NULL };
	pid_t pid = start_bootbench(args, log);
	usleep(under_wrapper() ? 8000 * 1000 : 1500 * 1000);
	kill(pid, SIGINT);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	snprintf(log, sizeof(log), "%s/cut-log.stderr", dir);
	slurp(log, text, sizeof(text));
	assert_non_null(strstr(text, "interrupted (SIGINT or SIGTERM)"));
	assert_null(strstr(text, "the run failed"));
}

static void hung_gnuplot_is_killed(void **state)
{
	(void)state;
	/* a gnuplot that answers --version and then never finishes a chart */
	char bin[256], fake[300], fa[256], out[256], path_env[600];
	snprintf(bin, sizeof(bin), "%s/fakebin", dir);
	mkdir(bin, 0755);
	snprintf(fake, sizeof(fake), "%s/gnuplot", bin);
	FILE *f = fopen(fake, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\n[ \"$1\" = --version ] && { echo 'gnuplot 5.4'; exit 0; }\nexec sleep 600\n", f);
	fclose(f);
	chmod(fake, 0755);
	snprintf(path_env, sizeof(path_env), "%s:/usr/bin:/bin", bin);
	assert_int_equal(find_only(a, ".json", fa, sizeof(fa)), 0);
	snprintf(out, sizeof(out), "%s/hung", dir);
	const char *args[] = { "plot", fa, "--out", out, "--format", "svg", "--timeout", "1000", NULL };
	struct spawn_opts o = { .path_env = path_env };
	time_t t0 = time(NULL);
	run_bootbench(args, &o, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "did not finish"));
	assert_non_null(strstr(p.err, "within 1000 ms and was killed"));
	assert_true(time(NULL) - t0 < (under_wrapper() ? 60 : 20));
}

static void missing_gnuplot_is_named(void **state)
{
	(void)state;
	char fa[256], out[256];
	assert_int_equal(find_only(a, ".json", fa, sizeof(fa)), 0);
	snprintf(out, sizeof(out), "%s/nogp", dir);
	const char *args[] = { "plot", fa, "--out", out, NULL };
	struct spawn_opts o = { .path_env = "/nonexistent" };
	run_bootbench(args, &o, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "gnuplot is not installed: install it (apt-get install gnuplot-nox)"));
	/* nothing half-written: not even the output directory */
	assert_int_equal(access(out, F_OK), -1);
	const char *bad[] = { "plot", fa, "--out", out, "--format", "gif", NULL };
	run_bootbench(bad, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	const char *corrupt[] = { "plot", "/nonexistent.json", "--out", out, NULL };
	run_bootbench(corrupt, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "cannot read result /nonexistent.json"));
}

int main(void)
{
	if (kvm_usable() < 0)
		return SKIP_EXIT;
	if (!have_command("gnuplot")) {
		fprintf(stderr, "SKIP: gnuplot is not installed (apt-get install gnuplot-nox)\n");
		return SKIP_EXIT;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_chart_renders),
		cmocka_unit_test(pool_makes_one_series_per_label),
		cmocka_unit_test(sweep_feeds_the_scaling_charts),
		cmocka_unit_test(sweep_indexes_are_unique_and_portable),
		cmocka_unit_test(sweep_stops_at_the_bus_limit),
		cmocka_unit_test(interrupted_sweep_says_so),
		cmocka_unit_test(hung_gnuplot_is_killed),
		cmocka_unit_test(missing_gnuplot_is_named),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
