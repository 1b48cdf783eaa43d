/* What bootbench trace makes of a traced call: the op, and the arguments
 * only when their struct lay wholly in the stack bytes the kernel copied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/kvm.h>

#include "trace_requests.h"

#define SP 0x7ffd1000ull

static uint8_t stack[256];

static void an_ioeventfd_on_the_stack_is_read(void **state)
{
	(void)state;
	struct kvm_ioeventfd io = { .datamatch = 3, .addr = 0xd0000050, .len = 4, .fd = 9,
				    .flags = KVM_IOEVENTFD_FLAG_DATAMATCH };
	memcpy(stack + 48, &io, sizeof(io));
	struct bb_traced_call c = bb_trace_decode(KVM_IOEVENTFD, SP + 48, stack, sizeof(stack), SP);
	assert_int_equal(c.op, BB_OP_IOEVENTFD);
	assert_true(c.args_read);
	assert_false(c.struct_unread);
	assert_int_equal(c.shown[0], 0xd0000050);
	assert_int_equal(c.shown[1] & 0xffffffff, 4);
	assert_int_equal(c.shown[2], 3);
	/* the same call deassigning is its own op */
	io.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
	memcpy(stack + 48, &io, sizeof(io));
	c = bb_trace_decode(KVM_IOEVENTFD, SP + 48, stack, sizeof(stack), SP);
	assert_int_equal(c.op, BB_OP_IOEVENTFD_DEASSIGN);
}

static void a_struct_not_wholly_on_the_stack_is_not_read(void **state)
{
	(void)state;
	size_t size = sizeof(struct kvm_userspace_memory_region);
	/* straddling the copy's end, below the stack pointer, far away */
	uint64_t args[] = { SP + sizeof(stack) - size + 1, SP - 8, 0x55550000, UINT64_MAX - 4 };
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		struct bb_traced_call c = bb_trace_decode(KVM_SET_USER_MEMORY_REGION, args[i], stack, sizeof(stack), SP);
		assert_int_equal(c.op, BB_OP_SET_USER_MEMORY_REGION);
		assert_false(c.args_read);
		assert_true(c.struct_unread);
	}
	/* and the last place it fits is read */
	struct kvm_userspace_memory_region m = { .slot = 2, .guest_phys_addr = 0x100000, .memory_size = 0x200000 };
	memcpy(stack + sizeof(stack) - size, &m, size);
	struct bb_traced_call c = bb_trace_decode(KVM_SET_USER_MEMORY_REGION, SP + sizeof(stack) - size, stack, sizeof(stack), SP);
	assert_true(c.args_read);
	assert_int_equal(c.shown[0] & 0xffffffff, 2);
	assert_int_equal(c.shown[1], 0x100000);
	assert_int_equal(c.shown[2], 0x200000);
	/* no stack copied at all */
	c = bb_trace_decode(KVM_SET_USER_MEMORY_REGION, SP, NULL, 0, SP);
	assert_true(c.struct_unread);
}

static void a_value_argument_needs_no_stack(void **state)
{
	(void)state;
	struct bb_traced_call c = bb_trace_decode(KVM_CREATE_VCPU, 3, NULL, 0, SP);
	assert_int_equal(c.op, BB_OP_CREATE_VCPU);
	assert_true(c.args_read);
	assert_int_equal(c.shown[0], 3);
	c = bb_trace_decode(KVM_CREATE_VM, 0, NULL, 0, SP);
	assert_int_equal(c.op, BB_OP_CREATE_VM);
	assert_true(c.on_kvm_fd);
	c = bb_trace_decode(KVM_RUN, 0, NULL, 0, SP);
	assert_int_equal(c.op, BB_OP_RUN);
}

static void one_reg_reads_the_value_it_points_to_only_on_the_stack(void **state)
{
	(void)state;
	uint64_t value = 0x1234;
	struct kvm_one_reg r = { .id = 0x6030000000100000ull, .addr = SP + 64 };
	memcpy(stack, &r, sizeof(r));
	memcpy(stack + 64, &value, sizeof(value));
	struct bb_traced_call c = bb_trace_decode(KVM_SET_ONE_REG, SP, stack, sizeof(stack), SP);
	assert_true(c.args_read);
	assert_int_equal(c.shown[1], 0x6030000000100000ull);
	assert_int_equal(c.shown[2], 0x1234);
	r.addr = 0x1000; /* the value elsewhere: not read */
	memcpy(stack, &r, sizeof(r));
	c = bb_trace_decode(KVM_SET_ONE_REG, SP, stack, sizeof(stack), SP);
	assert_false(c.args_read);
	assert_true(c.struct_unread);
}

static void an_unknown_kvm_request_keeps_its_number(void **state)
{
	(void)state;
	uint64_t request = _IOW(KVMIO, 0xfe, uint64_t);
	assert_true(bb_trace_is_kvm_request(request));
	assert_false(bb_trace_is_kvm_request(0x5401)); /* TCGETS */
	struct bb_traced_call c = bb_trace_decode(request, 0, NULL, 0, SP);
	assert_int_equal(c.op, BB_OP_OTHER);
	assert_int_equal(c.shown[0], request);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_ioeventfd_on_the_stack_is_read),
		cmocka_unit_test(a_struct_not_wholly_on_the_stack_is_not_read),
		cmocka_unit_test(a_value_argument_needs_no_stack),
		cmocka_unit_test(one_reg_reads_the_value_it_points_to_only_on_the_stack),
		cmocka_unit_test(an_unknown_kvm_request_keeps_its_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
