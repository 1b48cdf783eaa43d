#include "device_manager.h"

#include <inttypes.h>
#include <stdio.h>

#include "errorf.h"

void bb_dm_init(struct bb_device_manager *dm, uint64_t window_base, uint64_t window_end, uint32_t irq_base,
		uint32_t irq_count)
{
	*dm = (struct bb_device_manager){
		.window_base = window_base,
		.window_end = window_end,
		.irq_base = irq_base,
		.irq_count = irq_count,
	};
}

static int overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

/* Checks base..base+len against every region and reserves it. */
static int claim(struct bb_device_manager *dm, const char *name, const char *fix, uint64_t base, uint64_t len,
		 char *err, size_t errlen)
{
	if (base + len < base) {
		bb_errorf(err, errlen, "%s at 0x%" PRIx64 " wrap around the address space: %s", name, base, fix);
		return -1;
	}
	for (uint32_t i = 0; i < dm->nr_regions; i++) {
		const struct bb_region *r = &dm->regions[i];
		if (overlaps(base, len, r->base, r->len)) {
			bb_errorf(err, errlen, "%s at 0x%" PRIx64 "..0x%" PRIx64 " overlap %s at 0x%" PRIx64 "..0x%" PRIx64 ": %s",
				  name, base, base + len, r->name, r->base, r->base + r->len, fix);
			return -1;
		}
	}
	if (dm->nr_regions == BB_DM_MAX_REGIONS) {
		bb_errorf(err, errlen, "more than %d regions in the guest address space (bootbench's own limit)",
			  BB_DM_MAX_REGIONS);
		return -1;
	}
	struct bb_region *r = &dm->regions[dm->nr_regions++];
	*r = (struct bb_region){ .fix = fix, .base = base, .len = len };
	snprintf(r->name, sizeof(r->name), "%s", name);
	return 0;
}

int bb_dm_reserve(struct bb_device_manager *dm, const char *name, const char *fix, uint64_t base, uint64_t len,
		  char *err, size_t errlen)
{
	return len ? claim(dm, name, fix, base, len, err, errlen) : 0;
}

/* One device in the list the workload is told of (when one is kept). */
static int record(struct bb_device_manager *dm, struct bb_machine_device d, char *err, size_t errlen)
{
	if (!dm->placed)
		return 0;
	if (dm->nr_placed == dm->placed_capacity) {
		bb_errorf(err, errlen, "more devices placed than declared (bootbench bug)");
		return -1;
	}
	dm->placed[dm->nr_placed++] = d;
	return 0;
}

int bb_dm_record(struct bb_device_manager *dm, const struct bb_machine_device *d, char *err, size_t errlen)
{
	return record(dm, *d, err, errlen);
}

int bb_dm_place_mmio(struct bb_device_manager *dm, const struct bb_placement *pl, char *err, size_t errlen)
{
	uint64_t len = pl->stride * pl->count;
	if (pl->count == 0)
		return 0;
	if (pl->base < dm->window_base || pl->base + len > dm->window_end || pl->base + len < pl->base) {
		bb_errorf(err, errlen, "%s at 0x%" PRIx64 " with stride 0x%" PRIx64 " do not fit in the device window 0x%" PRIx64 "..0x%" PRIx64 ": %s",
			  pl->name, pl->base, pl->stride, dm->window_base, dm->window_end, pl->fix);
		return -1;
	}
	if (claim(dm, pl->name, pl->fix, pl->base, len, err, errlen) < 0)
		return -1;
	for (uint32_t i = 0; i < pl->count; i++) {
		uint64_t base = pl->base + (uint64_t)i * pl->stride;
		uint32_t irq = 0;
		if (pl->irqs)
			irq = dm->irq_base + dm->next_irq++ % dm->irq_count;
		if (dm->mmio && pl->handler && bb_io_bus_add(dm->mmio, base, pl->stride, pl->handler, (char *)pl->devs + i * pl->dev_size) < 0) {
			bb_errorf(err, errlen, "the MMIO bus has no room for %s (bootbench bug)", pl->name);
			return -1;
		}
		if (pl->type && record(dm, (struct bb_machine_device){ .type = pl->type, .gpa = base, .len = pl->stride, .irq = irq },
				       err, errlen) < 0)
			return -1;
	}
	return 0;
}

int bb_dm_place_pio(struct bb_device_manager *dm, const struct bb_placement *pl, char *err, size_t errlen)
{
	uint64_t end = pl->base + pl->stride * pl->count;
	if (end > 0x10000) {
		bb_errorf(err, errlen, "%s at port 0x%" PRIx64 " with stride 0x%" PRIx64 " end past port 0xffff: %s", pl->name,
			  pl->base, pl->stride, pl->fix);
		return -1;
	}
	for (uint32_t i = 0; i < pl->count; i++) {
		uint64_t base = pl->base + (uint64_t)i * pl->stride;
		if (dm->pio && bb_io_bus_add(dm->pio, base, pl->stride, pl->handler, (char *)pl->devs + i * pl->dev_size) < 0) {
			bb_errorf(err, errlen, "%s overlap another port range at 0x%" PRIx64 ": %s", pl->name, base, pl->fix);
			return -1;
		}
		/* the legacy window of the i-th of the devices placed last */
		if (dm->placed && dm->nr_placed >= pl->count) {
			struct bb_machine_device *d = &dm->placed[dm->nr_placed - pl->count + i];
			d->pio = (uint32_t)base;
			d->pio_len = (uint32_t)pl->stride;
		}
	}
	return 0;
}

int bb_dm_place_port(struct bb_device_manager *dm, const struct bb_placement *pl, uint32_t irq, char *err,
		     size_t errlen)
{
	if (pl->base + pl->stride > 0x10000) {
		bb_errorf(err, errlen, "%s at port 0x%" PRIx64 " end past port 0xffff: %s", pl->name, pl->base, pl->fix);
		return -1;
	}
	if (dm->pio && bb_io_bus_add(dm->pio, pl->base, pl->stride, pl->handler, pl->devs) < 0) {
		bb_errorf(err, errlen, "%s overlap another port range at 0x%" PRIx64 ": %s", pl->name, pl->base, pl->fix);
		return -1;
	}
	if (!pl->type)
		return 0;
	return record(dm, (struct bb_machine_device){ .type = pl->type, .pio = (uint32_t)pl->base, .pio_len = (uint32_t)pl->stride, .irq = irq },
		      err, errlen);
}
