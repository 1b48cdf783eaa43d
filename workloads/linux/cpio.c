#include "cpio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HEADER_BYTES 110 /* "070701" and 13 fields of 8 hex digits */

void bb_cpio_init(struct bb_cpio *c)
{
	*c = (struct bb_cpio){ .next_ino = 1 };
}

void bb_cpio_free(struct bb_cpio *c)
{
	free(c->data);
	*c = (struct bb_cpio){ 0 };
}

static int reserve(struct bb_cpio *c, size_t more)
{
	if (more > SIZE_MAX - c->len)
		return -1;
	if (c->len + more <= c->cap)
		return 0;
	size_t cap = c->cap ? c->cap : 4096;
	while (cap < c->len + more)
		cap *= 2;
	uint8_t *p = realloc(c->data, cap);
	if (!p)
		return -1;
	c->data = p;
	c->cap = cap;
	return 0;
}

static void pad4(struct bb_cpio *c)
{
	while (c->len % 4)
		c->data[c->len++] = 0;
}

static bool good_name(const char *name)
{
	if (!name[0] || name[0] == '/' || strlen(name) > 255)
		return false;
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

static int entry(struct bb_cpio *c, const char *name, uint32_t mode, uint32_t rdev_major, uint32_t rdev_minor,
		 const void *data, size_t size, char *why, size_t len)
{
	bool trailer = !strcmp(name, "TRAILER!!!");
	if (!trailer && !good_name(name)) {
		snprintf(why, len, "cpio entry name '%.64s' is not a relative path of at most 255 bytes without . or ..", name);
		return -1;
	}
	if (size > UINT32_MAX) {
		snprintf(why, len, "cpio entry %s is %zu bytes: newc holds at most 4 GiB - 1 a file", name, size);
		return -1;
	}
	size_t namesize = strlen(name) + 1;
	if (reserve(c, HEADER_BYTES + namesize + 3 + size + 3) < 0) {
		snprintf(why, len, "out of memory for the initramfs");
		return -1;
	}
	char header[HEADER_BYTES + 1];
	/* ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check */
	snprintf(header, sizeof(header), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 trailer ? 0 : c->next_ino++, mode, 0u, 0u, S_ISDIR(mode) ? 2u : 1u, 0u, (uint32_t)size, 0u, 0u, rdev_major,
		 rdev_minor, (uint32_t)namesize, 0u);
	memcpy(c->data + c->len, header, HEADER_BYTES);
	c->len += HEADER_BYTES;
	memcpy(c->data + c->len, name, namesize);
	c->len += namesize;
	pad4(c);
	if (size) {
		memcpy(c->data + c->len, data, size);
		c->len += size;
		pad4(c);
	}
	return 0;
}

int bb_cpio_dir(struct bb_cpio *c, const char *name, uint32_t perm, char *why, size_t len)
{
	return entry(c, name, S_IFDIR | (perm & 07777), 0, 0, NULL, 0, why, len);
}

int bb_cpio_file(struct bb_cpio *c, const char *name, uint32_t perm, const void *data, size_t size, char *why, size_t len)
{
	return entry(c, name, S_IFREG | (perm & 07777), 0, 0, data, size, why, len);
}

int bb_cpio_char_device(struct bb_cpio *c, const char *name, uint32_t perm, uint32_t major, uint32_t minor, char *why,
			size_t len)
{
	return entry(c, name, S_IFCHR | (perm & 07777), major, minor, NULL, 0, why, len);
}

int bb_cpio_finish(struct bb_cpio *c, char *why, size_t len)
{
	return entry(c, "TRAILER!!!", 0, 0, 0, NULL, 0, why, len);
}
