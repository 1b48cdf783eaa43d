/* The 16550A UART a Linux guest's console writes to (port 0x3f8 on x86,
 * an MMIO window on arm64), as pure state like virtio_mmio.c: the vCPU
 * thread feeds it the guest's register accesses. It has no input; what
 * the guest writes is kept, its last BB_UART_TAIL bytes, so a boot that
 * fails can show the console's tail. Enough of the chip for Linux's 8250
 * driver to find a 16550A (FIFOs, scratch register, divisor latch,
 * loopback) and to run its transmit interrupt. */
#ifndef BOOTBENCH_UART_8250_H
#define BOOTBENCH_UART_8250_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h" /* BB_CONSOLE_TAIL */

#define BB_UART_REGISTERS 8u
#define BB_UART_TAIL BB_CONSOLE_TAIL

struct bb_uart {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thr_interrupt; /* transmit-empty pending: set by a write or by IER, cleared by reading IIR */
	char tail[BB_UART_TAIL]; /* a ring of the output's last bytes */
	uint64_t written;        /* bytes the guest wrote, in all */
};

void bb_uart_init(struct bb_uart *u);
/* offset: 0 to 7 (a register); others read 0xff and are ignored. */
uint8_t bb_uart_read(struct bb_uart *u, unsigned offset);
void bb_uart_write(struct bb_uart *u, unsigned offset, uint8_t value);
/* The interrupt line's level, for the irqfd or the in-kernel irqchip. */
bool bb_uart_interrupt(const struct bb_uart *u);
/* The output's last bytes in order, at most len - 1, NUL-terminated; its length. */
size_t bb_uart_tail(const struct bb_uart *u, char *out, size_t len);

#endif
