#include "kvm_device.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bb_kvm_device_path(void)
{
	const char *path = getenv("BOOTBENCH_KVM_DEVICE");
	return path && path[0] ? path : "/dev/kvm";
}

void bb_kvm_open_error(char *buf, size_t len, int errnum)
{
	const char *path = bb_kvm_device_path();
	const char *fix;

	switch (errnum) {
	case ENOENT:
		fix = "this host has no KVM device: run in an emulated host with --host emulated, or load KVM (modprobe kvm_intel or kvm_amd; on arm64 boot at EL2) on a host with virtualization enabled";
		break;
	case ENXIO:
	case ENODEV:
		fix = "the node is there but the kernel registered no KVM device behind it: run in an emulated host with --host emulated, or load KVM (modprobe kvm_intel or kvm_amd) on a host with virtualization enabled";
		break;
	case EACCES:
	case EPERM:
		fix = "run as root, or join the kvm group (sudo usermod -aG kvm $USER, then log in again), or run in an emulated host with --host emulated";
		break;
	case EMFILE:
	case ENFILE:
		fix = "raise the file descriptor limit (ulimit -n)";
		break;
	default:
		fix = "check that KVM works on this host";
		break;
	}
	snprintf(buf, len, "cannot open %s: %s; %s", path, strerror(errnum), fix);
}
