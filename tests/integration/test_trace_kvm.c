/* bootbench trace on the real /dev/kvm with real syscall tracepoints:
 * tracing bootbench's own run sees every ioctl the run recorded itself,
 * in order and with the same arguments; the traced result compares with
 * a plain run's; QEMU's setup is named call by call; a command that does
 * not exist is a usage error, one that exits 3 fails its iteration with
 * its status and output, and a user who may not trace is told how to.
 * Skipped (77) without KVM or where the tracepoints cannot be opened. */
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

#include "harness.h"

static struct proc p;
static char dir[64];

static json_t *load(const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc)
		fail_msg("%s: %s", path, jerr.text);
	return doc;
}

/* The path bootbench printed as "result: PATH". */
static json_t *printed_result(void)
{
	const char *at = strstr(p.out, "result: ");
	if (!at) {
		fail_msg("no result line in: %s", p.out);
		return NULL;
	}
	char path[512];
	size_t n = strcspn(at + 8, "\n");
	snprintf(path, sizeof(path), "%.*s", (int)n, at + 8);
	return load(path);
}

/* Calls made by the main thread, other than KVM_RUN, in order: what the
 * VMM itself sequenced (vCPU threads interleave with it freely). */
static size_t main_calls(json_t *doc, char calls[][200], size_t max, bool traced)
{
	size_t n = 0, i, k;
	json_t *it, *e;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		json_array_foreach(json_object_get(it, "events"), k, e) {
			const char *op = json_string_value(json_array_get(e, 0));
			const char *detail = json_string_value(json_array_get(e, 5));
			if (strncmp(op, "KVM_", 4) || !strcmp(op, "KVM_RUN") || json_integer_value(json_array_get(e, 1)) != -1)
				continue;
			/* a traced call's detail begins with its fd: the rest is the run's */
			if (traced && !strncmp(detail, "fd=", 3))
				detail = strchr(detail, ' ') ? strchr(detail, ' ') + 1 : "";
			if (n < max)
				snprintf(calls[n], sizeof(calls[n]), "%s %s", op, detail);
			n++;
		}
	}
	return n;
}

static long op_count(json_t *doc, const char *op)
{
	long n = 0;
	size_t i, k;
	json_t *it, *e;
	json_array_foreach(json_object_get(doc, "iterations"), i, it)
		json_array_foreach(json_object_get(it, "events"), k, e)
			n += !strcmp(json_string_value(json_array_get(e, 0)), op);
	return n;
}

static json_t *inner_result(const char *inner)
{
	char cmd[256], path[256];
	snprintf(cmd, sizeof(cmd), "ls %s/*.json", inner);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(path, sizeof(path), f));
	pclose(f);
	path[strcspn(path, "\n")] = '\0';
	return load(path);
}

static void trace_sees_every_call_the_run_recorded(void **state)
{
	(void)state;
	char inner[128];
	snprintf(inner, sizeof(inner), "%s/inner", dir);
	const char *args[] = { "trace", "--iterations", "1", "--warmup", "0", "--quiet", "--out", dir, "--",
			       BOOTBENCH_BIN, "run", "--iterations", "2", "--warmup", "0", "--quiet", "--out", inner, NULL };
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("trace exited %d: %s", p.exit_code, p.err);
	json_t *traced = printed_result(), *run = inner_result(inner);
	static char a[4096][200], b[4096][200];
	size_t na = main_calls(run, a, 4096, false), nb = main_calls(traced, b, 4096, true);
	/* the traced process also probes the host before its first VM: the
	 * run's own calls are the traced calls' last na */
	assert_true(na > 500 && nb >= na);
	size_t unread = 0;
	for (size_t i = 0; i < na; i++) {
		const char *seen = b[nb - na + i];
		size_t oplen = strcspn(a[i], " ");
		/* an argument struct not on the stack is shown as such, never guessed */
		if (strstr(seen, "(arguments not on the copied stack)") && !strncmp(seen, a[i], oplen) && seen[oplen] == ' ') {
			unread++;
			continue;
		}
		if (strcmp(a[i], seen))
			fail_msg("call %zu of the run: it recorded '%s', the trace saw '%s'", i, a[i], seen);
	}
#if defined(__SANITIZE_ADDRESS__)
	/* ASan keeps a traced run's locals on its fake stacks, off the stack
	 * the kernel copies: only the ops and the arguments that were read */
	print_message("AddressSanitizer build: %zu of %zu calls' arguments were not on the stack\n", unread, na);
#else
	assert_int_equal(unread, 0);
#endif
	/* and every vCPU's KVM_RUN, from whichever thread */
	assert_int_equal(op_count(run, "KVM_RUN"), op_count(traced, "KVM_RUN"));
	assert_true(op_count(run, "KVM_RUN") > 0);
	/* the profile says what was traced */
	json_t *profile = json_object_get(traced, "profile");
	assert_string_equal(json_string_value(json_object_get(profile, "name")), "trace");
	assert_string_equal(json_string_value(json_array_get(json_object_get(profile, "command"), 1)), "run");
	json_decref(traced);
	json_decref(run);
}

static void a_traced_result_compares_with_a_plain_run(void **state)
{
	(void)state;
	char inner[128], plain[128];
	snprintf(inner, sizeof(inner), "%s/inner-one", dir);
	snprintf(plain, sizeof(plain), "%s/plain", dir);
	const char *trace[] = { "trace", "--iterations", "5", "--warmup", "1", "--quiet", "--out", dir, "--label", "observer=trace",
				"--", BOOTBENCH_BIN, "run", "--iterations", "1", "--warmup", "0", "--quiet", "--out", inner, NULL };
	run_bootbench(trace, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("trace exited %d: %s", p.exit_code, p.err);
	char traced_path[512];
	const char *at = strstr(p.out, "result: ");
	assert_non_null(at);
	snprintf(traced_path, sizeof(traced_path), "%.*s", (int)strcspn(at + 8, "\n"), at + 8);
	const char *run[] = { "run", "--iterations", "5", "--warmup", "1", "--quiet", "--out", plain, NULL };
	run_bootbench(run, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	at = strstr(p.out, "result: ");
	assert_non_null(at);
	char plain_path[512];
	snprintf(plain_path, sizeof(plain_path), "%.*s", (int)strcspn(at + 8, "\n"), at + 8);
	const char *cmp[] = { "compare", "--allow-different-profiles", plain_path, "--", traced_path, NULL };
	run_bootbench(cmp, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("compare exited %d: %s", p.exit_code, p.err);
	/* the same guest, seen from inside and from the tracepoints: vCPU 0
	 * exits as often, and each registration is a row of its own */
	const char *exits = strstr(p.out, "\nexits ");
	assert_non_null(exits);
	char line[256];
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(exits + 1, "\n"), exits + 1);
	if (!strstr(line, " +0.0% "))
		fail_msg("vCPU 0's exits differ: %s", line);
	assert_non_null(strstr(p.out, "\nop:KVM_IOEVENTFD:call_median "));
}

static void qemu_setup_is_named_call_by_call(void **state)
{
	(void)state;
	if (!have_command("qemu-system-x86_64")) {
		fprintf(stderr, "SKIP: qemu-system-x86_64 is not installed (./quickstart test installs it)\n");
		skip();
	}
	char disk[128];
	snprintf(disk, sizeof(disk), "id=d0,file=%s/disk.img,format=raw,if=none", dir);
	char mk[200];
	snprintf(mk, sizeof(mk), "truncate -s 4M %s/disk.img", dir);
	assert_int_equal(system(mk), 0);
	const char *args[] = { "trace", "--iterations", "2", "--warmup", "0", "--quiet", "--until-first-run", "--timeout", "60000",
			       "--out", dir, "--", "qemu-system-x86_64", "-accel", "kvm", "-M", "microvm", "-m", "128", "-smp", "2",
			       "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-drive", disk,
			       "-device", "virtio-blk-device,drive=d0", "-device", "virtio-serial-device", NULL };
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("trace of QEMU exited %d: %s", p.exit_code, p.err);
	json_t *doc = printed_result();
	json_t *it = json_array_get(json_object_get(doc, "iterations"), 1);
	assert_true(json_is_true(json_object_get(it, "ok")));
	json_t *ops = json_object_get(it, "ops");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(ops, "KVM_CREATE_VM"), "count")), 1);
	assert_true(json_integer_value(json_object_get(json_object_get(ops, "KVM_SET_USER_MEMORY_REGION"), "count")) >= 1);
	/* vCPU 1's fd is made by its own thread: the critical path has vCPU 0's */
	assert_true(json_integer_value(json_object_get(json_object_get(ops, "KVM_CREATE_VCPU"), "count")) >= 1);
	/* and its memslots' arguments were read from its stack */
	bool slot_read = false;
	size_t k;
	json_t *e;
	json_array_foreach(json_object_get(it, "events"), k, e)
		slot_read |= !strcmp(json_string_value(json_array_get(e, 0)), "KVM_SET_USER_MEMORY_REGION") &&
			     !strncmp(json_string_value(json_array_get(e, 5)), "fd=vm slot=", 11);
	assert_true(slot_read);
	json_decref(doc);
}

static void a_command_that_does_not_exist_is_a_usage_error(void **state)
{
	(void)state;
	const char *args[] = { "trace", "--out", dir, "--", "/nonexistent/vmm", "--flag", NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "cannot start '/nonexistent/vmm': No such file or directory"));
	assert_int_equal(count_lines(p.err), 1);
	const char *no_dashes[] = { "trace", "--out", dir, "qemu-system-x86_64", NULL };
	run_bootbench(no_dashes, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "put the command after --"));
}

static void a_command_that_exits_3_fails_its_iteration(void **state)
{
	(void)state;
	char out[128];
	snprintf(out, sizeof(out), "%s/exit3", dir);
	const char *args[] = { "trace", "--iterations", "2", "--warmup", "0", "--out", out, "--",
			       "sh", "-c", "echo starting; echo 'disk not found' >&2; exit 3", NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "iteration 0 failed: the command exited with status 3; its output ended: disk not found"));
	assert_non_null(strstr(p.err, "  | starting\n  | disk not found\n"));
	json_t *doc = printed_result();
	json_t *it = json_array_get(json_object_get(doc, "iterations"), 0);
	assert_false(json_is_true(json_object_get(it, "ok")));
	assert_non_null(strstr(json_string_value(json_object_get(it, "error")), "status 3"));
	assert_false(json_is_true(json_object_get(doc, "complete")));
	json_decref(doc);
}

static void a_user_who_may_not_trace_is_told_how(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root, to drop to nobody\n");
		skip();
	}
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 --clear-groups %s trace --out /tmp -- true 2>&1; echo \"rc=$?\"",
		 BOOTBENCH_BIN);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char text[2048];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	pclose(f);
	assert_non_null(strstr(text, "bootbench trace: cannot trace: perf events for syscall tracepoints are not permitted"));
	assert_non_null(strstr(text, "run as root"));
	assert_non_null(strstr(text, "\nrc=1\n"));
}

int main(void)
{
	if (kvm_usable() != 0)
		return SKIP_EXIT;
	make_temp_dir(dir, sizeof(dir));
	chmod(dir, 0755);
	/* the tracepoints, or a clear skip */
	const char *probe[] = { "trace", "--iterations", "1", "--warmup", "0", "--quiet", "--no-stacks", "--out", dir, "--", "true", NULL };
	run_bootbench(probe, NULL, &p);
	if (p.exit_code != 0) {
		fprintf(stderr, "SKIP: bootbench trace cannot trace here: %s", p.err);
		remove_tree(dir);
		return SKIP_EXIT;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trace_sees_every_call_the_run_recorded),
		cmocka_unit_test(a_traced_result_compares_with_a_plain_run),
		cmocka_unit_test(qemu_setup_is_named_call_by_call),
		cmocka_unit_test(a_command_that_does_not_exist_is_a_usage_error),
		cmocka_unit_test(a_command_that_exits_3_fails_its_iteration),
		cmocka_unit_test(a_user_who_may_not_trace_is_told_how),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_tree(dir);
	return rc;
}
