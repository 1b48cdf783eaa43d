/* Entered at EL1h, MMU off, interrupts masked, set up by the VMM:
 * x0 = vCPU index, x1 = config block address, x2 = this vCPU's stack top. */
	.section .text.entry, "ax"
	.globl _start
_start:
	mov sp, x2
	bl guest_main
1:	wfi
	b 1b
	.section .note.GNU-stack, "", @progbits
