#include "ioctl_trace.h"

#include <asm/perf_regs.h>
#include <errno.h>
#include <linux/kvm.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "errorf.h"
#include "perf_ring.h"
#include "trace_requests.h"

#if defined(__x86_64__)
#define USER_SP_REG PERF_REG_X86_SP
#elif defined(__aarch64__)
#define USER_SP_REG PERF_REG_ARM64_SP
#endif

/* Bytes of the caller's stack copied at each call other than KVM_RUN:
 * enough for a VMM's locals a frame or two up (QEMU's and Firecracker's
 * ioctl structs are locals of the caller of their ioctl wrapper). */
#define STACK_BYTES 1024
#define MAX_CPUS 1024
#define MAX_TREE 256
#define MAX_FDS 4096

enum ring_kind { RING_CALL, RING_RUN, RING_EXIT, RING_KINDS };

struct ring {
	int fd;
	void *base;
	size_t bytes;
};

enum rec_kind { REC_ENTER, REC_EXIT };

struct rec {
	uint64_t time;
	uint32_t pid, tid;
	uint32_t seq;
	uint8_t kind;
	uint64_t fd, cmd, arg;
	int64_t ret;
	struct bb_traced_call call;
};

struct fd_state {
	int32_t pid;
	int32_t fd;
	uint8_t kind;
	int16_t vcpu;
};

struct thread_vcpu {
	int32_t tid;
	int16_t vcpu;
};

struct bb_ioctl_trace {
	struct ring rings[MAX_CPUS][RING_KINDS];
	int ncpus;
	size_t page;
	int32_t tree[MAX_TREE];
	size_t ntree;
	struct rec *recs;
	size_t nrec, rec_cap;
	uint64_t lost;
	uint32_t seq;
	struct fd_state *fds;
	size_t nfds;
	struct thread_vcpu *threads;
	size_t nthreads, threads_cap;
	uint64_t first_run; /* the tree's first KVM_RUN entry drained, or 0 */
	_Alignas(8) uint8_t record[BB_PERF_RECORD_MAX];
};

/* A tracepoint's id from tracefs, mounted here if no one has (as root). */
static int tracepoint_id(const char *name, char *reason, size_t len)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	bool denied = false;
	for (int attempt = 0; attempt < 2; attempt++) {
		for (size_t i = 0; i < 2; i++) {
			char path[160];
			snprintf(path, sizeof(path), "%s/events/syscalls/%s/id", roots[i], name);
			FILE *f = fopen(path, "r");
			if (!f) {
				denied |= errno == EACCES || errno == EPERM;
				continue;
			}
			char text[32];
			long id = -1;
			if (fgets(text, sizeof(text), f)) {
				char *end;
				id = strtol(text, &end, 10);
				if (end == text)
					id = -1;
			}
			fclose(f);
			if (id >= 0 && id < INT32_MAX)
				return (int)id;
		}
		if (denied || (attempt == 0 && mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0 && errno != EBUSY))
			break;
	}
	if (denied || geteuid() != 0) {
		bb_errorf(reason, len,
			  "perf events for syscall tracepoints are not permitted: tracefs (%s) cannot be read: run as root, or give bootbench CAP_PERFMON and read access to tracefs, with kernel.perf_event_paranoid=-1",
			  roots[0]);
		return -1;
	}
	bb_errorf(reason, len,
		  "no syscall tracepoint %s in tracefs: mount it (mount -t tracefs nodev /sys/kernel/tracing, as root) on a kernel built with CONFIG_FTRACE_SYSCALLS",
		  name);
	return -1;
}

static void explain(int err, const char *what, char *reason, size_t len)
{
	if (err == EACCES || err == EPERM)
		bb_errorf(reason, len, "perf events refused (%s: %s): run as root, or give bootbench CAP_PERFMON (setcap cap_perfmon+ep) and set kernel.perf_event_paranoid=-1",
			  what, strerror(err));
	else
		bb_errorf(reason, len, "%s failed: %s", what, strerror(err));
}

static int open_ring(struct bb_ioctl_trace *t, struct ring *r, struct perf_event_attr *attr, int cpu, size_t pages,
		     const char *filter, char *reason, size_t len)
{
	r->fd = (int)bb_perf_event_open(attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (r->fd < 0) {
		explain(errno, "perf_event_open(a syscall tracepoint, per CPU)", reason, len);
		return -1;
	}
	if (filter && ioctl(r->fd, PERF_EVENT_IOC_SET_FILTER, filter) < 0) {
		explain(errno, "setting a tracepoint filter", reason, len);
		return -1;
	}
	r->bytes = pages * t->page;
	r->base = mmap(NULL, t->page + r->bytes, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->base == MAP_FAILED) {
		r->base = NULL;
		explain(errno, "mmap of a perf ring", reason, len);
		return -1;
	}
	return 0;
}

struct bb_ioctl_trace *bb_ioctl_trace_open(char *reason, size_t len)
{
	int enter = tracepoint_id("sys_enter_ioctl", reason, len);
	int exit_id = enter < 0 ? -1 : tracepoint_id("sys_exit_ioctl", reason, len);
	if (exit_id < 0)
		return NULL;
	struct bb_ioctl_trace *t = calloc(1, sizeof(*t));
	if (!t) {
		bb_errorf(reason, len, "out of memory for the trace buffers");
		return NULL;
	}
	t->page = (size_t)sysconf(_SC_PAGESIZE);
	for (int c = 0; c < MAX_CPUS; c++)
		for (int k = 0; k < RING_KINDS; k++)
			t->rings[c][k].fd = -1;
	struct perf_event_attr base = {
		.size = sizeof(base), .type = PERF_TYPE_TRACEPOINT, .sample_period = 1,
		.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW,
		.use_clockid = 1, .clockid = CLOCK_MONOTONIC_RAW, .disabled = 1, .sample_id_all = 1,
	};
	struct perf_event_attr call = base, run = base, done = base;
	call.config = (uint64_t)enter;
	call.sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	call.sample_regs_user = 1ull << USER_SP_REG;
	call.sample_stack_user = STACK_BYTES;
	call.task = 1; /* fork records: the tree */
	run.config = (uint64_t)enter;
	done.config = (uint64_t)exit_id;
	char run_filter[32], call_filter[32];
	snprintf(run_filter, sizeof(run_filter), "cmd == %lu", (unsigned long)KVM_RUN);
	snprintf(call_filter, sizeof(call_filter), "cmd != %lu", (unsigned long)KVM_RUN);
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	/* 4 MiB of calls a CPU where there are few, 512 KiB at least */
	size_t call_pages = (4u << 20) / t->page, small_pages = (1u << 20) / t->page;
	while (call_pages > (512u << 10) / t->page && call_pages * (size_t)ncpus > (64u << 20) / t->page) {
		call_pages /= 2;
		small_pages = call_pages / 2;
	}
	for (long cpu = 0; cpu < ncpus && cpu < MAX_CPUS; cpu++) {
		struct ring *r = t->rings[t->ncpus];
		if (open_ring(t, &r[RING_CALL], &call, (int)cpu, call_pages, call_filter, reason, len) < 0) {
			if (t->ncpus > 0 && (errno == ENODEV || errno == EINVAL)) {
				if (r[RING_CALL].fd >= 0)
					close(r[RING_CALL].fd);
				r[RING_CALL].fd = -1;
				continue; /* an offline CPU */
			}
			goto fail;
		}
		if (open_ring(t, &r[RING_RUN], &run, (int)cpu, small_pages, run_filter, reason, len) < 0 ||
		    open_ring(t, &r[RING_EXIT], &done, (int)cpu, small_pages, NULL, reason, len) < 0)
			goto fail;
		t->ncpus++;
	}
	t->rec_cap = 4096;
	t->recs = malloc(t->rec_cap * sizeof(*t->recs));
	t->fds = malloc(MAX_FDS * sizeof(*t->fds));
	if (!t->recs || !t->fds) {
		bb_errorf(reason, len, "out of memory for the trace buffers");
		goto fail;
	}
	return t;
fail:
	bb_ioctl_trace_free(t);
	return NULL;
}

void bb_ioctl_trace_free(struct bb_ioctl_trace *t)
{
	if (!t)
		return;
	for (int c = 0; c <= t->ncpus && c < MAX_CPUS; c++) {
		for (int k = 0; k < RING_KINDS; k++) {
			struct ring *r = &t->rings[c][k];
			if (r->base)
				munmap(r->base, t->page + r->bytes);
			if (r->fd >= 0)
				close(r->fd);
		}
	}
	free(t->recs);
	free(t->fds);
	free(t->threads);
	free(t);
}

static bool in_tree(const struct bb_ioctl_trace *t, uint32_t pid)
{
	for (size_t i = 0; i < t->ntree; i++)
		if (t->tree[i] == (int32_t)pid)
			return true;
	return false;
}

static int set_enabled(struct bb_ioctl_trace *t, unsigned long request)
{
	int rc = 0;
	for (int c = 0; c < t->ncpus; c++)
		for (int k = 0; k < RING_KINDS; k++)
			rc |= ioctl(t->rings[c][k].fd, request, 0);
	return rc < 0 ? -1 : 0;
}

int bb_ioctl_trace_begin(struct bb_ioctl_trace *t, int32_t root)
{
	t->tree[0] = root;
	t->ntree = 1;
	t->nrec = 0;
	t->lost = 0;
	t->seq = 0;
	t->nfds = 0;
	t->nthreads = 0;
	t->first_run = 0;
	return set_enabled(t, PERF_EVENT_IOC_ENABLE);
}

static void keep(struct bb_ioctl_trace *t, const struct rec *r)
{
	if (t->nrec == t->rec_cap) {
		size_t cap = t->rec_cap * 2;
		struct rec *p = realloc(t->recs, cap * sizeof(*p));
		if (!p) {
			t->lost++;
			return;
		}
		t->recs = p;
		t->rec_cap = cap;
	}
	t->recs[t->nrec] = *r;
	t->recs[t->nrec++].seq = t->seq++;
}

/* A sample: { pid, tid } time { raw size, raw } then, for calls,
 * { regs abi, sp } { stack size, bytes, dyn size }. */
static void parse_sample(struct bb_ioctl_trace *t, enum ring_kind kind, const uint8_t *p, const uint8_t *end)
{
	uint32_t pid, tid, raw_size;
	struct rec r = { 0 };
	if (p + 20 > end)
		return;
	memcpy(&pid, p, 4);
	memcpy(&tid, p + 4, 4);
	memcpy(&r.time, p + 8, 8);
	memcpy(&raw_size, p + 16, 4);
	if (!in_tree(t, pid))
		return;
	const uint8_t *raw = p + 20;
	if (raw + raw_size > end || raw_size < 24)
		return;
	r.pid = pid;
	r.tid = tid;
	if (kind == RING_EXIT) {
		r.kind = REC_EXIT;
		memcpy(&r.ret, raw + 16, 8);
		keep(t, &r);
		return;
	}
	if (raw_size < 40)
		return;
	r.kind = REC_ENTER;
	memcpy(&r.fd, raw + 16, 8);
	memcpy(&r.cmd, raw + 24, 8);
	/* the kernel takes an unsigned int; a VMM that passes an int (QEMU
	 * does) has it sign-extended in the syscall's 64-bit slot */
	r.cmd &= 0xffffffffu;
	memcpy(&r.arg, raw + 32, 8);
	if (!bb_trace_is_kvm_request(r.cmd))
		return;
	const uint8_t *stack = NULL;
	uint64_t sp = 0, stack_size = 0, dyn = 0;
	if (kind == RING_CALL) {
		const uint8_t *q = raw + raw_size, *bytes;
		uint64_t abi;
		if (q + 8 > end)
			return;
		memcpy(&abi, q, 8);
		q += 8;
		if (abi != PERF_SAMPLE_REGS_ABI_NONE) {
			if (q + 8 > end)
				return;
			memcpy(&sp, q, 8);
			q += 8;
		}
		if (q + 8 > end)
			return;
		memcpy(&stack_size, q, 8);
		bytes = q + 8;
		if (stack_size && bytes + stack_size + 8 <= end) {
			memcpy(&dyn, bytes + stack_size, 8);
			if (abi != PERF_SAMPLE_REGS_ABI_NONE && dyn <= stack_size)
				stack = bytes;
		}
	}
	r.call = bb_trace_decode(r.cmd, r.arg, stack, stack ? (size_t)dyn : 0, sp);
	if (kind == RING_RUN && (!t->first_run || r.time < t->first_run))
		t->first_run = r.time;
	keep(t, &r);
}

static void add_to_tree(struct bb_ioctl_trace *t, const struct perf_event_header *h)
{
	/* { pid, ppid, tid, ptid, time } */
	const uint8_t *p = (const uint8_t *)(h + 1);
	uint32_t pid, ppid, tid;
	if (h->size < sizeof(*h) + 24)
		return;
	memcpy(&pid, p, 4);
	memcpy(&ppid, p + 4, 4);
	memcpy(&tid, p + 8, 4);
	if (pid == tid && in_tree(t, ppid) && !in_tree(t, pid) && t->ntree < MAX_TREE)
		t->tree[t->ntree++] = (int32_t)pid;
}

static void fork_record(void *arg, const struct perf_event_header *h)
{
	if (h->type == PERF_RECORD_FORK)
		add_to_tree(arg, h);
}

/* One ring's kind, for drain_record to parse its samples by. */
struct drain {
	struct bb_ioctl_trace *t;
	enum ring_kind kind;
};

static void drain_record(void *arg, const struct perf_event_header *h)
{
	const struct drain *d = arg;
	const uint8_t *end = (const uint8_t *)h + h->size;
	if (h->type == PERF_RECORD_SAMPLE) {
		parse_sample(d->t, d->kind, (const uint8_t *)(h + 1), end);
	} else if (h->type == PERF_RECORD_LOST && h->size >= sizeof(*h) + 16) {
		uint64_t lost;
		memcpy(&lost, (const uint8_t *)(h + 1) + 8, 8);
		d->t->lost += lost;
	}
}

void bb_ioctl_trace_poll(struct bb_ioctl_trace *t)
{
	/* the forks first (they are only in the call rings), so a new
	 * process's calls drained in this round are known to be ours */
	for (int c = 0; c < t->ncpus; c++) {
		const struct ring *r = &t->rings[c][RING_CALL];
		bb_perf_ring_walk(r->base, t->page, r->bytes, t->record, false, fork_record, t);
	}
	for (int c = 0; c < t->ncpus; c++) {
		for (int k = 0; k < RING_KINDS; k++) {
			const struct ring *r = &t->rings[c][k];
			struct drain d = { t, (enum ring_kind)k };
			bb_perf_ring_walk(r->base, t->page, r->bytes, t->record, true, drain_record, &d);
		}
	}
}

static int by_time(const void *x, const void *y)
{
	const struct rec *a = x, *b = y;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind == REC_ENTER ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static struct fd_state *fd_of(struct bb_ioctl_trace *t, uint32_t pid, uint64_t fd)
{
	for (size_t i = t->nfds; i-- > 0;)
		if (t->fds[i].pid == (int32_t)pid && t->fds[i].fd == (int32_t)fd)
			return &t->fds[i];
	if (t->nfds == MAX_FDS)
		return NULL;
	t->fds[t->nfds] = (struct fd_state){ .pid = (int32_t)pid, .fd = (int32_t)fd, .kind = BB_FD_UNKNOWN, .vcpu = -1 };
	return &t->fds[t->nfds++];
}

static void set_thread(struct bb_ioctl_trace *t, int32_t tid, int16_t vcpu)
{
	for (size_t i = 0; i < t->nthreads; i++)
		if (t->threads[i].tid == tid)
			return;
	if (t->nthreads == t->threads_cap) {
		size_t cap = t->threads_cap ? 2 * t->threads_cap : 64;
		struct thread_vcpu *p = realloc(t->threads, cap * sizeof(*p));
		if (!p)
			return;
		t->threads = p;
		t->threads_cap = cap;
	}
	t->threads[t->nthreads++] = (struct thread_vcpu){ tid, vcpu };
}

bool bb_ioctl_trace_first_run(const struct bb_ioctl_trace *t, int64_t *time)
{
	*time = (int64_t)t->first_run;
	return t->first_run != 0;
}

int16_t bb_ioctl_trace_thread(const struct bb_ioctl_trace *t, int32_t tid)
{
	for (size_t i = 0; i < t->nthreads; i++)
		if (t->threads[i].tid == tid)
			return t->threads[i].vcpu;
	return BB_THREAD_MAIN;
}

/* A vCPU request whose shown arguments begin with the vCPU, which the fd
 * says: all of them (true), or the vCPU and more from the stack (false). */
static bool shows_only_vcpu(enum bb_op op, bool *first)
{
	switch (op) {
	case BB_OP_SET_CPUID2: case BB_OP_GET_REGS: case BB_OP_GET_SREGS: case BB_OP_SET_SREGS:
	case BB_OP_SET_REGS: case BB_OP_ARM_VCPU_INIT:
		*first = true;
		return true;
	case BB_OP_SET_MP_STATE: case BB_OP_GET_ONE_REG: case BB_OP_SET_ONE_REG:
		*first = true;
		return false;
	default:
		*first = false;
		return false;
	}
}

/* What the call says about its fd and the fds it made. */
static void learn_fds(struct bb_ioctl_trace *t, const struct rec *enter, int64_t ret, struct fd_state *fd)
{
	enum bb_op op = enter->call.op;
	if (enter->call.on_kvm_fd)
		fd->kind = BB_FD_KVM;
	else if (op == BB_OP_SET_DEVICE_ATTR && fd->kind == BB_FD_UNKNOWN)
		fd->kind = BB_FD_DEVICE;
	else if (fd->kind == BB_FD_UNKNOWN && op != BB_OP_RUN && op != BB_OP_OTHER && op != BB_OP_CHECK_EXTENSION &&
		 (op == BB_OP_SET_USER_MEMORY_REGION || op == BB_OP_CREATE_VCPU || op == BB_OP_IOEVENTFD ||
		  op == BB_OP_IRQFD || op == BB_OP_IRQFD_DEASSIGN || op == BB_OP_CREATE_IRQCHIP || op == BB_OP_CREATE_DEVICE))
		fd->kind = BB_FD_VM;
	if (ret < 0)
		return;
	if (op == BB_OP_CREATE_VM) {
		struct fd_state *vm = fd_of(t, enter->pid, (uint64_t)ret);
		if (vm)
			*vm = (struct fd_state){ .pid = (int32_t)enter->pid, .fd = (int32_t)ret, .kind = BB_FD_VM, .vcpu = -1 };
	} else if (op == BB_OP_CREATE_VCPU) {
		struct fd_state *vcpu = fd_of(t, enter->pid, (uint64_t)ret);
		if (vcpu)
			*vcpu = (struct fd_state){ .pid = (int32_t)enter->pid, .fd = (int32_t)ret, .kind = BB_FD_VCPU,
						   .vcpu = (int16_t)enter->arg };
	}
}

int bb_ioctl_trace_end(struct bb_ioctl_trace *t, struct bb_event_log *log, struct bb_trace_facts *f)
{
	int rc = set_enabled(t, PERF_EVENT_IOC_DISABLE);
	bb_ioctl_trace_poll(t);
	qsort(t->recs, t->nrec, sizeof(*t->recs), by_time);
	*f = (struct bb_trace_facts){ .lost = t->lost, .processes = (uint32_t)t->ntree,
				      .first_run_ns = t->first_run ? (int64_t)t->first_run - log->t0 : -1 };

	/* each thread's open call: its enter record, or none */
	struct pending {
		uint32_t tid;
		size_t at;
	} *open = calloc(t->nrec ? t->nrec : 1, sizeof(*open));
	size_t nopen = 0;
	if (!open)
		return -1;
	/* first the fds (and with them which thread runs which vCPU), then the events */
	for (int pass = 0; pass < 2; pass++) {
		nopen = 0;
		t->nfds = 0;
		for (size_t i = 0; i < t->nrec; i++) {
			const struct rec *r = &t->recs[i];
			size_t k = 0;
			while (k < nopen && open[k].tid != r->tid)
				k++;
			if (r->kind == REC_ENTER) {
				/* a thread is in one syscall at a time: an enter with no
				 * exit before the next lost its exit */
				if (k == nopen)
					nopen++;
				open[k] = (struct pending){ r->tid, i };
				continue;
			}
			if (k == nopen)
				continue; /* the exit of an ioctl that was not KVM's */
			const struct rec *in = &t->recs[open[k].at];
			open[k] = open[--nopen];
			struct fd_state *fd = fd_of(t, in->pid, in->fd);
			if (!fd)
				continue;
			uint8_t kind = fd->kind;
			int16_t vcpu = fd->vcpu;
			learn_fds(t, in, r->ret, fd);
			if (kind == BB_FD_UNKNOWN)
				kind = fd->kind;
			if (pass == 0) {
				if (in->call.op == BB_OP_RUN && fd->kind == BB_FD_VCPU)
					set_thread(t, (int32_t)in->tid, fd->vcpu);
				continue;
			}
			struct bb_traced_call call = in->call;
			bool vcpu_first;
			bool only_vcpu = shows_only_vcpu(call.op, &vcpu_first);
			if (vcpu_first && kind == BB_FD_VCPU) {
				call.shown[0] = (uint64_t)vcpu;
				if (only_vcpu) {
					call.args_read = true;
					call.struct_unread = false;
				}
			}
			struct bb_event *e = bb_event_log_reserve(log);
			if (!e)
				continue;
			int64_t start = (int64_t)in->time - log->t0;
			*e = (struct bb_event){
				.start_ns = start,
				.duration_ns = (int64_t)(r->time - in->time),
				.arg = { call.shown[0], call.shown[1], call.shown[2] },
				.result = (int32_t)r->ret,
				.op = (uint16_t)in->call.op,
				.thread = bb_ioctl_trace_thread(t, (int32_t)in->tid),
				.stack = -1,
				.fd_kind = kind,
				.fd_vcpu = vcpu,
				.tid = (int32_t)in->tid,
				.traced = BB_TRACED | (call.args_read ? BB_TRACED_ARGS : 0) |
					  (call.struct_unread ? BB_TRACED_NO_ARGS : 0),
			};
			f->calls++;
			if (in->call.op == BB_OP_CREATE_VCPU && r->ret >= 0)
				f->vcpus++;
		}
	}
	f->unfinished = (uint32_t)nopen;
	free(open);
	return rc;
}
