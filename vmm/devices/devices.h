/* The VMM's devices, one file each in this folder, each placed by name
 * for a workload that declares it. A new device is its file and one line
 * in devices.c's table. */
#ifndef BOOTBENCH_DEVICES_H
#define BOOTBENCH_DEVICES_H

#include <stddef.h>
#include <stdint.h>

#include "device_manager.h"
#include "profile.h"

struct bb_vm;

/* Places count instances with the device manager; vm is NULL when only a
 * profile is checked (then nothing goes on a bus). */
typedef int (*bb_device_place_fn)(struct bb_device_manager *dm, const struct bb_profile *p, struct bb_vm *vm,
				  uint32_t count, char *err, size_t errlen);

int bb_device_place(const char *type, uint32_t count, struct bb_device_manager *dm, const struct bb_profile *p,
		    struct bb_vm *vm, char *err, size_t errlen);

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
struct bb_device;
/* A fresh transport's offer and queue walkers, for each iteration. */
void bb_virtio_blk_reset(struct bb_device *dev, const struct bb_profile *p);

#endif
