#include "boot_params.h"

#include <stdio.h>
#include <string.h>

#include "little_endian.h"

uint32_t bb_e820_for_ram(uint64_t ram_bytes, struct bb_e820_entry *out, uint32_t max)
{
	uint32_t n = 0;
	if (max < 3 || ram_bytes <= BB_HIGH_MEMORY)
		return 0;
	out[n++] = (struct bb_e820_entry){ 0, BB_EBDA_START, BB_E820_RAM };
	out[n++] = (struct bb_e820_entry){ BB_EBDA_START, BB_HIGH_MEMORY - BB_EBDA_START, BB_E820_RESERVED };
	out[n++] = (struct bb_e820_entry){ BB_HIGH_MEMORY, ram_bytes - BB_HIGH_MEMORY, BB_E820_RAM };
	return n;
}

int bb_boot_params_build(uint8_t page[BB_BOOT_PARAMS_SIZE], const uint8_t *kernel, const struct bb_kernel_image *k,
			 const struct bb_boot_setup *s, char *why, size_t len)
{
	if (k->kind != BB_KERNEL_BZIMAGE) {
		snprintf(why, len, "boot_params are for an x86 bzImage");
		return -1;
	}
	if (s->cmdline_len > k->cmdline_size) {
		snprintf(why, len, "the command line is %zu bytes, over this kernel's limit of %u (cmdline_size): shorten it",
			 s->cmdline_len, k->cmdline_size);
		return -1;
	}
	if (s->initrd_size && (s->initrd_gpa + s->initrd_size - 1 > k->initrd_addr_max)) {
		snprintf(why, len, "the initrd would end at 0x%llx, above this kernel's initrd_addr_max 0x%x",
			 (unsigned long long)(s->initrd_gpa + s->initrd_size - 1), k->initrd_addr_max);
		return -1;
	}
	if (s->nr_e820 > BB_E820_MAX) {
		snprintf(why, len, "%u e820 entries, more than boot_params holds (%u)", s->nr_e820, BB_E820_MAX);
		return -1;
	}
	memset(page, 0, BB_BOOT_PARAMS_SIZE);
	/* the kernel's own setup header, as the protocol asks, then ours on it */
	memcpy(page + BB_SETUP_HEADER_OFFSET, kernel + BB_SETUP_HEADER_OFFSET, k->setup_header_end - BB_SETUP_HEADER_OFFSET);
	page[BB_BP_TYPE_OF_LOADER] = 0xff; /* an undefined loader */
	bb_put_le(page + BB_BP_VID_MODE, 0xffff, 2);
	bb_put_le(page + BB_BP_CMD_LINE_PTR, (uint32_t)s->cmdline_gpa, 4);
	bb_put_le(page + BB_BP_EXT_CMD_LINE_PTR, (uint32_t)(s->cmdline_gpa >> 32), 4);
	bb_put_le(page + BB_BP_RAMDISK_IMAGE, (uint32_t)s->initrd_gpa, 4);
	bb_put_le(page + BB_BP_RAMDISK_SIZE, (uint32_t)s->initrd_size, 4);
	bb_put_le(page + BB_BP_EXT_RAMDISK_IMAGE, (uint32_t)(s->initrd_gpa >> 32), 4);
	bb_put_le(page + BB_BP_EXT_RAMDISK_SIZE, (uint32_t)(s->initrd_size >> 32), 4);
	bb_put_le(page + BB_BP_ACPI_RSDP_ADDR, s->acpi_rsdp_gpa, 8);
	page[BB_BP_E820_ENTRIES] = (uint8_t)s->nr_e820;
	for (uint32_t i = 0; i < s->nr_e820; i++) {
		uint8_t *e = page + BB_BP_E820_TABLE + (size_t)20 * i;
		bb_put_le(e, s->e820[i].addr, 8);
		bb_put_le(e + 8, s->e820[i].size, 8);
		bb_put_le(e + 16, s->e820[i].type, 4);
	}
	return 0;
}
