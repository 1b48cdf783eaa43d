#include "kernel_image.h"

#include <stdio.h>
#include <string.h>

#include "little_endian.h"

#define ARM64_MAGIC 0x644d5241u /* "ARM\x64" */
#define HDRS 0x53726448u        /* "HdrS" */
#define LOADED_HIGH 0x01u
#define XLF_KERNEL_64 0x01u

static int bzimage(const uint8_t *d, size_t len, struct bb_kernel_image *k, char *why, size_t whylen)
{
	k->kind = BB_KERNEL_BZIMAGE;
	k->protocol = (uint16_t)bb_get_le(d + 0x206, 2);
	if (k->protocol < BB_BOOT_PROTOCOL_MIN) {
		snprintf(why, whylen, "boot protocol %u.%02u is older than 2.12, which the 64-bit entry needs: use a kernel from 3.8 on",
			 (unsigned)(k->protocol >> 8), (unsigned)(k->protocol & 0xff));
		return -1;
	}
	/* the header runs to 0x202 + the byte at 0x201, its own length */
	k->setup_header_end = 0x202 + d[0x201];
	if (k->setup_header_end < 0x268 || k->setup_header_end > len) {
		snprintf(why, whylen, "the setup header claims %zu bytes: a damaged bzImage", k->setup_header_end);
		return -1;
	}
	uint32_t sects = d[0x1f1] ? d[0x1f1] : 4;
	k->setup_bytes = (sects + 1) * 512;
	if (!(d[0x211] & LOADED_HIGH)) {
		snprintf(why, whylen, "a zImage (not loaded high): build a bzImage");
		return -1;
	}
	if (!(bb_get_le(d + 0x236, 2) & XLF_KERNEL_64)) {
		snprintf(why, whylen, "the kernel has no 64-bit entry point (xloadflags): build it for x86_64");
		return -1;
	}
	k->payload_offset = k->setup_bytes;
	k->payload_size = (size_t)bb_get_le(d + 0x1f4, 4) * 16;
	if (k->payload_size == 0 || k->payload_offset > len || k->payload_size > len - k->payload_offset) {
		snprintf(why, whylen, "truncated: its header says %zu bytes, the file has %zu", k->payload_offset + k->payload_size, len);
		return -1;
	}
	k->initrd_addr_max = (uint32_t)bb_get_le(d + 0x22c, 4);
	k->kernel_alignment = (uint32_t)bb_get_le(d + 0x230, 4);
	k->relocatable = d[0x234] != 0;
	k->cmdline_size = (uint32_t)bb_get_le(d + 0x238, 4);
	k->pref_address = bb_get_le(d + 0x258, 8);
	k->init_size = (uint32_t)bb_get_le(d + 0x260, 4);
	if (k->init_size < k->payload_size) {
		snprintf(why, whylen, "init_size %u is smaller than the kernel it unpacks (%zu bytes): a damaged bzImage", k->init_size,
			 k->payload_size);
		return -1;
	}
	return 0;
}

static int arm64_image(const uint8_t *d, size_t len, struct bb_kernel_image *k, char *why, size_t whylen)
{
	static const uint32_t pages[] = { 0, 4, 16, 64 };
	uint64_t flags = bb_get_le(d + 24, 8);
	k->kind = BB_KERNEL_ARM64_IMAGE;
	k->text_offset = bb_get_le(d + 8, 8);
	k->image_size = bb_get_le(d + 16, 8);
	if (k->image_size == 0) {
		/* before 3.17: the size is unknown and the offset fixed */
		snprintf(why, whylen, "an arm64 Image with no image_size (older than Linux 3.17): use a newer kernel");
		return -1;
	}
	if (flags & 1) {
		snprintf(why, whylen, "a big-endian arm64 Image: bootbench boots little-endian guests");
		return -1;
	}
	if (len > k->image_size) {
		snprintf(why, whylen, "the file (%zu bytes) is larger than the image_size its header gives (%llu): a damaged Image", len,
			 (unsigned long long)k->image_size);
		return -1;
	}
	if (k->text_offset % 4096 || k->text_offset >= (2u << 20)) {
		snprintf(why, whylen, "text_offset 0x%llx is not a page inside the 2 MiB it must lie in: a damaged Image",
			 (unsigned long long)k->text_offset);
		return -1;
	}
	k->page_size_kib = pages[(flags >> 1) & 3];
	return 0;
}

int bb_kernel_image_parse(const uint8_t *data, size_t len, struct bb_kernel_image *k, char *why, size_t whylen)
{
	memset(k, 0, sizeof(*k));
	if (len >= 64 && bb_get_le(data + 56, 4) == ARM64_MAGIC)
		return arm64_image(data, len, k, why, whylen);
	if (len >= 0x268 && bb_get_le(data + 0x202, 4) == HDRS && bb_get_le(data + 0x1fe, 2) == 0xaa55)
		return bzimage(data, len, k, why, whylen);
	if (len < 0x268 && len >= 0x206 && bb_get_le(data + 0x202, 4) == HDRS) {
		snprintf(why, whylen, "truncated: %zu bytes end inside the bzImage's setup header", len);
		return -1;
	}
	snprintf(why, whylen, "neither an x86 bzImage (no \"HdrS\" at 0x202) nor an arm64 Image (no \"ARM\\x64\" at 56)");
	return -1;
}
