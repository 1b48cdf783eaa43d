#include "duration.h"
#include "summary_table.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "blocked.h"
#include "call_digest.h"
#include "event_log.h"
#include "printable.h"
#include "result_reader.h"
#include "vm.h"

static double stat_in(json_t *m, const char *stat)
{
	json_t *v = m ? json_object_get(m, stat) : NULL;
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static double stat_of(json_t *doc, const char *metric, const char *stat)
{
	return stat_in(bb_result_metric(doc, metric), stat);
}

/* Escaped for the terminal, in one of a few rotating buffers so that a
 * line can hold several. */
static const char *str(json_t *obj, const char *key)
{
	static char buf[8][256];
	static unsigned next;
	json_t *v = json_object_get(obj, key);
	char *out = buf[next++ % 8];
	bb_printable(json_is_string(v) ? json_string_value(v) : "?", out, sizeof(buf[0]));
	return out;
}

static void print_header(FILE *out, json_t *doc)
{
	json_t *bb = json_object_get(doc, "bootbench"), *host = json_object_get(doc, "host");
	json_t *profile = json_object_get(doc, "profile"), *labels = json_object_get(doc, "labels");
	json_t *m = bb_result_metric(doc, "startup");
	json_int_t n = m ? json_integer_value(json_object_get(m, "n")) : 0;

	fprintf(out, "bootbench %s (%s), profile %s: %lld measured iterations\n", str(bb, "version"),
		str(bb, "commit"), str(profile, "name"), (long long)n);
	fprintf(out, "host %s: Linux %s, CONFIG_HZ=%s, %s, %s, %lld CPUs\n", str(host, "hostname"),
		str(host, "kernel_release"), str(host, "config_hz"), str(host, "arch"),
		str(host, "cpu_model"), (long long)json_integer_value(json_object_get(host, "online_cpus")));
	json_t *emulated = json_object_get(doc, "emulated"), *outer = json_object_get(emulated, "outer");
	if (json_is_object(emulated))
		fprintf(out, "emulated: %s, TCG, on %s (Linux %s): absolute times are emulation's; ratios between results of one host carry over\n",
			str(emulated, "qemu"), str(outer, "hostname"), str(outer, "kernel_release"));
	if (json_is_array(json_object_get(profile, "command"))) {
		/* bootbench trace: a command, not a synthetic VM */
		char shown[600];
		bb_printable(str(profile, "description"), shown, sizeof(shown));
		fprintf(out, "profile: %s, until %s\n", shown, str(profile, "until"));
	} else {
		fprintf(out, "profile: %lld vCPUs, %lld devices x %lld queues, style %s, when %s\n",
			(long long)json_integer_value(json_object_get(profile, "vcpus")),
			(long long)json_integer_value(json_object_get(profile, "devices")),
			(long long)json_integer_value(json_object_get(profile, "queues")), str(profile, "style"),
			str(profile, "when"));
	}
	if (json_object_size(labels)) {
		const char *k;
		json_t *v;
		fputs("labels:", out);
		json_object_foreach(labels, k, v) {
			char sk[128];
			bb_printable(k, sk, sizeof(sk));
			fprintf(out, " %s=%s", sk, str(labels, k));
		}
		fputc('\n', out);
	}
}

/* "fn <- caller <- caller" of the metric's own stack, else fn. */
static void chain_of(json_t *doc, json_t *metric, const char *fn, char *buf, size_t len)
{
	char chain[512];
	json_t *stack = json_object_get(metric, "stack");
	json_t *frames = json_array_get(json_object_get(json_object_get(doc, "stacks"), "frames"),
					json_is_integer(stack) ? (size_t)json_integer_value(stack) : (size_t)-1);
	if (frames && bb_waited_in_json(frames, 2, chain, sizeof(chain))) {
		/* 72 columns: callers dropped from the end, whole */
		char *cut;
		while (strlen(chain) > 66 && strstr(chain, " <- ") && (cut = strrchr(chain, '<')))
			cut[-1] = '\0';
		bb_printable(chain, buf, len);
	} else {
		bb_printable(fn, buf, len);
	}
}

/* Each op's off-CPU time worth showing (10 us and 5% of the op), under
 * the kernel function it waited in. */
static void print_blocked(FILE *out, json_t *doc)
{
	size_t i;
	json_t *m;
	bool any = false;
	json_array_foreach(json_object_get(doc, "summary"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		char op[128], total_name[160], chain[512], a[32], b[32];
		const char *fn = name ? bb_blocked_split(name, op, sizeof(op)) : NULL;
		if (!fn || !strcmp(op, BB_BLOCKED_STARTUP))
			continue;
		snprintf(total_name, sizeof(total_name), "op:%s:total", op);
		double blocked = json_number_value(json_object_get(m, "median"));
		double total = stat_of(doc, total_name, "median");
		if (!(blocked >= 10000) || !(blocked >= 0.05 * total))
			continue;
		if (!any)
			fputs("\nblocked off-CPU, per iteration (medians), in the kernel function it waited in:\n", out);
		any = true;
		bb_format_duration(blocked, BB_DURATION_TABLE, a, sizeof(a));
		bb_format_duration(total, BB_DURATION_TABLE, b, sizeof(b));
		char shown_op[128];
		bb_printable(op, shown_op, sizeof(shown_op));
		fprintf(out, "%-30s %11s of %s\n", shown_op, a, b);
		chain_of(doc, m, fn, chain, sizeof(chain));
		fprintf(out, "    in %.66s\n", chain);
		const char *srcu = bb_srcu_of_chain(chain);
		if (srcu) /* which grace period: the I/O bus's and memslots', or the routing's */
			fprintf(out, "    waiting for %s's grace period\n", srcu);
	}
	const char *why = json_string_value(json_object_get(json_object_get(doc, "offcpu"), "unavailable"));
	if (why)
		fprintf(out, "\nno off-CPU time or kernel stacks: %.200s\n", why);
}

void bb_summary_print(FILE *out, json_t *doc)
{
	char a[32], b[32], c[32];
	double startup = stat_of(doc, "startup", "median");

	print_header(out, doc);
	if (isnan(startup)) {
		fputs("\nno iteration completed: nothing to summarize\n", out);
		return;
	}
	bb_format_duration(startup, BB_DURATION_TABLE, a, sizeof(a));
	bb_format_duration(stat_of(doc, "startup", "p90"), BB_DURATION_TABLE, b, sizeof(b));
	bb_format_duration(stat_of(doc, "startup", "min"), BB_DURATION_TABLE, c, sizeof(c));
	fprintf(out, "\nstartup to boot-done: median %s, p90 %s, min %s\n", a, b, c);
	double overhead = stat_of(doc, "overhead", "median");
	bb_format_duration(overhead, BB_DURATION_TABLE, a, sizeof(a));
	fprintf(out, "outside timed calls: median %s (%.1f%% of startup)\n", a, 100 * overhead / startup);
	double vmm = stat_of(doc, "vmm", "median");
	if (!isnan(vmm)) {
		bb_format_duration(vmm, BB_DURATION_TABLE, a, sizeof(a));
		bb_format_duration(stat_of(doc, "vmm", "p90"), BB_DURATION_TABLE, b, sizeof(b));
		fprintf(out, "outside KVM_RUN (vmm): median %s, p90 %s (%.1f%% of startup)\n", a, b,
			100 * vmm / startup);
		bb_format_duration(stat_of(doc, "exit_cost", "median"), BB_DURATION_TABLE, c, sizeof(c));
		fprintf(out, "vCPU 0 exits: median %.0f, at %s each (exit_cost, the host's)\n",
			stat_of(doc, "exits", "median"), c);
	}

	fprintf(out, "\n%-16s %11s %11s %7s\n", "phase", "median", "p90", "share");
	for (int ph = 0; ph < BB_PHASE_COUNT; ph++) {
		char name[64];
		snprintf(name, sizeof(name), "phase:%s", bb_phase_names[ph]);
		double med = stat_of(doc, name, "median");
		if (isnan(med))
			continue;
		bb_format_duration(med, BB_DURATION_TABLE, a, sizeof(a));
		bb_format_duration(stat_of(doc, name, "p90"), BB_DURATION_TABLE, b, sizeof(b));
		if (ph == BB_PHASE_TEARDOWN)
			fprintf(out, "%-16s %11s %11s %7s\n", bb_phase_names[ph], a, b, "after");
		else
			fprintf(out, "%-16s %11s %11s %6.1f%%\n", bb_phase_names[ph], a, b, 100 * med / startup);
	}

	fprintf(out, "\n%-30s %9s %11s %11s %11s\n", "op (boot critical path)", "calls/it", "median/call",
		"p90/call", "total/it");
	for (int op = 0; op < BB_OP_COUNT; op++) {
		char name[96];
		snprintf(name, sizeof(name), "op:%s:count", bb_op_names[op]);
		double count = stat_of(doc, name, "median");
		if (isnan(count))
			continue;
		json_t *pooled = bb_summary_call_pooled(doc, bb_op_names[op]);
		bb_format_duration(stat_in(pooled, "median"), BB_DURATION_TABLE, a, sizeof(a));
		bb_format_duration(stat_in(pooled, "p90"), BB_DURATION_TABLE, b, sizeof(b));
		snprintf(name, sizeof(name), "op:%s:total", bb_op_names[op]);
		bb_format_duration(stat_of(doc, name, "median"), BB_DURATION_TABLE, c, sizeof(c));
		fprintf(out, "%-30s %9.0f %11s %11s %11s\n", bb_op_names[op], count, a, b, c);
	}
	print_blocked(out, doc);
}
