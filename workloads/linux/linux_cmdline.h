/* The Linux guest's kernel command line (linux_cmdline.c). */
#ifndef BOOTBENCH_LINUX_CMDLINE_H
#define BOOTBENCH_LINUX_CMDLINE_H

#include <stddef.h>

#include "profile.h"
#include "workload.h"

/* The whole command line the guest boots with, into buf; its length
 * without the NUL (which may be len or more: then it did not fit). */
size_t bb_linux_cmdline(const struct bb_profile *p, const struct bb_machine *m, char *buf, size_t len);

#endif
