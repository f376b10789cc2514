// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd backend scheduler: which backends take new flows, and which one a
 * given flow gets.
 *
 * Pure logic on the module's objects, no packet handling, so that the KUnit
 * suite in tests/sched_test.c can exercise it under User-Mode Linux.
 *
 * A pool publishes an immutable struct vipfwd_sched. It lists the eligible
 * backends of the lowest tier that has any, sorted by address, and the
 * pool's weighted Maglev table over them (maglev.c): table_size entries,
 * each naming the backend that owns it. A flow's hash scaled into the
 * table picks the entry, so a pick costs a multiply-shift and two loads
 * whatever the pool's size. The table depends only on the table size and
 * the set of (address, weight) pairs, never on the order the backends were
 * added in; together with a hash that uses a fixed seed this makes the
 * choice a pure function of (configuration, flow): hosts that share a VIP
 * behind ECMP pick the same backend for the same flow.
 */
#include <linux/err.h>
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/math.h>
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
 * published), ERR_PTR(-EINVAL) if pool->table_size is not a valid table
 * size, or NULL if memory ran out. No eligible backend gives a valid
 * table with count 0 and no entries.
 */
struct vipfwd_sched *vipfwd_sched_build(struct vipfwd_pool *pool, gfp_t gfp)
{
	u32 count = 0, i, size = pool->table_size;
	struct vipfwd_backend *be;
	struct vipfwd_sched *s;
	u8 tier = U8_MAX;
	size_t bytes;
	int err;

	if (!vipfwd_maglev_size_valid(size))
		return ERR_PTR(-EINVAL);

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
	if (count > VIPFWD_MAGLEV_MAX_BACKENDS)
		return ERR_PTR(-EINVAL);

	bytes = struct_size(s, backends, count);
	if (count)
		bytes = size_add(bytes, array_size(size, sizeof(*s->table)));
	s = kvmalloc(bytes, gfp);
	if (!s)
		return NULL;

	s->count = count;
	s->table_size = size;
	s->tier = count ? tier : 0;
	s->table = NULL;
	if (!count)
		return s;

	i = 0;
	list_for_each_entry(be, &pool->backends, node) {
		if (i == count)
			break;
		if (be->tier == tier && vipfwd_backend_eligible(pool, be, NULL))
			s->backends[i++] = be;
	}

	/* Maglev ties go to the first backend: the order must not depend on
	 * the configuration's history.
	 */
	sort(s->backends, count, sizeof(s->backends[0]), vipfwd_backend_cmp,
	     NULL);

	s->table = (u16 *)&s->backends[count];
	err = vipfwd_maglev_fill(s->table, size, s->backends, count, gfp);
	if (err) {
		kvfree(s);
		return err == -ENOMEM ? NULL : ERR_PTR(err);
	}
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
 * The Maglev entry of a hash: the hash scaled into [0, table_size) by a
 * multiply-shift (its high bits decide). Safe under RCU: the table is
 * immutable once published.
 */
u32 vipfwd_sched_slot(const struct vipfwd_sched *sched, u32 hash)
{
	if (!sched)
		return 0;
	return reciprocal_scale(hash, sched->table_size);
}

struct vipfwd_backend *vipfwd_sched_pick(const struct vipfwd_sched *sched,
					 u32 hash)
{
	if (!sched || !sched->count)
		return NULL;
	return sched->backends[sched->table[vipfwd_sched_slot(sched, hash)]];
}
