/* The table KVM_SET_GSI_ROUTING takes, which replaces KVM's whole table:
 * the in-kernel irqchip's own routes first (bb_arch_default_routes: the
 * IOAPIC's and the 8259s' pins, or the vGIC's SPIs, as KVM set them up
 * with the irqchip), so that devices on pins keep their interrupts, then
 * an MSI route per MSI-X vector the guest enabled and unmasked, on GSIs
 * past the irqchip's, for an irqfd each. */
#ifndef BOOTBENCH_IRQ_ROUTING_H
#define BOOTBENCH_IRQ_ROUTING_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "msix.h"

struct bb_irq_routing {
	struct kvm_irq_routing *table; /* table->nr entries in use */
	uint32_t cap;
};

/* Room for cap entries; -1 when memory runs out. */
int bb_irq_routing_init(struct bb_irq_routing *r, uint32_t cap);
void bb_irq_routing_free(struct bb_irq_routing *r);
/* Each -1 when the table is full or the GSI is over KVM's limit. */
int bb_irq_routing_add_irqchip(struct bb_irq_routing *r, uint32_t gsi, uint32_t irqchip, uint32_t pin);
int bb_irq_routing_add_msi(struct bb_irq_routing *r, uint32_t gsi, uint64_t address, uint32_t data);
/* The same naming the device that writes it (KVM_MSI_VALID_DEVID): an
 * arm64 ITS translates by requester ID. */
int bb_irq_routing_add_msi_from(struct bb_irq_routing *r, uint32_t gsi, uint64_t address, uint32_t data,
				uint32_t devid);

/* A route for each of m's vectors that is routed now (MSI-X on, neither
 * it nor the function masked), vector v on GSI first_gsi + v, as the
 * device's irqfds are, from requester ID devid (or none: -1); routed, when
 * given, gets whether each of the nr_vectors is. The routes added, or -1
 * when the table is full. */
int bb_irq_routing_add_msix(struct bb_irq_routing *r, const struct bb_msix *m, uint32_t first_gsi, int64_t devid,
			    bool *routed);

/* The irqchip's routes (vmm/arch/<arch>/): the first GSI past them, which
 * MSI routes start at, or 0 when the table has no room. */
uint32_t bb_arch_default_routes(struct bb_irq_routing *r);

#endif
