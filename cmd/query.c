/* bootbench query: the runs a store selection matches, one line each, so a
 * user checks a selection before comparing or gating on it. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "compare.h"
#include "parse.h"
#include "printable.h"
#include "store_fetch.h"
#include "store_selection.h"
#include "upload.h"

static void usage(FILE *out)
{
	fputs("usage: bootbench query SELECTION [--max-runs N] [--cacert FILE] [--insecure]\n"
	      "\n"
	      "Lists the runs whose measured iterations SELECTION matches in a results\n"
	      "store (what bootbench upload sent there), one line each: the run, its host,\n"
	      "kernel, profile, iterations, first start, labels and result file; then how\n"
	      "many runs, hosts and kernels. compare, report and gate take the same\n"
	      "selection as a side.\n"
	      "\n"
	      "SELECTION:\n"
	      "  influx://HOST[:PORT]/DATABASE?KEY=VALUE&...     InfluxDB 1.x\n"
	      "  influxs://...                                   the same over TLS\n"
	      "  KEY: profile, kernel, host, arch, hz, bootbench, run, label.NAME (a\n"
	      "  --label of the run), since and until (7d, 24h, or 2026-12-01T00:00:00Z);\n"
	      "  values percent-encoded where they hold & or #, e.g.\n"
	      "  'influx://db:8086/bootbench?profile=firecracker&label.patch=none&since=7d'\n"
	      "  (InfluxDB 2.x, influx2://HOST/BUCKET?org=ORG&..., is parsed but not read\n"
	      "  yet.) Credentials come from BOOTBENCH_UPLOAD_TOKEN, or BOOTBENCH_UPLOAD_USER\n"
	      "  and BOOTBENCH_UPLOAD_PASSWORD, as upload reads them; never from SELECTION.\n"
	      "\n"
	      "  --max-runs N     refuse a selection of more runs (default 64, a side's limit)\n"
	      "  --cacert FILE    CA bundle for TLS\n"
	      "  --insecure       do not verify the store's TLS certificate\n"
	      "\n"
	      "Exit status: 0 listed, 1 the store failed or answered nothing bootbench\n"
	      "wrote, 2 bad usage, or a selection that matches nothing or too many runs.\n",
	      out);
}

static void first_start(json_t *doc, char *buf, size_t len)
{
	json_t *it = json_array_get(json_object_get(doc, "iterations"), 0);
	time_t t = (time_t)(json_integer_value(json_object_get(it, "start_unix_ns")) / 1000000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *text(json_t *o, const char *k, char *buf, size_t len)
{
	json_t *v = json_object_get(o, k);
	bb_printable(json_is_string(v) && json_string_value(v)[0] ? json_string_value(v) : "-", buf, len);
	return buf;
}

/* how many values of the host's key the runs hold; *missing counts the
 * runs without one (uploaded without it), which are no value of their own */
static size_t distinct(json_t *runs, const char *key, size_t *missing)
{
	json_t *seen = json_object(), *doc;
	size_t i;
	*missing = 0;
	json_array_foreach(runs, i, doc) {
		json_t *v = json_object_get(json_object_get(doc, "host"), key);
		if (json_is_string(v))
			json_object_set_new(seen, json_string_value(v), json_true());
		else
			++*missing;
	}
	size_t n = json_object_size(seen);
	json_decref(seen);
	return n;
}

/* "2 kernels" or "1 kernel (1 run without one)" */
static void counted(char *buf, size_t len, size_t n, const char *what, size_t missing)
{
	int k = snprintf(buf, len, "%zu %s%s", n, what, n == 1 ? "" : "s");
	if (missing && k > 0 && (size_t)k < len)
		snprintf(buf + k, len - (size_t)k, " (%zu run%s without one)", missing, missing == 1 ? "" : "s");
}

int cmd_query(int argc, char **argv)
{
	enum { O_MAX_RUNS = 256, O_CACERT, O_INSECURE };
	static const struct option longopts[] = { { "max-runs", required_argument, NULL, O_MAX_RUNS },
						   { "cacert", required_argument, NULL, O_CACERT },
						   { "insecure", no_argument, NULL, O_INSECURE },
						   { "help", no_argument, NULL, 'h' },
						   { 0 } };
	struct bb_upload_opts o;
	bb_upload_opts_default(&o);
	uint32_t max_runs = BB_MAX_SIDE_FILES;
	char err[2048];
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return BB_EXIT_OK;
		case O_MAX_RUNS:
			if (bb_parse_u32("--max-runs", optarg, 1, 100000, &max_runs, err, sizeof(err)) < 0) {
				fprintf(stderr, "bootbench query: %s\n", err);
				return BB_EXIT_USAGE;
			}
			break;
		case O_CACERT: snprintf(o.cacert, sizeof(o.cacert), "%s", optarg); break;
		case O_INSECURE: o.insecure = true; break;
		default:
			fprintf(stderr, "bootbench query: unknown option or missing value '%s': see bootbench query --help\n",
				argv[optind - 1]);
			return BB_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "bootbench query: give one selection, e.g. bootbench query 'influx://db:8086/bootbench?profile=firecracker&since=7d'\n");
		return BB_EXIT_USAGE;
	}
	struct bb_store_selection s;
	if (bb_store_selection_parse(argv[optind], &s, err, sizeof(err)) < 0 ||
	    bb_upload_credentials(&o, NULL, err, sizeof(err)) < 0 || bb_upload_check_credentials(&o, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench query: %s\n", err);
		return BB_EXIT_USAGE;
	}
	json_t *runs;
	int rc = bb_store_fetch(&s, &o, max_runs, &runs, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "bootbench query: %s\n", err);
		return rc == BB_STORE_BAD_SELECTION ? BB_EXIT_USAGE : BB_EXIT_FAILED;
	}
	char where[1024];
	bb_store_selection_describe(&s, where, sizeof(where));
	size_t iterations = 0, i;
	json_t *doc;
	printf("%-16s  %-20s  %-24s  %-18s  %10s  %-20s  %s\n", "run", "host", "kernel", "profile", "iterations",
	       "first start", "labels, result");
	json_array_foreach(runs, i, doc) {
		char run[64], host[128], kernel[128], profile[128], when[32], labels[512] = "", file[256];
		json_t *h = json_object_get(doc, "host");
		size_t n = json_array_size(json_object_get(doc, "iterations")), used = 0;
		iterations += n;
		first_start(doc, when, sizeof(when));
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(doc, "labels"), k, v) {
			char kv[256], shown[256];
			snprintf(kv, sizeof(kv), "%s=%s", k, json_string_value(v));
			bb_printable(kv, shown, sizeof(shown));
			if (used < sizeof(labels))
				used += (size_t)snprintf(labels + used, sizeof(labels) - used, "%s%s", used ? " " : "", shown);
		}
		printf("%-16s  %-20s  %-24s  %-18s  %10zu  %-20s  %s%s%s\n", text(doc, "run", run, sizeof(run)),
		       text(h, "hostname", host, sizeof(host)), text(h, "kernel_release", kernel, sizeof(kernel)),
		       text(json_object_get(doc, "profile"), "name", profile, sizeof(profile)), n, when, labels,
		       labels[0] ? ", " : "", text(doc, "result", file, sizeof(file)));
	}
	size_t nruns = json_array_size(runs), no_host, no_kernel;
	size_t hosts = distinct(runs, "hostname", &no_host), kernels = distinct(runs, "kernel_release", &no_kernel);
	char hosts_text[96], kernels_text[96];
	counted(hosts_text, sizeof(hosts_text), hosts, "host", no_host);
	counted(kernels_text, sizeof(kernels_text), kernels, "kernel", no_kernel);
	printf("%s: %zu run%s, %s, %s, %zu measured iterations\n", where, nruns, nruns == 1 ? "" : "s", hosts_text,
	       kernels_text, iterations);
	json_decref(runs);
	return BB_EXIT_OK;
}
