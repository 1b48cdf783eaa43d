/* bootbench run --host emulated: the run goes into lab/emulated-host,
 * which boots Debian's kernel under QEMU TCG with this machine's root
 * shared read-only, runs the same bootbench there with the same options,
 * checks every file it wrote against the checksums the emulated host sent
 * and renames them into --out. Only then is anything printed or sent. */
#include "emulated.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "data_dir.h"
#include "errorf.h"
#include "host_info.h"
#include "parse.h"
#include "result_reader.h"
#include "runner.h"
#include "summary_table.h"
#include "vm.h"

static bool is_executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* lab/emulated-host: beside an installed bootbench, else in the tree it
 * was built from ($BOOTBENCH_LAB_DIR says where instead). */
static int find_script(char *buf, size_t len, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	if (bb_data_dir("lab", "emulated-host", "BOOTBENCH_LAB_DIR", BB_LAB_DIR, dir, sizeof(dir), err, errlen) < 0)
		return -1;
	snprintf(buf, len, "%s/emulated-host", dir);
	return 0;
}

/* The bootbench that runs inside: this one on this machine's arch (the
 * root is shared, libraries and all); a static build for the other. */
static int find_inner(const char *arch, char *buf, size_t len, char *err, size_t errlen)
{
	if (!strcmp(arch, BB_HOST_ARCH)) {
		ssize_t n = readlink("/proc/self/exe", buf, len - 1);
		if (n <= 0) {
			bb_errorf(err, errlen, "cannot read /proc/self/exe: %s; mount /proc", strerror(errno));
			return -1;
		}
		buf[n] = '\0';
		return 0;
	}
	const char *var = !strcmp(arch, "arm64") ? "BOOTBENCH_ARM64_BIN" : "BOOTBENCH_X86_64_BIN";
	const char *env = getenv(var);
	snprintf(buf, len, "%s", env && *env ? env : !strcmp(arch, "arm64") ? BB_ARM64_BIN : "");
	if (buf[0] && is_executable(buf))
		return 0;
	bb_errorf(err, errlen, "no static %s bootbench to run in the emulated %s host%s%s: build one (./quickstart test builds build-arm64/bootbench) and point %s at it",
		  arch, arch, buf[0] ? " at " : "", buf, var);
	return -1;
}

/* A program's output (stdout and stderr), first line only; "" if none. */
static void first_line(const char *const *argv, char *buf, size_t len)
{
	buf[0] = '\0';
	int fds[2];
	if (pipe(fds) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	size_t used = 0;
	ssize_t n;
	while (pid > 0 && used + 1 < len && (n = read(fds[0], buf + used, len - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* What the result records of the emulation: the host asked for, QEMU, and
 * the machine outside (the emulated kernel and its CONFIG_HZ are the
 * result's own host). */
static char *context_json(const char *arch)
{
	struct bb_host_info outer;
	char why[512] = "";
	char qemu[256];
	bb_host_info_collect(&outer, why, sizeof(why)); /* fills the facts before it opens KVM */
	const char *qemu_argv[] = { !strcmp(arch, "arm64") ? "qemu-system-aarch64" : "qemu-system-x86_64", "--version", NULL };
	first_line(qemu_argv, qemu, sizeof(qemu));
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:{s:s, s:s, s:s, s:s, s:I, s:s}}", "host", arch, "qemu", qemu,
			      "accel", "tcg", "cpu", !strcmp(arch, "arm64") ? "max,pauth-impdef=on (EL2)" : "qemu64,+svm",
			      "cpus", BB_EMULATED_CPUS, "outer", "hostname", outer.hostname, "kernel_release",
			      outer.kernel_release, "arch", outer.arch, "cpu_model", outer.cpu_model, "online_cpus",
			      (json_int_t)outer.online_cpus, "kvm", why[0] ? why : "usable");
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return text;
}

static void forward_stop(pid_t child, bool *sent)
{
	if (bb_stop_requested && !*sent) {
		kill(child, SIGINT);
		*sent = true;
	}
}

/* Runs lab/emulated-host with args; its stdout to /dev/null unless
 * keep_stdout. Returns its exit status. A Ctrl-C reaches it (the terminal
 * sends it to both; a SIGTERM to bootbench alone is passed on). */
static int run_script(char *const *args, bool keep_stdout, const char *context)
{
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bootbench: cannot start lab/emulated-host: %s\n", strerror(errno));
		return BB_EXIT_FAILED;
	}
	if (pid == 0) {
		if (!keep_stdout) {
			int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
			if (null >= 0)
				dup2(null, STDOUT_FILENO);
		}
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (context)
			setenv(BB_EMULATED_CONTEXT_ENV, context, 1);
		execv(args[0], args);
		fprintf(stderr, "bootbench: cannot run %s: %s\n", args[0], strerror(errno));
		_exit(BB_EXIT_FAILED);
	}
	bb_run_install_stop_handlers();
	bool sent = false;
	int status;
	for (;;) {
		forward_stop(pid, &sent);
		if (waitpid(pid, &status, 0) == pid)
			break;
		if (errno != EINTR)
			return BB_EXIT_FAILED;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return BB_EXIT_FAILED;
}

/* The script, the inner binary and QEMU, or one line why not (exit 1). */
static int prepare(const char *cmd, const char *arch, char *script, char *inner, size_t len)
{
	char err[1024], missing[512];
	if (find_script(script, len, err, sizeof(err)) < 0 || find_inner(arch, inner, len, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench %s: %s\n", cmd, err);
		return -1;
	}
	const char *check[] = { script, "--arch", arch, "--check", NULL };
	first_line(check, missing, sizeof(missing));
	if (missing[0]) {
		fprintf(stderr, "bootbench %s: cannot start the emulated %s host: %s\n", cmd, arch, missing);
		return -1;
	}
	return 0;
}

static void remove_staging(const char *dir)
{
	static const char *const names[] = { ".command.sh", ".paths", ".console.log", ".qemu.log", ".stdout", ".stderr", ".stop" };
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static const char *suffix(const char *path, const char *s)
{
	size_t n = strlen(path), m = strlen(s);
	return n >= m && !strcmp(path + n - m, s) ? path + n - m : NULL;
}

int bb_emulated_run(const struct bb_run_args *o, int argc, char **argv)
{
	char script[PATH_MAX], inner[PATH_MAX], err[1024];
	const char *arch = o->host.arch;
	if (prepare("run", arch, script, inner, sizeof(inner)) < 0)
		return BB_EXIT_FAILED;
	if (bb_run_make_dirs(o->out_dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench run: %s\n", err);
		return BB_EXIT_FAILED;
	}
	char staging[PATH_MAX], manifest[] = "/tmp/bootbench-emulated-XXXXXX";
	if (snprintf(staging, sizeof(staging), "%s/.emulated-XXXXXX", o->out_dir) >= (int)sizeof(staging) - 64 ||
	    !mkdtemp(staging)) {
		fprintf(stderr, "bootbench run: cannot create a directory in --out %s: %s\n", o->out_dir, strerror(errno));
		return BB_EXIT_FAILED;
	}
	int mfd = mkstemp(manifest);
	if (mfd < 0) {
		fprintf(stderr, "bootbench run: cannot create a file in /tmp: %s\n", strerror(errno));
		rmdir(staging);
		return BB_EXIT_FAILED;
	}
	close(mfd);

	/* the same options, less where it runs, where it writes and the
	 * upload (made here, once the result is here) */
	static const int drop[] = { OPT_HOST, OPT_OUT, OPT_UPLOAD, OPT_UPLOAD_FORMAT };
	char **kept = calloc((size_t)argc + 1, sizeof(*kept));
	char **args = calloc((size_t)argc + 32, sizeof(*args));
	int rc = BB_EXIT_FAILED;
	char *context = context_json(arch);
	if (!kept || !args || !context || bb_run_argv_without(argc, argv, drop, sizeof(drop) / sizeof(drop[0]), kept) < 0) {
		fprintf(stderr, "bootbench run: out of memory\n");
		goto out;
	}
	size_t n = 0;
	char smp[16];
	snprintf(smp, sizeof(smp), "%d", BB_EMULATED_CPUS);
	const char *head[] = { script, "--arch", arch, "--out", staging, "--into", o->out_dir, "--manifest", manifest,
			       "--smp", smp, "--env", BB_EMULATED_CONTEXT_ENV, "--stdio", "--", inner };
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		args[n++] = (char *)head[i];
	for (int i = 0; kept[i]; i++)
		args[n++] = kept[i];
	args[n++] = "--out";
	args[n++] = staging;
	args[n] = NULL;
	if (!o->quiet)
		fprintf(stderr, "bootbench run: in the emulated %s host (Debian's kernel under QEMU TCG, %d CPUs): its absolute times are emulation's; ratios between results of one host carry over\n",
			arch, BB_EMULATED_CPUS);
	rc = run_script(args, false, context);

	char result[PATH_MAX] = "", tsv[PATH_MAX] = "", line[PATH_MAX];
	FILE *m = fopen(manifest, "r");
	while (m && fgets(line, sizeof(line), m)) {
		line[strcspn(line, "\n")] = '\0';
		if (suffix(line, ".json"))
			snprintf(result, sizeof(result), "%s", line);
		else if (suffix(line, ".tsv"))
			snprintf(tsv, sizeof(tsv), "%s", line);
	}
	if (m)
		fclose(m);
	if (result[0] || rc == BB_EXIT_OK || rc == BB_EXIT_USAGE)
		remove_staging(staging);
	else
		fprintf(stderr, "bootbench run: what the emulated host left is in %s (its console: .console.log)\n", staging);
	if (!result[0]) {
		if (rc == BB_EXIT_OK) {
			fprintf(stderr, "bootbench run: the emulated host's run exited 0 but no result came back\n");
			rc = BB_EXIT_FAILED;
		}
		goto out;
	}
	printf("result: %s\n", result);
	if (tsv[0])
		printf("tsv: %s\n", tsv);
	json_t *doc = bb_result_load(result, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "bootbench run: %s\n", err);
		rc = BB_EXIT_FAILED;
		goto out;
	}
	if (!o->quiet) {
		putchar('\n');
		bb_summary_print(stdout, doc);
	}
	json_decref(doc);
	if (o->upload_url[0]) {
		int up = bb_run_upload(o, result);
		if (up < 0 && rc == BB_EXIT_OK)
			rc = bb_stop_requested ? BB_EXIT_INTERRUPTED : BB_EXIT_FAILED;
	}
out:
	unlink(manifest);
	free(context);
	free(kept);
	free(args);
	return rc;
}

int bb_emulated_info(const char *arch, char *const *inner_argv)
{
	char script[PATH_MAX], inner[PATH_MAX];
	if (prepare("info", arch, script, inner, sizeof(inner)) < 0)
		return BB_EXIT_FAILED;
	char staging[] = "/tmp/bootbench-info-XXXXXX";
	if (!mkdtemp(staging)) {
		fprintf(stderr, "bootbench info: cannot create a directory in /tmp: %s\n", strerror(errno));
		return BB_EXIT_FAILED;
	}
	char smp[16];
	snprintf(smp, sizeof(smp), "%d", BB_EMULATED_CPUS);
	char *args[64];
	size_t n = 0;
	const char *head[] = { script, "--arch", arch, "--out", staging, "--smp", smp, "--stdio", "--", inner };
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		args[n++] = (char *)head[i];
	for (size_t i = 0; inner_argv[i] && n < sizeof(args) / sizeof(args[0]) - 1; i++)
		args[n++] = inner_argv[i];
	args[n] = NULL;
	fprintf(stderr, "bootbench info: in the emulated %s host (Debian's kernel under QEMU TCG, %d CPUs): the facts and costs below are its own, not this machine's\n",
		arch, BB_EMULATED_CPUS);
	int rc = run_script(args, true, NULL);
	remove_staging(staging);
	return rc;
}
