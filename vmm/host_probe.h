/* How this host's KVM behaves, measured on bare VMs (no vCPUs): the cost of
 * one ioeventfd registration, and of a memslot update with and without
 * registrations just before it (the 6.18 regression's signature). */
#ifndef BOOTBENCH_HOST_PROBE_H
#define BOOTBENCH_HOST_PROBE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct bb_host_probe {
	uint32_t vms;                 /* VMs measured */
	uint32_t registrations;       /* ioeventfds registered per VM */
	double ioeventfd_median_ns;   /* over every registration */
	double memslot_first_median_ns; /* slot 0, nothing registered before */
	double memslot_after_median_ns; /* slot 1, right after the registrations */
};

int bb_host_probe_run(struct bb_host_probe *out, uint32_t vms, uint32_t registrations, char *err,
		      size_t errlen);
json_t *bb_host_probe_to_json(const struct bb_host_probe *p);

#endif
