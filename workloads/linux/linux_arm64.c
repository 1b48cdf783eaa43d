/* The arm64 Linux boot protocol (Documentation/arch/arm64/booting.rst):
 * the Image at text_offset from a 2 MiB-aligned base at the start of RAM,
 * the device tree in the last 2 MiB of RAM, the initrd below it, and the
 * boot CPU entered at the Image's first byte with x0 the tree's address
 * (the MMU off, at EL1: what KVM_ARM_VCPU_INIT leaves). */
#include <inttypes.h>
#include <string.h>

#include "errorf.h"
#include "linux_fdt.h"
#include "linux_cmdline.h"
#include "linux_load.h"

uint64_t bb_linux_arm64_kernel_end(const struct bb_kernel_image *k)
{
	return k->text_offset + k->image_size; /* from the start of RAM */
}

uint64_t bb_linux_arm64_fdt_gpa(const struct bb_machine *m)
{
	return m->ram_gpa + m->ram_bytes - BB_FDT_MAX_BYTES;
}

int bb_linux_arm64_load(const struct bb_profile *p, const struct bb_linux_files *f, const struct bb_machine *m,
			char *err, size_t errlen)
{
	char cmdline[BB_PROFILE_CMDLINE_MAX * 4], why[256];
	uint64_t kernel_end = m->ram_gpa + bb_linux_arm64_kernel_end(&f->k);
	uint64_t fdt = bb_linux_arm64_fdt_gpa(m);
	uint64_t initrd = (fdt - f->initrd_len) & ~0xfffull;

	if (m->ram_bytes < BB_FDT_MAX_BYTES || f->initrd_len > fdt - m->ram_gpa || initrd < kernel_end) {
		bb_errorf(err, errlen, "the kernel (%" PRIu64 " MiB), the initrd (%zu KiB) and the device tree do not fit in %" PRIu64 " MiB of RAM: raise mem_mib",
			  (kernel_end - m->ram_gpa) >> 20, f->initrd_len >> 10, m->ram_bytes >> 20);
		return -1;
	}
	if (bb_linux_cmdline(p, m, cmdline, sizeof(cmdline)) >= sizeof(cmdline)) {
		bb_errorf(err, errlen, "the kernel command line is over %zu bytes: shorten --cmdline", sizeof(cmdline) - 1);
		return -1;
	}
	struct bb_fdt_setup s = { .cmdline = cmdline, .initrd_start = initrd, .initrd_end = initrd + f->initrd_len };
	if (bb_linux_fdt_build(m->ram + (fdt - m->ram_gpa), BB_FDT_MAX_BYTES, m, &s, why, sizeof(why)) == 0) {
		bb_errorf(err, errlen, "%s", why);
		return -1;
	}
	memcpy(m->ram + f->k.text_offset, f->kernel, f->kernel_len);
	memcpy(m->ram + (initrd - m->ram_gpa), f->initrd, f->initrd_len);
	return 0;
}
