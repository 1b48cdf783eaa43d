/* The synthetic guest's virtio-mmio devices: the transport's registers
 * (virtio_mmio.c's state machine), a per-queue notify area in the upper
 * half of the window for the mmio-any style, and on x86 a legacy
 * virtio-pci I/O window for the pio style. Queue kicks never reach here
 * while an ioeventfd takes them: one that does fails the iteration. The
 * notifiers are registered when the profile says, as real VMMs do: at
 * creation (static), or at the guest's DRIVER_OK, from the vCPU thread
 * handling it (dynamic, reset), and removed at a reset. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "devices.h"
#include "guest_abi.h"
#include "vm_internal.h"

/* What the VMM does on a device's status changes: the dynamic and reset
 * registration styles, and memslots after the last registration. */
static int on_action(struct bb_vcpu *vcpu, struct bb_device *dev, enum bb_virtio_action action, uint32_t arg,
		     uint32_t offset, bool is_write)
{
	struct bb_vm *vm = dev->vm;
	int thread = (int)vcpu->index;

	switch (action) {
	case BB_VIRTIO_NONE:
		return 0;
	case BB_VIRTIO_DRIVER_OK:
		dev->init_count++;
		return bb_notify_driver_ok(vm, dev->index, thread);
	case BB_VIRTIO_RESET:
		return bb_notify_device_reset(vm, dev->index, thread);
	case BB_VIRTIO_NOTIFY:
		vm->it->kicks_by_exit++;
		bb_vm_fail(vm, "device %u queue %u: the kick reached the VMM as an MMIO exit; no ioeventfd matched it",
			   dev->index, arg);
		return -1;
	case BB_VIRTIO_BAD_ACCESS:
	default:
		return bb_virtio_bad_access(dev, "device", offset, is_write);
	}
}

static int access_mmio(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	struct bb_device *dev = a->dev;
	struct bb_vm *vm = dev->vm;
	uint32_t offset = (uint32_t)(a->addr - a->base);
	uint32_t notify_area = (uint32_t)BB_NOTIFY_AREA(vm->p->mmio_stride);
	uint32_t arg = 0;
	enum bb_virtio_action action;

	if (offset >= notify_area) {
		vm->it->kicks_by_exit++;
		bb_vm_fail(vm, "device %u queue %u: the kick reached the VMM as an MMIO exit at its notify address; no ioeventfd matched it",
			   dev->index, (offset - notify_area) / BB_NOTIFY_MULTIPLIER);
		return -1;
	}
	if (bb_virtio_register(dev, a, "device", offset, &action, &arg) < 0)
		return -1;
	return on_action(vcpu, dev, action, arg, offset, a->is_write);
}

/* The legacy I/O window: only its QueueNotify port means anything here. */
static int access_pio(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	struct bb_device *dev = a->dev;
	struct bb_vm *vm = dev->vm;

	if (a->is_write && a->addr - a->base == VIRTIO_PCI_LEGACY_QUEUE_NOTIFY) {
		uint16_t queue = 0;
		memcpy(&queue, a->data, a->len < 2 ? a->len : 2);
		vm->it->kicks_by_exit++;
		bb_vm_fail(vm, "device %u queue %u: the kick reached the VMM as a port I/O exit; no ioeventfd matched it",
			   dev->index, queue);
		return -1;
	}
	return bb_vcpu_unhandled_pio(vcpu, a);
}

int bb_virtio_synthetic_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm,
			      uint32_t count, char *err, size_t errlen)
{
	char name[64];
	struct bb_placement pl = bb_virtio_placement("virtio-synthetic", "virtio-mmio devices", name, sizeof(name), p, vm, count,
						     access_mmio);
	if (bb_dm_place_mmio(dm, &pl, err, errlen) < 0)
		return -1;
	bb_virtio_take_irqs(dm, vm, count);
	if (!bb_profile_has_style(p, BB_STYLE_PIO) || !bb_arch_layout()->has_pio)
		return 0;
	pl.name = "the devices' legacy I/O windows";
	pl.fix = "lower devices, pio_base or pio_stride";
	pl.base = p->pio_base;
	pl.stride = p->pio_stride;
	pl.handler = access_pio;
	return bb_dm_place_pio(dm, &pl, err, errlen);
}
