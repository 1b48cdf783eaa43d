#include "initramfs_options.h"

#include <getopt.h>
#include <string.h>

#include "errorf.h"
#include "parse.h"

enum { OPT_OUT = 256, OPT_HELP };

static const struct option options[] = {
	{ "out", required_argument, NULL, OPT_OUT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0 }
};

void bb_initramfs_usage(FILE *out)
{
	fputs("usage: bootbench initramfs --out FILE\n"
	      "\n"
	      "Writes the initramfs bootbench boots its Linux guests with, as a cpio\n"
	      "(newc) archive: a static /init for this build's arch, /dev/console and\n"
	      "/proc. Its init checks each virtio-blk disk's first block against the\n"
	      "pattern bootbench writes there and signals boot-done through\n"
	      "Firecracker's boot timer (bootbench.timer=ADDR bootbench.disks=N\n"
	      "bootbench.seed=S on the kernel command line); with no timer it prints\n"
	      "'bootbench-init: ok' on the console and reboots, so another VMM (QEMU\n"
	      "with -no-reboot, and reboot=t on x86's microvm; Firecracker) can boot the\n"
	      "same guest, under bootbench trace for one (--until-output\n"
	      "'bootbench-init: ok').\n"
	      "\n"
	      "  --out FILE   where to write it (replaced whole, or left as it was)\n"
	      "\n"
	      "Exit status: 0 written, 1 it could not be written, 2 bad usage.\n",
	      out);
}

int bb_initramfs_parse(int argc, char **argv, struct bb_initramfs_args *a, char *err, size_t errlen)
{
	int c;
	memset(a, 0, sizeof(*a));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case OPT_OUT:
			if (!optarg[0] || strlen(optarg) >= sizeof(a->out) - 16) {
				bb_errorf(err, errlen, "bad --out '%s': give a file path", optarg);
				return -1;
			}
			snprintf(a->out, sizeof(a->out), "%s", optarg);
			break;
		case OPT_HELP:
			a->help = true;
			return 0;
		default:
			bb_option_error(c, argc, argv, "initramfs", err, errlen);
			return -1;
		}
	}
	if (optind < argc) {
		bb_errorf(err, errlen, "unexpected argument '%s': bootbench initramfs takes only --out FILE", argv[optind]);
		return -1;
	}
	if (!a->out[0]) {
		bb_errorf(err, errlen, "--out FILE is needed: where to write the initramfs");
		return -1;
	}
	return 0;
}
