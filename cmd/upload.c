/* bootbench upload: results to InfluxDB 1.x or 2.x, or to any JSON
 * endpoint; and the results still pending from earlier failures. */
#include <signal.h>
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
	      "Exit status: 0 all sent, 1 some still pending, 2 bad usage or a file that is no result.\n",
	      out);
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
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
	if (a.url_given && bb_upload_check(&a.opts, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench upload: %s\n", err);
		return BB_EXIT_USAGE;
	}
	/* Ctrl-C abandons the transfer at once; what was not sent stays pending */
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	a.opts.cancel = &stop;
	if (a.pending_dir) {
		unsigned sent, pending;
		rc = bb_upload_pending(&a.opts, a.pending_dir, a.url_given, &sent, &pending, err, sizeof(err));
		printf("uploaded %u pending results; %u still pending\n", sent, pending);
		if (rc < 0)
			fprintf(stderr, "bootbench upload: %s\n", err);
		return rc == BB_UPLOAD_INTERRUPTED ? BB_EXIT_INTERRUPTED : rc < 0 ? BB_EXIT_FAILED : BB_EXIT_OK;
	}
	int failed = 0, bad = 0;
	for (int i = a.first_file; i < argc; i++) {
		rc = bb_upload_result(&a.opts, argv[i], err, sizeof(err));
		if (rc == BB_UPLOAD_INTERRUPTED) {
			fprintf(stderr, "bootbench upload: %s: %s; kept and marked pending (%s.pending)\n", argv[i], err, argv[i]);
			return BB_EXIT_INTERRUPTED;
		}
		if (rc == BB_UPLOAD_NOT_A_RESULT) {
			fprintf(stderr, "bootbench upload: %s; nothing sent\n", err);
			bad++;
		} else if (rc < 0) {
			fprintf(stderr, "bootbench upload: %s: %s; kept and marked pending (%s.pending)\n", argv[i], err, argv[i]);
			failed++;
		} else {
			printf("uploaded: %s\n", argv[i]);
		}
	}
	return bad ? BB_EXIT_USAGE : failed ? BB_EXIT_FAILED : BB_EXIT_OK;
}
