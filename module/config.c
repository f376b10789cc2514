// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd configuration objects: pools, backends, frontends.
 *
 * Every function that changes configuration runs under vn->lock (asserted
 * with lockdep) and checks limits and duplicates before it changes
 * anything, so a refused request leaves the namespace as it was; when an
 * allocation fails half way, the change is rolled back.
 *
 * What the data path sees is published with RCU (see vipfwd.h):
 *  - frontends sit in vn->frontends; SET publishes a modified copy with
 *    hlist_replace_rcu(), DEL unlinks; the old copy is freed after a grace
 *    period. The counters (struct vipfwd_counters) move to the copy; the
 *    last copy and the frontend's flows each hold a reference.
 *  - a pool's scheduler is rebuilt after every change that can alter which
 *    backends take new flows and swapped in with rcu_replace_pointer().
 *  - a backend is unlinked, a scheduler without it is published, and only
 *    then is the configuration's reference dropped, after a grace period
 *    (vipfwd_backend_release()): a reader still holding the old scheduler
 *    may pin a flow to it until then. The last flow frees it.
 *  - a backend's state and health also set its flow_flags, which tell the
 *    data path what its existing flows may do; its via is an RCU-replaced
 *    struct vipfwd_dest, so a via change keeps the backend and its flows.
 *  - a pool is freed with RCU once no frontend points to it, after its
 *    backends are marked gone.
 */
#include <linux/jhash.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "vipfwd.h"

static void vipfwd_config_changed(struct vipfwd_net *vn)
{
	/* 0 would disable the dump consistency check, skip it on wrap. */
	if (++vn->generation == 0)
		vn->generation = 1;
}

static bool vipfwd_addr_equal(u8 family, const union vipfwd_addr *a,
			      const union vipfwd_addr *b)
{
	if (family == AF_INET6)
		return ipv6_addr_equal(&a->ip6, &b->ip6);
	return a->ip == b->ip;
}

/* Bucket of a VIP: by address only, so one lookup finds every port. */
static u32 vipfwd_vip_hash(u8 family, const union vipfwd_addr *vip)
{
	if (family == AF_INET6)
		return jhash2((const u32 *)vip->ip6.s6_addr32, 4, AF_INET6);
	return jhash_1word((__force u32)vip->ip, AF_INET);
}

/* ---- pools ---- */

void vipfwd_pool_defaults(struct vipfwd_pool *tmpl)
{
	memset(tmpl, 0, sizeof(*tmpl));
	tmpl->probe_type = VIPFWD_PROBE_NONE;
	tmpl->interval_ms = VIPFWD_INTERVAL_MS_DEFAULT;
	tmpl->timeout_ms = VIPFWD_TIMEOUT_MS_DEFAULT;
	tmpl->fall = VIPFWD_FALL_DEFAULT;
	tmpl->rise = VIPFWD_RISE_DEFAULT;
	tmpl->table_size = VIPFWD_TABLE_SIZE_DEFAULT;
}

static void vipfwd_pool_copy_settings(struct vipfwd_pool *dst,
				      const struct vipfwd_pool *src)
{
	dst->probe_type = src->probe_type;
	dst->probe_port = src->probe_port;
	strscpy(dst->http_path, src->http_path, sizeof(dst->http_path));
	strscpy(dst->http_expect, src->http_expect, sizeof(dst->http_expect));
	dst->interval_ms = src->interval_ms;
	dst->timeout_ms = src->timeout_ms;
	dst->fall = src->fall;
	dst->rise = src->rise;
	dst->table_size = src->table_size;
}

struct vipfwd_pool *vipfwd_pool_find(struct vipfwd_net *vn, const char *name)
{
	struct vipfwd_pool *pool;

	lockdep_assert_held(&vn->lock);

	list_for_each_entry(pool, &vn->pools, node)
		if (!strcmp(pool->name, name))
			return pool;
	return NULL;
}

/*
 * Publish a scheduler built from the pool's current backends and settings.
 * On failure the old scheduler stays; the caller rolls its change back.
 */
int vipfwd_pool_rebuild(struct vipfwd_net *vn, struct vipfwd_pool *pool)
{
	struct vipfwd_sched *new, *old;

	lockdep_assert_held(&vn->lock);

	new = vipfwd_sched_build(pool, GFP_KERNEL);
	if (IS_ERR(new))
		return PTR_ERR(new);
	if (!new)
		return -ENOMEM;

	old = rcu_replace_pointer(pool->sched, new,
				  lockdep_is_held(&vn->lock));
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
}

struct vipfwd_pool *vipfwd_pool_create(struct vipfwd_net *vn,
				       const struct vipfwd_pool *tmpl,
				       struct netlink_ext_ack *extack)
{
	struct vipfwd_pool *pool;
	int err;

	lockdep_assert_held(&vn->lock);

	if (vipfwd_pool_find(vn, tmpl->name)) {
		VIPFWD_ERR_FMT(extack, NULL, "pool already exists",
			       "pool \"%s\" already exists", tmpl->name);
		return ERR_PTR(-EEXIST);
	}
	if (vn->nr_pools >= VIPFWD_MAX_POOLS) {
		NL_SET_ERR_MSG(extack, "too many pools in this namespace (limit "
			       __stringify(VIPFWD_MAX_POOLS) ")");
		return ERR_PTR(-ENOSPC);
	}

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	strscpy(pool->name, tmpl->name, sizeof(pool->name));
	vipfwd_pool_copy_settings(pool, tmpl);
	INIT_LIST_HEAD(&pool->backends);

	/* An (empty) scheduler from the start: readers never see NULL on a
	 * pool that a frontend can point to.
	 */
	err = vipfwd_pool_rebuild(vn, pool);
	if (err) {
		kfree(pool);
		return ERR_PTR(err);
	}

	list_add_tail(&pool->node, &vn->pools);
	vn->nr_pools++;
	vipfwd_config_changed(vn);
	return pool;
}

int vipfwd_pool_update(struct vipfwd_net *vn, struct vipfwd_pool *pool,
		       const struct vipfwd_pool *tmpl,
		       struct netlink_ext_ack *extack)
{
	u8 old_probe = pool->probe_type;
	u32 old_table = pool->table_size;
	int err;

	lockdep_assert_held(&vn->lock);

	/* Every backend must be able to own a Maglev entry once eligible;
	 * eligibility changes (health) cannot be refused, so count them all.
	 */
	if (tmpl->table_size < pool->nr_backends) {
		VIPFWD_ERR_FMT(extack, NULL,
			       "table-size is smaller than the pool's number of backends",
			       "table-size %u is smaller than the pool's %u backends",
			       tmpl->table_size, pool->nr_backends);
		return -ENOSPC;
	}

	/* The probe type decides whether health "unknown" is eligible and
	 * the table size shapes the scheduler: rebuild when either changes.
	 */
	if (tmpl->probe_type != old_probe || tmpl->table_size != old_table) {
		pool->probe_type = tmpl->probe_type;
		pool->table_size = tmpl->table_size;
		err = vipfwd_pool_rebuild(vn, pool);
		if (err) {
			pool->probe_type = old_probe;
			pool->table_size = old_table;
			NL_SET_ERR_MSG(extack, "out of memory rebuilding the pool's backend table");
			return err;
		}
	}

	vipfwd_pool_copy_settings(pool, tmpl);
	vipfwd_config_changed(vn);
	return 0;
}

/*
 * What the data path may do with a backend's existing flows, from its
 * state and health (see vipfwd_flow_keep() in flow.c). Readers use
 * READ_ONCE() and see either value.
 */
static void vipfwd_backend_flow_flags(struct vipfwd_backend *be)
{
	u8 flags = 0;

	/* A deleted backend is never updated again: no GONE to keep. */
	if (be->state == VIPFWD_BACKEND_DISABLED)
		flags |= VIPFWD_BE_GONE;
	if (be->health == VIPFWD_HEALTH_DOWN)
		flags |= VIPFWD_BE_DOWN;
	WRITE_ONCE(be->flow_flags, flags);
}

/* The data path's copy of a via: NULL (send to the backend's address),
 * a new struct, or ERR_PTR(-ENOMEM).
 */
static struct vipfwd_dest *vipfwd_dest_alloc(u8 family,
					     const union vipfwd_addr *via)
{
	struct vipfwd_dest *dest;

	if (!family)
		return NULL;
	dest = kzalloc(sizeof(*dest), GFP_KERNEL);
	if (!dest)
		return ERR_PTR(-ENOMEM);
	dest->family = family;
	dest->addr = *via;
	return dest;
}

/* Swap the via readers see; flows stay on the same backend object. */
static void vipfwd_backend_publish_dest(struct vipfwd_net *vn,
					struct vipfwd_backend *be,
					struct vipfwd_dest *dest)
{
	struct vipfwd_dest *old;

	old = rcu_replace_pointer(be->dest, dest, lockdep_is_held(&vn->lock));
	if (old)
		kfree_rcu(old, rcu);
}

/* Unpublish and free a pool that no frontend uses any more. */
static void vipfwd_pool_release(struct vipfwd_net *vn, struct vipfwd_pool *pool)
{
	struct vipfwd_backend *be, *tmp;
	struct vipfwd_sched *old;

	lockdep_assert_held(&vn->lock);

	/* No allocation here, so this cannot fail: publish "no scheduler"
	 * first; readers that still hold the old one keep it, and everything
	 * it points to, until their grace period ends.
	 */
	old = rcu_replace_pointer(pool->sched, NULL,
				  lockdep_is_held(&vn->lock));
	if (old)
		kvfree_rcu(old, rcu);

	/* Backends are marked gone before the pool can go: flow dumps read
	 * the pool name only from backends that are not.
	 */
	list_for_each_entry_safe(be, tmp, &pool->backends, node) {
		list_del(&be->node);
		pool->nr_backends--;
		vn->nr_backends--;
		vipfwd_backend_release(be);
	}
	kfree_rcu(pool, rcu);
}

int vipfwd_pool_delete(struct vipfwd_net *vn, struct vipfwd_pool *pool,
		       struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&vn->lock);

	if (pool->users) {
		VIPFWD_ERR_FMT(extack, NULL, "pool is still used by frontends",
			       "pool \"%s\" is still used by %u frontend%s",
			       pool->name, pool->users,
			       pool->users == 1 ? "" : "s");
		return -EBUSY;
	}

	list_del(&pool->node);
	vn->nr_pools--;
	vipfwd_pool_release(vn, pool);
	vipfwd_config_changed(vn);
	return 0;
}

/* ---- backends ---- */

void vipfwd_backend_defaults(struct vipfwd_backend *tmpl)
{
	memset(tmpl, 0, sizeof(*tmpl));
	tmpl->weight = 1;
	tmpl->tier = 0;
	tmpl->state = VIPFWD_BACKEND_ENABLED;
	tmpl->health = VIPFWD_HEALTH_UNKNOWN;
}

/* Caller holds vn->lock (the pool does not know its namespace). */
struct vipfwd_backend *vipfwd_backend_find(const struct vipfwd_pool *pool,
					   u8 family,
					   const union vipfwd_addr *addr)
{
	struct vipfwd_backend *be;

	list_for_each_entry(be, &pool->backends, node)
		if (be->family == family &&
		    vipfwd_addr_equal(family, &be->addr, addr))
			return be;
	return NULL;
}

static void vipfwd_backend_copy(struct vipfwd_backend *dst,
				const struct vipfwd_backend *src)
{
	dst->family = src->family;
	dst->addr = src->addr;
	dst->via_family = src->via_family;
	dst->via = src->via;
	dst->weight = src->weight;
	dst->tier = src->tier;
	dst->state = src->state;
	dst->health = src->health;
}

struct vipfwd_backend *vipfwd_backend_create(struct vipfwd_net *vn,
					     struct vipfwd_pool *pool,
					     const struct vipfwd_backend *tmpl,
					     struct netlink_ext_ack *extack)
{
	struct vipfwd_dest *dest;
	struct vipfwd_backend *be;
	int err;

	lockdep_assert_held(&vn->lock);

	if (vipfwd_backend_find(pool, tmpl->family, &tmpl->addr)) {
		VIPFWD_ERR_FMT(extack, NULL, "backend already in pool",
			       "backend already in pool \"%s\"", pool->name);
		return ERR_PTR(-EEXIST);
	}
	if (pool->nr_backends >= VIPFWD_MAX_POOL_BACKENDS) {
		NL_SET_ERR_MSG(extack, "too many backends in this pool (limit "
			       __stringify(VIPFWD_MAX_POOL_BACKENDS) ")");
		return ERR_PTR(-ENOSPC);
	}
	if (vn->nr_backends >= VIPFWD_MAX_BACKENDS) {
		NL_SET_ERR_MSG(extack, "too many backends in this namespace (limit "
			       __stringify(VIPFWD_MAX_BACKENDS) ")");
		return ERR_PTR(-ENOSPC);
	}
	if (pool->nr_backends >= pool->table_size) {
		VIPFWD_ERR_FMT(extack, NULL,
			       "pool is full: its table-size allows no more backends",
			       "pool \"%s\" is full: table-size %u allows at most %u backends",
			       pool->name, pool->table_size, pool->table_size);
		return ERR_PTR(-ENOSPC);
	}

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return ERR_PTR(-ENOMEM);
	be->stats = vipfwd_stats_alloc();
	if (!be->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	vipfwd_backend_copy(be, tmpl);
	be->pool = pool;
	/* The configuration's reference; each flow takes its own. */
	refcount_set(&be->ref, 1);
	dest = vipfwd_dest_alloc(be->via_family, &be->via);
	if (IS_ERR(dest)) {
		err = PTR_ERR(dest);
		goto err_stats;
	}
	RCU_INIT_POINTER(be->dest, dest);

	list_add_tail(&be->node, &pool->backends);
	vipfwd_backend_flow_flags(be);
	pool->nr_backends++;
	err = vipfwd_pool_rebuild(vn, pool);
	if (err)
		goto err_unlink;

	vn->nr_backends++;
	vipfwd_config_changed(vn);
	return be;

err_unlink:
	/* Never published: the old scheduler does not know it. */
	list_del(&be->node);
	pool->nr_backends--;
	kfree(rcu_dereference_protected(be->dest, true));
err_stats:
	vipfwd_stats_free(be->stats);
err_free:
	kfree(be);
	return ERR_PTR(err);
}

/*
 * Apply new settings to a backend. weight/tier/state/health are read only
 * by the scheduler builder and change in place; the tunnel endpoint is read
 * by the data path, so changing it publishes a new backend object (same
 * counters) and retires the old one after a grace period.
 */
struct vipfwd_backend *vipfwd_backend_update(struct vipfwd_net *vn,
					     struct vipfwd_backend *be,
					     const struct vipfwd_backend *tmpl,
					     struct netlink_ext_ack *extack)
{
	struct vipfwd_pool *pool = be->pool;
	u8 old_tier, old_state, old_health;
	struct vipfwd_dest *dest = NULL;
	bool via_changed;
	u32 old_weight;
	int err;

	lockdep_assert_held(&vn->lock);

	/* Allocated first, published last: nothing to undo on failure. */
	via_changed = tmpl->via_family != be->via_family ||
		      (tmpl->via_family &&
		       !vipfwd_addr_equal(tmpl->via_family, &tmpl->via,
					  &be->via));
	if (via_changed) {
		dest = vipfwd_dest_alloc(tmpl->via_family, &tmpl->via);
		if (IS_ERR(dest))
			return ERR_CAST(dest);
	}

	old_weight = be->weight;
	old_tier = be->tier;
	old_state = be->state;
	old_health = be->health;
	be->weight = tmpl->weight;
	be->tier = tmpl->tier;
	be->state = tmpl->state;
	be->health = tmpl->health;
	err = vipfwd_pool_rebuild(vn, pool);
	if (err) {
		be->weight = old_weight;
		be->tier = old_tier;
		be->state = old_state;
		be->health = old_health;
		kfree(dest);
		NL_SET_ERR_MSG(extack, "out of memory rebuilding the pool's backend table");
		return ERR_PTR(err);
	}
	if (via_changed) {
		be->via_family = tmpl->via_family;
		be->via = tmpl->via;
		vipfwd_backend_publish_dest(vn, be, dest);
	}
	vipfwd_backend_flow_flags(be);
	vipfwd_config_changed(vn);
	return be;
}

int vipfwd_backend_delete(struct vipfwd_net *vn, struct vipfwd_backend *be,
			  struct netlink_ext_ack *extack)
{
	struct vipfwd_pool *pool = be->pool;
	struct list_head *prev = be->node.prev;
	int err;

	lockdep_assert_held(&vn->lock);

	list_del(&be->node);
	pool->nr_backends--;
	err = vipfwd_pool_rebuild(vn, pool);
	if (err) {
		/* The published scheduler still points to it: keep it. */
		list_add(&be->node, prev);
		pool->nr_backends++;
		NL_SET_ERR_MSG(extack, "out of memory rebuilding the pool's backend table");
		return err;
	}

	vn->nr_backends--;
	/* Its flows are rescheduled; it is freed with the last of them. */
	vipfwd_backend_release(be);
	vipfwd_config_changed(vn);
	return 0;
}

/* ---- frontends ---- */

void vipfwd_frontend_defaults(struct vipfwd_frontend *tmpl)
{
	memset(tmpl, 0, sizeof(*tmpl));
	tmpl->mode = VIPFWD_MODE_ENCAP;
	tmpl->encap = VIPFWD_ENCAP_IPIP;
	tmpl->idle_timeout = VIPFWD_IDLE_TIMEOUT_DEFAULT;
	tmpl->hash = VIPFWD_HASH_5TUPLE;
	tmpl->no_backend = VIPFWD_NO_BACKEND_DROP;
	tmpl->on_health_down = VIPFWD_ON_HEALTH_DOWN_DEFAULT;
}

static void vipfwd_frontend_copy(struct vipfwd_frontend *dst,
				 const struct vipfwd_frontend *src)
{
	dst->family = src->family;
	dst->vip = src->vip;
	dst->proto = src->proto;
	dst->port = src->port;
	dst->pool = src->pool;
	dst->mode = src->mode;
	dst->encap = src->encap;
	dst->gue_port = src->gue_port;
	dst->backend_port = src->backend_port;
	dst->idle_timeout = src->idle_timeout;
	dst->hash = src->hash;
	dst->no_backend = src->no_backend;
	dst->source_family = src->source_family;
	dst->source = src->source;
	dst->on_health_down = src->on_health_down;
}

static bool vipfwd_frontend_key_equal(const struct vipfwd_frontend *a,
				      const struct vipfwd_frontend *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       a->port == b->port &&
	       vipfwd_addr_equal(a->family, &a->vip, &b->vip);
}

struct vipfwd_frontend *vipfwd_frontend_find(struct vipfwd_net *vn,
					     const struct vipfwd_frontend *key)
{
	struct vipfwd_frontend *fe;

	lockdep_assert_held(&vn->lock);

	hash_for_each_possible(vn->frontends, fe, hnode,
			       vipfwd_vip_hash(key->family, &key->vip))
		if (vipfwd_frontend_key_equal(fe, key))
			return fe;
	return NULL;
}

/*
 * The frontend for a packet: same family and VIP, and of those the most
 * specific: (proto, port) > (proto, any port) > (any proto, port) >
 * (any proto, any port). "Any protocol" covers TCP and UDP only.
 */
struct vipfwd_frontend *vipfwd_frontend_lookup_rcu(struct vipfwd_net *vn,
						   const struct vipfwd_tuple *t)
{
	struct vipfwd_frontend *fe, *best = NULL;
	bool any_ok = t->proto == IPPROTO_TCP || t->proto == IPPROTO_UDP;
	int rank, best_rank = -1;

	/* The common case on a host with no configuration: one load. */
	if (!READ_ONCE(vn->nr_frontends))
		return NULL;

	hash_for_each_possible_rcu(vn->frontends, fe, hnode,
				   vipfwd_vip_hash(t->family, &t->daddr)) {
		if (fe->family != t->family ||
		    !vipfwd_addr_equal(t->family, &fe->vip, &t->daddr))
			continue;

		if (fe->proto == VIPFWD_PROTO_ANY) {
			if (!any_ok)
				continue;
			rank = 0;
		} else if (fe->proto == t->proto) {
			rank = 2;
		} else {
			continue;
		}

		if (fe->port == t->dport)
			rank++;
		else if (fe->port)
			continue;

		if (rank > best_rank) {
			best = fe;
			best_rank = rank;
			if (rank == 3)
				break;
		}
	}
	return best;
}

static void vipfwd_frontend_free_rcu(struct rcu_head *head)
{
	struct vipfwd_frontend *fe = container_of(head, struct vipfwd_frontend,
						  rcu);

	/* Its flows may keep the counters a while longer. */
	vipfwd_counters_put(fe->counters);
	kfree(fe);
}

struct vipfwd_frontend *vipfwd_frontend_create(struct vipfwd_net *vn,
					       const struct vipfwd_frontend *tmpl,
					       struct netlink_ext_ack *extack)
{
	struct vipfwd_frontend *fe;

	lockdep_assert_held(&vn->lock);

	if (vipfwd_frontend_find(vn, tmpl)) {
		const char *proto = tmpl->proto == IPPROTO_TCP ? "tcp" :
				    tmpl->proto == IPPROTO_UDP ? "udp" : "any";

		if (tmpl->family == AF_INET6)
			VIPFWD_ERR_FMT(extack, NULL, "frontend already exists",
				       "frontend %pI6c %s %u already exists",
				       &tmpl->vip.ip6, proto, ntohs(tmpl->port));
		else
			VIPFWD_ERR_FMT(extack, NULL, "frontend already exists",
				       "frontend %pI4 %s %u already exists",
				       &tmpl->vip.ip, proto, ntohs(tmpl->port));
		return ERR_PTR(-EEXIST);
	}
	if (vn->nr_frontends >= VIPFWD_MAX_FRONTENDS) {
		NL_SET_ERR_MSG(extack, "too many frontends in this namespace (limit "
			       __stringify(VIPFWD_MAX_FRONTENDS) ")");
		return ERR_PTR(-ENOSPC);
	}

	fe = kzalloc(sizeof(*fe), GFP_KERNEL);
	if (!fe)
		return ERR_PTR(-ENOMEM);
	fe->counters = vipfwd_counters_alloc();
	if (!fe->counters) {
		kfree(fe);
		return ERR_PTR(-ENOMEM);
	}
	fe->stats = fe->counters->pcpu;
	vipfwd_frontend_copy(fe, tmpl);

	fe->pool->users++;
	hash_add_rcu(vn->frontends, &fe->hnode,
		     vipfwd_vip_hash(fe->family, &fe->vip));
	WRITE_ONCE(vn->nr_frontends, vn->nr_frontends + 1);
	vipfwd_config_changed(vn);
	return fe;
}

struct vipfwd_frontend *vipfwd_frontend_replace(struct vipfwd_net *vn,
						struct vipfwd_frontend *old,
						const struct vipfwd_frontend *tmpl,
						struct netlink_ext_ack *extack)
{
	struct vipfwd_frontend *new;

	lockdep_assert_held(&vn->lock);

	if (WARN_ON_ONCE(!vipfwd_frontend_key_equal(old, tmpl))) {
		NL_SET_ERR_MSG(extack, "frontend key cannot change");
		return ERR_PTR(-EINVAL);
	}

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return ERR_PTR(-ENOMEM);
	vipfwd_frontend_copy(new, tmpl);
	/* Readers of either copy count into the same counters. */
	new->counters = old->counters;
	new->stats = old->stats;

	if (new->pool != old->pool) {
		new->pool->users++;
		old->pool->users--;
	}
	hlist_replace_rcu(&old->hnode, &new->hnode);
	/* Not vipfwd_frontend_free_rcu: the counters live on in @new. */
	kfree_rcu(old, rcu);
	vipfwd_config_changed(vn);
	return new;
}

void vipfwd_frontend_delete(struct vipfwd_net *vn, struct vipfwd_frontend *fe)
{
	lockdep_assert_held(&vn->lock);

	hash_del_rcu(&fe->hnode);
	fe->pool->users--;
	WRITE_ONCE(vn->nr_frontends, vn->nr_frontends - 1);
	call_rcu(&fe->rcu, vipfwd_frontend_free_rcu);
	vipfwd_config_changed(vn);
}

/* Remove everything: namespace teardown. Cannot fail. */
void vipfwd_net_flush(struct vipfwd_net *vn)
{
	struct vipfwd_frontend *fe;
	struct vipfwd_pool *pool, *ptmp;
	struct hlist_node *tmp;
	int bkt;

	lockdep_assert_held(&vn->lock);

	hash_for_each_safe(vn->frontends, bkt, tmp, fe, hnode)
		vipfwd_frontend_delete(vn, fe);

	list_for_each_entry_safe(pool, ptmp, &vn->pools, node) {
		list_del(&pool->node);
		vn->nr_pools--;
		vipfwd_pool_release(vn, pool);
	}
	vipfwd_config_changed(vn);
}
