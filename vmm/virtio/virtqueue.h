/* A split virtqueue (virtio 1.x, section 2.7) walked from the device's
 * side, over guest memory that the guest controls and may change at any
 * time: every index, length and address it reads is checked before it is
 * used, and a chain that breaks a rule of the spec is refused with the
 * rule, never followed. No KVM here: the I/O thread of a real device
 * pops the chains a kick made available and pushes them back used. */
#ifndef BOOTBENCH_VIRTQUEUE_H
#define BOOTBENCH_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BB_VRING_MAX_NUM 32768u
#define BB_VRING_MAX_CHAIN 128u /* buffers in one chain, an indirect table's included */

#define BB_VRING_DESC_F_NEXT 1u
#define BB_VRING_DESC_F_WRITE 2u
#define BB_VRING_DESC_F_INDIRECT 4u
#define BB_VRING_AVAIL_F_NO_INTERRUPT 1u

/* Guest RAM as the VMM mapped it. */
struct bb_guest_ram {
	uint8_t *base;
	uint64_t gpa, size;
};

/* One queue, as the driver set it up (QueueNum, QueueDesc, QueueDriver,
 * QueueDevice) and as far as the device has walked it. */
struct bb_vring {
	uint32_t num; /* a power of two, at most BB_VRING_MAX_NUM */
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint16_t last_avail; /* the next avail ring slot the device takes */
	uint16_t used_idx;   /* the device's used index */
};

struct bb_vring_buf {
	uint64_t gpa;
	uint32_t len;
	bool device_writes; /* VIRTQ_DESC_F_WRITE: the device fills it */
};

/* One chain: its head (what goes back in the used ring) and its buffers
 * in order, the device-readable ones first. */
struct bb_vring_chain {
	uint16_t head;
	uint32_t n;
	struct bb_vring_buf bufs[BB_VRING_MAX_CHAIN];
	uint64_t readable, writable; /* bytes of each kind */
};

enum bb_vring_result {
	BB_VRING_EMPTY,  /* nothing more is available */
	BB_VRING_CHAIN,  /* *chain holds the next one */
	BB_VRING_BROKEN, /* the driver broke the ring: why says how */
};

/* Whether the queue's three areas lie in RAM, aligned as the spec says. */
int bb_vring_check(const struct bb_vring *vq, const struct bb_guest_ram *ram, char *why, size_t len);
/* The next available chain. After BROKEN the queue is not to be used
 * again until the driver resets the device (virtio's NEEDS_RESET). */
enum bb_vring_result bb_vring_pop(struct bb_vring *vq, const struct bb_guest_ram *ram, struct bb_vring_chain *chain,
				  char *why, size_t len);
/* Returns the chain at head, written bytes filled, to the driver. */
void bb_vring_push(struct bb_vring *vq, const struct bb_guest_ram *ram, uint16_t head, uint32_t written);
/* Whether the driver asked for an interrupt after used buffers (no
 * VIRTIO_F_EVENT_IDX: the avail ring's flag). */
bool bb_vring_wants_interrupt(const struct bb_vring *vq, const struct bb_guest_ram *ram);
/* The host address of len bytes of guest memory at gpa, or NULL where
 * any of them is outside RAM. */
void *bb_guest_ptr(const struct bb_guest_ram *ram, uint64_t gpa, uint64_t len);

#endif
