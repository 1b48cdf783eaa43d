#include "duration.h"

#include <math.h>
#include <stdio.h>

void bb_format_duration(double ns, enum bb_duration_style style, char *buf, size_t len)
{
	static const struct {
		double scale;
		const char *unit;
	} units[] = { { 1, "ns" }, { 1e3, "us" }, { 1e6, "ms" }, { 1e9, "s" } };

	if (isnan(ns)) {
		snprintf(buf, len, "-");
		return;
	}
	size_t u = 0;
	while (u + 1 < sizeof(units) / sizeof(units[0]) && fabs(ns) >= units[u + 1].scale)
		u++;
	double v = ns / units[u].scale;
	const char *sep = style == BB_DURATION_TABLE ? " " : "";
	int decimals;
	if (u == 0)
		decimals = 0;
	else if (style == BB_DURATION_TABLE)
		decimals = 2;
	else
		decimals = fabs(v) >= 100 ? 0 : fabs(v) >= 10 ? 1 : 2;
	snprintf(buf, len, "%.*f%s%s", decimals, v, sep, units[u].unit);
}
