/* Results rebuilt from a store's answer: an InfluxDB 1.x JSON answer and
 * a 2.x annotated CSV one give the same documents; a 2.x answer's tables,
 * typed cells, defaults, quoting and error table are read as InfluxDB
 * writes them; whatever else it holds is refused in one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "store_fetch.h"

static char err[1024];
static json_t *runs;

static int teardown(void **state)
{
	(void)state;
	json_decref(runs);
	runs = NULL;
	return 0;
}

static int flux(const char *csv, size_t max_runs)
{
	json_decref(runs);
	runs = NULL;
	err[0] = '\0';
	return bb_store_rebuild_flux(csv, strlen(csv), "influx2://h/b (2.x, org o)", max_runs, &runs, err, sizeof(err));
}

static json_t *run_doc(size_t i)
{
	return json_array_get(runs, i);
}

static json_int_t startup(size_t run, size_t it)
{
	json_t *its = json_object_get(run_doc(run), "iterations");
	return json_integer_value(json_object_get(json_array_get(its, it), "startup_ns"));
}

static const char *str_at(json_t *doc, const char *a, const char *b)
{
	return json_string_value(json_object_get(json_object_get(doc, a), b));
}

#define ANNOTATIONS_2                                                                                              \
	"#group,false,false,true,true,false,true,true,true,true,true,false,false,false,false\r\n"                  \
	"#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339Nano,string,string,string,string,string,long,long,string,long\r\n" \
	"#default,_result,,,,,,,,,,,,,\r\n"                                                                         \
	",result,table,_start,_stop,_time,_measurement,host,profile,run,warmup,iteration,startup_ns,result_file,op_KVM_IOEVENTFD_total_ns\r\n"

/* Two runs on two hosts, run aa's points split over two tables out of
 * time order; a host name with a comma and quotes, a profile with
 * spaces at both ends; one cell left to its #default. */
static const char two_runs[] =
	ANNOTATIONS_2
	",,0,1970-01-01T00:00:00Z,2026-12-04T00:00:00Z,2026-12-01T00:00:00.000000300Z,bootbench_iteration,\"h1, \"\"rack 2\"\"\",\" fc \",aa,false,2,300,r1.json,7\r\n"
	",,0,1970-01-01T00:00:00Z,2026-12-04T00:00:00Z,2026-12-01T00:00:00.000000100Z,bootbench_iteration,\"h1, \"\"rack 2\"\"\",\" fc \",aa,false,0,100,r1.json,5\r\n"
	"\r\n"
	ANNOTATIONS_2
	",,1,1970-01-01T00:00:00Z,2026-12-04T00:00:00Z,2026-12-01T00:00:00.000000200+00:00,bootbench_iteration,\"h1, \"\"rack 2\"\"\",\" fc \",aa,false,1,200,r1.json,6\r\n"
	"\r\n"
	"#group,false,false,true,true,false,true,true,true,true,true,false,false\r\n"
	"#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,string,string,string,string,string,long,double\r\n"
	"#default,_result,,,,,,,,,,,\r\n"
	",result,table,_start,_stop,_time,_measurement,host,profile,run,label_patch,startup_ns,overhead_ns\r\n"
	",,2,1970-01-01T00:00:00Z,2026-12-04T00:00:00Z,2026-12-01T01:00:00Z,bootbench_iteration,h2,\" fc \",bb,,400,1.5\r\n";

static void flux_tables_become_runs(void **state)
{
	(void)state;
	assert_int_equal(flux(two_runs, 10), 0);
	assert_int_equal(json_array_size(runs), 2);
	json_t *aa = run_doc(0), *bb = run_doc(1);
	assert_string_equal(json_string_value(json_object_get(aa, "run")), "aa");
	assert_string_equal(str_at(aa, "host", "hostname"), "h1, \"rack 2\"");
	assert_string_equal(str_at(aa, "profile", "name"), " fc ");
	assert_string_equal(json_string_value(json_object_get(aa, "result")), "r1.json");
	/* its three points, from two tables, in the order they ran */
	assert_int_equal(json_array_size(json_object_get(aa, "iterations")), 3);
	assert_int_equal(startup(0, 0), 100);
	assert_int_equal(startup(0, 1), 200);
	assert_int_equal(startup(0, 2), 300);
	json_t *it0 = json_array_get(json_object_get(aa, "iterations"), 0);
	assert_int_equal(json_integer_value(json_object_get(it0, "start_unix_ns")), 1796083200000000100LL);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(json_object_get(it0, "ops"), "KVM_IOEVENTFD"), "total_ns")),
			 5);
	/* the second run: another table's schema; an empty label with no
	 * default is absent; a double is no integer bootbench wrote */
	assert_string_equal(str_at(bb, "host", "hostname"), "h2");
	assert_null(json_object_get(json_object_get(bb, "labels"), "patch"));
	assert_int_equal(startup(1, 0), 400);
	assert_null(json_object_get(json_array_get(json_object_get(bb, "iterations"), 0), "overhead_ns"));
}

/* the same points as a 1.x answer rebuild into the same documents */
static void influxql_and_flux_agree(void **state)
{
	(void)state;
	static const char answer[] =
		"{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"bootbench_iteration\","
		"\"columns\":[\"time\",\"host\",\"profile\",\"run\",\"warmup\",\"iteration\",\"startup_ns\",\"result\",\"op_KVM_IOEVENTFD_total_ns\"],"
		"\"values\":[[1796083200000000100,\"h1, \\\"rack 2\\\"\",\" fc \",\"aa\",\"false\",0,100,\"r1.json\",5],"
		"[1796083200000000200,\"h1, \\\"rack 2\\\"\",\" fc \",\"aa\",\"false\",1,200,\"r1.json\",6],"
		"[1796083200000000300,\"h1, \\\"rack 2\\\"\",\" fc \",\"aa\",\"false\",2,300,\"r1.json\",7]]}]}]}";
	json_t *from_1x = NULL;
	assert_int_equal(bb_store_rebuild_influxql(answer, strlen(answer), "influx2://h/b (2.x, org o)", 10, &from_1x,
						   err, sizeof(err)),
			 0);
	assert_int_equal(flux(two_runs, 10), 0);
	if (!json_equal(json_array_get(from_1x, 0), run_doc(0))) {
		char *a = json_dumps(json_array_get(from_1x, 0), JSON_SORT_KEYS), *b = json_dumps(run_doc(0), JSON_SORT_KEYS);
		fail_msg("1.x: %s\n2.x: %s", a, b);
	}
	json_decref(from_1x);
}

static void flux_error_table(void **state)
{
	(void)state;
	/* the store failed after part of its answer: nothing is read */
	static const char mid_answer[] = ANNOTATIONS_2
		",,0,1970-01-01T00:00:00Z,2026-12-04T00:00:00Z,2026-12-01T00:00:00Z,bootbench_iteration,h1,fc,aa,false,0,100,r1.json,5\r\n"
		"\r\n"
		"#datatype,string,string\r\n#group,true,true\r\n#default,,\r\n,error,reference\r\n"
		",\"panic: runtime error, out of memory\",897\r\n";
	assert_int_equal(flux(mid_answer, 10), BB_STORE_FAILED);
	assert_string_equal(err, "influx2://h/b (2.x, org o): the store says: panic: runtime error, out of memory");
	assert_null(runs);
}

static void flux_nothing_matched(void **state)
{
	(void)state;
	assert_int_equal(flux("\r\n", 10), BB_STORE_BAD_SELECTION);
	assert_non_null(strstr(err, "no measured iteration matches influx2://h/b"));
	assert_int_equal(flux("", 10), BB_STORE_BAD_SELECTION);
}

static void flux_too_many_runs(void **state)
{
	(void)state;
	assert_int_equal(flux(two_runs, 1), BB_STORE_BAD_SELECTION);
	assert_non_null(strstr(err, "matches more than 1 runs"));
	assert_null(runs);
}

static void flux_malformed(void **state)
{
	(void)state;
	const struct {
		const char *answer, *why;
	} bad[] = {
		{ "<html><body>502 Bad Gateway</body></html>\n", "a row that is neither an annotation nor a table's" },
		{ ",result,table,_time\r\n,,0,2026-12-01T00:00:00Z\r\n", "a row before any table's annotations" },
		{ "#group,false,false,false\r\n,result,table,_time\r\n", "without a #datatype annotation of its width" },
		{ "#datatype,string,long,dateTime:RFC3339,long\r\n,result,table,_time,startup_ns\r\n"
		  ",,0,2026-12-01T00:00:00Z,12x\r\n",
		  "a long that is no integer" },
		{ "#datatype,string,long,dateTime:RFC3339,long\r\n,result,table,_time,startup_ns\r\n"
		  ",,0,2026-12-01T00:00:00Z,1,2\r\n",
		  "a row not as wide as its table's header" },
		{ "#datatype,string,long,dateTime:RFC3339,long\r\n,result,table,_time,startup_ns\r\n"
		  ",,0,yesterday,1\r\n",
		  "a dateTime that is no RFC 3339 time" },
		{ "#datatype,string,long,string,long\r\n,result,table,_time,startup_ns\r\n", "a _time column that is no dateTime" },
		{ "#datatype,string,long,long\r\n,result,table,startup_ns\r\n,,0,1\r\n", "a table without a _time column" },
		{ "#datatype,string,long,dateTime:RFC3339,string\r\n,result,table,_time,host\r\n"
		  ",,0,2026-12-01T00:00:00Z,\"h1\r\n",
		  "CSV:" },
		{ "#datatype,string,long,dateTime:RFC3339,string\r\n,result,table,_time,host\r\n"
		  ",,0,2026-12-01T00:00:00Z,\"h\"1\"\r\n",
		  "CSV:" },
		{ "#datatype,string,string\r\n,error,reference\r\n", "an error table without its error" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = flux(bad[i].answer, 10);
		if (rc != BB_STORE_FAILED || !strstr(err, bad[i].why) || strchr(err, '\n'))
			fail_msg("answer %zu: rc %d, '%s', not one line saying '%s'", i, rc, err, bad[i].why);
		assert_non_null(strstr(err, "influx2://h/b (2.x, org o)"));
		assert_null(runs);
	}
	/* a NUL inside a field, which no text answer holds */
	static const char nul[] = "#datatype,string,long,dateTime:RFC3339,string\r\n,result,table,_time,host\r\n"
				  ",,0,2026-12-01T00:00:00Z,h\0001\r\n";
	assert_int_equal(bb_store_rebuild_flux(nul, sizeof(nul) - 1, "s", 10, &runs, err, sizeof(err)), BB_STORE_FAILED);
	assert_non_null(strstr(err, "a NUL byte in a field"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(flux_tables_become_runs, teardown),
		cmocka_unit_test_teardown(influxql_and_flux_agree, teardown),
		cmocka_unit_test_teardown(flux_error_table, teardown),
		cmocka_unit_test_teardown(flux_nothing_matched, teardown),
		cmocka_unit_test_teardown(flux_too_many_runs, teardown),
		cmocka_unit_test_teardown(flux_malformed, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
