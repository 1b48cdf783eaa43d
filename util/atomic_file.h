/* A file that appears under its final name only when complete: written to a
 * hidden temporary beside it, synced, then renamed. A crash leaves at most
 * the temporary, never a partial file under the final name. */
#ifndef BOOTBENCH_ATOMIC_FILE_H
#define BOOTBENCH_ATOMIC_FILE_H

#include <limits.h>
#include <stdio.h>

struct bb_atomic_file {
	FILE *f;
	char tmp_path[PATH_MAX];
	char final_path[PATH_MAX];
};

int bb_atomic_open(struct bb_atomic_file *af, const char *final_path, char *err, size_t errlen);
/* Flushes, syncs and renames; on any failure removes the temporary. */
int bb_atomic_commit(struct bb_atomic_file *af, char *err, size_t errlen);
void bb_atomic_discard(struct bb_atomic_file *af);

#endif
