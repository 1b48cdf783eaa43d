/* compare, report and gate on result files built for the purpose: the
 * three report formats against golden files, and every exit status of
 * the gate. Set BOOTBENCH_UPDATE_GOLDEN=1 to rewrite the golden files
 * after an intended change, then review the diff. */
#include <setjmp.h>
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
	for (int i = 0; i < 3; i++) {
		const char *args[] = { "report", base, "--", patched, "--format", formats[i], NULL };
		run_bootbench(args, NULL, &p);
		assert_int_equal(p.exit_code, 0);
		check_golden(files[i], p.out);
	}
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
	assert_non_null(strstr(p.out, "permutation test"));
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
	const char *pass[] = { "gate", "--baseline", base, "--candidate", same, NULL };
	run_bootbench(pass, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "PASS startup"));

	const char *fail[] = { "gate", "--baseline", base, "--candidate", patched, "--max-regression", "5%", NULL };
	run_bootbench(fail, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.out, "FAIL startup: +20.0%"));

	const char *loose[] = { "gate", "--baseline", base, "--candidate", patched, "--max-regression", "25", NULL };
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
	assert_non_null(strstr(p.out, "gate: 1 of 3 metrics regressed"));

	f = fopen(junit, "r");
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "tests=\"3\" failures=\"1\""));
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
	char v2[128], partial[128], few[128], other[128], corrupt[128];
	path_in(v2, sizeof(v2), "v2.json");
	path_in(partial, sizeof(partial), "partial.json");
	path_in(few, sizeof(few), "few.json");
	path_in(other, sizeof(other), "other.json");
	path_in(corrupt, sizeof(corrupt), "corrupt.json");
	struct synthetic s = synthetic_default("x");
	s.schema_version = 2;
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

	const struct { const char *args[8]; const char *message; } cases[] = {
		{ { "compare", "/nonexistent.json", "--", base, NULL }, "cannot read result /nonexistent.json" },
		{ { "compare", base, "--", v2, NULL }, "schema version" },
		{ { "compare", corrupt, "--", base, NULL }, "corrupt or truncated" },
		{ { "compare", "--strict", base, "--", partial, NULL }, "incomplete run" },
		{ { "compare", base, "--", few, NULL }, "needs at least 5 a side" },
		{ { "compare", base, "--", other, NULL }, "different profiles (devices 64 vs 8)" },
		{ { "gate", "--baseline", base, "--candidate", same, "--metric", "phase:nope", NULL }, "metric 'phase:nope' is not in the baseline" },
		{ { "report", base, "--", patched, "--format", "pdf", NULL }, "use text, markdown or csv" },
		{ { "compare", base, NULL }, "need results on both sides" },
		{ { "gate", "--baseline", base, "--candidate", same, "--alpha", "2", NULL }, "--alpha" },
		{ { "compare", "--junit", "x", base, "--", same, NULL }, "does not apply" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bootbench(cases[i].args, NULL, &p);
		if (p.exit_code != 2 || !strstr(p.err, cases[i].message) || count_lines(p.err) != 1)
			fail_msg("case %zu: exit %d, stderr: %s (expected '%s')", i, p.exit_code, p.err, cases[i].message);
	}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(report_formats_match_golden),
		cmocka_unit_test(text_report_is_72_columns_of_ascii),
		cmocka_unit_test(compare_shows_context_and_verdicts),
		cmocka_unit_test(gate_exit_codes),
		cmocka_unit_test(gate_threshold_file_junit_and_step_summary),
		cmocka_unit_test(bad_input_exits_2),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
