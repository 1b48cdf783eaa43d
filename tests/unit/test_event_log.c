/* The timed layer: what an event records, how it is described, how a
 * failure reads, and that the log never writes past its storage. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cmocka.h>

#include "kvm_ioctl.h"
#include "kvm_requests.h"

static void describes_ioeventfds(void **state)
{
	(void)state;
	char buf[192];
	struct bb_event e = { .op = BB_OP_IOEVENTFD,
			      .arg = { 0xd0000050, 4 | (uint64_t)KVM_IOEVENTFD_FLAG_DATAMATCH << 32, 3 } };
	bb_event_detail(&e, buf, sizeof(buf));
	assert_string_equal(buf, "mmio addr=0xd0000050 len=4 datamatch=3");
	e.arg[1] = 2 | (uint64_t)(KVM_IOEVENTFD_FLAG_DATAMATCH | KVM_IOEVENTFD_FLAG_PIO) << 32;
	e.arg[0] = 0x8010;
	bb_event_detail(&e, buf, sizeof(buf));
	assert_string_equal(buf, "pio addr=0x8010 len=2 datamatch=3");
	e.arg[1] = 0;
	e.arg[0] = 0xd0000800;
	bb_event_detail(&e, buf, sizeof(buf));
	assert_string_equal(buf, "mmio addr=0xd0000800 len=0");
	struct bb_event m = { .op = BB_OP_SET_USER_MEMORY_REGION, .arg = { 1, 0x100000000ull, 0x200000 } };
	bb_event_detail(&m, buf, sizeof(buf));
	assert_string_equal(buf, "slot=1 gpa=0x100000000 size=0x200000 flags=0x0");
	struct bb_event r = { .op = BB_OP_RUN, .thread = 0, .arg = { KVM_EXIT_MMIO, 0xc0000000 } };
	bb_event_detail(&r, buf, sizeof(buf));
	assert_string_equal(buf, "vcpu=0 exit=MMIO addr=0xc0000000");
}

static void failure_names_ioctl_args_and_errno(void **state)
{
	(void)state;
	char buf[256];
	struct bb_call c = { .op = BB_OP_REGISTER_COALESCED_MMIO, .arg = { 0xe0000000, 0x1000, 0 } };
	bb_call_failure(buf, sizeof(buf), c, ENOSPC);
	assert_string_equal(buf, "KVM_REGISTER_COALESCED_MMIO(mmio addr=0xe0000000 size=0x1000) failed: No space left on device");
}

static void times_a_real_ioctl(void **state)
{
	(void)state;
	struct bb_event_log log;
	struct bb_event *ev = NULL;
	assert_int_equal(bb_event_log_init(&log, 4), 0);
	bb_event_log_reset(&log, bb_now_ns());
	int fd = open("/dev/null", O_RDONLY);
	errno = 0;
	long ret = __bb_ioctl(&log, 3, fd, bb_req_check_extension(7), &ev);
	int errnum = errno;
	close(fd);
	/* /dev/null has no ioctls: the raw result and errno come back intact */
	assert_int_equal(ret, -1);
	assert_int_equal(errnum, ENOTTY);
	assert_non_null(ev);
	assert_int_equal(bb_event_log_count(&log), 1);
	assert_int_equal(ev->op, BB_OP_CHECK_EXTENSION);
	assert_int_equal(ev->thread, 3);
	assert_int_equal(ev->result, -ENOTTY);
	assert_int_equal(ev->arg[0], 7);
	assert_true(ev->start_ns >= 0);
	assert_true(ev->duration_ns >= 0);
	bb_event_log_free(&log);
}

/* The op recorded comes from the request itself, never beside it. */
static void requests_name_their_own_op(void **state)
{
	(void)state;
	struct kvm_ioeventfd io = { .addr = 0xd0000050, .len = 4, .datamatch = 1, .flags = KVM_IOEVENTFD_FLAG_DATAMATCH };
	struct bb_kvm_req r = bb_req_ioeventfd(&io);
	assert_int_equal(r.op, BB_OP_IOEVENTFD);
	assert_int_equal(r.request, KVM_IOEVENTFD);
	assert_ptr_equal(r.arg, &io);
	assert_int_equal(r.shown[0], 0xd0000050);
	assert_int_equal(r.shown[1], 4 | (uint64_t)KVM_IOEVENTFD_FLAG_DATAMATCH << 32);
	assert_int_equal(r.shown[2], 1);
	io.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
	assert_int_equal(bb_req_ioeventfd(&io).op, BB_OP_IOEVENTFD_DEASSIGN);

	struct kvm_regs regs;
	r = bb_req_get_regs(&regs, 2);
	assert_int_equal(r.op, BB_OP_GET_REGS);
	assert_int_equal(r.request, KVM_GET_REGS);
	assert_int_equal(r.shown[0], 2);

	struct kvm_userspace_memory_region m = { .slot = 3, .flags = 1, .guest_phys_addr = 0x1000, .memory_size = 0x2000 };
	r = bb_req_set_user_memory_region(&m);
	assert_int_equal(r.op, BB_OP_SET_USER_MEMORY_REGION);
	assert_int_equal(r.shown[0], 3 | (uint64_t)1 << 32);
	assert_int_equal(r.shown[1], 0x1000);
	assert_int_equal(r.shown[2], 0x2000);
	char detail[160];
	struct bb_call c = bb_req_call(r, BB_THREAD_MAIN);
	struct bb_event e = { .op = (uint16_t)c.op, .arg = { c.arg[0], c.arg[1], c.arg[2] } };
	bb_event_detail(&e, detail, sizeof(detail));
	assert_string_equal(detail, "slot=3 gpa=0x1000 size=0x2000 flags=0x1");
}

struct hammer {
	struct bb_event_log *log;
	int n;
};

static void *hammer(void *arg)
{
	struct hammer *h = arg;
	for (int i = 0; i < h->n; i++) {
		struct bb_event *e = bb_event_log_reserve(h->log);
		if (e)
			e->op = BB_OP_RUN;
	}
	return NULL;
}

static void full_log_counts_drops(void **state)
{
	(void)state;
	struct bb_event_log log;
	assert_int_equal(bb_event_log_init(&log, 1000), 0);
	bb_event_log_reset(&log, 0);
	pthread_t t[4];
	struct hammer h = { &log, 400 };
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, &h);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	/* 1600 reservations from 4 threads: exactly 1000 slots, 600 drops */
	assert_int_equal(bb_event_log_count(&log), 1000);
	assert_int_equal(atomic_load(&log.dropped), 600);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(log.events[i].op, BB_OP_RUN);
	bb_event_log_free(&log);
}

static void every_op_has_a_name(void **state)
{
	(void)state;
	for (int op = 0; op < BB_OP_COUNT; op++) {
		assert_non_null(bb_op_names[op]);
		assert_true(strlen(bb_op_names[op]) > 3);
	}
	assert_string_equal(bb_op_names[BB_OP_IOEVENTFD], "KVM_IOEVENTFD");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(describes_ioeventfds),
		cmocka_unit_test(failure_names_ioctl_args_and_errno),
		cmocka_unit_test(times_a_real_ioctl),
		cmocka_unit_test(requests_name_their_own_op),
		cmocka_unit_test(full_log_counts_drops),
		cmocka_unit_test(every_op_has_a_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
