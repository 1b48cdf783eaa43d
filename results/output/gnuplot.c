#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errorf.h"

void bb_gnuplot_quote(const char *text, char *buf, size_t len)
{
	size_t o = 0;
	if (len < 3) {
		buf[0] = '\0';
		return;
	}
	buf[o++] = '\'';
	for (const char *p = text; *p && o + 3 < len; p++) {
		if (*p == '\n' || *p == '\r')
			buf[o++] = ' ';
		else if (*p == '\'') {
			buf[o++] = '\'';
			buf[o++] = '\'';
		} else {
			buf[o++] = *p;
		}
	}
	buf[o++] = '\'';
	buf[o] = '\0';
}

static char *build_prelude(const struct bb_gp_var *vars, size_t n)
{
	size_t cap = 256;
	for (size_t i = 0; i < n; i++)
		cap += strlen(vars[i].name) + (vars[i].text ? 2 * strlen(vars[i].text) : 0) + 64;
	char *s = malloc(cap), *q = malloc(cap);
	size_t used = 0;
	if (!s || !q) {
		free(s);
		free(q);
		return NULL;
	}
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (vars[i].text) {
			bb_gnuplot_quote(vars[i].text, q, cap);
			used += (size_t)snprintf(s + used, cap - used, "%s=%s; ", vars[i].name, q);
		} else {
			used += (size_t)snprintf(s + used, cap - used, "%s=%.17g; ", vars[i].name, vars[i].number);
		}
	}
	free(q);
	return s;
}

static void shell_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static unsigned timeout_ms = 60000;
static const char *workdir;

void bb_gnuplot_set_dir(const char *dir)
{
	workdir = dir;
}

void bb_gnuplot_set_timeout(unsigned ms)
{
	timeout_ms = ms ? ms : 60000;
}

#define RUN_TIMED_OUT (-2)

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* gnuplot's exit status, with its stderr in stderr_text; RUN_TIMED_OUT
 * once it ran past timeout_ms and was killed (a script waiting on input,
 * a hung X connection). */
static int run(const char *const argv[], char *stderr_text, size_t len)
{
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], 2);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		close(pipefd[0]);
		if (workdir && chdir(workdir) < 0) {
			dprintf(2, "cannot enter %s\n", workdir);
			_exit(126);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(pipefd[1]);
	size_t used = 0;
	bool timed_out = false;
	long long deadline = now_ms() + (long long)timeout_ms;
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		long long left = deadline - now_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		int ready = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			continue;
		char scratch[512];
		char *into = used + 1 < len ? stderr_text + used : scratch;
		size_t room = used + 1 < len ? len - 1 - used : sizeof(scratch);
		ssize_t r = read(pipefd[0], into, room);
		if (r <= 0)
			break; /* EOF: gnuplot is done with its stderr */
		if (into != scratch)
			used += (size_t)r;
	}
	stderr_text[used] = '\0';
	close(pipefd[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		return RUN_TIMED_OUT;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int bb_gnuplot_check(char *err, size_t errlen)
{
	char text[512];
	const char *argv[] = { "gnuplot", "--version", NULL };
	int rc = run(argv, text, sizeof(text));
	if (rc == 127) {
		bb_errorf(err, errlen, "gnuplot is not installed: install it (apt-get install gnuplot-nox) and run again");
		return -1;
	}
	if (rc == RUN_TIMED_OUT) {
		bb_errorf(err, errlen, "gnuplot --version did not finish within %u ms and was killed: check the gnuplot on PATH", timeout_ms);
		return -1;
	}
	if (rc != 0) {
		text[strcspn(text, "\n")] = '\0';
		bb_errorf(err, errlen, "gnuplot --version failed (exit %d): %s", rc, text);
		return -1;
	}
	return 0;
}

const char *bb_gnuplot_png_terminal(void)
{
	static const char *cached;
	if (!cached) {
		char text[512];
		const char *argv[] = { "gnuplot", "-e", "set terminal pngcairo", NULL };
		cached = run(argv, text, sizeof(text)) == 0 && !strstr(text, "unknown") ? "pngcairo" : "png";
	}
	return cached;
}

int bb_gnuplot_run(const char *script, const struct bb_gp_var *vars, size_t nvars, FILE *replay,
		   char *err, size_t errlen)
{
	char *prelude = build_prelude(vars, nvars);
	char text[2048];
	if (!prelude) {
		bb_errorf(err, errlen, "out of memory running gnuplot");
		return -1;
	}
	const char *argv[] = { "gnuplot", "-e", prelude, script, NULL };
	int rc = run(argv, text, sizeof(text));
	if (replay) {
		fputs("gnuplot -e ", replay);
		shell_quoted(replay, prelude);
		fputc(' ', replay);
		shell_quoted(replay, script);
		fputc('\n', replay);
	}
	free(prelude);
	if (rc == 127) {
		bb_errorf(err, errlen, "gnuplot is not installed: install it (apt-get install gnuplot-nox) and run again");
		return -1;
	}
	if (rc == RUN_TIMED_OUT) {
		bb_errorf(err, errlen, "gnuplot did not finish %s within %u ms and was killed: raise --timeout, or check the gnuplot on PATH",
			 script, timeout_ms);
		return -1;
	}
	if (rc != 0) {
		text[strcspn(text, "\n")] = '\0';
		bb_errorf(err, errlen, "gnuplot failed on %s (exit %d): %s", script, rc, text);
		return -1;
	}
	return 0;
}
