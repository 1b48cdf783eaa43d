/* What a Linux workload result must show, wherever it ran: each iteration
 * booted to init (every disk's block checked by init), each registration
 * made when the profile says, the irqfds, no kick that came as an exit,
 * and the Linux phases. */
#ifndef BOOTBENCH_TEST_LINUX_CHECKS_H
#define BOOTBENCH_TEST_LINUX_CHECKS_H

#include <jansson.h>
#include <stddef.h>

/* Fails the running cmocka test on the first check that does not hold. */
void check_linux_result(json_t *doc, const char *profile, size_t iterations);

#endif
