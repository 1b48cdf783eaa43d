/* Entered in 64-bit long mode, set up by the VMM: paging on, flat segments,
 * rsp at this vCPU's stack, rdi = vCPU index, rsi = config block address. */
	.section .text.entry, "ax"
	.code64
	.globl _start
_start:
	cld
	call guest_main
1:	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
