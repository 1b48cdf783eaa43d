/* A results store named as a side of a comparison: the selection's parts,
 * each bad one refused in one line naming it, and the query text for both
 * InfluxDB versions, with hostile values kept inside their literals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "store_query_text.h"
#include "store_selection.h"

static struct bb_store_selection s;
static char err[512], q[4096];

static void parses(const char *text)
{
	if (bb_store_selection_parse(text, &s, err, sizeof(err)) < 0)
		fail_msg("%s refused: %s", text, err);
}

static void refused(const char *text, const char *why)
{
	err[0] = '\0';
	assert_int_equal(bb_store_selection_parse(text, &s, err, sizeof(err)), -1);
	if (!strstr(err, why) || strchr(err, '\n'))
		fail_msg("%s: the error does not say '%s' in one line: %s", text, why, err);
}

static void is_a_store(void **state)
{
	(void)state;
	assert_true(bb_store_is_selection("influx://h/db"));
	assert_true(bb_store_is_selection("influx2s://h/b?org=o"));
	assert_false(bb_store_is_selection("influx.json"));
	assert_false(bb_store_is_selection("results/influx://x.json"));
}

static void influx1_selection(void **state)
{
	(void)state;
	parses("influx://db.example:8087/bootbench?profile=firecracker&kernel=6.18.1&label.patch=none&since=7d");
	assert_int_equal(s.kind, BB_STORE_INFLUX1);
	assert_false(s.tls);
	assert_string_equal(s.host, "db.example");
	assert_int_equal(s.port, 8087);
	assert_string_equal(s.db, "bootbench");
	assert_int_equal(s.ntags, 3);
	assert_string_equal(s.tags[2].key, "patch");
	assert_string_equal(s.tags[2].value, "none");
	assert_string_equal(s.since, "7d");
	/* a label named like a fixed tag is stored as label_<name> */
	parses("influxs://[::1]/b?label.host=lab1&label.run=x&until=2026-12-01T00:00:00Z");
	assert_true(s.tls);
	assert_string_equal(s.host, "[::1]");
	assert_int_equal(s.port, 8086);
	assert_string_equal(s.tags[0].key, "label_host");
	assert_string_equal(s.tags[1].key, "label_run");
	assert_string_equal(s.until, "2026-12-01T00:00:00Z");
	/* any byte but NUL, percent-encoded; a newline is a space, as stored */
	parses("influx://h/db?label.patch=a%27b%22c%5Cd%2Fe%0Af%25");
	assert_string_equal(s.tags[0].value, "a'b\"c\\d/e f%");
	parses("influx://h/db?label.patch=it's");
	assert_string_equal(s.tags[0].value, "it's");
}

static void influx2_selection(void **state)
{
	(void)state;
	parses("influx2://h:9999/bucket?org=acme&profile=qemu&since=2026-11-30T12:00:00.5%2B01:00");
	assert_int_equal(s.kind, BB_STORE_INFLUX2);
	assert_string_equal(s.org, "acme");
	assert_string_equal(s.db, "bucket");
	assert_string_equal(s.since, "2026-11-30T12:00:00.5+01:00");
	char d[1024];
	bb_store_selection_describe(&s, d, sizeof(d));
	assert_string_equal(d, "influx2://h:9999/bucket (InfluxDB 2.x, org acme) where profile=qemu, since 2026-11-30T12:00:00.5+01:00");
}

static void bad_selections(void **state)
{
	(void)state;
	refused("http://h:8086/db", "a store is influx://");
	refused("influx://user:secret@h/db", "credentials are never part of a selection");
	refused("influx:///db", "no host");
	refused("influx://h:99999/db", "port is not a number");
	refused("influx://h:80x/db", "port is not a number");
	refused("influx://h", "no database");
	refused("influx://h/?profile=x", "no database");
	refused("influx2://h/?org=o", "no bucket");
	refused("influx://h/db/more", "one name, without /");
	refused("influx://h/db?colour=red", "unknown key colour");
	refused("influx://h/db?warmup=true", "unknown key warmup");
	refused("influx://h/db?profile", "is not KEY=VALUE");
	refused("influx://h/db?profile=", "profile is empty");
	refused("influx://h/db?profile=a&profile=b", "profile is given twice");
	refused("influx://h/db?label.=x", "label. needs the label's name");
	refused("influx://h/db?label.a%20b=x", "holds a space");
	refused("influx://h/db?profile=a%2", "not followed by two hex digits");
	refused("influx://h/db?profile=a%zz", "not followed by two hex digits");
	refused("influx://h/db?profile=a%00b", "%00");
	refused("influx://h/db?since=7 days", "neither a duration");
	refused("influx://h/db?since=0d", "neither a duration");
	refused("influx://h/db?since=2026-13-01T00:00:00Z", "neither a duration");
	refused("influx://h/db?until=2026-12-01", "neither a duration");
	refused("influx://h/db?org=o", "org is InfluxDB 2.x's");
	refused("influx2://h/b?profile=x", "needs its org");
	refused("influx://h/db#frag", "no #fragment");
}

static void influxql_text(void **state)
{
	(void)state;
	parses("influx://h/db?profile=firecracker&label.patch=a%27%29%20OR%201%3D1%20--%22%5C&label.x\"y=1&since=7d"
	       "&until=2026-12-01T00:00:00Z");
	assert_int_equal(bb_store_query_text(&s, q, sizeof(q), err, sizeof(err)), 0);
	assert_string_equal(q, "SELECT * FROM \"bootbench_iteration\" WHERE \"warmup\" = 'false'"
			       " AND \"profile\" = 'firecracker'"
			       " AND \"patch\" = 'a\\') OR 1=1 --\"\\\\'"
			       " AND \"x\\\"y\" = '1'"
			       " AND time >= now() - 7d AND time <= '2026-12-01T00:00:00Z'");
}

static void flux_text(void **state)
{
	(void)state;
	parses("influx2://h/my%22bucket?org=o&profile=%24%7Bx%7D&label.patch=%22)%20or%20true%20or%20(%22%5C&since=2d");
	assert_int_equal(bb_store_query_text(&s, q, sizeof(q), err, sizeof(err)), 0);
	assert_string_equal(q, "from(bucket: \"my\\\"bucket\")\n"
			       "  |> range(start: -2d)\n"
			       "  |> filter(fn: (r) => r._measurement == \"bootbench_iteration\" and r[\"warmup\"] == \"false\""
			       " and r[\"profile\"] == \"\\${x}\" and r[\"patch\"] == \"\\\") or true or (\\\"\\\\\")\n"
			       "  |> map(fn: (r) => ({r with _field: if r._field == \"result\" then \"result_file\" else r._field}))\n"
			       "  |> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \"_value\")");
	parses("influx2://h/b?org=o&until=2026-12-01T00:00:00Z");
	assert_int_equal(bb_store_query_text(&s, q, sizeof(q), err, sizeof(err)), 0);
	assert_non_null(strstr(q, "range(start: 0, stop: time(v: \"2026-12-01T00:00:00Z\"))"));
	/* too small a buffer is an error, not a cut query */
	assert_int_equal(bb_store_query_text(&s, q, 40, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "over 40 bytes"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(is_a_store),	  cmocka_unit_test(influx1_selection), cmocka_unit_test(influx2_selection),
		cmocka_unit_test(bad_selections), cmocka_unit_test(influxql_text),     cmocka_unit_test(flux_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
