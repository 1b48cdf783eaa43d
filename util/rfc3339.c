#include "rfc3339.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* the value of n digits at s, which all_digits checked */
static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool bb_rfc3339_ns(const char *s, int64_t *ns)
{
	size_t n = strnlen(s, 64);
	if (n < 20 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) || s[7] != '-' ||
	    !all_digits(s + 8, 2) || s[10] != 'T' || !all_digits(s + 11, 2) || s[13] != ':' ||
	    !all_digits(s + 14, 2) || s[16] != ':' || !all_digits(s + 17, 2))
		return false;
	int year = digits_value(s, 4), month = digits_value(s + 5, 2), day = digits_value(s + 8, 2);
	int hour = digits_value(s + 11, 2), min = digits_value(s + 14, 2), sec = digits_value(s + 17, 2);
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
		return false;
	const char *p = s + 19;
	int64_t frac = 0;
	if (*p == '.') {
		size_t f = strspn(p + 1, "0123456789");
		if (f == 0 || f > 9)
			return false;
		frac = digits_value(p + 1, f);
		for (size_t i = f; i < 9; i++)
			frac *= 10;
		p += 1 + f;
	}
	int offset_s = 0;
	if (strcmp(p, "Z")) {
		if (strlen(p) != 6 || (p[0] != '+' && p[0] != '-') || !all_digits(p + 1, 2) || p[3] != ':' ||
		    !all_digits(p + 4, 2) || digits_value(p + 1, 2) > 23 || digits_value(p + 4, 2) > 59)
			return false;
		offset_s = (digits_value(p + 1, 2) * 60 + digits_value(p + 4, 2)) * 60 * (p[0] == '-' ? -1 : 1);
	}
	if (!ns)
		return true;
	struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day,
			 .tm_hour = hour, .tm_min = min, .tm_sec = sec };
	int64_t secs = (int64_t)timegm(&tm) - offset_s;
	/* int64 nanoseconds reach 2262 */
	if (secs < -9223372036LL || secs > 9223372035LL)
		return false;
	*ns = secs * 1000000000LL + frac;
	return true;
}
