#include "ab_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64 (Steele, Lea, Flood 2014): small, fast, good enough for
 * resampling, and identical on every platform. */
void bb_rng_seed(struct bb_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t bb_rng_next(struct bb_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

size_t bb_rng_below(struct bb_rng *r, size_t n)
{
	/* Lemire's multiply-shift: no modulo bias worth the name for n << 2^64 */
	return (size_t)(((unsigned __int128)bb_rng_next(r) * n) >> 64);
}

/* Wirth's selection: after it, v[k] holds the k-th smallest, everything
 * before it is no larger and everything after it no smaller. The inner
 * scans need no bounds check: x is in [l, m] and stops both (Hoare's
 * sentinel), which clang's analyzer cannot see. */
static double select_kth(double *v, size_t n, size_t k)
{
	ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	while (l < m) {
		double x = v[kk];
		ptrdiff_t i = l, j = m;
		do {
			while (v[i] < x) // NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult): sentinel
				i++;
			while (x < v[j]) // NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult): sentinel
				j--;
			if (i <= j) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return v[kk];
}

double bb_median_inplace(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	double upper = select_kth(v, n, n / 2);
	if (n % 2)
		return upper;
	/* the lower middle is the largest of the lower half */
	double lower = v[0];
	for (size_t i = 1; i < n / 2; i++)
		if (v[i] > lower) // NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult): v[0..n) is the caller's
			lower = v[i];
	return (lower + upper) / 2;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

int bb_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
			  uint32_t resamples, double confidence, uint64_t seed, double *lo,
			  double *hi)
{
	struct bb_rng rng;
	double *ra = malloc(na * sizeof(double)), *rb = malloc(nb * sizeof(double));
	double *ratios = malloc(resamples * sizeof(double));
	int rc = 0;

	*lo = *hi = NAN;
	if (!ra || !rb || !ratios || na == 0 || nb == 0) {
		rc = -1;
		goto out;
	}
	bb_rng_seed(&rng, seed);
	for (uint32_t r = 0; r < resamples; r++) {
		for (size_t i = 0; i < na; i++)
			ra[i] = a[bb_rng_below(&rng, na)];
		for (size_t i = 0; i < nb; i++)
			rb[i] = b[bb_rng_below(&rng, nb)];
		double ma = bb_median_inplace(ra, na);
		if (ma == 0) {
			rc = -1;
			goto out;
		}
		ratios[r] = bb_median_inplace(rb, nb) / ma;
	}
	qsort(ratios, resamples, sizeof(double), cmp_double);
	double tail = (1 - confidence) / 2;
	/* percentile interval: type-7 quantiles of the resampled ratios */
	double h = tail * (resamples - 1);
	size_t k = (size_t)h;
	*lo = ratios[k] + (h - k) * (ratios[k + 1 < resamples ? k + 1 : k] - ratios[k]);
	h = (1 - tail) * (resamples - 1);
	k = (size_t)h;
	*hi = ratios[k] + (h - k) * (ratios[k + 1 < resamples ? k + 1 : k] - ratios[k]);
out:
	free(ra);
	free(rb);
	free(ratios);
	return rc;
}

double bb_permutation_p(const double *a, size_t na, const double *b, size_t nb,
			uint32_t resamples, uint64_t seed)
{
	size_t n = na + nb;
	double *pool = malloc(n * sizeof(double));
	double total = 0, sum_a = 0, sum_b = 0;
	struct bb_rng rng;

	if (!pool || na == 0 || nb == 0) {
		free(pool);
		return NAN;
	}
	memcpy(pool, a, na * sizeof(double));
	memcpy(pool + na, b, nb * sizeof(double));
	for (size_t i = 0; i < na; i++)
		sum_a += a[i];
	for (size_t i = 0; i < nb; i++)
		sum_b += b[i];
	total = sum_a + sum_b;
	double observed = fabs(sum_b / nb - sum_a / na);
	/* relative slack so that relabellings equal to the observed split in
	 * exact arithmetic count as reaching it despite rounding */
	double slack = 1e-12 * (fabs(sum_a / na) + fabs(sum_b / nb));
	uint64_t reached = 0;

	bb_rng_seed(&rng, seed);
	for (uint32_t r = 0; r < resamples; r++) {
		/* a random A-sized subset: partial Fisher-Yates */
		double s = 0;
		for (size_t i = 0; i < na; i++) {
			size_t j = i + bb_rng_below(&rng, n - i);
			double t = pool[i];
			pool[i] = pool[j];
			pool[j] = t;
			s += pool[i];
		}
		double d = fabs((total - s) / nb - s / na);
		if (d >= observed - slack)
			reached++;
	}
	free(pool);
	return (double)(reached + 1) / (double)(resamples + 1);
}

static double binomial(size_t n, size_t k)
{
	double c = 1;
	for (size_t i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return c;
}

double bb_min_p(size_t na, size_t nb, uint32_t resamples)
{
	double exact = 2 / binomial(na + nb, na);
	double monte_carlo = 1.0 / (resamples + 1.0);
	return exact > monte_carlo ? exact : monte_carlo;
}

uint32_t bb_min_n_for_alpha(double alpha)
{
	for (uint32_t n = 2; n < 1000; n++)
		if (2 / binomial((size_t)2 * n, n) < alpha)
			return n;
	return 1000;
}
