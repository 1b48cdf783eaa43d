#include "synthetic.h"

#include <jansson.h>

struct synthetic synthetic_default(const char *patch)
{
	return (struct synthetic){ .patch = patch, .kernel = "6.18.0-test", .iterations = 12,
				   .startup_scale = 1, .ioeventfd_scale = 1, .complete = true,
				   .schema_version = 1, .devices = 64, .tail_scale = 1, .vmm_shift = 1 };
}

static json_t *summary_entry(const char *name)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:f}", "name", name, "unit", "ns", "kind", "iteration", "n", 0,
			 "median", 0.0);
}

int write_synthetic(const char *path, const struct synthetic *s)
{
	json_t *iterations = json_array();
	for (size_t i = 0; i < s->iterations; i++) {
		/* a fixed spread of about 3%, the same on both sides */
		double jitter = (double)((i * 7919) % 13) / 13.0;
		double startup = (30e6 + 1e6 * jitter) * s->startup_scale;
		double ioeventfd = (400e3 + 12e3 * jitter) * s->ioeventfd_scale;
		double memslot = 80e3 + 3e3 * jitter + s->memslot_extra_ns;
		/* the VMM's own time: its ioctls and 2 ms more; the rest of
		 * startup is vCPU 0 in KVM_RUN, 2307 exits */
		double vmm = (ioeventfd + memslot + 2e6 * (1 + 0.05 * jitter)) * s->vmm_shift;
		if (s->tail_every && i % s->tail_every == 0) {
			vmm *= s->tail_scale;
			startup *= s->tail_scale;
		}
		if (startup < vmm + 1e6)
			startup = vmm + 1e6;
		json_t *events = json_array();
		for (int e = 0; e < (s->no_events ? 0 : 4); e++)
			json_array_append_new(events, json_pack("[s, i, I, I, i, s]", "KVM_IOEVENTFD", -1,
								(json_int_t)1000 * e, (json_int_t)(ioeventfd / 256 + e),
								0, "mmio addr=0xd0000050 len=4 datamatch=0"));
		if (!s->no_events) /* the op's one call: guest RAM, slot 0 */
			json_array_append_new(events, json_pack("[s, i, I, I, i, s]", "KVM_SET_USER_MEMORY_REGION", -1, (json_int_t)0,
								(json_int_t)memslot, 0, "slot=0 gpa=0x0 size=0x10000000 flags=0x0"));
		json_array_append_new(iterations, json_pack(
			"{s:I, s:b, s:b, s:b, s:I, s:I, s:I, s:[{s:s, s:I, s:I}, {s:s, s:I, s:I}], s:{s:{s:i, s:I}, s:{s:i, s:I}, s:{s:i, s:I}}, s:o}",
			"index", (json_int_t)i, "warmup", 0, "ok", 1, "interrupted", 0,
			"start_unix_ns", (json_int_t)(1764000000000000000LL + (json_int_t)i * 1000000000LL),
			"startup_ns", (json_int_t)startup, "overhead_ns", (json_int_t)(startup / 100),
			"phases", "name", "devices", "start_ns", (json_int_t)0, "duration_ns", (json_int_t)(ioeventfd * 2),
			"name", "guest_init", "start_ns", (json_int_t)(ioeventfd * 2), "duration_ns", (json_int_t)(startup - ioeventfd * 2),
			"ops", "KVM_IOEVENTFD", "count", 256, "total_ns", (json_int_t)ioeventfd,
			"KVM_SET_USER_MEMORY_REGION", "count", 1, "total_ns", (json_int_t)memslot,
			"KVM_RUN", "count", 2307, "total_ns", (json_int_t)(startup - vmm),
			"events", events));
	}
	json_t *summary = json_array();
	const char *names[] = { "startup", "overhead", "vmm", "exits", "exit_cost", "phase:devices", "phase:guest_init", "op:KVM_IOEVENTFD:total",
				"op:KVM_IOEVENTFD:count", s->legacy_call_name ? "op:KVM_IOEVENTFD:call" : "op:KVM_IOEVENTFD:call_pooled",
				"op:KVM_SET_USER_MEMORY_REGION:total" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		json_array_append_new(summary, summary_entry(names[i]));
	json_t *doc = json_pack(
		"{s:s, s:i, s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s, s:i}, s:{s:s, s:i, s:i, s:s, s:s}, s:{s:s}, s:o, s:b, s:o}",
		"schema", "bootbench-result", "schema_version", s->schema_version, "created", "2026-11-25T00:00:00Z",
		"bootbench", "version", "0.1.0", "commit", "golden",
		"host", "hostname", s->hostname ? s->hostname : "lab", "kernel_release", s->kernel, "arch", "x86_64", "cpu_model", "Test CPU",
		"config_hz", "100", "online_cpus", 2,
		"profile", "name", "firecracker", "devices", s->devices, "queues", 4, "style", "mmio", "when", "static",
		"labels", "patch", s->patch,
		"iterations", iterations, "complete", s->complete, "summary", summary);
	if (s->emulated)
		json_object_set_new(doc, "emulated", json_pack("{s:s, s:s, s:s}", "host", "x86_64", "qemu", "QEMU emulator version 7.2.22",
							       "accel", "tcg"));
	if (s->boot_id)
		json_object_set_new(json_object_get(doc, "host"), "boot_id", json_string(s->boot_id));
	int rc = json_dump_file(doc, path, JSON_COMPACT);
	json_decref(doc);
	return rc;
}
