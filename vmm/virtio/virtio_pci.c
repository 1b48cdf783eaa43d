#include "virtio_pci.h"

#include <string.h>

/* One virtio_pci_cap (4.1.4), its body after the ID and next pointer:
 * cap_len, cfg_type, bar, id, padding, offset, length, and for the notify
 * capability its multiplier. */
static int add_cap(struct bb_virtio_pci *p, uint8_t type, uint32_t offset, uint32_t length)
{
	uint8_t len = type == BB_VIRTIO_PCI_CAP_NOTIFY_CFG ? 20 : 16, body[18] = { 0 };
	body[0] = len;
	body[1] = type;
	body[2] = BB_VIRTIO_PCI_BAR;
	for (int i = 0; i < 4; i++) {
		body[6 + i] = (uint8_t)(offset >> (8 * i));
		body[10 + i] = (uint8_t)(length >> (8 * i));
		body[14 + i] = (uint8_t)(BB_VIRTIO_PCI_NOTIFY_MULTIPLIER >> (8 * i));
	}
	return bb_pci_add_capability(&p->fn, BB_PCI_CAP_ID_VNDR, body, len) ? 0 : -1;
}

int bb_virtio_pci_init(struct bb_virtio_pci *p, struct bb_virtio_device *dev, uint32_t class_code)
{
	if (dev->nr_queues > BB_VIRTIO_PCI_MAX_QUEUES)
		return -1;
	memset(p, 0, sizeof(*p));
	p->dev = dev;
	bb_pci_function_init(&p->fn, BB_VIRTIO_PCI_VENDOR, (uint16_t)(BB_VIRTIO_PCI_DEVICE_BASE + dev->device_id),
			     class_code, 1, BB_VIRTIO_PCI_VENDOR, (uint16_t)dev->device_id);
	if (bb_pci_add_bar(&p->fn, BB_VIRTIO_PCI_BAR, BB_PCI_BAR_MEM64, BB_VIRTIO_PCI_BAR_SIZE) < 0 ||
	    add_cap(p, BB_VIRTIO_PCI_CAP_COMMON_CFG, BB_VIRTIO_PCI_COMMON, BB_VIRTIO_PCI_COMMON_LEN) < 0 ||
	    add_cap(p, BB_VIRTIO_PCI_CAP_ISR_CFG, BB_VIRTIO_PCI_ISR, 1) < 0 ||
	    add_cap(p, BB_VIRTIO_PCI_CAP_DEVICE_CFG, BB_VIRTIO_PCI_DEVICE_CFG, BB_VIRTIO_PCI_DEVICE_CFG_LEN) < 0 ||
	    add_cap(p, BB_VIRTIO_PCI_CAP_NOTIFY_CFG, BB_VIRTIO_PCI_NOTIFY,
		    (dev->nr_queues ? dev->nr_queues : 1) * BB_VIRTIO_PCI_NOTIFY_MULTIPLIER) < 0 ||
	    bb_msix_init(&p->msix, &p->fn, p->table, p->pending, (uint16_t)(dev->nr_queues + 1), BB_VIRTIO_PCI_BAR,
			 BB_VIRTIO_PCI_MSIX_TABLE, BB_VIRTIO_PCI_BAR, BB_VIRTIO_PCI_MSIX_PBA) < 0)
		return -1;
	bb_virtio_pci_reset(p);
	return 0;
}

int bb_virtio_pci_make_transitional(struct bb_virtio_pci *p, uint16_t legacy_device, uint32_t io_size)
{
	if (io_size < 32 || (io_size & (io_size - 1)) ||
	    bb_pci_add_bar(&p->fn, BB_VIRTIO_PCI_LEGACY_BAR, BB_PCI_BAR_IO, io_size) < 0)
		return -1;
	bb_pci_set16(&p->fn, BB_PCI_DEVICE_ID, legacy_device);
	return 0;
}

struct bb_virtio_pci_event bb_virtio_pci_legacy_access(struct bb_virtio_pci *p, uint32_t offset, uint32_t len,
						       bool is_write, uint64_t *value)
{
	struct bb_virtio_pci_event e = { .action = BB_VIRTIO_BAD_ACCESS };
	if (is_write && offset == BB_VIRTIO_PCI_LEGACY_NOTIFY && len == 2) {
		/* a queue the device lacks is notified of nothing */
		e.action = *value < p->dev->nr_queues ? BB_VIRTIO_NOTIFY : BB_VIRTIO_NONE;
		e.arg = (uint32_t)*value;
	}
	if (!is_write)
		*value = 0;
	return e;
}

static void unassign_vectors(struct bb_virtio_pci *p)
{
	p->config_vector = BB_VIRTIO_PCI_NO_VECTOR;
	for (uint32_t q = 0; q < BB_VIRTIO_PCI_MAX_QUEUES; q++)
		p->queue_vector[q] = BB_VIRTIO_PCI_NO_VECTOR;
}

void bb_virtio_pci_reset(struct bb_virtio_pci *p)
{
	bb_virtio_reset(p->dev);
	unassign_vectors(p);
}

uint64_t bb_virtio_pci_config_read(const struct bb_virtio_pci *p, uint32_t offset, uint32_t len)
{
	return bb_pci_config_read(&p->fn, offset, len);
}

struct bb_virtio_pci_event bb_virtio_pci_config_write(struct bb_virtio_pci *p, uint32_t offset, uint32_t len,
						      uint64_t value)
{
	struct bb_virtio_pci_event e = { .action = BB_VIRTIO_NONE };
	uint32_t wrote = bb_pci_config_write(&p->fn, offset, len, value);
	e.bar_moved = wrote & (BB_PCI_WROTE_BAR(BB_VIRTIO_PCI_BAR) | BB_PCI_WROTE_COMMAND);
	if (wrote & BB_PCI_WROTE_CAPABILITY)
		e.routes_changed = bb_msix_control_written(&p->msix, &p->fn) == BB_MSIX_ROUTES_CHANGED;
	return e;
}

/* a vector the table has, or none */
static uint16_t vector_or_none(const struct bb_virtio_pci *p, uint64_t v)
{
	return v < p->msix.nr_vectors ? (uint16_t)v : BB_VIRTIO_PCI_NO_VECTOR;
}

/* The common configuration's field at offset read or written len bytes
 * wide: its start and width, or 0 for no field at that width. A 64-bit
 * field also takes 32-bit halves, as drivers write it. */
static uint32_t common_field(uint32_t offset, uint32_t len, uint32_t *start)
{
	static const uint8_t widths[BB_VIRTIO_PCI_COMMON_LEN] = {
		[0x00] = 4, [0x04] = 4, [0x08] = 4, [0x0c] = 4, [0x10] = 2, [0x12] = 2, [0x14] = 1, [0x15] = 1,
		[0x16] = 2, [0x18] = 2, [0x1a] = 2, [0x1c] = 2, [0x1e] = 2, [0x20] = 8, [0x28] = 8, [0x30] = 8,
	};
	if (offset >= BB_VIRTIO_PCI_COMMON_LEN)
		return 0;
	if (widths[offset] == len) {
		*start = offset;
		return len;
	}
	if (len == 4 && offset >= 0x20 && offset % 8 == 4) {
		*start = offset - 4;
		return 8;
	}
	if (len == 4 && widths[offset] == 8) {
		*start = offset;
		return 8;
	}
	return 0;
}

static uint64_t *queue_address(struct bb_virtio_queue *q, uint32_t field)
{
	return field == BB_VIRTIO_PCI_QUEUE_DESC ? &q->desc : field == BB_VIRTIO_PCI_QUEUE_DRIVER ? &q->driver : &q->device;
}

static bool common_read(struct bb_virtio_pci *p, uint32_t offset, uint32_t len, uint64_t *value)
{
	struct bb_virtio_device *dev = p->dev;
	struct bb_virtio_queue *q = bb_virtio_selected_queue(dev);
	uint32_t field;
	if (!common_field(offset, len, &field))
		return false;
	uint64_t v = 0;
	switch (field) {
	case BB_VIRTIO_PCI_DEVICE_FEATURE_SELECT: v = dev->device_features_sel; break;
	case BB_VIRTIO_PCI_DEVICE_FEATURE: v = bb_virtio_feature_word(dev->features, dev->device_features_sel); break;
	case BB_VIRTIO_PCI_DRIVER_FEATURE_SELECT: v = dev->driver_features_sel; break;
	case BB_VIRTIO_PCI_DRIVER_FEATURE:
		v = bb_virtio_feature_word(dev->driver_features, dev->driver_features_sel);
		break;
	case BB_VIRTIO_PCI_CONFIG_MSIX_VECTOR: v = p->config_vector; break;
	case BB_VIRTIO_PCI_NUM_QUEUES: v = dev->nr_queues; break;
	case BB_VIRTIO_PCI_DEVICE_STATUS: v = bb_virtio_status(dev) & 0xff; break;
	case BB_VIRTIO_PCI_CONFIG_GENERATION: v = 0; break; /* the configuration never changes */
	case BB_VIRTIO_PCI_QUEUE_SELECT: v = dev->queue_sel; break;
	/* the largest size until the driver picks one (4.1.4.3) */
	case BB_VIRTIO_PCI_QUEUE_SIZE: v = q ? (q->num ? q->num : dev->queue_num_max) : 0; break;
	case BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR: v = q ? p->queue_vector[dev->queue_sel] : BB_VIRTIO_PCI_NO_VECTOR; break;
	case BB_VIRTIO_PCI_QUEUE_ENABLE: v = q ? q->ready : 0; break;
	case BB_VIRTIO_PCI_QUEUE_NOTIFY_OFF: v = q ? dev->queue_sel : 0; break;
	default: v = q ? *queue_address(q, field) : 0; break;
	}
	*value = len == 8 || field < BB_VIRTIO_PCI_QUEUE_DESC ? v : (uint32_t)(v >> (offset == field ? 0 : 32));
	return true;
}

static bool common_write(struct bb_virtio_pci *p, uint32_t offset, uint32_t len, uint64_t value,
			 struct bb_virtio_pci_event *e)
{
	struct bb_virtio_device *dev = p->dev;
	struct bb_virtio_queue *q = bb_virtio_selected_queue(dev);
	uint32_t field;
	if (!common_field(offset, len, &field))
		return false;
	switch (field) {
	case BB_VIRTIO_PCI_DEVICE_FEATURE_SELECT: dev->device_features_sel = (uint32_t)value; break;
	case BB_VIRTIO_PCI_DRIVER_FEATURE_SELECT: dev->driver_features_sel = (uint32_t)value; break;
	case BB_VIRTIO_PCI_DRIVER_FEATURE: bb_virtio_write_driver_features(dev, (uint32_t)value); break;
	/* a vector the table lacks reads back as none, which the driver checks */
	case BB_VIRTIO_PCI_CONFIG_MSIX_VECTOR: p->config_vector = vector_or_none(p, value); break;
	case BB_VIRTIO_PCI_DEVICE_STATUS:
		e->action = bb_virtio_write_status(dev, (uint32_t)value);
		if (value == 0)
			unassign_vectors(p);
		break;
	case BB_VIRTIO_PCI_QUEUE_SELECT: dev->queue_sel = (uint32_t)value; break;
	case BB_VIRTIO_PCI_QUEUE_SIZE:
		if (q && !q->ready)
			q->num = value <= dev->queue_num_max ? (uint32_t)value : 0;
		break;
	case BB_VIRTIO_PCI_QUEUE_MSIX_VECTOR:
		if (q)
			p->queue_vector[dev->queue_sel] = vector_or_none(p, value);
		break;
	case BB_VIRTIO_PCI_QUEUE_ENABLE:
		if (q && value == 1) /* a driver never writes 0 (4.1.4.3.2) */
			q->ready = 1;
		break;
	case BB_VIRTIO_PCI_QUEUE_DESC:
	case BB_VIRTIO_PCI_QUEUE_DRIVER:
	case BB_VIRTIO_PCI_QUEUE_DEVICE:
		/* a queue's addresses are the driver's until it enables it */
		if (!q || q->ready)
			break;
		if (len == 8)
			*queue_address(q, field) = value;
		else
			bb_virtio_set_half(queue_address(q, field), (uint32_t)value, offset != field);
		break;
	default: break; /* the device's own: device_feature, num_queues, ... */
	}
	return true;
}

static bool in(uint32_t offset, uint32_t len, uint32_t base, uint32_t size)
{
	return offset >= base && offset - base < size && len <= size - (offset - base);
}

static bool access_width(uint32_t len)
{
	return len == 1 || len == 2 || len == 4 || len == 8;
}

static uint32_t pba_size(const struct bb_virtio_pci *p)
{
	return ((p->msix.nr_vectors + 63u) / 64u) * 8u;
}

struct bb_virtio_pci_event bb_virtio_pci_bar_read(struct bb_virtio_pci *p, uint32_t offset, uint32_t len,
						  uint64_t *value)
{
	struct bb_virtio_pci_event e = { .action = BB_VIRTIO_BAD_ACCESS };
	*value = 0;
	if (!access_width(len))
		return e;
	e.action = BB_VIRTIO_NONE;
	if (in(offset, len, BB_VIRTIO_PCI_COMMON, BB_VIRTIO_PCI_COMMON_LEN)) {
		if (!common_read(p, offset, len, value))
			e.action = BB_VIRTIO_BAD_ACCESS;
	} else if (offset == BB_VIRTIO_PCI_ISR && len == 1) {
		*value = atomic_exchange(&p->dev->interrupt_status, 0); /* read to clear (4.1.4.5) */
	} else if (in(offset, len, BB_VIRTIO_PCI_DEVICE_CFG, BB_VIRTIO_PCI_DEVICE_CFG_LEN)) {
		uint8_t bytes[8];
		e.action = bb_virtio_config_read(p->dev, offset - BB_VIRTIO_PCI_DEVICE_CFG, bytes, len);
		for (uint32_t i = 0; i < len && e.action == BB_VIRTIO_NONE; i++)
			*value |= (uint64_t)bytes[i] << (8 * i);
	} else if (in(offset, len, BB_VIRTIO_PCI_MSIX_TABLE, p->msix.nr_vectors * BB_MSIX_ENTRY_SIZE)) {
		*value = bb_msix_table_read(&p->msix, offset - BB_VIRTIO_PCI_MSIX_TABLE, len);
	} else if (in(offset, len, BB_VIRTIO_PCI_MSIX_PBA, pba_size(p))) {
		*value = bb_msix_pba_read(&p->msix, offset - BB_VIRTIO_PCI_MSIX_PBA, len);
	} else {
		e.action = BB_VIRTIO_BAD_ACCESS; /* the notify area, and the BAR's gaps */
	}
	return e;
}

struct bb_virtio_pci_event bb_virtio_pci_bar_write(struct bb_virtio_pci *p, uint32_t offset, uint32_t len,
						   uint64_t value)
{
	struct bb_virtio_pci_event e = { .action = BB_VIRTIO_BAD_ACCESS };
	uint32_t notify_len = p->dev->nr_queues * BB_VIRTIO_PCI_NOTIFY_MULTIPLIER;
	if (!access_width(len))
		return e;
	e.action = BB_VIRTIO_NONE;
	if (in(offset, len, BB_VIRTIO_PCI_COMMON, BB_VIRTIO_PCI_COMMON_LEN)) {
		if (!common_write(p, offset, len, value, &e))
			e.action = BB_VIRTIO_BAD_ACCESS;
	} else if (in(offset, len, BB_VIRTIO_PCI_NOTIFY, notify_len) &&
		   (offset - BB_VIRTIO_PCI_NOTIFY) % BB_VIRTIO_PCI_NOTIFY_MULTIPLIER == 0) {
		/* the address names the queue; the value (its index, or notification data) is not needed */
		e.action = BB_VIRTIO_NOTIFY;
		e.arg = (offset - BB_VIRTIO_PCI_NOTIFY) / BB_VIRTIO_PCI_NOTIFY_MULTIPLIER;
	} else if (in(offset, len, BB_VIRTIO_PCI_MSIX_TABLE, p->msix.nr_vectors * BB_MSIX_ENTRY_SIZE)) {
		e.routes_changed = bb_msix_table_write(&p->msix, offset - BB_VIRTIO_PCI_MSIX_TABLE, len, value) ==
				   BB_MSIX_ROUTES_CHANGED;
	} else if (in(offset, len, BB_VIRTIO_PCI_DEVICE_CFG, BB_VIRTIO_PCI_DEVICE_CFG_LEN) ||
		   in(offset, len, BB_VIRTIO_PCI_MSIX_PBA, pba_size(p))) {
		/* no device here has writable configuration; the PBA is read-only */
	} else {
		e.action = BB_VIRTIO_BAD_ACCESS;
	}
	return e;
}

enum bb_msix_event bb_virtio_pci_signal(struct bb_virtio_pci *p, uint32_t queue, uint16_t *vector)
{
	uint16_t v = queue == BB_VIRTIO_PCI_NO_VECTOR ? p->config_vector
			: queue < p->dev->nr_queues ? p->queue_vector[queue]
						    : BB_VIRTIO_PCI_NO_VECTOR;
	if (v == BB_VIRTIO_PCI_NO_VECTOR)
		return BB_MSIX_DISABLED; /* no INTx either: the driver gave it no vector */
	*vector = v;
	return bb_msix_signal(&p->msix, v);
}

uint64_t bb_virtio_pci_notify_address(const struct bb_virtio_pci *p, uint32_t queue)
{
	uint64_t base = bb_pci_bar_address(&p->fn, BB_VIRTIO_PCI_BAR);
	return base && queue < p->dev->nr_queues
		       ? base + BB_VIRTIO_PCI_NOTIFY + (uint64_t)queue * BB_VIRTIO_PCI_NOTIFY_MULTIPLIER
		       : 0;
}

static uint64_t slot_read(void *dev, uint32_t offset, uint32_t len)
{
	return bb_virtio_pci_config_read(dev, offset, len);
}

static uint32_t slot_write(void *dev, uint32_t offset, uint32_t len, uint64_t value)
{
	struct bb_virtio_pci_event e = bb_virtio_pci_config_write(dev, offset, len, value);
	return (e.bar_moved ? BB_VIRTIO_PCI_SLOT_BAR_MOVED : 0) | (e.routes_changed ? BB_VIRTIO_PCI_SLOT_ROUTES_CHANGED : 0);
}

struct bb_pci_slot bb_virtio_pci_slot(struct bb_virtio_pci *p)
{
	return (struct bb_pci_slot){ .dev = p, .read = slot_read, .write = slot_write };
}
