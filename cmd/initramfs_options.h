/* bootbench initramfs's command line. */
#ifndef BOOTBENCH_INITRAMFS_OPTIONS_H
#define BOOTBENCH_INITRAMFS_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct bb_initramfs_args {
	char out[PATH_MAX];
	bool help;
};

/* Returns 0, or -1 with a one-line error (exit status 2). */
int bb_initramfs_parse(int argc, char **argv, struct bb_initramfs_args *a, char *err, size_t errlen);
void bb_initramfs_usage(FILE *out);

#endif
