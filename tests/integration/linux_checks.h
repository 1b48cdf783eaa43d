/* What a Linux workload result must show, wherever it ran: each iteration
 * booted to init (every disk's block checked by init), each registration
 * made when the profile says, the irqfds, no kick that came as an exit,
 * and the Linux phases. */
#ifndef BOOTBENCH_TEST_LINUX_CHECKS_H
#define BOOTBENCH_TEST_LINUX_CHECKS_H

#include <jansson.h>
#include <stddef.h>

/* A member of a result's object, failing the running test (not crashing
 * it) when absent or of another type. */
json_int_t result_int(json_t *o, const char *k);
const char *result_str(json_t *o, const char *k);
/* How many calls of op an iteration made (0 when none). */
json_int_t result_op_count(json_t *it, const char *op);

/* Fails the running cmocka test on the first check that does not hold. */
void check_linux_result(json_t *doc, const char *profile, size_t iterations);

#endif
