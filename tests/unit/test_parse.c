/* The option value parsers: numbers, labels, CPU lists. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host_info.h"
#include "parse.h"

static char err[512];

static void numbers(void **state)
{
	(void)state;
	uint32_t v = 0;
	assert_int_equal(bb_parse_u32("--iterations", "30", 1, 100, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 30);
	const char *bad[] = { "0", "101", "-1", "", "3x", " 3", "1e3", "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(bb_parse_u32("--iterations", bad[i], 1, 100, &v, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "--iterations"));
		assert_non_null(strstr(err, "from 1 to 100"));
	}
	assert_int_equal(v, 30);
}

static void labels(void **state)
{
	(void)state;
	char k[64], v[256];
	assert_int_equal(bb_parse_label("patch=on", k, sizeof(k), v, sizeof(v), err, sizeof(err)), 0);
	assert_string_equal(k, "patch");
	assert_string_equal(v, "on");
	assert_int_equal(bb_parse_label("kernel=6.18 rc1=x", k, sizeof(k), v, sizeof(v), err, sizeof(err)), 0);
	assert_string_equal(v, "6.18 rc1=x");
	assert_int_equal(bb_parse_label("empty=", k, sizeof(k), v, sizeof(v), err, sizeof(err)), 0);
	assert_string_equal(v, "");
	assert_int_equal(bb_parse_label("novalue", k, sizeof(k), v, sizeof(v), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "key=value"));
	assert_int_equal(bb_parse_label("=x", k, sizeof(k), v, sizeof(v), err, sizeof(err)), -1);
	assert_int_equal(bb_parse_label("a b=x", k, sizeof(k), v, sizeof(v), err, sizeof(err)), -1);
	assert_int_equal(bb_parse_label("a=line\nbreak", k, sizeof(k), v, sizeof(v), err, sizeof(err)), -1);
}

static void cpulists(void **state)
{
	(void)state;
	int cpus[16];
	uint32_t n = 0;
	cpu_set_t set;
	sched_getaffinity(0, sizeof(set), &set);
	int first = -1;
	for (int c = 0; c < CPU_SETSIZE && first < 0; c++)
		if (CPU_ISSET(c, &set))
			first = c;
	char text[32];
	snprintf(text, sizeof(text), "%d", first);
	assert_int_equal(bb_parse_cpulist(text, cpus, 16, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cpus[0], first);
	snprintf(text, sizeof(text), "%d-%d,%d", first, first, first);
	assert_int_equal(bb_parse_cpulist(text, cpus, 16, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);

	const char *bad[] = { "", "a", "1-", "-1", "3-1", "0,,1", "0;1", "99999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(bb_parse_cpulist(bad[i], cpus, 16, &n, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "--pin"));
	}
	assert_int_equal(bb_parse_cpulist("1000", cpus, 16, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not available"));
}

static void config_hz(void **state)
{
	(void)state;
	char hz[16];
	assert_int_equal(bb_parse_config_hz("# CONFIG_HZ_100 is not set\nCONFIG_HZ_250=y\nCONFIG_HZ=250\n", hz, sizeof(hz)), 0);
	assert_string_equal(hz, "250");
	assert_int_equal(bb_parse_config_hz("CONFIG_HZ=1000", hz, sizeof(hz)), 0);
	assert_string_equal(hz, "1000");
	assert_int_equal(bb_parse_config_hz("CONFIG_HZ_PERIODIC=y\n", hz, sizeof(hz)), -1);
	assert_int_equal(bb_parse_config_hz("", hz, sizeof(hz)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers),
		cmocka_unit_test(labels),
		cmocka_unit_test(cpulists),
		cmocka_unit_test(config_hz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
