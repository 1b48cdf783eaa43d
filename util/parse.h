/* Option value parsers shared by the subcommands. Each returns 0, or -1
 * with a one-line message that names the option, the value and the fix. */
#ifndef BOOTBENCH_PARSE_H
#define BOOTBENCH_PARSE_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>

#define BB_EXIT_OK 0
#define BB_EXIT_FAILED 1
#define BB_EXIT_USAGE 2
#define BB_EXIT_INTERRUPTED 130

int bb_parse_u32(const char *option, const char *text, uint32_t min, uint32_t max, uint32_t *out,
		 char *err, size_t errlen);
/* "key=value"; the key is [A-Za-z0-9_.-]+, the value any printable text. */
int bb_parse_label(const char *text, char *key, size_t keylen, char *value, size_t valuelen,
		   char *err, size_t errlen);
/* "0-3,6": CPUs that must be in this process's affinity mask. */
int bb_parse_cpulist(const char *text, int *cpus, uint32_t max, uint32_t *count, char *err,
		     size_t errlen);
/* The same against a given set of CPUs, named by where ("in the emulated
 * host") in its errors. */
int bb_parse_cpulist_in(const char *text, const cpu_set_t *set, const char *where, int *cpus, uint32_t max,
			uint32_t *count, char *err, size_t errlen);

/* The value of the n (1 to 9) decimal digits at s, or -1 when n is out
 * of range or any of them is no digit: a field of fixed width (a port, a
 * part of a time). */
int bb_digits_value(const char *s, size_t n);

/* The error for getopt_long's ':' (a value missing) or '?' (an unknown
 * option, or a value given to one that takes none), for "bootbench cmd". */
void bb_option_error(int c, int argc, char **argv, const char *cmd, char *err, size_t errlen);

#endif
