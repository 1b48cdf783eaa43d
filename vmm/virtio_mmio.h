/* The subset of the virtio-mmio transport (virtio 1.x, version 2) that a
 * driver's probe and init sequence touches. Pure state, no KVM: the vCPU
 * thread feeds it the guest's accesses. */
#ifndef BOOTBENCH_VIRTIO_MMIO_H
#define BOOTBENCH_VIRTIO_MMIO_H

#include <stdint.h>

#define BB_VIRTIO_QUEUE_NUM_MAX 256u
#define BB_VIRTIO_VENDOR_ID 0x42424e48u /* "HNBB": bootbench */

struct bb_virtio_queue {
	uint32_t num;
	uint32_t ready;
};

struct bb_virtio_mmio {
	uint32_t device_id;
	uint32_t nr_queues;
	struct bb_virtio_queue *queues; /* nr_queues, owned by the caller */
	uint32_t status;
	uint32_t queue_sel;
	uint32_t device_features_sel;
	uint32_t driver_features_sel;
	uint32_t driver_features[2];
};

/* What a register write means to the VMM. */
enum bb_virtio_action {
	BB_VIRTIO_NONE,
	BB_VIRTIO_DRIVER_OK, /* the driver is ready: its queues may be kicked */
	BB_VIRTIO_RESET,     /* status 0 after DRIVER_OK: the queues are gone */
	BB_VIRTIO_NOTIFY,    /* a QueueNotify write reached the VMM */
	BB_VIRTIO_BAD_ACCESS /* an offset or width the transport does not have */
};

void bb_virtio_mmio_init(struct bb_virtio_mmio *dev, uint32_t device_id, uint32_t nr_queues,
			 struct bb_virtio_queue *queues);
void bb_virtio_mmio_reset(struct bb_virtio_mmio *dev);
/* A 32-bit read at offset. Returns BB_VIRTIO_BAD_ACCESS for offsets it does
 * not implement, else BB_VIRTIO_NONE. */
enum bb_virtio_action bb_virtio_mmio_read(struct bb_virtio_mmio *dev, uint32_t offset,
					  uint32_t *value);
/* *arg receives the queue index for BB_VIRTIO_NOTIFY. */
enum bb_virtio_action bb_virtio_mmio_write(struct bb_virtio_mmio *dev, uint32_t offset,
					   uint32_t value, uint32_t *arg);

#endif
