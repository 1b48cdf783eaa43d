#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "printable.h"

int bb_parse_u32(const char *option, const char *text, uint32_t min, uint32_t max, uint32_t *out,
		 char *err, size_t errlen)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (!isdigit((unsigned char)text[0]) || errno || *end != '\0' || v < min || v > max) {
		bb_errorf(err, errlen, "bad value '%s' for %s: use an integer from %u to %u", text, option, min, max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int bb_parse_label(const char *text, char *key, size_t keylen, char *value, size_t valuelen,
		   char *err, size_t errlen)
{
	const char *eq = strchr(text, '=');
	size_t klen = eq ? (size_t)(eq - text) : 0;

	if (!eq || klen == 0) {
		bb_errorf(err, errlen, "bad label '%s': use --label key=value, for example --label patch=on", text);
		return -1;
	}
	for (size_t i = 0; i < klen; i++) {
		char c = text[i];
		if (!isalnum((unsigned char)c) && c != '_' && c != '-' && c != '.') {
			bb_errorf(err, errlen, "bad label key in '%s': keys use letters, digits, '_', '-' and '.'", text);
			return -1;
		}
	}
	if (klen >= keylen || strlen(eq + 1) >= valuelen) {
		bb_errorf(err, errlen, "label '%s' is too long: keep keys under %zu and values under %zu bytes",
			 text, keylen, valuelen);
		return -1;
	}
	if (!bb_text_is_clean(eq + 1)) {
		char shown[256];
		bb_printable(text, shown, sizeof(shown));
		bb_errorf(err, errlen, "bad label value in '%s': a control character or a byte that is not UTF-8; results are JSON, which holds only UTF-8 text",
			 shown);
		return -1;
	}
	memcpy(key, text, klen);
	key[klen] = '\0';
	memcpy(value, eq + 1, strlen(eq + 1) + 1); /* fits: checked above */
	return 0;
}

void bb_option_error(int c, int argc, char **argv, const char *cmd, char *err, size_t errlen)
{
	/* getopt leaves optind past the bad word, except inside a cluster of
	 * short options ("-xy"), where only optopt names the bad letter. */
	const char *word = optind > 1 && optind - 1 < argc ? argv[optind - 1] : "";
	if (c == ':')
		bb_errorf(err, errlen, "option %.200s needs a value: see bootbench %s --help", word, cmd);
	else if (!strncmp(word, "--", 2) && strchr(word, '=') && optopt != 0)
		bb_errorf(err, errlen, "option %.*s takes no value: give it alone (see bootbench %s --help)",
			 (int)(strchr(word, '=') - word), word, cmd);
	else if (strncmp(word, "--", 2) && optopt > 0 && optopt < 128 && isgraph(optopt))
		bb_errorf(err, errlen, "unknown option '-%c': see bootbench %s --help", optopt, cmd);
	else
		bb_errorf(err, errlen, "unknown or ambiguous option '%.200s': see bootbench %s --help", word, cmd);
}

int bb_digits_value(const char *s, size_t n)
{
	if (n == 0 || n > 9)
		return -1;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}
