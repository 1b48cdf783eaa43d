#include "thresholds.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "json_file.h"

static int limit_of(json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		*out = strtod(s, &end);
		if (end == s || (*end && strcmp(end, "%")))
			return -1;
	} else {
		return -1;
	}
	return isfinite(*out) && *out >= 0 && *out <= 10000 ? 0 : -1;
}

static int from_json(json_t *doc, const char *origin, struct bb_thresholds *t, char *err, size_t errlen)
{
	const char *key;
	json_t *v;

	memset(t, 0, sizeof(*t));
	if (!json_is_object(doc)) {
		bb_errorf(err, errlen, "%s: a threshold file is a JSON object: {\"metrics\": {\"startup\": \"5%%\"}}", origin);
		return -1;
	}
	json_object_foreach(doc, key, v) {
		if (strcmp(key, "alpha") && strcmp(key, "metrics")) {
			bb_errorf(err, errlen, "%s: unknown key '%s': a threshold file has \"metrics\" and an optional \"alpha\"", origin, key);
			return -1;
		}
	}
	json_t *alpha = json_object_get(doc, "alpha");
	if (alpha) {
		if (!json_is_number(alpha) || !(json_number_value(alpha) > 0 && json_number_value(alpha) < 1)) {
			bb_errorf(err, errlen, "%s: \"alpha\" must be a number between 0 and 1, such as 0.01", origin);
			return -1;
		}
		t->has_alpha = true;
		t->alpha = json_number_value(alpha);
	}
	json_t *metrics = json_object_get(doc, "metrics");
	if (!json_is_object(metrics) || json_object_size(metrics) == 0) {
		bb_errorf(err, errlen, "%s: \"metrics\" must be an object of metric limits, such as {\"startup\": \"5%%\"}", origin);
		return -1;
	}
	json_object_foreach(metrics, key, v) {
		if (t->n == BB_MAX_THRESHOLDS || strlen(key) >= sizeof(t->metric[0]) || !key[0]) {
			bb_errorf(err, errlen, "%s: too many metrics or a metric name too long (at most %d of %zu bytes)",
				 origin, BB_MAX_THRESHOLDS, sizeof(t->metric[0]) - 1);
			return -1;
		}
		if (limit_of(v, &t->limit_pct[t->n]) < 0) {
			bb_errorf(err, errlen, "%s: the limit of '%s' must be a percentage such as \"5%%\" or 5", origin, key);
			return -1;
		}
		snprintf(t->metric[t->n++], sizeof(t->metric[0]), "%s", key); /* fits: checked above */
	}
	return 0;
}

int bb_thresholds_parse(const char *text, const char *origin, struct bb_thresholds *t, char *err,
			size_t errlen)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		bb_errorf(err, errlen, "%s:%d:%d: not valid JSON: %s", origin, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	int rc = from_json(doc, origin, t, err, errlen);
	json_decref(doc);
	return rc;
}

int bb_thresholds_load(const char *path, struct bb_thresholds *t, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *doc = bb_json_load_path(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		if (jerr.line <= 0 && jerr.position == 0)
			bb_errorf(err, errlen, "cannot read threshold file %s: %s", path, jerr.text);
		else
			bb_errorf(err, errlen, "%s:%d:%d: not valid JSON: %s", path, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	int rc = from_json(doc, path, t, err, errlen);
	json_decref(doc);
	return rc;
}
