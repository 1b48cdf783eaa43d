/* Profile parsing, overriding and validation. One table describes every
 * field, so the JSON files, the command line and the result file agree. */
#include "profile.h"

#include "errorf.h"
#include "printable.h"
#include "guest_abi.h"
#include "json_file.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field_type { F_U32, F_U64, F_BOOL, F_TEXT, F_STYLES, F_ZONES, F_SECONDARIES, F_FIRMWARE, F_CHOICE };

struct field {
	const char *key;
	enum field_type type;
	size_t offset;
	size_t size;      /* F_TEXT: buffer size */
	uint64_t min, max; /* F_U32, F_U64 */
	const char *help;
	const char *const *choices; /* F_CHOICE: the names of an enum's values, NULL-ended */
};

#define FIELD(k, t, member, lo, hi, h) \
	{ k, t, offsetof(struct bb_profile, member), sizeof(((struct bb_profile *)0)->member), lo, hi, h, NULL }
#define CHOICE(k, member, names, h) \
	{ k, F_CHOICE, offsetof(struct bb_profile, member), sizeof(((struct bb_profile *)0)->member), 0, 0, h, names }

/* a choice is stored as an int */
_Static_assert(sizeof(enum bb_when) == sizeof(int) && sizeof(enum bb_transport) == sizeof(int) &&
		       sizeof(enum bb_msi_routes) == sizeof(int),
	       "profile choices are int-sized enums");
static const char *const when_names[] = { "static", "dynamic", "reset", NULL };
static const char *const transport_names[] = { "mmio", "pci", NULL };
static const char *const msi_routes_names[] = { "per-change", "batched", NULL };

static const struct field fields[] = {
	FIELD("name", F_TEXT, name, 0, 0, "profile name"),
	FIELD("description", F_TEXT, description, 0, 0, "what the profile models"),
	FIELD("workload", F_TEXT, workload, 0, 0, "synthetic (bootbench's own guest) or linux"),
	FIELD("kernel", F_TEXT, kernel, 0, 0, "linux: the bzImage (x86_64) or Image (arm64) to boot"),
	FIELD("initrd", F_TEXT, initrd, 0, 0, "linux: an initrd in place of bootbench's own initramfs"),
	FIELD("cmdline", F_TEXT, cmdline, 0, 0, "linux: words added to the kernel command line"),
	FIELD("vcpus", F_U32, vcpus, 1, 1024, "vCPUs, each on its own thread"),
	FIELD("mem_mib", F_U32, mem_mib, 4, 65536, "guest RAM in MiB"),
	FIELD("devices", F_U32, devices, 0, 4096, "virtio-mmio devices"),
	FIELD("queues", F_U32, queues, 1, 1024, "queues per device"),
	FIELD("queue_size", F_U32, queue_size, 1, 32768, "entries per queue"),
	FIELD("device_id", F_U32, device_id, 1, 65535, "virtio DeviceID"),
	FIELD("style", F_STYLES, styles, 0, 0, "mmio, mmio-any, pio, or a comma list"),
	CHOICE("when", when, when_names, "static, dynamic or reset"),
	FIELD("irqchip", F_BOOL, irqchip, 0, 0, "in-kernel irqchip"),
	FIELD("pit", F_BOOL, pit, 0, 0, "in-kernel PIT2 (needs irqchip)"),
	FIELD("irqfds", F_BOOL, irqfds, 0, 0, "one irqfd per device (needs irqchip)"),
	FIELD("coalesced_zones", F_ZONES, coalesced_zones, 0, 100000, "coalesced MMIO zones, or \"fill\""),
	FIELD("memslots_after", F_U32, memslots_after, 0, 4096, "memslots added after the registrations"),
	FIELD("memslot_after_mib", F_U32, memslot_after_mib, 1, 1024, "size of each of them in MiB"),
	FIELD("mmio_base", F_U64, mmio_base, 0x1000, UINT64_C(0xffffffffffff), "guest-physical base of device 0"),
	FIELD("mmio_stride", F_U64, mmio_stride, 0x200, UINT64_C(0x100000000), "bytes between devices"),
	FIELD("coalesced_base", F_U64, coalesced_base, 0x1000, UINT64_C(0xffffffffffff), "guest-physical base of the coalesced zones"),
	FIELD("pio_base", F_U32, pio_base, 0x100, 0xffff, "I/O port of device 0's legacy BAR"),
	FIELD("pio_stride", F_U32, pio_stride, 0x20, 0x1000, "ports between devices"),
	FIELD("secondaries", F_SECONDARIES, secondaries_off, 0, 0, "spin or off"),
	FIELD("firmware", F_FIRMWARE, firmware, 0, 0, "linux on x86_64: acpi, mptable or both (how the guest finds its CPUs and disks)"),
	CHOICE("transport", transport, transport_names, "linux: mmio (virtio-mmio) or pci (virtio-pci with MSI-X)"),
	CHOICE("msi_routes", msi_routes, msi_routes_names, "pci: per-change or batched (KVM_SET_GSI_ROUTING per MSI-X change, or per device at DRIVER_OK)"),
	FIELD("arch_note", F_TEXT, arch_note, 0, 0, "what the arch changed when resolving"),
};
#define NR_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *const style_names[] = { "mmio", "mmio-any", "pio" };

static const char *const firmware_names[] = { NULL, "mptable", "acpi", "both" };

const char *bb_firmware_name(enum bb_firmware f)
{
	return (unsigned)f >= 1 && (unsigned)f <= 3 ? firmware_names[f] : "?";
}

const char *bb_transport_name(enum bb_transport t)
{
	return (unsigned)t <= BB_TRANSPORT_PCI ? transport_names[t] : "?";
}

const char *bb_msi_routes_name(enum bb_msi_routes r)
{
	return (unsigned)r <= BB_MSI_ROUTES_BATCHED ? msi_routes_names[r] : "?";
}

const char *bb_when_name(enum bb_when w)
{
	return (unsigned)w < 3 ? when_names[w] : "?";
}

const char *bb_style_name(enum bb_style s)
{
	return (unsigned)s < BB_STYLE_COUNT ? style_names[s] : "?";
}

void bb_profile_defaults(struct bb_profile *p)
{
	*p = (struct bb_profile){
		.name = "custom",
		.workload = "synthetic",
		.vcpus = 2,
		.mem_mib = 128,
		.devices = 64,
		.queues = 4,
		.queue_size = 256,
		.device_id = 2,
		.styles = { BB_STYLE_MMIO },
		.nr_styles = 1,
		.when = BB_WHEN_STATIC,
		.irqchip = true,
		.pit = true,
		.memslot_after_mib = 2,
		.mmio_base = 0xd0000000,
		.mmio_stride = 0x1000,
		.coalesced_base = 0xe0000000,
		.pio_base = 0x8000,
		.pio_stride = 0x20,
		.firmware = BB_FIRMWARE_BOTH,
	};
}

static const struct field *find_field(const char *key)
{
	for (size_t i = 0; i < NR_FIELDS; i++)
		if (strcmp(fields[i].key, key) == 0)
			return &fields[i];
	return NULL;
}

static int parse_styles(struct bb_profile *p, const char *text, char *err, size_t errlen)
{
	char buf[64];
	enum bb_style styles[BB_PROFILE_MAX_STYLES];
	uint32_t n = 0;

	if (strlen(text) >= sizeof(buf) || text[0] == '\0') {
		bb_errorf(err, errlen, "bad style '%s': use mmio, mmio-any, pio or a comma list such as mmio-any,pio", text);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", text); /* fits: checked above */
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int found = -1;
		for (int s = 0; s < BB_STYLE_COUNT; s++)
			if (strcmp(tok, style_names[s]) == 0)
				found = s;
		if (found < 0) {
			bb_errorf(err, errlen, "unknown style '%s' in '%s': use mmio, mmio-any or pio", tok, text);
			return -1;
		}
		for (uint32_t i = 0; i < n; i++) {
			if (styles[i] == (enum bb_style)found) {
				bb_errorf(err, errlen, "style '%s' is listed twice in '%s': name each style once", tok, text);
				return -1;
			}
		}
		styles[n++] = (enum bb_style)found;
	}
	if (n == 0) { /* "," alone: the guest kicks through styles[0] */
		bb_errorf(err, errlen, "bad style '%s': use mmio, mmio-any, pio or a comma list such as mmio-any,pio", text);
		return -1;
	}
	memcpy(p->styles, styles, n * sizeof(styles[0]));
	p->nr_styles = n;
	return 0;
}

static int parse_u64(const char *text, uint64_t *out)
{
	char *end;
	if (text[0] == '-' || text[0] == '\0')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0);
	if (errno || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "true", "on", "yes", "1" };
	static const char *const no[] = { "false", "off", "no", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(text, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(text, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static int set_field(struct bb_profile *p, const struct field *f, const char *text, char *err,
		     size_t errlen)
{
	void *dst = (char *)p + f->offset;
	uint64_t v;

	switch (f->type) {
	case F_TEXT:
		if (!bb_text_is_clean(text)) {
			char shown[128];
			bb_printable(text, shown, sizeof(shown));
			bb_errorf(err, errlen, "%s '%s' is not plain UTF-8 text (a byte that is not UTF-8, or a control character): results are JSON, which holds only UTF-8; give printable text",
				  f->key, shown);
			return -1;
		}
		if (strlen(text) >= f->size) {
			bb_errorf(err, errlen, "%s is too long (%zu bytes): keep it under %zu", f->key,
				 strlen(text), f->size);
			return -1;
		}
		snprintf(dst, f->size, "%s", text); /* fits: checked above */
		return 0;
	case F_BOOL:
		if (parse_bool(text, dst) < 0) {
			bb_errorf(err, errlen, "bad value '%s' for %s: use true or false", text, f->key);
			return -1;
		}
		return 0;
	case F_STYLES:
		return parse_styles(p, text, err, errlen);
	case F_FIRMWARE:
		for (int fw = 1; fw <= 3; fw++)
			if (strcmp(text, firmware_names[fw]) == 0) {
				p->firmware = (enum bb_firmware)fw;
				return 0;
			}
		bb_errorf(err, errlen, "bad value '%s' for firmware: use acpi (a kernel with CONFIG_ACPI), mptable (one with CONFIG_X86_MPPARSE and CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES) or both", text);
		return -1;
	case F_CHOICE: {
		char known[128] = "";
		size_t used = 0;
		int c = 0;
		for (; f->choices[c]; c++)
			if (!strcmp(text, f->choices[c])) {
				*(int *)dst = c; /* an enum, as the field's size says */
				return 0;
			}
		/* "a, b or c" */
		for (int k = 0; k < c; k++)
			used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s", k == 0 ? "" : k == c - 1 ? " or " : ", ",
						 f->choices[k]);
		bb_errorf(err, errlen, "bad value '%s' for %s: use %s", text, f->key, known);
		return -1;
	}
	case F_SECONDARIES:
		if (strcmp(text, "spin") && strcmp(text, "off")) {
			bb_errorf(err, errlen, "bad value '%s' for secondaries: use spin or off", text);
			return -1;
		}
		p->secondaries_off = strcmp(text, "off") == 0;
		return 0;
	case F_ZONES:
		if (strcmp(text, "fill") == 0) {
			p->coalesced_zones = BB_COALESCED_FILL;
			return 0;
		}
		/* fall through */
	case F_U32:
	case F_U64:
		if (parse_u64(text, &v) < 0 || v < f->min || v > f->max) {
			bb_errorf(err, errlen, "bad value '%s' for %s (%s): use an integer from %" PRIu64 " to %" PRIu64 "%s",
				 text, f->key, f->help, f->min, f->max,
				 f->type == F_ZONES ? ", or fill" : "");
			return -1;
		}
		if (f->type == F_U64)
			*(uint64_t *)dst = v;
		else
			*(uint32_t *)dst = (uint32_t)v;
		return 0;
	}
	return -1;
}

int bb_profile_set(struct bb_profile *p, const char *key, const char *value, char *err,
		   size_t errlen)
{
	const struct field *f = find_field(key);
	if (!f) {
		size_t used = (size_t)bb_errorf(err, errlen, "unknown profile field '%s': known fields are", key);
		for (size_t i = 0; i < NR_FIELDS && used < errlen; i++)
			used += (size_t)snprintf(err + used, errlen - used, "%s %s", i ? "," : "",
						 fields[i].key);
		return -1;
	}
	return set_field(p, f, value, err, errlen);
}

int bb_profile_from_json(struct bb_profile *p, json_t *obj, const char *origin, char *err,
			 size_t errlen)
{
	const char *key;
	json_t *value;
	char number[64], inner[400];

	if (!json_is_object(obj)) {
		bb_errorf(err, errlen, "%s: a profile must be a JSON object", origin);
		return -1;
	}
	json_object_foreach(obj, key, value) {
		/* a string goes to its field whole: its length is the field's to check */
		const char *text = number;
		if (json_is_string(value))
			text = json_string_value(value);
		else if (json_is_integer(value))
			snprintf(number, sizeof(number), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
		else if (json_is_boolean(value))
			snprintf(number, sizeof(number), "%s", json_is_true(value) ? "true" : "false");
		else {
			bb_errorf(err, errlen, "%s: field '%s' must be a string, an integer or a boolean",
				 origin, key);
			return -1;
		}
		if (bb_profile_set(p, key, text, inner, sizeof(inner)) < 0) {
			bb_errorf(err, errlen, "%s: %s", origin, inner);
			return -1;
		}
	}
	return 0;
}

int bb_profile_parse(struct bb_profile *p, const char *json_text, const char *origin,
		     char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *obj = json_loads(json_text, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj) {
		bb_errorf(err, errlen, "%s:%d:%d: not valid JSON: %s", origin, jerr.line, jerr.column,
			 jerr.text);
		return -1;
	}
	int rc = bb_profile_from_json(p, obj, origin, err, errlen);
	json_decref(obj);
	return rc;
}

int bb_profile_load(struct bb_profile *p, const char *name_or_path, char *err, size_t errlen)
{
	bb_profile_defaults(p);
	for (size_t i = 0; i < bb_builtin_profile_count; i++) {
		const struct bb_builtin_profile *b = &bb_builtin_profiles[i];
		if (strcmp(b->name, name_or_path) == 0)
			return bb_profile_parse(p, (const char *)b->text, b->name, err, errlen);
	}
	if (!strchr(name_or_path, '/') && !strstr(name_or_path, ".json")) {
		size_t used = (size_t)bb_errorf(err, errlen, "unknown profile '%s': use one of", name_or_path);
		for (size_t i = 0; i < bb_builtin_profile_count && used < errlen; i++)
			used += (size_t)snprintf(err + used, errlen - used, "%s %s", i ? "," : "",
						 bb_builtin_profiles[i].name);
		if (used < errlen)
			snprintf(err + used, errlen - used, ", or a path to a .json profile");
		return -1;
	}
	json_error_t jerr;
	json_t *obj = bb_json_load_path(name_or_path, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj) {
		if (jerr.line < 0)
			bb_errorf(err, errlen, "cannot read profile %s: %s", name_or_path, jerr.text);
		else
			bb_errorf(err, errlen, "%s:%d:%d: not valid JSON: %s", name_or_path, jerr.line,
				 jerr.column, jerr.text);
		return -1;
	}
	int rc = bb_profile_from_json(p, obj, name_or_path, err, errlen);
	json_decref(obj);
	return rc;
}

bool bb_profile_has_style(const struct bb_profile *p, enum bb_style s)
{
	for (uint32_t i = 0; i < p->nr_styles; i++)
		if (p->styles[i] == s)
			return true;
	return false;
}

void bb_profile_styles_string(const struct bb_profile *p, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < p->nr_styles && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "",
					 bb_style_name(p->styles[i]));
}

/* A profile's name becomes a file name under --out (and a sweep index's):
 * a separator, a dot-dot or a control character would put it elsewhere or
 * make it unreadable. */
static int check_name(const char *name, char *err, size_t errlen)
{
	const char *why = NULL;
	if (!name[0])
		why = "is empty";
	else if (strchr(name, '/'))
		why = "holds a '/'";
	else if (!strcmp(name, ".") || strstr(name, ".."))
		why = "holds '..' or is '.'";
	for (const unsigned char *c = (const unsigned char *)name; !why && *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			why = "holds a control character";
	if (!why)
		return 0;
	char shown[256];
	bb_printable(name, shown, sizeof(shown));
	bb_errorf(err, errlen, "profile name '%s' %s: the name becomes a file name under --out; use letters, digits, '-', '_' and '.'",
		  shown, why);
	return -1;
}

bool bb_profile_is_linux(const struct bb_profile *p)
{
	return !strcmp(p->workload, "linux");
}

int bb_profile_validate(const struct bb_profile *p, char *err, size_t errlen)
{
	if (check_name(p->name, err, errlen) < 0)
		return -1;
	if (strcmp(p->workload, "synthetic") && strcmp(p->workload, "linux")) {
		bb_errorf(err, errlen, "unknown workload '%s' in profile %s: use synthetic or linux", p->workload, p->name);
		return -1;
	}
	if (bb_profile_is_linux(p) && !p->kernel[0]) {
		bb_errorf(err, errlen, "profile %s boots Linux but names no kernel: give --kernel FILE (lab/build-kernel --guest builds one)",
			  p->name);
		return -1;
	}
	if (p->nr_styles == 0 && p->devices > 0) {
		bb_errorf(err, errlen, "profile %s has devices but no notify style: set style to mmio, mmio-any or pio", p->name);
		return -1;
	}
	if (p->pit && !p->irqchip) {
		bb_errorf(err, errlen, "profile %s asks for pit without irqchip: KVM_CREATE_PIT2 needs the in-kernel irqchip; set irqchip=true or pit=false", p->name);
		return -1;
	}
	if (p->irqfds && !p->irqchip) {
		bb_errorf(err, errlen, "profile %s asks for irqfds without irqchip: KVM_IRQFD needs the in-kernel irqchip; set irqchip=true or irqfds=false", p->name);
		return -1;
	}
	if (p->queue_size > 256) {
		bb_errorf(err, errlen, "queue_size %u is larger than the devices' QueueNumMax (256): use at most 256", p->queue_size);
		return -1;
	}
	if (p->mmio_stride < 0x100 || (p->mmio_stride & (p->mmio_stride - 1))) {
		bb_errorf(err, errlen, "mmio_stride 0x%" PRIx64 " must be a power of two of at least 0x200", p->mmio_stride);
		return -1;
	}
	if (bb_profile_has_style(p, BB_STYLE_MMIO_ANY) &&
	    (uint64_t)p->queues * BB_NOTIFY_MULTIPLIER > BB_NOTIFY_AREA(p->mmio_stride)) {
		bb_errorf(err, errlen, "style mmio-any gives each queue its own notify address in the upper half of the device window: %u queues need mmio_stride 0x%llx or more",
			 p->queues, (unsigned long long)p->queues * BB_NOTIFY_MULTIPLIER * 2);
		return -1;
	}
	if (p->transport == BB_TRANSPORT_PCI && !bb_profile_is_linux(p)) {
		bb_errorf(err, errlen, "profile %s asks for transport pci with the synthetic guest, whose devices are virtio-mmio: use transport mmio, or workload linux", p->name);
		return -1;
	}
	uint64_t pio_end = (uint64_t)p->pio_base + (uint64_t)p->devices * p->pio_stride;
	if (bb_profile_has_style(p, BB_STYLE_PIO) && pio_end > 0x10000) {
		bb_errorf(err, errlen, "%u devices at pio_base 0x%x with pio_stride 0x%x run past port 0xffff: lower devices, pio_base or pio_stride",
			 p->devices, p->pio_base, p->pio_stride);
		return -1;
	}
	return 0;
}

json_t *bb_profile_to_json(const struct bb_profile *p)
{
	char styles[64];
	bb_profile_styles_string(p, styles, sizeof(styles));
	json_t *zones = p->coalesced_zones == BB_COALESCED_FILL
				? json_string("fill")
				: json_integer(p->coalesced_zones);
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:b, s:b, s:b, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s}",
			 "name", p->name, "description", p->description,
			 "vcpus", (json_int_t)p->vcpus, "mem_mib", (json_int_t)p->mem_mib,
			 "devices", (json_int_t)p->devices, "queues", (json_int_t)p->queues,
			 "queue_size", (json_int_t)p->queue_size, "device_id", (json_int_t)p->device_id,
			 "style", styles, "when", bb_when_name(p->when),
			 "irqchip", p->irqchip, "pit", p->pit, "irqfds", p->irqfds,
			 "coalesced_zones", zones,
			 "memslots_after", (json_int_t)p->memslots_after,
			 "memslot_after_mib", (json_int_t)p->memslot_after_mib,
			 "mmio_base", (json_int_t)p->mmio_base,
			 "mmio_stride", (json_int_t)p->mmio_stride,
			 "coalesced_base", (json_int_t)p->coalesced_base,
			 "pio_base", (json_int_t)p->pio_base,
			 "pio_stride", (json_int_t)p->pio_stride,
			 "secondaries", p->secondaries_off ? "off" : "spin",
			 "arch_note", p->arch_note);
	/* a synthetic profile's result reads as it did before Linux guests */
	if (o && bb_profile_is_linux(p)) {
		json_object_set_new(o, "workload", json_string(p->workload));
		json_object_set_new(o, "kernel", json_string(p->kernel));
		json_object_set_new(o, "initrd", json_string(p->initrd));
		json_object_set_new(o, "cmdline", json_string(p->cmdline));
		json_object_set_new(o, "firmware", json_string(bb_firmware_name(p->firmware)));
	}
	/* a virtio-mmio profile's result reads as it did before PCI */
	if (o && p->transport == BB_TRANSPORT_PCI) {
		json_object_set_new(o, "transport", json_string(bb_transport_name(p->transport)));
		json_object_set_new(o, "msi_routes", json_string(bb_msi_routes_name(p->msi_routes)));
	}
	return o;
}
