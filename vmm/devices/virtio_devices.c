/* What the VMM's virtio devices share: where they are placed (the
 * profile's mmio_base and mmio_stride, one IRQ each) and their state. */
#include <stdio.h>
#include <string.h>

#include "devices.h"
#include "vm_internal.h"

struct bb_placement bb_virtio_placement(const char *type, const char *what, char *name, size_t len,
				       const struct bb_profile *p, struct bb_vm *vm, uint32_t count, bb_io_handler handler)
{
	snprintf(name, len, "%u %s", count, what);
	return (struct bb_placement){
		.type = type,
		.name = name,
		.fix = "lower devices or move mmio_base",
		.base = p->mmio_base,
		.stride = p->mmio_stride,
		.count = count,
		.handler = handler,
		.devs = vm ? vm->devices : NULL,
		.dev_size = sizeof(struct bb_device),
		.irqs = 1,
	};
}

void bb_virtio_take_irqs(struct bb_device_manager *dm, struct bb_vm *vm, uint32_t count)
{
	for (uint32_t i = 0; vm && i < count; i++)
		vm->devices[i].irq = dm->placed[dm->nr_placed - count + i].irq;
}

void bb_virtio_mark_probe(struct bb_vm *vm)
{
	int64_t unset = 0;
	if (atomic_load_explicit(&vm->t_first_probe, memory_order_relaxed) == 0)
		atomic_compare_exchange_strong(&vm->t_first_probe, &unset, bb_now_ns() - vm->log.t0);
}

void bb_virtio_fresh_rings(struct bb_device *dev, enum bb_virtio_action action)
{
	if (action == BB_VIRTIO_RESET || action == BB_VIRTIO_DRIVER_OK)
		memset(dev->vrings, 0, dev->virtio.nr_queues * sizeof(dev->vrings[0]));
}

int bb_virtio_register(struct bb_device *dev, const struct bb_io_access *a, const char *what, uint32_t offset,
		       enum bb_virtio_action *action, uint32_t *arg)
{
	uint32_t value = 0;
	if (a->len != 4) {
		bb_vm_fail(dev->vm, "the guest made a %u-byte access to %s %u register 0x%x: virtio-mmio registers are 32-bit",
			   a->len, what, dev->index, offset);
		return -1;
	}
	if (a->is_write) {
		memcpy(&value, a->data, 4);
		*action = bb_virtio_mmio_write(&dev->virtio, offset, value, arg);
	} else {
		*action = bb_virtio_mmio_read(&dev->virtio, offset, &value);
		memcpy(a->data, &value, 4);
	}
	return 0;
}

int bb_virtio_bad_access(struct bb_device *dev, const char *what, uint32_t offset, bool is_write)
{
	bb_vm_fail(dev->vm, "the guest %s %s %u register 0x%x, which virtio-mmio does not have", is_write ? "wrote" : "read",
		   what, dev->index, offset);
	return -1;
}
