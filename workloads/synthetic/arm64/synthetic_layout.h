/* Where the synthetic guest lives in arm64 guest RAM (which starts at
 * 2 GiB, as Firecracker puts it). guest.ld links the payload at
 * BB_SYN_IMAGE_GPA. */
#ifndef BOOTBENCH_SYNTHETIC_LAYOUT_H
#define BOOTBENCH_SYNTHETIC_LAYOUT_H

#define BB_SYN_RAM_GPA 0x80000000ull
#define BB_SYN_CONFIG_GPA (BB_SYN_RAM_GPA + 0x1000)
#define BB_SYN_IMAGE_GPA (BB_SYN_RAM_GPA + 0x10000)
#define BB_SYN_IMAGE_MAX 0xf0000ull
#define BB_SYN_STACKS_GPA (BB_SYN_RAM_GPA + 0x100000)
#define BB_SYN_STACK_BYTES 0x1000ull

#endif
