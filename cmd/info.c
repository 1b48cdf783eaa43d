/* bootbench info: the host facts a result records, and how this host's
 * KVM behaves, stated as measurements. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_stats.h"
#include "blocked.h"
#include "duration.h"
#include "cmd.h"
#include "emulated.h"
#include "host_info.h"
#include "host_probe.h"
#include "options.h"
#include "parse.h"
#include "stats.h"
#include "summary_table.h"

extern const char bb_version[];
extern const char bb_git_commit[];

static void usage(FILE *out)
{
	fputs("usage: bootbench info [--json] [--vms N] [--registrations N] [--host HOST]\n"
	      "\n"
	      "Prints the host facts every result records (kernel, CONFIG_HZ, CPU, KVM\n"
	      "capabilities), then measures on N bare VMs a side (default 10), alternating:\n"
	      "the median KVM_IOEVENTFD registration, and the same memslot update with\n"
	      "nothing registered before it (the control) against one right after the\n"
	      "registrations (default 64), with a bootstrap CI of their ratio. It says a\n"
	      "wait when the CI is above 3x, none below 1.5x; otherwise it repeats twice,\n"
	      "pooled, then says it is too noisy to conclude.\n"
	      "\n"
	      "--host emulated (or emulated-x86_64, emulated-arm64) asks the same of an\n"
	      "emulated host, QEMU TCG with a KVM of its own, as bootbench run --host does.\n",
	      out);
}

/* What the probe shows: medians, and the ratio of the memslot update
 * after the registrations to the same update without them, with its
 * bootstrap CI. */
struct probe_verdict {
	double ioeventfd_ns, control_ns, after_ns;
	struct bb_ab_estimate ratio;
	enum { VERDICT_WAITS, VERDICT_NO_WAIT, VERDICT_NOISY } kind;
	uint32_t rounds;
};

static double median_of(const double *v, size_t n)
{
	struct bb_stats s;
	return bb_stats_compute(v, n, &s) == 0 ? s.median : 0;
}

/* A wait is a grace period, tens of times the update's own cost: the
 * interval must sit above 3x to say so, below 1.5x to say there is none. */
static void judge(const struct bb_host_probe *p, uint32_t rounds, struct probe_verdict *v)
{
	v->ioeventfd_ns = median_of(p->ioeventfd_ns, p->n_ioeventfd);
	v->control_ns = median_of(p->memslot_control_ns, p->vms);
	v->after_ns = median_of(p->memslot_after_ns, p->vms);
	v->rounds = rounds;
	struct bb_ab_sample a = { .v = p->memslot_control_ns, .n = p->vms };
	struct bb_ab_sample b = { .v = p->memslot_after_ns, .n = p->vms };
	bool estimated = bb_ab_bootstrap(&a, &b, 0.5, BB_AB_RESAMPLES, 0.95, 1, &v->ratio) == 0;
	v->kind = VERDICT_NOISY; /* unless the interval decides */
	if (estimated && v->ratio.lo > 3)
		v->kind = VERDICT_WAITS;
	if (estimated && v->ratio.hi < 1.5)
		v->kind = VERDICT_NO_WAIT;
}

/* Appends q's samples to p (both from the same probe settings). */
static int pool(struct bb_host_probe *p, const struct bb_host_probe *q)
{
	double *io = realloc(p->ioeventfd_ns, (p->n_ioeventfd + q->n_ioeventfd) * sizeof(double));
	if (!io)
		return -1;
	p->ioeventfd_ns = io;
	memcpy(io + p->n_ioeventfd, q->ioeventfd_ns, q->n_ioeventfd * sizeof(double));
	p->n_ioeventfd += q->n_ioeventfd;
	double *c = realloc(p->memslot_control_ns, (p->vms + q->vms) * sizeof(double));
	if (!c)
		return -1;
	p->memslot_control_ns = c;
	double *a = realloc(p->memslot_after_ns, (p->vms + q->vms) * sizeof(double));
	if (!a)
		return -1;
	p->memslot_after_ns = a;
	memcpy(c + p->vms, q->memslot_control_ns, q->vms * sizeof(double));
	memcpy(a + p->vms, q->memslot_after_ns, q->vms * sizeof(double));
	p->vms += q->vms;
	return 0;
}

static const char *verdict_name(const struct probe_verdict *v)
{
	return v->kind == VERDICT_WAITS ? "waits" : v->kind == VERDICT_NO_WAIT ? "no wait" : "too noisy to conclude";
}

/* "__synchronize_srcu <- kvm_swap_active_memslots <- kvm_set_memslot" */
static const char *waited_in(const struct bb_host_probe *p, char *buf, size_t len)
{
	if (!p->memslot_frames)
		return NULL;
	json_t *frames = json_array();
	for (size_t i = 0; i < p->memslot_depth; i++)
		json_array_append_new(frames, json_string(p->memslot_frames[i]));
	const char *chain = bb_waited_in_json(frames, 2, buf, len);
	json_decref(frames);
	return chain;
}

static json_t *probe_json(const struct bb_host_probe *p, const struct probe_verdict *v)
{
	char chain[512];
	json_t *stack = json_object();
	if (waited_in(p, chain, sizeof(chain)))
		json_object_set_new(stack, "waited_in", json_string(chain));
	else
		json_object_set_new(stack, "unavailable", json_string(p->offcpu_note));
	if (p->memslot_offcpu_ns)
		json_object_set_new(stack, "offcpu_median_ns", json_real(median_of(p->memslot_offcpu_ns, p->n_memslot_offcpu)));
	json_t *out = json_pack("{s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:s}", "vms", (json_int_t)p->vms,
			 "rounds", (json_int_t)v->rounds, "registrations_per_vm", (json_int_t)p->registrations,
			 "ioeventfd_median_ns", v->ioeventfd_ns, "memslot_control_median_ns", v->control_ns,
			 "memslot_after_registrations_median_ns", v->after_ns, "memslot_ratio", v->ratio.ratio,
			 "memslot_ratio_ci_low", v->ratio.lo, "memslot_ratio_ci_high", v->ratio.hi, "verdict",
			 verdict_name(v));
	json_object_set_new(out, "memslot_after_stack", stack);
	return out;
}

static void print_text(const struct bb_host_info *h, const struct bb_host_probe *probe, const struct probe_verdict *p)
{
	char a[32], b[32], c[32];

	printf("bootbench %s (%s)\n", bb_version, bb_git_commit);
	printf("host:            %s\n", h->hostname);
	printf("kernel:          %s %s\n", h->kernel_release, h->kernel_version);
	printf("CONFIG_HZ:       %s (from %s)\n", h->config_hz, h->config_hz_from);
	printf("arch:            %s\n", h->arch);
	printf("cpu:             %s, %ld online\n", h->cpu_model, h->online_cpus);
	printf("KVM API version: %d\n", h->kvm_api_version);
	for (int i = 0; i < BB_HOST_CAPS && h->caps[i].name; i++)
		printf("  %-30s %ld\n", h->caps[i].name, h->caps[i].value);
	bb_format_duration(p->ioeventfd_ns, BB_DURATION_TABLE, a, sizeof(a));
	bb_format_duration(p->control_ns, BB_DURATION_TABLE, b, sizeof(b));
	bb_format_duration(p->after_ns, BB_DURATION_TABLE, c, sizeof(c));
	printf("\nmeasured on %u bare VMs a side, alternating, %u ioeventfds each (medians):\n", probe->vms,
	       probe->registrations);
	printf("  KVM_IOEVENTFD registration:                       %s\n", a);
	printf("  KVM_SET_USER_MEMORY_REGION, nothing registered:   %s (the control)\n", b);
	printf("  KVM_SET_USER_MEMORY_REGION, after registering:    %s (%.1fx, 95%% CI %.1fx..%.1fx)\n", c,
	       p->ratio.ratio, p->ratio.lo, p->ratio.hi);
	char chain[512];
	if (waited_in(probe, chain, sizeof(chain))) {
		char off[32];
		bb_format_duration(median_of(probe->memslot_offcpu_ns, probe->n_memslot_offcpu), BB_DURATION_TABLE, off, sizeof(off));
		printf("    of which off-CPU:                               %s, in\n      %.66s\n", off, chain);
	} else {
		printf("    (no kernel stack: %.200s)\n", probe->offcpu_note);
	}
	if (p->kind == VERDICT_WAITS)
		printf("  A memslot update waits for the grace periods the registrations left\n"
		       "  behind: the signature of kvm_io_bus_register_dev() using call_srcu()\n"
		       "  (Linux 6.18, commit 7d9a0273c459).\n");
	else if (p->kind == VERDICT_NO_WAIT)
		printf("  The registrations leave nothing for a memslot update to wait for.\n");
	else
		printf("  Too noisy to conclude after %u round%s: the interval spans both a wait\n"
		       "  and none. Run it again with more --vms on a quieter host.\n",
		       p->rounds, p->rounds == 1 ? "" : "s");
}

int cmd_info(int argc, char **argv)
{
	struct bb_info_args a;
	char err[1024];

	if (bb_info_parse(argc, argv, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench info: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (a.help) {
		usage(stdout);
		return BB_EXIT_OK;
	}

	if (a.host.kind == BB_HOST_EMULATED) {
		char vms[16], regs[16];
		snprintf(vms, sizeof(vms), "%u", a.vms);
		snprintf(regs, sizeof(regs), "%u", a.registrations);
		char *inner[] = { "info", "--vms", vms, "--registrations", regs, a.json ? "--json" : NULL, NULL };
		return bb_emulated_info(a.host.arch, inner);
	}

	struct bb_host_info host;
	struct bb_host_probe probe = { 0 };
	struct probe_verdict verdict;
	if (bb_host_info_collect(&host, err, sizeof(err)) < 0 ||
	    bb_host_probe_run(&probe, a.vms, a.registrations, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench info: %s\n", err);
		bb_host_probe_free(&probe);
		return BB_EXIT_FAILED;
	}
	judge(&probe, 1, &verdict);
	/* a noisy round is repeated, pooled, twice at most */
	for (uint32_t round = 2; verdict.kind == VERDICT_NOISY && round <= 3; round++) {
		struct bb_host_probe more = { 0 };
		if (bb_host_probe_run(&more, a.vms, a.registrations, err, sizeof(err)) < 0 || pool(&probe, &more) < 0) {
			fprintf(stderr, "bootbench info: %s\n", err);
			bb_host_probe_free(&more);
			bb_host_probe_free(&probe);
			return BB_EXIT_FAILED;
		}
		bb_host_probe_free(&more);
		judge(&probe, round, &verdict);
	}
	if (a.json) {
		json_t *doc = json_pack("{s:{s:s, s:s}, s:o, s:o}", "bootbench", "version", bb_version,
					"commit", bb_git_commit, "host", bb_host_info_to_json(&host),
					"measured", probe_json(&probe, &verdict));
		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(doc);
	} else {
		print_text(&host, &probe, &verdict);
	}
	bb_host_probe_free(&probe);
	return BB_EXIT_OK;
}
