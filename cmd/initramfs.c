/* bootbench initramfs: the Linux guest's initramfs, written to a file. */
#include <stdio.h>

#include "atomic_file.h"
#include "cmd.h"
#include "initramfs.h"
#include "initramfs_options.h"
#include "parse.h"

int cmd_initramfs(int argc, char **argv)
{
	struct bb_initramfs_args a;
	struct bb_atomic_file af;
	struct bb_cpio c;
	char err[1024];
	if (bb_initramfs_parse(argc, argv, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench initramfs: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (a.help) {
		bb_initramfs_usage(stdout);
		return BB_EXIT_OK;
	}
	bb_cpio_init(&c);
	if (bb_linux_initramfs(&c, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench initramfs: %s\n", err);
		bb_cpio_free(&c);
		return BB_EXIT_FAILED;
	}
	int rc = bb_atomic_open(&af, a.out, err, sizeof(err));
	if (rc == 0 && fwrite(c.data, 1, c.len, af.f) != c.len) {
		snprintf(err, sizeof(err), "cannot write %s: free space there or choose another --out", a.out);
		bb_atomic_discard(&af);
		rc = -1;
	}
	if (rc == 0)
		rc = bb_atomic_commit(&af, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "bootbench initramfs: %s\n", err);
	else
		printf("initramfs: %s (%zu bytes)\n", a.out, c.len);
	bb_cpio_free(&c);
	return rc < 0 ? BB_EXIT_FAILED : BB_EXIT_OK;
}
