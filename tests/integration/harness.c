#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "result_reader.h"

/* BOOTBENCH_TEST_WRAPPER, e.g. "valgrind -q --error-exitcode=99", runs
 * every bootbench a test starts under that command (tests/under_valgrind). */
static void exec_bootbench(const char *const *args)
{
	const char *argv[96];
	int n = 0;
	const char *w = getenv("BOOTBENCH_TEST_WRAPPER");
	if (w && *w) {
		static char wrapper[1024]; /* argv points into it until exec */
		snprintf(wrapper, sizeof(wrapper), "%s", w);
		char *save;
		for (char *word = strtok_r(wrapper, " ", &save); word && n < 32; word = strtok_r(NULL, " ", &save))
			argv[n++] = word;
	}
	argv[n++] = BOOTBENCH_BIN;
	for (int i = 0; args[i] && n < 95; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

bool under_wrapper(void)
{
	const char *w = getenv("BOOTBENCH_TEST_WRAPPER");
	return w && *w;
}

static void slurp(int fd, char *buf, size_t len)
{
	lseek(fd, 0, SEEK_SET);
	ssize_t n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

int run_bootbench(const char *const *args, const struct spawn_opts *opts, struct proc *p)
{
	char out_path[] = "/tmp/bb-test-out-XXXXXX", err_path[] = "/tmp/bb-test-err-XXXXXX";
	int out = mkstemp(out_path), err = mkstemp(err_path);
	unlink(out_path);
	unlink(err_path);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		if (opts && opts->stdout_path) {
			int fd = open(opts->stdout_path, O_WRONLY);
			if (fd < 0 || dup2(fd, 1) < 0)
				_exit(125);
		}
		if (opts && opts->path_env)
			setenv("PATH", opts->path_env, 1);
		if (opts && opts->kvm_device)
			setenv("BOOTBENCH_KVM_DEVICE", opts->kvm_device, 1);
		if (opts && opts->nofile) {
			struct rlimit rl = { opts->nofile, opts->nofile_hard ? opts->nofile_hard : opts->nofile };
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		if (opts && opts->prepare && opts->prepare(opts->prepare_arg) != 0)
			_exit(125);
		exec_bootbench(args);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	p->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
	slurp(out, p->out, sizeof(p->out));
	slurp(err, p->err, sizeof(p->err));
	return p->exit_code;
}

pid_t start_bootbench(const char *const *args, const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		char path[512];
		snprintf(path, sizeof(path), "%s.stdout", dir);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		snprintf(path, sizeof(path), "%s.stderr", dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		exec_bootbench(args);
	}
	return pid;
}

int kvm_usable(void)
{
	const char *path = "/dev/kvm";
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "SKIP: %s cannot be opened (%s): these tests need a host with KVM, run as root or in the kvm group\n",
			path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

bool have_command(const char *name)
{
	const char *path = getenv("PATH");
	char dir[4096], file[4400];
	snprintf(dir, sizeof(dir), "%s", path ? path : "/usr/bin:/bin");
	char *save;
	for (char *d = strtok_r(dir, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/%s", d, name);
		if (access(file, X_OK) == 0)
			return true;
	}
	return false;
}

ssize_t read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "rb");
	buf[0] = '\0';
	if (!f)
		return -1;
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (ssize_t)n;
}

void make_temp_dir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/bb-kvm-test-XXXXXX");
	if (!mkdtemp(buf))
		abort();
}

void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char path[1024];
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

int find_only(const char *dir, const char *suffix, char *path, size_t len)
{
	DIR *d = opendir(dir);
	int found = 0;
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name), s = strlen(suffix);
		if (e->d_name[0] == '.' || n < s || strcmp(e->d_name + n - s, suffix))
			continue;
		snprintf(path, len, "%s/%s", dir, e->d_name);
		found++;
	}
	closedir(d);
	return found == 1 ? 0 : -1;
}

json_t *load_only_result(const char *dir)
{
	char path[1024], err[1024];
	if (find_only(dir, ".json", path, sizeof(path)) < 0) {
		fprintf(stderr, "expected exactly one result file in %s\n", dir);
		return NULL;
	}
	json_t *doc = bb_result_load(path, err, sizeof(err));
	if (!doc)
		fprintf(stderr, "%s\n", err);
	return doc;
}

int count_hidden(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

int count_lines(const char *text)
{
	int n = 0;
	for (; *text; text++)
		n += *text == '\n';
	return n;
}

int sh_capture(char *out, size_t len, const char *cmd)
{
	char full[4096];
	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	FILE *f = popen(full, "r");
	if (!f)
		return -1;
	size_t n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	int st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int guest_kernel(const char *source_dir, const char *arch, char *kernel, size_t len)
{
	return guest_kernel_with(source_dir, arch, "acpi", kernel, len);
}

int guest_kernel_with(const char *source_dir, const char *arch, const char *firmware, char *kernel, size_t len)
{
	static char out[1 << 16];
	char cmd[1600], source[512];

	snprintf(cmd, sizeof(cmd), "%s/lab/kernel-source", source_dir);
	if (sh_capture(out, sizeof(out), cmd) != 0) {
		fprintf(stderr, "SKIP: no kernel source for the guest kernel: %s", out);
		return SKIP_EXIT;
	}
	/* its last line is the source tree */
	char *last = strrchr(out, '\n');
	if (last)
		*last = '\0';
	last = strrchr(out, '\n');
	snprintf(source, sizeof(source), "%s", last ? last + 1 : out);
	snprintf(cmd, sizeof(cmd), "%s/lab/build-kernel --guest --firmware %s --source '%s' --arch %s --hz 100", source_dir,
		 firmware, source, arch);
	int rc = sh_capture(out, sizeof(out), cmd);
	if (rc != 0) {
		fprintf(stderr, "%s: lab/build-kernel --guest failed (%d): %s", rc == 1 ? "SKIP" : "FAIL", rc, out);
		return rc == 1 ? SKIP_EXIT : 1; /* 1: a tool is missing */
	}
	const char *k = strstr(out, "kernel=");
	if (!k) {
		fprintf(stderr, "lab/build-kernel printed no kernel=: %s", out);
		return 1;
	}
	snprintf(kernel, len, "%.*s", (int)strcspn(k + 7, " \n"), k + 7);
	return 0;
}
