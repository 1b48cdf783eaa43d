/* The PCI host bridge of a PCI guest: bus 0 behind an ECAM window at
 * mmio_base, and past it the window its functions' BARs are pre-assigned
 * in, with memory decoding on, as firmware (or Firecracker's PCI
 * transport) leaves them: Linux keeps an assignment that lies in the
 * bridge's window. A configuration access reaches the function in its
 * slot; an access in the window reaches the function whose BAR decodes it
 * now (the guest turns decoding off while it sizes a BAR, and may move
 * it), or reads all ones and drops a write, as a master abort does.
 *
 * MSI-X: every change of what a function routes (a vector unmasked,
 * masked or reprogrammed, MSI-X or its function mask turned on or off)
 * rebuilds KVM's whole routing table with one KVM_SET_GSI_ROUTING, each
 * waiting for kvm->irq_srcu, then assigns an irqfd to each vector that is
 * routed now and deassigns it from each that is not, as Firecracker's
 * MSI-X groups do (a deassign waits for kvm->irq_srcu too). msi_routes
 * batched holds a device's changes until its DRIVER_OK. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices.h"
#include "errorf.h"
#include "kvm_requests.h"
#include "vm_internal.h"

#define MIB (1ull << 20)
#define CLASS_MASS_STORAGE_OTHER 0x018000u
#define TRANSITIONAL_DEVICE_BASE 0x0fffu /* + the virtio type: 0x1001 for a block device */

/* A profile with port notifiers (x86) gets transitional functions, each
 * with a legacy I/O BAR of pio_stride ports at pio_base + i * pio_stride,
 * its queue-notify register where the pio notifiers go. */
static bool transitional(const struct bb_profile *p)
{
	return bb_profile_has_style(p, BB_STYLE_PIO) && bb_arch_layout()->has_pio;
}

/* The bridge's window: a BAR per device, whole MiBs. */
static uint64_t window_bytes(const struct bb_profile *p)
{
	uint64_t bytes = (uint64_t)p->devices * BB_VIRTIO_PCI_BAR_SIZE;
	return bytes ? (bytes + MIB - 1) & ~(MIB - 1) : MIB;
}

/* The value a guest access writes, and the answer to one that reads:
 * len bytes of a->data, little-endian as both arches' guests are here. */
static uint64_t written_value(const struct bb_io_access *a)
{
	uint64_t value = 0;
	memcpy(&value, a->data, a->len < 8 ? a->len : 8);
	return value;
}

static void answer(const struct bb_io_access *a, uint64_t value)
{
	memcpy(a->data, &value, a->len < 8 ? a->len : 8);
}

static struct bb_device *device_at(struct bb_vm *vm, uint32_t slot)
{
	return slot < vm->pci->nr_fns ? &vm->devices[slot] : NULL;
}

static int commit_routes(struct bb_vm *vm, int thread);

/* A change of what device d routes: into KVM now, or at its DRIVER_OK. */
static int routes_changed(struct bb_vm *vm, uint32_t d, bool driver_ok, int thread)
{
	struct bb_vm_pci *pci = vm->pci;
	if (vm->p->msi_routes == BB_MSI_ROUTES_BATCHED && !driver_ok) {
		pthread_mutex_lock(&pci->routes_lock);
		pci->routes_deferred[d] = true;
		pthread_mutex_unlock(&pci->routes_lock);
		return 0;
	}
	return commit_routes(vm, thread);
}

int bb_pci_driver_ok(struct bb_vm *vm, uint32_t dev, int thread)
{
	struct bb_vm_pci *pci = vm->pci;
	pthread_mutex_lock(&pci->routes_lock);
	bool deferred = pci->routes_deferred[dev];
	pci->routes_deferred[dev] = false;
	pthread_mutex_unlock(&pci->routes_lock);
	return deferred ? commit_routes(vm, thread) : 0;
}

/* The notifiers stay where they were registered: a BAR moved after that
 * would have the guest's kicks miss them. */
static int check_bar(struct bb_vm *vm, uint32_t d)
{
	struct bb_vm_pci *pci = vm->pci;
	uint64_t now = atomic_load(&pci->bar_at[d]);
	if (!vm->devices[d].notifiers_registered || !now || now == pci->registered_bar[d])
		return 0;
	bb_vm_fail(vm, "the guest moved disk %u's BAR from 0x%" PRIx64 " to 0x%" PRIx64 " after its queue notifiers were registered: bootbench pre-assigns BARs in the host bridge's window and does not move ioeventfds",
		   d, pci->registered_bar[d], now);
	return -1;
}

static int access_ecam(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	struct bb_vm *vm = a->dev;
	struct bb_vm_pci *pci = vm->pci;
	uint64_t offset = a->addr - a->base;
	uint32_t slot = 0, function = 0, reg = 0, bits = 0;
	bool driver_ok;
	struct bb_device *dev = NULL;

	if (bb_pci_ecam_decode(offset, a->len, &slot, &function, &reg) && function == 0)
		dev = device_at(vm, slot);
	if (dev)
		pthread_mutex_lock(&dev->lock);
	if (a->is_write) {
		int written;
		bits = bb_pci_bus_write(&pci->bus, offset, a->len, written_value(a), &written);
	} else {
		answer(a, bb_pci_bus_read(&pci->bus, offset, a->len));
	}
	if (!dev) /* an empty slot: all ones, writes dropped */
		return 0;
	atomic_store(&pci->bar_at[slot], bb_pci_bar_address(&pci->fns[slot].fn, BB_VIRTIO_PCI_BAR));
	driver_ok = dev->virtio.status & VIRTIO_STATUS_DRIVER_OK;
	pthread_mutex_unlock(&dev->lock);
	if (bits & BB_VIRTIO_PCI_SLOT_BAR_MOVED && check_bar(vm, slot) < 0)
		return -1;
	if (bits & BB_VIRTIO_PCI_SLOT_ROUTES_CHANGED)
		return routes_changed(vm, slot, driver_ok, (int)vcpu->index);
	return 0;
}

/* The function whose BAR decodes len bytes at addr now, or -1. */
static int function_decoding(const struct bb_vm_pci *pci, uint64_t addr, uint32_t len)
{
	for (uint32_t d = 0; d < pci->nr_fns; d++) {
		uint64_t base = atomic_load(&pci->bar_at[d]);
		if (base && addr >= base && addr - base + len <= BB_VIRTIO_PCI_BAR_SIZE)
			return (int)d;
	}
	return -1;
}

static int access_window(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	struct bb_vm *vm = a->dev;
	struct bb_vm_pci *pci = vm->pci;
	int d = function_decoding(pci, a->addr, a->len);

	if (d < 0) { /* a master abort */
		if (!a->is_write)
			memset(a->data, 0xff, a->len);
		return 0;
	}
	struct bb_device *dev = &vm->devices[d];
	struct bb_virtio_pci *fn = &pci->fns[d];
	uint32_t offset = (uint32_t)(a->addr - atomic_load(&pci->bar_at[d]));
	struct bb_virtio_pci_event e;
	bb_virtio_mark_probe(vm);
	pthread_mutex_lock(&dev->lock);
	if (a->is_write) {
		e = bb_virtio_pci_bar_write(fn, offset, a->len, written_value(a));
	} else {
		uint64_t value;
		e = bb_virtio_pci_bar_read(fn, offset, a->len, &value);
		answer(a, value);
	}
	bb_virtio_fresh_rings(dev, e.action);
	bool driver_ok = dev->virtio.status & VIRTIO_STATUS_DRIVER_OK;
	pthread_mutex_unlock(&dev->lock);
	if (e.action == BB_VIRTIO_BAD_ACCESS) {
		bb_vm_fail(vm, "the guest %s %u bytes at 0x%x of disk %u's BAR, where virtio-pci has no register of that width",
			   a->is_write ? "wrote" : "read", a->len, offset, (unsigned)d);
		return -1;
	}
	if (e.routes_changed && routes_changed(vm, (uint32_t)d, driver_ok, (int)vcpu->index) < 0)
		return -1;
	return dev->on_action(vcpu, dev, e.action, e.arg, offset, a->is_write);
}

/* A legacy I/O BAR access (transitional functions): what a modern driver
 * never does, but for a queue notify that came as an exit. */
static int access_legacy(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	struct bb_device *dev = a->dev;
	struct bb_vm *vm = dev->vm;
	uint32_t offset = (uint32_t)(a->addr - a->base);
	uint64_t value = written_value(a);
	pthread_mutex_lock(&dev->lock);
	struct bb_virtio_pci_event e = bb_virtio_pci_legacy_access(&vm->pci->fns[dev->index], offset, a->len, a->is_write, &value);
	pthread_mutex_unlock(&dev->lock);
	if (!a->is_write)
		answer(a, value);
	if (e.action == BB_VIRTIO_BAD_ACCESS) {
		bb_vm_fail(vm, "the guest %s %u bytes at 0x%x of disk %u's legacy I/O BAR: bootbench's transitional functions serve the modern interface, and take only queue notifies there",
			   a->is_write ? "wrote" : "read", a->len, offset, dev->index);
		return -1;
	}
	return dev->on_action(vcpu, dev, e.action, e.arg, offset, a->is_write);
}

static int alloc_host(struct bb_vm *vm, const struct bb_profile *p, char *err, size_t errlen)
{
	struct bb_vm_pci *pci = calloc(1, sizeof(*pci));
	uint32_t n = p->devices ? p->devices : 1, vectors = p->queues + 1;
	vm->pci = pci;
	if (!pci)
		goto oom;
	pthread_mutex_init(&pci->routes_lock, NULL);
	pci->vectors = vectors;
	pci->fns = calloc(n, sizeof(*pci->fns));
	pci->vector_eventfds = malloc((size_t)n * vectors * sizeof(int));
	pci->irqfd_assigned = calloc((size_t)n * vectors, sizeof(bool));
	pci->routed = calloc((size_t)n * vectors, sizeof(bool));
	pci->routes_deferred = calloc(n, sizeof(bool));
	pci->bar_at = calloc(n, sizeof(*pci->bar_at));
	pci->registered_bar = calloc(n, sizeof(*pci->registered_bar));
	/* the irqchip's routes, then a route per vector at most */
	if (!pci->fns || !pci->vector_eventfds || !pci->irqfd_assigned || !pci->routed || !pci->routes_deferred ||
	    !pci->bar_at || !pci->registered_bar || bb_irq_routing_init(&pci->routing, 1024 + n * vectors) < 0)
		goto oom;
	pci->first_gsi = bb_arch_default_routes(&pci->routing);
	for (uint32_t i = 0; i < n * vectors; i++)
		pci->vector_eventfds[i] = -1;
	return 0;
oom:
	bb_errorf(err, errlen, "out of memory placing the PCI host bridge of %u devices", p->devices);
	return -1;
}

void bb_pci_free(struct bb_vm *vm)
{
	struct bb_vm_pci *pci = vm->pci;
	if (!pci)
		return;
	pthread_mutex_destroy(&pci->routes_lock);
	bb_irq_routing_free(&pci->routing);
	free(pci->fns);
	free(pci->vector_eventfds);
	free(pci->irqfd_assigned);
	free(pci->routed);
	free(pci->routes_deferred);
	free(pci->bar_at);
	free(pci->registered_bar);
	free(pci);
	vm->pci = NULL;
}

int bb_pci_host_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm, uint32_t count,
		      char *err, size_t errlen)
{
	if (count != 1) {
		bb_errorf(err, errlen, "the workload asks for %u PCI host bridges; bootbench has one (bootbench bug)", count);
		return -1;
	}
	if (p->mmio_base % BB_ECAM_BUS_BYTES) {
		bb_errorf(err, errlen, "mmio_base 0x%" PRIx64 " is not 1 MiB-aligned: with transport pci the host bridge's ECAM window starts there, and ECAM is aligned to its size; use a multiple of 0x100000",
			  p->mmio_base);
		return -1;
	}
	if (p->devices > BB_PCI_SLOTS) {
		bb_errorf(err, errlen, "%u devices on transport pci: each is a function in a slot of bus 0, which has %u; lower devices to %u or fewer",
			  p->devices, BB_PCI_SLOTS, BB_PCI_SLOTS);
		return -1;
	}
	if (p->queues > BB_VIRTIO_PCI_MAX_QUEUES) {
		bb_errorf(err, errlen, "%u queues a device on transport pci: bootbench's virtio-pci functions have MSI-X vectors for at most %u; lower queues",
			  p->queues, BB_VIRTIO_PCI_MAX_QUEUES);
		return -1;
	}
	struct bb_placement ecam = {
		.type = "pci-host", .name = "the PCI host bridge's ECAM window", .fix = "move mmio_base",
		.base = p->mmio_base, .stride = BB_ECAM_BUS_BYTES, .count = 1, .handler = access_ecam, .devs = vm,
	};
	struct bb_placement window = {
		.name = "the PCI host bridge's BAR window", .fix = "move mmio_base or lower devices",
		.base = p->mmio_base + BB_ECAM_BUS_BYTES, .stride = window_bytes(p), .count = 1, .handler = access_window,
		.devs = vm,
	};
	if (bb_dm_place_mmio(dm, &ecam, err, errlen) < 0 || bb_dm_place_mmio(dm, &window, err, errlen) < 0)
		return -1;
	if (transitional(p)) {
		if (p->pio_stride & (p->pio_stride - 1) || p->pio_base % p->pio_stride) {
			bb_errorf(err, errlen, "style pio with transport pci: each transitional function's legacy I/O BAR is pio_stride (0x%x) ports, which must be a power of two that divides pio_base (0x%x)",
				  p->pio_stride, p->pio_base);
			return -1;
		}
		dm->pci_io = p->pio_base;
		dm->pci_io_len = p->devices * p->pio_stride;
	}
	dm->pci_ecam = ecam.base;
	dm->pci_ecam_len = ecam.stride;
	dm->pci_mmio32 = window.base;
	dm->pci_mmio32_len = window.stride;
	return vm ? alloc_host(vm, p, err, errlen) : 0;
}

int bb_pci_place_functions(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm,
			   const char *type, uint32_t count, char *err, size_t errlen)
{
	if (!dm->pci_mmio32_len) {
		bb_errorf(err, errlen, "%s functions placed before the PCI host bridge (bootbench bug)", type);
		return -1;
	}
	for (uint32_t i = 0; i < count; i++) {
		struct bb_machine_device d = {
			.type = type, .gpa = dm->pci_mmio32 + (uint64_t)i * BB_VIRTIO_PCI_BAR_SIZE, .len = BB_VIRTIO_PCI_BAR_SIZE,
		};
		if (bb_dm_record(dm, &d, err, errlen) < 0)
			return -1;
		if (!vm)
			continue;
		struct bb_pci_slot slot = bb_virtio_pci_slot(&vm->pci->fns[i]);
		if (bb_pci_bus_add(&vm->pci->bus, &slot) != (int)i) {
			bb_errorf(err, errlen, "no free slot on bus 0 for %s %u (bootbench bug)", type, i);
			return -1;
		}
	}
	if (transitional(p)) {
		char name[96];
		snprintf(name, sizeof(name), "%u %s functions' legacy I/O BARs", count, type);
		struct bb_placement io = {
			.name = name, .fix = "move pio_base or lower devices", .base = p->pio_base, .stride = p->pio_stride,
			.count = count, .handler = access_legacy, .devs = vm ? vm->devices : NULL, .dev_size = sizeof(struct bb_device),
		};
		if (bb_dm_place_pio(dm, &io, err, errlen) < 0)
			return -1;
	}
	if (vm) {
		vm->pci->nr_fns = count;
		vm->pci->window = dm->pci_mmio32;
	}
	return 0;
}

void bb_pci_reset(struct bb_vm *vm)
{
	struct bb_vm_pci *pci = vm->pci;
	for (uint32_t d = 0; d < pci->nr_fns; d++) {
		struct bb_virtio_pci *fn = &pci->fns[d];
		uint64_t bar = pci->window + (uint64_t)d * BB_VIRTIO_PCI_BAR_SIZE;
		/* checked at placement: no more queues than vectors */
		(void)bb_virtio_pci_init(fn, &vm->devices[d].virtio, CLASS_MASS_STORAGE_OTHER);
		bb_pci_config_write(&fn->fn, BB_PCI_BAR0 + 4 * BB_VIRTIO_PCI_BAR, 4, (uint32_t)bar);
		bb_pci_config_write(&fn->fn, BB_PCI_BAR0 + 4 * BB_VIRTIO_PCI_BAR + 4, 4, (uint32_t)(bar >> 32));
		uint16_t command = BB_PCI_COMMAND_MEMORY;
		if (transitional(vm->p)) {
			uint32_t port = vm->p->pio_base + d * vm->p->pio_stride;
			/* checked at placement: a power of two of 32 or more */
			(void)bb_virtio_pci_make_transitional(fn, (uint16_t)(TRANSITIONAL_DEVICE_BASE + vm->p->device_id),
							      vm->p->pio_stride);
			bb_pci_config_write(&fn->fn, BB_PCI_BAR0 + 4 * BB_VIRTIO_PCI_LEGACY_BAR, 4, port);
			command |= BB_PCI_COMMAND_IO;
		}
		bb_pci_set16(&fn->fn, BB_PCI_COMMAND, command);
		atomic_store(&pci->bar_at[d], bar);
		pci->registered_bar[d] = 0;
		pci->routes_deferred[d] = false;
	}
	memset(pci->irqfd_assigned, 0, (size_t)pci->nr_fns * pci->vectors * sizeof(bool));
}

uint64_t bb_pci_notify_address(const struct bb_vm *vm, uint32_t dev, uint32_t queue)
{
	const struct bb_vm_pci *pci = vm->pci;
	uint64_t bar = pci->registered_bar[dev] ? pci->registered_bar[dev] : atomic_load(&pci->bar_at[dev]);
	if (!bar || queue >= vm->p->queues)
		return 0;
	return bar + BB_VIRTIO_PCI_NOTIFY + (uint64_t)queue * BB_VIRTIO_PCI_NOTIFY_MULTIPLIER;
}

static int irqfd(struct bb_vm *vm, uint32_t i, bool assign, int thread)
{
	struct bb_vm_pci *pci = vm->pci;
	struct kvm_irqfd f = {
		.fd = (uint32_t)pci->vector_eventfds[i],
		.gsi = pci->first_gsi + i,
		.flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
	};
	if (bb_vm_ioctl(vm, thread, vm->vm_fd, bb_req_irqfd(&f)) < 0)
		return -1;
	pci->irqfd_assigned[i] = assign;
	if (assign)
		vm->it->irqfds++;
	return 0;
}

/* One vector's message now, through its eventfd: its irqfd injects it, or
 * will once assigned (KVM takes a count already there at assignment). */
static void deliver(struct bb_vm *vm, uint32_t i)
{
	uint64_t one = 1;
	int fd = vm->pci->vector_eventfds[i];
	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0)
		bb_vm_fail(vm, "disk %u: cannot signal MSI-X vector %u's eventfd: %s", i / vm->pci->vectors,
			   i % vm->pci->vectors, strerror(errno));
}

void bb_pci_signal(struct bb_vm *vm, uint32_t dev, uint32_t queue)
{
	uint16_t vector = 0;
	if (bb_virtio_pci_signal(&vm->pci->fns[dev], queue, &vector) == BB_MSIX_DELIVER)
		deliver(vm, dev * vm->pci->vectors + vector);
}

/* KVM's table from every function's vectors as they are now, then the
 * irqfds to match, then what was pending behind a mask. */
static int commit_locked(struct bb_vm *vm, int thread)
{
	struct bb_vm_pci *pci = vm->pci;
	struct bb_irq_routing *r = &pci->routing;
	uint32_t vectors = pci->vectors;

	r->table->nr = 0;
	if (bb_arch_default_routes(r) != pci->first_gsi) {
		bb_vm_fail(vm, "the irqchip's routes do not fit KVM's routing table (bootbench bug)");
		return -1;
	}
	for (uint32_t d = 0; d < pci->nr_fns; d++) {
		struct bb_device *dev = &vm->devices[d];
		pthread_mutex_lock(&dev->lock);
		/* bus 0, function 0: the requester ID is the slot's devfn */
		int64_t devid = vm->layout->msi_devid ? (int64_t)(d << 3) : -1;
		int added = bb_irq_routing_add_msix(r, &pci->fns[d].msix, pci->first_gsi + d * vectors, devid,
						    &pci->routed[(size_t)d * vectors]);
		pthread_mutex_unlock(&dev->lock);
		if (added < 0) {
			bb_vm_fail(vm, "disk %u's MSI-X routes do not fit KVM's routing table (bootbench bug)", d);
			return -1;
		}
	}
	if (bb_vm_ioctl(vm, thread, vm->vm_fd, bb_req_set_gsi_routing(r->table)) < 0)
		return -1;
	for (uint32_t i = 0; i < pci->nr_fns * vectors; i++)
		if (pci->routed[i] != pci->irqfd_assigned[i] && irqfd(vm, i, pci->routed[i], thread) < 0)
			return -1;
	for (uint32_t d = 0; d < pci->nr_fns; d++) {
		struct bb_device *dev = &vm->devices[d];
		pthread_mutex_lock(&dev->lock);
		for (int v; (v = bb_msix_take_unmasked_pending(&pci->fns[d].msix)) >= 0;)
			deliver(vm, d * vectors + (uint32_t)v);
		pthread_mutex_unlock(&dev->lock);
	}
	return 0;
}

static int commit_routes(struct bb_vm *vm, int thread)
{
	pthread_mutex_lock(&vm->pci->routes_lock);
	int rc = commit_locked(vm, thread);
	pthread_mutex_unlock(&vm->pci->routes_lock);
	return rc;
}
