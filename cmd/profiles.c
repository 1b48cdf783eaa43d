/* bootbench profiles: the built-in profiles and what each models. */
#include <stdio.h>

#include "cmd.h"
#include "options.h"
#include "parse.h"
#include "profile.h"

int cmd_profiles(int argc, char **argv)
{
	struct bb_profiles_args a;
	char err[512];

	if (bb_profiles_parse(argc, argv, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "bootbench profiles: %s\n", err);
		return BB_EXIT_USAGE;
	}
	if (a.help) {
		printf("usage: bootbench profiles\n\nLists the built-in profiles; bootbench run --profile NAME uses one,\nand --profile PATH.json a profile of your own with the same fields.\n");
		return BB_EXIT_OK;
	}
	for (size_t i = 0; i < bb_builtin_profile_count; i++) {
		struct bb_profile p;
		char styles[64];
		if (bb_profile_load(&p, bb_builtin_profiles[i].name, err, sizeof(err)) < 0) {
			fprintf(stderr, "bootbench profiles: %s\n", err);
			return BB_EXIT_FAILED;
		}
		bb_profile_styles_string(&p, styles, sizeof(styles));
		printf("%-12s %u vCPUs, %u devices x %u queues, style %s, when %s%s\n  %s\n\n", p.name,
		       p.vcpus, p.devices, p.queues, styles, bb_when_name(p.when),
		       i == 0 ? " (default)" : "", p.description);
	}
	return BB_EXIT_OK;
}
