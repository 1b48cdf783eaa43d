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

#include "device_manager.h"
#include "errorf.h"
#include "irq_routing.h"
#include "kvm_requests.h"
#include "layout.h"
#include "vm_internal.h"

static const struct bb_arch_layout layout = {
	.name = "arm64",
	.ram_base = BB_ARM64_RAM_GPA,
	.ram_max_bytes = BB_ARM64_RAM_MAX,
	.window_base = 0, /* the MMU is off: devices may sit below RAM or above it */
	.window_end = BB_ARM64_DEVICES_END,
	.boot_timer_gpa = BB_ARM64_BOOT_TIMER_GPA,
	.console_gpa = BB_ARM64_CONSOLE_GPA,
	.console_irq = BB_ARM64_CONSOLE_GSI,
	.extra_slots_gpa = BB_ARM64_EXTRA_SLOTS_GPA,
	.irq_base = BB_ARM64_FIRST_GSI,
	.irq_count = BB_ARM64_DEVICE_GSIS,
	.has_pio = false,
	.msi_devid = true,
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

int bb_arch_resolve_profile(struct bb_profile *p, char *err, size_t errlen)
{
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
	return 0;
}

int bb_arch_reserve(struct bb_device_manager *dm, const struct bb_profile *p, char *err, size_t errlen)
{
	uint64_t gicr_end = BB_ARM64_GICR_GPA + (uint64_t)p->vcpus * BB_ARM64_GICR_STRIDE;
	if (!p->irqchip)
		return 0;
	return bb_dm_reserve(dm, "the GIC and its redistributors", "use fewer vCPUs or move the devices",
			     BB_ARM64_GICD_GPA, gicr_end - BB_ARM64_GICD_GPA, err, errlen);
}

void bb_arch_fixed_bus_devices(const struct bb_profile *p, uint32_t count[3])
{
	count[BB_BUS_MMIO] = count[BB_BUS_FAST_MMIO] = count[BB_BUS_PIO] = 0;
	if (p->irqchip) /* the distributor and one redistributor per vCPU */
		count[BB_BUS_MMIO] = 1 + p->vcpus;
	if (p->irqchip && p->transport == BB_TRANSPORT_PCI) /* and the ITS's frame, at the first KVM_RUN */
		count[BB_BUS_MMIO] += 1;
}

void bb_arch_describe(const struct bb_profile *p, struct bb_machine *m)
{
	if (!p->irqchip)
		return;
	m->gic_dist = BB_ARM64_GICD_GPA;
	m->gic_dist_len = 0x10000;
	m->gic_redist = BB_ARM64_GICR_GPA;
	m->gic_redist_len = (uint64_t)p->vcpus * BB_ARM64_GICR_STRIDE;
	if (p->transport == BB_TRANSPORT_PCI) {
		m->gic_its = BB_ARM64_ITS_GPA;
		m->gic_its_len = BB_ARM64_ITS_BYTES;
	}
}

uint32_t bb_arch_irq_line(uint32_t gsi)
{
	/* KVM routes GSI n to SPI INTID 32 + n, as an irqfd does */
	return (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (gsi + 32);
}

/* KVM's own table for the vGIC: GSI n on SPI n (INTID 32 + n), for every
 * SPI the distributor has */
uint32_t bb_arch_default_routes(struct bb_irq_routing *r)
{
	for (uint32_t gsi = 0; gsi < BB_ARM64_NR_IRQS - 32; gsi++)
		if (bb_irq_routing_add_irqchip(r, gsi, 0, gsi) < 0)
			return 0;
	return BB_ARM64_NR_IRQS - 32;
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
	return (int)bb_vm_ioctl(vm, BB_THREAD_MAIN, fd, bb_req_set_device_attr(&a, shown));
}

static int create_device(struct bb_vm *vm, uint32_t type)
{
	struct kvm_create_device d = { .type = type };
	if (bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->vm_fd, bb_req_create_device(&d)) < 0)
		return -1;
	return (int)d.fd;
}

int bb_arch_create_irqchip(struct bb_vm *vm)
{
	struct bb_arch_state *s = &vm->arch;
	uint64_t dist = BB_ARM64_GICD_GPA, redist = BB_ARM64_GICR_GPA;
	uint32_t nr_irqs = BB_ARM64_NR_IRQS;

	if (bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->vm_fd, bb_req_arm_preferred_target(&s->preferred)) < 0)
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
	/* a PCI guest's MSIs go through the ITS, as on QEMU's virt machine */
	if (vm->p->transport == BB_TRANSPORT_PCI) {
		uint64_t its = BB_ARM64_ITS_GPA;
		s->its_fd = create_device(vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
		if (s->its_fd < 0 ||
		    device_attr(vm, s->its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, &its, its) < 0)
			return -1;
	}
	uint32_t fixed[3];
	bb_arch_fixed_bus_devices(vm->p, fixed);
	vm->it->bus_devices[BB_BUS_MMIO] += fixed[BB_BUS_MMIO];
	return 0;
}

int bb_arch_finish_irqchip(struct bb_vm *vm)
{
	if (!vm->p->irqchip)
		return 0;
	if (device_attr(vm, vm->arch.vgic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, 0) < 0)
		return -1;
	return vm->arch.its_fd < 0 ? 0
				   : device_attr(vm, vm->arch.its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, 0);
}

void bb_arch_teardown(struct bb_vm *vm)
{
	bb_timed_close(&vm->log, BB_OP_CLOSE_DEVICE, 0, &vm->arch.its_fd);
	bb_timed_close(&vm->log, BB_OP_CLOSE_DEVICE, 1, &vm->arch.vgic_fd);
}

static int set_reg(struct bb_vm *vm, struct bb_vcpu *vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };
	return (int)bb_vm_ioctl(vm, BB_THREAD_MAIN, vcpu->fd, bb_req_set_one_reg(&reg, vcpu->index));
}

int bb_arch_setup_vcpu(struct bb_vm *vm, struct bb_vcpu *vcpu, const struct bb_vcpu_entry *entry)
{
	struct kvm_vcpu_init init = vm->arch.preferred;
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (vcpu->index > 0 && vm->p->secondaries_off)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (bb_vm_ioctl(vm, BB_THREAD_MAIN, vcpu->fd, bb_req_arm_vcpu_init(&init, vcpu->index)) < 0)
		return -1;
	if (set_reg(vm, vcpu, CORE_REG(regs.pc), entry->pc) < 0 ||
	    set_reg(vm, vcpu, CORE_REG(regs.pstate), PSTATE_EL1H_MASKED) < 0 ||
	    set_reg(vm, vcpu, CORE_REG(regs.regs[0]), entry->args[0]) < 0 ||
	    set_reg(vm, vcpu, CORE_REG(regs.regs[1]), entry->args[1]) < 0 ||
	    set_reg(vm, vcpu, CORE_REG(regs.regs[2]), entry->args[2]) < 0)
		return -1;
	if (entry->sp && set_reg(vm, vcpu, CORE_REG(sp_el1), entry->sp) < 0)
		return -1;
	return 0;
}

int bb_arch_handle_exit(struct bb_vcpu *vcpu, struct kvm_run *run)
{
	/* MMIO is generic; a PSCI SYSTEM_OFF or SYSTEM_RESET is the guest's
	 * end (a Linux that panics reboots); anything else is unexpected */
	if (run->exit_reason != KVM_EXIT_SYSTEM_EVENT)
		return 0;
	const char *what = run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ? "power-off"
			   : run->system_event.type == KVM_SYSTEM_EVENT_RESET  ? "reset"
									       : "system event";
	bb_vm_fail(vcpu->vm, "vCPU %u: the guest asked PSCI for a %s (type %u) before boot-done", vcpu->index, what,
		   run->system_event.type);
	return -1;
}

static uint64_t get_reg(struct bb_vcpu *vcpu, uint64_t id, int *ok)
{
	uint64_t value = 0;
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };
	if (__bb_ioctl(NULL, (int)vcpu->index, vcpu->fd, bb_req_get_one_reg(&reg, vcpu->index), NULL) < 0)
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

void bb_arch_where(struct bb_vcpu *vcpu, char *buf, size_t len)
{
	int ok = 1;
	uint64_t pc = get_reg(vcpu, CORE_REG(regs.pc), &ok), pstate = get_reg(vcpu, CORE_REG(regs.pstate), &ok);
	if (!ok) {
		snprintf(buf, len, "registers unavailable: %s", strerror(errno));
		return;
	}
	/* PSTATE.I masks IRQs */
	snprintf(buf, len, "pc=0x%" PRIx64 ", interrupts %s", pc, (pstate & 0x80) ? "off" : "on");
}
