#include "event_log.h"

#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>

const char *const bb_op_names[BB_OP_COUNT] = {
#define BB_OP_NAME(id, name) [BB_OP_##id] = (name),
	BB_OPS(BB_OP_NAME)
#undef BB_OP_NAME
};

int bb_event_log_init(struct bb_event_log *log, uint32_t capacity)
{
	log->events = calloc(capacity, sizeof(*log->events));
	if (!log->events)
		return -1;
	log->capacity = capacity;
	bb_event_log_reset(log, 0);
	return 0;
}

void bb_event_log_free(struct bb_event_log *log)
{
	free(log->events);
	log->events = NULL;
	log->capacity = 0;
}

void bb_event_log_reset(struct bb_event_log *log, int64_t t0)
{
	atomic_store(&log->next, 0);
	atomic_store(&log->dropped, 0);
	log->t0 = t0;
}

uint32_t bb_event_log_count(const struct bb_event_log *log)
{
	uint32_t n = atomic_load(&((struct bb_event_log *)log)->next);
	return n < log->capacity ? n : log->capacity;
}

const char *bb_exit_reason_name(uint32_t reason)
{
	switch (reason) {
	case KVM_EXIT_UNKNOWN: return "UNKNOWN";
	case KVM_EXIT_EXCEPTION: return "EXCEPTION";
	case KVM_EXIT_IO: return "IO";
	case KVM_EXIT_HYPERCALL: return "HYPERCALL";
	case KVM_EXIT_DEBUG: return "DEBUG";
	case KVM_EXIT_HLT: return "HLT";
	case KVM_EXIT_MMIO: return "MMIO";
	case KVM_EXIT_IRQ_WINDOW_OPEN: return "IRQ_WINDOW_OPEN";
	case KVM_EXIT_SHUTDOWN: return "SHUTDOWN";
	case KVM_EXIT_FAIL_ENTRY: return "FAIL_ENTRY";
	case KVM_EXIT_INTR: return "INTR";
	case KVM_EXIT_SET_TPR: return "SET_TPR";
	case KVM_EXIT_TPR_ACCESS: return "TPR_ACCESS";
	case KVM_EXIT_NMI: return "NMI";
	case KVM_EXIT_INTERNAL_ERROR: return "INTERNAL_ERROR";
	case KVM_EXIT_SYSTEM_EVENT: return "SYSTEM_EVENT";
	default: return "OTHER";
	}
}

static const char *const bus_names[] = { "mmio", "pio" };

static void args_detail(const struct bb_event *e, char *buf, size_t len)
{
	const uint64_t *a = e->arg;

	switch (e->op) {
	case BB_OP_CREATE_VM:
		snprintf(buf, len, "type=%" PRIu64, a[0]);
		break;
	case BB_OP_CHECK_EXTENSION:
		snprintf(buf, len, "cap=%" PRIu64, a[0]);
		break;
	case BB_OP_SET_USER_MEMORY_REGION:
		snprintf(buf, len, "slot=%" PRIu64 " gpa=0x%" PRIx64 " size=0x%" PRIx64 " flags=0x%" PRIx64,
			 a[0] & 0xffffffff, a[1], a[2], a[0] >> 32);
		break;
	case BB_OP_SET_TSS_ADDR:
		snprintf(buf, len, "addr=0x%" PRIx64, a[0]);
		break;
	case BB_OP_CREATE_PIT2:
		snprintf(buf, len, "flags=0x%" PRIx64, a[0]);
		break;
	case BB_OP_CREATE_DEVICE:
		snprintf(buf, len, "type=%" PRIu64, a[0]);
		break;
	case BB_OP_SET_DEVICE_ATTR:
		snprintf(buf, len, "group=%" PRIu64 " attr=0x%" PRIx64 " value=0x%" PRIx64, a[0], a[1], a[2]);
		break;
	case BB_OP_CREATE_VCPU:
	case BB_OP_MMAP_VCPU:
	case BB_OP_ARM_VCPU_INIT:
	case BB_OP_SET_CPUID2:
	case BB_OP_GET_REGS:
	case BB_OP_GET_SREGS:
	case BB_OP_SET_SREGS:
	case BB_OP_SET_REGS:
	case BB_OP_MUNMAP_VCPU:
	case BB_OP_CLOSE_VCPU:
		snprintf(buf, len, "vcpu=%" PRIu64, a[0]);
		break;
	case BB_OP_GET_ONE_REG:
		snprintf(buf, len, "vcpu=%" PRIu64 " reg=0x%" PRIx64, a[0], a[1]);
		break;
	case BB_OP_SET_ONE_REG:
		snprintf(buf, len, "vcpu=%" PRIu64 " reg=0x%" PRIx64 " value=0x%" PRIx64, a[0], a[1], a[2]);
		break;
	case BB_OP_SET_MP_STATE:
		snprintf(buf, len, "vcpu=%" PRIu64 " state=%" PRIu64, a[0], a[1]);
		break;
	case BB_OP_IOEVENTFD:
	case BB_OP_IOEVENTFD_DEASSIGN: {
		uint32_t flags = (uint32_t)(a[1] >> 32);
		uint32_t ln = (uint32_t)a[1];
		const char *bus = (flags & KVM_IOEVENTFD_FLAG_PIO) ? "pio" : "mmio";
		if (flags & KVM_IOEVENTFD_FLAG_DATAMATCH)
			snprintf(buf, len, "%s addr=0x%" PRIx64 " len=%u datamatch=%" PRIu64, bus, a[0], ln, a[2]);
		else
			snprintf(buf, len, "%s addr=0x%" PRIx64 " len=%u", bus, a[0], ln);
		break;
	}
	case BB_OP_REGISTER_COALESCED_MMIO:
		snprintf(buf, len, "%s addr=0x%" PRIx64 " size=0x%" PRIx64, bus_names[a[2] ? 1 : 0], a[0], a[1]);
		break;
	case BB_OP_IRQFD:
	case BB_OP_IRQFD_DEASSIGN:
		snprintf(buf, len, "gsi=%" PRIu64, a[0]);
		break;
	case BB_OP_SET_GSI_ROUTING:
		snprintf(buf, len, "routes=%" PRIu64, a[0]);
		break;
	case BB_OP_RUN:
		/* arg[0]: exit reason, arg[1]: the guest address of an MMIO or PIO exit */
		if (e->result < 0)
			snprintf(buf, len, "vcpu=%d", e->thread);
		else if (a[0] == KVM_EXIT_MMIO || a[0] == KVM_EXIT_IO)
			snprintf(buf, len, "vcpu=%d exit=%s addr=0x%" PRIx64, e->thread,
				 bb_exit_reason_name((uint32_t)a[0]), a[1]);
		else
			snprintf(buf, len, "vcpu=%d exit=%s", e->thread, bb_exit_reason_name((uint32_t)a[0]));
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

/* A traced call says which fd it was made on, and its arguments only when
 * they were read: zeros would pass for real ones. */
void bb_event_detail(const struct bb_event *e, char *buf, size_t len)
{
	if (!(e->traced & BB_TRACED)) {
		args_detail(e, buf, len);
		return;
	}
	static const char *const kinds[] = { "unknown", "kvm", "vm", "vcpu", "device" };
	char fd[24], args[200] = "";
	if (e->fd_kind == BB_FD_VCPU)
		snprintf(fd, sizeof(fd), "vcpu%d", e->fd_vcpu);
	else
		snprintf(fd, sizeof(fd), "%s", kinds[e->fd_kind < 5 ? e->fd_kind : 0]);
	if (e->op == BB_OP_OTHER)
		snprintf(args, sizeof(args), "request=0x%08" PRIx64, e->arg[0]);
	else if (e->traced & BB_TRACED_ARGS)
		args_detail(e, args, sizeof(args));
	else if (e->traced & BB_TRACED_NO_ARGS)
		snprintf(args, sizeof(args), "(arguments not on the copied stack)");
	snprintf(buf, len, "fd=%s%s%s", fd, args[0] ? " " : "", args);
}
