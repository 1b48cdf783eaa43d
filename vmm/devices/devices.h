/* The VMM's devices, one file each in this folder, each placed by name
 * for a workload that declares it. A new device is its file and one line
 * in devices.c's table. */
#ifndef BOOTBENCH_DEVICES_H
#define BOOTBENCH_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device_manager.h"
#include "profile.h"
#include "virtio_mmio.h"

struct bb_vm;
struct bb_device;

/* Places count instances with the device manager; vm is NULL when only a
 * profile is checked (then nothing goes on a bus). */
typedef int (*bb_device_place_fn)(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm,
				  uint32_t count, char *err, size_t errlen);

int bb_device_place(const char *type, uint32_t count, struct bb_device_manager *dm, const struct bb_profile *p,
		    struct bb_vm *vm, char *err, size_t errlen);

/* The placement of count virtio-mmio devices of a type, each a struct
 * bb_device, at the profile's mmio_base and mmio_stride with an IRQ each
 * (virtio_devices.c); name is the caller's buffer for messages. */
struct bb_placement bb_virtio_placement(const char *type, const char *what, char *name, size_t len,
				       const struct bb_profile *p, struct bb_vm *vm, uint32_t count, bb_io_handler handler);
/* After bb_dm_place_mmio(): each device's IRQ from the ones placed last. */
void bb_virtio_take_irqs(struct bb_device_manager *dm, struct bb_vm *vm, uint32_t count);

/* A 32-bit register access to a virtio-mmio device (what: "disk" in
 * messages): the transport's action and argument; -1, the iteration
 * failed, for another width. */
int bb_virtio_register(struct bb_device *dev, const struct bb_io_access *a, const char *what, uint32_t offset,
		       enum bb_virtio_action *action, uint32_t *arg);
/* The first access to any virtio device's registers: where a Linux
 * guest's device probe starts. */
void bb_virtio_mark_probe(struct bb_vm *vm);
/* With the device's lock held: after a reset or DRIVER_OK its rings are
 * walked afresh from where the driver put them. */
void bb_virtio_fresh_rings(struct bb_device *dev, enum bb_virtio_action action);
/* Fails the iteration for a register the transport does not have; -1. */
int bb_virtio_bad_access(struct bb_device *dev, const char *what, uint32_t offset, bool is_write);

/* boot_timer.c: Firecracker's boot timer (the guest's init writes 123) */
int bb_boot_timer_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm, uint32_t count,
			char *err, size_t errlen);
/* virtio_synthetic.c: a virtio-mmio device that serves the synthetic
 * guest's probe and init and registers its notifiers the profile's way */
int bb_virtio_synthetic_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm,
			      uint32_t count, char *err, size_t errlen);
/* uart.c: the 8250 console at COM1 */
int bb_uart_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm, uint32_t count,
		  char *err, size_t errlen);
/* virtio_blk.c: virtio-blk disks backed by files, served by the I/O thread */
int bb_virtio_blk_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm, uint32_t count,
			char *err, size_t errlen);
/* The same disks as virtio-pci functions behind the PCI host bridge. */
int bb_virtio_blk_pci_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm,
			    uint32_t count, char *err, size_t errlen);
/* pci_host.c: the host bridge (its ECAM window, and the window its
 * functions' BARs are pre-assigned in) */
int bb_pci_host_place(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm, uint32_t count,
		      char *err, size_t errlen);
/* count functions of a type on the bridge's bus 0, slots 0 up, each
 * device's virtio-pci transport with its BAR in the bridge's window. */
int bb_pci_place_functions(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm,
			   const char *type, uint32_t count, char *err, size_t errlen);
/* A fresh transport's offer and queue walkers, for each iteration. */
void bb_virtio_blk_reset(struct bb_device *dev, const struct bb_profile *p);

#endif
