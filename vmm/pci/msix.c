#include "msix.h"

#include <string.h>

/* message control's only writable bits */
static const uint8_t control_wmask[2] = { 0x00, 0xc0 };

int bb_msix_init(struct bb_msix *m, struct bb_pci_function *f, struct bb_msix_entry *table, uint64_t *pending,
		 uint16_t nr_vectors, uint8_t table_bar, uint32_t table_offset, uint8_t pba_bar, uint32_t pba_offset)
{
	if (nr_vectors == 0 || nr_vectors > BB_MSIX_MAX_VECTORS || table_bar >= BB_PCI_BARS ||
	    pba_bar >= BB_PCI_BARS || (table_offset & 7) || (pba_offset & 7))
		return -1;
	uint8_t body[10];
	uint16_t control = (uint16_t)(nr_vectors - 1);
	uint32_t table_reg = table_offset | table_bar, pba_reg = pba_offset | pba_bar;
	body[0] = (uint8_t)control;
	body[1] = (uint8_t)(control >> 8);
	for (int i = 0; i < 4; i++) {
		body[2 + i] = (uint8_t)(table_reg >> (8 * i));
		body[6 + i] = (uint8_t)(pba_reg >> (8 * i));
	}
	uint8_t cap = bb_pci_add_capability(f, BB_PCI_CAP_ID_MSIX, body, sizeof(body) + 2);
	if (!cap)
		return -1;
	bb_pci_writable(f, (uint8_t)(cap + 2), control_wmask, 2);
	*m = (struct bb_msix){ .table = table, .pending = pending, .nr_vectors = nr_vectors, .cap = cap };
	bb_msix_reset(m, f);
	return 0;
}

void bb_msix_reset(struct bb_msix *m, struct bb_pci_function *f)
{
	for (uint16_t v = 0; v < m->nr_vectors; v++)
		m->table[v] = (struct bb_msix_entry){ .control = BB_MSIX_ENTRY_MASKED };
	memset(m->pending, 0, ((m->nr_vectors + 63u) / 64u) * sizeof(m->pending[0]));
	uint16_t control = bb_pci_get16(f, (uint8_t)(m->cap + 2));
	bb_pci_set16(f, (uint8_t)(m->cap + 2), control & ~(BB_MSIX_CONTROL_ENABLE | BB_MSIX_CONTROL_FUNCTION_MASK));
	m->enabled = m->function_masked = false;
}

enum bb_msix_event bb_msix_control_written(struct bb_msix *m, const struct bb_pci_function *f)
{
	uint16_t control = bb_pci_get16(f, (uint8_t)(m->cap + 2));
	bool enabled = control & BB_MSIX_CONTROL_ENABLE, masked = control & BB_MSIX_CONTROL_FUNCTION_MASK;
	if (enabled == m->enabled && masked == m->function_masked)
		return BB_MSIX_NOTHING;
	m->enabled = enabled;
	m->function_masked = masked;
	return BB_MSIX_ROUTES_CHANGED;
}

static bool access_ok(uint32_t offset, uint32_t len)
{
	return (len == 4 || len == 8) && (offset & (len - 1)) == 0;
}

static uint32_t *entry_word(const struct bb_msix *m, uint32_t offset)
{
	uint32_t v = offset / BB_MSIX_ENTRY_SIZE;
	if (v >= m->nr_vectors)
		return NULL;
	struct bb_msix_entry *e = &m->table[v];
	switch ((offset % BB_MSIX_ENTRY_SIZE) / 4) {
	case 0: return &e->address_lo;
	case 1: return &e->address_hi;
	case 2: return &e->data;
	default: return &e->control;
	}
}

uint64_t bb_msix_table_read(const struct bb_msix *m, uint32_t offset, uint32_t len)
{
	if (!access_ok(offset, len))
		return 0;
	uint64_t v = 0;
	for (uint32_t i = 0; i < len / 4; i++) {
		const uint32_t *w = entry_word(m, offset + 4 * i);
		if (w)
			v |= (uint64_t)*w << (32 * i);
	}
	return v;
}

static bool routed(const struct bb_msix *m, uint16_t vector)
{
	return m->enabled && !m->function_masked && !(m->table[vector].control & BB_MSIX_ENTRY_MASKED);
}

enum bb_msix_event bb_msix_table_write(struct bb_msix *m, uint32_t offset, uint32_t len, uint64_t value)
{
	if (!access_ok(offset, len))
		return BB_MSIX_NOTHING;
	bool changed = false;
	for (uint32_t i = 0; i < len / 4; i++) {
		uint32_t at = offset + 4 * i;
		uint32_t *w = entry_word(m, at);
		if (!w)
			continue;
		uint16_t vector = (uint16_t)(at / BB_MSIX_ENTRY_SIZE);
		bool was = routed(m, vector);
		uint32_t now = (uint32_t)(value >> (32 * i));
		if (w == &m->table[vector].control)
			now &= BB_MSIX_ENTRY_MASKED; /* the rest of vector control is reserved */
		if (now == *w)
			continue;
		*w = now;
		/* a routed vector's new message, or a vector routed or no more */
		changed |= was || routed(m, vector);
	}
	return changed ? BB_MSIX_ROUTES_CHANGED : BB_MSIX_NOTHING;
}

uint64_t bb_msix_pba_read(const struct bb_msix *m, uint32_t offset, uint32_t len)
{
	if (!access_ok(offset, len))
		return 0;
	uint32_t words = (m->nr_vectors + 63u) / 64u;
	uint64_t qword = offset / 8 < words ? m->pending[offset / 8] : 0;
	return len == 8 ? qword : (uint32_t)(qword >> (offset % 8 ? 32 : 0));
}

enum bb_msix_event bb_msix_signal(struct bb_msix *m, uint16_t vector)
{
	if (vector >= m->nr_vectors || !m->enabled)
		return BB_MSIX_DISABLED;
	if (!routed(m, vector)) {
		m->pending[vector / 64] |= 1ull << (vector % 64);
		return BB_MSIX_PENDING;
	}
	return BB_MSIX_DELIVER;
}

bool bb_msix_routed(const struct bb_msix *m, uint16_t vector, uint64_t *address, uint32_t *data)
{
	if (vector >= m->nr_vectors || !routed(m, vector))
		return false;
	*address = (uint64_t)m->table[vector].address_hi << 32 | m->table[vector].address_lo;
	*data = m->table[vector].data;
	return true;
}

int bb_msix_take_unmasked_pending(struct bb_msix *m)
{
	for (uint16_t v = 0; v < m->nr_vectors; v++) {
		uint64_t bit = 1ull << (v % 64);
		if ((m->pending[v / 64] & bit) && routed(m, v)) {
			m->pending[v / 64] &= ~bit;
			return v;
		}
	}
	return -1;
}
