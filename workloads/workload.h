/* What a VM runs, as the VMM sees it: a workload loads guest memory, says
 * where each vCPU starts, declares the devices it needs and checks what
 * the boot left behind. The VMM (vmm/) calls it and knows nothing else of
 * the guest; the workload knows nothing of KVM, only the machine the VMM
 * describes to it. workloads/synthetic/ is bootbench's own guest. */
#ifndef BOOTBENCH_WORKLOAD_H
#define BOOTBENCH_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

/* A device the workload needs, by the name vmm/devices/ places it by. */
struct bb_device_decl {
	const char *type; /* "boot-timer", "virtio-synthetic" */
	uint32_t count;
};

#define BB_WORKLOAD_MAX_DECLS 8
#define BB_ECAM_BUS_BYTES (1ull << 20) /* a bus's ECAM: 32 devices x 8 functions x 4 KiB */

/* One device as the VMM placed it. */
struct bb_machine_device {
	const char *type;
	uint64_t gpa, len;     /* its MMIO window */
	uint32_t pio, pio_len; /* its port I/O window, or 0, 0 */
	uint32_t irq;          /* its GSI, or 0 */
};

/* The VM the VMM built, for the workload to describe to its guest. */
struct bb_machine {
	const char *arch; /* "x86_64", "arm64" */
	uint8_t *ram;     /* host mapping of guest RAM */
	uint64_t ram_gpa, ram_bytes;
	uint32_t vcpus;
	const struct bb_machine_device *devices; /* in placement order */
	uint32_t nr_devices;
	uint32_t guest_fault; /* a fault the guest is asked to commit, for tests */
	uint32_t seed;        /* the run's: what the disks' first blocks are made of */
	/* arm64: the GICv3's distributor and redistributors (0 without one) */
	uint64_t gic_dist, gic_dist_len, gic_redist, gic_redist_len;
	/* arm64 with PCI: the GICv3 ITS's frame, which MSIs are written to */
	uint64_t gic_its, gic_its_len;
	/* PCI: bus 0's ECAM window (0 without PCI), and the windows the
	 * host bridge places BARs in, below 4 GiB and above (0 for none) */
	uint64_t pci_ecam, pci_ecam_len;
	uint64_t pci_mmio32, pci_mmio32_len, pci_mmio64, pci_mmio64_len;
	uint32_t pci_io, pci_io_len; /* the ports it places I/O BARs in (0 for none) */
};

/* Where a vCPU starts: the arch puts args in its first argument registers
 * (x86_64: rdi, rsi, rdx; arm64: x0, x1, x2). sp 0 leaves the stack to
 * the guest. */
struct bb_vcpu_entry {
	uint64_t pc, sp;
	uint64_t args[3];
};

struct bb_workload {
	const char *name;
	/* What it needs of the profile beyond the VMM's own checks (that its
	 * vCPUs' stacks fit in RAM, say), with the machine as it would be
	 * placed (m->ram NULL): before anything runs. */
	int (*check_profile)(const struct bb_profile *p, const struct bb_machine *m, char *err, size_t errlen);
	/* The devices to place, in order; returns how many it wrote to out. */
	uint32_t (*devices)(const struct bb_profile *p, struct bb_device_decl *out, uint32_t max);
	/* Reads once per run what every iteration loads (a kernel file) into
	 * *state, which close() releases. NULL: there is nothing to read. */
	int (*open)(const struct bb_profile *p, void **state, char *err, size_t errlen);
	void (*close)(void *state);
	/* Writes guest memory: the image and what the guest reads at boot. */
	int (*load)(const struct bb_profile *p, const void *state, const struct bb_machine *m, char *err, size_t errlen);
	void (*entry)(const struct bb_profile *p, const void *state, const struct bb_machine *m, uint32_t vcpu,
		      struct bb_vcpu_entry *e);
	/* How many queue kicks a boot makes in all. */
	uint32_t (*kicks_expected)(const struct bb_profile *p);
	/* After boot-done: kicks[i] is queue i's notifier count (devices *
	 * queues of them, BB_KICK_NEVER where it never fired). Returns -1 with
	 * the first wrong one in err; *received sums them either way. */
	int (*check_kicks)(const struct bb_profile *p, const uint64_t *kicks, uint32_t n, uint32_t *received,
			   char *err, size_t errlen);
	/* What an error code the guest reported (boot timer) means, on the
	 * machine the VMM built for the profile (the likely cause, where the
	 * way the machine was described to the guest suggests one). */
	void (*guest_error)(const struct bb_profile *p, const struct bb_machine *m, uint32_t code, uint32_t arg,
			    char *buf, size_t len);
};

#define BB_KICK_NEVER UINT64_MAX

/* The workload a profile runs. */
const struct bb_workload *bb_workload_for(const struct bb_profile *p);

#endif
