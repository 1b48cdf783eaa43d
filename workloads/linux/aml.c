#include "aml.h"

#include <stdlib.h>
#include <string.h>

enum {
	ZERO_OP = 0x00, ONE_OP = 0x01, NAME_OP = 0x08, BYTE_PREFIX = 0x0a, WORD_PREFIX = 0x0b,
	DWORD_PREFIX = 0x0c, STRING_PREFIX = 0x0d, QWORD_PREFIX = 0x0e, SCOPE_OP = 0x10, BUFFER_OP = 0x11,
	EXT_OP_PREFIX = 0x5b, DEVICE_OP = 0x82, ROOT_CHAR = 0x5c,
};

void bb_aml_free(struct bb_aml *a)
{
	free(a->bytes);
	*a = (struct bb_aml){ 0 };
}

bool bb_aml_failed(const struct bb_aml *a)
{
	return a->failed;
}

static void put(struct bb_aml *a, const void *p, size_t n)
{
	if (a->failed)
		return;
	if (a->len + n > a->cap) {
		size_t cap = a->cap ? a->cap : 64;
		while (cap < a->len + n)
			cap *= 2;
		uint8_t *b = realloc(a->bytes, cap);
		if (!b) {
			a->failed = true;
			return;
		}
		a->bytes = b;
		a->cap = cap;
	}
	memcpy(a->bytes + a->len, p, n);
	a->len += n;
}

static void byte(struct bb_aml *a, uint8_t b)
{
	put(a, &b, 1);
}

static void le(struct bb_aml *a, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		byte(a, (uint8_t)(v >> (8 * i)));
}

/* PkgLength counts its own bytes and what follows: one byte up to 63,
 * else a lead byte (its count of further bytes, the low nibble) and the
 * rest of the length, 8 bits a byte. */
static void pkg_length(struct bb_aml *a, size_t content)
{
	for (size_t n = 1; n <= 4; n++) {
		size_t total = content + n;
		if (n == 1 && total <= 0x3f) {
			byte(a, (uint8_t)total);
			return;
		}
		if (n > 1 && total < (size_t)1 << (4 + 8 * (n - 1))) {
			byte(a, (uint8_t)((n - 1) << 6 | (total & 0xf)));
			for (size_t i = 1; i < n; i++)
				byte(a, (uint8_t)(total >> (4 + 8 * (i - 1))));
			return;
		}
	}
	a->failed = true; /* over 256 MiB: no table is */
}

static bool lead_char(char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

void bb_aml_name_string(struct bb_aml *a, const char *name)
{
	if (name[0] == '\\') {
		byte(a, ROOT_CHAR);
		name++;
	}
	size_t n = strlen(name);
	if (n == 0 || n > 4 || !lead_char(name[0])) {
		a->failed = true;
		return;
	}
	char seg[4] = { '_', '_', '_', '_' };
	for (size_t i = 0; i < n; i++) {
		if (!lead_char(name[i]) && !(name[i] >= '0' && name[i] <= '9')) {
			a->failed = true;
			return;
		}
		seg[i] = name[i];
	}
	put(a, seg, 4);
}

/* op (and ext), PkgLength, the name, then body, which is freed. */
static void named_block(struct bb_aml *a, int ext, uint8_t op, const char *name, struct bb_aml *body)
{
	struct bb_aml head = { 0 };
	bb_aml_name_string(&head, name);
	a->failed |= head.failed || body->failed;
	if (ext)
		byte(a, EXT_OP_PREFIX);
	byte(a, op);
	pkg_length(a, head.len + body->len);
	put(a, head.bytes, head.len);
	put(a, body->bytes, body->len);
	bb_aml_free(&head);
	bb_aml_free(body);
}

void bb_aml_scope(struct bb_aml *a, const char *name, struct bb_aml *body)
{
	named_block(a, 0, SCOPE_OP, name, body);
}

void bb_aml_device(struct bb_aml *a, const char *name, struct bb_aml *body)
{
	named_block(a, 1, DEVICE_OP, name, body);
}

static void integer(struct bb_aml *a, uint64_t v)
{
	if (v == 0) {
		byte(a, ZERO_OP);
	} else if (v == 1) {
		byte(a, ONE_OP);
	} else if (v <= 0xff) {
		byte(a, BYTE_PREFIX);
		le(a, v, 1);
	} else if (v <= 0xffff) {
		byte(a, WORD_PREFIX);
		le(a, v, 2);
	} else if (v <= 0xffffffff) {
		byte(a, DWORD_PREFIX);
		le(a, v, 4);
	} else {
		byte(a, QWORD_PREFIX);
		le(a, v, 8);
	}
}

void bb_aml_name_text(struct bb_aml *a, const char *name, const char *text)
{
	byte(a, NAME_OP);
	bb_aml_name_string(a, name);
	byte(a, STRING_PREFIX);
	for (const char *c = text; *c; c++)
		if ((unsigned char)*c < 0x01 || (unsigned char)*c > 0x7f) /* AsciiChar is 0x01-0x7f */
			a->failed = true;
	put(a, text, strlen(text) + 1);
}

void bb_aml_name_integer(struct bb_aml *a, const char *name, uint64_t value)
{
	byte(a, NAME_OP);
	bb_aml_name_string(a, name);
	integer(a, value);
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

uint32_t bb_aml_eisaid(const char *id)
{
	if (strlen(id) != 7)
		return 0;
	uint32_t v = 0;
	for (int i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z')
			return 0;
		v = v << 5 | (uint32_t)(id[i] - 'A' + 1);
	}
	for (int i = 3; i < 7; i++) {
		if (hex(id[i]) < 0)
			return 0;
		v = v << 4 | (uint32_t)hex(id[i]);
	}
	/* stored big-endian: the first letter's bits in the first byte */
	return (v >> 24) | (v >> 8 & 0xff00) | (v << 8 & 0xff0000) | v << 24;
}

void bb_aml_name_eisaid(struct bb_aml *a, const char *name, const char *eisaid)
{
	uint32_t v = bb_aml_eisaid(eisaid);
	if (v == 0)
		a->failed = true;
	byte(a, NAME_OP);
	bb_aml_name_string(a, name);
	byte(a, DWORD_PREFIX);
	le(a, v, 4);
}

void bb_aml_name_resources(struct bb_aml *a, const char *name, struct bb_aml *d)
{
	static const uint8_t end_tag[2] = { 0x79, 0x00 }; /* checksum 0: "sums to zero" not asked */
	put(d, end_tag, sizeof(end_tag));
	struct bb_aml size = { 0 };
	integer(&size, d->len);
	a->failed |= d->failed || size.failed;
	byte(a, NAME_OP);
	bb_aml_name_string(a, name);
	byte(a, BUFFER_OP);
	pkg_length(a, size.len + d->len);
	put(a, size.bytes, size.len);
	put(a, d->bytes, d->len);
	bb_aml_free(&size);
	bb_aml_free(d);
}

void bb_aml_res_memory32_fixed(struct bb_aml *a, uint32_t base, uint32_t len, bool writable)
{
	byte(a, 0x86); /* large item: 32-bit fixed memory range */
	le(a, 9, 2);
	byte(a, writable ? 1 : 0);
	le(a, base, 4);
	le(a, len, 4);
}

void bb_aml_res_interrupt(struct bb_aml *a, uint32_t gsi, bool edge, bool active_low, bool shared)
{
	byte(a, 0x89); /* large item: extended interrupt */
	le(a, 6, 2);
	byte(a, (uint8_t)(1 | (edge ? 2 : 0) | (active_low ? 4 : 0) | (shared ? 8 : 0))); /* consumer */
	byte(a, 1);
	le(a, gsi, 4);
}

void bb_aml_res_io(struct bb_aml *a, uint16_t base, uint8_t len)
{
	byte(a, 0x47); /* small item: I/O port, 16-bit decode */
	byte(a, 1);
	le(a, base, 2);
	le(a, base, 2);
	byte(a, 1);
	byte(a, len);
}

void bb_aml_res_irq_noflags(struct bb_aml *a, uint8_t irq)
{
	if (irq > 15)
		a->failed = true;
	byte(a, 0x22); /* small item: IRQ, two bytes of mask */
	le(a, (uint32_t)1 << (irq & 15), 2);
}

/* general flags of a producer's fixed window, decoded positively */
#define ADDRESS_PRODUCER_FIXED 0x0c

/* A word address space descriptor the bridge produces: its type (1 I/O,
 * 2 bus numbers) and type-specific flags. */
static void word_space(struct bb_aml *a, uint8_t type, uint8_t flags, uint16_t first, uint16_t last)
{
	if (last < first)
		a->failed = true;
	byte(a, 0x88); /* large item: word address space */
	le(a, 13, 2);
	byte(a, type);
	byte(a, ADDRESS_PRODUCER_FIXED);
	byte(a, flags);
	le(a, 0, 2); /* granularity */
	le(a, first, 2);
	le(a, last, 2);
	le(a, 0, 2); /* translation */
	le(a, (uint32_t)(last - first + 1), 2);
}

void bb_aml_res_bus_numbers(struct bb_aml *a, uint16_t first, uint16_t last)
{
	word_space(a, 2, 0, first, last);
}

void bb_aml_res_io_window(struct bb_aml *a, uint32_t base, uint32_t len)
{
	if (len == 0 || base + len > 0x10000)
		a->failed = true;
	word_space(a, 1, 3 /* the entire range, ISA and not */, (uint16_t)base, (uint16_t)(base + len - 1));
}

void bb_aml_res_memory_window(struct bb_aml *a, uint64_t base, uint64_t len)
{
	uint64_t end = base + len - 1;
	bool wide = end > UINT32_MAX;
	int w = wide ? 8 : 4;
	if (len == 0 || end < base)
		a->failed = true;
	byte(a, wide ? 0x8a : 0x87); /* large item: qword or dword address space */
	le(a, 3 + 5 * w, 2);
	byte(a, 0); /* memory */
	byte(a, ADDRESS_PRODUCER_FIXED);
	byte(a, 1); /* read-write, non-cacheable */
	le(a, 0, w); /* granularity */
	le(a, base, w);
	le(a, end, w);
	le(a, 0, w); /* translation */
	le(a, len, w);
}
