#include "pci_function.h"

#include <string.h>

uint16_t bb_pci_get16(const struct bb_pci_function *f, uint8_t offset)
{
	return (uint16_t)(f->config[offset] | f->config[(uint8_t)(offset + 1)] << 8);
}

void bb_pci_set16(struct bb_pci_function *f, uint8_t offset, uint16_t value)
{
	f->config[offset] = (uint8_t)value;
	f->config[(uint8_t)(offset + 1)] = (uint8_t)(value >> 8);
}

void bb_pci_set32(struct bb_pci_function *f, uint8_t offset, uint32_t value)
{
	bb_pci_set16(f, offset, (uint16_t)value);
	bb_pci_set16(f, (uint8_t)(offset + 2), (uint16_t)(value >> 16));
}

static uint32_t get32(const struct bb_pci_function *f, uint8_t offset)
{
	return bb_pci_get16(f, offset) | (uint32_t)bb_pci_get16(f, (uint8_t)(offset + 2)) << 16;
}

static void set_wmask32(struct bb_pci_function *f, uint8_t offset, uint32_t mask)
{
	for (int i = 0; i < 4; i++)
		f->wmask[offset + i] = (uint8_t)(mask >> (8 * i));
}

void bb_pci_function_init(struct bb_pci_function *f, uint16_t vendor, uint16_t device, uint32_t class_code,
			  uint8_t revision, uint16_t subsystem_vendor, uint16_t subsystem)
{
	memset(f, 0, sizeof(*f));
	bb_pci_set16(f, BB_PCI_VENDOR_ID, vendor);
	bb_pci_set16(f, BB_PCI_DEVICE_ID, device);
	f->config[BB_PCI_REVISION] = revision;
	f->config[BB_PCI_CLASS_PROG] = (uint8_t)class_code;
	f->config[BB_PCI_CLASS_PROG + 1] = (uint8_t)(class_code >> 8);
	f->config[BB_PCI_CLASS_PROG + 2] = (uint8_t)(class_code >> 16);
	bb_pci_set16(f, BB_PCI_SUBSYSTEM_VENDOR_ID, subsystem_vendor);
	bb_pci_set16(f, BB_PCI_SUBSYSTEM_ID, subsystem);
	/* the guest turns decoding and bus mastering on, and INTx off */
	f->wmask[BB_PCI_COMMAND] = BB_PCI_COMMAND_IO | BB_PCI_COMMAND_MEMORY | BB_PCI_COMMAND_MASTER;
	f->wmask[BB_PCI_COMMAND + 1] = BB_PCI_COMMAND_INTX_DISABLE >> 8;
	f->wmask[0x0c] = 0xff; /* cache line size */
	f->wmask[0x0d] = 0xff; /* latency timer */
	f->wmask[BB_PCI_INTERRUPT_LINE] = 0xff;
	f->next_cap = 0x40; /* right after the type 0 header */
}

int bb_pci_add_bar(struct bb_pci_function *f, unsigned index, enum bb_pci_bar_kind kind, uint64_t size)
{
	bool is64 = kind == BB_PCI_BAR_MEM64;
	uint64_t least = kind == BB_PCI_BAR_IO ? 4 : 16;
	if (index >= BB_PCI_BARS || f->bars[index].kind != BB_PCI_BAR_NONE || (is64 && index + 1 >= BB_PCI_BARS) ||
	    (is64 && f->bars[index + 1].kind != BB_PCI_BAR_NONE) || size < least || (size & (size - 1)) ||
	    (kind != BB_PCI_BAR_MEM64 && size > 0x80000000u) || (kind == BB_PCI_BAR_IO && size > 256) ||
	    (kind != BB_PCI_BAR_MEM32 && kind != BB_PCI_BAR_MEM64 && kind != BB_PCI_BAR_IO))
		return -1;
	uint8_t reg = (uint8_t)(BB_PCI_BAR0 + 4 * index);
	uint64_t address_bits = ~(size - 1);
	f->bars[index] = (struct bb_pci_bar){ kind, size };
	if (kind == BB_PCI_BAR_IO) {
		bb_pci_set32(f, reg, 0x1); /* I/O space */
		set_wmask32(f, reg, (uint32_t)address_bits & ~0x3u);
		return 0;
	}
	bb_pci_set32(f, reg, is64 ? 0x4 : 0x0); /* memory, 64-bit or 32-bit, not prefetchable */
	set_wmask32(f, reg, (uint32_t)address_bits & ~0xfu);
	if (is64) {
		f->bars[index + 1] = (struct bb_pci_bar){ BB_PCI_BAR_MEM64_HIGH, 0 };
		set_wmask32(f, (uint8_t)(reg + 4), (uint32_t)(address_bits >> 32));
	}
	return 0;
}

uint8_t bb_pci_add_capability(struct bb_pci_function *f, uint8_t id, const void *body, uint8_t len)
{
	unsigned at = (f->next_cap + 3u) & ~3u; /* capabilities are dword-aligned */
	if (len < 2 || at + len > BB_PCI_HEADER_SPACE)
		return 0;
	f->config[at] = id;
	f->config[at + 1] = 0; /* the end of the list, until another follows */
	if (body)
		memcpy(&f->config[at + 2], body, len - 2u);
	if (f->last_cap)
		f->config[f->last_cap + 1] = (uint8_t)at;
	else
		f->config[BB_PCI_CAPABILITY_LIST] = (uint8_t)at;
	f->config[BB_PCI_STATUS] |= BB_PCI_STATUS_CAP_LIST;
	f->last_cap = (uint8_t)at;
	f->next_cap = (uint8_t)(at + len < BB_PCI_HEADER_SPACE ? at + len : 0xff);
	return (uint8_t)at;
}

void bb_pci_writable(struct bb_pci_function *f, uint8_t offset, const uint8_t *mask, uint8_t len)
{
	for (unsigned i = 0; i < len && offset + i < BB_PCI_HEADER_SPACE; i++)
		f->wmask[offset + i] = mask[i];
}

uint64_t bb_pci_config_read(const struct bb_pci_function *f, uint32_t offset, uint32_t len)
{
	uint64_t v = 0;
	if (len > 8)
		return 0;
	for (uint32_t i = 0; i < len; i++) {
		uint64_t at = (uint64_t)offset + i;
		if (at < BB_PCI_HEADER_SPACE)
			v |= (uint64_t)f->config[at] << (8 * i);
	}
	return v;
}

/* what changing the byte at offset means */
static uint32_t what_changed(const struct bb_pci_function *f, unsigned offset)
{
	if (offset == BB_PCI_COMMAND || offset == BB_PCI_COMMAND + 1)
		return BB_PCI_WROTE_COMMAND;
	if (offset >= BB_PCI_BAR0 && offset < BB_PCI_BAR0 + 4 * BB_PCI_BARS) {
		unsigned bar = (offset - BB_PCI_BAR0) / 4;
		if (bar > 0 && f->bars[bar].kind == BB_PCI_BAR_MEM64_HIGH)
			bar--; /* the upper half of the BAR before it */
		return BB_PCI_WROTE_BAR(bar);
	}
	if (offset >= 0x40)
		return BB_PCI_WROTE_CAPABILITY; /* only a capability's bytes are writable there */
	return 0;
}

uint32_t bb_pci_config_write(struct bb_pci_function *f, uint32_t offset, uint32_t len, uint64_t value)
{
	uint32_t changed = 0;
	if (len > 8)
		return 0;
	for (uint32_t i = 0; i < len; i++) {
		uint64_t at = (uint64_t)offset + i;
		if (at >= BB_PCI_HEADER_SPACE)
			continue;
		uint8_t b = (uint8_t)(value >> (8 * i)), old = f->config[at], mask = f->wmask[at];
		uint8_t now = (uint8_t)((old & ~mask) | (b & mask));
		if (now == old)
			continue;
		f->config[at] = now;
		changed |= what_changed(f, (unsigned)at);
	}
	return changed;
}

uint64_t bb_pci_bar_address(const struct bb_pci_function *f, unsigned index)
{
	if (index >= BB_PCI_BARS)
		return 0;
	const struct bb_pci_bar *bar = &f->bars[index];
	uint8_t reg = (uint8_t)(BB_PCI_BAR0 + 4 * index);
	uint16_t command = bb_pci_get16(f, BB_PCI_COMMAND);
	uint64_t address, bits;
	switch (bar->kind) {
	case BB_PCI_BAR_IO:
		if (!(command & BB_PCI_COMMAND_IO))
			return 0;
		address = get32(f, reg) & ~0x3u;
		bits = (uint32_t)~(bar->size - 1) & ~0x3u;
		break;
	case BB_PCI_BAR_MEM32:
	case BB_PCI_BAR_MEM64:
		if (!(command & BB_PCI_COMMAND_MEMORY))
			return 0;
		address = get32(f, reg) & ~0xfu;
		bits = (uint32_t)~(bar->size - 1) & ~0xfu;
		if (bar->kind == BB_PCI_BAR_MEM64) {
			address |= (uint64_t)get32(f, (uint8_t)(reg + 4)) << 32;
			bits = ~(bar->size - 1);
		}
		break;
	default: return 0;
	}
	/* all address bits set: the guest is sizing it, not placing it */
	if (address == 0 || address == bits)
		return 0;
	return address;
}
