#include "virtio_mmio.h"

#include "guest_abi.h"

enum bb_virtio_action bb_virtio_mmio_read(struct bb_virtio_device *dev, uint32_t offset, uint32_t *value)
{
	struct bb_virtio_queue *q = bb_virtio_selected_queue(dev);

	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE: *value = VIRTIO_MMIO_MAGIC; break;
	case VIRTIO_MMIO_VERSION: *value = VIRTIO_MMIO_VERSION_2; break;
	case VIRTIO_MMIO_DEVICE_ID: *value = dev->device_id; break;
	case VIRTIO_MMIO_VENDOR_ID: *value = BB_VIRTIO_VENDOR_ID; break;
	case VIRTIO_MMIO_DEVICE_FEATURES: *value = bb_virtio_feature_word(dev->features, dev->device_features_sel); break;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: *value = q ? dev->queue_num_max : 0; break;
	case VIRTIO_MMIO_QUEUE_READY: *value = q ? q->ready : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DESC_LOW: *value = q ? (uint32_t)q->desc : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DESC_HIGH: *value = q ? (uint32_t)(q->desc >> 32) : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DRIVER_LOW: *value = q ? (uint32_t)q->driver : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DRIVER_HIGH: *value = q ? (uint32_t)(q->driver >> 32) : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DEVICE_LOW: *value = q ? (uint32_t)q->device : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DEVICE_HIGH: *value = q ? (uint32_t)(q->device >> 32) : 0; break;
	case VIRTIO_MMIO_INTERRUPT_STATUS: *value = atomic_load(&dev->interrupt_status); break;
	case VIRTIO_MMIO_STATUS: *value = bb_virtio_status(dev); break;
	/* no shared memory regions: a length of all ones says so (4.2.2) */
	case BB_VIRTIO_MMIO_SHM_LEN_LOW:
	case BB_VIRTIO_MMIO_SHM_LEN_HIGH:
	case BB_VIRTIO_MMIO_SHM_BASE_LOW:
	case BB_VIRTIO_MMIO_SHM_BASE_HIGH: *value = 0xffffffffu; break;
	/* the configuration space never changes while the driver reads it */
	case VIRTIO_MMIO_CONFIG_GENERATION: *value = 0; break;
	default: return BB_VIRTIO_BAD_ACCESS;
	}
	return BB_VIRTIO_NONE;
}

enum bb_virtio_action bb_virtio_mmio_write(struct bb_virtio_device *dev, uint32_t offset, uint32_t value,
					   uint32_t *arg)
{
	struct bb_virtio_queue *q = bb_virtio_selected_queue(dev);

	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: dev->device_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: dev->driver_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		bb_virtio_write_driver_features(dev, value);
		break;
	case VIRTIO_MMIO_QUEUE_SEL: dev->queue_sel = value; break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (q)
			q->num = value <= dev->queue_num_max ? value : 0;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (q)
			q->ready = value & 1;
		break;
	/* a queue's addresses are the driver's until it says ready (4.2.3.2) */
	case BB_VIRTIO_MMIO_QUEUE_DESC_LOW:
	case BB_VIRTIO_MMIO_QUEUE_DESC_HIGH:
		if (q && !q->ready)
			bb_virtio_set_half(&q->desc, value, offset == BB_VIRTIO_MMIO_QUEUE_DESC_HIGH);
		break;
	case BB_VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case BB_VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		if (q && !q->ready)
			bb_virtio_set_half(&q->driver, value, offset == BB_VIRTIO_MMIO_QUEUE_DRIVER_HIGH);
		break;
	case BB_VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case BB_VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		if (q && !q->ready)
			bb_virtio_set_half(&q->device, value, offset == BB_VIRTIO_MMIO_QUEUE_DEVICE_HIGH);
		break;
	case BB_VIRTIO_MMIO_SHM_SEL: break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		*arg = value;
		return BB_VIRTIO_NOTIFY;
	case VIRTIO_MMIO_INTERRUPT_ACK: atomic_fetch_and(&dev->interrupt_status, ~value); break;
	case VIRTIO_MMIO_STATUS: return bb_virtio_write_status(dev, value);
	default: return BB_VIRTIO_BAD_ACCESS;
	}
	return BB_VIRTIO_NONE;
}
