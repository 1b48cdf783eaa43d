/* A side of a comparison read from a results store rather than files: the
 * store, and which of its points (by tag and time). Written as a URL:
 *
 *   influx://HOST[:PORT]/DATABASE?KEY=VALUE&...     InfluxDB 1.x, InfluxQL
 *   influx2://HOST[:PORT]/BUCKET?org=ORG&KEY=VALUE  InfluxDB 2.x, Flux
 *   influxs:// and influx2s://                      the same over TLS
 *
 * KEY is a fixed tag (profile, kernel, host, arch, hz, bootbench, run),
 * label.NAME (the run's --label NAME, stored as NAME or label_NAME), since
 * or until (a duration back from now, such as 7d, or an RFC 3339 time).
 * Values are percent-decoded, so any byte can be selected; newlines become
 * spaces, as upload stores them. */
#ifndef BOOTBENCH_STORE_SELECTION_H
#define BOOTBENCH_STORE_SELECTION_H

#include <stdbool.h>
#include <stddef.h>

#define BB_STORE_MAX_TAGS 16

enum bb_store_kind {
	BB_STORE_INFLUX1,
	BB_STORE_INFLUX2,
};

struct bb_store_tag {
	char key[128];   /* the tag key as stored (label_ prefix applied) */
	char value[256]; /* decoded */
};

struct bb_store_selection {
	enum bb_store_kind kind;
	bool tls;
	char host[256];
	unsigned port;
	char db[256]; /* the 1.x database or the 2.x bucket */
	char org[256];
	struct bb_store_tag tags[BB_STORE_MAX_TAGS];
	size_t ntags;
	/* each "" or, as checked, a duration ("7d") or an RFC 3339 time */
	char since[64], until[64];
};

/* Whether arg names a store (its scheme is one of the above) rather than
 * a file. */
bool bb_store_is_selection(const char *arg);
/* -1 with one line in err naming the part that is wrong and the fix. */
int bb_store_selection_parse(const char *text, struct bb_store_selection *s, char *err, size_t errlen);
/* The selection as a user reads it back, credentials never in it (it holds
 * none: tokens come from the environment, as upload reads them). */
void bb_store_selection_describe(const struct bb_store_selection *s, char *buf, size_t len);

#endif
