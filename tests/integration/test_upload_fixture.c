/* bootbench upload against a scripted local endpoint: JSON POSTs, retries
 * on 500 and 429 (honouring Retry-After), batches split on 413, no retry
 * on 401 with the server's message shown, a server that never answers,
 * and credentials that never show. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "synthetic.h"

static struct proc p;
static char dir[64], result[256], logfile[256];
static pid_t server;
static int port;

static void start_fixture(const char *scenario)
{
	char portfile[256];
	snprintf(portfile, sizeof(portfile), "%s/port", dir);
	snprintf(logfile, sizeof(logfile), "%s/requests.log", dir);
	unlink(portfile);
	unlink(logfile);
	server = fork();
	if (server == 0) {
		execlp("python3", "python3", FIXTURE, scenario, portfile, logfile, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(portfile, "r");
		if (f) {
			int ok = fscanf(f, "%d", &port) == 1;
			fclose(f);
			if (ok)
				return;
		}
		usleep(25000);
	}
	fail_msg("the HTTP fixture did not start");
}

static void stop_fixture(void)
{
	kill(server, SIGTERM);
	waitpid(server, NULL, 0);
}

static int requests(const char *needle)
{
	FILE *f = fopen(logfile, "r");
	static char line[1 << 20];
	int n = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += !needle || strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

static void upload(const char *path_and_query, const char *const *extra)
{
	char url[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path_and_query);
	const char *args[24] = { "upload", result, "--url", url, "--backoff", "50", "--verbose" };
	int n = 7;
	for (int i = 0; extra && extra[i]; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	run_bootbench(args, NULL, &p);
}

static int setup(void **state)
{
	(void)state;
	make_temp_dir(dir, sizeof(dir));
	snprintf(result, sizeof(result), "%s/run.json", dir);
	struct synthetic s = synthetic_default("on");
	return write_synthetic(result, &s);
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(dir);
	return 0;
}

static bool pending(void)
{
	char marker[300];
	snprintf(marker, sizeof(marker), "%s.pending", result);
	return access(marker, F_OK) == 0;
}

static void json_posts_the_document(void **state)
{
	(void)state;
	start_fixture("ok");
	setenv("BOOTBENCH_UPLOAD_TOKEN", "s3cr3t-token", 1);
	upload("/collect", NULL);
	unsetenv("BOOTBENCH_UPLOAD_TOKEN");
	stop_fixture();
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(requests(NULL), 1);
	assert_int_equal(requests("\"content_type\": \"application/json\""), 1);
	assert_int_equal(requests("\"authorization\": \"Bearer s3cr3t-token\""), 1);
	assert_int_equal(requests("bootbench-result"), 1); /* the document itself */
	/* the token never shows, even with --verbose */
	assert_null(strstr(p.out, "s3cr3t"));
	assert_null(strstr(p.err, "s3cr3t"));
	assert_false(pending());
	/* --verbose says what was sent: a JSON document has no points */
	assert_non_null(strstr(p.err, "-byte JSON document to http://127.0.0.1:"));
	assert_null(strstr(p.err, " points "));
}

/* A committed .json.gz goes up as the JSON it holds, not as gzip bytes. */
static void a_gzipped_result_posts_its_json(void **state)
{
	(void)state;
	char plain[sizeof(result)], cmd[700], expect[64];
	struct stat st;
	snprintf(plain, sizeof(plain), "%s", result);
	assert_int_equal(stat(plain, &st), 0);
	snprintf(cmd, sizeof(cmd), "gzip -9nc %s >%s.gz", plain, plain);
	assert_int_equal(system(cmd), 0);
	snprintf(result, sizeof(result), "%s.gz", plain);
	start_fixture("ok");
	upload("/collect", NULL);
	stop_fixture();
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(requests(NULL), 1);
	assert_int_equal(requests("\"content_type\": \"application/json\""), 1);
	assert_int_equal(requests("bootbench-result"), 1);
	snprintf(expect, sizeof(expect), "%lld-byte JSON document", (long long)st.st_size);
	assert_non_null(strstr(p.err, expect));
	assert_false(pending());
	unlink(result);
	snprintf(result, sizeof(result), "%s", plain);
}

static void retries_a_500(void **state)
{
	(void)state;
	start_fixture("500-then-ok");
	upload("/write?db=x", NULL);
	stop_fixture();
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(requests(NULL), 2);
	assert_int_equal(requests("precision=ns"), 2);
	assert_non_null(strstr(p.err, "HTTP 500: internal; retrying in 50 ms"));
}

static void honours_retry_after(void **state)
{
	(void)state;
	struct timespec t0, t1;
	start_fixture("429-then-ok");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	upload("/write?db=x", NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stop_fixture();
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(requests(NULL), 2);
	assert_non_null(strstr(p.err, "retrying in 1000 ms"));
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 1000);
}

static void splits_on_413(void **state)
{
	(void)state;
	const char *extra[] = { "--batch-bytes", "65536", NULL };
	start_fixture("413-over-2k");
	upload("/write?db=x", extra);
	stop_fixture();
	assert_int_equal(p.exit_code, 0);
	/* every point arrived once, in bodies the server accepted */
	FILE *f = fopen(logfile, "r");
	static char line[1 << 20];
	int points = 0, accepted = 0;
	while (fgets(line, sizeof(line), f)) {
		char *bytes = strstr(line, "\"bytes\": ");
		if (atoi(bytes + 9) > 2000)
			continue;
		accepted++;
		for (char *s = line; (s = strstr(s, "bootbench_")); s++)
			points++;
	}
	fclose(f);
	assert_true(accepted >= 2);
	assert_int_equal(points, 12 + 11); /* 12 iterations, 11 summary metrics */
	assert_non_null(strstr(p.err, "HTTP 413; splitting"));
}

static void no_retry_on_401(void **state)
{
	(void)state;
	start_fixture("401");
	upload("/write?db=x&u=admin&p=hunter2", NULL);
	stop_fixture();
	assert_int_equal(p.exit_code, 1);
	assert_int_equal(requests(NULL), 1);
	assert_non_null(strstr(p.err, "HTTP 401: authorization failed"));
	/* a password in the URL is kept out of messages and the marker */
	assert_null(strstr(p.err, "hunter2"));
	assert_true(pending());
	char marker[300], text[4096];
	snprintf(marker, sizeof(marker), "%s.pending", result);
	FILE *f = fopen(marker, "r");
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_null(strstr(text, "hunter2"));
	assert_non_null(strstr(text, "db=x"));
	unlink(marker);
}

static void times_out_and_keeps_the_result(void **state)
{
	(void)state;
	const char *extra[] = { "--timeout", "300", "--retries", "1", NULL };
	start_fixture("hang");
	upload("/write?db=x", extra);
	stop_fixture();
	assert_int_equal(p.exit_code, 1);
	assert_int_equal(requests(NULL), 2);
	assert_non_null(strstr(p.err, "Timeout was reached"));
	assert_true(pending());
	/* --pending sends it once an endpoint answers */
	start_fixture("ok");
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/write?db=x", port);
	const char *args[] = { "upload", "--pending", dir, "--url", url, NULL };
	run_bootbench(args, NULL, &p);
	stop_fixture();
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "uploaded 1 pending results; 0 still pending"));
	assert_false(pending());
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void bad_usage(void **state)
{
	(void)state;
	char empty_token[128], user_only[128];
	snprintf(empty_token, sizeof(empty_token), "%s/empty-token", dir);
	write_file(empty_token, "token=\n");
	snprintf(user_only, sizeof(user_only), "%s/user-only", dir);
	write_file(user_only, "user=bob\n");
	const struct { const char *args[8]; const char *message; } cases[] = {
		{ { "upload", result, NULL }, "--url is needed" },
		{ { "upload", result, "--url", "ftp://x", NULL }, "use an http:// or https:// URL" },
		{ { "upload", result, "--url", "http://", NULL }, "bad upload URL" },
		{ { "upload", result, "--url", "http://x/write?db=a&precision=s", NULL }, "precision=s" },
		{ { "upload", "--url", "http://x", "--format", "xml", NULL }, "--format" },
		{ { "upload", result, "--url", "http://x/write?db=a", "--credentials", empty_token, NULL }, "an empty token" },
		{ { "upload", result, "--url", "http://x/write?db=a", "--credentials", user_only, NULL }, "without a password" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bootbench(cases[i].args, NULL, &p);
		/* usage errors: exit 2, one line, nothing marked pending */
		if (p.exit_code != 2 || count_lines(p.err) != 1 || !strstr(p.err, cases[i].message) || pending())
			fail_msg("case %zu: exit %d, pending %d: %s", i, p.exit_code, pending(), p.err);
	}
}

static void header_injection_refused(void **state)
{
	(void)state;
	start_fixture("ok");
	setenv("BOOTBENCH_UPLOAD_TOKEN", "abc\r\nX-Injected: 1", 1);
	upload("/write?db=x", NULL);
	unsetenv("BOOTBENCH_UPLOAD_TOKEN");
	setenv("BOOTBENCH_UPLOAD_USER", "bob\nX-Injected: 1", 1);
	setenv("BOOTBENCH_UPLOAD_PASSWORD", "pw", 1);
	int first = p.exit_code;
	char first_err[1024];
	snprintf(first_err, sizeof(first_err), "%s", p.err);
	upload("/write?db=x", NULL);
	unsetenv("BOOTBENCH_UPLOAD_USER");
	unsetenv("BOOTBENCH_UPLOAD_PASSWORD");
	stop_fixture();
	assert_int_equal(first, 2);
	assert_non_null(strstr(first_err, "token holds a CR or LF"));
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "user holds a CR or LF"));
	assert_int_equal(requests(NULL), 0);
	assert_false(pending());
}

static void planted_marker_gets_no_token(void **state)
{
	(void)state;
	/* a shared results directory where someone planted a marker that
	 * points at their own server */
	char shared[128], planted[160], marker[200], text[512];
	snprintf(shared, sizeof(shared), "%s/shared", dir);
	mkdir(shared, 0755);
	snprintf(planted, sizeof(planted), "%s/run.json", shared);
	struct synthetic syn = synthetic_default("on");
	assert_int_equal(write_synthetic(planted, &syn), 0);
	start_fixture("ok");
	snprintf(marker, sizeof(marker), "%s.pending", planted);
	snprintf(text, sizeof(text), "{\"url\": \"http://127.0.0.1:%d/evil\", \"format\": \"json\"}", port);
	write_file(marker, text);
	setenv("BOOTBENCH_UPLOAD_TOKEN", "s3cret-token", 1);
	const char *args[] = { "upload", "--pending", shared, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(requests("s3cret-token"), 0);
	assert_int_equal(requests("/evil"), 1);
	assert_non_null(strstr(p.err, "credentials go only to a --url given on the command line"));
	/* the URL the user gives gets the token */
	write_file(marker, text);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/mine", port);
	const char *given[] = { "upload", "--pending", shared, "--url", url, "--format", "json", NULL };
	run_bootbench(given, NULL, &p);
	unsetenv("BOOTBENCH_UPLOAD_TOKEN");
	stop_fixture();
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(requests("Bearer s3cret-token"), 1);
	assert_int_equal(requests("/mine"), 1);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Starts args against a server that never answers, waits for the marker
 * (written before the first attempt), signals, and expects exit 130 soon
 * after, with the marker kept. */
static void interrupt_hung_upload(const char *const *args, const char *marker, int sig, int want_exit)
{
	char out[160];
	snprintf(out, sizeof(out), "%s/interrupted", dir);
	pid_t pid = start_bootbench(args, out);
	int waited = 0;
	while (!(exists(marker) && requests(NULL) > 0) && waited < 60000) {
		usleep(20000);
		waited += 20;
	}
	if (!exists(marker))
		fail_msg("no pending marker %s while the upload hangs", marker);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kill(pid, sig);
	int status;
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (want_exit >= 0) {
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), want_exit);
		/* a generous bound: the transfer is abandoned, not waited out */
		if (took > (under_wrapper() ? 20 : 5))
			fail_msg("the upload took %.1f s to stop after the signal", took);
	}
	assert_true(exists(marker));
}

static void ctrl_c_keeps_the_marker(void **state)
{
	(void)state;
	char url[128], marker[300];
	snprintf(marker, sizeof(marker), "%s.pending", result);
	start_fixture("hang");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/write?db=x", port);
	const char *args[] = { "upload", result, "--url", url, "--timeout", "600000", NULL };
	interrupt_hung_upload(args, marker, SIGINT, 130);
	unlink(marker);
	/* a SIGKILL (a cancelled CI job) cannot be handled: the marker,
	 * written before the first attempt, is what keeps the result */
	interrupt_hung_upload(args, marker, SIGKILL, -1);
	stop_fixture();
	unlink(marker);
}

static void run_upload_ctrl_c(void **state)
{
	(void)state;
	if (kvm_usable() < 0)
		skip();
	char out[128], url[128], json[300], marker[320];
	snprintf(out, sizeof(out), "%s/runs", dir);
	start_fixture("hang");
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/write?db=x", port);
	const char *args[] = { "run", "--iterations", "2", "--warmup", "0", "--quiet", "--out", out, "--upload", url, NULL };
	/* the result's name is known once it is on disk */
	pid_t pid = start_bootbench(args, out);
	int waited = 0;
	while (requests(NULL) == 0 && waited < 60000) {
		usleep(20000);
		waited += 20;
	}
	assert_int_equal(find_only(out, ".json", json, sizeof(json)), 0);
	snprintf(marker, sizeof(marker), "%s.pending", json);
	assert_true(exists(marker));
	kill(pid, SIGINT);
	int status;
	waitpid(pid, &status, 0);
	stop_fixture();
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	assert_true(exists(marker));
	assert_true(exists(json));
}

/* bootbench query against the scripted store: selection is a format
 * with %d for its port */
#define STORE_1X "influx://127.0.0.1:%d/bench?profile=firecracker"
#define STORE_2X "influx2://127.0.0.1:%d/bench?org=lab%%20one&profile=firecracker"
static void query_store(const char *selection)
{
	char sel[256];
	snprintf(sel, sizeof(sel), selection, port);
	const char *args[] = { "query", sel, NULL };
	run_bootbench(args, NULL, &p);
}

struct query_fault {
	const char *scenario, *message;
};

/* each scenario: exit 1 in one line saying its message, nothing listed */
static void expect_query_faults(const char *selection, const struct query_fault *faults, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		start_fixture(faults[i].scenario);
		query_store(selection);
		stop_fixture();
		assert_int_equal(p.exit_code, 1);
		if (!strstr(p.err, faults[i].message) || count_lines(p.err) != 1)
			fail_msg("%s: not one line saying '%s': %s", faults[i].scenario, faults[i].message, p.err);
		assert_string_equal(p.out, "");
	}
}

/* reading back: a 500 is retried, then the answer is read, the token sent
 * in a header and never shown */
static void query_retries_a_500(void **state)
{
	(void)state;
	start_fixture("query-500-then-ok");
	setenv("BOOTBENCH_UPLOAD_TOKEN", "s3cr3t-token", 1);
	query_store(STORE_1X);
	unsetenv("BOOTBENCH_UPLOAD_TOKEN");
	stop_fixture();
	if (p.exit_code != 0)
		fail_msg("query: %s", p.err);
	assert_int_equal(requests("\"GET\""), 2);
	assert_int_equal(requests("Token s3cr3t-token"), 2);
	assert_int_equal(requests("q=SELECT%20%2A%20FROM%20%22bootbench_iteration%22"), 2);
	assert_non_null(strstr(p.out, "00000000000000aa"));
	assert_non_null(strstr(p.out, ": 1 run, 1 host, 0 kernels (1 run without one), 2 measured iterations"));
	assert_null(strstr(p.out, "s3cr3t"));
	assert_null(strstr(p.err, "s3cr3t"));
}

/* a store that keeps failing, or answers what is no answer, or part of
 * one: exit 1 in one line naming it, and nothing listed */
static void query_faults(void **state)
{
	(void)state;
	static const struct query_fault faults[] = {
		{ "query-500", "failed after retries: HTTP 500: internal" },
		{ "query-malformed", "answered what is no InfluxDB 1.x query answer" },
		{ "query-partial", "cut its answer short (partial)" },
	};
	expect_query_faults(STORE_1X, faults, sizeof(faults) / sizeof(faults[0]));
	/* the 500s were retried as upload retries them: 1 + 4 */
	start_fixture("query-500");
	query_store(STORE_1X);
	stop_fixture();
	assert_int_equal(requests("\"GET\""), 5);
}

/* reading back from 2.x: the Flux query POSTed with its org, the token in
 * a header, the annotated CSV answer's two tables read as one run in
 * order; a 400's message, or an error table after a table, in one line
 * with nothing listed (no real 2.x server is packaged for Debian: the
 * answers are as InfluxDB documents them) */
static void query_influx2(void **state)
{
	(void)state;
	start_fixture("flux-ok");
	setenv("BOOTBENCH_UPLOAD_TOKEN", "s3cr3t-token", 1);
	query_store(STORE_2X);
	unsetenv("BOOTBENCH_UPLOAD_TOKEN");
	stop_fixture();
	if (p.exit_code != 0)
		fail_msg("query: %s", p.err);
	assert_int_equal(requests("\"path\": \"/api/v2/query?org=lab%20one\""), 1);
	assert_int_equal(requests("\"content_type\": \"application/json\""), 1);
	assert_int_equal(requests("Token s3cr3t-token"), 1);
	assert_int_equal(requests("from(bucket: \\\\\\\"bench\\\\\\\")"), 1);
	assert_int_equal(requests("\\\"annotations\\\":[\\\"datatype\\\",\\\"group\\\",\\\"default\\\"]"), 1);
	assert_non_null(strstr(p.out, "00000000000000aa"));
	assert_non_null(strstr(p.out, ": 1 run, 1 host, 0 kernels (1 run without one), 2 measured iterations"));
	assert_null(strstr(p.out, "s3cr3t"));
	assert_null(strstr(p.err, "s3cr3t"));

	static const struct query_fault faults[] = {
		{ "flux-400", "HTTP 400: compilation failed: error at @1:1-1:5: undefined identifier" },
		{ "flux-error-table", "the store says: runtime error: out of memory, query cancelled" },
	};
	expect_query_faults(STORE_2X, faults, sizeof(faults) / sizeof(faults[0]));
}

int main(void)
{
	if (system("python3 -c 'import http.server' >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP: python3 is not installed; it runs the HTTP test fixture (apt-get install python3)\n");
		return SKIP_EXIT;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_posts_the_document),
		cmocka_unit_test(a_gzipped_result_posts_its_json),
		cmocka_unit_test(retries_a_500),
		cmocka_unit_test(honours_retry_after),
		cmocka_unit_test(splits_on_413),
		cmocka_unit_test(no_retry_on_401),
		cmocka_unit_test(times_out_and_keeps_the_result),
		cmocka_unit_test(bad_usage),
		cmocka_unit_test(header_injection_refused),
		cmocka_unit_test(planted_marker_gets_no_token),
		cmocka_unit_test(ctrl_c_keeps_the_marker),
		cmocka_unit_test(run_upload_ctrl_c),
		cmocka_unit_test(query_retries_a_500),
		cmocka_unit_test(query_faults),
		cmocka_unit_test(query_influx2),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
