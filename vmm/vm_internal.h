/* struct bb_vm and struct bb_vcpu, for vmm/ code only. Everything an
 * iteration needs is allocated once per run in bb_vm_new(), so nothing is
 * allocated while a VM boots. */
#ifndef BOOTBENCH_VM_INTERNAL_H
#define BOOTBENCH_VM_INTERNAL_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "arch_state.h"
#include "io_bus.h"
#include "irq_routing.h"
#include "kvm_errors.h"
#include "kvm_ioctl.h"
#include "uart_8250.h"
#include "virtio_blk_request.h"
#include "virtio_mmio.h"
#include "virtio_pci.h"
#include "virtqueue.h"
#include "offcpu.h"
#include "vm.h"
#include "workload.h"

struct bb_vcpu {
	struct bb_vm *vm;
	uint32_t index;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool thread_started;
	int pin_cpu; /* -1: not pinned */
	/* what the vCPU last exited for, for the watchdog's message */
	_Atomic uint32_t last_exit_reason;
	_Atomic uint64_t last_exit_addr;
};

enum bb_boot_state { BB_BOOT_RUNNING, BB_BOOT_DONE_STATE, BB_BOOT_FAILED };

#define BB_DEVICE_CONFIG_BYTES 64u

/* One virtio device: a synthetic one on virtio-mmio
 * (vmm/devices/virtio_synthetic.c), or a virtio-blk disk on virtio-mmio
 * or virtio-pci (vmm/devices/virtio_blk.c). */
struct bb_device {
	struct bb_vm *vm;
	uint32_t index;
	uint32_t irq; /* its GSI, from the device manager */
	struct bb_virtio_device virtio; /* its transport maps its registers onto it */
	bool notifiers_registered;
	uint32_t init_count; /* DRIVER_OKs seen */
	/* A device that serves its queues: called from the I/O thread for a
	 * kick an ioeventfd took, or from a vCPU thread for one that came as
	 * an exit. lock covers mmio and vrings between the two. */
	int (*serve)(struct bb_device *dev, uint32_t queue);
	/* What a transport's register access came to, outside the lock:
	 * DRIVER_OK registers notifiers, a notify that came as an exit is
	 * served (or fails the iteration where an ioeventfd should have
	 * taken it). */
	int (*on_action)(struct bb_vcpu *vcpu, struct bb_device *dev, enum bb_virtio_action action, uint32_t arg,
			 uint32_t offset, bool is_write);
	pthread_mutex_t lock;
	struct bb_vring *vrings; /* p->queues walkers; num 0 until first served */
	struct bb_blk_disk disk; /* virtio-blk: the backing file, fd -1 if none */
	uint8_t config[BB_DEVICE_CONFIG_BYTES];
};

/* A PCI guest's host bridge (vmm/devices/pci_host.c): bus 0 behind its
 * ECAM window, a virtio-pci function per device with its BAR pre-assigned
 * in the bridge's window, and each function's MSI-X vectors, routed to
 * KVM as the guest unmasks them: vector v of device d on GSI first_gsi +
 * d * vectors + v, with an eventfd each, assigned as an irqfd while the
 * vector is routed. */
struct bb_vm_pci {
	struct bb_pci_bus bus;
	struct bb_virtio_pci *fns; /* nr_fns, one per device */
	uint32_t nr_fns;
	uint32_t vectors; /* per function: a queue each and the configuration */
	uint32_t first_gsi;   /* past the irqchip's own routes */
	int *vector_eventfds; /* nr_fns * vectors, -1 until made */
	bool *irqfd_assigned; /* nr_fns * vectors */
	bool *routed;         /* nr_fns * vectors: scratch of one commit */
	struct bb_irq_routing routing;
	pthread_mutex_t routes_lock; /* taken before any device's lock, never after */
	bool *routes_deferred;      /* nr_fns: batched changes waiting for DRIVER_OK */
	uint64_t window;            /* where function d's BAR is pre-assigned: window + d * its size */
	_Atomic uint64_t *bar_at;   /* nr_fns: where each BAR decodes now, 0 while it does not */
	uint64_t *registered_bar;   /* nr_fns: where it was when its notifiers were registered */
};

struct bb_vm {
	const struct bb_run_config *cfg;
	const struct bb_profile *p;
	const struct bb_arch_layout *layout;
	const struct bb_workload *workload;
	struct bb_event_log log;
	struct bb_iteration *it;
	struct bb_offcpu *offcpu;       /* NULL: no stacks this run */
	char offcpu_unavailable[512];   /* why, when asked for and refused */
	struct bb_offcpu_row *offcpu_rows; /* it->offcpu_rows' storage */
	size_t offcpu_rows_cap;

	int kvm_fd;
	int vm_fd;
	struct bb_arch_state arch; /* the arch's own per-VM state */
	size_t run_size;

	uint8_t *ram;
	size_t ram_bytes;
	uint8_t *extra_mem; /* backs the memslots added after registrations */
	size_t extra_bytes;
	uint32_t next_slot;

	uint32_t nr_vcpus;
	struct bb_vcpu *vcpus;

	/* placed once per run (machine.c): the buses and what the workload
	 * is told of them */
	struct bb_io_bus mmio_bus, pio_bus;
	struct bb_machine machine;
	struct bb_machine_device *placed;
	struct bb_vm_pci *pci; /* NULL for virtio-mmio */

	uint32_t nr_devices;
	struct bb_device *devices;
	struct bb_virtio_queue *queue_state; /* devices * queues */
	int *queue_eventfds;                 /* devices * queues */
	int *irq_eventfds;                   /* devices */
	uint64_t *kick_counts;               /* devices * queues, read after boot-done */
	uint64_t *kicks_served;              /* of them, what the I/O thread read */
	struct bb_vring *vrings;             /* devices * queues, for devices that serve them */
	struct bb_guest_ram guest_ram;       /* RAM as the queue walkers see it */

	/* the I/O thread (io_thread.c), for devices that serve their queues */
	pthread_t io_thread;
	int epoll_fd, io_stop_fd;

	/* the 8250 console (vmm/devices/uart.c) */
	struct bb_uart uart;
	char console_tail[BB_UART_TAIL]; /* it->console_tail's storage */
	pthread_mutex_t uart_lock;
	uint32_t uart_irq;
	/* port I/O no device claims: a Linux guest probes legacy ports and
	 * reads all ones from an empty bus, as on a PC; the synthetic guest
	 * must not touch them (lenient_pio false) */
	uint32_t seed;                       /* the run's, for the disks' contents */
	uint32_t devices_ready;              /* DRIVER_OKs in the first round */
	bool io_thread_needed, io_thread_started;
	bool uart_irq_level;
	bool lenient_pio;
	bool memslots_after_done;

	/* boot progress, shared between the vCPU threads and the main thread */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum bb_boot_state state;
	_Atomic bool stop;
	int64_t t_entered; /* ns since t0, 0 until the guest's first write */
	int64_t t_done;
	/* a Linux guest's boot: its first virtio register access, its last
	 * DRIVER_OK; written from any vCPU thread, read after they stop */
	_Atomic int64_t t_first_probe, t_last_driver_ok;
	void *workload_state; /* the workload's open(), for the whole run */
	char error[1024];
	enum bb_error_kind error_kind;
};

/* Records the first failure of the iteration and wakes the main thread.
 * Later failures are consequences and are dropped. */
void bb_vm_fail(struct bb_vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, for a failure whose kind is known (a full bus, say). */
void bb_vm_fail_kind(struct bb_vm *vm, enum bb_error_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failed KVM step: the step, its arguments, the errno text and the fix. */
void bb_vm_fail_call(struct bb_vm *vm, struct bb_call call, int errnum);

/* Timed ioctl that records a failure as the VM's error (KVM selftests'
 * vm_ioctl()). Returns the ioctl's result, -1 on failure. */
long bb_vm_ioctl(struct bb_vm *vm, int thread, int fd, struct bb_kvm_req req);

static inline struct bb_call bb_call(enum bb_op op, int thread, uint64_t a0, uint64_t a1,
				     uint64_t a2)
{
	return (struct bb_call){ .op = op, .thread = thread, .arg = { a0, a1, a2 } };
}

/* machine.c: places RAM, the arch's regions, the workload's devices, the
 * coalesced zones and the later memslots; with vm, onto its buses. */
int bb_machine_place(const struct bb_profile *p, struct bb_vm *vm, char *err, size_t errlen);
/* The same placement without a VM, then the workload's own checks of the
 * profile on the machine it would get. */
int bb_machine_check(const struct bb_profile *p, char *err, size_t errlen);

/* guest_memory.c */
int bb_memory_setup(struct bb_vm *vm);      /* RAM, slot 0, the workload's image */
int bb_memory_add_slots_after(struct bb_vm *vm, int thread);
void bb_memory_release(struct bb_vm *vm);

/* queue_notify.c */
int bb_notify_create_eventfds(struct bb_vm *vm);
int bb_notify_register_device(struct bb_vm *vm, uint32_t dev, int thread);
int bb_notify_deassign_device(struct bb_vm *vm, uint32_t dev, int thread);
/* A device's DRIVER_OK and reset, from the vCPU thread that saw them:
 * registers or removes its notifiers as the profile says, and adds the
 * memslots after the last device's. */
int bb_notify_driver_ok(struct bb_vm *vm, uint32_t dev, int thread);
int bb_notify_device_reset(struct bb_vm *vm, uint32_t dev, int thread);
int bb_notify_register_coalesced(struct bb_vm *vm);
int bb_notify_register_irqfds(struct bb_vm *vm);
/* Every queue's notifier count into vm->kick_counts (BB_KICK_NEVER where
 * it never fired). */
void bb_notify_read_kicks(struct bb_vm *vm);
void bb_notify_close(struct bb_vm *vm);

/* devices/pci_host.c: fresh functions for an iteration (the BARs
 * pre-assigned, every vector masked); what the placement allocated. */
void bb_pci_reset(struct bb_vm *vm);
void bb_pci_free(struct bb_vm *vm);
/* Device dev's used-buffer interrupt for queue (or its configuration
 * change, BB_VIRTIO_PCI_NO_VECTOR), with the device's lock held. */
void bb_pci_signal(struct bb_vm *vm, uint32_t dev, uint32_t queue);
/* The device's DRIVER_OK under msi_routes batched: its deferred changes. */
int bb_pci_driver_ok(struct bb_vm *vm, uint32_t dev, int thread);
/* Where queue's mmio-any notifier of device dev goes: in its BAR where its
 * notifiers were registered, or where it decodes now (0 while it does
 * not). */
uint64_t bb_pci_notify_address(const struct bb_vm *vm, uint32_t dev, uint32_t queue);

/* io_thread.c: waits on every queue's eventfd and serves the kicked
 * queue; started after the vCPUs, stopped after them. */
int bb_io_thread_start(struct bb_vm *vm);
void bb_io_thread_stop(struct bb_vm *vm);

/* vcpu.c */
int bb_vcpus_create(struct bb_vm *vm);
int bb_vcpus_start(struct bb_vm *vm);
void bb_vcpus_stop(struct bb_vm *vm);
void bb_vcpus_close(struct bb_vm *vm);
/* A guest access to an address that is not RAM, from any arch's exit:
 * dispatched to the device on the bus there. */
int bb_vcpu_mmio(struct bb_vcpu *vcpu, uint64_t addr, uint8_t *data, uint32_t len,
		 bool is_write);
int bb_vcpu_pio(struct bb_vcpu *vcpu, uint16_t port, uint8_t *data, uint32_t size,
		bool is_write);
/* Fail the iteration for an access no device handles. */
int bb_vcpu_unhandled_mmio(struct bb_vcpu *vcpu, const struct bb_io_access *a);
int bb_vcpu_unhandled_pio(struct bb_vcpu *vcpu, const struct bb_io_access *a);

#endif
