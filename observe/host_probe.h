/* How this host's KVM behaves, measured on bare VMs (no vCPUs): the cost of
 * one ioeventfd registration, and of the same memslot update (slot 1,
 * after slot 0) with and without registrations just before it (the 6.18
 * regression's signature). Control and treated VMs alternate, so drift
 * falls on both. The samples are kept raw; their statistics are the
 * caller's (results/). */
#ifndef BOOTBENCH_HOST_PROBE_H
#define BOOTBENCH_HOST_PROBE_H

#include <stddef.h>
#include <stdint.h>

struct bb_host_probe {
	uint32_t vms;           /* VMs measured */
	uint32_t registrations; /* ioeventfds registered per VM */
	double *ioeventfd_ns;   /* vms * registrations: every registration */
	size_t n_ioeventfd;
	double *memslot_control_ns; /* vms: slot 1 with nothing registered before it */
	double *memslot_after_ns;   /* vms: slot 1 right after the registrations */
	/* the kernel stack the treated update blocked in most often, innermost
	 * first (NULL when perf events are refused: offcpu_note says why) */
	char **memslot_frames;
	size_t memslot_depth;
	double *memslot_offcpu_ns; /* of memslot_after_ns, switched out: one per treated VM */
	size_t n_memslot_offcpu;
	char offcpu_note[512];
};

/* Fills out, whose samples bb_host_probe_free() releases (on failure too). */
int bb_host_probe_run(struct bb_host_probe *out, uint32_t vms, uint32_t registrations, char *err,
		      size_t errlen);
void bb_host_probe_free(struct bb_host_probe *p);

#endif
