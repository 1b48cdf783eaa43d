/* One iteration: a fresh VM from open("/dev/kvm") to boot-done and back to
 * nothing, each phase timed, then the checks and the derived metrics. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices.h"
#include "kvm_device.h"
#include "kvm_requests.h"
#include "iteration_metrics.h"
#include "vm_internal.h"

#define KVM_API_VERSION_EXPECTED 12

static void phase_begin(struct bb_vm *vm, enum bb_phase ph)
{
	vm->it->phase_present[ph] = true;
	vm->it->phase_start_ns[ph] = bb_now_ns() - vm->log.t0;
}

static void phase_end(struct bb_vm *vm, enum bb_phase ph)
{
	vm->it->phase_duration_ns[ph] = bb_now_ns() - vm->log.t0 - vm->it->phase_start_ns[ph];
}

struct open_ctx {
	const char *path;
};

static long open_kvm(void *ctx)
{
	return open(((struct open_ctx *)ctx)->path, O_RDWR | O_CLOEXEC);
}

static int open_vm(struct bb_vm *vm)
{
	struct open_ctx ctx = { bb_kvm_device_path() };
	vm->kvm_fd = (int)__bb_timed(&vm->log, bb_call(BB_OP_OPEN_KVM, BB_THREAD_MAIN, 0, 0, 0), open_kvm, &ctx);
	if (vm->kvm_fd < 0) {
		char msg[512];
		bb_kvm_open_error(msg, sizeof(msg), errno);
		bb_vm_fail(vm, "%s", msg);
		return -1;
	}
	long api = bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->kvm_fd, bb_req_get_api_version());
	if (api < 0)
		return -1;
	if (api != KVM_API_VERSION_EXPECTED) {
		bb_vm_fail(vm, "KVM API version %ld, expected %d: this kernel's KVM is not supported", api,
			   KVM_API_VERSION_EXPECTED);
		return -1;
	}
	vm->vm_fd = (int)bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->kvm_fd, bb_req_create_vm(vm->layout->kvm_vm_type));
	if (vm->vm_fd < 0)
		return -1;
	long size = bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->kvm_fd, bb_req_get_vcpu_mmap_size());
	if (size < 0)
		return -1;
	vm->run_size = (size_t)size;
	return 0;
}

static int setup_devices(struct bb_vm *vm)
{
	const struct bb_profile *p = vm->p;

	if (bb_notify_create_eventfds(vm) < 0)
		return -1;
	if (p->when == BB_WHEN_STATIC) {
		for (uint32_t d = 0; d < p->devices; d++)
			if (bb_notify_register_device(vm, d, BB_THREAD_MAIN) < 0)
				return -1;
	}
	if (bb_notify_register_coalesced(vm) < 0)
		return -1;
	return bb_notify_register_irqfds(vm);
}

/* Every queue's kicks, judged by the workload. */
static void check_kicks(struct bb_vm *vm)
{
	char err[512];
	bb_notify_read_kicks(vm);
	if (vm->workload->check_kicks(vm->p, vm->kick_counts, vm->p->devices * vm->p->queues, &vm->it->kicks_received,
				      err, sizeof(err)) < 0)
		bb_vm_fail(vm, "%s", err);
}

static const char *mp_state_name(uint32_t state)
{
	switch (state) {
	case KVM_MP_STATE_RUNNABLE: return "runnable";
	case KVM_MP_STATE_UNINITIALIZED: return "never started (waiting for INIT)";
	case KVM_MP_STATE_INIT_RECEIVED: return "waiting for SIPI";
	case KVM_MP_STATE_HALTED: return "halted";
	case KVM_MP_STATE_STOPPED: return "stopped";
	case KVM_MP_STATE_SUSPENDED: return "suspended";
	default: return "in another state";
	}
}

/* After the vCPUs are stopped: what each was doing when time ran out.
 * Halted with interrupts on means it waited for an interrupt that never
 * came; runnable means it spun (a CPU waiting on another, say). */
static void describe_watchdog(struct bb_vm *vm)
{
	enum { SHOWN = 8 };
	struct bb_vcpu *bsp = &vm->vcpus[0];
	uint32_t reason = atomic_load(&bsp->last_exit_reason);
	uint64_t addr = atomic_load(&bsp->last_exit_addr);
	char where[512] = "";
	size_t used = 0;

	for (uint32_t i = 0; i < vm->nr_vcpus && i < SHOWN && used < sizeof(where); i++) {
		struct bb_vcpu *vcpu = &vm->vcpus[i];
		struct kvm_mp_state mp = { 0 };
		char pc[96];
		const char *state = __bb_ioctl(NULL, (int)i, vcpu->fd, bb_req_get_mp_state(&mp, i), NULL) < 0
					    ? "in an unknown state"
					    : mp_state_name(mp.mp_state);
		bb_arch_where(vcpu, pc, sizeof(pc));
		int n = snprintf(where + used, sizeof(where) - used, "%svCPU %u %s, %s", i ? "; " : "", i, state, pc);
		used += n > 0 ? (size_t)n : 0;
	}
	if (vm->nr_vcpus > SHOWN && used < sizeof(where))
		snprintf(where + used, sizeof(where) - used, "; %u more", vm->nr_vcpus - SHOWN);
	bb_vm_fail(vm, "watchdog: the guest did not signal boot-done within %u ms (%s); vCPU 0 last exited for %s at 0x%llx; then %s; raise --timeout if the host is slow",
		   vm->cfg->timeout_ms, vm->t_entered ? "it had entered" : "it never entered",
		   reason ? bb_exit_reason_name(reason) : "nothing", (unsigned long long)addr, where);
}

/* Waits for boot-done, a failure, the watchdog or a stop request; true
 * when the watchdog fired (described once the vCPUs have stopped). */
static bool wait_for_boot(struct bb_vm *vm)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	int64_t end_ns = (int64_t)deadline.tv_sec * 1000000000 + deadline.tv_nsec +
			 (int64_t)vm->cfg->timeout_ms * 1000000;
	bool timed_out = false, interrupted = false;

	pthread_mutex_lock(&vm->lock);
	while (vm->state == BB_BOOT_RUNNING) {
		if (bb_stop_requested) {
			interrupted = true;
			break;
		}
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
		if (now_ns >= end_ns) {
			timed_out = true;
			break;
		}
		/* wake at least every 50 ms to notice a stop request */
		int64_t wake_ns = now_ns + 50000000 < end_ns ? now_ns + 50000000 : end_ns;
		struct timespec wake = { wake_ns / 1000000000, wake_ns % 1000000000 };
		pthread_cond_timedwait(&vm->cond, &vm->lock, &wake);
	}
	pthread_mutex_unlock(&vm->lock);

	if (interrupted) {
		vm->it->interrupted = true;
		bb_vm_fail(vm, "interrupted before boot-done");
	}
	return timed_out;
}

static void set_phase(struct bb_iteration *it, enum bb_phase ph, int64_t start, int64_t end)
{
	it->phase_present[ph] = true;
	it->phase_start_ns[ph] = start;
	it->phase_duration_ns[ph] = end - start;
}

/* From the vCPUs' start to boot-done. The synthetic guest says when it
 * entered; a Linux guest's boot reads as the kernel up to its first
 * virtio access, the device probe up to the last DRIVER_OK, then init. */
static void guest_phases(struct bb_vm *vm)
{
	struct bb_iteration *it = vm->it;
	int64_t start = it->phase_start_ns[BB_PHASE_GUEST_ENTRY];

	if (!bb_profile_is_linux(vm->p)) {
		set_phase(it, BB_PHASE_GUEST_ENTRY, start, vm->t_entered);
		set_phase(it, BB_PHASE_GUEST_INIT, vm->t_entered, vm->t_done);
		return;
	}
	it->phase_present[BB_PHASE_GUEST_ENTRY] = false;
	int64_t first = atomic_load(&vm->t_first_probe), last = atomic_load(&vm->t_last_driver_ok);
	int64_t probe = first ? first : vm->t_done;
	int64_t ready = last > probe ? last : probe;
	set_phase(it, BB_PHASE_LINUX_KERNEL, start, probe);
	set_phase(it, BB_PHASE_LINUX_PROBE, probe, ready);
	set_phase(it, BB_PHASE_LINUX_INIT, ready, vm->t_done);
}

static void teardown(struct bb_vm *vm)
{
	phase_begin(vm, BB_PHASE_TEARDOWN);
	bb_notify_close(vm);
	bb_vcpus_close(vm);
	bb_arch_teardown(vm);
	bb_timed_close(&vm->log, BB_OP_CLOSE_VM, 0, &vm->vm_fd);
	bb_timed_close(&vm->log, BB_OP_CLOSE_KVM, 0, &vm->kvm_fd);
	bb_memory_release(vm);
	phase_end(vm, BB_PHASE_TEARDOWN);
}

/* After the teardown: each timed call's share of its thread's off-CPU
 * intervals. Without a capture the fields are cleared. */
static void attribute_offcpu(struct bb_vm *vm, bool capture)
{
	const struct bb_offcpu_interval *iv = NULL;
	size_t n = 0;
	uint64_t lost = 0;
	if (capture && bb_offcpu_end(vm->offcpu, &iv, &n, &lost) == 0) {
		vm->it->offcpu = true;
		vm->it->offcpu_lost = lost;
	}
	bb_offcpu_assign(iv, n, vm->log.events, bb_event_log_count(&vm->log), vm->log.t0);
}

static void derive_metrics(struct bb_vm *vm)
{
	bb_iteration_derive(vm->it, &vm->log, &vm->offcpu_rows, &vm->offcpu_rows_cap);
}

static void reset_vm_state(struct bb_vm *vm, struct bb_iteration *it)
{
	const struct bb_profile *p = vm->p;

	memset(it, 0, sizeof(*it));
	vm->it = it;
	it->log = &vm->log;
	vm->kvm_fd = vm->vm_fd = -1;
	memset(&vm->arch, 0, sizeof(vm->arch));
	bb_arch_state_reset(&vm->arch);
	vm->next_slot = 0;
	vm->devices_ready = 0;
	vm->memslots_after_done = false;
	vm->state = BB_BOOT_RUNNING;
	atomic_store(&vm->stop, false);
	vm->t_entered = vm->t_done = 0;
	vm->error[0] = '\0';
	vm->error_kind = BB_ERROR_NONE;
	for (uint32_t i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].fd = -1;
		vm->vcpus[i].run = NULL;
		vm->vcpus[i].thread_started = false;
		atomic_store(&vm->vcpus[i].last_exit_reason, 0);
		atomic_store(&vm->vcpus[i].last_exit_addr, 0);
	}
	for (uint32_t d = 0; d < p->devices; d++) {
		struct bb_device *dev = &vm->devices[d];
		dev->notifiers_registered = false;
		dev->init_count = 0;
		bb_virtio_device_init(&dev->virtio, p->device_id, p->queues, &vm->queue_state[(size_t)d * p->queues]);
		if (dev->serve)
			bb_virtio_blk_reset(dev, p);
	}
	if (vm->pci)
		bb_pci_reset(vm);
	memset(vm->kicks_served, 0, (size_t)p->devices * p->queues * sizeof(vm->kicks_served[0]));
	atomic_store(&vm->t_first_probe, 0);
	atomic_store(&vm->t_last_driver_ok, 0);
	vm->epoll_fd = vm->io_stop_fd = -1;
	bb_uart_init(&vm->uart);
	vm->uart_irq_level = false;
	it->kicks_expected = vm->workload->kicks_expected(p);
}

int bb_vm_iteration(struct bb_vm *vm, struct bb_iteration *it)
{
	const struct bb_profile *p = vm->p;
	struct timespec wall;

	reset_vm_state(vm, it);
	/* before the clock starts: enabling the events is the capture's only
	 * syscall, and the vCPU threads made later inherit them */
	bool capture = vm->offcpu && bb_offcpu_begin(vm->offcpu) == 0;
	clock_gettime(CLOCK_REALTIME, &wall);
	it->start_realtime_ns = (int64_t)wall.tv_sec * 1000000000 + wall.tv_nsec;
	bb_event_log_reset(&vm->log, bb_now_ns());

	int rc = -1;
	phase_begin(vm, BB_PHASE_OPEN);
	if (open_vm(vm) < 0)
		goto out;
	phase_end(vm, BB_PHASE_OPEN);

	phase_begin(vm, BB_PHASE_MEMORY);
	if (bb_memory_setup(vm) < 0)
		goto out;
	phase_end(vm, BB_PHASE_MEMORY);

	phase_begin(vm, BB_PHASE_IRQCHIP);
	if (bb_arch_create_irqchip(vm) < 0)
		goto out;
	phase_end(vm, BB_PHASE_IRQCHIP);

	phase_begin(vm, BB_PHASE_VCPUS);
	if (bb_vcpus_create(vm) < 0 || bb_arch_finish_irqchip(vm) < 0)
		goto out;
	phase_end(vm, BB_PHASE_VCPUS);

	phase_begin(vm, BB_PHASE_DEVICES);
	if (setup_devices(vm) < 0)
		goto out;
	phase_end(vm, BB_PHASE_DEVICES);

	if (p->when == BB_WHEN_STATIC && p->memslots_after) {
		phase_begin(vm, BB_PHASE_MEMSLOTS_AFTER);
		if (bb_memory_add_slots_after(vm, BB_THREAD_MAIN) < 0)
			goto out;
		phase_end(vm, BB_PHASE_MEMSLOTS_AFTER);
	}

	phase_begin(vm, BB_PHASE_GUEST_ENTRY);
	/* the I/O thread after the vCPUs': the off-CPU capture knows the
	 * process's k-th new thread as vCPU k. A kick before it runs waits in
	 * its eventfd. */
	bool watchdog = bb_vcpus_start(vm) == 0 && bb_io_thread_start(vm) == 0 && wait_for_boot(vm);
	bb_vcpus_stop(vm);
	bb_io_thread_stop(vm);
	if (watchdog && vm->state == BB_BOOT_RUNNING) /* else boot-done (or a failure) came as it fired */
		describe_watchdog(vm);
	if (vm->state == BB_BOOT_DONE_STATE && vm->error[0] == '\0') {
		guest_phases(vm);
		it->startup_ns = vm->t_done;
		check_kicks(vm);
		rc = vm->error[0] ? -1 : 0;
	}
out:
	if (rc < 0 && vm->error[0] == '\0')
		bb_vm_fail(vm, "the iteration stopped without a reason (bootbench bug)");
	if (rc < 0) {
		/* the failed phase has no meaningful duration */
		for (int ph = 0; ph < BB_PHASE_COUNT; ph++)
			if (it->phase_present[ph] && it->phase_duration_ns[ph] == 0)
				it->phase_present[ph] = false;
		bb_vcpus_stop(vm);
	}
	/* Ctrl-C can cut a setup ioctl short (KVM_CREATE_VM returns EINTR):
	 * that iteration was interrupted, not failed, and measured nothing */
	if (rc < 0 && bb_stop_requested)
		it->interrupted = true;
	teardown(vm);
	if (bb_profile_is_linux(p)) {
		it->console_bytes = vm->uart.written;
		it->console_tail_len = bb_uart_tail(&vm->uart, vm->console_tail, sizeof(vm->console_tail));
		it->console_tail = vm->console_tail;
	}
	attribute_offcpu(vm, capture);
	it->ok = rc == 0;
	if (!it->ok) {
		snprintf(it->error, sizeof(it->error), "%s", vm->error);
		it->error_kind = vm->error_kind;
	}
	derive_metrics(vm);
	return rc;
}
