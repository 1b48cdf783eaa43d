#include "result_reader.h"

#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "json_file.h"
#include "result_writer.h"

static int need(json_t *obj, const char *key, json_type type, const char *where,
		const char *origin, char *err, size_t errlen)
{
	static const char *const type_names[] = { "an object", "an array", "a string", "an integer",
						  "a number", "true", "false", "null" };
	json_t *v = json_object_get(obj, key);
	int ok = v && (json_typeof(v) == type ||
		       (type == JSON_REAL && json_is_number(v)) ||
		       (type == JSON_TRUE && json_is_boolean(v)));
	if (!ok) {
		bb_errorf(err, errlen, "%s: %s%s must have '%s' as %s: not a complete bootbench result",
			 origin, where, where[0] ? " " : "", key,
			 type == JSON_TRUE ? "a boolean" : type_names[type]);
		return -1;
	}
	return 0;
}

/* Numbers no run can produce: a completed boot takes some time, and no
 * duration or count is negative. Accepted, they print "-1298552930.0%
 * faster" or "+inf%". */
static int impossible_numbers(json_t *it, const char *where, const char *origin, char *err, size_t errlen)
{
	const char *bad = NULL;
	json_int_t value = 0;
	json_t *startup = json_object_get(it, "startup_ns");
	if (json_is_true(json_object_get(it, "ok")) && json_integer_value(startup) <= 0) {
		bad = "startup_ns";
		value = json_integer_value(startup);
	}
	const char *key;
	json_t *op;
	json_object_foreach(json_object_get(it, "ops"), key, op) {
		json_t *total = json_object_get(op, "total_ns"), *count = json_object_get(op, "count");
		if (!bad && ((json_is_number(total) && json_number_value(total) < 0) ||
			     (json_is_integer(count) && json_integer_value(count) < 0))) {
			bad = key;
			value = json_is_number(total) && json_number_value(total) < 0 ? (json_int_t)json_number_value(total)
										: json_integer_value(count);
		}
	}
	size_t i;
	json_t *ph;
	json_array_foreach(json_object_get(it, "phases"), i, ph) {
		json_t *d = json_object_get(ph, "duration_ns");
		if (!bad && json_is_number(d) && json_number_value(d) < 0) {
			bad = "a phase's duration_ns";
			value = (json_int_t)json_number_value(d);
		}
	}
	if (!bad)
		return 0;
	bb_errorf(err, errlen, "%s: %s has %s = %" JSON_INTEGER_FORMAT ", which no run produces (a completed boot takes time; no duration or count is negative): the file is damaged or was not written by bootbench",
		 origin, where, bad, value);
	return -1;
}

int bb_result_validate(json_t *doc, const char *origin, char *err, size_t errlen)
{
	if (!json_is_object(doc)) {
		bb_errorf(err, errlen, "%s: not a bootbench result (the top level is not a JSON object)", origin);
		return -1;
	}
	json_t *schema = json_object_get(doc, "schema");
	if (!json_is_string(schema) || strcmp(json_string_value(schema), BB_RESULT_SCHEMA) != 0) {
		bb_errorf(err, errlen, "%s: not a bootbench result (schema is not \"%s\")", origin, BB_RESULT_SCHEMA);
		return -1;
	}
	json_t *version = json_object_get(doc, "schema_version");
	if (!json_is_integer(version) || json_integer_value(version) < BB_RESULT_SCHEMA_OLDEST ||
	    json_integer_value(version) > BB_RESULT_SCHEMA_VERSION) {
		char shown[32];
		snprintf(shown, sizeof(shown), "%" JSON_INTEGER_FORMAT, json_is_integer(version) ? json_integer_value(version) : 0);
		bb_errorf(err, errlen, "%s: result schema version %s, this bootbench reads versions %d to %d; use the bootbench release that wrote it",
			 origin, json_is_integer(version) ? shown : "missing", BB_RESULT_SCHEMA_OLDEST, BB_RESULT_SCHEMA_VERSION);
		return -1;
	}
	if (need(doc, "host", JSON_OBJECT, "", origin, err, errlen) ||
	    need(doc, "profile", JSON_OBJECT, "", origin, err, errlen) ||
	    need(doc, "labels", JSON_OBJECT, "", origin, err, errlen) ||
	    need(doc, "bootbench", JSON_OBJECT, "", origin, err, errlen) ||
	    need(doc, "iterations", JSON_ARRAY, "", origin, err, errlen) ||
	    need(doc, "summary", JSON_ARRAY, "", origin, err, errlen) ||
	    need(doc, "complete", JSON_TRUE, "", origin, err, errlen))
		return -1;
	json_t *host = json_object_get(doc, "host");
	if (need(host, "kernel_release", JSON_STRING, "host", origin, err, errlen) ||
	    need(host, "config_hz", JSON_STRING, "host", origin, err, errlen) ||
	    need(host, "arch", JSON_STRING, "host", origin, err, errlen))
		return -1;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		char where[64];
		snprintf(where, sizeof(where), "iteration %zu", i);
		if (!json_is_object(it)) {
			bb_errorf(err, errlen, "%s: %s is not an object", origin, where);
			return -1;
		}
		if (need(it, "ok", JSON_TRUE, where, origin, err, errlen) ||
		    need(it, "warmup", JSON_TRUE, where, origin, err, errlen) ||
		    need(it, "startup_ns", JSON_INTEGER, where, origin, err, errlen) ||
		    need(it, "phases", JSON_ARRAY, where, origin, err, errlen) ||
		    need(it, "ops", JSON_OBJECT, where, origin, err, errlen))
			return -1;
		if (impossible_numbers(it, where, origin, err, errlen) < 0)
			return -1;
	}
	json_t *m;
	json_array_foreach(json_object_get(doc, "summary"), i, m) {
		char where[64];
		snprintf(where, sizeof(where), "summary entry %zu", i);
		if (!json_is_object(m) || need(m, "name", JSON_STRING, where, origin, err, errlen) ||
		    need(m, "median", JSON_REAL, where, origin, err, errlen) ||
		    need(m, "n", JSON_INTEGER, where, origin, err, errlen)) {
			if (!json_is_object(m))
				bb_errorf(err, errlen, "%s: %s is not an object", origin, where);
			return -1;
		}
	}
	return 0;
}

json_t *bb_result_load(const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = bb_json_load_path(path, 0, &jerr);
	if (!doc) {
		if (jerr.line <= 0 && jerr.position == 0)
			bb_errorf(err, errlen, "cannot read result %s: %s: give the path of a .json (or .json.gz) file that bootbench run wrote", path, jerr.text);
		else if (jerr.line == 1 && jerr.column <= 1) /* text from its first byte: some other file */
			bb_errorf(err, errlen, "%s is not a bootbench result: it is not JSON (%s); give a .json or .json.gz file that bootbench run wrote",
				 path, jerr.text);
		else
			bb_errorf(err, errlen, "%s:%d:%d: not valid JSON (%s): the file is corrupt or truncated",
				 path, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (bb_result_validate(doc, path, err, errlen) < 0) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

json_t *bb_result_metric(json_t *doc, const char *name)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(doc, "summary"), i, m) {
		json_t *n = json_object_get(m, "name");
		if (json_is_string(n) && strcmp(json_string_value(n), name) == 0)
			return m;
	}
	return NULL;
}
