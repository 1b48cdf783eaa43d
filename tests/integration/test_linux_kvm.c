/* The Linux workload on a KVM that boots stock kernels (this machine's,
 * else the emulated host's, through with_kvm): both Linux profiles, 2
 * iterations each, every check of the emulated-host test. In the
 * ASan+UBSan build this is the sanitized run of the Linux path (the
 * virtio-blk device, the I/O thread, the console): any report makes
 * bootbench exit non-zero, which fails the test with the report. In
 * the emulated host a run whose guest stalls is made again (twice at
 * most), and says so.
 * The kernel is lab/build-kernel --guest's (the guest_kernel fixture
 * builds it before the test, outside any emulated host). */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"
#include "linux_checks.h"

#define ITERATIONS 2

static char kernel[512], dir[64];
static struct proc p;

static void boots(const char *profile)
{
	char out[128];
	snprintf(out, sizeof(out), "%s/%s", dir, profile);
	/* in the emulated host (with_kvm says so) a nested Linux guest of two
	 * vCPUs stalls in 2 to 6 boots of 10 under single-threaded TCG, and in
	 * none of 12 with one vCPU: there the profile boots with one */
	bool emulated = getenv("BOOTBENCH_IN_EMULATED_HOST") != NULL;
	const char *args[] = { "run", "--profile", profile, "--kernel", kernel, "--iterations", "2", "--warmup", "0",
			       "--pin", "0", "--no-events", "--quiet", "--timeout", "60000", "--out", out,
			       emulated ? "--vcpus" : NULL, "1", NULL };
	/* there a boot also stalls now and then under load, one vCPU or two
	 * (the watchdog fires, the guest never reaching init): such a run
	 * is shown and made again, twice at most; any other failure, and
	 * any sanitizer report, fails at once */
	for (int attempt = 1;; attempt++) {
		remove_tree(out);
		run_bootbench(args, NULL, &p);
		bool stalled = p.exit_code == 1 && strstr(p.err, "watchdog: the guest did not signal boot-done") &&
			       !strstr(p.err, "Sanitizer") && !strstr(p.err, "runtime error");
		if (!emulated || !stalled || attempt == 3)
			break;
		print_message("WARNING: %s stalled in the emulated host (run %d of 3 at most): %s", profile, attempt, p.err);
	}
	if (p.exit_code != 0 || strstr(p.err, "Sanitizer") || strstr(p.err, "runtime error"))
		fail_msg("%s: exit %d: %s", profile, p.exit_code, p.err);
	json_t *doc = load_only_result(out);
	if (!doc)
		fail_msg("%s: no single result in %s", profile, out);
	check_linux_result(doc, profile, ITERATIONS);
	json_decref(doc);
}

static void firecracker_boots_to_init(void **state)
{
	(void)state;
	boots("linux-firecracker");
}

static void qemu_boots_to_init(void **state)
{
	(void)state;
	boots("linux-qemu");
}

int main(void)
{
	if (kvm_usable() < 0)
		return SKIP_EXIT;
	int rc = guest_kernel(SOURCE_DIR, BB_ARCH_NAME, kernel, sizeof(kernel));
	if (rc != 0)
		return rc;
	make_temp_dir(dir, sizeof(dir));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(firecracker_boots_to_init),
		cmocka_unit_test(qemu_boots_to_init),
	};
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_tree(dir);
	return rc;
}
