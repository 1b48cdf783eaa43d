/* The named profiles, embedded from the JSON files in workloads/profiles. */
#include "profile.h"

#define EMBEDDED(name)                                  \
	extern const unsigned char bb_profile_##name[]; \
	extern const size_t bb_profile_##name##_size;
EMBEDDED(firecracker)
EMBEDDED(qemu)
EMBEDDED(crosvm)
EMBEDDED(stress)
EMBEDDED(arm64_many_vcpus)
EMBEDDED(linux_firecracker)
EMBEDDED(linux_qemu)
EMBEDDED(linux_firecracker_pci)
EMBEDDED(linux_qemu_pci)
#undef EMBEDDED

#define ENTRY(name) { #name, bb_profile_##name, &bb_profile_##name##_size }
#define NAMED(text, name) { text, bb_profile_##name, &bb_profile_##name##_size }
const struct bb_builtin_profile bb_builtin_profiles[] = {
	ENTRY(firecracker),
	ENTRY(qemu),
	ENTRY(crosvm),
	ENTRY(stress),
	NAMED("arm64-many-vcpus", arm64_many_vcpus),
	NAMED("linux-firecracker", linux_firecracker),
	NAMED("linux-qemu", linux_qemu),
	NAMED("linux-firecracker-pci", linux_firecracker_pci),
	NAMED("linux-qemu-pci", linux_qemu_pci),
};
#undef ENTRY
#undef NAMED
const size_t bb_builtin_profile_count =
	sizeof(bb_builtin_profiles) / sizeof(bb_builtin_profiles[0]);
