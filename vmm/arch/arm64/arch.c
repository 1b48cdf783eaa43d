/* arm64: vCPUs initialised with PSCI 0.2 and entered at EL1 with the MMU
 * off; the in-kernel vGICv3 (and optionally an ITS) is the irqchip. The
 * redistributor base is set before the vCPUs exist, so each
 * KVM_CREATE_VCPU registers its own redistributor on the MMIO bus; the
 * distributor registers at the first KVM_RUN. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errorf.h"
#include "layout.h"
#include "vm_internal.h"

static const struct bb_arch_layout layout = {
	.name = "arm64",
	.ram_base = BB_ARM64_RAM_GPA,
	.ram_max_bytes = BB_ARM64_RAM_MAX,
	.config_gpa = BB_ARM64_CONFIG_GPA,
	.image_gpa = BB_ARM64_IMAGE_GPA,
	.image_max_bytes = BB_ARM64_IMAGE_MAX,
	.boot_timer_gpa = BB_ARM64_BOOT_TIMER_GPA,
	.extra_slots_gpa = BB_ARM64_EXTRA_SLOTS_GPA,
	.kvm_vm_type = 0,
};

/* KVM_REG_ARM_CORE register ids, as the KVM API document builds them */
#define CORE_REG(field) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offsetof(struct kvm_regs, field) / sizeof(__u32)))
#define PSTATE_EL1H_MASKED 0x3c5 /* EL1h, D A I F masked */

const struct bb_arch_layout *bb_arch_layout(void)
{
	return &layout;
}

uint64_t bb_arch_stack_top(uint32_t vcpu_index)
{
	return BB_ARM64_STACKS_GPA + (vcpu_index + 1ull) * BB_ARM64_STACK_BYTES;
}

static int overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

int bb_arch_resolve_profile(struct bb_profile *p, char *err, size_t errlen)
{
	uint64_t ram = (uint64_t)p->mem_mib << 20;
	uint64_t devices_len = (uint64_t)p->devices * p->mmio_stride;
	uint64_t zones = p->coalesced_zones == BB_COALESCED_FILL ? 1000 : p->coalesced_zones;
	uint64_t gicr_end = BB_ARM64_GICR_GPA + (uint64_t)p->vcpus * BB_ARM64_GICR_STRIDE;
	size_t note = strlen(p->arch_note);

	if (bb_profile_has_style(p, BB_STYLE_PIO)) {
		if (p->nr_styles == 1) {
			bb_errorf(err, errlen, "style pio needs port I/O, which arm64 does not have: use --style mmio or mmio-any");
			return -1;
		}
		/* a transitional device's legacy I/O BAR does not exist here:
		 * QEMU on arm64 registers only its MMIO notifiers */
		uint32_t n = 0;
		for (uint32_t i = 0; i < p->nr_styles; i++)
			if (p->styles[i] != BB_STYLE_PIO)
				p->styles[n++] = p->styles[i];
		p->nr_styles = n;
		note += (size_t)snprintf(p->arch_note + note, sizeof(p->arch_note) - note, "%sarm64: pio notifiers dropped (no port I/O)",
					 note ? "; " : "");
	}
	if (p->pit) {
		p->pit = false;
		note += (size_t)snprintf(p->arch_note + note, sizeof(p->arch_note) - note, "%sarm64: no in-kernel PIT",
					 note ? "; " : "");
	}
	if (ram > BB_ARM64_RAM_MAX) {
		bb_errorf(err, errlen, "mem_mib %u is more than the %llu MiB of RAM the arm64 layout has below the devices: use at most %llu",
			 p->mem_mib, BB_ARM64_RAM_MAX >> 20, BB_ARM64_RAM_MAX >> 20);
		return -1;
	}
	if (bb_arch_stack_top(p->vcpus - 1) > BB_ARM64_RAM_GPA + ram) {
		bb_errorf(err, errlen, "mem_mib %u is too small for %u vCPU stacks: raise mem_mib", p->mem_mib, p->vcpus);
		return -1;
	}
	if (gicr_end > BB_ARM64_BOOT_TIMER_GPA) {
		bb_errorf(err, errlen, "%u vCPUs need more redistributor space than the layout has: use fewer vCPUs", p->vcpus);
		return -1;
	}
	uint64_t ram_end = BB_ARM64_RAM_GPA + ram;
	if (p->mmio_base < ram_end || overlaps(p->mmio_base, devices_len, BB_ARM64_BOOT_TIMER_GPA, BB_BOOT_TIMER_SIZE) ||
	    overlaps(p->mmio_base, devices_len, BB_ARM64_GICD_GPA, gicr_end - BB_ARM64_GICD_GPA) ||
	    p->mmio_base + devices_len > BB_ARM64_EXTRA_SLOTS_GPA) {
		bb_errorf(err, errlen, "%u devices at mmio_base 0x%" PRIx64 " overlap RAM, the GIC or the boot timer: move mmio_base or lower devices",
			 p->devices, p->mmio_base);
		return -1;
	}
	if (zones && (p->coalesced_base < ram_end ||
		      overlaps(p->coalesced_base, zones * 0x1000, p->mmio_base, devices_len) ||
		      overlaps(p->coalesced_base, zones * 0x1000, BB_ARM64_BOOT_TIMER_GPA, BB_BOOT_TIMER_SIZE))) {
		bb_errorf(err, errlen, "the coalesced zones at 0x%" PRIx64 " overlap RAM, the devices or the boot timer: move coalesced_base",
			 p->coalesced_base);
		return -1;
	}
	return 0;
}

void bb_arch_fixed_bus_devices(const struct bb_profile *p, uint32_t count[3])
{
	count[BB_BUS_MMIO] = count[BB_BUS_FAST_MMIO] = count[BB_BUS_PIO] = 0;
	if (p->irqchip) /* the distributor and one redistributor per vCPU */
		count[BB_BUS_MMIO] = 1 + p->vcpus;
}

int bb_arch_prepare_memory(struct bb_vm *vm, uint8_t *ram)
{
	(void)vm;
	(void)ram; /* the MMU stays off: nothing to build */
	return 0;
}

static int device_attr(struct bb_vm *vm, int fd, uint32_t group, uint64_t attr, void *addr, uint64_t shown)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)addr };
	return (int)bb_vm_ioctl(vm, bb_call(BB_OP_SET_DEVICE_ATTR, BB_THREAD_MAIN, group, attr, shown), fd,
				KVM_SET_DEVICE_ATTR, &a);
}

static int create_device(struct bb_vm *vm, uint32_t type)
{
	struct kvm_create_device d = { .type = type };
	if (bb_vm_ioctl(vm, bb_call(BB_OP_CREATE_DEVICE, BB_THREAD_MAIN, type, 0, 0), vm->vm_fd, KVM_CREATE_DEVICE, &d) < 0)
		return -1;
	return (int)d.fd;
}

int bb_arch_create_irqchip(struct bb_vm *vm)
{
	struct bb_arch_state *s = &vm->arch;
	uint64_t dist = BB_ARM64_GICD_GPA, redist = BB_ARM64_GICR_GPA;
	uint32_t nr_irqs = BB_ARM64_NR_IRQS;

	if (bb_vm_ioctl(vm, bb_call(BB_OP_ARM_PREFERRED_TARGET, BB_THREAD_MAIN, 0, 0, 0), vm->vm_fd,
			KVM_ARM_PREFERRED_TARGET, &s->preferred) < 0)
		return -1;
	if (!vm->p->irqchip)
		return 0;
	s->vgic_fd = create_device(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	if (s->vgic_fd < 0)
		return -1;
	if (device_attr(vm, s->vgic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist, dist) < 0 ||
	    device_attr(vm, s->vgic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist, redist) < 0 ||
	    device_attr(vm, s->vgic_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs, nr_irqs) < 0)
		return -1;
	uint32_t fixed[3];
	bb_arch_fixed_bus_devices(vm->p, fixed);
	vm->it->bus_devices[BB_BUS_MMIO] += fixed[BB_BUS_MMIO];
	return 0;
}

int bb_arch_finish_irqchip(struct bb_vm *vm)
{
	if (!vm->p->irqchip)
		return 0;
	return device_attr(vm, vm->arch.vgic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, 0);
}

static long close_fd(void *ctx)
{
	return close(*(int *)ctx);
}

void bb_arch_teardown(struct bb_vm *vm)
{
	int *fds[] = { &vm->arch.its_fd, &vm->arch.vgic_fd };
	for (size_t i = 0; i < 2; i++) {
		if (*fds[i] >= 0)
			__bb_timed(&vm->log, bb_call(BB_OP_CLOSE_DEVICE, BB_THREAD_MAIN, i, 0, 0), close_fd, fds[i]);
		*fds[i] = -1;
	}
}

static int set_reg(struct bb_vm *vm, struct bb_vcpu *vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };
	return (int)bb_vm_ioctl(vm, bb_call(BB_OP_SET_ONE_REG, BB_THREAD_MAIN, vcpu->index, id, value), vcpu->fd,
				KVM_SET_ONE_REG, &reg);
}

int bb_arch_setup_vcpu(struct bb_vm *vm, struct bb_vcpu *vcpu, uint64_t stack_top)
{
	struct kvm_vcpu_init init = vm->arch.preferred;
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (vcpu->index > 0 && vm->p->secondaries_off)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (bb_vm_ioctl(vm, bb_call(BB_OP_ARM_VCPU_INIT, BB_THREAD_MAIN, vcpu->index, 0, 0), vcpu->fd,
			KVM_ARM_VCPU_INIT, &init) < 0)
		return -1;
	/* entry.S takes x0 = vCPU index, x1 = config, x2 = stack top */
	if (set_reg(vm, vcpu, CORE_REG(regs.pc), BB_ARM64_IMAGE_GPA) < 0 ||
	    set_reg(vm, vcpu, CORE_REG(regs.pstate), PSTATE_EL1H_MASKED) < 0 ||
	    set_reg(vm, vcpu, CORE_REG(regs.regs[0]), vcpu->index) < 0 ||
	    set_reg(vm, vcpu, CORE_REG(regs.regs[1]), BB_ARM64_CONFIG_GPA) < 0 ||
	    set_reg(vm, vcpu, CORE_REG(regs.regs[2]), stack_top) < 0)
		return -1;
	return 0;
}

int bb_arch_handle_exit(struct bb_vcpu *vcpu, struct kvm_run *run)
{
	(void)vcpu;
	(void)run;
	return 0; /* MMIO is generic; everything else is unexpected */
}

static uint64_t get_reg(struct bb_vcpu *vcpu, uint64_t id, int *ok)
{
	uint64_t value = 0;
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };
	if (__bb_ioctl(NULL, bb_call(BB_OP_SET_ONE_REG, (int)vcpu->index, vcpu->index, id, 0), vcpu->fd,
		       KVM_GET_ONE_REG, &reg, NULL) < 0)
		*ok = 0;
	return value;
}

void bb_arch_dump_registers(struct bb_vcpu *vcpu, char *buf, size_t len)
{
	int ok = 1;
	uint64_t pc = get_reg(vcpu, CORE_REG(regs.pc), &ok), pstate = get_reg(vcpu, CORE_REG(regs.pstate), &ok);
	uint64_t sp = get_reg(vcpu, CORE_REG(sp_el1), &ok), x0 = get_reg(vcpu, CORE_REG(regs.regs[0]), &ok);
	uint64_t x1 = get_reg(vcpu, CORE_REG(regs.regs[1]), &ok), x2 = get_reg(vcpu, CORE_REG(regs.regs[2]), &ok);
	uint64_t lr = get_reg(vcpu, CORE_REG(regs.regs[30]), &ok), elr = get_reg(vcpu, CORE_REG(elr_el1), &ok);
	if (!ok) {
		snprintf(buf, len, "registers unavailable: %s", strerror(errno));
		return;
	}
	snprintf(buf, len, "pc=0x%" PRIx64 " pstate=0x%" PRIx64 " sp_el1=0x%" PRIx64 " x0=0x%" PRIx64 " x1=0x%" PRIx64
		 " x2=0x%" PRIx64 " lr=0x%" PRIx64 " elr_el1=0x%" PRIx64,
		 pc, pstate, sp, x0, x1, x2, lr, elr);
}
