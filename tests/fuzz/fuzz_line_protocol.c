/* The line-protocol encoder, round-tripped through lp_decode.c: any
 * strings put in as measurement, tag key and value, field key and string
 * field come back out as they went in (newlines as spaces); and any JSON
 * document the encoder accepts becomes lines that all decode, one point
 * per counted line. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line_protocol.h"
#include "lp_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *unbroken(const char *s)
{
	char *out = strdup(s);
	if (!out)
		abort();
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return out;
}

static void expect(const char *what, const char *got, const char *put_in, const char *line)
{
	char *want = unbroken(put_in);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "line protocol round trip changed the %s: put in '%s', decoded '%s' from: %s\n", what,
			want, got, line);
		abort();
	}
	free(want);
}

static void round_trip(const char *parts[5])
{
	struct bb_lp_buffer b;
	struct lp_point p;
	char err[256];
	const char *measurement = parts[0][0] ? parts[0] : "m";
	const char *field_key = parts[3][0] ? parts[3] : "f";
	bool with_tag = parts[1][0] && parts[2][0];

	bb_lp_init(&b);
	bb_lp_measurement(&b, measurement);
	if (with_tag) {
		bb_lp_raw(&b, ",");
		bb_lp_key(&b, parts[1]);
		bb_lp_raw(&b, "=");
		bb_lp_key(&b, parts[2]);
	}
	bb_lp_raw(&b, " ");
	bb_lp_key(&b, field_key);
	bb_lp_raw(&b, "=");
	bb_lp_string_field(&b, parts[4]);
	if (lp_decode_line(b.data, b.len, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "encoded line does not decode (%s): %s\n", err, b.data);
		abort();
	}
	expect("measurement", p.measurement, measurement, b.data);
	if (with_tag) {
		if (p.ntags != 1)
			abort();
		expect("tag key", p.tags[0].key, parts[1], b.data);
		expect("tag value", p.tags[0].value, parts[2], b.data);
	}
	if (p.nfields != 1 || p.fields[0].type != 's')
		abort();
	expect("field key", p.fields[0].key, field_key, b.data);
	expect("string field", p.fields[0].value, parts[4], b.data);
	lp_point_free(&p);
	bb_lp_free(&b);
}

static void whole_result(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, 0, NULL);
	struct bb_lp_buffer b;
	char err[256];
	if (!doc)
		return;
	bb_lp_init(&b);
	if (bb_lp_encode_result(doc, "fuzz.json", &b, err, sizeof(err)) == 0) {
		size_t lines = 0;
		for (char *line = b.data; line && *line;) {
			char *nl = strchr(line, '\n');
			if (!nl) {
				fprintf(stderr, "encoded result ends without a newline: %s\n", line);
				abort();
			}
			struct lp_point p;
			if (lp_decode_line(line, (size_t)(nl - line), &p, err, sizeof(err)) < 0) {
				fprintf(stderr, "encoded result line does not decode (%s): %.*s\n", err, (int)(nl - line), line);
				abort();
			}
			if (strcmp(p.measurement, BB_LP_ITERATION) && strcmp(p.measurement, BB_LP_SUMMARY))
				abort();
			if (!p.has_timestamp)
				abort();
			lp_point_free(&p);
			lines++;
			line = nl + 1;
		}
		if (lines != b.lines)
			abort();
	}
	bb_lp_free(&b);
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* five NUL-separated strings, for the round trip */
	char *copy = malloc(size + 1);
	const char *parts[5] = { "", "", "", "", "" };
	size_t n = 0;
	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	parts[n++] = copy;
	for (size_t i = 0; i < size && n < 5; i++)
		if (copy[i] == '\0')
			parts[n++] = copy + i + 1;
	round_trip(parts);
	free(copy);
	whole_result(data, size);
	return 0;
}
