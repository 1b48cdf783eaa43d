#include "ab_stats.h"
#include "stats.h"

#include <math.h>
#include <stdbool.h>
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

double bb_quantile_inplace(double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	double h = q * (double)(n - 1);
	size_t k = (size_t)h;
	double lower = select_kth(v, n, k);
	if (k + 1 >= n || h == (double)k)
		return lower;
	/* the next order statistic is the smallest of everything after k */
	double upper = v[k + 1];
	for (size_t i = k + 2; i < n; i++)
		if (v[i] < upper) // NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult): v[0..n) is the caller's
			upper = v[i];
	return lower + (h - (double)k) * (upper - lower);
}

double bb_median_inplace(double *v, size_t n)
{
	return bb_quantile_inplace(v, n, 0.5);
}

double bb_rng_normal(struct bb_rng *r)
{
	/* 53-bit uniforms in (0, 1]: log never sees 0 */
	double u1 = ((double)(bb_rng_next(r) >> 11) + 1) / 9007199254740992.0;
	double u2 = (double)(bb_rng_next(r) >> 11) / 9007199254740992.0;
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static size_t block_begin(const struct bb_ab_sample *s, size_t i)
{
	return s->block_start ? s->block_start[i] : 0;
}

static size_t block_end(const struct bb_ab_sample *s, size_t i)
{
	return s->block_start ? s->block_start[i + 1] : s->n;
}

static size_t blocks(const struct bb_ab_sample *s)
{
	return s->block_start ? s->nblocks : 1;
}

/* One resample of a side into buf (room for every block drawn at its
 * largest): blocks with replacement, then values within each. */
static size_t resample(const struct bb_ab_sample *s, struct bb_rng *rng, double *buf)
{
	size_t nb = blocks(s), used = 0;
	if (nb == 1) {
		for (size_t i = 0; i < s->n; i++)
			buf[i] = s->v[bb_rng_below(rng, s->n)];
		return s->n;
	}
	for (size_t k = 0; k < nb; k++) {
		size_t blk = bb_rng_below(rng, nb);
		size_t lo = block_begin(s, blk), len = block_end(s, blk) - lo;
		for (size_t i = 0; i < len; i++)
			buf[used++] = s->v[lo + bb_rng_below(rng, len)];
	}
	return used;
}

static size_t largest_resample(const struct bb_ab_sample *s)
{
	size_t nb = blocks(s), largest = 0;
	for (size_t i = 0; i < nb; i++)
		if (block_end(s, i) - block_begin(s, i) > largest)
			largest = block_end(s, i) - block_begin(s, i);
	return nb * largest;
}

int bb_ab_bootstrap(const struct bb_ab_sample *a, const struct bb_ab_sample *b, double q, uint32_t resamples,
		    double confidence, uint64_t seed, struct bb_ab_estimate *out)
{
	*out = (struct bb_ab_estimate){ NAN, NAN, NAN, NAN, NAN };
	if (a->n == 0 || b->n == 0 || resamples == 0)
		return -1;
	size_t cap_a = largest_resample(a), cap_b = largest_resample(b);
	size_t cap = cap_a > cap_b ? cap_a : cap_b;
	if (cap < a->n || cap < b->n)
		cap = a->n > b->n ? a->n : b->n;
	double *buf = malloc(cap * sizeof(double)), *ratios = malloc(resamples * sizeof(double));
	int rc = -1;
	if (!buf || !ratios)
		goto out;

	memcpy(buf, a->v, a->n * sizeof(double));
	double qa = bb_quantile_inplace(buf, a->n, q);
	memcpy(buf, b->v, b->n * sizeof(double));
	double qb = bb_quantile_inplace(buf, b->n, q);
	if (qa == 0)
		goto out;

	struct bb_rng rng;
	bb_rng_seed(&rng, seed);
	uint32_t below = 0, above = 0;
	bool finite = true;
	for (uint32_t r = 0; r < resamples; r++) {
		size_t n = resample(a, &rng, buf);
		double ra = bb_quantile_inplace(buf, n, q);
		n = resample(b, &rng, buf);
		double rb = bb_quantile_inplace(buf, n, q);
		if (ra == 0)
			goto out;
		ratios[r] = rb / ra;
		below += ratios[r] <= 1;
		above += ratios[r] >= 1;
		double l = log(ratios[r]);
		finite &= isfinite(l);
	}
	qsort(ratios, resamples, sizeof(double), cmp_double);
	double tail = (1 - confidence) / 2;
	out->ratio = qb / qa;
	out->lo = bb_quantile_sorted(ratios, resamples, tail);
	out->hi = bb_quantile_sorted(ratios, resamples, 1 - tail);
	double p = 2.0 * ((below < above ? below : above) + 1) / (resamples + 1.0);
	out->p = p < 1 ? p : 1;
	if (finite && resamples > 1) {
		/* shifted by the first: exactly 0 for a constant ratio */
		double shift = log(ratios[0]), s1 = 0, s2 = 0;
		for (uint32_t r = 0; r < resamples; r++) {
			double d = log(ratios[r]) - shift;
			s1 += d;
			s2 += d * d;
		}
		double var = (s2 - s1 * s1 / resamples) / (resamples - 1);
		out->sd_log = var > 0 ? sqrt(var) : 0;
	}
	rc = 0;
out:
	if (rc < 0)
		*out = (struct bb_ab_estimate){ NAN, NAN, NAN, NAN, NAN };
	free(buf);
	free(ratios);
	return rc;
}

int bb_quantile_ci(const struct bb_ab_sample *s, double q, uint32_t resamples, double confidence, uint64_t seed,
		   double *estimate, double *lo, double *hi)
{
	*estimate = *lo = *hi = NAN;
	if (s->n == 0 || resamples == 0)
		return -1;
	size_t cap = largest_resample(s) > s->n ? largest_resample(s) : s->n;
	double *buf = malloc(cap * sizeof(double)), *qs = malloc(resamples * sizeof(double));
	if (!buf || !qs) {
		free(buf);
		free(qs);
		return -1;
	}
	memcpy(buf, s->v, s->n * sizeof(double));
	*estimate = bb_quantile_inplace(buf, s->n, q);
	struct bb_rng rng;
	bb_rng_seed(&rng, seed);
	for (uint32_t r = 0; r < resamples; r++) {
		size_t n = resample(s, &rng, buf);
		qs[r] = bb_quantile_inplace(buf, n, q);
	}
	qsort(qs, resamples, sizeof(double), cmp_double);
	*lo = bb_quantile_sorted(qs, resamples, (1 - confidence) / 2);
	*hi = bb_quantile_sorted(qs, resamples, 1 - (1 - confidence) / 2);
	free(buf);
	free(qs);
	return 0;
}

double bb_normal_quantile(double p)
{
	/* bisection on the exact CDF, 0.5 erfc(-x / sqrt 2): 80 halvings of
	 * [-40, 40] are far below double precision, and it runs a few times
	 * per comparison */
	double lo = -40, hi = 40;
	for (int i = 0; i < 80; i++) {
		double mid = (lo + hi) / 2;
		if (0.5 * erfc(-mid / M_SQRT2) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

double bb_mde_log(double sd_log, double alpha, double power)
{
	return (bb_normal_quantile(1 - alpha / 2) + bb_normal_quantile(power)) * sd_log;
}

double bb_units_for_mde(double n, double mde_log, double target_log)
{
	/* the estimate's standard deviation shrinks as 1 / sqrt(units) */
	double ratio = mde_log / target_log;
	return n * ratio * ratio;
}

static double binomial(size_t n, size_t k)
{
	double c = 1;
	for (size_t i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return c;
}

uint32_t bb_min_n_for_alpha(double alpha)
{
	for (uint32_t n = 2; n < 1000; n++)
		if (2 / binomial((size_t)2 * n, n) < alpha)
			return n;
	return 1000;
}
