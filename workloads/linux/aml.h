/* The ACPI Machine Language a DSDT needs to name devices and their
 * resources (ACPI 6.5, chapter 20 "AML Specification", and 6.4
 * "Resource Data Types"), and no more: Scope, Device, Name with a
 * string, an integer, an EISA id or a buffer, and the resource
 * descriptors of a ResourceTemplate. No Debian library writes AML from
 * C; iasl -d reads what this writes back in the tests.
 *
 * An encoder appends to a growing buffer; a failure (no memory, a bad
 * name) sticks, and bb_aml_failed says so once at the end. */
#ifndef BOOTBENCH_AML_H
#define BOOTBENCH_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bb_aml {
	uint8_t *bytes;
	size_t len, cap;
	bool failed;
};

void bb_aml_free(struct bb_aml *a);
bool bb_aml_failed(const struct bb_aml *a);

/* A name of one to four characters [A-Z_][A-Z0-9_]*, padded with '_',
 * optionally after the root '\': "\_SB", "VR00". */
void bb_aml_name_string(struct bb_aml *a, const char *name);
/* Scope (name) { body }, Device (name) { body }: body is moved in. */
void bb_aml_scope(struct bb_aml *a, const char *name, struct bb_aml *body);
void bb_aml_device(struct bb_aml *a, const char *name, struct bb_aml *body);
/* Name (name, "text"), Name (name, value), Name (name, EISAID ("PNP0501")). */
void bb_aml_name_text(struct bb_aml *a, const char *name, const char *text);
void bb_aml_name_integer(struct bb_aml *a, const char *name, uint64_t value);
void bb_aml_name_eisaid(struct bb_aml *a, const char *name, const char *eisaid);
/* Name (name, ResourceTemplate () { descriptors }): the end tag is added. */
void bb_aml_name_resources(struct bb_aml *a, const char *name, struct bb_aml *descriptors);

/* Resource descriptors, appended to a ResourceTemplate's body. */
void bb_aml_res_memory32_fixed(struct bb_aml *a, uint32_t base, uint32_t len, bool writable);
/* Interrupt (ResourceConsumer, Edge|Level, ActiveHigh|ActiveLow, Exclusive|Shared) { gsi } */
void bb_aml_res_interrupt(struct bb_aml *a, uint32_t gsi, bool edge, bool active_low, bool shared);
/* IO (Decode16, base, base, 1, len) */
void bb_aml_res_io(struct bb_aml *a, uint16_t base, uint8_t len);
/* IRQNoFlags () { irq }: an ISA IRQ, edge-triggered, active high */
void bb_aml_res_irq_noflags(struct bb_aml *a, uint8_t irq);
/* What a host bridge produces for the devices below it (6.4.3.5):
 * WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0,
 * first, last, 0, last - first + 1), and the same for memory,
 * DWordMemory or QWordMemory (..., NonCacheable, ReadWrite, 0, base,
 * base + len - 1, 0, len). */
void bb_aml_res_bus_numbers(struct bb_aml *a, uint16_t first, uint16_t last);
void bb_aml_res_memory_window(struct bb_aml *a, uint64_t base, uint64_t len);
/* A bridge's port window (WordIO): base..base+len-1, within 0xffff. */
void bb_aml_res_io_window(struct bb_aml *a, uint32_t base, uint32_t len);

/* The 32-bit EISA id of "PNP0501": three letters of five bits and four
 * hex digits, as AML stores it; 0 for a malformed id. */
uint32_t bb_aml_eisaid(const char *eisaid);

#endif
