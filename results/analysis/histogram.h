/* A log-linear latency histogram of fixed size: exact below 128 ns, then 64
 * buckets per power of two (at most 1/64 wide, so a quantile read from it is
 * within 0.8% of the sample's). Per-call latencies of a long run go here,
 * so memory does not grow with the number of iterations. */
#ifndef BOOTBENCH_HISTOGRAM_H
#define BOOTBENCH_HISTOGRAM_H

#include <stdint.h>

#include "stats.h"

#define BB_HIST_EXACT 128
#define BB_HIST_SUB 64
#define BB_HIST_MAX_BIT 42 /* values up to 2^42 ns, about 73 minutes */
#define BB_HIST_BUCKETS (BB_HIST_EXACT + (BB_HIST_MAX_BIT - 7) * BB_HIST_SUB)

struct bb_histogram {
	uint64_t count;
	int64_t min, max;
	double mean, m2; /* Welford, exact */
	uint32_t buckets[BB_HIST_BUCKETS];
};

void bb_histogram_init(struct bb_histogram *h);
void bb_histogram_add(struct bb_histogram *h, int64_t value_ns);
uint32_t bb_histogram_bucket(int64_t value_ns);
/* The middle of a bucket's range, the value a quantile reports. */
double bb_histogram_bucket_value(uint32_t bucket);
double bb_histogram_quantile(const struct bb_histogram *h, double q);
/* n, min, max, mean, stddev exact; median, p90, p99, MAD from buckets. */
int bb_histogram_stats(const struct bb_histogram *h, struct bb_stats *out);

#endif
