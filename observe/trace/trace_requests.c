#include "trace_requests.h"

#include <linux/kvm.h>
#include <string.h>

#include "kvm_requests.h"

/* The struct at arg, when all of it lies in the copied stack. */
static const void *on_stack(uint64_t arg, size_t size, const uint8_t *stack, size_t len, uint64_t sp)
{
	if (!stack || arg < sp || arg - sp > len || size > len - (arg - sp))
		return NULL;
	return stack + (arg - sp);
}

#define READ(type, var)                                                          \
	type var;                                                                \
	const void *var##_at = on_stack(arg, sizeof(var), stack, stack_len, sp); \
	if (var##_at)                                                            \
		memcpy(&(var), var##_at, sizeof(var))

static struct bb_traced_call from_req(struct bb_kvm_req r, bool read)
{
	struct bb_traced_call c = { .op = r.op, .args_read = read };
	if (read)
		memcpy(c.shown, r.shown, sizeof(c.shown));
	return c;
}

struct bb_traced_call bb_trace_decode(uint64_t cmd, uint64_t arg, const uint8_t *stack, size_t stack_len, uint64_t sp)
{
	struct bb_traced_call c = { .op = BB_OP_OTHER, .shown = { cmd, 0, 0 }, .args_read = true };
	switch (cmd) {
	/* /dev/kvm */
	case KVM_GET_API_VERSION:
		return (struct bb_traced_call){ .op = BB_OP_GET_API_VERSION, .args_read = true, .on_kvm_fd = true };
	case KVM_CREATE_VM:
		return (struct bb_traced_call){ .op = BB_OP_CREATE_VM, .shown = { arg }, .args_read = true, .on_kvm_fd = true };
	case KVM_GET_VCPU_MMAP_SIZE:
		return (struct bb_traced_call){ .op = BB_OP_GET_VCPU_MMAP_SIZE, .args_read = true, .on_kvm_fd = true };
	case KVM_CHECK_EXTENSION: /* on /dev/kvm or a VM */
		return (struct bb_traced_call){ .op = BB_OP_CHECK_EXTENSION, .shown = { arg }, .args_read = true };
#if defined(__x86_64__)
	case KVM_GET_SUPPORTED_CPUID:
		return (struct bb_traced_call){ .op = BB_OP_GET_SUPPORTED_CPUID, .args_read = true, .on_kvm_fd = true };
	case KVM_GET_MSR_INDEX_LIST:
		return (struct bb_traced_call){ .op = BB_OP_GET_MSR_INDEX_LIST, .args_read = true, .on_kvm_fd = true };
#endif
	/* a VM */
	case KVM_SET_USER_MEMORY_REGION: {
		READ(struct kvm_userspace_memory_region, m);
		return m_at ? from_req(bb_req_set_user_memory_region(&m), true)
			    : (struct bb_traced_call){ .op = BB_OP_SET_USER_MEMORY_REGION, .struct_unread = true };
	}
	case KVM_CREATE_VCPU:
		return from_req(bb_req_create_vcpu((uint32_t)arg), true);
	case KVM_IOEVENTFD: {
		READ(struct kvm_ioeventfd, io);
		return io_at ? from_req(bb_req_ioeventfd(&io), true) : (struct bb_traced_call){ .op = BB_OP_IOEVENTFD, .struct_unread = true };
	}
	case KVM_REGISTER_COALESCED_MMIO: {
		READ(struct kvm_coalesced_mmio_zone, z);
		return z_at ? from_req(bb_req_register_coalesced_mmio(&z), true)
			    : (struct bb_traced_call){ .op = BB_OP_REGISTER_COALESCED_MMIO, .struct_unread = true };
	}
	case KVM_IRQFD: {
		READ(struct kvm_irqfd, f);
		return f_at ? from_req(bb_req_irqfd(&f), true) : (struct bb_traced_call){ .op = BB_OP_IRQFD, .struct_unread = true };
	}
	case KVM_CREATE_IRQCHIP:
		return (struct bb_traced_call){ .op = BB_OP_CREATE_IRQCHIP, .args_read = true };
	case KVM_CREATE_DEVICE: {
		READ(struct kvm_create_device, d);
		return d_at ? (struct bb_traced_call){ .op = BB_OP_CREATE_DEVICE, .shown = { d.type }, .args_read = true }
			    : (struct bb_traced_call){ .op = BB_OP_CREATE_DEVICE, .struct_unread = true };
	}
	case KVM_SET_DEVICE_ATTR: {
		READ(struct kvm_device_attr, a);
		return a_at ? (struct bb_traced_call){ .op = BB_OP_SET_DEVICE_ATTR, .shown = { a.group, a.attr, 0 }, .args_read = true }
			    : (struct bb_traced_call){ .op = BB_OP_SET_DEVICE_ATTR, .struct_unread = true };
	}
	case KVM_ENABLE_CAP: {
		READ(struct kvm_enable_cap, e);
		return e_at ? (struct bb_traced_call){ .op = BB_OP_ENABLE_CAP, .shown = { e.cap }, .args_read = true }
			    : (struct bb_traced_call){ .op = BB_OP_ENABLE_CAP, .struct_unread = true };
	}
	case KVM_SET_GSI_ROUTING:
		return (struct bb_traced_call){ .op = BB_OP_SET_GSI_ROUTING };
	case KVM_IRQ_LINE:
		return (struct bb_traced_call){ .op = BB_OP_IRQ_LINE };
	case KVM_SIGNAL_MSI:
		return (struct bb_traced_call){ .op = BB_OP_SIGNAL_MSI };
#if defined(__x86_64__)
	case KVM_SET_TSS_ADDR:
		return from_req(bb_req_set_tss_addr(arg), true);
	case KVM_SET_IDENTITY_MAP_ADDR:
		return (struct bb_traced_call){ .op = BB_OP_SET_IDENTITY_MAP_ADDR };
	case KVM_CREATE_PIT2: {
		READ(struct kvm_pit_config, p);
		return p_at ? from_req(bb_req_create_pit2(&p), true) : (struct bb_traced_call){ .op = BB_OP_CREATE_PIT2, .struct_unread = true };
	}
	case KVM_SET_CLOCK:
		return (struct bb_traced_call){ .op = BB_OP_SET_CLOCK };
	/* a vCPU, x86 */
	case KVM_SET_CPUID2:
		return (struct bb_traced_call){ .op = BB_OP_SET_CPUID2 };
	case KVM_GET_SREGS:
		return (struct bb_traced_call){ .op = BB_OP_GET_SREGS };
	case KVM_SET_SREGS:
		return (struct bb_traced_call){ .op = BB_OP_SET_SREGS };
	case KVM_SET_MSRS:
		return (struct bb_traced_call){ .op = BB_OP_SET_MSRS };
	case KVM_GET_MSRS:
		return (struct bb_traced_call){ .op = BB_OP_GET_MSRS };
	case KVM_SET_LAPIC:
		return (struct bb_traced_call){ .op = BB_OP_SET_LAPIC };
	case KVM_SET_FPU:
		return (struct bb_traced_call){ .op = BB_OP_SET_FPU };
	case KVM_SET_XSAVE:
		return (struct bb_traced_call){ .op = BB_OP_SET_XSAVE };
	case KVM_SET_XCRS:
		return (struct bb_traced_call){ .op = BB_OP_SET_XCRS };
	case KVM_SET_VCPU_EVENTS:
		return (struct bb_traced_call){ .op = BB_OP_SET_VCPU_EVENTS };
#endif
#if defined(__aarch64__)
	case KVM_ARM_PREFERRED_TARGET:
		return (struct bb_traced_call){ .op = BB_OP_ARM_PREFERRED_TARGET };
	case KVM_ARM_VCPU_INIT:
		return (struct bb_traced_call){ .op = BB_OP_ARM_VCPU_INIT };
#endif
	case KVM_SET_ONE_REG: {
		READ(struct kvm_one_reg, r);
		if (!r_at)
			return (struct bb_traced_call){ .op = BB_OP_SET_ONE_REG, .struct_unread = true };
		/* the value too, where it lies on the copied stack */
		uint64_t value = 0;
		const void *v = on_stack(r.addr, sizeof(value), stack, stack_len, sp);
		if (v)
			memcpy(&value, v, sizeof(value));
		return (struct bb_traced_call){ .op = BB_OP_SET_ONE_REG, .shown = { 0, r.id, value }, .args_read = v != NULL,
						.struct_unread = v == NULL };
	}
	case KVM_GET_ONE_REG: {
		READ(struct kvm_one_reg, r);
		return r_at ? (struct bb_traced_call){ .op = BB_OP_GET_ONE_REG, .shown = { 0, r.id, 0 }, .args_read = true }
			    : (struct bb_traced_call){ .op = BB_OP_GET_ONE_REG, .struct_unread = true };
	}
	/* a vCPU */
	case KVM_GET_REGS:
		return (struct bb_traced_call){ .op = BB_OP_GET_REGS };
	case KVM_SET_REGS:
		return (struct bb_traced_call){ .op = BB_OP_SET_REGS };
	case KVM_SET_MP_STATE: {
		READ(struct kvm_mp_state, mp);
		return mp_at ? (struct bb_traced_call){ .op = BB_OP_SET_MP_STATE, .shown = { 0, mp.mp_state, 0 }, .args_read = true }
			     : (struct bb_traced_call){ .op = BB_OP_SET_MP_STATE, .struct_unread = true };
	}
	case KVM_SET_SIGNAL_MASK:
		return (struct bb_traced_call){ .op = BB_OP_SET_SIGNAL_MASK };
	case KVM_RUN:
		return (struct bb_traced_call){ .op = BB_OP_RUN };
	default:
		return c;
	}
}
