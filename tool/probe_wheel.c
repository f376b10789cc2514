// SPDX-License-Identifier: GPL-2.0
/*
 * vipprobe's timers: a wheel of PROBE_WHEEL_SLOTS slots, one per tick of
 * PROBE_TICK_MS. Arming, moving and taking off a timer is O(1), and a run
 * looks only at the slots of the ticks that ended since the last run. A
 * timer fires at the first run after the end of its deadline's tick:
 * never early, at most a tick (plus however late the run is) late.
 * Deadlines further away than one turn (intervals over 10.24 s) wait in
 * their slot and are kept there each turn until due.
 *
 * A slot is an array of timer pointers. Taking a timer off clears its
 * entry, and a slot's cleared entries go when it runs, so nothing ever
 * touches a timer but its own: with ten thousand backends each other
 * timer is a cache miss. (A binary heap did this first, then lists
 * linked through the timers; docs/benchmarks.md has what each cost.)
 */
#include <errno.h>
#include <stdlib.h>

#include "probe.h"

/* Entries read ahead while a slot runs, so that their timers load. */
#define WHEEL_PREFETCH	4

/* The tick a deadline is run in: one already run means the next run. */
static uint64_t wheel_tick(const struct probe_wheel *w, uint64_t when)
{
	uint64_t tick = when / PROBE_TICK_MS;

	return tick < w->tick ? w->tick : tick;
}

static uint32_t wheel_index(const struct probe_wheel *w, uint64_t when)
{
	return (uint32_t)(wheel_tick(w, when) & (PROBE_WHEEL_SLOTS - 1));
}

static int slot_grow(const struct probe_wheel *w, struct probe_wheel_slot *s)
{
	uint32_t cap = s->cap ? s->cap * 2 : 16;
	struct probe_timer **v;

	if (cap < s->cap || (w->max_cap && cap > w->max_cap))
		return -ENOMEM;
	v = realloc(s->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	s->cap = cap;
	return 0;
}

void probe_wheel_del(struct probe_wheel *w, struct probe_timer *t)
{
	struct probe_timer **pp;

	if (!t->slot)
		return;
	if (t->slot == PROBE_WHEEL_SPILLED) {
		for (pp = &w->spill; *pp != t; pp = &(*pp)->spill_next)
			;
		*pp = t->spill_next;
		t->spill_next = NULL;
	} else {
		struct probe_wheel_slot *s = &w->slot[t->slot - 1];

		s->v[t->pos] = NULL;
		s->armed--;
	}
	t->slot = 0;
	w->n--;
}

void probe_wheel_add(struct probe_wheel *w, struct probe_timer *t,
		     uint64_t when)
{
	uint32_t i = wheel_index(w, when);
	struct probe_wheel_slot *s = &w->slot[i];

	probe_wheel_del(w, t);
	t->when = when;
	w->n++;
	if (s->len == s->cap && slot_grow(w, s) < 0) {
		t->slot = PROBE_WHEEL_SPILLED;
		t->spill_next = w->spill;
		w->spill = t;
		return;
	}
	t->slot = i + 1;
	t->pos = s->len;
	s->v[s->len++] = t;
	s->armed++;
}

uint64_t probe_wheel_next(const struct probe_wheel *w)
{
	uint64_t tick, end, best = UINT64_MAX;
	const struct probe_timer *t;

	if (!w->n)
		return UINT64_MAX;
	for (t = w->spill; t; t = t->spill_next) {
		end = (wheel_tick(w, t->when) + 1) * PROBE_TICK_MS;
		if (end < best)
			best = end;
	}
	for (tick = w->tick; tick < w->tick + PROBE_WHEEL_SLOTS; tick++) {
		end = (tick + 1) * PROBE_TICK_MS;
		if (end >= best)
			break;
		if (w->slot[tick & (PROBE_WHEEL_SLOTS - 1)].armed)
			return end;
	}
	return best;
}

/*
 * Fires what is due in one slot. fire() always puts its timer back at now
 * or later (or leaves it off), so into a tick not run yet: the slot being
 * run only ever gets a timer of a later turn, appended after those being
 * looked at. What stays (later turns) then moves to the front.
 */
static void slot_run(struct probe_wheel *w, struct probe_wheel_slot *s,
		     uint64_t end,
		     void (*fire)(struct probe_timer *t, void *arg), void *arg)
{
	uint32_t i, j, len = s->len;
	struct probe_timer *t;

	for (i = 0; i < len; i++) {
		/* Not a hole: prefetching NULL costs a page walk. */
		if (i + WHEEL_PREFETCH < len && s->v[i + WHEEL_PREFETCH])
			__builtin_prefetch(s->v[i + WHEEL_PREFETCH]);
		t = s->v[i];
		if (!t || t->when >= end)
			continue;
		probe_wheel_del(w, t);
		fire(t, arg);
	}
	for (i = j = 0; i < s->len; i++) {
		t = s->v[i];
		if (!t)
			continue;
		t->pos = j;
		s->v[j++] = t;
	}
	s->len = j;
}

/* Spilled timers that are due fire; the others go to their slot if it
 * has room now.
 */
static void spill_run(struct probe_wheel *w,
		      void (*fire)(struct probe_timer *t, void *arg), void *arg)
{
	struct probe_timer *t, *list = w->spill;
	uint64_t end = w->tick * PROBE_TICK_MS;

	w->spill = NULL;
	while ((t = list)) {
		list = t->spill_next;
		t->spill_next = NULL;
		t->slot = 0;
		w->n--;
		if (t->when < end)
			fire(t, arg);
		else
			probe_wheel_add(w, t, t->when);
	}
}

void probe_wheel_run(struct probe_wheel *w, uint64_t now,
		     void (*fire)(struct probe_timer *t, void *arg), void *arg)
{
	uint64_t cur = now / PROBE_TICK_MS;

	/* After a long stall one turn visits every slot. */
	if (cur - w->tick >= PROBE_WHEEL_SLOTS)
		w->tick = cur - PROBE_WHEEL_SLOTS + 1;
	for (; w->tick < cur; w->tick++)
		slot_run(w, &w->slot[w->tick & (PROBE_WHEEL_SLOTS - 1)],
			 (w->tick + 1) * PROBE_TICK_MS, fire, arg);
	if (w->spill)
		spill_run(w, fire, arg);
}

void probe_wheel_free(struct probe_wheel *w)
{
	for (uint32_t i = 0; i < PROBE_WHEEL_SLOTS; i++) {
		free(w->slot[i].v);
		w->slot[i].v = NULL;
		w->slot[i].len = w->slot[i].cap = w->slot[i].armed = 0;
	}
}
