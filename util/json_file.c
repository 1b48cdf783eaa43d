#include "json_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

FILE *bb_fopen_regular(const char *path)
{
	/* O_NONBLOCK: opening a FIFO with no writer returns at once */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int errnum = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(fd);
		errno = errnum;
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	FILE *f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

static int grow(char **data, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 65536;
	while (n < need)
		n *= 2;
	/* a gzip file stops at the limit: no doubling past it */
	if (need <= BB_GZIP_MAX_BYTES + 2 && n > BB_GZIP_MAX_BYTES + 2)
		n = BB_GZIP_MAX_BYTES + 2;
	char *p = realloc(*data, n);
	if (!p)
		return -1;
	*data = p;
	*cap = n;
	return 0;
}

/* Reads f to its end into *data; a gzip stream is inflated on the way
 * (concatenated members too, as gzip -d does). */
static int read_stream(FILE *f, char **data, size_t *len, char *why, size_t whylen)
{
	unsigned char in[65536];
	size_t cap = 0, got = fread(in, 1, sizeof(in), f);
	bool gz = got >= 2 && in[0] == 0x1f && in[1] == 0x8b;
	z_stream zs = {0};
	int zrc = Z_OK;
	*data = NULL;
	*len = 0;
	/* 15 + 16: a gzip wrapper, not zlib's own */
	if (gz && inflateInit2(&zs, 15 + 16) != Z_OK) {
		snprintf(why, whylen, "cannot start zlib");
		return -1;
	}
	for (;;) {
		if (!gz) {
			if (grow(data, &cap, *len + got + 1) < 0)
				goto nomem;
			memcpy(*data + *len, in, got);
			*len += got;
		} else {
			zs.next_in = in;
			zs.avail_in = (uInt)got;
			do {
				if (zrc == Z_STREAM_END) { /* another member may follow */
					if (zs.avail_in == 0)
						break;
					inflateReset(&zs);
				}
				size_t room = BB_GZIP_MAX_BYTES + 1 - *len;
				if (room > 65536)
					room = 65536;
				if (room == 0)
					break;
				if (grow(data, &cap, *len + room + 1) < 0)
					goto nomem;
				zs.next_out = (unsigned char *)*data + *len;
				zs.avail_out = (uInt)room;
				zrc = inflate(&zs, Z_NO_FLUSH);
				*len += room - zs.avail_out;
				if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR) {
					snprintf(why, whylen, "not a valid gzip file (%s)", zs.msg ? zs.msg : "corrupt data");
					goto fail;
				}
			} while (zs.avail_in > 0 || zs.avail_out == 0);
			if (*len > BB_GZIP_MAX_BYTES) {
				snprintf(why, whylen, "larger than %zu MiB once decompressed", BB_GZIP_MAX_BYTES >> 20);
				goto fail;
			}
		}
		if (got < sizeof(in))
			break;
		got = fread(in, 1, sizeof(in), f);
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(why, whylen, "%s", strerror(errno));
		goto fail;
	}
	if (gz && zrc != Z_STREAM_END) {
		snprintf(why, whylen, "a truncated gzip file");
		goto fail;
	}
	if (gz)
		inflateEnd(&zs);
	if (grow(data, &cap, *len + 1) < 0)
		goto nomem;
	(*data)[*len] = '\0';
	return 0;
nomem:
	snprintf(why, whylen, "out of memory");
fail:
	if (gz)
		inflateEnd(&zs);
	free(*data);
	*data = NULL;
	*len = 0;
	return -1;
}

int bb_file_read_all(const char *path, char **data, size_t *len, char *why, size_t whylen)
{
	FILE *f = bb_fopen_regular(path);
	if (!f) {
		snprintf(why, whylen, "%s", errno == EINVAL ? "not a regular file (a FIFO, device or socket)" : strerror(errno));
		*data = NULL;
		*len = 0;
		return -1;
	}
	int rc = read_stream(f, data, len, why, whylen);
	fclose(f);
	return rc;
}

json_t *bb_json_load_path(const char *path, size_t flags, json_error_t *jerr)
{
	char *data, why[160];
	size_t len;
	if (bb_file_read_all(path, &data, &len, why, sizeof(why)) < 0) {
		memset(jerr, 0, sizeof(*jerr));
		jerr->line = jerr->column = -1;
		snprintf(jerr->text, sizeof(jerr->text), "%s", why);
		snprintf(jerr->source, sizeof(jerr->source), "%s", "<path>");
		return NULL;
	}
	json_t *doc = json_loadb(data, len, flags, jerr);
	free(data);
	return doc;
}
