#include <stdio.h>
#include <string.h>

#include "errorf.h"
#include "options.h"
#include "parse.h"
#include "vm.h"

static int parse_list(struct bb_sweep_axis *a, const char *text, char *err, size_t errlen)
{
	char buf[512];
	if (strlen(text) >= sizeof(buf)) {
		bb_errorf(err, errlen, "%s list is too long: at most %d values", a->option, BB_SWEEP_MAX_VALUES);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", text);
	a->n = 0;
	/* strtok would skip an empty item: "1,,2" is a typo, not two values */
	size_t len = strlen(text);
	if (len == 0 || text[0] == ',' || text[len - 1] == ',' || strstr(text, ",,")) {
		bb_errorf(err, errlen, "%s '%s' has an empty item: give values separated by single commas, such as 16,64,256",
			 a->option, text);
		return -1;
	}
	char *save;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (a->n == BB_SWEEP_MAX_VALUES) {
			bb_errorf(err, errlen, "%s lists more than %d values", a->option, BB_SWEEP_MAX_VALUES);
			return -1;
		}
		if (bb_parse_u32(a->option, tok, 1, 4096, &a->values[a->n++], err, errlen) < 0)
			return -1;
	}
	if (a->n == 0) {
		bb_errorf(err, errlen, "%s needs a list of values, such as 16,64,256", a->option);
		return -1;
	}
	return 0;
}

/* Takes the sweep's own list options out of argv; the rest is run's. */
static int extract_axes(int *argc, char **argv, struct bb_sweep_args *a, char *err, size_t errlen)
{
	int out = 1;
	for (int i = 1; i < *argc && argv[i]; i++) {
		bool taken = false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			a->help = true;
		for (size_t k = 0; k < 3 && !taken; k++) {
			struct bb_sweep_axis *axis = &a->axes[k];
			size_t len = strlen(axis->option);
			const char *value = NULL;
			if (!strcmp(argv[i], axis->option)) {
				if (i + 1 >= *argc || !argv[i + 1]) {
					bb_errorf(err, errlen, "option %s needs a value: see bootbench sweep --help", argv[i]);
					return -1;
				}
				value = argv[++i];
			} else if (!strncmp(argv[i], axis->option, len) && argv[i][len] == '=') {
				value = argv[i] + len + 1;
			}
			if (value) {
				if (parse_list(axis, value, err, errlen) < 0)
					return -1;
				taken = true;
			}
		}
		if (!taken)
			argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int bb_sweep_point(const struct bb_sweep_args *a, size_t p, struct bb_run_args *point, uint32_t values[3],
		   char *err, size_t errlen)
{
	*point = a->base;
	values[0] = values[1] = values[2] = 0;
	for (size_t k = 0; k < 3; k++) {
		char text[16];
		values[k] = a->axes[k].values[p % a->axes[k].n];
		p /= a->axes[k].n;
		snprintf(text, sizeof(text), "%u", values[k]);
		if (bb_profile_set(&point->cfg.profile, a->axes[k].field, text, err, errlen) < 0)
			return -1;
	}
	return bb_vm_resolve_profile(&point->cfg.profile, err, errlen);
}

int bb_sweep_parse(int argc, char **argv, struct bb_sweep_args *a, char *err, size_t errlen)
{
	static const struct bb_sweep_axis axes[3] = { { "--devices", "devices", { 0 }, 0 },
						       { "--vcpus", "vcpus", { 0 }, 0 },
						       { "--queues", "queues", { 0 }, 0 } };
	memset(a, 0, sizeof(*a));
	memcpy(a->axes, axes, sizeof(axes));
	if (extract_axes(&argc, argv, a, err, errlen) < 0)
		return -1;
	if (a->help)
		return 0;
	if (a->axes[0].n + a->axes[1].n + a->axes[2].n == 0) {
		bb_errorf(err, errlen, "give at least one of --devices, --vcpus, --queues as a list, e.g. --devices 16,64,256");
		return -1;
	}
	if (bb_run_parse(argc, argv, &a->base, err, errlen) < 0)
		return -1;
	if (a->base.help) {
		a->help = true;
		return 0;
	}
	if (a->base.host.kind != BB_HOST_LOCAL) {
		/* each point is a run of its own: the emulated host runs them one at a time */
		bb_errorf(err, errlen, "sweep runs on this machine's KVM only: run each point with bootbench run --host %s (e.g. --devices 16, then 64)",
			  !strcmp(a->base.host.arch, "arm64") ? "emulated-arm64" : "emulated-x86_64");
		return -1;
	}
	const struct bb_profile *base = &a->base.cfg.profile;
	const uint32_t own[3] = { base->devices, base->vcpus, base->queues };
	for (size_t k = 0; k < 3; k++) {
		if (a->axes[k].n == 0) { /* the profile's own value */
			a->axes[k].n = 1;
			a->axes[k].values[0] = own[k];
		}
	}
	/* every point must make a valid profile before anything runs */
	a->points = a->axes[0].n * a->axes[1].n * a->axes[2].n;
	struct bb_run_args point;
	for (size_t p = 0; p < a->points; p++) {
		uint32_t v[3];
		char why[768];
		if (bb_sweep_point(a, p, &point, v, why, sizeof(why)) < 0) {
			bb_errorf(err, errlen, "at devices=%u vcpus=%u queues=%u: %s", v[0], v[1], v[2], why);
			return -1;
		}
	}
	return 0;
}
