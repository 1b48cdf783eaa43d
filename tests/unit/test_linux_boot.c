/* What the Linux workload builds before a guest boots: a kernel file's
 * header read (a bzImage and an arm64 Image, and each file that is
 * neither, cut short or unusable refused), the x86 boot_params with its
 * e820 map at the kernel's offsets, and the initramfs cpio, which the
 * system's own cpio lists back when it is installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "boot_params.h"
#include "cpio.h"
#include "kernel_image.h"

static char why[256];

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* A bzImage as the kernel's build lays out its header: 4 setup sectors
 * after the boot sector, then payload_paragraphs * 16 bytes. */
static uint8_t *fake_bzimage(size_t *len, uint16_t protocol, uint32_t payload_paragraphs)
{
	size_t setup = (size_t)5 * 512;
	*len = setup + (size_t)payload_paragraphs * 16;
	uint8_t *k = calloc(1, *len);
	k[0x1f1] = 4;
	put(k + 0x1f4, payload_paragraphs, 4);
	put(k + 0x1fe, 0xaa55, 2);
	k[0x201] = 0x6a; /* the header ends at 0x202 + 0x6a = 0x26c */
	put(k + 0x202, 0x53726448, 4);
	put(k + 0x206, protocol, 2);
	k[0x211] = 0x01; /* LOADED_HIGH */
	put(k + 0x22c, 0x7fffffff, 4);
	put(k + 0x230, 0x200000, 4);
	k[0x234] = 1;
	put(k + 0x236, 0x1 | 0x2, 2); /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
	put(k + 0x238, 2047, 4);
	put(k + 0x258, 0x1000000, 8);
	put(k + 0x260, (uint64_t)payload_paragraphs * 16 * 3, 4);
	return k;
}

static void a_bzimage_header_is_read(void **state)
{
	(void)state;
	size_t len;
	uint8_t *file = fake_bzimage(&len, 0x020f, 4096);
	struct bb_kernel_image k;
	assert_int_equal(bb_kernel_image_parse(file, len, &k, why, sizeof(why)), 0);
	assert_int_equal(k.kind, BB_KERNEL_BZIMAGE);
	assert_int_equal(k.protocol, 0x020f);
	assert_int_equal(k.setup_bytes, 5 * 512);
	assert_int_equal(k.payload_offset, 5 * 512);
	assert_int_equal(k.payload_size, 4096 * 16);
	assert_int_equal(k.cmdline_size, 2047);
	assert_int_equal(k.kernel_alignment, 0x200000);
	assert_true(k.relocatable);
	assert_int_equal(k.setup_header_end, 0x26c);
	free(file);
}

static void expect_refused(const uint8_t *file, size_t len, const char *what)
{
	struct bb_kernel_image k;
	assert_int_equal(bb_kernel_image_parse(file, len, &k, why, sizeof(why)), -1);
	if (!strstr(why, what))
		fail_msg("expected '%s', got '%s'", what, why);
}

static void bad_kernels_are_refused_with_what_is_wrong(void **state)
{
	(void)state;
	size_t len;
	uint8_t *file = fake_bzimage(&len, 0x020f, 4096);
	expect_refused(file, len - 1, "truncated: its header says 68096 bytes, the file has 68095");
	expect_refused(file, 0x210, "truncated: 528 bytes end inside the bzImage's setup header");
	put(file + 0x206, 0x0206, 2);
	expect_refused(file, len, "boot protocol 2.06 is older than 2.12");
	put(file + 0x206, 0x020f, 2);
	put(file + 0x236, 0, 2);
	expect_refused(file, len, "no 64-bit entry point");
	free(file);
	uint8_t elf[4096] = { 0x7f, 'E', 'L', 'F' };
	expect_refused(elf, sizeof(elf), "neither an x86 bzImage");
	expect_refused(elf, 3, "neither an x86 bzImage");
}

static void an_arm64_image_header_is_read(void **state)
{
	(void)state;
	static uint8_t image[1 << 16];
	memset(image, 0, sizeof(image));
	put(image + 8, 0, 8);                /* text_offset */
	put(image + 16, 2 * sizeof(image), 8); /* image_size, bss included */
	put(image + 24, 1u << 1, 8);         /* LE, 4K pages */
	put(image + 56, 0x644d5241, 4);
	struct bb_kernel_image k;
	assert_int_equal(bb_kernel_image_parse(image, sizeof(image), &k, why, sizeof(why)), 0);
	assert_int_equal(k.kind, BB_KERNEL_ARM64_IMAGE);
	assert_int_equal(k.image_size, 2 * sizeof(image));
	assert_int_equal(k.page_size_kib, 4);
	put(image + 24, 1, 8);
	expect_refused(image, sizeof(image), "big-endian");
	put(image + 24, 0, 8);
	put(image + 16, 100, 8);
	expect_refused(image, sizeof(image), "larger than the image_size");
	put(image + 16, 0, 8);
	expect_refused(image, sizeof(image), "no image_size");
}

static void boot_params_carry_the_header_the_map_and_the_command_line(void **state)
{
	(void)state;
	size_t len;
	uint8_t *file = fake_bzimage(&len, 0x020f, 4096);
	struct bb_kernel_image k;
	assert_int_equal(bb_kernel_image_parse(file, len, &k, why, sizeof(why)), 0);
	struct bb_e820_entry map[BB_E820_MAX];
	uint32_t n = bb_e820_for_ram(256ull << 20, map, BB_E820_MAX);
	assert_int_equal(n, 3);
	static uint8_t page[BB_BOOT_PARAMS_SIZE];
	struct bb_boot_setup s = { .cmdline_gpa = 0x20000, .cmdline_len = 40, .initrd_gpa = 0x8000000,
				   .initrd_size = 0x100000, .e820 = map, .nr_e820 = n };
	assert_int_equal(bb_boot_params_build(page, file, &k, &s, why, sizeof(why)), 0);
	/* the kernel's own header, under ours */
	assert_int_equal(get(page + 0x202, 4), 0x53726448);
	assert_int_equal(get(page + 0x206, 2), 0x020f);
	assert_int_equal(page[0x210], 0xff);
	assert_int_equal(get(page + 0x228, 4), 0x20000);
	assert_int_equal(get(page + 0x218, 4), 0x8000000);
	assert_int_equal(get(page + 0x21c, 4), 0x100000);
	/* e820: RAM to the EBDA, the BIOS hole, RAM from 1 MiB to the end */
	assert_int_equal(page[0x1e8], 3);
	assert_int_equal(get(page + 0x2d0, 8), 0);
	assert_int_equal(get(page + 0x2d0 + 8, 8), 0x9fc00);
	assert_int_equal(get(page + 0x2d0 + 16, 4), BB_E820_RAM);
	assert_int_equal(get(page + 0x2d0 + 20 + 16, 4), BB_E820_RESERVED);
	assert_int_equal(get(page + 0x2d0 + 40, 8), 0x100000);
	assert_int_equal(get(page + 0x2d0 + 48, 8), (256ull << 20) - 0x100000);
	/* beyond the header, nothing of the file */
	assert_int_equal(page[0x26c], 0);
	/* a command line over the kernel's limit */
	s.cmdline_len = 2048;
	assert_int_equal(bb_boot_params_build(page, file, &k, &s, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "2048 bytes, over this kernel's limit of 2047"));
	free(file);
}

/* One entry of a newc archive at *at: its name, mode and data; the next. */
static size_t read_entry(const uint8_t *a, size_t at, char *name, uint32_t *mode, const uint8_t **data, uint32_t *size)
{
	char field[9] = { 0 };
	assert_memory_equal(a + at, "070701", 6);
	memcpy(field, a + at + 6 + 8, 8);
	*mode = (uint32_t)strtoul(field, NULL, 16);
	memcpy(field, a + at + 6 + (size_t)6 * 8, 8);
	*size = (uint32_t)strtoul(field, NULL, 16);
	memcpy(field, a + at + 6 + (size_t)11 * 8, 8);
	uint32_t namesize = (uint32_t)strtoul(field, NULL, 16);
	memcpy(name, a + at + 110, namesize);
	size_t next = (at + 110 + namesize + 3) & ~(size_t)3;
	*data = a + next;
	return (next + *size + 3) & ~(size_t)3;
}

static void the_initramfs_holds_what_was_put_in(void **state)
{
	(void)state;
	struct bb_cpio c;
	bb_cpio_init(&c);
	static const char init[] = "#!/bin/sh\necho 123\n";
	assert_int_equal(bb_cpio_dir(&c, "dev", 0755, why, sizeof(why)), 0);
	assert_int_equal(bb_cpio_char_device(&c, "dev/console", 0600, 5, 1, why, sizeof(why)), 0);
	assert_int_equal(bb_cpio_file(&c, "init", 0755, init, sizeof(init) - 1, why, sizeof(why)), 0);
	assert_int_equal(bb_cpio_finish(&c, why, sizeof(why)), 0);
	assert_int_equal(c.len % 4, 0);
	char name[300];
	uint32_t mode, size;
	const uint8_t *data;
	size_t at = read_entry(c.data, 0, name, &mode, &data, &size);
	assert_string_equal(name, "dev");
	assert_true(S_ISDIR(mode));
	at = read_entry(c.data, at, name, &mode, &data, &size);
	assert_string_equal(name, "dev/console");
	assert_true(S_ISCHR(mode));
	at = read_entry(c.data, at, name, &mode, &data, &size);
	assert_string_equal(name, "init");
	assert_int_equal(mode, S_IFREG | 0755);
	assert_int_equal(size, sizeof(init) - 1);
	assert_memory_equal(data, init, size);
	at = read_entry(c.data, at, name, &mode, &data, &size);
	assert_string_equal(name, "TRAILER!!!");
	assert_int_equal(at, c.len);
	/* names that would escape the archive's root */
	assert_int_equal(bb_cpio_file(&c, "../etc/passwd", 0644, "x", 1, why, sizeof(why)), -1);
	assert_int_equal(bb_cpio_file(&c, "/init", 0644, "x", 1, why, sizeof(why)), -1);
	assert_int_equal(bb_cpio_file(&c, "a//b", 0644, "x", 1, why, sizeof(why)), -1);

	/* and the system's cpio reads it the same */
	if (access("/usr/bin/cpio", X_OK) == 0) {
		char path[] = "/tmp/bb-cpio-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, c.data, c.len), (ssize_t)c.len);
		close(fd);
		char cmd[128], out[256] = "";
		snprintf(cmd, sizeof(cmd), "cpio -it --quiet < %s", path);
		FILE *p = popen(cmd, "r");
		assert_non_null(p);
		size_t n = fread(out, 1, sizeof(out) - 1, p);
		out[n] = '\0';
		assert_int_equal(pclose(p), 0);
		unlink(path);
		assert_string_equal(out, "dev\ndev/console\ninit\n");
	} else {
		print_message("cpio is not installed: the archive is checked by the reader above only\n");
	}
	bb_cpio_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_bzimage_header_is_read),
		cmocka_unit_test(bad_kernels_are_refused_with_what_is_wrong),
		cmocka_unit_test(an_arm64_image_header_is_read),
		cmocka_unit_test(boot_params_carry_the_header_the_map_and_the_command_line),
		cmocka_unit_test(the_initramfs_holds_what_was_put_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
