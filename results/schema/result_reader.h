/* Reading a result file back, with the checks every consumer needs: the
 * schema and its version, and the members the rest of bootbench uses. */
#ifndef BOOTBENCH_RESULT_READER_H
#define BOOTBENCH_RESULT_READER_H

#include <jansson.h>
#include <stddef.h>

/* Returns the document, or NULL with a one-line error naming the file. */
json_t *bb_result_load(const char *path, char *err, size_t errlen);
/* Checks a loaded document; origin names it in the error. */
int bb_result_validate(json_t *doc, const char *origin, char *err, size_t errlen);
/* The summary entry of a metric, or NULL. */
json_t *bb_result_metric(json_t *doc, const char *name);

#endif
