/* The virtio-mmio transport driven by a guest that writes what it likes:
 * the input is a sequence of register accesses (kind, offset, value,
 * width). Whatever the order, a queue's size never exceeds what the
 * device offers, FEATURES_OK stays set only for a subset of the offered
 * features that holds VERSION_1, a configuration read stays inside its
 * buffer (and past its end reads 0), and a reset leaves no queue set up. */
#include "fuzz_target.h"
#include "guest_abi.h"
#include "virtio_mmio.h"

#define QUEUES 4u
#define RECORD 8u

static void check(const struct bb_virtio_device *d)
{
	for (uint32_t q = 0; q < d->nr_queues; q++)
		if (d->queues[q].num > d->queue_num_max)
			abort();
	if (d->status & VIRTIO_STATUS_FEATURES_OK) {
		uint64_t agreed = bb_virtio_negotiated(d);
		if ((agreed & ~d->features) || !(agreed & BB_VIRTIO_F_VERSION_1))
			abort();
	} else if (bb_virtio_negotiated(d) != 0) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bb_virtio_queue queues[QUEUES];
	static const uint8_t config[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	struct bb_virtio_device d;

	bb_virtio_device_init(&d, 2, QUEUES, queues);
	if (size > 0)
		bb_virtio_offer(&d, (uint64_t)data[0] << 28 | (1ull << 9), 64, config, sizeof(config));
	for (size_t at = 1; at + RECORD <= size; at += RECORD) {
		const uint8_t *r = data + at;
		uint32_t offset = (uint32_t)(r[1] | r[2] << 8) & 0x1ff, value, arg = 0;
		memcpy(&value, r + 3, 4);
		switch (r[0] % 4) {
		case 0: { /* a register read */
			uint32_t v;
			(void)bb_virtio_mmio_read(&d, offset & ~3u, &v);
			break;
		}
		case 1: { /* a register write; a reset must leave no queue */
			enum bb_virtio_action a = bb_virtio_mmio_write(&d, offset & ~3u, value, &arg);
			if ((a == BB_VIRTIO_RESET || (offset == VIRTIO_MMIO_STATUS && value == 0)))
				for (uint32_t q = 0; q < QUEUES; q++)
					if (queues[q].num || queues[q].ready || queues[q].desc)
						abort();
			if (a == BB_VIRTIO_NOTIFY && arg != value)
				abort();
			break;
		}
		case 2: { /* a configuration read of any width at any offset */
			uint8_t out[8] = { 0 };
			uint32_t len = 1u << (r[7] % 4);
			if (bb_virtio_config_read(&d, offset, out, len) == BB_VIRTIO_NONE)
				for (uint32_t i = 0; i < len; i++)
					if (out[i] != (offset + i < sizeof(config) ? config[offset + i] : 0))
						abort();
			break;
		}
		default: /* the I/O thread's side */
			if (value & 1)
				bb_virtio_raise(&d, value & 3);
			else
				bb_virtio_needs_reset(&d);
		}
		check(&d);
	}
	return 0;
}
