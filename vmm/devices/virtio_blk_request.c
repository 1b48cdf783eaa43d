#include "virtio_blk_request.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define HEADER_BYTES 16u

/* The chain's bytes between skip_front and skip_back, of one kind, as
 * host iovecs (the walker checked every buffer lies in RAM). */
static size_t segments(const struct bb_guest_ram *ram, const struct bb_vring_chain *c, bool writable, uint64_t skip_front,
		       uint64_t skip_back, struct iovec *iov, uint64_t *total)
{
	uint64_t kind_total = writable ? c->writable : c->readable, at = 0;
	size_t n = 0;
	*total = 0;
	if (kind_total < skip_front + skip_back)
		return 0;
	uint64_t end = kind_total - skip_back;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct bb_vring_buf *b = &c->bufs[i];
		if (b->device_writes != writable)
			continue;
		uint64_t from = at > skip_front ? at : skip_front, to = at + b->len < end ? at + b->len : end;
		if (to > from) {
			iov[n].iov_base = (uint8_t *)bb_guest_ptr(ram, b->gpa, b->len) + (from - at);
			iov[n].iov_len = (size_t)(to - from);
			*total += to - from;
			n++;
		}
		at += b->len;
	}
	return n;
}

/* The whole of an I/O, or -1: a short read past the file's end is an error. */
static int transfer(int fd, struct iovec *iov, size_t n, uint64_t offset, bool write)
{
	while (n > 0) {
		ssize_t done = write ? pwritev(fd, iov, (int)n, (off_t)offset) : preadv(fd, iov, (int)n, (off_t)offset);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return -1;
		offset += (uint64_t)done;
		while (n > 0 && (size_t)done >= iov->iov_len) {
			done -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + done;
			iov->iov_len -= (size_t)done;
		}
	}
	return 0;
}

/* The status byte: the last byte of the last buffer, which must be writable. */
static uint8_t *status_byte(const struct bb_guest_ram *ram, const struct bb_vring_chain *c)
{
	if (c->n == 0 || !c->bufs[c->n - 1].device_writes || c->bufs[c->n - 1].len == 0)
		return NULL;
	const struct bb_vring_buf *b = &c->bufs[c->n - 1];
	return (uint8_t *)bb_guest_ptr(ram, b->gpa + b->len - 1, 1);
}

static struct bb_blk_outcome finish(uint8_t *status, uint8_t value, uint64_t data, const char *why)
{
	*status = value;
	/* a used entry's length is 32 bits: no real request comes near */
	uint32_t written = data < UINT32_MAX ? (uint32_t)data + 1 : UINT32_MAX;
	return (struct bb_blk_outcome){ .status = value, .written = written, .why = why };
}

struct bb_blk_outcome bb_virtio_blk_execute(const struct bb_blk_disk *disk, const struct bb_guest_ram *ram,
					    const struct bb_vring_chain *chain)
{
	uint8_t *status = status_byte(ram, chain);
	if (!status)
		return (struct bb_blk_outcome){ .status = 0xff, .why = "the chain ends in no writable status byte" };
	struct iovec iov[BB_VRING_MAX_CHAIN];
	uint64_t got;
	uint8_t header[HEADER_BYTES] = { 0 };
	size_t n = segments(ram, chain, false, 0, chain->readable > HEADER_BYTES ? chain->readable - HEADER_BYTES : 0, iov, &got);
	if (got < HEADER_BYTES)
		return finish(status, BB_VIRTIO_BLK_S_IOERR, 0, "the request header is shorter than 16 bytes");
	for (size_t i = 0, at = 0; i < n; at += iov[i].iov_len, i++)
		memcpy(header + at, iov[i].iov_base, iov[i].iov_len);
	uint32_t type;
	uint64_t sector;
	memcpy(&type, header, 4);
	memcpy(&sector, header + 8, 8);

	uint64_t bytes;
	switch (type) {
	case BB_VIRTIO_BLK_T_IN:
	case BB_VIRTIO_BLK_T_OUT: {
		bool out = type == BB_VIRTIO_BLK_T_OUT;
		n = out ? segments(ram, chain, false, HEADER_BYTES, 0, iov, &bytes) : segments(ram, chain, true, 0, 1, iov, &bytes);
		if (bytes % BB_SECTOR)
			return finish(status, BB_VIRTIO_BLK_S_IOERR, 0, "the data is not a whole number of sectors");
		if (sector > disk->sectors || bytes / BB_SECTOR > disk->sectors - sector)
			return finish(status, BB_VIRTIO_BLK_S_IOERR, 0, "the request runs past the end of the disk");
		if (out && disk->read_only)
			return finish(status, BB_VIRTIO_BLK_S_IOERR, 0, "a write to a read-only disk");
		if (transfer(disk->fd, iov, n, sector * BB_SECTOR, out) < 0)
			return finish(status, BB_VIRTIO_BLK_S_IOERR, 0, "the backing file's I/O failed");
		return finish(status, BB_VIRTIO_BLK_S_OK, out ? 0 : bytes, NULL);
	}
	case BB_VIRTIO_BLK_T_FLUSH:
		if (!disk->read_only && fdatasync(disk->fd) < 0)
			return finish(status, BB_VIRTIO_BLK_S_IOERR, 0, "fdatasync of the backing file failed");
		return finish(status, BB_VIRTIO_BLK_S_OK, 0, NULL);
	case BB_VIRTIO_BLK_T_GET_ID: {
		n = segments(ram, chain, true, 0, 1, iov, &bytes);
		uint64_t copied = 0;
		for (size_t i = 0; i < n && copied < BB_VIRTIO_BLK_ID_BYTES; i++) {
			size_t take = iov[i].iov_len < BB_VIRTIO_BLK_ID_BYTES - copied ? iov[i].iov_len : BB_VIRTIO_BLK_ID_BYTES - copied;
			memcpy(iov[i].iov_base, disk->id + copied, take);
			copied += take;
		}
		return finish(status, BB_VIRTIO_BLK_S_OK, copied, NULL);
	}
	default:
		return finish(status, BB_VIRTIO_BLK_S_UNSUPP, 0, "a request type the device does not offer");
	}
}
