/* The Linux guest's /init, which bootbench packs into the initramfs: it
 * checks each virtio-blk disk once, by reading its first block and
 * comparing it with the pattern the VMM wrote there, and reports through
 * Firecracker's boot timer: 123 at offset 0 when all is well, or an error
 * code and the disk's index (guest_abi.h). Built static for each guest
 * arch. Its command-line words (bootbench.timer=ADDR, bootbench.disks=N,
 * bootbench.seed=S) come from the VMM; without a timer it prints its
 * verdict on the console and reboots, so a plain QEMU (-no-reboot) can
 * run it too. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_abi.h"
#include "linux_guest_abi.h"

static unsigned long long word(const char *cmdline, const char *key, unsigned long long fallback)
{
	const char *at = strstr(cmdline, key);
	if (!at)
		return fallback;
	return strtoull(at + strlen(key), NULL, 0);
}

static void report(unsigned long long timer, uint32_t error, uint32_t disk)
{
	if (!timer) {
		if (error)
			printf("bootbench-init: disk %u: guest error %u\n", disk, error);
		else
			printf("bootbench-init: ok\n");
		fflush(stdout);
		/* a reboot, which QEMU's -no-reboot turns into its exit: powering
		 * off needs ACPI, which a microvm guest has not */
		reboot(RB_AUTOBOOT);
		return;
	}
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		printf("bootbench-init: cannot open /dev/mem: %s\n", strerror(errno));
		return;
	}
	long page = sysconf(_SC_PAGESIZE);
	volatile uint8_t *t = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
				   (off_t)(timer & ~(unsigned long long)(page - 1)));
	if (t == MAP_FAILED) {
		printf("bootbench-init: cannot map the boot timer at 0x%llx: %s\n", timer, strerror(errno));
		return;
	}
	t += timer & (unsigned long long)(page - 1);
	if (error) {
		*(volatile uint32_t *)(t + BB_BOOT_TIMER_ERROR_ARG) = disk;
		*(volatile uint32_t *)(t + BB_BOOT_TIMER_ERROR) = error;
	} else {
		t[BB_BOOT_TIMER_SIGNAL] = BB_BOOT_DONE;
	}
}

/* Linux's virtio-blk names: vda..vdz, then vdaa..vdaz, vdba.., as
 * bijective base 26 of the probe index. */
static void disk_name(uint32_t index, char *out, size_t len)
{
	char letters[8];
	int n = 0;
	uint64_t i = index;
	do {
		letters[n++] = (char)('a' + i % 26);
		i = i / 26;
	} while (i-- > 0 && n < (int)sizeof(letters));
	int w = snprintf(out, len, "/dev/vd");
	while (n > 0 && w + 1 < (int)len)
		out[w++] = letters[--n];
	out[w] = '\0';
}

/* The CPUs online: Linux lists each as a "cpuN" line in /proc/stat. */
static uint32_t cpus_online(void)
{
	char line[256];
	uint32_t n = 0;
	FILE *f = fopen("/proc/stat", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += !strncmp(line, "cpu", 3) && line[3] >= '0' && line[3] <= '9';
	fclose(f);
	return n;
}

int main(void)
{
	char cmdline[4096] = "";
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	FILE *f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = '\0';
		fclose(f);
	}
	unsigned long long timer = word(cmdline, "bootbench.timer=", 0);
	uint32_t disks = (uint32_t)word(cmdline, "bootbench.disks=", 0);
	uint32_t seed = (uint32_t)word(cmdline, "bootbench.seed=", 0);
	uint32_t cpus = (uint32_t)word(cmdline, "bootbench.cpus=", 0);
	/* every vCPU the VMM made came up: the kernel found them (MP table or
	 * MADT) and started them */
	uint32_t online = cpus_online();
	if (cpus && online < cpus) {
		report(timer, BB_LINUX_ERR_CPUS, online);
		for (;;)
			pause();
	}
	for (uint32_t d = 0; d < disks; d++) {
		char path[32];
		uint8_t block[BB_LINUX_CHECK_BYTES];
		disk_name(d, path, sizeof(path));
		int fd = open(path, O_RDONLY);
		if (fd < 0) {
			report(timer, BB_LINUX_ERR_NO_DISK, d);
			for (;;)
				pause();
		}
		ssize_t n = pread(fd, block, sizeof(block), 0);
		close(fd);
		if (n != (ssize_t)sizeof(block)) {
			report(timer, BB_LINUX_ERR_SHORT_READ, d);
			for (;;)
				pause();
		}
		for (uint32_t i = 0; i < sizeof(block); i++) {
			if (block[i] != bb_linux_check_byte(seed, d, i)) {
				report(timer, BB_LINUX_ERR_MISMATCH, d);
				for (;;)
					pause();
			}
		}
	}
	report(timer, 0, 0);
	/* the VMM stops the VM at boot-done; init must never exit */
	for (;;)
		pause();
}
