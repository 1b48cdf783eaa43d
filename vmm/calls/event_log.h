/* The per-VM log of timed operations. Storage is allocated before the
 * iteration starts; recording an event is one atomic increment and a few
 * stores, from any thread. */
#ifndef BOOTBENCH_EVENT_LOG_H
#define BOOTBENCH_EVENT_LOG_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Every timed operation, in the order a boot usually meets them. The names
 * are the ioctl names, so per-op results read like the KVM API document. */
#define BB_OPS(X)                                                     \
	X(OPEN_KVM, "open:/dev/kvm")                                  \
	X(GET_API_VERSION, "KVM_GET_API_VERSION")                     \
	X(CHECK_EXTENSION, "KVM_CHECK_EXTENSION")                     \
	X(CREATE_VM, "KVM_CREATE_VM")                                 \
	X(GET_VCPU_MMAP_SIZE, "KVM_GET_VCPU_MMAP_SIZE")               \
	X(SET_USER_MEMORY_REGION, "KVM_SET_USER_MEMORY_REGION")       \
	X(SET_TSS_ADDR, "KVM_SET_TSS_ADDR")                           \
	X(CREATE_IRQCHIP, "KVM_CREATE_IRQCHIP")                       \
	X(CREATE_PIT2, "KVM_CREATE_PIT2")                             \
	X(CREATE_DEVICE, "KVM_CREATE_DEVICE")                         \
	X(SET_DEVICE_ATTR, "KVM_SET_DEVICE_ATTR")                     \
	X(CREATE_VCPU, "KVM_CREATE_VCPU")                             \
	X(MMAP_VCPU, "mmap:kvm_run")                                  \
	X(ARM_PREFERRED_TARGET, "KVM_ARM_PREFERRED_TARGET")           \
	X(ARM_VCPU_INIT, "KVM_ARM_VCPU_INIT")                         \
	X(SET_ONE_REG, "KVM_SET_ONE_REG")                             \
	X(GET_ONE_REG, "KVM_GET_ONE_REG")                             \
	X(GET_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID")             \
	X(SET_CPUID2, "KVM_SET_CPUID2")                               \
	X(GET_REGS, "KVM_GET_REGS")                                   \
	X(GET_SREGS, "KVM_GET_SREGS")                                 \
	X(SET_SREGS, "KVM_SET_SREGS")                                 \
	X(SET_REGS, "KVM_SET_REGS")                                   \
	X(SET_MP_STATE, "KVM_SET_MP_STATE")                           \
	X(EVENTFD, "eventfd")                                         \
	X(IOEVENTFD, "KVM_IOEVENTFD")                                 \
	X(IOEVENTFD_DEASSIGN, "KVM_IOEVENTFD:deassign")               \
	X(REGISTER_COALESCED_MMIO, "KVM_REGISTER_COALESCED_MMIO")     \
	X(IRQFD, "KVM_IRQFD")                                         \
	X(IRQFD_DEASSIGN, "KVM_IRQFD:deassign")                       \
	X(RUN, "KVM_RUN")                                             \
	X(CLOSE_EVENTFD, "close:eventfd")                             \
	X(MUNMAP_VCPU, "munmap:kvm_run")                              \
	X(CLOSE_VCPU, "close:vcpu")                                   \
	X(CLOSE_DEVICE, "close:device")                               \
	X(CLOSE_VM, "close:vm")                                       \
	X(CLOSE_KVM, "close:/dev/kvm")                                \
	/* requests other VMMs make, as bootbench trace sees them */  \
	X(ENABLE_CAP, "KVM_ENABLE_CAP")                               \
	X(SET_GSI_ROUTING, "KVM_SET_GSI_ROUTING")                     \
	X(IRQ_LINE, "KVM_IRQ_LINE")                                   \
	X(SIGNAL_MSI, "KVM_SIGNAL_MSI")                               \
	X(SET_IDENTITY_MAP_ADDR, "KVM_SET_IDENTITY_MAP_ADDR")         \
	X(GET_MSR_INDEX_LIST, "KVM_GET_MSR_INDEX_LIST")               \
	X(SET_MSRS, "KVM_SET_MSRS")                                   \
	X(GET_MSRS, "KVM_GET_MSRS")                                   \
	X(SET_LAPIC, "KVM_SET_LAPIC")                                 \
	X(SET_FPU, "KVM_SET_FPU")                                     \
	X(SET_XSAVE, "KVM_SET_XSAVE")                                 \
	X(SET_XCRS, "KVM_SET_XCRS")                                   \
	X(SET_VCPU_EVENTS, "KVM_SET_VCPU_EVENTS")                     \
	X(SET_CLOCK, "KVM_SET_CLOCK")                                 \
	X(SET_SIGNAL_MASK, "KVM_SET_SIGNAL_MASK")                     \
	X(OTHER, "KVM_other")

enum bb_op {
#define BB_OP_ENUM(id, name) BB_OP_##id,
	BB_OPS(BB_OP_ENUM)
#undef BB_OP_ENUM
	BB_OP_COUNT
};

extern const char *const bb_op_names[BB_OP_COUNT];

#define BB_THREAD_MAIN (-1)

/* Arguments are kept raw and turned into text only when written out, so
 * recording costs the same whatever the op. Their meaning per op is in
 * bb_event_detail(). */
struct bb_event {
	int64_t start_ns; /* since the iteration began */
	int64_t duration_ns;
	uint64_t arg[3];
	int32_t result; /* the return value, or -errno */
	uint16_t op;
	int16_t thread; /* vCPU index, or BB_THREAD_MAIN */
	/* filled after the iteration (offcpu.h), never on the timed path */
	int64_t offcpu_ns; /* switched out inside the call */
	int32_t stack;     /* the run's stack it blocked in most, or -1 */
	/* bootbench trace only: which fd the call was made on, and whether
	 * its arguments could be read (0 in a run's own events) */
	uint8_t fd_kind;   /* enum bb_fd_kind */
	uint8_t traced;    /* BB_TRACED_* bits */
	int16_t fd_vcpu;   /* the vCPU of a vCPU fd */
	int32_t tid;       /* the thread that made it */
};

enum bb_fd_kind { BB_FD_UNKNOWN, BB_FD_KVM, BB_FD_VM, BB_FD_VCPU, BB_FD_DEVICE };
#define BB_TRACED 1u          /* an event of bootbench trace */
#define BB_TRACED_ARGS 2u     /* its arguments were read */
#define BB_TRACED_NO_ARGS 4u  /* they were not on the stack the kernel copied */

struct bb_event_log {
	struct bb_event *events;
	uint32_t capacity;
	_Atomic uint32_t next;
	_Atomic uint32_t dropped;
	int64_t t0; /* CLOCK_MONOTONIC_RAW at the iteration's start */
};

static inline int64_t bb_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int bb_event_log_init(struct bb_event_log *log, uint32_t capacity);
void bb_event_log_free(struct bb_event_log *log);
void bb_event_log_reset(struct bb_event_log *log, int64_t t0);
uint32_t bb_event_log_count(const struct bb_event_log *log);

/* A slot for one event, or NULL (counted as dropped) when the log is full. */
static inline struct bb_event *bb_event_log_reserve(struct bb_event_log *log)
{
	uint32_t i = atomic_fetch_add_explicit(&log->next, 1, memory_order_relaxed);
	if (i >= log->capacity) {
		atomic_fetch_add_explicit(&log->dropped, 1, memory_order_relaxed);
		return NULL;
	}
	return &log->events[i];
}

/* Short text for an event's arguments: "mmio addr=0xd0000050 len=4 datamatch=1". */
void bb_event_detail(const struct bb_event *e, char *buf, size_t len);

/* KVM exit reasons by name, for KVM_RUN events and error messages. */
const char *bb_exit_reason_name(uint32_t reason);

#endif
