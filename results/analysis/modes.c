#include "modes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ab_stats.h"
#include "stats.h"

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* The median absolute deviation of sorted s[0..n). */
static double mad(const double *s, size_t n, double *scratch)
{
	double m = bb_quantile_sorted(s, n, 0.5);
	for (size_t i = 0; i < n; i++)
		scratch[i] = fabs(s[i] - m);
	return bb_median_inplace(scratch, n);
}

int bb_modes_find(const double *v, size_t n, struct bb_modes *out)
{
	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n < BB_MODES_MIN_N)
		return 0;
	/* the sorted values, the scale the gap is measured on, scratch */
	double *s = malloc(3 * n * sizeof(*s));
	if (!s)
		return -1;
	double *x = s + n, *scratch = s + 2 * n;
	bool positive = true;
	for (size_t i = 0; i < n; i++) {
		s[i] = v[i];
		positive = positive && v[i] > 0;
	}
	qsort(s, n, sizeof(*s), cmp_double);
	for (size_t i = 0; i < n; i++)
		x[i] = positive ? log(s[i]) : s[i];
	size_t least = n / 10 > 3 ? n / 10 : 3, cut = 0;
	double widest = 0;
	for (size_t k = least; k + least <= n; k++) /* low group s[0..k) */
		if (x[k] - x[k - 1] > widest) {
			widest = x[k] - x[k - 1];
			cut = k;
		}
	if (cut == 0) {
		free(s);
		return 0;
	}
	double spread_low = mad(x, cut, scratch), spread_high = mad(x + cut, n - cut, scratch);
	double spread = spread_low > spread_high ? spread_low : spread_high;
	out->low_median = bb_quantile_sorted(s, cut, 0.5);
	out->high_median = bb_quantile_sorted(s + cut, n - cut, 0.5);
	out->n_low = cut;
	bool apart = out->low_median > 0 ? out->high_median >= 1.5 * out->low_median
					 : out->high_median - out->low_median > 0.5 * fabs(out->low_median);
	out->two = widest > 3 * spread && apart;
	free(s);
	return 0;
}
