#include "store_fetch.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "http_exchange.h"
#include "store_query_text.h"

int bb_store_fetch(const struct bb_store_selection *s, const struct bb_upload_opts *o, size_t max_runs,
		   json_t **runs, char *err, size_t errlen)
{
	*runs = NULL;
	char source[1024];
	bb_store_selection_describe(s, source, sizeof(source));
	if (s->kind != BB_STORE_INFLUX1) {
		bb_errorf(err, errlen, "%s: reading back from InfluxDB 2.x is not in this bootbench yet (its answers are annotated CSV); read from a 1.x store (influx://), or compare the result files",
			 source);
		return BB_STORE_BAD_SELECTION;
	}
	static char query[16384];
	if (bb_store_query_text(s, query, sizeof(query), err, errlen) < 0)
		return BB_STORE_BAD_SELECTION;
	struct curl_slist *headers = NULL;
	char shown[1024];
	snprintf(shown, sizeof(shown), "%s://%s:%u/query?db=%s", s->tls ? "https" : "http", s->host, s->port, s->db);
	CURL *curl = bb_http_handle(o, "http://localhost/", &headers, NULL, "Token");
	if (!curl) {
		bb_errorf(err, errlen, "cannot start libcurl");
		return BB_STORE_FAILED;
	}
	char *db = curl_easy_escape(curl, s->db, 0), *q = curl_easy_escape(curl, query, 0);
	if (!db || !q)
		abort(); /* out of memory for a few kilobytes */
	size_t url_len = strlen(s->host) + strlen(db) + strlen(q) + 64;
	char *url = malloc(url_len);
	if (!url)
		abort();
	snprintf(url, url_len, "%s://%s:%u/query?db=%s&epoch=ns&q=%s", s->tls ? "https" : "http", s->host, s->port, db, q);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	struct bb_http_response resp = { .limit = BB_STORE_MAX_ANSWER };
	enum bb_http_result hr = bb_http_exchange(curl, o, "query of", shown, NULL, 0, &resp, err, errlen);
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
	} else {
		rc = bb_store_rebuild_influxql(resp.body ? resp.body : "", resp.len, source, max_runs, runs, err, errlen);
	}
	bb_http_response_free(&resp);
	curl_free(db);
	curl_free(q);
	free(url);
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	return rc;
}
