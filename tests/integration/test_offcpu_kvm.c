/* Off-CPU time and kernel stacks on the real /dev/kvm with real perf
 * events: the 6.18 memslot stall is attributed to the SRCU grace period
 * it waits for, the qemu profile's deassign stalls to the unregister
 * path, and --no-stacks records that it was off. Skipped (77) without
 * KVM, or where perf events are not permitted (CI runs as root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness.h"

static struct proc p;

/* A run of args into a fresh directory; its result, or a skip when the
 * host refused perf events (the run says so on stderr). */
static json_t *run_with_stacks(const char *const *args, char *dir, size_t len)
{
	make_temp_dir(dir, len);
	run_bootbench(args, NULL, &p);
	if (p.exit_code != 0)
		fail_msg("run exited %d: %s", p.exit_code, p.err);
	json_t *doc = load_only_result(dir);
	assert_non_null(doc);
	json_t *offcpu = json_object_get(doc, "offcpu");
	if (!json_is_true(json_object_get(offcpu, "available"))) {
		fprintf(stderr, "SKIP: perf events are not permitted here (%s)\n",
			json_string_value(json_object_get(offcpu, "unavailable")));
		json_decref(doc);
		remove_tree(dir);
		skip();
	}
	return doc;
}

static json_t *metric(json_t *doc, const char *prefix)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(doc, "summary"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		if (name && !strncmp(name, prefix, strlen(prefix)))
			return m;
	}
	return NULL;
}

/* Whether the metric's own stack holds every one of the frames given. */
static bool stack_holds(json_t *doc, json_t *m, const char *const *frames, size_t n)
{
	json_t *stack = json_array_get(json_object_get(json_object_get(doc, "stacks"), "frames"),
				       (size_t)json_integer_value(json_object_get(m, "stack")));
	for (size_t k = 0; k < n; k++) {
		bool found = false;
		size_t i;
		json_t *f;
		json_array_foreach(stack, i, f)
			found |= strstr(json_string_value(f), frames[k]) != NULL;
		if (!found)
			return false;
	}
	return true;
}

static double median(json_t *doc, const char *name)
{
	json_t *m = metric(doc, name);
	return m ? json_number_value(json_object_get(m, "median")) : 0;
}

static void memslot_stall_waits_for_the_grace_period(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--iterations", "5", "--warmup", "1", "--memslots-after", "1", "--out", dir, NULL };
	remove_tree(dir);
	json_t *doc = run_with_stacks(args, dir, sizeof(dir));
	double total = median(doc, "op:KVM_SET_USER_MEMORY_REGION:total");
	/* a kernel without 7d9a0273 waits for the grace period in each
	 * registration, leaving none for the update (whose own time, under
	 * emulation, can pass a millisecond on-CPU) */
	double in_register = median(doc, "blocked:KVM_IOEVENTFD:__synchronize_srcu");
	if (total < 1e6 || in_register > 0) {
		fprintf(stderr, "SKIP: this kernel does not stall the memslot update after registrations (median %.0f ns; the registrations wait %.0f ns each iteration in __synchronize_srcu themselves): nothing to attribute\n",
			total, in_register);
		json_decref(doc);
		remove_tree(dir);
		skip();
	}
	/* most of the update's time is off-CPU, in an SRCU synchronize */
	double offcpu = median(doc, "op:KVM_SET_USER_MEMORY_REGION:offcpu");
	if (!(offcpu > 0.5 * total))
		fail_msg("off-CPU %.0f ns of %.0f ns", offcpu, total);
	json_t *m = metric(doc, "blocked:KVM_SET_USER_MEMORY_REGION:");
	assert_non_null(m);
	const char *name = json_string_value(json_object_get(m, "name"));
	if (!strstr(name, "synchronize_srcu"))
		fail_msg("it waited in %s", name);
	assert_true(json_number_value(json_object_get(m, "median")) > 0.5 * total);
	const char *frames[] = { "synchronize_srcu", "kvm_swap_active_memslots" };
	assert_true(stack_holds(doc, m, frames, 2));
	/* the startup's SRCU waits, every op's summed, and only the startup's:
	 * the teardown's close:vm waits in it too, after boot-done */
	double srcu = median(doc, "blocked:startup:__synchronize_srcu");
	double memslot = json_number_value(json_object_get(m, "median"));
	double teardown = median(doc, "blocked:close:vm:__synchronize_srcu");
	if (!(srcu >= memslot) || !(srcu < median(doc, "startup")))
		fail_msg("blocked:startup:__synchronize_srcu %.0f ns: the memslot update's %.0f ns at least, under startup", srcu, memslot);
	/* medians of sums against sums of medians: half the teardown's wait
	 * (~14 ms here) is margin enough to tell whether it was counted */
	double startup_ops = memslot + median(doc, "blocked:KVM_IOEVENTFD:__synchronize_srcu") +
			     median(doc, "blocked:KVM_CREATE_IRQCHIP:__synchronize_srcu");
	if (teardown > 1e6 && !(srcu < startup_ops + 0.5 * teardown))
		fail_msg("blocked:startup:__synchronize_srcu %.0f ns takes in the teardown's %.0f ns", srcu, teardown);
	/* the summary says so, in 72 columns */
	assert_non_null(strstr(p.out, "blocked off-CPU"));
	assert_non_null(strstr(p.out, "in __synchronize_srcu <- kvm_swap_active_memslots"));
	for (const char *line = p.out; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		size_t n = strcspn(line, "\n");
		if (n > 80) /* the op table's own lines are 76 wide */
			fail_msg("a summary line of %zu columns: %.*s", n, (int)n, line);
	}
	/* each event carries its off-CPU time and stack */
	json_t *it = json_array_get(json_object_get(doc, "iterations"), 1);
	size_t i;
	json_t *ev;
	bool seen = false;
	json_array_foreach(json_object_get(it, "events"), i, ev) {
		if (strcmp(json_string_value(json_array_get(ev, 0)), "KVM_SET_USER_MEMORY_REGION"))
			continue;
		assert_int_equal(json_array_size(ev), 8);
		seen |= json_integer_value(json_array_get(ev, 6)) > 0 && json_integer_value(json_array_get(ev, 7)) >= 0;
	}
	assert_true(seen);
	json_decref(doc);
	remove_tree(dir);
}

static void deassign_stalls_are_the_unregister_path(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	remove_tree(dir);
	const char *args[] = { "run", "--profile", "qemu", "--iterations", "3", "--warmup", "0", "--quiet", "--out", dir, NULL };
	json_t *doc = run_with_stacks(args, dir, sizeof(dir));
	json_t *m = metric(doc, "blocked:KVM_IOEVENTFD:deassign:");
	assert_non_null(m);
	assert_true(json_number_value(json_object_get(m, "median")) > 0);
	const char *frames[] = { "synchronize_srcu", "kvm_io_bus_unregister_dev" };
	if (!stack_holds(doc, m, frames, 2))
		fail_msg("the deassign waited in %s", json_string_value(json_object_get(m, "name")));
	json_decref(doc);
	remove_tree(dir);
}

static void no_stacks_is_recorded(void **state)
{
	(void)state;
	char dir[64];
	make_temp_dir(dir, sizeof(dir));
	const char *args[] = { "run", "--iterations", "1", "--warmup", "0", "--no-stacks", "--quiet", "--out", dir, NULL };
	run_bootbench(args, NULL, &p);
	assert_int_equal(p.exit_code, 0);
	assert_string_equal(p.err, "");
	json_t *doc = load_only_result(dir);
	json_t *offcpu = json_object_get(doc, "offcpu");
	assert_false(json_is_true(json_object_get(offcpu, "available")));
	assert_string_equal(json_string_value(json_object_get(offcpu, "unavailable")), "turned off (--no-stacks)");
	assert_null(json_object_get(doc, "stacks"));
	json_decref(doc);
	remove_tree(dir);
}

int main(void)
{
	if (kvm_usable() < 0)
		return SKIP_EXIT;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memslot_stall_waits_for_the_grace_period),
		cmocka_unit_test(deassign_stalls_are_the_unregister_path),
		cmocka_unit_test(no_stacks_is_recorded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
