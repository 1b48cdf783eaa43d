/* Reading a JSON file that a user named: only a regular file is read. A
 * FIFO would block bootbench forever, and a device or directory named by
 * mistake would give a confusing parse error. */
#ifndef BOOTBENCH_JSON_FILE_H
#define BOOTBENCH_JSON_FILE_H

#include <jansson.h>
#include <stdio.h>

/* As json_load_file, but a path that is not a regular file is refused,
 * with jerr->text saying why and jerr->line -1, as for an I/O error. */
json_t *bb_json_load_path(const char *path, size_t flags, json_error_t *jerr);
/* fopen(path, "r") for a regular file only; NULL with errno set (EISDIR,
 * or EINVAL for a FIFO, device or socket). */
FILE *bb_fopen_regular(const char *path);

#endif
