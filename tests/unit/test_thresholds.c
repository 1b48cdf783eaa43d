/* The gate's threshold file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "thresholds.h"

static char err[512];

static void valid(void **state)
{
	(void)state;
	struct bb_thresholds t;
	assert_int_equal(bb_thresholds_parse("{\"alpha\": 0.05, \"metrics\": {\"startup\": \"5%\", \"phase:guest_init\": 10, \"op:KVM_RUN:total\": \"2.5\"}}",
					     "t.json", &t, err, sizeof(err)), 0);
	assert_true(t.has_alpha);
	assert_float_equal(t.alpha, 0.05, 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.metric[0], "startup");
	assert_float_equal(t.limit_pct[0], 5, 0);
	assert_float_equal(t.limit_pct[1], 10, 0);
	assert_float_equal(t.limit_pct[2], 2.5, 0);
	assert_int_equal(bb_thresholds_parse("{\"metrics\": {\"startup\": 1}}", "t", &t, err, sizeof(err)), 0);
	assert_false(t.has_alpha);
}

static void invalid(void **state)
{
	(void)state;
	struct bb_thresholds t;
	const struct { const char *text, *message; } cases[] = {
		{ "[]", "JSON object" },
		{ "{\"metrics\": {}}", "\"metrics\" must be" },
		{ "{\"metric\": {\"startup\": 5}}", "unknown key 'metric'" },
		{ "{\"metrics\": {\"startup\": \"five\"}}", "limit of 'startup'" },
		{ "{\"metrics\": {\"startup\": -1}}", "limit of 'startup'" },
		{ "{\"metrics\": {\"startup\": \"5%%\"}}", "limit of 'startup'" },
		{ "{\"alpha\": 2, \"metrics\": {\"startup\": 5}}", "alpha" },
		{ "{\"metrics\": {\"startup\": 5, \"startup\": 6}}", "not valid JSON" },
		{ "{\"metrics\": ", "t.json:1:" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(bb_thresholds_parse(cases[i].text, "t.json", &t, err, sizeof(err)), -1);
		if (!strstr(err, cases[i].message))
			fail_msg("'%s': '%s' lacks '%s'", cases[i].text, err, cases[i].message);
	}
	assert_int_equal(bb_thresholds_load("/nonexistent.json", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read threshold file /nonexistent.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid),
		cmocka_unit_test(invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
