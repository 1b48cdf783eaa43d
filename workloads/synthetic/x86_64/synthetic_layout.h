/* Where the synthetic guest lives in x86_64 guest RAM (which starts at 0).
 * guest.ld links the payload at BB_SYN_IMAGE_GPA; the arch's page tables
 * sit below the config block, at 0x1000..0x6fff. */
#ifndef BOOTBENCH_SYNTHETIC_LAYOUT_H
#define BOOTBENCH_SYNTHETIC_LAYOUT_H

#define BB_SYN_RAM_GPA 0x0ull
#define BB_SYN_CONFIG_GPA 0x7000ull
#define BB_SYN_IMAGE_GPA 0x10000ull
#define BB_SYN_IMAGE_MAX 0xf0000ull
#define BB_SYN_STACKS_GPA 0x100000ull /* 4 KiB per vCPU, upwards */
#define BB_SYN_STACK_BYTES 0x1000ull

#endif
