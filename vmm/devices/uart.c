/* The guest's console: the 16550A of uart_8250.c at the PC's COM1 (ports
 * 0x3f8-0x3ff, IRQ 4), or on arm64 in an MMIO window with an SPI of its
 * own, its interrupt line driven into the in-kernel irqchip when it
 * changes. What the guest writes is kept for the
 * iteration's result and for the tail shown when a boot fails. */
#include <string.h>

#include "devices.h"
#include "errorf.h"
#include "kvm_requests.h"
#include "vm_internal.h"

#define COM1_PORT 0x3f8u

static int access_uart(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	struct bb_vm *vm = a->dev;
	unsigned offset = (unsigned)(a->addr - a->base);
	int rc = 0;

	if (a->len != 1) {
		bb_vm_fail(vm, "the guest made a %u-byte access to UART register %u: 8250 registers are bytes", a->len, offset);
		return -1;
	}
	pthread_mutex_lock(&vm->uart_lock);
	if (a->is_write)
		bb_uart_write(&vm->uart, offset, a->data[0]);
	else
		a->data[0] = bb_uart_read(&vm->uart, offset);
	bool level = bb_uart_interrupt(&vm->uart);
	if (level != vm->uart_irq_level && vm->p->irqchip) {
		struct kvm_irq_level line = { .irq = bb_arch_irq_line(vm->uart_irq), .level = level };
		rc = (int)bb_vm_ioctl(vm, (int)vcpu->index, vm->vm_fd, bb_req_irq_line(&line));
		vm->uart_irq_level = level;
	}
	pthread_mutex_unlock(&vm->uart_lock);
	return rc < 0 ? -1 : 0;
}

int bb_uart_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm, uint32_t count,
		  char *err, size_t errlen)
{
	const struct bb_arch_layout *l = bb_arch_layout();
	(void)p;
	if (count != 1) {
		bb_errorf(err, errlen, "%u consoles asked for: the VMM has one (bootbench bug)", count);
		return -1;
	}
	struct bb_placement pl = {
		.type = "uart-8250",
		.name = "the 8250 console",
		.count = 1,
		.handler = access_uart,
		.devs = vm,
	};
	/* its IRQ is its own: a level-triggered line shared with the disks'
	 * edge-triggered ones would not map (arm64) or would stick */
	if (vm)
		vm->uart_irq = l->console_irq;
	if (l->console_gpa) {
		/* no ports: an MMIO window, in the device tree */
		pl.fix = "move the devices off it";
		pl.base = l->console_gpa;
		pl.stride = 0x1000;
		uint32_t first = dm->nr_placed;
		if (bb_dm_place_mmio(dm, &pl, err, errlen) < 0)
			return -1;
		if (dm->placed)
			dm->placed[first].irq = l->console_irq;
		return 0;
	}
	pl.name = "the 8250 console at COM1";
	pl.fix = "move the devices' legacy I/O windows (pio_base) off ports 0x3f8-0x3ff";
	pl.base = COM1_PORT;
	pl.stride = BB_UART_REGISTERS;
	return bb_dm_place_port(dm, &pl, l->console_irq, err, errlen);
}
