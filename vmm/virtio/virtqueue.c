#include "virtqueue.h"

#include <stdio.h>
#include <string.h>

/* struct virtq_desc: le64 addr, le32 len, le16 flags, le16 next */
#define DESC_SIZE 16u

void *bb_guest_ptr(const struct bb_guest_ram *ram, uint64_t gpa, uint64_t len)
{
	if (gpa < ram->gpa || len > ram->size || gpa - ram->gpa > ram->size - len)
		return NULL;
	return ram->base + (gpa - ram->gpa);
}

int bb_vring_check(const struct bb_vring *vq, const struct bb_guest_ram *ram, char *why, size_t len)
{
	if (vq->num == 0 || vq->num > BB_VRING_MAX_NUM || (vq->num & (vq->num - 1))) {
		snprintf(why, len, "queue size %u is not a power of two from 1 to %u", vq->num, BB_VRING_MAX_NUM);
		return -1;
	}
	/* alignment: descriptors 16, avail 2, used 4 (2.7, Table 2.2) */
	if (vq->desc_gpa % 16 || vq->avail_gpa % 2 || vq->used_gpa % 4) {
		snprintf(why, len, "a ring is misaligned (desc 0x%llx, avail 0x%llx, used 0x%llx)",
			 (unsigned long long)vq->desc_gpa, (unsigned long long)vq->avail_gpa,
			 (unsigned long long)vq->used_gpa);
		return -1;
	}
	/* with the used_event / avail_event words, whether used or not */
	if (!bb_guest_ptr(ram, vq->desc_gpa, (uint64_t)DESC_SIZE * vq->num) ||
	    !bb_guest_ptr(ram, vq->avail_gpa, 6 + 2ull * vq->num) ||
	    !bb_guest_ptr(ram, vq->used_gpa, 6 + 8ull * vq->num)) {
		snprintf(why, len, "a ring lies outside guest RAM (desc 0x%llx, avail 0x%llx, used 0x%llx, %u entries)",
			 (unsigned long long)vq->desc_gpa, (unsigned long long)vq->avail_gpa,
			 (unsigned long long)vq->used_gpa, vq->num);
		return -1;
	}
	return 0;
}

static uint16_t load16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* The guest writes the rings concurrently: each field is read once, by
 * value, and never trusted beyond the checks after it. */
static uint16_t load16_acquire(const uint8_t *p)
{
	return __atomic_load_n((const uint16_t *)(const void *)p, __ATOMIC_ACQUIRE);
}

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static struct desc read_desc(const uint8_t *table, uint32_t i)
{
	struct desc d;
	const uint8_t *p = table + (size_t)i * DESC_SIZE;
	memcpy(&d.addr, p, 8);
	memcpy(&d.len, p + 8, 4);
	memcpy(&d.flags, p + 12, 2);
	memcpy(&d.next, p + 14, 2);
	return d;
}

static enum bb_vring_result broken(char *why, size_t len, const char *fmt, unsigned a, unsigned b)
{
	snprintf(why, len, fmt, a, b);
	return BB_VRING_BROKEN;
}

/* Adds one buffer, checking it lies in RAM and keeps readable before writable. */
static enum bb_vring_result add_buf(const struct bb_guest_ram *ram, struct bb_vring_chain *c, const struct desc *d,
				    char *why, size_t len)
{
	bool writes = d->flags & BB_VRING_DESC_F_WRITE;
	if (c->n == BB_VRING_MAX_CHAIN)
		return broken(why, len, "a chain from head %u has more than %u buffers", c->head, BB_VRING_MAX_CHAIN);
	if (!bb_guest_ptr(ram, d->addr, d->len))
		return broken(why, len, "a buffer of chain %u (%u bytes) lies outside guest RAM", c->head, d->len);
	/* by the buffer's flag, not the bytes: a writable one may be empty */
	if (!writes && c->n && c->bufs[c->n - 1].device_writes)
		return broken(why, len, "chain %u has a device-readable buffer after a writable one (buffer %u)", c->head, c->n);
	c->bufs[c->n++] = (struct bb_vring_buf){ .gpa = d->addr, .len = d->len, .device_writes = writes };
	if (writes)
		c->writable += d->len;
	else
		c->readable += d->len;
	return BB_VRING_CHAIN;
}

/* The buffers of an indirect table (2.7.5.3): no nesting, no loops. */
static enum bb_vring_result walk_indirect(const struct bb_guest_ram *ram, struct bb_vring_chain *c, const struct desc *d,
					  char *why, size_t len)
{
	if (d->len == 0 || d->len % DESC_SIZE)
		return broken(why, len, "chain %u's indirect table is %u bytes, not a whole number of descriptors", c->head, d->len);
	uint32_t entries = d->len / DESC_SIZE;
	const uint8_t *table = bb_guest_ptr(ram, d->addr, d->len);
	if (!table)
		return broken(why, len, "chain %u's indirect table (%u bytes) lies outside guest RAM", c->head, d->len);
	uint32_t i = 0;
	for (uint32_t steps = 0;; steps++) {
		if (steps == entries)
			return broken(why, len, "chain %u's indirect table loops (%u entries)", c->head, entries);
		struct desc e = read_desc(table, i);
		if (e.flags & BB_VRING_DESC_F_INDIRECT)
			return broken(why, len, "chain %u nests an indirect table in another (entry %u)", c->head, i);
		if (add_buf(ram, c, &e, why, len) != BB_VRING_CHAIN)
			return BB_VRING_BROKEN;
		if (!(e.flags & BB_VRING_DESC_F_NEXT))
			return BB_VRING_CHAIN;
		if (e.next >= entries)
			return broken(why, len, "chain %u's indirect entry points past its table (next %u)", c->head, e.next);
		i = e.next;
	}
}

enum bb_vring_result bb_vring_pop(struct bb_vring *vq, const struct bb_guest_ram *ram, struct bb_vring_chain *chain,
				  char *why, size_t len)
{
	if (bb_vring_check(vq, ram, why, len) < 0)
		return BB_VRING_BROKEN;
	const uint8_t *avail = bb_guest_ptr(ram, vq->avail_gpa, 6 + 2ull * vq->num);
	const uint8_t *table = bb_guest_ptr(ram, vq->desc_gpa, (uint64_t)DESC_SIZE * vq->num);
	uint16_t avail_idx = load16_acquire(avail + 2);
	uint16_t pending = (uint16_t)(avail_idx - vq->last_avail);
	if (pending == 0)
		return BB_VRING_EMPTY;
	if (pending > vq->num)
		return broken(why, len, "the driver made %u buffers available in a ring of %u", pending, vq->num);
	uint16_t head = load16(avail + 4 + (size_t)2 * (vq->last_avail & (vq->num - 1)));
	if (head >= vq->num)
		return broken(why, len, "avail ring entry %u names descriptor %u", vq->last_avail & (vq->num - 1), head);
	chain->head = head;
	chain->n = 0;
	chain->readable = chain->writable = 0;
	uint32_t i = head;
	for (uint32_t steps = 0;; steps++) {
		if (steps == vq->num)
			return broken(why, len, "chain %u loops (more than the ring's %u descriptors)", head, vq->num);
		struct desc d = read_desc(table, i);
		if (d.flags & BB_VRING_DESC_F_INDIRECT) {
			if (d.flags & BB_VRING_DESC_F_NEXT)
				return broken(why, len, "descriptor %u of chain %u is both indirect and chained", i, head);
			if (walk_indirect(ram, chain, &d, why, len) != BB_VRING_CHAIN)
				return BB_VRING_BROKEN;
			break;
		}
		if (add_buf(ram, chain, &d, why, len) != BB_VRING_CHAIN)
			return BB_VRING_BROKEN;
		if (!(d.flags & BB_VRING_DESC_F_NEXT))
			break;
		if (d.next >= vq->num)
			return broken(why, len, "descriptor %u of a chain points past the ring (next %u)", i, d.next);
		i = d.next;
	}
	vq->last_avail++;
	return BB_VRING_CHAIN;
}

void bb_vring_push(struct bb_vring *vq, const struct bb_guest_ram *ram, uint16_t head, uint32_t written)
{
	uint8_t *used = bb_guest_ptr(ram, vq->used_gpa, 6 + 8ull * vq->num);
	if (!used)
		return;
	uint8_t *elem = used + 4 + (size_t)8 * (vq->used_idx & (vq->num - 1));
	uint32_t id = head;
	memcpy(elem, &id, 4);
	memcpy(elem + 4, &written, 4);
	vq->used_idx++;
	/* the element before the index that publishes it */
	__atomic_store_n((uint16_t *)(void *)(used + 2), vq->used_idx, __ATOMIC_RELEASE);
}

bool bb_vring_wants_interrupt(const struct bb_vring *vq, const struct bb_guest_ram *ram)
{
	const uint8_t *avail = bb_guest_ptr(ram, vq->avail_gpa, 2);
	return !avail || !(load16_acquire(avail) & BB_VRING_AVAIL_F_NO_INTERRUPT);
}
