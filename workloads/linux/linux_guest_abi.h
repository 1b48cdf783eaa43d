/* What bootbench's VMM and the Linux guest's /init agree on, beyond the
 * boot timer of guest_abi.h: the pattern in each disk's first block and
 * the error codes init reports. */
#ifndef BOOTBENCH_LINUX_GUEST_ABI_H
#define BOOTBENCH_LINUX_GUEST_ABI_H

#include <stdint.h>

/* init reads this much of each disk and compares it */
#define BB_LINUX_CHECK_BYTES 4096u

enum bb_linux_guest_error {
	BB_LINUX_ERR_NO_DISK = 0x100,   /* /dev/vdX did not appear */
	BB_LINUX_ERR_SHORT_READ = 0x101, /* the disk gave less than a block */
	BB_LINUX_ERR_MISMATCH = 0x102,  /* the block is not what the VMM wrote */
	BB_LINUX_ERR_CPUS = 0x103,      /* fewer CPUs online than bootbench.cpus= (the argument: how many) */
};

/* Byte i of disk d's first block: different per disk, per run (seed) and
 * per offset, so a block from the wrong disk or offset is caught. */
static inline uint8_t bb_linux_check_byte(uint32_t seed, uint32_t disk, uint32_t i)
{
	uint32_t x = seed ^ (disk * 0x9e3779b9u) ^ (i * 0x85ebca6bu);
	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return (uint8_t)x;
}

#endif
