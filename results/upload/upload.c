#include "upload.h"

#include <ctype.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "errorf.h"
#include "http_exchange.h"
#include "json_file.h"
#include "line_protocol.h"
#include "result_reader.h"

#define PENDING_SUFFIX ".pending"

static enum bb_upload_format detect(const char *url)
{
	char path[2048];
	snprintf(path, sizeof(path), "%s", url);
	path[strcspn(path, "?#")] = '\0';
	size_t n = strlen(path);
	if (n >= 13 && !strcmp(path + n - 13, "/api/v2/write"))
		return BB_UPLOAD_INFLUX2;
	if (n >= 6 && !strcmp(path + n - 6, "/write"))
		return BB_UPLOAD_INFLUX;
	return BB_UPLOAD_JSON;
}

/* InfluxDB takes an unknown precision silently as ns; bootbench sends ns
 * and refuses a URL that asks for anything else. */
static int write_url(const char *url, enum bb_upload_format f, char *buf, size_t len, char *err, size_t errlen)
{
	if (f == BB_UPLOAD_JSON) {
		snprintf(buf, len, "%s", url);
		return 0;
	}
	const char *prec = strstr(url, "precision=");
	if (prec && (prec[-1] == '?' || prec[-1] == '&')) {
		if (strncmp(prec + 10, "ns", 2) || (prec[12] && prec[12] != '&')) {
			bb_errorf(err, errlen, "the upload URL asks for precision=%.*s: bootbench writes ns timestamps; drop the precision parameter",
				 (int)strcspn(prec + 10, "&"), prec + 10);
			return -1;
		}
		snprintf(buf, len, "%s", url);
		return 0;
	}
	snprintf(buf, len, "%s%cprecision=ns", url, strchr(url, '?') ? '&' : '?');
	return 0;
}

int bb_upload_check(const struct bb_upload_opts *o, char *err, size_t errlen)
{
	char scheme[16] = "", *host = NULL, *s = NULL;
	char shown[2048], scratch[2200];
	bb_upload_redact_url(o->url, shown, sizeof(shown));
	CURLU *u = curl_url();
	CURLUcode rc = u ? curl_url_set(u, CURLUPART_URL, o->url, 0) : CURLUE_OUT_OF_MEMORY;
	if (rc == CURLUE_OK && curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK)
		snprintf(scheme, sizeof(scheme), "%s", s);
	bool has_host = rc == CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host[0];
	curl_free(s);
	curl_free(host);
	curl_url_cleanup(u);
	if (rc != CURLUE_OK || !has_host || (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
		bb_errorf(err, errlen, "bad upload URL '%s'%s%s: use http://HOST:PORT/... or https://...", shown,
			 rc != CURLUE_OK ? ": " : "", rc != CURLUE_OK ? curl_url_strerror(rc) : "");
		return -1;
	}
	enum bb_upload_format f = o->format == BB_UPLOAD_AUTO ? detect(o->url) : o->format;
	if (write_url(o->url, f, scratch, sizeof(scratch), err, errlen) < 0)
		return -1;
	return bb_upload_check_credentials(o, err, errlen);
}

/* Line protocol in bodies of at most batch_bytes, whole lines each; a 413
 * halves the batch and sends the same lines again. */
static int send_lines(CURL *curl, const struct bb_upload_opts *o, const char *shown, const char *data, size_t len,
		      char *err, size_t errlen)
{
	size_t limit = o->batch_bytes, at = 0;
	while (at < len) {
		size_t end = at + limit < len ? at + limit : len;
		if (end < len) {
			const char *nl = end > at ? memrchr(data + at, '\n', end - at) : NULL;
			end = nl ? (size_t)(nl - data) + 1 : at + strcspn(data + at, "\n") + 1; /* one line at least */
		}
		struct bb_http_response resp = { .limit = 4096 };
		enum bb_http_result r = bb_http_exchange(curl, o, "upload to", shown, data + at, end - at, &resp, err, errlen);
		bb_http_response_free(&resp);
		if (r == BB_HTTP_FAILED)
			return -1;
		if (r == BB_HTTP_INTERRUPTED)
			return BB_UPLOAD_INTERRUPTED;
		if (r == BB_HTTP_TOO_LARGE) {
			if (memchr(data + at, '\n', end - at - 1) == NULL) {
				bb_errorf(err, errlen, "upload to %s failed: HTTP 413, the server refuses even a single point of %zu bytes",
					 shown, end - at);
				return -1;
			}
			limit = (end - at) / 2;
			if (o->verbose)
				fprintf(stderr, "bootbench upload: HTTP 413; splitting into batches of %zu bytes\n", limit);
			continue;
		}
		at = end;
	}
	return 0;
}

static void mark_pending(const char *result_path, const char *shown_url, enum bb_upload_format f, const char *why)
{
	char path[PATH_MAX], err[512], stamp[32];
	struct bb_atomic_file af;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(path, sizeof(path), "%s" PENDING_SUFFIX, result_path);
	json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s}", "result", result_path, "url", shown_url, "format",
			      bb_upload_format_name(f), "error", why, "since", stamp);
	if (bb_atomic_open(&af, path, err, sizeof(err)) == 0) {
		json_dumpf(m, af.f, JSON_INDENT(2));
		if (bb_atomic_commit(&af, err, sizeof(err)) < 0)
			fprintf(stderr, "bootbench upload: %s\n", err);
	} else {
		fprintf(stderr, "bootbench upload: cannot mark %s pending: %s\n", result_path, err);
	}
	json_decref(m);
}

/* the name a point carries back to its file, wherever the file now lies */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int bb_upload_result(const struct bb_upload_opts *o, const char *result_path, char *err, size_t errlen)
{
	char shown[2048], url[2200];
	enum bb_upload_format f = o->format == BB_UPLOAD_AUTO ? detect(o->url) : o->format;

	bb_upload_redact_url(o->url, shown, sizeof(shown));
	if (write_url(o->url, f, url, sizeof(url), err, errlen) < 0)
		return -1;
	json_t *doc = bb_result_load(result_path, err, errlen);
	if (!doc)
		return BB_UPLOAD_NOT_A_RESULT;
	char *body = NULL;
	size_t len = 0;
	struct bb_lp_buffer lp;
	bb_lp_init(&lp);
	int rc = -1;
	if (f == BB_UPLOAD_JSON) {
		/* a .json.gz result goes up as the JSON it holds */
		char why[160];
		if (bb_file_read_all(result_path, &body, &len, why, sizeof(why)) < 0) {
			bb_errorf(err, errlen, "cannot read %s: %s", result_path, why);
			goto out;
		}
	} else if (bb_lp_encode_result(doc, base_name(result_path), &lp, err, errlen) < 0) {
		goto out;
	}
	/* marked before the first byte is sent: a SIGKILL (a cancelled CI job)
	 * during the upload leaves the result pending, not lost */
	mark_pending(result_path, shown, f, "not sent yet: the upload was started and did not finish");
	struct curl_slist *headers = NULL;
	CURL *curl = bb_http_handle(o, url, &headers,
				    f == BB_UPLOAD_JSON ? "application/json" : "text/plain; charset=utf-8",
				    f == BB_UPLOAD_JSON ? "Bearer" : "Token");
	if (!curl) {
		bb_errorf(err, errlen, "cannot start libcurl");
		goto out;
	}
	if (f == BB_UPLOAD_JSON) {
		struct bb_http_response resp = { .limit = 4096 };
		enum bb_http_result r = bb_http_exchange(curl, o, "upload to", shown, body, len, &resp, err, errlen);
		bb_http_response_free(&resp);
		if (r == BB_HTTP_TOO_LARGE)
			bb_errorf(err, errlen, "upload to %s failed: HTTP 413, the endpoint refuses the %zu-byte result; write it without events (run --no-events)",
				 shown, len);
		rc = r == BB_HTTP_OK ? 0 : r == BB_HTTP_INTERRUPTED ? BB_UPLOAD_INTERRUPTED : -1;
	} else {
		rc = send_lines(curl, o, shown, lp.data ? lp.data : "", lp.len, err, errlen);
	}
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	if (rc == 0) {
		char marker[PATH_MAX];
		snprintf(marker, sizeof(marker), "%s" PENDING_SUFFIX, result_path);
		unlink(marker); /* sent: no longer pending */
		if (o->verbose && f == BB_UPLOAD_JSON)
			fprintf(stderr, "bootbench upload: %s: the %zu-byte JSON document to %s\n", result_path, len, shown);
		else if (o->verbose)
			fprintf(stderr, "bootbench upload: %s: %zu points to %s\n", result_path, lp.lines, shown);
	} else {
		mark_pending(result_path, shown, f, err);
	}
out:
	free(body);
	bb_lp_free(&lp);
	json_decref(doc);
	return rc;
}

int bb_upload_pending(const struct bb_upload_opts *o, const char *dir, bool url_given, unsigned *sent,
		      unsigned *still_pending, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	*sent = *still_pending = 0;
	if (!d) {
		bb_errorf(err, errlen, "cannot read --pending directory %s: %s", dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name), s = strlen(PENDING_SUFFIX);
		if (e->d_name[0] == '.' || n <= s || strcmp(e->d_name + n - s, PENDING_SUFFIX))
			continue;
		char marker[PATH_MAX], result[PATH_MAX], one_err[1024];
		json_error_t marker_err;
		snprintf(marker, sizeof(marker), "%s/%s", dir, e->d_name);
		snprintf(result, sizeof(result), "%s/%.*s", dir, (int)(n - s), e->d_name);
		json_t *m = bb_json_load_path(marker, 0, &marker_err);
		struct bb_upload_opts one = *o;
		if (!url_given) {
			/* the marker's URL gets no secret */
			if (one.token[0] || one.user[0]) {
				static bool said;
				if (!said)
					fprintf(stderr, "bootbench upload: credentials go only to a --url given on the command line; results sent to their markers' URLs go without them\n");
				said = true;
			}
			memset(one.token, 0, sizeof(one.token));
			memset(one.user, 0, sizeof(one.user));
			memset(one.password, 0, sizeof(one.password));
			const char *url = json_string_value(json_object_get(m, "url"));
			const char *fmt = json_string_value(json_object_get(m, "format"));
			if (!url) {
				fprintf(stderr, "bootbench upload: %s has no URL: give --url\n", marker);
				(*still_pending)++;
				rc = -1;
				json_decref(m);
				continue;
			}
			snprintf(one.url, sizeof(one.url), "%s", url);
			if (!fmt || bb_upload_format_parse(fmt, &one.format) < 0)
				one.format = BB_UPLOAD_AUTO;
		}
		json_decref(m);
		int one_rc = bb_upload_result(&one, result, one_err, sizeof(one_err));
		if (one_rc == 0) {
			(*sent)++;
		} else if (one_rc == BB_UPLOAD_INTERRUPTED) {
			(*still_pending)++;
			rc = BB_UPLOAD_INTERRUPTED;
			break;
		} else {
			fprintf(stderr, "bootbench upload: %s: %s\n", result, one_err);
			(*still_pending)++;
			rc = -1;
		}
	}
	closedir(d);
	if (rc == BB_UPLOAD_INTERRUPTED)
		bb_errorf(err, errlen, "interrupted: the results not yet sent are still pending in %s", dir);
	else if (rc < 0)
		bb_errorf(err, errlen, "%u results are still pending in %s", *still_pending, dir);
	return rc;
}
