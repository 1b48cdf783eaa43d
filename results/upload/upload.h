/* Sending a result to a store with libcurl: InfluxDB 1.x (/write),
 * InfluxDB 2.x (/api/v2/write) or any JSON endpoint. A result that cannot
 * be sent is marked pending beside its file (<result>.pending) and sent
 * later with bootbench upload --pending DIR. Credentials come from the
 * environment or a file, are never written to a marker, and never
 * printed. */
#ifndef BOOTBENCH_UPLOAD_H
#define BOOTBENCH_UPLOAD_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

enum bb_upload_format { BB_UPLOAD_AUTO, BB_UPLOAD_INFLUX, BB_UPLOAD_INFLUX2, BB_UPLOAD_JSON };

struct bb_upload_opts {
	char url[2048];
	enum bb_upload_format format;
	char token[1024];
	char user[256];
	char password[256];
	char cacert[PATH_MAX];
	bool insecure;
	long connect_timeout_ms;
	long timeout_ms;       /* per request */
	unsigned retries;      /* after the first try */
	long backoff_ms;       /* doubled on each retry */
	long max_backoff_ms;
	size_t batch_bytes;    /* line protocol is split into bodies of at most this */
	bool verbose;
	/* set (by a SIGINT handler) to abandon the upload at once, the
	 * result kept and marked pending; NULL: never */
	const volatile sig_atomic_t *cancel;
};

void bb_upload_opts_default(struct bb_upload_opts *o);
int bb_upload_format_parse(const char *text, enum bb_upload_format *out);
const char *bb_upload_format_name(enum bb_upload_format f);
/* From BOOTBENCH_UPLOAD_TOKEN, or BOOTBENCH_UPLOAD_USER and
 * BOOTBENCH_UPLOAD_PASSWORD, then from file (lines token=, user=,
 * password=) when file is not NULL. */
int bb_upload_credentials(struct bb_upload_opts *o, const char *file, char *err, size_t errlen);
/* What can be known before anything is sent, as one line for exit 2: a
 * URL that is not http(s)://HOST..., an InfluxDB precision other than ns,
 * credentials with CR or LF (a header injection), a user without a
 * password, an empty token. */
int bb_upload_check(const struct bb_upload_opts *o, char *err, size_t errlen);
int bb_upload_check_credentials(const struct bb_upload_opts *o, char *err, size_t errlen);
/* The URL with any user:password@ and u, p, password, token parameters
 * removed: what markers store and messages show. */
void bb_upload_redact_url(const char *url, char *buf, size_t len);

/* Sends one result file: 0; -1 when it could not be sent, with err saying
 * why (with the server's own message where it sent one), and the result
 * marked pending; or BB_UPLOAD_NOT_A_RESULT when the file is no result
 * (corrupt, truncated, not a regular file), and nothing is marked. */
#define BB_UPLOAD_NOT_A_RESULT (-2)
/* Abandoned because o->cancel was set: the result is marked pending. */
#define BB_UPLOAD_INTERRUPTED (-3)
int bb_upload_result(const struct bb_upload_opts *o, const char *result_path, char *err, size_t errlen);
/* Sends every result marked pending in dir; counts what was sent and
 * what is still pending. Without url_given each goes to its marker's URL,
 * and without credentials: a marker is a file anyone who can write the
 * directory could have planted, so a secret goes only to a URL given on
 * the command line. */
int bb_upload_pending(const struct bb_upload_opts *o, const char *dir, bool url_given, unsigned *sent,
		      unsigned *still_pending, char *err, size_t errlen);

#endif
