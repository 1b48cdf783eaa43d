/* The one timed layer that every KVM operation goes through. __bb_ioctl()
 * returns the raw result with errno intact; bb_vm_ioctl() (vm.h) turns a
 * failure into the VM's error message. */
#ifndef BOOTBENCH_KVM_IOCTL_H
#define BOOTBENCH_KVM_IOCTL_H

#include <stddef.h>
#include <stdint.h>

#include "event_log.h"

struct bb_call {
	enum bb_op op;
	int thread;
	uint64_t arg[3];
};

/* Times ioctl(fd, request, arg) and records it in log (which may be NULL).
 * *event, when given, points at the recorded event so the caller can add
 * what it learns afterwards (a KVM_RUN's exit reason), or NULL. */
long __bb_ioctl(struct bb_event_log *log, struct bb_call call, int fd, unsigned long request,
		void *arg, struct bb_event **event);

/* Times a non-ioctl step of the boot path: open, close, mmap, eventfd. The
 * step runs as fn(ctx) and returns what a syscall returns. */
long __bb_timed(struct bb_event_log *log, struct bb_call call, long (*fn)(void *ctx), void *ctx);

/* "KVM_IOEVENTFD(mmio addr=0xd0000050 len=4 datamatch=1) failed: No space
 * left on device" */
void bb_call_failure(char *buf, size_t len, struct bb_call call, int errnum);

#endif
