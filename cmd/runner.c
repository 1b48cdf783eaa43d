/* The runner that run and sweep share: boot, measure, record. The result
 * reaches disk under its final name only when whole; an interrupted run
 * still writes what it measured, marked incomplete. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "emulated.h"
#include "duration.h"
#include "errorf.h"
#include "printable.h"
#include "host_info.h"
#include "metrics.h"
#include "parse.h"
#include "result_writer.h"
#include "run_id.h"
#include "runner.h"
#include "summary_table.h"
#include "tsv_writer.h"
#include "blocked.h"
#include "upload.h"

extern const char bb_version[];
extern const char bb_git_commit[];

static void on_stop_signal(int sig)
{
	(void)sig;
	bb_stop_requested = 1;
}

void bb_run_install_stop_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Raises the soft RLIMIT_NOFILE to the hard limit when the profile needs
 * more descriptors than the soft limit gives. */
static int ensure_fd_limit(const struct bb_profile *p, char *err, size_t errlen)
{
	struct rlimit rl;
	rlim_t needed = bb_vm_fds_needed(p);

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= needed)
		return 0;
	if (rl.rlim_max < needed) {
		bb_errorf(err, errlen, "profile %s needs %llu file descriptors but RLIMIT_NOFILE allows at most %llu: raise the hard limit (ulimit -Hn %llu as root) or lower devices/queues",
			 p->name, (unsigned long long)needed, (unsigned long long)rl.rlim_max,
			 (unsigned long long)needed);
		return -1;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		bb_errorf(err, errlen, "cannot raise RLIMIT_NOFILE to %llu: %s", (unsigned long long)rl.rlim_max,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int bb_run_make_dirs(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		goto fail;
	return 0;
fail:
	bb_errorf(err, errlen, "cannot create --out directory %s: %s", buf, strerror(errno));
	return -1;
}

void bb_run_utc_timestamp(char *buf, size_t len, const char *fmt)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, len, fmt, &tm);
}

static json_t *labels_json(const struct bb_run_args *o)
{
	json_t *labels = json_object();
	for (uint32_t i = 0; i < o->nr_labels; i++)
		json_object_set_new(labels, o->label_key[i], json_string(o->label_value[i]));
	return labels;
}

json_t *bb_run_header(const struct bb_run_args *o, const struct bb_host_info *host, json_t *profile,
		     const struct bb_offcpu *offcpu, const char *offcpu_unavailable)
{
	char created[64];
	bb_run_utc_timestamp(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ");
	json_t *options = json_pack("{s:I, s:I, s:s, s:I, s:b, s:b}",
				    "iterations", (json_int_t)o->iterations, "warmup", (json_int_t)o->warmup,
				    "pin", o->pin_arg, "timeout_ms", (json_int_t)o->cfg.timeout_ms,
				    "keep_going", o->keep_going, "events", o->with_events);
	json_object_set_new(options, "guest_fault", json_integer(o->cfg.fault));
	json_t *h = json_pack("{s:s, s:i, s:s, s:{s:s, s:s}}", "schema", BB_RESULT_SCHEMA,
			      "schema_version", BB_RESULT_SCHEMA_VERSION, "created", created,
			      "bootbench", "version", bb_version, "commit", bb_git_commit);
	/* the run's identity in every point it uploads (a sweep makes several
	 * runs a second in one process) */
	static unsigned runs;
	struct timespec now;
	char run[BB_RUN_ID_LEN + 1];
	clock_gettime(CLOCK_REALTIME, &now);
	bb_run_id_new(host->hostname, host->boot_id, (int64_t)now.tv_sec * 1000000000 + now.tv_nsec, (long)getpid(),
		      runs++, run);
	json_object_set_new(h, "run", json_string(run));
	json_object_set_new(h, "host", bb_host_info_to_json(host));
	/* run inside an emulated host by run --host emulated: what emulated it */
	const char *emulated = getenv(BB_EMULATED_CONTEXT_ENV);
	json_t *e = emulated && *emulated ? json_loads(emulated, 0, NULL) : NULL;
	if (json_is_object(e))
		json_object_set(h, "emulated", e);
	json_decref(e);
	json_object_set_new(h, "profile", profile);
	json_object_set_new(h, "labels", labels_json(o));
	json_object_set_new(h, "options", options);
	json_object_set_new(h, "names", bb_result_names_json());
	json_t *oc = json_pack("{s:b}", "available", offcpu != NULL);
	if (!offcpu)
		json_object_set_new(oc, "unavailable", json_string(o->cfg.stacks ? offcpu_unavailable : "turned off (--no-stacks)"));
	json_object_set_new(h, "offcpu", oc);
	return h;
}

void bb_run_progress(const struct bb_run_args *o, const struct bb_run_state *s, const struct bb_iteration *it, bool tty)
{
	uint32_t total = o->warmup + o->iterations;
	char d[32];
	if (!tty || o->quiet)
		return;
	bb_format_duration((double)it->startup_ns, BB_DURATION_TABLE, d, sizeof(d));
	fprintf(stderr, "\r\033[K[%u/%u] %s%s: %s", s->run, total, o->cfg.profile.name,
		s->run <= o->warmup ? " (warmup)" : "", it->ok ? d : "failed");
	if (s->run == total)
		fputc('\n', stderr);
}

/* A Linux guest that failed: the console's last lines say why (a panic,
 * a driver that did not bind). */
static void print_console_tail(const struct bb_iteration *it)
{
	enum { LINES = 25 };
	if (!it->console_tail || it->console_tail_len == 0)
		return;
	const char *start = it->console_tail + it->console_tail_len;
	for (int lines = 0; start > it->console_tail && lines <= LINES; start--)
		if (start[-1] == '\n' && ++lines > LINES)
			break;
	fprintf(stderr, "the guest console's last lines (%llu bytes in all):\n", (unsigned long long)it->console_bytes);
	char line[1024];
	while (*start) {
		size_t n = strcspn(start, "\n");
		char raw[1024];
		/* the guest's tty ends its lines with \r\n */
		size_t shown = n && start[n - 1] == '\r' ? n - 1 : n;
		snprintf(raw, sizeof(raw), "%.*s", (int)(shown < sizeof(raw) ? shown : sizeof(raw) - 1), start);
		bb_printable(raw, line, sizeof(line));
		fprintf(stderr, "  | %s\n", line);
		start += n + (start[n] == '\n');
	}
}

enum bb_record bb_run_record(const char *cmd, const struct bb_run_args *o, struct bb_result_writer *w,
			     struct bb_run_metrics *m, struct bb_run_state *s, uint32_t i, const struct bb_iteration *it,
			     bool tty, void (*on_failure)(void *arg), void *arg, char *err, size_t errlen)
{
	bool warmup = i < o->warmup;
	s->run++;
	if (!s->unsaved && bb_result_writer_iteration(w, i, warmup, it) < 0) {
		/* a full disk: the file is given up, the run is not, so the
		 * summary printed at the end holds every iteration asked for */
		fprintf(stderr, "bootbench %s: cannot write to the result file in %s: %s; free space there or choose another --out (measuring goes on; the summary will be printed)\n",
			cmd, o->out_dir, strerror(errno));
		bb_result_writer_discard(w);
		s->unsaved = true;
	}
	bb_run_progress(o, s, it, tty);
	if (!it->ok) {
		if (s->failed++ == 0) {
			snprintf(s->out->first_error, sizeof(s->out->first_error), "%s", it->error);
			s->out->first_error_kind = it->error_kind;
		}
		if (tty && !o->quiet)
			fputc('\n', stderr);
		fprintf(stderr, "bootbench %s: iteration %u failed: %s\n", cmd, i, it->error);
		print_console_tail(it);
		if (on_failure)
			on_failure(arg);
		if (!o->keep_going) {
			s->stopped_on_failure = true;
			return BB_RECORD_STOP;
		}
		return BB_RECORD_NEXT;
	}
	if (!warmup && bb_run_metrics_add(m, i, it) < 0) {
		bb_errorf(err, errlen, "out of memory recording iteration %u", i);
		return BB_RECORD_ERROR;
	}
	return BB_RECORD_NEXT;
}

static int iterate(struct bb_vm *vm, const struct bb_run_args *o, struct bb_result_writer *w,
		   struct bb_run_metrics *m, struct bb_run_state *s, char *err, size_t errlen)
{
	struct bb_iteration it;
	bool tty = isatty(STDERR_FILENO);
	uint32_t total = o->warmup + o->iterations;

	for (uint32_t i = 0; i < total && !bb_stop_requested; i++) {
		bb_vm_iteration(vm, &it);
		if (it.interrupted) {
			/* a boot cut short measures nothing; it is not recorded */
			s->interrupted = true;
			break;
		}
		enum bb_record r = bb_run_record("run", o, w, m, s, i, &it, tty, NULL, NULL, err, errlen);
		if (r == BB_RECORD_ERROR)
			return -1;
		if (r == BB_RECORD_STOP)
			break;
	}
	if (bb_stop_requested)
		s->interrupted = true;
	return 0;
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* The summary table of a run: its header's context with summary. */
static void print_summary(json_t *header, json_t *summary, json_t *stacks)
{
	json_t *doc = json_deep_copy(header);
	json_object_set(doc, "summary", summary);
	if (stacks)
		json_object_set(doc, "stacks", stacks);
	bb_summary_print(stdout, doc);
	json_decref(doc);
}

int bb_run_finish(struct bb_result_writer *w, json_t *header, const struct bb_run_args *o, const struct bb_offcpu *offcpu,
		  const struct bb_run_state *s, struct bb_run_metrics *m, const char *tsv_path, char *err, size_t errlen)
{
	char finished[64];
	bb_run_utc_timestamp(finished, sizeof(finished), "%Y-%m-%dT%H:%M:%SZ");
	bool complete = !s->interrupted && !s->stopped_on_failure && s->run == o->warmup + o->iterations;
	/* the stacks first: the summary names each by the function it waited in */
	json_t *stacks = offcpu ? bb_stacks_json(offcpu, "/proc/kallsyms") : NULL;
	size_t nstacks = json_array_size(json_object_get(stacks, "frames"));
	char (*fn)[128] = calloc(nstacks ? nstacks : 1, sizeof(*fn));
	const char **fn_of = calloc(nstacks ? nstacks : 1, sizeof(*fn_of));
	for (size_t i = 0; fn && fn_of && i < nstacks; i++) {
		char chain[512];
		const char *name = bb_waited_in_json(json_array_get(json_object_get(stacks, "frames"), i), 0, chain, sizeof(chain));
		snprintf(fn[i], sizeof(fn[i]), "%s", name ? name : "unknown");
		fn_of[i] = fn[i];
	}
	m->stack_fn = fn_of;
	m->nstack_fn = fn && fn_of ? nstacks : 0;
	json_t *summary = bb_run_metrics_summary(m);
	m->stack_fn = NULL;
	m->nstack_fn = 0;
	free(fn_of);
	free(fn);
	json_t *trailer = json_pack("{s:b, s:b, s:I, s:I, s:I, s:s, s:{s:I}}", "complete", complete,
				    "interrupted", s->interrupted, "iterations_run", (json_int_t)s->run,
				    "iterations_failed", (json_int_t)s->failed,
				    "iterations_measured", (json_int_t)m->iterations, "finished", finished,
				    "process", "max_rss_kib", (json_int_t)peak_rss_kib());
	json_object_set(trailer, "summary", summary);
	if (stacks)
		json_object_set(trailer, "stacks", stacks);
	int rc = bb_result_writer_close(w, trailer, err, errlen);
	json_decref(trailer);
	if (rc < 0) {
		json_decref(summary);
		json_decref(stacks);
		return rc;
	}
	/* on disk: its path is said before anything else can fail */
	printf("result: %s\n", w->af.final_path);
	if (m->iterations && bb_tsv_write(tsv_path, m, err, errlen) < 0) {
		fprintf(stderr, "bootbench run: %s; the JSON result is saved (%s), and bootbench plot and upload need only it\n",
			err, w->af.final_path);
		rc = -2;
	} else if (m->iterations) {
		printf("tsv: %s\n", tsv_path);
	}
	if (!o->quiet) {
		putchar('\n');
		print_summary(header, summary, stacks);
		if (!complete && s->stopped_on_failure)
			printf("\nINCOMPLETE: stopped by the failure of iteration %u of %u (--keep-going runs the rest)\n",
			       s->run, o->warmup + o->iterations);
		else if (!complete)
			printf("\nINCOMPLETE: interrupted after %u of %u iteration%s\n", s->run, o->warmup + o->iterations,
			       o->warmup + o->iterations == 1 ? "" : "s");
		printf("peak RSS: %ld KiB\n", peak_rss_kib());
	}
	json_decref(summary);
	json_decref(stacks);
	return rc;
}

/* When the result cannot be written (a full disk), what was measured is
 * at least printed, whatever --quiet says. */
void bb_run_print_unsaved(json_t *header, const struct bb_run_metrics *m)
{
	if (!m->iterations) {
		printf("\nNOT SAVED: the result file could not be written, and no measured iteration completed\n");
		return;
	}
	json_t *summary = bb_run_metrics_summary(m);
	printf("\nNOT SAVED: the result file could not be written; the %zu iterations measured:\n", m->iterations);
	print_summary(header, summary, NULL);
	json_decref(summary);
}

/* The result is on disk (renamed into place) before anything is sent. */
int bb_run_upload(const struct bb_run_args *o, const char *json_path)
{
	struct bb_upload_opts u;
	char err[1024];
	int rc = bb_run_upload_opts(o, &u, err, sizeof(err));
	u.cancel = &bb_stop_requested; /* Ctrl-C during the upload ends it */
	if (rc == 0)
		rc = bb_upload_result(&u, json_path, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "bootbench run: %s; the result is kept and marked pending: send it later with bootbench upload --pending %s\n",
			err, o->out_dir);
		return rc;
	}
	printf("uploaded: %s\n", json_path);
	return 0;
}

int bb_run_execute(struct bb_run_args *o, struct bb_run_outcome *out)
{
	char *json_path = out->json_path;
	size_t json_path_len = sizeof(out->json_path);
	struct bb_host_info host;
	char err[1024];

	*out = (struct bb_run_outcome){ .first_error_kind = BB_ERROR_NONE };
	if (bb_host_info_collect(&host, err, sizeof(err)) < 0 ||
	    bb_host_check_profile(&host, &o->cfg.profile, err, sizeof(err)) < 0 ||
	    ensure_fd_limit(&o->cfg.profile, err, sizeof(err)) < 0 ||
	    bb_run_make_dirs(o->out_dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench run: %s\n", err);
		return BB_EXIT_FAILED;
	}

	struct bb_vm *vm = bb_vm_new(&o->cfg, err, sizeof(err));
	if (!vm) {
		fprintf(stderr, "bootbench run: %s\n", err);
		return BB_EXIT_FAILED;
	}
	char stamp[32], base[PATH_MAX], tsv_path[PATH_MAX];
	bb_run_utc_timestamp(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ");
	static unsigned sequence; /* a sweep runs several in one second */
	if (snprintf(base, sizeof(base), "%s/%s-%s-%d-%u", o->out_dir, o->cfg.profile.name, stamp, (int)getpid(),
		     sequence++) >= (int)sizeof(base) - 8) {
		fprintf(stderr, "bootbench run: --out %s is too long a path: choose a shorter one\n", o->out_dir);
		bb_vm_free(vm);
		return BB_EXIT_USAGE;
	}
	snprintf(json_path, json_path_len, "%s.json", base);
	snprintf(tsv_path, sizeof(tsv_path), "%s.tsv", base);

	if (o->cfg.stacks && !bb_vm_offcpu(vm))
		fprintf(stderr, "bootbench run: no off-CPU time or kernel stacks: %s (--no-stacks silences this)\n",
			bb_vm_offcpu_unavailable(vm));
	json_t *header = bb_run_header(o, &host, bb_profile_to_json(&o->cfg.profile), bb_vm_offcpu(vm),
				       bb_vm_offcpu_unavailable(vm));
	struct bb_result_writer w;
	struct bb_run_metrics m;
	struct bb_run_state s = { .out = out };
	int rc = BB_EXIT_FAILED;

	bb_run_metrics_init(&m);
	if (bb_result_writer_open(&w, json_path, header, o->with_events, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench run: %s\n", err);
		goto out;
	}
	bb_run_install_stop_handlers();
	if (iterate(vm, o, &w, &m, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench run: %s\n", err);
		bb_result_writer_discard(&w);
		bb_run_print_unsaved(header, &m);
		goto out;
	}
	if (s.unsaved) {
		bb_run_print_unsaved(header, &m);
		goto out;
	}
	int finished = bb_run_finish(&w, header, o, bb_vm_offcpu(vm), &s, &m, tsv_path, err, sizeof(err));
	if (finished == -1) {
		fprintf(stderr, "bootbench run: %s\n", err);
		bb_run_print_unsaved(header, &m);
		goto out;
	}
	rc = finished < 0 ? BB_EXIT_FAILED : s.interrupted ? BB_EXIT_INTERRUPTED : s.failed ? BB_EXIT_FAILED : BB_EXIT_OK;
	if (s.interrupted)
		fprintf(stderr, "bootbench run: interrupted after %u recorded iteration%s; the result is marked incomplete\n",
			s.run, s.run == 1 ? "" : "s");
	if (o->upload_url[0]) {
		int up = bb_run_upload(o, json_path);
		if (up == BB_UPLOAD_INTERRUPTED || (up < 0 && bb_stop_requested))
			rc = BB_EXIT_INTERRUPTED;
		else if (up < 0 && rc == BB_EXIT_OK)
			rc = BB_EXIT_FAILED;
	}
out:
	if (rc == BB_EXIT_FAILED && access(json_path, F_OK) != 0)
		json_path[0] = '\0';
	bb_run_metrics_free(&m);
	json_decref(header);
	bb_vm_free(vm);
	return rc;
}

