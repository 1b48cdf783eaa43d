/* The Linux guest's /init, built by CMake for the guest arch, as bytes in
 * bootbench (bb_linux_init, bb_linux_init_size). */
	.section .rodata
	.balign 16
	.globl bb_linux_init
bb_linux_init:
	.incbin LINUX_INIT_PATH
bb_linux_init_end:
	.balign 8
	.globl bb_linux_init_size
bb_linux_init_size:
	.quad bb_linux_init_end - bb_linux_init
	.section .note.GNU-stack,"",%progbits
