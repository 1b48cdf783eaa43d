/* Pooling results: one document takes the iterations of another, as
 * plot --pool makes one series of several boots of one side. Each file
 * numbers its kernel stacks in its own "stacks.frames", so the iterations
 * that move have their stack ids renumbered into the receiving table; slim
 * documents have their call histograms added too. */
#ifndef BOOTBENCH_RESULT_POOL_H
#define BOOTBENCH_RESULT_POOL_H

#include <jansson.h>
#include <stddef.h>

/* Moves from's iterations to the end of into's. -1 with err set on no
 * memory, or when one of them is slim and the other is not (make both
 * slim first: bb_result_slim). */
int bb_result_pool_into(json_t *into, json_t *from, char *err, size_t errlen);

#endif
