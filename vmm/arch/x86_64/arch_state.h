/* x86_64 keeps no per-VM state beyond the generic VM's. */
#ifndef BOOTBENCH_ARCH_STATE_H
#define BOOTBENCH_ARCH_STATE_H

struct bb_arch_state {
	int unused;
};

static inline void bb_arch_state_reset(struct bb_arch_state *s)
{
	(void)s;
}

#endif
