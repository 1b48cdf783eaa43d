/* VM resources: what is allocated once per run, opening /dev/kvm and the
 * VM, the checks before a run, and the asserting ioctl wrapper. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errorf.h"
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
	[BB_PHASE_TEARDOWN] = "teardown",
};

const char *const bb_bus_names[BB_BUS_COUNT] = { "mmio", "fast_mmio", "pio" };

void bb_vm_fail(struct bb_vm *vm, const char *fmt, ...)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->error[0] == '\0') {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(vm->error, sizeof(vm->error), fmt, ap);
		va_end(ap);
	}
	if (vm->state == BB_BOOT_RUNNING)
		vm->state = BB_BOOT_FAILED;
	pthread_cond_signal(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
}

static int registers_on_bus(enum bb_op op)
{
	return op == BB_OP_IOEVENTFD || op == BB_OP_REGISTER_COALESCED_MMIO ||
	       op == BB_OP_CREATE_IRQCHIP || op == BB_OP_CREATE_PIT2 ||
	       op == BB_OP_CREATE_VCPU || op == BB_OP_SET_DEVICE_ATTR;
}

long bb_vm_ioctl(struct bb_vm *vm, struct bb_call call, int fd, unsigned long request, void *arg)
{
	long ret = __bb_ioctl(&vm->log, call, fd, request, arg, NULL);
	if (ret < 0) {
		int errnum = errno;
		char what[512];
		bb_call_failure(what, sizeof(what), call, errnum);
		if (errnum == ENOSPC && registers_on_bus(call.op))
			bb_vm_fail(vm, "%s: a KVM I/O bus is full (NR_IOBUS_DEVS, 1000 devices a bus); lower the profile's devices or coalesced_zones", what);
		else if (errnum == EMFILE || errnum == ENFILE)
			bb_vm_fail(vm, "%s: out of file descriptors; the profile needs %u, raise the limit with ulimit -n %u",
				   what, bb_vm_fds_needed(vm->p), bb_vm_fds_needed(vm->p));
		else
			bb_vm_fail(vm, "%s", what);
		errno = errnum;
	}
	return ret;
}

uint32_t bb_vm_fds_needed(const struct bb_profile *p)
{
	/* queue eventfds, irqfd eventfds, vCPUs, /dev/kvm and the VM, plus
	 * stdio, result files and the libraries' own */
	return p->devices * p->queues + (p->irqfds ? p->devices : 0) + p->vcpus + 2 + 32;
}

int bb_vm_resolve_profile(struct bb_profile *p, char *err, size_t errlen)
{
	if (bb_profile_validate(p, err, errlen) < 0 || bb_arch_resolve_profile(p, err, errlen) < 0)
		return -1;
	if (p->coalesced_zones == BB_COALESCED_FILL) {
		uint32_t fixed[BB_BUS_COUNT];
		bb_arch_fixed_bus_devices(p, fixed);
		p->coalesced_zones = 1000 - fixed[BB_BUS_MMIO];
	}
	return 0;
}

/* An upper bound on the events of one iteration, so the log never has to
 * grow while a VM boots. */
static uint32_t events_capacity(const struct bb_profile *p)
{
	uint64_t rounds = p->when == BB_WHEN_RESET ? 2 : 1;
	uint64_t queues = (uint64_t)p->devices * p->queues;
	uint64_t registrations = queues * p->nr_styles * rounds * 2;
	uint64_t exits = rounds * p->devices * (40 + 8ull * p->queues) + queues + 64;
	uint64_t setup = 64 + 16ull * p->vcpus + 4ull * p->devices + 2 * queues +
			 p->coalesced_zones + p->memslots_after;
	uint64_t total = 2 * (registrations + exits + setup) + 4096;
	return total > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)total;
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
	if (!vm->vcpus || !vm->devices || !vm->queue_state || !vm->queue_eventfds ||
	    !vm->irq_eventfds || bb_event_log_init(&vm->log, events_capacity(p)) < 0)
		goto oom;
	for (uint32_t i = 0; i < p->vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].index = i;
		vm->vcpus[i].fd = -1;
		vm->vcpus[i].pin_cpu = cfg->nr_pin ? cfg->pin_cpus[i % cfg->nr_pin] : -1;
	}
	for (uint32_t i = 0; i < queues; i++)
		vm->queue_eventfds[i] = -1;
	for (uint32_t i = 0; i < p->devices; i++)
		vm->irq_eventfds[i] = -1;
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
	bb_event_log_free(&vm->log);
	free(vm->vcpus);
	free(vm->devices);
	free(vm->queue_state);
	free(vm->queue_eventfds);
	free(vm->irq_eventfds);
	pthread_mutex_destroy(&vm->lock);
	pthread_cond_destroy(&vm->cond);
	free(vm);
}
