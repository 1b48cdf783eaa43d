/* virtio-blk requests on a real backing file: reads and writes land at
 * their sector in the file and in guest memory, however the driver splits
 * its buffers; FLUSH and GET_ID answer; and every request that breaks a
 * rule (past the disk's end, a partial sector, a write to a read-only
 * disk, a short header, an unknown type, no status byte) gets its status
 * without touching the disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "virtio_blk_request.h"

#define RAM_GPA 0x10000000ull
#define RAM_SIZE 0x20000u
#define SECTORS 64u

static _Alignas(4096) uint8_t ram_bytes[RAM_SIZE];
static struct bb_guest_ram ram = { ram_bytes, RAM_GPA, RAM_SIZE };
static struct bb_blk_disk disk;
static struct bb_vring_chain chain;
static char path[64];

static int setup(void **state)
{
	(void)state;
	memset(ram_bytes, 0, sizeof(ram_bytes));
	snprintf(path, sizeof(path), "/tmp/bb-blk-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static uint8_t content[SECTORS * BB_SECTOR];
	for (size_t i = 0; i < sizeof(content); i++)
		content[i] = (uint8_t)(i / BB_SECTOR + i);
	assert_int_equal(write(fd, content, sizeof(content)), (ssize_t)sizeof(content));
	disk = (struct bb_blk_disk){ .fd = fd, .sectors = SECTORS, .id = "bootbench-disk0" };
	chain = (struct bb_vring_chain){ 0 };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(disk.fd);
	unlink(path);
	return 0;
}

/* Adds a buffer at offset off of RAM; its kind counted as the walker does. */
static void buf(uint32_t off, uint32_t len, bool writes)
{
	chain.bufs[chain.n++] = (struct bb_vring_buf){ RAM_GPA + off, len, writes };
	if (writes)
		chain.writable += len;
	else
		chain.readable += len;
}

static void header_at(uint32_t off, uint32_t type, uint64_t sector)
{
	memcpy(ram_bytes + off, &type, 4);
	memcpy(ram_bytes + off + 8, &sector, 8);
}

static void a_read_split_across_buffers_fills_them_in_order(void **state)
{
	(void)state;
	header_at(0x100, BB_VIRTIO_BLK_T_IN, 3);
	buf(0x100, 16, false);
	buf(0x1000, 256, true); /* one sector, split in two */
	buf(0x2000, 256, true);
	buf(0x3000, 1, true);
	struct bb_blk_outcome r = bb_virtio_blk_execute(&disk, &ram, &chain);
	assert_int_equal(r.status, BB_VIRTIO_BLK_S_OK);
	assert_int_equal(r.written, 513);
	assert_int_equal(ram_bytes[0x3000], BB_VIRTIO_BLK_S_OK);
	for (uint32_t i = 0; i < 512; i++) {
		uint8_t want = (uint8_t)(3 + 3 * BB_SECTOR + i);
		uint8_t got = i < 256 ? ram_bytes[0x1000 + i] : ram_bytes[0x2000 + i - 256];
		if (got != want)
			fail_msg("byte %u of sector 3: 0x%02x, the file has 0x%02x", i, got, want);
	}
}

static void a_write_lands_at_its_sector(void **state)
{
	(void)state;
	/* the header itself split in two buffers, the data after it in the second */
	header_at(0x100, BB_VIRTIO_BLK_T_OUT, 10);
	memset(ram_bytes + 0x800, 0xab, 1024);
	memcpy(ram_bytes + 0x7f8, ram_bytes + 0x108, 8); /* the sector half, just before the data */
	buf(0x100, 8, false);
	buf(0x7f8, 8 + 1024, false);
	buf(0x3000, 1, true);
	struct bb_blk_outcome r = bb_virtio_blk_execute(&disk, &ram, &chain);
	assert_int_equal(r.status, BB_VIRTIO_BLK_S_OK);
	assert_int_equal(r.written, 1);
	uint8_t back[1024 + 2];
	assert_int_equal(pread(disk.fd, back, sizeof(back), 10 * BB_SECTOR - 1), (ssize_t)sizeof(back));
	assert_int_equal(back[0], (uint8_t)(9 + 10 * BB_SECTOR - 1)); /* sector 9 untouched */
	for (int i = 1; i <= 1024; i++)
		assert_int_equal(back[i], 0xab);
	assert_int_equal(back[1025], (uint8_t)(12 + 12 * BB_SECTOR)); /* sector 12 untouched */
}

static void flush_and_get_id_answer(void **state)
{
	(void)state;
	header_at(0x100, BB_VIRTIO_BLK_T_GET_ID, 0);
	buf(0x100, 16, false);
	buf(0x1000, BB_VIRTIO_BLK_ID_BYTES, true);
	buf(0x3000, 1, true);
	struct bb_blk_outcome r = bb_virtio_blk_execute(&disk, &ram, &chain);
	assert_int_equal(r.status, BB_VIRTIO_BLK_S_OK);
	assert_string_equal((const char *)ram_bytes + 0x1000, "bootbench-disk0");
	chain = (struct bb_vring_chain){ 0 };
	header_at(0x100, BB_VIRTIO_BLK_T_FLUSH, 0);
	buf(0x100, 16, false);
	buf(0x3000, 1, true);
	assert_int_equal(bb_virtio_blk_execute(&disk, &ram, &chain).status, BB_VIRTIO_BLK_S_OK);
}

static void expect(uint8_t status, const char *why)
{
	ram_bytes[0x3000] = 0xee;
	struct bb_blk_outcome r = bb_virtio_blk_execute(&disk, &ram, &chain);
	assert_int_equal(r.status, status);
	assert_int_equal(ram_bytes[0x3000], status);
	if (!r.why || !strstr(r.why, why))
		fail_msg("expected '%s', got '%s'", why, r.why ? r.why : "(none)");
	chain = (struct bb_vring_chain){ 0 };
}

static void each_bad_request_gets_its_status_and_leaves_the_disk(void **state)
{
	(void)state;
	uint8_t before[SECTORS * BB_SECTOR], after[SECTORS * BB_SECTOR];
	assert_int_equal(pread(disk.fd, before, sizeof(before), 0), (ssize_t)sizeof(before));
	memset(ram_bytes + 0x1000, 0x77, 4096);

	header_at(0x100, BB_VIRTIO_BLK_T_OUT, SECTORS - 1); /* two sectors from the last */
	buf(0x100, 16, false);
	buf(0x1000, 1024, false);
	buf(0x3000, 1, true);
	expect(BB_VIRTIO_BLK_S_IOERR, "past the end of the disk");
	header_at(0x100, BB_VIRTIO_BLK_T_IN, UINT64_MAX - 1); /* sector * 512 would wrap */
	buf(0x100, 16, false);
	buf(0x1000, 512, true);
	buf(0x3000, 1, true);
	expect(BB_VIRTIO_BLK_S_IOERR, "past the end of the disk");
	header_at(0x100, BB_VIRTIO_BLK_T_OUT, 0);
	buf(0x100, 16, false);
	buf(0x1000, 100, false);
	buf(0x3000, 1, true);
	expect(BB_VIRTIO_BLK_S_IOERR, "not a whole number of sectors");
	buf(0x100, 12, false);
	buf(0x3000, 1, true);
	expect(BB_VIRTIO_BLK_S_IOERR, "shorter than 16 bytes");
	header_at(0x100, 99, 0);
	buf(0x100, 16, false);
	buf(0x3000, 1, true);
	expect(BB_VIRTIO_BLK_S_UNSUPP, "does not offer");
	disk.read_only = true;
	header_at(0x100, BB_VIRTIO_BLK_T_OUT, 0);
	buf(0x100, 16, false);
	buf(0x1000, 512, false);
	buf(0x3000, 1, true);
	expect(BB_VIRTIO_BLK_S_IOERR, "read-only");
	disk.read_only = false;
	/* no writable status byte: nothing can be said, nothing is done */
	header_at(0x100, BB_VIRTIO_BLK_T_OUT, 0);
	buf(0x100, 16, false);
	buf(0x1000, 512, false);
	struct bb_blk_outcome r = bb_virtio_blk_execute(&disk, &ram, &chain);
	assert_int_equal(r.status, 0xff);
	assert_int_equal(r.written, 0);
	assert_int_equal(pread(disk.fd, after, sizeof(after), 0), (ssize_t)sizeof(after));
	assert_memory_equal(before, after, sizeof(before));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_read_split_across_buffers_fills_them_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(a_write_lands_at_its_sector, setup, teardown),
		cmocka_unit_test_setup_teardown(flush_and_get_id_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(each_bad_request_gets_its_status_and_leaves_the_disk, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
