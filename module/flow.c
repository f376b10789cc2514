// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd flow table: which backend each tracked flow is pinned to, and the
 * one decision function the data path (and EXPLAIN) uses.
 *
 * One rhashtable per network namespace. Lookups run under RCU with no
 * lock and no atomic operation; inserts and removals take the bucket's
 * lock; the table resizes itself in the background. The key is what the
 * frontend's hash mode selects (5-tuple, 3-tuple without ports, 2-tuple
 * with addresses only) plus the frontend's own (protocol, port), so two
 * frontends on one VIP never share a flow.
 *
 * Lifetime rules:
 *  - Whoever removes a flow from the table (rhashtable_remove_fast()
 *    returned 0) frees it, with call_rcu(): a reader that found it may
 *    still be looking at it. Expiry, flush, an expired flow met on lookup
 *    and table teardown all follow this rule, so a flow is freed once.
 *  - A flow holds a reference on its backend and on its frontend's
 *    counters; both are dropped when the flow is freed (after the grace
 *    period), so a reader that found the flow can use both.
 *  - Rescheduling replaces flow->be with cmpxchg(): the winner moves the
 *    reference, a loser drops the one it took and uses the winner's pick.
 *    The old backend is put, and a backend is only ever freed a grace
 *    period after its last put.
 *  - Time is jiffies truncated to 32 bits (u32 arithmetic handles the
 *    wrap; the longest timeout is far below 2^31 jiffies). flow->last is
 *    written only when it changed, so a busy flow dirties its cache line
 *    at most once per jiffy, and state/timeout only when they change.
 *
 * NAT flows (frontends in mode nat) are a larger object from their own
 * slab cache: the flow followed by its reply index entry (struct
 * vipfwd_nat_flow), so an encap flow stays 88 bytes. The top bit of
 * flow->state tells them apart (VIPFWD_FLOW_F_NAT, set before the flow is
 * published, never changed). A NAT flow:
 *  - is keyed by the full 5-tuple whatever the hash mode (every connection
 *    needs its own reply tuple); the hash mode still chooses the backend;
 *  - links its reply entry (nat.c) before the flow is published, and the
 *    one that unlinks the flow unlinks the entry before call_rcu(), so a
 *    reader that found either can read both until it leaves RCU;
 *  - is never moved to another backend: its replies would come from an
 *    address the client never talked to. An unusable backend ends the
 *    flow (the next packet is a new flow, with a new pick);
 *  - of a frontend that is no longer in mode nat (or an encap flow of one
 *    that now is) is a miss, ended and replaced like an expired one.
 *
 * Expiry: a per-namespace delayed work looks at a bounded number of flows
 * per run (never holding a lock across them, rescheduling between
 * chunks) and continues where it stopped; in between, a flow found
 * expired on lookup counts as a miss.
 */
#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "vipfwd.h"

/* TCP flows that have seen only SYNs, and TCP flows after a FIN or RST,
 * expire after this (or the frontend's idle timeout, if shorter).
 */
#define VIPFWD_SYN_TIMEOUT	10	/* seconds */
#define VIPFWD_CLOSE_TIMEOUT	10	/* seconds */

/* Expiry work: flows looked at per run, per chunk under one RCU section,
 * the pause between the runs of a pass, and once a full pass is done. A
 * flow found expired on lookup is a miss whenever the walk comes, so the
 * walk only bounds the memory of dead flows: a million flows take some
 * 6 s per pass, not a CPU kept busy walking them again and again.
 */
#define VIPFWD_GC_BUDGET	16384
#define VIPFWD_GC_CHUNK		64	/* buckets */
#define VIPFWD_GC_STEP		(HZ / 10)
#define VIPFWD_GC_INTERVAL	HZ

/*
 * Memcmp-able, no padding: 41 bytes, hashed with jhash. Packed so that
 * the flow's own small fields fill the 3 bytes a 4-byte aligned key would
 * waste; every member still sits at its natural alignment.
 */
struct vipfwd_flow_key {
	union vipfwd_addr	saddr;
	union vipfwd_addr	daddr;		/* the VIP */
	__be16			sport;		/* 0 unless 5tuple */
	__be16			dport;		/* 0 unless 5tuple */
	__be16			fe_port;	/* the frontend's port (0: all) */
	u8			family;
	u8			proto;		/* 0 for 2tuple */
	u8			fe_proto;	/* the frontend's protocol */
} __packed;

/*
 * 88 bytes on 64-bit kernels: the slab object per tracked flow (issue 3
 * asks for at most 96 bytes of memory per flow). The data path reads
 * node, key, last, timeout and be: the first 64 bytes, one cache line
 * when the object is 64-byte aligned, at most two otherwise.
 */
struct vipfwd_flow {
	struct rhash_head	node;
	struct vipfwd_flow_key	key;
	u8			state;		/* enum vipfwd_flow_state */
	u16			timeout;	/* vipfwd_timeout_encode() */
	u32			last;		/* jiffies of the last packet */
	struct vipfwd_backend	*be;		/* reference held; cmpxchg */
	struct vipfwd_counters	*fec;		/* reference held */
	struct rcu_head		rcu;
};

/* flow->state: the flow kind in the top bit, the TCP state below. */
#define VIPFWD_FLOW_F_NAT	0x80

struct vipfwd_nat_flow {
	struct vipfwd_flow	flow;
	struct vipfwd_nat_entry	nat;
};

static bool vipfwd_flow_is_nat(const struct vipfwd_flow *f)
{
	return READ_ONCE(f->state) & VIPFWD_FLOW_F_NAT;
}

/* A flow of the frontend's current mode (see the top of this file). */
static bool vipfwd_flow_kind_ok(const struct vipfwd_flow *f,
				const struct vipfwd_frontend *fe)
{
	bool nat = fe->mode == VIPFWD_MODE_NAT;

	return vipfwd_flow_is_nat(f) == nat;
}

static struct vipfwd_nat_entry *vipfwd_flow_nat(struct vipfwd_flow *f)
{
	return &container_of(f, struct vipfwd_nat_flow, flow)->nat;
}

/*
 * A flow's timeout in 16 bits: seconds up to 32767, above that (idle
 * timeouts of 9 hours and more, up to VIPFWD_IDLE_TIMEOUT_MAX) units of
 * 4 seconds, rounded up, with the top bit set.
 */
#define VIPFWD_TIMEOUT_COARSE	0x8000

static u16 vipfwd_timeout_encode(u32 secs)
{
	if (secs < VIPFWD_TIMEOUT_COARSE)
		return secs;
	return VIPFWD_TIMEOUT_COARSE | min_t(u32, DIV_ROUND_UP(secs, 4),
					     VIPFWD_TIMEOUT_COARSE - 1);
}

static u32 vipfwd_timeout_jiffies(u16 enc)
{
	if (enc & VIPFWD_TIMEOUT_COARSE)
		return (u32)(enc & ~VIPFWD_TIMEOUT_COARSE) * 4 * HZ;
	return (u32)enc * HZ;
}

static const struct rhashtable_params vipfwd_flow_params = {
	.key_len		= sizeof(struct vipfwd_flow_key),
	.key_offset		= offsetof(struct vipfwd_flow, key),
	.head_offset		= offsetof(struct vipfwd_flow, node),
	.min_size		= 1024,
	.automatic_shrinking	= true,
};

static struct kmem_cache *vipfwd_flow_cache __read_mostly;
static struct kmem_cache *vipfwd_nat_flow_cache __read_mostly;

int vipfwd_flow_cache_init(void)
{
	BUILD_BUG_ON(sizeof(struct vipfwd_flow_key) != 41);
	BUILD_BUG_ON(VIPFWD_IDLE_TIMEOUT_MAX / 4 >= VIPFWD_TIMEOUT_COARSE);
	/* The memory goal per tracked flow, with room for the slab: an
	 * 88-byte object is not merged into the 96-byte kmalloc cache.
	 */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) &&
		     sizeof(struct vipfwd_flow) > 88);
	BUILD_BUG_ON(__VIPFWD_FLOW_STATE_MAX > VIPFWD_FLOW_F_NAT);
	vipfwd_flow_cache = KMEM_CACHE(vipfwd_flow, 0);
	if (!vipfwd_flow_cache)
		return -ENOMEM;
	vipfwd_nat_flow_cache = KMEM_CACHE(vipfwd_nat_flow, 0);
	if (!vipfwd_nat_flow_cache) {
		kmem_cache_destroy(vipfwd_flow_cache);
		vipfwd_flow_cache = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Caller has waited for every pending free (rcu_barrier()). */
void vipfwd_flow_cache_exit(void)
{
	kmem_cache_destroy(vipfwd_nat_flow_cache);
	vipfwd_nat_flow_cache = NULL;
	kmem_cache_destroy(vipfwd_flow_cache);
	vipfwd_flow_cache = NULL;
}

/* ---- backend and frontend-counter references ---- */

static void vipfwd_backend_free_rcu(struct rcu_head *head)
{
	struct vipfwd_backend *be = container_of(head, struct vipfwd_backend,
						 rcu);

	/* No reference and a grace period since: nobody can see it. */
	kfree(rcu_dereference_protected(be->dest, 1));
	vipfwd_stats_free(be->stats);
	kfree(be);
}

void vipfwd_backend_put(struct vipfwd_backend *be)
{
	/* A reader may still hold a pointer it read before this put (the
	 * flow's old backend after a reschedule): free after a grace period.
	 * be->rcu is free for this: the configuration's release callback
	 * has run (it held a reference until then).
	 */
	if (refcount_dec_and_test(&be->ref))
		call_rcu(&be->rcu, vipfwd_backend_free_rcu);
}

static void vipfwd_backend_release_rcu(struct rcu_head *head)
{
	vipfwd_backend_put(container_of(head, struct vipfwd_backend, rcu));
}

void vipfwd_backend_release(struct vipfwd_backend *be)
{
	/* Its flows go elsewhere from now on. A reader that picked it from
	 * a scheduler table published before it was unlinked may still take
	 * a flow reference until the grace period ends: keep ours till then.
	 */
	WRITE_ONCE(be->flow_flags, be->flow_flags | VIPFWD_BE_GONE);
	call_rcu(&be->rcu, vipfwd_backend_release_rcu);
}

u32 vipfwd_backend_flows(const struct vipfwd_backend *be)
{
	unsigned int refs = refcount_read(&be->ref);

	return refs ? refs - 1 : 0;
}

u32 vipfwd_frontend_flows(const struct vipfwd_frontend *fe)
{
	unsigned int refs = refcount_read(&fe->counters->ref);

	return refs ? refs - 1 : 0;
}

/* ---- flows ---- */

static void vipfwd_flow_free(struct vipfwd_flow *f)
{
	vipfwd_backend_put(f->be);
	vipfwd_counters_put(f->fec);
	if (vipfwd_flow_is_nat(f))
		kmem_cache_free(vipfwd_nat_flow_cache,
				container_of(f, struct vipfwd_nat_flow, flow));
	else
		kmem_cache_free(vipfwd_flow_cache, f);
}

static void vipfwd_flow_free_rcu(struct rcu_head *head)
{
	vipfwd_flow_free(container_of(head, struct vipfwd_flow, rcu));
}

/* Remove @f; true if this call removed it (and so frees it). */
static bool vipfwd_flow_unlink(struct vipfwd_flow_table *ft,
			       struct vipfwd_flow *f)
{
	if (rhashtable_remove_fast(&ft->ht, &f->node, vipfwd_flow_params))
		return false;
	/* Ours alone now: no reply may find it after the grace period. */
	if (vipfwd_flow_is_nat(f))
		vipfwd_nat_unlink(container_of(ft, struct vipfwd_net, flows),
				  vipfwd_flow_nat(f));
	call_rcu(&f->rcu, vipfwd_flow_free_rcu);
	return true;
}

static void vipfwd_flow_key_fill(struct vipfwd_flow_key *k,
				 const struct vipfwd_frontend *fe,
				 const struct vipfwd_tuple *t)
{
	memset(k, 0, sizeof(*k));
	k->family = t->family;
	k->saddr = t->saddr;
	k->daddr = t->daddr;
	k->fe_proto = fe->proto;
	k->fe_port = fe->port;
	/* NAT: one flow per connection, see the top of this file. */
	switch (fe->mode == VIPFWD_MODE_NAT ? VIPFWD_HASH_5TUPLE : fe->hash) {
	case VIPFWD_HASH_2TUPLE:
		break;
	case VIPFWD_HASH_3TUPLE:
		k->proto = t->proto;
		break;
	default:
		k->proto = t->proto;
		k->sport = t->sport;
		k->dport = t->dport;
		break;
	}
}

/* Encoded (vipfwd_timeout_encode()). */
static u16 vipfwd_flow_timeout(const struct vipfwd_frontend *fe, u8 state)
{
	u32 idle = fe->idle_timeout;

	switch (state) {
	case VIPFWD_FLOW_STATE_SYN:
		idle = min_t(u32, idle, VIPFWD_SYN_TIMEOUT);
		break;
	case VIPFWD_FLOW_STATE_CLOSING:
		idle = min_t(u32, idle, VIPFWD_CLOSE_TIMEOUT);
		break;
	default:
		break;
	}
	return vipfwd_timeout_encode(idle);
}

/*
 * TCP state from the client's side only (replies go from the backend to
 * the client directly). Flows keyed without ports mix connections and
 * protocols: they have no TCP state and use the frontend's timeout.
 */
static u8 vipfwd_flow_state(const struct vipfwd_frontend *fe,
			    const struct vipfwd_tuple *t, u8 flags, bool fresh,
			    u8 cur)
{
	if (fe->hash != VIPFWD_HASH_5TUPLE && fe->mode != VIPFWD_MODE_NAT)
		return VIPFWD_FLOW_STATE_OTHER;
	if (t->proto != IPPROTO_TCP)
		return VIPFWD_FLOW_STATE_UDP;
	if (flags & (VIPFWD_TCP_FIN | VIPFWD_TCP_RST))
		return VIPFWD_FLOW_STATE_CLOSING;
	if ((flags & (VIPFWD_TCP_SYN | VIPFWD_TCP_ACK)) == VIPFWD_TCP_SYN) {
		/* A SYN after a close reuses the ports: a new connection. */
		if (fresh || cur == VIPFWD_FLOW_STATE_CLOSING)
			return VIPFWD_FLOW_STATE_SYN;
		return cur;
	}
	if (fresh || cur == VIPFWD_FLOW_STATE_SYN)
		return VIPFWD_FLOW_STATE_ESTABLISHED;
	return cur;
}

static bool vipfwd_flow_expired(const struct vipfwd_flow *f, u32 now)
{
	return now - READ_ONCE(f->last) >
	       vipfwd_timeout_jiffies(READ_ONCE(f->timeout));
}

/* A hit: refresh what changed, and only that. */
static void vipfwd_flow_touch(struct vipfwd_flow *f,
			      const struct vipfwd_frontend *fe,
			      const struct vipfwd_tuple *t, u8 tcp_flags,
			      u32 now)
{
	u8 state = READ_ONCE(f->state);
	u8 kind = state & VIPFWD_FLOW_F_NAT;
	u8 next = vipfwd_flow_state(fe, t, tcp_flags, false, state & ~kind);
	u16 timeout = vipfwd_flow_timeout(fe, next);

	if (READ_ONCE(f->last) != now)
		WRITE_ONCE(f->last, now);
	if ((next | kind) != state)
		WRITE_ONCE(f->state, next | kind);
	/* Also picks up a changed frontend idle timeout. */
	if (READ_ONCE(f->timeout) != timeout)
		WRITE_ONCE(f->timeout, timeout);
}

/*
 * May the flow stay on @be? Not when the backend is disabled or deleted,
 * not when the frontend now uses another pool; with health down it
 * depends on the frontend (default: TCP stays, everything else moves).
 * Draining, weight 0 and health unknown keep their flows.
 */
static bool vipfwd_flow_keep(const struct vipfwd_backend *be,
			     const struct vipfwd_frontend *fe, u8 proto)
{
	u8 flags = READ_ONCE(be->flow_flags);

	if (unlikely(be->pool != fe->pool))
		return false;
	if (likely(!flags))
		return true;
	if (flags & VIPFWD_BE_GONE)
		return false;
	switch (fe->on_health_down) {
	case VIPFWD_ON_HEALTH_DOWN_KEEP:
		return true;
	case VIPFWD_ON_HEALTH_DOWN_RESCHEDULE:
		return false;
	default:
		return proto == IPPROTO_TCP;
	}
}

static bool vipfwd_flows_full(struct vipfwd_flow_table *ft)
{
	return (u32)atomic_read(&ft->ht.nelems) >= READ_ONCE(ft->limit);
}

/*
 * Insert a new flow to @be, or find the one another CPU inserted first.
 * Returns the flow in the table, or NULL if none could be inserted.
 */
static struct vipfwd_flow *
vipfwd_flow_insert(struct vipfwd_flow_table *ft,
		   const struct vipfwd_flow_key *key,
		   const struct vipfwd_frontend *fe,
		   const struct vipfwd_tuple *t, u8 tcp_flags,
		   struct vipfwd_backend *be, u32 now, bool *mine,
		   bool *collision)
{
	struct vipfwd_net *vn = container_of(ft, struct vipfwd_net, flows);
	struct vipfwd_nat_entry *nat = NULL;
	struct vipfwd_flow *f, *old;
	int err;

	if (fe->mode == VIPFWD_MODE_NAT) {
		struct vipfwd_nat_flow *nf;

		nf = kmem_cache_alloc(vipfwd_nat_flow_cache,
				      GFP_ATOMIC | __GFP_NOWARN);
		if (!nf)
			return NULL;
		f = &nf->flow;
		nat = &nf->nat;
	} else {
		f = kmem_cache_alloc(vipfwd_flow_cache,
				     GFP_ATOMIC | __GFP_NOWARN);
		if (!f)
			return NULL;
	}
	f->key = *key;
	f->last = now;
	f->state = vipfwd_flow_state(fe, t, tcp_flags, true, 0);
	f->timeout = vipfwd_flow_timeout(fe, f->state);
	if (nat) {
		f->state |= VIPFWD_FLOW_F_NAT;
		memset(&nat->key, 0, sizeof(nat->key));
		nat->key.family = t->family;
		nat->key.proto = t->proto;
		nat->key.saddr = be->addr;
		nat->key.sport = fe->backend_port ?: t->dport;
		nat->key.daddr = t->saddr;
		nat->key.dport = t->sport;
		nat->vip = t->daddr;
		nat->vport = t->dport;
	}
	/* Under RCU both have their configuration reference (dropped only
	 * after a grace period), so these never start from 0.
	 */
	refcount_inc(&be->ref);
	f->be = be;
	refcount_inc(&fe->counters->ref);
	f->fec = fe->counters;

	/* The reply entry first: the flow is never visible without it. A
	 * collision is either another CPU inserting this very flow (found
	 * in the table below) or a reply tuple another flow owns.
	 */
	if (nat) {
		err = vipfwd_nat_link(vn, nat);
		if (err) {
			vipfwd_flow_free(f);
			old = rhashtable_lookup(&ft->ht, key,
						vipfwd_flow_params);
			*mine = false;
			*collision = err == -EEXIST && !old;
			return old;
		}
	}

	old = rhashtable_lookup_get_insert_fast(&ft->ht, &f->node,
						vipfwd_flow_params);
	*mine = !old;
	if (likely(!old))
		return f;
	if (nat) {
		/* Replies may have found the entry: free after RCU. */
		vipfwd_nat_unlink(vn, nat);
		call_rcu(&f->rcu, vipfwd_flow_free_rcu);
	} else {
		/* Never published: free it now. */
		vipfwd_flow_free(f);
	}
	return IS_ERR(old) ? NULL : old;
}

/*
 * The consistent hash's choice for @t: the tuple hash and the scheduler
 * table's slot, in @d for EXPLAIN. The data path only needs them when no
 * flow decides (a miss or a reschedule): a hit skips the hash and the
 * table's cache line.
 */
static const struct vipfwd_sched *
vipfwd_decide_sched(const struct vipfwd_frontend *fe,
		    const struct vipfwd_tuple *t, struct vipfwd_decision *d)
{
	const struct vipfwd_sched *sched = rcu_dereference(fe->pool->sched);

	d->hash = vipfwd_tuple_hash(t, fe->hash);
	if (sched) {
		d->tier = sched->tier;
		d->table_size = sched->table_size;
		d->slot = vipfwd_sched_slot(sched, d->hash);
	}
	return sched;
}

void vipfwd_flow_decide(struct vipfwd_net *vn,
			const struct vipfwd_frontend *fe,
			const struct vipfwd_tuple *t, u8 tcp_flags,
			bool commit, struct vipfwd_decision *d)
{
	struct vipfwd_flow_table *ft = &vn->flows;
	const struct vipfwd_sched *sched;
	struct vipfwd_backend *be, *cur;
	struct vipfwd_flow_key key;
	struct vipfwd_flow *f;
	u32 now = (u32)jiffies;
	bool mine;

	d->be = NULL;
	d->why = VIPFWD_WHY_NO_BACKEND;
	d->idle_ms = 0;
	d->hash = 0;
	d->tier = 0;
	d->table_size = 0;
	d->slot = 0;
	d->be_port = 0;
	d->nat_collision = false;
	/* EXPLAIN shows the table's choice even when a flow pins another. */
	sched = commit ? NULL : vipfwd_decide_sched(fe, t, d);

	vipfwd_flow_key_fill(&key, fe, t);
	f = likely(ft->ready) ?
		rhashtable_lookup(&ft->ht, &key, vipfwd_flow_params) : NULL;
	if (f && !vipfwd_flow_expired(f, now) && vipfwd_flow_kind_ok(f, fe)) {
		cur = READ_ONCE(f->be);
		if (likely(vipfwd_flow_keep(cur, fe, t->proto))) {
			d->be = cur;
			d->why = VIPFWD_WHY_FLOW;
			if (vipfwd_flow_is_nat(f))
				d->be_port = vipfwd_flow_nat(f)->key.sport;
			if (commit)
				vipfwd_flow_touch(f, fe, t, tcp_flags, now);
			else
				d->idle_ms = jiffies_to_msecs(now -
							      READ_ONCE(f->last));
			return;
		}

		/* Its backend is no longer usable for it: a new pick. A NAT
		 * flow ends instead (see the top of this file).
		 */
		if (vipfwd_flow_is_nat(f))
			goto miss;
		if (commit)
			sched = vipfwd_decide_sched(fe, t, d);
		be = vipfwd_sched_pick(sched, d->hash);
		if (!be)
			return;
		d->be = be;
		d->why = VIPFWD_WHY_RESCHEDULED;
		if (!commit)
			return;
		refcount_inc(&be->ref);
		if (cmpxchg(&f->be, cur, be) == cur) {
			vipfwd_backend_put(cur);
			vipfwd_count(vn, VIPFWD_CNT_RESCHEDULED);
			vipfwd_stats_new_flow(be->stats);
		} else {
			/* Another CPU moved it first: follow its pick. */
			vipfwd_backend_put(be);
			d->be = READ_ONCE(f->be);
		}
		vipfwd_flow_touch(f, fe, t, tcp_flags, now);
		return;
	}

miss:
	/* Expired is a miss; the one that removes it frees it. */
	if (f && commit)
		vipfwd_flow_unlink(ft, f);

	if (commit)
		sched = vipfwd_decide_sched(fe, t, d);
	be = vipfwd_sched_pick(sched, d->hash);
	if (!be)
		return;
	d->be = be;
	if (fe->mode == VIPFWD_MODE_NAT)
		d->be_port = fe->backend_port ?: t->dport;
	if (!ft->ready || vipfwd_flows_full(ft)) {
		d->why = VIPFWD_WHY_TABLE_FULL;
		if (commit)
			vipfwd_count(vn, VIPFWD_CNT_TABLE_FULL);
		return;
	}
	d->why = VIPFWD_WHY_NEW_FLOW;
	if (!commit)
		return;

	f = vipfwd_flow_insert(ft, &key, fe, t, tcp_flags, be, now, &mine,
			       &d->nat_collision);
	if (unlikely(!f)) {
		/* No memory or the table refused: like a full table. */
		d->why = VIPFWD_WHY_TABLE_FULL;
		if (!d->nat_collision)
			vipfwd_count(vn, VIPFWD_CNT_TABLE_FULL);
		return;
	}
	if (unlikely(!mine)) {
		/* Another CPU inserted the flow first: its backend wins. */
		d->be = READ_ONCE(f->be);
		d->why = VIPFWD_WHY_FLOW;
		if (vipfwd_flow_is_nat(f))
			d->be_port = vipfwd_flow_nat(f)->key.sport;
		vipfwd_flow_touch(f, fe, t, tcp_flags, now);
		return;
	}
	vipfwd_stats_new_flow(fe->stats);
	vipfwd_stats_new_flow(be->stats);
}

struct vipfwd_backend *vipfwd_flow_find(struct vipfwd_net *vn,
					const struct vipfwd_frontend *fe,
					const struct vipfwd_tuple *t,
					__be16 *be_port)
{
	struct vipfwd_flow_table *ft = &vn->flows;
	struct vipfwd_flow_key key;
	struct vipfwd_flow *f;

	*be_port = 0;
	if (unlikely(!ft->ready))
		return NULL;
	vipfwd_flow_key_fill(&key, fe, t);
	f = rhashtable_lookup(&ft->ht, &key, vipfwd_flow_params);
	if (!f || vipfwd_flow_expired(f, (u32)jiffies) ||
	    !vipfwd_flow_kind_ok(f, fe))
		return NULL;
	if (vipfwd_flow_is_nat(f))
		*be_port = vipfwd_flow_nat(f)->key.sport;
	return READ_ONCE(f->be);
}

/*
 * A reply of a NAT flow keeps it alive as the client's packets do (a
 * server that only talks must not lose its flow), but leaves its TCP
 * state alone: that follows the client's side.
 */
bool vipfwd_nat_entry_alive(const struct vipfwd_nat_entry *e)
{
	struct vipfwd_flow *f = &container_of(e, struct vipfwd_nat_flow,
					      nat)->flow;
	u32 now = (u32)jiffies;

	if (vipfwd_flow_expired(f, now))
		return false;
	if (READ_ONCE(f->last) != now)
		WRITE_ONCE(f->last, now);
	return true;
}

/* ---- expiry ---- */

bool vipfwd_flows_expire(struct vipfwd_net *vn, u32 budget)
{
	struct vipfwd_flow_table *ft = &vn->flows;
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct vipfwd_flow *f;
	u32 b = ft->gc_bucket, seen = 0, now;
	bool done = false;

	rcu_read_lock();
	tbl = rht_dereference_rcu(ft->ht.tbl, &ft->ht);
	now = (u32)jiffies;
	while (seen < budget) {
		if (b >= tbl->size) {
			b = 0;
			done = true;
			break;
		}
		rht_for_each_entry_rcu(f, pos, tbl, b, node) {
			seen++;
			if (vipfwd_flow_expired(f, now))
				vipfwd_flow_unlink(ft, f);
		}
		b++;
		if (!(b % VIPFWD_GC_CHUNK)) {
			/* Let others run; the table may be replaced by a
			 * resize meanwhile (then we go on in the new one).
			 */
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			tbl = rht_dereference_rcu(ft->ht.tbl, &ft->ht);
			now = (u32)jiffies;
		}
	}
	rcu_read_unlock();
	ft->gc_bucket = b;
	return done;
}

static void vipfwd_flows_gc_work(struct work_struct *work)
{
	struct vipfwd_flow_table *ft = container_of(to_delayed_work(work),
						    struct vipfwd_flow_table,
						    gc);
	struct vipfwd_net *vn = container_of(ft, struct vipfwd_net, flows);
	bool done;

	done = vipfwd_flows_expire(vn, VIPFWD_GC_BUDGET);
	/* A large table is walked run after run; a pass done, rest. */
	queue_delayed_work(system_power_efficient_wq, &ft->gc,
			   done ? VIPFWD_GC_INTERVAL : VIPFWD_GC_STEP);
}

/* ---- dumps, flush, settings ---- */

static bool vipfwd_flow_match(const struct vipfwd_flow *f,
			      const struct vipfwd_backend *be,
			      const struct vipfwd_flow_filter *filter)
{
	if (!filter)
		return true;
	if (filter->has_frontend &&
	    (f->key.family != filter->fe_family ||
	     f->key.fe_proto != filter->fe_proto ||
	     f->key.fe_port != filter->fe_port ||
	     memcmp(&f->key.daddr, &filter->fe_vip, sizeof(f->key.daddr))))
		return false;
	if (filter->has_backend &&
	    (be->family != filter->be_family ||
	     memcmp(&be->addr, &filter->be_addr, sizeof(be->addr))))
		return false;
	return true;
}

static void vipfwd_flow_info_fill(struct vipfwd_flow_info *info,
				  const struct vipfwd_flow *f,
				  const struct vipfwd_backend *be, u32 now)
{
	u32 idle = now - READ_ONCE(f->last);
	u32 timeout = vipfwd_timeout_jiffies(READ_ONCE(f->timeout));

	memset(info, 0, sizeof(*info));
	info->key.family = f->key.family;
	info->key.proto = f->key.proto;
	info->key.sport = f->key.sport;
	info->key.dport = f->key.dport;
	info->key.saddr = f->key.saddr;
	info->key.daddr = f->key.daddr;
	info->fe_family = f->key.family;
	info->fe_vip = f->key.daddr;
	info->fe_proto = f->key.fe_proto;
	info->fe_port = f->key.fe_port;
	info->be_family = be->family;
	info->be_addr = be->addr;
	/* The pool goes (kfree_rcu) only after its backends are marked
	 * gone: seen not gone under RCU, the pool is still there.
	 */
	if (!(READ_ONCE(be->flow_flags) & VIPFWD_BE_GONE))
		strscpy(info->pool, be->pool->name, sizeof(info->pool));
	info->state = READ_ONCE(f->state) & ~VIPFWD_FLOW_F_NAT;
	if (vipfwd_flow_is_nat(f))
		info->be_port = vipfwd_flow_nat((struct vipfwd_flow *)f)->key.sport;
	info->idle_ms = jiffies_to_msecs(idle);
	info->expires_ms = idle < timeout ? jiffies_to_msecs(timeout - idle) : 0;
}

/*
 * The cursor is (bucket << 32 | position in the bucket) of the current
 * bucket table. A resize between two calls can make a resumed walk repeat
 * or miss flows; a dump of a changing table is a snapshot of no instant
 * anyway. @fn runs under rcu_read_lock() and must not sleep.
 */
int vipfwd_flows_walk(struct vipfwd_net *vn,
		      const struct vipfwd_flow_filter *filter, u64 *cursor,
		      int (*fn)(const struct vipfwd_flow_info *info, void *arg),
		      void *arg)
{
	struct vipfwd_flow_table *ft = &vn->flows;
	const struct bucket_table *tbl;
	struct vipfwd_flow_info info;
	struct rhash_head *pos;
	struct vipfwd_flow *f;
	u32 b = *cursor >> 32, skip = (u32)*cursor, idx, now;
	int err = 0;

	if (!ft->ready)
		return 0;

	rcu_read_lock();
	tbl = rht_dereference_rcu(ft->ht.tbl, &ft->ht);
	now = (u32)jiffies;
	for (; b < tbl->size; b++, skip = 0) {
		idx = 0;
		rht_for_each_entry_rcu(f, pos, tbl, b, node) {
			struct vipfwd_backend *be = READ_ONCE(f->be);

			if (idx++ < skip)
				continue;
			if (vipfwd_flow_expired(f, now) ||
			    !vipfwd_flow_match(f, be, filter))
				continue;
			vipfwd_flow_info_fill(&info, f, be, now);
			err = fn(&info, arg);
			if (err) {
				*cursor = (u64)b << 32 | (idx - 1);
				goto out;
			}
		}
		*cursor = (u64)(b + 1) << 32;
		if (!((b + 1) % VIPFWD_GC_CHUNK)) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			tbl = rht_dereference_rcu(ft->ht.tbl, &ft->ht);
		}
	}
out:
	rcu_read_unlock();
	return err;
}

u32 vipfwd_flows_flush(struct vipfwd_net *vn,
		       const struct vipfwd_flow_filter *filter)
{
	struct vipfwd_flow_table *ft = &vn->flows;
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct vipfwd_flow *f;
	u32 b, removed = 0;

	if (!ft->ready)
		return 0;

	rcu_read_lock();
	tbl = rht_dereference_rcu(ft->ht.tbl, &ft->ht);
	for (b = 0; b < tbl->size; b++) {
		rht_for_each_entry_rcu(f, pos, tbl, b, node) {
			if (vipfwd_flow_match(f, READ_ONCE(f->be), filter) &&
			    vipfwd_flow_unlink(ft, f))
				removed++;
		}
		if (!((b + 1) % VIPFWD_GC_CHUNK)) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			tbl = rht_dereference_rcu(ft->ht.tbl, &ft->ht);
		}
	}
	rcu_read_unlock();
	return removed;
}

/* Lowering the limit keeps every flow: it only stops new inserts. */
int vipfwd_flows_set_limit(struct vipfwd_net *vn, u32 limit,
			   struct netlink_ext_ack *extack)
{
	if (limit < 1 || limit > VIPFWD_FLOW_LIMIT_MAX) {
		NL_SET_ERR_MSG(extack, "flow limit must be 1.."
			       __stringify(VIPFWD_FLOW_LIMIT_MAX));
		return -ERANGE;
	}
	WRITE_ONCE(vn->flows.limit, limit);
	return 0;
}

u32 vipfwd_flows_limit(const struct vipfwd_net *vn)
{
	return READ_ONCE(vn->flows.limit);
}

u32 vipfwd_flows_count(const struct vipfwd_net *vn)
{
	return vn->flows.ready ? atomic_read(&vn->flows.ht.nelems) : 0;
}

int vipfwd_flows_init(struct vipfwd_net *vn)
{
	struct vipfwd_flow_table *ft = &vn->flows;
	int err;

	ft->limit = VIPFWD_FLOW_LIMIT_DEFAULT;
	ft->gc_bucket = 0;
	err = rhashtable_init(&ft->ht, &vipfwd_flow_params);
	if (err)
		return err;
	err = vipfwd_nat_init(vn);
	if (err) {
		rhashtable_destroy(&ft->ht);
		return err;
	}
	ft->ready = true;
	INIT_DELAYED_WORK(&ft->gc, vipfwd_flows_gc_work);
	queue_delayed_work(system_power_efficient_wq, &ft->gc,
			   VIPFWD_GC_INTERVAL);
	return 0;
}

static void vipfwd_flow_destroy(void *ptr, void *arg)
{
	vipfwd_flow_free(ptr);
}

/* No reader left: the hooks are gone and a grace period has passed. */
void vipfwd_flows_exit(struct vipfwd_net *vn)
{
	struct vipfwd_flow_table *ft = &vn->flows;

	if (!ft->ready)
		return;
	cancel_delayed_work_sync(&ft->gc);
	ft->ready = false;
	/* The reply entries live inside the flows: drop the index first. */
	vipfwd_nat_exit(vn);
	rhashtable_free_and_destroy(&ft->ht, vipfwd_flow_destroy, NULL);
}
