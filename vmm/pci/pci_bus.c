#include "pci_bus.h"

#include <stddef.h>

bool bb_pci_ecam_decode(uint64_t offset, uint32_t len, uint32_t *slot, uint32_t *function, uint32_t *reg)
{
	if (offset >= (1ull << 20) || len == 0 || len > 8)
		return false; /* the host bridge has bus 0 alone */
	*slot = (uint32_t)(offset >> 15) & 31u;
	*function = (uint32_t)(offset >> 12) & 7u;
	*reg = (uint32_t)offset & 0xfffu;
	return *reg + len <= 0x1000u;
}

int bb_pci_bus_add(struct bb_pci_bus *bus, const struct bb_pci_slot *slot)
{
	for (uint32_t s = 0; s < BB_PCI_SLOTS; s++) {
		if (!bus->slots[s].dev) {
			bus->slots[s] = *slot;
			return (int)s;
		}
	}
	return -1;
}

static const struct bb_pci_slot *function_at(const struct bb_pci_bus *bus, uint64_t offset, uint32_t len,
					     uint32_t *reg)
{
	uint32_t slot, function;
	if (!bb_pci_ecam_decode(offset, len, &slot, &function, reg) || function != 0 || !bus->slots[slot].dev)
		return NULL;
	return &bus->slots[slot];
}

uint64_t bb_pci_bus_read(const struct bb_pci_bus *bus, uint64_t offset, uint32_t len)
{
	uint32_t reg;
	const struct bb_pci_slot *s = function_at(bus, offset, len, &reg);
	if (s)
		return s->read(s->dev, reg, len);
	return len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
}

uint32_t bb_pci_bus_write(struct bb_pci_bus *bus, uint64_t offset, uint32_t len, uint64_t value, int *slot)
{
	uint32_t reg;
	const struct bb_pci_slot *s = function_at(bus, offset, len, &reg);
	*slot = s ? (int)(s - bus->slots) : -1;
	return s ? s->write(s->dev, reg, len, value) : 0;
}
