/* The ACPI tables an x86_64 Linux guest built like the kernels VMMs ship
 * today (CONFIG_ACPI, no MP table, no command-line virtio-mmio devices)
 * finds its CPUs, interrupt controllers and disks in (ACPI 6.5):
 *   RSDP (revision 2) -> XSDT -> FADT -> DSDT, and MADT;
 *   FADT: hardware-reduced ACPI, so no PM timer, GPE or SCI blocks the
 *     VMM would have to emulate (as Firecracker and Cloud Hypervisor do);
 *   MADT: a local APIC per vCPU, the IOAPIC, its LINT1 NMI;
 *   DSDT: a virtio-mmio device ("LNRO0005") per placed disk with its
 *     window and GSI, the 16550 console (PNP0501), and where the machine
 *     has PCI, its host bridge (PNP0A08) with its bus and memory windows;
 *   MCFG, with PCI: the host bridge's ECAM window (configuration space).
 * Laid out from the machine the VMM placed (workload.h), the device
 * manager's list: the buses and the tables cannot disagree. Every table
 * carries its checksum. */
#ifndef BOOTBENCH_ACPI_TABLES_H
#define BOOTBENCH_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "workload.h"

/* In the BIOS area below the MP table, where Linux also scans for the
 * RSDP when boot_params does not name it (kernels before 5.0). */
#define BB_ACPI_GPA 0xe0000ull
#define BB_ACPI_MAX_BYTES 0x10000u
#define BB_ACPI_MAX_CPUS 254u /* xAPIC IDs, the IOAPIC taking the next */

/* The tables into out (at most len bytes), as they are to lie at
 * guest-physical gpa; the RSDP is first, at gpa. Their size, or 0 with
 * why filled (too many vCPUs, no room). */
size_t bb_acpi_write(uint8_t *out, size_t len, uint64_t gpa, const struct bb_machine *m, char *why, size_t whylen);

#endif
