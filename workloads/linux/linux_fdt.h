/* The device tree an arm64 Linux guest boots with (Documentation/arch/
 * arm64/booting.rst), written with libfdt: memory, one CPU per vCPU with
 * PSCI 0.2 (started by hvc), the GICv3, the architected timer, the 8250
 * console, one virtio-mmio node per disk, and /chosen with the command
 * line and the initrd. */
#ifndef BOOTBENCH_LINUX_FDT_H
#define BOOTBENCH_LINUX_FDT_H

#include <stddef.h>
#include <stdint.h>

#include "workload.h"

#define BB_FDT_MAX_BYTES (2u << 20) /* the most the boot protocol allows */

struct bb_fdt_setup {
	const char *cmdline;
	uint64_t initrd_start, initrd_end; /* 0, 0: none */
};

/* The tree for machine m into buf (len bytes). Returns its size, or 0
 * with why filled (it does not fit, no GIC was described). */
size_t bb_linux_fdt_build(void *buf, size_t len, const struct bb_machine *m, const struct bb_fdt_setup *s, char *why,
			  size_t whylen);

#endif
