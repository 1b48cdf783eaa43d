/* Guest-physical layout of the x86_64 VM. RAM from 0 up to the MMIO hole;
 * the devices in the hole below 4 GiB, which the arch's page tables
 * identity-map. */
#ifndef BOOTBENCH_X86_LAYOUT_H
#define BOOTBENCH_X86_LAYOUT_H

#define BB_X86_PML4_GPA 0x1000ull
#define BB_X86_PDPT_GPA 0x2000ull
#define BB_X86_PD_GPA 0x3000ull /* four page directories: 4 GiB of 2 MiB pages */
#define BB_X86_RAM_MAX 0xc0000000ull /* RAM stays below the MMIO hole */
#define BB_X86_BOOT_TIMER_GPA 0xc0000000ull
#define BB_X86_IDENTITY_MAPPED 0x100000000ull
#define BB_X86_EXTRA_SLOTS_GPA 0x100000000ull
#define BB_X86_TSS_ADDR 0xfffbd000ull /* as Firecracker: below 4 GiB, out of RAM */
#define BB_X86_TSS_BYTES 0x3000ull
#define BB_X86_FIRST_GSI 5 /* GSIs 5..23: the IOAPIC pins Firecracker hands to devices */
#define BB_X86_DEVICE_GSIS 19

#endif
