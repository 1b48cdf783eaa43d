/* Guest RAM, its memslot and what the workload loads into it; and the
 * memslots a profile adds after the registrations, where the 6.18
 * regression shows. Memory is mapped fresh for every VM, as a VMM does. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "kvm_requests.h"
#include "vm_internal.h"

static uint8_t *map_anonymous(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static int set_memslot(struct bb_vm *vm, int thread, uint32_t slot, uint64_t gpa,
		       uint64_t bytes, void *host)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = bytes,
		.userspace_addr = (uintptr_t)host,
	};
	return (int)bb_vm_ioctl(vm, thread, vm->vm_fd, bb_req_set_user_memory_region(&region));
}

int bb_memory_setup(struct bb_vm *vm)
{
	const struct bb_arch_layout *l = vm->layout;

	vm->ram_bytes = (size_t)vm->p->mem_mib << 20;
	vm->ram = map_anonymous(vm->ram_bytes);
	if (!vm->ram) {
		bb_vm_fail(vm, "cannot map %u MiB of guest RAM: %s; lower mem_mib", vm->p->mem_mib,
			   strerror(errno));
		return -1;
	}
	if (set_memslot(vm, BB_THREAD_MAIN, vm->next_slot++, l->ram_base, vm->ram_bytes, vm->ram) < 0)
		return -1;
	vm->machine.ram = vm->ram;
	vm->guest_ram = (struct bb_guest_ram){ .base = vm->ram, .gpa = l->ram_base, .size = vm->ram_bytes };
	char err[512];
	if (vm->workload->load(vm->p, vm->workload_state, &vm->machine, err, sizeof(err)) < 0) {
		bb_vm_fail(vm, "%s", err);
		return -1;
	}
	return bb_arch_prepare_memory(vm, vm->ram);
}

int bb_memory_add_slots_after(struct bb_vm *vm, int thread)
{
	const struct bb_profile *p = vm->p;
	uint64_t slot_bytes = (uint64_t)p->memslot_after_mib << 20;

	if (p->memslots_after == 0 || vm->memslots_after_done)
		return 0;
	vm->memslots_after_done = true;
	vm->extra_bytes = slot_bytes * p->memslots_after;
	vm->extra_mem = map_anonymous(vm->extra_bytes);
	if (!vm->extra_mem) {
		bb_vm_fail(vm, "cannot map %u MiB for memslots_after: %s",
			   p->memslots_after * p->memslot_after_mib, strerror(errno));
		return -1;
	}
	for (uint32_t i = 0; i < p->memslots_after; i++) {
		uint64_t gpa = vm->layout->extra_slots_gpa + i * slot_bytes;
		if (set_memslot(vm, thread, vm->next_slot++, gpa, slot_bytes,
				vm->extra_mem + i * slot_bytes) < 0)
			return -1;
		vm->it->memslots_after++;
	}
	return 0;
}

void bb_memory_release(struct bb_vm *vm)
{
	if (vm->ram)
		munmap(vm->ram, vm->ram_bytes);
	if (vm->extra_mem)
		munmap(vm->extra_mem, vm->extra_bytes);
	vm->ram = vm->extra_mem = NULL;
	vm->ram_bytes = vm->extra_bytes = 0;
}
