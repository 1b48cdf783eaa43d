/* Guest-physical layout of the arm64 VM. The GIC sits low, as on QEMU's
 * virt machine; RAM at 2 GiB, as Firecracker puts it; the boot timer where
 * Firecracker's is. */
#ifndef BOOTBENCH_ARM64_LAYOUT_H
#define BOOTBENCH_ARM64_LAYOUT_H

#define BB_ARM64_GICD_GPA 0x08000000ull  /* distributor, 64 KiB */
#define BB_ARM64_ITS_GPA 0x08080000ull   /* ITS, 128 KiB */
#define BB_ARM64_ITS_BYTES 0x20000ull
#define BB_ARM64_GICR_GPA 0x080a0000ull  /* redistributors, 128 KiB a vCPU */
#define BB_ARM64_GICR_STRIDE 0x20000ull
#define BB_ARM64_CONSOLE_GPA 0x09000000ull /* where QEMU's virt has its UART */
#define BB_ARM64_BOOT_TIMER_GPA 0x40000000ull
#define BB_ARM64_RAM_GPA 0x80000000ull
#define BB_ARM64_RAM_MAX 0x40000000ull   /* up to 0xc0000000, below the devices */
#define BB_ARM64_DEVICES_END 0x100000000ull
#define BB_ARM64_EXTRA_SLOTS_GPA 0x100000000ull
#define BB_ARM64_NR_IRQS 128 /* 32 private + 96 SPIs */
#define BB_ARM64_CONSOLE_GSI 1 /* SPI 1, as on QEMU's virt: below the devices' */
#define BB_ARM64_FIRST_GSI 5
#define BB_ARM64_DEVICE_GSIS 19

#endif
