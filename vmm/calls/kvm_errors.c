#include "kvm_errors.h"

#include <errno.h>
#include <stdio.h>

static int registers_on_bus(enum bb_op op)
{
	return op == BB_OP_IOEVENTFD || op == BB_OP_REGISTER_COALESCED_MMIO || op == BB_OP_CREATE_IRQCHIP ||
	       op == BB_OP_CREATE_PIT2 || op == BB_OP_CREATE_VCPU || op == BB_OP_SET_DEVICE_ATTR;
}

enum bb_error_kind bb_error_diagnose(enum bb_op op, int errnum)
{
	if (errnum == ENOSPC && registers_on_bus(op))
		return BB_ERROR_BUS_FULL;
	if (errnum == EMFILE || errnum == ENFILE)
		return BB_ERROR_OUT_OF_FDS;
	return BB_ERROR_OTHER;
}

void bb_error_fix(enum bb_error_kind kind, uint32_t fds_needed, char *buf, size_t len)
{
	switch (kind) {
	case BB_ERROR_BUS_FULL:
		snprintf(buf, len, "a KVM I/O bus is full (NR_IOBUS_DEVS, %u devices a bus); lower the profile's devices or coalesced_zones",
			 BB_KVM_IO_BUS_DEVICES);
		break;
	case BB_ERROR_OUT_OF_FDS:
		snprintf(buf, len, "out of file descriptors; the profile needs %u, raise the limit with ulimit -n %u",
			 fds_needed, fds_needed);
		break;
	default:
		if (len)
			buf[0] = '\0';
		break;
	}
}
