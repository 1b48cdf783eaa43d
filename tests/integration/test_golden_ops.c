/* The sequence of timed operations each built-in profile makes, checked
 * against a golden file recorded on the real /dev/kvm: on the main thread
 * and on vCPU 0 (the boot's critical path; the other vCPUs only spin, and
 * how often they return from KVM_RUN depends on the host), every op with
 * its arguments and its result, then the iteration's registration and kick
 * counts. A change to the VMM that is meant to keep its behaviour must keep
 * these files; one that changes behaviour regenerates them on purpose:
 *   BOOTBENCH_UPDATE_GOLDEN=1 ctest -R golden_ops
 * and the diff is the review. Results that name a file descriptor or a
 * host-dependent size are kept as "ok", so the files hold on any host of
 * the arch. */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

static const char *golden_path(const char *profile, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s.ops", GOLDEN_DIR, GOLDEN_ARCH, profile);
	return buf;
}

/* The result's own text for a result code: which ops return an fd or a
 * size varies by host, an errno does not. */
static void result_text(json_int_t result, char *buf, size_t len)
{
	if (result < 0)
		snprintf(buf, len, "-%s", strerrorname_np((int)-result) ? strerrorname_np((int)-result) : "E?");
	else if (result == 0)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "ok");
}

static void append(char **text, size_t *len, size_t *cap, const char *line)
{
	size_t n = strlen(line);
	if (*len + n + 2 > *cap) {
		*cap = (*cap + n + 2) * 2;
		*text = realloc(*text, *cap);
		assert_non_null(*text);
	}
	memcpy(*text + *len, line, n);
	(*text)[*len + n] = '\n';
	*len += n + 1;
	(*text)[*len] = '\0';
}

static void append_thread(json_t *events, json_int_t thread, char **text, size_t *len, size_t *cap)
{
	size_t i;
	json_t *ev;
	char line[512], res[64];
	json_array_foreach(events, i, ev) {
		if (json_integer_value(json_array_get(ev, 1)) != thread)
			continue;
		result_text(json_integer_value(json_array_get(ev, 4)), res, sizeof(res));
		snprintf(line, sizeof(line), "%s %s %s", json_string_value(json_array_get(ev, 0)), res,
			 json_string_value(json_array_get(ev, 5)));
		append(text, len, cap, line);
	}
}

static void append_count(const char *prefix, const char *key, json_t *v, char **text, size_t *len, size_t *cap)
{
	char line[256];
	snprintf(line, sizeof(line), "%s%s=%lld", prefix, key, (long long)json_integer_value(v));
	append(text, len, cap, line);
}

/* obj's counts, and those of the objects one level inside it (per bus) */
static void append_counts(json_t *obj, const char *prefix, char **text, size_t *len, size_t *cap)
{
	const char *key, *inner_key;
	json_t *v, *inner;
	json_object_foreach(obj, key, v) {
		if (!json_is_object(v)) {
			append_count(prefix, key, v, text, len, cap);
			continue;
		}
		char sub[128];
		snprintf(sub, sizeof(sub), "%s%s.", prefix, key);
		json_object_foreach(v, inner_key, inner)
			append_count(sub, inner_key, inner, text, len, cap);
	}
}

static char *op_sequence(json_t *result)
{
	json_t *it = json_array_get(json_object_get(result, "iterations"), 0);
	assert_non_null(it);
	if (!json_is_true(json_object_get(it, "ok")))
		fail_msg("the iteration failed: %s", json_string_value(json_object_get(it, "error")));
	json_t *events = json_object_get(it, "events");
	assert_true(json_is_array(events));

	char *text = NULL;
	size_t len = 0, cap = 0;
	append(&text, &len, &cap, "# main thread");
	append_thread(events, -1, &text, &len, &cap);
	append(&text, &len, &cap, "# vCPU 0");
	append_thread(events, 0, &text, &len, &cap);
	append(&text, &len, &cap, "# counts");
	append_counts(json_object_get(it, "registrations"), "registrations.", &text, &len, &cap);
	append_counts(json_object_get(it, "kicks"), "kicks.", &text, &len, &cap);
	return text;
}

/* The first line where the two texts differ, for a message a reviewer can
 * act on. */
static void first_difference(const char *a, const char *b, char *buf, size_t len)
{
	int line = 1;
	while (*a && *a == *b) {
		if (*a == '\n')
			line++;
		a++, b++;
	}
	while (line > 1 && a[-1] != '\n')
		a--, b--;
	snprintf(buf, len, "line %d: golden '%.*s', now '%.*s'", line, (int)strcspn(a, "\n"), a,
		 (int)strcspn(b, "\n"), b);
}

/* golden: the file's name; memslots_after: NULL, or the value of
 * --memslots-after, the ordering where the 6.18 regression shows */
static void check_profile(const char *profile, const char *golden_name, const char *memslots_after)
{
	char dir[256], path[512];
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--profile", profile, "--iterations", "1", "--warmup", "0", "--quiet",
			       "--out", dir, memslots_after ? "--memslots-after" : NULL, memslots_after, NULL };
	struct proc p;
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("bootbench run --profile %s exited %d: %s", profile, p.exit_code, p.err);
	json_t *result = load_only_result(dir);
	assert_non_null(result);
	char *now = op_sequence(result);
	json_decref(result);
	remove_tree(dir);

	golden_path(golden_name, path, sizeof(path));
	const char *update = getenv("BOOTBENCH_UPDATE_GOLDEN");
	if (update && strcmp(update, "1") == 0) {
		FILE *f = fopen(path, "w");
		bool written = f && fputs(now, f) >= 0;
		if (f && fclose(f) != 0)
			written = false;
		free(now);
		if (!written)
			fail_msg("cannot write %s: %s", path, strerror(errno));
		print_message("wrote %s\n", path);
		return;
	}
	static char golden[1 << 22];
	if (read_text(path, golden, sizeof(golden)) < 0)
		fail_msg("no golden file %s: record it with BOOTBENCH_UPDATE_GOLDEN=1", path);
	char diff[1200] = "";
	bool same = strcmp(golden, now) == 0;
	if (!same)
		first_difference(golden, now, diff, sizeof(diff));
	free(now);
	if (!same)
		fail_msg("profile %s: the op sequence differs from %s at %s", profile, path, diff);
}

static void every_builtin_profile(void **state)
{
	(void)state;
	char names[] = BUILTIN_PROFILES;
	int checked = 0;
	for (char *save, *name = strtok_r(names, " ;", &save); name; name = strtok_r(NULL, " ;", &save)) {
		check_profile(name, name, NULL);
		checked++;
	}
	assert_true(checked >= 5);
}

/* Memslots added after the registrations: from the main thread (static)
 * and from the vCPU thread after the last DRIVER_OK (dynamic). */
static void memslots_after_registrations(void **state)
{
	(void)state;
	check_profile("firecracker", "firecracker-memslots-after", "1");
	check_profile("crosvm", "crosvm-memslots-after", "2");
}

int main(void)
{
	if (kvm_usable() != 0)
		return SKIP_EXIT;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_builtin_profile),
		cmocka_unit_test(memslots_after_registrations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
