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
	const char *hostname;    /* host.hostname ("lab" when NULL) */
	size_t iterations;
	double startup_scale;    /* startup multiplied by this */
	double ioeventfd_scale;  /* KVM_IOEVENTFD total multiplied by this */
	double memslot_extra_ns; /* added to KVM_SET_USER_MEMORY_REGION */
	bool complete;
	int schema_version;
	int devices;             /* a profile field, to make profiles differ */
	size_t tail_every;       /* every tail_every-th iteration (0: none) ... */
	double tail_scale;       /* ... has its startup and vmm multiplied by this */
	double vmm_shift;        /* every iteration's vmm time multiplied by this */
	const char *boot_id;     /* host.boot_id, or NULL for none */
	bool no_events;          /* as run --no-events writes it */
	bool emulated;           /* as run --host emulated writes it */
	bool legacy_call_name;   /* op:X:call in the summary, as before call_pooled */
};

struct synthetic synthetic_default(const char *patch);
/* Writes the result to path; 0 or -1. */
int write_synthetic(const char *path, const struct synthetic *s);

#endif
