/* compare, report and gate on result files built for the purpose: the
 * three report formats against golden files, and every exit status of
 * the gate. Set BOOTBENCH_UPDATE_GOLDEN=1 to rewrite the golden files
 * after an intended change, then review the diff. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "synthetic.h"

static struct proc p;
static char dir[64], base[128], patched[128], same[128];

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int setup(void **state)
{
	(void)state;
	make_temp_dir(dir, sizeof(dir));
	path_in(base, sizeof(base), "base.json");
	path_in(patched, sizeof(patched), "patched.json");
	path_in(same, sizeof(same), "same.json");
	struct synthetic a = synthetic_default("off");
	a.kernel = "6.18.0-test";
	struct synthetic b = synthetic_default("on");
	b.kernel = "6.18.0-test+";
	b.startup_scale = 1.2;       /* +20% */
	b.ioeventfd_scale = 0.4;     /* registrations 60% cheaper */
	b.memslot_extra_ns = 6e6;    /* the grace period moved here */
	struct synthetic c = synthetic_default("off-again");
	return write_synthetic(base, &a) || write_synthetic(patched, &b) || write_synthetic(same, &c);
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(dir);
	return 0;
}

static void check_golden(const char *name, const char *actual)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
	if (getenv("BOOTBENCH_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");
		fputs(actual, f);
		fclose(f);
		return;
	}
	static char expected[1 << 16];
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("golden file %s is missing: run with BOOTBENCH_UPDATE_GOLDEN=1", path);
	size_t n = fread(expected, 1, sizeof(expected) - 1, f);
	expected[n] = '\0';
	fclose(f);
	if (strcmp(expected, actual) != 0)
		fail_msg("%s differs from the output:\n%s", path, actual);
}

static void report_formats_match_golden(void **state)
{
	(void)state;
	const char *formats[] = { "text", "markdown", "csv" };
	const char *files[] = { "report.txt", "report.md", "report.csv" };
	char cwd[4096];
	/* relative paths: the header lists every file as given */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	for (int i = 0; i < 3; i++) {
		const char *args[] = { "report", "base.json", "--", "patched.json", "--format", formats[i], NULL };
		run_bootbench(args, NULL, &p);
		assert_int_equal(p.exit_code, 0);
		check_golden(files[i], p.out);
	}
	assert_int_equal(chdir(cwd), 0);
}

static void text_report_is_72_columns_of_ascii(void **state)
{
	(void)state;
	const char *args[] = { "report", "--format", "text", base, "--", patched, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	size_t col = 0;
	for (const char *c = p.out; *c; c++) {
		assert_true((*c >= 32 && *c <= 126) || *c == '\n');
		col = *c == '\n' ? 0 : col + 1;
		assert_true(col <= 72);
	}
	/* where time moved: the memslot update gained, the registrations lost */
	char *moved = strstr(p.out, "Where time moved");
	assert_non_null(moved);
	char *memslot = strstr(moved, "KVM_SET_USER_MEMORY_REGION");
	char *ioeventfd = strstr(moved, "KVM_IOEVENTFD");
	assert_non_null(memslot);
	assert_non_null(ioeventfd);
	assert_true(memslot < ioeventfd); /* the larger move comes first */
	assert_non_null(strstr(memslot, "slower"));
	assert_non_null(strstr(ioeventfd, "faster"));
}

/* The interval shown is the one that decides: with p < alpha exactly
 * when it excludes 0, a row can never show an interval clear of 0 and
 * "no change" (95% against p < 0.01 could). */
static void ci_is_at_the_level_that_decides(void **state)
{
	(void)state;
	const double alphas[] = { 0.01, 0.05 };
	const char *headings[] = { "99% CI", "95% CI" };
	for (int k = 0; k < 2; k++) {
		char alpha[16];
		snprintf(alpha, sizeof(alpha), "%g", alphas[k]);
		const char *text[] = { "compare", "--alpha", alpha, base, "--", patched, NULL };
		run_bootbench(text, NULL, &p);
		assert_int_equal(p.exit_code, 0);
		assert_non_null(strstr(p.out, headings[k]));
		const char *csv[] = { "report", "--format", "csv", "--alpha", alpha, base, "--", patched, NULL };
		run_bootbench(csv, NULL, &p);
		assert_int_equal(p.exit_code, 0);
		size_t rows = 0;
		for (const char *line = strchr(p.out, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
			const char *c = strchr(line + 2, '"'); /* the end of the quoted metric name */
			assert_non_null(c);
			/* the columns after the name: 7 change, 8 CI low, 9 CI high, 10 p */
			double f[11];
			for (int col = 0; col < 11; col++) {
				c = strchr(c + 1, ',');
				assert_non_null(c);
				f[col] = strtod(c + 1, NULL);
			}
			if (c[1] == ',') /* no p: no ratio */
				continue;
			bool excludes = f[8] > 0 || f[9] < 0;
			if (excludes != (f[10] < alphas[k]))
				fail_msg("at alpha %g the row %.80s has a CI that %s 0 but p %g", alphas[k], line + 1,
					 excludes ? "excludes" : "holds", f[10]);
			rows++;
		}
		assert_true(rows > 10);
	}
}

static void compare_shows_context_and_verdicts(void **state)
{
	(void)state;
	const char *args[] = { "compare", "--baseline", base, "--candidate", patched, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "6.18.0-test+"));
	assert_non_null(strstr(p.out, "patch=on"));
	assert_non_null(strstr(p.out, "<- differs"));
	assert_non_null(strstr(p.out, "two-sided"));
	assert_non_null(strstr(p.out, "one bootstrap of"));
	/* the power of this n: a line per headline statistic */
	assert_non_null(strstr(p.out, "vmm: n=12 a side detects changes >= "));
	assert_non_null(strstr(p.out, "vmm p90: n=12 a side detects changes >= "));
	char *row = strstr(p.out, "\nstartup ");
	assert_non_null(row);
	assert_non_null(strstr(row, "+20.0%"));
	/* the same numbers twice: the resampling is seeded */
	char first[sizeof(p.out)];
	snprintf(first, sizeof(first), "%s", p.out);
	run_bootbench(args, NULL, &p);
	assert_string_equal(first, p.out);
}

static void gate_exit_codes(void **state)
{
	(void)state;
	/* the default gate: vmm, centre and tail */
	const char *pass[] = { "gate", "--baseline", base, "--candidate", same, NULL };
	run_bootbench(pass, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "PASS vmm: "));
	assert_non_null(strstr(p.out, "PASS vmm p90: "));
	assert_non_null(strstr(p.out, "gate: 0 of 2 checks regressed"));

	const char *fail[] = { "gate", "--baseline", base, "--candidate", patched, NULL };
	run_bootbench(fail, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.out, "FAIL vmm: +227.7%"));

	const char *startup[] = { "gate", "--baseline", base, "--candidate", patched, "--metric", "startup", "--max-regression", "5%", NULL };
	run_bootbench(startup, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.out, "FAIL startup: +20.0%"));

	const char *loose[] = { "gate", "--baseline", base, "--candidate", patched, "--metric", "startup", "--max-regression", "25", NULL };
	run_bootbench(loose, NULL, &p);
	assert_int_equal(p.exit_code, 0);

	/* a faster metric never fails the gate */
	const char *faster[] = { "gate", "--baseline", base, "--candidate", patched, "--metric", "op:KVM_IOEVENTFD:total", NULL };
	run_bootbench(faster, NULL, &p);
	assert_int_equal(p.exit_code, 0);
}

static void gate_threshold_file_junit_and_step_summary(void **state)
{
	(void)state;
	char thresholds[128], junit[128], summary[128], text[8192];
	path_in(thresholds, sizeof(thresholds), "thresholds.json");
	path_in(junit, sizeof(junit), "junit.xml");
	path_in(summary, sizeof(summary), "summary.md");
	FILE *f = fopen(thresholds, "w");
	fputs("{\"metrics\": {\"startup\": \"50%\", \"op:KVM_SET_USER_MEMORY_REGION:total\": \"10%\", \"op:KVM_IOEVENTFD:total\": 5}}", f);
	fclose(f);
	setenv("GITHUB_STEP_SUMMARY", summary, 1);
	const char *args[] = { "gate", "--baseline", base, "--candidate", patched, "--thresholds", thresholds, "--junit", junit, NULL };
	run_bootbench(args, NULL, &p);
	unsetenv("GITHUB_STEP_SUMMARY");
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.out, "PASS startup"));
	assert_non_null(strstr(p.out, "FAIL op:KVM_SET_USER_MEMORY_REGION:total"));
	assert_non_null(strstr(p.out, "FAIL op:KVM_SET_USER_MEMORY_REGION:total p90"));
	assert_non_null(strstr(p.out, "gate: 2 of 6 checks regressed (3 metrics, median and p90 each)"));

	f = fopen(junit, "r");
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "tests=\"6\" failures=\"2\""));
	assert_non_null(strstr(text, "name=\"op:KVM_SET_USER_MEMORY_REGION:total\"><failure message="));
	assert_non_null(strstr(text, "p &lt; 0.01"));
	f = fopen(summary, "r");
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "### bootbench gate: regression"));
	assert_non_null(strstr(text, "**regressed**"));
}

static void bad_input_exits_2(void **state)
{
	(void)state;
	char v2[128], partial[128], few[128], other[128], corrupt[128], readme[128];
	path_in(v2, sizeof(v2), "v2.json");
	path_in(partial, sizeof(partial), "partial.json");
	path_in(few, sizeof(few), "few.json");
	path_in(other, sizeof(other), "other.json");
	path_in(corrupt, sizeof(corrupt), "corrupt.json");
	path_in(readme, sizeof(readme), "README.md");
	struct synthetic s = synthetic_default("x");
	s.schema_version = 3; /* newer than this bootbench reads */
	write_synthetic(v2, &s);
	s = synthetic_default("x");
	s.complete = false;
	write_synthetic(partial, &s);
	s = synthetic_default("x");
	s.iterations = 3;
	write_synthetic(few, &s);
	s = synthetic_default("x");
	s.devices = 8;
	write_synthetic(other, &s);
	FILE *f = fopen(corrupt, "w");
	fputs("{\"schema\": \"bootbench-result\", \"sch", f);
	fclose(f);
	f = fopen(readme, "w");
	fputs("# A lab cell\n", f);
	fclose(f);

	const struct { const char *args[8]; const char *message; } cases[] = {
		{ { "compare", "/nonexistent.json", "--", base, NULL }, "cannot read result /nonexistent.json" },
		{ { "compare", base, "--", v2, NULL }, "schema version" },
		{ { "compare", corrupt, "--", base, NULL }, "corrupt or truncated" },
		{ { "compare", "--strict", base, "--", partial, NULL }, "incomplete run" },
		{ { "compare", base, "--", few, NULL }, "candidate side (" },
		{ { "compare", base, "--", few, NULL }, "with fewer than 5 a side" },
		{ { "compare", base, "--", other, NULL }, "different profiles (devices 64 vs 8)" },
		{ { "gate", "--baseline", base, "--candidate", same, "--metric", "phase:nope", NULL }, "metric 'phase:nope' is not in the baseline" },
		{ { "report", base, "--", patched, "--format", "pdf", NULL }, "use text, markdown or csv" },
		{ { "compare", base, NULL }, "need results on both sides" },
		{ { "gate", "--baseline", base, "--candidate", same, "--alpha", "2", NULL }, "--alpha" },
		{ { "gate", "--baseline", base, "--candidate", same, "--threshold", "5000%", NULL }, "its limit is --max-regression PCT" },
		{ { "compare", readme, "--", base, NULL }, "is not a bootbench result: it is not JSON" },
		/* plot's --timeout is in milliseconds, as every other: 60 (its old seconds) is refused, not 60 ms */
		{ { "plot", base, "--timeout", "60", NULL }, "bad value '60' for --timeout (milliseconds): use an integer from 100" },
		{ { "compare", "--junit", "x", base, "--", same, NULL }, "does not apply" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bootbench(cases[i].args, NULL, &p);
		if (p.exit_code != 2 || !strstr(p.err, cases[i].message) || count_lines(p.err) != 1)
			fail_msg("case %zu: exit %d, stderr: %s (expected '%s')", i, p.exit_code, p.err, cases[i].message);
	}
	/* a JUnit file that cannot be written names it, not an option gate lacks */
	const char *junit[] = { "gate", "--baseline", base, "--candidate", same, "--junit", "/nonexistent/j.xml", NULL };
	run_bootbench(junit, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "/nonexistent"));
	assert_null(strstr(p.err, "--out"));
	/* an incomplete run is a warning without --strict */
	const char *warn[] = { "compare", base, "--", partial, NULL };
	run_bootbench(warn, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.err, "warning:"));
	/* and different profiles compare when allowed */
	const char *allow[] = { "compare", "--allow-different-profiles", base, "--", other, NULL };
	run_bootbench(allow, NULL, &p);
	assert_int_equal(p.exit_code, 0);
}

/* Writes a synthetic result at dir/name; the path goes to buf. */
static void write_named(char *buf, size_t len, const char *name, const struct synthetic *s)
{
	path_in(buf, len, name);
	assert_int_equal(write_synthetic(buf, s), 0);
}

static void tail_regression_fails(void **state)
{
	(void)state;
	/* a third of the candidate's boots 100x slower: the median hides it,
	 * the p90 check must not, and the two modes are named */
	char a[128], b[128];
	struct synthetic s = synthetic_default("off");
	s.iterations = 30;
	write_named(a, sizeof(a), "tail-a.json", &s);
	s.tail_every = 3;
	s.tail_scale = 100;
	write_named(b, sizeof(b), "tail-b.json", &s);
	const char *args[] = { "gate", "--baseline", a, "--candidate", b, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.out, "PASS vmm: "));
	assert_non_null(strstr(p.out, "FAIL vmm p90: "));
	/* p as compare prints it: "<0.001" or three decimals, never 0.006999 */
	for (const char *at = strstr(p.out, ", p"); at; at = strstr(at + 1, ", p")) {
		if (at[3] == ' ') /* ", power" and the like */
			continue;
		bool small = !strncmp(at + 3, "<0.001,", 7);
		bool three = at[3] == '=' && strspn(at + 4, "0123456789.") == 5 && at[9] == ',';
		if (!small && !three)
			fail_msg("gate's p is not as compare prints it: %.40s", at);
	}
	const char *startup[] = { "gate", "--baseline", a, "--candidate", b, "--metric", "startup", NULL };
	run_bootbench(startup, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.out, "FAIL startup p90: "));
	/* and compare and the reports say the candidate has two modes */
	const char *cmp[] = { "compare", a, "--", b, NULL };
	run_bootbench(cmp, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	const char *modes = strstr(p.out, "\nTwo modes (");
	assert_non_null(modes);
	const char *vmm = strstr(modes, "\n  vmm: A one; B ");
	assert_non_null(vmm);
	char line[256];
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(vmm + 1, "\n"), vmm + 1);
	if (!strstr(line, " (20 of 30) and ") || !strstr(line, " (10 of 30)"))
		fail_msg("vmm's modes: %s", line);
	const char *md[] = { "report", "--format", "markdown", a, "--", b, NULL };
	run_bootbench(md, NULL, &p);
	assert_non_null(strstr(p.out, "\n### Two modes\n"));
	assert_non_null(strstr(p.out, "\n- vmm: A one; B "));
	/* csv: the modes as median:count pairs, the median row only */
	const char *csv[] = { "report", "--format", "csv", a, "--", b, NULL };
	run_bootbench(csv, NULL, &p);
	const char *row = strstr(p.out, "\n\"vmm\",median,");
	assert_non_null(row);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
	const char *pair = strstr(line, ",,\"");
	if (!pair || !strstr(pair, ":20;") || strcmp(line + strlen(line) - 4, ":10\""))
		fail_msg("vmm's csv modes: %s", line);
	row = strstr(p.out, "\n\"vmm\",p90,");
	assert_non_null(row);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
	assert_string_equal(line + strlen(line) - 2, ",,");
}

/* Context values wider than their column (a lab side's label set) get a
 * line a side, never one line with A's and B's run together. */
static void long_labels_get_a_line_each(void **state)
{
	(void)state;
	char a[128], b[128];
	struct synthetic s = synthetic_default("none-and-a-label-value-past-the-column");
	write_named(a, sizeof(a), "long-a.json", &s);
	s.patch = "fix-with-a-label-value-just-as-long-as-the-other";
	write_named(b, sizeof(b), "long-b.json", &s);
	const char *args[] = { "compare", a, "--", b, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	const char *line = strstr(p.out, "\nlabels ");
	assert_non_null(line);
	char first[256], second[256];
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(line + 1, "\n"), line + 1);
	line = strchr(line + 1, '\n');
	snprintf(second, sizeof(second), "%.*s", (int)strcspn(line + 1, "\n"), line + 1);
	if (!strstr(first, "A: patch=none-and-a-label") || strstr(first, "patch=fix-with"))
		fail_msg("labels, A's line: %s", first);
	if (strncmp(second, "                 B: patch=fix-with", 34) || !strstr(second, "<- differs"))
		fail_msg("labels, B's line: %s", second);
}

static json_t *load_result(const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc)
		fail_msg("%s: %s", path, jerr.text);
	return doc;
}

/* Writes an edited copy of a result as name in the test's directory (its
 * path into to) and frees it. */
static void save_copy(json_t *doc, const char *name, char *to, size_t len)
{
	path_in(to, len, name);
	assert_int_equal(json_dump_file(doc, to, 0), 0);
	json_decref(doc);
}

/* A copy of a result whose "devices" phase has a name far wider than the
 * text report's metric column. */
static void with_long_phase_name(const char *from, char *to, size_t len, const char *name)
{
	json_t *doc = load_result(from);
	size_t i, k;
	json_t *it, *ph;
	json_array_foreach(json_object_get(doc, "iterations"), i, it)
		json_array_foreach(json_object_get(it, "phases"), k, ph)
			if (!strcmp(json_string_value(json_object_get(ph, "name")), "devices"))
				json_object_set_new(ph, "name", json_string("memslots_after_the_registrations"));
	json_array_foreach(json_object_get(doc, "summary"), i, it)
		if (!strcmp(json_string_value(json_object_get(it, "name")), "phase:devices"))
			json_object_set_new(it, "name", json_string("phase:memslots_after_the_registrations"));
	save_copy(doc, name, to, len);
}

/* The text report's 72 columns hold for a long metric name and the widest
 * verdict: the name gets its own line, never cut. */
static void text_report_never_cuts_a_metric_name(void **state)
{
	(void)state;
	char a[128], b[128];
	with_long_phase_name(base, a, sizeof(a), "long-phase-a.json");
	with_long_phase_name(patched, b, sizeof(b), "long-phase-b.json");
	const char *args[] = { "report", "--format", "text", a, "--", b, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	size_t col = 0;
	for (const char *c = p.out; *c; c++) {
		col = *c == '\n' ? 0 : col + 1;
		if (col > 72)
			fail_msg("a line past 72 columns: %.80s", c - 72);
	}
	const char *name = strstr(p.out, "\nphase:memslots_after_the_registrations\n");
	assert_non_null(name);
	/* and its values on the next line, under the columns */
	assert_non_null(strstr(name + 1, "\n                 "));
}

/* report --export writes every format from one comparison, each file the
 * same bytes as the command that prints that format alone. */
static void exports_are_what_each_format_prints(void **state)
{
	(void)state;
	static struct proc alone;
	const char *formats[] = { "compare", "text", "markdown", "csv" };
	char paths[4][128], args_export[4][160];
	const char *args[16] = { "report", base, "--", patched };
	size_t n = 4;
	for (int i = 0; i < 4; i++) {
		char name[32];
		snprintf(name, sizeof(name), "export.%s", formats[i]);
		path_in(paths[i], sizeof(paths[i]), name);
		snprintf(args_export[i], sizeof(args_export[i]), "%s=%s", formats[i], paths[i]);
		args[n++] = "--export";
		args[n++] = args_export[i];
	}
	args[n] = NULL;
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_string_equal(p.out, ""); /* the files, not stdout */
	for (int i = 0; i < 4; i++) {
		const char *one_compare[] = { "compare", base, "--", patched, NULL };
		const char *one_report[] = { "report", base, "--", patched, "--format", formats[i], NULL };
		run_bootbench(i == 0 ? one_compare : one_report, NULL, &alone);
		FILE *f = fopen(paths[i], "r");
		assert_non_null(f);
		static char got[1 << 16];
		size_t len = fread(got, 1, sizeof(got) - 1, f);
		got[len] = '\0';
		fclose(f);
		if (strcmp(got, alone.out))
			fail_msg("--export %s differs from the format printed alone", formats[i]);
	}
	/* bad exports: one line naming the fix, exit 2, nothing written */
	char nowhere[160];
	snprintf(nowhere, sizeof(nowhere), "csv=%s/no-such-dir/r.csv", dir);
	const struct { const char *value, *message; } bad[] = {
		{ "csv", "use FORMAT=FILE" },
		{ "pdf=r.pdf", "use text, markdown, csv or compare" },
		{ nowhere, "no-such-dir" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *b[] = { "report", base, "--", patched, "--export", bad[i].value, NULL };
		run_bootbench(b, NULL, &p);
		assert_int_equal(p.exit_code, 2);
		if (!strstr(p.err, bad[i].message))
			fail_msg("--export %s: %s", bad[i].value, p.err);
	}
	const char *twice[] = { "report", base, "--", patched, "--export", args_export[3], "--export", args_export[3], NULL };
	run_bootbench(twice, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "repeats a format or a file"));
	const char *compare_has_none[] = { "compare", base, "--", patched, "--export", args_export[3], NULL };
	run_bootbench(compare_has_none, NULL, &p);
	assert_int_equal(p.exit_code, 2);
}

/* Two profiles told apart in one short line: the fields that differ, each
 * value cut, never the descriptions (prose, which once filled the line). */
static void different_profiles_are_named_in_one_short_line(void **state)
{
	(void)state;
	char other[128];
	json_t *doc = load_result(patched);
	json_t *prof = json_object_get(doc, "profile");
	json_object_set_new(prof, "name", json_string("qemu"));
	json_object_set_new(prof, "when", json_string("reset"));
	json_object_set_new(prof, "description", json_string("QEMU-style boot of transitional virtio devices, described at length "
							     "in a sentence that runs well past any terminal's width, as profiles' do."));
	save_copy(doc, "other-profile.json", other, sizeof(other));
	const char *args[] = { "compare", base, "--", other, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "name \"firecracker\" vs \"qemu\""));
	assert_non_null(strstr(p.err, "when \"static\" vs \"reset\""));
	assert_null(strstr(p.err, "description"));
	assert_true(strlen(p.err) < 320);
}

/* A copy of a result with an op neither side spent time in. */
static void with_idle_op(const char *from, char *to, size_t len, const char *name)
{
	json_t *doc = load_result(from);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(doc, "iterations"), i, it)
		json_object_set_new(json_object_get(it, "ops"), "KVM_IRQ_LINE", json_pack("{s:i, s:i}", "count", 1, "total_ns", 0));
	json_array_append_new(json_object_get(doc, "summary"), json_pack("{s:s, s:s, s:s, s:i, s:f}", "name", "op:KVM_IRQ_LINE:total",
									   "unit", "ns", "kind", "iteration", "n", 0, "median", 0.0));
	save_copy(doc, name, to, len);
}

/* "0ns 0ns +0.0% no change" says nothing: compare and markdown leave such
 * rows out and say how many; csv keeps every row. */
static void rows_where_neither_side_spent_anything_are_left_out(void **state)
{
	(void)state;
	char a[128], b[128];
	with_idle_op(base, a, sizeof(a), "idle-a.json");
	with_idle_op(patched, b, sizeof(b), "idle-b.json");
	const char *cmp[] = { "compare", a, "--", b, NULL };
	run_bootbench(cmp, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_null(strstr(p.out, "op:KVM_IRQ_LINE:total"));
	assert_non_null(strstr(p.out, "(1 row where both medians are 0 left out"));
	const char *md[] = { "report", "--format", "markdown", a, "--", b, NULL };
	run_bootbench(md, NULL, &p);
	assert_null(strstr(p.out, "`op:KVM_IRQ_LINE:total`"));
	assert_non_null(strstr(p.out, "1 row where both medians are 0 is left out"));
	const char *csv[] = { "report", "--format", "csv", a, "--", b, NULL };
	run_bootbench(csv, NULL, &p);
	assert_non_null(strstr(p.out, "\n\"op:KVM_IRQ_LINE:total\",median,"));
}

static void no_verdict_from_nothing(void **state)
{
	(void)state;
	char bare[128], empty[128];
	struct synthetic s = synthetic_default("off");
	s.no_events = true;
	write_named(bare, sizeof(bare), "no-events.json", &s);
	s = synthetic_default("off");
	s.iterations = 0;
	s.complete = false;
	write_named(empty, sizeof(empty), "empty.json", &s);
	const struct { const char *args[10]; const char *message; } cases[] = {
		/* per-call latencies need events: no values, no NaN verdict */
		{ { "gate", "--baseline", base, "--candidate", bare, "--metric", "op:KVM_IOEVENTFD:call_median", NULL },
		  "metric 'op:KVM_IOEVENTFD:call_median' has no values in the candidate results" },
		{ { "gate", "--baseline", bare, "--candidate", same, "--metric", "op:KVM_IOEVENTFD:call", NULL },
		  "has no values in the baseline results" },
		/* a side with no measured iteration */
		{ { "gate", "--baseline", base, "--candidate", empty, NULL }, "the candidate side (" },
		{ { "compare", empty, "--", base, NULL }, "has 0 measured" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bootbench(cases[i].args, NULL, &p);
		if (p.exit_code != 2 || !strstr(p.err, cases[i].message) || count_lines(p.err) > 2 ||
		    strstr(p.out, "PASS") || strstr(p.out, "nan"))
			fail_msg("case %zu: exit %d, stdout: %s, stderr: %s (expected '%s')", i, p.exit_code, p.out,
				 p.err, cases[i].message);
	}
}

static void each_file_on_its_side(void **state)
{
	(void)state;
	/* two files a side, in each of the README's forms */
	char base2[128], patched2[128];
	struct synthetic s = synthetic_default("off");
	s.kernel = "6.18.0-test";
	write_named(base2, sizeof(base2), "base2.json", &s);
	s = synthetic_default("on");
	s.kernel = "6.18.0-test+";
	s.startup_scale = 1.2;
	s.ioeventfd_scale = 0.4;
	s.memslot_extra_ns = 6e6;
	write_named(patched2, sizeof(patched2), "patched2.json", &s);
	const char *forms[][10] = {
		{ "compare", "--baseline", base, base2, "--candidate", patched, patched2, NULL },
		{ "compare", base, base2, "--", patched, patched2, NULL },
		{ "compare", "--candidate", patched, patched2, "--baseline", base, base2, NULL },
		{ "compare", "--baseline", base, base2, "--", patched, patched2, NULL },
	};
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		run_bootbench(forms[f], NULL, &p);
		assert_int_equal(p.exit_code, 0);
		char line[256];
		const char *want[][2] = { { "A", base }, { "A", base2 }, { "B", patched }, { "B", patched2 } };
		for (int w = 0; w < 4; w++) {
			snprintf(line, sizeof(line), "%s run %d: %s, Linux", want[w][0], w % 2 + 1, want[w][1]);
			if (!strstr(p.out, line))
				fail_msg("form %zu: no '%s' in:\n%s", f, line, p.out);
		}
		assert_non_null(strstr(p.out, "iterations       24"));
		assert_null(strstr(p.err, "pools"));
	}
}

static void mixed_pools_are_shown(void **state)
{
	(void)state;
	/* a baseline that pools both kernels and both labels: each value
	 * named with its runs, in the warning and the header */
	const char *args[] = { "compare", "--allow-different-profiles", "--baseline", base, patched, "--candidate", same, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.err, "warning: the baseline side pools kernels 6.18.0-test: 1 run | 6.18.0-test+: 1 run and labels patch=off: 1 run | patch=on: 1 run"));
	assert_non_null(strstr(p.out, "Warning: the baseline side pools"));
	assert_non_null(strstr(p.out, "patch=off: 1 run | patch=on: 1 run"));
	assert_null(strstr(p.err, "candidate side pools"));
	/* a value the whole side shares is not counted */
	assert_non_null(strstr(p.out, "\nCONFIG_HZ        100 "));
}

/* Two machines whose levels differ (h2 30% slower), mixed in different
 * proportions on each side (5 runs on h1 and 1 on h2, against 1 and 5):
 * blocked by machine, the mix is not read as an effect. The same files
 * from one machine, blocked by run, read it as one: the blocking is what
 * tells them apart. */
static const char *startup_row(char *line, size_t len)
{
	const char *row = strstr(p.out, "\nstartup ");
	assert_non_null(row);
	snprintf(line, len, "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
	return line;
}

static void machines_are_blocks(void **state)
{
	(void)state;
	for (int one_machine = 0; one_machine < 2; one_machine++) {
		char a[6][128], b[6][128], line[256];
		struct synthetic s = synthetic_default("off");
		s.iterations = 10;
		for (int i = 0; i < 6; i++) {
			char name[32];
			bool a_h2 = i == 5, b_h2 = i >= 1;
			s.hostname = one_machine ? "lab" : a_h2 ? "h2" : "h1";
			s.startup_scale = a_h2 ? 1.3 : 1;
			snprintf(name, sizeof(name), "hosts-a%d.json", i);
			write_named(a[i], sizeof(a[i]), name, &s);
			s.hostname = one_machine ? "lab" : b_h2 ? "h2" : "h1";
			s.startup_scale = b_h2 ? 1.3 : 1;
			snprintf(name, sizeof(name), "hosts-b%d.json", i);
			write_named(b[i], sizeof(b[i]), name, &s);
		}
		const char *args[] = { "compare", "--metric", "startup", a[0], a[1], a[2], a[3], a[4], a[5], "--",
				       b[0], b[1], b[2], b[3], b[4], b[5], NULL };
		run_bootbench(args, NULL, &p);
		assert_int_equal(p.exit_code, 0);
		startup_row(line, sizeof(line));
		if (!one_machine) {
			assert_non_null(strstr(p.out, "runs (blocks)    2 machines, 6 runs"));
			assert_non_null(strstr(p.out, "Pooling: resampled by machine (2 baseline, 2 candidate"));
			/* each file named with its machine, the block it is resampled in */
			assert_non_null(strstr(p.out, "A machine 2: "));
			assert_null(strstr(p.out, "A run 1: "));
			if (!strstr(line, "no change"))
				fail_msg("the machines' mix was read as an effect: %s", line);
		} else {
			assert_non_null(strstr(p.out, "Pooling: resampled by run (6 baseline, 6 candidate"));
			if (strstr(line, "no change"))
				fail_msg("one machine's runs, blocked by run, should show the shift: %s", line);
		}
	}
}

/* Emulated and hardware results: pooled on one side, or one side each,
 * are said to be so; two emulated sides are not warned about. */
static void emulated_against_hardware_is_shown(void **state)
{
	(void)state;
	char emu[128], emu2[128];
	struct synthetic e = synthetic_default("off-again");
	e.emulated = true;
	write_named(emu, sizeof(emu), "emulated.json", &e);
	write_named(emu2, sizeof(emu2), "emulated2.json", &e);
	const char *across[] = { "compare", "--baseline", base, same, "--candidate", emu, emu2, NULL };
	run_bootbench(across, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.err, "warning: the candidate was measured in an emulated host and the baseline on hardware"));
	assert_non_null(strstr(p.out, "host kind        hardware"));
	const char *pooled[] = { "compare", "--baseline", base, emu, "--candidate", same, NULL };
	run_bootbench(pooled, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.err, "warning: the baseline side pools 1 result from emulated hosts with 1 from hardware"));
	const char *both[] = { "compare", "--baseline", emu, "--candidate", emu2, NULL };
	run_bootbench(both, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_null(strstr(p.err, "emulated"));
	unlink(emu);
	unlink(emu2);
}

static void repeated_files_and_groups_refused(void **state)
{
	(void)state;
	char alias[160];
	snprintf(alias, sizeof(alias), "%s/./base.json", dir);
	const struct { const char *args[10]; const char *message; } cases[] = {
		{ { "compare", base, "--", base, NULL }, "is on both sides" },
		{ { "compare", base, "--", alias, NULL }, "is on both sides" },
		{ { "compare", base, alias, "--", patched, NULL }, "is given twice on the baseline side" },
		{ { "compare", base, "--", patched, "--", same, NULL }, "a second '--'" },
		{ { "gate", "--baseline", base, "--candidate", patched, "--thresholds", "t.json", "--max-regression", "5", NULL },
		  "both set the limits" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bootbench(cases[i].args, NULL, &p);
		if (p.exit_code != 2 || !strstr(p.err, cases[i].message) || count_lines(p.err) != 1)
			fail_msg("case %zu: exit %d, stderr: %s (expected '%s')", i, p.exit_code, p.err, cases[i].message);
	}
}

static void runs_are_blocks(void **state)
{
	(void)state;
	/* each file is a run and a block: resampled by run, then iteration */
	char a1[128], a2[128], b1[128], b2[128];
	struct synthetic s = synthetic_default("off");
	write_named(a1, sizeof(a1), "run-a1.json", &s);
	s.vmm_shift = 1.04;
	write_named(a2, sizeof(a2), "run-a2.json", &s);
	s.vmm_shift = 1.08;
	write_named(b1, sizeof(b1), "run-b1.json", &s);
	s.vmm_shift = 1.12;
	write_named(b2, sizeof(b2), "run-b2.json", &s);
	const char *args[] = { "compare", "--metric", "vmm", a1, a2, "--", b1, b2, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "resampled by run (2 baseline, 2 candidate"));
	assert_non_null(strstr(p.out, "A run 2: "));
	assert_non_null(strstr(p.out, "n=2 runs a side detects"));
	/* one run a side says what it cannot see */
	const char *one[] = { "compare", "--metric", "vmm", a1, "--", b1, NULL };
	run_bootbench(one, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "one run a side: resampled by iteration; a shift between runs cannot be told"));
}

static void gate_warns_when_underpowered(void **state)
{
	(void)state;
	char summary[128], text[8192];
	path_in(summary, sizeof(summary), "power.md");
	setenv("GITHUB_STEP_SUMMARY", summary, 1);
	const char *args[] = { "gate", "--baseline", base, "--candidate", same, "--max-regression", "0.5%", NULL };
	run_bootbench(args, NULL, &p);
	unsetenv("GITHUB_STEP_SUMMARY");
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.err, "warning: the limit +0.5% is below what this run can detect: vmm: n=12 a side detects changes >= "));
	assert_non_null(strstr(p.err, "a side would detect 0.5%"));
	FILE *f = fopen(summary, "r");
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "> **Warning:** the limit +0.5% is below"));
	assert_non_null(strstr(text, "pass, underpowered"));

	const char *strict[] = { "gate", "--strict", "--baseline", base, "--candidate", same, "--max-regression", "0.5%", NULL };
	run_bootbench(strict, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "--strict: 2 limits below the detectable change"));
	assert_null(strstr(p.out, "PASS"));
	/* a limit the data can resolve: no warning */
	const char *fine[] = { "gate", "--strict", "--baseline", base, "--candidate", same, "--max-regression", "10%", NULL };
	run_bootbench(fine, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_string_equal(p.err, "");
}

static void stdout_write_errors_fail(void **state)
{
	(void)state;
	/* a report cut short on a full disk must not exit 0 */
	struct spawn_opts o = { .stdout_path = "/dev/full" };
	const char *cases[][8] = {
		{ "report", base, "--", patched, NULL },
		{ "report", "--format", "markdown", base, "--", patched, NULL },
		{ "compare", base, "--", patched, NULL },
		{ "gate", "--baseline", base, "--candidate", same, NULL },
		{ "profiles", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bootbench(cases[i], &o, &p);
		if (p.exit_code != 1 || !strstr(p.err, "cannot write standard output: No space left on device") ||
		    count_lines(p.err) != 1)
			fail_msg("case %zu (%s): exit %d: %s", i, cases[i][0], p.exit_code, p.err);
	}
}

/* Every "/slim/" of a path in out becomes "/full/", in place. */
static void full_paths(char *out)
{
	for (char *at = strstr(out, "/slim/"); at; at = strstr(at + 6, "/slim/")) {
		at[1] = 'f';
		at[2] = 'u';
		at[3] = 'l';
		at[4] = 'l';
	}
}

static void slim_results_compare_and_report_the_same(void **state)
{
	(void)state;
	static struct proc full_out;
	char full[2][160], slim[2][160], d[160];
	const char *names[2] = { "base.json", "patched.json" };
	const char *sources[2] = { base, patched };
	for (int k = 0; k < 2; k++) {
		snprintf(d, sizeof(d), "mkdir -p %s/full %s/slim && cp %s %s/full/%s", dir, dir, sources[k], dir, names[k]);
		assert_int_equal(system(d), 0);
		snprintf(full[k], sizeof(full[k]), "%s/full/%s", dir, names[k]);
		snprintf(slim[k], sizeof(slim[k]), "%s/slim/%s", dir, names[k]);
		const char *args[] = { "slim", full[k], slim[k], NULL };
		run_bootbench(args, NULL, &p);
		assert_int_equal(p.exit_code, 0);
		assert_non_null(strstr(p.err, "event rows left out"));
	}
	/* no events left, but what compare reads from them */
	json_error_t jerr;
	json_t *doc = json_load_file(slim[1], 0, &jerr);
	assert_non_null(doc);
	json_t *it = json_array_get(json_object_get(doc, "iterations"), 0);
	assert_null(json_object_get(it, "events"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(it, "calls"), "KVM_IOEVENTFD"), "n")), 4);
	assert_non_null(json_object_get(json_object_get(doc, "call_histograms"), "KVM_IOEVENTFD"));
	json_decref(doc);
	const char *outs[][6] = { { "compare", NULL }, { "report", "--format", "text", NULL },
				  { "report", "--format", "markdown", NULL }, { "report", "--format", "csv", NULL },
				  { "gate", "--metric", "op:KVM_IOEVENTFD:call_median", "--max-regression", "50", NULL },
				  { "gate", "--metric", "memslot:0", "--max-regression", "50", NULL } };
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		const char *args[16];
		size_t n = 0;
		for (; outs[i][n]; n++)
			args[n] = outs[i][n];
		bool gate = !strcmp(outs[i][0], "gate");
		const char *a_flag = "--baseline", *b_flag = "--candidate";
		if (gate)
			args[n++] = a_flag;
		args[n++] = full[0];
		args[n++] = gate ? b_flag : "--";
		args[n++] = full[1];
		args[n] = NULL;
		run_bootbench(args, NULL, &full_out);
		args[n - 3] = slim[0];
		args[n - 1] = slim[1];
		run_bootbench(args, NULL, &p);
		assert_int_equal(p.exit_code, full_out.exit_code);
		full_paths(p.out);
		if (strcmp(p.out, full_out.out))
			fail_msg("%s differs between the full and the slim results:\n--- full\n%s\n--- slim\n%s", outs[i][0],
				 full_out.out, p.out);
		if (gate) /* the gated metric was read from both, not skipped */
			assert_non_null(strstr(full_out.out, outs[i][2]));
	}
	/* nothing to leave out: a slim result, or one written with --no-events */
	char bare[128];
	struct synthetic s = synthetic_default("off");
	s.no_events = true;
	write_named(bare, sizeof(bare), "slim-no-events.json", &s);
	snprintf(d, sizeof(d), "%s/slim/again.json", dir);
	const char *again[] = { "slim", slim[0], d, NULL };
	run_bootbench(again, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "already left out by bootbench slim"));
	const char *none[] = { "slim", bare, d, NULL };
	run_bootbench(none, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "no events to digest"));
	assert_int_equal(access(d, F_OK), -1);
	const char *usage[] = { "slim", bare, NULL };
	run_bootbench(usage, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "give RESULT.json and OUT.json"));
}

static void the_old_per_call_name_still_reads(void **state)
{
	(void)state;
	/* a result from before call_pooled: its summary says op:X:call */
	char old[128];
	struct synthetic s = synthetic_default("off");
	s.legacy_call_name = true;
	write_named(old, sizeof(old), "legacy-call.json", &s);
	const char *cmp[] = { "compare", old, "--", base, NULL };
	run_bootbench(cmp, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "\nop:KVM_IOEVENTFD:call_median "));
	assert_null(strstr(p.out, "\nop:KVM_IOEVENTFD:call "));
	/* and --metric by the old name gates the per-iteration median */
	const char *gate[] = { "gate", "--baseline", old, "--candidate", same, "--metric", "op:KVM_IOEVENTFD:call", NULL };
	run_bootbench(gate, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "op:KVM_IOEVENTFD:call_median"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(report_formats_match_golden),
		cmocka_unit_test(text_report_is_72_columns_of_ascii),
		cmocka_unit_test(text_report_never_cuts_a_metric_name),
		cmocka_unit_test(compare_shows_context_and_verdicts),
		cmocka_unit_test(ci_is_at_the_level_that_decides),
		cmocka_unit_test(gate_exit_codes),
		cmocka_unit_test(gate_threshold_file_junit_and_step_summary),
		cmocka_unit_test(bad_input_exits_2),
		cmocka_unit_test(tail_regression_fails),
		cmocka_unit_test(no_verdict_from_nothing),
		cmocka_unit_test(each_file_on_its_side),
		cmocka_unit_test(mixed_pools_are_shown),
		cmocka_unit_test(machines_are_blocks),
		cmocka_unit_test(emulated_against_hardware_is_shown),
		cmocka_unit_test(repeated_files_and_groups_refused),
		cmocka_unit_test(runs_are_blocks),
		cmocka_unit_test(gate_warns_when_underpowered),
		cmocka_unit_test(stdout_write_errors_fail),
		cmocka_unit_test(slim_results_compare_and_report_the_same),
		cmocka_unit_test(long_labels_get_a_line_each),
		cmocka_unit_test(exports_are_what_each_format_prints),
		cmocka_unit_test(different_profiles_are_named_in_one_short_line),
		cmocka_unit_test(rows_where_neither_side_spent_anything_are_left_out),
		cmocka_unit_test(the_old_per_call_name_still_reads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
