/* The one timed layer that every KVM operation goes through. A request is
 * built by a typed constructor (kvm_requests.h) from the struct the ioctl
 * takes, so the op it is recorded as and the arguments shown with it come
 * from the same place as the request number itself and cannot disagree.
 * __bb_ioctl() returns the raw result with errno intact; bb_vm_ioctl()
 * (vm_internal.h) turns a failure into the VM's error message. */
#ifndef BOOTBENCH_KVM_IOCTL_H
#define BOOTBENCH_KVM_IOCTL_H

#include <stddef.h>
#include <stdint.h>

#include "event_log.h"

/* What a failed or recorded step names: its op, the thread that made it,
 * and the arguments bb_event_detail() shows. */
struct bb_call {
	enum bb_op op;
	int thread;
	uint64_t arg[3];
};

/* One KVM ioctl: its request number, its argument, and what it is
 * recorded as. */
struct bb_kvm_req {
	enum bb_op op;
	unsigned long request;
	void *arg; /* a pointer to the ioctl's struct, or a value cast to one */
	uint64_t shown[3];
};

static inline struct bb_call bb_req_call(struct bb_kvm_req req, int thread)
{
	return (struct bb_call){ .op = req.op, .thread = thread, .arg = { req.shown[0], req.shown[1], req.shown[2] } };
}

/* Times req on fd and records it in log (which may be NULL). *event, when
 * given, points at the recorded event so the caller can add what it
 * learns afterwards (a KVM_RUN's exit reason), or NULL. */
long __bb_ioctl(struct bb_event_log *log, int thread, int fd, struct bb_kvm_req req, struct bb_event **event);

/* Times a non-ioctl step of the boot path: open, close, mmap, eventfd. The
 * step runs as fn(ctx) and returns what a syscall returns. */
long __bb_timed(struct bb_event_log *log, struct bb_call call, long (*fn)(void *ctx), void *ctx);

/* Closes *fd as a timed step recorded as op, and sets it to -1; nothing
 * when it is already -1. */
void bb_timed_close(struct bb_event_log *log, enum bb_op op, uint64_t shown, int *fd);

/* "KVM_IOEVENTFD(mmio addr=0xd0000050 len=4 datamatch=1) failed: No space
 * left on device" */
void bb_call_failure(char *buf, size_t len, struct bb_call call, int errnum);

#endif
