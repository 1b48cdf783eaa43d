/* The virtio-mmio transport (virtio 1.x, section 4.2.2, version 2) as pure
 * state, no KVM: the vCPU thread feeds it the guest's register accesses,
 * and a device's I/O thread raises its interrupt status. The device says
 * what it offers (its feature bits, its largest queue, its configuration
 * space); the transport keeps what the driver negotiated and where it put
 * each queue. */
#ifndef BOOTBENCH_VIRTIO_MMIO_H
#define BOOTBENCH_VIRTIO_MMIO_H

#include <stdatomic.h>
#include <stdint.h>

#define BB_VIRTIO_QUEUE_NUM_MAX 256u
#define BB_VIRTIO_VENDOR_ID 0x42424e48u /* "HNBB": bootbench */
#define BB_VIRTIO_F_VERSION_1 (1ull << 32)

/* registers beyond the synthetic guest's (guest_abi.h has those) */
#define BB_VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define BB_VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define BB_VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define BB_VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define BB_VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define BB_VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define BB_VIRTIO_MMIO_SHM_SEL 0x0ac
#define BB_VIRTIO_MMIO_SHM_LEN_LOW 0x0b0
#define BB_VIRTIO_MMIO_SHM_LEN_HIGH 0x0b4
#define BB_VIRTIO_MMIO_SHM_BASE_LOW 0x0b8
#define BB_VIRTIO_MMIO_SHM_BASE_HIGH 0x0bc
#define BB_VIRTIO_MMIO_CONFIG 0x100

#define BB_VIRTIO_INT_USED 1u   /* a queue has used buffers */
#define BB_VIRTIO_INT_CONFIG 2u /* the configuration (or the status) changed */
#define BB_VIRTIO_STATUS_NEEDS_RESET 64u

struct bb_virtio_queue {
	uint32_t num;
	uint32_t ready;
	uint64_t desc, driver, device; /* guest-physical, as the driver wrote them */
};

struct bb_virtio_mmio {
	uint32_t device_id;
	uint64_t features; /* offered; BB_VIRTIO_F_VERSION_1 always among them */
	uint32_t queue_num_max;
	const uint8_t *config; /* the device's configuration space, read-only here */
	uint32_t config_len;
	uint32_t nr_queues;
	struct bb_virtio_queue *queues; /* nr_queues, owned by the caller */
	uint32_t status;
	uint32_t queue_sel;
	uint32_t device_features_sel;
	uint32_t driver_features_sel;
	uint64_t driver_features; /* what the driver wrote, accepted at FEATURES_OK */
	/* set from the I/O thread, so apart from what the vCPU thread writes */
	_Atomic uint32_t interrupt_status;
	_Atomic uint32_t needs_reset;
};

/* What a register write means to the VMM. */
enum bb_virtio_action {
	BB_VIRTIO_NONE,
	BB_VIRTIO_DRIVER_OK, /* the driver is ready: its queues may be kicked */
	BB_VIRTIO_RESET,     /* status 0 after DRIVER_OK: the queues are gone */
	BB_VIRTIO_NOTIFY,    /* a QueueNotify write reached the VMM */
	BB_VIRTIO_BAD_ACCESS /* an offset or width the transport does not have */
};

/* A device that offers VERSION_1 alone, queues of BB_VIRTIO_QUEUE_NUM_MAX
 * and no configuration space; bb_virtio_mmio_offer() says more. */
void bb_virtio_mmio_init(struct bb_virtio_mmio *dev, uint32_t device_id, uint32_t nr_queues,
			 struct bb_virtio_queue *queues);
/* features without VERSION_1 get it: this transport is modern only. */
void bb_virtio_mmio_offer(struct bb_virtio_mmio *dev, uint64_t features, uint32_t queue_num_max, const void *config,
			  uint32_t config_len);
void bb_virtio_mmio_reset(struct bb_virtio_mmio *dev);
/* A 32-bit register read at offset below the configuration space.
 * Returns BB_VIRTIO_BAD_ACCESS for offsets it does not implement. */
enum bb_virtio_action bb_virtio_mmio_read(struct bb_virtio_mmio *dev, uint32_t offset,
					  uint32_t *value);
/* *arg receives the queue index for BB_VIRTIO_NOTIFY. */
enum bb_virtio_action bb_virtio_mmio_write(struct bb_virtio_mmio *dev, uint32_t offset,
					   uint32_t value, uint32_t *arg);
/* A 1, 2, 4 or 8-byte read of the configuration space at offset (from
 * BB_VIRTIO_MMIO_CONFIG); what is past its end reads 0. */
enum bb_virtio_action bb_virtio_mmio_config_read(const struct bb_virtio_mmio *dev, uint32_t offset, void *data,
						 uint32_t len);
/* The features both sides agreed on (0 before FEATURES_OK). */
uint64_t bb_virtio_mmio_negotiated(const struct bb_virtio_mmio *dev);
/* From a device's I/O thread: sets interrupt status bits. */
void bb_virtio_mmio_raise(struct bb_virtio_mmio *dev, uint32_t bits);
/* The device cannot go on (a broken ring): NEEDS_RESET, and a config
 * interrupt to say so. */
void bb_virtio_mmio_needs_reset(struct bb_virtio_mmio *dev);

#endif
