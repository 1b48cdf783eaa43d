/* The virtio-pci modern transport as Linux's virtio_pci_modern driver
 * probes and drives it: the vendor capabilities found and read, the BAR
 * sized and placed, features negotiated, a queue set up through the
 * common configuration with its MSI-X vector, kicked at its own notify
 * address, its interrupt sent on its vector or held while masked, and the
 * ISR read to clear; fields read or written at widths they lack refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "guest_abi.h"
#include "virtio_pci.h"

static struct bb_virtio_device dev;
static struct bb_virtio_queue queues[2];
static struct bb_virtio_pci p;
static const uint8_t blk_config[8] = { 0x00, 0x10, 0, 0, 0, 0, 0, 0 }; /* capacity 4096 sectors */

static void setup_device(void)
{
	bb_virtio_device_init(&dev, 2, 2, queues);
	bb_virtio_offer(&dev, 1ull << 9, 256, blk_config, sizeof(blk_config)); /* VIRTIO_BLK_F_FLUSH */
	assert_int_equal(bb_virtio_pci_init(&p, &dev, 0x018000), 0);
}

static uint64_t cfg(uint32_t offset, uint32_t len)
{
	return bb_virtio_pci_config_read(&p, offset, len);
}

static uint64_t rd(uint32_t offset, uint32_t len)
{
	uint64_t v;
	struct bb_virtio_pci_event e = bb_virtio_pci_bar_read(&p, offset, len, &v);
	if (e.action != BB_VIRTIO_NONE)
		fail_msg("BAR read at %#x, %u bytes: action %d", offset, len, e.action);
	return v;
}

static struct bb_virtio_pci_event wr(uint32_t offset, uint32_t len, uint64_t v)
{
	return bb_virtio_pci_bar_write(&p, offset, len, v);
}

/* the vendor capability of cfg_type, as the driver finds it */
static uint32_t find_cap(uint8_t type)
{
	for (uint32_t at = (uint32_t)cfg(BB_PCI_CAPABILITY_LIST, 1); at; at = (uint32_t)cfg(at + 1, 1))
		if (cfg(at, 1) == BB_PCI_CAP_ID_VNDR && cfg(at + 3, 1) == type)
			return at;
	return 0;
}

static void capabilities_describe_the_bar(void **state)
{
	(void)state;
	setup_device();
	assert_int_equal(cfg(0, 4), 0x10421af4); /* 0x1040 + virtio-blk's ID 2 */
	assert_int_equal(cfg(0x08, 4) >> 8, 0x018000);
	static const struct {
		uint8_t type;
		uint32_t offset, length, cap_len;
	} want[] = {
		{ BB_VIRTIO_PCI_CAP_COMMON_CFG, 0x0000, 0x38, 16 },
		{ BB_VIRTIO_PCI_CAP_ISR_CFG, 0x1000, 1, 16 },
		{ BB_VIRTIO_PCI_CAP_DEVICE_CFG, 0x2000, 0x1000, 16 },
		{ BB_VIRTIO_PCI_CAP_NOTIFY_CFG, 0x3000, 8, 20 },
	};
	for (size_t i = 0; i < 4; i++) {
		uint32_t at = find_cap(want[i].type);
		assert_int_not_equal(at, 0);
		assert_int_equal(cfg(at + 2, 1), want[i].cap_len);
		assert_int_equal(cfg(at + 4, 1), 0); /* BAR 0 */
		assert_int_equal(cfg(at + 8, 4), want[i].offset);
		assert_int_equal(cfg(at + 12, 4), want[i].length);
	}
	assert_int_equal(cfg(find_cap(BB_VIRTIO_PCI_CAP_NOTIFY_CFG) + 16, 4), 4); /* notify_off_multiplier */
	/* MSI-X: a vector for each queue and the config, in BAR 0 */
	assert_int_equal(cfg(p.msix.cap, 1), BB_PCI_CAP_ID_MSIX);
	assert_int_equal(cfg(p.msix.cap + 2u, 2), 2);
	assert_int_equal(cfg(p.msix.cap + 4u, 4), 0x4000);
	assert_int_equal(cfg(p.msix.cap + 8u, 4), 0x6000);
	/* the BAR: 64-bit, 32 KiB */
	bb_virtio_pci_config_write(&p, 0x10, 4, 0xffffffff);
	bb_virtio_pci_config_write(&p, 0x14, 4, 0xffffffff);
	assert_int_equal(cfg(0x10, 4), 0xffff8004);
	assert_int_equal(cfg(0x14, 4), 0xffffffff);
	/* too many queues for the table */
	struct bb_virtio_queue many[BB_VIRTIO_PCI_MAX_QUEUES + 1];
	struct bb_virtio_device big;
	bb_virtio_device_init(&big, 2, BB_VIRTIO_PCI_MAX_QUEUES + 1, many);
	struct bb_virtio_pci bp;
	assert_int_equal(bb_virtio_pci_init(&bp, &big, 0x018000), -1);
}

static const uint64_t base = 0x8000010000ull;

static void placed(void)
{
	setup_device();
	assert_true(bb_virtio_pci_config_write(&p, 0x10, 4, (uint32_t)base).bar_moved);
	bb_virtio_pci_config_write(&p, 0x14, 4, base >> 32);
	assert_true(bb_virtio_pci_notify_address(&p, 0) == 0); /* not decoded yet */
	assert_true(bb_virtio_pci_config_write(&p, BB_PCI_COMMAND, 2, BB_PCI_COMMAND_MEMORY | BB_PCI_COMMAND_MASTER)
			    .bar_moved);
}

static void a_driver_sets_up_a_queue(void **state)
{
	(void)state;
	placed();
	assert_true(bb_virtio_pci_notify_address(&p, 1) == base + 0x3004);
	assert_true(bb_virtio_pci_notify_address(&p, 2) == 0);
	/* reset, ACKNOWLEDGE | DRIVER, features */
	assert_int_equal(wr(BB_VIRTIO_PCI_DEVICE_STATUS, 1, 0).action, BB_VIRTIO_NONE);
	assert_int_equal(rd(BB_VIRTIO_PCI_DEVICE_STATUS, 1), 0);
	wr(BB_VIRTIO_PCI_DEVICE_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(BB_VIRTIO_PCI_DEVICE_FEATURE_SELECT, 4, 1);
	assert_int_equal(rd(BB_VIRTIO_PCI_DEVICE_FEATURE, 4), 1); /* VERSION_1 */
	wr(BB_VIRTIO_PCI_DEVICE_FEATURE_SELECT, 4, 0);
	assert_int_equal(rd(BB_VIRTIO_PCI_DEVICE_FEATURE, 4), 1u << 9);
	wr(BB_VIRTIO_PCI_DRIVER_FEATURE_SELECT, 4, 1);
	wr(BB_VIRTIO_PCI_DRIVER_FEATURE, 4, 1);
	wr(BB_VIRTIO_PCI_DEVICE_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	assert_true(rd(BB_VIRTIO_PCI_DEVICE_STATUS, 1) & VIRTIO_STATUS_FEATURES_OK);
	assert_true(bb_virtio_negotiated(&dev) == BB_VIRTIO_F_VERSION_1);
	assert_int_equal(rd(BB_VIRTIO_PCI_NUM_QUEUES, 2), 2);
	/* vectors: one the table has, and one it lacks, which reads back as none */
	wr(BB_VIRTIO_PCI_CONFIG_MSIX_VECTOR, 2, 0);
	assert_int_equal(rd(BB_VIRTIO_PCI_CONFIG_MSIX_VECTOR, 2), 0);
	wr(BB_VIRTIO_PCI_QUEUE_SELECT, 2, 1);
	wr(BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR, 2, 3);
	assert_int_equal(rd(BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR, 2), BB_VIRTIO_PCI_NO_VECTOR);
	/* queue 0: its size, vector, rings (64-bit fields in halves), enable */
	wr(BB_VIRTIO_PCI_QUEUE_SELECT, 2, 0);
	assert_int_equal(rd(BB_VIRTIO_PCI_QUEUE_SIZE, 2), 256);
	assert_int_equal(rd(BB_VIRTIO_PCI_QUEUE_NOTIFY_OFF, 2), 0);
	wr(BB_VIRTIO_PCI_QUEUE_SIZE, 2, 128);
	wr(BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR, 2, 1);
	assert_int_equal(rd(BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR, 2), 1);
	wr(BB_VIRTIO_PCI_QUEUE_DESC, 4, 0x12340000);
	wr(BB_VIRTIO_PCI_QUEUE_DESC + 4, 4, 0x1);
	wr(BB_VIRTIO_PCI_QUEUE_DRIVER, 8, 0x12341000);
	wr(BB_VIRTIO_PCI_QUEUE_DEVICE, 4, 0x12342000);
	assert_true(rd(BB_VIRTIO_PCI_QUEUE_DESC, 8) == 0x112340000ull);
	assert_int_equal(rd(BB_VIRTIO_PCI_QUEUE_DESC + 4, 4), 1);
	wr(BB_VIRTIO_PCI_QUEUE_ENABLE, 2, 1);
	assert_int_equal(rd(BB_VIRTIO_PCI_QUEUE_ENABLE, 2), 1);
	assert_int_equal(queues[0].num, 128);
	assert_true(queues[0].desc == 0x112340000ull && queues[0].driver == 0x12341000 && queues[0].device == 0x12342000);
	/* enabled: its rings are the device's now */
	wr(BB_VIRTIO_PCI_QUEUE_DESC, 4, 0);
	wr(BB_VIRTIO_PCI_QUEUE_SIZE, 2, 64);
	assert_true(queues[0].desc == 0x112340000ull);
	assert_int_equal(queues[0].num, 128);
	/* read-only fields stay */
	wr(BB_VIRTIO_PCI_NUM_QUEUES, 2, 9);
	assert_int_equal(rd(BB_VIRTIO_PCI_NUM_QUEUES, 2), 2);
	assert_int_equal(wr(BB_VIRTIO_PCI_DEVICE_STATUS, 1, 0xf).action, BB_VIRTIO_DRIVER_OK);
	/* kicks: each queue at its own address, whatever the value */
	struct bb_virtio_pci_event e = wr(BB_VIRTIO_PCI_NOTIFY + 4, 2, 0xbeef);
	assert_int_equal(e.action, BB_VIRTIO_NOTIFY);
	assert_int_equal(e.arg, 1);
	assert_int_equal(wr(BB_VIRTIO_PCI_NOTIFY + 2, 2, 0).action, BB_VIRTIO_BAD_ACCESS);
	assert_int_equal(wr(BB_VIRTIO_PCI_NOTIFY + 8, 2, 0).action, BB_VIRTIO_BAD_ACCESS);
	/* the device's configuration */
	assert_true(rd(BB_VIRTIO_PCI_DEVICE_CFG, 8) == 4096);
	assert_int_equal(rd(BB_VIRTIO_PCI_DEVICE_CFG + 1, 1), 0x10);
	/* a reset after DRIVER_OK: the queues and the vectors go */
	assert_int_equal(wr(BB_VIRTIO_PCI_DEVICE_STATUS, 1, 0).action, BB_VIRTIO_RESET);
	assert_int_equal(queues[0].ready, 0);
	assert_int_equal(rd(BB_VIRTIO_PCI_CONFIG_MSIX_VECTOR, 2), BB_VIRTIO_PCI_NO_VECTOR);
	assert_int_equal(rd(BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR, 2), BB_VIRTIO_PCI_NO_VECTOR);
}

static void interrupts_by_vector(void **state)
{
	(void)state;
	placed();
	uint16_t vector = 0;
	wr(BB_VIRTIO_PCI_QUEUE_SELECT, 2, 0);
	wr(BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR, 2, 1);
	wr(BB_VIRTIO_PCI_CONFIG_MSIX_VECTOR, 2, 0);
	/* MSI-X still off: nothing is sent, and queue 1 has no vector */
	assert_int_equal(bb_virtio_pci_signal(&p, 0, &vector), BB_MSIX_DISABLED);
	assert_int_equal(bb_virtio_pci_signal(&p, 1, &vector), BB_MSIX_DISABLED);
	assert_true(bb_virtio_pci_config_write(&p, p.msix.cap + 2u, 2, BB_MSIX_CONTROL_ENABLE).routes_changed);
	/* vector 1 unmasked through the table in the BAR */
	assert_false(wr(BB_VIRTIO_PCI_MSIX_TABLE + 16, 8, 0xfee00000).routes_changed);
	assert_false(wr(BB_VIRTIO_PCI_MSIX_TABLE + 24, 4, 0x41).routes_changed);
	assert_true(wr(BB_VIRTIO_PCI_MSIX_TABLE + 28, 4, 0).routes_changed);
	assert_int_equal(rd(BB_VIRTIO_PCI_MSIX_TABLE + 24, 4), 0x41);
	assert_int_equal(bb_virtio_pci_signal(&p, 0, &vector), BB_MSIX_DELIVER);
	assert_int_equal(vector, 1);
	/* the config vector, masked: pending, in the PBA */
	assert_int_equal(bb_virtio_pci_signal(&p, BB_VIRTIO_PCI_NO_VECTOR, &vector), BB_MSIX_PENDING);
	assert_int_equal(vector, 0);
	assert_int_equal(rd(BB_VIRTIO_PCI_MSIX_PBA, 8), 1);
	wr(BB_VIRTIO_PCI_MSIX_PBA, 8, 0); /* read-only */
	assert_int_equal(rd(BB_VIRTIO_PCI_MSIX_PBA, 8), 1);
	/* the ISR byte: read to clear */
	bb_virtio_raise(&dev, BB_VIRTIO_INT_USED);
	assert_int_equal(rd(BB_VIRTIO_PCI_ISR, 1), 1);
	assert_int_equal(rd(BB_VIRTIO_PCI_ISR, 1), 0);
}

static void widths_a_field_lacks(void **state)
{
	(void)state;
	placed();
	uint64_t v = 7;
	const struct {
		uint32_t offset, len;
	} bad[] = {
		{ BB_VIRTIO_PCI_DEVICE_STATUS, 4 },	  { BB_VIRTIO_PCI_QUEUE_SIZE, 4 },  { BB_VIRTIO_PCI_DEVICE_FEATURE, 2 },
		{ BB_VIRTIO_PCI_DEVICE_FEATURE + 1, 1 }, { BB_VIRTIO_PCI_QUEUE_DESC + 2, 4 }, { 0x36, 4 },
		{ BB_VIRTIO_PCI_ISR, 4 },		  { 0x0800, 4 },		    { BB_VIRTIO_PCI_NOTIFY, 2 },
		{ BB_VIRTIO_PCI_QUEUE_SELECT, 3 },	  { 0x7ffc, 8 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bb_virtio_pci_event e = bb_virtio_pci_bar_read(&p, bad[i].offset, bad[i].len, &v);
		if (e.action != BB_VIRTIO_BAD_ACCESS || v != 0)
			fail_msg("read at %#x, %u bytes: action %d, value %#llx", bad[i].offset, bad[i].len, e.action,
				 (unsigned long long)v);
	}
	/* a status written 4 bytes wide changes nothing */
	assert_int_equal(wr(BB_VIRTIO_PCI_DEVICE_STATUS, 4, 0xf).action, BB_VIRTIO_BAD_ACCESS);
	assert_int_equal(rd(BB_VIRTIO_PCI_DEVICE_STATUS, 1), 0);
}

/* A transitional function, as QEMU's disable-legacy=off: the legacy
 * device ID, the subsystem ID still the virtio type, a legacy I/O BAR
 * sized the standard way beside the modern BAR; at its queue-notify
 * register a 16-bit write of a queue's index notifies it, and the rest
 * of the legacy interface is refused (reads 0). */
static void a_transitional_function(void **state)
{
	(void)state;
	setup_device();
	assert_int_equal(bb_virtio_pci_make_transitional(&p, 0x1001, 0x30), -1); /* no power of two */
	assert_int_equal(bb_virtio_pci_make_transitional(&p, 0x1001, 16), -1);   /* under 32 ports */
	assert_int_equal(bb_virtio_pci_make_transitional(&p, 0x1001, 0x40), 0);
	assert_int_equal(cfg(BB_PCI_DEVICE_ID, 2), 0x1001);
	assert_int_equal(cfg(BB_PCI_SUBSYSTEM_ID, 2), 2);
	uint32_t bar = BB_PCI_BAR0 + 4 * BB_VIRTIO_PCI_LEGACY_BAR;
	bb_virtio_pci_config_write(&p, bar, 4, 0xffffffff);
	assert_int_equal(cfg(bar, 4), 0xffffffc1u); /* 64 ports, I/O space */
	bb_virtio_pci_config_write(&p, bar, 4, 0x8040);
	bb_virtio_pci_config_write(&p, BB_PCI_COMMAND, 2, BB_PCI_COMMAND_IO);
	assert_int_equal(bb_pci_bar_address(&p.fn, BB_VIRTIO_PCI_LEGACY_BAR), 0x8040);
	/* the modern BAR is where it was: index 0, the capabilities name it */
	assert_int_equal(cfg(BB_PCI_BAR0, 4) & 0xf, 0x4);

	uint64_t v = 1;
	struct bb_virtio_pci_event e = bb_virtio_pci_legacy_access(&p, BB_VIRTIO_PCI_LEGACY_NOTIFY, 2, true, &v);
	assert_int_equal(e.action, BB_VIRTIO_NOTIFY);
	assert_int_equal(e.arg, 1);
	v = 7; /* a queue the device lacks: nothing to notify */
	e = bb_virtio_pci_legacy_access(&p, BB_VIRTIO_PCI_LEGACY_NOTIFY, 2, true, &v);
	assert_int_equal(e.action, BB_VIRTIO_NONE);
	v = 1; /* the notify register is 16 bits */
	e = bb_virtio_pci_legacy_access(&p, BB_VIRTIO_PCI_LEGACY_NOTIFY, 4, true, &v);
	assert_int_equal(e.action, BB_VIRTIO_BAD_ACCESS);
	v = 0xdead; /* the legacy header (host features) is not served */
	e = bb_virtio_pci_legacy_access(&p, 0, 4, false, &v);
	assert_int_equal(e.action, BB_VIRTIO_BAD_ACCESS);
	assert_int_equal(v, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capabilities_describe_the_bar),
		cmocka_unit_test(a_driver_sets_up_a_queue),
		cmocka_unit_test(interrupts_by_vector),
		cmocka_unit_test(widths_a_field_lacks),
		cmocka_unit_test(a_transitional_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
