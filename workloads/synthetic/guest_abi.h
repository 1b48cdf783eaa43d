/* The contract between the VMM and the guest payload: the config block the
 * VMM writes into guest memory, the boot-timer registers and the error codes
 * the guest reports. Included by both sides, so only fixed-width types. */
#ifndef BOOTBENCH_GUEST_ABI_H
#define BOOTBENCH_GUEST_ABI_H

#include <stdint.h>

#define BB_GUEST_CONFIG_MAGIC 0x67666362u /* "bcfg" */
#define BB_GUEST_ABI_VERSION 1u

/* Boot timer: a byte write of BB_BOOT_DONE to offset 0 is Firecracker's
 * boot-complete signal; BB_BOOT_ENTERED marks the guest's first instruction. */
#define BB_BOOT_TIMER_SIGNAL 0x0
#define BB_BOOT_TIMER_ERROR 0x4     /* u32: an enum bb_guest_error */
#define BB_BOOT_TIMER_ERROR_ARG 0x8 /* u32: device index, or a value */
#define BB_BOOT_TIMER_SIZE 0x1000
#define BB_BOOT_ENTERED 1
#define BB_BOOT_DONE 123

/* How the guest kicks a queue. */
#define BB_NOTIFY_MMIO 0u           /* QueueNotify, value = queue index (virtio-mmio) */
#define BB_NOTIFY_PIO 1u            /* legacy virtio-pci port, value = queue index */
#define BB_NOTIFY_MMIO_PER_QUEUE 2u /* one address per queue (virtio-pci modern) */

/* Queue q's own notify address is device base + BB_NOTIFY_AREA(stride) +
 * q * BB_NOTIFY_MULTIPLIER, as a virtio-pci notify capability lays it out;
 * any write there is a kick, so it can be registered with len 0. */
#define BB_NOTIFY_AREA(stride) ((stride) / 2)
#define BB_NOTIFY_MULTIPLIER 4u

/* Faults the guest can be asked to commit, so that tests can prove the VMM
 * notices each one. */
enum bb_guest_fault {
	BB_FAULT_NONE = 0,
	BB_FAULT_MISSING_KICK = 1, /* skip the kick of device 0, queue 0 */
	BB_FAULT_EXTRA_KICK = 2,   /* kick device 0, queue 0 twice */
	BB_FAULT_HANG = 3,         /* never signal boot-done */
	BB_FAULT_TRIPLE = 4,       /* execute ud2 with no IDT */
	BB_FAULT_BAD_DEVICE_ID = 5 /* expect a device ID the VMM does not offer */
};

enum bb_guest_error {
	BB_GUEST_OK = 0,
	BB_GUEST_BAD_CONFIG = 1,
	BB_GUEST_BAD_MAGIC = 2,
	BB_GUEST_BAD_VERSION = 3,
	BB_GUEST_BAD_DEVICE_ID = 4,
	BB_GUEST_FEATURES_REJECTED = 5,
	BB_GUEST_QUEUE_IN_USE = 6,
	BB_GUEST_QUEUE_TOO_SMALL = 7
};

struct bb_guest_config {
	uint32_t magic;
	uint32_t abi_version;
	uint64_t boot_timer;  /* guest-physical address */
	uint64_t mmio_base;   /* device i at mmio_base + i * mmio_stride */
	uint64_t mmio_stride;
	uint32_t devices;
	uint32_t queues;
	uint32_t device_id;   /* the virtio DeviceID every device must report */
	uint32_t queue_size;  /* entries the driver asks for per queue */
	uint32_t init_rounds; /* 2: initialize, reset every device, initialize */
	uint32_t notify;      /* BB_NOTIFY_* */
	uint32_t pio_base;    /* device i notifies at pio_base + i * pio_stride */
	uint32_t pio_stride;
	uint32_t fault;       /* enum bb_guest_fault */
	uint32_t reserved;
};

/* virtio-mmio (virtio 1.x, section 4.2.2) register offsets and values */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_VERSION_2 2u

#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_FAILED 128u

/* VIRTIO_F_VERSION_1 is feature bit 32: bit 0 of feature word 1. */
#define VIRTIO_F_VERSION_1_WORD 1u
#define VIRTIO_F_VERSION_1_BIT 0x1u

/* Legacy virtio-pci puts QueueNotify at offset 0x10 of its I/O BAR. */
#define VIRTIO_PCI_LEGACY_QUEUE_NOTIFY 0x10

#endif
