/* Runs one profile's iterations and writes its result (cmd/runner.c):
 * what bootbench run does, and what sweep does at each point. */
#ifndef BOOTBENCH_RUNNER_H
#define BOOTBENCH_RUNNER_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>

#include "kvm_errors.h"
#include "run_options.h"

struct bb_run_outcome {
	char json_path[PATH_MAX]; /* the result's path, or "" when none reached disk */
	char first_error[1024];   /* the first failed iteration's error, or "" */
	enum bb_error_kind first_error_kind;
};

/* Returns the exit status. */
int bb_run_execute(struct bb_run_args *o, struct bb_run_outcome *out);

/* The pieces bootbench trace shares with run: its result is an ordinary
 * result, written and summarised the same way. */
struct bb_run_state {
	uint32_t run; /* iterations run, warmup included */
	uint32_t failed;
	struct bb_run_outcome *out; /* where the first failure goes */
	bool interrupted;
	bool stopped_on_failure;
	bool unsaved; /* the result file could not be written: measuring goes on in memory */
};
struct bb_host_info;
struct bb_offcpu;
struct bb_result_writer;
struct bb_run_metrics;
struct bb_iteration;
/* The result's header; takes profile. offcpu NULL: unavailable, and why. */
json_t *bb_run_header(const struct bb_run_args *o, const struct bb_host_info *host, json_t *profile,
		     const struct bb_offcpu *offcpu, const char *offcpu_unavailable);
void bb_run_progress(const struct bb_run_args *o, const struct bb_run_state *s, const struct bb_iteration *it, bool tty);
/* The trailer, the rename into place, the TSV and the summary table:
 * 0, -1 (err: nothing on disk) or -2 (the JSON is saved, the TSV not). */
int bb_run_finish(struct bb_result_writer *w, json_t *header, const struct bb_run_args *o, const struct bb_offcpu *offcpu,
		  const struct bb_run_state *s, struct bb_run_metrics *m, const char *tsv_path, char *err, size_t errlen);
/* One finished iteration recorded: written to the result (on a full disk
 * the file is given up and measuring goes on), progress shown, a failure
 * reported (then on_failure, if any), its metrics added. cmd names the
 * subcommand in messages. */
enum bb_record { BB_RECORD_NEXT, BB_RECORD_STOP, BB_RECORD_ERROR };
enum bb_record bb_run_record(const char *cmd, const struct bb_run_args *o, struct bb_result_writer *w,
			     struct bb_run_metrics *m, struct bb_run_state *s, uint32_t i, const struct bb_iteration *it,
			     bool tty, void (*on_failure)(void *arg), void *arg, char *err, size_t errlen);
void bb_run_print_unsaved(json_t *header, const struct bb_run_metrics *m);
int bb_run_upload(const struct bb_run_args *o, const char *json_path);
int bb_run_make_dirs(const char *path, char *err, size_t errlen);
void bb_run_install_stop_handlers(void);
void bb_run_utc_timestamp(char *buf, size_t len, const char *fmt);

#endif
