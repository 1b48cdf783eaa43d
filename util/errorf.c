#include "errorf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A message longer than err holds (a 100 KB argument quoted in it) would
 * lose its end, which says what to do. The longest quoted stretch is cut
 * instead, to its start and its length, until the message fits. */
static void shorten_quotes(char *msg, size_t errlen)
{
	while (strlen(msg) >= errlen) {
		char *best = NULL;
		size_t best_len = 0;
		for (char *open = strchr(msg, '\''); open; ) {
			char *close = strchr(open + 1, '\'');
			if (!close)
				break;
			if ((size_t)(close - open - 1) > best_len) {
				best = open + 1;
				best_len = (size_t)(close - open - 1);
			}
			open = strchr(close + 1, '\'');
		}
		if (!best || best_len <= 80)
			return;
		char note[48];
		int n = snprintf(note, sizeof(note), "... (%zu bytes)", best_len);
		/* keep 40 bytes of the quote, then the note */
		memmove(best + 40 + n, best + best_len, strlen(best + best_len) + 1);
		memcpy(best + 40, note, (size_t)n);
	}
}

int bb_errorf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (errlen == 0)
		return 0;
	va_start(ap, fmt);
	char *full = NULL;
	int n = vasprintf(&full, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_start(ap, fmt);
		n = vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	} else {
		shorten_quotes(full, errlen);
		snprintf(err, errlen, "%s", full);
		free(full);
	}
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return n;
}
