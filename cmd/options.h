/* Option parsers of the subcommands whose parsing is small enough not to
 * need a header of its own (info, profiles, plot, sweep). Each parses only:
 * nothing runs, prints or touches a file, so tests and fuzz targets drive
 * them alone. Each returns 0 (or with help set), or -1 with a one-line
 * error naming the bad input (exit status 2). */
#ifndef BOOTBENCH_OPTIONS_H
#define BOOTBENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run_options.h"

struct bb_info_args {
	bool json;
	uint32_t vms;
	uint32_t registrations;
	struct bb_host_target host; /* --host */
	bool help;
};
int bb_info_parse(int argc, char **argv, struct bb_info_args *a, char *err, size_t errlen);

struct bb_profiles_args {
	bool help;
};
int bb_profiles_parse(int argc, char **argv, struct bb_profiles_args *a, char *err, size_t errlen);

#define BB_PLOT_MAX_OPS 16
#define BB_PLOT_MAX_NAMES 64
#define BB_PLOT_DEFAULT_OPS 3 /* KVM_IOEVENTFD, KVM_SET_USER_MEMORY_REGION, KVM_CREATE_VCPU */

struct bb_plot_args {
	const char *out_dir;
	bool png, svg, pool, help;
	uint32_t timeout_ms; /* each gnuplot is killed after this */
	const char *ops[BB_PLOT_MAX_OPS];
	size_t nops;
	/* --name N=NAME: side N (1-based, after --pool) is called NAME */
	const char *names[BB_PLOT_MAX_NAMES];
	int first_file; /* argv index of the first result file */
};
int bb_plot_parse(int argc, char **argv, struct bb_plot_args *a, char *err, size_t errlen);

#define BB_SWEEP_MAX_VALUES 32

struct bb_sweep_axis {
	const char *option; /* "--devices" */
	const char *field;  /* "devices" */
	uint32_t values[BB_SWEEP_MAX_VALUES];
	size_t n;
};

struct bb_sweep_args {
	struct bb_sweep_axis axes[3]; /* devices, vcpus, queues */
	struct bb_run_args base;   /* every other option, as run takes it */
	size_t points;
	bool help;
};
/* Takes the axes out of argv (which it rewrites), parses the rest as run
 * does, and checks that every point of the grid makes a valid profile. */
int bb_sweep_parse(int argc, char **argv, struct bb_sweep_args *a, char *err, size_t errlen);
/* Point p's profile, from base and the axes; values gets its 3 values. */
int bb_sweep_point(const struct bb_sweep_args *a, size_t p, struct bb_run_args *point, uint32_t values[3],
		   char *err, size_t errlen);

#endif
