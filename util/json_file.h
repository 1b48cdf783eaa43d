/* Reading a JSON file that a user named: only a regular file is read. A
 * FIFO would block bootbench forever, and a device or directory named by
 * mistake would give a confusing parse error.
 *
 * A gzip file (found by its magic bytes, whatever its name) is read
 * decompressed, since committed results are kept as .json.gz. */
#ifndef BOOTBENCH_JSON_FILE_H
#define BOOTBENCH_JSON_FILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* A gzip file that decompresses to more than this is refused: a small
 * hostile .gz expands a thousandfold, and a result this large would not
 * fit in memory once parsed anyway. A plain file is read whole. */
#define BB_GZIP_MAX_BYTES ((size_t)1 << 30)

/* As json_load_file, but a path that is not a regular file is refused,
 * with jerr->text saying why and jerr->line -1, as for an I/O error. */
json_t *bb_json_load_path(const char *path, size_t flags, json_error_t *jerr);
/* fopen(path, "r") for a regular file only; NULL with errno set (EISDIR,
 * or EINVAL for a FIFO, device or socket). */
FILE *bb_fopen_regular(const char *path);
/* The whole of a regular file, gunzipped if it is gzip, NUL-terminated,
 * in *data (free it). -1 with why[] filled on failure. */
int bb_file_read_all(const char *path, char **data, size_t *len, char *why, size_t whylen);

#endif
