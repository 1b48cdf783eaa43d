#include "rfc3339.h"

#include <string.h>
#include <time.h>

#include "parse.h"

bool bb_rfc3339_ns(const char *s, int64_t *ns)
{
	if (strnlen(s, 64) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	int year = bb_digits_value(s, 4), month = bb_digits_value(s + 5, 2), day = bb_digits_value(s + 8, 2);
	int hour = bb_digits_value(s + 11, 2), min = bb_digits_value(s + 14, 2), sec = bb_digits_value(s + 17, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || min < 0 ||
	    min > 59 || sec < 0 || sec > 60)
		return false;
	const char *p = s + 19;
	int64_t frac = 0;
	if (*p == '.') {
		size_t f = strspn(p + 1, "0123456789");
		if (f == 0 || f > 9)
			return false;
		frac = bb_digits_value(p + 1, f);
		for (size_t i = f; i < 9; i++)
			frac *= 10;
		p += 1 + f;
	}
	int offset_s = 0;
	if (strcmp(p, "Z")) {
		bool shaped = strlen(p) == 6 && (p[0] == '+' || p[0] == '-') && p[3] == ':';
		int oh = shaped ? bb_digits_value(p + 1, 2) : -1, om = shaped ? bb_digits_value(p + 4, 2) : -1;
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return false;
		offset_s = (oh * 60 + om) * 60 * (p[0] == '-' ? -1 : 1);
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
