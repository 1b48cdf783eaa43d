/* Corrupt, truncated and hostile result files handed to compare, report,
 * plot and upload: each is refused with one line that names the file,
 * exit status 2, no crash and no hang; nothing is marked pending; and
 * text from a file never runs in a shell or in gnuplot, replot.sh
 * included. No KVM needed; the plot cases need gnuplot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "harness.h"
#include "synthetic.h"

static struct proc p;
static char dir[64], good[128], hostile[128], marker[128];

/* Each would create the marker if any part of it reached a shell or
 * gnuplot unquoted. */
#define MARK "/tmp/bb-hostile-pwned"
static const char *const hostile_texts[] = {
	"'; system('touch " MARK "'); '",
	"\"; system(\"touch " MARK "\"); \"",
	"$(touch " MARK ")",
	"`touch " MARK "`",
	"@x `touch " MARK "` set output '" MARK "'",
	"line\nbreak'\n!touch " MARK "\n",
	"back\\slash\\",
};

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void write_text(const char *name, const char *text, size_t len)
{
	char path[128];
	path_in(path, sizeof(path), name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* name: the gzip of len bytes of text, cut to that fraction of itself */
static void write_gzip(const char *name, const char *text, size_t len, double keep)
{
	uLongf cap = compressBound(len) + 64;
	unsigned char *out = malloc(cap);
	z_stream zs = { .next_in = (unsigned char *)text, .avail_in = (uInt)len, .next_out = out, .avail_out = (uInt)cap };
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	write_text(name, (const char *)out, (size_t)((double)zs.total_out * keep));
	deflateEnd(&zs);
	free(out);
}

static json_t *load(const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	assert_non_null(doc);
	return doc;
}

/* A valid result whose every free-text field is hostile. */
static void write_hostile(void)
{
	json_t *doc = load(good);
	json_t *labels = json_object();
	char key[16];
	for (size_t i = 0; i < sizeof(hostile_texts) / sizeof(hostile_texts[0]); i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		json_object_set_new(labels, key, json_string(hostile_texts[i]));
	}
	json_object_set_new(doc, "labels", labels);
	json_object_set_new(json_object_get(doc, "profile"), "name", json_string(hostile_texts[0]));
	json_object_set_new(json_object_get(doc, "host"), "kernel_release", json_string(hostile_texts[3]));
	json_object_set_new(json_object_get(doc, "host"), "hostname", json_string(hostile_texts[5]));
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		json_t *op = json_pack("{s:i, s:I}", "count", 1, "total_ns", (json_int_t)5000);
		json_object_set_new(json_object_get(it, "ops"), hostile_texts[1], op);
		json_object_set_new(json_array_get(json_object_get(it, "phases"), 0), "name", json_string(hostile_texts[4]));
	}
	assert_int_equal(json_dump_file(doc, hostile, JSON_COMPACT), 0);
	json_decref(doc);
}

static int setup(void **state)
{
	(void)state;
	make_temp_dir(dir, sizeof(dir));
	unlink(MARK);
	path_in(good, sizeof(good), "good.json");
	path_in(hostile, sizeof(hostile), "hostile.json");
	path_in(marker, sizeof(marker), "good.json.pending");
	struct synthetic s = synthetic_default("off");
	if (write_synthetic(good, &s) < 0)
		return -1;
	write_hostile();

	json_t *doc = load(good);
	char *text = json_dumps(doc, JSON_COMPACT);
	write_text("empty.json", "", 0);
	write_text("truncated.json", text, strlen(text) / 2);
	write_text("garbage.json", "\x7f" "ELF\0\x01\x02\xff\xfe{[\"", 13);
	write_text("not-a-result.json", "{\"hello\": \"world\"}", 18);
	write_gzip("truncated.json.gz", text, strlen(text), 0.5);
	write_text("corrupt.json.gz", "\x1f\x8b\x08\x00garbage-here", 16);
	free(text);

	char deep[20001];
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	write_text("deep.json", deep, strlen(deep));

	json_object_set_new(doc, "schema_version", json_integer(99));
	assert_int_equal(json_dump_file(doc, dir, 0) < 0, 1); /* a directory cannot be written as a file */
	char path[128];
	path_in(path, sizeof(path), "newer-schema.json");
	json_dump_file(doc, path, JSON_COMPACT);
	json_object_set_new(doc, "schema_version", json_integer(1));
	json_t *first = json_array_get(json_object_get(doc, "iterations"), 0);
	json_t *startup = json_deep_copy(json_object_get(first, "startup_ns"));
	json_object_set_new(first, "startup_ns", json_string("fast"));
	path_in(path, sizeof(path), "wrong-type.json");
	json_dump_file(doc, path, JSON_COMPACT);
	/* numbers no run produces */
	json_object_set_new(first, "startup_ns", json_integer(-1298552930));
	path_in(path, sizeof(path), "negative-startup.json");
	json_dump_file(doc, path, JSON_COMPACT);
	json_object_set_new(first, "startup_ns", json_integer(0));
	path_in(path, sizeof(path), "zero-startup.json");
	json_dump_file(doc, path, JSON_COMPACT);
	json_object_set_new(first, "startup_ns", startup);
	json_object_set_new(json_object_get(json_object_get(first, "ops"), "KVM_IOEVENTFD"), "total_ns", json_integer(-5));
	path_in(path, sizeof(path), "negative-op.json");
	json_dump_file(doc, path, JSON_COMPACT);
	json_decref(doc);

	/* text that would drive a terminal: an ANSI escape, a forged line */
	doc = load(good);
	json_object_set_new(json_object_get(doc, "host"), "hostname", json_string("\x1b[2J\x1b[32mlab\nPASS vmm: forged"));
	json_object_set_new(json_object_get(doc, "host"), "kernel_release", json_string("6.1\x1b]0;title\x07"));
	json_object_set_new(json_object_get(doc, "labels"), "patch", json_string("\x1b[1mon\rPASS"));
	json_array_append_new(json_object_get(doc, "summary"),
			      json_pack("{s:s, s:f, s:i}", "name", "op:\x1b[31mKVM_X:total", "median", 1.0, "n", 1));
	size_t k;
	json_t *each;
	json_array_foreach(json_object_get(doc, "iterations"), k, each)
		json_object_set_new(json_object_get(each, "ops"), "\x1b[31mKVM_X", json_pack("{s:i, s:I}", "count", 1, "total_ns", (json_int_t)5000));
	path_in(path, sizeof(path), "terminal.json");
	json_dump_file(doc, path, JSON_COMPACT);
	json_decref(doc);

	write_text("huge-number.json", "{\"schema\":\"bootbench-result\",\"schema_version\":1e999}", 52);
	path_in(path, sizeof(path), "fifo.json");
	if (mkfifo(path, 0600) < 0)
		return -1;
	path_in(path, sizeof(path), "a-directory.json");
	return mkdir(path, 0700);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static const char *const bad_files[] = {
	"empty.json", "truncated.json", "garbage.json", "not-a-result.json", "deep.json", "newer-schema.json",
	"wrong-type.json", "huge-number.json", "fifo.json", "a-directory.json", "missing.json",
	"negative-startup.json", "zero-startup.json", "negative-op.json", "truncated.json.gz", "corrupt.json.gz",
};
#define NR_BAD (sizeof(bad_files) / sizeof(bad_files[0]))

static void expect_refused(const char *cmd, const char *file)
{
	if (p.exit_code != 2)
		fail_msg("%s %s: exit %d, expected 2 (a signal is negative): %s", cmd, file, p.exit_code, p.err);
	if (count_lines(p.err) != 1 || !strstr(p.err, file))
		fail_msg("%s %s: expected one line naming the file, got: %s", cmd, file, p.err);
	assert_int_equal(access(MARK, F_OK), -1);
}

static void compare_report_and_gate_refuse_each(void **state)
{
	(void)state;
	static const char *const cmds[] = { "compare", "report", "gate" };
	alarm(120); /* a FIFO must not block: fail rather than hang */
	for (size_t c = 0; c < 3; c++) {
		for (size_t i = 0; i < NR_BAD; i++) {
			char path[128];
			path_in(path, sizeof(path), bad_files[i]);
			const char *args[] = { cmds[c], good, "--", path, NULL };
			run_bootbench(args, NULL, &p);
			expect_refused(cmds[c], bad_files[i]);
		}
	}
	alarm(0);
}

static void upload_refuses_each_and_marks_nothing(void **state)
{
	(void)state;
	alarm(120);
	for (size_t i = 0; i < NR_BAD; i++) {
		char path[128], pending[160];
		path_in(path, sizeof(path), bad_files[i]);
		/* port 9 (discard) on loopback: nothing must be sent anyway */
		const char *args[] = { "upload", path, "--url", "http://127.0.0.1:9/write?db=x", "--retries", "0", NULL };
		run_bootbench(args, NULL, &p);
		expect_refused("upload", bad_files[i]);
		assert_non_null(strstr(p.err, "nothing sent"));
		snprintf(pending, sizeof(pending), "%s.pending", path);
		assert_int_equal(access(pending, F_OK), -1);
	}
	alarm(0);
}

static int have_gnuplot(void)
{
	if (have_command("gnuplot"))
		return 1;
	fprintf(stderr, "SKIP: gnuplot is not installed (apt-get install gnuplot-nox): plot cases not run\n");
	return 0;
}

static void plot_refuses_each(void **state)
{
	(void)state;
	char out[128], index[128];
	if (!have_gnuplot())
		skip();
	path_in(out, sizeof(out), "charts-bad");
	alarm(120);
	for (size_t i = 0; i < NR_BAD; i++) {
		char path[128];
		path_in(path, sizeof(path), bad_files[i]);
		const char *args[] = { "plot", good, path, "--out", out, NULL };
		run_bootbench(args, NULL, &p);
		expect_refused("plot", bad_files[i]);
	}
	alarm(0);
	/* a sweep index that lists itself would recurse until the stack ran out */
	path_in(index, sizeof(index), "sweep-loop.json");
	json_t *doc = json_pack("{s:s, s:i, s:[{s:i, s:s}]}", "schema", "bootbench-sweep", "schema_version", 1,
				"points", "devices", 4, "result", index);
	assert_int_equal(json_dump_file(doc, index, 0), 0);
	json_decref(doc);
	const char *args[] = { "plot", index, "--out", out, NULL };
	run_bootbench(args, NULL, &p);
	expect_refused("plot", "sweep-loop.json");
	assert_non_null(strstr(p.err, "another sweep index"));
}

/* A sweep whose first point fails (here: a "KVM device" that is not one,
 * on any host) still leaves its index, saying why it stopped and naming no
 * result for that point; it prints the index's path only because the
 * index is there. */
static void a_sweep_that_fails_at_once_keeps_an_honest_index(void **state)
{
	(void)state;
	char out[128];
	path_in(out, sizeof(out), "sweep-fails/new");
	setenv("BOOTBENCH_KVM_DEVICE", "/dev/null", 1);
	const char *args[] = { "sweep", "--devices", "8,16", "--iterations", "1", "--warmup", "0", "--out", out, NULL };
	run_bootbench(args, NULL, &p);
	unsetenv("BOOTBENCH_KVM_DEVICE");
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "/dev/null is not KVM"));
	const char *line = strstr(p.out, "sweep index: ");
	assert_non_null(line);
	char path[256];
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(line + 13, "\n"), line + 13);
	json_error_t jerr;
	json_t *index = json_load_file(path, 0, &jerr);
	if (!index)
		fail_msg("sweep printed %s, which does not load: %s", path, jerr.text);
	assert_int_equal(json_array_size(json_object_get(index, "points")), 1);
	json_t *pt = json_array_get(json_object_get(index, "points"), 0);
	assert_true(json_is_null(json_object_get(pt, "result")));
	assert_string_equal(json_string_value(json_object_get(pt, "status")), "failed");
	assert_non_null(strstr(json_string_value(json_object_get(index, "stopped")), "devices=8"));
	json_decref(index);
}

/* A small .gz that inflates past the limit (1 GiB) is refused, not read
 * into memory without bound. */
static void a_gzip_bomb_is_refused(void **state)
{
	(void)state;
	if (under_wrapper()) {
		/* inflating 1 GiB under valgrind takes minutes; the plain run checks it */
		print_message("not under valgrind: inflating 1 GiB there takes minutes\n");
		return;
	}
	char path[128];
	path_in(path, sizeof(path), "bomb.json.gz");
	gzFile gz = gzopen(path, "wb9");
	assert_non_null(gz);
	static char spaces[1 << 20];
	memset(spaces, ' ', sizeof(spaces));
	for (int i = 0; i < 1025; i++)
		assert_int_equal(gzwrite(gz, spaces, sizeof(spaces)), (int)sizeof(spaces));
	assert_int_equal(gzclose(gz), Z_OK);
	const char *args[] = { "compare", good, "--", path, NULL };
	run_bootbench(args, NULL, &p);
	expect_refused("compare", "bomb.json.gz");
	assert_non_null(strstr(p.err, "larger than 1024 MiB once decompressed"));
	unlink(path);
}

static void hostile_text_is_only_ever_text(void **state)
{
	(void)state;
	char out[128], cmd[300];
	const char *cmp[] = { "compare", good, "--", hostile, "--allow-different-profiles", NULL };
	run_bootbench(cmp, NULL, &p);
	assert_true(p.exit_code == 0 || p.exit_code == 1);
	const char *md[] = { "report", "--format", "markdown", good, "--", hostile, "--allow-different-profiles", NULL };
	run_bootbench(md, NULL, &p);
	assert_true(p.exit_code == 0 || p.exit_code == 1);
	assert_int_equal(access(MARK, F_OK), -1);
	if (!have_gnuplot())
		skip();
	path_in(out, sizeof(out), "charts");
	const char *plot[] = { "plot", good, hostile, "--out", out, "--format", "svg", NULL };
	run_bootbench(plot, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("plot of a valid but hostile result exited %d: %s", p.exit_code, p.err);
	assert_true(strstr(p.out, "chart: ") != NULL);
	assert_int_equal(access(MARK, F_OK), -1);
	/* replot.sh repeats every gnuplot command: through a shell */
	snprintf(cmd, sizeof(cmd), "cd %s && sh ./replot.sh >/dev/null 2>&1", out);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(access(MARK, F_OK), -1);
}

static void control_characters_never_reach_the_terminal(void **state)
{
	(void)state;
	char path[128];
	path_in(path, sizeof(path), "terminal.json");
	const char *cases[][10] = {
		{ "compare", good, "--", path, NULL },
		{ "report", good, "--", path, NULL },
		{ "report", "--format", "markdown", good, "--", path, NULL },
		{ "report", "--format", "csv", good, "--", path, NULL },
		{ "gate", "--baseline", good, "--candidate", path, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bootbench(cases[i], NULL, &p);
		if (p.exit_code != 0 && p.exit_code != 1)
			fail_msg("case %zu: exit %d: %s", i, p.exit_code, p.err);
		for (const char *c = p.out; *c; c++)
			if ((unsigned char)*c < 0x20 && *c != '\n')
				fail_msg("case %zu: control byte 0x%02x in stdout:\n%s", i, (unsigned char)*c, p.out);
		for (const char *c = p.err; *c; c++)
			if ((unsigned char)*c < 0x20 && *c != '\n')
				fail_msg("case %zu: control byte 0x%02x in stderr:\n%s", i, (unsigned char)*c, p.err);
		if (strstr(p.out, "\nPASS vmm: forged"))
			fail_msg("case %zu: a forged line:\n%s", i, p.out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compare_report_and_gate_refuse_each),
		cmocka_unit_test(upload_refuses_each_and_marks_nothing),
		cmocka_unit_test(plot_refuses_each),
		cmocka_unit_test(a_sweep_that_fails_at_once_keeps_an_honest_index),
		cmocka_unit_test(a_gzip_bomb_is_refused),
		cmocka_unit_test(hostile_text_is_only_ever_text),
		cmocka_unit_test(control_characters_never_reach_the_terminal),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
