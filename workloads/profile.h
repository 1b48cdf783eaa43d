/* A workload profile: what the VMM builds and when it registers it. Named
 * profiles are JSON files in workloads/profiles/, embedded at build time;
 * any field can be overridden from the command line. */
#ifndef BOOTBENCH_PROFILE_H
#define BOOTBENCH_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How the x86_64 Linux workload describes the machine to its guest: ACPI
 * tables (RSDP, XSDT, FADT, MADT, DSDT: the kernels VMMs ship today),
 * the MP table with the disks on the command line (virtio_mmio.device=,
 * for kernels built without ACPI), or both, so either kind boots. arm64
 * always uses its device tree. */
enum bb_firmware {
	BB_FIRMWARE_MPTABLE = 1,
	BB_FIRMWARE_ACPI = 2,
	BB_FIRMWARE_BOTH = 3,
};

enum bb_when {
	BB_WHEN_STATIC,  /* every registration before the first KVM_RUN */
	BB_WHEN_DYNAMIC, /* a device's notifiers at its DRIVER_OK */
	BB_WHEN_RESET    /* dynamic, then every device reset and re-initialized */
};

enum bb_style {
	BB_STYLE_MMIO,     /* len 4, datamatch = queue index */
	BB_STYLE_MMIO_ANY, /* len 0: the MMIO and FAST_MMIO buses */
	BB_STYLE_PIO,      /* len 2, datamatch = queue index, x86 only */
	BB_STYLE_COUNT
};

/* How the devices sit on the machine: virtio-mmio windows, or virtio-pci
 * functions behind an ECAM host bridge, interrupting by MSI-X. */
enum bb_transport {
	BB_TRANSPORT_MMIO,
	BB_TRANSPORT_PCI,
};

/* When a PCI guest's MSI-X changes reach KVM's routing table: one
 * KVM_SET_GSI_ROUTING per change, as QEMU commits each vector's route,
 * or a device's changes during its probe in one call at its DRIVER_OK
 * (and one per change after), as a VMM that programs a device's whole
 * vector group at once does. Each call waits for kvm->irq_srcu. */
enum bb_msi_routes {
	BB_MSI_ROUTES_PER_CHANGE,
	BB_MSI_ROUTES_BATCHED,
};

#define BB_PROFILE_MAX_STYLES BB_STYLE_COUNT
#define BB_COALESCED_FILL UINT32_MAX /* as many zones as the bus holds */

#define BB_PROFILE_PATH_MAX 1024
#define BB_PROFILE_CMDLINE_MAX 2048

struct bb_profile {
	char name[64];
	char description[1024];
	char workload[16]; /* "synthetic" (bootbench's own guest) or "linux" */
	/* the linux workload: its kernel, its initrd ("" is bootbench's own
	 * initramfs) and words added to the command line the VMM writes */
	char kernel[BB_PROFILE_PATH_MAX];
	char initrd[BB_PROFILE_PATH_MAX];
	char cmdline[BB_PROFILE_CMDLINE_MAX];
	uint32_t vcpus;
	uint32_t mem_mib;
	uint32_t devices;
	uint32_t queues;
	uint32_t queue_size;
	uint32_t device_id;
	/* The guest kicks through styles[0]; every style is registered. */
	enum bb_style styles[BB_PROFILE_MAX_STYLES];
	uint32_t nr_styles;
	enum bb_when when;
	bool irqchip;
	bool pit;
	bool irqfds;
	uint32_t coalesced_zones; /* or BB_COALESCED_FILL */
	uint32_t memslots_after;  /* slots added after the registrations */
	uint32_t memslot_after_mib;
	uint64_t mmio_base;
	uint64_t mmio_stride;
	uint64_t coalesced_base;
	uint32_t pio_base;
	uint32_t pio_stride;
	bool secondaries_off;  /* vCPUs 1.. powered off (x86: left in INIT) instead of spinning */
	enum bb_firmware firmware; /* linux, x86_64 */
	enum bb_transport transport;
	enum bb_msi_routes msi_routes; /* transport pci */
	char arch_note[256];   /* what the arch changed when resolving the profile */
};

/* Every function returns 0, or -1 with a one-line message in err. */
void bb_profile_defaults(struct bb_profile *p);
int bb_profile_load(struct bb_profile *p, const char *name_or_path, char *err, size_t errlen);
int bb_profile_parse(struct bb_profile *p, const char *json_text, const char *origin,
		     char *err, size_t errlen);
/* One field from text, as on the command line: "devices", "64". */
int bb_profile_set(struct bb_profile *p, const char *key, const char *value, char *err,
		   size_t errlen);
int bb_profile_validate(const struct bb_profile *p, char *err, size_t errlen);
json_t *bb_profile_to_json(const struct bb_profile *p);
int bb_profile_from_json(struct bb_profile *p, json_t *obj, const char *origin, char *err,
			 size_t errlen);

/* Whether the profile boots a Linux kernel (workload "linux"). */
bool bb_profile_is_linux(const struct bb_profile *p);

const char *bb_when_name(enum bb_when w);
const char *bb_firmware_name(enum bb_firmware f); /* "acpi", "mptable", "both" */
const char *bb_transport_name(enum bb_transport t);   /* "mmio", "pci" */
const char *bb_msi_routes_name(enum bb_msi_routes r); /* "per-change", "batched" */
const char *bb_style_name(enum bb_style s);
/* "mmio-any,pio" */
void bb_profile_styles_string(const struct bb_profile *p, char *buf, size_t len);
bool bb_profile_has_style(const struct bb_profile *p, enum bb_style s);

/* The embedded named profiles. */
struct bb_builtin_profile {
	const char *name;
	const unsigned char *text;
	const size_t *size;
};
extern const struct bb_builtin_profile bb_builtin_profiles[];
extern const size_t bb_builtin_profile_count;
#define BB_DEFAULT_PROFILE "firecracker"

#endif
