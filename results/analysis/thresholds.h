/* The gate's threshold file: per-metric regression limits, as JSON:
 *   { "alpha": 0.01, "metrics": { "startup": "5%", "phase:guest_init": 10 } }
 * "alpha" is optional; limits are percentages, as strings or numbers. */
#ifndef BOOTBENCH_THRESHOLDS_H
#define BOOTBENCH_THRESHOLDS_H

#include <stdbool.h>
#include <stddef.h>

#define BB_MAX_THRESHOLDS 64

struct bb_thresholds {
	bool has_alpha;
	double alpha;
	size_t n;
	char metric[BB_MAX_THRESHOLDS][160];
	double limit_pct[BB_MAX_THRESHOLDS];
};

int bb_thresholds_parse(const char *text, const char *origin, struct bb_thresholds *t, char *err,
			size_t errlen);
int bb_thresholds_load(const char *path, struct bb_thresholds *t, char *err, size_t errlen);

#endif
