/* Queue-notify ioeventfds in the styles real VMMs use, plus the other
 * registrations a boot makes: coalesced MMIO zones and irqfds. Each queue
 * has one eventfd; every style of the profile registers it (QEMU puts a
 * transitional device's MMIO and PIO notifiers on one eventfd), so one
 * guest kick moves its counter by exactly one. */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "kvm_errors.h"
#include "kvm_requests.h"
#include "vm_internal.h"

static long new_eventfd(void *ctx)
{
	(void)ctx;
	return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

static int create_eventfd(struct bb_vm *vm, uint64_t what)
{
	struct bb_call call = bb_call(BB_OP_EVENTFD, BB_THREAD_MAIN, what, 0, 0);
	int fd = (int)__bb_timed(&vm->log, call, new_eventfd, NULL);
	if (fd < 0)
		bb_vm_fail_call(vm, call, errno);
	return fd;
}

/* n eventfds into fds, the i-th timed with argument i. */
static int create_eventfds(struct bb_vm *vm, int *fds, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		fds[i] = create_eventfd(vm, i);
		if (fds[i] < 0)
			return -1;
	}
	return 0;
}

int bb_notify_create_eventfds(struct bb_vm *vm)
{
	return create_eventfds(vm, vm->queue_eventfds, vm->p->devices * vm->p->queues);
}

struct notifier {
	struct kvm_ioeventfd io;
	enum bb_bus bus;
	bool fast_mmio_too; /* len 0 also registers on the FAST_MMIO bus */
};

static struct notifier notifier_for(const struct bb_vm *vm, uint32_t dev, uint32_t queue,
				    enum bb_style style)
{
	const struct bb_profile *p = vm->p;
	int fd = vm->queue_eventfds[dev * p->queues + queue];
	uint64_t base = p->mmio_base + dev * p->mmio_stride;
	uint64_t mmio = base + VIRTIO_MMIO_QUEUE_NOTIFY;
	uint64_t per_queue = base + BB_NOTIFY_AREA(p->mmio_stride) + (uint64_t)queue * BB_NOTIFY_MULTIPLIER;
	if (vm->pci) /* the notify area of the function's BAR */
		per_queue = bb_pci_notify_address(vm, dev, queue);

	switch (style) {
	case BB_STYLE_MMIO:
		return (struct notifier){
			.io = { .addr = mmio, .len = 4, .datamatch = queue, .fd = fd,
				.flags = KVM_IOEVENTFD_FLAG_DATAMATCH },
			.bus = BB_BUS_MMIO };
	case BB_STYLE_MMIO_ANY:
		return (struct notifier){
			.io = { .addr = per_queue, .len = 0, .fd = fd },
			.bus = BB_BUS_MMIO, .fast_mmio_too = true };
	case BB_STYLE_PIO:
	default:
		return (struct notifier){
			.io = { .addr = p->pio_base + dev * p->pio_stride + VIRTIO_PCI_LEGACY_QUEUE_NOTIFY,
				.len = 2, .datamatch = queue, .fd = fd,
				.flags = KVM_IOEVENTFD_FLAG_DATAMATCH | KVM_IOEVENTFD_FLAG_PIO },
			.bus = BB_BUS_PIO };
	}
}

static int ioeventfd(struct bb_vm *vm, struct notifier *n, bool assign, int thread)
{
	if (!assign)
		n->io.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
	return (int)bb_vm_ioctl(vm, thread, vm->vm_fd, bb_req_ioeventfd(&n->io));
}

int bb_notify_register_device(struct bb_vm *vm, uint32_t dev, int thread)
{
	const struct bb_profile *p = vm->p;
	struct bb_iteration *it = vm->it;

	for (uint32_t q = 0; q < p->queues; q++) {
		for (uint32_t s = 0; s < p->nr_styles; s++) {
			struct notifier n = notifier_for(vm, dev, q, p->styles[s]);
			if (n.io.addr == 0) {
				bb_vm_fail(vm, "disk %u's BAR does not decode when its queue notifiers are to be registered: the guest turned its memory decoding off",
					   dev);
				return -1;
			}
			if (ioeventfd(vm, &n, true, thread) < 0)
				return -1;
			it->ioeventfds_assigned++;
			it->bus_ioeventfds[n.bus]++;
			if (n.fast_mmio_too)
				it->bus_ioeventfds[BB_BUS_FAST_MMIO]++;
		}
	}
	vm->devices[dev].notifiers_registered = true;
	if (vm->pci) /* a BAR moved from here would have the kicks miss them */
		vm->pci->registered_bar[dev] = atomic_load(&vm->pci->bar_at[dev]);
	return 0;
}

int bb_notify_deassign_device(struct bb_vm *vm, uint32_t dev, int thread)
{
	const struct bb_profile *p = vm->p;

	if (!vm->devices[dev].notifiers_registered)
		return 0;
	for (uint32_t q = 0; q < p->queues; q++) {
		for (uint32_t s = 0; s < p->nr_styles; s++) {
			struct notifier n = notifier_for(vm, dev, q, p->styles[s]);
			if (ioeventfd(vm, &n, false, thread) < 0)
				return -1;
			vm->it->ioeventfds_deassigned++;
		}
	}
	vm->devices[dev].notifiers_registered = false;
	if (vm->pci)
		vm->pci->registered_bar[dev] = 0;
	return 0;
}

int bb_notify_driver_ok(struct bb_vm *vm, uint32_t dev, int thread)
{
	const struct bb_profile *p = vm->p;

	if (p->when == BB_WHEN_STATIC)
		return 0;
	if (bb_notify_register_device(vm, dev, thread) < 0)
		return -1;
	vm->devices_ready++;
	if (vm->devices_ready == p->devices * (p->when == BB_WHEN_RESET ? 2u : 1u))
		return bb_memory_add_slots_after(vm, thread);
	return 0;
}

int bb_notify_device_reset(struct bb_vm *vm, uint32_t dev, int thread)
{
	return vm->p->when == BB_WHEN_STATIC ? 0 : bb_notify_deassign_device(vm, dev, thread);
}

int bb_notify_register_coalesced(struct bb_vm *vm)
{
	const struct bb_profile *p = vm->p;
	struct bb_iteration *it = vm->it;
	uint32_t own = it->bus_devices[BB_BUS_MMIO];

	for (uint32_t z = 0; z < p->coalesced_zones; z++) {
		struct kvm_coalesced_mmio_zone zone = {
			.addr = p->coalesced_base + (uint64_t)z * 0x1000,
			.size = 0x1000,
		};
		struct bb_kvm_req req = bb_req_register_coalesced_mmio(&zone);
		if (__bb_ioctl(&vm->log, BB_THREAD_MAIN, vm->vm_fd, req, NULL) < 0) {
			int errnum = errno;
			struct bb_call call = bb_req_call(req, BB_THREAD_MAIN);
			if (bb_error_diagnose(req.op, errnum) != BB_ERROR_BUS_FULL) {
				bb_vm_fail_call(vm, call, errnum);
				return -1;
			}
			/* the count of zones that fit says more than the generic fix */
			char what[256];
			bb_call_failure(what, sizeof(what), call, errnum);
			bb_vm_fail_kind(vm, BB_ERROR_BUS_FULL, "%s: the KVM MMIO bus is full at its limit of %u devices (NR_IOBUS_DEVS; ioeventfds do not count) after %u of %u coalesced zones, beside %u devices of the VM's own; lower coalesced_zones to at most %u",
					what, BB_KVM_IO_BUS_DEVICES, z, p->coalesced_zones, own, z);
			return -1;
		}
		it->coalesced_zones++;
		it->bus_devices[BB_BUS_MMIO]++;
	}
	return 0;
}

int bb_notify_register_irqfds(struct bb_vm *vm)
{
	if (!vm->p->irqfds)
		return 0;
	/* a PCI device's: one per MSI-X vector, each assigned as an irqfd
	 * while the guest routes its vector (devices/pci_host.c) */
	if (vm->pci)
		return create_eventfds(vm, vm->pci->vector_eventfds, vm->pci->nr_fns * vm->pci->vectors);
	for (uint32_t dev = 0; dev < vm->p->devices; dev++) {
		int fd = create_eventfd(vm, dev);
		if (fd < 0)
			return -1;
		vm->irq_eventfds[dev] = fd;
		struct kvm_irqfd irqfd = { .fd = (uint32_t)fd, .gsi = vm->devices[dev].irq };
		if (bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->vm_fd, bb_req_irqfd(&irqfd)) < 0)
			return -1;
		vm->it->irqfds++;
	}
	return 0;
}

void bb_notify_read_kicks(struct bb_vm *vm)
{
	uint32_t n = vm->p->devices * vm->p->queues;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t count = 0;
		/* a counter still at 0 reads EAGAIN: the eventfd is nonblocking */
		if (vm->queue_eventfds[i] < 0 || read(vm->queue_eventfds[i], &count, sizeof(count)) != sizeof(count))
			count = 0;
		count += vm->kicks_served[i]; /* what the I/O thread took before */
		vm->kick_counts[i] = count ? count : BB_KICK_NEVER;
	}
}

void bb_notify_close(struct bb_vm *vm)
{
	uint32_t n = vm->p->devices * vm->p->queues;
	for (uint32_t i = 0; i < n; i++)
		bb_timed_close(&vm->log, BB_OP_CLOSE_EVENTFD, i, &vm->queue_eventfds[i]);
	for (uint32_t d = 0; d < vm->p->devices; d++)
		bb_timed_close(&vm->log, BB_OP_CLOSE_EVENTFD, d, &vm->irq_eventfds[d]);
	for (uint32_t i = 0; vm->pci && i < vm->pci->nr_fns * vm->pci->vectors; i++)
		bb_timed_close(&vm->log, BB_OP_CLOSE_EVENTFD, i, &vm->pci->vector_eventfds[i]);
}
