/* Opening /dev/kvm with errors that say what to do. */
#ifndef BOOTBENCH_KVM_DEVICE_H
#define BOOTBENCH_KVM_DEVICE_H

#include <stddef.h>

/* The device node: $BOOTBENCH_KVM_DEVICE, else /dev/kvm. */
const char *bb_kvm_device_path(void);
/* One line for an open() failure of the device with errnum. */
void bb_kvm_open_error(char *buf, size_t len, int errnum);

#endif
