/* A PCI function's configuration space and its MSI-X, as a guest's
 * driver and Linux's PCI core use them: IDs read at any width and
 * alignment, read-only bytes that stay so, BARs sized with all ones and
 * placed, the capability chain walked from 0x34, and MSI-X's table, mask
 * bits and pending bits with the routing changes the VMM acts on; and
 * bus 0 behind ECAM, empty slots reading all ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "msix.h"
#include "pci_bus.h"
#include "pci_function.h"
#include "virtio_pci.h"

static struct bb_pci_function f;

/* a virtio-blk function as virtio-pci modern devices are: 0x1af4:0x1042 */
static void virtio_blk_function(void)
{
	bb_pci_function_init(&f, 0x1af4, 0x1042, 0x018000, 1, 0x1af4, 0x0002);
}

static void ids_at_any_width(void **state)
{
	(void)state;
	virtio_blk_function();
	assert_int_equal(bb_pci_config_read(&f, 0, 4), 0x10421af4);
	assert_int_equal(bb_pci_config_read(&f, 0, 2), 0x1af4);
	assert_int_equal(bb_pci_config_read(&f, 1, 2), 0x421a); /* unaligned */
	assert_int_equal(bb_pci_config_read(&f, 3, 1), 0x10);
	assert_true(bb_pci_config_read(&f, 0, 8) == 0x0000000010421af4ull);
	assert_int_equal(bb_pci_config_read(&f, 8, 4), 0x01800001); /* class, revision */
	assert_int_equal(bb_pci_config_read(&f, 0x2c, 4), 0x00021af4);
	/* past the header, and across its end */
	assert_int_equal(bb_pci_config_read(&f, 0x100, 4), 0);
	assert_int_equal(bb_pci_config_read(&f, 0xfff, 4), 0);
	assert_int_equal(bb_pci_config_read(&f, 0xffffffffu, 8), 0);
	/* no capability yet: the status bit says so */
	assert_int_equal(bb_pci_config_read(&f, BB_PCI_STATUS, 2) & BB_PCI_STATUS_CAP_LIST, 0);
}

static void read_only_bytes_stay(void **state)
{
	(void)state;
	virtio_blk_function();
	assert_int_equal(bb_pci_config_write(&f, 0, 4, 0xffffffff), 0);
	assert_int_equal(bb_pci_config_read(&f, 0, 4), 0x10421af4);
	assert_int_equal(bb_pci_config_write(&f, 0x08, 8, ~0ull), 0);
	assert_int_equal(bb_pci_config_read(&f, 0x08, 4), 0x01800001);
	assert_int_equal(bb_pci_config_read(&f, BB_PCI_HEADER_TYPE, 1), 0);
	/* the command register takes its writable bits only */
	assert_int_equal(bb_pci_config_write(&f, BB_PCI_COMMAND, 2, 0xffff), BB_PCI_WROTE_COMMAND);
	assert_int_equal(bb_pci_config_read(&f, BB_PCI_COMMAND, 2), 0x0407);
	/* the same value again changes nothing */
	assert_int_equal(bb_pci_config_write(&f, BB_PCI_COMMAND, 2, 0x0407), 0);
	/* a write across the end of the header lands in it only */
	assert_int_equal(bb_pci_config_write(&f, 0xfe, 4, 0xffffffff), 0);
	assert_int_equal(bb_pci_config_read(&f, BB_PCI_INTERRUPT_PIN, 1), 0);
	bb_pci_config_write(&f, BB_PCI_INTERRUPT_LINE, 1, 0x0b);
	assert_int_equal(bb_pci_config_read(&f, BB_PCI_INTERRUPT_LINE, 2), 0x000b);
}

static void bars_are_sized_and_placed(void **state)
{
	(void)state;
	virtio_blk_function();
	assert_int_equal(bb_pci_add_bar(&f, 0, BB_PCI_BAR_MEM32, 0x1000), 0);
	assert_int_equal(bb_pci_add_bar(&f, 2, BB_PCI_BAR_MEM64, 0x4000), 0);
	assert_int_equal(bb_pci_add_bar(&f, 4, BB_PCI_BAR_IO, 0x20), 0);
	/* taken, the upper half of a 64-bit one, no power of two, too small,
	 * no room for 64 bits, an I/O BAR over 256 ports */
	assert_int_equal(bb_pci_add_bar(&f, 0, BB_PCI_BAR_MEM32, 0x1000), -1);
	assert_int_equal(bb_pci_add_bar(&f, 3, BB_PCI_BAR_MEM32, 0x1000), -1);
	assert_int_equal(bb_pci_add_bar(&f, 1, BB_PCI_BAR_MEM32, 0x3000), -1);
	assert_int_equal(bb_pci_add_bar(&f, 1, BB_PCI_BAR_MEM32, 8), -1);
	assert_int_equal(bb_pci_add_bar(&f, 5, BB_PCI_BAR_MEM64, 0x1000), -1);
	assert_int_equal(bb_pci_add_bar(&f, 5, BB_PCI_BAR_IO, 512), -1);

	/* sizing: all ones written, the size's mask and the type read back */
	assert_int_equal(bb_pci_config_write(&f, 0x10, 4, 0xffffffff), BB_PCI_WROTE_BAR(0));
	assert_int_equal(bb_pci_config_read(&f, 0x10, 4), 0xfffff000);
	bb_pci_config_write(&f, 0x18, 4, 0xffffffff);
	assert_int_equal(bb_pci_config_read(&f, 0x18, 4), 0xffffc004);
	/* the upper half of BAR 2 reports BAR 2 */
	assert_int_equal(bb_pci_config_write(&f, 0x1c, 4, 0xffffffff), BB_PCI_WROTE_BAR(2));
	assert_int_equal(bb_pci_config_read(&f, 0x1c, 4), 0xffffffff);
	bb_pci_config_write(&f, 0x20, 4, 0xffffffff);
	assert_int_equal(bb_pci_config_read(&f, 0x20, 4), 0xffffffe1);
	/* an unused BAR reads 0 whatever is written */
	bb_pci_config_write(&f, 0x14, 4, 0xffffffff);
	assert_int_equal(bb_pci_config_read(&f, 0x14, 4), 0);

	/* decoding on while sized: nothing is decoded */
	bb_pci_config_write(&f, BB_PCI_COMMAND, 2, BB_PCI_COMMAND_MEMORY | BB_PCI_COMMAND_IO);
	assert_true(bb_pci_bar_address(&f, 0) == 0);
	assert_true(bb_pci_bar_address(&f, 2) == 0);
	/* placed, with byte writes as some guests make them */
	bb_pci_config_write(&f, 0x10, 4, 0xfe001234); /* the low bits are not the guest's */
	assert_int_equal(bb_pci_config_read(&f, 0x10, 4), 0xfe001000);
	assert_true(bb_pci_bar_address(&f, 0) == 0xfe001000);
	bb_pci_config_write(&f, 0x18, 4, 0x00004000);
	for (uint32_t i = 0; i < 4; i++)
		bb_pci_config_write(&f, 0x1c + i, 1, i == 0 ? 0x80 : 0);
	assert_true(bb_pci_bar_address(&f, 2) == 0x8000004000ull);
	bb_pci_config_write(&f, 0x20, 4, 0xc040);
	assert_true(bb_pci_bar_address(&f, 4) == 0xc040);
	/* decoding off: no address */
	bb_pci_config_write(&f, BB_PCI_COMMAND, 2, BB_PCI_COMMAND_IO);
	assert_true(bb_pci_bar_address(&f, 0) == 0);
	assert_true(bb_pci_bar_address(&f, 4) == 0xc040);
	assert_true(bb_pci_bar_address(&f, 1) == 0);
	assert_true(bb_pci_bar_address(&f, 6) == 0);
}

static struct bb_msix msix;
static struct bb_msix_entry table[3];
static uint64_t pending[1];

static void msix_function(void)
{
	virtio_blk_function();
	assert_int_equal(bb_pci_add_bar(&f, 4, BB_PCI_BAR_MEM64, 0x4000), 0);
	uint8_t vendor_body[14] = { 16, 1 };
	assert_int_equal(bb_pci_add_capability(&f, BB_PCI_CAP_ID_VNDR, vendor_body, 16), 0x40);
	assert_int_equal(bb_msix_init(&msix, &f, table, pending, 3, 4, 0x2000, 4, 0x3000), 0);
}

static void capabilities_chain(void **state)
{
	(void)state;
	msix_function();
	assert_true(bb_pci_config_read(&f, BB_PCI_STATUS, 2) & BB_PCI_STATUS_CAP_LIST);
	uint8_t ids[8] = { 0 }, n = 0;
	for (uint32_t at = bb_pci_config_read(&f, BB_PCI_CAPABILITY_LIST, 1); at && n < 8;
	     at = bb_pci_config_read(&f, at + 1, 1))
		ids[n++] = (uint8_t)bb_pci_config_read(&f, at, 1);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], BB_PCI_CAP_ID_VNDR);
	assert_int_equal(ids[1], BB_PCI_CAP_ID_MSIX);
	/* MSI-X: table size N - 1, the table and PBA offsets with their BAR */
	assert_int_equal(msix.cap, 0x50);
	assert_int_equal(bb_pci_config_read(&f, 0x52, 2), 2);
	assert_int_equal(bb_pci_config_read(&f, 0x54, 4), 0x2004);
	assert_int_equal(bb_pci_config_read(&f, 0x58, 4), 0x3004);
	/* the capability's ID, pointer and offsets are the device's */
	bb_pci_config_write(&f, 0x50, 8, ~0ull);
	assert_int_equal(bb_pci_config_read(&f, 0x50, 2), 0x0011);
	assert_int_equal(bb_pci_config_read(&f, 0x54, 4), 0x2004);
	/* no room left */
	struct bb_pci_function full;
	bb_pci_function_init(&full, 1, 2, 0, 0, 0, 0);
	uint8_t big[200] = { 0 };
	assert_int_equal(bb_pci_add_capability(&full, BB_PCI_CAP_ID_VNDR, big, 200), 0); /* 0x40 + 200 > 256 */
	assert_int_equal(bb_pci_add_capability(&full, BB_PCI_CAP_ID_VNDR, big, 190), 0x40);
	assert_int_equal(bb_pci_add_capability(&full, BB_PCI_CAP_ID_VNDR, big, 20), 0);
	assert_int_equal(bb_msix_init(&msix, &full, table, pending, 3, 0, 0, 0, 0x100), -1);
}

static uint32_t control(void)
{
	return (uint32_t)bb_pci_config_read(&f, msix.cap + 2u, 2);
}

static enum bb_msix_event write_control(uint16_t value)
{
	uint32_t wrote = bb_pci_config_write(&f, msix.cap + 2u, 2, value);
	return (wrote & BB_PCI_WROTE_CAPABILITY) ? bb_msix_control_written(&msix, &f) : BB_MSIX_NOTHING;
}

static void msix_vectors(void **state)
{
	(void)state;
	msix_function();
	uint64_t address;
	uint32_t data;
	/* every vector starts masked, MSI-X off */
	assert_int_equal(bb_msix_table_read(&msix, 12, 4), BB_MSIX_ENTRY_MASKED);
	assert_int_equal(bb_msix_signal(&msix, 0), BB_MSIX_DISABLED);
	/* the table size is read-only: only enable and function mask move */
	assert_int_equal(write_control(0xffff), BB_MSIX_ROUTES_CHANGED);
	assert_int_equal(control(), 0xc002);
	assert_int_equal(write_control(BB_MSIX_CONTROL_ENABLE), BB_MSIX_ROUTES_CHANGED);
	assert_int_equal(write_control(BB_MSIX_CONTROL_ENABLE), BB_MSIX_NOTHING);
	/* a masked vector's message: written, not routed */
	assert_int_equal(bb_msix_table_write(&msix, 16, 8, 0x00000000fee00000ull), BB_MSIX_NOTHING);
	assert_int_equal(bb_msix_table_write(&msix, 24, 4, 0x4041), BB_MSIX_NOTHING);
	assert_true(bb_msix_table_read(&msix, 16, 8) == 0xfee00000ull);
	assert_false(bb_msix_routed(&msix, 1, &address, &data));
	/* a masked vector signalled is pending, in the PBA */
	assert_int_equal(bb_msix_signal(&msix, 1), BB_MSIX_PENDING);
	assert_true(bb_msix_pba_read(&msix, 0, 8) == 0x2);
	assert_int_equal(bb_msix_pba_read(&msix, 0, 4), 0x2);
	assert_int_equal(bb_msix_pba_read(&msix, 4, 4), 0);
	assert_int_equal(bb_msix_take_unmasked_pending(&msix), -1);
	/* unmasked: routed, and the pending vector is the VMM's to send */
	assert_int_equal(bb_msix_table_write(&msix, 28, 4, 0xfffffff1), BB_MSIX_NOTHING); /* reserved bits */
	assert_int_equal(bb_msix_table_write(&msix, 28, 4, 0), BB_MSIX_ROUTES_CHANGED);
	assert_true(bb_msix_routed(&msix, 1, &address, &data));
	assert_true(address == 0xfee00000ull);
	assert_int_equal(data, 0x4041);
	assert_int_equal(bb_msix_take_unmasked_pending(&msix), 1);
	assert_true(bb_msix_pba_read(&msix, 0, 8) == 0);
	assert_int_equal(bb_msix_signal(&msix, 1), BB_MSIX_DELIVER);
	/* a routed vector's new message is a routing change */
	assert_int_equal(bb_msix_table_write(&msix, 24, 4, 0x4042), BB_MSIX_ROUTES_CHANGED);
	/* the function mask holds every vector */
	assert_int_equal(write_control(BB_MSIX_CONTROL_ENABLE | BB_MSIX_CONTROL_FUNCTION_MASK), BB_MSIX_ROUTES_CHANGED);
	assert_false(bb_msix_routed(&msix, 1, &address, &data));
	assert_int_equal(bb_msix_signal(&msix, 1), BB_MSIX_PENDING);
	assert_int_equal(write_control(BB_MSIX_CONTROL_ENABLE), BB_MSIX_ROUTES_CHANGED);
	assert_int_equal(bb_msix_take_unmasked_pending(&msix), 1);
	/* widths and alignments the specification does not define: ignored */
	assert_int_equal(bb_msix_table_write(&msix, 26, 4, 0), BB_MSIX_NOTHING);
	assert_int_equal(bb_msix_table_write(&msix, 20, 8, 0), BB_MSIX_NOTHING);
	assert_int_equal(bb_msix_table_write(&msix, 24, 2, 0), BB_MSIX_NOTHING);
	assert_int_equal(bb_msix_table_read(&msix, 26, 4), 0);
	assert_int_equal(bb_msix_table_read(&msix, 24, 4), 0x4042);
	/* past the table, a vector that is not there */
	assert_int_equal(bb_msix_table_write(&msix, 48, 4, 1), BB_MSIX_NOTHING);
	assert_int_equal(bb_msix_table_read(&msix, 48, 8), 0);
	assert_int_equal(bb_msix_signal(&msix, 3), BB_MSIX_DISABLED);
	assert_true(bb_msix_pba_read(&msix, 8, 8) == 0);
	/* a reset: every vector masked, nothing pending, MSI-X off */
	bb_msix_signal(&msix, 0);
	bb_msix_reset(&msix, &f);
	assert_int_equal(control(), 2);
	assert_int_equal(bb_msix_table_read(&msix, 28, 4), BB_MSIX_ENTRY_MASKED);
	assert_true(bb_msix_pba_read(&msix, 0, 8) == 0);
	assert_int_equal(bb_msix_signal(&msix, 1), BB_MSIX_DISABLED);
}

/* ECAM: bus 0's functions by offset; where none is, all ones, as Linux's
 * enumeration expects of an empty slot; writes reach only a function. */
static void ecam_reaches_the_functions(void **state)
{
	(void)state;
	uint32_t slot, function, reg;
	assert_true(bb_pci_ecam_decode(3u << 15 | 2u << 12 | 0x10, 4, &slot, &function, &reg));
	assert_int_equal(slot, 3);
	assert_int_equal(function, 2);
	assert_int_equal(reg, 0x10);
	assert_false(bb_pci_ecam_decode(1u << 20, 4, &slot, &function, &reg)); /* bus 1 */
	assert_false(bb_pci_ecam_decode(0xffe, 4, &slot, &function, &reg));    /* across a function's end */
	assert_false(bb_pci_ecam_decode(0, 16, &slot, &function, &reg));

	static struct bb_virtio_queue queues[1];
	static struct bb_virtio_device dev;
	static struct bb_virtio_pci vp[2];
	static struct bb_pci_bus bus;
	memset(&bus, 0, sizeof(bus));
	bb_virtio_device_init(&dev, 2, 1, queues);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(bb_virtio_pci_init(&vp[i], &dev, 0x018000), 0);
		struct bb_pci_slot s = bb_virtio_pci_slot(&vp[i]);
		assert_int_equal(bb_pci_bus_add(&bus, &s), i);
	}
	assert_int_equal(bb_pci_bus_read(&bus, 0, 4), 0x10421af4);
	assert_int_equal(bb_pci_bus_read(&bus, 1u << 15, 2), 0x1af4);
	assert_int_equal(bb_pci_bus_read(&bus, 2u << 15, 4), 0xffffffff);   /* an empty slot */
	assert_int_equal(bb_pci_bus_read(&bus, 1u << 12, 2), 0xffff);	     /* function 1 */
	assert_true(bb_pci_bus_read(&bus, 1u << 20, 8) == ~0ull);	     /* bus 1 */
	int written;
	assert_int_equal(bb_pci_bus_write(&bus, 1u << 15 | 0x10, 4, 0xc0000000, &written), BB_VIRTIO_PCI_SLOT_BAR_MOVED);
	assert_int_equal(written, 1);
	assert_int_equal(bb_pci_config_read(&vp[1].fn, 0x10, 4), 0xc0000004);
	assert_int_equal(bb_pci_config_read(&vp[0].fn, 0x10, 4), 0x4);
	assert_int_equal(bb_pci_bus_write(&bus, 1u << 15 | vp[1].msix.cap | 2u, 2, BB_MSIX_CONTROL_ENABLE, &written),
			 BB_VIRTIO_PCI_SLOT_ROUTES_CHANGED);
	assert_int_equal(bb_pci_bus_write(&bus, 5u << 15, 4, 0, &written), 0);
	assert_int_equal(written, -1);
	/* all 32 slots taken: the 33rd is refused */
	struct bb_pci_slot s = bb_virtio_pci_slot(&vp[0]);
	for (int i = 2; i < 32; i++)
		assert_int_equal(bb_pci_bus_add(&bus, &s), i);
	assert_int_equal(bb_pci_bus_add(&bus, &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_at_any_width),
		cmocka_unit_test(read_only_bytes_stay),
		cmocka_unit_test(bars_are_sized_and_placed),
		cmocka_unit_test(capabilities_chain),
		cmocka_unit_test(msix_vectors),
		cmocka_unit_test(ecam_reaches_the_functions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
