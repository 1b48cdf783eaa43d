/* One HTTP exchange with a store, as upload and store reads make them:
 * libcurl with the upload options' TLS, timeouts and credentials, retried
 * with backoff on connection failures, timeouts, 5xx and 429 (honouring
 * Retry-After), and abandoned at once when the options' cancel flag is
 * set. Credentials go in headers, never into a message. */
#ifndef BOOTBENCH_HTTP_EXCHANGE_H
#define BOOTBENCH_HTTP_EXCHANGE_H

#include <curl/curl.h>
#include <stddef.h>

#include "upload.h"

struct bb_http_response {
	char *body; /* NUL-terminated; at most limit bytes are kept */
	size_t len, cap, limit;
	long retry_after_s;
	long status;
	int truncated; /* the body was over limit */
};

enum bb_http_result { BB_HTTP_OK, BB_HTTP_TOO_LARGE, BB_HTTP_FAILED, BB_HTTP_INTERRUPTED };

/* A handle for url: content_type for a body sent (NULL for none), a token
 * sent as "Authorization: <token_scheme> <token>", else user and password
 * as basic auth. Free with curl_easy_cleanup and curl_slist_free_all. */
CURL *bb_http_handle(const struct bb_upload_opts *o, const char *url, struct curl_slist **headers,
		     const char *content_type, const char *token_scheme);
/* POSTs body (GETs when body is NULL); r receives the answer. what names
 * the exchange in err ("upload to", "query of"), before shown_url (the
 * URL without credentials). 413 is BB_HTTP_TOO_LARGE, not an error. */
enum bb_http_result bb_http_exchange(CURL *curl, const struct bb_upload_opts *o, const char *what,
				     const char *shown_url, const char *body, size_t len,
				     struct bb_http_response *r, char *err, size_t errlen);
/* The server's own words: InfluxDB's {"error": ...}, 2.x's {"message":
 * ...}, or the start of the body; one line. */
void bb_http_server_message(const struct bb_http_response *r, char *buf, size_t len);
void bb_http_response_free(struct bb_http_response *r);

#endif
