/* The split virtqueue walker over guest memory the guest fills as it
 * likes, and the virtio-blk device behind it: the input is the rings' RAM
 * (the first bytes also choose the queue size, the ring addresses and
 * where the device is in the ring). Every chain popped lies in RAM, holds
 * its readable buffers first and at most BB_VRING_MAX_CHAIN of them;
 * popping ends; each chain, executed as a virtio-blk request on a small
 * in-memory disk, never touches the disk past its end or the chain past
 * its buffers; pushing stays in the used ring. */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_target.h"
#include "virtio_blk_request.h"
#include "virtqueue.h"

#define DISK_SECTORS 8u
#define DISK_BYTES ((off_t)DISK_SECTORS * BB_SECTOR)

#define RAM_GPA 0x80000000ull
#define RAM_SIZE 0x4000u

static _Alignas(4096) uint8_t ram_bytes[RAM_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	memset(ram_bytes, 0, sizeof(ram_bytes));
	memcpy(ram_bytes, data, size < RAM_SIZE ? size : RAM_SIZE);
	struct bb_guest_ram ram = { ram_bytes, RAM_GPA, RAM_SIZE };
	struct bb_vring vq = {
		.num = 1u << (data[0] % 9), /* 1 to 256 */
		/* anywhere in (or just past) RAM, aligned or not */
		.desc_gpa = RAM_GPA + (uint64_t)data[1] * 64,
		.avail_gpa = RAM_GPA + (uint64_t)data[2] * 64 + (data[5] & 1),
		.used_gpa = RAM_GPA + (uint64_t)data[3] * 64,
	};
	memcpy(&vq.last_avail, data + 6, 2);
	vq.used_idx = vq.last_avail;
	static struct bb_vring_chain chain;
	static struct bb_blk_disk disk = { .fd = -1, .sectors = DISK_SECTORS, .id = "fuzz" };
	if (disk.fd < 0) {
		disk.fd = memfd_create("bb-fuzz-disk", 0);
		if (disk.fd < 0 || ftruncate(disk.fd, DISK_BYTES) < 0)
			abort();
	}
	char why[256];
	for (unsigned pops = 0; pops <= 2 * vq.num + 1; pops++) {
		enum bb_vring_result r = bb_vring_pop(&vq, &ram, &chain, why, sizeof(why));
		if (r == BB_VRING_BROKEN) {
			expect_one_line_error(why);
			break;
		}
		if (r == BB_VRING_EMPTY)
			break;
		if (chain.n > BB_VRING_MAX_CHAIN || chain.head >= vq.num)
			abort();
		bool writable = false;
		for (uint32_t i = 0; i < chain.n; i++) {
			if (!bb_guest_ptr(&ram, chain.bufs[i].gpa, chain.bufs[i].len))
				abort();
			if (writable && !chain.bufs[i].device_writes)
				abort();
			writable |= chain.bufs[i].device_writes;
		}
		struct bb_blk_outcome done = bb_virtio_blk_execute(&disk, &ram, &chain);
		if (done.status != 0xff && done.written > chain.writable)
			abort();
		if (lseek(disk.fd, 0, SEEK_END) != DISK_BYTES) /* never written past its end */
			abort();
		bb_vring_push(&vq, &ram, chain.head, done.written);
		(void)bb_vring_wants_interrupt(&vq, &ram);
	}
	return 0;
}
