// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd backend scheduler: which backends take new flows, and which one a
 * given flow gets.
 *
 * Pure logic on the module's objects, no packet handling, so that the KUnit
 * suite in tests/sched_test.c can exercise it under User-Mode Linux.
 *
 * A pool publishes an immutable struct vipfwd_sched. It lists the eligible
 * backends of the lowest tier that has any, sorted by address so that every
 * host holding the same configuration builds the same table, whatever order
 * the backends were added in. Together with a hash that uses a fixed seed
 * this makes the choice a pure function of (configuration, flow): hosts that
 * share a VIP behind ECMP pick the same backend for the same flow.
 */
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "vipfwd.h"

/* Fixed on purpose: a random seed would make hosts disagree. Changing it
 * moves flows between backends on upgrade, so it never changes.
 */
#define VIPFWD_HASH_SEED	0x76697066	/* "vipf" */

bool vipfwd_backend_eligible(const struct vipfwd_pool *pool,
			     const struct vipfwd_backend *be,
			     const char **reason)
{
	const char *why;

	if (be->state == VIPFWD_BACKEND_DRAINING)
		why = "draining";
	else if (be->state != VIPFWD_BACKEND_ENABLED)
		why = "disabled";
	else if (be->weight == 0)
		why = "weight 0";
	else if (be->health == VIPFWD_HEALTH_DOWN)
		why = "health down";
	else if (be->health == VIPFWD_HEALTH_UNKNOWN &&
		 pool->probe_type != VIPFWD_PROBE_NONE)
		/* With a probe, a backend waits for its first verdict. */
		why = "health unknown: no probe result yet";
	else if (be->health != VIPFWD_HEALTH_UP &&
		 be->health != VIPFWD_HEALTH_UNKNOWN)
		why = "health invalid";
	else
		why = NULL;

	if (reason)
		*reason = why ? why : "eligible";
	return !why;
}

static int vipfwd_backend_cmp(const void *a, const void *b)
{
	const struct vipfwd_backend *x = *(const struct vipfwd_backend **)a;
	const struct vipfwd_backend *y = *(const struct vipfwd_backend **)b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	/* Network byte order: memcmp() orders addresses numerically. */
	if (x->family == AF_INET)
		return memcmp(&x->addr.ip, &y->addr.ip, sizeof(x->addr.ip));
	return memcmp(&x->addr.ip6, &y->addr.ip6, sizeof(x->addr.ip6));
}

/*
 * Caller's rule: hold the owning namespace's vipfwd_net.lock. The pool does
 * not point back to its namespace, so this cannot lockdep_assert_held() it;
 * the callers in config.c do. The lock keeps pool->backends and the backend
 * fields read here (weight, tier, state, health) stable.
 *
 * Returns a new table (free it with kvfree(), or kvfree_rcu() once
 * published), or NULL if memory ran out. No eligible backend gives a valid
 * table with count 0.
 */
struct vipfwd_sched *vipfwd_sched_build(struct vipfwd_pool *pool, gfp_t gfp)
{
	struct vipfwd_backend *be;
	struct vipfwd_sched *s;
	u32 count = 0, total = 0, i;
	u8 tier = U8_MAX;
	size_t size;

	/* The lowest tier holding an eligible backend takes all new flows. */
	list_for_each_entry(be, &pool->backends, node) {
		if (!vipfwd_backend_eligible(pool, be, NULL))
			continue;
		if (be->tier < tier) {
			tier = be->tier;
			count = 0;
		}
		if (be->tier == tier)
			count++;
	}

	size = struct_size(s, backends, count);
	size = size_add(size, array_size(count, sizeof(*s->cum_weight)));
	s = kvmalloc(size, gfp);
	if (!s)
		return NULL;

	s->count = count;
	s->tier = count ? tier : 0;
	s->cum_weight = (u32 *)&s->backends[count];

	i = 0;
	list_for_each_entry(be, &pool->backends, node) {
		if (i == count)
			break;
		if (be->tier == tier && vipfwd_backend_eligible(pool, be, NULL))
			s->backends[i++] = be;
	}

	sort(s->backends, count, sizeof(s->backends[0]), vipfwd_backend_cmp,
	     NULL);

	/* At most VIPFWD_MAX_POOL_BACKENDS * VIPFWD_MAX_WEIGHT < 2^32. */
	for (i = 0; i < count; i++) {
		total += s->backends[i]->weight;
		s->cum_weight[i] = total;
	}
	s->total_weight = total;

	return s;
}

static u32 vipfwd_addr_words(u32 *w, u8 family, const union vipfwd_addr *a)
{
	int i;

	if (family != AF_INET6) {
		w[0] = be32_to_cpu(a->ip);
		return 1;
	}
	for (i = 0; i < 4; i++)
		w[i] = be32_to_cpu(a->ip6.s6_addr32[i]);
	return 4;
}

/*
 * Hash of the fields the frontend's affinity mode selects. Every field is
 * converted to host order first, so hosts of any endianness agree.
 */
u32 vipfwd_tuple_hash(const struct vipfwd_tuple *t, u8 hash_mode)
{
	u32 w[10];	/* two IPv6 addresses, family+proto, ports */
	u32 n = 0;

	n += vipfwd_addr_words(&w[n], t->family, &t->saddr);
	n += vipfwd_addr_words(&w[n], t->family, &t->daddr);

	switch (hash_mode) {
	case VIPFWD_HASH_2TUPLE:
		w[n++] = t->family;
		break;
	case VIPFWD_HASH_3TUPLE:
		w[n++] = (u32)t->family << 8 | t->proto;
		break;
	case VIPFWD_HASH_5TUPLE:
	default:
		w[n++] = (u32)t->family << 8 | t->proto;
		w[n++] = (u32)be16_to_cpu(t->sport) << 16 | be16_to_cpu(t->dport);
		break;
	}

	return jhash2(w, n, VIPFWD_HASH_SEED);
}

/*
 * Weighted choice: scale the hash into [0, total_weight) and find the first
 * backend whose cumulative weight exceeds it. Safe under RCU: the table is
 * immutable once published.
 */
struct vipfwd_backend *vipfwd_sched_pick(const struct vipfwd_sched *sched,
					 u32 hash)
{
	u32 lo, hi, mid, point;

	if (!sched || !sched->count || !sched->total_weight)
		return NULL;

	point = (u32)(((u64)hash * sched->total_weight) >> 32);
	lo = 0;
	hi = sched->count - 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sched->cum_weight[mid] > point)
			hi = mid;
		else
			lo = mid + 1;
	}
	return sched->backends[lo];
}
