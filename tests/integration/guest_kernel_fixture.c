/* Builds (or finds in the cache) the Linux workload's guest kernels for
 * this arch (on x86_64 the ACPI one and the MP-table one), so that the
 * tests that boot them inside an emulated host, whose view of this
 * machine is read-only, find them built; on x86_64 also the arm64 one,
 * which emulated_arm64 boots, so that its build (minutes, when the guest
 * config changes) is not inside that test's time. A missing cross
 * compiler leaves that to emulated_arm64, which says so and skips. */
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
		int arm = rc == 0 ? guest_kernel(SOURCE_DIR, "arm64", kernel, sizeof(kernel)) : 0;
		if (rc == 0 && arm == 0)
			printf("guest kernel (arm64, for emulated_arm64): %s\n", kernel);
		else if (rc == 0 && arm != SKIP_EXIT)
			rc = arm;
	}
	return rc;
}
