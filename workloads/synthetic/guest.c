/* The guest payload: a virtio-mmio driver's probe and init sequence over
 * every device, one kick per queue, then Firecracker's boot-done signal.
 * Freestanding: built without libc, for every arch the VMM supports; the
 * arch's guest_io.h supplies the MMIO/PIO accessors. */
#include "guest_abi.h"
#include "guest_io.h"

static volatile struct bb_guest_config *cfg;

static void boot_timer_signal(uint8_t value)
{
	mmio_write8(cfg->boot_timer + BB_BOOT_TIMER_SIGNAL, value);
}

/* Tell the VMM what went wrong, then stop making progress. */
static void __attribute__((noreturn)) guest_fail(uint32_t error, uint32_t arg)
{
	mmio_write32(cfg->boot_timer + BB_BOOT_TIMER_ERROR_ARG, arg);
	mmio_write32(cfg->boot_timer + BB_BOOT_TIMER_ERROR, error);
	for (;;)
		cpu_relax();
}

static uint64_t device_base(uint32_t dev)
{
	return cfg->mmio_base + (uint64_t)dev * cfg->mmio_stride;
}

static uint32_t dev_read(uint32_t dev, uint64_t reg)
{
	return mmio_read32(device_base(dev) + reg);
}

static void dev_write(uint32_t dev, uint64_t reg, uint32_t value)
{
	mmio_write32(device_base(dev) + reg, value);
}

static void probe(uint32_t dev, uint32_t expected_id)
{
	if (dev_read(dev, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC)
		guest_fail(BB_GUEST_BAD_MAGIC, dev);
	if (dev_read(dev, VIRTIO_MMIO_VERSION) != VIRTIO_MMIO_VERSION_2)
		guest_fail(BB_GUEST_BAD_VERSION, dev);
	if (dev_read(dev, VIRTIO_MMIO_DEVICE_ID) != expected_id)
		guest_fail(BB_GUEST_BAD_DEVICE_ID, dev);
	(void)dev_read(dev, VIRTIO_MMIO_VENDOR_ID);
}

/* The order of virtio 1.x section 3.1.1, as Linux's virtio_mmio does it. */
static void initialize(uint32_t dev)
{
	uint32_t status = 0;

	dev_write(dev, VIRTIO_MMIO_STATUS, 0);
	status |= VIRTIO_STATUS_ACKNOWLEDGE;
	dev_write(dev, VIRTIO_MMIO_STATUS, status);
	status |= VIRTIO_STATUS_DRIVER;
	dev_write(dev, VIRTIO_MMIO_STATUS, status);

	dev_write(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, VIRTIO_F_VERSION_1_WORD);
	uint32_t features_hi = dev_read(dev, VIRTIO_MMIO_DEVICE_FEATURES);
	if (!(features_hi & VIRTIO_F_VERSION_1_BIT))
		guest_fail(BB_GUEST_FEATURES_REJECTED, dev);
	dev_write(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	dev_write(dev, VIRTIO_MMIO_DRIVER_FEATURES, 0);
	dev_write(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, VIRTIO_F_VERSION_1_WORD);
	dev_write(dev, VIRTIO_MMIO_DRIVER_FEATURES, VIRTIO_F_VERSION_1_BIT);
	status |= VIRTIO_STATUS_FEATURES_OK;
	dev_write(dev, VIRTIO_MMIO_STATUS, status);
	if (!(dev_read(dev, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		guest_fail(BB_GUEST_FEATURES_REJECTED, dev);

	for (uint32_t q = 0; q < cfg->queues; q++) {
		dev_write(dev, VIRTIO_MMIO_QUEUE_SEL, q);
		if (dev_read(dev, VIRTIO_MMIO_QUEUE_READY) != 0)
			guest_fail(BB_GUEST_QUEUE_IN_USE, dev);
		if (dev_read(dev, VIRTIO_MMIO_QUEUE_NUM_MAX) < cfg->queue_size)
			guest_fail(BB_GUEST_QUEUE_TOO_SMALL, dev);
		dev_write(dev, VIRTIO_MMIO_QUEUE_NUM, cfg->queue_size);
		dev_write(dev, VIRTIO_MMIO_QUEUE_READY, 1);
	}

	status |= VIRTIO_STATUS_DRIVER_OK;
	dev_write(dev, VIRTIO_MMIO_STATUS, status);
}

static void kick(uint32_t dev, uint32_t queue)
{
	if (cfg->notify == BB_NOTIFY_PIO)
		pio_write16(cfg->pio_base + dev * cfg->pio_stride +
				    VIRTIO_PCI_LEGACY_QUEUE_NOTIFY,
			    (uint16_t)queue);
	else if (cfg->notify == BB_NOTIFY_MMIO_PER_QUEUE)
		dev_write(dev, BB_NOTIFY_AREA(cfg->mmio_stride) + queue * BB_NOTIFY_MULTIPLIER, queue);
	else
		dev_write(dev, VIRTIO_MMIO_QUEUE_NOTIFY, queue);
}

void guest_main(uint64_t cpu, uint64_t config_gpa)
{
	cfg = (volatile struct bb_guest_config *)(uintptr_t)config_gpa;

	if (cpu != 0) {
		for (;;)
			cpu_relax();
	}

	boot_timer_signal(BB_BOOT_ENTERED);
	if (cfg->magic != BB_GUEST_CONFIG_MAGIC ||
	    cfg->abi_version != BB_GUEST_ABI_VERSION)
		guest_fail(BB_GUEST_BAD_CONFIG, cfg->magic);

	uint32_t expected_id = cfg->device_id;
	if (cfg->fault == BB_FAULT_BAD_DEVICE_ID)
		expected_id++;

	for (uint32_t round = 0; round < cfg->init_rounds; round++) {
		if (round > 0) {
			/* A driver reset, as on reboot or module reload. */
			for (uint32_t dev = 0; dev < cfg->devices; dev++)
				dev_write(dev, VIRTIO_MMIO_STATUS, 0);
		}
		for (uint32_t dev = 0; dev < cfg->devices; dev++) {
			probe(dev, expected_id);
			initialize(dev);
		}
	}

	if (cfg->fault == BB_FAULT_TRIPLE)
		guest_crash();

	for (uint32_t dev = 0; dev < cfg->devices; dev++) {
		for (uint32_t q = 0; q < cfg->queues; q++) {
			int first = dev == 0 && q == 0;
			if (first && cfg->fault == BB_FAULT_MISSING_KICK)
				continue;
			kick(dev, q);
			if (first && cfg->fault == BB_FAULT_EXTRA_KICK)
				kick(dev, q);
		}
	}

	if (cfg->fault == BB_FAULT_HANG) {
		for (;;)
			cpu_relax();
	}

	boot_timer_signal(BB_BOOT_DONE);
	for (;;)
		cpu_relax();
}
