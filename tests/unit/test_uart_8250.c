/* The 16550A console as Linux's 8250 driver meets it: what the guest
 * writes is kept and its tail read back in order, the divisor latch and
 * scratch register hold their values, the FIFOs show as a 16550A's, the
 * transmit interrupt rises and is acknowledged, and loopback keeps output
 * in the chip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "uart_8250.h"

static struct bb_uart u;

static int setup(void **state)
{
	(void)state;
	bb_uart_init(&u);
	return 0;
}

static void puts_uart(const char *s)
{
	for (; *s; s++)
		bb_uart_write(&u, 0, (uint8_t)*s);
}

static void output_is_kept_and_its_tail_read_in_order(void **state)
{
	(void)state;
	char tail[64];
	puts_uart("Linux version 6.1\nRun /init\n");
	assert_int_equal(bb_uart_tail(&u, tail, sizeof(tail)), 28);
	assert_string_equal(tail, "Linux version 6.1\nRun /init\n");
	/* more than the ring holds: the last bytes, in order */
	for (unsigned i = 0; i < BB_UART_TAIL + 100; i++)
		bb_uart_write(&u, 0, (uint8_t)('a' + i % 26));
	assert_int_equal(bb_uart_tail(&u, tail, 6), 5);
	unsigned last = BB_UART_TAIL + 99;
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(tail[i], 'a' + (last - 4 + i) % 26);
	assert_int_equal(u.written, 28 + BB_UART_TAIL + 100);
}

static void the_driver_finds_a_16550a(void **state)
{
	(void)state;
	/* scratch register, divisor latch behind DLAB */
	bb_uart_write(&u, 7, 0xa5);
	assert_int_equal(bb_uart_read(&u, 7), 0xa5);
	bb_uart_write(&u, 3, 0x80);
	bb_uart_write(&u, 0, 0x01);
	bb_uart_write(&u, 1, 0x00);
	assert_int_equal(bb_uart_read(&u, 0), 0x01);
	bb_uart_write(&u, 3, 0x03); /* 8N1, DLAB off: the divisor is not output */
	assert_int_equal(u.written, 0);
	/* FIFOs on: IIR's top bits say 16550A; off: none */
	bb_uart_write(&u, 2, 0xe7);
	assert_int_equal(bb_uart_read(&u, 2) & 0xc0, 0xc0);
	bb_uart_write(&u, 2, 0x00);
	assert_int_equal(bb_uart_read(&u, 2) & 0xc0, 0x00);
	assert_int_equal(bb_uart_read(&u, 5) & 0x60, 0x60); /* THRE and TEMT */
	assert_int_equal(bb_uart_read(&u, 9), 0xff);
}

static void the_transmit_interrupt_rises_and_is_acknowledged(void **state)
{
	(void)state;
	assert_false(bb_uart_interrupt(&u));
	bb_uart_write(&u, 1, 0x02); /* IER.THRI with the transmitter empty */
	assert_true(bb_uart_interrupt(&u));
	assert_int_equal(bb_uart_read(&u, 2) & 0x0f, 0x02);
	assert_false(bb_uart_interrupt(&u));
	assert_int_equal(bb_uart_read(&u, 2) & 0x0f, 0x01);
	bb_uart_write(&u, 0, 'x');
	assert_true(bb_uart_interrupt(&u));
	bb_uart_write(&u, 1, 0x00); /* masked: the line drops */
	assert_false(bb_uart_interrupt(&u));
}

static void loopback_keeps_output_in_the_chip(void **state)
{
	(void)state;
	bb_uart_write(&u, 4, 0x10 | 0x0f); /* LOOP, DTR, RTS, OUT1, OUT2 */
	assert_int_equal(bb_uart_read(&u, 6) & 0xf0, 0xf0);
	bb_uart_write(&u, 0, 'z');
	assert_int_equal(u.written, 0);
	bb_uart_write(&u, 4, 0x0b);
	assert_int_equal(bb_uart_read(&u, 6), 0xb0); /* DCD, DSR, CTS */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(output_is_kept_and_its_tail_read_in_order, setup),
		cmocka_unit_test_setup(the_driver_finds_a_16550a, setup),
		cmocka_unit_test_setup(the_transmit_interrupt_rises_and_is_acknowledged, setup),
		cmocka_unit_test_setup(loopback_keeps_output_in_the_chip, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
