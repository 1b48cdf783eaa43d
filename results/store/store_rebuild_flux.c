/* An InfluxDB 2.x /api/v2/query answer (annotated CSV, read with libcsv)
 * turned into the series an InfluxQL answer holds, then rebuilt as one.
 * Each table the answer holds (its annotations, then its header) becomes
 * a series: _time as ns in "time", result_file (the query's name for the
 * result field, which "result" would collide with) as "result", Flux's
 * own columns dropped, each cell typed by its #datatype. */
#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "rfc3339.h"
#include "store_fetch.h"

enum state {
	BEFORE_TABLE, /* nothing read, or a table's rows */
	ANNOTATIONS,  /* a table's annotations, its header next */
	ROWS,
	ERROR_TABLE, /* ,error,reference: the next row says what failed */
};

struct flux_csv {
	const char *source;
	char *err;
	size_t errlen;
	int rc;
	enum state state;
	/* the row being read */
	char **fields;
	size_t nfields, cap;
	bool nul_in_field;
	/* the table being read: its annotations, and per CSV column the
	 * series column it fills (-1: dropped) */
	char **types, **defaults;
	size_t ntypes, ndefaults;
	int *target;
	size_t ntarget;
	json_t *columns, *values;
	json_t *series;
};

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void fail(struct flux_csv *f, int rc, const char *what)
{
	if (f->rc)
		return;
	f->rc = rc;
	bb_errorf(f->err, f->errlen, "%s answered what is no InfluxDB 2.x annotated CSV answer (%s)", f->source, what);
}

static void on_field(void *field, size_t len, void *data)
{
	struct flux_csv *f = data;
	if (f->rc)
		return;
	if (memchr(field, '\0', len))
		f->nul_in_field = true;
	if (f->nfields == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 32;
		char **bigger = realloc(f->fields, cap * sizeof(*bigger));
		if (!bigger)
			abort();
		f->fields = bigger;
		f->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		abort();
	memcpy(copy, field, len);
	copy[len] = '\0';
	f->fields[f->nfields++] = copy;
}

/* the row's fields, taken: the table keeps its annotations */
static char **take_row(struct flux_csv *f, size_t *n)
{
	char **v = malloc((f->nfields ? f->nfields : 1) * sizeof(*v));
	if (!v)
		abort();
	memcpy(v, f->fields, f->nfields * sizeof(*v));
	*n = f->nfields;
	f->nfields = 0;
	return v;
}

static void end_table(struct flux_csv *f)
{
	free_strings(f->types, f->ntypes);
	free_strings(f->defaults, f->ndefaults);
	free(f->target);
	f->types = f->defaults = NULL;
	f->ntypes = f->ndefaults = 0;
	f->target = NULL;
	f->ntarget = 0;
	f->columns = f->values = NULL;
}

static void annotation(struct flux_csv *f)
{
	if (f->state != ANNOTATIONS) {
		end_table(f);
		f->state = ANNOTATIONS;
	}
	const char *name = f->fields[0];
	if (!strcmp(name, "#datatype")) {
		free_strings(f->types, f->ntypes);
		f->types = take_row(f, &f->ntypes);
	} else if (!strcmp(name, "#default")) {
		free_strings(f->defaults, f->ndefaults);
		f->defaults = take_row(f, &f->ndefaults);
	}
	/* #group, and any annotation a later InfluxDB adds, change no value */
}

/* the series column a CSV column fills, or NULL to drop it */
static const char *series_name(const char *header, size_t column)
{
	if (column == 0 || (column <= 2 && (!strcmp(header, "result") || !strcmp(header, "table"))))
		return NULL; /* the annotation column, the yield's name, the table */
	if (!strcmp(header, "_time"))
		return "time";
	if (!strcmp(header, "result_file"))
		return "result";
	if (header[0] == '_')
		return NULL; /* _start, _stop, _measurement: the query's, not the run's */
	return header;
}

static void header(struct flux_csv *f)
{
	if (f->nfields >= 3 && !strcmp(f->fields[1], "error") && !strcmp(f->fields[2], "reference")) {
		f->state = ERROR_TABLE;
		return;
	}
	if (f->ntypes != f->nfields) {
		fail(f, BB_STORE_FAILED, "a table's header without a #datatype annotation of its width");
		return;
	}
	f->target = malloc(f->nfields * sizeof(*f->target));
	if (!f->target)
		abort();
	f->ntarget = f->nfields;
	f->columns = json_array();
	f->values = json_array();
	json_array_append_new(f->series, json_pack("{s:o, s:o}", "columns", f->columns, "values", f->values));
	bool time = false;
	for (size_t i = 0; i < f->nfields; i++) {
		const char *name = series_name(f->fields[i], i);
		json_t *s = name ? json_string(name) : NULL;
		if (name && !s) {
			fail(f, BB_STORE_FAILED, "a column name that is not UTF-8");
			return;
		}
		f->target[i] = s ? (int)json_array_size(f->columns) : -1;
		if (s)
			json_array_append_new(f->columns, s);
		if (name && !strcmp(name, "time")) {
			time = true;
			if (strncmp(f->types[i], "dateTime:RFC3339", 16)) {
				fail(f, BB_STORE_FAILED, "a _time column that is no dateTime");
				return;
			}
		}
	}
	if (!time)
		fail(f, BB_STORE_FAILED, "a table without a _time column");
	f->state = ROWS;
}

/* one cell as its #datatype says; NULL with f->rc set when it is not */
static json_t *cell(struct flux_csv *f, const char *text, const char *type)
{
	char *end;
	errno = 0;
	if (!strcmp(type, "long")) {
		long long v = strtoll(text, &end, 10);
		if (*end || end == text || errno)
			fail(f, BB_STORE_FAILED, "a long that is no integer");
		return f->rc ? NULL : json_integer(v);
	}
	if (!strcmp(type, "unsignedLong")) {
		unsigned long long v = strtoull(text, &end, 10);
		if (*end || end == text || errno || text[0] == '-' || v > INT64_MAX)
			fail(f, BB_STORE_FAILED, "an unsignedLong that is no integer bootbench writes");
		return f->rc ? NULL : json_integer((json_int_t)v);
	}
	if (!strcmp(type, "double")) {
		double v = strtod(text, &end);
		if (*end || end == text)
			fail(f, BB_STORE_FAILED, "a double that is no number");
		return f->rc ? NULL : json_real(v);
	}
	if (!strcmp(type, "boolean")) {
		if (strcmp(text, "true") && strcmp(text, "false"))
			fail(f, BB_STORE_FAILED, "a boolean that is neither true nor false");
		return f->rc ? NULL : json_boolean(!strcmp(text, "true"));
	}
	if (!strncmp(type, "dateTime:RFC3339", 16)) {
		int64_t ns;
		if (!bb_rfc3339_ns(text, &ns))
			fail(f, BB_STORE_FAILED, "a dateTime that is no RFC 3339 time");
		return f->rc ? NULL : json_integer(ns);
	}
	json_t *s = json_string(text); /* string, and types bootbench never writes */
	if (!s)
		fail(f, BB_STORE_FAILED, "a value that is not UTF-8");
	return s;
}

static void record(struct flux_csv *f)
{
	if (f->nfields != f->ntarget) {
		fail(f, BB_STORE_FAILED, "a row not as wide as its table's header");
		return;
	}
	json_t *row = json_array();
	for (size_t i = 0; i < f->nfields && !f->rc; i++) {
		if (f->target[i] < 0)
			continue;
		const char *text = f->fields[i];
		if (!text[0] && i < f->ndefaults)
			text = f->defaults[i];
		json_t *v = text[0] ? cell(f, text, f->types[i]) : json_null();
		if (v)
			json_array_append_new(row, v);
	}
	if (f->rc)
		json_decref(row);
	else
		json_array_append_new(f->values, row);
}

static void on_row(int c, void *data)
{
	(void)c;
	struct flux_csv *f = data;
	if (!f->rc && f->nul_in_field)
		fail(f, BB_STORE_FAILED, "a NUL byte in a field");
	if (!f->rc && f->nfields > 0) {
		if (f->fields[0][0] == '#')
			annotation(f);
		else if (f->fields[0][0])
			fail(f, BB_STORE_FAILED, "a row that is neither an annotation nor a table's");
		else if (f->state == ANNOTATIONS)
			header(f);
		else if (f->state == ERROR_TABLE) {
			f->rc = BB_STORE_FAILED;
			bb_errorf(f->err, f->errlen, "%s: the store says: %s", f->source,
				 f->nfields > 1 && f->fields[1][0] ? f->fields[1] : "an error, unnamed");
		} else if (f->state == ROWS)
			record(f);
		else
			fail(f, BB_STORE_FAILED, "a row before any table's annotations");
	}
	for (size_t i = 0; i < f->nfields; i++)
		free(f->fields[i]);
	f->nfields = 0;
	f->nul_in_field = false;
}

/* a value's spaces are its own: none is trimmed */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int bb_store_rebuild_flux(const char *answer, size_t len, const char *source, size_t max_runs, json_t **runs,
			  char *err, size_t errlen)
{
	*runs = NULL;
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	csv_set_space_func(&p, no_space);
	struct flux_csv f = { .source = source, .err = err, .errlen = errlen, .series = json_array() };
	if (csv_parse(&p, answer, len, on_field, on_row, &f) != len || csv_fini(&p, on_field, on_row, &f) != 0) {
		char what[128];
		snprintf(what, sizeof(what), "CSV: %s", csv_strerror(csv_error(&p)));
		fail(&f, BB_STORE_FAILED, what);
	}
	if (!f.rc && f.state == ERROR_TABLE)
		fail(&f, BB_STORE_FAILED, "an error table without its error");
	int rc = f.rc;
	if (!rc)
		rc = bb_store_rebuild_series(f.series, source, max_runs, runs, err, errlen);
	csv_free(&p);
	for (size_t i = 0; i < f.nfields; i++)
		free(f.fields[i]);
	free(f.fields);
	end_table(&f);
	json_decref(f.series);
	return rc;
}
