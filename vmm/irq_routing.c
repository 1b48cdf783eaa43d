#include "irq_routing.h"

#include <stdlib.h>
#include <string.h>

/* KVM_MAX_IRQ_ROUTES: the GSIs a table may name */
#define MAX_GSI 4096u

int bb_irq_routing_init(struct bb_irq_routing *r, uint32_t cap)
{
	r->table = calloc(1, sizeof(*r->table) + (size_t)cap * sizeof(r->table->entries[0]));
	r->cap = r->table ? cap : 0;
	return r->table ? 0 : -1;
}

void bb_irq_routing_free(struct bb_irq_routing *r)
{
	free(r->table);
	r->table = NULL;
	r->cap = 0;
}

static struct kvm_irq_routing_entry *next(struct bb_irq_routing *r, uint32_t gsi)
{
	if (!r->table || r->table->nr >= r->cap || gsi >= MAX_GSI)
		return NULL;
	struct kvm_irq_routing_entry *e = &r->table->entries[r->table->nr++];
	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	return e;
}

int bb_irq_routing_add_irqchip(struct bb_irq_routing *r, uint32_t gsi, uint32_t irqchip, uint32_t pin)
{
	struct kvm_irq_routing_entry *e = next(r, gsi);
	if (!e)
		return -1;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = irqchip;
	e->u.irqchip.pin = pin;
	return 0;
}

int bb_irq_routing_add_msi(struct bb_irq_routing *r, uint32_t gsi, uint64_t address, uint32_t data)
{
	struct kvm_irq_routing_entry *e = next(r, gsi);
	if (!e)
		return -1;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = (uint32_t)address;
	e->u.msi.address_hi = (uint32_t)(address >> 32);
	e->u.msi.data = data;
	return 0;
}

int bb_irq_routing_add_msi_from(struct bb_irq_routing *r, uint32_t gsi, uint64_t address, uint32_t data,
				uint32_t devid)
{
	if (bb_irq_routing_add_msi(r, gsi, address, data) < 0)
		return -1;
	struct kvm_irq_routing_entry *e = &r->table->entries[r->table->nr - 1];
	e->flags = KVM_MSI_VALID_DEVID;
	e->u.msi.devid = devid;
	return 0;
}

int bb_irq_routing_add_msix(struct bb_irq_routing *r, const struct bb_msix *m, uint32_t first_gsi, int64_t devid,
			    bool *routed)
{
	int added = 0;
	for (uint16_t v = 0; v < m->nr_vectors; v++) {
		uint64_t address;
		uint32_t data;
		bool is = bb_msix_routed(m, v, &address, &data);
		if (routed)
			routed[v] = is;
		if (!is)
			continue;
		if ((devid < 0 ? bb_irq_routing_add_msi(r, first_gsi + v, address, data)
			       : bb_irq_routing_add_msi_from(r, first_gsi + v, address, data, (uint32_t)devid)) < 0)
			return -1;
		added++;
	}
	return added;
}
