/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vipfwd internal objects, shared by every file of the module.
 *
 * Locking and lifetime rules (enforced where noted):
 *  - All configuration lives in struct vipfwd_net, one per network
 *    namespace. Writers hold vipfwd_net.lock (a mutex); every function that
 *    changes configuration calls lockdep_assert_held(&vn->lock).
 *  - The data path never takes that lock. It runs under RCU (netfilter
 *    hooks run inside rcu_read_lock) and only follows __rcu pointers:
 *    vn->frontends buckets -> frontend -> frontend->pool -> pool->sched ->
 *    backend. A configuration change builds a new immutable object
 *    (frontend copy, scheduler table) and publishes it with
 *    rcu_assign_pointer(); the old one is freed after a grace period.
 *  - Backend fields the data path reads (addr, via) never change after the
 *    backend is created; weight/tier/state/health are only read by the
 *    scheduler builder under vn->lock. A backend is unlinked, a new
 *    scheduler without it is published, and only then is it freed with
 *    call_rcu(), so any reader that still holds the old table is done
 *    before the memory goes. Changing a backend's via publishes a new
 *    backend object (same counters) the same way, so a backend pointer is
 *    only stable under RCU or vn->lock.
 *  - Counters are per-CPU (struct vipfwd_pcpu_stats) and are summed on dump.
 */
#ifndef _VIPFWD_H
#define _VIPFWD_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/u64_stats_sync.h>
#include <linux/in6.h>
#include <linux/netlink.h>
#include <net/net_namespace.h>
#include <uapi/linux/vipfwd.h>

/* Frontend hash table: bucketed by VIP address only, so traffic to an
 * address that is no VIP costs one hash and one (usually empty) bucket.
 */
#define VIPFWD_FRONTEND_HASH_BITS	10

union vipfwd_addr {
	__be32		ip;
	struct in6_addr	ip6;
};

/* Per-CPU traffic counters of one frontend or backend. */
struct vipfwd_pcpu_stats {
	u64_stats_t		packets;
	u64_stats_t		bytes;
	struct u64_stats_sync	syncp;
};

/* Namespace-wide drop counters, indexed by enum vipfwd_drop_reason. */
enum vipfwd_drop_reason {
	VIPFWD_DROP_NO_BACKEND,
	VIPFWD_DROP_NO_ROUTE,
	VIPFWD_DROP_MALFORMED,
	VIPFWD_DROP_FRAGMENT,
	VIPFWD_DROP_NOMEM,
	VIPFWD_DROP_TOO_BIG,
	__VIPFWD_DROP_MAX,
};

struct vipfwd_pcpu_drops {
	u64_stats_t		count[__VIPFWD_DROP_MAX];
	struct u64_stats_sync	syncp;
};

struct vipfwd_backend {
	struct list_head	node;		/* pool->backends, vn->lock */
	struct rcu_head		rcu;
	struct vipfwd_pool	*pool;
	u8			family;		/* AF_INET or AF_INET6 */
	union vipfwd_addr	addr;		/* immutable */
	u8			via_family;	/* 0 when unset */
	union vipfwd_addr	via;		/* immutable after publish */
	/* read by the scheduler builder only, under vn->lock */
	u32			weight;
	u8			tier;
	u8			state;		/* enum vipfwd_backend_state */
	u8			health;		/* enum vipfwd_health */
	struct vipfwd_pcpu_stats __percpu *stats;
};

/* Immutable backend chooser published by a pool; rebuilt on every change
 * that can alter which backends take new flows.
 */
struct vipfwd_sched {
	struct rcu_head		rcu;
	u32			count;		/* eligible backends */
	u32			total_weight;	/* sum of their weights */
	u8			tier;		/* tier they belong to */
	/* count entries, in the same allocation: cum_weight[i] is the sum
	 * of the weights of backends[0..i], so a pick is a binary search.
	 */
	u32			*cum_weight;
	struct vipfwd_backend	*backends[];	/* count entries, sorted */
};

struct vipfwd_pool {
	struct list_head	node;		/* vn->pools, vn->lock */
	struct rcu_head		rcu;
	char			name[VIPFWD_NAME_MAX];
	u8			probe_type;	/* enum vipfwd_probe_type */
	u16			probe_port;
	char			http_path[VIPFWD_HTTP_PATH_MAX];
	char			http_expect[VIPFWD_HTTP_EXPECT_MAX];
	u32			interval_ms;
	u32			timeout_ms;
	u32			fall;
	u32			rise;
	u32			table_size;
	struct list_head	backends;	/* vn->lock */
	u32			nr_backends;
	u32			users;		/* frontends using it, vn->lock */
	struct vipfwd_sched __rcu *sched;
};

struct vipfwd_frontend {
	struct hlist_node	hnode;		/* vn->frontends, vn->lock/RCU */
	struct rcu_head		rcu;
	/* key */
	u8			family;
	union vipfwd_addr	vip;
	u8			proto;		/* IPPROTO_TCP/UDP or ANY */
	__be16			port;		/* 0 = every port */
	/* settings; a frontend is immutable once published: SET replaces it */
	struct vipfwd_pool	*pool;		/* pinned by pool->users */
	u8			mode;
	u8			encap;
	__be16			gue_port;
	__be16			backend_port;
	u32			idle_timeout;	/* seconds */
	u8			hash;		/* enum vipfwd_hash */
	u8			no_backend;
	u8			source_family;	/* 0 when unset */
	union vipfwd_addr	source;
	/* shared by the old and new copy across a SET; freed with the last */
	struct vipfwd_pcpu_stats __percpu *stats;
};

struct vipfwd_net {
	struct net		*net;
	struct mutex		lock;		/* serialises all config changes */
	struct list_head	pools;
	DECLARE_HASHTABLE(frontends, VIPFWD_FRONTEND_HASH_BITS);
	u32			nr_pools;
	u32			nr_backends;
	u32			nr_frontends;	/* data path reads it lock-free */
	u32			generation;	/* bumped on change; dump consistency */
	struct vipfwd_pcpu_drops __percpu *drops;
};

/* Packet key the data path hashes and looks up with. */
struct vipfwd_tuple {
	u8			family;
	u8			proto;
	__be16			sport;
	__be16			dport;
	union vipfwd_addr	saddr;
	union vipfwd_addr	daddr;
};

/* netns.c */
struct vipfwd_net *vipfwd_net(const struct net *net);
int vipfwd_netns_init(void);
void vipfwd_netns_exit(void);

/* stats.c */
struct vipfwd_pcpu_stats __percpu *vipfwd_stats_alloc(void);
void vipfwd_stats_free(struct vipfwd_pcpu_stats __percpu *stats);
void vipfwd_stats_add(struct vipfwd_pcpu_stats __percpu *stats,
		      unsigned int len);
void vipfwd_stats_sum(struct vipfwd_pcpu_stats __percpu *stats,
		      u64 *packets, u64 *bytes);
void vipfwd_drop(struct vipfwd_net *vn, enum vipfwd_drop_reason reason);
void vipfwd_drops_sum(struct vipfwd_net *vn, u64 out[__VIPFWD_DROP_MAX]);
struct vipfwd_pcpu_drops __percpu *vipfwd_drops_alloc(void);

/* sched.c: pure logic, no networking; unit-tested with KUnit */
bool vipfwd_backend_eligible(const struct vipfwd_pool *pool,
			     const struct vipfwd_backend *be,
			     const char **reason);
struct vipfwd_sched *vipfwd_sched_build(struct vipfwd_pool *pool, gfp_t gfp);
u32 vipfwd_tuple_hash(const struct vipfwd_tuple *t, u8 hash_mode);
struct vipfwd_backend *vipfwd_sched_pick(const struct vipfwd_sched *sched,
					 u32 hash);

/* config.c: object lifetime, all under vn->lock */
int vipfwd_pool_rebuild(struct vipfwd_net *vn, struct vipfwd_pool *pool);
struct vipfwd_frontend *vipfwd_frontend_lookup_rcu(struct vipfwd_net *vn,
						   const struct vipfwd_tuple *t);

/*
 * The netlink layer parses a request into a template object (defaults or a
 * copy of the existing object, then the request's attributes), validates
 * it, and hands it to these functions, which check limits and duplicates
 * before changing anything. Only the settings and key of a template are
 * read; the object returned is the published one.
 */
void vipfwd_pool_defaults(struct vipfwd_pool *tmpl);
struct vipfwd_pool *vipfwd_pool_find(struct vipfwd_net *vn, const char *name);
struct vipfwd_pool *vipfwd_pool_create(struct vipfwd_net *vn,
				       const struct vipfwd_pool *tmpl,
				       struct netlink_ext_ack *extack);
int vipfwd_pool_update(struct vipfwd_net *vn, struct vipfwd_pool *pool,
		       const struct vipfwd_pool *tmpl,
		       struct netlink_ext_ack *extack);
int vipfwd_pool_delete(struct vipfwd_net *vn, struct vipfwd_pool *pool,
		       struct netlink_ext_ack *extack);
void vipfwd_backend_defaults(struct vipfwd_backend *tmpl);
struct vipfwd_backend *vipfwd_backend_find(const struct vipfwd_pool *pool,
					   u8 family,
					   const union vipfwd_addr *addr);
struct vipfwd_backend *vipfwd_backend_create(struct vipfwd_net *vn,
					     struct vipfwd_pool *pool,
					     const struct vipfwd_backend *tmpl,
					     struct netlink_ext_ack *extack);
struct vipfwd_backend *vipfwd_backend_update(struct vipfwd_net *vn,
					     struct vipfwd_backend *be,
					     const struct vipfwd_backend *tmpl,
					     struct netlink_ext_ack *extack);
int vipfwd_backend_delete(struct vipfwd_net *vn, struct vipfwd_backend *be,
			  struct netlink_ext_ack *extack);
void vipfwd_frontend_defaults(struct vipfwd_frontend *tmpl);
struct vipfwd_frontend *vipfwd_frontend_find(struct vipfwd_net *vn,
					     const struct vipfwd_frontend *key);
struct vipfwd_frontend *vipfwd_frontend_create(struct vipfwd_net *vn,
					       const struct vipfwd_frontend *tmpl,
					       struct netlink_ext_ack *extack);
struct vipfwd_frontend *vipfwd_frontend_replace(struct vipfwd_net *vn,
						struct vipfwd_frontend *old,
						const struct vipfwd_frontend *tmpl,
						struct netlink_ext_ack *extack);
void vipfwd_frontend_delete(struct vipfwd_net *vn, struct vipfwd_frontend *fe);
void vipfwd_net_flush(struct vipfwd_net *vn);

/*
 * Extack message that names the offending object. Kernels with formatted
 * extack messages (NL_SET_ERR_MSG_ATTR_FMT, 6.3 on) get the text with the
 * name; 6.1 only keeps a pointer to a string literal, so each formatted
 * message comes with a literal of the same meaning for it.
 */
#ifdef NL_SET_ERR_MSG_ATTR_FMT
#define VIPFWD_ERR_FMT(extack, attr, literal, fmt, ...)			\
	NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, ##__VA_ARGS__)
#else
#define VIPFWD_ERR_FMT(extack, attr, literal, fmt, ...)			\
	do {								\
		NL_SET_ERR_MSG_ATTR(extack, attr, literal);		\
		no_printk(fmt, ##__VA_ARGS__);				\
	} while (0)
#endif

/* hook.c */
int vipfwd_hooks_register(struct net *net);
void vipfwd_hooks_unregister(struct net *net);

/* encap.c: consumes skb, returns 0 or -errno (skb freed on error) */
int vipfwd_encap_ipip(struct net *net, struct sk_buff *skb,
		      const struct vipfwd_frontend *fe,
		      const struct vipfwd_backend *be);

/* netlink.c */
int vipfwd_genl_init(void);
void vipfwd_genl_exit(void);
void vipfwd_notify_backend(struct vipfwd_net *vn,
			   const struct vipfwd_backend *be, u8 cmd);

#endif /* _VIPFWD_H */
