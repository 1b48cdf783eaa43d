/* Profiles: the built-in files, field parsing and its errors, validation,
 * and the JSON round trip a result relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "profile.h"
#include "vm.h"

static char err[1024];

static void builtins_load_and_validate(void **state)
{
	(void)state;
	const char *names[] = { "firecracker", "qemu", "crosvm", "stress", "arm64-many-vcpus" };
	assert_int_equal(bb_builtin_profile_count, 9);
	for (size_t i = 0; i < 5; i++) {
		struct bb_profile p;
		assert_int_equal(bb_profile_load(&p, names[i], err, sizeof(err)), 0);
		assert_string_equal(p.name, names[i]);
		assert_string_equal(p.workload, "synthetic");
		assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), 0);
		assert_true(strlen(p.description) > 20);
	}
}

/* The Linux profiles load, and ask for the kernel they cannot run without. */
static void linux_profiles_need_a_kernel(void **state)
{
	(void)state;
	const char *names[] = { "linux-firecracker", "linux-qemu", "linux-firecracker-pci", "linux-qemu-pci" };
	const enum bb_when when[] = { BB_WHEN_STATIC, BB_WHEN_DYNAMIC, BB_WHEN_STATIC, BB_WHEN_DYNAMIC };
	for (size_t i = 0; i < 4; i++) {
		struct bb_profile p;
		assert_int_equal(bb_profile_load(&p, names[i], err, sizeof(err)), 0);
		assert_true(bb_profile_is_linux(&p));
		assert_int_equal(p.when, when[i]);
		assert_true(p.devices * p.queues >= 200);
		assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "names no kernel: give --kernel FILE"));
		/* a file that is no kernel is named, with what it is not */
		assert_int_equal(bb_profile_set(&p, "kernel", "/proc/self/status", err, sizeof(err)), 0);
		assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "kernel /proc/self/status: neither an x86 bzImage"));
	}
	struct bb_profile p;
	bb_profile_defaults(&p);
	assert_int_equal(bb_profile_set(&p, "workload", "windows", err, sizeof(err)), 0);
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown workload 'windows' in profile custom: use synthetic or linux"));
}

/* The PCI profiles: virtio-pci, each queue notified at its own address,
 * and the two ways of committing MSI-X routes; what the transport and
 * the routes refuse, each naming the fix. */
static void pci_profiles_and_their_refusals(void **state)
{
	(void)state;
	struct bb_profile p;
	assert_int_equal(bb_profile_load(&p, "linux-qemu-pci", err, sizeof(err)), 0);
	assert_int_equal(p.transport, BB_TRANSPORT_PCI);
	assert_int_equal(p.msi_routes, BB_MSI_ROUTES_PER_CHANGE);
	assert_int_equal(p.nr_styles, 1);
	assert_int_equal(p.styles[0], BB_STYLE_MMIO_ANY);
	assert_int_equal(bb_profile_load(&p, "linux-firecracker-pci", err, sizeof(err)), 0);
	assert_int_equal(p.transport, BB_TRANSPORT_PCI);
	assert_int_equal(p.msi_routes, BB_MSI_ROUTES_BATCHED);
	assert_int_equal(p.when, BB_WHEN_STATIC);

	/* a result's profile says both, and reads back the same */
	json_t *o = bb_profile_to_json(&p);
	assert_string_equal(json_string_value(json_object_get(o, "transport")), "pci");
	assert_string_equal(json_string_value(json_object_get(o, "msi_routes")), "batched");
	struct bb_profile back;
	bb_profile_defaults(&back);
	assert_int_equal(bb_profile_from_json(&back, o, "result", err, sizeof(err)), 0);
	assert_int_equal(back.transport, BB_TRANSPORT_PCI);
	assert_int_equal(back.msi_routes, BB_MSI_ROUTES_BATCHED);
	json_decref(o);
	/* a virtio-mmio profile's result has neither, as before PCI */
	bb_profile_defaults(&back);
	o = bb_profile_to_json(&back);
	assert_null(json_object_get(o, "transport"));
	assert_null(json_object_get(o, "msi_routes"));
	json_decref(o);

	assert_int_equal(bb_profile_set(&p, "transport", "isa", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad value 'isa' for transport"));
	assert_non_null(strstr(err, "use mmio or pci"));
	assert_int_equal(bb_profile_set(&p, "msi_routes", "lazy", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "use per-change or batched"));

	/* the synthetic guest's devices are virtio-mmio */
	bb_profile_defaults(&p);
	assert_int_equal(bb_profile_set(&p, "transport", "pci", err, sizeof(err)), 0);
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "transport pci with the synthetic guest"));

	/* Linux kicks a virtio-pci queue at its own address: mmio-any alone */
	assert_int_equal(bb_profile_load(&p, "linux-qemu-pci", err, sizeof(err)), 0);
	assert_int_equal(bb_profile_set(&p, "kernel", "/proc/self/status", err, sizeof(err)), 0);
	assert_int_equal(bb_profile_set(&p, "style", "mmio", err, sizeof(err)), 0);
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "style mmio with transport pci"));
	assert_non_null(strstr(err, "use --style mmio-any"));
	/* bus 0 has 32 slots; ECAM is aligned to its size */
	assert_int_equal(bb_profile_load(&p, "linux-qemu-pci", err, sizeof(err)), 0);
	assert_int_equal(bb_profile_set(&p, "kernel", "/proc/self/status", err, sizeof(err)), 0);
	assert_int_equal(bb_profile_set(&p, "devices", "33", err, sizeof(err)), 0);
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "33 devices on transport pci"));
	assert_non_null(strstr(err, "lower devices to 32 or fewer"));
	assert_int_equal(bb_profile_set(&p, "devices", "32", err, sizeof(err)), 0);
	assert_int_equal(bb_profile_set(&p, "mmio_base", "0xd0080000", err, sizeof(err)), 0);
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mmio_base 0xd0080000 is not 1 MiB-aligned"));
#if defined(__x86_64__)
	/* the ECAM window is the MCFG's to give */
	assert_int_equal(bb_profile_set(&p, "mmio_base", "0xd0000000", err, sizeof(err)), 0);
	assert_int_equal(bb_profile_set(&p, "firmware", "mptable", err, sizeof(err)), 0);
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "transport pci with firmware mptable"));
#endif
}

static void builtins_model_their_vmms(void **state)
{
	(void)state;
	struct bb_profile p;
	assert_int_equal(bb_profile_load(&p, "firecracker", err, sizeof(err)), 0);
	assert_int_equal(p.when, BB_WHEN_STATIC);
	assert_int_equal(p.nr_styles, 1);
	assert_int_equal(p.styles[0], BB_STYLE_MMIO);
	assert_true(p.irqchip && p.pit);
	/* the default profile makes hundreds of registrations */
	assert_true(p.devices * p.queues >= 200);

	assert_int_equal(bb_profile_load(&p, "qemu", err, sizeof(err)), 0);
	assert_int_equal(p.when, BB_WHEN_RESET);
	assert_int_equal(p.nr_styles, 2);
	assert_int_equal(p.styles[0], BB_STYLE_MMIO_ANY);
	assert_int_equal(p.styles[1], BB_STYLE_PIO);

	assert_int_equal(bb_profile_load(&p, "crosvm", err, sizeof(err)), 0);
	assert_int_equal(p.when, BB_WHEN_DYNAMIC);
	assert_int_equal(p.styles[0], BB_STYLE_MMIO_ANY);

	assert_int_equal(bb_profile_load(&p, "stress", err, sizeof(err)), 0);
	assert_int_equal(p.coalesced_zones, BB_COALESCED_FILL);
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), 0);
	/* x86: the IOAPIC plus the zones fill the MMIO bus's 1000 */
	assert_int_equal(p.coalesced_zones, 999);
}

static void set_fields(void **state)
{
	(void)state;
	struct bb_profile p;
	bb_profile_defaults(&p);
	assert_int_equal(bb_profile_set(&p, "devices", "16", err, sizeof(err)), 0);
	assert_int_equal(p.devices, 16);
	assert_int_equal(bb_profile_set(&p, "mmio_base", "0xd8000000", err, sizeof(err)), 0);
	assert_int_equal(p.mmio_base, 0xd8000000u);
	assert_int_equal(bb_profile_set(&p, "irqfds", "off", err, sizeof(err)), 0);
	assert_false(p.irqfds);
	assert_int_equal(bb_profile_set(&p, "style", "pio,mmio", err, sizeof(err)), 0);
	assert_int_equal(p.nr_styles, 2);
	assert_int_equal(p.styles[0], BB_STYLE_PIO);
	assert_int_equal(bb_profile_set(&p, "when", "reset", err, sizeof(err)), 0);
	assert_int_equal(p.when, BB_WHEN_RESET);
	assert_int_equal(p.firmware, BB_FIRMWARE_BOTH); /* an MP-table kernel and an ACPI one boot alike */
	assert_int_equal(bb_profile_set(&p, "firmware", "acpi", err, sizeof(err)), 0);
	assert_int_equal(p.firmware, BB_FIRMWARE_ACPI);
	assert_int_equal(bb_profile_set(&p, "firmware", "mptable", err, sizeof(err)), 0);
	assert_int_equal(p.firmware, BB_FIRMWARE_MPTABLE);
}

static void set_errors_name_the_fix(void **state)
{
	(void)state;
	struct bb_profile p;
	bb_profile_defaults(&p);
	assert_int_equal(bb_profile_set(&p, "devices", "-1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "devices"));
	assert_non_null(strstr(err, "from 0 to 4096"));
	assert_int_equal(bb_profile_set(&p, "vcpus", "0", err, sizeof(err)), -1);
	assert_int_equal(bb_profile_set(&p, "queues", "4x", err, sizeof(err)), -1);
	assert_int_equal(bb_profile_set(&p, "style", "mmio,mmio", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(bb_profile_set(&p, "style", "virtio", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mmio, mmio-any or pio"));
	/* found by fuzz_profile: separators alone left a profile with no style */
	assert_int_equal(bb_profile_set(&p, "style", ",", err, sizeof(err)), -1);
	assert_int_equal(bb_profile_set(&p, "style", ",,,", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad style ',,,'"));
	assert_int_equal(bb_profile_set(&p, "when", "later", err, sizeof(err)), -1);
	assert_int_equal(bb_profile_set(&p, "firmware", "uefi", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad value 'uefi' for firmware: use acpi (a kernel with CONFIG_ACPI), mptable"));
	assert_int_equal(bb_profile_set(&p, "irqchip", "maybe", err, sizeof(err)), -1);
	assert_int_equal(bb_profile_set(&p, "colour", "red", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown profile field 'colour'"));
	assert_non_null(strstr(err, "memslots_after"));
	assert_null(strchr(err, '\n'));
	/* a failed set leaves the field as it was */
	assert_int_equal(p.devices, 64);
}

static void validation(void **state)
{
	(void)state;
	struct bb_profile p;
	bb_profile_defaults(&p);
	p.irqchip = false;
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pit"));
	bb_profile_defaults(&p);
	p.queue_size = 512;
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	bb_profile_defaults(&p);
	p.styles[0] = BB_STYLE_MMIO_ANY;
	p.queues = 1000; /* 4000 bytes of notify area > half of 0x1000 */
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mmio_stride"));
	bb_profile_defaults(&p);
	p.mem_mib = 4096;
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mem_mib"));
	bb_profile_defaults(&p);
	p.devices = 4096; /* 16 MiB of device windows from 0xff800000 run past 4 GiB */
	p.mmio_base = 0xff800000;
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "mmio_base"));
	bb_profile_defaults(&p);
	p.styles[0] = BB_STYLE_PIO;
	p.devices = 4096;
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0xffff"));
}

/* The name becomes a file name under --out: nothing that leaves it. */
static void names_that_leave_out_are_refused(void **state)
{
	(void)state;
	struct bb_profile p;
	static const char *const bad[] = { "../../etc/evil", "a/b", "..", ".", "x..y", "", "tab\there", "bell\a" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bb_profile_defaults(&p);
		snprintf(p.name, sizeof(p.name), "%s", bad[i]);
		assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "profile name"));
		assert_non_null(strstr(err, "becomes a file name under --out"));
		assert_null(strchr(err, '\n'));
		assert_null(strchr(err, '\t')); /* quoted as '?': one line */
	}
	bb_profile_defaults(&p);
	assert_int_equal(bb_profile_set(&p, "name", "a/b", err, sizeof(err)), 0);
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "holds a '/'"));
	/* what real names look like still passes */
	bb_profile_defaults(&p);
	snprintf(p.name, sizeof(p.name), "%s", "my-profile_1.2");
	assert_int_equal(bb_vm_resolve_profile(&p, err, sizeof(err)), 0);
}

static void json_round_trip(void **state)
{
	(void)state;
	struct bb_profile a, b;
	assert_int_equal(bb_profile_load(&a, "qemu", err, sizeof(err)), 0);
	json_t *j = bb_profile_to_json(&a);
	assert_non_null(j);
	bb_profile_defaults(&b);
	assert_int_equal(bb_profile_from_json(&b, j, "test", err, sizeof(err)), 0);
	json_decref(j);
	assert_memory_equal(&a, &b, sizeof(a));
	/* a Linux profile's firmware goes into its result and comes back */
	assert_int_equal(bb_profile_load(&a, "linux-firecracker", err, sizeof(err)), 0);
	assert_int_equal(bb_profile_set(&a, "firmware", "acpi", err, sizeof(err)), 0);
	j = bb_profile_to_json(&a);
	assert_string_equal(json_string_value(json_object_get(j, "firmware")), "acpi");
	bb_profile_defaults(&b);
	assert_int_equal(bb_profile_from_json(&b, j, "test", err, sizeof(err)), 0);
	json_decref(j);
	assert_int_equal(b.firmware, BB_FIRMWARE_ACPI);
	/* a synthetic one's result reads as before: no firmware in it */
	assert_int_equal(bb_profile_load(&a, "firecracker", err, sizeof(err)), 0);
	j = bb_profile_to_json(&a);
	assert_null(json_object_get(j, "firmware"));
	json_decref(j);
}

static void long_text_is_whole_or_refused(void **state)
{
	(void)state;
	/* from a JSON profile: a 600-byte description arrives whole (it was
	 * cut to 511 bytes without a word), a 2000-byte one is refused */
	struct bb_profile p;
	char desc[2001];
	memset(desc, 'd', sizeof(desc) - 1);
	desc[600] = '\0';
	bb_profile_defaults(&p);
	json_t *j = json_pack("{s:s, s:s}", "name", "long", "description", desc);
	assert_int_equal(bb_profile_from_json(&p, j, "test", err, sizeof(err)), 0);
	assert_int_equal(strlen(p.description), 600);
	json_decref(j);
	desc[600] = 'd';
	desc[2000] = '\0';
	j = json_pack("{s:s, s:s}", "name", "long", "description", desc);
	assert_int_equal(bb_profile_from_json(&p, j, "test", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "description is too long (2000 bytes)"));
	json_decref(j);
}

static void files_and_their_errors(void **state)
{
	(void)state;
	struct bb_profile p;
	char path[] = "/tmp/bb-profile-XXXXXX.json";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("{\"name\": \"mine\", \"devices\": 3, \"style\": \"pio\"}", f);
	fclose(f);
	assert_int_equal(bb_profile_load(&p, path, err, sizeof(err)), 0);
	assert_string_equal(p.name, "mine");
	assert_int_equal(p.devices, 3);
	assert_int_equal(p.queues, 4); /* unspecified fields keep the defaults */

	f = fopen(path, "w");
	fputs("{\"name\": \"mine\",\n \"devices\": }", f);
	fclose(f);
	assert_int_equal(bb_profile_load(&p, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, ":2:"));
	f = fopen(path, "w");
	fputs("{\"devices\": [1]}", f);
	fclose(f);
	assert_int_equal(bb_profile_load(&p, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'devices'"));
	unlink(path);

	assert_int_equal(bb_profile_load(&p, "/nonexistent/p.json", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read profile"));
	assert_int_equal(bb_profile_load(&p, "firecraker", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown profile 'firecraker'"));
	assert_non_null(strstr(err, "firecracker, qemu, crosvm, stress, arm64-many-vcpus"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtins_load_and_validate),
		cmocka_unit_test(builtins_model_their_vmms),
		cmocka_unit_test(linux_profiles_need_a_kernel),
		cmocka_unit_test(pci_profiles_and_their_refusals),
		cmocka_unit_test(set_fields),
		cmocka_unit_test(set_errors_name_the_fix),
		cmocka_unit_test(validation),
		cmocka_unit_test(names_that_leave_out_are_refused),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(long_text_is_whole_or_refused),
		cmocka_unit_test(files_and_their_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
