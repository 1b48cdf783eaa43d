/* What every fuzz target shares: libFuzzer's entry point, and the check
 * that an error is one line of text, as every bootbench error must be. */
#ifndef BOOTBENCH_FUZZ_TARGET_H
#define BOOTBENCH_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void expect_one_line_error(const char *err)
{
	if (!err[0] || strchr(err, '\n')) {
		fprintf(stderr, "an error must be one non-empty line, got: '%s'\n", err);
		abort();
	}
}

/* The input as a NUL-terminated string (callers free it). */
static inline char *input_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
