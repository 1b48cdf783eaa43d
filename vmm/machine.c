/* The VM's address space, placed by one allocator: guest RAM, the
 * workload's devices, the arch's own regions, the coalesced zones and the
 * memslots added later. Run once to check a profile (no VM) and once per
 * run to build the VM's buses and the machine the workload is told of. */
#include <stdlib.h>

#include "device_manager.h"
#include "devices.h"
#include "errorf.h"
#include "vm_internal.h"

static uint32_t devices_declared(const struct bb_device_decl *d, uint32_t n)
{
	uint32_t total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += d[i].count;
	return total;
}

static int attach(struct bb_vm *vm, struct bb_device_manager *dm, uint32_t total, char *err, size_t errlen)
{
	vm->placed = calloc(total ? total : 1, sizeof(*vm->placed));
	if (!vm->placed || bb_io_bus_init(&vm->mmio_bus, total) < 0 || bb_io_bus_init(&vm->pio_bus, total) < 0) {
		bb_errorf(err, errlen, "out of memory placing %u devices", total);
		return -1;
	}
	dm->mmio = &vm->mmio_bus;
	dm->pio = vm->layout->has_pio ? &vm->pio_bus : NULL;
	dm->placed = vm->placed;
	dm->placed_capacity = total;
	return 0;
}

/* With vm, onto its buses; without, into check_placed (when given) only. */
static int place(const struct bb_profile *p, struct bb_vm *vm, struct bb_machine_device *check_placed,
		 struct bb_machine *out, char *err, size_t errlen)
{
	const struct bb_arch_layout *l = bb_arch_layout();
	const struct bb_workload *w = bb_workload_for(p);
	struct bb_device_decl decls[BB_WORKLOAD_MAX_DECLS];
	uint32_t nr_decls = w->devices(p, decls, BB_WORKLOAD_MAX_DECLS);
	uint64_t ram = (uint64_t)p->mem_mib << 20;
	struct bb_device_manager dm;

	if (ram > l->ram_max_bytes) {
		bb_errorf(err, errlen, "mem_mib %u is more than the %llu MiB of RAM the %s layout has below its devices: use at most %llu",
			  p->mem_mib, (unsigned long long)l->ram_max_bytes >> 20, l->name,
			  (unsigned long long)l->ram_max_bytes >> 20);
		return -1;
	}
	bb_dm_init(&dm, l->window_base, l->window_end, l->irq_base, l->irq_count);
	if (vm && attach(vm, &dm, devices_declared(decls, nr_decls), err, errlen) < 0)
		return -1;
	if (!vm && check_placed) { /* the placements only, for the workload's checks */
		dm.placed = check_placed;
		dm.placed_capacity = devices_declared(decls, nr_decls);
	}
	if (bb_dm_reserve(&dm, "guest RAM", "lower mem_mib", l->ram_base, ram, err, errlen) < 0)
		return -1;
	for (uint32_t i = 0; i < nr_decls; i++)
		if (bb_device_place(decls[i].type, decls[i].count, &dm, p, vm, err, errlen) < 0)
			return -1;
	if (bb_arch_reserve(&dm, p, err, errlen) < 0)
		return -1;
	struct bb_placement zones = {
		.name = "the coalesced zones", .fix = "move coalesced_base",
		.base = p->coalesced_base, .stride = 0x1000, .count = p->coalesced_zones,
	};
	if (p->coalesced_zones != BB_COALESCED_FILL && bb_dm_place_mmio(&dm, &zones, err, errlen) < 0)
		return -1;
	if (bb_dm_reserve(&dm, "the memslots added after the registrations", "lower memslots_after or memslot_after_mib",
			  l->extra_slots_gpa, (uint64_t)p->memslots_after * ((uint64_t)p->memslot_after_mib << 20), err,
			  errlen) < 0)
		return -1;
	*out = (struct bb_machine){
		.arch = l->name,
		.ram_gpa = l->ram_base,
		.ram_bytes = ram,
		.vcpus = p->vcpus,
		.devices = dm.placed,
		.nr_devices = dm.nr_placed,
		.guest_fault = vm ? vm->cfg->fault : 0,
		.seed = vm ? vm->seed : 0,
		.pci_ecam = dm.pci_ecam,
		.pci_ecam_len = dm.pci_ecam_len,
		.pci_mmio32 = dm.pci_mmio32,
		.pci_mmio32_len = dm.pci_mmio32_len,
		.pci_io = dm.pci_io,
		.pci_io_len = dm.pci_io_len,
	};
	bb_arch_describe(p, out);
	return 0;
}

int bb_machine_place(const struct bb_profile *p, struct bb_vm *vm, char *err, size_t errlen)
{
	return place(p, vm, NULL, &vm->machine, err, errlen);
}

int bb_machine_check(const struct bb_profile *p, char *err, size_t errlen)
{
	const struct bb_workload *w = bb_workload_for(p);
	struct bb_device_decl decls[BB_WORKLOAD_MAX_DECLS];
	uint32_t nr_decls = w->devices(p, decls, BB_WORKLOAD_MAX_DECLS);
	uint32_t total = devices_declared(decls, nr_decls);
	struct bb_machine_device *placed = calloc(total ? total : 1, sizeof(*placed));
	struct bb_machine m;

	if (!placed) {
		bb_errorf(err, errlen, "out of memory placing %u devices", total);
		return -1;
	}
	int rc = place(p, NULL, placed, &m, err, errlen);
	if (rc == 0)
		rc = w->check_profile(p, &m, err, errlen);
	free(placed);
	return rc;
}
