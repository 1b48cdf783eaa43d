/* bootbench run --host emulated and info --host emulated, for real: the
 * emulated x86_64 host booted under QEMU TCG, the run made inside with
 * this build's bootbench, the result brought back into --out and
 * summarised here; a Ctrl-C that keeps what was measured; the refusals
 * (an unknown host, a pin outside its CPUs, QEMU missing); and, through
 * lab/emulated-host itself, a host that does not boot and a command that
 * stalls, neither leaving a file under a final name. Needs QEMU and
 * Debian's kernel (77 when they cannot be had). */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"

static struct proc p;
static char dir[64];

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

/* How many entries d holds (hidden ones too, with hidden). */
static int count_entries(const char *d, bool hidden)
{
	DIR *h = opendir(d);
	int n = 0;
	for (struct dirent *e; h && (e = readdir(h));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && (hidden || e->d_name[0] != '.'))
			n++;
	if (h)
		closedir(h);
	return n;
}

static void run_comes_back_summarised(void **state)
{
	(void)state;
	char out[128];
	path_in(out, sizeof(out), "run");
	const char *args[] = { "run", "--host", "emulated-x86_64", "--iterations", "3", "--warmup", "1", "--devices", "16",
			       "--pin", "0", "--out", out, "--label", "side=a", NULL };
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("run --host emulated exited %d: %s", p.exit_code, p.err);
	/* the result and its TSV, renamed into --out; nothing else left */
	assert_int_equal(count_entries(out, true), 2);
	json_t *doc = load_only_result(out);
	assert_non_null(doc);
	json_t *e = json_object_get(doc, "emulated");
	assert_true(json_is_object(e));
	assert_string_equal(json_string_value(json_object_get(e, "host")), "x86_64");
	assert_non_null(strstr(json_string_value(json_object_get(e, "qemu")), "QEMU emulator version"));
	assert_true(json_is_object(json_object_get(e, "outer")));
	/* measured inside: the emulated kernel, its CONFIG_HZ, the same options */
	json_t *host = json_object_get(doc, "host");
	assert_non_null(strstr(json_string_value(json_object_get(host, "hostname")), "emulated-x86_64"));
	assert_string_not_equal(json_string_value(json_object_get(host, "config_hz")), "unknown");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "profile"), "devices")), 16);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "labels"), "side")), "a");
	assert_int_equal(json_array_size(json_object_get(doc, "iterations")), 4);
	assert_true(json_is_true(json_object_get(doc, "complete")));
	json_decref(doc);
	/* the summary here, with its one line on emulation */
	assert_non_null(strstr(p.out, "result: "));
	assert_non_null(strstr(p.out, out));
	assert_non_null(strstr(p.out, "startup to boot-done: median"));
	assert_non_null(strstr(p.out, "emulated: QEMU emulator version"));
	assert_non_null(strstr(p.out, "absolute times are emulation's; ratios between results of one host carry over"));
	assert_non_null(strstr(p.err, "in the emulated x86_64 host"));
}

static void info_runs_inside(void **state)
{
	(void)state;
	const char *args[] = { "info", "--host", "emulated-x86_64", "--vms", "2", "--registrations", "8", NULL };
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("info --host emulated exited %d: %s", p.exit_code, p.err);
	assert_non_null(strstr(p.out, "KVM_IOEVENTFD registration"));
	assert_non_null(strstr(p.err, "in the emulated x86_64 host"));
}

/* Ctrl-C (SIGINT to bootbench, passed to the run inside): exit 130, and
 * the iterations measured come back, marked incomplete. */
static void ctrl_c_keeps_what_came_back(void **state)
{
	(void)state;
	char out[128], logs[128], text[4096];
	path_in(out, sizeof(out), "stopped");
	path_in(logs, sizeof(logs), "stopped-log");
	const char *args[] = { "run", "--host", "emulated", "--iterations", "100000", "--warmup", "0", "--devices", "4",
			       "--out", out, "--quiet", NULL };
	pid_t pid = start_bootbench(args, logs);
	/* boot (about 10 s), then some iterations */
	for (int s = 0; s < 120; s++) {
		sleep(1);
		char cmd[512];
		snprintf(cmd, sizeof(cmd), "grep -lq BB-BOOTED %s/.emulated-*/.console.log", out);
		if (sh_capture(text, sizeof(text), cmd) == 0)
			break;
	}
	sleep(8);
	kill(pid, SIGINT);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	char path[256];
	snprintf(path, sizeof(path), "%s.stderr", logs);
	read_text(path, text, sizeof(text));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 130)
		fail_msg("after SIGINT: status %d, expected exit 130: %s", status, text);
	assert_non_null(strstr(text, "interrupted after"));
	json_t *doc = load_only_result(out);
	assert_non_null(doc);
	assert_false(json_is_true(json_object_get(doc, "complete")));
	assert_true(json_array_size(json_object_get(doc, "iterations")) > 0);
	json_decref(doc);
	assert_int_equal(count_entries(out, true), 2);
}

static void bad_hosts_refused(void **state)
{
	(void)state;
	const char *unknown[] = { "run", "--host", "cloud", NULL };
	run_bootbench(unknown, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "bad value 'cloud' for --host: use local, emulated, emulated-x86_64 or emulated-arm64"));
	assert_int_equal(count_lines(p.err), 1);
	const char *pin[] = { "run", "--host", "emulated", "--pin", "0-5", NULL };
	run_bootbench(pin, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "CPU 2 in --pin 0-5 is not available in the emulated host: choose from 0,1"));
	assert_int_equal(count_lines(p.err), 1);
	const char *info[] = { "info", "--host", "elsewhere", NULL };
	run_bootbench(info, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	const char *sweep[] = { "sweep", "--devices", "1,2", "--host", "emulated", NULL };
	run_bootbench(sweep, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "bootbench run --host emulated-x86_64"));
}

/* A PATH with everything of /usr/bin and /usr/sbin but QEMU. */
static void qemu_missing_names_the_package(void **state)
{
	(void)state;
	char bin[128], cmd[512], out[128];
	path_in(bin, sizeof(bin), "no-qemu-bin");
	path_in(out, sizeof(out), "no-qemu");
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s && for f in /usr/bin/* /usr/sbin/*; do case ${f##*/} in qemu-system-*) ;; *) ln -sf \"$f\" %s/ ;; esac; done",
		 bin, bin);
	assert_int_equal(system(cmd), 0);
	struct spawn_opts o = { .path_env = bin };
	const char *args[] = { "run", "--host", "emulated-x86_64", "--out", out, NULL };
	run_bootbench(args, &o, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "qemu-system-x86_64 is not installed: apt-get install qemu-system-x86"));
	assert_int_equal(count_lines(p.err), 1);
}

/* lab/emulated-host's own failures: a kernel that does not boot, and a
 * command that does not finish. Exit 1, the console's last lines, and
 * nothing moved into --into. */
static void no_boot_and_stall_keep_nothing(void **state)
{
	(void)state;
	static char text[1 << 16];
	char cmd[2048], cache[128], staged[128], into[128];
	path_in(cache, sizeof(cache), "broken-cache");
	path_in(staged, sizeof(staged), "staged");
	path_in(into, sizeof(into), "into");
	/* a cache whose kernel is no kernel: fetch-debian-kernel takes it as fetched */
	snprintf(cmd, sizeof(cmd),
		 "set -e; eval \"$(%s/lab/fetch-debian-kernel x86_64 \"${BOOTBENCH_KERNEL_CACHE:-$HOME/.cache/bootbench/kernels}\")\";"
		 " root=$(dirname \"$(dirname \"$kernel\")\"); f=%s/$(basename \"$(dirname \"$root\")\");"
		 " mkdir -p $f/root/boot; ln -sfn $root/lib $f/root/lib; ln -sfn $root/bin $f/root/bin; cp $config $f/root/boot/;"
		 " echo 'not a kernel' >$f/root/boot/$(basename $kernel); touch $f/.complete",
		 SOURCE_DIR, cache);
	if (system(cmd) != 0)
		fail_msg("could not make the broken kernel cache: %s", cmd);
	mkdir(staged, 0755);
	mkdir(into, 0755);
	snprintf(cmd, sizeof(cmd), "%s/lab/emulated-host --arch x86_64 --cache %s --timeout 60 --out %s --into %s -- /bin/true 2>&1",
		 SOURCE_DIR, cache, staged, into);
	int rc = sh_capture(text, sizeof(text), cmd);
	if (rc != 1 || !strstr(text, "did not boot") || !strstr(text, "the console's last lines"))
		fail_msg("a kernel that does not boot: exit %d: %s", rc, text);
	assert_int_equal(count_entries(into, true), 0);
	/* a command that writes a file, then never ends */
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir %s && %s/lab/emulated-host --arch x86_64 --timeout 45 --out %s --into %s -- "
		 "sh -c 'echo partial > %s/result.json; sleep 1000' 2>&1",
		 staged, staged, SOURCE_DIR, staged, into, staged);
	rc = sh_capture(text, sizeof(text), cmd);
	if (rc != 1 || !strstr(text, "did not finish within 45s; nothing it wrote is kept"))
		fail_msg("a command that stalls: exit %d: %s", rc, text);
	assert_int_equal(count_entries(into, true), 0);
}

int main(void)
{
	char why[1024];
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "%s/lab/emulated-host --arch x86_64 --check", SOURCE_DIR);
	if (sh_capture(why, sizeof(why), cmd) != 0) {
		fprintf(stderr, "SKIP: the emulated x86_64 host cannot start here: %s", why);
		return SKIP_EXIT;
	}
	if (strcmp(BB_ARCH_NAME, "x86_64")) {
		fprintf(stderr, "SKIP: this build drives %s; the emulated x86_64 host would need a static x86_64 build\n", BB_ARCH_NAME);
		return SKIP_EXIT;
	}
	make_temp_dir(dir, sizeof(dir));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_hosts_refused),
		cmocka_unit_test(qemu_missing_names_the_package),
		cmocka_unit_test(run_comes_back_summarised),
		cmocka_unit_test(info_runs_inside),
		cmocka_unit_test(ctrl_c_keeps_what_came_back),
		cmocka_unit_test(no_boot_and_stall_keep_nothing),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_tree(dir);
	return rc;
}
