#include "mptable.h"

#include <string.h>

#include "little_endian.h"
#include "table_bytes.h"

#define FLOATING_BYTES 16u
#define HEADER_BYTES 44u
#define CPU_ENTRY_BYTES 20u
#define ENTRY_BYTES 8u

enum { MP_PROCESSOR = 0, MP_BUS = 1, MP_IOAPIC = 2, MP_INTSRC = 3, MP_LINTSRC = 4 };
enum { MP_INT = 0, MP_NMI = 1, MP_EXTINT = 3 };

static uint8_t *interrupt_entry(uint8_t *e, uint8_t type, uint8_t irqtype, uint8_t src_irq, uint8_t dst_apic,
				uint8_t dst_pin)
{
	/* flags 0: the bus's own polarity and trigger (ISA: high, edge) */
	e[0] = type;
	e[1] = irqtype;
	bb_put_le(e + 2, 0, 2);
	e[4] = 0; /* bus 0: ISA */
	e[5] = src_irq;
	e[6] = dst_apic;
	e[7] = dst_pin;
	return e + ENTRY_BYTES;
}

size_t bb_mptable_write(uint8_t *out, size_t len, uint32_t cpus)
{
	size_t table = HEADER_BYTES + CPU_ENTRY_BYTES * (size_t)cpus + (size_t)ENTRY_BYTES * (2 + BB_IOAPIC_PINS + 2);
	size_t total = FLOATING_BYTES + table;
	uint8_t ioapic_id = (uint8_t)cpus;

	if (cpus == 0 || cpus > BB_MPTABLE_MAX_CPUS || total > len)
		return 0;
	memset(out, 0, total);

	uint8_t *fp = out;
	bb_table_chars(fp, "_MP_", 4);
	bb_put_le(fp + 4, BB_MPTABLE_GPA + FLOATING_BYTES, 4); /* the configuration table */
	fp[8] = 1;                                      /* length, in 16-byte units */
	fp[9] = 4;                                      /* spec 1.4 */
	fp[10] = bb_table_checksum(fp, FLOATING_BYTES);

	uint8_t *h = out + FLOATING_BYTES, *e = h + HEADER_BYTES;
	for (uint32_t c = 0; c < cpus; c++, e += CPU_ENTRY_BYTES) {
		e[0] = MP_PROCESSOR;
		e[1] = (uint8_t)c;                  /* KVM's LAPIC ID is the vCPU index */
		e[2] = 0x14;                        /* an integrated xAPIC */
		e[3] = (uint8_t)(1 | (c == 0 ? 2 : 0)); /* enabled, and the boot CPU */
		bb_put_le(e + 4, 0x600, 4);               /* family 6 */
		bb_put_le(e + 8, 0x201, 4);               /* FPU and APIC present */
	}
	e[0] = MP_BUS;
	bb_table_chars(e + 2, "ISA   ", 6);
	e += ENTRY_BYTES;
	e[0] = MP_IOAPIC;
	e[1] = ioapic_id;
	e[2] = 0x11;
	e[3] = 1; /* usable */
	bb_put_le(e + 4, BB_IOAPIC_GPA, 4);
	e += ENTRY_BYTES;
	for (uint8_t pin = 0; pin < BB_IOAPIC_PINS; pin++)
		e = interrupt_entry(e, MP_INTSRC, MP_INT, pin, ioapic_id, pin);
	/* the PIC behind LINT0 and NMI on LINT1, on every CPU */
	e = interrupt_entry(e, MP_LINTSRC, MP_EXTINT, 0, 0xff, 0);
	interrupt_entry(e, MP_LINTSRC, MP_NMI, 0, 0xff, 1);

	bb_table_chars(h, "PCMP", 4);
	bb_put_le(h + 4, table, 2);
	h[6] = 4;
	bb_table_chars(h + 8, "BOOTBNCH", 8);
	bb_table_chars(h + 16, "KVM VM      ", 12);
	bb_put_le(h + 34, cpus + 2 + BB_IOAPIC_PINS + 2, 2); /* entries */
	bb_put_le(h + 36, BB_LAPIC_GPA, 4);
	h[7] = bb_table_checksum(h, table);
	return total;
}
