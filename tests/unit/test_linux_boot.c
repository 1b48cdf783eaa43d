/* What the Linux workload builds before a guest boots: a kernel file's
 * header read (a bzImage and an arm64 Image, and each file that is
 * neither, cut short or unusable refused), the x86 boot_params with its
 * e820 map at the kernel's offsets, the MP table, the command line that
 * declares the disks, the layout of guest memory the x86 loader writes,
 * and the initramfs cpio, which the system's own cpio lists back when it
 * is installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "acpi_tables.h"
#include "boot_params.h"
#include "cpio.h"
#include "kernel_image.h"
#include "linux_cmdline.h"
#include "linux_fdt.h"
#include "linux_load.h"
#include <libfdt.h>
#include "little_endian.h"
#include "mptable.h"

static char why[256];

/* A bzImage as the kernel's build lays out its header: 4 setup sectors
 * after the boot sector, then payload_paragraphs * 16 bytes. */
static uint8_t *fake_bzimage(size_t *len, uint16_t protocol, uint32_t payload_paragraphs)
{
	size_t setup = (size_t)5 * 512;
	*len = setup + (size_t)payload_paragraphs * 16;
	uint8_t *k = calloc(1, *len);
	k[0x1f1] = 4;
	bb_put_le(k + 0x1f4, payload_paragraphs, 4);
	bb_put_le(k + 0x1fe, 0xaa55, 2);
	k[0x201] = 0x6a; /* the header ends at 0x202 + 0x6a = 0x26c */
	bb_put_le(k + 0x202, 0x53726448, 4);
	bb_put_le(k + 0x206, protocol, 2);
	k[0x211] = 0x01; /* LOADED_HIGH */
	bb_put_le(k + 0x22c, 0x7fffffff, 4);
	bb_put_le(k + 0x230, 0x200000, 4);
	k[0x234] = 1;
	bb_put_le(k + 0x236, 0x1 | 0x2, 2); /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
	bb_put_le(k + 0x238, 2047, 4);
	bb_put_le(k + 0x258, 0x1000000, 8);
	bb_put_le(k + 0x260, (uint64_t)payload_paragraphs * 16 * 3, 4);
	return k;
}

static void a_bzimage_header_is_read(void **state)
{
	(void)state;
	size_t len;
	uint8_t *file = fake_bzimage(&len, 0x020f, 4096);
	struct bb_kernel_image k;
	assert_int_equal(bb_kernel_image_parse(file, len, &k, why, sizeof(why)), 0);
	assert_int_equal(k.kind, BB_KERNEL_BZIMAGE);
	assert_int_equal(k.protocol, 0x020f);
	assert_int_equal(k.setup_bytes, 5 * 512);
	assert_int_equal(k.payload_offset, 5 * 512);
	assert_int_equal(k.payload_size, 4096 * 16);
	assert_int_equal(k.cmdline_size, 2047);
	assert_int_equal(k.kernel_alignment, 0x200000);
	assert_true(k.relocatable);
	assert_int_equal(k.setup_header_end, 0x26c);
	free(file);
}

static void expect_refused(const uint8_t *file, size_t len, const char *what)
{
	struct bb_kernel_image k;
	assert_int_equal(bb_kernel_image_parse(file, len, &k, why, sizeof(why)), -1);
	if (!strstr(why, what))
		fail_msg("expected '%s', got '%s'", what, why);
}

static void bad_kernels_are_refused_with_what_is_wrong(void **state)
{
	(void)state;
	size_t len;
	uint8_t *file = fake_bzimage(&len, 0x020f, 4096);
	expect_refused(file, len - 1, "truncated: its header says 68096 bytes, the file has 68095");
	expect_refused(file, 0x210, "truncated: 528 bytes end inside the bzImage's setup header");
	bb_put_le(file + 0x206, 0x0206, 2);
	expect_refused(file, len, "boot protocol 2.06 is older than 2.12");
	bb_put_le(file + 0x206, 0x020f, 2);
	bb_put_le(file + 0x236, 0, 2);
	expect_refused(file, len, "no 64-bit entry point");
	free(file);
	uint8_t elf[4096] = { 0x7f, 'E', 'L', 'F' };
	expect_refused(elf, sizeof(elf), "neither an x86 bzImage");
	expect_refused(elf, 3, "neither an x86 bzImage");
}

static void an_arm64_image_header_is_read(void **state)
{
	(void)state;
	static uint8_t image[1 << 16];
	memset(image, 0, sizeof(image));
	bb_put_le(image + 8, 0, 8);                /* text_offset */
	bb_put_le(image + 16, 2 * sizeof(image), 8); /* image_size, bss included */
	bb_put_le(image + 24, 1u << 1, 8);         /* LE, 4K pages */
	bb_put_le(image + 56, 0x644d5241, 4);
	struct bb_kernel_image k;
	assert_int_equal(bb_kernel_image_parse(image, sizeof(image), &k, why, sizeof(why)), 0);
	assert_int_equal(k.kind, BB_KERNEL_ARM64_IMAGE);
	assert_int_equal(k.image_size, 2 * sizeof(image));
	assert_int_equal(k.page_size_kib, 4);
	bb_put_le(image + 24, 1, 8);
	expect_refused(image, sizeof(image), "big-endian");
	bb_put_le(image + 24, 0, 8);
	bb_put_le(image + 16, 100, 8);
	expect_refused(image, sizeof(image), "larger than the image_size");
	bb_put_le(image + 16, 0, 8);
	expect_refused(image, sizeof(image), "no image_size");
}

static void boot_params_carry_the_header_the_map_and_the_command_line(void **state)
{
	(void)state;
	size_t len;
	uint8_t *file = fake_bzimage(&len, 0x020f, 4096);
	struct bb_kernel_image k;
	assert_int_equal(bb_kernel_image_parse(file, len, &k, why, sizeof(why)), 0);
	struct bb_e820_entry map[BB_E820_MAX];
	uint32_t n = bb_e820_for_ram(256ull << 20, map, BB_E820_MAX);
	assert_int_equal(n, 3);
	static uint8_t page[BB_BOOT_PARAMS_SIZE];
	struct bb_boot_setup s = { .cmdline_gpa = 0x20000, .cmdline_len = 40, .initrd_gpa = 0x8000000,
				   .initrd_size = 0x100000, .e820 = map, .nr_e820 = n };
	assert_int_equal(bb_boot_params_build(page, file, &k, &s, why, sizeof(why)), 0);
	/* the kernel's own header, under ours */
	assert_int_equal(bb_get_le(page + 0x202, 4), 0x53726448);
	assert_int_equal(bb_get_le(page + 0x206, 2), 0x020f);
	assert_int_equal(page[0x210], 0xff);
	assert_int_equal(bb_get_le(page + 0x228, 4), 0x20000);
	assert_int_equal(bb_get_le(page + 0x218, 4), 0x8000000);
	assert_int_equal(bb_get_le(page + 0x21c, 4), 0x100000);
	/* e820: RAM to the EBDA, the BIOS hole, RAM from 1 MiB to the end */
	assert_int_equal(page[0x1e8], 3);
	assert_int_equal(bb_get_le(page + 0x2d0, 8), 0);
	assert_int_equal(bb_get_le(page + 0x2d0 + 8, 8), 0x9fc00);
	assert_int_equal(bb_get_le(page + 0x2d0 + 16, 4), BB_E820_RAM);
	assert_int_equal(bb_get_le(page + 0x2d0 + 20 + 16, 4), BB_E820_RESERVED);
	assert_int_equal(bb_get_le(page + 0x2d0 + 40, 8), 0x100000);
	assert_int_equal(bb_get_le(page + 0x2d0 + 48, 8), (256ull << 20) - 0x100000);
	/* beyond the header, nothing of the file */
	assert_int_equal(page[0x26c], 0);
	/* a command line over the kernel's limit */
	s.cmdline_len = 2048;
	assert_int_equal(bb_boot_params_build(page, file, &k, &s, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "2048 bytes, over this kernel's limit of 2047"));
	free(file);
}

/* One entry of a newc archive at *at: its name, mode and data; the next. */
static size_t read_entry(const uint8_t *a, size_t at, char *name, uint32_t *mode, const uint8_t **data, uint32_t *size)
{
	char field[9] = { 0 };
	assert_memory_equal(a + at, "070701", 6);
	memcpy(field, a + at + 6 + 8, 8);
	*mode = (uint32_t)strtoul(field, NULL, 16);
	memcpy(field, a + at + 6 + (size_t)6 * 8, 8);
	*size = (uint32_t)strtoul(field, NULL, 16);
	memcpy(field, a + at + 6 + (size_t)11 * 8, 8);
	uint32_t namesize = (uint32_t)strtoul(field, NULL, 16);
	memcpy(name, a + at + 110, namesize);
	size_t next = (at + 110 + namesize + 3) & ~(size_t)3;
	*data = a + next;
	return (next + *size + 3) & ~(size_t)3;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* What Linux's mpparse checks: the floating pointer and the table, their
 * checksums, and one processor per vCPU with the boot CPU first. */
static void the_mp_table_describes_the_cpus_and_the_ioapic(void **state)
{
	(void)state;
	static uint8_t t[BB_MPTABLE_MAX_BYTES];
	size_t n = bb_mptable_write(t, sizeof(t), 4);
	assert_true(n > 16);
	assert_memory_equal(t, "_MP_", 4);
	assert_int_equal(bb_get_le(t + 4, 4), BB_MPTABLE_GPA + 16);
	assert_int_equal(t[8], 1);
	assert_int_equal(sum(t, 16), 0);
	const uint8_t *h = t + 16;
	assert_memory_equal(h, "PCMP", 4);
	size_t len = bb_get_le(h + 4, 2);
	assert_int_equal(16 + len, n);
	assert_int_equal(sum(h, len), 0);
	assert_int_equal(bb_get_le(h + 36, 4), BB_LAPIC_GPA);
	uint32_t entries = (uint32_t)bb_get_le(h + 34, 2), cpus = 0, pins = 0, ioapics = 0;
	const uint8_t *e = h + 44;
	for (uint32_t i = 0; i < entries; i++) {
		switch (e[0]) {
		case 0: /* processor: enabled, the first one the boot CPU */
			assert_int_equal(e[1], cpus);
			assert_int_equal(e[3], cpus == 0 ? 3 : 1);
			cpus++;
			e += 20;
			continue;
		case 2:
			assert_int_equal(e[1], 4); /* the next ID after the CPUs' */
			assert_int_equal(bb_get_le(e + 4, 4), BB_IOAPIC_GPA);
			ioapics++;
			break;
		case 3:
			assert_int_equal(e[5], e[7]); /* ISA IRQ n on pin n */
			pins++;
			break;
		}
		e += 8;
	}
	assert_int_equal(cpus, 4);
	assert_int_equal(ioapics, 1);
	assert_int_equal(pins, BB_IOAPIC_PINS);
	assert_int_equal((size_t)(e - t), n);
	/* too many CPUs for 8-bit APIC IDs, none, or too little room */
	assert_int_equal(bb_mptable_write(t, sizeof(t), BB_MPTABLE_MAX_CPUS + 1), 0);
	assert_int_equal(bb_mptable_write(t, sizeof(t), 0), 0);
	assert_int_equal(bb_mptable_write(t, 64, 4), 0);
}

static const struct bb_machine_device placed[] = {
	{ .type = "boot-timer", .gpa = 0xc0000000, .len = 0x1000 },
	{ .type = "uart-8250", .pio = 0x3f8, .pio_len = 8, .irq = 4 },
	{ .type = "virtio-blk", .gpa = 0xd0000000, .len = 0x1000, .irq = 5 },
	{ .type = "virtio-blk", .gpa = 0xd0001000, .len = 0x1000, .irq = 6 },
};

static void the_command_line_declares_each_disk(void **state)
{
	(void)state;
	struct bb_profile p;
	bb_profile_defaults(&p);
	p.devices = 2;
	snprintf(p.cmdline, sizeof(p.cmdline), "loglevel=7");
	struct bb_machine m = { .arch = "x86_64", .devices = placed, .nr_devices = 4, .seed = 77 };
	char line[1024];
	size_t n = bb_linux_cmdline(&p, &m, line, sizeof(line));
	assert_int_equal(n, strlen(line));
	assert_non_null(strstr(line, "console=ttyS0 "));
	assert_non_null(strstr(line, " virtio_mmio.device=0x1000@0xd0000000:5 virtio_mmio.device=0x1000@0xd0001000:6 "));
	assert_non_null(strstr(line, " bootbench.timer=0xc0000000 bootbench.disks=2 bootbench.seed=77"));
	/* the user's words last, so that they win over the VMM's */
	assert_string_equal(line + n - strlen(" loglevel=7"), " loglevel=7");
	/* too small a buffer: cut, but the whole length is told */
	char small[16];
	assert_int_equal(bb_linux_cmdline(&p, &m, small, sizeof(small)), n);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

/* Guest memory as the x86 loader leaves it: the protected-mode kernel at
 * 1 MiB, the zero page pointing at the command line and at the initrd at
 * the top of RAM, the MP table in the BIOS area. */
static void the_x86_loader_lays_out_guest_memory(void **state)
{
	(void)state;
	size_t klen;
	uint8_t *k = fake_bzimage(&klen, 0x020f, 0x1000);
	const size_t setup = (size_t)5 * 512;
	for (size_t i = setup; i < klen; i++)
		k[i] = (uint8_t)i;
	struct bb_linux_files f = { .kernel = k, .kernel_len = klen, .initrd = (uint8_t *)"cpio-bytes", .initrd_len = 10 };
	assert_int_equal(bb_kernel_image_parse(k, klen, &f.k, why, sizeof(why)), 0);
	struct bb_profile p;
	bb_profile_defaults(&p);
	p.devices = 2;
	uint64_t ram_bytes = 64ull << 20;
	uint8_t *ram = calloc(1, ram_bytes);
	assert_non_null(ram);
	struct bb_machine m = { .arch = "x86_64", .ram = ram, .ram_bytes = ram_bytes, .vcpus = 2, .devices = placed, .nr_devices = 4 };
	if (bb_linux_x86_load(&p, &f, &m, why, sizeof(why)) != 0)
		fail_msg("%s", why);
	assert_memory_equal(ram + BB_LINUX_X86_KERNEL, k + setup, klen - setup);
	const uint8_t *zp = ram + BB_LINUX_X86_ZERO_PAGE;
	assert_int_equal(bb_get_le(zp + BB_BP_CMD_LINE_PTR, 4), BB_LINUX_X86_CMDLINE);
	assert_non_null(strstr((const char *)ram + BB_LINUX_X86_CMDLINE, "virtio_mmio.device=0x1000@0xd0001000:6"));
	uint64_t initrd = bb_get_le(zp + BB_BP_RAMDISK_IMAGE, 4);
	assert_int_equal(bb_get_le(zp + BB_BP_RAMDISK_SIZE, 4), 10);
	assert_int_equal(initrd % 4096, 0);
	assert_true(initrd + 10 <= ram_bytes && initrd + 4096 > ram_bytes - 10);
	assert_memory_equal(ram + initrd, "cpio-bytes", 10);
	assert_memory_equal(ram + BB_MPTABLE_GPA, "_MP_", 4);
	/* firmware both (the default): the ACPI tables too, the zero page naming the RSDP */
	assert_int_equal(p.firmware, BB_FIRMWARE_BOTH);
	assert_memory_equal(ram + BB_ACPI_GPA, "RSD PTR ", 8);
	assert_int_equal(bb_get_le(zp + BB_BP_ACPI_RSDP_ADDR, 8), BB_ACPI_GPA);

	/* acpi alone: no MP table, no disks on the command line */
	memset(ram, 0, ram_bytes);
	p.firmware = BB_FIRMWARE_ACPI;
	if (bb_linux_x86_load(&p, &f, &m, why, sizeof(why)) != 0)
		fail_msg("%s", why);
	assert_memory_equal(ram + BB_ACPI_GPA, "RSD PTR ", 8);
	assert_memory_not_equal(ram + BB_MPTABLE_GPA, "_MP_", 4);
	assert_null(strstr((const char *)ram + BB_LINUX_X86_CMDLINE, "virtio_mmio.device="));
	assert_non_null(strstr((const char *)ram + BB_LINUX_X86_CMDLINE, "bootbench.disks=2"));
	/* mptable alone: as before ACPI, the zero page naming no RSDP */
	memset(ram, 0, ram_bytes);
	p.firmware = BB_FIRMWARE_MPTABLE;
	if (bb_linux_x86_load(&p, &f, &m, why, sizeof(why)) != 0)
		fail_msg("%s", why);
	assert_memory_equal(ram + BB_MPTABLE_GPA, "_MP_", 4);
	assert_memory_not_equal(ram + BB_ACPI_GPA, "RSD PTR ", 8);
	assert_int_equal(bb_get_le(zp + BB_BP_ACPI_RSDP_ADDR, 8), 0);
	assert_non_null(strstr((const char *)ram + BB_LINUX_X86_CMDLINE, "virtio_mmio.device=0x1000@0xd0001000:6"));
	p.firmware = BB_FIRMWARE_BOTH;

	/* a RAM the unpacked kernel does not fit in is refused, and says so */
	m.ram_bytes = 2ull << 20; /* the kernel runs from its 2 MiB alignment up */
	assert_int_equal(bb_linux_x86_load(&p, &f, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "do not fit in 2 MiB of RAM: raise mem_mib"));
	free(ram);
	free(k);
}

static const struct bb_machine_device arm_placed[] = {
	{ .type = "boot-timer", .gpa = 0x40000000, .len = 0x1000 },
	{ .type = "uart-8250", .gpa = 0x09000000, .len = 0x1000, .irq = 5 },
	{ .type = "virtio-blk", .gpa = 0xd0000000, .len = 0x1000, .irq = 6 },
	{ .type = "virtio-blk", .gpa = 0xd0001000, .len = 0x1000, .irq = 7 },
};

static uint64_t be_cells(const fdt32_t *c, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(c[i]);
	return v;
}

/* The arm64 device tree, read back with libfdt as the kernel reads it. */
static void the_device_tree_reads_back(void **state)
{
	(void)state;
	static uint8_t fdt[BB_FDT_MAX_BYTES];
	struct bb_machine m = { .arch = "arm64", .ram_gpa = 0x80000000, .ram_bytes = 256ull << 20, .vcpus = 18,
				.devices = arm_placed, .nr_devices = 4, .gic_dist = 0x08000000, .gic_dist_len = 0x10000,
				.gic_redist = 0x080a0000, .gic_redist_len = 18ull * 0x20000 };
	struct bb_fdt_setup s = { .cmdline = "console=ttyS0 rdinit=/init", .initrd_start = 0x8f000000, .initrd_end = 0x8f0b0000 };
	size_t n = bb_linux_fdt_build(fdt, sizeof(fdt), &m, &s, why, sizeof(why));
	if (n == 0)
		fail_msg("%s", why);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_int_equal(fdt_totalsize(fdt), n);
	int len, chosen = fdt_path_offset(fdt, "/chosen");
	assert_true(chosen >= 0);
	assert_string_equal(fdt_getprop(fdt, chosen, "bootargs", &len), "console=ttyS0 rdinit=/init");
	assert_string_equal(fdt_getprop(fdt, chosen, "stdout-path", &len), "/uart@9000000");
	assert_true(be_cells(fdt_getprop(fdt, chosen, "linux,initrd-start", &len), 2) == 0x8f000000);
	assert_true(be_cells(fdt_getprop(fdt, chosen, "linux,initrd-end", &len), 2) == 0x8f0b0000);
	int mem = fdt_path_offset(fdt, "/memory@80000000");
	const fdt32_t *reg = fdt_getprop(fdt, mem, "reg", &len);
	assert_int_equal(len, 16);
	assert_true(be_cells(reg, 2) == 0x80000000 && be_cells(reg + 2, 2) == 256ull << 20);
	/* one CPU per vCPU, named by KVM's MPIDR: vCPU 17 is Aff1 1, Aff0 1 */
	int cpus = fdt_path_offset(fdt, "/cpus"), count = 0, cpu;
	fdt_for_each_subnode(cpu, fdt, cpus) {
		assert_string_equal(fdt_getprop(fdt, cpu, "enable-method", &len), "psci");
		count++;
	}
	assert_int_equal(count, 18);
	int last = fdt_path_offset(fdt, "/cpus/cpu@101");
	assert_true(last >= 0);
	assert_int_equal(be_cells(fdt_getprop(fdt, last, "reg", &len), 1), 0x101);
	assert_string_equal(fdt_getprop(fdt, fdt_path_offset(fdt, "/psci"), "method", &len), "hvc");
	int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	assert_true(gic >= 0);
	reg = fdt_getprop(fdt, gic, "reg", &len);
	assert_int_equal(len, 32);
	assert_true(be_cells(reg, 2) == 0x08000000 && be_cells(reg + 4, 2) == 0x080a0000 && be_cells(reg + 6, 2) == 18ull * 0x20000);
	assert_int_equal(fdt_get_phandle(fdt, gic), be_cells(fdt_getprop(fdt, 0, "interrupt-parent", &len), 1));
	assert_true(fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer") >= 0);
	/* each disk a virtio-mmio node with its window and its SPI, edge */
	int disks = 0;
	for (int d = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); d >= 0;
	     d = fdt_node_offset_by_compatible(fdt, d, "virtio,mmio")) {
		reg = fdt_getprop(fdt, d, "reg", &len);
		assert_true(be_cells(reg, 2) == 0xd0000000 + 0x1000ull * disks);
		const fdt32_t *irq = fdt_getprop(fdt, d, "interrupts", &len);
		assert_int_equal(len, 12);
		assert_int_equal(fdt32_to_cpu(irq[0]), 0); /* SPI */
		assert_int_equal(fdt32_to_cpu(irq[1]), 6 + disks);
		assert_int_equal(fdt32_to_cpu(irq[2]), 1);
		disks++;
	}
	assert_int_equal(disks, 2);
	/* no GIC described, or no room: refused with why */
	m.gic_dist = 0;
	assert_int_equal(bb_linux_fdt_build(fdt, sizeof(fdt), &m, &s, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "no GICv3"));
	m.gic_dist = 0x08000000;
	assert_int_equal(bb_linux_fdt_build(fdt, 256, &m, &s, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "the device tree cannot be written"));
}

/* With PCI (arm64): the ITS under the GIC, and the generic ECAM host
 * bridge sending every requester's MSIs to it. */
static void the_device_tree_describes_pci(void **state)
{
	(void)state;
	static uint8_t fdt[BB_FDT_MAX_BYTES];
	struct bb_machine m = { .arch = "arm64", .ram_gpa = 0x80000000, .ram_bytes = 256ull << 20, .vcpus = 2,
				.devices = arm_placed, .nr_devices = 2, .gic_dist = 0x08000000, .gic_dist_len = 0x10000,
				.gic_redist = 0x080a0000, .gic_redist_len = 0x40000, .pci_ecam = 0xd0000000,
				.pci_ecam_len = 1 << 20, .pci_mmio32 = 0xd0100000, .pci_mmio32_len = 1 << 20 };
	struct bb_fdt_setup s = { .cmdline = "console=ttyS0" };
	/* a host bridge without an ITS would leave its MSIs nowhere */
	assert_int_equal(bb_linux_fdt_build(fdt, sizeof(fdt), &m, &s, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "no ITS"));
	m.gic_its = 0x08080000;
	m.gic_its_len = 0x20000;
	if (bb_linux_fdt_build(fdt, sizeof(fdt), &m, &s, why, sizeof(why)) == 0)
		fail_msg("%s", why);
	int len;
	int its = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3-its");
	assert_true(its >= 0);
	assert_int_equal(fdt_parent_offset(fdt, its), fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3"));
	assert_non_null(fdt_getprop(fdt, its, "msi-controller", &len));
	const fdt32_t *reg = fdt_getprop(fdt, its, "reg", &len);
	assert_int_equal(len, 16);
	assert_true(be_cells(reg, 2) == 0x08080000 && be_cells(reg + 2, 2) == 0x20000);
	int pci = fdt_node_offset_by_compatible(fdt, -1, "pci-host-ecam-generic");
	assert_true(pci >= 0);
	assert_string_equal(fdt_getprop(fdt, pci, "device_type", &len), "pci");
	reg = fdt_getprop(fdt, pci, "reg", &len);
	assert_true(be_cells(reg, 2) == 0xd0000000 && be_cells(reg + 2, 2) == 1 << 20);
	const fdt32_t *buses = fdt_getprop(fdt, pci, "bus-range", &len);
	assert_int_equal(len, 8);
	assert_int_equal(be_cells(buses + 1, 1), 0);
	/* 32-bit memory, PCI address = CPU address, 1 MiB */
	const fdt32_t *ranges = fdt_getprop(fdt, pci, "ranges", &len);
	assert_int_equal(len, 28);
	assert_int_equal(be_cells(ranges, 1), 0x02000000);
	assert_true(be_cells(ranges + 1, 2) == 0xd0100000 && be_cells(ranges + 3, 2) == 0xd0100000);
	assert_true(be_cells(ranges + 5, 2) == 1 << 20);
	const fdt32_t *map = fdt_getprop(fdt, pci, "msi-map", &len);
	assert_int_equal(len, 16);
	assert_int_equal(be_cells(map + 1, 1), fdt_get_phandle(fdt, its));
	assert_int_equal(be_cells(map + 3, 1), 0x10000);
}

static void the_initramfs_holds_what_was_put_in(void **state)
{
	(void)state;
	struct bb_cpio c;
	bb_cpio_init(&c);
	static const char init[] = "#!/bin/sh\necho 123\n";
	assert_int_equal(bb_cpio_dir(&c, "dev", 0755, why, sizeof(why)), 0);
	assert_int_equal(bb_cpio_char_device(&c, "dev/console", 0600, 5, 1, why, sizeof(why)), 0);
	assert_int_equal(bb_cpio_file(&c, "init", 0755, init, sizeof(init) - 1, why, sizeof(why)), 0);
	assert_int_equal(bb_cpio_finish(&c, why, sizeof(why)), 0);
	assert_int_equal(c.len % 4, 0);
	char name[300];
	uint32_t mode, size;
	const uint8_t *data;
	size_t at = read_entry(c.data, 0, name, &mode, &data, &size);
	assert_string_equal(name, "dev");
	assert_true(S_ISDIR(mode));
	at = read_entry(c.data, at, name, &mode, &data, &size);
	assert_string_equal(name, "dev/console");
	assert_true(S_ISCHR(mode));
	at = read_entry(c.data, at, name, &mode, &data, &size);
	assert_string_equal(name, "init");
	assert_int_equal(mode, S_IFREG | 0755);
	assert_int_equal(size, sizeof(init) - 1);
	assert_memory_equal(data, init, size);
	at = read_entry(c.data, at, name, &mode, &data, &size);
	assert_string_equal(name, "TRAILER!!!");
	assert_int_equal(at, c.len);
	/* names that would escape the archive's root */
	assert_int_equal(bb_cpio_file(&c, "../etc/passwd", 0644, "x", 1, why, sizeof(why)), -1);
	assert_int_equal(bb_cpio_file(&c, "/init", 0644, "x", 1, why, sizeof(why)), -1);
	assert_int_equal(bb_cpio_file(&c, "a//b", 0644, "x", 1, why, sizeof(why)), -1);

	/* and the system's cpio reads it the same */
	if (access("/usr/bin/cpio", X_OK) == 0) {
		char path[] = "/tmp/bb-cpio-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, c.data, c.len), (ssize_t)c.len);
		close(fd);
		char cmd[128], out[256] = "";
		snprintf(cmd, sizeof(cmd), "cpio -it --quiet < %s", path);
		FILE *p = popen(cmd, "r");
		assert_non_null(p);
		size_t n = fread(out, 1, sizeof(out) - 1, p);
		out[n] = '\0';
		assert_int_equal(pclose(p), 0);
		unlink(path);
		assert_string_equal(out, "dev\ndev/console\ninit\n");
	} else {
		print_message("cpio is not installed: the archive is checked by the reader above only\n");
	}
	bb_cpio_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_bzimage_header_is_read),
		cmocka_unit_test(bad_kernels_are_refused_with_what_is_wrong),
		cmocka_unit_test(an_arm64_image_header_is_read),
		cmocka_unit_test(boot_params_carry_the_header_the_map_and_the_command_line),
		cmocka_unit_test(the_mp_table_describes_the_cpus_and_the_ioapic),
		cmocka_unit_test(the_command_line_declares_each_disk),
		cmocka_unit_test(the_x86_loader_lays_out_guest_memory),
		cmocka_unit_test(the_device_tree_reads_back),
		cmocka_unit_test(the_device_tree_describes_pci),
		cmocka_unit_test(the_initramfs_holds_what_was_put_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
