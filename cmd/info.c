/* bootbench info: the host facts a result records, and how this host's
 * KVM behaves, stated as measurements. */
#include <stdio.h>
#include <string.h>

#include "duration.h"
#include "cmd.h"
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
	fputs("usage: bootbench info [--json] [--vms N] [--registrations N]\n"
	      "\n"
	      "Prints the host facts every result records (kernel, CONFIG_HZ, CPU, KVM\n"
	      "capabilities), then measures on N bare VMs (default 10): the median\n"
	      "KVM_IOEVENTFD registration, and a memslot update with nothing registered\n"
	      "before it against one right after the registrations (default 64).\n",
	      out);
}

/* The probe's medians. */
struct probe_medians {
	double ioeventfd_ns, memslot_first_ns, memslot_after_ns;
};

static double median_of(const double *v, size_t n)
{
	struct bb_stats s;
	return bb_stats_compute(v, n, &s) == 0 ? s.median : 0;
}

static struct probe_medians medians_of(const struct bb_host_probe *p)
{
	return (struct probe_medians){
		.ioeventfd_ns = median_of(p->ioeventfd_ns, p->n_ioeventfd),
		.memslot_first_ns = median_of(p->memslot_first_ns, p->vms),
		.memslot_after_ns = median_of(p->memslot_after_ns, p->vms),
	};
}

static json_t *probe_json(const struct bb_host_probe *p, const struct probe_medians *m)
{
	return json_pack("{s:I, s:I, s:f, s:f, s:f}", "vms", (json_int_t)p->vms,
			 "registrations_per_vm", (json_int_t)p->registrations,
			 "ioeventfd_median_ns", m->ioeventfd_ns,
			 "memslot_first_median_ns", m->memslot_first_ns,
			 "memslot_after_registrations_median_ns", m->memslot_after_ns);
}

static void print_text(const struct bb_host_info *h, const struct bb_host_probe *probe)
{
	struct probe_medians med = medians_of(probe);
	const struct probe_medians *p = &med;
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
	bb_format_duration(p->memslot_first_ns, BB_DURATION_TABLE, b, sizeof(b));
	bb_format_duration(p->memslot_after_ns, BB_DURATION_TABLE, c, sizeof(c));
	printf("\nmeasured on %u bare VMs, %u ioeventfds each (medians):\n", probe->vms, probe->registrations);
	printf("  KVM_IOEVENTFD registration:                     %s\n", a);
	printf("  KVM_SET_USER_MEMORY_REGION, none registered:    %s\n", b);
	printf("  KVM_SET_USER_MEMORY_REGION, after registering:  %s (%.0fx)\n", c,
	       p->memslot_first_ns > 0 ? p->memslot_after_ns / p->memslot_first_ns : 0);
	if (p->memslot_after_ns > 10 * p->memslot_first_ns)
		printf("  A memslot update waits for the grace periods the registrations left\n"
		       "  behind: the signature of kvm_io_bus_register_dev() using call_srcu()\n"
		       "  (Linux 6.18, commit 7d9a0273c459).\n");
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

	struct bb_host_info host;
	struct bb_host_probe probe = { 0 };
	if (bb_host_info_collect(&host, err, sizeof(err)) < 0 ||
	    bb_host_probe_run(&probe, a.vms, a.registrations, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench info: %s\n", err);
		bb_host_probe_free(&probe);
		return BB_EXIT_FAILED;
	}
	if (a.json) {
		struct probe_medians med = medians_of(&probe);
		json_t *doc = json_pack("{s:{s:s, s:s}, s:o, s:o}", "bootbench", "version", bb_version,
					"commit", bb_git_commit, "host", bb_host_info_to_json(&host),
					"measured", probe_json(&probe, &med));
		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(doc);
	} else {
		print_text(&host, &probe);
	}
	bb_host_probe_free(&probe);
	return BB_EXIT_OK;
}
