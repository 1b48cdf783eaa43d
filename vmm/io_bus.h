/* The VMM's own I/O buses, MMIO and port I/O: sorted, non-overlapping
 * ranges, each with the handler of the device behind it. Filled once per
 * run, before any VM boots; a lookup is a binary search and allocates
 * nothing. */
#ifndef BOOTBENCH_IO_BUS_H
#define BOOTBENCH_IO_BUS_H

#include <stdbool.h>
#include <stdint.h>

struct bb_vcpu;

/* One guest access that reached the VMM. */
struct bb_io_access {
	void *dev;     /* the device's state, as placed */
	uint64_t base; /* where its range starts */
	uint64_t addr; /* the address or port accessed */
	uint8_t *data; /* len bytes: the value written, or where to put the value read */
	uint32_t len;
	bool is_write;
};

/* Returns 0, or -1 when the access failed the iteration (bb_vm_fail). */
typedef int (*bb_io_handler)(struct bb_vcpu *vcpu, const struct bb_io_access *a);

struct bb_io_range {
	uint64_t base, len;
	bb_io_handler handler;
	void *dev;
};

struct bb_io_bus {
	struct bb_io_range *ranges; /* sorted by base */
	uint32_t n, capacity;
};

int bb_io_bus_init(struct bb_io_bus *bus, uint32_t capacity);
void bb_io_bus_free(struct bb_io_bus *bus);
/* -1 when the range overlaps one already there, is empty, or the bus is
 * full. */
int bb_io_bus_add(struct bb_io_bus *bus, uint64_t base, uint64_t len, bb_io_handler handler, void *dev);
/* The range holding addr, or NULL. */
const struct bb_io_range *bb_io_bus_find(const struct bb_io_bus *bus, uint64_t addr);

#endif
