#include "store_fetch.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "http_exchange.h"
#include "store_query_text.h"

/* InfluxDB 2.x takes the Flux query in a JSON body, with the dialect that
 * annotates each column's type (bootbench reads longs as integers) */
static char *flux_request(const char *query)
{
	json_t *req = json_pack("{s:s, s:s, s:{s:b, s:s, s:[s, s, s], s:s}}", "query", query, "type", "flux", "dialect",
				"header", 1, "delimiter", ",", "annotations", "datatype", "group", "default",
				"dateTimeFormat", "RFC3339Nano");
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	return body;
}

int bb_store_fetch(const struct bb_store_selection *s, const struct bb_upload_opts *o, size_t max_runs,
		   json_t **runs, char *err, size_t errlen)
{
	*runs = NULL;
	char source[1024];
	bb_store_selection_describe(s, source, sizeof(source));
	static char query[16384];
	if (bb_store_query_text(s, query, sizeof(query), err, errlen) < 0)
		return BB_STORE_BAD_SELECTION;
	bool v2 = s->kind == BB_STORE_INFLUX2;
	const char *scheme = s->tls ? "https" : "http";
	struct curl_slist *headers = NULL;
	char shown[1024];
	if (v2)
		snprintf(shown, sizeof(shown), "%s://%s:%u/api/v2/query?org=%s", scheme, s->host, s->port, s->org);
	else
		snprintf(shown, sizeof(shown), "%s://%s:%u/query?db=%s", scheme, s->host, s->port, s->db);
	CURL *curl = bb_http_handle(o, "http://localhost/", &headers, v2 ? "application/json" : NULL, "Token");
	if (!curl) {
		bb_errorf(err, errlen, "cannot start libcurl");
		return BB_STORE_FAILED;
	}
	char *body = NULL, *url = NULL, *arg = NULL, *q = NULL;
	size_t url_len;
	if (v2) {
		headers = curl_slist_append(headers, "Accept: application/csv");
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
		body = flux_request(query);
		arg = curl_easy_escape(curl, s->org, 0);
		if (!body || !arg)
			abort(); /* out of memory for a few kilobytes */
		url_len = strlen(s->host) + strlen(arg) + 64;
		url = malloc(url_len);
		if (!url)
			abort();
		snprintf(url, url_len, "%s://%s:%u/api/v2/query?org=%s", scheme, s->host, s->port, arg);
	} else {
		arg = curl_easy_escape(curl, s->db, 0);
		q = curl_easy_escape(curl, query, 0);
		if (!arg || !q)
			abort();
		url_len = strlen(s->host) + strlen(arg) + strlen(q) + 64;
		url = malloc(url_len);
		if (!url)
			abort();
		snprintf(url, url_len, "%s://%s:%u/query?db=%s&epoch=ns&q=%s", scheme, s->host, s->port, arg, q);
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	struct bb_http_response resp = { .limit = BB_STORE_MAX_ANSWER };
	enum bb_http_result hr =
		bb_http_exchange(curl, o, "query of", shown, body, body ? strlen(body) : 0, &resp, err, errlen);
	int rc;
	if (hr == BB_HTTP_TOO_LARGE) {
		bb_errorf(err, errlen, "query of %s failed: HTTP 413", shown);
		rc = BB_STORE_FAILED;
	} else if (hr != BB_HTTP_OK) {
		rc = BB_STORE_FAILED;
	} else if (resp.truncated) {
		bb_errorf(err, errlen, "%s answered over %zu MiB: narrow the selection (since=, label.NAME=)", source,
			 BB_STORE_MAX_ANSWER >> 20);
		rc = BB_STORE_FAILED;
	} else if (v2) {
		rc = bb_store_rebuild_flux(resp.body ? resp.body : "", resp.len, source, max_runs, runs, err, errlen);
	} else {
		rc = bb_store_rebuild_influxql(resp.body ? resp.body : "", resp.len, source, max_runs, runs, err, errlen);
	}
	bb_http_response_free(&resp);
	curl_free(arg);
	curl_free(q);
	free(body);
	free(url);
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	return rc;
}
