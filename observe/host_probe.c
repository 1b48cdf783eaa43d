#include "host_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "errorf.h"
#include "kallsyms.h"
#include "offcpu.h"
#include "kvm_device.h"
#include "kvm_ioctl.h"
#include "kvm_requests.h"

#define SLOT_BYTES (2u << 20)

static int set_slot(struct bb_event_log *log, int vm_fd, uint32_t slot, uint64_t gpa, void *host,
		    char *err, size_t errlen)
{
	struct kvm_userspace_memory_region r = { .slot = slot, .guest_phys_addr = gpa,
						 .memory_size = SLOT_BYTES, .userspace_addr = (uintptr_t)host };
	struct bb_kvm_req req = bb_req_set_user_memory_region(&r);
	if (__bb_ioctl(log, BB_THREAD_MAIN, vm_fd, req, NULL) < 0) {
		bb_call_failure(err, errlen, bb_req_call(req, BB_THREAD_MAIN), errno);
		return -1;
	}
	return 0;
}

/* One bare VM: slot 0, then regs registrations (0 for the control), then
 * slot 1: the timed update. */
static int probe_vm(int kvm_fd, struct bb_event_log *log, uint8_t *mem, const int *efds, uint32_t regs,
		    char *err, size_t errlen)
{
	int rc = -1;
	int vm_fd = (int)__bb_ioctl(NULL, BB_THREAD_MAIN, kvm_fd, bb_req_create_vm(0), NULL);
	if (vm_fd < 0) {
		bb_errorf(err, errlen, "KVM_CREATE_VM(type=0) failed: %s", strerror(errno));
		return -1;
	}
	if (set_slot(log, vm_fd, 0, 0, mem, err, errlen) < 0)
		goto out;
	for (uint32_t i = 0; i < regs; i++) {
		struct kvm_ioeventfd io = { .addr = 0xd0000050ull + i * 0x1000ull, .len = 4, .datamatch = 0,
					    .fd = efds[i], .flags = KVM_IOEVENTFD_FLAG_DATAMATCH };
		struct bb_kvm_req req = bb_req_ioeventfd(&io);
		if (__bb_ioctl(log, BB_THREAD_MAIN, vm_fd, req, NULL) < 0) {
			bb_call_failure(err, errlen, bb_req_call(req, BB_THREAD_MAIN), errno);
			goto out;
		}
	}
	rc = set_slot(log, vm_fd, 1, 0x100000000ull, mem + SLOT_BYTES, err, errlen);
out:
	close(vm_fd);
	return rc;
}

/* The stack the treated updates blocked in most often, symbolized. */
static void name_stack(struct bb_host_probe *out, const struct bb_offcpu *oc, const int32_t *stack_of, uint32_t vms)
{
	int32_t best = BB_OFFCPU_NO_STACK;
	uint32_t best_n = 0;
	for (uint32_t i = 0; i < vms; i++) {
		uint32_t n = 0;
		for (uint32_t j = 0; j < vms; j++)
			n += stack_of[j] == stack_of[i];
		if (stack_of[i] >= 0 && n > best_n) {
			best = stack_of[i];
			best_n = n;
		}
	}
	if (best < 0)
		return;
	size_t depth;
	const uint64_t *ips = bb_offcpu_stack(oc, (size_t)best, &depth);
	struct bb_kallsyms *k = bb_kallsyms_load("/proc/kallsyms", out->offcpu_note, sizeof(out->offcpu_note));
	out->memslot_frames = calloc(depth ? depth : 1, sizeof(char *));
	for (size_t f = 0; out->memslot_frames && f < depth; f++) {
		char raw[24];
		out->memslot_frames[f] = strdup(bb_kallsyms_frame(k, ips[f], raw, sizeof(raw)));
		out->memslot_depth = f + 1;
	}
	bb_kallsyms_free(k);
}

int bb_host_probe_run(struct bb_host_probe *out, uint32_t vms, uint32_t regs, char *err, size_t errlen)
{
	struct bb_event_log log;
	int rc = -1;
	int *efds = calloc(regs, sizeof(int));
	double *io = malloc((size_t)vms * regs * sizeof(double));
	double *control = malloc(vms * sizeof(double)), *after = malloc(vms * sizeof(double));
	double *offcpu_ns = calloc(vms, sizeof(double));
	int32_t *stack_of = malloc(vms * sizeof(int32_t));
	for (uint32_t i = 0; stack_of && i < vms; i++)
		stack_of[i] = BB_OFFCPU_NO_STACK;
	char note[512] = "";
	struct bb_offcpu *oc = bb_offcpu_open(note, sizeof(note));
	uint8_t *mem = mmap(NULL, (size_t)2 * SLOT_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int kvm_fd = open(bb_kvm_device_path(), O_RDWR | O_CLOEXEC);

	memset(out, 0, sizeof(*out));
	if (kvm_fd < 0) {
		bb_kvm_open_error(err, errlen, errno);
		goto free;
	}
	if (!efds || !io || !control || !after || !offcpu_ns || !stack_of || mem == MAP_FAILED ||
	    bb_event_log_init(&log, regs + 8) < 0) {
		bb_errorf(err, errlen, "out of memory for the host probe");
		goto free;
	}
	for (uint32_t i = 0; i < regs; i++)
		efds[i] = -1;
	for (uint32_t i = 0; i < regs; i++) {
		efds[i] = eventfd(0, EFD_CLOEXEC);
		if (efds[i] < 0) {
			bb_errorf(err, errlen, "eventfd failed: %s", strerror(errno));
			goto done;
		}
	}
	size_t n_io = 0;
	for (uint32_t v = 0; v < 2 * vms; v++) {
		/* control and treated VMs alternate */
		bool treated = v % 2 == 1;
		bool capture = oc && treated && bb_offcpu_begin(oc) == 0;
		bb_event_log_reset(&log, bb_now_ns());
		if (probe_vm(kvm_fd, &log, mem, efds, treated ? regs : 0, err, errlen) < 0)
			goto done;
		const struct bb_offcpu_interval *iv = NULL;
		size_t niv = 0;
		uint64_t lost;
		if (capture && bb_offcpu_end(oc, &iv, &niv, &lost) < 0)
			niv = 0;
		uint32_t n = bb_event_log_count(&log);
		bb_offcpu_assign(iv, niv, log.events, n, log.t0);
		for (uint32_t e = 0; e < n; e++) {
			const struct bb_event *ev = &log.events[e];
			if (ev->op == BB_OP_IOEVENTFD)
				io[n_io++] = (double)ev->duration_ns;
			else if (ev->op == BB_OP_SET_USER_MEMORY_REGION && ev->arg[0] == 1)
				(treated ? after : control)[v / 2] = (double)ev->duration_ns;
			if (treated && ev->op == BB_OP_SET_USER_MEMORY_REGION && ev->arg[0] == 1) {
				offcpu_ns[v / 2] = (double)ev->offcpu_ns;
				stack_of[v / 2] = ev->stack;
			}
		}
	}
	*out = (struct bb_host_probe){
		.vms = vms,
		.registrations = regs,
		.ioeventfd_ns = io,
		.n_ioeventfd = n_io,
		.memslot_control_ns = control,
		.memslot_after_ns = after,
		.memslot_offcpu_ns = oc ? offcpu_ns : NULL,
		.n_memslot_offcpu = oc ? vms : 0,
	};
	if (oc)
		name_stack(out, oc, stack_of, vms);
	else
		snprintf(out->offcpu_note, sizeof(out->offcpu_note), "%s", note);
	if (oc)
		offcpu_ns = NULL;
	io = control = after = NULL; /* the caller's now */
	rc = 0;
done:
	for (uint32_t i = 0; i < regs; i++)
		if (efds[i] >= 0)
			close(efds[i]);
	bb_event_log_free(&log);
free:
	if (kvm_fd >= 0)
		close(kvm_fd);
	if (mem != MAP_FAILED)
		munmap(mem, (size_t)2 * SLOT_BYTES);
	free(efds);
	free(io);
	free(control);
	free(after);
	free(offcpu_ns);
	free(stack_of);
	bb_offcpu_free(oc);
	return rc;
}

void bb_host_probe_free(struct bb_host_probe *p)
{
	free(p->ioeventfd_ns);
	free(p->memslot_control_ns);
	free(p->memslot_offcpu_ns);
	for (size_t i = 0; i < p->memslot_depth; i++)
		free(p->memslot_frames[i]);
	free(p->memslot_frames);
	free(p->memslot_after_ns);
	*p = (struct bb_host_probe){ 0 };
}
