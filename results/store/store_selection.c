#include "store_selection.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "line_protocol.h"
#include "parse.h"
#include "printable.h"
#include "rfc3339.h"

static const struct {
	const char *scheme;
	enum bb_store_kind kind;
	bool tls;
} schemes[] = {
	{ "influx://", BB_STORE_INFLUX1, false },
	{ "influxs://", BB_STORE_INFLUX1, true },
	{ "influx2://", BB_STORE_INFLUX2, false },
	{ "influx2s://", BB_STORE_INFLUX2, true },
};

/* the fixed tags a selection may name; warmup and metric are bootbench's */
static const char *const selectable[] = { "profile", "kernel", "host", "arch", "hz", "bootbench", "run" };

#define USAGE_KEYS "profile, kernel, host, arch, hz, bootbench, run, label.NAME, since, until (and org for influx2)"

bool bb_store_is_selection(const char *arg)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(arg, schemes[i].scheme, strlen(schemes[i].scheme)))
			return true;
	return false;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes [s, s + n) into out; newlines become spaces, as upload
 * stores them. -1 on a bad escape, a NUL, or no room. */
static int decode(const char *s, size_t n, char *out, size_t len, const char **why)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < n ? hex(s[i + 1]) : -1, lo = i + 2 < n ? hex(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				*why = "has a % not followed by two hex digits (write a literal % as %25)";
				return -1;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
			if (c == '\0') {
				*why = "holds %00, which no tag can";
				return -1;
			}
		}
		if (c == '\n' || c == '\r')
			c = ' ';
		if (o + 1 >= len) {
			*why = "is too long";
			return -1;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* 7d, 24h, 30m, 90s, 500ms, 2w: a whole number and a unit both query
 * languages know */
static bool is_duration(const char *s)
{
	static const char *const units[] = { "ns", "us", "ms", "s", "m", "h", "d", "w" };
	size_t digits = strspn(s, "0123456789");
	if (digits == 0 || s[0] == '0' || digits > 9)
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(s + digits, units[i]))
			return true;
	return false;
}

static int parse_authority(const char *a, size_t n, struct bb_store_selection *s, const char *text, char *err,
			   size_t errlen)
{
	if (memchr(a, '@', n)) {
		bb_errorf(err, errlen, "store %s: credentials are never part of a selection; leave out USER@ and set BOOTBENCH_UPLOAD_TOKEN (or _USER and _PASSWORD)",
			 text);
		return -1;
	}
	const char *port = NULL;
	size_t hn = n;
	if (n && a[0] == '[') { /* [::1]:8086 */
		const char *close = memchr(a, ']', n);
		if (!close) {
			bb_errorf(err, errlen, "store %s: an IPv6 host needs its closing ]", text);
			return -1;
		}
		hn = (size_t)(close - a) + 1;
		if (hn < n && a[hn] != ':') {
			bb_errorf(err, errlen, "store %s: after ] comes :PORT or /DATABASE", text);
			return -1;
		}
		port = hn < n ? a + hn + 1 : NULL;
	} else {
		const char *colon = memchr(a, ':', n);
		if (colon) {
			hn = (size_t)(colon - a);
			port = colon + 1;
		}
	}
	if (hn == 0 || hn >= sizeof(s->host)) {
		bb_errorf(err, errlen, "store %s: %s; write it as influx://HOST[:PORT]/DATABASE?...", text,
			 hn == 0 ? "no host" : "the host name is too long");
		return -1;
	}
	for (size_t i = 0; i < hn; i++)
		if (!isalnum((unsigned char)a[i]) && !strchr(".-_[]:", a[i])) {
			bb_errorf(err, errlen, "store %s: the host has '%c', which no host name holds", text, a[i]);
			return -1;
		}
	memcpy(s->host, a, hn);
	s->host[hn] = '\0';
	s->port = 8086;
	if (port) {
		size_t pn = (size_t)(a + n - port);
		int value = pn <= 5 ? bb_digits_value(port, pn) : -1;
		if (value < 1 || value > 65535) {
			bb_errorf(err, errlen, "store %s: the port is not a number from 1 to 65535", text);
			return -1;
		}
		s->port = (unsigned)value;
	}
	return 0;
}

static bool seen_key(const char seen[][140], size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(seen[i], key))
			return true;
	return false;
}

static int parse_pair(const char *pair, size_t n, struct bb_store_selection *s, const char *text, char *err,
		      size_t errlen)
{
	const char *eq = memchr(pair, '=', n);
	if (!eq) {
		bb_errorf(err, errlen, "store %s: '%.*s' is not KEY=VALUE; keys: " USAGE_KEYS, text, (int)n, pair);
		return -1;
	}
	char key[140], value[256] = ""; /* whole, for the analyzer */
	size_t kn = (size_t)(eq - pair);
	if (kn == 0 || kn >= sizeof(key)) {
		bb_errorf(err, errlen, "store %s: a key is %s; keys: " USAGE_KEYS, text, kn ? "too long" : "empty");
		return -1;
	}
	memcpy(key, pair, kn);
	key[kn] = '\0';
	const char *why = NULL;
	if (decode(eq + 1, n - kn - 1, value, sizeof(value), &why) < 0) {
		bb_errorf(err, errlen, "store %s: the value of %s %s", text, key, why);
		return -1;
	}
	if (!value[0]) {
		bb_errorf(err, errlen, "store %s: %s is empty, and no point is stored with an empty tag: give it a value or leave it out",
			 text, key);
		return -1;
	}
	if (!strcmp(key, "org")) {
		if (s->kind != BB_STORE_INFLUX2) {
			bb_errorf(err, errlen, "store %s: org is InfluxDB 2.x's; an influx:// store is 1.x (use influx2:// for 2.x)", text);
			return -1;
		}
		snprintf(s->org, sizeof(s->org), "%s", value);
		return 0;
	}
	if (!strcmp(key, "since") || !strcmp(key, "until")) {
		if (!is_duration(value) && !bb_rfc3339_ns(value, NULL)) {
			bb_errorf(err, errlen, "store %s: %s=%s is neither a duration (7d, 24h, 30m) nor an RFC 3339 time (2026-12-01T00:00:00Z)",
				 text, key, value);
			return -1;
		}
		snprintf(!strcmp(key, "since") ? s->since : s->until, sizeof(s->since), "%s", value);
		return 0;
	}
	char tag[128];
	if (!strncmp(key, "label.", 6)) {
		const char *name = key + 6;
		if (!*name) {
			bb_errorf(err, errlen, "store %s: label. needs the label's name, as in label.patch=none", text);
			return -1;
		}
		for (const char *c = name; *c; c++)
			if ((unsigned char)*c < 0x21 || *c == '%') {
				bb_errorf(err, errlen, "store %s: the label name %s holds a space, control character or %%: name a label as --label gave it",
					 text, name);
				return -1;
			}
		bb_lp_label_tag(name, tag, sizeof(tag));
	} else {
		bool known = false;
		for (size_t i = 0; i < sizeof(selectable) / sizeof(selectable[0]); i++)
			known |= !strcmp(key, selectable[i]);
		if (!known) {
			bb_errorf(err, errlen, "store %s: unknown key %s; keys: " USAGE_KEYS, text, key);
			return -1;
		}
		snprintf(tag, sizeof(tag), "%s", key);
	}
	if (s->ntags == BB_STORE_MAX_TAGS) {
		bb_errorf(err, errlen, "store %s: more than %d tags", text, BB_STORE_MAX_TAGS);
		return -1;
	}
	struct bb_store_tag *t = &s->tags[s->ntags++];
	snprintf(t->key, sizeof(t->key), "%s", tag);
	snprintf(t->value, sizeof(t->value), "%s", value);
	return 0;
}

static int parse(const char *text, struct bb_store_selection *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	size_t i = 0;
	for (; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(text, schemes[i].scheme, strlen(schemes[i].scheme)))
			break;
	if (i == sizeof(schemes) / sizeof(schemes[0])) {
		bb_errorf(err, errlen, "store %s: a store is influx://, influxs://, influx2:// or influx2s://", text);
		return -1;
	}
	s->kind = schemes[i].kind;
	s->tls = schemes[i].tls;
	const char *a = text + strlen(schemes[i].scheme);
	size_t an = strcspn(a, "/?#");
	if (parse_authority(a, an, s, text, err, errlen) < 0)
		return -1;
	const char *path = a + an;
	if (*path != '/' || path[1] == '\0' || path[1] == '?') {
		bb_errorf(err, errlen, "store %s: no %s; write it as %sHOST[:PORT]/%s?...", text,
			 s->kind == BB_STORE_INFLUX1 ? "database" : "bucket", schemes[i].scheme,
			 s->kind == BB_STORE_INFLUX1 ? "DATABASE" : "BUCKET");
		return -1;
	}
	path++;
	size_t pn = strcspn(path, "?#");
	const char *why = NULL;
	if (memchr(path, '/', pn)) {
		bb_errorf(err, errlen, "store %s: the %s is one name, without /", text,
			 s->kind == BB_STORE_INFLUX1 ? "database" : "bucket");
		return -1;
	}
	if (decode(path, pn, s->db, sizeof(s->db), &why) < 0) {
		bb_errorf(err, errlen, "store %s: the %s %s", text, s->kind == BB_STORE_INFLUX1 ? "database" : "bucket", why);
		return -1;
	}
	const char *q = path + pn;
	if (*q == '#') {
		bb_errorf(err, errlen, "store %s: a selection has no #fragment", text);
		return -1;
	}
	if (*q == '?') {
		char seen[BB_STORE_MAX_TAGS + 4][140];
		size_t nseen = 0;
		q++;
		while (*q) {
			size_t n = strcspn(q, "&#");
			if (q[n] == '#') {
				bb_errorf(err, errlen, "store %s: a selection has no #fragment", text);
				return -1;
			}
			if (n > 0) {
				size_t kn = strcspn(q, "=&");
				char key[140];
				snprintf(key, sizeof(key), "%.*s", (int)(kn < n ? kn : n), q);
				if (seen_key(seen, nseen, key)) {
					bb_errorf(err, errlen, "store %s: %s is given twice; a key selects one value", text, key);
					return -1;
				}
				if (nseen < sizeof(seen) / sizeof(seen[0]))
					snprintf(seen[nseen++], sizeof(seen[0]), "%s", key);
				if (parse_pair(q, n, s, text, err, errlen) < 0)
					return -1;
			}
			q += n;
			if (*q == '&')
				q++;
		}
	}
	if (s->kind == BB_STORE_INFLUX2 && !s->org[0]) {
		bb_errorf(err, errlen, "store %s: an InfluxDB 2.x store needs its org: add org=ORG", text);
		return -1;
	}
	return 0;
}

int bb_store_selection_parse(const char *text, struct bb_store_selection *s, char *err, size_t errlen)
{
	if (parse(text, s, err, errlen) == 0)
		return 0;
	/* the error echoes what the user typed: one line, no terminal escapes */
	char shown[1024];
	bb_printable(err, shown, sizeof(shown));
	snprintf(err, errlen, "%s", shown);
	return -1;
}

void bb_store_selection_describe(const struct bb_store_selection *s, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s://%s:%u/%s (InfluxDB %s%s)",
				    s->kind == BB_STORE_INFLUX1 ? (s->tls ? "influxs" : "influx") : (s->tls ? "influx2s" : "influx2"),
				    s->host, s->port, s->db, s->kind == BB_STORE_INFLUX1 ? "1.x" : "2.x, org ",
				    s->kind == BB_STORE_INFLUX1 ? "" : s->org);
	for (size_t i = 0; i < s->ntags && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", i ? ", " : " where ", s->tags[i].key, s->tags[i].value);
	if (s->since[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", since %s", s->since);
	if (s->until[0] && n < len)
		snprintf(buf + n, len - n, ", until %s", s->until);
}
