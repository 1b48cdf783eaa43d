/* Line protocol: escaping of each element kind with hostile values, and
 * the points of a result, line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "line_protocol.h"
#include "run_id.h"

static void escaping(void **state)
{
	(void)state;
	struct bb_lp_buffer b;
	bb_lp_init(&b);
	/* InfluxDB line protocol reference, "Special characters" */
	bb_lp_measurement(&b, "a b,c=d\"e");
	assert_string_equal(b.data, "a\\ b\\,c=d\"e");
	bb_lp_free(&b);
	/* a backslash is literal, unless it ends the element or stands before
	 * a special character: then it would escape what follows */
	bb_lp_key(&b, "k=v, x\\");
	assert_string_equal(b.data, "k\\=v\\,\\ x\\\\");
	bb_lp_free(&b);
	bb_lp_key(&b, "C:\\dir\\,a\\\\b");
	assert_string_equal(b.data, "C:\\dir\\\\\\,a\\\\\\b");
	bb_lp_free(&b);
	bb_lp_string_field(&b, "say \"hi\" \\ back");
	assert_string_equal(b.data, "\"say \\\"hi\\\" \\\\ back\"");
	bb_lp_free(&b);
	/* newlines cannot be escaped; they would end the line */
	bb_lp_key(&b, "two\nlines\r");
	assert_string_equal(b.data, "two\\ lines\\ ");
	bb_lp_free(&b);
}

static json_t *doc(void)
{
	return json_pack(
		"{s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:s, s:s, s:s, s:s},"
		" s:[{s:I, s:b, s:b, s:I, s:I, s:I, s:[{s:s, s:I}], s:{s:{s:i, s:I}}},"
		"    {s:I, s:b, s:b, s:I, s:I, s:I, s:[], s:{}}],"
		" s:[{s:s, s:s, s:i, s:f, s:f}]}",
		"run", "00112233445566ff", "host", "hostname", "lab host", "arch", "x86_64", "kernel_release", "6.18.0", "config_hz", "250",
		"profile", "name", "firecracker", "bootbench", "version", "0.1.0",
		"labels", "patch", "on, really", "host", "clash", "a=b", "x y", "empty", "", "run", "mine",
		"iterations",
		"index", (json_int_t)0, "warmup", 1, "ok", 1, "start_unix_ns", (json_int_t)1000, "startup_ns", (json_int_t)42,
		"overhead_ns", (json_int_t)7, "phases", "name", "open", "duration_ns", (json_int_t)5,
		"ops", "KVM_IOEVENTFD", "count", 256, "total_ns", (json_int_t)400000,
		"index", (json_int_t)1, "warmup", 0, "ok", 0, "start_unix_ns", (json_int_t)2000, "startup_ns", (json_int_t)0,
		"overhead_ns", (json_int_t)0, "phases", "ops",
		"summary", "name", "startup", "unit", "ns", "n", 1, "median", 42.5, "mad", 0.0);
}

static void result_points(void **state)
{
	(void)state;
	struct bb_lp_buffer b;
	char err[256];
	json_t *d = doc();
	bb_lp_init(&b);
	assert_int_equal(bb_lp_encode_result(d, "fc-1.json", &b, err, sizeof(err)), 0);
	/* the failed iteration is left out; one summary point at the first start */
	assert_int_equal(b.lines, 2);
	/* the run's id on every point; a label called run is label_run */
	const char *tags = "host=lab\\ host,arch=x86_64,kernel=6.18.0,hz=250,profile=firecracker,bootbench=0.1.0,"
			   "run=00112233445566ff,patch=on\\,\\ really,label_host=clash,a\\=b=x\\ y,label_run=mine";
	char expected[2048];
	snprintf(expected, sizeof(expected),
		 "bootbench_iteration,%s,warmup=true iteration=0i,startup_ns=42i,overhead_ns=7i,phase_open_ns=5i,"
		 "op_KVM_IOEVENTFD_total_ns=400000i,op_KVM_IOEVENTFD_count=256i,result=\"fc-1.json\" 1000\n"
		 "bootbench_summary,%s,metric=startup n=1i,median=42.5,mad=0,unit=\"ns\" 1000\n",
		 tags, tags);
	assert_string_equal(b.data, expected);
	bb_lp_free(&b);
	json_decref(d);
}

static const char *run_tag(json_t *d, char *buf, size_t len)
{
	struct bb_lp_buffer b;
	char err[256];
	bb_lp_init(&b);
	assert_int_equal(bb_lp_encode_result(d, NULL, &b, err, sizeof(err)), 0);
	const char *r = strstr(b.data, ",run=");
	assert_non_null(r);
	snprintf(buf, len, "%.*s", (int)strcspn(r + 5, ", "), r + 5);
	/* every point carries the same one */
	for (const char *line = b.data; *line; line = strchr(line, '\n') + 1) {
		char want[64];
		snprintf(want, sizeof(want), ",run=%s,", buf);
		assert_non_null(strstr(line, want));
	}
	bb_lp_free(&b);
	return buf;
}

/* A result without "run" (written before it existed) gets one from what
 * never changes in it: the same on every upload, another for another run */
static void derived_run_ids(void **state)
{
	(void)state;
	char a[64], again[64], other[64];
	json_t *d = doc();
	json_object_del(d, "run");
	json_object_set_new(d, "created", json_string("2026-12-04T18:00:00Z"));
	run_tag(d, a, sizeof(a));
	assert_true(bb_run_id_valid(a));
	assert_string_equal(run_tag(d, again, sizeof(again)), a);
	json_object_set_new(d, "created", json_string("2026-12-04T18:00:01Z"));
	assert_string_not_equal(run_tag(d, other, sizeof(other)), a);
	/* a malformed "run" is not trusted: it is derived instead */
	json_object_set_new(d, "run", json_string("0123, run=forged"));
	assert_string_equal(run_tag(d, again, sizeof(again)), other);
	json_decref(d);
	/* new runs differ by time, process and sequence */
	char n1[BB_RUN_ID_LEN + 1], n2[BB_RUN_ID_LEN + 1], n3[BB_RUN_ID_LEN + 1];
	bb_run_id_new("h", "boot", 1, 10, 0, n1);
	bb_run_id_new("h", "boot", 1, 10, 1, n2);
	bb_run_id_new("h", "boot", 1, 11, 0, n3);
	assert_true(bb_run_id_valid(n1));
	assert_string_not_equal(n1, n2);
	assert_string_not_equal(n1, n3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escaping),
		cmocka_unit_test(result_points),
		cmocka_unit_test(derived_run_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
