/* Where bootbench's own files are: beside an installed binary
 * (<prefix>/share/bootbench/<what>) or in the source tree it was built
 * from. plot finds its gnuplot scripts so, run --host emulated its lab
 * scripts. */
#ifndef BOOTBENCH_DATA_DIR_H
#define BOOTBENCH_DATA_DIR_H

#include <stdbool.h>
#include <stddef.h>

/* The directory of what (e.g. "plot") holding probe (e.g. "startup.gp"):
 * $env if set (an error if it lacks probe), else share/bootbench/<what>
 * under the prefix the binary was installed in (bin/..), else built_in.
 * 0, or -1 with a one-line error naming where it looked and the fix. */
int bb_data_dir(const char *what, const char *probe, const char *env, const char *built_in, char *buf, size_t len,
		char *err, size_t errlen);

#endif
