/* MSI-X (PCI Local Bus 3.0 section 6.8.2) as pure state: the capability
 * in a function's configuration space, the vector table and the pending
 * bit array the guest reads and writes through a BAR, and what a device
 * signalling a vector comes to. The VMM routes each vector the guest
 * enabled and unmasked to KVM (KVM_SET_GSI_ROUTING, then an irqfd), so
 * every change of what is routed is reported for it to act on. */
#ifndef BOOTBENCH_MSIX_H
#define BOOTBENCH_MSIX_H

#include <stdbool.h>
#include <stdint.h>

#include "pci_function.h"

#define BB_MSIX_MAX_VECTORS 2048u /* the capability's table size field */
#define BB_MSIX_ENTRY_SIZE 16u
#define BB_MSIX_ENTRY_MASKED 0x1u /* vector control's mask bit */
#define BB_MSIX_CONTROL_ENABLE 0x8000u
#define BB_MSIX_CONTROL_FUNCTION_MASK 0x4000u

struct bb_msix_entry {
	uint32_t address_lo, address_hi, data, control;
};

struct bb_msix {
	struct bb_msix_entry *table; /* nr_vectors, owned by the caller */
	uint64_t *pending;           /* (nr_vectors + 63) / 64 words, owned by the caller */
	uint16_t nr_vectors;
	uint8_t cap; /* the capability's offset in configuration space */
	bool enabled, function_masked;
};

/* What a guest access or a device's signal comes to. */
enum bb_msix_event {
	BB_MSIX_NOTHING,
	BB_MSIX_ROUTES_CHANGED, /* a routed vector appeared, changed or went */
	BB_MSIX_DELIVER,        /* send the vector's message now */
	BB_MSIX_PENDING,        /* masked: its pending bit is set instead */
	BB_MSIX_DISABLED,       /* MSI-X is off: nothing is sent */
};

/* Adds the capability to f: nr_vectors (1 to 2048) entries at
 * table_offset in BAR table_bar, the pending bits at pba_offset in BAR
 * pba_bar (offsets 8-byte aligned), every vector masked, MSI-X off.
 * -1 when the header has no room or an argument is out of range. */
int bb_msix_init(struct bb_msix *m, struct bb_pci_function *f, struct bb_msix_entry *table, uint64_t *pending,
		 uint16_t nr_vectors, uint8_t table_bar, uint32_t table_offset, uint8_t pba_bar, uint32_t pba_offset);
/* Back to the state at init (a function level reset). */
void bb_msix_reset(struct bb_msix *m, struct bb_pci_function *f);
/* After a configuration write that touched a capability: picks up the
 * enable and function mask bits. */
enum bb_msix_event bb_msix_control_written(struct bb_msix *m, const struct bb_pci_function *f);

/* Table and PBA accesses at offset from their start: 4 or 8 bytes,
 * naturally aligned (anything else reads 0 and writes nothing, as the
 * specification leaves it undefined). The PBA is read-only. */
uint64_t bb_msix_table_read(const struct bb_msix *m, uint32_t offset, uint32_t len);
enum bb_msix_event bb_msix_table_write(struct bb_msix *m, uint32_t offset, uint32_t len, uint64_t value);
uint64_t bb_msix_pba_read(const struct bb_msix *m, uint32_t offset, uint32_t len);

/* A device signals vector: deliver it, or keep it pending while masked. */
enum bb_msix_event bb_msix_signal(struct bb_msix *m, uint16_t vector);
/* Whether vector is routed now (MSI-X on, neither it nor the function
 * masked), and then its message. */
bool bb_msix_routed(const struct bb_msix *m, uint16_t vector, uint64_t *address, uint32_t *data);
/* A pending vector that is no longer masked, cleared as it is taken:
 * the VMM delivers it. -1 when there is none. */
int bb_msix_take_unmasked_pending(struct bb_msix *m);

#endif
