/* Bus 0 of a PCI segment behind an ECAM window (PCIe 3.0 section 7.2.2):
 * an access at offset bus << 20 | device << 15 | function << 12 | register
 * reaches that function's configuration space. The VMM's functions sit in
 * slots 0 to 31, function 0 each; every other function reads all ones
 * (no device: what Linux's enumeration looks for) and ignores writes. */
#ifndef BOOTBENCH_PCI_BUS_H
#define BOOTBENCH_PCI_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define BB_PCI_SLOTS 32u

/* A function's configuration accessors, as its transport has them
 * (virtio_pci.c): write returns what the VMM must act on, in the
 * transport's own bits. */
struct bb_pci_slot {
	void *dev;
	uint64_t (*read)(void *dev, uint32_t offset, uint32_t len);
	uint32_t (*write)(void *dev, uint32_t offset, uint32_t len, uint64_t value);
};

struct bb_pci_bus {
	struct bb_pci_slot slots[BB_PCI_SLOTS];
};

/* Where an ECAM offset lands: false past bus 0, or for an access that
 * crosses its function's 4 KiB. */
bool bb_pci_ecam_decode(uint64_t offset, uint32_t len, uint32_t *slot, uint32_t *function, uint32_t *reg);
/* The next free slot, filled; -1 when all 32 are taken. */
int bb_pci_bus_add(struct bb_pci_bus *bus, const struct bb_pci_slot *slot);
/* An ECAM read of len (1, 2, 4 or 8) bytes: all ones where no function is. */
uint64_t bb_pci_bus_read(const struct bb_pci_bus *bus, uint64_t offset, uint32_t len);
/* An ECAM write; *slot receives the slot written (-1 for none) and the
 * return is what its write accessor returned (0 for none). */
uint32_t bb_pci_bus_write(struct bb_pci_bus *bus, uint64_t offset, uint32_t len, uint64_t value, int *slot);

#endif
