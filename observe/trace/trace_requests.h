/* A KVM request another VMM made, as the syscall tracepoints saw it: the
 * op it is recorded as and its arguments, read from the bytes of the
 * caller's stack the kernel copied at the call when the struct it points
 * to lay there. Nothing else of the traced process is read: its memory
 * may have changed by the time bootbench looks. */
#ifndef BOOTBENCH_TRACE_REQUESTS_H
#define BOOTBENCH_TRACE_REQUESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_log.h"

#define BB_KVMIO_TYPE 0xAE

struct bb_traced_call {
	enum bb_op op;
	uint64_t shown[3];
	bool args_read;     /* shown holds the arguments */
	bool struct_unread; /* they are in a struct that was not on the copied stack */
	bool on_kvm_fd;     /* a request only /dev/kvm takes */
};

/* cmd and arg as the ioctl got them; stack: the copied bytes, the
 * caller's stack pointer first (sp its address), or NULL. */
struct bb_traced_call bb_trace_decode(uint64_t cmd, uint64_t arg, const uint8_t *stack, size_t stack_len, uint64_t sp);

/* Whether cmd is a KVM request (type 0xAE), which the tracer keeps. */
static inline bool bb_trace_is_kvm_request(uint64_t cmd)
{
	return ((cmd >> 8) & 0xff) == BB_KVMIO_TYPE;
}

#endif
