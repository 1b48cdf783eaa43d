/* x86_64 guest accessors. Each MMIO access is a single mov, which KVM's
 * instruction emulator decodes on the exit. */
#ifndef BOOTBENCH_GUEST_IO_H
#define BOOTBENCH_GUEST_IO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)addr = value;
}

static inline void mmio_write8(uint64_t addr, uint8_t value)
{
	*(volatile uint8_t *)(uintptr_t)addr = value;
}

static inline void pio_write16(uint32_t port, uint16_t value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"((uint16_t)port));
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* With no IDT loaded, #UD escalates to a triple fault: KVM_EXIT_SHUTDOWN. */
static inline void __attribute__((noreturn)) guest_crash(void)
{
	__asm__ volatile("ud2");
	__builtin_unreachable();
}

#endif
