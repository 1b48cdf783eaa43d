#include "blocked.h"

#include <stdio.h>
#include <string.h>

static int is_wait_primitive(const char *f)
{
	static const char *const prefixes[] = {
		"schedule", "__schedule", "preempt_schedule", "io_schedule", "__cond_resched", "_cond_resched",
		"wait_for_completion", "__wait_for_common", "wait_for_common", "do_wait_for_common",
		"schedule_timeout", "schedule_hrtimeout", "__x64_sys", "__arm64_sys",
	};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(f, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

size_t bb_waited_in(const char *const *frames, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (frames[i] && !is_wait_primitive(frames[i]))
			return i;
	return 0;
}

const char *bb_waited_in_json(json_t *frames, size_t callers, char *buf, size_t len)
{
	const char *names[64];
	size_t n = 0, i;
	json_t *f;
	json_array_foreach(frames, i, f)
		if (n < 64)
			names[n++] = json_is_string(f) ? json_string_value(f) : "?";
	if (n == 0 || len == 0)
		return NULL;
	size_t at = bb_waited_in(names, n), used = 0;
	buf[0] = '\0';
	/* the compiler's clones (".part.0", ".isra.0", ".cold") are the function */
	for (size_t k = at; k < n && k <= at + callers && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%s%.*s", k > at ? " <- " : "", (int)strcspn(names[k], "."),
					 names[k]);
	return buf;
}

const char *bb_srcu_of_chain(const char *chain)
{
	/* each synchronize_srcu*() caller in 6.1 and the struct it waits on;
	 * kvm_pit_set_reinject's notifier unregisters end in a tail call */
	static const struct {
		const char *caller, *srcu;
	} callers[] = {
		{ "kvm_io_bus_register_dev", "kvm->srcu" },
		{ "kvm_io_bus_unregister_dev", "kvm->srcu" },
		{ "kvm_swap_active_memslots", "kvm->srcu" },
		{ "install_new_memslots", "kvm->srcu" },
		{ "kvm_set_irq_routing", "kvm->irq_srcu" },
		{ "kvm_unregister_irq_ack_notifier", "kvm->irq_srcu" },
		{ "kvm_unregister_irq_mask_notifier", "kvm->irq_srcu" },
		{ "kvm_pit_set_reinject", "kvm->irq_srcu" },
		{ "irqfd_shutdown", "kvm->irq_srcu" },
	};
	if (strncmp(chain, "__synchronize_srcu <- ", 22) && strncmp(chain, "synchronize_srcu", 16))
		return NULL;
	const char *first = strstr(chain, " <- ");
	if (!first)
		return NULL;
	first += 4;
	size_t len = strcspn(first, " ");
	for (size_t i = 0; i < sizeof(callers) / sizeof(callers[0]); i++)
		if (strlen(callers[i].caller) == len && !strncmp(first, callers[i].caller, len))
			return callers[i].srcu;
	return NULL;
}

const char *bb_blocked_split(const char *metric, char *op, size_t oplen)
{
	if (strncmp(metric, "blocked:", 8) != 0)
		return NULL;
	const char *colon = strrchr(metric, ':');
	if (colon <= metric + 8)
		return NULL;
	snprintf(op, oplen, "%.*s", (int)(colon - metric - 8), metric + 8);
	return colon + 1;
}

bool bb_blocked_in_startup(const char *op)
{
	return strncmp(op, "close:", 6) != 0 && strncmp(op, "munmap:", 7) != 0;
}
