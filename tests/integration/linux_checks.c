#include "linux_checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

json_int_t result_int(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_integer(v))
		fail_msg("missing integer '%s'", k);
	return json_integer_value(v);
}

const char *result_str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_string(v))
		fail_msg("missing string '%s'", k);
	return json_string_value(v);
}

json_int_t result_op_count(json_t *it, const char *op)
{
	json_t *o = json_object_get(json_object_get(it, "ops"), op);
	return o ? json_integer_value(json_object_get(o, "count")) : 0;
}

static json_int_t phase_ns(json_t *it, const char *name)
{
	size_t k;
	json_t *ph;
	json_array_foreach(json_object_get(it, "phases"), k, ph)
		if (!strcmp(result_str(ph, "name"), name))
			return result_int(ph, "duration_ns");
	fail_msg("iteration has no phase %s", name);
	return -1;
}

/* A virtio-pci guest's: every queue notifier on both MMIO buses (len 0)
 * (and the port bus, for transitional functions),
 * and its MSI-X vectors routed through KVM_SET_GSI_ROUTING with an irqfd
 * each: a disk's configuration vector and at least one queue's, at most
 * all of them (Linux asks for a queue a vCPU). One call per change
 * commits each vector on its own; batched, a disk's probe in one call. */
static void check_pci_interrupts(json_t *it, const char *routes, bool transitional, json_int_t d, json_int_t q)
{
	json_t *reg = json_object_get(it, "registrations");
	json_t *buses = json_object_get(reg, "ioeventfds_per_bus");
	assert_int_equal(result_int(buses, "mmio"), d * q);
	assert_int_equal(result_int(buses, "fast_mmio"), d * q);
	/* a transitional function's port notifier too, on its legacy I/O BAR */
	assert_int_equal(result_int(buses, "pio"), transitional ? d * q : 0);
	json_int_t irqfds = result_int(reg, "irqfds"), assigns = result_op_count(it, "KVM_IRQFD");
	json_int_t routings = result_op_count(it, "KVM_SET_GSI_ROUTING");
	assert_int_equal(irqfds, assigns);
	assert_true(irqfds >= 2 * d);
	/* a vector deassigned (masked) and assigned again counts twice */
	assert_true(irqfds - result_op_count(it, "KVM_IRQFD:deassign") <= d * (q + 1));
	if (!strcmp(routes, "per-change")) {
		assert_true(routings >= irqfds);
	} else {
		assert_string_equal(routes, "batched");
		assert_true(routings >= d);
		assert_true(routings < irqfds);
	}
}

void check_linux_result(json_t *doc, const char *profile, size_t iterations)
{
	json_t *p = json_object_get(doc, "profile");
	assert_true(json_is_true(json_object_get(doc, "complete")));
	assert_string_equal(result_str(p, "workload"), "linux");
	json_int_t d = result_int(p, "devices"), q = result_int(p, "queues");
	bool dynamic = !strcmp(result_str(p, "when"), "dynamic");
	json_t *transport = json_object_get(p, "transport");
	bool pci = transport && !strcmp(json_string_value(transport), "pci");
	size_t k;
	json_t *it;
	assert_int_equal(json_array_size(json_object_get(doc, "iterations")), iterations);
	json_array_foreach(json_object_get(doc, "iterations"), k, it) {
		if (!json_is_true(json_object_get(it, "ok")))
			fail_msg("%s iteration %zu: %s", profile, k, result_str(it, "error"));
		json_t *reg = json_object_get(it, "registrations");
		bool transitional = pci && strstr(result_str(p, "style"), "pio");
		assert_int_equal(result_int(reg, "ioeventfds_assigned"), d * q * (transitional ? 2 : 1));
		if (pci)
			check_pci_interrupts(it, result_str(p, "msi_routes"), transitional, d, q);
		else
			assert_int_equal(result_int(reg, "irqfds"), d);
		/* every registration on the critical path, whichever vCPU made it */
		assert_int_equal(result_op_count(it, "KVM_IOEVENTFD"), d * q * (transitional ? 2 : 1));
		/* made where the profile says: in the devices phase, before
		 * the first KVM_RUN, or during the probe, at DRIVER_OK */
		json_int_t reg_ns = json_integer_value(
			json_object_get(json_object_get(json_object_get(it, "ops"), "KVM_IOEVENTFD"), "total_ns"));
		assert_true(reg_ns <= phase_ns(it, dynamic ? "device_probe" : "devices"));
		assert_true(phase_ns(it, "kernel") > 0);
		assert_true(phase_ns(it, "device_probe") > 0);
		assert_true(phase_ns(it, "init") > 0);
		json_t *kicks = json_object_get(it, "kicks");
		/* each disk's first queue at least once, for init's read */
		assert_true(result_int(kicks, "received") >= d);
		assert_int_equal(result_int(kicks, "by_exit"), 0);
		/* the console is kept (a quiet boot may write nothing to it) */
		assert_true(result_int(json_object_get(it, "console"), "bytes") >= 0);
	}
}
