/* bootbench upload of a committed real result into a real influxd (Debian's influxdb 1.x), started
 * here on 127.0.0.1 with a temporary directory: values read back through
 * /query equal the result's exactly; a second upload adds nothing; with
 * the server down an upload keeps the result pending, and upload --pending
 * sends it once the server is back, without duplicates; an unknown
 * database is refused with the server's message. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <fcntl.h>

#include "harness.h"
#include "result_reader.h"
#include "run_id.h"
#include "stats.h"

static struct proc p;
static char dir[64], runs[256], url[128];
static int http_port;
static pid_t influxd;

static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(s);
		return -1;
	}
	getsockname(s, (struct sockaddr *)&a, &len);
	close(s);
	return ntohs(a.sin_port);
}

struct buf {
	char *data;
	size_t len;
};

static size_t collect(char *d, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	b->data = realloc(b->data, b->len + size * n + 1);
	memcpy(b->data + b->len, d, size * n);
	b->len += size * n;
	b->data[b->len] = '\0';
	return size * n;
}

/* GET or POST /query; the JSON answer, or NULL when unreachable. */
static json_t *query(const char *q, bool post)
{
	CURL *c = curl_easy_init();
	char *esc = curl_easy_escape(c, q, 0), u[4096];
	struct buf b = { 0 };
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/query?db=bootbench&epoch=ns&q=%s", http_port, esc);
	curl_easy_setopt(c, CURLOPT_URL, u);
	if (post)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	CURLcode rc = curl_easy_perform(c);
	curl_free(esc);
	curl_easy_cleanup(c);
	json_t *doc = rc == CURLE_OK && b.data ? json_loads(b.data, 0, NULL) : NULL;
	free(b.data);
	return doc;
}

static void start_influxd(void)
{
	char conf[256], text[1024];
	snprintf(conf, sizeof(conf), "%s/influxdb.conf", dir);
	FILE *f = fopen(conf, "w");
	snprintf(text, sizeof(text),
		 "reporting-disabled = true\nbind-address = \"127.0.0.1:%d\"\n"
		 "[meta]\n  dir = \"%s/meta\"\n[data]\n  dir = \"%s/data\"\n  wal-dir = \"%s/wal\"\n  query-log-enabled = false\n"
		 "[http]\n  enabled = true\n  bind-address = \"127.0.0.1:%d\"\n  log-enabled = false\n"
		 "[monitor]\n  store-enabled = false\n",
		 free_port(), dir, dir, dir, http_port);
	fputs(text, f);
	fclose(f);
	influxd = fork();
	if (influxd == 0) {
		int null = open("/dev/null", 1);
		dup2(null, 1);
		dup2(null, 2);
		execlp("influxd", "influxd", "-config", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 150; i++) {
		json_t *r = query("SHOW DATABASES", false);
		if (r) {
			json_decref(r);
			return;
		}
		usleep(100000);
	}
	fail_msg("influxd did not start on 127.0.0.1:%d", http_port);
}

static void stop_influxd(void)
{
	kill(influxd, SIGTERM);
	waitpid(influxd, NULL, 0);
}

/* The committed result (a real run: 1 warmup and 4 measured iterations,
 * labelled patch="on, =tricky") copied to path. */
static void copy_fixture(const char *path)
{
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && cp '%s' '%s'", path, FIXTURE_RESULT, path);
	assert_int_equal(system(cmd), 0);
}

static json_int_t count_points(const char *measurement, const char *field)
{
	char q[256];
	snprintf(q, sizeof(q), "SELECT count(%s) FROM %s", field, measurement);
	json_t *r = query(q, false);
	json_t *values = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(r, "results"), 0), "series"), 0), "values");
	json_int_t n = json_integer_value(json_array_get(json_array_get(values, 0), 1));
	json_decref(r);
	return n;
}

static int setup(void **state)
{
	(void)state;
	make_temp_dir(dir, sizeof(dir));
	snprintf(runs, sizeof(runs), "%s/runs", dir);
	http_port = free_port();
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/write?db=bootbench", http_port);
	start_influxd();
	json_decref(query("CREATE DATABASE bootbench", true));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stop_influxd();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* Column index of name in an InfluxDB series. */
static int column(json_t *series, const char *name)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(series, "columns"), i, c)
		if (!strcmp(json_string_value(c), name))
			return (int)i;
	return -1;
}

static void values_read_back_exactly(void **state)
{
	(void)state;
	char path[512], err[512];
	snprintf(path, sizeof(path), "%s/result.json", runs);
	copy_fixture(path);
	const char *args[] = { "upload", path, "--url", url, NULL };
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("upload exited %d: %s", p.exit_code, p.err);
	json_t *doc = bb_result_load(path, err, sizeof(err));
	assert_non_null(doc);

	json_t *r = query("SELECT * FROM bootbench_iteration", false);
	json_t *series = json_array_get(json_object_get(json_array_get(json_object_get(r, "results"), 0), "series"), 0);
	json_t *rows = json_object_get(series, "values");
	assert_int_equal(json_array_size(rows), 5);
	/* each point names its run and its file */
	char run[BB_RUN_ID_LEN + 1];
	bb_run_id_of(doc, run);
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		json_t *row = json_array_get(rows, i); /* by time, which is iteration order */
		assert_string_equal(json_string_value(json_array_get(row, column(series, "run"))), run);
		assert_string_equal(json_string_value(json_array_get(row, column(series, "result"))), file);
		assert_int_equal(json_integer_value(json_array_get(row, column(series, "time"))),
				 json_integer_value(json_object_get(it, "start_unix_ns")));
		assert_int_equal(json_integer_value(json_array_get(row, column(series, "startup_ns"))),
				 json_integer_value(json_object_get(it, "startup_ns")));
		assert_int_equal(json_integer_value(json_array_get(row, column(series, "overhead_ns"))),
				 json_integer_value(json_object_get(it, "overhead_ns")));
		assert_string_equal(json_string_value(json_array_get(row, column(series, "patch"))), "on, =tricky");
		assert_string_equal(json_string_value(json_array_get(row, column(series, "warmup"))), i == 0 ? "true" : "false");
		size_t k;
		json_t *ph;
		json_array_foreach(json_object_get(it, "phases"), k, ph) {
			char col[96];
			snprintf(col, sizeof(col), "phase_%s_ns", json_string_value(json_object_get(ph, "name")));
			assert_int_equal(json_integer_value(json_array_get(row, column(series, col))),
					 json_integer_value(json_object_get(ph, "duration_ns")));
		}
		const char *op;
		json_t *o;
		json_object_foreach(json_object_get(it, "ops"), op, o) {
			char col[160];
			snprintf(col, sizeof(col), "op_%s_total_ns", op);
			assert_int_equal(json_integer_value(json_array_get(row, column(series, col))),
					 json_integer_value(json_object_get(o, "total_ns")));
			snprintf(col, sizeof(col), "op_%s_count", op);
			assert_int_equal(json_integer_value(json_array_get(row, column(series, col))),
					 json_integer_value(json_object_get(o, "count")));
		}
	}
	json_decref(r);

	/* summary: every statistic of every metric, bit for bit */
	r = query("SELECT * FROM bootbench_summary", false);
	series = json_array_get(json_object_get(json_array_get(json_object_get(r, "results"), 0), "series"), 0);
	rows = json_object_get(series, "values");
	assert_int_equal(json_array_size(rows), json_array_size(json_object_get(doc, "summary")));
	json_t *row;
	json_array_foreach(rows, i, row) {
		json_t *m = bb_result_metric(doc, json_string_value(json_array_get(row, column(series, "metric"))));
		assert_non_null(m);
		const char *stats[] = { "median", "mean", "p90", "p99", "min", "max", "stddev", "mad" };
		for (int s = 0; s < 8; s++)
			assert_true(json_number_value(json_array_get(row, column(series, stats[s]))) ==
				    json_number_value(json_object_get(m, stats[s])));
		assert_int_equal(json_integer_value(json_array_get(row, column(series, "n"))),
				 json_integer_value(json_object_get(m, "n")));
	}
	json_decref(r);
	json_decref(doc);

	/* the same result again: the same points, no more */
	json_int_t before = count_points("bootbench_iteration", "startup_ns") + count_points("bootbench_summary", "median");
	const char *again[] = { "upload", path, "--url", url, NULL };
	run_bootbench(again, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(count_points("bootbench_iteration", "startup_ns") + count_points("bootbench_summary", "median"), before);
}

static void server_down_then_pending(void **state)
{
	(void)state;
	json_int_t before = count_points("bootbench_iteration", "startup_ns");
	char down[256];
	snprintf(down, sizeof(down), "%s/down", dir);
	stop_influxd();
	char path[512], marker[600];
	snprintf(path, sizeof(path), "%s/result.json", down);
	copy_fixture(path);
	const char *args[] = { "upload", path, "--url", url, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "pending"));
	assert_int_equal(access(path, F_OK), 0); /* the result is kept */
	snprintf(marker, sizeof(marker), "%s.pending", path);
	assert_int_equal(access(marker, F_OK), 0);

	start_influxd();
	const char *resend[] = { "upload", "--pending", down, NULL };
	run_bootbench(resend, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(access(marker, F_OK), -1);
	/* the same points as the first upload of this result: none new */
	assert_int_equal(count_points("bootbench_iteration", "startup_ns"), before);
	/* into a fresh database, all of them: its 5 iterations */
	json_decref(query("DROP DATABASE bootbench", true));
	json_decref(query("CREATE DATABASE bootbench", true));
	snprintf(marker, sizeof(marker), "%s.pending", path);
	const char *again[] = { "upload", path, "--url", url, NULL };
	run_bootbench(again, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(count_points("bootbench_iteration", "startup_ns"), 5);
}

static void unknown_database(void **state)
{
	(void)state;
	char path[512], bad[160];
	assert_int_equal(find_only(runs, ".json", path, sizeof(path)), 0);
	snprintf(bad, sizeof(bad), "http://127.0.0.1:%d/write?db=nosuch", http_port);
	const char *args[] = { "upload", path, "--url", bad, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "HTTP 404: database not found: \"nosuch\""));
	char marker[600];
	snprintf(marker, sizeof(marker), "%s.pending", path);
	unlink(marker);
}

/* Uploads every result of a committed case (bench/results/host-kvm-pvm-6.18:
 * real runs of 20 measured iterations) once. */
static void upload_case(const char *name)
{
	char cmd[1024], files[8192];
	snprintf(cmd, sizeof(cmd), "ls %s/%s/*.json.gz | head -3", HOST_KVM_RESULTS, name);
	assert_int_equal(sh_capture(files, sizeof(files), cmd), 0);
	for (char *f = strtok(files, "\n"); f; f = strtok(NULL, "\n")) {
		const char *args[] = { "upload", f, "--url", url, NULL };
		run_bootbench(args, NULL, &p);
		if (p.exit_code != 0)
			fail_msg("upload of %s: %s", f, p.err);
	}
}

/* the statistics rows of a compare's output */
static void stat_rows(const char *out, char *buf, size_t len)
{
	const char *m = strstr(out, "\nmetric ");
	assert_non_null(m);
	const char *end = strstr(m + 1, "\n\n");
	snprintf(buf, len, "%.*s", (int)(end ? end - m : (long)strlen(m)), m);
}

/* compare over the store prints the same statistics as over the files:
 * the same n, medians, CIs and verdicts, blocked by run */
static void compare_reads_the_store_as_the_files(void **state)
{
	(void)state;
	upload_case("firecracker");
	upload_case("firecracker-memslot");
	static char from_files[16384], from_store[16384];
	char a[512], b[512], cmd[1024];
	snprintf(a, sizeof(a), "influx://127.0.0.1:%d/bootbench?profile=firecracker&label.case=firecracker", http_port);
	snprintf(b, sizeof(b), "influx://127.0.0.1:%d/bootbench?profile=firecracker&label.case=firecracker-memslot&since=3650d",
		 http_port);
	const char *store_args[] = { "compare", "--allow-different-profiles", "--metric", "vmm", "--metric", "startup",
				     "--metric", "op:KVM_SET_USER_MEMORY_REGION:total", a, "--", b, NULL };
	run_bootbench(store_args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("compare over the store: %s", p.err);
	stat_rows(p.out, from_store, sizeof(from_store));
	assert_non_null(strstr(p.out, "runs (blocks)    3"));
	snprintf(cmd, sizeof(cmd),
		 "%s compare --allow-different-profiles --metric vmm --metric startup --metric op:KVM_SET_USER_MEMORY_REGION:total"
		 " $(ls %s/firecracker/*.json.gz | head -3) -- $(ls %s/firecracker-memslot/*.json.gz | head -3)",
		 BOOTBENCH_BIN, HOST_KVM_RESULTS, HOST_KVM_RESULTS);
	static char files_out[1 << 16];
	assert_int_equal(sh_capture(files_out, sizeof(files_out), cmd), 0);
	stat_rows(files_out, from_files, sizeof(from_files));
	assert_string_equal(from_store, from_files);
	assert_non_null(strstr(from_store, "slower"));

	/* query lists the runs it matched, with their files */
	const char *q[] = { "query", b, NULL };
	run_bootbench(q, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, ": 3 runs, 1 host, 1 kernel, 60 measured iterations"));
	assert_non_null(strstr(p.out, "case=firecracker-memslot, firecracker-"));

	/* a gate of candidate files against the store's history: the store
	 * knows the profile's name alone, which is what is compared */
	snprintf(cmd, sizeof(cmd), "%s gate --metric vmm --max-regression 10%% '%s' -- $(ls %s/firecracker-memslot/*.json.gz | head -3) 2>&1",
		 BOOTBENCH_BIN, a, HOST_KVM_RESULTS);
	static char gate_out[1 << 16];
	assert_int_equal(sh_capture(gate_out, sizeof(gate_out), cmd), 1);
	if (!strstr(gate_out, "FAIL vmm: +") || !strstr(gate_out, "gate: 2 of 2 checks regressed"))
		fail_msg("the gate against the store's history: %s", gate_out);

	/* per-call latencies are not in the store: said in one line, exit 2 */
	const char *call[] = { "compare", "--metric", "op:KVM_IOEVENTFD:call_median", a, "--", b, NULL };
	run_bootbench(call, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "a per-call latency, which a results store does not hold"));
	assert_int_equal(count_lines(p.err), 1);
}

/* One copy of a committed run as another run of the fleet: its own run
 * id, host, case label and times (copy k starts k x 1000 s later, so the
 * store returns the copies in the order they are listed here), and on
 * the slow machine startup 30% longer, its summary entry summarized
 * again from the new times. */
static void fleet_copy(const char *from, const char *to, const char *side, int k, bool slow)
{
	char err[256];
	json_t *doc = bb_result_load(from, err, sizeof(err));
	if (!doc)
		fail_msg("%s: %s", from, err);
	char run[32], host[32];
	snprintf(run, sizeof(run), "f1ee7%s%010d", side[6] == 'b' ? "0" : "1", k);
	snprintf(host, sizeof(host), "fleet-%s", slow ? "slow" : "fast");
	json_object_set_new(doc, "run", json_string(run));
	json_object_set_new(json_object_get(doc, "host"), "hostname", json_string(host));
	json_object_set_new(json_object_get(doc, "labels"), "case", json_string(side));
	double startup[256];
	size_t i, n = 0;
	json_t *it, *e;
	json_array_foreach(json_object_get(doc, "iterations"), i, it) {
		json_int_t t = json_integer_value(json_object_get(it, "start_unix_ns"));
		json_object_set_new(it, "start_unix_ns", json_integer(t + (json_int_t)(k + 1) * 1000000000000LL));
		json_int_t st = json_integer_value(json_object_get(it, "startup_ns"));
		if (slow) {
			st = st * 13 / 10;
			json_object_set_new(it, "startup_ns", json_integer(st));
		}
		if (!json_is_true(json_object_get(it, "warmup")) && n < 256)
			startup[n++] = (double)st;
	}
	struct bb_stats st;
	assert_int_equal(bb_stats_compute(startup, n, &st), 0);
	json_array_foreach(json_object_get(doc, "summary"), i, e) {
		if (strcmp(json_string_value(json_object_get(e, "name")), "startup"))
			continue;
		assert_int_equal(json_integer_value(json_object_get(e, "n")), (json_int_t)n);
		json_t *v = json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "min", st.min, "median", st.median, "mean",
				      st.mean, "p90", st.p90, "p99", st.p99, "max", st.max, "stddev", st.stddev, "mad", st.mad);
		json_object_update(e, v);
		json_decref(v);
	}
	assert_int_equal(json_dump_file(doc, to, 0), 0);
	json_decref(doc);
}

/* A fleet of two machines, one 30% slower, its runs mixed 3:1 in the
 * baseline and 1:3 in the candidate, with no change between the sides on
 * either machine: through the store, compare counts the hosts it matched,
 * blocks by machine, prints the statistics it prints over the copies'
 * files, and does not read the mix as an effect. */
static void a_fleet_of_two_machines(void **state)
{
	(void)state;
	char cmd[1024], files[8192], *src[3] = { NULL };
	snprintf(cmd, sizeof(cmd), "ls %s/firecracker/*.json.gz | head -3", HOST_KVM_RESULTS);
	assert_int_equal(sh_capture(files, sizeof(files), cmd), 0);
	size_t n = 0;
	for (char *f = strtok(files, "\n"); f && n < 3; f = strtok(NULL, "\n"))
		src[n++] = f;
	assert_int_equal(n, 3);
	static char copies[2][4][512], list[2][2200];
	const char *sides[2] = { "fleet-base", "fleet-cand" };
	for (int s = 0; s < 2; s++) {
		list[s][0] = '\0';
		for (int k = 0; k < 4; k++) {
			bool slow = s == 0 ? k == 3 : k >= 1;
			snprintf(copies[s][k], sizeof(copies[s][k]), "%s/%s-%d.json", dir, sides[s], k);
			fleet_copy(src[k % 3], copies[s][k], sides[s], k, slow);
			const char *args[] = { "upload", copies[s][k], "--url", url, NULL };
			run_bootbench(args, NULL, &p);
			if (p.exit_code != 0)
				fail_msg("upload of %s: %s", copies[s][k], p.err);
			size_t used = strlen(list[s]);
			snprintf(list[s] + used, sizeof(list[s]) - used, " %s", copies[s][k]);
		}
	}
	char a[512], b[512];
	snprintf(a, sizeof(a), "influx://127.0.0.1:%d/bootbench?label.case=fleet-base", http_port);
	snprintf(b, sizeof(b), "influx://127.0.0.1:%d/bootbench?label.case=fleet-cand", http_port);
	const char *q[] = { "query", a, NULL };
	run_bootbench(q, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	if (!strstr(p.out, ": 4 runs, 2 hosts, 1 kernel, 80 measured iterations"))
		fail_msg("query: %s", p.out);

	const char *store_args[] = { "compare", "--metric", "startup", a, "--", b, NULL };
	run_bootbench(store_args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("compare over the store: %s", p.err);
	static char from_store[16384], from_files[16384], files_out[1 << 16];
	stat_rows(p.out, from_store, sizeof(from_store));
	if (!strstr(p.out, "Pooling: resampled by machine (2 baseline, 2 candidate") ||
	    !strstr(p.out, "fleet-fast: 3 runs | fleet-slow: 1 run") ||
	    !strstr(p.out, "fleet-fast: 1 run | fleet-slow: 3 runs") ||
	    !strstr(p.out, "runs (blocks)    2 machines, 4 runs") || !strstr(p.out, "A machine 2: run f1ee700000000003") ||
	    !strstr(p.out, "startup: n=2 machines a side detects changes >= "))
		fail_msg("the store's sides, not blocked or counted by machine:\n%s", p.out);
	const char *row = strstr(from_store, "\nstartup ");
	assert_non_null(row);
	if (strncmp(row, "\nstartup ", 9) || !strstr(row, "no change"))
		fail_msg("the machines' mix was read as an effect:\n%s", from_store);

	snprintf(cmd, sizeof(cmd), "%s compare --metric startup%s --%s", BOOTBENCH_BIN, list[0], list[1]);
	assert_int_equal(sh_capture(files_out, sizeof(files_out), cmd), 0);
	stat_rows(files_out, from_files, sizeof(from_files));
	assert_string_equal(from_store, from_files);
}

/* A label value with ', ", \, / and a newline selects only what it names */
static void hostile_values_select_only_themselves(void **state)
{
	(void)state;
	const char *values[] = { "a') OR 1=1 --\"\\x/y\nz", "none" };
	for (int i = 0; i < 2; i++) {
		char path[512], err[256];
		snprintf(path, sizeof(path), "%s/hostile-%d.json", dir, i);
		copy_fixture(path);
		json_t *doc = bb_result_load(path, err, sizeof(err));
		assert_non_null(doc);
		json_object_set_new(json_object_get(doc, "labels"), "patch", json_string(values[i]));
		json_object_set_new(doc, "run", json_string(i ? "00000000000000bb" : "00000000000000aa"));
		/* its own times, so its points are its own */
		size_t k;
		json_t *it;
		json_array_foreach(json_object_get(doc, "iterations"), k, it)
			json_object_set_new(it, "start_unix_ns",
					    json_integer(json_integer_value(json_object_get(it, "start_unix_ns")) + 1000 + i));
		assert_int_equal(json_dump_file(doc, path, 0), 0);
		json_decref(doc);
		const char *args[] = { "upload", path, "--url", url, NULL };
		run_bootbench(args, NULL, &p);
		if (p.exit_code != 0)
			fail_msg("upload: %s", p.err);
	}
	char sel[512];
	snprintf(sel, sizeof(sel), "influx://127.0.0.1:%d/bootbench?label.patch=a%%27)%%20OR%%201%%3D1%%20--%%22%%5Cx%%2Fy%%0Az",
		 http_port);
	const char *q[] = { "query", sel, NULL };
	run_bootbench(q, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("query: %s", p.err);
	assert_non_null(strstr(p.out, "00000000000000aa"));
	assert_null(strstr(p.out, "00000000000000bb"));
	assert_non_null(strstr(p.out, ": 1 run, "));
	/* the value cut before its quote matches nothing, and says so */
	snprintf(sel, sizeof(sel), "influx://127.0.0.1:%d/bootbench?label.patch=a", http_port);
	const char *none[] = { "query", sel, NULL };
	run_bootbench(none, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "no measured iteration matches"));
}

/* a store that is down: retried, then exit 1 naming it; nothing compared */
static void store_down(void **state)
{
	(void)state;
	char sel[256];
	snprintf(sel, sizeof(sel), "influx://127.0.0.1:%d/bootbench?profile=firecracker", free_port());
	const char *args[] = { "compare", sel, "--", sel, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "query of http://127.0.0.1:"));
	assert_non_null(strstr(p.err, "failed after retries"));
	assert_int_equal(count_lines(p.err), 1);
	assert_string_equal(p.out, "");
}

int main(void)
{
	if (system("influxd version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP: influxd is not installed (apt-get install influxdb)\n");
		return SKIP_EXIT;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_read_back_exactly),
		cmocka_unit_test(server_down_then_pending),
		cmocka_unit_test(unknown_database),
		cmocka_unit_test(compare_reads_the_store_as_the_files),
		cmocka_unit_test(a_fleet_of_two_machines),
		cmocka_unit_test(hostile_values_select_only_themselves),
		cmocka_unit_test(store_down),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
