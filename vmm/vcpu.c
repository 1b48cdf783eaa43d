/* vCPUs: creation, one thread each (optionally pinned), the KVM_RUN loop
 * and the handling of the exits the guest causes. */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vm_internal.h"

struct mmap_run_ctx {
	size_t size;
	int fd;
	void *result;
};

static long mmap_run(void *ctx)
{
	struct mmap_run_ctx *c = ctx;
	c->result = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	return c->result == MAP_FAILED ? -1 : 0;
}

int bb_vcpus_create(struct bb_vm *vm)
{
	for (uint32_t i = 0; i < vm->nr_vcpus; i++) {
		struct bb_vcpu *vcpu = &vm->vcpus[i];
		int fd = (int)bb_vm_ioctl(vm, bb_call(BB_OP_CREATE_VCPU, BB_THREAD_MAIN, i, 0, 0),
					  vm->vm_fd, KVM_CREATE_VCPU, (void *)(uintptr_t)i);
		if (fd < 0)
			return -1;
		vcpu->fd = fd;
		struct mmap_run_ctx ctx = { .size = vm->run_size, .fd = fd };
		if (__bb_timed(&vm->log, bb_call(BB_OP_MMAP_VCPU, BB_THREAD_MAIN, i, 0, 0), mmap_run, &ctx) < 0) {
			bb_vm_fail(vm, "mmap of vCPU %u's kvm_run (%zu bytes) failed: %s", i, vm->run_size,
				   strerror(errno));
			return -1;
		}
		vcpu->run = ctx.result;
		if (bb_arch_setup_vcpu(vm, vcpu, bb_arch_stack_top(i)) < 0)
			return -1;
	}
	return 0;
}

static void boot_signal(struct bb_vcpu *vcpu, uint8_t value)
{
	struct bb_vm *vm = vcpu->vm;
	int64_t now = bb_now_ns() - vm->log.t0;

	pthread_mutex_lock(&vm->lock);
	if (value == BB_BOOT_ENTERED && vm->t_entered == 0) {
		vm->t_entered = now;
	} else if (value == BB_BOOT_DONE && vm->state == BB_BOOT_RUNNING) {
		vm->t_done = now;
		vm->state = BB_BOOT_DONE_STATE;
		pthread_cond_signal(&vm->cond);
	}
	pthread_mutex_unlock(&vm->lock);
}

static const char *guest_error_text(uint32_t code)
{
	switch (code) {
	case BB_GUEST_BAD_CONFIG: return "its config block is missing or of another ABI version";
	case BB_GUEST_BAD_MAGIC: return "MagicValue is not \"virt\"";
	case BB_GUEST_BAD_VERSION: return "Version is not 2";
	case BB_GUEST_BAD_DEVICE_ID: return "DeviceID is not the one expected";
	case BB_GUEST_FEATURES_REJECTED: return "feature negotiation failed (FEATURES_OK not kept)";
	case BB_GUEST_QUEUE_IN_USE: return "a queue was already ready before initialization";
	case BB_GUEST_QUEUE_TOO_SMALL: return "QueueNumMax is below the queue size asked for";
	default: return "an unknown error";
	}
}

static int boot_timer_access(struct bb_vcpu *vcpu, uint64_t offset, uint8_t *data, uint32_t len,
			     bool is_write)
{
	static _Thread_local uint32_t error_arg;
	uint32_t value = 0;

	if (!is_write) {
		memset(data, 0, len);
		return 0;
	}
	memcpy(&value, data, len < 4 ? len : 4);
	switch (offset) {
	case BB_BOOT_TIMER_SIGNAL:
		if (value != BB_BOOT_ENTERED && value != BB_BOOT_DONE) {
			bb_vm_fail(vcpu->vm, "the guest wrote %u to the boot timer: expected %d (entered) or %d (boot-done)",
				   value, BB_BOOT_ENTERED, BB_BOOT_DONE);
			return -1;
		}
		boot_signal(vcpu, (uint8_t)value);
		return 0;
	case BB_BOOT_TIMER_ERROR_ARG:
		error_arg = value;
		return 0;
	case BB_BOOT_TIMER_ERROR:
		bb_vm_fail(vcpu->vm, "the guest reported device %u: %s (guest error %u)", error_arg,
			   guest_error_text(value), value);
		return -1;
	default:
		bb_vm_fail(vcpu->vm, "the guest wrote boot-timer offset 0x%" PRIx64 ", which does not exist", offset);
		return -1;
	}
}

/* What the VMM does on a device's status changes: the dynamic and reset
 * registration styles, and memslots after the last registration. */
static int device_action(struct bb_vcpu *vcpu, uint32_t index, enum bb_virtio_action action,
			 uint32_t arg, uint32_t offset, bool is_write)
{
	struct bb_vm *vm = vcpu->vm;
	const struct bb_profile *p = vm->p;
	int thread = (int)vcpu->index;

	switch (action) {
	case BB_VIRTIO_NONE:
		return 0;
	case BB_VIRTIO_DRIVER_OK:
		vm->devices[index].init_count++;
		if (p->when == BB_WHEN_STATIC)
			return 0;
		if (bb_notify_register_device(vm, index, thread) < 0)
			return -1;
		vm->devices_ready++;
		if (vm->devices_ready == p->devices * (p->when == BB_WHEN_RESET ? 2u : 1u))
			return bb_memory_add_slots_after(vm, thread);
		return 0;
	case BB_VIRTIO_RESET:
		return p->when == BB_WHEN_STATIC ? 0 : bb_notify_deassign_device(vm, index, thread);
	case BB_VIRTIO_NOTIFY:
		vm->it->kicks_by_exit++;
		bb_vm_fail(vm, "device %u queue %u: the kick reached the VMM as an MMIO exit; no ioeventfd matched it",
			   index, arg);
		return -1;
	case BB_VIRTIO_BAD_ACCESS:
	default:
		bb_vm_fail(vm, "the guest %s device %u register 0x%x, which this virtio-mmio device does not have",
			   is_write ? "wrote" : "read", index, offset);
		return -1;
	}
}

int bb_vcpu_mmio(struct bb_vcpu *vcpu, uint64_t addr, uint8_t *data, uint32_t len, bool is_write)
{
	struct bb_vm *vm = vcpu->vm;
	const struct bb_profile *p = vm->p;
	uint64_t bt = vm->layout->boot_timer_gpa;

	if (addr >= bt && addr < bt + BB_BOOT_TIMER_SIZE)
		return boot_timer_access(vcpu, addr - bt, data, len, is_write);

	uint64_t end = p->mmio_base + (uint64_t)p->devices * p->mmio_stride;
	if (addr >= p->mmio_base && addr < end) {
		uint32_t index = (uint32_t)((addr - p->mmio_base) / p->mmio_stride);
		uint32_t offset = (uint32_t)((addr - p->mmio_base) % p->mmio_stride);
		struct bb_virtio_mmio *dev = &vm->devices[index].mmio;
		uint32_t value = 0, arg = 0;
		enum bb_virtio_action action;

		if (offset >= BB_NOTIFY_AREA(p->mmio_stride)) {
			vm->it->kicks_by_exit++;
			bb_vm_fail(vm, "device %u queue %u: the kick reached the VMM as an MMIO exit at its notify address; no ioeventfd matched it",
				   index, (offset - BB_NOTIFY_AREA((uint32_t)p->mmio_stride)) / BB_NOTIFY_MULTIPLIER);
			return -1;
		}
		if (len != 4) {
			bb_vm_fail(vm, "the guest made a %u-byte access to device %u register 0x%x: virtio-mmio registers are 32-bit",
				   len, index, offset);
			return -1;
		}
		if (is_write) {
			memcpy(&value, data, 4);
			action = bb_virtio_mmio_write(dev, offset, value, &arg);
		} else {
			action = bb_virtio_mmio_read(dev, offset, &value);
			memcpy(data, &value, 4);
		}
		return device_action(vcpu, index, action, arg, offset, is_write);
	}
	bb_vm_fail(vm, "vCPU %u: the guest %s %u bytes at 0x%" PRIx64 ", where nothing is mapped",
		   vcpu->index, is_write ? "wrote" : "read", len, addr);
	return -1;
}

int bb_vcpu_pio(struct bb_vcpu *vcpu, uint16_t port, uint8_t *data, uint32_t size, bool is_write)
{
	struct bb_vm *vm = vcpu->vm;
	const struct bb_profile *p = vm->p;
	uint32_t end = p->pio_base + p->devices * p->pio_stride;

	if (is_write && port >= p->pio_base && port < end &&
	    (port - p->pio_base) % p->pio_stride == VIRTIO_PCI_LEGACY_QUEUE_NOTIFY) {
		uint16_t queue = 0;
		memcpy(&queue, data, size < 2 ? size : 2);
		vm->it->kicks_by_exit++;
		bb_vm_fail(vm, "device %u queue %u: the kick reached the VMM as a port I/O exit; no ioeventfd matched it",
			   (port - p->pio_base) / p->pio_stride, queue);
		return -1;
	}
	bb_vm_fail(vm, "vCPU %u: unexpected port I/O %s of %u bytes at port 0x%x", vcpu->index,
		   is_write ? "write" : "read", size, port);
	return -1;
}

static int handle_exit(struct bb_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	if (run->exit_reason == KVM_EXIT_MMIO)
		return bb_vcpu_mmio(vcpu, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
				    run->mmio.is_write);
	int handled = bb_arch_handle_exit(vcpu, run);
	if (handled != 0)
		return handled < 0 ? -1 : 0;

	char regs[512];
	bb_arch_dump_registers(vcpu, regs, sizeof(regs));
	if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		bb_vm_fail(vcpu->vm, "vCPU %u: unexpected exit INTERNAL_ERROR (suberror %u); %s",
			   vcpu->index, run->internal.suberror, regs);
	else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
		bb_vm_fail(vcpu->vm, "vCPU %u: unexpected exit FAIL_ENTRY (reason 0x%llx); %s", vcpu->index,
			   (unsigned long long)run->fail_entry.hardware_entry_failure_reason, regs);
	else
		bb_vm_fail(vcpu->vm, "vCPU %u: unexpected exit %s (%u)%s; %s", vcpu->index,
			   bb_exit_reason_name(run->exit_reason), run->exit_reason,
			   run->exit_reason == KVM_EXIT_SHUTDOWN ? ", the guest triple-faulted" : "", regs);
	return -1;
}

static void *vcpu_thread(void *arg)
{
	struct bb_vcpu *vcpu = arg;
	struct bb_vm *vm = vcpu->vm;

	if (vcpu->pin_cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(vcpu->pin_cpu, &set);
		int rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
		if (rc != 0) {
			bb_vm_fail(vm, "cannot pin vCPU %u to CPU %d: %s; choose CPUs from the online set",
				   vcpu->index, vcpu->pin_cpu, strerror(rc));
			return NULL;
		}
	}
	while (!atomic_load(&vm->stop)) {
		struct bb_event *ev = NULL;
		long ret = __bb_ioctl(&vm->log, bb_call(BB_OP_RUN, (int)vcpu->index, 0, 0, 0), vcpu->fd,
				      KVM_RUN, NULL, &ev);
		if (ret < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			char what[256], regs[512];
			bb_call_failure(what, sizeof(what), bb_call(BB_OP_RUN, (int)vcpu->index, 0, 0, 0), errno);
			bb_arch_dump_registers(vcpu, regs, sizeof(regs));
			bb_vm_fail(vm, "%s; %s", what, regs);
			break;
		}
		struct kvm_run *run = vcpu->run;
		uint64_t addr = run->exit_reason == KVM_EXIT_MMIO ? run->mmio.phys_addr
				: run->exit_reason == KVM_EXIT_IO ? run->io.port : 0;
		if (ev) {
			ev->arg[0] = run->exit_reason;
			ev->arg[1] = addr;
		}
		atomic_store(&vcpu->last_exit_reason, run->exit_reason);
		atomic_store(&vcpu->last_exit_addr, addr);
		if (handle_exit(vcpu) < 0)
			break;
		if (vcpu->index == 0 && vm->state != BB_BOOT_RUNNING)
			break; /* boot-done: the boot vCPU's work is over */
	}
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig; /* only there to make KVM_RUN return EINTR */
}

static void install_kick_handler(void)
{
	struct sigaction sa = { .sa_handler = kick_handler };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

int bb_vcpus_start(struct bb_vm *vm)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, install_kick_handler);

	/* vCPU threads leave SIGINT and SIGTERM to the main thread. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = 0;
	for (uint32_t i = 0; i < vm->nr_vcpus && rc == 0; i++) {
		struct bb_vcpu *vcpu = &vm->vcpus[i];
		rc = pthread_create(&vcpu->thread, NULL, vcpu_thread, vcpu);
		if (rc != 0)
			bb_vm_fail(vm, "cannot start the thread of vCPU %u: %s", i, strerror(rc));
		else
			vcpu->thread_started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

void bb_vcpus_stop(struct bb_vm *vm)
{
	atomic_store(&vm->stop, true);
	for (uint32_t i = 0; i < vm->nr_vcpus; i++) {
		struct bb_vcpu *vcpu = &vm->vcpus[i];
		if (!vcpu->thread_started)
			continue;
		/* immediate_exit covers a thread about to enter KVM_RUN; the
		 * signal covers one already inside it. */
		if (vcpu->run)
			vcpu->run->immediate_exit = 1;
		pthread_kill(vcpu->thread, SIGUSR1);
	}
	for (uint32_t i = 0; i < vm->nr_vcpus; i++) {
		struct bb_vcpu *vcpu = &vm->vcpus[i];
		if (vcpu->thread_started)
			pthread_join(vcpu->thread, NULL);
		vcpu->thread_started = false;
	}
}

struct munmap_ctx {
	void *addr;
	size_t size;
};

static long do_munmap(void *ctx)
{
	struct munmap_ctx *c = ctx;
	return munmap(c->addr, c->size);
}

static long do_close(void *ctx)
{
	return close(*(int *)ctx);
}

void bb_vcpus_close(struct bb_vm *vm)
{
	for (uint32_t i = 0; i < vm->nr_vcpus; i++) {
		struct bb_vcpu *vcpu = &vm->vcpus[i];
		if (vcpu->run) {
			struct munmap_ctx ctx = { vcpu->run, vm->run_size };
			__bb_timed(&vm->log, bb_call(BB_OP_MUNMAP_VCPU, BB_THREAD_MAIN, i, 0, 0), do_munmap, &ctx);
			vcpu->run = NULL;
		}
		if (vcpu->fd >= 0) {
			__bb_timed(&vm->log, bb_call(BB_OP_CLOSE_VCPU, BB_THREAD_MAIN, i, 0, 0), do_close, &vcpu->fd);
			vcpu->fd = -1;
		}
	}
}
