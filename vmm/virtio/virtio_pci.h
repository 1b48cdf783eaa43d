/* The virtio-pci modern transport (virtio 1.2 section 4.1) as pure state,
 * no KVM: a PCI function (vmm/pci/) whose vendor capabilities place the
 * common configuration, the ISR byte, the device's configuration and the
 * queue notify area in one 64-bit memory BAR, beside its MSI-X table and
 * pending bits. Its registers are mapped onto a virtio device
 * (virtio_device.h), as virtio-mmio's are. Each queue notifies at its own
 * address (queue_notify_off x 4), so a VMM can give each an ioeventfd of
 * any length and no datamatch, as QEMU, crosvm and Cloud Hypervisor do. */
#ifndef BOOTBENCH_VIRTIO_PCI_H
#define BOOTBENCH_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "msix.h"
#include "pci_bus.h"
#include "pci_function.h"
#include "virtio_device.h"

#define BB_VIRTIO_PCI_VENDOR 0x1af4
#define BB_VIRTIO_PCI_DEVICE_BASE 0x1040 /* + the virtio device ID */
#define BB_VIRTIO_PCI_MAX_QUEUES 64u
#define BB_VIRTIO_PCI_MAX_VECTORS (BB_VIRTIO_PCI_MAX_QUEUES + 1u) /* a queue each, and the config */
#define BB_VIRTIO_PCI_NO_VECTOR 0xffffu

/* where the BAR holds each part */
#define BB_VIRTIO_PCI_BAR 0
#define BB_VIRTIO_PCI_BAR_SIZE 0x8000u
#define BB_VIRTIO_PCI_COMMON 0x0000u
#define BB_VIRTIO_PCI_COMMON_LEN 0x38u /* through queue_device */
#define BB_VIRTIO_PCI_ISR 0x1000u
#define BB_VIRTIO_PCI_DEVICE_CFG 0x2000u
#define BB_VIRTIO_PCI_DEVICE_CFG_LEN 0x1000u
#define BB_VIRTIO_PCI_NOTIFY 0x3000u
#define BB_VIRTIO_PCI_NOTIFY_MULTIPLIER 4u
#define BB_VIRTIO_PCI_MSIX_TABLE 0x4000u
#define BB_VIRTIO_PCI_MSIX_PBA 0x6000u

/* the common configuration's fields */
#define BB_VIRTIO_PCI_DEVICE_FEATURE_SELECT 0x00
#define BB_VIRTIO_PCI_DEVICE_FEATURE 0x04
#define BB_VIRTIO_PCI_DRIVER_FEATURE_SELECT 0x08
#define BB_VIRTIO_PCI_DRIVER_FEATURE 0x0c
#define BB_VIRTIO_PCI_CONFIG_MSIX_VECTOR 0x10
#define BB_VIRTIO_PCI_NUM_QUEUES 0x12
#define BB_VIRTIO_PCI_DEVICE_STATUS 0x14
#define BB_VIRTIO_PCI_CONFIG_GENERATION 0x15
#define BB_VIRTIO_PCI_QUEUE_SELECT 0x16
#define BB_VIRTIO_PCI_QUEUE_SIZE 0x18
#define BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR 0x1a
#define BB_VIRTIO_PCI_QUEUE_ENABLE 0x1c
#define BB_VIRTIO_PCI_QUEUE_NOTIFY_OFF 0x1e
#define BB_VIRTIO_PCI_QUEUE_DESC 0x20
#define BB_VIRTIO_PCI_QUEUE_DRIVER 0x28
#define BB_VIRTIO_PCI_QUEUE_DEVICE 0x30

/* the vendor capabilities' cfg_type */
#define BB_VIRTIO_PCI_CAP_COMMON_CFG 1
#define BB_VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define BB_VIRTIO_PCI_CAP_ISR_CFG 3
#define BB_VIRTIO_PCI_CAP_DEVICE_CFG 4

struct bb_virtio_pci {
	struct bb_pci_function fn;
	struct bb_msix msix;
	struct bb_msix_entry table[BB_VIRTIO_PCI_MAX_VECTORS];
	uint64_t pending[(BB_VIRTIO_PCI_MAX_VECTORS + 63) / 64];
	struct bb_virtio_device *dev;
	uint16_t config_vector;
	uint16_t queue_vector[BB_VIRTIO_PCI_MAX_QUEUES];
};

/* What one access came to: the device's action (and its argument, the
 * queue for a notify), and whether the MSI-X routes changed (the VMM
 * updates KVM's routing) or a BAR moved (it moves its handlers). */
struct bb_virtio_pci_event {
	enum bb_virtio_action action;
	uint32_t arg;
	bool routes_changed;
	bool bar_moved;
};

/* The function for dev (a virtio device of at most
 * BB_VIRTIO_PCI_MAX_QUEUES queues; its type is dev->device_id), with a
 * vector for each queue and one for configuration changes. -1 for too
 * many queues. class_code as PCI has it for the device (0x018000 for a
 * block device, 0x020000 for a network one, 0xff0000 otherwise). */
int bb_virtio_pci_init(struct bb_virtio_pci *p, struct bb_virtio_device *dev, uint32_t class_code);
/* The device reset (status 0): the device, and every vector unassigned. */
void bb_virtio_pci_reset(struct bb_virtio_pci *p);

/* Configuration space accesses (ECAM): len 1 to 8 at any offset. */
uint64_t bb_virtio_pci_config_read(const struct bb_virtio_pci *p, uint32_t offset, uint32_t len);
struct bb_virtio_pci_event bb_virtio_pci_config_write(struct bb_virtio_pci *p, uint32_t offset, uint32_t len,
						      uint64_t value);
/* Accesses at offset in the BAR: len 1, 2, 4 or 8. A field read or written
 * at a width it does not have reads 0, writes nothing, and is
 * BB_VIRTIO_BAD_ACCESS for the VMM to count. An ISR read clears it. */
struct bb_virtio_pci_event bb_virtio_pci_bar_read(struct bb_virtio_pci *p, uint32_t offset, uint32_t len,
						  uint64_t *value);
struct bb_virtio_pci_event bb_virtio_pci_bar_write(struct bb_virtio_pci *p, uint32_t offset, uint32_t len,
						   uint64_t value);

/* A transitional function (virtio 1.2 section 4.1.2.3), as QEMU's
 * disable-legacy=off devices are: legacy_device (0x1001 for a block
 * device) as its device ID, its virtio type in the subsystem ID, and a
 * legacy I/O BAR of io_size bytes (a power of two, 32 or more) at BAR
 * index BB_VIRTIO_PCI_LEGACY_BAR beside the modern one. A modern driver
 * never touches the I/O BAR; a VMM may register a port notifier at its
 * queue-notify register. -1 for a bad size. */
#define BB_VIRTIO_PCI_LEGACY_BAR 2
#define BB_VIRTIO_PCI_LEGACY_NOTIFY 0x10 /* VIRTIO_PCI_QUEUE_NOTIFY: 16 bits, the queue index */
int bb_virtio_pci_make_transitional(struct bb_virtio_pci *p, uint16_t legacy_device, uint32_t io_size);
/* An access to the legacy I/O BAR: a 16-bit write of a queue's index to
 * its queue-notify register notifies that queue; the rest of the legacy
 * interface is not served here (BB_VIRTIO_BAD_ACCESS, reads 0). */
struct bb_virtio_pci_event bb_virtio_pci_legacy_access(struct bb_virtio_pci *p, uint32_t offset, uint32_t len,
						       bool is_write, uint64_t *value);

/* The function's accessors for a slot on the bus; a configuration write
 * returns these bits. */
#define BB_VIRTIO_PCI_SLOT_BAR_MOVED 1u
#define BB_VIRTIO_PCI_SLOT_ROUTES_CHANGED 2u
struct bb_pci_slot bb_virtio_pci_slot(struct bb_virtio_pci *p);

/* The vector a used-buffer interrupt of queue, or a configuration change
 * (queue BB_VIRTIO_PCI_NO_VECTOR), is sent on: the MSI-X event of
 * signalling it, *vector set for BB_MSIX_DELIVER. */
enum bb_msix_event bb_virtio_pci_signal(struct bb_virtio_pci *p, uint32_t queue, uint16_t *vector);
/* The guest-physical address of queue's notifier, 0 while the BAR is not
 * decoded. */
uint64_t bb_virtio_pci_notify_address(const struct bb_virtio_pci *p, uint32_t queue);

#endif
