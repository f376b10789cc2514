// SPDX-License-Identifier: GPL-2.0
/* The fall/rise state machine and probe spacing: pure, unit-tested. */
#include "probe.h"

void probe_sm_init(struct probe_sm *s, uint8_t health)
{
	s->health = health <= VIPFWD_HEALTH_MAX ? health : VIPFWD_HEALTH_UNKNOWN;
	s->fails = 0;
	s->oks = 0;
}

int probe_sm_feed(struct probe_sm *s, bool ok, uint32_t fall, uint32_t rise)
{
	if (!fall)
		fall = 1;
	if (!rise)
		rise = 1;
	/* Only an unbroken run counts: one result of the other kind
	 * starts the count again (HAProxy's and the SLB's semantics).
	 */
	if (ok) {
		s->fails = 0;
		if (s->oks < UINT32_MAX)
			s->oks++;
		if (s->health != VIPFWD_HEALTH_UP && s->oks >= rise) {
			s->health = VIPFWD_HEALTH_UP;
			s->oks = 0;
			return VIPFWD_HEALTH_UP;
		}
	} else {
		s->oks = 0;
		if (s->fails < UINT32_MAX)
			s->fails++;
		if (s->health != VIPFWD_HEALTH_DOWN && s->fails >= fall) {
			s->health = VIPFWD_HEALTH_DOWN;
			s->fails = 0;
			return VIPFWD_HEALTH_DOWN;
		}
	}
	return -1;
}

uint32_t probe_jitter(uint32_t interval_ms, uint32_t rnd)
{
	uint32_t span = interval_ms / 10;	/* +- 10 % */

	if (!span)
		return interval_ms;
	/* 64-bit product: interval_ms may be up to an hour in ms. */
	return interval_ms - span +
	       (uint32_t)(((uint64_t)rnd * (2 * (uint64_t)span + 1)) >> 32);
}

uint32_t probe_first_delay(uint32_t interval_ms, uint32_t rnd)
{
	return (uint32_t)(((uint64_t)rnd * interval_ms) >> 32);
}
