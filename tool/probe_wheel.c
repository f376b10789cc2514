// SPDX-License-Identifier: GPL-2.0
/*
 * vipprobe's timers: a wheel of PROBE_WHEEL_SLOTS lists, one per tick of
 * PROBE_TICK_MS. Adding, moving and removing a timer is O(1), and a run
 * looks only at the slots of the ticks that ended since the last run. A
 * timer fires at the first run after the end of its deadline's tick:
 * never early, at most a tick (plus however late the run is) late.
 * Deadlines further away than one turn (intervals over 10.24 s) wait in
 * their slot and are put back each turn until due.
 *
 * A binary heap did this before; with ten thousand backends its
 * sift-down (a cache miss per level, twice per probe) was a quarter of
 * vipprobe's CPU (docs/benchmarks.md).
 */
#include <stdint.h>

#include "probe.h"

static struct probe_timer **wheel_slot(struct probe_wheel *w, uint64_t when)
{
	uint64_t tick = when / PROBE_TICK_MS;

	/* A deadline in a tick already run goes to the next one run. */
	if (tick < w->tick)
		tick = w->tick;
	return &w->slot[tick & (PROBE_WHEEL_SLOTS - 1)];
}

void probe_wheel_del(struct probe_wheel *w, struct probe_timer *t)
{
	if (!t->pprev)
		return;
	*t->pprev = t->next;
	if (t->next)
		t->next->pprev = t->pprev;
	t->next = NULL;
	t->pprev = NULL;
	w->n--;
}

void probe_wheel_add(struct probe_wheel *w, struct probe_timer *t,
		     uint64_t when)
{
	struct probe_timer **s;

	probe_wheel_del(w, t);
	t->when = when;
	s = wheel_slot(w, when);
	t->next = *s;
	if (*s)
		(*s)->pprev = &t->next;
	*s = t;
	t->pprev = s;
	w->n++;
}

uint64_t probe_wheel_next(const struct probe_wheel *w)
{
	uint64_t tick;

	if (!w->n)
		return UINT64_MAX;
	for (tick = w->tick; tick < w->tick + PROBE_WHEEL_SLOTS; tick++)
		if (w->slot[tick & (PROBE_WHEEL_SLOTS - 1)])
			return (tick + 1) * PROBE_TICK_MS;
	return UINT64_MAX;	/* not reached: n counts them */
}

/*
 * fire() always puts its timer back at now or later (or leaves it off),
 * so into a tick not run yet: a slot being run only ever gets a timer of
 * a later turn, which goes on the "later" list like those found there.
 */
void probe_wheel_run(struct probe_wheel *w, uint64_t now,
		     void (*fire)(struct probe_timer *t, void *arg), void *arg)
{
	uint64_t cur = now / PROBE_TICK_MS;

	/* After a long stall one turn visits every slot. */
	if (cur - w->tick >= PROBE_WHEEL_SLOTS)
		w->tick = cur - PROBE_WHEEL_SLOTS + 1;
	for (; w->tick < cur; w->tick++) {
		struct probe_timer **s = &w->slot[w->tick & (PROBE_WHEEL_SLOTS - 1)];
		uint64_t end = (w->tick + 1) * PROBE_TICK_MS;
		struct probe_timer *t, *later = NULL;

		while ((t = *s)) {
			/* The next timer's cache line loads while this one
			 * fires: with ten thousand backends it is a miss.
			 */
			__builtin_prefetch(t->next);
			probe_wheel_del(w, t);
			if (t->when < end) {
				fire(t, arg);
			} else {
				t->next = later;
				later = t;
			}
		}
		while ((t = later)) {
			later = t->next;
			t->next = NULL;
			probe_wheel_add(w, t, t->when);
		}
	}
}
