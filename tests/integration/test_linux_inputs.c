/* The Linux workload's bad inputs, each refused before anything runs
 * with one line naming the file (or the field) and the fix, exit 2: a
 * file that is no kernel, a kernel cut short, a kernel or initrd larger
 * than guest RAM, a command line over the kernel's limit, a notify style
 * Linux's virtio-mmio driver does not use. Then the host: on a PVM KVM,
 * where a stock kernel does not boot, one line and exit 1 at once; on any
 * other KVM, the guest boots to init. The kernel is lab/build-kernel
 * --guest's (77 when it cannot be built here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"

static struct proc p;
static char dir[64], kernel[512];

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

/* name: the first len bytes of the kernel (all of it if len is 0), or a
 * sparse file of len bytes when sparse. */
static void write_file(const char *name, size_t len, bool sparse)
{
	char path[128];
	path_in(path, sizeof(path), name);
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	if (sparse) {
		assert_int_equal(ftruncate(fileno(out), (off_t)len), 0);
	} else {
		FILE *in = fopen(kernel, "rb");
		assert_non_null(in);
		static char buf[1 << 16];
		size_t done = 0, n;
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0 && (!len || done < len)) {
			size_t take = len && done + n > len ? len - done : n;
			assert_int_equal(fwrite(buf, 1, take, out), take);
			done += take;
		}
		fclose(in);
	}
	fclose(out);
}

/* A run that is refused: exit 2 and one line holding want. */
static void refused(const char *const *args, const char *want)
{
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 2 || !strstr(p.err, want) || count_lines(p.err) != 1)
		fail_msg("%s %s: exit %d, expected 2 and one line with '%s': %s", args[1], args[2], p.exit_code, want, p.err);
}

static void not_a_kernel(void **state)
{
	(void)state;
	char path[128];
	path_in(path, sizeof(path), "notes.txt");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a kernel at all\n", f);
	fclose(f);
	const char *args[] = { "run", "--profile", "linux-firecracker", "--kernel", path, NULL };
	refused(args, "neither an x86 bzImage (no \"HdrS\" at 0x202) nor an arm64 Image");
	assert_non_null(strstr(p.err, path));
	const char *missing[] = { "run", "--profile", "linux-firecracker", "--kernel", "/nonexistent/bzImage", NULL };
	refused(missing, "kernel /nonexistent/bzImage: No such file or directory: give a bzImage");
}

static void truncated_kernel(void **state)
{
	(void)state;
	char path[128];
	write_file("header-only", 0x300, false);
	path_in(path, sizeof(path), "header-only");
	const char *args[] = { "run", "--profile", "linux-firecracker", "--kernel", path, NULL };
	refused(args, "truncated: its header says");
	write_file("inside-header", 0x220, false);
	path_in(path, sizeof(path), "inside-header");
	refused(args, "truncated: 544 bytes end inside the bzImage's setup header");
}

static void larger_than_guest_ram(void **state)
{
	(void)state;
	const char *small[] = { "run", "--profile", "linux-firecracker", "--kernel", kernel, "--set", "mem_mib=16", NULL };
	refused(small, "over the 16 MiB of guest RAM: raise mem_mib to at least");
	char initrd[128];
	write_file("huge-initrd", (size_t)300 << 20, true);
	path_in(initrd, sizeof(initrd), "huge-initrd");
	const char *big[] = { "run", "--profile", "linux-firecracker", "--kernel", kernel, "--initrd", initrd, NULL };
	refused(big, "is 300 MiB, more than the 256 MiB of guest RAM: raise mem_mib or give a smaller initrd");
	assert_non_null(strstr(p.err, initrd));
}

static void command_line_over_the_limit(void **state)
{
	(void)state;
	static char words[1500];
	int head = snprintf(words, sizeof(words), "bootbench.pad=");
	memset(words + head, 'x', sizeof(words) - 1 - (size_t)head);
	const char *args[] = { "run", "--profile", "linux-firecracker", "--kernel", kernel, "--cmdline", words, NULL };
	refused(args, "over kernel");
	assert_non_null(strstr(p.err, "limit of 2047 (cmdline_size): lower devices or shorten --cmdline"));
	const char *many[] = { "run", "--profile", "linux-firecracker", "--kernel", kernel, "--devices", "64", NULL };
	refused(many, "with 64 disks, over kernel");
}

static void notify_style_linux_does_not_use(void **state)
{
	(void)state;
	const char *args[] = { "run", "--profile", "linux-qemu", "--kernel", kernel, "--style", "mmio-any", NULL };
	refused(args, "style mmio-any is a virtio-pci notifier");
	const char *reset[] = { "run", "--profile", "linux-qemu", "--kernel", kernel, "--when", "reset", NULL };
	refused(reset, "when=reset resets every device after its DRIVER_OK");
}

/* The host decides: PVM refuses in one line, at once; a KVM that boots
 * stock kernels boots this one to init. */
static void this_host(void **state)
{
	(void)state;
	if (kvm_usable() != 0)
		skip();
	bool pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	char out[128];
	path_in(out, sizeof(out), "results");
	/* one vCPU in the emulated host, where two stall (test_linux_kvm.c) */
	bool emulated = getenv("BOOTBENCH_IN_EMULATED_HOST") != NULL;
	const char *args[] = { "run", "--profile", "linux-firecracker", "--kernel", kernel, "--iterations", "1", "--warmup", "0",
			       "--out", out, "--timeout", "60000", "--quiet", emulated ? "--vcpus" : NULL, "1", NULL };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int attempt = 1;; attempt++) {
		run_bootbench(args, NULL, &p);
		/* a guest that stalls in the emulated host is booted again,
		 * twice at most (test_linux_kvm.c) */
		if (!emulated || p.exit_code != 1 || !strstr(p.err, "watchdog: the guest did not signal boot-done") ||
		    attempt == 3)
			break;
		print_message("WARNING: the guest stalled in the emulated host (run %d of 3 at most): %s", attempt, p.err);
		remove_tree(out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (pvm) {
		if (p.exit_code != 1 || count_lines(p.err) != 1 || !strstr(p.err, "KVM on this host is PVM"))
			fail_msg("on PVM: exit %d, expected 1 and one line: %s", p.exit_code, p.err);
		/* detected, not waited for: the watchdog would take 60 s */
		assert_true(t1.tv_sec - t0.tv_sec < 20);
	} else if (p.exit_code != 0) {
		fail_msg("the guest did not boot to init on this KVM: exit %d: %s", p.exit_code, p.err);
	}
}

int main(void)
{
	int rc = guest_kernel(SOURCE_DIR, BB_ARCH_NAME, kernel, sizeof(kernel));
	if (rc != 0)
		return rc;
	make_temp_dir(dir, sizeof(dir));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(not_a_kernel),
		cmocka_unit_test(truncated_kernel),
		cmocka_unit_test(larger_than_guest_ram),
		cmocka_unit_test(command_line_over_the_limit),
		cmocka_unit_test(notify_style_linux_does_not_use),
		cmocka_unit_test(this_host),
	};
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_tree(dir);
	return rc;
}
