#include "io_bus.h"

#include <stdlib.h>
#include <string.h>

int bb_io_bus_init(struct bb_io_bus *bus, uint32_t capacity)
{
	*bus = (struct bb_io_bus){ 0 };
	bus->ranges = calloc(capacity ? capacity : 1, sizeof(*bus->ranges));
	if (!bus->ranges)
		return -1;
	bus->capacity = capacity;
	return 0;
}

void bb_io_bus_free(struct bb_io_bus *bus)
{
	free(bus->ranges);
	*bus = (struct bb_io_bus){ 0 };
}

/* The index of the first range whose base is above addr. */
static uint32_t upper_bound(const struct bb_io_bus *bus, uint64_t addr)
{
	uint32_t lo = 0, hi = bus->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (bus->ranges[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int bb_io_bus_add(struct bb_io_bus *bus, uint64_t base, uint64_t len, bb_io_handler handler, void *dev)
{
	if (len == 0 || base + len < base || bus->n == bus->capacity)
		return -1;
	uint32_t at = upper_bound(bus, base);
	if (at > 0) {
		const struct bb_io_range *prev = &bus->ranges[at - 1];
		if (prev->base + prev->len > base)
			return -1;
	}
	if (at < bus->n && base + len > bus->ranges[at].base)
		return -1;
	memmove(&bus->ranges[at + 1], &bus->ranges[at], (bus->n - at) * sizeof(*bus->ranges));
	bus->ranges[at] = (struct bb_io_range){ .base = base, .len = len, .handler = handler, .dev = dev };
	bus->n++;
	return 0;
}

const struct bb_io_range *bb_io_bus_find(const struct bb_io_bus *bus, uint64_t addr)
{
	uint32_t at = upper_bound(bus, addr);
	if (at == 0)
		return NULL;
	const struct bb_io_range *r = &bus->ranges[at - 1];
	return addr - r->base < r->len ? r : NULL;
}
