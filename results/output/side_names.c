#include "side_names.h"

#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *label(json_t *doc, const char *key)
{
	json_t *v = json_object_get(json_object_get(doc, "labels"), key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *field(json_t *doc, const char *obj, const char *key)
{
	json_t *v = json_object_get(json_object_get(doc, obj), key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Whether key has one value (or none) on every side. */
static bool label_shared(const struct bb_side_name_input *s, size_t n, const char *key)
{
	for (size_t i = 1; i < n; i++)
		if (!same(label(s[0].doc, key), label(s[i].doc, key)))
			return false;
	return true;
}

/* The keys whose values differ somewhere, in the first side's order
 * followed by keys only later sides have. */
static size_t differing_keys(const struct bb_side_name_input *s, size_t n, const char **keys, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *key;
		json_t *v;
		json_object_foreach(json_object_get(s[i].doc, "labels"), key, v) {
			bool listed = false;
			for (size_t j = 0; j < k && !listed; j++)
				listed = !strcmp(keys[j], key);
			if (!listed && k < max && !label_shared(s, n, key))
				keys[k++] = key;
		}
	}
	return k;
}

/* "12345678901..56789012345": both ends of a name too long for a legend. */
static void fit(char *out, const char *text)
{
	size_t len = strlen(text), half = (BB_SIDE_NAME_MAX - 2) / 2;
	if (len <= BB_SIDE_NAME_MAX) {
		memcpy(out, text, len + 1);
		return;
	}
	snprintf(out, BB_SIDE_NAME_MAX + 1, "%.*s..%s", (int)half, text, text + len - half);
}

/* The file's name without .json or .json.gz. */
static void from_file(char *buf, size_t len, const char *path)
{
	char copy[512];
	snprintf(copy, sizeof(copy), "%s", path ? path : "?");
	const char *base = basename(copy);
	size_t n = strlen(base);
	if (n > 8 && !strcmp(base + n - 8, ".json.gz"))
		n -= 8;
	else if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	snprintf(buf, len, "%.*s", (int)n, base);
}

static void name_one(const struct bb_side_name_input *s, size_t n, size_t i, const char **keys, size_t nkeys,
		     bool profiles_differ, char *buf, size_t len)
{
	json_t *doc = s[i].doc;
	const char *v;
	if (s[i].given) {
		snprintf(buf, len, "%s", s[i].given);
	} else if ((v = label(doc, "side"))) {
		snprintf(buf, len, "%s", v);
	} else if (label(doc, "lab") && (v = label(doc, "patch")) && !label_shared(s, n, "patch")) {
		snprintf(buf, len, "%s", strcmp(v, "none") ? v : "baseline");
	} else if (nkeys == 1) {
		v = label(doc, keys[0]);
		snprintf(buf, len, "%s", v ? v : "(none)");
	} else if (nkeys > 1) {
		size_t used = 0;
		buf[0] = '\0';
		for (size_t k = 0; k < nkeys && used < len; k++) {
			v = label(doc, keys[k]);
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", k ? " " : "", keys[k], v ? v : "(none)");
		}
	} else if (profiles_differ) {
		snprintf(buf, len, "%s", field(doc, "profile", "name") ? field(doc, "profile", "name") : "?");
	} else {
		from_file(buf, len, s[i].path);
	}
}

void bb_side_names(struct bb_side_name_input *s, size_t n)
{
	const char *keys[16];
	size_t nkeys = differing_keys(s, n, keys, 16);
	bool profiles_differ = false;
	for (size_t i = 1; i < n; i++)
		profiles_differ |= !same(field(s[0].doc, "profile", "name"), field(s[i].doc, "profile", "name"));
	char full[BB_SIDE_NAME_MAX * 64];
	for (size_t i = 0; i < n; i++) {
		name_one(s, n, i, keys, nkeys, profiles_differ, full, sizeof(full));
		fit(s[i].name, full);
	}
	/* the same name twice: number each of them, so no two series read alike */
	for (size_t i = 0; i < n; i++) {
		size_t dup = 0;
		for (size_t j = 0; j < n; j++)
			dup += !strcmp(s[i].name, s[j].name);
		if (dup < 2 || strstr(s[i].name, " #"))
			continue;
		char base[BB_SIDE_NAME_MAX + 1];
		memcpy(base, s[i].name, sizeof(base));
		for (size_t j = 0, k = 0; j < n; j++) {
			if (strcmp(s[j].name, base))
				continue;
			char numbered[BB_SIDE_NAME_MAX * 2];
			snprintf(numbered, sizeof(numbered), "%s #%zu", base, ++k);
			fit(s[j].name, numbered);
		}
	}
}

void bb_sides_context(json_t *const *docs, size_t n, char *buf, size_t len)
{
	static const struct {
		const char *obj, *key, *format;
	} fields[] = {
		{ "profile", "name", "profile %s" }, { "host", "arch", "%s" },
		{ "host", "kernel_release", "Linux %s" }, { "host", "config_hz", "HZ=%s" },
		{ "host", "hostname", "host %s" },
	};
	size_t used = 0;
	buf[0] = '\0';
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]) && used < len; f++) {
		const char *v = n ? field(docs[0], fields[f].obj, fields[f].key) : NULL;
		for (size_t i = 1; i < n && v; i++)
			if (!same(v, field(docs[i], fields[f].obj, fields[f].key)))
				v = NULL;
		if (!v || (!strcmp(fields[f].key, "hostname") && !strcmp(v, "(none)")))
			continue;
		if (used)
			used += (size_t)snprintf(buf + used, len - used, ", ");
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, fields[f].format, v);
		if (!strcmp(fields[f].key, "arch") && used < len) {
			bool all_emulated = true;
			for (size_t i = 0; i < n; i++)
				all_emulated &= json_is_object(json_object_get(docs[i], "emulated"));
			if (all_emulated)
				used += (size_t)snprintf(buf + used, len - used, " (emulated host)");
		}
	}
}
