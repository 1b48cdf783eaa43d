/* A virtio-blk disk, on virtio-mmio or virtio-pci, served for real: the
 * transport's registers from the vCPU threads, its queues from the I/O
 * thread (or inline, for a kick that came as an exit before any ioeventfd
 * was registered), each request read or written on a backing file, and
 * the used buffers signalled through the device's irqfd (virtio-mmio) or
 * its queue's MSI-X vector (virtio-pci, devices/pci_host.c). The backing file is
 * made once per run: an unlinked temporary file whose first block holds
 * the pattern the Linux guest's init checks (linux_guest_abi.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices.h"
#include "errorf.h"
#include "guest_abi.h"
#include "linux_guest_abi.h"
#include "little_endian.h"
#include "vm_internal.h"

#define DISK_BYTES (1u << 20)
#define VIRTIO_BLK_F_SEG_MAX (1ull << 2)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)
#define VIRTIO_BLK_F_MQ (1ull << 12)
#define VIRTIO_RING_F_INDIRECT_DESC (1ull << 28)
#define CONFIG_SEG_MAX 12
#define CONFIG_NUM_QUEUES 34
#define CONFIG_BYTES 36

/* With the device's lock held. */
static void signal_used(struct bb_device *dev, uint32_t q)
{
	struct bb_vm *vm = dev->vm;
	uint64_t one = 1;
	bb_virtio_raise(&dev->virtio, BB_VIRTIO_INT_USED);
	if (vm->pci) {
		bb_pci_signal(vm, dev->index, q);
		return;
	}
	if (vm->irq_eventfds[dev->index] >= 0 && write(vm->irq_eventfds[dev->index], &one, sizeof(one)) < 0)
		bb_vm_fail(vm, "disk %u: cannot signal its irqfd: %s", dev->index, strerror(errno));
}

/* The driver broke the ring: the device stops and says so (NEEDS_RESET),
 * and the iteration fails, since bootbench's guest never does this. */
static int broken(struct bb_device *dev, uint32_t q, const char *why)
{
	bb_virtio_needs_reset(&dev->virtio);
	if (dev->vm->pci)
		bb_pci_signal(dev->vm, dev->index, BB_VIRTIO_PCI_NO_VECTOR);
	bb_vm_fail(dev->vm, "disk %u queue %u: the guest broke the virtqueue: %s", dev->index, q, why);
	return -1;
}

static int serve_locked(struct bb_device *dev, uint32_t q)
{
	const struct bb_virtio_queue *qs = &dev->virtio.queues[q];
	struct bb_vring *vq = &dev->vrings[q];
	const struct bb_guest_ram *ram = &dev->vm->guest_ram;
	char why[256];
	bool used = false;

	if (!qs->ready || !(dev->virtio.status & VIRTIO_STATUS_DRIVER_OK))
		return 0; /* a kick before the queue is live: nothing to take yet */
	if (vq->num == 0) {
		*vq = (struct bb_vring){ .num = qs->num, .desc_gpa = qs->desc, .avail_gpa = qs->driver, .used_gpa = qs->device };
		if (bb_vring_check(vq, ram, why, sizeof(why)) < 0)
			return broken(dev, q, why);
	}
	for (;;) {
		struct bb_vring_chain chain;
		enum bb_vring_result r = bb_vring_pop(vq, ram, &chain, why, sizeof(why));
		if (r == BB_VRING_EMPTY)
			break;
		if (r == BB_VRING_BROKEN)
			return broken(dev, q, why);
		struct bb_blk_outcome o = bb_virtio_blk_execute(&dev->disk, ram, &chain);
		bb_vring_push(vq, ram, chain.head, o.written);
		used = true;
	}
	if (used && bb_vring_wants_interrupt(vq, ram))
		signal_used(dev, q);
	return 0;
}

static int serve(struct bb_device *dev, uint32_t q)
{
	pthread_mutex_lock(&dev->lock);
	int rc = q < dev->virtio.nr_queues ? serve_locked(dev, q) : 0;
	pthread_mutex_unlock(&dev->lock);
	return rc;
}

static int on_action(struct bb_vcpu *vcpu, struct bb_device *dev, enum bb_virtio_action action, uint32_t arg,
		     uint32_t offset, bool is_write)
{
	struct bb_vm *vm = dev->vm;
	int thread = (int)vcpu->index;

	switch (action) {
	case BB_VIRTIO_NONE:
		return 0;
	case BB_VIRTIO_DRIVER_OK:
		dev->init_count++;
		atomic_store(&vm->t_last_driver_ok, bb_now_ns() - vm->log.t0);
		if (vm->pci && bb_pci_driver_ok(vm, dev->index, thread) < 0)
			return -1;
		return bb_notify_driver_ok(vm, dev->index, thread);
	case BB_VIRTIO_RESET:
		return bb_notify_device_reset(vm, dev->index, thread);
	case BB_VIRTIO_NOTIFY:
		vm->it->kicks_by_exit++;
		if (dev->notifiers_registered) {
			bb_vm_fail(vm, "disk %u queue %u: the kick reached the VMM as an MMIO exit at 0x%x; no ioeventfd matched it",
				   dev->index, arg, offset);
			return -1;
		}
		return serve(dev, arg);
	case BB_VIRTIO_BAD_ACCESS:
	default:
		return bb_virtio_bad_access(dev, "disk", offset, is_write);
	}
}

static int access_mmio(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	struct bb_device *dev = a->dev;
	struct bb_vm *vm = dev->vm;
	uint32_t offset = (uint32_t)(a->addr - a->base);
	uint32_t arg = 0;
	enum bb_virtio_action action;

	/* the first vCPU to reach a disk marks the probe's start */
	bb_virtio_mark_probe(vm);
	pthread_mutex_lock(&dev->lock);
	if (offset >= BB_VIRTIO_MMIO_CONFIG) {
		action = a->is_write ? BB_VIRTIO_BAD_ACCESS
				     : bb_virtio_config_read(&dev->virtio, offset - BB_VIRTIO_MMIO_CONFIG, a->data, a->len);
	} else if (bb_virtio_register(dev, a, "disk", offset, &action, &arg) < 0) {
		pthread_mutex_unlock(&dev->lock);
		return -1;
	} else {
		bb_virtio_fresh_rings(dev, action);
	}
	pthread_mutex_unlock(&dev->lock);
	/* registering notifiers takes a while: outside the lock the I/O thread needs */
	return on_action(vcpu, dev, action, arg, offset, a->is_write);
}

/* The backing file, made once per run and unlinked at once, so nothing is
 * left behind however the run ends. */
static int make_disk(struct bb_device *dev, uint32_t seed, char *err, size_t errlen)
{
	const char *tmpdir = getenv("TMPDIR");
	const char *dir = tmpdir && *tmpdir ? tmpdir : "/tmp";
	char path[4096];
	uint8_t block[BB_LINUX_CHECK_BYTES];

	snprintf(path, sizeof(path), "%s/bootbench-disk-XXXXXX", dir);
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		bb_errorf(err, errlen, "cannot make disk %u's backing file in %s: %s; set TMPDIR to a writable directory", dev->index,
			  dir, strerror(errno));
		return -1;
	}
	unlink(path);
	for (uint32_t i = 0; i < sizeof(block); i++)
		block[i] = bb_linux_check_byte(seed, dev->index, i);
	if (ftruncate(fd, DISK_BYTES) < 0 || pwrite(fd, block, sizeof(block), 0) != (ssize_t)sizeof(block)) {
		bb_errorf(err, errlen, "cannot write disk %u's backing file in %s: %s", dev->index, dir, strerror(errno));
		close(fd);
		return -1;
	}
	dev->disk = (struct bb_blk_disk){ .fd = fd, .sectors = DISK_BYTES / BB_SECTOR };
	snprintf(dev->disk.id, sizeof(dev->disk.id), "bootbench-%u", dev->index);
	return 0;
}

/* What the device offers, set again at every iteration's fresh transport. */
static void offer(struct bb_device *dev, const struct bb_profile *p)
{
	uint64_t features = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_FLUSH | VIRTIO_RING_F_INDIRECT_DESC;
	if (p->queues > 1)
		features |= VIRTIO_BLK_F_MQ;
	memset(dev->config, 0, sizeof(dev->config));
	bb_put_le(dev->config, dev->disk.sectors, 8);
	bb_put_le(dev->config + CONFIG_SEG_MAX, BB_VRING_MAX_CHAIN - 2, 4); /* the header and status take two */
	bb_put_le(dev->config + CONFIG_NUM_QUEUES, p->queues, 2);
	bb_virtio_offer(&dev->virtio, features, p->queue_size, dev->config, CONFIG_BYTES);
}

void bb_virtio_blk_reset(struct bb_device *dev, const struct bb_profile *p)
{
	offer(dev, p);
	memset(dev->vrings, 0, p->queues * sizeof(dev->vrings[0]));
}

/* What either transport's disks share: served from the I/O thread, each
 * with its backing file. */
static int make_disks(struct bb_vm *vm, uint32_t count, char *err, size_t errlen)
{
	vm->io_thread_needed = true;
	for (uint32_t i = 0; i < count; i++) {
		struct bb_device *dev = &vm->devices[i];
		dev->serve = serve;
		dev->on_action = on_action;
		if (make_disk(dev, vm->seed, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int bb_virtio_blk_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm, uint32_t count,
			char *err, size_t errlen)
{
	char name[64];
	struct bb_placement pl = bb_virtio_placement("virtio-blk", "virtio-blk disks", name, sizeof(name), p, vm, count, access_mmio);
	if (bb_dm_place_mmio(dm, &pl, err, errlen) < 0)
		return -1;
	if (!vm)
		return 0;
	bb_virtio_take_irqs(dm, vm, count);
	return make_disks(vm, count, err, errlen);
}

int bb_virtio_blk_pci_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm,
			    uint32_t count, char *err, size_t errlen)
{
	if (bb_pci_place_functions(dm, p, vm, "virtio-blk-pci", count, err, errlen) < 0)
		return -1;
	return vm ? make_disks(vm, count, err, errlen) : 0;
}
