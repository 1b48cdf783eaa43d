#include "histogram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void bb_histogram_init(struct bb_histogram *h)
{
	memset(h, 0, sizeof(*h));
}

uint32_t bb_histogram_bucket(int64_t v)
{
	if (v < 0)
		v = 0;
	if (v < BB_HIST_EXACT)
		return (uint32_t)v;
	int bit = 63 - __builtin_clzll((uint64_t)v);
	if (bit >= BB_HIST_MAX_BIT)
		return BB_HIST_BUCKETS - 1;
	int shift = bit - 6;
	uint32_t mantissa = (uint32_t)((uint64_t)v >> shift); /* 64..127 */
	return BB_HIST_EXACT + (uint32_t)(bit - 7) * BB_HIST_SUB + (mantissa - BB_HIST_SUB);
}

double bb_histogram_bucket_value(uint32_t b)
{
	if (b < BB_HIST_EXACT)
		return b;
	uint32_t bit = (b - BB_HIST_EXACT) / BB_HIST_SUB + 7;
	uint32_t mantissa = (b - BB_HIST_EXACT) % BB_HIST_SUB + BB_HIST_SUB;
	double width = ldexp(1.0, (int)bit - 6);
	return (double)mantissa * width + (width - 1) / 2;
}

void bb_histogram_add(struct bb_histogram *h, int64_t v)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->count++;
	double d = (double)v - h->mean;
	h->mean += d / (double)h->count;
	h->m2 += d * ((double)v - h->mean);
	h->buckets[bb_histogram_bucket(v)]++;
}

/* A bucket's value, kept within the exact extremes seen. */
static double clamped_value(const struct bb_histogram *h, uint32_t b)
{
	double v = bb_histogram_bucket_value(b);
	return v < (double)h->min ? (double)h->min : v > (double)h->max ? (double)h->max : v;
}

/* The value of 0-based rank r. */
static double value_at_rank(const struct bb_histogram *h, uint64_t r)
{
	uint64_t seen = 0;
	for (uint32_t b = 0; b < BB_HIST_BUCKETS; b++) {
		seen += h->buckets[b];
		if (seen > r)
			return clamped_value(h, b);
	}
	return (double)h->max;
}

double bb_histogram_quantile(const struct bb_histogram *h, double q)
{
	if (h->count == 0)
		return NAN;
	double rank = q * (double)(h->count - 1);
	uint64_t lo = (uint64_t)floor(rank);
	double a = value_at_rank(h, lo);
	if (lo + 1 >= h->count)
		return a;
	return a + (rank - (double)lo) * (value_at_rank(h, lo + 1) - a);
}

struct deviation {
	double value;
	uint32_t count;
};

static int by_value(const void *a, const void *b)
{
	double x = ((const struct deviation *)a)->value, y = ((const struct deviation *)b)->value;
	return (x > y) - (x < y);
}

int bb_histogram_stats(const struct bb_histogram *h, struct bb_stats *out)
{
	if (h->count == 0)
		return -1;
	*out = (struct bb_stats){
		.n = h->count,
		.min = (double)h->min,
		.max = (double)h->max,
		.mean = h->mean,
		.stddev = h->count > 1 ? sqrt(h->m2 / (double)(h->count - 1)) : 0,
		.median = bb_histogram_quantile(h, 0.5),
		.p90 = bb_histogram_quantile(h, 0.9),
		.p99 = bb_histogram_quantile(h, 0.99),
	};
	struct deviation *d = malloc(BB_HIST_BUCKETS * sizeof(*d));
	if (!d)
		return -1;
	uint32_t n = 0;
	for (uint32_t b = 0; b < BB_HIST_BUCKETS; b++)
		if (h->buckets[b])
			d[n++] = (struct deviation){ fabs(clamped_value(h, b) - out->median), h->buckets[b] };
	qsort(d, n, sizeof(*d), by_value);
	uint64_t half = (h->count - 1) / 2, seen = 0;
	for (uint32_t i = 0; i < n; i++) {
		seen += d[i].count;
		if (seen > half) {
			out->mad = d[i].value;
			break;
		}
	}
	free(d);
	return 0;
}
