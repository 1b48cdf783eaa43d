/* The virtio-mmio register model, driven the way a driver's probe does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "guest_abi.h"
#include "virtio_mmio.h"

static struct bb_virtio_queue queues[4];

static uint32_t rd(struct bb_virtio_device *d, uint32_t off)
{
	uint32_t v = 0xdeadbeef;
	assert_int_equal(bb_virtio_mmio_read(d, off, &v), BB_VIRTIO_NONE);
	return v;
}

static enum bb_virtio_action wr(struct bb_virtio_device *d, uint32_t off, uint32_t v)
{
	uint32_t arg = 0;
	return bb_virtio_mmio_write(d, off, v, &arg);
}

static void identity(void **state)
{
	(void)state;
	struct bb_virtio_device d;
	bb_virtio_device_init(&d, 2, 4, queues);
	assert_int_equal(rd(&d, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	assert_int_equal(rd(&d, VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(rd(&d, VIRTIO_MMIO_DEVICE_ID), 2);
	assert_int_equal(rd(&d, VIRTIO_MMIO_VENDOR_ID), BB_VIRTIO_VENDOR_ID);
	assert_int_equal(rd(&d, VIRTIO_MMIO_STATUS), 0);
}

static void init_sequence_reaches_driver_ok(void **state)
{
	(void)state;
	struct bb_virtio_device d;
	bb_virtio_device_init(&d, 1, 4, queues);
	assert_int_equal(wr(&d, VIRTIO_MMIO_STATUS, 1), BB_VIRTIO_NONE);
	assert_int_equal(wr(&d, VIRTIO_MMIO_STATUS, 3), BB_VIRTIO_NONE);
	wr(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(&d, VIRTIO_MMIO_DEVICE_FEATURES), 1); /* VERSION_1 */
	wr(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(rd(&d, VIRTIO_MMIO_DEVICE_FEATURES), 0);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	wr(&d, VIRTIO_MMIO_STATUS, 11);
	assert_int_equal(rd(&d, VIRTIO_MMIO_STATUS), 11); /* FEATURES_OK kept */
	for (uint32_t q = 0; q < 4; q++) {
		wr(&d, VIRTIO_MMIO_QUEUE_SEL, q);
		assert_int_equal(rd(&d, VIRTIO_MMIO_QUEUE_READY), 0);
		assert_int_equal(rd(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), 256);
		wr(&d, VIRTIO_MMIO_QUEUE_NUM, 128);
		wr(&d, VIRTIO_MMIO_QUEUE_READY, 1);
		assert_int_equal(rd(&d, VIRTIO_MMIO_QUEUE_READY), 1);
	}
	wr(&d, VIRTIO_MMIO_QUEUE_SEL, 4);
	assert_int_equal(rd(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), 0); /* no such queue */
	assert_int_equal(wr(&d, VIRTIO_MMIO_STATUS, 15), BB_VIRTIO_DRIVER_OK);
	/* writing the same status again is no new DRIVER_OK */
	assert_int_equal(wr(&d, VIRTIO_MMIO_STATUS, 15), BB_VIRTIO_NONE);
	assert_int_equal(queues[2].num, 128);

	assert_int_equal(wr(&d, VIRTIO_MMIO_STATUS, 0), BB_VIRTIO_RESET);
	assert_int_equal(rd(&d, VIRTIO_MMIO_STATUS), 0);
	assert_int_equal(queues[2].ready, 0);
	/* a reset before DRIVER_OK has nothing to tear down */
	assert_int_equal(wr(&d, VIRTIO_MMIO_STATUS, 0), BB_VIRTIO_NONE);
}

static void legacy_driver_is_refused(void **state)
{
	(void)state;
	struct bb_virtio_device d;
	bb_virtio_device_init(&d, 1, 4, queues);
	wr(&d, VIRTIO_MMIO_STATUS, 3);
	wr(&d, VIRTIO_MMIO_STATUS, 11); /* no VERSION_1 negotiated */
	assert_int_equal(rd(&d, VIRTIO_MMIO_STATUS), 3);
	bb_virtio_reset(&d);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES, 1u << 5); /* not offered */
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	wr(&d, VIRTIO_MMIO_STATUS, 11);
	assert_int_equal(rd(&d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, 0);
}

static void notify_and_bad_access(void **state)
{
	(void)state;
	struct bb_virtio_device d;
	uint32_t arg = 0, v;
	bb_virtio_device_init(&d, 1, 4, queues);
	assert_int_equal(bb_virtio_mmio_write(&d, VIRTIO_MMIO_QUEUE_NOTIFY, 3, &arg), BB_VIRTIO_NOTIFY);
	assert_int_equal(arg, 3);
	assert_int_equal(bb_virtio_mmio_read(&d, 0x0f0, &v), BB_VIRTIO_BAD_ACCESS);
	assert_int_equal(bb_virtio_mmio_write(&d, VIRTIO_MMIO_MAGIC_VALUE, 1, &arg), BB_VIRTIO_BAD_ACCESS);
}

/* A device with more to offer: what Linux's virtio-mmio driver reads. */
static void queue_addresses_interrupts_and_config(void **state)
{
	(void)state;
	struct bb_virtio_device d;
	const uint8_t config[10] = { 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0x04, 0x00 }; /* capacity 4096, num_queues 4 */
	uint8_t got[8];
	bb_virtio_device_init(&d, 2, 4, queues);
	bb_virtio_offer(&d, 1ull << 12, 64, config, sizeof(config));
	assert_int_equal(rd(&d, VIRTIO_MMIO_DEVICE_FEATURES), 1u << 12);
	wr(&d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(&d, VIRTIO_MMIO_DEVICE_FEATURES), 1); /* VERSION_1 is always offered */
	wr(&d, VIRTIO_MMIO_STATUS, 3);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES, 1u << 12);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	assert_int_equal(bb_virtio_negotiated(&d), 0); /* not before FEATURES_OK */
	wr(&d, VIRTIO_MMIO_STATUS, 11);
	assert_true(bb_virtio_negotiated(&d) == ((1ull << 32) | (1ull << 12)));
	/* features are fixed after FEATURES_OK */
	wr(&d, VIRTIO_MMIO_DRIVER_FEATURES, 0);
	assert_true(bb_virtio_negotiated(&d) & BB_VIRTIO_F_VERSION_1);

	wr(&d, VIRTIO_MMIO_QUEUE_SEL, 1);
	assert_int_equal(rd(&d, VIRTIO_MMIO_QUEUE_NUM_MAX), 64);
	wr(&d, VIRTIO_MMIO_QUEUE_NUM, 128); /* over the maximum: refused */
	assert_int_equal(queues[1].num, 0);
	wr(&d, VIRTIO_MMIO_QUEUE_NUM, 64);
	wr(&d, BB_VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1000);
	wr(&d, BB_VIRTIO_MMIO_QUEUE_DESC_HIGH, 0x1);
	wr(&d, BB_VIRTIO_MMIO_QUEUE_DRIVER_LOW, 0x2000);
	wr(&d, BB_VIRTIO_MMIO_QUEUE_DEVICE_LOW, 0x3000);
	wr(&d, VIRTIO_MMIO_QUEUE_READY, 1);
	wr(&d, BB_VIRTIO_MMIO_QUEUE_DESC_LOW, 0x9000); /* ignored once ready */
	assert_true(queues[1].desc == 0x100001000ull);
	assert_true(queues[1].driver == 0x2000 && queues[1].device == 0x3000);
	assert_int_equal(rd(&d, BB_VIRTIO_MMIO_QUEUE_DESC_HIGH), 1);

	bb_virtio_raise(&d, BB_VIRTIO_INT_USED);
	bb_virtio_raise(&d, BB_VIRTIO_INT_CONFIG);
	assert_int_equal(rd(&d, VIRTIO_MMIO_INTERRUPT_STATUS), 3);
	wr(&d, VIRTIO_MMIO_INTERRUPT_ACK, BB_VIRTIO_INT_USED);
	assert_int_equal(rd(&d, VIRTIO_MMIO_INTERRUPT_STATUS), 2);

	assert_int_equal(bb_virtio_config_read(&d, 0, got, 8), BB_VIRTIO_NONE);
	assert_memory_equal(got, config, 8);
	assert_int_equal(bb_virtio_config_read(&d, 8, got, 4), BB_VIRTIO_NONE);
	assert_int_equal(got[0], 4); /* past the end reads 0 */
	assert_int_equal(got[2], 0);
	assert_int_equal(bb_virtio_config_read(&d, 0, got, 3), BB_VIRTIO_BAD_ACCESS);
	assert_int_equal(rd(&d, BB_VIRTIO_MMIO_SHM_LEN_LOW), 0xffffffffu); /* no shared memory */

	bb_virtio_needs_reset(&d);
	assert_int_equal(rd(&d, VIRTIO_MMIO_STATUS) & BB_VIRTIO_STATUS_NEEDS_RESET, BB_VIRTIO_STATUS_NEEDS_RESET);
	wr(&d, VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(rd(&d, VIRTIO_MMIO_STATUS), 0);
	assert_int_equal(rd(&d, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identity),
		cmocka_unit_test(init_sequence_reaches_driver_ok),
		cmocka_unit_test(legacy_driver_is_refused),
		cmocka_unit_test(notify_and_bad_access),
		cmocka_unit_test(queue_addresses_interrupts_and_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
