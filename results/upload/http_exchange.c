#include "http_exchange.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "errorf.h"

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct bb_http_response *r = ctx;
	size_t bytes = size * n, keep = bytes;
	if (r->len + keep > r->limit) {
		keep = r->limit > r->len ? r->limit - r->len : 0;
		r->truncated = 1;
	}
	if (r->len + keep + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (r->len + keep + 1 > cap)
			cap *= 2;
		char *p = realloc(r->body, cap);
		if (!p)
			return 0; /* libcurl ends the transfer: a write error */
		r->body = p;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, keep);
	r->len += keep;
	r->body[r->len] = '\0';
	return bytes;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct bb_http_response *r = ctx;
	size_t bytes = size * n;
	if (bytes > 12 && !strncasecmp(data, "Retry-After:", 12))
		r->retry_after_s = strtol(data + 12, NULL, 10);
	return bytes;
}

void bb_http_server_message(const struct bb_http_response *r, char *buf, size_t len)
{
	json_t *doc = r->body ? json_loadb(r->body, r->len, 0, NULL) : NULL;
	json_t *e = json_object_get(doc, "error");
	if (!json_is_string(e))
		e = json_object_get(doc, "message"); /* InfluxDB 2.x */
	if (json_is_string(e))
		snprintf(buf, len, "%s", json_string_value(e));
	else
		snprintf(buf, len, "%.300s", r->body && r->body[0] ? r->body : "(no body)");
	buf[strcspn(buf, "\r\n")] = '\0';
	json_decref(doc);
}

void bb_http_response_free(struct bb_http_response *r)
{
	free(r->body);
	r->body = NULL;
	r->len = r->cap = 0;
}

static bool retryable_curl(CURLcode c)
{
	return c == CURLE_COULDNT_CONNECT || c == CURLE_OPERATION_TIMEDOUT || c == CURLE_RECV_ERROR ||
	       c == CURLE_SEND_ERROR || c == CURLE_GOT_NOTHING || c == CURLE_PARTIAL_FILE;
}

static bool cancelled(const struct bb_upload_opts *o)
{
	return o->cancel && *o->cancel;
}

/* Sleeps in slices, so that a cancel ends the wait within 50 ms. */
static void sleep_ms(const struct bb_upload_opts *o, long ms)
{
	while (ms > 0 && !cancelled(o)) {
		long slice = ms < 50 ? ms : 50;
		struct timespec ts = { 0, slice * 1000000 };
		nanosleep(&ts, NULL);
		ms -= slice;
	}
}

/* libcurl's progress callback: non-zero aborts the transfer. */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return cancelled(ctx) ? 1 : 0;
}

enum bb_http_result bb_http_exchange(CURL *curl, const struct bb_upload_opts *o, const char *what,
				     const char *shown_url, const char *body, size_t len,
				     struct bb_http_response *r, char *err, size_t errlen)
{
	for (unsigned attempt = 0;; attempt++) {
		r->len = 0;
		r->truncated = 0;
		r->retry_after_s = -1;
		r->status = 0;
		if (r->body)
			r->body[0] = '\0';
		if (body) {
			curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		} else {
			curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
		}
		curl_easy_setopt(curl, CURLOPT_WRITEDATA, r);
		curl_easy_setopt(curl, CURLOPT_HEADERDATA, r);
		CURLcode c = curl_easy_perform(curl);
		if (c == CURLE_ABORTED_BY_CALLBACK || cancelled(o)) {
			bb_errorf(err, errlen, "%s %s interrupted", what, shown_url);
			return BB_HTTP_INTERRUPTED;
		}
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
		char why[512];
		bool retry;
		if (c != CURLE_OK) {
			snprintf(why, sizeof(why), "%s", curl_easy_strerror(c));
			retry = retryable_curl(c);
		} else if (r->status >= 200 && r->status < 300) {
			return BB_HTTP_OK;
		} else if (r->status == 413) {
			return BB_HTTP_TOO_LARGE;
		} else {
			char msg[400];
			bb_http_server_message(r, msg, sizeof(msg));
			snprintf(why, sizeof(why), "HTTP %ld: %s", r->status, msg);
			retry = r->status >= 500 || r->status == 429;
		}
		if (!retry || attempt >= o->retries) {
			bb_errorf(err, errlen, "%s %s failed%s: %s", what, shown_url, retry ? " after retries" : "", why);
			return BB_HTTP_FAILED;
		}
		long wait = o->backoff_ms << (attempt < 20 ? attempt : 20);
		if (wait > o->max_backoff_ms)
			wait = o->max_backoff_ms;
		if (r->status == 429 && r->retry_after_s >= 0) /* the server says when */
			wait = r->retry_after_s * 1000 < o->max_backoff_ms ? r->retry_after_s * 1000 : o->max_backoff_ms;
		if (o->verbose)
			fprintf(stderr, "bootbench: %s %s: %s; retrying in %ld ms\n", what, shown_url, why, wait);
		sleep_ms(o, wait);
		if (cancelled(o)) {
			bb_errorf(err, errlen, "%s %s interrupted while waiting to retry (%s)", what, shown_url, why);
			return BB_HTTP_INTERRUPTED;
		}
	}
}

CURL *bb_http_handle(const struct bb_upload_opts *o, const char *url, struct curl_slist **headers,
		     const char *content_type, const char *token_scheme)
{
	static bool curl_ready; /* once a process, before its first handle */
	if (!curl_ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl_ready = true;
	}
	CURL *curl = curl_easy_init();
	*headers = NULL;
	if (!curl)
		return NULL;
	if (content_type) {
		char ct[128];
		snprintf(ct, sizeof(ct), "Content-Type: %s", content_type);
		*headers = curl_slist_append(*headers, ct);
	}
	if (o->token[0]) {
		char auth[1200];
		snprintf(auth, sizeof(auth), "Authorization: %s %s", token_scheme, o->token);
		*headers = curl_slist_append(*headers, auth);
		memset(auth, 0, sizeof(auth));
	} else if (o->user[0]) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, o->password);
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, *headers);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)o);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
	if (o->cacert[0])
		curl_easy_setopt(curl, CURLOPT_CAINFO, o->cacert);
	return curl;
}
