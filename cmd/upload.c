/* bootbench upload: results to InfluxDB 1.x or 2.x, or to any JSON
 * endpoint; and the results still pending from earlier failures. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "parse.h"
#include "upload_options.h"

static void usage(FILE *out)
{
	fputs("usage: bootbench upload RESULT.json... --url URL [OPTIONS]\n"
	      "       bootbench upload --pending DIR [--url URL] [OPTIONS]\n"
	      "\n"
	      "  --url URL              InfluxDB 1.x: http://HOST:8086/write?db=DB[&rp=RP]\n"
	      "                         InfluxDB 2.x: http://HOST:8086/api/v2/write?org=ORG&bucket=B\n"
	      "                         any other URL: the result document is POSTed as JSON\n"
	      "  --format F             influx, influx2 or json (default: from the URL)\n"
	      "  --pending DIR          send every result in DIR marked pending by a failed upload\n"
	      "  --credentials FILE     token=..., or user=... and password=... lines\n"
	      "                         (else BOOTBENCH_UPLOAD_TOKEN, or BOOTBENCH_UPLOAD_USER and\n"
	      "                         BOOTBENCH_UPLOAD_PASSWORD, from the environment)\n"
	      "  --cacert FILE          CA bundle for TLS; --insecure skips verification\n"
	      "  --connect-timeout MS   (default 5000)   --timeout MS  per request (default 30000)\n"
	      "  --retries N            after the first try (default 4), with backoff from\n"
	      "  --backoff MS           (default 500), doubling to at most 30 s; 429 waits Retry-After\n"
	      "  --batch-bytes N        largest line-protocol body (default 4 MiB; 413 halves it)\n"
	      "  --verbose              say what is sent and retried (never credentials)\n"
	      "\n"
	      "A result that cannot be sent is kept and marked pending (RESULT.json.pending).\n"
	      "Exit status: 0 all sent, 1 some still pending, 2 bad usage.\n",
	      out);
}

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
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case O_URL:
			if (strncmp(optarg, "http://", 7) && strncmp(optarg, "https://", 8)) {
				snprintf(err, errlen, "bad --url '%.200s': use an http:// or https:// URL", optarg);
				return -1;
			}
			if (strlen(optarg) >= sizeof(a->opts.url)) {
				snprintf(err, errlen, "--url is too long");
				return -1;
			}
			snprintf(a->opts.url, sizeof(a->opts.url), "%s", optarg);
			a->url_given = true;
			break;
		case O_FORMAT:
			if (bb_upload_format_parse(optarg, &a->opts.format) < 0) {
				snprintf(err, errlen, "bad value '%s' for --format: use influx, influx2 or json", optarg);
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
		case ':':
			snprintf(err, errlen, "option %s needs a value: see bootbench upload --help", argv[optind - 1]);
			return -1;
		default:
			snprintf(err, errlen, "unknown option '%s': see bootbench upload --help", argv[optind - 1]);
			return -1;
		}
	}
	a->first_file = optind;
	if (!a->pending_dir && optind >= argc) {
		snprintf(err, errlen, "give result files and --url, or --pending DIR: see bootbench upload --help");
		return -1;
	}
	if (a->pending_dir && optind < argc) {
		snprintf(err, errlen, "give either result files or --pending DIR, not both");
		return -1;
	}
	if (!a->pending_dir && !a->url_given) {
		snprintf(err, errlen, "--url is needed: where to send the results (see bootbench upload --help)");
		return -1;
	}
	return bb_upload_credentials(&a->opts, a->credentials, err, errlen);
}

int cmd_upload(int argc, char **argv)
{
	struct bb_upload_args a;
	char err[1024];
	int rc = bb_upload_parse(argc, argv, &a, err, sizeof(err));
	if (a.help) {
		usage(stdout);
		return BB_EXIT_OK;
	}
	if (rc < 0) {
		fprintf(stderr, "bootbench upload: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (a.pending_dir) {
		unsigned sent, pending;
		rc = bb_upload_pending(&a.opts, a.pending_dir, a.url_given, &sent, &pending, err, sizeof(err));
		printf("uploaded %u pending results; %u still pending\n", sent, pending);
		if (rc < 0)
			fprintf(stderr, "bootbench upload: %s\n", err);
		return rc < 0 ? BB_EXIT_FAILED : BB_EXIT_OK;
	}
	int failed = 0;
	for (int i = a.first_file; i < argc; i++) {
		if (bb_upload_result(&a.opts, argv[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "bootbench upload: %s: %s; kept and marked pending (%s.pending)\n", argv[i], err, argv[i]);
			failed++;
		} else {
			printf("uploaded: %s\n", argv[i]);
		}
	}
	return failed ? BB_EXIT_FAILED : BB_EXIT_OK;
}
