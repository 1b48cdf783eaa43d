/* Text from a result file or a host, made safe for a terminal: a control
 * byte or a byte that is not UTF-8 can forge a line ("PASS") or send an
 * ANSI escape, so each becomes \xNN; valid UTF-8 stays as it is. */
#ifndef BOOTBENCH_PRINTABLE_H
#define BOOTBENCH_PRINTABLE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the escaped text to out (always terminated; cut at len). */
void bb_printable(const char *in, char *out, size_t len);
/* Whether text is valid UTF-8 with no control characters but tab. */
bool bb_text_is_clean(const char *text);

#endif
