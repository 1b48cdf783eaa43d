#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "event_log.h"
#include "options.h"
#include "parse.h"
#include "side_names.h"

/* An op name becomes part of a file name and a chart title. */
static bool printable_name(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isgraph((unsigned char)s[n]))
			return false;
	return n > 0 && n < 150;
}

/* A side's name: any printable text, spaces included. */
static bool printable_text(const char *s)
{
	for (; *s; s++)
		if (!isprint((unsigned char)*s))
			return false;
	return true;
}

/* An op bootbench times: a misspelt one would chart nothing, silently. */
static bool known_op(const char *s)
{
	for (int op = 0; op < BB_OP_COUNT; op++)
		if (!strcmp(bb_op_names[op], s))
			return true;
	return false;
}

int bb_plot_parse(int argc, char **argv, struct bb_plot_args *a, char *err, size_t errlen)
{
	static const struct option options[] = {
		{ "out", required_argument, NULL, 'o' }, { "format", required_argument, NULL, 'f' },
		{ "op", required_argument, NULL, 'p' },  { "pool", no_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' }, { "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },      { 0 }
	};
	int c;

	*a = (struct bb_plot_args){ .png = true, .nops = BB_PLOT_DEFAULT_OPS, .timeout_ms = 60000,
				    .ops = { "KVM_IOEVENTFD", "KVM_SET_USER_MEMORY_REGION", "KVM_CREATE_VCPU" } };
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!*optarg) {
				bb_errorf(err, errlen, "--out is empty: give the directory for the charts");
				return -1;
			}
			a->out_dir = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "png") && strcmp(optarg, "svg") && strcmp(optarg, "both")) {
				bb_errorf(err, errlen, "bad value '%.200s' for --format: use png, svg or both", optarg);
				return -1;
			}
			a->png = strcmp(optarg, "svg") != 0;
			a->svg = strcmp(optarg, "png") != 0;
			break;
		case 'p':
			if (a->nops == BB_PLOT_MAX_OPS) {
				bb_errorf(err, errlen, "too many --op: at most %d", BB_PLOT_MAX_OPS - BB_PLOT_DEFAULT_OPS);
				return -1;
			}
			if (!printable_name(optarg) || !known_op(optarg)) {
				bb_errorf(err, errlen, "bad --op '%s': give an op name as a result lists it, such as KVM_IRQFD or mmap:kvm_run (bootbench's ops are in the summary table of bootbench run)",
					  optarg);
				return -1;
			}
			a->ops[a->nops++] = optarg;
			break;
		case 'P': a->pool = true; break;
		case 'n': {
			char *end;
			unsigned long side = strtoul(optarg, &end, 10);
			size_t len = *end == '=' ? strlen(end + 1) : 0;
			if (end == optarg || *end != '=' || side < 1 || side > BB_PLOT_MAX_NAMES || len == 0 ||
			    len > BB_SIDE_NAME_MAX || !printable_text(end + 1)) {
				bb_errorf(err, errlen, "bad --name '%.200s': give N=NAME, N the side's number (1 for the first, after --pool) and NAME 1 to %d printable characters, such as --name 1=baseline",
					  optarg, BB_SIDE_NAME_MAX);
				return -1;
			}
			a->names[side - 1] = end + 1;
			break;
		}
		case 't':
			if (bb_parse_u32("--timeout (milliseconds)", optarg, 100, 3600000, &a->timeout_ms, err, errlen) < 0)
				return -1;
			break;
		case 'h': a->help = true; return 0;
		default:
			bb_option_error(c, argc, argv, "plot", err, errlen);
			return -1;
		}
	}
	if (!a->out_dir || optind >= argc) {
		bb_errorf(err, errlen, "give result files and --out DIR: bootbench plot a.json b.json --out charts");
		return -1;
	}
	a->first_file = optind;
	return 0;
}
