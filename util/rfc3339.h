/* RFC 3339 times as InfluxDB writes and reads them:
 * 2026-12-01T00:00:00Z, with up to 9 fractional digits, Z or +hh:mm. */
#ifndef BOOTBENCH_RFC3339_H
#define BOOTBENCH_RFC3339_H

#include <stdbool.h>
#include <stdint.h>

/* Whether s is such a time; when it is and ns is not NULL, *ns is its
 * nanoseconds since the Unix epoch (false for a time beyond int64). */
bool bb_rfc3339_ns(const char *s, int64_t *ns);

#endif
