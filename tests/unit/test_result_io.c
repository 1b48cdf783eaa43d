/* Result files: the streaming writer yields one valid document that the
 * reader accepts; nothing appears under the final name before it is whole;
 * the reader refuses what is not a bootbench result, saying why. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "metrics.h"
#include "result_reader.h"
#include "result_writer.h"
#include "tsv_writer.h"

static char dir[] = "/tmp/bb-result-io-XXXXXX";
static char err[1024];

static int count_entries(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

static json_t *header(void)
{
	return json_pack("{s:s, s:i, s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:{s:s}, s:{s:s}}", "schema",
			 BB_RESULT_SCHEMA, "schema_version", BB_RESULT_SCHEMA_VERSION, "bootbench",
			 "version", "0", "commit", "x", "host", "kernel_release", "6.18", "config_hz",
			 "250", "arch", "x86_64", "profile", "name", "t", "labels", "patch", "on");
}

static void fake_iteration(struct bb_iteration *it, struct bb_event_log *log, int64_t startup)
{
	memset(it, 0, sizeof(*it));
	bb_event_log_reset(log, 0);
	struct bb_event *e = bb_event_log_reserve(log);
	*e = (struct bb_event){ .start_ns = 10, .duration_ns = 1000, .op = BB_OP_IOEVENTFD,
				.thread = BB_THREAD_MAIN };
	it->ok = true;
	it->log = log;
	it->startup_ns = startup;
	it->phase_present[BB_PHASE_OPEN] = true;
	it->phase_duration_ns[BB_PHASE_OPEN] = startup / 2;
	it->ops[BB_OP_IOEVENTFD].count = 1;
	it->ops[BB_OP_IOEVENTFD].total_ns = 1000;
}

static void writes_a_document_the_reader_accepts(void **state)
{
	(void)state;
	char path[512], tsv[512];
	struct bb_result_writer w;
	struct bb_event_log log;
	struct bb_iteration it;
	struct bb_run_metrics m;

	snprintf(path, sizeof(path), "%s/r.json", dir);
	snprintf(tsv, sizeof(tsv), "%s/r.tsv", dir);
	assert_int_equal(bb_event_log_init(&log, 8), 0);
	bb_run_metrics_init(&m);
	json_t *h = header();
	assert_int_equal(bb_result_writer_open(&w, path, h, true, err, sizeof(err)), 0);
	json_decref(h);
	for (uint32_t i = 0; i < 3; i++) {
		fake_iteration(&it, &log, (int64_t)1000 * (i + 1));
		assert_int_equal(bb_result_writer_iteration(&w, i, false, &it), 0);
		assert_int_equal(bb_run_metrics_add(&m, i, &it), 0);
		/* only the hidden temporary exists while the run goes on */
		assert_int_equal(access(path, F_OK), -1);
	}
	json_t *trailer = json_pack("{s:b, s:o}", "complete", 1, "summary", bb_run_metrics_summary(&m));
	assert_int_equal(bb_result_writer_close(&w, trailer, err, sizeof(err)), 0);
	json_decref(trailer);
	assert_int_equal(bb_tsv_write(tsv, &m, err, sizeof(err)), 0);
	assert_int_equal(count_entries(), 2); /* no temporary left behind */

	json_t *doc = bb_result_load(path, err, sizeof(err));
	assert_non_null(doc);
	assert_int_equal(json_array_size(json_object_get(doc, "iterations")), 3);
	json_t *startup = bb_result_metric(doc, "startup");
	assert_non_null(startup);
	assert_float_equal(json_number_value(json_object_get(startup, "median")), 2000, 0);
	json_t *ev = json_array_get(json_object_get(json_array_get(json_object_get(doc, "iterations"), 0), "events"), 0);
	assert_string_equal(json_string_value(json_array_get(ev, 0)), "KVM_IOEVENTFD");
	json_decref(doc);

	FILE *f = fopen(tsv, "r");
	char line[1024];
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, "iteration\tstartup_ns\toverhead_ns\tphase:open_ns\top:KVM_IOEVENTFD:total_ns"));
	int rows = 0;
	while (fgets(line, sizeof(line), f))
		rows++;
	fclose(f);
	assert_int_equal(rows, 3);
	unlink(path);
	unlink(tsv);
	bb_run_metrics_free(&m);
	bb_event_log_free(&log);
}

static void discard_leaves_nothing(void **state)
{
	(void)state;
	char path[512];
	struct bb_result_writer w;
	snprintf(path, sizeof(path), "%s/d.json", dir);
	json_t *h = header();
	assert_int_equal(bb_result_writer_open(&w, path, h, false, err, sizeof(err)), 0);
	json_decref(h);
	bb_result_writer_discard(&w);
	assert_int_equal(count_entries(), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void reader_refuses_with_reasons(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/bad.json", dir);

	assert_null(bb_result_load("/nonexistent/r.json", err, sizeof(err)));
	assert_non_null(strstr(err, "cannot read result /nonexistent/r.json"));

	write_file(path, "{\"schema\": \"bootbench-result\", \"schema_version\": 1, \"ho");
	assert_null(bb_result_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "corrupt or truncated"));

	/* a README given by mistake is not "corrupt" */
	write_file(path, "# Kernel A/B lab results\n");
	assert_null(bb_result_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "is not a bootbench result: it is not JSON"));
	assert_null(strstr(err, "corrupt"));

	write_file(path, "[1, 2]");
	assert_null(bb_result_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "not a bootbench result"));

	write_file(path, "{\"schema\": \"bootbench-result\", \"schema_version\": 3}");
	assert_null(bb_result_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "schema version"));

	write_file(path, "{\"schema\": \"bootbench-result\", \"schema_version\": 1, \"host\": {}}");
	assert_null(bb_result_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "'profile'"));
	assert_null(strchr(err, '\n'));
	unlink(path);
}

static void reads_version_1_and_2(void **state)
{
	(void)state;
	/* a version 2 document with off-CPU time, and the same as version 1
	 * wrote it: six event columns, no offcpu members */
	char path[512];
	snprintf(path, sizeof(path), "%s/v2.json", dir);
	json_t *doc = header();
	json_object_set_new(doc, "schema_version", json_integer(2));
	json_t *it = json_pack("{s:b, s:b, s:I, s:[], s:{s:{s:i, s:I, s:I}}, s:[[s, i, I, I, i, s, I, i]], s:{s:I, s:[[i, s, I, I]]}}",
			       "ok", 1, "warmup", 0, "startup_ns", (json_int_t)30000000, "phases", "ops",
			       "KVM_SET_USER_MEMORY_REGION", "count", 1, "total_ns", (json_int_t)7500000, "offcpu_ns",
			       (json_int_t)7400000, "events", "KVM_SET_USER_MEMORY_REGION", -1, (json_int_t)100,
			       (json_int_t)7500000, 0, "slot=1", (json_int_t)7400000, 0, "offcpu", "lost", (json_int_t)0,
			       "stacks", 0, "KVM_SET_USER_MEMORY_REGION", (json_int_t)1, (json_int_t)7400000);
	json_object_set_new(doc, "iterations", json_pack("[o]", it));
	json_object_set_new(doc, "summary", json_array());
	json_object_set_new(doc, "complete", json_true());
	json_object_set_new(doc, "stacks", json_pack("{s:s, s:[[s, s, s]]}", "symbols", "kallsyms", "frames", "schedule",
						      "__synchronize_srcu", "kvm_swap_active_memslots"));
	assert_int_equal(json_dump_file(doc, path, 0), 0);
	json_t *back = bb_result_load(path, err, sizeof(err));
	if (!back)
		fail_msg("version 2 refused: %s", err);
	json_decref(back);
	/* version 1: the same without what version 2 added */
	json_object_set_new(doc, "schema_version", json_integer(1));
	json_object_del(doc, "stacks");
	json_object_del(it, "offcpu");
	json_object_del(json_object_get(json_object_get(it, "ops"), "KVM_SET_USER_MEMORY_REGION"), "offcpu_ns");
	json_array_remove(json_array_get(json_object_get(it, "events"), 0), 7);
	json_array_remove(json_array_get(json_object_get(it, "events"), 0), 6);
	unlink(path); /* the v2 file: the directory goes at the end */
	snprintf(path, sizeof(path), "%s/v1.json", dir);
	assert_int_equal(json_dump_file(doc, path, 0), 0);
	back = bb_result_load(path, err, sizeof(err));
	unlink(path);
	if (!back)
		fail_msg("version 1 refused: %s", err);
	json_decref(back);
	json_decref(doc);
}

static void unwritable_directory(void **state)
{
	(void)state;
	struct bb_result_writer w;
	json_t *h = header();
	assert_int_equal(bb_result_writer_open(&w, "/nonexistent/dir/r.json", h, false, err, sizeof(err)), -1);
	json_decref(h);
	assert_non_null(strstr(err, "/nonexistent/dir"));
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_a_document_the_reader_accepts),
		cmocka_unit_test(discard_leaves_nothing),
		cmocka_unit_test(reader_refuses_with_reasons),
		cmocka_unit_test(reads_version_1_and_2),
		cmocka_unit_test(unwritable_directory),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
