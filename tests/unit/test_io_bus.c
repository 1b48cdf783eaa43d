/* The VMM's I/O bus and the device manager that places devices on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "device_manager.h"
#include "io_bus.h"

static int handler_a(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	(void)vcpu;
	(void)a;
	return 0;
}

static void finds_the_range_holding_an_address(void **state)
{
	(void)state;
	struct bb_io_bus bus;
	int devs[3];
	assert_int_equal(bb_io_bus_init(&bus, 3), 0);
	/* added out of order: the bus keeps them sorted */
	assert_int_equal(bb_io_bus_add(&bus, 0x3000, 0x1000, handler_a, &devs[2]), 0);
	assert_int_equal(bb_io_bus_add(&bus, 0x1000, 0x1000, handler_a, &devs[0]), 0);
	assert_int_equal(bb_io_bus_add(&bus, 0x2000, 0x800, handler_a, &devs[1]), 0);
	assert_null(bb_io_bus_find(&bus, 0xfff));
	assert_ptr_equal(bb_io_bus_find(&bus, 0x1000)->dev, &devs[0]);
	assert_ptr_equal(bb_io_bus_find(&bus, 0x1fff)->dev, &devs[0]);
	assert_ptr_equal(bb_io_bus_find(&bus, 0x2000)->dev, &devs[1]);
	assert_null(bb_io_bus_find(&bus, 0x2800)); /* the hole after a short range */
	assert_ptr_equal(bb_io_bus_find(&bus, 0x3fff)->dev, &devs[2]);
	assert_null(bb_io_bus_find(&bus, 0x4000));
	/* full */
	assert_int_equal(bb_io_bus_add(&bus, 0x9000, 0x10, handler_a, NULL), -1);
	bb_io_bus_free(&bus);
}

static void refuses_overlaps_and_empty_ranges(void **state)
{
	(void)state;
	struct bb_io_bus bus;
	assert_int_equal(bb_io_bus_init(&bus, 8), 0);
	assert_int_equal(bb_io_bus_add(&bus, 0x1000, 0x1000, handler_a, NULL), 0);
	assert_int_equal(bb_io_bus_add(&bus, 0x1800, 0x10, handler_a, NULL), -1); /* inside */
	assert_int_equal(bb_io_bus_add(&bus, 0x0800, 0x1000, handler_a, NULL), -1); /* over the start */
	assert_int_equal(bb_io_bus_add(&bus, 0x1fff, 0x10, handler_a, NULL), -1); /* over the end */
	assert_int_equal(bb_io_bus_add(&bus, 0x3000, 0, handler_a, NULL), -1);
	assert_int_equal(bb_io_bus_add(&bus, UINT64_MAX - 1, 0x10, handler_a, NULL), -1); /* wraps */
	assert_int_equal(bb_io_bus_add(&bus, 0x2000, 0x10, handler_a, NULL), 0); /* adjacent is fine */
	assert_int_equal(bus.n, 2);
	bb_io_bus_free(&bus);
}

static void places_devices_with_irqs_and_names_overlaps(void **state)
{
	(void)state;
	struct bb_device_manager dm;
	struct bb_io_bus mmio;
	struct bb_machine_device placed[4];
	char err[512];
	int devs[4];

	bb_dm_init(&dm, 0xc0000000, 0x100000000ull, 5, 2);
	assert_int_equal(bb_io_bus_init(&mmio, 4), 0);
	dm.mmio = &mmio;
	dm.placed = placed;
	dm.placed_capacity = 4;
	assert_int_equal(bb_dm_reserve(&dm, "guest RAM", "lower mem_mib", 0, 0xc0000000, err, sizeof(err)), 0);
	struct bb_placement pl = { .type = "virtio", .name = "3 devices", .fix = "move mmio_base", .base = 0xd0000000,
				   .stride = 0x1000, .count = 3, .handler = handler_a, .devs = devs,
				   .dev_size = sizeof(int), .irqs = 1 };
	assert_int_equal(bb_dm_place_mmio(&dm, &pl, err, sizeof(err)), 0);
	assert_int_equal(dm.nr_placed, 3);
	assert_int_equal(placed[2].gpa, 0xd0002000);
	assert_int_equal(placed[2].len, 0x1000);
	/* IRQs round-robin over the arch's two */
	assert_int_equal(placed[0].irq, 5);
	assert_int_equal(placed[1].irq, 6);
	assert_int_equal(placed[2].irq, 5);
	assert_ptr_equal(bb_io_bus_find(&mmio, 0xd0001004)->dev, &devs[1]);

	/* a zone over the devices names both sides and the fix */
	struct bb_placement zones = { .name = "the coalesced zones", .fix = "move coalesced_base", .base = 0xd0002000,
				      .stride = 0x1000, .count = 2 };
	assert_int_equal(bb_dm_place_mmio(&dm, &zones, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "the coalesced zones at 0xd0002000..0xd0004000 overlap 3 devices at 0xd0000000..0xd0003000: move coalesced_base"));
	/* outside the window */
	zones.base = 0x80000000;
	assert_int_equal(bb_dm_place_mmio(&dm, &zones, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "do not fit in the device window 0xc0000000..0x100000000"));
	/* over RAM, reserved */
	assert_int_equal(bb_dm_reserve(&dm, "the TSS", "move it", 0xbfff0000, 0x20000, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "overlap guest RAM"));
	bb_io_bus_free(&mmio);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_the_range_holding_an_address),
		cmocka_unit_test(refuses_overlaps_and_empty_ranges),
		cmocka_unit_test(places_devices_with_irqs_and_names_overlaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
