/* arm64's per-VM state: the vGIC and ITS device fds, and the vCPU target
 * KVM prefers. */
#ifndef BOOTBENCH_ARCH_STATE_H
#define BOOTBENCH_ARCH_STATE_H

#include <linux/kvm.h>

struct bb_arch_state {
	int vgic_fd;
	int its_fd;
	struct kvm_vcpu_init preferred;
};

static inline void bb_arch_state_reset(struct bb_arch_state *s)
{
	s->vgic_fd = s->its_fd = -1;
}

#endif
