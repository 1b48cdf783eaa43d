#include "run_options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "parse.h"
#include "upload.h"

static const struct option options[] = {
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "devices", required_argument, NULL, OPT_DEVICES },
	{ "queues", required_argument, NULL, OPT_QUEUES },
	{ "style", required_argument, NULL, OPT_STYLE },
	{ "when", required_argument, NULL, OPT_WHEN },
	{ "memslots-after", required_argument, NULL, OPT_MEMSLOTS_AFTER },
	{ "set", required_argument, NULL, OPT_SET },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
	{ "no-events", no_argument, NULL, OPT_NO_EVENTS },
	{ "no-stacks", no_argument, NULL, OPT_NO_STACKS },
	{ "guest-fault", required_argument, NULL, OPT_GUEST_FAULT },
	{ "upload", required_argument, NULL, OPT_UPLOAD },
	{ "upload-format", required_argument, NULL, OPT_UPLOAD_FORMAT },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0 }
};

void bb_run_usage(FILE *out)
{
	fputs("usage: bootbench run [OPTIONS]\n"
	      "\n"
	      "Boots a fresh VM per iteration and times every KVM ioctl of its startup,\n"
	      "up to the guest's boot-done signal, then its teardown.\n"
	      "\n"
	      "  --profile NAME|FILE   a .json file, or a built-in profile (default\n"
	      "                        " BB_DEFAULT_PROFILE "):\n",
	      out);
	/* every built-in name, wrapped under the option's text */
	size_t col = 0;
	for (size_t i = 0; i < bb_builtin_profile_count; i++) {
		const char *name = bb_builtin_profiles[i].name;
		size_t w = strlen(name) + (i + 1 < bb_builtin_profile_count ? 1 : 0);
		if (col == 0 || col + 1 + w > 72) {
			fputs(col ? "\n                       " : "                       ", out);
			col = 23;
		}
		fprintf(out, " %s%s", name, i + 1 < bb_builtin_profile_count ? "," : "");
		col += 1 + w;
	}
	fputs("\n"
	      "  --iterations N        measured iterations (default 30)\n"
	      "  --warmup N            iterations run first, not in the summary (default 3)\n"
	      "  --label KEY=VALUE     tag the result, e.g. --label patch=on (repeatable)\n"
	      "  --pin CPULIST         pin vCPU i to the i-th CPU of the list, e.g. 0 or 0-1\n"
	      "  --out DIR             where the result files go (default bootbench-results)\n"
	      "  --quiet               no progress and no summary table\n"
	      "  --timeout MS          watchdog for boot-done, per iteration (default 10000)\n"
	      "  --keep-going          go on after a failed iteration (default: stop)\n"
	      "  --no-events           leave the raw per-ioctl events out of the result\n"
	      "  --no-stacks           no off-CPU time or kernel stacks (perf events; on by\n"
	      "                        default where the host permits them)\n"
	      "  --upload URL          send the result once it is on disk (see bootbench\n"
	      "                        upload; credentials from BOOTBENCH_UPLOAD_TOKEN, or\n"
	      "                        BOOTBENCH_UPLOAD_USER and _PASSWORD)\n"
	      "  --upload-format F     influx, influx2 or json (default: from the URL)\n"
	      "  --host local|emulated|emulated-x86_64|emulated-arm64\n"
	      "                        where the VMs run: this machine's KVM (default), or\n"
	      "                        an emulated host (QEMU TCG with a KVM of its own;\n"
	      "                        emulated is this machine's arch), for machines\n"
	      "                        without /dev/kvm: its absolute times are emulation's,\n"
	      "                        its ratios carry over\n"
	      "\n"
	      "Profile overrides:\n"
	      "  --vcpus N  --devices N  --queues N  --memslots-after N\n"
	      "  --style mmio|mmio-any|pio[,...]   --when static|dynamic|reset\n"
	      "  --set FIELD=VALUE     any profile field (docs/running.md lists them)\n"
	      "\n"
	      "A Linux guest (workload linux; the profiles linux-*):\n"
	      "  --kernel FILE         the kernel image to boot (lab/build-kernel --guest\n"
	      "                        builds one)\n"
	      "  --initrd FILE         an initrd in place of bootbench's own initramfs\n"
	      "  --cmdline TEXT        words added to the kernel command line\n"
	      "\n"
	      "Testing the harness:\n"
	      "  --guest-fault missing-kick|extra-kick|hang|triple-fault|bad-device-id\n"
	      "\n"
	      "Exit status: 0 all iterations passed, 1 a failure, 2 bad usage, 130 interrupted.\n",
	      out);
}

static int set_override(struct bb_run_args *o, const char *key, const char *value, char *err,
			size_t errlen)
{
	char inner[768];
	if (bb_profile_set(&o->cfg.profile, key, value, inner, sizeof(inner)) < 0) {
		bb_errorf(err, errlen, "%s", inner);
		return -1;
	}
	return 0;
}

static int parse_fault(const char *text, enum bb_guest_fault *out, char *err, size_t errlen)
{
	static const struct { const char *name; enum bb_guest_fault f; } faults[] = {
		{ "none", BB_FAULT_NONE }, { "missing-kick", BB_FAULT_MISSING_KICK },
		{ "extra-kick", BB_FAULT_EXTRA_KICK }, { "hang", BB_FAULT_HANG },
		{ "triple-fault", BB_FAULT_TRIPLE }, { "bad-device-id", BB_FAULT_BAD_DEVICE_ID },
	};
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		if (strcmp(text, faults[i].name) == 0) {
			*out = faults[i].f;
			return 0;
		}
	}
	bb_errorf(err, errlen, "bad value '%s' for --guest-fault: use missing-kick, extra-kick, hang, triple-fault or bad-device-id", text);
	return -1;
}

int bb_parse_host(const char *text, struct bb_host_target *t, char *err, size_t errlen)
{
	*t = (struct bb_host_target){ .kind = BB_HOST_LOCAL };
	if (!strcmp(text, "local"))
		return 0;
	const char *arch = !strcmp(text, "emulated")		? BB_HOST_ARCH
			   : !strcmp(text, "emulated-x86_64") ? "x86_64"
			   : !strcmp(text, "emulated-arm64")  ? "arm64"
							      : NULL;
	if (!arch) {
		bb_errorf(err, errlen, "bad value '%.100s' for --host: use local, emulated, emulated-x86_64 or emulated-arm64", text);
		return -1;
	}
	t->kind = BB_HOST_EMULATED;
	snprintf(t->arch, sizeof(t->arch), "%s", arch);
	return 0;
}

/* Overrides are applied after the profile is loaded, in command-line
 * order, whatever the position of --profile. */
struct override {
	const char *key;
	const char *value;
};

int bb_run_upload_opts(const struct bb_run_args *o, struct bb_upload_opts *u, char *err, size_t errlen)
{
	bb_upload_opts_default(u);
	snprintf(u->url, sizeof(u->url), "%s", o->upload_url);
	if (o->upload_format[0])
		bb_upload_format_parse(o->upload_format, &u->format);
	return bb_upload_credentials(u, NULL, err, errlen) < 0 || bb_upload_check(u, err, errlen) < 0 ? -1 : 0;
}

/* The options run and trace share: 0 taken, -1 bad (err says why), 1 not one of them. */
int bb_run_shared_option(int c, const char *optarg, struct bb_run_args *o, char *err, size_t errlen)
{
	switch (c) {
	case OPT_ITERATIONS:
		if (bb_parse_u32("--iterations", optarg, 1, 10000000, &o->iterations, err, errlen))
			return -1;
		break;
	case OPT_WARMUP:
		if (bb_parse_u32("--warmup", optarg, 0, 1000000, &o->warmup, err, errlen))
			return -1;
		break;
	case OPT_LABEL:
		if (o->nr_labels == BB_MAX_LABELS) {
			bb_errorf(err, errlen, "too many --label options: at most %d", BB_MAX_LABELS);
			return -1;
		}
		if (bb_parse_label(optarg, o->label_key[o->nr_labels], sizeof(o->label_key[0]),
				   o->label_value[o->nr_labels], sizeof(o->label_value[0]), err, errlen))
			return -1;
		for (uint32_t i = 0; i < o->nr_labels; i++) {
			if (strcmp(o->label_key[i], o->label_key[o->nr_labels]) == 0) {
				bb_errorf(err, errlen, "label '%s' is given twice: give each key once", o->label_key[i]);
				return -1;
			}
		}
		o->nr_labels++;
		break;
	case OPT_OUT:
		if (strlen(optarg) == 0 || strlen(optarg) >= sizeof(o->out_dir) - 128) {
			bb_errorf(err, errlen, "bad --out '%s': give a directory path", optarg);
			return -1;
		}
		snprintf(o->out_dir, sizeof(o->out_dir), "%s", optarg);
		break;
	case OPT_QUIET: o->quiet = true; break;
	case OPT_KEEP_GOING: o->keep_going = true; break;
	case OPT_NO_EVENTS: o->with_events = false; break;
	case OPT_NO_STACKS: o->cfg.stacks = false; break;
	case OPT_TIMEOUT:
		if (bb_parse_u32("--timeout", optarg, 1, 3600000, &o->cfg.timeout_ms, err, errlen))
			return -1;
		break;
	case OPT_UPLOAD:
		if ((strncmp(optarg, "http://", 7) && strncmp(optarg, "https://", 8)) ||
		    strlen(optarg) >= sizeof(o->upload_url)) {
			bb_errorf(err, errlen, "bad --upload '%.200s': use an http:// or https:// URL", optarg);
			return -1;
		}
		snprintf(o->upload_url, sizeof(o->upload_url), "%s", optarg);
		break;
	case OPT_UPLOAD_FORMAT:
		if (strcmp(optarg, "influx") && strcmp(optarg, "influx2") && strcmp(optarg, "json")) {
			bb_errorf(err, errlen, "bad value '%s' for --upload-format: use influx, influx2 or json", optarg);
			return -1;
		}
		snprintf(o->upload_format, sizeof(o->upload_format), "%s", optarg);
		break;
	default:
		return 1;
	}
	return 0;
}

int bb_run_parse(int argc, char **argv, struct bb_run_args *o, char *err, size_t errlen)
{
	struct override overrides[64];
	size_t nr_overrides = 0;
	char set_key[64][64];
	int c;

	memset(o, 0, sizeof(*o));
	snprintf(o->profile_arg, sizeof(o->profile_arg), "%s", BB_DEFAULT_PROFILE);
	snprintf(o->out_dir, sizeof(o->out_dir), "bootbench-results");
	o->iterations = 30;
	o->warmup = 3;
	o->cfg.timeout_ms = 10000;
	o->with_events = true;
	o->cfg.stacks = true;

	optind = 0; /* 0, not 1: glibc then starts afresh, whatever the last parse left */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		const char *key = NULL;
		switch (c) {
		case OPT_PROFILE:
			if (strlen(optarg) >= sizeof(o->profile_arg)) {
				bb_errorf(err, errlen, "--profile path is too long");
				return -1;
			}
			snprintf(o->profile_arg, sizeof(o->profile_arg), "%s", optarg);
			break;
		case OPT_PIN:
			/* checked once --host is known: its CPUs may not be this machine's */
			if (strlen(optarg) >= sizeof(o->pin_arg)) {
				bb_errorf(err, errlen, "--pin '%.40s...' is too long: give a CPU list such as 0-1", optarg);
				return -1;
			}
			snprintf(o->pin_arg, sizeof(o->pin_arg), "%s", optarg);
			break;
		case OPT_HELP: o->help = true; return 0;
		case OPT_HOST:
			if (bb_parse_host(optarg, &o->host, err, errlen) < 0)
				return -1;
			break;
		case OPT_GUEST_FAULT:
			if (parse_fault(optarg, &o->cfg.fault, err, errlen))
				return -1;
			break;
		case OPT_VCPUS: key = "vcpus"; break;
		case OPT_DEVICES: key = "devices"; break;
		case OPT_QUEUES: key = "queues"; break;
		case OPT_STYLE: key = "style"; break;
		case OPT_WHEN: key = "when"; break;
		case OPT_MEMSLOTS_AFTER: key = "memslots_after"; break;
		case OPT_KERNEL:
			/* a kernel is a Linux guest, whatever the profile booted before */
			if (nr_overrides == 64) {
				bb_errorf(err, errlen, "too many profile overrides: at most 64");
				return -1;
			}
			overrides[nr_overrides++] = (struct override){ "workload", "linux" };
			key = "kernel";
			break;
		case OPT_INITRD: key = "initrd"; break;
		case OPT_CMDLINE: key = "cmdline"; break;
		case OPT_SET: {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof(set_key[0])) {
				bb_errorf(err, errlen, "bad --set '%s': use --set FIELD=VALUE, e.g. --set irqfds=false", optarg);
				return -1;
			}
			if (nr_overrides == 64) {
				bb_errorf(err, errlen, "too many profile overrides: at most 64");
				return -1;
			}
			memcpy(set_key[nr_overrides], optarg, (size_t)(eq - optarg));
			set_key[nr_overrides][eq - optarg] = '\0';
			overrides[nr_overrides].key = set_key[nr_overrides];
			overrides[nr_overrides].value = eq + 1;
			nr_overrides++;
			break;
		}
		default: {
			int shared = bb_run_shared_option(c, optarg, o, err, errlen);
			if (shared < 0)
				return -1;
			if (shared > 0) {
				bb_option_error(c, argc, argv, "run", err, errlen);
				return -1;
			}
		}
		}
		if (key) {
			if (nr_overrides == 64) {
				bb_errorf(err, errlen, "too many profile overrides: at most 64");
				return -1;
			}
			overrides[nr_overrides++] = (struct override){ key, optarg };
		}
	}
	if (optind < argc) {
		bb_errorf(err, errlen, "unexpected argument '%s': bootbench run takes only options (see --help)", argv[optind]);
		return -1;
	}
	if (o->upload_url[0]) {
		/* a bad URL or bad credentials are usage errors, found before the
		 * run rather than after it, and mark nothing pending */
		struct bb_upload_opts u;
		if (bb_run_upload_opts(o, &u, err, errlen) < 0)
			return -1;
	}

	if (o->pin_arg[0] && o->host.kind == BB_HOST_EMULATED) {
		/* the emulated host has CPUs of its own: a pin must name them */
		cpu_set_t cpus;
		CPU_ZERO(&cpus);
		for (int cpu = 0; cpu < BB_EMULATED_CPUS; cpu++)
			CPU_SET(cpu, &cpus);
		if (bb_parse_cpulist_in(o->pin_arg, &cpus, "in the emulated host", o->cfg.pin_cpus, BB_MAX_PIN_CPUS,
					&o->cfg.nr_pin, err, errlen))
			return -1;
	} else if (o->pin_arg[0] &&
		   bb_parse_cpulist(o->pin_arg, o->cfg.pin_cpus, BB_MAX_PIN_CPUS, &o->cfg.nr_pin, err, errlen)) {
		return -1;
	}

	struct bb_profile *p = &o->cfg.profile;
	if (bb_profile_load(p, o->profile_arg, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < nr_overrides; i++)
		if (set_override(o, overrides[i].key, overrides[i].value, err, errlen) < 0)
			return -1;
	/* the other arch's checks (its layout, its kernel format) are made by
	 * the bootbench that runs there, which refuses in the same one line */
	if (o->host.kind == BB_HOST_EMULATED && strcmp(o->host.arch, BB_HOST_ARCH))
		return bb_profile_validate(p, err, errlen);
	return bb_vm_resolve_profile(p, err, errlen);
}

int bb_run_argv_without(int argc, char **argv, const int *drop, size_t ndrop, char **kept)
{
	/* getopt_long permutes what it scans: it scans a copy, and the spans
	 * it consumed pick from the original */
	char **scan = calloc((size_t)argc + 1, sizeof(*scan));
	bool *dropped = calloc((size_t)argc + 1, sizeof(*dropped));
	int n = 0;
	if (!scan || !dropped) {
		free(scan);
		free(dropped);
		return -1;
	}
	memcpy(scan, argv, (size_t)argc * sizeof(*scan));
	optind = 0;
	opterr = 0;
	for (;;) {
		int before = optind ? optind : 1;
		int c = getopt_long(argc, scan, ":", options, NULL);
		if (c == -1)
			break;
		for (size_t d = 0; d < ndrop; d++) {
			if (c != drop[d])
				continue;
			/* the option and, when separate, its value: the words
			 * between before and optind that getopt took */
			for (int i = before; i < optind && i < argc; i++)
				dropped[i] = true;
		}
	}
	for (int i = 0; i < argc; i++) {
		if (dropped[i])
			continue;
		kept[n++] = argv[i];
	}
	kept[n] = NULL;
	free(scan);
	free(dropped);
	return n;
}
