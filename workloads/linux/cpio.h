/* The initramfs bootbench packs for a Linux guest: a cpio archive in the
 * "newc" format the kernel unpacks (Documentation/driver-api/early-
 * userspace/buffer-format.rst), written in memory, entries in the order
 * given. Device nodes are written as entries, so no root is needed to
 * make /dev/console. */
#ifndef BOOTBENCH_CPIO_H
#define BOOTBENCH_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bb_cpio {
	uint8_t *data;
	size_t len, cap;
	uint32_t next_ino;
};

void bb_cpio_init(struct bb_cpio *c);
void bb_cpio_free(struct bb_cpio *c);
/* Each returns 0, or -1 with why filled (a bad name, too large a file,
 * out of memory). name is relative ("init", "dev/console"), without "..". */
int bb_cpio_dir(struct bb_cpio *c, const char *name, uint32_t perm, char *why, size_t len);
int bb_cpio_file(struct bb_cpio *c, const char *name, uint32_t perm, const void *data, size_t size, char *why, size_t len);
int bb_cpio_char_device(struct bb_cpio *c, const char *name, uint32_t perm, uint32_t major, uint32_t minor, char *why,
			size_t len);
/* The trailer that ends the archive. */
int bb_cpio_finish(struct bb_cpio *c, char *why, size_t len);

#endif
