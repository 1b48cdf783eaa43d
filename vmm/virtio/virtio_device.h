/* A virtio 1.x device as its transports share it (virtio 1.2 sections 2
 * and 3): what the device offers (feature bits, its largest queue, its
 * configuration space), what the driver negotiated, its status, and where
 * the driver put each queue. No register layout and no KVM: virtio-mmio
 * (virtio_mmio.c) and virtio-pci (virtio_pci.c) each map their registers
 * onto it, and a device's I/O thread raises its interrupt bits. */
#ifndef BOOTBENCH_VIRTIO_DEVICE_H
#define BOOTBENCH_VIRTIO_DEVICE_H

#include <stdatomic.h>
#include <stdint.h>

#define BB_VIRTIO_QUEUE_NUM_MAX 256u
#define BB_VIRTIO_VENDOR_ID 0x42424e48u /* "HNBB": bootbench */
#define BB_VIRTIO_F_VERSION_1 (1ull << 32)

#define BB_VIRTIO_INT_USED 1u   /* a queue has used buffers */
#define BB_VIRTIO_INT_CONFIG 2u /* the configuration (or the status) changed */
#define BB_VIRTIO_STATUS_NEEDS_RESET 64u

struct bb_virtio_queue {
	uint32_t num;
	uint32_t ready;
	uint64_t desc, driver, device; /* guest-physical, as the driver wrote them */
};

struct bb_virtio_device {
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
	BB_VIRTIO_NOTIFY,    /* a queue notification reached the VMM */
	BB_VIRTIO_BAD_ACCESS /* an offset or width the transport does not have */
};

/* A device that offers VERSION_1 alone, queues of BB_VIRTIO_QUEUE_NUM_MAX
 * and no configuration space; bb_virtio_offer() says more. */
void bb_virtio_device_init(struct bb_virtio_device *dev, uint32_t device_id, uint32_t nr_queues,
			   struct bb_virtio_queue *queues);
/* features without VERSION_1 get it: these transports are modern only. */
void bb_virtio_offer(struct bb_virtio_device *dev, uint64_t features, uint32_t queue_num_max, const void *config,
		     uint32_t config_len);
void bb_virtio_reset(struct bb_virtio_device *dev);
/* The queue queue_sel selects, or NULL past the last. */
struct bb_virtio_queue *bb_virtio_selected_queue(struct bb_virtio_device *dev);
/* Word sel (0 or 1) of features; 0 past them. */
uint32_t bb_virtio_feature_word(uint64_t features, uint32_t sel);
/* The driver's features word driver_features_sel selects; ignored once
 * FEATURES_OK is set (3.1.1). */
void bb_virtio_write_driver_features(struct bb_virtio_device *dev, uint32_t value);
/* The status the driver reads: its own bits, and NEEDS_RESET. */
uint32_t bb_virtio_status(const struct bb_virtio_device *dev);
/* A status write: 0 resets; FEATURES_OK holds only for a subset of the
 * offer with VERSION_1; the action says DRIVER_OK or a reset after it. */
enum bb_virtio_action bb_virtio_write_status(struct bb_virtio_device *dev, uint32_t value);
/* A 1, 2, 4 or 8-byte read of the configuration space at offset; what
 * is past its end reads 0. */
enum bb_virtio_action bb_virtio_config_read(const struct bb_virtio_device *dev, uint32_t offset, void *data,
					    uint32_t len);
/* The features both sides agreed on (0 before FEATURES_OK). */
uint64_t bb_virtio_negotiated(const struct bb_virtio_device *dev);
/* From a device's I/O thread: sets interrupt status bits. */
void bb_virtio_raise(struct bb_virtio_device *dev, uint32_t bits);
/* The device cannot go on (a broken ring): NEEDS_RESET, and a config
 * interrupt to say so. */
void bb_virtio_needs_reset(struct bb_virtio_device *dev);

/* One 32-bit half of a 64-bit register */
static inline void bb_virtio_set_half(uint64_t *field, uint32_t value, int high)
{
	*field = high ? (*field & 0xffffffffu) | ((uint64_t)value << 32) : (*field & ~0xffffffffull) | value;
}

#endif
