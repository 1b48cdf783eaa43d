/* Upload options, credentials and URL redaction: everything of upload
 * that does not need libcurl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "json_file.h"
#include "upload.h"

void bb_upload_opts_default(struct bb_upload_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = BB_UPLOAD_AUTO;
	o->connect_timeout_ms = 5000;
	o->timeout_ms = 30000;
	o->retries = 4;
	o->backoff_ms = 500;
	o->max_backoff_ms = 30000;
	o->batch_bytes = 4u << 20;
}

static const char *const format_names[] = { "auto", "influx", "influx2", "json" };

int bb_upload_format_parse(const char *text, enum bb_upload_format *out)
{
	for (int f = 0; f < 4; f++) {
		if (!strcmp(text, format_names[f])) {
			*out = (enum bb_upload_format)f;
			return 0;
		}
	}
	return -1;
}

const char *bb_upload_format_name(enum bb_upload_format f)
{
	return format_names[f];
}

static void set_field(char *dst, size_t len, const char *value)
{
	snprintf(dst, len, "%s", value);
}

int bb_upload_check_credentials(const struct bb_upload_opts *o, char *err, size_t errlen)
{
	/* a CR or LF in a header value starts a header of the attacker's */
	if (strpbrk(o->token, "\r\n") || strpbrk(o->user, "\r\n") || strpbrk(o->password, "\r\n")) {
		bb_errorf(err, errlen, "the upload %s holds a CR or LF, which would inject HTTP headers: give it on one line",
			 strpbrk(o->token, "\r\n") ? "token" : strpbrk(o->user, "\r\n") ? "user" : "password");
		return -1;
	}
	if (o->user[0] && !o->password[0]) {
		bb_errorf(err, errlen, "an upload user is given without a password: set BOOTBENCH_UPLOAD_PASSWORD or a password= line too");
		return -1;
	}
	if (!o->user[0] && o->password[0]) {
		bb_errorf(err, errlen, "an upload password is given without a user: set BOOTBENCH_UPLOAD_USER or a user= line too");
		return -1;
	}
	return 0;
}

int bb_upload_credentials(struct bb_upload_opts *o, const char *file, char *err, size_t errlen)
{
	const char *v;
	if ((v = getenv("BOOTBENCH_UPLOAD_TOKEN")) && *v)
		set_field(o->token, sizeof(o->token), v);
	if ((v = getenv("BOOTBENCH_UPLOAD_USER")) && *v)
		set_field(o->user, sizeof(o->user), v);
	if ((v = getenv("BOOTBENCH_UPLOAD_PASSWORD")) && *v)
		set_field(o->password, sizeof(o->password), v);
	if (!file)
		return 0;
	FILE *f = bb_fopen_regular(file);
	if (!f) {
		bb_errorf(err, errlen, "cannot read credentials file %s: %s", file, strerror(errno));
		return -1;
	}
	char line[1400];
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		n++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *eq = strchr(line, '=');
		if (eq && !eq[1] && (!strncmp(line, "token=", 6) || !strncmp(line, "user=", 5) || !strncmp(line, "password=", 9))) {
			bb_errorf(err, errlen, "%s line %d: an empty %.*s: give its value, or leave the line out", file, n,
				 (int)(eq - line), line);
			fclose(f);
			return -1;
		}
		if (eq && !strncmp(line, "token=", 6))
			set_field(o->token, sizeof(o->token), eq + 1);
		else if (eq && !strncmp(line, "user=", 5))
			set_field(o->user, sizeof(o->user), eq + 1);
		else if (eq && !strncmp(line, "password=", 9))
			set_field(o->password, sizeof(o->password), eq + 1);
		else {
			/* the line itself may be a secret: name only its number */
			bb_errorf(err, errlen, "%s line %d: use token=..., user=... or password=...", file, n);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static bool secret_param(const char *p, size_t n)
{
	static const char *const names[] = { "u", "p", "password", "token" };
	for (size_t i = 0; i < 4; i++)
		if (strlen(names[i]) == n && !strncmp(p, names[i], n))
			return true;
	return false;
}

void bb_upload_redact_url(const char *url, char *buf, size_t len)
{
	size_t o = 0;
	const char *p = url;
	const char *scheme = strstr(url, "://");
	if (scheme) {
		const char *host = scheme + 3, *end = host + strcspn(host, "/?#");
		const char *at = memchr(host, '@', (size_t)(end - host));
		o += (size_t)snprintf(buf + o, len - o, "%.*s", (int)(host - url), url);
		p = at ? at + 1 : host;
	}
	const char *q = strchr(p, '?');
	if (!q) {
		snprintf(buf + o, len - o, "%s", p);
		return;
	}
	o += (size_t)snprintf(buf + o, len - o, "%.*s", (int)(q - p), p);
	char sep = '?';
	for (const char *param = q + 1; *param && o < len;) {
		size_t n = strcspn(param, "&"), key = strcspn(param, "=&");
		if (!secret_param(param, key)) {
			o += (size_t)snprintf(buf + o, len - o, "%c%.*s", sep, (int)n, param);
			sep = '&';
		}
		param += n + (param[n] == '&');
	}
}

