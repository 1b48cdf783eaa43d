/* A guest's accesses to a PCI function (configuration space at any
 * offset, width and alignment, the MSI-X table and PBA) mixed with the
 * device signalling vectors: each 12 bytes of input is one access (kind,
 * offset, width, value). Whatever the order, the device's own bytes
 * (IDs, class, BAR types, the capability chain) never change, a placed
 * BAR is aligned to its size, a vector control holds only its mask bit,
 * no pending bit lies past the table, and only routed vectors are given
 * to deliver. */
#include "fuzz_target.h"
#include "msix.h"
#include "pci_function.h"

#define VECTORS 70 /* two words of pending bits, the second partly used */

static struct bb_pci_function f, first;
static struct bb_msix m;
static struct bb_msix_entry table[VECTORS];
static uint64_t pending[2];

static void build(void)
{
	bb_pci_function_init(&f, 0x1af4, 0x1042, 0x018000, 1, 0x1af4, 2);
	if (bb_pci_add_bar(&f, 0, BB_PCI_BAR_MEM32, 0x1000) || bb_pci_add_bar(&f, 2, BB_PCI_BAR_IO, 0x40) ||
	    bb_pci_add_bar(&f, 4, BB_PCI_BAR_MEM64, 0x4000))
		abort();
	uint8_t body[14] = { 0 };
	if (!bb_pci_add_capability(&f, BB_PCI_CAP_ID_VNDR, body, 16))
		abort();
	if (bb_msix_init(&m, &f, table, pending, VECTORS, 4, 0x2000, 4, 0x3000))
		abort();
	first = f;
}

static void check(void)
{
	for (unsigned i = 0; i < BB_PCI_HEADER_SPACE; i++) {
		uint8_t fixed = (uint8_t)~first.wmask[i];
		if ((f.config[i] & fixed) != (first.config[i] & fixed))
			abort(); /* a bit the guest may not write changed */
	}
	static const unsigned sizes[BB_PCI_BARS] = { 0x1000, 0, 0x40, 0, 0x4000, 0 };
	for (unsigned b = 0; b < BB_PCI_BARS; b++) {
		uint64_t a = bb_pci_bar_address(&f, b);
		if (a && (!sizes[b] || a % sizes[b]))
			abort();
	}
	for (unsigned v = 0; v < VECTORS; v++)
		if (table[v].control & ~BB_MSIX_ENTRY_MASKED)
			abort();
	if (pending[1] >> (VECTORS - 64))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	build();
	for (size_t at = 0; at + 12 <= size; at += 12) {
		const uint8_t *op = data + at;
		uint32_t offset = (uint32_t)(op[1] | op[2] << 8);
		uint32_t len = op[3] % 9;
		uint64_t value;
		memcpy(&value, op + 4, 8);
		switch (op[0] % 6) {
		case 0: (void)bb_pci_config_read(&f, offset % BB_PCI_CONFIG_SPACE, len); break;
		case 1:
			if (bb_pci_config_write(&f, offset % BB_PCI_CONFIG_SPACE, len, value) & BB_PCI_WROTE_CAPABILITY)
				(void)bb_msix_control_written(&m, &f);
			break;
		case 2: (void)bb_msix_table_read(&m, offset, len); break;
		case 3: (void)bb_msix_table_write(&m, offset, len, value); break;
		case 4: (void)bb_msix_pba_read(&m, offset, len); break;
		default: {
			uint16_t v = (uint16_t)(value % (VECTORS + 2));
			uint64_t address;
			uint32_t msg;
			enum bb_msix_event e = bb_msix_signal(&m, v);
			if (e == BB_MSIX_DELIVER && !bb_msix_routed(&m, v, &address, &msg))
				abort();
			int taken = bb_msix_take_unmasked_pending(&m);
			if (taken >= 0 && !bb_msix_routed(&m, (uint16_t)taken, &address, &msg))
				abort();
			break;
		}
		}
		check();
	}
	return 0;
}
