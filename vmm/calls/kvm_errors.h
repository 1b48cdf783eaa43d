/* What a failed KVM step means for the user, in one home: the failures a
 * profile can cause (a full I/O bus, too few file descriptors) are told
 * apart by code, and each carries the fix. */
#ifndef BOOTBENCH_KVM_ERRORS_H
#define BOOTBENCH_KVM_ERRORS_H

#include <stddef.h>
#include <stdint.h>

#include "event_log.h"

/* KVM's limit of devices on one I/O bus (NR_IOBUS_DEVS); ioeventfds do not
 * count against it in the kernels bootbench measures, coalesced zones and
 * the in-kernel irqchip's devices do. */
#define BB_KVM_IO_BUS_DEVICES 1000u

enum bb_error_kind {
	BB_ERROR_NONE,
	BB_ERROR_OTHER,
	BB_ERROR_BUS_FULL,   /* ENOSPC from a call that registers on a bus */
	BB_ERROR_OUT_OF_FDS, /* EMFILE or ENFILE */
};

enum bb_error_kind bb_error_diagnose(enum bb_op op, int errnum);

/* The fix for kind, to follow the failure: fds_needed is what the profile
 * needs (bb_vm_fds_needed()). Empty for kinds without one. */
void bb_error_fix(enum bb_error_kind kind, uint32_t fds_needed, char *buf, size_t len);

#endif
