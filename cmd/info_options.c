#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "options.h"
#include "parse.h"

int bb_info_parse(int argc, char **argv, struct bb_info_args *a, char *err, size_t errlen)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "vms", required_argument, NULL, 'v' },
		{ "registrations", required_argument, NULL, 'r' },
		{ "host", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	*a = (struct bb_info_args){ .vms = 10, .registrations = 64 };
	optind = 0; /* 0, not 1: glibc then forgets the last parse's place */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case 'j': a->json = true; break;
		case 'v':
			if (bb_parse_u32("--vms", optarg, 1, 10000, &a->vms, err, errlen) < 0)
				return -1;
			break;
		case 'r':
			if (bb_parse_u32("--registrations", optarg, 1, 1000, &a->registrations, err, errlen) < 0)
				return -1;
			break;
		case 'H':
			if (bb_parse_host(optarg, &a->host, err, errlen) < 0)
				return -1;
			break;
		case 'h': a->help = true; return 0;
		default:
			bb_option_error(c, argc, argv, "info", err, errlen);
			return -1;
		}
	}
	if (optind < argc) {
		bb_errorf(err, errlen, "unexpected argument '%s': see bootbench info --help", argv[optind]);
		return -1;
	}
	return 0;
}

int bb_profiles_parse(int argc, char **argv, struct bb_profiles_args *a, char *err, size_t errlen)
{
	static const struct option options[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	int c;

	*a = (struct bb_profiles_args){ 0 };
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (c == 'h') {
			a->help = true;
			return 0;
		}
		bb_option_error(c, argc, argv, "profiles", err, errlen);
		return -1;
	}
	if (optind < argc) {
		bb_errorf(err, errlen, "unexpected argument '%s': bootbench profiles takes no arguments", argv[optind]);
		return -1;
	}
	return 0;
}
