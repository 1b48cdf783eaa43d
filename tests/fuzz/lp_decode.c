#include "lp_decode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cursor {
	const char *s;
	size_t len, at;
};

/* Reads an element up to an unescaped character of stops. "\\" is a
 * backslash, a backslash before a character of escapable is that
 * character, and any other backslash is literal. */
static char *element(struct cursor *c, const char *stops, const char *escapable)
{
	char *out = malloc(c->len - c->at + 1);
	size_t n = 0;
	if (!out)
		abort();
	while (c->at < c->len && !strchr(stops, c->s[c->at])) {
		char ch = c->s[c->at];
		if (ch == '\\' && c->at + 1 < c->len &&
		    (c->s[c->at + 1] == '\\' || strchr(escapable, c->s[c->at + 1]))) {
			out[n++] = c->s[c->at + 1];
			c->at += 2;
			continue;
		}
		out[n++] = ch;
		c->at++;
	}
	out[n] = '\0';
	return out;
}

static int fail(char *err, size_t errlen, const struct cursor *c, const char *what)
{
	snprintf(err, errlen, "at byte %zu: %s", c->at, what);
	return -1;
}

static int field_value(struct cursor *c, struct lp_pair *f, char *err, size_t errlen)
{
	if (c->at < c->len && c->s[c->at] == '"') {
		char *out = malloc(c->len - c->at + 1);
		size_t n = 0;
		if (!out)
			abort();
		c->at++;
		while (c->at < c->len && c->s[c->at] != '"') {
			if (c->s[c->at] == '\\' && c->at + 1 < c->len &&
			    (c->s[c->at + 1] == '"' || c->s[c->at + 1] == '\\'))
				c->at++;
			out[n++] = c->s[c->at++];
		}
		out[n] = '\0';
		f->value = out;
		f->type = 's';
		if (c->at >= c->len)
			return fail(err, errlen, c, "unterminated string field");
		c->at++;
		return 0;
	}
	size_t start = c->at;
	while (c->at < c->len && c->s[c->at] != ',' && c->s[c->at] != ' ')
		c->at++;
	size_t n = c->at - start;
	f->value = strndup(c->s + start, n);
	if (!f->value)
		abort();
	if (n == 0)
		return fail(err, errlen, c, "empty field value");
	const char *v = f->value;
	if (!strcmp(v, "t") || !strcmp(v, "true") || !strcmp(v, "f") || !strcmp(v, "false") ||
	    !strcmp(v, "T") || !strcmp(v, "True") || !strcmp(v, "F") || !strcmp(v, "False")) {
		f->type = 'b';
		return 0;
	}
	char *end;
	errno = 0;
	if (v[n - 1] == 'i' || v[n - 1] == 'u') {
		(void)strtoll(v, &end, 10);
		f->type = 'i';
		if (end != v + n - 1 || errno || n == 1)
			return fail(err, errlen, c, "bad integer field");
		return 0;
	}
	(void)strtod(v, &end);
	f->type = 'f';
	if (end != v + n || errno)
		return fail(err, errlen, c, "field value of no known type");
	return 0;
}

int lp_decode_line(const char *line, size_t len, struct lp_point *p, char *err, size_t errlen)
{
	struct cursor c = { line, len, 0 };
	memset(p, 0, sizeof(*p));
	p->measurement = element(&c, ", ", ", ");
	if (!p->measurement[0])
		return fail(err, errlen, &c, "empty measurement");
	while (c.at < c.len && line[c.at] == ',') {
		c.at++;
		if (p->ntags == LP_MAX_PAIRS)
			return fail(err, errlen, &c, "too many tags");
		struct lp_pair *t = &p->tags[p->ntags++];
		t->type = 't';
		t->key = element(&c, ",= ", ",= ");
		if (c.at >= c.len || line[c.at] != '=')
			return fail(err, errlen, &c, "tag without '='");
		c.at++;
		t->value = element(&c, ",= ", ",= ");
		if (!t->key[0] || !t->value[0])
			return fail(err, errlen, &c, "empty tag key or value");
		for (size_t i = 0; i + 1 < p->ntags; i++)
			if (!strcmp(p->tags[i].key, t->key))
				return fail(err, errlen, &c, "duplicate tag key");
	}
	if (c.at >= c.len || line[c.at] != ' ')
		return fail(err, errlen, &c, "no space before the fields");
	c.at++;
	do {
		if (p->nfields == LP_MAX_PAIRS)
			return fail(err, errlen, &c, "too many fields");
		struct lp_pair *f = &p->fields[p->nfields++];
		f->key = element(&c, ",= ", ",= ");
		if (!f->key[0] || c.at >= c.len || line[c.at] != '=')
			return fail(err, errlen, &c, "field without a key or '='");
		c.at++;
		if (field_value(&c, f, err, errlen) < 0)
			return -1;
	} while (c.at < c.len && line[c.at] == ',' && ++c.at);
	if (c.at < c.len) {
		if (line[c.at] != ' ')
			return fail(err, errlen, &c, "junk after the fields");
		c.at++;
		char *end;
		errno = 0;
		p->timestamp = strtoll(line + c.at, &end, 10);
		if (end != line + c.len || end == line + c.at || errno)
			return fail(err, errlen, &c, "bad timestamp");
		p->has_timestamp = true;
	}
	return 0;
}

void lp_point_free(struct lp_point *p)
{
	free(p->measurement);
	for (size_t i = 0; i < p->ntags; i++) {
		free(p->tags[i].key);
		free(p->tags[i].value);
	}
	for (size_t i = 0; i < p->nfields; i++) {
		free(p->fields[i].key);
		free(p->fields[i].value);
	}
	memset(p, 0, sizeof(*p));
}
