/* The Linux guest's pieces on a real boot, before bootbench's own VMM
 * boots it: lab/build-kernel --guest builds the guest kernel for this
 * arch, bootbench initramfs packs its /init, and QEMU (TCG) boots both
 * with a virtio-blk disk (on x86_64 the MP-table kernel, which finds it
 * on the command line of QEMU's microvm, acpi=off: the ACPI kernel there,
 * acpi=on, hung before init in one of two boots in each of 3 runs on a
 * loaded machine (CI's run among them), while
 * bootbench's own VMM boots it in kvm_linux). Init reads the disk's first block and says ok
 * on the console when it holds the pattern, or names the disk and the
 * error when it does not. Exits 77 where QEMU, the kernel source or its
 * build tools are missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "linux_guest_abi.h"

#define SEED 7u

static char dir[64], kernel[512];
static struct proc p;

/* disk.img: 1 MiB whose first block is disk 0's pattern, one byte off
 * at offset bad (or none when bad is -1). */
static void write_disk(long bad)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/disk.img", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	static uint8_t block[1 << 20];
	memset(block, 0, sizeof(block));
	for (uint32_t i = 0; i < BB_LINUX_CHECK_BYTES; i++)
		block[i] = bb_linux_check_byte(SEED, 0, i);
	if (bad >= 0)
		block[bad] ^= 0x5a;
	assert_int_equal(fwrite(block, 1, sizeof(block), f), sizeof(block));
	fclose(f);
}

static void boot(char *console, size_t len)
{
	char cmd[3000];
	const char *append = "bootbench.disks=1 bootbench.seed=7 panic=-1 quiet";
#if defined(__x86_64__)
	snprintf(cmd, sizeof(cmd),
		 "timeout 120 qemu-system-x86_64 -M microvm,acpi=off -m 256 -nodefaults -no-user-config -nographic"
		 " -serial stdio -no-reboot -kernel %s -initrd %s/initramfs -append 'console=ttyS0 reboot=t %s'"
		 " -drive id=d0,file=%s/disk.img,format=raw,if=none -device virtio-blk-device,drive=d0",
		 kernel, dir, append, dir);
#else
	snprintf(cmd, sizeof(cmd),
		 "timeout 120 qemu-system-aarch64 -M virt -cpu cortex-a57 -m 256 -nodefaults -no-user-config -nographic"
		 " -serial stdio -no-reboot -kernel %s -initrd %s/initramfs -append 'console=ttyAMA0 %s'"
		 " -drive id=d0,file=%s/disk.img,format=raw,if=none -device virtio-blk-device,drive=d0",
		 kernel, dir, append, dir);
#endif
	int rc = sh_capture(console, len, cmd);
	if (rc == 124)
		fail_msg("the guest did not reboot within 120 s: %s", console + (strlen(console) > 2000 ? strlen(console) - 2000 : 0));
}

static void init_finds_the_pattern_on_the_disk(void **state)
{
	(void)state;
	static char console[1 << 16];
	write_disk(-1);
	boot(console, sizeof(console));
	if (!strstr(console, "bootbench-init: ok\n") && !strstr(console, "bootbench-init: ok\r\n"))
		fail_msg("no 'bootbench-init: ok' on the console: %s", console + (strlen(console) > 3000 ? strlen(console) - 3000 : 0));
}

static void init_names_a_disk_that_does_not_hold_it(void **state)
{
	(void)state;
	static char console[1 << 16];
	write_disk(4095);
	boot(console, sizeof(console));
	char want[64];
	snprintf(want, sizeof(want), "bootbench-init: disk 0: guest error %u", (unsigned)BB_LINUX_ERR_MISMATCH);
	if (!strstr(console, want))
		fail_msg("no '%s' on the console: %s", want, console + (strlen(console) > 3000 ? strlen(console) - 3000 : 0));
}

int main(void)
{
#if defined(__x86_64__)
	const char *qemu = "qemu-system-x86_64", *arch = "x86_64";
#else
	const char *qemu = "qemu-system-aarch64", *arch = "arm64";
#endif
	if (!have_command(qemu)) {
		fprintf(stderr, "SKIP: %s is not installed (./quickstart test installs it)\n", qemu);
		return SKIP_EXIT;
	}
	int rc = !strcmp(arch, "x86_64") ? guest_kernel_with(SOURCE_DIR, arch, "mptable", kernel, sizeof(kernel))
					 : guest_kernel(SOURCE_DIR, arch, kernel, sizeof(kernel));
	if (rc != 0)
		return rc;
	make_temp_dir(dir, sizeof(dir));
	char initramfs[128];
	snprintf(initramfs, sizeof(initramfs), "%s/initramfs", dir);
	const char *args[] = { "initramfs", "--out", initramfs, NULL };
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0) {
		fprintf(stderr, "bootbench initramfs failed: %s", p.err);
		return 1;
	}
	/* its usage errors: no --out, an --out that cannot be written */
	const char *no_out[] = { "initramfs", NULL };
	run_bootbench(no_out, NULL, &p);
	if (p.exit_code != 2 || !strstr(p.err, "--out FILE is needed")) {
		fprintf(stderr, "bootbench initramfs without --out: exit %d: %s", p.exit_code, p.err);
		return 1;
	}
	const char *bad_out[] = { "initramfs", "--out", "/nonexistent/dir/initramfs", NULL };
	run_bootbench(bad_out, NULL, &p);
	if (p.exit_code != 1 || !strstr(p.err, "/nonexistent/dir")) {
		fprintf(stderr, "bootbench initramfs into a missing directory: exit %d: %s", p.exit_code, p.err);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_finds_the_pattern_on_the_disk),
		cmocka_unit_test(init_names_a_disk_that_does_not_hold_it),
	};
	int result = cmocka_run_group_tests(tests, NULL, NULL);
	remove_tree(dir);
	return result;
}
