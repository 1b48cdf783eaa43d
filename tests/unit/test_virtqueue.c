/* The split virtqueue walker on rings laid out in a buffer standing in
 * for guest RAM: chains, indirect tables, the 16-bit indices wrapping,
 * used buffers going back, and each malformed ring a guest can make
 * refused with its rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "virtqueue.h"

#define RAM_GPA 0x40000000ull
#define RAM_SIZE 0x10000u
#define NUM 8u
#define DESC 0x1000u
#define AVAIL 0x2000u
#define USED 0x3000u
#define DATA 0x4000u

static _Alignas(4096) uint8_t ram_bytes[RAM_SIZE];
static struct bb_guest_ram ram = { ram_bytes, RAM_GPA, RAM_SIZE };
static struct bb_vring vq;
static struct bb_vring_chain chain;
static char why[256];

static void put_desc(uint8_t *table, uint32_t i, uint64_t gpa, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *p = table + (size_t)16 * i;
	memcpy(p, &gpa, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

static void set_desc(uint32_t i, uint64_t gpa, uint32_t len, uint16_t flags, uint16_t next)
{
	put_desc(ram_bytes + DESC, i, gpa, len, flags, next);
}

/* The driver makes head available at the next slot. */
static uint16_t avail_idx;
static void offer(uint16_t head)
{
	memcpy(ram_bytes + AVAIL + 4 + (size_t)2 * (avail_idx % NUM), &head, 2);
	avail_idx++;
	memcpy(ram_bytes + AVAIL + 2, &avail_idx, 2);
}

static int setup(void **state)
{
	(void)state;
	memset(ram_bytes, 0, sizeof(ram_bytes));
	vq = (struct bb_vring){ .num = NUM, .desc_gpa = RAM_GPA + DESC, .avail_gpa = RAM_GPA + AVAIL, .used_gpa = RAM_GPA + USED };
	avail_idx = 0;
	why[0] = '\0';
	return 0;
}

static void expect_broken(const char *rule)
{
	assert_int_equal(bb_vring_pop(&vq, &ram, &chain, why, sizeof(why)), BB_VRING_BROKEN);
	if (!strstr(why, rule))
		fail_msg("expected '%s', got '%s'", rule, why);
}

static void a_blk_request_chain_is_walked_in_order(void **state)
{
	(void)state;
	/* header (readable), data (writable), status (writable) */
	set_desc(0, RAM_GPA + DATA, 16, BB_VRING_DESC_F_NEXT, 1);
	set_desc(1, RAM_GPA + DATA + 512, 512, BB_VRING_DESC_F_NEXT | BB_VRING_DESC_F_WRITE, 2);
	set_desc(2, RAM_GPA + DATA + 1024, 1, BB_VRING_DESC_F_WRITE, 0);
	assert_int_equal(bb_vring_pop(&vq, &ram, &chain, why, sizeof(why)), BB_VRING_EMPTY);
	offer(0);
	assert_int_equal(bb_vring_pop(&vq, &ram, &chain, why, sizeof(why)), BB_VRING_CHAIN);
	assert_int_equal(chain.head, 0);
	assert_int_equal(chain.n, 3);
	assert_int_equal(chain.readable, 16);
	assert_int_equal(chain.writable, 513);
	assert_false(chain.bufs[0].device_writes);
	assert_true(chain.bufs[2].device_writes);
	assert_int_equal(chain.bufs[1].gpa, RAM_GPA + DATA + 512);
	assert_int_equal(bb_vring_pop(&vq, &ram, &chain, why, sizeof(why)), BB_VRING_EMPTY);
	bb_vring_push(&vq, &ram, 0, 513);
	uint16_t used_idx;
	uint32_t id, len;
	memcpy(&used_idx, ram_bytes + USED + 2, 2);
	memcpy(&id, ram_bytes + USED + 4, 4);
	memcpy(&len, ram_bytes + USED + 8, 4);
	assert_int_equal(used_idx, 1);
	assert_int_equal(id, 0);
	assert_int_equal(len, 513);
}

static void indices_wrap_around_at_65536(void **state)
{
	(void)state;
	set_desc(3, RAM_GPA + DATA, 64, 0, 0);
	/* both sides far along, about to wrap */
	avail_idx = 65534;
	vq.last_avail = 65534;
	vq.used_idx = 65534;
	for (int k = 0; k < 4; k++) {
		offer(3);
		assert_int_equal(bb_vring_pop(&vq, &ram, &chain, why, sizeof(why)), BB_VRING_CHAIN);
		assert_int_equal(chain.head, 3);
		bb_vring_push(&vq, &ram, 3, 0);
	}
	assert_int_equal(vq.last_avail, 2);
	uint16_t used_idx;
	memcpy(&used_idx, ram_bytes + USED + 2, 2);
	assert_int_equal(used_idx, 2);
	assert_int_equal(bb_vring_pop(&vq, &ram, &chain, why, sizeof(why)), BB_VRING_EMPTY);
}

static void an_indirect_table_is_followed(void **state)
{
	(void)state;
	put_desc(ram_bytes + DATA, 0, RAM_GPA + DATA + 0x800, 16, BB_VRING_DESC_F_NEXT, 1);
	put_desc(ram_bytes + DATA, 1, RAM_GPA + DATA + 0x900, 256, BB_VRING_DESC_F_WRITE, 0);
	set_desc(5, RAM_GPA + DATA, 32, BB_VRING_DESC_F_INDIRECT, 0);
	offer(5);
	assert_int_equal(bb_vring_pop(&vq, &ram, &chain, why, sizeof(why)), BB_VRING_CHAIN);
	assert_int_equal(chain.head, 5);
	assert_int_equal(chain.n, 2);
	assert_int_equal(chain.readable, 16);
	assert_int_equal(chain.writable, 256);
}

static void a_looping_chain_is_refused(void **state)
{
	(void)state;
	set_desc(0, RAM_GPA + DATA, 8, BB_VRING_DESC_F_NEXT, 1);
	set_desc(1, RAM_GPA + DATA, 8, BB_VRING_DESC_F_NEXT, 0);
	offer(0);
	expect_broken("chain 0 loops");
}

static void each_malformed_ring_is_refused_with_its_rule(void **state)
{
	(void)state;
	/* a buffer outside RAM, one wrapping the address space */
	set_desc(0, RAM_GPA + RAM_SIZE - 4, 8, 0, 0);
	offer(0);
	expect_broken("lies outside guest RAM");
	setup(NULL);
	set_desc(0, UINT64_MAX - 2, 8, 0, 0);
	offer(0);
	expect_broken("lies outside guest RAM");
	/* a next past the ring, a head past the ring */
	setup(NULL);
	set_desc(0, RAM_GPA + DATA, 8, BB_VRING_DESC_F_NEXT, NUM);
	offer(0);
	expect_broken("points past the ring");
	setup(NULL);
	offer(NUM + 3);
	expect_broken("names descriptor 11");
	/* readable after writable */
	setup(NULL);
	set_desc(0, RAM_GPA + DATA, 8, BB_VRING_DESC_F_NEXT | BB_VRING_DESC_F_WRITE, 1);
	set_desc(1, RAM_GPA + DATA, 8, 0, 0);
	offer(0);
	expect_broken("device-readable buffer after a writable one");
	/* the same with the writable buffer empty (a fuzzer found it) */
	setup(NULL);
	set_desc(0, RAM_GPA + DATA, 0, BB_VRING_DESC_F_NEXT | BB_VRING_DESC_F_WRITE, 1);
	set_desc(1, RAM_GPA + DATA, 8, 0, 0);
	offer(0);
	expect_broken("device-readable buffer after a writable one");
	/* indirect and next both; an indirect table of a ragged size; nested */
	setup(NULL);
	set_desc(0, RAM_GPA + DATA, 16, BB_VRING_DESC_F_INDIRECT | BB_VRING_DESC_F_NEXT, 1);
	offer(0);
	expect_broken("both indirect and chained");
	setup(NULL);
	set_desc(0, RAM_GPA + DATA, 20, BB_VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("not a whole number of descriptors");
	setup(NULL);
	put_desc(ram_bytes + DATA, 0, RAM_GPA + DATA, 16, BB_VRING_DESC_F_INDIRECT, 0);
	set_desc(0, RAM_GPA + DATA, 16, BB_VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("nests an indirect table");
	/* more available than the ring holds */
	setup(NULL);
	avail_idx = NUM + 1;
	memcpy(ram_bytes + AVAIL + 2, &avail_idx, 2);
	expect_broken("made 9 buffers available in a ring of 8");
}

static void rings_outside_ram_or_misaligned_are_refused(void **state)
{
	(void)state;
	vq.num = 6;
	expect_broken("not a power of two");
	vq.num = NUM;
	vq.used_gpa = RAM_GPA + USED + 2;
	expect_broken("misaligned");
	vq.used_gpa = RAM_GPA + RAM_SIZE - 16;
	expect_broken("outside guest RAM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(a_blk_request_chain_is_walked_in_order, setup),
		cmocka_unit_test_setup(indices_wrap_around_at_65536, setup),
		cmocka_unit_test_setup(an_indirect_table_is_followed, setup),
		cmocka_unit_test_setup(a_looping_chain_is_refused, setup),
		cmocka_unit_test_setup(each_malformed_ring_is_refused_with_its_rule, setup),
		cmocka_unit_test_setup(rings_outside_ram_or_misaligned_are_refused, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
