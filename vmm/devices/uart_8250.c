#include "uart_8250.h"

#include <string.h>

/* registers (DLAB: LCR bit 7 selects the divisor latch at 0 and 1) */
#define THR_RBR_DLL 0u
#define IER_DLM 1u
#define IIR_FCR 2u
#define LCR 3u
#define MCR 4u
#define LSR 5u
#define MSR 6u
#define SCR 7u

#define LCR_DLAB 0x80u
#define IER_THRI 0x02u
#define IIR_NONE 0x01u
#define IIR_THRI 0x02u
#define IIR_FIFOS 0xc0u /* a 16550A with its FIFOs on */
#define FCR_ENABLE 0x01u
#define LSR_THRE 0x20u
#define LSR_TEMT 0x40u
#define MCR_LOOP 0x10u
#define MSR_CTS 0x10u
#define MSR_DSR 0x20u
#define MSR_DCD 0x80u

void bb_uart_init(struct bb_uart *u)
{
	memset(u, 0, sizeof(*u));
	u->dll = 12; /* 9600 baud, as at power-on on PCs */
}

static void emit(struct bb_uart *u, uint8_t c)
{
	u->tail[u->written % BB_UART_TAIL] = (char)c;
	u->written++;
}

uint8_t bb_uart_read(struct bb_uart *u, unsigned offset)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (offset) {
	case THR_RBR_DLL:
		return dlab ? u->dll : 0; /* no input ever arrives */
	case IER_DLM:
		return dlab ? u->dlm : u->ier;
	case IIR_FCR: {
		uint8_t fifos = (u->fcr & FCR_ENABLE) ? IIR_FIFOS : 0;
		if (u->thr_interrupt && (u->ier & IER_THRI)) {
			u->thr_interrupt = false; /* reading IIR acknowledges it */
			return fifos | IIR_THRI;
		}
		return fifos | IIR_NONE;
	}
	case LCR:
		return u->lcr;
	case MCR:
		return u->mcr;
	case LSR:
		/* each byte leaves at once: the transmitter is always empty */
		return LSR_THRE | LSR_TEMT;
	case MSR:
		if (u->mcr & MCR_LOOP) /* DTR, RTS, OUT1, OUT2 looped back to DSR, CTS, RI, DCD */
			return (uint8_t)(((u->mcr & 0x01) << 5) | ((u->mcr & 0x02) << 3) | ((u->mcr & 0x04) << 4) |
					 ((u->mcr & 0x08) << 4));
		return MSR_DCD | MSR_DSR | MSR_CTS;
	case SCR:
		return u->scr;
	default:
		return 0xff;
	}
}

void bb_uart_write(struct bb_uart *u, unsigned offset, uint8_t value)
{
	bool dlab = u->lcr & LCR_DLAB;
	switch (offset) {
	case THR_RBR_DLL:
		if (dlab) {
			u->dll = value;
		} else {
			if (!(u->mcr & MCR_LOOP)) /* in loopback nothing leaves the chip */
				emit(u, value);
			u->thr_interrupt = true;
		}
		break;
	case IER_DLM:
		if (dlab) {
			u->dlm = value;
		} else {
			/* enabling it with the transmitter empty raises it at once */
			if ((value & IER_THRI) && !(u->ier & IER_THRI))
				u->thr_interrupt = true;
			u->ier = value & 0x0f;
		}
		break;
	case IIR_FCR:
		u->fcr = value;
		break;
	case LCR:
		u->lcr = value;
		break;
	case MCR:
		u->mcr = value & 0x1f;
		break;
	case SCR:
		u->scr = value;
		break;
	default: /* LSR and MSR are read-only */
		break;
	}
}

bool bb_uart_interrupt(const struct bb_uart *u)
{
	return u->thr_interrupt && (u->ier & IER_THRI);
}

size_t bb_uart_tail(const struct bb_uart *u, char *out, size_t len)
{
	if (len == 0)
		return 0;
	uint64_t end = u->written, start = end > BB_UART_TAIL ? end - BB_UART_TAIL : 0;
	if (end - start > len - 1)
		start = end - (len - 1);
	size_t n = 0;
	for (uint64_t at = start; at < end; at++)
		out[n++] = u->tail[at % BB_UART_TAIL];
	out[n] = '\0';
	return n;
}
