/* Line protocol: escaping of each element kind with hostile values, and
 * the points of a result, line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "line_protocol.h"

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
		"{s:{s:s, s:s, s:s, s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:s, s:s, s:s},"
		" s:[{s:I, s:b, s:b, s:I, s:I, s:I, s:[{s:s, s:I}], s:{s:{s:i, s:I}}},"
		"    {s:I, s:b, s:b, s:I, s:I, s:I, s:[], s:{}}],"
		" s:[{s:s, s:s, s:i, s:f, s:f}]}",
		"host", "hostname", "lab host", "arch", "x86_64", "kernel_release", "6.18.0", "config_hz", "250",
		"profile", "name", "firecracker", "bootbench", "version", "0.1.0",
		"labels", "patch", "on, really", "host", "clash", "a=b", "x y", "empty", "",
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
	assert_int_equal(bb_lp_encode_result(d, &b, err, sizeof(err)), 0);
	/* the failed iteration is left out; one summary point at the first start */
	assert_int_equal(b.lines, 2);
	const char *tags = "host=lab\\ host,arch=x86_64,kernel=6.18.0,hz=250,profile=firecracker,bootbench=0.1.0,"
			   "patch=on\\,\\ really,label_host=clash,a\\=b=x\\ y";
	char expected[2048];
	snprintf(expected, sizeof(expected),
		 "bootbench_iteration,%s,warmup=true iteration=0i,startup_ns=42i,overhead_ns=7i,phase_open_ns=5i,"
		 "op_KVM_IOEVENTFD_total_ns=400000i,op_KVM_IOEVENTFD_count=256i 1000\n"
		 "bootbench_summary,%s,metric=startup n=1i,median=42.5,mad=0,unit=\"ns\" 1000\n",
		 tags, tags);
	assert_string_equal(b.data, expected);
	bb_lp_free(&b);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escaping),
		cmocka_unit_test(result_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
