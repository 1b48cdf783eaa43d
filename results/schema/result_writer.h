/* The result file (schema "bootbench-result", version 2; the reader takes
 * 1 too), written as the run goes: the header, then each iteration as it ends, then the trailer
 * with the summary. Each piece is dumped by jansson, so memory holds one
 * iteration at a time; the file appears under its name only when whole. */
#ifndef BOOTBENCH_RESULT_WRITER_H
#define BOOTBENCH_RESULT_WRITER_H

#include <jansson.h>
#include <stdbool.h>

#include "atomic_file.h"
#include "vm.h"

#define BB_RESULT_SCHEMA "bootbench-result"
#define BB_RESULT_SCHEMA_VERSION 2
/* Version 2 added off-CPU time: events' offcpu_ns and stack columns, each
 * op's offcpu_ns, each iteration's "offcpu" table and the run's "stacks". */
#define BB_RESULT_SCHEMA_OLDEST 1

struct bb_result_writer {
	struct bb_atomic_file af;
	bool any_iteration;
	bool with_events;
};

/* header: an object whose members open the document. */
int bb_result_writer_open(struct bb_result_writer *w, const char *path, json_t *header,
			  bool with_events, char *err, size_t errlen);
int bb_result_writer_iteration(struct bb_result_writer *w, uint32_t index, bool warmup,
			       const struct bb_iteration *it);
/* trailer: an object whose members close the document. */
int bb_result_writer_close(struct bb_result_writer *w, json_t *trailer, char *err, size_t errlen);
void bb_result_writer_discard(struct bb_result_writer *w);

json_t *bb_iteration_to_json(uint32_t index, bool warmup, const struct bb_iteration *it,
			     bool with_events);
/* The tables that name ops and phases, for the header. */
json_t *bb_result_names_json(void);
/* The run's kernel stacks for the trailer, symbolized once from
 * /proc/kallsyms: {"symbols": "kallsyms"|"raw", "note": ..., "frames":
 * [[innermost, ...], ...]}, stack ids being indices. */
struct bb_offcpu;
json_t *bb_stacks_json(const struct bb_offcpu *o, const char *kallsyms_path);

#endif
