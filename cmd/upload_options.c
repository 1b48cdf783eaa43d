#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "parse.h"
#include "upload_options.h"

enum { O_URL = 256, O_FORMAT, O_PENDING, O_CRED, O_CACERT, O_INSECURE, O_CTO, O_TO, O_RETRIES, O_BACKOFF, O_BATCH, O_VERBOSE, O_HELP };

int bb_upload_parse(int argc, char **argv, struct bb_upload_args *a, char *err, size_t errlen)
{
	static const struct option options[] = {
		{ "url", required_argument, NULL, O_URL }, { "format", required_argument, NULL, O_FORMAT },
		{ "pending", required_argument, NULL, O_PENDING }, { "credentials", required_argument, NULL, O_CRED },
		{ "cacert", required_argument, NULL, O_CACERT }, { "insecure", no_argument, NULL, O_INSECURE },
		{ "connect-timeout", required_argument, NULL, O_CTO }, { "timeout", required_argument, NULL, O_TO },
		{ "retries", required_argument, NULL, O_RETRIES }, { "backoff", required_argument, NULL, O_BACKOFF },
		{ "batch-bytes", required_argument, NULL, O_BATCH }, { "verbose", no_argument, NULL, O_VERBOSE },
		{ "help", no_argument, NULL, O_HELP }, { 0 }
	};
	uint32_t u;
	int c;
	memset(a, 0, sizeof(*a));
	bb_upload_opts_default(&a->opts);
	optind = 0; /* 0, not 1: glibc then starts afresh, whatever the last parse left */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case O_URL:
			if (strncmp(optarg, "http://", 7) && strncmp(optarg, "https://", 8)) {
				bb_errorf(err, errlen, "bad --url '%.200s': use an http:// or https:// URL", optarg);
				return -1;
			}
			if (strlen(optarg) >= sizeof(a->opts.url)) {
				bb_errorf(err, errlen, "--url is too long");
				return -1;
			}
			snprintf(a->opts.url, sizeof(a->opts.url), "%s", optarg);
			a->url_given = true;
			break;
		case O_FORMAT:
			if (bb_upload_format_parse(optarg, &a->opts.format) < 0) {
				bb_errorf(err, errlen, "bad value '%s' for --format: use influx, influx2 or json", optarg);
				return -1;
			}
			break;
		case O_PENDING: a->pending_dir = optarg; break;
		case O_CRED: a->credentials = optarg; break;
		case O_CACERT: snprintf(a->opts.cacert, sizeof(a->opts.cacert), "%s", optarg); break;
		case O_INSECURE: a->opts.insecure = true; break;
		case O_CTO:
			if (bb_parse_u32("--connect-timeout", optarg, 1, 600000, &u, err, errlen))
				return -1;
			a->opts.connect_timeout_ms = u;
			break;
		case O_TO:
			if (bb_parse_u32("--timeout", optarg, 1, 3600000, &u, err, errlen))
				return -1;
			a->opts.timeout_ms = u;
			break;
		case O_RETRIES:
			if (bb_parse_u32("--retries", optarg, 0, 100, &a->opts.retries, err, errlen))
				return -1;
			break;
		case O_BACKOFF:
			if (bb_parse_u32("--backoff", optarg, 1, 600000, &u, err, errlen))
				return -1;
			a->opts.backoff_ms = u;
			break;
		case O_BATCH:
			if (bb_parse_u32("--batch-bytes", optarg, 1024, 1u << 30, &u, err, errlen))
				return -1;
			a->opts.batch_bytes = u;
			break;
		case O_VERBOSE: a->opts.verbose = true; break;
		case O_HELP: a->help = true; return 0;
		default:
			bb_option_error(c, argc, argv, "upload", err, errlen);
			return -1;
		}
	}
	a->first_file = optind;
	if (!a->pending_dir && optind >= argc) {
		bb_errorf(err, errlen, "give result files and --url, or --pending DIR: see bootbench upload --help");
		return -1;
	}
	if (a->pending_dir && optind < argc) {
		bb_errorf(err, errlen, "give either result files or --pending DIR, not both");
		return -1;
	}
	if (!a->pending_dir && !a->url_given) {
		bb_errorf(err, errlen, "--url is needed: where to send the results (see bootbench upload --help)");
		return -1;
	}
	return bb_upload_credentials(&a->opts, a->credentials, err, errlen);
}

