/* Kernel addresses to function names, from /proc/kallsyms: read once per
 * run, when the stacks are written. */
#ifndef BOOTBENCH_KALLSYMS_H
#define BOOTBENCH_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

struct bb_kallsyms;

/* NULL where the addresses are hidden (kptr_restrict zeroes them for
 * this user) or the file cannot be read, with one line in why. */
struct bb_kallsyms *bb_kallsyms_load(const char *path, char *why, size_t len);
void bb_kallsyms_free(struct bb_kallsyms *k);
/* The function holding addr, or NULL when it is outside every one. */
const char *bb_kallsyms_name(const struct bb_kallsyms *k, uint64_t addr);
/* A frame as results show it: the function's name, else (no symbols, k
 * NULL, or outside every function) the address as 0x..., written in buf. */
const char *bb_kallsyms_frame(const struct bb_kallsyms *k, uint64_t addr, char *buf, size_t len);

#endif
