/* A Linux kernel file as a VMM loads it: an x86 bzImage, by the x86 boot
 * protocol (Documentation/arch/x86/boot.rst), or an arm64 Image, by its
 * 64-byte header (Documentation/arch/arm64/booting.rst). The parser only
 * reads and checks: a file that is neither, that is cut short, or whose
 * protocol bootbench cannot use is refused with what is wrong. */
#ifndef BOOTBENCH_KERNEL_IMAGE_H
#define BOOTBENCH_KERNEL_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bb_kernel_kind { BB_KERNEL_BZIMAGE, BB_KERNEL_ARM64_IMAGE };

/* The x86 setup header, where it starts in the file and in boot_params */
#define BB_SETUP_HEADER_OFFSET 0x1f1u
#define BB_BOOT_PROTOCOL_MIN 0x020cu /* 2.12: xloadflags, the 64-bit entry */

struct bb_kernel_image {
	enum bb_kernel_kind kind;
	/* bzImage */
	uint16_t protocol;
	uint32_t setup_bytes;    /* the real-mode part, (setup_sects + 1) * 512 */
	size_t payload_offset;   /* the protected-mode kernel in the file */
	size_t payload_size;
	uint32_t init_size;      /* memory it needs from its load address */
	uint32_t kernel_alignment;
	bool relocatable;
	uint64_t pref_address;
	uint32_t cmdline_size;   /* longest command line, without the NUL */
	uint32_t initrd_addr_max;
	size_t setup_header_end; /* the header's last byte + 1, in the file */
	/* arm64 Image */
	uint64_t text_offset;    /* load offset from a 2 MiB aligned base */
	uint64_t image_size;     /* memory it needs, bss included */
	uint32_t page_size_kib;  /* 4, 16, 64, or 0: unspecified */
};

int bb_kernel_image_parse(const uint8_t *data, size_t len, struct bb_kernel_image *k, char *why, size_t whylen);

#endif
