/* Builds (or finds in the cache) the Linux workload's guest kernels for
 * this arch (on x86_64 the ACPI one and the MP-table one), so that the
 * tests that boot them inside an emulated host, whose view of this
 * machine is read-only, find them built. */
#include <stdio.h>
#include <string.h>

#include "harness.h"

int main(void)
{
	char kernel[512];
	int rc = guest_kernel(SOURCE_DIR, BB_ARCH_NAME, kernel, sizeof(kernel));
	if (rc == 0)
		printf("guest kernel (ACPI): %s\n", kernel);
	if (rc == 0 && !strcmp(BB_ARCH_NAME, "x86_64")) {
		rc = guest_kernel_with(SOURCE_DIR, BB_ARCH_NAME, "mptable", kernel, sizeof(kernel));
		if (rc == 0)
			printf("guest kernel (MP table): %s\n", kernel);
	}
	return rc;
}
