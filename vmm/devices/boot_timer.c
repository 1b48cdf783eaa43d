/* Firecracker's boot timer: the guest writes BB_BOOT_ENTERED at its first
 * instruction and 123 at boot-done; bootbench's own guest may also report
 * an error code, which the workload explains. */
#include <inttypes.h>
#include <string.h>

#include "devices.h"
#include "guest_abi.h"
#include "vm_internal.h"

static void boot_signal(struct bb_vm *vm, uint8_t value)
{
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

static int access_timer(struct bb_vcpu *vcpu, const struct bb_io_access *a)
{
	static _Thread_local uint32_t error_arg;
	struct bb_vm *vm = a->dev;
	uint64_t offset = a->addr - a->base;
	uint32_t value = 0;

	if (!a->is_write) {
		memset(a->data, 0, a->len);
		return 0;
	}
	memcpy(&value, a->data, a->len < 4 ? a->len : 4);
	switch (offset) {
	case BB_BOOT_TIMER_SIGNAL:
		if (value != BB_BOOT_ENTERED && value != BB_BOOT_DONE) {
			bb_vm_fail(vm, "the guest wrote %u to the boot timer: expected %d (entered) or %d (boot-done)", value,
				   BB_BOOT_ENTERED, BB_BOOT_DONE);
			return -1;
		}
		boot_signal(vm, (uint8_t)value);
		return 0;
	case BB_BOOT_TIMER_ERROR_ARG:
		error_arg = value;
		return 0;
	case BB_BOOT_TIMER_ERROR:
	{
		char what[512];
		vm->workload->guest_error(vm->p, &vm->machine, value, error_arg, what, sizeof(what));
		bb_vm_fail(vm, "the guest reported %s (guest error %u)", what, value);
		return -1;
	}
	default:
		(void)vcpu;
		bb_vm_fail(vm, "the guest wrote boot-timer offset 0x%" PRIx64 ", which does not exist", offset);
		return -1;
	}
}

int bb_boot_timer_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm, uint32_t count,
			char *err, size_t errlen)
{
	(void)p;
	struct bb_placement pl = {
		.type = "boot-timer",
		.name = "the boot timer",
		.fix = "move the devices off it",
		.base = bb_arch_layout()->boot_timer_gpa,
		.stride = BB_BOOT_TIMER_SIZE,
		.count = count,
		.handler = access_timer,
		.devs = vm,
	};
	return bb_dm_place_mmio(dm, &pl, err, errlen);
}
