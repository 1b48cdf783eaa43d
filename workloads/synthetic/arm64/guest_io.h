/* arm64 guest accessors. The guest runs with the MMU off, so every data
 * access is Device memory; each MMIO access is one plain LDR/STR written
 * in assembly, so the data abort carries a valid syndrome (ISV) that KVM
 * can decode into an MMIO exit. */
#ifndef BOOTBENCH_GUEST_IO_H
#define BOOTBENCH_GUEST_IO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t addr, uint32_t value)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(value), "r"(addr) : "memory");
}

static inline void mmio_write8(uint64_t addr, uint8_t value)
{
	__asm__ volatile("strb %w0, [%1]" : : "rZ"(value), "r"(addr) : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* A load pair from an address with no memslot: its abort has no valid
 * syndrome, which KVM cannot emulate, so KVM_RUN fails (ENOSYS). */
static inline void __attribute__((noreturn)) guest_crash(void)
{
	__asm__ volatile("mov x9, #0\n\tldp x10, x11, [x9]" ::: "x9", "x10", "x11", "memory");
	__builtin_unreachable();
}

/* arm64 has no port I/O; the VMM refuses the pio style before boot. */
static inline void pio_write16(uint32_t port, uint16_t value)
{
	(void)port;
	(void)value;
	guest_crash();
}

#endif
