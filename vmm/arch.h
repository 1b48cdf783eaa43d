/* The arch interface: everything that differs between x86_64 and arm64.
 * vmm/arch/<arch>/arch.c implements it; generic code calls nothing else
 * arch-specific. */
#ifndef BOOTBENCH_ARCH_H
#define BOOTBENCH_ARCH_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "workload.h"

struct bb_vm;
struct bb_vcpu;
struct bb_device_manager;

struct bb_arch_layout {
	const char *name;         /* "x86_64" */
	uint64_t ram_base;        /* guest-physical */
	uint64_t ram_max_bytes;   /* RAM must end below the devices */
	uint64_t window_base;     /* devices are placed in window_base..window_end */
	uint64_t window_end;
	uint64_t boot_timer_gpa;  /* where Firecracker's boot timer is on this arch */
	uint64_t console_gpa;     /* the 8250 console's MMIO window, or 0: at COM1's ports */
	uint32_t console_irq;     /* its GSI, apart from the devices': it is level-triggered */
	uint64_t extra_slots_gpa; /* memslots added after the registrations */
	uint32_t irq_base;        /* the GSIs devices are given, round-robin */
	uint32_t irq_count;
	bool has_pio;
	bool msi_devid; /* an MSI route names its device (the ITS translates by requester ID) */
	int kvm_vm_type;
};

const struct bb_arch_layout *bb_arch_layout(void);

/* The arch's own checks of a profile, and what it changes (noted in
 * p->arch_note): arm64 has no PIT and no port I/O. */
int bb_arch_resolve_profile(struct bb_profile *p, char *err, size_t errlen);

/* kvm_io_bus_register_dev() calls the VM's own in-kernel devices make,
 * per enum bb_bus: irqchip and PIT on x86, the vGIC on arm64. */
void bb_arch_fixed_bus_devices(const struct bb_profile *p, uint32_t count[3]);

/* The guest-physical regions the arch's own devices take (x86: the TSS;
 * arm64: the GIC), reserved so that nothing is placed over them. */
int bb_arch_reserve(struct bb_device_manager *dm, const struct bb_profile *p, char *err, size_t errlen);

/* What the workload is told of the arch's own devices (arm64: the GIC's
 * regions, for the device tree). */
void bb_arch_describe(const struct bb_profile *p, struct bb_machine *m);
/* The KVM_IRQ_LINE number of a device's GSI (arm64: an SPI's INTID and type). */
uint32_t bb_arch_irq_line(uint32_t gsi);

/* Guest memory the arch needs for its entry state (x86: page tables). */
int bb_arch_prepare_memory(struct bb_vm *vm, uint8_t *ram);
/* In-kernel interrupt controllers and timers: the IRQCHIP phase. */
int bb_arch_create_irqchip(struct bb_vm *vm);
/* After every vCPU exists (arm64: vGIC CTRL_INIT). */
int bb_arch_finish_irqchip(struct bb_vm *vm);
/* Closes what bb_arch_create_irqchip opened (arm64: the vGIC and ITS). */
void bb_arch_teardown(struct bb_vm *vm);
/* Registers and state of one created vCPU, so it starts at entry. */
int bb_arch_setup_vcpu(struct bb_vm *vm, struct bb_vcpu *vcpu, const struct bb_vcpu_entry *entry);
/* Arch-only exits (x86 port I/O). Returns 1 if handled, 0 if not its
 * exit, -1 if it failed the iteration. */
int bb_arch_handle_exit(struct bb_vcpu *vcpu, struct kvm_run *run);
/* One line of the vCPU's registers, for unexpected exits. */
void bb_arch_dump_registers(struct bb_vcpu *vcpu, char *buf, size_t len);
/* Where a stopped vCPU is, in a few words: its program counter, and on
 * x86 whether it takes interrupts (a guest that stalls with them off
 * waits for nothing that can come) */
void bb_arch_where(struct bb_vcpu *vcpu, char *buf, size_t len);

#endif
