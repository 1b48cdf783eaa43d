/* Builds (or finds in the cache) the Linux workload's guest kernel for
 * this arch, so that the tests that boot it inside an emulated host,
 * whose view of this machine is read-only, find it built. */
#include <stdio.h>

#include "harness.h"

int main(void)
{
	char kernel[512];
	int rc = guest_kernel(SOURCE_DIR, BB_ARCH_NAME, kernel, sizeof(kernel));
	if (rc == 0)
		printf("guest kernel: %s\n", kernel);
	return rc;
}
