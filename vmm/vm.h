/* The VMM as the rest of bootbench sees it: a VM that is built, booted to
 * boot-done and torn down once per iteration. struct bb_vm is opaque here;
 * vmm/ code sees it through vm_internal.h. */
#ifndef BOOTBENCH_VM_H
#define BOOTBENCH_VM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "event_log.h"
#include "guest_abi.h"
#include "kvm_errors.h"
#include "profile.h"

/* The console bytes an iteration keeps: the last ones the guest wrote. */
#define BB_CONSOLE_TAIL 8192u

struct bb_vm;

#define BB_MAX_PIN_CPUS 1024

struct bb_run_config {
	struct bb_profile profile;
	int pin_cpus[BB_MAX_PIN_CPUS]; /* vCPU i runs on pin_cpus[i % nr_pin] */
	uint32_t nr_pin;
	uint32_t timeout_ms;       /* the boot-done watchdog */
	enum bb_guest_fault fault; /* injected into the guest, for tests */
	bool stacks;               /* off-CPU time and kernel stacks (offcpu.h) */
};

enum bb_phase {
	BB_PHASE_OPEN,           /* /dev/kvm, KVM_CREATE_VM */
	BB_PHASE_MEMORY,         /* guest RAM and its memslot */
	BB_PHASE_IRQCHIP,        /* in-kernel irqchip and PIT, vGIC */
	BB_PHASE_VCPUS,          /* vCPU creation and register setup */
	BB_PHASE_DEVICES,        /* eventfds and static registrations */
	BB_PHASE_MEMSLOTS_AFTER, /* static profiles: memslots after them */
	BB_PHASE_GUEST_ENTRY,    /* vCPU threads start until the guest's first write */
	BB_PHASE_GUEST_INIT,     /* guest probe, init and kicks until boot-done */
	/* or, for a Linux guest's boot, after the VMM's setup phases */
	BB_PHASE_LINUX_KERNEL,   /* vCPUs start until the first virtio register access */
	BB_PHASE_LINUX_PROBE,    /* that until the last device's DRIVER_OK */
	BB_PHASE_LINUX_INIT,     /* that until init's boot-done */
	BB_PHASE_TEARDOWN,       /* every fd closed, the VM destroyed */
	/* bootbench trace: a traced VMM's startup in two */
	BB_PHASE_VMM_SETUP,      /* the command started until its first KVM_RUN */
	BB_PHASE_TO_BOOT_DONE,   /* its first KVM_RUN until boot-done */
	BB_PHASE_COUNT
};
extern const char *const bb_phase_names[BB_PHASE_COUNT];

enum bb_bus { BB_BUS_MMIO, BB_BUS_FAST_MMIO, BB_BUS_PIO, BB_BUS_COUNT };
extern const char *const bb_bus_names[BB_BUS_COUNT];

/* What one iteration measured. Times are ns since the iteration began. */
/* One kernel stack's share of one op's off-CPU time in an iteration. */
struct bb_offcpu_row {
	int32_t stack; /* the run's stack id, or -1 */
	uint16_t op;
	uint32_t calls;
	int64_t total_ns;
};

struct bb_iteration {
	bool ok;
	bool interrupted;
	char error[1024];
	enum bb_error_kind error_kind; /* what the error means, when known */
	int64_t start_realtime_ns; /* CLOCK_REALTIME at the start, for stores */
	bool phase_present[BB_PHASE_COUNT];
	int64_t phase_start_ns[BB_PHASE_COUNT];
	int64_t phase_duration_ns[BB_PHASE_COUNT];
	int64_t startup_ns;  /* start until boot-done */
	int64_t overhead_ns; /* startup time not inside any timed operation */
	struct {
		uint32_t count;
		int64_t total_ns;
		int64_t offcpu_ns; /* of total_ns, switched out */
	} ops[BB_OP_COUNT]; /* the boot's critical path: the main thread, vCPU 0, and the other vCPUs' calls but KVM_RUN */
	bool offcpu;            /* off-CPU time was captured for this iteration */
	uint64_t offcpu_lost;   /* perf records the ring lost */
	/* the critical path's off-CPU time by (stack, op), largest first;
	 * valid until the next iteration */
	const struct bb_offcpu_row *offcpu_rows;
	size_t noffcpu_rows;
	/* kvm_io_bus_register_dev() calls caused, per bus: ioeventfds and
	 * everything else (irqchip, PIT, coalesced zones, vGIC) */
	uint32_t bus_ioeventfds[BB_BUS_COUNT];
	uint32_t bus_devices[BB_BUS_COUNT];
	uint32_t ioeventfds_assigned;
	uint32_t ioeventfds_deassigned;
	uint32_t coalesced_zones;
	uint32_t irqfds;
	uint32_t memslots_after;
	uint32_t kicks_expected;
	uint32_t kicks_received;
	uint32_t kicks_by_exit; /* notifies that reached the VMM: no ioeventfd matched */
	uint32_t events_dropped;
	const struct bb_event_log *log; /* valid until the next iteration */
	/* a Linux guest's console: the bytes it wrote, and their last ones
	 * (NULL for the synthetic guest); valid until the next iteration */
	uint64_t console_bytes;
	const char *console_tail;
	size_t console_tail_len; /* at most BB_CONSOLE_TAIL */
};

/* Process-wide: set from a SIGINT/SIGTERM handler to stop after cleanup. */
extern volatile sig_atomic_t bb_stop_requested;

/* Builds the VM's preallocated state for every iteration of a run. */
struct bb_offcpu;
struct bb_vm *bb_vm_new(const struct bb_run_config *cfg, char *err, size_t errlen);
void bb_vm_free(struct bb_vm *vm);
/* The run's off-CPU capture, or NULL when it is off or the host refused
 * it; then why, one line ("" when it was turned off). */
const struct bb_offcpu *bb_vm_offcpu(const struct bb_vm *vm);
const char *bb_vm_offcpu_unavailable(const struct bb_vm *vm);
/* One fresh VM, from open("/dev/kvm") to its destruction. Returns 0 when
 * the guest booted and every check passed; -1 with it->error otherwise.
 * The VM is torn down on every path. */
int bb_vm_iteration(struct bb_vm *vm, struct bb_iteration *it);

/* Resolves profile fields that depend on the arch (coalesced "fill") and
 * checks the profile against it. */
int bb_vm_resolve_profile(struct bb_profile *p, char *err, size_t errlen);

/* The file descriptors one VM of this profile holds at once. */
uint32_t bb_vm_fds_needed(const struct bb_profile *p);

#endif
