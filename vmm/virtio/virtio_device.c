#include "virtio_device.h"

#include <string.h>

#include "guest_abi.h"

void bb_virtio_device_init(struct bb_virtio_device *dev, uint32_t device_id, uint32_t nr_queues,
			   struct bb_virtio_queue *queues)
{
	dev->device_id = device_id;
	dev->nr_queues = nr_queues;
	dev->queues = queues;
	bb_virtio_offer(dev, BB_VIRTIO_F_VERSION_1, BB_VIRTIO_QUEUE_NUM_MAX, NULL, 0);
	bb_virtio_reset(dev);
}

void bb_virtio_offer(struct bb_virtio_device *dev, uint64_t features, uint32_t queue_num_max, const void *config,
		     uint32_t config_len)
{
	dev->features = features | BB_VIRTIO_F_VERSION_1;
	dev->queue_num_max = queue_num_max;
	dev->config = config;
	dev->config_len = config ? config_len : 0;
}

void bb_virtio_reset(struct bb_virtio_device *dev)
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

struct bb_virtio_queue *bb_virtio_selected_queue(struct bb_virtio_device *dev)
{
	return dev->queue_sel < dev->nr_queues ? &dev->queues[dev->queue_sel] : NULL;
}

uint32_t bb_virtio_feature_word(uint64_t features, uint32_t sel)
{
	return sel < 2 ? (uint32_t)(features >> (32 * sel)) : 0;
}

void bb_virtio_write_driver_features(struct bb_virtio_device *dev, uint32_t value)
{
	if (dev->driver_features_sel < 2 && !(dev->status & VIRTIO_STATUS_FEATURES_OK))
		bb_virtio_set_half(&dev->driver_features, value, dev->driver_features_sel == 1);
}

uint32_t bb_virtio_status(const struct bb_virtio_device *dev)
{
	return dev->status | (atomic_load(&dev->needs_reset) ? BB_VIRTIO_STATUS_NEEDS_RESET : 0);
}

enum bb_virtio_action bb_virtio_config_read(const struct bb_virtio_device *dev, uint32_t offset, void *data,
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

uint64_t bb_virtio_negotiated(const struct bb_virtio_device *dev)
{
	return (dev->status & VIRTIO_STATUS_FEATURES_OK) ? dev->driver_features : 0;
}

void bb_virtio_raise(struct bb_virtio_device *dev, uint32_t bits)
{
	atomic_fetch_or(&dev->interrupt_status, bits);
}

void bb_virtio_needs_reset(struct bb_virtio_device *dev)
{
	atomic_store(&dev->needs_reset, 1);
	bb_virtio_raise(dev, BB_VIRTIO_INT_CONFIG);
}

enum bb_virtio_action bb_virtio_write_status(struct bb_virtio_device *dev, uint32_t value)
{
	uint32_t old = dev->status;

	if (value == 0) {
		bb_virtio_reset(dev);
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
