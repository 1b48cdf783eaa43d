#include "virtio_mmio.h"

#include <string.h>

#include "guest_abi.h"

/* The device offers VIRTIO_F_VERSION_1 and nothing else, so a modern
 * driver's negotiation succeeds and a legacy-only one's fails. */
static uint32_t device_features(uint32_t sel)
{
	return sel == VIRTIO_F_VERSION_1_WORD ? VIRTIO_F_VERSION_1_BIT : 0;
}

void bb_virtio_mmio_init(struct bb_virtio_mmio *dev, uint32_t device_id, uint32_t nr_queues,
			 struct bb_virtio_queue *queues)
{
	dev->device_id = device_id;
	dev->nr_queues = nr_queues;
	dev->queues = queues;
	bb_virtio_mmio_reset(dev);
}

void bb_virtio_mmio_reset(struct bb_virtio_mmio *dev)
{
	dev->status = 0;
	dev->queue_sel = 0;
	dev->device_features_sel = 0;
	dev->driver_features_sel = 0;
	dev->driver_features[0] = dev->driver_features[1] = 0;
	memset(dev->queues, 0, dev->nr_queues * sizeof(dev->queues[0]));
}

static struct bb_virtio_queue *selected_queue(struct bb_virtio_mmio *dev)
{
	return dev->queue_sel < dev->nr_queues ? &dev->queues[dev->queue_sel] : NULL;
}

enum bb_virtio_action bb_virtio_mmio_read(struct bb_virtio_mmio *dev, uint32_t offset,
					  uint32_t *value)
{
	struct bb_virtio_queue *q = selected_queue(dev);

	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE: *value = VIRTIO_MMIO_MAGIC; break;
	case VIRTIO_MMIO_VERSION: *value = VIRTIO_MMIO_VERSION_2; break;
	case VIRTIO_MMIO_DEVICE_ID: *value = dev->device_id; break;
	case VIRTIO_MMIO_VENDOR_ID: *value = BB_VIRTIO_VENDOR_ID; break;
	case VIRTIO_MMIO_DEVICE_FEATURES: *value = device_features(dev->device_features_sel); break;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: *value = q ? BB_VIRTIO_QUEUE_NUM_MAX : 0; break;
	case VIRTIO_MMIO_QUEUE_READY: *value = q ? q->ready : 0; break;
	case VIRTIO_MMIO_INTERRUPT_STATUS: *value = 0; break;
	case VIRTIO_MMIO_STATUS: *value = dev->status; break;
	case VIRTIO_MMIO_CONFIG_GENERATION: *value = 0; break;
	default: return BB_VIRTIO_BAD_ACCESS;
	}
	return BB_VIRTIO_NONE;
}

static enum bb_virtio_action write_status(struct bb_virtio_mmio *dev, uint32_t value)
{
	uint32_t old = dev->status;

	if (value == 0) {
		bb_virtio_mmio_reset(dev);
		return (old & VIRTIO_STATUS_DRIVER_OK) ? BB_VIRTIO_RESET : BB_VIRTIO_NONE;
	}
	if ((value & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
		/* Accept only a subset of what was offered, including VERSION_1. */
		int subset = (dev->driver_features[0] & ~device_features(0)) == 0 &&
			     (dev->driver_features[1] & ~device_features(1)) == 0;
		int modern = dev->driver_features[1] & VIRTIO_F_VERSION_1_BIT;
		if (!subset || !modern)
			value &= ~VIRTIO_STATUS_FEATURES_OK;
	}
	dev->status = value;
	if ((value & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK))
		return BB_VIRTIO_DRIVER_OK;
	return BB_VIRTIO_NONE;
}

enum bb_virtio_action bb_virtio_mmio_write(struct bb_virtio_mmio *dev, uint32_t offset,
					   uint32_t value, uint32_t *arg)
{
	struct bb_virtio_queue *q = selected_queue(dev);

	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: dev->device_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: dev->driver_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (dev->driver_features_sel < 2)
			dev->driver_features[dev->driver_features_sel] = value;
		break;
	case VIRTIO_MMIO_QUEUE_SEL: dev->queue_sel = value; break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (q)
			q->num = value <= BB_VIRTIO_QUEUE_NUM_MAX ? value : 0;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (q)
			q->ready = value & 1;
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		*arg = value;
		return BB_VIRTIO_NOTIFY;
	case VIRTIO_MMIO_INTERRUPT_ACK: break;
	case VIRTIO_MMIO_STATUS: return write_status(dev, value);
	default: return BB_VIRTIO_BAD_ACCESS;
	}
	return BB_VIRTIO_NONE;
}
