/* Result files built for the purpose: deterministic values shaped like
 * the 6.18 case (registrations cheaper, the next memslot update dearer),
 * so compare, report and gate can be tested exactly, without KVM. */
#ifndef BOOTBENCH_TEST_SYNTHETIC_H
#define BOOTBENCH_TEST_SYNTHETIC_H

#include <stdbool.h>
#include <stddef.h>

struct synthetic {
	const char *patch;       /* label patch=... */
	const char *kernel;      /* host.kernel_release */
	size_t iterations;
	double startup_scale;    /* startup multiplied by this */
	double ioeventfd_scale;  /* KVM_IOEVENTFD total multiplied by this */
	double memslot_extra_ns; /* added to KVM_SET_USER_MEMORY_REGION */
	bool complete;
	int schema_version;
	int devices;             /* a profile field, to make profiles differ */
};

struct synthetic synthetic_default(const char *patch);
/* Writes the result to path; 0 or -1. */
int write_synthetic(const char *path, const struct synthetic *s);

#endif
