/* vCPUs: creation, one thread each (optionally pinned), the KVM_RUN loop
 * and the handling of the exits the guest causes. */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_requests.h"
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
		int fd = (int)bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->vm_fd, bb_req_create_vcpu(i));
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
		struct bb_vcpu_entry entry;
		vm->workload->entry(vm->p, vm->workload_state, &vm->machine, i, &entry);
		if (bb_arch_setup_vcpu(vm, vcpu, &entry) < 0)
			return -1;
	}
	return 0;
}

int bb_vcpu_unhandled_mmio(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	bb_vm_fail(vcpu->vm, "vCPU %u: the guest %s %u bytes at 0x%" PRIx64 ", where nothing is mapped", vcpu->index,
		   a->is_write ? "wrote" : "read", a->len, a->addr);
	return -1;
}

int bb_vcpu_unhandled_pio(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	if (vcpu->vm->lenient_pio) {
		if (!a->is_write)
			memset(a->data, 0xff, a->len);
		return 0;
	}
	bb_vm_fail(vcpu->vm, "vCPU %u: unexpected port I/O %s of %u bytes at port 0x%x", vcpu->index,
		   a->is_write ? "write" : "read", a->len, (unsigned)a->addr);
	return -1;
}

static int dispatch(struct bb_vcpu *vcpu, const struct bb_io_bus *bus, uint64_t addr, uint8_t *data, uint32_t len,
		    bool is_write, bb_io_handler unhandled)
{
	const struct bb_io_range *r = bb_io_bus_find(bus, addr);
	struct bb_io_access a = {
		.dev = r ? r->dev : NULL,
		.base = r ? r->base : addr,
		.addr = addr,
		.data = data,
		.len = len,
		.is_write = is_write,
	};
	return r ? r->handler(vcpu, &a) : unhandled(vcpu, &a);
}

int bb_vcpu_mmio(struct bb_vcpu *vcpu, uint64_t addr, uint8_t *data, uint32_t len, bool is_write)
{
	return dispatch(vcpu, &vcpu->vm->mmio_bus, addr, data, len, is_write, bb_vcpu_unhandled_mmio);
}

int bb_vcpu_pio(struct bb_vcpu *vcpu, uint16_t port, uint8_t *data, uint32_t size, bool is_write)
{
	return dispatch(vcpu, &vcpu->vm->pio_bus, port, data, size, is_write, bb_vcpu_unhandled_pio);
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
		long ret = __bb_ioctl(&vm->log, (int)vcpu->index, vcpu->fd, bb_req_run(), &ev);
		if (ret < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			char what[256], regs[512];
			bb_call_failure(what, sizeof(what), bb_req_call(bb_req_run(), (int)vcpu->index), errno);
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

void bb_vcpus_close(struct bb_vm *vm)
{
	for (uint32_t i = 0; i < vm->nr_vcpus; i++) {
		struct bb_vcpu *vcpu = &vm->vcpus[i];
		if (vcpu->run) {
			struct munmap_ctx ctx = { vcpu->run, vm->run_size };
			__bb_timed(&vm->log, bb_call(BB_OP_MUNMAP_VCPU, BB_THREAD_MAIN, i, 0, 0), do_munmap, &ctx);
			vcpu->run = NULL;
		}
		bb_timed_close(&vm->log, BB_OP_CLOSE_VCPU, i, &vcpu->fd);
	}
}
