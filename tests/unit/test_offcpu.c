/* Off-CPU intervals assigned to timed calls: inside one, spanning two,
 * in none, on another thread, and the stack that took the most. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "blocked.h"
#include "folded.h"
#include "offcpu.h"

#define T0 1000000 /* the log's clock origin, on the capture's clock */

static struct bb_event call(int16_t thread, int64_t start, int64_t duration)
{
	return (struct bb_event){ .start_ns = start, .duration_ns = duration, .thread = thread, .offcpu_ns = 99, .stack = 42 };
}

static struct bb_offcpu_interval off(int16_t thread, int64_t start, int64_t end, int32_t stack)
{
	return (struct bb_offcpu_interval){ .start_ns = T0 + start, .end_ns = T0 + end, .stack = stack, .thread = thread };
}

static void inside_one_call(void **state)
{
	(void)state;
	struct bb_event ev[] = { call(BB_THREAD_MAIN, 0, 100), call(BB_THREAD_MAIN, 200, 1000) };
	struct bb_offcpu_interval iv[] = { off(BB_THREAD_MAIN, 300, 900, 7) };
	bb_offcpu_assign(iv, 1, ev, 2, T0);
	assert_int_equal(ev[0].offcpu_ns, 0);
	assert_int_equal(ev[0].stack, BB_OFFCPU_NO_STACK);
	assert_int_equal(ev[1].offcpu_ns, 600);
	assert_int_equal(ev[1].stack, 7);
}

static void spanning_two_calls_is_split(void **state)
{
	(void)state;
	/* [100, 200) and [250, 400): the interval [150, 300) gives 50 to each
	 * and its gap between them to neither */
	struct bb_event ev[] = { call(0, 250, 150), call(0, 100, 100) };
	struct bb_offcpu_interval iv[] = { off(0, 150, 300, 3) };
	bb_offcpu_assign(iv, 1, ev, 2, T0);
	assert_int_equal(ev[1].offcpu_ns, 50);
	assert_int_equal(ev[0].offcpu_ns, 50);
	assert_int_equal(ev[0].stack, 3);
	assert_int_equal(ev[1].stack, 3);
}

static void in_no_call_or_another_thread(void **state)
{
	(void)state;
	struct bb_event ev[] = { call(BB_THREAD_MAIN, 0, 100), call(1, 0, 1000) };
	struct bb_offcpu_interval iv[] = {
		off(BB_THREAD_MAIN, 500, 600, 1), /* main is between calls then */
		off(0, 0, 1000, 2),               /* vCPU 0 has no call here */
		off(1, 100, 50, 3),               /* ends before it starts: ignored */
	};
	bb_offcpu_assign(iv, 3, ev, 2, T0);
	assert_int_equal(ev[0].offcpu_ns, 0);
	assert_int_equal(ev[1].offcpu_ns, 0);
	assert_int_equal(ev[1].stack, BB_OFFCPU_NO_STACK);
}

static void the_largest_share_names_the_stack(void **state)
{
	(void)state;
	struct bb_event ev[] = { call(BB_THREAD_MAIN, 0, 10000) };
	struct bb_offcpu_interval iv[] = { off(BB_THREAD_MAIN, 0, 100, 1), off(BB_THREAD_MAIN, 200, 7600, 5),
					   off(BB_THREAD_MAIN, 8000, 8500, 1) };
	bb_offcpu_assign(iv, 3, ev, 1, T0);
	assert_int_equal(ev[0].offcpu_ns, 100 + 7400 + 500);
	assert_int_equal(ev[0].stack, 5);
}

static void no_capture_clears(void **state)
{
	(void)state;
	struct bb_event ev[] = { call(0, 0, 10) };
	bb_offcpu_assign(NULL, 0, ev, 1, T0);
	assert_int_equal(ev[0].offcpu_ns, 0);
	assert_int_equal(ev[0].stack, BB_OFFCPU_NO_STACK);
}

static void folded_stacks(void **state)
{
	(void)state;
	/* two measured iterations of one (op, stack), a warmup left out, an
	 * op without a stack, and a frame with the format's separators */
	json_t *doc = json_pack(
		"{s:{s:[[s, s, s], [s, s]]}, s:[{s:b, s:b, s:{s:[[i, s, I, I], [i, s, I, I]]}}, {s:b, s:b, s:{s:[[i, s, I, I]]}}, {s:b, s:b, s:{s:[[i, s, I, I]]}}]}",
		"stacks", "frames", "schedule", "__synchronize_srcu.part.0", "kvm_swap_active_memslots", "sche;dule", "do nanosleep",
		"iterations",
		"ok", 1, "warmup", 0, "offcpu", "stacks", 0, "KVM_SET_USER_MEMORY_REGION", (json_int_t)1, (json_int_t)7000,
		-1, "KVM_RUN", (json_int_t)3, (json_int_t)50,
		"ok", 1, "warmup", 0, "offcpu", "stacks", 0, "KVM_SET_USER_MEMORY_REGION", (json_int_t)1, (json_int_t)500,
		"ok", 1, "warmup", 1, "offcpu", "stacks", 1, "KVM_RUN", (json_int_t)1, (json_int_t)999);
	assert_non_null(doc);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(bb_folded_write(f, doc), 2);
	fclose(f);
	assert_string_equal(text, "KVM_SET_USER_MEMORY_REGION;kvm_swap_active_memslots;__synchronize_srcu.part.0;schedule 7500\n"
				  "KVM_RUN;[no stack] 50\n");
	free(text);
	json_decref(doc);
	/* a result without off-CPU time has no lines */
	doc = json_pack("{s:[{s:b, s:b}]}", "iterations", "ok", 1, "warmup", 0);
	f = open_memstream(&text, &len);
	assert_int_equal(bb_folded_write(f, doc), 0);
	fclose(f);
	assert_string_equal(text, "");
	free(text);
	json_decref(doc);
}

/* A wait in __synchronize_srcu is named by its grace period: the I/O
 * bus's and the memslots' kvm->srcu, the routing's kvm->irq_srcu. */
static void srcu_waits_name_their_struct(void **state)
{
	(void)state;
	json_t *frames = json_pack("[s,s,s,s,s,s]", "schedule", "schedule_timeout", "__wait_for_common", "__synchronize_srcu",
				   "kvm_set_irq_routing", "kvm_vm_ioctl");
	char chain[256];
	assert_non_null(bb_waited_in_json(frames, 2, chain, sizeof(chain)));
	assert_string_equal(chain, "__synchronize_srcu <- kvm_set_irq_routing <- kvm_vm_ioctl");
	assert_string_equal(bb_srcu_of_chain(chain), "kvm->irq_srcu");
	json_decref(frames);
	assert_string_equal(bb_srcu_of_chain("__synchronize_srcu <- kvm_io_bus_register_dev <- kvm_assign_ioeventfd_idx"),
			    "kvm->srcu");
	assert_string_equal(bb_srcu_of_chain("__synchronize_srcu <- kvm_swap_active_memslots <- kvm_set_memslot"), "kvm->srcu");
	assert_string_equal(bb_srcu_of_chain("__synchronize_srcu <- kvm_pit_set_reinject"), "kvm->irq_srcu");
	/* a caller not known, another wait, a function alone: not named */
	assert_null(bb_srcu_of_chain("__synchronize_srcu <- some_driver_release"));
	assert_null(bb_srcu_of_chain("__flush_workqueue <- kvm_irqfd <- kvm_vm_ioctl"));
	assert_null(bb_srcu_of_chain("__synchronize_srcu"));
	/* a caller whose name only begins like a known one */
	assert_null(bb_srcu_of_chain("__synchronize_srcu <- kvm_set_irq_routing_x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inside_one_call),
		cmocka_unit_test(spanning_two_calls_is_split),
		cmocka_unit_test(in_no_call_or_another_thread),
		cmocka_unit_test(the_largest_share_names_the_stack),
		cmocka_unit_test(no_capture_clears),
		cmocka_unit_test(folded_stacks),
		cmocka_unit_test(srcu_waits_name_their_struct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
