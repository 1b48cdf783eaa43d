/* The Intel MultiProcessor table (MP spec 1.4) an x86 guest without ACPI
 * finds its CPUs, its IOAPIC and its interrupt routing in: without it a
 * Linux guest boots one CPU and routes interrupts through the 8259 PIC.
 * Written where the kernel scans for it, in the BIOS area below 1 MiB. */
#ifndef BOOTBENCH_MPTABLE_H
#define BOOTBENCH_MPTABLE_H

#include <stddef.h>
#include <stdint.h>

#define BB_MPTABLE_GPA 0xf0000ull /* the BIOS ROM area, which the kernel scans */
#define BB_MPTABLE_MAX_BYTES 0x10000u
#define BB_MPTABLE_MAX_CPUS 254u  /* 8-bit APIC IDs, the IOAPIC's taking the next */
#define BB_IOAPIC_GPA 0xfec00000ull
#define BB_LAPIC_GPA 0xfee00000ull
#define BB_IOAPIC_PINS 24u

/* The table for cpus CPUs (APIC IDs 0..cpus-1) into out, at most len
 * bytes, as it is to lie at guest-physical BB_MPTABLE_GPA. Returns its
 * size, or 0 when cpus is 0, over BB_MPTABLE_MAX_CPUS or out too small. */
size_t bb_mptable_write(uint8_t *out, size_t len, uint32_t cpus);

#endif
