/* How every error message is formed: one line, whatever text from a file
 * or the command line it quotes. */
#ifndef BOOTBENCH_ERRORF_H
#define BOOTBENCH_ERRORF_H

#include <stddef.h>

/* snprintf into err, then each control character (a newline in a quoted
 * argument or JSON key, say) becomes '?'. A message too long for err has
 * its longest 'quoted' stretch cut to its start and its length, so the
 * reason and the fix at its end survive. Returns snprintf's count. */
int bb_errorf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
