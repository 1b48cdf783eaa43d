/* A store selection's measured iterations, fetched and rebuilt into one
 * result document per run, as compare, report and gate read files: the
 * run's host, kernel, HZ, profile name and labels from its tags; each
 * iteration's startup, overhead, phases and op totals from its fields.
 * What the store never held is absent: per-call latencies, events, stacks
 * and the profile's fields beyond its name. */
#ifndef BOOTBENCH_STORE_FETCH_H
#define BOOTBENCH_STORE_FETCH_H

#include <jansson.h>
#include <stddef.h>

#include "store_selection.h"
#include "upload.h"

/* exit 1: the store failed or answered what is no answer */
#define BB_STORE_FAILED (-1)
/* exit 2: the selection matched nothing, or more runs than max_runs */
#define BB_STORE_BAD_SELECTION (-2)

/* The answer is kept up to this many bytes; a larger one is refused. */
#define BB_STORE_MAX_ANSWER ((size_t)256 << 20)

/* Fetches and rebuilds: *runs is a new array of result documents, oldest
 * run first, each with "store" naming the selection and "result" the
 * file its points came from. 0, or one of the codes above with err. */
int bb_store_fetch(const struct bb_store_selection *s, const struct bb_upload_opts *o, size_t max_runs,
		   json_t **runs, char *err, size_t errlen);
/* The rebuilding alone (tested on its own); source names the selection in
 * each document. From an InfluxDB 1.x /query answer (JSON): */
int bb_store_rebuild_influxql(const char *answer, size_t len, const char *source, size_t max_runs, json_t **runs,
			      char *err, size_t errlen);
/* from an InfluxDB 2.x /api/v2/query answer (annotated CSV; built with
 * upload support, as libcsv reads it): */
int bb_store_rebuild_flux(const char *answer, size_t len, const char *source, size_t max_runs, json_t **runs,
			  char *err, size_t errlen);
/* from series as InfluxQL answers them, [{"columns": [...], "values":
 * [[...], ...]}, ...], "time" in ns: */
int bb_store_rebuild_series(json_t *series, const char *source, size_t max_runs, json_t **runs, char *err,
			    size_t errlen);

#endif
