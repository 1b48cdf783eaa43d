/* x86_64: the guest starts in 64-bit long mode with identity-mapped 2 MiB
 * pages over the low 4 GiB; the in-kernel irqchip and PIT2 are profile
 * options; queue kicks may also come by port I/O. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "device_manager.h"
#include "errorf.h"
#include "irq_routing.h"
#include "kvm_requests.h"
#include "layout.h"
#include "vm_internal.h"

static const struct bb_arch_layout layout = {
	.name = "x86_64",
	.ram_base = 0,
	.ram_max_bytes = BB_X86_RAM_MAX,
	.window_base = BB_X86_RAM_MAX,
	.window_end = BB_X86_IDENTITY_MAPPED,
	.boot_timer_gpa = BB_X86_BOOT_TIMER_GPA,
	.console_irq = 4, /* COM1's */
	.extra_slots_gpa = BB_X86_EXTRA_SLOTS_GPA,
	.irq_base = BB_X86_FIRST_GSI,
	.irq_count = BB_X86_DEVICE_GSIS,
	.has_pio = true,
	.kvm_vm_type = 0,
};

const struct bb_arch_layout *bb_arch_layout(void)
{
	return &layout;
}

int bb_arch_resolve_profile(struct bb_profile *p, char *err, size_t errlen)
{
	if (p->secondaries_off && !p->irqchip) {
		bb_errorf(err, errlen, "secondaries=off leaves x86 APs waiting for INIT/SIPI, which needs the in-kernel irqchip: set irqchip=true or secondaries=spin");
		return -1;
	}
	return 0;
}

int bb_arch_reserve(struct bb_device_manager *dm, const struct bb_profile *p, char *err, size_t errlen)
{
	(void)p;
	return bb_dm_reserve(dm, "the TSS", "move the devices below it", BB_X86_TSS_ADDR, BB_X86_TSS_BYTES, err, errlen);
}

void bb_arch_fixed_bus_devices(const struct bb_profile *p, uint32_t count[3])
{
	count[BB_BUS_MMIO] = count[BB_BUS_FAST_MMIO] = count[BB_BUS_PIO] = 0;
	if (p->irqchip) {
		count[BB_BUS_PIO] += 3; /* PIC master 0x20, slave 0xa0, ELCR 0x4d0 */
		count[BB_BUS_MMIO] += 1; /* IOAPIC */
	}
	if (p->pit)
		count[BB_BUS_PIO] += 2; /* PIT, and the speaker with KVM_PIT_SPEAKER_DUMMY */
}

void bb_arch_describe(const struct bb_profile *p, struct bb_machine *m)
{
	(void)p; /* the IOAPIC is where a PC has it: the MP table says so */
	(void)m;
}

uint32_t bb_arch_irq_line(uint32_t gsi)
{
	return gsi;
}

/* KVM's own table with KVM_CREATE_IRQCHIP: GSIs 0 to 15 on both the
 * 8259s and the IOAPIC, 16 to 23 on the IOAPIC alone */
uint32_t bb_arch_default_routes(struct bb_irq_routing *r)
{
	for (uint32_t gsi = 0; gsi < KVM_IOAPIC_NUM_PINS; gsi++) {
		if (gsi < 16 && bb_irq_routing_add_irqchip(r, gsi, gsi < 8 ? KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE,
							   gsi % 8) < 0)
			return 0;
		if (bb_irq_routing_add_irqchip(r, gsi, KVM_IRQCHIP_IOAPIC, gsi) < 0)
			return 0;
	}
	return KVM_IOAPIC_NUM_PINS;
}

int bb_arch_prepare_memory(struct bb_vm *vm, uint8_t *ram)
{
	uint64_t *pml4 = (uint64_t *)(ram + BB_X86_PML4_GPA);
	uint64_t *pdpt = (uint64_t *)(ram + BB_X86_PDPT_GPA);
	uint64_t *pd = (uint64_t *)(ram + BB_X86_PD_GPA);
	const uint64_t present_rw = 0x3, large = 0x80;

	(void)vm;
	pml4[0] = BB_X86_PDPT_GPA | present_rw;
	for (uint64_t g = 0; g < 4; g++) {
		pdpt[g] = (BB_X86_PD_GPA + g * 0x1000) | present_rw;
		for (uint64_t m = 0; m < 512; m++)
			pd[g * 512 + m] = ((g << 30) | (m << 21)) | present_rw | large;
	}
	return 0;
}

int bb_arch_create_irqchip(struct bb_vm *vm)
{
	const struct bb_profile *p = vm->p;

	if (bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->vm_fd, bb_req_set_tss_addr(BB_X86_TSS_ADDR)) < 0)
		return -1;
	if (p->irqchip && bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->vm_fd, bb_req_create_irqchip()) < 0)
		return -1;
	if (p->pit) {
		struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
		if (bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->vm_fd, bb_req_create_pit2(&pit)) < 0)
			return -1;
	}
	bb_arch_fixed_bus_devices(p, vm->it->bus_devices);
	return 0;
}

int bb_arch_finish_irqchip(struct bb_vm *vm)
{
	(void)vm;
	return 0;
}

void bb_arch_teardown(struct bb_vm *vm)
{
	(void)vm;
}

/* KVM_GET_SUPPORTED_CPUID is asked once per VM, as a VMM does per boot; the
 * process runs one VM at a time. */
#define MAX_CPUID_ENTRIES 256
/* A union, not a struct with the entries after the header: ISO C allows
 * no member after a flexible array, and clang (the fuzz build) says so. */
static union {
	struct kvm_cpuid2 header;
	/* cppcheck-suppress unusedStructMember ; it is the room the entries use */
	char room[sizeof(struct kvm_cpuid2) + MAX_CPUID_ENTRIES * sizeof(struct kvm_cpuid_entry2)];
} cpuid;

/* What KVM's supported CPUID leaves to the VMM, as Firecracker and QEMU
 * fill it in: the hypervisor bit (CPUID.1:ECX[31]), without which a Linux
 * guest never looks for KVM's leaves and so runs without kvm-clock, and
 * each vCPU's own APIC ID, which KVM gives its LAPIC (the vCPU index). */
static void identify_vcpu(uint32_t index)
{
	for (uint32_t i = 0; i < cpuid.header.nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid.header.entries[i];
		if (e->function == 1) {
			e->ecx |= 1u << 31;
			e->ebx = (e->ebx & 0x00ffffffu) | (index << 24);
		} else if (e->function == 0xb || e->function == 0x1f) {
			e->edx = index; /* the x2APIC ID, in every subleaf */
		}
	}
}

static int setup_cpuid(struct bb_vm *vm, struct bb_vcpu *vcpu)
{
	if (vcpu->index == 0) {
		cpuid.header.nent = MAX_CPUID_ENTRIES;
		if (bb_vm_ioctl(vm, BB_THREAD_MAIN, vm->kvm_fd, bb_req_get_supported_cpuid(&cpuid.header)) < 0)
			return -1;
		int has_lm = 0;
		for (uint32_t i = 0; i < cpuid.header.nent; i++)
			if (cpuid.header.entries[i].function == 0x80000001 && (cpuid.header.entries[i].edx & (1u << 29)))
				has_lm = 1;
		if (!has_lm) {
			bb_vm_fail(vm, "KVM's supported CPUID lacks long mode (CPUID 0x80000001 EDX.LM): the x86_64 guest cannot run on this host");
			return -1;
		}
	}
	identify_vcpu(vcpu->index);
	return (int)bb_vm_ioctl(vm, BB_THREAD_MAIN, vcpu->fd, bb_req_set_cpuid2(&cpuid.header, vcpu->index));
}

static void flat_segment(struct kvm_segment *s, uint16_t selector, uint8_t type, int code)
{
	*s = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = selector, .type = type,
		.present = 1, .dpl = 0, .db = code ? 0 : 1, .s = 1, .l = code ? 1 : 0, .g = 1,
	};
}

int bb_arch_setup_vcpu(struct bb_vm *vm, struct bb_vcpu *vcpu, const struct bb_vcpu_entry *entry)
{
	struct kvm_sregs sregs;
	int fd = vcpu->fd;
	uint32_t i = vcpu->index;

	if (setup_cpuid(vm, vcpu) < 0)
		return -1;
	if (bb_vm_ioctl(vm, BB_THREAD_MAIN, fd, bb_req_get_sregs(&sregs, i)) < 0)
		return -1;
	flat_segment(&sregs.cs, 0x8, 0xb, 1);
	flat_segment(&sregs.ds, 0x10, 0x3, 0);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.tr = (struct kvm_segment){ .selector = 0x18, .limit = 0x67, .type = 0xb, .present = 1 };
	sregs.gdt.limit = 0;
	sregs.idt.limit = 0; /* no IDT: an exception is a triple fault */
	sregs.cr3 = BB_X86_PML4_GPA;
	sregs.cr4 = 1u << 5;                     /* PAE */
	sregs.cr0 = 0x80050033;                  /* PG WP NE ET MP PE */
	sregs.efer = (1u << 8) | (1u << 10);     /* LME LMA */
	if (bb_vm_ioctl(vm, BB_THREAD_MAIN, fd, bb_req_set_sregs(&sregs, i)) < 0)
		return -1;

	struct kvm_regs regs = {
		.rip = entry->pc,
		.rsp = entry->sp,
		.rdi = entry->args[0],
		.rsi = entry->args[1],
		.rdx = entry->args[2],
		.rflags = 0x2,
	};
	if (bb_vm_ioctl(vm, BB_THREAD_MAIN, fd, bb_req_set_regs(&regs, i)) < 0)
		return -1;

	/* With the in-kernel LAPIC, APs wait for INIT/SIPI; start them directly,
	 * unless the profile leaves them off. */
	if (vm->p->irqchip && i > 0 && !vm->p->secondaries_off) {
		struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
		if (bb_vm_ioctl(vm, BB_THREAD_MAIN, fd, bb_req_set_mp_state(&mp, i)) < 0)
			return -1;
	}
	return 0;
}

int bb_arch_handle_exit(struct bb_vcpu *vcpu, struct kvm_run *run)
{
	if (run->exit_reason != KVM_EXIT_IO)
		return 0;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	for (uint32_t n = 0; n < run->io.count; n++, data += run->io.size) {
		if (bb_vcpu_pio(vcpu, run->io.port, data, run->io.size,
				run->io.direction == KVM_EXIT_IO_OUT) < 0)
			return -1;
	}
	return 1;
}

void bb_arch_dump_registers(struct bb_vcpu *vcpu, char *buf, size_t len)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	int thread = (int)vcpu->index;

	if (__bb_ioctl(NULL, thread, vcpu->fd, bb_req_get_regs(&r, vcpu->index), NULL) < 0 ||
	    __bb_ioctl(NULL, thread, vcpu->fd, bb_req_get_sregs(&s, vcpu->index), NULL) < 0) {
		snprintf(buf, len, "registers unavailable: %s", strerror(errno));
		return;
	}
	snprintf(buf, len,
		 "rip=0x%llx rsp=0x%llx rflags=0x%llx rax=0x%llx rbx=0x%llx rcx=0x%llx rdx=0x%llx rsi=0x%llx rdi=0x%llx cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx cs=0x%x",
		 r.rip, r.rsp, r.rflags, r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, s.cr0, s.cr3, s.cr4, s.efer,
		 s.cs.selector);
}

void bb_arch_where(struct bb_vcpu *vcpu, char *buf, size_t len)
{
	struct kvm_regs r;
	if (__bb_ioctl(NULL, (int)vcpu->index, vcpu->fd, bb_req_get_regs(&r, vcpu->index), NULL) < 0) {
		snprintf(buf, len, "registers unavailable: %s", strerror(errno));
		return;
	}
	snprintf(buf, len, "rip=0x%llx, interrupts %s", r.rip, (r.rflags & 0x200) ? "on" : "off");
}
