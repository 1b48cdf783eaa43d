#include "offcpu.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "errorf.h"
#include "perf_ring.h"

/* Each CPU's ring: 2 MiB where there are few CPUs, less where there are
 * many (64 MiB in all at most), 256 KiB at least; a power of two pages.
 * An iteration of the qemu profile writes about 1 MiB of switches. */
#define RING_MAX_PAGES 512
#define RING_MIN_PAGES 64
#define RING_TOTAL_PAGES 16384
#define MAX_CPUS 1024
/* A switch-out takes the stack of its own sample, emitted just before it
 * on the same CPU: a sample older than this belongs to another switch
 * (its own switch record was lost). */
#define SAMPLE_TO_SWITCH_NS 100000
#define MAX_DEPTH 64    /* kernel frames kept per stack */
#define MAX_THREADS 1025 /* the main thread and up to 1024 vCPUs */
#define MAX_FOLLOWED 256 /* processes of a followed tree */

struct thread_state {
	int32_t tid;
	int32_t pending_stack; /* the stack of the last switch-out sample */
	uint64_t pending_ns;   /* and when it was taken */
	int64_t out_ns;        /* switched out since, or -1 */
	int32_t out_stack;
};

/* A record of ours, from any CPU's ring, to be put in time order. */
struct record {
	uint64_t time;
	uint32_t seq; /* ring order: a sample precedes its switch-out */
	uint32_t tid;
	uint32_t pid, ppid; /* of a fork */
	uint16_t type, misc;
	int32_t stack;
};

struct cpu_ring {
	int fd;
	void *ring;
};

struct bb_offcpu {
	struct cpu_ring cpus[MAX_CPUS];
	int ncpus;
	size_t page, ring_bytes;
	int32_t pid, main_tid;
	/* following a process tree (bb_offcpu_follow): its processes */
	bool following;
	int32_t followed[MAX_FOLLOWED];
	size_t nfollowed;
	struct record *rec;
	size_t nrec, rec_cap;
	/* this iteration */
	struct thread_state threads[MAX_THREADS];
	size_t nthreads;
	struct bb_offcpu_interval *iv;
	size_t niv, iv_cap;
	uint64_t lost;
	/* the run's stacks: frames in one pool, deduplicated by hash */
	uint64_t *frames;
	size_t nframes, frames_cap;
	size_t *stack_at, *stack_depth;
	size_t nstacks, stacks_cap;
	int32_t *table; /* open addressing: stack ids, -1 empty */
	size_t table_cap;
	_Alignas(8) uint8_t record[BB_PERF_RECORD_MAX]; /* one record (a u16 size: it always fits) */
};

static int read_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -99;
	if (f) {
		char text[32];
		if (fgets(text, sizeof(text), f)) {
			char *end;
			long l = strtol(text, &end, 10);
			if (end != text)
				v = (int)l;
		}
		fclose(f);
	}
	return v;
}

static void explain(int err, const char *what, char *reason, size_t len)
{
	int paranoid = read_int("/proc/sys/kernel/perf_event_paranoid");
	if ((err == EACCES || err == EPERM) && geteuid() != 0)
		bb_errorf(reason, len, "perf_event_paranoid=%d and not root: run as root or set kernel.perf_event_paranoid=0", paranoid);
	else if (err == EACCES || err == EPERM)
		bb_errorf(reason, len, "perf events refused (%s: %s, perf_event_paranoid=%d): lower kernel.perf_event_paranoid, or allow perf_event_open in the seccomp or LSM policy",
			  what, strerror(err), paranoid);
	else if (err == ENOENT || err == ENODEV || err == EOPNOTSUPP || err == ENOSYS)
		bb_errorf(reason, len, "this kernel has no perf events for context switches (%s: %s): build it with CONFIG_PERF_EVENTS", what,
			  strerror(err));
	else
		bb_errorf(reason, len, "%s failed: %s", what, strerror(err));
}

/* One context-switch event per CPU, for every task: a thread's own
 * event cannot follow the vCPU threads each iteration creates (an
 * inherited per-thread event cannot be mapped, and inherited children
 * on several CPUs writing one ring corrupt it), while a CPU's ring has
 * one writer. Our own threads are picked out when it is drained. */
struct bb_offcpu *bb_offcpu_open(char *reason, size_t len)
{
	struct bb_offcpu *o = calloc(1, sizeof(*o));
	if (!o) {
		bb_errorf(reason, len, "out of memory for the off-CPU buffers");
		return NULL;
	}
	o->page = (size_t)sysconf(_SC_PAGESIZE);
	o->pid = (int32_t)getpid();
	o->main_tid = (int32_t)syscall(SYS_gettid);
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	size_t pages = RING_MAX_PAGES;
	while (pages > RING_MIN_PAGES && pages * (size_t)(ncpus > 0 ? ncpus : 1) > RING_TOTAL_PAGES)
		pages /= 2;
	o->ring_bytes = pages * o->page;
	struct perf_event_attr cs = {
		.size = sizeof(cs), .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CONTEXT_SWITCHES,
		.sample_period = 1, .sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CALLCHAIN,
		.sample_id_all = 1, .use_clockid = 1, .clockid = CLOCK_MONOTONIC_RAW, .exclude_callchain_user = 1,
		.context_switch = 1, .task = 1, .disabled = 1,
	};
	for (long cpu = 0; cpu < ncpus && cpu < MAX_CPUS; cpu++) {
		int fd = (int)bb_perf_event_open(&cs, -1, (int)cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0 && (errno == ENODEV || errno == EINVAL) && o->ncpus > 0)
			continue; /* an offline CPU */
		if (fd < 0) {
			explain(errno, "perf_event_open(context switches with kernel callchains, per CPU)", reason, len);
			goto fail;
		}
		void *ring = mmap(NULL, o->page + o->ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (ring == MAP_FAILED) {
			explain(errno, "mmap of a perf ring", reason, len);
			close(fd);
			goto fail;
		}
		o->cpus[o->ncpus++] = (struct cpu_ring){ fd, ring };
	}
	o->iv_cap = 4096;
	o->iv = malloc(o->iv_cap * sizeof(*o->iv));
	o->rec_cap = 16384;
	o->rec = malloc(o->rec_cap * sizeof(*o->rec));
	o->table_cap = 1024;
	o->table = malloc(o->table_cap * sizeof(*o->table));
	if (!o->iv || !o->table || !o->rec) {
		bb_errorf(reason, len, "out of memory for the off-CPU buffers");
		goto fail;
	}
	memset(o->table, 0xff, o->table_cap * sizeof(*o->table));
	return o;
fail:
	bb_offcpu_free(o);
	return NULL;
}

void bb_offcpu_free(struct bb_offcpu *o)
{
	if (!o)
		return;
	for (int i = 0; i < o->ncpus; i++) {
		munmap(o->cpus[i].ring, o->page + o->ring_bytes);
		close(o->cpus[i].fd);
	}
	free(o->rec);
	free(o->iv);
	free(o->frames);
	free(o->stack_at);
	free(o->stack_depth);
	free(o->table);
	free(o);
}

void bb_offcpu_follow(struct bb_offcpu *o, int32_t pid)
{
	o->following = pid != 0;
	o->pid = pid ? pid : (int32_t)getpid();
	o->main_tid = pid ? pid : (int32_t)syscall(SYS_gettid);
}

int bb_offcpu_begin(struct bb_offcpu *o)
{
	o->nthreads = 1;
	o->threads[0] = (struct thread_state){ .tid = o->main_tid, .pending_stack = BB_OFFCPU_NO_STACK, .out_ns = -1 };
	o->nfollowed = 1;
	o->followed[0] = o->pid;
	o->niv = 0;
	o->nrec = 0;
	o->lost = 0;
	for (int i = 0; i < o->ncpus; i++)
		if (ioctl(o->cpus[i].fd, PERF_EVENT_IOC_ENABLE, 0) < 0)
			return -1;
	return 0;
}

static uint64_t hash_frames(const uint64_t *f, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a over the addresses */
	for (size_t i = 0; i < n; i++) {
		h ^= f[i];
		h *= 1099511628211ull;
	}
	return h;
}

static bool same_stack(const struct bb_offcpu *o, int32_t id, const uint64_t *f, size_t n)
{
	return o->stack_depth[id] == n && !memcmp(o->frames + o->stack_at[id], f, n * sizeof(*f));
}

static int grow_table(struct bb_offcpu *o)
{
	size_t cap = o->table_cap * 2;
	int32_t *t = malloc(cap * sizeof(*t));
	if (!t)
		return -1;
	memset(t, 0xff, cap * sizeof(*t));
	for (size_t id = 0; id < o->nstacks; id++) {
		size_t slot = hash_frames(o->frames + o->stack_at[id], o->stack_depth[id]) & (cap - 1);
		while (t[slot] >= 0)
			slot = (slot + 1) & (cap - 1);
		t[slot] = (int32_t)id;
	}
	free(o->table);
	o->table = t;
	o->table_cap = cap;
	return 0;
}

/* The id of this stack in the run's table, added if new. */
static int32_t intern(struct bb_offcpu *o, const uint64_t *f, size_t n)
{
	if (2 * (o->nstacks + 1) > o->table_cap && grow_table(o) < 0)
		return BB_OFFCPU_NO_STACK;
	size_t slot = hash_frames(f, n) & (o->table_cap - 1);
	for (; o->table[slot] >= 0; slot = (slot + 1) & (o->table_cap - 1))
		if (same_stack(o, o->table[slot], f, n))
			return o->table[slot];
	if (o->nframes + n > o->frames_cap) {
		size_t cap = o->frames_cap ? o->frames_cap * 2 : 4096;
		while (cap < o->nframes + n)
			cap *= 2;
		uint64_t *p = realloc(o->frames, cap * sizeof(*p));
		if (!p)
			return BB_OFFCPU_NO_STACK;
		o->frames = p;
		o->frames_cap = cap;
	}
	if (o->nstacks == o->stacks_cap) {
		size_t cap = o->stacks_cap ? o->stacks_cap * 2 : 256;
		size_t *a = realloc(o->stack_at, cap * sizeof(*a));
		if (!a)
			return BB_OFFCPU_NO_STACK;
		o->stack_at = a;
		size_t *d = realloc(o->stack_depth, cap * sizeof(*d));
		if (!d)
			return BB_OFFCPU_NO_STACK;
		o->stack_depth = d;
		o->stacks_cap = cap;
	}
	memcpy(o->frames + o->nframes, f, n * sizeof(*f));
	o->stack_at[o->nstacks] = o->nframes;
	o->stack_depth[o->nstacks] = n;
	o->nframes += n;
	o->table[slot] = (int32_t)o->nstacks;
	return (int32_t)o->nstacks++;
}

static struct thread_state *thread_of(struct bb_offcpu *o, uint32_t tid)
{
	for (size_t i = 0; i < o->nthreads; i++)
		if (o->threads[i].tid == (int32_t)tid)
			return &o->threads[i];
	return NULL;
}

static int add_interval(struct bb_offcpu *o, const struct thread_state *t, int64_t end_ns)
{
	if (o->niv == o->iv_cap) {
		size_t cap = o->iv_cap * 2;
		struct bb_offcpu_interval *p = realloc(o->iv, cap * sizeof(*p));
		if (!p)
			return -1;
		o->iv = p;
		o->iv_cap = cap;
	}
	size_t index = (size_t)(t - o->threads);
	o->iv[o->niv++] = (struct bb_offcpu_interval){
		.start_ns = t->out_ns, .end_ns = end_ns, .stack = t->out_stack, .tid = t->tid,
		.thread = index == 0 || o->following ? BB_THREAD_MAIN : (int16_t)(index - 1),
	};
	return 0;
}

/* The kernel's frames of a callchain: its context markers dropped. */
static size_t kernel_frames(const uint64_t *ips, uint64_t nr, uint64_t *out)
{
	size_t n = 0;
	for (uint64_t i = 0; i < nr && n < MAX_DEPTH; i++) {
		if (ips[i] >= (uint64_t)PERF_CONTEXT_MAX) {
			if (ips[i] != (uint64_t)PERF_CONTEXT_KERNEL)
				break; /* user frames follow: excluded anyway */
			continue;
		}
		out[n++] = ips[i];
	}
	return n;
}

static void keep(struct bb_offcpu *o, struct record r)
{
	if (o->nrec == o->rec_cap) {
		size_t cap = o->rec_cap * 2;
		struct record *p = realloc(o->rec, cap * sizeof(*p));
		if (!p) {
			o->lost++;
			return;
		}
		o->rec = p;
		o->rec_cap = cap;
	}
	r.seq = (uint32_t)o->nrec;
	o->rec[o->nrec++] = r;
}

static bool in_tree(const struct bb_offcpu *o, uint32_t pid)
{
	for (size_t i = 0; i < o->nfollowed; i++)
		if (o->followed[i] == (int32_t)pid)
			return true;
	return false;
}

/* Whether pid is ours: this process, or one of the followed tree (known
 * whole before the drain: see find_tree). */
static bool is_ours(const struct bb_offcpu *o, uint32_t pid)
{
	return o->following ? in_tree(o, pid) : (int32_t)pid == o->pid;
}

/* One record from a CPU's ring: ours are kept, with their stacks interned. */
static void collect(struct bb_offcpu *o, const struct perf_event_header *h)
{
	const uint8_t *p = (const uint8_t *)(h + 1), *end = (const uint8_t *)h + h->size;
	uint32_t pid, tid;
	uint64_t time;
	if (h->type == PERF_RECORD_SAMPLE) {
		/* { pid, tid } time { nr, ips[nr] } */
		uint64_t nr;
		if (p + 24 > end)
			return;
		memcpy(&pid, p, 4);
		memcpy(&tid, p + 4, 4);
		memcpy(&time, p + 8, 8);
		memcpy(&nr, p + 16, 8);
		if (!is_ours(o, pid) || p + 24 + nr * 8 > end)
			return;
		uint64_t ips[MAX_DEPTH + 8], frames[MAX_DEPTH];
		size_t take = nr < MAX_DEPTH + 8 ? (size_t)nr : MAX_DEPTH + 8;
		memcpy(ips, p + 24, take * 8);
		size_t n = kernel_frames(ips, take, frames);
		keep(o, (struct record){ .time = time, .tid = tid, .type = h->type,
					 .stack = n ? intern(o, frames, n) : BB_OFFCPU_NO_STACK });
	} else if (h->type == PERF_RECORD_SWITCH_CPU_WIDE) {
		/* { next_prev_pid, next_prev_tid } then sample_id { pid, tid } time */
		if (p + 24 > end)
			return;
		memcpy(&pid, p + 8, 4);
		memcpy(&tid, p + 12, 4);
		memcpy(&time, p + 16, 8);
		if (is_ours(o, pid))
			keep(o, (struct record){ .time = time, .tid = tid, .pid = pid, .type = h->type, .misc = h->misc });
	} else if (h->type == PERF_RECORD_FORK) {
		/* { pid, ppid, tid, ptid, time } */
		uint32_t ppid;
		if (p + 24 > end)
			return;
		memcpy(&pid, p, 4);
		memcpy(&ppid, p + 4, 4);
		memcpy(&tid, p + 8, 4);
		memcpy(&time, p + 16, 8);
		/* following, every fork: find_tree needs them all, and the
		 * replay keeps the tree's */
		if (o->following || ((int32_t)pid == o->pid && (int32_t)tid != o->pid))
			keep(o, (struct record){ .time = time, .tid = tid, .pid = pid, .ppid = ppid, .type = h->type });
	} else if (h->type == PERF_RECORD_LOST && p + 16 <= end) {
		uint64_t lost;
		memcpy(&lost, p + 8, 8);
		o->lost += lost;
	}
}

static int by_time(const void *x, const void *y)
{
	const struct record *a = x, *b = y;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The records in time order: intervals, each with the stack its
 * switch-out was sampled with. */
static void replay(struct bb_offcpu *o)
{
	qsort(o->rec, o->nrec, sizeof(*o->rec), by_time);
	for (size_t i = 0; i < o->nrec; i++) {
		const struct record *r = &o->rec[i];
		if (r->type == PERF_RECORD_FORK && o->following) {
			/* a thread, or a process's first thread, of the tree */
			if (in_tree(o, r->pid) && o->nthreads < MAX_THREADS)
				o->threads[o->nthreads++] = (struct thread_state){ .tid = (int32_t)r->tid,
										   .pending_stack = BB_OFFCPU_NO_STACK,
										   .out_ns = -1 };
			continue;
		}
		if (r->type == PERF_RECORD_FORK) {
			/* the iteration's k-th new thread is vCPU k: bb_vcpus_start
			 * creates them in order, and nothing else makes threads */
			if (o->nthreads < MAX_THREADS)
				o->threads[o->nthreads++] = (struct thread_state){ .tid = (int32_t)r->tid,
										   .pending_stack = BB_OFFCPU_NO_STACK,
										   .out_ns = -1 };
			continue;
		}
		struct thread_state *t = thread_of(o, r->tid);
		if (!t)
			continue;
		if (r->type == PERF_RECORD_SAMPLE) {
			t->pending_stack = r->stack;
			t->pending_ns = r->time;
		} else if (r->misc & PERF_RECORD_MISC_SWITCH_OUT) {
			t->out_ns = (int64_t)r->time;
			t->out_stack = r->time - t->pending_ns <= SAMPLE_TO_SWITCH_NS ? t->pending_stack : BB_OFFCPU_NO_STACK;
			t->pending_stack = BB_OFFCPU_NO_STACK;
		} else if (t->out_ns >= 0) {
			if (add_interval(o, t, (int64_t)r->time) < 0)
				o->lost++;
			t->out_ns = -1;
		}
	}
}

static void walk(struct bb_offcpu *o, const struct cpu_ring *c, bool consume,
		 void (*fn)(void *o, const struct perf_event_header *h))
{
	bb_perf_ring_walk(c->ring, o->page, o->ring_bytes, o->record, consume, fn, o);
}

static void collect_fork(void *o, const struct perf_event_header *h)
{
	if (h->type == PERF_RECORD_FORK)
		collect(o, h);
}

static void collect_any(void *o, const struct perf_event_header *h)
{
	collect(o, h);
}

/* The followed tree, from every CPU's fork records in time order, so a
 * child's own records are known to be ours when the rings are drained. */
static void find_tree(struct bb_offcpu *o)
{
	for (int i = 0; i < o->ncpus; i++)
		walk(o, &o->cpus[i], false, collect_fork);
	qsort(o->rec, o->nrec, sizeof(*o->rec), by_time);
	for (size_t i = 0; i < o->nrec; i++) {
		const struct record *r = &o->rec[i];
		if (r->pid == r->tid && in_tree(o, r->ppid) && !in_tree(o, r->pid) && o->nfollowed < MAX_FOLLOWED)
			o->followed[o->nfollowed++] = (int32_t)r->pid;
	}
	o->nrec = 0;
}

int bb_offcpu_end(struct bb_offcpu *o, const struct bb_offcpu_interval **iv, size_t *n, uint64_t *lost)
{
	int rc = 0;
	for (int i = 0; i < o->ncpus; i++)
		rc |= ioctl(o->cpus[i].fd, PERF_EVENT_IOC_DISABLE, 0);
	if (o->following)
		find_tree(o);
	for (int i = 0; i < o->ncpus; i++)
		walk(o, &o->cpus[i], true, collect_any);
	replay(o);
	*iv = o->iv;
	*n = o->niv;
	*lost = o->lost;
	return rc < 0 ? -1 : 0;
}

size_t bb_offcpu_nstacks(const struct bb_offcpu *o)
{
	return o->nstacks;
}

const uint64_t *bb_offcpu_stack(const struct bb_offcpu *o, size_t id, size_t *depth)
{
	*depth = o->stack_depth[id];
	return o->frames + o->stack_at[id];
}
