/* Durations as people read them: one unit choice, two layouts. */
#ifndef BOOTBENCH_DURATION_H
#define BOOTBENCH_DURATION_H

#include <stddef.h>

enum bb_duration_style {
	BB_DURATION_TABLE,   /* "1.50 us": two decimals, aligned in tables */
	BB_DURATION_COMPACT, /* "1.50us", "15.0us", "150us": three figures, for report cells */
};

/* ns in the largest unit of ns, us, ms, s it reaches; "-" for NaN. */
void bb_format_duration(double ns, enum bb_duration_style style, char *buf, size_t len);

#endif
