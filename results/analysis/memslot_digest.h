/* Per memslot, what an iteration's KVM_SET_USER_MEMORY_REGION calls cost.
 * The op's totals add every slot: a fresh VM's guest RAM (slot 0, before
 * any registration) and the update after the registrations (where
 * 7d9a0273 moved the grace-period wait) alike. These metrics keep them
 * apart:
 *   memslot:N         the time of slot N's calls in one iteration;
 *   memslot:N:offcpu  the part of it the thread was switched out.
 * They read an iteration's "memslots" digest (written by bootbench slim)
 * or else its events, whose detail names the slot ("slot=N ..."). */
#ifndef BOOTBENCH_MEMSLOT_DIGEST_H
#define BOOTBENCH_MEMSLOT_DIGEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define BB_MEMSLOT_PREFIX "memslot:"
#define BB_MEMSLOT_MAX_SLOTS 64

/* The slot and part of memslot:N or memslot:N:offcpu; false for any other
 * name. */
bool bb_memslot_metric_parse(const char *metric, long *slot, bool *offcpu);
/* The iteration's value of that metric; false when the iteration made no
 * call for the slot (or had neither digest nor events). */
bool bb_memslot_value(json_t *iteration, long slot, bool offcpu, double *out);
/* Adds the slots an iteration made calls for to slots[0..n), which stays
 * ascending and without repeats, at most max of them (the lowest kept);
 * returns the new count. n = 0 lists one iteration's. */
size_t bb_memslot_slots(json_t *iteration, long *slots, size_t n, size_t max);
/* The iteration's "memslots" digest from its events: {"N": {"calls",
 * "total_ns", "offcpu_ns"}}; an empty object when it has none, NULL on no
 * memory. */
json_t *bb_memslot_digest(json_t *iteration);

#endif
