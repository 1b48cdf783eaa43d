/* A result's run identity: 16 lowercase hex digits that name one run (one
 * result file) wherever its points go. bootbench run writes it as the
 * result's "run"; a result written before that gets one derived from what
 * never changes in it, so uploading it twice tags it the same. */
#ifndef BOOTBENCH_RUN_ID_H
#define BOOTBENCH_RUN_ID_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define BB_RUN_ID_LEN 16

/* A new run's id: from its host, that host's boot, the time and the
 * process, so two runs never share one. */
void bb_run_id_new(const char *hostname, const char *boot_id, int64_t unix_ns, long pid, unsigned sequence,
		   char out[BB_RUN_ID_LEN + 1]);
/* The result's "run" where it is well formed; else one derived from its
 * host, boot, creation time, profile and first iteration's start. */
void bb_run_id_of(json_t *doc, char out[BB_RUN_ID_LEN + 1]);
bool bb_run_id_valid(const char *s);

#endif
