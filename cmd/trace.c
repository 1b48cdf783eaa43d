/* bootbench trace: an unmodified VMM's KVM ioctls, timed from the
 * kernel's syscall tracepoints, written as an ordinary result. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "errorf.h"
#include "host_info.h"
#include "ioctl_trace.h"
#include "iteration_metrics.h"
#include "metrics.h"
#include "offcpu.h"
#include "parse.h"
#include "printable.h"
#include "result_writer.h"
#include "runner.h"
#include "trace_options.h"

#define EVENT_CAPACITY (1u << 18)
#define TAIL_BYTES 4096
#define POLL_MS 5
#define STOP_GRACE_MS 2000

struct tracer {
	struct bb_trace_args *o;
	struct bb_ioctl_trace *trace;
	struct bb_offcpu *offcpu;
	struct bb_event_log log;
	struct bb_offcpu_row *rows;
	size_t rows_cap;
	char tail[TAIL_BYTES]; /* the output's last bytes, for a failure */
	size_t tail_len;
	char line[1024]; /* the output's current line, for --until-output */
	size_t line_len;
	bool line_matched;
};

/* What one start of the command came to. */
enum outcome { DONE, FAILED, CANNOT_START, INTERRUPTED };

static void keep_tail(struct tracer *t, const char *buf, size_t n)
{
	if (n >= TAIL_BYTES) {
		memcpy(t->tail, buf + n - TAIL_BYTES, TAIL_BYTES);
		t->tail_len = TAIL_BYTES;
		return;
	}
	if (t->tail_len + n > TAIL_BYTES) {
		size_t drop = t->tail_len + n - TAIL_BYTES;
		memmove(t->tail, t->tail + drop, t->tail_len - drop);
		t->tail_len -= drop;
	}
	memcpy(t->tail + t->tail_len, buf, n);
	t->tail_len += n;
}

/* Whether the output so far has a line containing the pattern (a line
 * longer than the buffer is matched on its first part). */
static bool scan_lines(struct tracer *t, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || t->line_len == sizeof(t->line) - 1) {
			t->line[t->line_len] = '\0';
			if (strstr(t->line, t->o->until_output))
				t->line_matched = true;
			t->line_len = 0;
			if (buf[i] == '\n')
				continue;
		}
		t->line[t->line_len++] = buf[i];
	}
	t->line[t->line_len] = '\0';
	return t->line_matched || strstr(t->line, t->o->until_output);
}

/* The output's last line, made printable, for a one-line error. */
static void last_line(const struct tracer *t, char *buf, size_t len)
{
	size_t end = t->tail_len;
	while (end > 0 && (t->tail[end - 1] == '\n' || t->tail[end - 1] == '\r'))
		end--;
	size_t start = end;
	while (start > 0 && t->tail[start - 1] != '\n')
		start--;
	char raw[512];
	size_t n = end - start < sizeof(raw) - 1 ? end - start : sizeof(raw) - 1;
	memcpy(raw, t->tail + start, n);
	raw[n] = '\0';
	bb_printable(raw, buf, len);
}

static void print_tail(void *arg)
{
	const struct tracer *t = arg;
	char shown[TAIL_BYTES * 4 + 1];
	char raw[TAIL_BYTES + 1];
	memcpy(raw, t->tail, t->tail_len);
	raw[t->tail_len] = '\0';
	/* the last lines, at most ten */
	char *from = raw + t->tail_len;
	for (int lines = 0; from > raw && lines <= 10; from--)
		if (from[-1] == '\n' && from != raw + t->tail_len)
			lines++;
	if (t->tail_len == 0) {
		fprintf(stderr, "bootbench trace: the command printed nothing\n");
		return;
	}
	fprintf(stderr, "bootbench trace: the command's output ended:\n");
	for (char *line = from; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		bb_printable(line, shown, sizeof(shown));
		fprintf(stderr, "  | %s\n", shown);
		if (!nl)
			break;
		line = nl + 1;
	}
}

static void stop_group(pid_t pid, int *status, bool *reaped)
{
	if (*reaped)
		return;
	kill(-pid, SIGTERM);
	for (int waited = 0; waited < STOP_GRACE_MS; waited += POLL_MS) {
		if (waitpid(pid, status, WNOHANG) == pid) {
			*reaped = true;
			break;
		}
		usleep(POLL_MS * 1000);
	}
	if (!*reaped) {
		kill(-pid, SIGKILL);
		waitpid(pid, status, 0);
		*reaped = true;
	}
	kill(-pid, SIGKILL); /* what it left behind */
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "ended (wait status %d)", status);
}

/* Starts the command stopped before exec, so that tracing begins first:
 * returns its pid, with go (write a byte to let it exec) and out (its
 * output) and failed (errno of a failed exec, or EOF). */
static pid_t spawn(char *const *argv, int *go, int *out, int *failed)
{
	int gop[2], outp[2], errp[2];
	if (pipe2(gop, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		close(gop[0]);
		close(gop[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		char byte;
		setpgid(0, 0);
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(outp[1], STDOUT_FILENO);
		dup2(outp[1], STDERR_FILENO);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (read(gop[0], &byte, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		int e = errno;
		if (write(errp[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(gop[0]);
	close(outp[1]);
	close(errp[1]);
	if (pid < 0) {
		close(gop[1]);
		close(outp[0]);
		close(errp[0]);
		return -1;
	}
	setpgid(pid, pid); /* as the child does: whichever runs first */
	*go = gop[1];
	*out = outp[0];
	*failed = errp[0];
	return pid;
}

static void set_phase(struct bb_iteration *it, enum bb_phase ph, int64_t start, int64_t end)
{
	it->phase_present[ph] = true;
	it->phase_start_ns[ph] = start;
	it->phase_duration_ns[ph] = end - start;
}

static int by_start(const void *a, const void *b)
{
	const struct bb_event *x = a, *y = b;
	return (x->start_ns > y->start_ns) - (x->start_ns < y->start_ns);
}

/* The index of tid among the calls' threads, or -1. */
static int tid_index(const int32_t *tids, size_t n, int32_t tid)
{
	for (size_t i = 0; i < n; i++)
		if (tids[i] == tid)
			return (int)i;
	return -1;
}

/* Each call's share of its own thread's off-CPU intervals. A traced VMM
 * has many threads that are not vCPUs (QEMU's main loop, RCU, I/O), which
 * the result labels alike, so the intervals are matched by tid: each
 * thread a label of its own while they are assigned. */
static void assign_offcpu(struct tracer *t, struct bb_iteration *it, uint32_t n)
{
	const struct bb_offcpu_interval *iv;
	size_t niv, ntids = 0;
	uint64_t lost;
	if (bb_offcpu_end(t->offcpu, &iv, &niv, &lost) < 0)
		return;
	struct bb_offcpu_interval *mine = malloc((niv ? niv : 1) * sizeof(*mine));
	int32_t *tids = malloc((n ? n : 1) * sizeof(*tids));
	int16_t *label = malloc((n ? n : 1) * sizeof(*label));
	if (!mine || !tids || !label)
		goto out;
	for (uint32_t i = 0; i < n; i++) {
		struct bb_event *e = &t->log.events[i];
		int k = tid_index(tids, ntids, e->tid);
		if (k < 0 && ntids < INT16_MAX) {
			k = (int)ntids;
			tids[ntids++] = e->tid;
		}
		label[i] = e->thread;
		e->thread = (int16_t)k;
	}
	for (size_t i = 0; i < niv; i++) {
		mine[i] = iv[i];
		mine[i].thread = (int16_t)tid_index(tids, ntids, iv[i].tid); /* -1: none of the calls' */
		if (mine[i].thread < 0)
			mine[i].thread = INT16_MIN;
	}
	bb_offcpu_assign(mine, niv, t->log.events, n, t->log.t0);
	for (uint32_t i = 0; i < n; i++)
		t->log.events[i].thread = label[i];
	it->offcpu = true;
	it->offcpu_lost = lost;
out:
	free(mine);
	free(tids);
	free(label);
}

/* After the command is stopped: its calls, their off-CPU time, the phases. */
static void collect(struct tracer *t, struct bb_iteration *it, int64_t done_ns)
{
	struct bb_trace_facts f;
	bb_ioctl_trace_end(t->trace, &t->log, &f);
	uint32_t n = bb_event_log_count(&t->log);
	qsort(t->log.events, n, sizeof(*t->log.events), by_start);
	if (it->ok) {
		/* what the command did after boot-done, while it was being
		 * stopped, is not part of its startup */
		while (n > 0 && t->log.events[n - 1].start_ns >= done_ns - t->log.t0)
			n--;
		atomic_store(&t->log.next, n);
	}
	if (t->offcpu)
		assign_offcpu(t, it, n);
	if (it->ok) {
		it->startup_ns = done_ns - t->log.t0;
		int64_t first = f.first_run_ns >= 0 && f.first_run_ns <= it->startup_ns ? f.first_run_ns : it->startup_ns;
		set_phase(it, BB_PHASE_VMM_SETUP, 0, first);
		set_phase(it, BB_PHASE_TO_BOOT_DONE, first, it->startup_ns);
	}
	it->log = &t->log;
	bb_iteration_derive(it, &t->log, &t->rows, &t->rows_cap);
	/* after derive, which counts the log's own drops: records the rings
	 * lost are calls missing from the log too */
	it->events_dropped += (uint32_t)f.lost;
}

static enum outcome iteration(struct tracer *t, struct bb_iteration *it, char *err, size_t errlen)
{
	const struct bb_trace_args *o = t->o;
	int go, out, failed, status = 0;
	memset(it, 0, sizeof(*it));
	t->tail_len = t->line_len = 0;
	t->line_matched = false;
	pid_t pid = spawn(o->command, &go, &out, &failed);
	if (pid < 0) {
		bb_errorf(err, errlen, "cannot start a process for '%s': %s", o->command[0], strerror(errno));
		return CANNOT_START;
	}
	if (t->offcpu) {
		bb_offcpu_follow(t->offcpu, pid);
		bb_offcpu_begin(t->offcpu);
	}
	bb_ioctl_trace_begin(t->trace, pid);
	int64_t t0 = bb_now_ns();
	bb_event_log_reset(&t->log, t0);
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	it->start_realtime_ns = (int64_t)rt.tv_sec * 1000000000 + rt.tv_nsec;
	ssize_t w = write(go, "g", 1);
	close(go);
	int exec_errno = 0;
	ssize_t got = w == 1 ? read(failed, &exec_errno, sizeof(exec_errno)) : -1;
	close(failed);
	if (got == (ssize_t)sizeof(exec_errno)) {
		waitpid(pid, &status, 0);
		close(out);
		collect(t, it, t0);
		bb_errorf(err, errlen, "cannot start '%s': %s: check the command and PATH", o->command[0], strerror(exec_errno));
		return CANNOT_START;
	}

	bool reaped = false, done = false, eof = false;
	int64_t done_ns = 0, limit = t0 + (int64_t)o->run.cfg.timeout_ms * 1000000;
	char buf[8192];
	while (!done && !bb_stop_requested) {
		struct pollfd p = { .fd = out, .events = POLLIN };
		if (!eof && poll(&p, 1, POLL_MS) > 0) {
			ssize_t n = read(out, buf, sizeof(buf));
			if (n <= 0) {
				eof = true;
			} else {
				keep_tail(t, buf, (size_t)n);
				if (o->show_output && fwrite(buf, 1, (size_t)n, stderr) != (size_t)n)
					clearerr(stderr);
				if (o->until == BB_UNTIL_OUTPUT && scan_lines(t, buf, (size_t)n)) {
					done_ns = bb_now_ns();
					done = true;
				}
			}
		} else if (eof) {
			usleep(POLL_MS * 1000);
		}
		bb_ioctl_trace_poll(t->trace);
		if (o->until == BB_UNTIL_FIRST_RUN && bb_ioctl_trace_first_run(t->trace, &done_ns))
			done = true;
		if (!done && !reaped && waitpid(pid, &status, WNOHANG) == pid) {
			reaped = true;
			int64_t now = bb_now_ns();
			/* the last output, then what its exit means */
			while (!eof) {
				ssize_t n = read(out, buf, sizeof(buf));
				if (n <= 0)
					break;
				keep_tail(t, buf, (size_t)n);
				if (o->until == BB_UNTIL_OUTPUT && scan_lines(t, buf, (size_t)n) && !done) {
					done_ns = bb_now_ns();
					done = true;
				}
			}
			if (o->until == BB_UNTIL_EXIT && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
				done_ns = now;
				done = true;
			}
			if (!done)
				break;
		}
		if (!done && bb_now_ns() > limit)
			break;
	}
	bool interrupted = bb_stop_requested && !done;
	bool timed_out = !done && !reaped && !interrupted;
	stop_group(pid, &status, &reaped);
	close(out);
	it->ok = done;
	collect(t, it, done_ns);
	if (interrupted) {
		it->interrupted = true;
		return INTERRUPTED;
	}
	if (done)
		return DONE;
	char how[128], line[600];
	last_line(t, line, sizeof(line));
	if (timed_out)
		snprintf(how, sizeof(how), "reached no boot-done within %u ms (--timeout)", o->run.cfg.timeout_ms);
	else
		describe_status(status, how, sizeof(how));
	const char *before = o->until == BB_UNTIL_OUTPUT ? " before its output said what --until-output waits for"
			     : o->until == BB_UNTIL_FIRST_RUN ? " before its first KVM_RUN"
							      : "";
	snprintf(it->error, sizeof(it->error), "the command %s%s; its output ended: %s", how, timed_out ? "" : before,
		 line[0] ? line : "(no output)");
	it->error_kind = BB_ERROR_NONE;
	return FAILED;
}

static json_t *trace_profile(const struct bb_trace_args *o)
{
	json_t *cmd = json_array();
	char text[2048] = "";
	size_t at = 0;
	for (int i = 0; i < o->ncommand; i++) {
		json_array_append_new(cmd, json_string(o->command[i]));
		int n = snprintf(text + at, sizeof(text) - at, "%s%s", i ? " " : "", o->command[i]);
		if (n > 0 && (size_t)n < sizeof(text) - at)
			at += (size_t)n;
	}
	static const char *const untils[] = { "exit", "output", "first-run" };
	char description[2300];
	snprintf(description, sizeof(description), "bootbench trace of an unmodified VMM: %s", text);
	json_t *p = json_pack("{s:s, s:s, s:o, s:s}", "name", "trace", "description", description, "command", cmd,
			      "until", untils[o->until]);
	if (o->until == BB_UNTIL_OUTPUT)
		json_object_set_new(p, "until_output", json_string(o->until_output));
	return p;
}

static int run_iterations(struct tracer *t, struct bb_result_writer *w, struct bb_run_metrics *m, struct bb_run_state *s,
			  char *err, size_t errlen)
{
	const struct bb_run_args *o = &t->o->run;
	static struct bb_iteration it;
	bool tty = isatty(STDERR_FILENO);
	uint32_t total = o->warmup + o->iterations;
	for (uint32_t i = 0; i < total && !bb_stop_requested; i++) {
		enum outcome r = iteration(t, &it, err, errlen);
		if (r == CANNOT_START)
			return BB_EXIT_USAGE;
		if (r == INTERRUPTED) {
			s->interrupted = true;
			break;
		}
		enum bb_record rec = bb_run_record("trace", o, w, m, s, i, &it, tty, print_tail, t, err, errlen);
		if (rec == BB_RECORD_ERROR)
			return BB_EXIT_FAILED;
		if (rec == BB_RECORD_STOP)
			break;
	}
	if (bb_stop_requested)
		s->interrupted = true;
	return BB_EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
	static struct bb_trace_args o;
	static struct bb_run_outcome outcome;
	static struct tracer t;
	struct bb_host_info host;
	char err[1024], reason[512] = "", stacks_reason[512] = "";

	if (bb_trace_parse(argc, argv, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench trace: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (o.run.help) {
		bb_trace_usage(stdout);
		return BB_EXIT_OK;
	}
	t.o = &o;
	/* first: without perf events there is nothing to do */
	t.trace = bb_ioctl_trace_open(reason, sizeof(reason));
	if (!t.trace) {
		fprintf(stderr, "bootbench trace: cannot trace: %s\n", reason);
		return BB_EXIT_FAILED;
	}
	if (bb_host_info_collect(&host, err, sizeof(err)) < 0 || bb_run_make_dirs(o.run.out_dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench trace: %s\n", err);
		bb_ioctl_trace_free(t.trace);
		return BB_EXIT_FAILED;
	}
	if (o.run.cfg.stacks) {
		t.offcpu = bb_offcpu_open(stacks_reason, sizeof(stacks_reason));
		if (!t.offcpu)
			fprintf(stderr, "bootbench trace: no off-CPU time or kernel stacks: %s (--no-stacks silences this)\n",
				stacks_reason);
	}
	int rc = BB_EXIT_FAILED;
	json_t *header = NULL;
	struct bb_result_writer w;
	struct bb_run_metrics m;
	struct bb_run_state s = { .out = &outcome };
	char stamp[32], base[PATH_MAX], json_path[PATH_MAX], tsv_path[PATH_MAX];
	bb_run_metrics_init(&m);
	if (bb_event_log_init(&t.log, EVENT_CAPACITY) < 0) {
		fprintf(stderr, "bootbench trace: out of memory for %u events\n", EVENT_CAPACITY);
		goto out;
	}
	bb_run_utc_timestamp(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ");
	if (snprintf(base, sizeof(base), "%s/trace-%s-%d", o.run.out_dir, stamp, (int)getpid()) >= (int)sizeof(base) - 8) {
		fprintf(stderr, "bootbench trace: --out %s is too long a path: choose a shorter one\n", o.run.out_dir);
		rc = BB_EXIT_USAGE;
		goto out;
	}
	snprintf(json_path, sizeof(json_path), "%s.json", base);
	snprintf(tsv_path, sizeof(tsv_path), "%s.tsv", base);
	header = bb_run_header(&o.run, &host, trace_profile(&o), t.offcpu, stacks_reason);
	if (bb_result_writer_open(&w, json_path, header, o.run.with_events, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench trace: %s\n", err);
		goto out;
	}
	bb_run_install_stop_handlers();
	rc = run_iterations(&t, &w, &m, &s, err, sizeof(err));
	if (rc != BB_EXIT_OK) {
		fprintf(stderr, "bootbench trace: %s\n", err);
		bb_result_writer_discard(&w);
		goto out;
	}
	if (s.unsaved) {
		bb_run_print_unsaved(header, &m);
		rc = BB_EXIT_FAILED;
		goto out;
	}
	int finished = bb_run_finish(&w, header, &o.run, t.offcpu, &s, &m, tsv_path, err, sizeof(err));
	if (finished == -1) {
		fprintf(stderr, "bootbench trace: %s\n", err);
		bb_run_print_unsaved(header, &m);
		rc = BB_EXIT_FAILED;
		goto out;
	}
	rc = finished < 0 ? BB_EXIT_FAILED : s.interrupted ? BB_EXIT_INTERRUPTED : s.failed ? BB_EXIT_FAILED : BB_EXIT_OK;
	if (s.interrupted)
		fprintf(stderr, "bootbench trace: interrupted after %u recorded iteration%s; the result is marked incomplete\n",
			s.run, s.run == 1 ? "" : "s");
	if (o.run.upload_url[0]) {
		int up = bb_run_upload(&o.run, json_path);
		if (up < 0 && rc == BB_EXIT_OK)
			rc = BB_EXIT_FAILED;
	}
out:
	bb_run_metrics_free(&m);
	json_decref(header);
	bb_event_log_free(&t.log);
	free(t.rows);
	bb_offcpu_free(t.offcpu);
	bb_ioctl_trace_free(t.trace);
	return rc;
}
