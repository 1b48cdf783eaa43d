/* The x86 "zero page" (struct boot_params) a VMM hands a bzImage at its
 * 64-bit entry (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol"),
 * and the e820 memory map in it. Offsets are the kernel's
 * (arch/x86/include/uapi/asm/bootparam.h). */
#ifndef BOOTBENCH_BOOT_PARAMS_H
#define BOOTBENCH_BOOT_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "kernel_image.h"

#define BB_BOOT_PARAMS_SIZE 4096u
#define BB_E820_MAX 128u
#define BB_E820_RAM 1u
#define BB_E820_RESERVED 2u
/* Below 1 MiB: RAM up to the EBDA, then the BIOS area, as PCs have it. */
#define BB_EBDA_START 0x9fc00ull
#define BB_HIGH_MEMORY 0x100000ull

#define BB_BP_E820_ENTRIES 0x1e8u
#define BB_BP_E820_TABLE 0x2d0u
#define BB_BP_TYPE_OF_LOADER 0x210u
#define BB_BP_LOADFLAGS 0x211u
#define BB_BP_RAMDISK_IMAGE 0x218u
#define BB_BP_RAMDISK_SIZE 0x21cu
#define BB_BP_CMD_LINE_PTR 0x228u
#define BB_BP_EXT_RAMDISK_IMAGE 0x0c0u
#define BB_BP_EXT_RAMDISK_SIZE 0x0c4u
#define BB_BP_EXT_CMD_LINE_PTR 0x0c8u
#define BB_BP_VID_MODE 0x1fau
#define BB_BP_ACPI_RSDP_ADDR 0x070u /* boot protocol 2.14 (Linux 5.0): older kernels scan for it */

struct bb_e820_entry {
	uint64_t addr, size;
	uint32_t type;
};

/* The map of RAM [0, ram_bytes) with the legacy hole below 1 MiB; n. */
uint32_t bb_e820_for_ram(uint64_t ram_bytes, struct bb_e820_entry *out, uint32_t max);

struct bb_boot_setup {
	uint64_t cmdline_gpa;
	size_t cmdline_len; /* without its NUL */
	uint64_t initrd_gpa, initrd_size; /* 0, 0: none */
	const struct bb_e820_entry *e820;
	uint32_t nr_e820;
	uint64_t acpi_rsdp_gpa; /* 0: none */
};

/* Fills page from the kernel file's own setup header and s. -1 with why
 * filled when the kernel cannot take s (a command line over its limit,
 * an initrd above its initrd_addr_max, too many e820 entries). */
int bb_boot_params_build(uint8_t page[BB_BOOT_PARAMS_SIZE], const uint8_t *kernel, const struct bb_kernel_image *k,
			 const struct bb_boot_setup *s, char *why, size_t len);

#endif
