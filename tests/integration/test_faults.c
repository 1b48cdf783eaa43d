/* Faults outside the guest: SIGKILL mid-run, a full disk, /dev/kvm
 * hidden or unreadable (in a mount namespace), a guest fault with
 * --keep-going. Earlier results survive, no partial file ever
 * has a final name, and each failure is one line naming the fix. The
 * namespace cases need root (else skipped, saying so); all need KVM. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "result_reader.h"

static struct proc p;

/* Names in dir that do not start with '.', joined by spaces. */
static int visible_files(const char *dir, char *names, size_t len)
{
	DIR *d = opendir(dir);
	int n = 0;
	names[0] = '\0';
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		size_t used = strlen(names);
		snprintf(names + used, len - used, "%s%s", n ? " " : "", e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static int need_root(void)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr, "SKIP: this case makes a mount namespace, which needs root (CI runs it as root)\n");
	return -1;
}

static void sigkill_leaves_earlier_results_intact(void **state)
{
	(void)state;
	char dir[64], first[1024], names[2048];
	static char before[1 << 20], after[1 << 20];
	make_temp_dir(dir, sizeof(dir));
	const char *a[] = { "run", "--devices", "4", "--iterations", "3", "--warmup", "0", "--out", dir, "--quiet", NULL };
	run_bootbench(a, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(find_only(dir, ".json", first, sizeof(first)), 0);
	ssize_t len = read_text(first, before, sizeof(before));
	assert_true(len > 0);

	const char *b[] = { "run", "--devices", "4", "--iterations", "100000", "--warmup", "0", "--out", dir,
			    "--quiet", NULL };
	pid_t pid = start_bootbench(b, dir);
	usleep(under_wrapper() ? 8000 * 1000 : 1500 * 1000); /* well into its iterations */
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* the earlier result, byte for byte, and it still loads */
	assert_int_equal(read_text(first, after, sizeof(after)), len);
	assert_memory_equal(before, after, (size_t)len);
	char err[1024];
	json_t *doc = bb_result_load(first, err, sizeof(err));
	assert_non_null(doc);
	json_decref(doc);
	/* the killed run's file never got a final name: only A's two remain */
	assert_int_equal(visible_files(dir, names, sizeof(names)), 2);
	char json_name[1024];
	snprintf(json_name, sizeof(json_name), "%s", strrchr(first, '/') + 1);
	assert_non_null(strstr(names, json_name));
	assert_null(strstr(names, ".json.")); /* no temporary file under a visible name */
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.stdout %s.stderr", dir, dir, dir);
	assert_int_equal(system(cmd), 0);
}

/* Runs check(dir) in a child, in a private mount namespace with a tmpfs
 * of size bytes on dir, so that its checks happen before the namespace
 * and its tmpfs go away; the child exits 0 when all hold. */
static void on_small_disk(const char *size, void (*check)(const char *dir))
{
	char dir[64];
	if (need_root() < 0)
		skip();
	make_temp_dir(dir, sizeof(dir));
	pid_t pid = fork();
	if (pid == 0) {
		char opts[64];
		snprintf(opts, sizeof(opts), "size=%s,mode=0755", size);
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("tmpfs", dir, "tmpfs", 0, opts) < 0) {
			fprintf(stderr, "cannot make a %s tmpfs on %s: %s\n", size, dir, strerror(errno));
			_exit(2);
		}
		check(dir);
	}
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	remove_tree(dir);
}

/* 64 KiB holds a few iterations' events, not twenty. */
static void twenty_iterations(const char *dir)
{
	char names[2048];
	const char *args[] = { "run", "--devices", "16", "--iterations", "20", "--warmup", "0", "--out", dir, NULL };
	run_bootbench(args, NULL, &p);
	int bad = 0;
	if (p.exit_code != 1) {
		fprintf(stderr, "disk full: exit %d, expected 1\n", p.exit_code);
		bad = 1;
	}
	if (!strstr(p.err, "No space left on device") || !strstr(p.err, "choose another --out")) {
		fprintf(stderr, "disk full: stderr does not say the disk is full and what to do: %s\n", p.err);
		bad = 1;
	}
	/* nothing measured is lost from sight: the summary is printed */
	if (!strstr(p.out, "startup") || !strstr(p.out, "NOT SAVED")) {
		fprintf(stderr, "disk full: stdout lacks the unsaved summary: %s\n", p.out);
		bad = 1;
	}
	int n = visible_files(dir, names, sizeof(names));
	if (n != 0 || count_hidden(dir) != 0) {
		fprintf(stderr, "disk full: files left behind: visible '%s', %d hidden\n", names, count_hidden(dir));
		bad = 1;
	}
	_exit(bad);
}

static void disk_full_leaves_no_corrupt_file(void **state)
{
	(void)state;
	on_small_disk("64k", twenty_iterations);
}

/* The default profile on a 64 KiB disk: the file cannot take even the
 * warmups, and every measured iteration is still in the summary. */
static void default_profile(const char *dir)
{
	const char *args[] = { "run", "--iterations", "4", "--out", dir, NULL };
	run_bootbench(args, NULL, &p);
	int bad = 0;
	if (p.exit_code != 1 || !strstr(p.out, "NOT SAVED: the result file could not be written; the 4 iterations measured") ||
	    !strstr(p.out, "startup to boot-done: median")) {
		fprintf(stderr, "64k disk: exit %d, stdout: %s\nstderr: %s\n", p.exit_code, p.out, p.err);
		bad = 1;
	}
	if (count_hidden(dir) != 0) {
		fprintf(stderr, "64k disk: a temporary file was left behind\n");
		bad = 1;
	}
	_exit(bad);
}

static void disk_full_still_prints_the_summary(void **state)
{
	(void)state;
	on_small_disk("64k", default_profile);
}

/* The TSV's final name taken by a directory, for this pid and the next
 * seconds' timestamps: its write fails after the JSON's succeeded, as on
 * a disk that fills between the two. */
static const char *tsv_dir;
static int block_tsv(void *arg)
{
	(void)arg;
	time_t now = time(NULL);
	for (int s = 0; s < 30; s++) {
		char stamp[32], path[256];
		time_t t = now + s;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		snprintf(path, sizeof(path), "%s/firecracker-%s-%d-0.tsv", tsv_dir, stamp, (int)getpid());
		if (mkdir(path, 0755) < 0)
			return -1;
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "/keep");
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		fclose(f);
	}
	return 0;
}

static void tsv_failure_names_the_saved_json(void **state)
{
	(void)state;
	char dir[64], json[256];
	make_temp_dir(dir, sizeof(dir));
	tsv_dir = dir;
	struct spawn_opts o = { .prepare = block_tsv };
	const char *args[] = { "run", "--iterations", "2", "--warmup", "0", "--quiet", "--out", dir, NULL };
	run_bootbench(args, &o, &p);
	assert_int_not_equal(p.exit_code, 125);
	assert_int_equal(p.exit_code, 1);
	assert_int_equal(find_only(dir, ".json", json, sizeof(json)), 0);
	char line[300];
	snprintf(line, sizeof(line), "result: %s\n", json);
	if (!strstr(p.out, line))
		fail_msg("the saved JSON's path is not printed: %s / %s", p.out, p.err);
	assert_non_null(strstr(p.err, "the JSON result is saved"));
	char err[512];
	json_t *doc = bb_result_load(json, err, sizeof(err));
	assert_non_null(doc);
	json_decref(doc);
	remove_tree(dir);
}

/* A hostname with a byte that is not UTF-8, in a private UTS namespace. */
static int bad_hostname(void *arg)
{
	(void)arg;
	return unshare(CLONE_NEWUTS) < 0 || sethostname("lab\xff", 4) < 0 ? -1 : 0;
}

static void host_facts_that_are_not_utf8_are_escaped(void **state)
{
	(void)state;
	char dir[64], json[256], err[512];
	if (need_root() < 0)
		skip();
	make_temp_dir(dir, sizeof(dir));
	struct spawn_opts o = { .prepare = bad_hostname };
	const char *args[] = { "run", "--iterations", "1", "--warmup", "0", "--quiet", "--out", dir, NULL };
	run_bootbench(args, &o, &p);
	assert_int_not_equal(p.exit_code, 125);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(find_only(dir, ".json", json, sizeof(json)), 0);
	/* the reader takes it back, with the host whole and the byte escaped */
	json_t *doc = bb_result_load(json, err, sizeof(err));
	if (!doc)
		fail_msg("the result does not read back: %s", err);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "host"), "hostname")), "lab\\xff");
	json_decref(doc);
	remove_tree(dir);
}

static void single_failed_iteration_is_worded(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--iterations", "1", "--warmup", "0", "--guest-fault", "triple-fault", "--out", dir, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	if (!strstr(p.out, "INCOMPLETE: stopped by the failure of iteration 1 of 1 (--keep-going runs the rest)"))
		fail_msg("stdout: %s", p.out);
	remove_tree(dir);
}

static void run_stdout_write_error_fails(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	struct spawn_opts o = { .stdout_path = "/dev/full" };
	const char *args[] = { "run", "--iterations", "2", "--warmup", "0", "--out", dir, NULL };
	run_bootbench(args, &o, &p);
	assert_int_equal(p.exit_code, 1);
	/* the reason is known when the last flush failed, as it mostly does */
	assert_non_null(strstr(p.err, "bootbench run: cannot write standard output: "));
	assert_int_equal(count_lines(p.err), 1);
	remove_tree(dir);
}

struct fake_dev {
	const char *root; /* where the fake /dev is built */
	int kvm;          /* 0: no kvm node; 1: kvm, mode 000; 2: kvm is /dev/null's device; 3: kvm, mode 666 */
	bool nobody;      /* drop to uid/gid 65534 */
};

static int make_node(const char *dir, const char *name, mode_t mode, unsigned major, unsigned minor)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (mknod(path, S_IFCHR | mode, makedev(major, minor)) < 0 || chmod(path, mode) < 0)
		return -1;
	return 0;
}

/* A private /dev with null, zero and urandom, and the kvm node asked for. */
static int private_dev(void *arg)
{
	const struct fake_dev *f = arg;
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", f->root, "tmpfs", 0, "mode=0755") < 0 || make_node(f->root, "null", 0666, 1, 3) ||
	    make_node(f->root, "zero", 0666, 1, 5) || make_node(f->root, "urandom", 0666, 1, 9) ||
	    (f->kvm == 1 && make_node(f->root, "kvm", 0000, 10, 232)) ||
	    (f->kvm == 2 && make_node(f->root, "kvm", 0666, 1, 3)) ||
	    (f->kvm == 3 && make_node(f->root, "kvm", 0666, 10, 232)) ||
	    mount(f->root, "/dev", NULL, MS_BIND, NULL) < 0) {
		fprintf(stderr, "cannot make a private /dev: %s\n", strerror(errno));
		return -1;
	}
	if (f->nobody && (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)) {
		fprintf(stderr, "cannot become nobody: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* As uid nobody with KVM usable, where perf_event_paranoid forbids
 * kernel callchains: the kernel refuses the events, for real. */
static void perf_events_refused_still_runs(void **state)
{
	(void)state;
	char dir[64], root[64], paranoid[16] = "";
	if (need_root() < 0)
		skip();
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	bool read_it = f && fgets(paranoid, sizeof(paranoid), f);
	if (f)
		fclose(f);
	if (!read_it || atoi(paranoid) < 1) {
		fprintf(stderr, "SKIP: perf_event_paranoid is %s: it permits what this case needs refused\n", paranoid);
		skip();
	}
	make_temp_dir(dir, sizeof(dir));
	make_temp_dir(root, sizeof(root));
	chmod(dir, 0777);
	struct fake_dev dev = { root, 3, true };
	struct spawn_opts o = { .prepare = private_dev, .prepare_arg = &dev };
	const char *args[] = { "run", "--iterations", "2", "--warmup", "0", "--quiet", "--out", dir, NULL };
	run_bootbench(args, &o, &p);
	assert_int_not_equal(p.exit_code, 125);
	if (p.exit_code != 0)
		fail_msg("exit %d: %s", p.exit_code, p.err);
	char want[128];
	snprintf(want, sizeof(want), "no off-CPU time or kernel stacks: perf_event_paranoid=%d and not root: run as root or set kernel.perf_event_paranoid=0",
		 atoi(paranoid));
	if (!strstr(p.err, want) || count_lines(p.err) != 1)
		fail_msg("stderr: %s", p.err);
	json_t *doc = load_only_result(dir);
	assert_non_null(doc);
	json_t *offcpu = json_object_get(doc, "offcpu");
	assert_false(json_is_true(json_object_get(offcpu, "available")));
	assert_non_null(strstr(json_string_value(json_object_get(offcpu, "unavailable")), "perf_event_paranoid"));
	assert_true(json_is_true(json_object_get(doc, "complete")));
	json_decref(doc);
	remove_tree(dir);
	remove_tree(root);
}

static void kvm_hidden_unreadable_or_not_kvm(void **state)
{
	(void)state;
	char dir[64], root[64];
	if (need_root() < 0)
		skip();
	make_temp_dir(dir, sizeof(dir));
	make_temp_dir(root, sizeof(root));
	chmod(dir, 0777); /* writable for nobody */
	const struct {
		struct fake_dev dev;
		const char *message;
	} cases[] = {
		{ { root, 0, false }, "cannot open /dev/kvm: No such file or directory; this host has no KVM device: run in an emulated host with --host emulated" },
		{ { root, 1, true }, "cannot open /dev/kvm: Permission denied; run as root, or join the kvm group" },
		{ { root, 2, false }, "/dev/kvm" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spawn_opts o = { .prepare = private_dev, .prepare_arg = (void *)&cases[i].dev };
		const char *args[] = { "run", "--iterations", "1", "--warmup", "0", "--out", dir, "--quiet", NULL };
		run_bootbench(args, &o, &p);
		assert_int_not_equal(p.exit_code, 125); /* the namespace was made */
		if (p.exit_code != 1 || !strstr(p.err, cases[i].message) || count_lines(p.err) != 1)
			fail_msg("case %zu: exit %d, expected 1 and one line with '%s': %s", i, p.exit_code,
				 cases[i].message, p.err);
		const char *info[] = { "info", "--vms", "1", NULL };
		run_bootbench(info, &o, &p);
		if (p.exit_code != 1 || count_lines(p.err) != 1)
			fail_msg("info, case %zu: exit %d: %s", i, p.exit_code, p.err);
	}
	remove_tree(dir);
	rmdir(root);
}

/* kvm_run shows a triple fault stopping the run; with --keep-going each
 * iteration runs and fails alike, the vCPU's registers in each line. */
static void guest_fault_with_keep_going(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	const char *go_on[] = { "run", "--guest-fault", "triple-fault", "--keep-going", "--devices", "2",
				"--iterations", "3", "--warmup", "0", "--out", dir, "--quiet", NULL };
	run_bootbench(go_on, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_int_equal(count_lines(p.err), 3); /* one line per failed iteration */
	for (const char *at = p.err; (at = strstr(at, "triple-faulted")); at++)
		assert_non_null(strstr(at, "rip=0x"));
	json_t *doc = load_only_result(dir);
	assert_non_null(doc);
	assert_int_equal(json_array_size(json_object_get(doc, "iterations")), 3);
	assert_int_equal(json_integer_value(json_object_get(doc, "iterations_failed")), 3);
	json_decref(doc);
	remove_tree(dir);
}

int main(void)
{
	if (kvm_usable() < 0)
		return SKIP_EXIT;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sigkill_leaves_earlier_results_intact),
		cmocka_unit_test(disk_full_leaves_no_corrupt_file),
		cmocka_unit_test(disk_full_still_prints_the_summary),
		cmocka_unit_test(tsv_failure_names_the_saved_json),
		cmocka_unit_test(run_stdout_write_error_fails),
		cmocka_unit_test(single_failed_iteration_is_worded),
		cmocka_unit_test(perf_events_refused_still_runs),
		cmocka_unit_test(host_facts_that_are_not_utf8_are_escaped),
		cmocka_unit_test(kvm_hidden_unreadable_or_not_kvm),
		cmocka_unit_test(guest_fault_with_keep_going),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
