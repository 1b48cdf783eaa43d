/* The per-iteration metrics as TSV, one row per measured iteration, for
 * gnuplot and spreadsheets. Values in ns. */
#ifndef BOOTBENCH_TSV_WRITER_H
#define BOOTBENCH_TSV_WRITER_H

#include <stddef.h>

#include "metrics.h"

int bb_tsv_write(const char *path, const struct bb_run_metrics *m, char *err, size_t errlen);

#endif
