/* What the Linux workload keeps for a run (the kernel and initrd files,
 * read once) and the per-arch loaders that lay them out in guest memory. */
#ifndef BOOTBENCH_LINUX_LOAD_H
#define BOOTBENCH_LINUX_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "kernel_image.h"
#include "profile.h"
#include "workload.h"

struct bb_linux_files {
	uint8_t *kernel;
	size_t kernel_len;
	struct bb_kernel_image k;
	uint8_t *initrd;
	size_t initrd_len;
};

/* x86_64: the bzImage's protected-mode part at 1 MiB, the zero page, the
 * command line, the MP table and the initrd at the top of RAM. */
#define BB_LINUX_X86_ZERO_PAGE 0x7000ull
#define BB_LINUX_X86_CMDLINE 0x20000ull
#define BB_LINUX_X86_KERNEL 0x100000ull
/* where the guest's decompressed kernel ends, so nothing is put there */
uint64_t bb_linux_x86_kernel_end(const struct bb_kernel_image *k);
int bb_linux_x86_load(const struct bb_profile *p, const struct bb_linux_files *f, const struct bb_machine *m,
		      char *err, size_t errlen);

/* arm64: the Image at the start of RAM (plus its text_offset), the device
 * tree in RAM's last 2 MiB, the initrd below it. */
uint64_t bb_linux_arm64_kernel_end(const struct bb_kernel_image *k); /* from RAM's start */
uint64_t bb_linux_arm64_fdt_gpa(const struct bb_machine *m);
int bb_linux_arm64_load(const struct bb_profile *p, const struct bb_linux_files *f, const struct bb_machine *m,
			char *err, size_t errlen);

#endif
