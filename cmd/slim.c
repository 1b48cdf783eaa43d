/* bootbench slim: a result without its raw events, for publishing. The
 * events are most of a result's bytes; what compare, report, gate and plot
 * read from them is kept (see call_digest.h), so each of them prints the
 * same from the slim file as from the full one. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "atomic_file.h"
#include "call_digest.h"
#include "cmd.h"
#include "parse.h"
#include "result_reader.h"

static void usage(FILE *out)
{
	fputs("usage: bootbench slim RESULT.json[.gz] OUT.json\n"
	      "\n"
	      "Writes RESULT without its raw per-ioctl events (most of its size), keeping\n"
	      "in each iteration each op's critical-path call count, median and p90, and\n"
	      "per op a histogram of the measured iterations' calls: compare, report and\n"
	      "gate print the same from OUT as from RESULT, and plot's per-call CDF is\n"
	      "drawn from the histogram (within 1/64 of each value). lab/publish files\n"
	      "slim results; keep the full one where its raw rows are needed.\n"
	      "\n"
	      "Exit status: 0 written, 1 OUT could not be written, 2 bad usage or a file\n"
	      "that is no result, or one with no events to leave out.\n",
	      out);
}

int cmd_slim(int argc, char **argv)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return BB_EXIT_OK;
		}
		fprintf(stderr, "bootbench slim: unknown option '%s': see bootbench slim --help\n", argv[optind - 1]);
		return BB_EXIT_USAGE;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "bootbench slim: give RESULT.json and OUT.json, e.g. bootbench slim r1.json r1.slim.json\n");
		return BB_EXIT_USAGE;
	}
	const char *in = argv[optind], *out = argv[optind + 1];
	char err[1024], why[768];
	json_t *doc = bb_result_load(in, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "bootbench slim: %s\n", err);
		return BB_EXIT_USAGE;
	}
	size_t removed;
	if (bb_result_slim(doc, &removed, why, sizeof(why)) < 0) {
		fprintf(stderr, "bootbench slim: %s: %s\n", in, why);
		json_decref(doc);
		return BB_EXIT_USAGE;
	}
	struct bb_atomic_file af;
	if (bb_atomic_open(&af, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench slim: %s\n", err);
		json_decref(doc);
		return BB_EXIT_FAILED;
	}
	int rc = json_dumpf(doc, af.f, JSON_COMPACT);
	json_decref(doc);
	if (rc < 0 || fputc('\n', af.f) == EOF) {
		fprintf(stderr, "bootbench slim: cannot write %s: %s\n", out, strerror(ferror(af.f) ? EIO : ENOMEM));
		bb_atomic_discard(&af);
		return BB_EXIT_FAILED;
	}
	if (bb_atomic_commit(&af, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench slim: %s\n", err);
		return BB_EXIT_FAILED;
	}
	fprintf(stderr, "bootbench slim: %s -> %s (%zu event rows left out)\n", in, out, removed);
	return BB_EXIT_OK;
}
