/* Little-endian fields of the formats a VMM writes for its guest and
 * reads from its files (the x86 boot protocol, the MP table, virtio's
 * configuration space): bytes wide, whatever the host's byte order. */
#ifndef BOOTBENCH_LITTLE_ENDIAN_H
#define BOOTBENCH_LITTLE_ENDIAN_H

#include <stdint.h>

static inline void bb_put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t bb_get_le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

#endif
