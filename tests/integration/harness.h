/* Helpers for tests that run the real bootbench binary on the real KVM. */
#ifndef BOOTBENCH_TEST_HARNESS_H
#define BOOTBENCH_TEST_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#define SKIP_EXIT 77

struct proc {
	int exit_code; /* -signal if killed */
	char out[1 << 16];
	char err[1 << 16];
};

struct spawn_opts {
	const char *kvm_device; /* BOOTBENCH_KVM_DEVICE, or NULL */
	rlim_t nofile;          /* 0: inherit */
	rlim_t nofile_hard;
	const char *path_env;   /* PATH for the child, or NULL */
	const char *stdout_path; /* stdout goes to this file (say /dev/full), not captured */
	/* Run in the child before exec (a mount namespace, say); non-zero
	 * makes the child exit 125 without running bootbench. */
	int (*prepare)(void *arg);
	void *prepare_arg;
};

/* Runs bootbench with args (NULL-terminated, without argv[0]) to the end. */
int run_bootbench(const char *const *args, const struct spawn_opts *opts, struct proc *p);
/* Starts it with stdout/stderr sent to files in dir; returns the pid. */
pid_t start_bootbench(const char *const *args, const char *dir);
/* Whether bootbench runs under BOOTBENCH_TEST_WRAPPER (valgrind): slower
 * to start, so waits before a signal are longer. */
bool under_wrapper(void);
/* 0 when /dev/kvm can be used; else prints why on stderr. */
int kvm_usable(void);
/* Whether name is a program on PATH. */
bool have_command(const char *name);
/* The file's text in buf (at most len - 1 bytes, NUL-terminated); its
 * length, or -1 when it cannot be opened. */
ssize_t read_text(const char *path, char *buf, size_t len);
/* A fresh directory under /tmp. */
void make_temp_dir(char *buf, size_t len);
void remove_tree(const char *dir);
/* The one non-hidden file ending in suffix in dir, loaded (.json) or its
 * path; NULL if there is not exactly one. */
json_t *load_only_result(const char *dir);
int find_only(const char *dir, const char *suffix, char *path, size_t len);
int count_hidden(const char *dir);
/* A shell command's output (stdout and stderr, at most len - 1 bytes)
 * into out; its exit status, or -1. */
int sh_capture(char *out, size_t len, const char *cmd);
/* The Linux workload's guest kernel for arch, built (or found in the
 * cache) by source_dir/lab/build-kernel --guest at HZ=100, its path in
 * kernel. Returns 0; 77 with why on stderr when a part it needs is not
 * installed (the kernel source, a compiler); 1 when the build failed. */
int guest_kernel(const char *source_dir, const char *arch, char *kernel, size_t len);
/* The same for firmware "acpi" (the default, as guest_kernel builds it on
 * x86_64: ACPI, no MP table, no disks on the command line) or "mptable"
 * (the MP table, disks on the command line); arm64 ignores it. */
int guest_kernel_with(const char *source_dir, const char *arch, const char *firmware, char *kernel, size_t len);
int count_lines(const char *text);

#endif
