/* bootbench run on the real /dev/kvm: every profile, every style x when
 * combination, the regression ordering, every guest fault and bad input.
 * Each run's result is read back and checked against what its profile
 * implies, worked out here independently of the VMM's own counters. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness.h"
#include "run_id.h"
#include "result_reader.h"

static struct proc p;

static json_int_t iget(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_non_null(v);
	return json_integer_value(v);
}

static json_t *oget(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		fail_msg("missing member '%s'", key);
	return v;
}

struct expect {
	json_int_t ioeventfds[3]; /* mmio, fast_mmio, pio */
	json_int_t devices[3];
	json_int_t assigned, deassigned, kicks, irqfds;
};

/* What the result's own (resolved) profile implies, from the KVM call
 * sites listed in shared/reference/KVM-IO-BUS.md. */
static struct expect expected_from(json_t *profile)
{
	struct expect e = { 0 };
	json_int_t d = iget(profile, "devices"), q = iget(profile, "queues");
	const char *when = json_string_value(oget(profile, "when"));
	json_int_t rounds = strcmp(when, "reset") == 0 ? 2 : 1;
	char styles[64];
	snprintf(styles, sizeof(styles), "%s", json_string_value(oget(profile, "style")));
	json_int_t nstyles = 0;
	for (char *save, *s = strtok_r(styles, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		nstyles++;
		if (!strcmp(s, "mmio")) {
			e.ioeventfds[0] += d * q * rounds;
		} else if (!strcmp(s, "mmio-any")) {
			e.ioeventfds[0] += d * q * rounds;
			e.ioeventfds[1] += d * q * rounds;
		} else {
			assert_string_equal(s, "pio");
			e.ioeventfds[2] += d * q * rounds;
		}
	}
	bool irqchip = json_is_true(oget(profile, "irqchip")), pit = json_is_true(oget(profile, "pit"));
	e.devices[0] = (irqchip ? 1 : 0) + iget(profile, "coalesced_zones");
	e.devices[2] = (irqchip ? 3 : 0) + (pit ? 2 : 0);
	e.assigned = d * q * nstyles * rounds;
	e.deassigned = rounds == 2 ? d * q * nstyles : 0;
	e.kicks = d * q;
	e.irqfds = json_is_true(oget(profile, "irqfds")) ? d : 0;
	return e;
}

static int64_t first_event_start(json_t *events, const char *op, int64_t *end_of_last)
{
	size_t i;
	json_t *ev;
	int64_t first = -1;
	json_array_foreach(events, i, ev) {
		if (strcmp(json_string_value(json_array_get(ev, 0)), op))
			continue;
		int64_t s = json_integer_value(json_array_get(ev, 2));
		int64_t e = s + json_integer_value(json_array_get(ev, 3));
		if (first < 0)
			first = s;
		if (end_of_last && e > *end_of_last)
			*end_of_last = e;
	}
	return first;
}

static void check_iteration(json_t *it, json_t *profile)
{
	struct expect e = expected_from(profile);
	const char *names[] = { "mmio", "fast_mmio", "pio" };

	if (!json_is_true(oget(it, "ok")))
		fail_msg("iteration failed: %s", json_string_value(oget(it, "error")));
	json_t *kicks = oget(it, "kicks");
	assert_int_equal(iget(kicks, "expected"), e.kicks);
	assert_int_equal(iget(kicks, "received"), e.kicks);
	assert_int_equal(iget(kicks, "by_exit"), 0);
	json_t *reg = oget(it, "registrations");
	for (int b = 0; b < 3; b++) {
		assert_int_equal(iget(oget(reg, "ioeventfds_per_bus"), names[b]), e.ioeventfds[b]);
		assert_int_equal(iget(oget(reg, "devices_per_bus"), names[b]), e.devices[b]);
	}
	assert_int_equal(iget(reg, "ioeventfds_assigned"), e.assigned);
	assert_int_equal(iget(reg, "ioeventfds_deassigned"), e.deassigned);
	assert_int_equal(iget(reg, "irqfds"), e.irqfds);
	assert_int_equal(iget(it, "events_dropped"), 0);

	/* every registration is in the raw events, each one succeeded */
	json_t *events = oget(it, "events");
	size_t i;
	json_t *ev;
	json_int_t assigns = 0, deassigns = 0;
	json_array_foreach(events, i, ev) {
		const char *op = json_string_value(json_array_get(ev, 0));
		if (!strcmp(op, "KVM_IOEVENTFD") || !strcmp(op, "KVM_IOEVENTFD:deassign")) {
			assert_int_equal(json_integer_value(json_array_get(ev, 4)), 0);
			if (op[13])
				deassigns++;
			else
				assigns++;
		}
	}
	assert_int_equal(assigns, e.assigned);
	assert_int_equal(deassigns, e.deassigned);
	if (e.assigned)
		assert_int_equal(iget(oget(oget(it, "ops"), "KVM_IOEVENTFD"), "count"), e.assigned);

	/* static registers before the first KVM_RUN, from the main thread;
	 * dynamic and reset after it, from the vCPU that wrote DRIVER_OK */
	int64_t first_run = first_event_start(events, "KVM_RUN", NULL);
	int64_t first_reg = first_event_start(events, "KVM_IOEVENTFD", NULL);
	if (e.assigned) {
		if (!strcmp(json_string_value(oget(profile, "when")), "static"))
			assert_true(first_reg < first_run);
		else
			assert_true(first_reg > first_run);
	}

	/* phases in boot order, each starting where the previous ended or later */
	json_t *ph;
	int64_t prev_end = 0;
	json_array_foreach(oget(it, "phases"), i, ph) {
		int64_t s = iget(ph, "start_ns"), d = iget(ph, "duration_ns");
		assert_true(s >= prev_end);
		assert_true(d > 0);
		prev_end = s + d;
	}
	assert_true(iget(it, "startup_ns") > 0);
	assert_true(iget(it, "startup_ns") <= prev_end);
}

static json_t *run_and_load(const char *const *args, const char *dir)
{
	const char *argv[48];
	int n = 0;
	for (; args[n]; n++)
		argv[n] = args[n];
	const char *tail[] = { "--out", dir, "--quiet", NULL };
	for (int i = 0; tail[i]; i++)
		argv[n++] = tail[i];
	argv[n] = NULL;
	run_bootbench(argv, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("bootbench exited %d: %s", p.exit_code, p.err);
	json_t *doc = load_only_result(dir);
	assert_non_null(doc);
	assert_true(json_is_true(oget(doc, "complete")));
	return doc;
}

static void check_all_iterations(json_t *doc, size_t expected)
{
	size_t i;
	json_t *it;
	assert_int_equal(json_array_size(oget(doc, "iterations")), expected);
	json_array_foreach(oget(doc, "iterations"), i, it)
		check_iteration(it, oget(doc, "profile"));
}

static void every_profile_boots_and_registers(void **state)
{
	(void)state;
	const char *profiles[] = { "firecracker", "qemu", "crosvm", "stress" };
	char runs[4][BB_RUN_ID_LEN + 1];
	for (size_t i = 0; i < 4; i++) {
		char dir[64];
		make_temp_dir(dir, sizeof(dir));
		const char *args[] = { "run", "--profile", profiles[i], "--iterations", "2", "--warmup", "1", NULL };
		json_t *doc = run_and_load(args, dir);
		assert_string_equal(json_string_value(oget(oget(doc, "profile"), "name")), profiles[i]);
		check_all_iterations(doc, 3);
		/* summary: measured iterations only */
		json_t *m = bb_result_metric(doc, "startup");
		assert_int_equal(iget(m, "n"), 2);
		assert_non_null(bb_result_metric(doc, "op:KVM_IOEVENTFD:call_pooled"));
		/* each run its own identity, as its uploaded points carry it */
		const char *run = json_string_value(oget(doc, "run"));
		assert_true(bb_run_id_valid(run));
		snprintf(runs[i], sizeof(runs[i]), "%s", run);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(runs[k], run);
		json_decref(doc);
		remove_tree(dir);
	}
}

static void every_style_and_when(void **state)
{
	(void)state;
	const char *styles[] = { "mmio", "mmio-any", "pio", "mmio-any,pio" };
	const char *whens[] = { "static", "dynamic", "reset" };
	for (size_t s = 0; s < 4; s++) {
		for (size_t w = 0; w < 3; w++) {
			char dir[64];
			make_temp_dir(dir, sizeof(dir));
			const char *args[] = { "run", "--style", styles[s], "--when", whens[w], "--devices", "8",
					       "--queues", "3", "--iterations", "1", "--warmup", "0", NULL };
			json_t *doc = run_and_load(args, dir);
			check_all_iterations(doc, 1);
			json_decref(doc);
			remove_tree(dir);
		}
	}
}

static void memslots_follow_the_registrations(void **state)
{
	(void)state;
	const char *whens[] = { "static", "dynamic", "reset" };
	for (size_t w = 0; w < 3; w++) {
		char dir[64];
		make_temp_dir(dir, sizeof(dir));
		const char *args[] = { "run", "--when", whens[w], "--memslots-after", "2", "--devices", "8",
				       "--iterations", "1", "--warmup", "0", NULL };
		json_t *doc = run_and_load(args, dir);
		json_t *it = json_array_get(oget(doc, "iterations"), 0);
		check_iteration(it, oget(doc, "profile"));
		assert_int_equal(iget(oget(it, "registrations"), "memslots_after"), 2);
		/* slots 1 and 2 are set after the last registration has returned */
		int64_t last_reg_end = 0, slots_after = 0;
		first_event_start(oget(it, "events"), "KVM_IOEVENTFD", &last_reg_end);
		size_t i;
		json_t *ev;
		json_array_foreach(oget(it, "events"), i, ev) {
			if (strcmp(json_string_value(json_array_get(ev, 0)), "KVM_SET_USER_MEMORY_REGION"))
				continue;
			if (strncmp(json_string_value(json_array_get(ev, 5)), "slot=0 ", 7) == 0)
				continue;
			assert_true(json_integer_value(json_array_get(ev, 2)) >= last_reg_end);
			slots_after++;
		}
		assert_int_equal(slots_after, 2);
		bool has_phase = false;
		json_t *ph;
		json_array_foreach(oget(it, "phases"), i, ph)
			has_phase |= !strcmp(json_string_value(oget(ph, "name")), "memslots_after");
		assert_int_equal(has_phase, w == 0);
		json_decref(doc);
		remove_tree(dir);
	}
}

static void guest_faults_fail_the_iteration(void **state)
{
	(void)state;
	const struct {
		const char *fault, *message;
	} faults[] = {
		{ "missing-kick", "device 0 queue 0: its ioeventfd never fired" },
		{ "extra-kick", "device 0 queue 0: its ioeventfd fired 2 times, expected exactly once" },
		{ "hang", "watchdog: the guest did not signal boot-done within 300 ms" },
		{ "triple-fault", "unexpected exit SHUTDOWN (8), the guest triple-faulted; rip=0x" },
		{ "bad-device-id", "the guest reported device 0: DeviceID is not the one expected" },
	};
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		char dir[64];
		make_temp_dir(dir, sizeof(dir));
		const char *args[] = { "run", "--guest-fault", faults[i].fault, "--devices", "4", "--iterations", "3",
				       "--warmup", "0", "--timeout", "300", "--out", dir, "--quiet", NULL };
		run_bootbench(args, NULL, &p);
		assert_int_equal(p.exit_code, 1);
		if (!strstr(p.err, faults[i].message))
			fail_msg("%s: stderr lacks '%s': %s", faults[i].fault, faults[i].message, p.err);
		assert_int_equal(count_lines(p.err), 1);
		/* the failed iteration is on disk, the run marked incomplete */
		json_t *doc = load_only_result(dir);
		assert_non_null(doc);
		assert_false(json_is_true(oget(doc, "complete")));
		assert_int_equal(json_array_size(oget(doc, "iterations")), 1);
		json_t *it = json_array_get(oget(doc, "iterations"), 0);
		assert_false(json_is_true(oget(it, "ok")));
		assert_non_null(strstr(json_string_value(oget(it, "error")), faults[i].message));
		json_decref(doc);
		remove_tree(dir);
	}
}

static void watchdog_then_the_next_iteration(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--guest-fault", "hang", "--devices", "2", "--iterations", "2", "--warmup", "0",
			       "--timeout", "200", "--keep-going", "--out", dir, "--quiet", NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_int_equal(count_lines(p.err), 2);
	/* the hang spins: each vCPU is named runnable, with where it was */
	if (!strstr(p.err, "; then vCPU 0 runnable, ") || !strstr(p.err, "; vCPU 1 runnable, ") ||
	    (!strstr(p.err, ", rip=0x") && !strstr(p.err, ", pc=0x")))
		fail_msg("the watchdog does not say where the vCPUs were: %s", p.err);
	json_t *doc = load_only_result(dir);
	assert_int_equal(json_array_size(oget(doc, "iterations")), 2);
	assert_int_equal(iget(doc, "iterations_failed"), 2);
	json_decref(doc);
	remove_tree(dir);
}

static void sigint_keeps_what_was_measured(void **state)
{
	(void)state;
	char dir[64], path[128], text[4096] = "";
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--devices", "8", "--iterations", "100000", "--warmup", "0", "--out", dir,
			       "--quiet", NULL };
	pid_t pid = start_bootbench(args, dir);
	usleep(under_wrapper() ? 8000 * 1000 : 1500 * 1000); /* valgrind starts slowly */
	kill(pid, SIGINT);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	json_t *doc = load_only_result(dir);
	assert_non_null(doc);
	assert_false(json_is_true(oget(doc, "complete")));
	assert_true(json_is_true(oget(doc, "interrupted")));
	size_t n = json_array_size(oget(doc, "iterations"));
	assert_true(n >= 1);
	check_all_iterations(doc, n);
	assert_int_equal(iget(bb_result_metric(doc, "startup"), "n"), (json_int_t)n);
	assert_int_equal(count_hidden(dir), 0);
	snprintf(path, sizeof(path), "%s.stderr", dir);
	FILE *f = fopen(path, "r");
	size_t len = fread(text, 1, sizeof(text) - 1, f);
	text[len] = '\0';
	fclose(f);
	assert_non_null(strstr(text, "interrupted"));
	/* the count is of the iterations the file holds */
	char said[96];
	snprintf(said, sizeof(said), "interrupted after %zu recorded iteration%s;", n, n == 1 ? "" : "s");
	if (!strstr(text, said))
		fail_msg("stderr does not say '%s': %s", said, text);
	unlink(path);
	snprintf(path, sizeof(path), "%s.stdout", dir);
	unlink(path);
	json_decref(doc);
	remove_tree(dir);
}

static void full_bus_names_the_limit(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--set", "coalesced_zones=1000", "--devices", "2", "--iterations", "1",
			       "--warmup", "0", "--out", dir, "--quiet", NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "No space left on device"));
	assert_non_null(strstr(p.err, "limit of 1000 devices"));
	assert_non_null(strstr(p.err, "after 999 of 1000 coalesced zones"));
	assert_non_null(strstr(p.err, "at most 999"));
	remove_tree(dir);
}

static void absent_kvm_device(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--out", dir, NULL };
	struct spawn_opts o = { .kvm_device = "/nonexistent/kvm" };
	run_bootbench(args, &o, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "cannot open /nonexistent/kvm: No such file or directory; this host has no KVM device: run in an emulated host with --host emulated"));
	assert_int_equal(count_lines(p.err), 1);
	const char *info[] = { "info", NULL };
	run_bootbench(info, &o, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.err, "cannot open /nonexistent/kvm"));
	remove_tree(dir);
}

static void file_descriptor_limit(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	/* firecracker: 256 queue eventfds + 64 irqfds + 2 vCPUs + 2 + 32 */
	const char *args[] = { "run", "--iterations", "1", "--warmup", "0", "--out", dir, "--quiet", NULL };
	struct spawn_opts low = { .nofile = 100 };
	run_bootbench(args, &low, &p);
	assert_int_equal(p.exit_code, 1);
	/* at most 100: fewer under valgrind, which keeps some for itself */
	const char *at = strstr(p.err, "needs 356 file descriptors but RLIMIT_NOFILE allows at most ");
	assert_non_null(at);
	long allowed = strtol(at + strlen("needs 356 file descriptors but RLIMIT_NOFILE allows at most "), NULL, 10);
	assert_true(allowed > 0 && allowed <= 100);
	assert_true(under_wrapper() || allowed == 100);
	/* a low soft limit under a high hard one is raised; valgrind gives
	 * its client a hard limit of its own, so only the plain run shows it */
	if (!under_wrapper()) {
		struct spawn_opts soft = { .nofile = 100, .nofile_hard = 4096 };
		run_bootbench(args, &soft, &p);
		assert_int_equal(p.exit_code, 0);
	} else {
		fprintf(stderr, "note: raising the soft fd limit is checked in the plain run, not under valgrind\n");
	}
	remove_tree(dir);
}

static void usage_errors_exit_2(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	const char *cases[][6] = {
		{ "run", "--iterations", "0", "--out", dir, NULL },
		{ "run", "--style", "virtio", "--out", dir, NULL },
		{ "run", "--when", "never", "--out", dir, NULL },
		{ "run", "--profile", "nope", "--out", dir, NULL },
		{ "run", "--label", "x", "--out", dir, NULL },
		{ "run", "--pin", "4096", "--out", dir, NULL },
		{ "run", "--devices", "99999", "--out", dir, NULL },
		{ "run", "--timeout", "-5", "--out", dir, NULL },
		{ "run", "stray", "--out", dir, NULL },
		{ "info", "--vms", "0", NULL },
		{ "nosuchcommand", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_bootbench(cases[i], NULL, &p);
		if (p.exit_code != 2 || count_lines(p.err) != 1)
			fail_msg("%s %s: exit %d, stderr: %s", cases[i][0], cases[i][1], p.exit_code, p.err);
	}
	char path[256];
	assert_int_equal(find_only(dir, ".json", path, sizeof(path)), -1);
	remove_tree(dir);
}

static void info_measures_the_host(void **state)
{
	(void)state;
	const char *args[] = { "info", "--vms", "2", "--registrations", "8", NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "CONFIG_HZ:"));
	assert_non_null(strstr(p.out, "KVM_IOEVENTFD registration:"));
	assert_non_null(strstr(p.out, "after registering:"));
	assert_non_null(strstr(p.out, "nothing registered:"));
	assert_non_null(strstr(p.out, "(the control)"));
	const char *json_args[] = { "info", "--json", "--vms", "2", NULL };
	run_bootbench(json_args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	json_t *doc = json_loads(p.out, 0, NULL);
	assert_non_null(doc);
	assert_true(strlen(json_string_value(oget(oget(doc, "host"), "kernel_release"))) > 0);
	json_t *m = oget(doc, "measured");
	assert_true(json_number_value(oget(m, "ioeventfd_median_ns")) > 0);
	assert_true(json_number_value(oget(m, "memslot_after_registrations_median_ns")) > 0);
	/* the control is the same update with nothing registered before it */
	assert_true(json_number_value(oget(m, "memslot_control_median_ns")) > 0);
	assert_null(json_object_get(m, "memslot_first_median_ns"));
	/* a conclusion only where the interval allows it; else repeated */
	const char *verdict = json_string_value(oget(m, "verdict"));
	double lo = json_number_value(oget(m, "memslot_ratio_ci_low"));
	double hi = json_number_value(oget(m, "memslot_ratio_ci_high"));
	assert_non_null(verdict);
	if (!strcmp(verdict, "waits"))
		assert_true(lo > 3);
	else if (!strcmp(verdict, "no wait"))
		assert_true(hi < 1.5);
	else if (!strcmp(verdict, "too noisy to conclude"))
		assert_int_equal(json_integer_value(oget(m, "rounds")), 3);
	else
		fail_msg("unknown verdict '%s'", verdict);
	/* the treated update names the stack it blocked in, or why it cannot */
	json_t *stack = json_object_get(m, "memslot_after_stack");
	assert_non_null(stack);
	const char *chain = json_string_value(json_object_get(stack, "waited_in"));
	if (chain && !strcmp(verdict, "waits") && !strstr(chain, "synchronize_srcu"))
		fail_msg("a wait, but in %s", chain);
	if (!chain)
		assert_non_null(json_string_value(json_object_get(stack, "unavailable")));
	json_decref(doc);
}

static void summary_labels_pin_and_tsv(void **state)
{
	(void)state;
	char dir[64], tsv[256], line[8192];
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--devices", "8", "--iterations", "4", "--warmup", "1", "--pin", "0",
			       "--label", "patch=on", "--label", "kernel=test", "--out", dir, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_non_null(strstr(p.out, "startup to boot-done: median"));
	assert_non_null(strstr(p.out, "labels: patch=on kernel=test"));
	assert_non_null(strstr(p.out, "KVM_IOEVENTFD"));
	assert_non_null(strstr(p.out, "guest_init"));
	json_t *doc = load_only_result(dir);
	assert_string_equal(json_string_value(oget(oget(doc, "labels"), "patch")), "on");
	assert_string_equal(json_string_value(oget(oget(doc, "options"), "pin")), "0");
	assert_string_equal(json_string_value(oget(oget(doc, "host"), "arch")), "x86_64");
	assert_true(strlen(json_string_value(oget(oget(doc, "host"), "config_hz"))) > 0);
	assert_int_equal(find_only(dir, ".tsv", tsv, sizeof(tsv)), 0);
	FILE *f = fopen(tsv, "r");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, "op:KVM_IOEVENTFD:total_ns"));
	int rows = 0;
	while (fgets(line, sizeof(line), f))
		rows++;
	fclose(f);
	assert_int_equal(rows, 4);
	json_decref(doc);
	remove_tree(dir);
}

static json_t *run_side(const char *dir, const char *memslots_after)
{
	const char *args[] = { "run", "--devices", "16", "--iterations", "10", "--warmup", "1",
			       "--memslots-after", memslots_after, NULL };
	return run_and_load(args, dir);
}

/* The 6.18 case end to end: the same profile without and with a memslot
 * added after the registrations. The comparison must put the change on
 * KVM_SET_USER_MEMORY_REGION, and the gate must fail on it. */
static void compare_and_gate_attribute_the_memslot_update(void **state)
{
	(void)state;
	char a[64], b[64], fa[256], fb[256];
	make_temp_dir(a, sizeof(a));
	make_temp_dir(b, sizeof(b));
	json_t *doc_a = run_side(a, "0");
	json_t *doc_b = run_side(b, "1");
	assert_int_equal(find_only(a, ".json", fa, sizeof(fa)), 0);
	assert_int_equal(find_only(b, ".json", fb, sizeof(fb)), 0);

	if (getenv("BOOTBENCH_IN_EMULATED_HOST")) {
		/* in the emulated host (Debian's 6.1 under TCG) slot 1's cost
		 * does not stand out of slot 0's variation: the verdict was
		 * "slower" in 4 runs and not in 4, at 10 and at 30 a side, in
		 * both builds. Asked on a real KVM only. */
		print_message("SKIPPED: the memslot verdict in the emulated host, where slot 1 does not stand out of slot 0's variation\n");
		json_decref(doc_a);
		json_decref(doc_b);
		remove_tree(a);
		remove_tree(b);
		skip();
	}
	const char *csv[] = { "report", "--format", "csv", "--allow-different-profiles", fa, "--", fb, NULL };
	run_bootbench(csv, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	char *row = strstr(p.out, "\"op:KVM_SET_USER_MEMORY_REGION:total\"");
	assert_non_null(row);
	char *eol = strchr(row, '\n');
	*eol = '\0';
	assert_non_null(strstr(row, "\"slower\""));

	const char *cmp[] = { "compare", "--allow-different-profiles", fa, "--", fb, NULL };
	run_bootbench(cmp, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	/* where time moved lists the op as slower; on a kernel with
	 * 7d9a0273c459 the added slot waits out a grace period, so the move is
	 * milliseconds (on older kernels it is the slot's own microseconds) */
	char *moved = strstr(p.out, "Where time moved");
	assert_non_null(moved);
	char *line = strstr(moved, "\n  KVM_SET_USER_MEMORY_REGION ");
	assert_non_null(line);
	char *end = strchr(line + 1, '\n');
	if (end)
		*end = '\0';
	assert_non_null(strstr(line, "slower"));
	/* what moved is B's total less A's: slot 0 alone can take a
	 * millisecond (under TCG), which is not the move */
	json_t *ma = bb_result_metric(doc_a, "op:KVM_SET_USER_MEMORY_REGION:total");
	json_t *mb = bb_result_metric(doc_b, "op:KVM_SET_USER_MEMORY_REGION:total");
	if (json_number_value(json_object_get(mb, "median")) - json_number_value(json_object_get(ma, "median")) > 1e6)
		assert_non_null(strstr(line, "ms "));

	const char *gate[] = { "gate", "--allow-different-profiles", "--baseline", fa, "--candidate", fb,
			       "--metric", "op:KVM_SET_USER_MEMORY_REGION:total", "--max-regression", "5%", NULL };
	run_bootbench(gate, NULL, &p);
	assert_int_equal(p.exit_code, 1);
	assert_non_null(strstr(p.out, "FAIL op:KVM_SET_USER_MEMORY_REGION:total"));
	const char *refused[] = { "compare", fa, "--", fb, NULL };
	run_bootbench(refused, NULL, &p);
	assert_int_equal(p.exit_code, 2);
	assert_non_null(strstr(p.err, "memslots_after 0 vs 1"));
	json_decref(doc_a);
	json_decref(doc_b);
	remove_tree(a);
	remove_tree(b);
}

int main(void)
{
	if (kvm_usable() < 0)
		return SKIP_EXIT;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_profile_boots_and_registers),
		cmocka_unit_test(every_style_and_when),
		cmocka_unit_test(memslots_follow_the_registrations),
		cmocka_unit_test(guest_faults_fail_the_iteration),
		cmocka_unit_test(watchdog_then_the_next_iteration),
		cmocka_unit_test(sigint_keeps_what_was_measured),
		cmocka_unit_test(full_bus_names_the_limit),
		cmocka_unit_test(absent_kvm_device),
		cmocka_unit_test(file_descriptor_limit),
		cmocka_unit_test(usage_errors_exit_2),
		cmocka_unit_test(info_measures_the_host),
		cmocka_unit_test(summary_labels_pin_and_tsv),
		cmocka_unit_test(compare_and_gate_attribute_the_memslot_update),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
