/* The virtio-mmio transport (virtio 1.x, section 4.2.2, version 2): its
 * registers mapped onto a virtio device (virtio_device.h), as pure state
 * with no KVM. The vCPU thread feeds it the guest's register accesses. */
#ifndef BOOTBENCH_VIRTIO_MMIO_H
#define BOOTBENCH_VIRTIO_MMIO_H

#include <stdint.h>

#include "virtio_device.h"

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

/* A 32-bit register read at offset below the configuration space.
 * Returns BB_VIRTIO_BAD_ACCESS for offsets it does not implement. */
enum bb_virtio_action bb_virtio_mmio_read(struct bb_virtio_device *dev, uint32_t offset, uint32_t *value);
/* *arg receives the queue index for BB_VIRTIO_NOTIFY. */
enum bb_virtio_action bb_virtio_mmio_write(struct bb_virtio_device *dev, uint32_t offset, uint32_t value,
					   uint32_t *arg);

#endif
