/* The initramfs bootbench boots its Linux guests with: /init (built for
 * the guest arch, linux/init/init.c), /dev with /dev/console, /proc. */
#ifndef BOOTBENCH_INITRAMFS_H
#define BOOTBENCH_INITRAMFS_H

#include "cpio.h"

/* c: initialised and empty; finished on return 0. */
int bb_linux_initramfs(struct bb_cpio *c, char *why, size_t len);

#endif
