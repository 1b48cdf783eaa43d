/* InfluxDB line protocol (1.x and 2.x) for a result: one point per
 * measured iteration and one per summary metric. Timestamps come from
 * the result itself, so uploading the same result twice writes the same
 * points, and InfluxDB keeps one copy. */
#ifndef BOOTBENCH_LINE_PROTOCOL_H
#define BOOTBENCH_LINE_PROTOCOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define BB_LP_ITERATION "bootbench_iteration"
#define BB_LP_SUMMARY "bootbench_summary"

struct bb_lp_buffer {
	char *data;
	size_t len, cap;
	size_t lines;
};

void bb_lp_init(struct bb_lp_buffer *b);
void bb_lp_free(struct bb_lp_buffer *b);
/* Escapes for each element kind (InfluxDB line protocol reference):
 * measurement: comma and space; tag key, tag value, field key: comma,
 * equals sign and space; string field value: double quote and backslash.
 * Newlines cannot be escaped in line protocol and become spaces. */
/* Text as it is: the separators between elements. */
void bb_lp_raw(struct bb_lp_buffer *b, const char *s);
void bb_lp_measurement(struct bb_lp_buffer *b, const char *s);
void bb_lp_key(struct bb_lp_buffer *b, const char *s);
void bb_lp_string_field(struct bb_lp_buffer *b, const char *s);
/* The tag key a label is uploaded under: its own name, or label_<name>
 * when it is named like one of the fixed tags (host, run, ...). */
void bb_lp_label_tag(const char *label, char *key, size_t len);
bool bb_lp_fixed_tag(const char *key);
/* All the points of a result document, each tagged with its run
 * (bb_run_id_of), the iterations with result_name (the file's name; NULL
 * or "" leaves it out) as a field; -1 with err on a malformed one. */
int bb_lp_encode_result(json_t *doc, const char *result_name, struct bb_lp_buffer *b, char *err, size_t errlen);

#endif
