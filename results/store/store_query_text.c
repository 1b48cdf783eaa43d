#include "store_query_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "line_protocol.h"

struct text {
	char *buf;
	size_t len, used;
	bool full;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->full || t->used + n + 1 > t->len) {
		t->full = true;
		return;
	}
	memcpy(t->buf + t->used, s, n);
	t->used += n;
	t->buf[t->used] = '\0';
}

static void puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* InfluxQL's quoted strings and identifiers take \\ and \<quote> (and \n,
 * which a selection never holds: it became a space) */
static void influxql_quoted(struct text *t, const char *s, char quote)
{
	put(t, &quote, 1);
	for (; *s; s++) {
		if (*s == '\\' || *s == quote)
			put(t, "\\", 1);
		put(t, s, 1);
	}
	put(t, &quote, 1);
}

/* Flux's string literals: \\, \" and \${ (an interpolation otherwise) */
static void flux_string(struct text *t, const char *s)
{
	put(t, "\"", 1);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"' || (*s == '$' && s[1] == '{'))
			put(t, "\\", 1);
		put(t, s, 1);
	}
	put(t, "\"", 1);
}

static bool is_time(const char *v)
{
	return strchr(v, 'T') != NULL; /* the selection checked it is a duration or RFC 3339 */
}

static void influxql(const struct bb_store_selection *s, struct text *t)
{
	puts_(t, "SELECT * FROM \"" BB_LP_ITERATION "\" WHERE \"warmup\" = 'false'");
	for (size_t i = 0; i < s->ntags; i++) {
		puts_(t, " AND ");
		influxql_quoted(t, s->tags[i].key, '"');
		puts_(t, " = ");
		influxql_quoted(t, s->tags[i].value, '\'');
	}
	const char *bounds[2] = { s->since, s->until }, *ops[2] = { " AND time >= ", " AND time <= " };
	for (int b = 0; b < 2; b++) {
		if (!bounds[b][0])
			continue;
		puts_(t, ops[b]);
		if (is_time(bounds[b])) {
			influxql_quoted(t, bounds[b], '\'');
		} else {
			puts_(t, "now() - ");
			puts_(t, bounds[b]);
		}
	}
}

static void flux_bound(struct text *t, const char *v)
{
	if (is_time(v)) {
		puts_(t, "time(v: ");
		flux_string(t, v);
		puts_(t, ")");
	} else {
		puts_(t, "-");
		puts_(t, v);
	}
}

static void flux(const struct bb_store_selection *s, struct text *t)
{
	puts_(t, "from(bucket: ");
	flux_string(t, s->db);
	puts_(t, ")\n  |> range(start: ");
	if (s->since[0])
		flux_bound(t, s->since);
	else
		puts_(t, "0");
	if (s->until[0]) {
		puts_(t, ", stop: ");
		flux_bound(t, s->until);
	}
	puts_(t, ")\n  |> filter(fn: (r) => r._measurement == \"" BB_LP_ITERATION "\" and r[\"warmup\"] == \"false\"");
	for (size_t i = 0; i < s->ntags; i++) {
		puts_(t, " and r[");
		flux_string(t, s->tags[i].key);
		puts_(t, "] == ");
		flux_string(t, s->tags[i].value);
	}
	/* the field named result would collide with the column of that name
	 * every 2.x answer starts with */
	puts_(t, ")\n  |> map(fn: (r) => ({r with _field: if r._field == \"result\" then \"result_file\" else r._field}))");
	puts_(t, "\n  |> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \"_value\")");
}

int bb_store_query_text(const struct bb_store_selection *s, char *buf, size_t len, char *err, size_t errlen)
{
	struct text t = { buf, len, 0, len == 0 };
	if (len)
		buf[0] = '\0';
	if (s->kind == BB_STORE_INFLUX1)
		influxql(s, &t);
	else
		flux(s, &t);
	if (t.full) {
		bb_errorf(err, errlen, "the query for this selection is over %zu bytes: select with fewer or shorter tags", len);
		return -1;
	}
	return 0;
}
