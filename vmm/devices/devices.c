#include "devices.h"

#include <string.h>

#include "errorf.h"

static const struct {
	const char *type;
	bb_device_place_fn place;
} device_types[] = {
	{ "boot-timer", bb_boot_timer_place },
	{ "virtio-synthetic", bb_virtio_synthetic_place },
	{ "uart-8250", bb_uart_place },
	{ "virtio-blk", bb_virtio_blk_place },
	{ "pci-host", bb_pci_host_place },
	{ "virtio-blk-pci", bb_virtio_blk_pci_place },
};

int bb_device_place(const char *type, uint32_t count, struct bb_device_manager *dm, const struct bb_profile *p,
		    struct bb_vm *vm, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(device_types) / sizeof(device_types[0]); i++)
		if (!strcmp(device_types[i].type, type))
			return device_types[i].place(dm, p, vm, count, err, errlen);
	bb_errorf(err, errlen, "the workload asks for a device of type '%s', which the VMM does not have (bootbench bug)",
		  type);
	return -1;
}
