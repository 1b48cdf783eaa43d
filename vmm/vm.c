/* VM resources: what is allocated once per run, opening /dev/kvm and the
 * VM, the checks before a run, and the asserting ioctl wrapper. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "errorf.h"
#include "kvm_errors.h"
#include "vm_internal.h"

volatile sig_atomic_t bb_stop_requested;

const char *const bb_phase_names[BB_PHASE_COUNT] = {
	[BB_PHASE_OPEN] = "open",
	[BB_PHASE_MEMORY] = "memory",
	[BB_PHASE_IRQCHIP] = "irqchip",
	[BB_PHASE_VCPUS] = "vcpus",
	[BB_PHASE_DEVICES] = "devices",
	[BB_PHASE_MEMSLOTS_AFTER] = "memslots_after",
	[BB_PHASE_GUEST_ENTRY] = "guest_entry",
	[BB_PHASE_GUEST_INIT] = "guest_init",
	[BB_PHASE_LINUX_KERNEL] = "kernel",
	[BB_PHASE_LINUX_PROBE] = "device_probe",
	[BB_PHASE_LINUX_INIT] = "init",
	[BB_PHASE_TEARDOWN] = "teardown",
	[BB_PHASE_VMM_SETUP] = "vmm_setup",
	[BB_PHASE_TO_BOOT_DONE] = "to_boot_done",
};

const char *const bb_bus_names[BB_BUS_COUNT] = { "mmio", "fast_mmio", "pio" };

static void vfail(struct bb_vm *vm, enum bb_error_kind kind, const char *fmt, va_list ap)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->error[0] == '\0') {
		vsnprintf(vm->error, sizeof(vm->error), fmt, ap);
		vm->error_kind = kind;
	}
	if (vm->state == BB_BOOT_RUNNING)
		vm->state = BB_BOOT_FAILED;
	pthread_cond_signal(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
}

void bb_vm_fail(struct bb_vm *vm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(vm, BB_ERROR_OTHER, fmt, ap);
	va_end(ap);
}

void bb_vm_fail_kind(struct bb_vm *vm, enum bb_error_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(vm, kind, fmt, ap);
	va_end(ap);
}

void bb_vm_fail_call(struct bb_vm *vm, struct bb_call call, int errnum)
{
	char what[512], fix[256];
	enum bb_error_kind kind = bb_error_diagnose(call.op, errnum);
	bb_call_failure(what, sizeof(what), call, errnum);
	bb_error_fix(kind, bb_vm_fds_needed(vm->p), fix, sizeof(fix));
	bb_vm_fail_kind(vm, kind, "%s%s%s", what, fix[0] ? ": " : "", fix);
}

long bb_vm_ioctl(struct bb_vm *vm, int thread, int fd, struct bb_kvm_req req)
{
	long ret = __bb_ioctl(&vm->log, thread, fd, req, NULL);
	if (ret < 0) {
		int errnum = errno;
		bb_vm_fail_call(vm, bb_req_call(req, thread), errnum);
		errno = errnum;
	}
	return ret;
}

uint32_t bb_vm_fds_needed(const struct bb_profile *p)
{
	/* queue eventfds, irqfd eventfds (a device's, or each of its MSI-X vectors'), vCPUs, /dev/kvm and the VM, plus
	 * stdio, result files and the libraries' own */
	uint32_t irq_eventfds = p->transport == BB_TRANSPORT_PCI ? p->devices * (p->queues + 1) : p->devices;
	return p->devices * p->queues + (p->irqfds ? irq_eventfds : 0) + p->vcpus + 2 + 32;
}

int bb_vm_resolve_profile(struct bb_profile *p, char *err, size_t errlen)
{
	if (bb_profile_validate(p, err, errlen) < 0)
		return -1;
	/* a Linux guest starts its other CPUs itself (INIT and SIPI, PSCI) */
	if (bb_profile_is_linux(p))
		p->secondaries_off = true;
	if (bb_arch_resolve_profile(p, err, errlen) < 0)
		return -1;
	if (p->coalesced_zones == BB_COALESCED_FILL) {
		uint32_t fixed[BB_BUS_COUNT];
		bb_arch_fixed_bus_devices(p, fixed);
		p->coalesced_zones = BB_KVM_IO_BUS_DEVICES - fixed[BB_BUS_MMIO];
	}
	return bb_machine_check(p, err, errlen);
}

/* An upper bound on the events of one iteration, so the log never has to
 * grow while a VM boots. */
static uint32_t events_capacity(const struct bb_profile *p)
{
	/* a Linux boot's exits are the guest kernel's to choose: tens of
	 * thousands (its probes of legacy ports, its timer and interrupt
	 * controller set-up); calloc leaves what is not used untouched */
	if (bb_profile_is_linux(p))
		return 1u << 18;
	uint64_t rounds = p->when == BB_WHEN_RESET ? 2 : 1;
	uint64_t queues = (uint64_t)p->devices * p->queues;
	uint64_t registrations = queues * p->nr_styles * rounds * 2;
	uint64_t exits = rounds * p->devices * (40 + 8ull * p->queues) + queues + 64;
	uint64_t setup = 64 + 16ull * p->vcpus + 4ull * p->devices + 2 * queues +
			 p->coalesced_zones + p->memslots_after;
	uint64_t total = 2 * (registrations + exits + setup) + 4096;
	return total > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)total;
}

/* Different per run, so a disk block left from another run is caught. */
static uint32_t run_seed(void)
{
	uint32_t seed = 0;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint32_t)bb_now_ns() ^ (uint32_t)getpid();
	return seed;
}

struct bb_vm *bb_vm_new(const struct bb_run_config *cfg, char *err, size_t errlen)
{
	const struct bb_profile *p = &cfg->profile;
	struct bb_vm *vm = calloc(1, sizeof(*vm));
	uint32_t queues = p->devices * p->queues;

	if (!vm)
		goto oom;
	vm->cfg = cfg;
	vm->p = p;
	vm->layout = bb_arch_layout();
	vm->workload = bb_workload_for(p);
	vm->nr_vcpus = p->vcpus;
	vm->nr_devices = p->devices;
	vm->kvm_fd = vm->vm_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vm->cond, &attr);
	pthread_condattr_destroy(&attr);

	vm->vcpus = calloc(p->vcpus, sizeof(*vm->vcpus));
	vm->devices = calloc(p->devices ? p->devices : 1, sizeof(*vm->devices));
	vm->queue_state = calloc(queues ? queues : 1, sizeof(*vm->queue_state));
	vm->queue_eventfds = malloc((queues ? queues : 1) * sizeof(int));
	vm->irq_eventfds = malloc((p->devices ? p->devices : 1) * sizeof(int));
	vm->kick_counts = calloc(queues ? queues : 1, sizeof(*vm->kick_counts));
	vm->kicks_served = calloc(queues ? queues : 1, sizeof(*vm->kicks_served));
	vm->vrings = calloc(queues ? queues : 1, sizeof(*vm->vrings));
	if (!vm->vcpus || !vm->devices || !vm->queue_state || !vm->queue_eventfds ||
	    !vm->irq_eventfds || !vm->kick_counts || !vm->kicks_served || !vm->vrings ||
	    bb_event_log_init(&vm->log, events_capacity(p)) < 0)
		goto oom;
	pthread_mutex_init(&vm->uart_lock, NULL);
	vm->seed = run_seed();
	for (uint32_t i = 0; i < p->vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].index = i;
		vm->vcpus[i].fd = -1;
		vm->vcpus[i].pin_cpu = cfg->nr_pin ? cfg->pin_cpus[i % cfg->nr_pin] : -1;
	}
	for (uint32_t i = 0; i < queues; i++)
		vm->queue_eventfds[i] = -1;
	for (uint32_t i = 0; i < p->devices; i++) {
		vm->irq_eventfds[i] = -1;
		vm->devices[i].vm = vm;
		vm->devices[i].index = i;
		vm->devices[i].vrings = &vm->vrings[(size_t)i * p->queues];
		vm->devices[i].disk.fd = -1;
		pthread_mutex_init(&vm->devices[i].lock, NULL);
	}
	vm->lenient_pio = bb_profile_is_linux(p);
	if (bb_machine_place(p, vm, err, errlen) < 0 ||
	    (vm->workload->open && vm->workload->open(p, &vm->workload_state, err, errlen) < 0)) {
		bb_vm_free(vm);
		return NULL;
	}
	if (cfg->stacks)
		vm->offcpu = bb_offcpu_open(vm->offcpu_unavailable, sizeof(vm->offcpu_unavailable));
	return vm;
oom:
	bb_errorf(err, errlen, "out of memory preparing a VM of %u devices x %u queues", p->devices, p->queues);
	bb_vm_free(vm);
	return NULL;
}

void bb_vm_free(struct bb_vm *vm)
{
	if (!vm)
		return;
	if (vm->workload && vm->workload->close)
		vm->workload->close(vm->workload_state);
	for (uint32_t i = 0; vm->devices && i < vm->nr_devices; i++) {
		if (vm->devices[i].disk.fd >= 0)
			close(vm->devices[i].disk.fd);
		pthread_mutex_destroy(&vm->devices[i].lock);
	}
	bb_event_log_free(&vm->log);
	bb_offcpu_free(vm->offcpu);
	free(vm->offcpu_rows);
	free(vm->vcpus);
	free(vm->devices);
	free(vm->queue_state);
	free(vm->queue_eventfds);
	free(vm->irq_eventfds);
	free(vm->kick_counts);
	free(vm->kicks_served);
	free(vm->vrings);
	free(vm->placed);
	bb_pci_free(vm);
	bb_io_bus_free(&vm->mmio_bus);
	bb_io_bus_free(&vm->pio_bus);
	pthread_mutex_destroy(&vm->lock);
	pthread_mutex_destroy(&vm->uart_lock);
	pthread_cond_destroy(&vm->cond);
	free(vm);
}

const struct bb_offcpu *bb_vm_offcpu(const struct bb_vm *vm)
{
	return vm->offcpu;
}

const char *bb_vm_offcpu_unavailable(const struct bb_vm *vm)
{
	return vm->offcpu ? "" : vm->offcpu_unavailable;
}
