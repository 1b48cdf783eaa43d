/* What the firmware tables a VMM writes for an x86 guest (the MP table,
 * ACPI's) share: signatures and names without their NUL, and a checksum
 * byte that makes the bytes of a table sum to zero. */
#ifndef BOOTBENCH_TABLE_BYTES_H
#define BOOTBENCH_TABLE_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void bb_table_chars(uint8_t *p, const char *text, size_t n)
{
	memcpy(p, text, n);
}

static inline uint8_t bb_table_checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)-sum;
}

#endif
