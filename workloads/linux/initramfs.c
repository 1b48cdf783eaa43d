#include "initramfs.h"

#include <stdint.h>

extern const unsigned char bb_linux_init[];
extern const uint64_t bb_linux_init_size;

int bb_linux_initramfs(struct bb_cpio *c, char *why, size_t len)
{
	if (bb_cpio_dir(c, "dev", 0755, why, len) < 0 ||
	    /* the kernel opens it for init's stdin, stdout and stderr before devtmpfs is mounted */
	    bb_cpio_char_device(c, "dev/console", 0600, 5, 1, why, len) < 0 || bb_cpio_dir(c, "proc", 0555, why, len) < 0 ||
	    bb_cpio_file(c, "init", 0755, bb_linux_init, (size_t)bb_linux_init_size, why, len) < 0)
		return -1;
	return bb_cpio_finish(c, why, len);
}
