#include "virtio_mmio.h"

#include <string.h>

#include "guest_abi.h"

void bb_virtio_mmio_init(struct bb_virtio_mmio *dev, uint32_t device_id, uint32_t nr_queues,
			 struct bb_virtio_queue *queues)
{
	dev->device_id = device_id;
	dev->nr_queues = nr_queues;
	dev->queues = queues;
	bb_virtio_mmio_offer(dev, BB_VIRTIO_F_VERSION_1, BB_VIRTIO_QUEUE_NUM_MAX, NULL, 0);
	bb_virtio_mmio_reset(dev);
}

void bb_virtio_mmio_offer(struct bb_virtio_mmio *dev, uint64_t features, uint32_t queue_num_max, const void *config,
			  uint32_t config_len)
{
	dev->features = features | BB_VIRTIO_F_VERSION_1;
	dev->queue_num_max = queue_num_max;
	dev->config = config;
	dev->config_len = config ? config_len : 0;
}

void bb_virtio_mmio_reset(struct bb_virtio_mmio *dev)
{
	dev->status = 0;
	dev->queue_sel = 0;
	dev->device_features_sel = 0;
	dev->driver_features_sel = 0;
	dev->driver_features = 0;
	atomic_store(&dev->interrupt_status, 0);
	atomic_store(&dev->needs_reset, 0);
	memset(dev->queues, 0, dev->nr_queues * sizeof(dev->queues[0]));
}

static struct bb_virtio_queue *selected_queue(struct bb_virtio_mmio *dev)
{
	return dev->queue_sel < dev->nr_queues ? &dev->queues[dev->queue_sel] : NULL;
}

static uint32_t feature_word(uint64_t features, uint32_t sel)
{
	return sel < 2 ? (uint32_t)(features >> (32 * sel)) : 0;
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
	case VIRTIO_MMIO_DEVICE_FEATURES: *value = feature_word(dev->features, dev->device_features_sel); break;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: *value = q ? dev->queue_num_max : 0; break;
	case VIRTIO_MMIO_QUEUE_READY: *value = q ? q->ready : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DESC_LOW: *value = q ? (uint32_t)q->desc : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DESC_HIGH: *value = q ? (uint32_t)(q->desc >> 32) : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DRIVER_LOW: *value = q ? (uint32_t)q->driver : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DRIVER_HIGH: *value = q ? (uint32_t)(q->driver >> 32) : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DEVICE_LOW: *value = q ? (uint32_t)q->device : 0; break;
	case BB_VIRTIO_MMIO_QUEUE_DEVICE_HIGH: *value = q ? (uint32_t)(q->device >> 32) : 0; break;
	case VIRTIO_MMIO_INTERRUPT_STATUS: *value = atomic_load(&dev->interrupt_status); break;
	case VIRTIO_MMIO_STATUS:
		*value = dev->status | (atomic_load(&dev->needs_reset) ? BB_VIRTIO_STATUS_NEEDS_RESET : 0);
		break;
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

enum bb_virtio_action bb_virtio_mmio_config_read(const struct bb_virtio_mmio *dev, uint32_t offset, void *data,
						 uint32_t len)
{
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return BB_VIRTIO_BAD_ACCESS;
	memset(data, 0, len);
	if (offset < dev->config_len) {
		uint32_t n = dev->config_len - offset < len ? dev->config_len - offset : len;
		memcpy(data, dev->config + offset, n);
	}
	return BB_VIRTIO_NONE;
}

uint64_t bb_virtio_mmio_negotiated(const struct bb_virtio_mmio *dev)
{
	return (dev->status & VIRTIO_STATUS_FEATURES_OK) ? dev->driver_features : 0;
}

void bb_virtio_mmio_raise(struct bb_virtio_mmio *dev, uint32_t bits)
{
	atomic_fetch_or(&dev->interrupt_status, bits);
}

void bb_virtio_mmio_needs_reset(struct bb_virtio_mmio *dev)
{
	atomic_store(&dev->needs_reset, 1);
	bb_virtio_mmio_raise(dev, BB_VIRTIO_INT_CONFIG);
}

static enum bb_virtio_action write_status(struct bb_virtio_mmio *dev, uint32_t value)
{
	uint32_t old = dev->status;

	if (value == 0) {
		bb_virtio_mmio_reset(dev);
		return (old & VIRTIO_STATUS_DRIVER_OK) ? BB_VIRTIO_RESET : BB_VIRTIO_NONE;
	}
	value &= ~BB_VIRTIO_STATUS_NEEDS_RESET; /* the device's bit, not the driver's */
	if ((value & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
		/* Accept only a subset of what was offered, including VERSION_1. */
		if ((dev->driver_features & ~dev->features) || !(dev->driver_features & BB_VIRTIO_F_VERSION_1))
			value &= ~VIRTIO_STATUS_FEATURES_OK;
	}
	dev->status = value;
	if ((value & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK))
		return BB_VIRTIO_DRIVER_OK;
	return BB_VIRTIO_NONE;
}

static void set_half(uint64_t *field, uint32_t value, int high)
{
	*field = high ? (*field & 0xffffffffu) | ((uint64_t)value << 32) : (*field & ~0xffffffffull) | value;
}

enum bb_virtio_action bb_virtio_mmio_write(struct bb_virtio_mmio *dev, uint32_t offset,
					   uint32_t value, uint32_t *arg)
{
	struct bb_virtio_queue *q = selected_queue(dev);

	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: dev->device_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: dev->driver_features_sel = value; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		/* features are fixed once FEATURES_OK is set (3.1.1) */
		if (dev->driver_features_sel < 2 && !(dev->status & VIRTIO_STATUS_FEATURES_OK))
			set_half(&dev->driver_features, value, dev->driver_features_sel == 1);
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
			set_half(&q->desc, value, offset == BB_VIRTIO_MMIO_QUEUE_DESC_HIGH);
		break;
	case BB_VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case BB_VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		if (q && !q->ready)
			set_half(&q->driver, value, offset == BB_VIRTIO_MMIO_QUEUE_DRIVER_HIGH);
		break;
	case BB_VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case BB_VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		if (q && !q->ready)
			set_half(&q->device, value, offset == BB_VIRTIO_MMIO_QUEUE_DEVICE_HIGH);
		break;
	case BB_VIRTIO_MMIO_SHM_SEL: break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		*arg = value;
		return BB_VIRTIO_NOTIFY;
	case VIRTIO_MMIO_INTERRUPT_ACK: atomic_fetch_and(&dev->interrupt_status, ~value); break;
	case VIRTIO_MMIO_STATUS: return write_status(dev, value);
	default: return BB_VIRTIO_BAD_ACCESS;
	}
	return BB_VIRTIO_NONE;
}
