/* One virtio-blk request (virtio 1.x, 5.2.6), as the device's I/O thread
 * executes it from a chain the virtqueue walker checked: the 16-byte
 * header (type, sector) from the chain's readable bytes, the data between,
 * the status byte last. Reads and writes go straight between the backing
 * file and guest memory. The guest controls every byte of the request: a
 * request that does not fit the disk or the rules gets IOERR or UNSUPP,
 * never a read or write outside the disk or the chain. */
#ifndef BOOTBENCH_VIRTIO_BLK_REQUEST_H
#define BOOTBENCH_VIRTIO_BLK_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "virtqueue.h"

#define BB_VIRTIO_BLK_T_IN 0u
#define BB_VIRTIO_BLK_T_OUT 1u
#define BB_VIRTIO_BLK_T_FLUSH 4u
#define BB_VIRTIO_BLK_T_GET_ID 8u
#define BB_VIRTIO_BLK_S_OK 0u
#define BB_VIRTIO_BLK_S_IOERR 1u
#define BB_VIRTIO_BLK_S_UNSUPP 2u
#define BB_VIRTIO_BLK_ID_BYTES 20u
#define BB_SECTOR 512u

struct bb_blk_disk {
	int fd;
	uint64_t sectors;
	bool read_only;
	char id[BB_VIRTIO_BLK_ID_BYTES]; /* what GET_ID answers, NUL-padded */
};

struct bb_blk_outcome {
	uint8_t status;   /* what was written to the status byte, or 0xff if none could be */
	uint32_t written; /* bytes written into the chain, for its used entry */
	const char *why;  /* for a request refused: the rule it broke */
};

struct bb_blk_outcome bb_virtio_blk_execute(const struct bb_blk_disk *disk, const struct bb_guest_ram *ram,
					    const struct bb_vring_chain *chain);

#endif
