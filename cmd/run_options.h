/* bootbench run's options, parsed apart from running so that tests and
 * fuzzers can drive the parser alone. */
#ifndef BOOTBENCH_RUN_OPTIONS_H
#define BOOTBENCH_RUN_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "vm.h"

#define BB_MAX_LABELS 32

/* Where a run or info happens: on this machine's KVM, or inside an
 * emulated host (lab/emulated-host) with a KVM of its own. */
enum bb_host_kind { BB_HOST_LOCAL, BB_HOST_EMULATED };
struct bb_host_target {
	enum bb_host_kind kind;
	char arch[8]; /* the emulated host's: "x86_64" or "arm64" */
};
/* The arch this bootbench drives, as --host and lab/emulated-host name it. */
#if defined(__aarch64__)
#define BB_HOST_ARCH "arm64"
#else
#define BB_HOST_ARCH "x86_64"
#endif
/* The emulated host's CPUs (its -smp): --pin must stay within them. */
#define BB_EMULATED_CPUS 2
/* --host local|emulated|emulated-x86_64|emulated-arm64; -1 with one line. */
int bb_parse_host(const char *text, struct bb_host_target *t, char *err, size_t errlen);

struct bb_run_args {
	struct bb_run_config cfg; /* profile resolved, overrides applied */
	char profile_arg[PATH_MAX];
	uint32_t iterations;
	uint32_t warmup;
	char out_dir[PATH_MAX];
	char pin_arg[256];
	bool quiet;
	bool keep_going;
	bool with_events;
	bool help;
	char upload_url[2048];      /* --upload: sent once on disk */
	char upload_format[16];
	struct bb_host_target host; /* --host */
	uint32_t nr_labels;
	char label_key[BB_MAX_LABELS][64];
	char label_value[BB_MAX_LABELS][256];
};

enum {
	OPT_PROFILE = 256, OPT_ITERATIONS, OPT_WARMUP, OPT_LABEL, OPT_PIN, OPT_OUT, OPT_QUIET,
	OPT_VCPUS, OPT_DEVICES, OPT_QUEUES, OPT_STYLE, OPT_WHEN, OPT_MEMSLOTS_AFTER, OPT_SET,
	OPT_KERNEL, OPT_INITRD, OPT_CMDLINE,
	OPT_TIMEOUT, OPT_KEEP_GOING, OPT_NO_EVENTS, OPT_NO_STACKS, OPT_GUEST_FAULT, OPT_UPLOAD, OPT_UPLOAD_FORMAT, OPT_HOST, OPT_HELP,
	OPT_RUN_LAST
};

/* The options run and trace share (iterations, warmup, labels, out,
 * quiet, keep-going, events, stacks, timeout, upload): 0 taken, -1 bad
 * (err says why), 1 not one of them. */
int bb_run_shared_option(int c, const char *optarg, struct bb_run_args *o, char *err, size_t errlen);

/* Returns 0, or -1 with a one-line error (exit status 2). */
int bb_run_parse(int argc, char **argv, struct bb_run_args *o, char *err, size_t errlen);
/* The upload a run asked for (--upload, --upload-format, the credentials
 * from the environment), checked: -1 with a one-line error. */
struct bb_upload_opts;
int bb_run_upload_opts(const struct bb_run_args *o, struct bb_upload_opts *u, char *err, size_t errlen);
void bb_run_usage(FILE *out);
/* argv (run's, argv[0] the subcommand) without the options whose codes
 * are in drop (each with its value, however abbreviated or joined by
 * '='), into kept (argc + 1 entries, NULL-terminated, pointing into
 * argv); returns how many were kept. */
int bb_run_argv_without(int argc, char **argv, const int *drop, size_t ndrop, char **kept);

#endif
