/* The kernel command line of the Linux workload, which both arches'
 * loaders write into the guest: apart from the workload (linux.c) so that
 * the loaders it calls do not call back into it. */
#include "linux_cmdline.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void append(char *buf, size_t len, size_t *n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(*n < len ? buf + *n : NULL, *n < len ? len - *n : 0, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n += (size_t)w;
}

size_t bb_linux_cmdline(const struct bb_profile *p, const struct bb_machine *m, char *buf, size_t len)
{
	size_t n = 0;
	uint64_t timer = 0;
	if (len)
		buf[0] = '\0';
	/* panic=-1 and reboot=t turn a panic into a triple fault, which ends
	 * the iteration at once with the console's tail; quiet keeps the
	 * console (an exit per byte) out of the boot's time */
	append(buf, len, &n, "console=ttyS0 8250.nr_uarts=1 panic=-1 reboot=t rdinit=/init quiet");
	/* x86 has no device tree: without ACPI its disks are declared here
	 * (CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES); with ACPI, the DSDT has them */
	bool declare = !strcmp(m->arch, "x86_64") && (p->firmware & BB_FIRMWARE_MPTABLE);
	for (uint32_t i = 0; i < m->nr_devices; i++) {
		const struct bb_machine_device *d = &m->devices[i];
		if (!strcmp(d->type, "boot-timer"))
			timer = d->gpa;
		else if (declare && !strcmp(d->type, "virtio-blk"))
			append(buf, len, &n, " virtio_mmio.device=0x%" PRIx64 "@0x%" PRIx64 ":%u", d->len, d->gpa, d->irq);
	}
	append(buf, len, &n, " bootbench.timer=0x%" PRIx64 " bootbench.disks=%u bootbench.seed=%u bootbench.cpus=%u", timer,
	       p->devices, m->seed, m->vcpus);
	if (p->cmdline[0])
		append(buf, len, &n, " %s", p->cmdline);
	return n;
}
