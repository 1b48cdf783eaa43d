/* One allocator for the VM's guest-physical address space, its ports and
 * its interrupts, as Firecracker's MMIODeviceManager is: RAM and the
 * arch's own regions are reserved, each device is placed in the arch's
 * device window and gets its IRQ, and whatever overlaps is refused in one
 * line naming both sides and the fix. The same placement checks a profile
 * before anything runs (no buses given) and builds the VM's buses; the
 * list of placed devices is what a workload describes to its guest (a
 * config block, later a device tree or a kernel command line). */
#ifndef BOOTBENCH_DEVICE_MANAGER_H
#define BOOTBENCH_DEVICE_MANAGER_H

#include <stddef.h>
#include <stdint.h>

#include "io_bus.h"
#include "workload.h"

#define BB_DM_MAX_REGIONS 32

struct bb_region {
	char name[64];    /* "guest RAM" */
	const char *fix;  /* what to change when something overlaps it */
	uint64_t base, len;
};

struct bb_device_manager {
	struct bb_region regions[BB_DM_MAX_REGIONS];
	uint32_t nr_regions;
	uint64_t window_base, window_end; /* where devices may be placed */
	uint32_t irq_base, irq_count, next_irq;
	struct bb_io_bus *mmio, *pio; /* NULL when only checking a profile */
	struct bb_machine_device *placed; /* NULL when only checking */
	uint32_t nr_placed, placed_capacity;
	/* the PCI host bridge's windows, once placed (0 without one) */
	uint64_t pci_ecam, pci_ecam_len, pci_mmio32, pci_mmio32_len;
	uint32_t pci_io, pci_io_len;
};

void bb_dm_init(struct bb_device_manager *dm, uint64_t window_base, uint64_t window_end, uint32_t irq_base,
		uint32_t irq_count);
/* A region no device may overlap: RAM, the arch's own devices, memslots. */
int bb_dm_reserve(struct bb_device_manager *dm, const char *name, const char *fix, uint64_t base, uint64_t len,
		  char *err, size_t errlen);

/* count instances of one device type, instance i at base + i * stride
 * (stride bytes each) with its state at devs + i * dev_size. */
struct bb_placement {
	const char *type; /* the workload's name for it: "virtio-synthetic" */
	const char *name; /* for messages: "64 virtio-mmio devices" */
	const char *fix;
	uint64_t base, stride;
	uint32_t count;
	bb_io_handler handler;
	void *devs;
	size_t dev_size;
	uint32_t irqs; /* IRQs each instance takes: 0 or 1 */
};
/* MMIO: inside the device window, overlapping no region; each instance is
 * recorded as placed, with its IRQ. No handler: the range is only kept
 * free (coalesced zones); no type: it is not recorded. */
int bb_dm_place_mmio(struct bb_device_manager *dm, const struct bb_placement *pl, char *err, size_t errlen);
/* A device placed inside a region already claimed (a PCI function's BAR
 * in the host bridge's window), for the workload's list. */
int bb_dm_record(struct bb_device_manager *dm, const struct bb_machine_device *d, char *err, size_t errlen);
/* Port I/O, for the instances bb_dm_place_mmio() placed last (the same
 * devices' legacy I/O windows). */
int bb_dm_place_pio(struct bb_device_manager *dm, const struct bb_placement *pl, char *err, size_t errlen);
/* One device at fixed ports with a fixed IRQ, outside the allocator's
 * window: a PC's legacy devices (the 8250 at 0x3f8, IRQ 4). */
int bb_dm_place_port(struct bb_device_manager *dm, const struct bb_placement *pl, uint32_t irq, char *err,
		     size_t errlen);

#endif
