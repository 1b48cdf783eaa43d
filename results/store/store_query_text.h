/* The query text that fetches a store selection's measured iterations:
 * InfluxQL for InfluxDB 1.x, Flux for 2.x. Every value is a string literal
 * escaped as its language defines, and every key a quoted identifier, so
 * no selection can change the query's shape. */
#ifndef BOOTBENCH_STORE_QUERY_TEXT_H
#define BOOTBENCH_STORE_QUERY_TEXT_H

#include <stddef.h>

#include "store_selection.h"

/* -1 with err when len is too small. */
int bb_store_query_text(const struct bb_store_selection *s, char *buf, size_t len, char *err, size_t errlen);

#endif
