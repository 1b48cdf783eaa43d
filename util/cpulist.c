/* --pin CPULIST, in the kernel's cpulist format ("0-3,6"). */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errorf.h"
#include "parse.h"

static void allowed_cpus(const cpu_set_t *set, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE && used < len; c++)
		if (CPU_ISSET(c, set))
			used += (size_t)snprintf(buf + used, len - used, "%s%d", used ? "," : "", c);
}

int bb_parse_cpulist(const char *text, int *cpus, uint32_t max, uint32_t *count, char *err,
		     size_t errlen)
{
	cpu_set_t allowed;
	CPU_ZERO(&allowed);
	sched_getaffinity(0, sizeof(allowed), &allowed);
	return bb_parse_cpulist_in(text, &allowed, "to this process", cpus, max, count, err, errlen);
}

int bb_parse_cpulist_in(const char *text, const cpu_set_t *set, const char *where, int *cpus, uint32_t max,
			uint32_t *count, char *err, size_t errlen)
{
	cpu_set_t allowed = *set;
	char allowed_text[256];
	const char *p = text;
	uint32_t n = 0;

	allowed_cpus(&allowed, allowed_text, sizeof(allowed_text));
	if (!*p)
		goto bad;
	while (*p) {
		char *end;
		if (!isdigit((unsigned char)*p))
			goto bad;
		errno = 0;
		long lo = strtol(p, &end, 10), hi = lo;
		p = end;
		if (*p == '-') {
			if (!isdigit((unsigned char)p[1]))
				goto bad;
			hi = strtol(p + 1, &end, 10);
			p = end;
		}
		if (errno || hi < lo || hi >= CPU_SETSIZE)
			goto bad;
		for (long c = lo; c <= hi; c++) {
			if (!CPU_ISSET(c, &allowed)) {
				bb_errorf(err, errlen, "CPU %ld in --pin %s is not available %s: choose from %s",
					 c, text, where, allowed_text);
				return -1;
			}
			if (n == max) {
				bb_errorf(err, errlen, "--pin %s names more than %u CPUs", text, max);
				return -1;
			}
			cpus[n++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p)
			goto bad;
	}
	*count = n;
	return 0;
bad:
	bb_errorf(err, errlen, "bad CPU list '%s' for --pin: use a list such as 0, 0-3 or 0,2-3 (available: %s)",
		 text, allowed_text);
	return -1;
}
