/* What compare, report, gate and plot read from an iteration's raw events,
 * kept so a published result can leave the events out (they are 96% of
 * its bytes) and still give every number it gave with them:
 *   - per iteration, "calls": for each op, its critical-path calls' count,
 *     median and p90 (compare's op:X:call_median is that median);
 *   - per document, "call_histograms": for each op, the critical-path calls
 *     of the measured iterations, pooled in a log-linear histogram (plot's
 *     per-call CDF), as [value_ns, count] pairs at bucket middles;
 *   - per iteration, "memslots": each memslot's calls (memslot_digest.h). */
#ifndef BOOTBENCH_CALL_DIGEST_H
#define BOOTBENCH_CALL_DIGEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The two per-call metrics, by their last part:
 *   op:X:call_pooled  every critical-path call of a run's measured
 *                     iterations, pooled (a run's summary: median, p90...);
 *   op:X:call_median  each iteration's median call, one value an iteration
 *                     (what compare, report and gate compare).
 * Results before these names wrote the pooled one as op:X:call; compare and
 * gate took op:X:call to mean the per-iteration median, and still do. */
#define BB_CALL_POOLED "call_pooled"
#define BB_CALL_MEDIAN "call_median"
#define BB_CALL_LEGACY "call"

/* The name compare gives a metric: op:X:call (the old name) and
 * op:X:call_pooled become op:X:call_median, as compare has only
 * per-iteration values; other names are copied. false if it does not fit. */
bool bb_compared_metric(const char *name, char *out, size_t len);
/* op:X:call_pooled, or op:X:call in an older result, from a summary. */
json_t *bb_summary_call_pooled(json_t *doc, const char *op);

/* The median of op's critical-path calls in one iteration, from "calls" if
 * the iteration has it, else from "events"; false when it had none. */
bool bb_call_median(json_t *iteration, const char *op, double *out);
/* Adds "calls" and "memslots" to each iteration and "call_histograms" to doc, then removes
 * every "events" array; *removed counts the rows. -1 with err set on a
 * document that has no events to digest, or on no memory. */
int bb_result_slim(json_t *doc, size_t *removed, char *err, size_t errlen);
/* Adds from's call histograms to into's (both slim), bucket by bucket, as
 * pooling two runs' iterations does; -1 on no memory. */
int bb_call_histograms_merge(json_t *into, json_t *from);
/* Whether a document's events were digested by bb_result_slim. */
bool bb_result_is_slim(json_t *doc);

#endif
