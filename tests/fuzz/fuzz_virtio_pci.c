/* A guest driving a virtio-pci device, transitional when the input's
 * first byte is odd: each 12 bytes of input after it is one access
 * (configuration space, the BAR, or the legacy I/O BAR, at any offset and
 * width) or an interrupt the device sends. Whatever the order: queue
 * sizes stay within the device's maximum, every vector assigned is one
 * the MSI-X table has, FEATURES_OK holds only for an offered subset with
 * VERSION_1, a notify names a queue the device has, a refused read
 * returns 0, and a queue's notifier lies in the placed BAR's notify
 * area. */
#include "fuzz_target.h"
#include "guest_abi.h"
#include "virtio_pci.h"

#define QUEUES 3

static struct bb_virtio_device dev;
static struct bb_virtio_queue queues[QUEUES];
static struct bb_virtio_pci p;
static const uint8_t config[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static void check(void)
{
	for (unsigned q = 0; q < QUEUES; q++) {
		if (queues[q].num > dev.queue_num_max)
			abort();
		if (p.queue_vector[q] != BB_VIRTIO_PCI_NO_VECTOR && p.queue_vector[q] >= p.msix.nr_vectors)
			abort();
		uint64_t n = bb_virtio_pci_notify_address(&p, q);
		uint64_t bar = bb_pci_bar_address(&p.fn, BB_VIRTIO_PCI_BAR);
		if (n && (!bar || n != bar + BB_VIRTIO_PCI_NOTIFY + 4ull * q))
			abort();
	}
	if (p.config_vector != BB_VIRTIO_PCI_NO_VECTOR && p.config_vector >= p.msix.nr_vectors)
		abort();
	if ((dev.status & VIRTIO_STATUS_FEATURES_OK) &&
	    ((dev.driver_features & ~dev.features) || !(dev.driver_features & BB_VIRTIO_F_VERSION_1)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bb_virtio_device_init(&dev, 2, QUEUES, queues);
	bb_virtio_offer(&dev, (1ull << 9) | (1ull << 33), 128, config, sizeof(config));
	if (bb_virtio_pci_init(&p, &dev, 0x018000))
		abort();
	if (size && data[0] % 2 && bb_virtio_pci_make_transitional(&p, 0x1001, 0x40))
		abort();
	for (size_t at = 1; at + 12 <= size; at += 12) {
		const uint8_t *op = data + at;
		uint32_t offset = (uint32_t)(op[1] | op[2] << 8), len = op[3] % 9;
		uint64_t value;
		memcpy(&value, op + 4, 8);
		struct bb_virtio_pci_event e = { .action = BB_VIRTIO_NONE };
		switch (op[0] % 6) {
		case 0: (void)bb_virtio_pci_config_read(&p, offset % BB_PCI_CONFIG_SPACE, len); break;
		case 1: e = bb_virtio_pci_config_write(&p, offset % BB_PCI_CONFIG_SPACE, len, value); break;
		case 2: {
			uint64_t v = 1;
			e = bb_virtio_pci_bar_read(&p, offset % BB_VIRTIO_PCI_BAR_SIZE, len, &v);
			if (e.action == BB_VIRTIO_BAD_ACCESS && v != 0)
				abort();
			break;
		}
		case 3: e = bb_virtio_pci_bar_write(&p, offset % BB_VIRTIO_PCI_BAR_SIZE, len, value); break;
		case 4: {
			uint64_t v = value;
			e = bb_virtio_pci_legacy_access(&p, offset % 0x40, len, op[1] & 1, &v);
			if (!(op[1] & 1) && v != 0)
				abort(); /* the legacy interface is not served: reads 0 */
			break;
		}
		default: {
			uint16_t vector = 0xffff;
			uint32_t queue = value % 2 ? BB_VIRTIO_PCI_NO_VECTOR : (uint32_t)(value % (QUEUES + 1));
			enum bb_msix_event m = bb_virtio_pci_signal(&p, queue, &vector);
			if (m == BB_MSIX_DELIVER && vector >= p.msix.nr_vectors)
				abort();
			while (bb_msix_take_unmasked_pending(&p.msix) >= 0)
				;
			break;
		}
		}
		if (e.action == BB_VIRTIO_NOTIFY && e.arg >= QUEUES)
			abort();
		check();
	}
	return 0;
}
