#include "printable.h"

#include <stdio.h>

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0: overlong
 * forms, surrogates and code points past U+10FFFF are not valid. */
static size_t utf8_length(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n;
	unsigned cp;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) act as escapes on some terminals */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	return n;
}

static bool control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

void bb_printable(const char *in, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t used = 0;
	if (len == 0)
		return;
	while (*s) {
		size_t n = control(*s) ? 0 : utf8_length(s);
		if (n == 0) {
			if (used + 4 >= len)
				break;
			used += (size_t)snprintf(out + used, len - used, "\\x%02x", *s);
			s++;
			continue;
		}
		if (used + n >= len)
			break;
		for (size_t i = 0; i < n; i++)
			out[used++] = (char)s[i];
		s += n;
	}
	out[used] = '\0';
}

bool bb_text_is_clean(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	while (*s) {
		size_t n = control(*s) ? 0 : utf8_length(s);
		if (n == 0)
			return false;
		s += n;
	}
	return true;
}
