/* bootbench's own guest as a workload: a freestanding payload that probes
 * and initializes every synthetic virtio-mmio device, kicks each queue
 * once and signals boot-done to the boot timer. It reads what it needs
 * from a config block the workload writes; every kick must reach its
 * queue's notifier exactly once. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "guest_abi.h"
#include "synthetic_layout.h"
#include "workload.h"

extern const unsigned char bb_guest_image[];
extern const size_t bb_guest_image_size;

static int check_profile(const struct bb_profile *p, const struct bb_machine *m, char *err, size_t errlen)
{
	(void)m;
	uint64_t ram = (uint64_t)p->mem_mib << 20;
	uint64_t stacks_end = BB_SYN_STACKS_GPA + (uint64_t)p->vcpus * BB_SYN_STACK_BYTES;

	if (stacks_end > BB_SYN_RAM_GPA + ram) {
		bb_errorf(err, errlen, "mem_mib %u is too small for %u vCPU stacks: use at least %llu", p->mem_mib,
			  p->vcpus, (unsigned long long)((stacks_end - BB_SYN_RAM_GPA) >> 20) + 1);
		return -1;
	}
	return 0;
}

static uint32_t devices(const struct bb_profile *p, struct bb_device_decl *out, uint32_t max)
{
	if (max < 2)
		return 0;
	out[0] = (struct bb_device_decl){ "boot-timer", 1 };
	out[1] = (struct bb_device_decl){ "virtio-synthetic", p->devices };
	return 2;
}

/* How the guest kicks: through the profile's first style. */
static uint32_t notify_kind(const struct bb_profile *p)
{
	if (p->nr_styles == 0)
		return BB_NOTIFY_MMIO;
	switch (p->styles[0]) {
	case BB_STYLE_PIO: return BB_NOTIFY_PIO;
	case BB_STYLE_MMIO_ANY: return BB_NOTIFY_MMIO_PER_QUEUE;
	default: return BB_NOTIFY_MMIO;
	}
}

static const struct bb_machine_device *first_of(const struct bb_machine *m, const char *type)
{
	for (uint32_t i = 0; i < m->nr_devices; i++)
		if (!strcmp(m->devices[i].type, type))
			return &m->devices[i];
	return NULL;
}

static int load(const struct bb_profile *p, const void *state, const struct bb_machine *m, char *err, size_t errlen)
{
	(void)state;
	const struct bb_machine_device *timer = first_of(m, "boot-timer");
	const struct bb_machine_device *virtio = first_of(m, "virtio-synthetic");

	if (m->ram_gpa != BB_SYN_RAM_GPA) {
		bb_errorf(err, errlen, "the synthetic guest is linked for RAM at 0x%llx, not 0x%" PRIx64 " (bootbench bug)",
			  BB_SYN_RAM_GPA, m->ram_gpa);
		return -1;
	}
	if (bb_guest_image_size > BB_SYN_IMAGE_MAX) {
		bb_errorf(err, errlen, "the guest payload (%zu bytes) is larger than its %llu-byte slot", bb_guest_image_size,
			  BB_SYN_IMAGE_MAX);
		return -1;
	}
	if (!timer) {
		bb_errorf(err, errlen, "the VMM placed no boot timer (bootbench bug)");
		return -1;
	}
	memcpy(m->ram + (BB_SYN_IMAGE_GPA - m->ram_gpa), bb_guest_image, bb_guest_image_size);
	struct bb_guest_config *c = (void *)(m->ram + (BB_SYN_CONFIG_GPA - m->ram_gpa));
	*c = (struct bb_guest_config){
		.magic = BB_GUEST_CONFIG_MAGIC,
		.abi_version = BB_GUEST_ABI_VERSION,
		.boot_timer = timer->gpa,
		.mmio_base = virtio ? virtio->gpa : 0,
		.mmio_stride = virtio ? virtio->len : 0,
		.devices = p->devices,
		.queues = p->queues,
		.device_id = p->device_id,
		.queue_size = p->queue_size,
		.init_rounds = p->when == BB_WHEN_RESET ? 2 : 1,
		.notify = notify_kind(p),
		.pio_base = virtio ? virtio->pio : 0,
		.pio_stride = virtio ? virtio->pio_len : 0,
		.fault = m->guest_fault,
	};
	return 0;
}

static void entry(const struct bb_profile *p, const void *state, const struct bb_machine *m, uint32_t vcpu,
		  struct bb_vcpu_entry *e)
{
	(void)state;
	uint64_t stack_top = BB_SYN_STACKS_GPA + (vcpu + 1ull) * BB_SYN_STACK_BYTES;
	(void)p;
	(void)m;
	/* entry.S: x86_64 takes the stack in rsp; arm64 takes it in x2 and
	 * sets sp itself */
#if defined(__x86_64__)
	*e = (struct bb_vcpu_entry){ .pc = BB_SYN_IMAGE_GPA, .sp = stack_top, .args = { vcpu, BB_SYN_CONFIG_GPA, 0 } };
#else
	*e = (struct bb_vcpu_entry){ .pc = BB_SYN_IMAGE_GPA, .sp = 0, .args = { vcpu, BB_SYN_CONFIG_GPA, stack_top } };
#endif
}

static uint32_t kicks_expected(const struct bb_profile *p)
{
	return p->devices * p->queues;
}

static int check_kicks(const struct bb_profile *p, const uint64_t *kicks, uint32_t n, uint32_t *received, char *err,
		       size_t errlen)
{
	int rc = 0;
	*received = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (kicks[i] != BB_KICK_NEVER)
			*received += (uint32_t)kicks[i];
		if (rc < 0 || kicks[i] == 1)
			continue;
		rc = -1;
		if (kicks[i] == BB_KICK_NEVER)
			bb_errorf(err, errlen, "device %u queue %u: its ioeventfd never fired; the guest's kick did not reach it",
				  i / p->queues, i % p->queues);
		else
			bb_errorf(err, errlen, "device %u queue %u: its ioeventfd fired %llu times, expected exactly once",
				  i / p->queues, i % p->queues, (unsigned long long)kicks[i]);
	}
	return rc;
}

static const char *error_text(uint32_t code)
{
	switch (code) {
	case BB_GUEST_BAD_CONFIG: return "its config block is missing or of another ABI version";
	case BB_GUEST_BAD_MAGIC: return "MagicValue is not \"virt\"";
	case BB_GUEST_BAD_VERSION: return "Version is not 2";
	case BB_GUEST_BAD_DEVICE_ID: return "DeviceID is not the one expected";
	case BB_GUEST_FEATURES_REJECTED: return "feature negotiation failed (FEATURES_OK not kept)";
	case BB_GUEST_QUEUE_IN_USE: return "a queue was already ready before initialization";
	case BB_GUEST_QUEUE_TOO_SMALL: return "QueueNumMax is below the queue size asked for";
	default: return "an unknown error";
	}
}

static void guest_error(const struct bb_profile *p, const struct bb_machine *m, uint32_t code, uint32_t device,
			char *buf, size_t len)
{
	(void)p;
	(void)m;
	snprintf(buf, len, "device %u: %s", device, error_text(code));
}

const struct bb_workload bb_workload_synthetic = {
	.name = "synthetic",
	.check_profile = check_profile,
	.devices = devices,
	.load = load,
	.entry = entry,
	.kicks_expected = kicks_expected,
	.check_kicks = check_kicks,
	.guest_error = guest_error,
};
