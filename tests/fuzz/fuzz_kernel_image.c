/* The kernel-file header parser, on any bytes a user may pass as
 * --kernel: a file is parsed or refused with one line; a parsed bzImage's
 * payload lies in the file and its boot_params are built from its own
 * header without reading past the file. */
#include "boot_params.h"
#include "fuzz_target.h"
#include "kernel_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-length copy: ASan sees a read past the file */
	uint8_t *file = malloc(size ? size : 1);
	if (!file)
		abort();
	memcpy(file, data, size);
	struct bb_kernel_image k;
	char why[256] = "";
	if (bb_kernel_image_parse(file, size, &k, why, sizeof(why)) < 0) {
		expect_one_line_error(why);
	} else if (k.kind == BB_KERNEL_BZIMAGE) {
		if (k.payload_offset + k.payload_size > size || k.setup_header_end > size || k.setup_header_end < 0x268)
			abort();
		static uint8_t page[BB_BOOT_PARAMS_SIZE];
		struct bb_e820_entry map[BB_E820_MAX];
		uint32_t n = bb_e820_for_ram(128u << 20, map, BB_E820_MAX);
		struct bb_boot_setup s = { .cmdline_gpa = 0x20000, .cmdline_len = size % 4096, .e820 = map, .nr_e820 = n };
		if (bb_boot_params_build(page, file, &k, &s, why, sizeof(why)) < 0)
			expect_one_line_error(why);
		else if (page[0x210] != 0xff || page[0x1e8] != n)
			abort();
	}
	free(file);
	return 0;
}
