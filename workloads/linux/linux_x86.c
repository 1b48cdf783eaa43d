/* The x86_64 Linux boot protocol's 64-bit entry (Documentation/arch/x86/
 * boot.rst): the protected-mode kernel loaded at 1 MiB, the zero page
 * built from the kernel's own setup header with the e820 map, the command
 * line and the initrd, and the machine's description as the profile's
 * firmware asks: ACPI tables (RSDP named in the zero page), the MP table
 * for the CPUs and the IOAPIC, or both. */
#include <inttypes.h>
#include <string.h>

#include "acpi_tables.h"
#include "boot_params.h"
#include "errorf.h"
#include "linux_cmdline.h"
#include "linux_load.h"
#include "mptable.h"

uint64_t bb_linux_x86_kernel_end(const struct bb_kernel_image *k)
{
	uint64_t align = k->kernel_alignment ? k->kernel_alignment : 1;
	/* a relocatable kernel runs at its load address rounded up to its
	 * alignment; any other at the address it was linked for */
	uint64_t start = k->relocatable ? (BB_LINUX_X86_KERNEL + align - 1) / align * align : k->pref_address;
	uint64_t unpacked = start + k->init_size;
	uint64_t loaded = BB_LINUX_X86_KERNEL + k->payload_size;
	return unpacked > loaded ? unpacked : loaded;
}

int bb_linux_x86_load(const struct bb_profile *p, const struct bb_linux_files *f, const struct bb_machine *m,
		      char *err, size_t errlen)
{
	struct bb_e820_entry e820[5];
	char why[256];
	uint64_t ram_end = m->ram_gpa + m->ram_bytes;
	uint64_t kernel_end = bb_linux_x86_kernel_end(&f->k);
	/* the initrd as high as the kernel can reach, page-aligned */
	uint64_t top = ram_end < (uint64_t)f->k.initrd_addr_max + 1 ? ram_end : (uint64_t)f->k.initrd_addr_max + 1;
	uint64_t initrd_gpa = (top - f->initrd_len) & ~0xfffull;

	if (m->ram_gpa != 0 || kernel_end > ram_end || f->initrd_len > top || initrd_gpa < kernel_end) {
		bb_errorf(err, errlen, "the kernel (%" PRIu64 " MiB unpacked) and the initrd (%zu KiB) do not fit in %" PRIu64 " MiB of RAM: raise mem_mib",
			  kernel_end >> 20, f->initrd_len >> 10, m->ram_bytes >> 20);
		return -1;
	}
	size_t cmdline_len = bb_linux_cmdline(p, m, (char *)m->ram + BB_LINUX_X86_CMDLINE, f->k.cmdline_size + 1);
	uint32_t nr_e820 = bb_e820_for_ram(m->ram_bytes, e820, 4);
	/* Linux uses the MCFG's ECAM only where the firmware reserved it
	 * ("MMCONFIG ... not reserved in E820" otherwise) */
	if (m->pci_ecam_len)
		e820[nr_e820++] = (struct bb_e820_entry){ m->pci_ecam, m->pci_ecam_len, BB_E820_RESERVED };
	struct bb_boot_setup s = {
		.cmdline_gpa = BB_LINUX_X86_CMDLINE,
		.cmdline_len = cmdline_len,
		.initrd_gpa = initrd_gpa,
		.initrd_size = f->initrd_len,
		.e820 = e820,
		.nr_e820 = nr_e820,
		.acpi_rsdp_gpa = p->firmware & BB_FIRMWARE_ACPI ? BB_ACPI_GPA : 0,
	};
	if (bb_boot_params_build(m->ram + BB_LINUX_X86_ZERO_PAGE, f->kernel, &f->k, &s, why, sizeof(why)) < 0) {
		bb_errorf(err, errlen, "kernel %s: %s", p->kernel, why);
		return -1;
	}
	if ((p->firmware & BB_FIRMWARE_ACPI) &&
	    bb_acpi_write(m->ram + BB_ACPI_GPA, BB_ACPI_MAX_BYTES, BB_ACPI_GPA, m, why, sizeof(why)) == 0) {
		bb_errorf(err, errlen, "firmware %s: %s", bb_firmware_name(p->firmware), why);
		return -1;
	}
	if ((p->firmware & BB_FIRMWARE_MPTABLE) && bb_mptable_write(m->ram + BB_MPTABLE_GPA, BB_MPTABLE_MAX_BYTES, m->vcpus) == 0) {
		bb_errorf(err, errlen, "%u vCPUs do not fit in an MP table: use at most %u", m->vcpus, BB_MPTABLE_MAX_CPUS);
		return -1;
	}
	memcpy(m->ram + BB_LINUX_X86_KERNEL, f->kernel + f->k.payload_offset, f->k.payload_size);
	memcpy(m->ram + initrd_gpa, f->initrd, f->initrd_len);
	return 0;
}
