/* Naming where a thread blocked: the first frame of a kernel stack that
 * is not the scheduler or a generic wait primitive, which is the function
 * that chose to wait ("__synchronize_srcu", not "schedule"). */
#ifndef BOOTBENCH_BLOCKED_H
#define BOOTBENCH_BLOCKED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The index in frames (innermost first) of the function that waited; 0
 * when every frame is the scheduler's. */
size_t bb_waited_in(const char *const *frames, size_t n);
/* The same over a result's "stacks" frames array: the function's name and
 * up to `callers` frames after it, " <- " between them, into buf, each
 * without a compiler clone's suffix (".part.0"). Returns buf, which
 * starts with the function's name, or NULL for an id with no frames. */
const char *bb_waited_in_json(json_t *frames, size_t callers, char *buf, size_t len);

/* The SRCU struct a wait in __synchronize_srcu was for, from the chain
 * bb_waited_in_json() wrote (Linux 6.1's callers): "kvm->srcu" for the
 * I/O bus and the memslots, "kvm->irq_srcu" for the interrupt routing
 * and its notifiers; NULL for any other wait, or a caller not known. */
const char *bb_srcu_of_chain(const char *chain);

/* A "blocked:<op>:<function>" metric name: op into op, the function
 * returned; NULL for any other name (or one with an empty op). The op
 * BB_BLOCKED_STARTUP is the time every op of the startup waited in the
 * function, summed (the teardown's closes and unmaps left out): where
 * per-op rows are listed, it is not, so as not to count twice. */
#define BB_BLOCKED_STARTUP "startup"
/* Whether op (its name) is part of the startup: every op but the
 * teardown's, which come after boot-done. */
bool bb_blocked_in_startup(const char *op);
const char *bb_blocked_split(const char *metric, char *op, size_t oplen);

#endif
