/* Typed constructors of every KVM request bootbench makes: each takes the
 * struct (or value) the ioctl takes and fills in the request number, the
 * op it is recorded as and the arguments shown with it (their meaning per
 * op is in bb_event_detail()). Compound literals, as kvmtool writes its
 * ioctl structs. */
#ifndef BOOTBENCH_KVM_REQUESTS_H
#define BOOTBENCH_KVM_REQUESTS_H

#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>

#include "kvm_ioctl.h"

#define BB_REQ(op_, request_, arg_, a0, a1, a2) \
	((struct bb_kvm_req){ .op = (op_), .request = (request_), .arg = (void *)(arg_), .shown = { (a0), (a1), (a2) } })

/* /dev/kvm */
static inline struct bb_kvm_req bb_req_get_api_version(void)
{
	return BB_REQ(BB_OP_GET_API_VERSION, KVM_GET_API_VERSION, NULL, 0, 0, 0);
}

static inline struct bb_kvm_req bb_req_check_extension(long cap)
{
	return BB_REQ(BB_OP_CHECK_EXTENSION, KVM_CHECK_EXTENSION, (uintptr_t)cap, (uint64_t)cap, 0, 0);
}

static inline struct bb_kvm_req bb_req_create_vm(int type)
{
	return BB_REQ(BB_OP_CREATE_VM, KVM_CREATE_VM, (uintptr_t)type, (uint64_t)type, 0, 0);
}

static inline struct bb_kvm_req bb_req_get_vcpu_mmap_size(void)
{
	return BB_REQ(BB_OP_GET_VCPU_MMAP_SIZE, KVM_GET_VCPU_MMAP_SIZE, NULL, 0, 0, 0);
}

/* the VM */
static inline struct bb_kvm_req bb_req_set_user_memory_region(struct kvm_userspace_memory_region *r)
{
	return BB_REQ(BB_OP_SET_USER_MEMORY_REGION, KVM_SET_USER_MEMORY_REGION, r,
		      r->slot | (uint64_t)r->flags << 32, r->guest_phys_addr, r->memory_size);
}

static inline struct bb_kvm_req bb_req_create_vcpu(uint32_t index)
{
	return BB_REQ(BB_OP_CREATE_VCPU, KVM_CREATE_VCPU, (uintptr_t)index, index, 0, 0);
}

static inline struct bb_kvm_req bb_req_ioeventfd(struct kvm_ioeventfd *io)
{
	return BB_REQ((io->flags & KVM_IOEVENTFD_FLAG_DEASSIGN) ? BB_OP_IOEVENTFD_DEASSIGN : BB_OP_IOEVENTFD,
		      KVM_IOEVENTFD, io, io->addr, (uint64_t)io->len | (uint64_t)io->flags << 32, io->datamatch);
}

static inline struct bb_kvm_req bb_req_register_coalesced_mmio(struct kvm_coalesced_mmio_zone *z)
{
	return BB_REQ(BB_OP_REGISTER_COALESCED_MMIO, KVM_REGISTER_COALESCED_MMIO, z, z->addr, z->size, z->pio);
}

static inline struct bb_kvm_req bb_req_irqfd(struct kvm_irqfd *f)
{
	return BB_REQ((f->flags & KVM_IRQFD_FLAG_DEASSIGN) ? BB_OP_IRQFD_DEASSIGN : BB_OP_IRQFD, KVM_IRQFD, f, f->gsi, 0, 0);
}

static inline struct bb_kvm_req bb_req_set_gsi_routing(struct kvm_irq_routing *r)
{
	return BB_REQ(BB_OP_SET_GSI_ROUTING, KVM_SET_GSI_ROUTING, r, r->nr, 0, 0);
}

static inline struct bb_kvm_req bb_req_irq_line(struct kvm_irq_level *l)
{
	return BB_REQ(BB_OP_IRQ_LINE, KVM_IRQ_LINE, l, l->irq, l->level, 0);
}

static inline struct bb_kvm_req bb_req_create_device(struct kvm_create_device *d)
{
	return BB_REQ(BB_OP_CREATE_DEVICE, KVM_CREATE_DEVICE, d, d->type, 0, 0);
}

/* value: what a->addr points to, for the record (a 32- or 64-bit value,
 * or 0 for a control attribute) */
static inline struct bb_kvm_req bb_req_set_device_attr(struct kvm_device_attr *a, uint64_t value)
{
	return BB_REQ(BB_OP_SET_DEVICE_ATTR, KVM_SET_DEVICE_ATTR, a, a->group, a->attr, value);
}

/* the vCPUs: index names the vCPU in the record */
static inline struct bb_kvm_req bb_req_run(void)
{
	return BB_REQ(BB_OP_RUN, KVM_RUN, NULL, 0, 0, 0);
}

static inline struct bb_kvm_req bb_req_get_regs(struct kvm_regs *r, uint32_t index)
{
	return BB_REQ(BB_OP_GET_REGS, KVM_GET_REGS, r, index, 0, 0);
}

static inline struct bb_kvm_req bb_req_set_regs(struct kvm_regs *r, uint32_t index)
{
	return BB_REQ(BB_OP_SET_REGS, KVM_SET_REGS, r, index, 0, 0);
}

/* only the watchdog's report asks, outside any timed phase */
static inline struct bb_kvm_req bb_req_get_mp_state(struct kvm_mp_state *mp, uint32_t index)
{
	return BB_REQ(BB_OP_OTHER, KVM_GET_MP_STATE, mp, index, 0, 0);
}

static inline struct bb_kvm_req bb_req_set_mp_state(struct kvm_mp_state *mp, uint32_t index)
{
	return BB_REQ(BB_OP_SET_MP_STATE, KVM_SET_MP_STATE, mp, index, mp->mp_state, 0);
}

#if defined(__x86_64__)
static inline struct bb_kvm_req bb_req_set_tss_addr(uint64_t addr)
{
	return BB_REQ(BB_OP_SET_TSS_ADDR, KVM_SET_TSS_ADDR, (uintptr_t)addr, addr, 0, 0);
}

static inline struct bb_kvm_req bb_req_create_irqchip(void)
{
	return BB_REQ(BB_OP_CREATE_IRQCHIP, KVM_CREATE_IRQCHIP, NULL, 0, 0, 0);
}

static inline struct bb_kvm_req bb_req_create_pit2(struct kvm_pit_config *c)
{
	return BB_REQ(BB_OP_CREATE_PIT2, KVM_CREATE_PIT2, c, c->flags, 0, 0);
}

static inline struct bb_kvm_req bb_req_get_supported_cpuid(struct kvm_cpuid2 *c)
{
	return BB_REQ(BB_OP_GET_SUPPORTED_CPUID, KVM_GET_SUPPORTED_CPUID, c, 0, 0, 0);
}

static inline struct bb_kvm_req bb_req_set_cpuid2(struct kvm_cpuid2 *c, uint32_t index)
{
	return BB_REQ(BB_OP_SET_CPUID2, KVM_SET_CPUID2, c, index, 0, 0);
}

static inline struct bb_kvm_req bb_req_get_sregs(struct kvm_sregs *s, uint32_t index)
{
	return BB_REQ(BB_OP_GET_SREGS, KVM_GET_SREGS, s, index, 0, 0);
}

static inline struct bb_kvm_req bb_req_set_sregs(struct kvm_sregs *s, uint32_t index)
{
	return BB_REQ(BB_OP_SET_SREGS, KVM_SET_SREGS, s, index, 0, 0);
}
#endif

#if defined(__aarch64__)
static inline struct bb_kvm_req bb_req_arm_preferred_target(struct kvm_vcpu_init *init)
{
	return BB_REQ(BB_OP_ARM_PREFERRED_TARGET, KVM_ARM_PREFERRED_TARGET, init, 0, 0, 0);
}

static inline struct bb_kvm_req bb_req_arm_vcpu_init(struct kvm_vcpu_init *init, uint32_t index)
{
	return BB_REQ(BB_OP_ARM_VCPU_INIT, KVM_ARM_VCPU_INIT, init, index, 0, 0);
}

/* reg->addr points at the 64-bit value (bootbench sets only core registers) */
static inline struct bb_kvm_req bb_req_set_one_reg(struct kvm_one_reg *reg, uint32_t index)
{
	uint64_t value;
	memcpy(&value, (const void *)(uintptr_t)reg->addr, sizeof(value));
	return BB_REQ(BB_OP_SET_ONE_REG, KVM_SET_ONE_REG, reg, index, reg->id, value);
}

static inline struct bb_kvm_req bb_req_get_one_reg(struct kvm_one_reg *reg, uint32_t index)
{
	return BB_REQ(BB_OP_GET_ONE_REG, KVM_GET_ONE_REG, reg, index, reg->id, 0);
}
#endif

#endif
