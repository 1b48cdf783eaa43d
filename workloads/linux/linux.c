/* A real Linux guest as a workload: a kernel booted by its arch's boot
 * protocol with bootbench's initramfs (or the user's initrd), one
 * virtio-blk disk per device and an 8250 console. Its /init checks each
 * disk's first block against the pattern the VMM wrote there and writes
 * 123 to the boot timer (linux_guest_abi.h). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpio.h"
#include "errorf.h"
#include "guest_abi.h"
#include "initramfs.h"
#include "json_file.h"
#include "linux_guest_abi.h"
#include "linux_fdt.h"
#include "linux_cmdline.h"
#include "linux_load.h"

/* Linux's virtio-mmio driver writes the queue index to QueueNotify; its
 * virtio-pci driver writes to the queue's own address in the notify
 * area, which the mmio-any notifiers match. */
static int check_notify_style(const struct bb_profile *p, char *err, size_t errlen)
{
	if (p->transport == BB_TRANSPORT_PCI) {
		/* a transitional function's port notifier is registered too, as
		 * QEMU does, though the modern driver never kicks through it */
		for (uint32_t s = 0; s < p->nr_styles; s++) {
			if (p->styles[s] == BB_STYLE_MMIO_ANY || (s > 0 && p->styles[s] == BB_STYLE_PIO))
				continue;
			bb_errorf(err, errlen, "style %s with transport pci: Linux kicks a virtio-pci queue at its own address in the BAR's notify area, which mmio-any notifiers match; pio may follow it for transitional functions: use --style mmio-any or mmio-any,pio",
				  bb_style_name(p->styles[s]));
			return -1;
		}
		return 0;
	}
	for (uint32_t s = 0; s < p->nr_styles; s++) {
		if (p->styles[s] != BB_STYLE_MMIO) {
			bb_errorf(err, errlen, "style %s is a virtio-pci notifier, and the Linux guest's devices are virtio-mmio, which Linux kicks by writing the queue index to QueueNotify: use --style mmio",
				  bb_style_name(p->styles[s]));
			return -1;
		}
	}
	return 0;
}

static int check_machine(const struct bb_profile *p, char *err, size_t errlen)
{
	if (check_notify_style(p, err, errlen) < 0)
		return -1;
	if (p->when == BB_WHEN_RESET) {
		bb_errorf(err, errlen, "when=reset resets every device after its DRIVER_OK, which the synthetic guest does and a booting Linux does not: use static or dynamic");
		return -1;
	}
	if (!p->irqchip || !p->irqfds) {
		bb_errorf(err, errlen, "the Linux guest's devices interrupt through irqfds into the in-kernel irqchip: set irqchip=true and irqfds=true");
		return -1;
	}
	if (p->device_id != 2) {
		bb_errorf(err, errlen, "device_id %u: the Linux guest's devices are virtio-blk disks (DeviceID 2): set device_id=2", p->device_id);
		return -1;
	}
	if (p->coalesced_zones && p->coalesced_base >= p->mmio_base &&
	    p->coalesced_base < p->mmio_base + (uint64_t)p->devices * p->mmio_stride) {
		bb_errorf(err, errlen, "the coalesced zones at 0x%" PRIx64 " lie on the disks' registers: move coalesced_base", p->coalesced_base);
		return -1;
	}
	return 0;
}

static void close_files(void *state)
{
	struct bb_linux_files *f = state;
	if (!f)
		return;
	free(f->kernel);
	free(f->initrd);
	free(f);
}

/* A file larger than guest RAM cannot be loaded: refused before it is read. */
static int fits_in_ram(const struct bb_profile *p, const char *what, const char *path, const char *fix, char *err,
		       size_t errlen)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > ((uint64_t)p->mem_mib << 20)) {
		bb_errorf(err, errlen, "%s %s is %llu MiB, more than the %u MiB of guest RAM: %s", what, path,
			  (unsigned long long)st.st_size >> 20, p->mem_mib, fix);
		return -1;
	}
	return 0;
}

static int read_kernel(const struct bb_profile *p, struct bb_linux_files *f, char *err, size_t errlen)
{
	char why[256];
	if (fits_in_ram(p, "kernel", p->kernel, "raise mem_mib or give a smaller kernel", err, errlen) < 0)
		return -1;
	if (bb_file_read_all(p->kernel, (char **)&f->kernel, &f->kernel_len, why, sizeof(why)) < 0) {
		bb_errorf(err, errlen, "kernel %s: %s: give a bzImage (x86_64) or Image (arm64) file", p->kernel, why);
		return -1;
	}
	if (bb_kernel_image_parse(f->kernel, f->kernel_len, &f->k, why, sizeof(why)) < 0) {
		bb_errorf(err, errlen, "kernel %s: %s", p->kernel, why);
		return -1;
	}
#if defined(__x86_64__)
	if (f->k.kind != BB_KERNEL_BZIMAGE) {
		bb_errorf(err, errlen, "kernel %s is an arm64 Image: an x86_64 host boots a bzImage (lab/build-kernel --guest --arch x86_64)", p->kernel);
		return -1;
	}
#else
	if (f->k.kind != BB_KERNEL_ARM64_IMAGE) {
		bb_errorf(err, errlen, "kernel %s is an x86 bzImage: an arm64 host boots an Image (lab/build-kernel --guest --arch arm64)", p->kernel);
		return -1;
	}
#endif
	return 0;
}

static int read_initrd(const struct bb_profile *p, struct bb_linux_files *f, char *err, size_t errlen)
{
	char why[256];
	if (p->initrd[0]) {
		if (fits_in_ram(p, "initrd", p->initrd, "raise mem_mib or give a smaller initrd", err, errlen) < 0)
			return -1;
		if (bb_file_read_all(p->initrd, (char **)&f->initrd, &f->initrd_len, why, sizeof(why)) < 0) {
			bb_errorf(err, errlen, "initrd %s: %s: give a cpio archive, or leave --initrd out for bootbench's own", p->initrd, why);
			return -1;
		}
		return 0;
	}
	struct bb_cpio c;
	bb_cpio_init(&c);
	if (bb_linux_initramfs(&c, why, sizeof(why)) < 0) {
		bb_cpio_free(&c);
		bb_errorf(err, errlen, "cannot pack the initramfs: %s", why);
		return -1;
	}
	f->initrd = c.data; /* handed over: freed with the files */
	f->initrd_len = c.len;
	return 0;
}

static int open_files(const struct bb_profile *p, void **state, char *err, size_t errlen)
{
	struct bb_linux_files *f = calloc(1, sizeof(*f));
	*state = NULL;
	if (!f) {
		bb_errorf(err, errlen, "out of memory reading kernel %s", p->kernel);
		return -1;
	}
	if (read_kernel(p, f, err, errlen) < 0 || read_initrd(p, f, err, errlen) < 0) {
		close_files(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int fits(const struct bb_profile *p, const struct bb_linux_files *f, const struct bb_machine *m, char *err,
		size_t errlen)
{
	char line[BB_PROFILE_CMDLINE_MAX * 4];
	bool x86 = f->k.kind == BB_KERNEL_BZIMAGE;
	/* arm64 keeps RAM's last 2 MiB for the device tree */
	uint64_t kernel_end = x86 ? bb_linux_x86_kernel_end(&f->k) : bb_linux_arm64_kernel_end(&f->k) + BB_FDT_MAX_BYTES;
	uint64_t ram = m->ram_bytes;
	uint64_t need = ((kernel_end + f->initrd_len + 0xfffff) >> 20) + 1;

	if (kernel_end > ram || f->initrd_len > ram - kernel_end) {
		bb_errorf(err, errlen, "kernel %s needs %" PRIu64 " MiB from 0 and the initrd %zu KiB more, over the %u MiB of guest RAM: raise mem_mib to at least %" PRIu64,
			  p->kernel, kernel_end >> 20, f->initrd_len >> 10, p->mem_mib, need);
		return -1;
	}
	size_t n = bb_linux_cmdline(p, m, line, sizeof(line));
	/* arm64's limit is the kernel's COMMAND_LINE_SIZE, which its Image
	 * does not say: 2048 in every release since 2.6 */
	uint32_t limit = x86 ? f->k.cmdline_size : 2047;
	if (n > limit) {
		bb_errorf(err, errlen, "the kernel command line is %zu bytes with %u disks, over kernel %s's limit of %u (%s): lower devices or shorten --cmdline",
			  n, p->devices, p->kernel, limit, x86 ? "cmdline_size" : "COMMAND_LINE_SIZE");
		return -1;
	}
	return 0;
}

/* A PCI guest finds its host bridge in the ACPI MCFG (x86_64), or in
 * the device tree (arm64). */
static int check_pci(const struct bb_profile *p, const struct bb_machine *m, char *err, size_t errlen)
{
	if (p->transport != BB_TRANSPORT_PCI)
		return 0;
	if (!strcmp(m->arch, "x86_64") && !(p->firmware & BB_FIRMWARE_ACPI)) {
		bb_errorf(err, errlen, "transport pci with firmware mptable: Linux finds the PCI host bridge's ECAM window in the ACPI MCFG; use firmware acpi or both");
		return -1;
	}
	return 0;
}

static int check_profile(const struct bb_profile *p, const struct bb_machine *m, char *err, size_t errlen)
{
	void *state;
	if (check_machine(p, err, errlen) < 0 || check_pci(p, m, err, errlen) < 0 || open_files(p, &state, err, errlen) < 0)
		return -1;
	int rc = fits(p, state, m, err, errlen);
	close_files(state);
	return rc;
}

static uint32_t devices(const struct bb_profile *p, struct bb_device_decl *out, uint32_t max)
{
	if (max < 3)
		return 0;
	out[0] = (struct bb_device_decl){ "boot-timer", 1 };
	out[1] = (struct bb_device_decl){ "uart-8250", 1 };
	if (p->transport == BB_TRANSPORT_MMIO) {
		out[2] = (struct bb_device_decl){ "virtio-blk", p->devices };
		return 3;
	}
	if (max < 4)
		return 0;
	out[2] = (struct bb_device_decl){ "pci-host", 1 };
	out[3] = (struct bb_device_decl){ "virtio-blk-pci", p->devices };
	return 4;
}

static int load(const struct bb_profile *p, const void *state, const struct bb_machine *m, char *err, size_t errlen)
{
	const struct bb_linux_files *f = state;
	return f->k.kind == BB_KERNEL_BZIMAGE ? bb_linux_x86_load(p, f, m, err, errlen)
					      : bb_linux_arm64_load(p, f, m, err, errlen);
}

static void entry(const struct bb_profile *p, const void *state, const struct bb_machine *m, uint32_t vcpu,
		  struct bb_vcpu_entry *e)
{
	const struct bb_linux_files *f = state;
	(void)p;
	(void)vcpu; /* the others wait for the kernel's INIT and SIPI, or PSCI CPU_ON */
	if (!strcmp(m->arch, "x86_64")) {
		/* the 64-bit entry is 0x200 into the protected-mode kernel, the zero page in rsi */
		*e = (struct bb_vcpu_entry){ .pc = BB_LINUX_X86_KERNEL + 0x200, .args = { 0, BB_LINUX_X86_ZERO_PAGE, 0 } };
		return;
	}
	/* the Image's first byte, the device tree in x0 */
	*e = (struct bb_vcpu_entry){ .pc = m->ram_gpa + f->k.text_offset, .args = { bb_linux_arm64_fdt_gpa(m), 0, 0 } };
}

/* Linux kicks a queue as often as it has requests, on the queue of the
 * CPU that made them; each disk at least once, for init's read. */
static uint32_t kicks_expected(const struct bb_profile *p)
{
	return p->devices;
}

static int check_kicks(const struct bb_profile *p, const uint64_t *kicks, uint32_t n, uint32_t *received, char *err,
		       size_t errlen)
{
	int rc = 0;
	*received = 0;
	for (uint32_t disk = 0; disk * p->queues < n; disk++) {
		bool any = false;
		for (uint32_t q = disk * p->queues; q < (disk + 1) * p->queues && q < n; q++) {
			if (kicks[q] != BB_KICK_NEVER) {
				*received += (uint32_t)kicks[q];
				any = true;
			}
		}
		if (rc == 0 && !any) {
			bb_errorf(err, errlen, "disk %u: none of its queues' ioeventfds fired, though init read the disk", disk);
			rc = -1;
		}
	}
	return rc;
}

/* x86_64: why a kernel found no virtio-mmio disk, by how the machine was
 * described to it. */
static const char *no_disk(const struct bb_profile *p, const struct bb_machine *m)
{
	if (p->transport == BB_TRANSPORT_PCI)
		return "init found no /dev/vdX for it: the kernel found no virtio-pci disk behind the ECAM host bridge (does it have CONFIG_PCI, CONFIG_PCI_MSI and CONFIG_VIRTIO_PCI, and on x86_64 CONFIG_ACPI for the MCFG?)";
	if (strcmp(m->arch, "x86_64"))
		return "init found no /dev/vdX for it (the driver did not bind: does the kernel have CONFIG_VIRTIO_MMIO and CONFIG_VIRTIO_BLK?)";
	switch (p->firmware) {
	case BB_FIRMWARE_MPTABLE:
		return "init found no /dev/vdX for it: the kernel found no virtio-mmio device; firmware=mptable declares them on the command line, which needs CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES: for a kernel with CONFIG_ACPI, try firmware=acpi";
	case BB_FIRMWARE_ACPI:
		return "init found no /dev/vdX for it: the kernel found no virtio-mmio device; firmware=acpi declares them in the DSDT, which needs CONFIG_ACPI: for a kernel without it, try firmware=mptable";
	default:
		return "init found no /dev/vdX for it: the kernel found no virtio-mmio device in the DSDT (CONFIG_ACPI) or on the command line (CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES), or has no CONFIG_VIRTIO_BLK";
	}
}

static void guest_error(const struct bb_profile *p, const struct bb_machine *m, uint32_t code, uint32_t arg,
			char *buf, size_t len)
{
	const char *fw = !strcmp(m->arch, "x86_64") ? bb_firmware_name(p->firmware) : "the device tree";
	switch (code) {
	case BB_LINUX_ERR_NO_DISK: snprintf(buf, len, "device %u: %s", arg, no_disk(p, m)); return;
	case BB_LINUX_ERR_SHORT_READ: snprintf(buf, len, "device %u: init read less than a block from it", arg); return;
	case BB_LINUX_ERR_MISMATCH: snprintf(buf, len, "device %u: its first block is not what the VMM wrote there", arg); return;
	case BB_LINUX_ERR_CPUS:
		snprintf(buf, len, "%u of %u vCPUs online at init: the kernel did not find or could not start the others "
			 "(firmware %s: %s)", arg, m->vcpus, fw,
			 p->firmware == BB_FIRMWARE_MPTABLE && !strcmp(m->arch, "x86_64")
				 ? "the MP table needs CONFIG_X86_MPPARSE; for an ACPI kernel, try firmware=acpi"
			 : p->firmware == BB_FIRMWARE_ACPI && !strcmp(m->arch, "x86_64")
				 ? "the MADT needs CONFIG_ACPI; for a kernel without it, try firmware=mptable"
				 : "does the kernel have CONFIG_SMP?");
		return;
	default: snprintf(buf, len, "an unknown error from init, argument %u", arg); return;
	}
}

const struct bb_workload bb_workload_linux = {
	.name = "linux",
	.check_profile = check_profile,
	.devices = devices,
	.open = open_files,
	.close = close_files,
	.load = load,
	.entry = entry,
	.kicks_expected = kicks_expected,
	.check_kicks = check_kicks,
	.guest_error = guest_error,
};
