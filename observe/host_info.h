/* Facts about the host that a result must carry to be comparable: kernel,
 * CONFIG_HZ (the 6.18 regression scales with the tick), CPU and KVM. */
#ifndef BOOTBENCH_HOST_INFO_H
#define BOOTBENCH_HOST_INFO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "profile.h"

struct bb_kvm_cap {
	const char *name;
	int cap;
	long value; /* KVM_CHECK_EXTENSION's answer; 0 = absent */
};

#define BB_HOST_CAPS 16

struct bb_host_info {
	char hostname[256];
	char boot_id[64];        /* this boot of the host; "" if unknown */
	char kernel_release[256];
	char kernel_version[256];
	char arch[65];
	char cpu_model[256];
	char config_hz[16];      /* "250", or "unknown" */
	char config_hz_from[64]; /* where it was read */
	long online_cpus;
	int kvm_api_version;
	bool kvm_pvm; /* KVM here is PVM (the kvm_pvm module): guests must be PVM-aware */
	struct bb_kvm_cap caps[BB_HOST_CAPS];
};

/* Opens the KVM device; -1 with a one-line message if it cannot. */
int bb_host_info_collect(struct bb_host_info *h, char *err, size_t errlen);
json_t *bb_host_info_to_json(const struct bb_host_info *h);
long bb_host_cap(const struct bb_host_info *h, const char *name);
/* A capability the profile needs and KVM lacks, as one line. */
int bb_host_check_profile(const struct bb_host_info *h, const struct bb_profile *p, char *err,
			  size_t errlen);
/* CONFIG_HZ=NNN from a kernel config text, or -1 */
int bb_parse_config_hz(const char *text, char *hz, size_t len);

#endif
