/* bootbench trace's reading of a traced process's stack, which that
 * process controls, as it controls where its ioctl argument points. The
 * input: a u32 request, a u32 offset of the argument from the stack
 * pointer, then the stack bytes the kernel copied. Whatever they hold, no
 * byte outside the copy is read (ASan sees the copy's exact length), the
 * op is one bootbench knows, and a call is never both read and unread. */
#include "fuzz_target.h"
#include "trace_requests.h"

#define SP 0x7ffc0000ull

static void check(struct bb_traced_call c)
{
	if ((unsigned)c.op >= BB_OP_COUNT || (c.args_read && c.struct_unread))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t cmd, off;
	if (size < 8)
		return 0;
	memcpy(&cmd, data, 4);
	memcpy(&off, data + 4, 4);
	size_t len = size - 8;
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, data + 8, len);
	check(bb_trace_decode(cmd, SP + off, len ? copy : NULL, len, SP));
	/* an argument below the stack pointer, or where the sum wraps */
	check(bb_trace_decode(cmd, SP - 1 - off, copy, len, SP));
	check(bb_trace_decode(cmd, UINT64_MAX - off, copy, len, SP));
	/* the same request with no stack copied */
	check(bb_trace_decode(cmd, SP + off, NULL, 0, SP));
	free(copy);
	return 0;
}
