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
 *  - A backend's addr and pool never change. Its tunnel endpoint is a
 *    small RCU-published struct vipfwd_dest (be->dest) that a via change
 *    replaces, so the backend object itself stays: flows pinned to it
 *    survive. weight/tier/state/health are read by the scheduler builder
 *    under vn->lock; the data path reads only be->flow_flags (WRITE_ONCE
 *    under vn->lock, READ_ONCE in the data path).
 *  - A backend is reference counted (be->ref): one reference for the
 *    configuration, one per flow pinned to it. Deleting it unlinks it,
 *    publishes a scheduler without it, and drops the configuration's
 *    reference only after a grace period (call_rcu), so a reader that
 *    picked it from the old table can still take a flow reference. The
 *    last vipfwd_backend_put() frees it after a further grace period.
 *  - Frontend counters (struct vipfwd_counters) are shared by the copies
 *    of a frontend across SET and referenced by its flows.
 *  - Counters are per-CPU (struct vipfwd_pcpu_stats) and are summed on dump.
 */
#ifndef _VIPFWD_H
#define _VIPFWD_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/in6.h>
#include <linux/netlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
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
	u64_stats_t		new_flows;
	struct u64_stats_sync	syncp;
};

/* Namespace-wide event counters that are not drops. */
enum vipfwd_ns_counter {
	VIPFWD_CNT_TABLE_FULL,		/* packet forwarded untracked: table full */
	VIPFWD_CNT_RESCHEDULED,		/* flow moved off an unusable backend */
	VIPFWD_CNT_REJECTED,		/* no backend: RST / ICMP sent */
	VIPFWD_CNT_ICMP_FORWARDED,	/* ICMP error sent on to a flow's end */
	__VIPFWD_CNT_MAX,
};

/* Namespace-wide drop counters, indexed by enum vipfwd_drop_reason. */
enum vipfwd_drop_reason {
	VIPFWD_DROP_NO_BACKEND,
	VIPFWD_DROP_NO_ROUTE,
	VIPFWD_DROP_MALFORMED,
	VIPFWD_DROP_FRAGMENT,
	VIPFWD_DROP_NOMEM,
	VIPFWD_DROP_TOO_BIG,
	VIPFWD_DROP_DECAP_FOREIGN,	/* decap.c: not from a decap prefix */
	VIPFWD_DROP_NAT_UNTRACKED,	/* nat: table full, no memory */
	VIPFWD_DROP_NAT_COLLISION,	/* nat: reply tuple already in use */
	__VIPFWD_DROP_MAX,
};

struct vipfwd_pcpu_drops {
	u64_stats_t		count[__VIPFWD_DROP_MAX];
	u64_stats_t		events[__VIPFWD_CNT_MAX];
	struct u64_stats_sync	syncp;
};

/* Where encapsulated packets for a backend go: its via, when set. */
struct vipfwd_dest {
	struct rcu_head		rcu;
	u8			family;
	union vipfwd_addr	addr;
};

/* be->flow_flags: what the existing flows of a backend may do. */
#define VIPFWD_BE_GONE		0x01	/* disabled or deleted: reschedule */
#define VIPFWD_BE_DOWN		0x02	/* health down: per frontend */

struct vipfwd_backend {
	struct list_head	node;		/* pool->backends, vn->lock */
	struct rcu_head		rcu;		/* release, then free */
	struct vipfwd_pool	*pool;		/* immutable */
	u8			family;		/* AF_INET or AF_INET6 */
	union vipfwd_addr	addr;		/* immutable */
	u8			flow_flags;	/* VIPFWD_BE_*, see above */
	/* configuration view of via, under vn->lock; the data path reads
	 * dest (NULL: send to addr)
	 */
	u8			via_family;	/* 0 when unset */
	union vipfwd_addr	via;
	struct vipfwd_dest __rcu *dest;
	/* read by the scheduler builder only, under vn->lock */
	u32			weight;
	u8			tier;
	u8			state;		/* enum vipfwd_backend_state */
	u8			health;		/* enum vipfwd_health */
	refcount_t		ref;		/* configuration + flows */
	struct vipfwd_pcpu_stats __percpu *stats;
};

/*
 * Counters of a frontend: shared by its copies across SET and referenced
 * by its flows, so that "active flows" is the reference count minus the
 * configuration's own reference.
 */
struct vipfwd_counters {
	refcount_t		ref;
	struct vipfwd_pcpu_stats __percpu *pcpu;
};

/* Immutable backend chooser published by a pool; rebuilt on every change
 * that can alter which backends take new flows (sched.c, maglev.c).
 */
struct vipfwd_sched {
	struct rcu_head		rcu;
	u32			count;		/* eligible backends */
	u32			table_size;	/* Maglev entries, the pool's */
	u8			tier;		/* tier they belong to */
	/* table_size entries in the same allocation, NULL when count is 0:
	 * the index into backends[] of the backend owning each entry, so a
	 * pick is one multiply-shift and two loads.
	 */
	u16			*table;
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
	u8			on_health_down;	/* enum vipfwd_on_health_down */
	union vipfwd_addr	source;
	/* shared by the old and new copy across a SET and by the flows */
	struct vipfwd_counters	*counters;
	struct vipfwd_pcpu_stats __percpu *stats;	/* counters->pcpu */
};

/*
 * Per-namespace flow table (flow.c). The rhashtable gives RCU lookups,
 * per-bucket locks for insert/remove and resizing in the background.
 */
struct vipfwd_flow_table {
	struct rhashtable	ht;
	u32			limit;		/* WRITE_ONCE under vn->lock */
	bool			ready;		/* ht initialised */
	u32			gc_bucket;	/* where the next GC run starts */
	struct delayed_work	gc;
};

/*
 * nat.c: the reply index of NAT flows. A NAT flow (flow.c allocates it
 * with this entry in the same object) is found from its replies by the
 * reply's tuple: backend:port -> client:port. Linked before the flow is
 * published and unlinked by whoever unlinks the flow, before the flow's
 * call_rcu(): an entry found under RCU stays readable for the section.
 */
struct vipfwd_nat_key {
	union vipfwd_addr	saddr;		/* the backend */
	union vipfwd_addr	daddr;		/* the client */
	__be16			sport;		/* the backend's port */
	__be16			dport;		/* the client's port */
	u8			family;
	u8			proto;
} __packed;

struct vipfwd_nat_entry {
	struct rhash_head	node;		/* vn->nat, bucket lock / RCU */
	struct vipfwd_nat_key	key;		/* immutable once linked */
	__be16			vport;		/* what the client sent to */
	union vipfwd_addr	vip;
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
	struct vipfwd_flow_table flows;
	/* decap.c: rules published under vn->lock, read under RCU; NULL
	 * when there is none (the hook's only load then)
	 */
	struct vipfwd_decap_set __rcu *decap;
	struct rhashtable	nat;		/* vipfwd_nat_entry, nat.c */
	bool			nat_ready;
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
void vipfwd_stats_new_flow(struct vipfwd_pcpu_stats __percpu *stats);
void vipfwd_stats_sum(struct vipfwd_pcpu_stats __percpu *stats,
		      u64 *packets, u64 *bytes);
u64 vipfwd_stats_new_flows(struct vipfwd_pcpu_stats __percpu *stats);
void vipfwd_drop(struct vipfwd_net *vn, enum vipfwd_drop_reason reason);
void vipfwd_drops_sum(struct vipfwd_net *vn, u64 out[__VIPFWD_DROP_MAX]);
struct vipfwd_pcpu_drops __percpu *vipfwd_drops_alloc(void);
void vipfwd_count(struct vipfwd_net *vn, enum vipfwd_ns_counter what);
void vipfwd_counts_sum(struct vipfwd_net *vn, u64 out[__VIPFWD_CNT_MAX]);
struct vipfwd_counters *vipfwd_counters_alloc(void);
void vipfwd_counters_put(struct vipfwd_counters *c);

/* sched.c: pure logic, no networking; unit-tested with KUnit */
bool vipfwd_backend_eligible(const struct vipfwd_pool *pool,
			     const struct vipfwd_backend *be,
			     const char **reason);
/* Under vn->lock. Returns a table, ERR_PTR(-EINVAL) for a bad table size,
 * or NULL when memory ran out.
 */
struct vipfwd_sched *vipfwd_sched_build(struct vipfwd_pool *pool, gfp_t gfp);
u32 vipfwd_tuple_hash(const struct vipfwd_tuple *t, u8 hash_mode);
/* Under RCU: the Maglev entry a hash falls on, and its backend (NULL when
 * the table has no backend). pick == backends[table[slot(hash)]].
 */
u32 vipfwd_sched_slot(const struct vipfwd_sched *sched, u32 hash);
struct vipfwd_backend *vipfwd_sched_pick(const struct vipfwd_sched *sched,
					 u32 hash);

/* maglev.c: pure logic, the table behind vipfwd_sched */
#define VIPFWD_TABLE_SIZE_MIN		13
/* Table entries are u16 indices; VIPFWD_MAX_POOL_BACKENDS stays below. */
#define VIPFWD_MAGLEV_MAX_BACKENDS	65535
bool vipfwd_maglev_size_valid(u32 size);
void vipfwd_maglev_perm(const struct vipfwd_backend *be, u32 size,
			u32 *offset, u32 *skip);
int vipfwd_maglev_fill(u16 *table, u32 size,
		       struct vipfwd_backend *const *backends, u32 count,
		       gfp_t gfp);

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

/*
 * flow.c: the per-namespace flow table and the decision the data path
 * makes for every packet of a frontend. vipfwd_flow_decide() is the one
 * place that decides; EXPLAIN calls it with commit == false so that what
 * it reports is what the data path does.
 */
struct vipfwd_decision {
	struct vipfwd_backend	*be;		/* NULL: no eligible backend */
	enum vipfwd_explain_why	why;
	u8			tier;		/* tier of the table consulted */
	u32			hash;		/* vipfwd_tuple_hash() */
	u32			slot;		/* Maglev table entry consulted */
	u32			table_size;
	u32			idle_ms;	/* VIPFWD_WHY_FLOW only */
	__be16			be_port;	/* nat: the flow's backend port */
	bool			nat_collision;	/* nat: reply tuple taken */
};

/* TCP flags the flow state machine looks at (from the TCP header). */
#define VIPFWD_TCP_SYN		0x01
#define VIPFWD_TCP_ACK		0x02
#define VIPFWD_TCP_FIN		0x04
#define VIPFWD_TCP_RST		0x08

/* Caller holds rcu_read_lock(); @d->be is valid until it is dropped. */
void vipfwd_flow_decide(struct vipfwd_net *vn,
			const struct vipfwd_frontend *fe,
			const struct vipfwd_tuple *t, u8 tcp_flags,
			bool commit, struct vipfwd_decision *d);

/* Which flows a dump or a flush means; an unset part matches all. */
struct vipfwd_flow_filter {
	bool			has_frontend;
	u8			fe_family;
	union vipfwd_addr	fe_vip;
	u8			fe_proto;
	__be16			fe_port;
	bool			has_backend;
	u8			be_family;
	union vipfwd_addr	be_addr;
};

/* A snapshot of one flow, for dumps. */
struct vipfwd_flow_info {
	struct vipfwd_tuple	key;		/* as the hash mode keeps it */
	u8			fe_family;
	union vipfwd_addr	fe_vip;
	u8			fe_proto;
	__be16			fe_port;
	u8			be_family;
	union vipfwd_addr	be_addr;
	char			pool[VIPFWD_NAME_MAX];
	u8			state;		/* enum vipfwd_flow_state */
	u32			idle_ms;
	u32			expires_ms;
	__be16			be_port;	/* nat flows only, else 0 */
};

/*
 * Walk the flows matching @filter, calling @fn for each; @fn returns 0 to
 * go on or an error (e.g. -EMSGSIZE, skb full) to stop. *@cursor starts at
 * 0 and is advanced past every flow @fn accepted, so calling again resumes
 * where the last call stopped. Returns 0 when the walk is complete, the
 * error of @fn when it stopped early. Sleeps: not for the data path.
 */
int vipfwd_flows_walk(struct vipfwd_net *vn,
		      const struct vipfwd_flow_filter *filter, u64 *cursor,
		      int (*fn)(const struct vipfwd_flow_info *info, void *arg),
		      void *arg);
/* Removes the matching flows; returns how many. */
u32 vipfwd_flows_flush(struct vipfwd_net *vn,
		       const struct vipfwd_flow_filter *filter);
int vipfwd_flows_set_limit(struct vipfwd_net *vn, u32 limit,
			   struct netlink_ext_ack *extack);
u32 vipfwd_flows_limit(const struct vipfwd_net *vn);
u32 vipfwd_flows_count(const struct vipfwd_net *vn);
int vipfwd_flows_init(struct vipfwd_net *vn);
void vipfwd_flows_exit(struct vipfwd_net *vn);
/* One bounded expiry pass from where the last stopped (the GC work's
 * body); true when it reached the end of the table.
 */
bool vipfwd_flows_expire(struct vipfwd_net *vn, u32 budget);
/*
 * Under RCU, never creates a flow: the backend of @t's live flow of @fe
 * (NULL when there is none) and, for a NAT flow, its backend port.
 */
struct vipfwd_backend *vipfwd_flow_find(struct vipfwd_net *vn,
					const struct vipfwd_frontend *fe,
					const struct vipfwd_tuple *t,
					__be16 *be_port);
/* Under RCU: false when @e's flow has expired; refreshes it otherwise. */
bool vipfwd_nat_entry_alive(const struct vipfwd_nat_entry *e);
/* The flow slab cache: module init/exit (after rcu_barrier()). */
int vipfwd_flow_cache_init(void);
void vipfwd_flow_cache_exit(void);
/* Backend references (flow.c: the flows are what holds them). */
void vipfwd_backend_put(struct vipfwd_backend *be);
/* The configuration's reference, dropped after a grace period. */
void vipfwd_backend_release(struct vipfwd_backend *be);
/* Flows pinned to a backend (its references minus the configuration's). */
u32 vipfwd_backend_flows(const struct vipfwd_backend *be);
u32 vipfwd_frontend_flows(const struct vipfwd_frontend *fe);

/* hook.c */
int vipfwd_hooks_register(struct net *net);
void vipfwd_hooks_unregister(struct net *net);

/*
 * decap.c: host-side delivery (hook and rules, per namespace). A rule is
 * immutable once published; the set is an array replaced as a whole on
 * every change (vn->lock), read under RCU by the hook. The per-CPU
 * counters of a rule outlive the set copies that point at them: they are
 * freed only after the rule's removal has been through a grace period.
 */
struct vipfwd_decap_rule {
	u8			family;		/* AF_INET (AF_INET6: later) */
	u8			plen;		/* prefix length */
	u8			encap;		/* enum vipfwd_encap */
	__be16			gue_port;	/* VIPFWD_ENCAP_GUE only */
	union vipfwd_addr	prefix;		/* host bits clear */
	__be32			mask4;		/* inet_make_mask(plen) */
	struct vipfwd_pcpu_stats __percpu *stats;	/* decapsulated */
};

struct vipfwd_decap_set {
	struct rcu_head		rcu;
	u32			count;		/* <= VIPFWD_MAX_DECAP */
	struct vipfwd_decap_rule rules[];
};

struct genl_info;
struct netlink_callback;
int vipfwd_decap_register(struct net *net);
void vipfwd_decap_unregister(struct net *net);
/* netns exit, after the hooks are gone: frees every rule */
void vipfwd_decap_flush(struct vipfwd_net *vn);
/* Under vn->lock. add: @tmpl's key and settings are copied (counters are
 * the set's own); del: the rule with exactly that prefix. Both say why
 * they refuse in @extack, naming the prefix.
 */
int vipfwd_decap_add(struct vipfwd_net *vn,
		     const struct vipfwd_decap_rule *tmpl,
		     struct netlink_ext_ack *extack);
int vipfwd_decap_del(struct vipfwd_net *vn,
		     const struct vipfwd_decap_rule *key,
		     struct netlink_ext_ack *extack);
/* Under vn->lock: the current set (NULL when empty) */
const struct vipfwd_decap_set *vipfwd_decap_rules(struct vipfwd_net *vn);

/* netlink_decap.c: DECAP_NEW, DECAP_DEL, DECAP_GET (netlink.c ops) */
extern const struct nla_policy vipfwd_decap_req_policy[VIPFWD_A_DECAP + 1];
int vipfwd_decap_new_doit(struct sk_buff *skb, struct genl_info *info);
int vipfwd_decap_del_doit(struct sk_buff *skb, struct genl_info *info);
int vipfwd_decap_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/*
 * encap.c: the frontend's encapsulation (fe->encap) towards @be; @hash
 * identifies the flow (GUE's UDP source port follows it). Consumes skb,
 * returns 0 or -errno (skb freed on error).
 */
int vipfwd_encap(struct net *net, struct sk_buff *skb,
		 const struct vipfwd_frontend *fe,
		 const struct vipfwd_backend *be, u32 hash);

/*
 * encap.c, shared with encap6.c: an IPv4 packet that may not go through
 * a tunnel whose inner MTU is @mtu (DF set and too big, for GSO any
 * segment: ip_forward()'s rule), and the ICMP fragmentation-needed that
 * tells its sender.
 */
bool vipfwd_ip4_too_big(const struct sk_buff *skb, unsigned int mtu);
void vipfwd_ip4_frag_needed(struct sk_buff *skb, unsigned int mtu);
/* encap.c: GSO type and scrubbing before any outer header (encap6.c too) */
int vipfwd_encap_prepare(struct sk_buff *skb, int gso_type, u8 inner_ipproto);

/*
 * The @hash vipfwd_encap() wants for the packets of flow @t: the 5-tuple
 * hash for GUE (every packet of a connection, first or not, gets the same
 * UDP source port, whatever the frontend's hash mode), nothing for IPIP,
 * which would not use it.
 */
static inline u32 vipfwd_encap_hash(const struct vipfwd_frontend *fe,
				    const struct vipfwd_tuple *t)
{
	if (fe->encap != VIPFWD_ENCAP_GUE)
		return 0;
	return vipfwd_tuple_hash(t, VIPFWD_HASH_5TUPLE);
}

/*
 * gue.c: UDP + GUE (variant 0, 4 bytes) headers, whatever the outer IP
 * family. vipfwd_gue_push() pushes both in front of the inner packet
 * (headroom and GSO type are the caller's); the UDP checksum stays 0.
 */
#define VIPFWD_GUE_HLEN	12	/* UDP 8 + GUE 4 */
__be16 vipfwd_gue_sport(struct net *net, u32 hash);
void vipfwd_gue_push(struct sk_buff *skb, u8 inner_proto, __be16 sport,
		     __be16 dport);

/* nat_table.c: the reply index (see struct vipfwd_nat_entry); nat.c: packets */
struct nf_hook_state;
int vipfwd_nat_init(struct vipfwd_net *vn);
void vipfwd_nat_exit(struct vipfwd_net *vn);
int vipfwd_nat_link(struct vipfwd_net *vn, struct vipfwd_nat_entry *e);
void vipfwd_nat_unlink(struct vipfwd_net *vn, struct vipfwd_nat_entry *e);
const struct vipfwd_nat_entry *
vipfwd_nat_lookup(struct vipfwd_net *vn, const struct vipfwd_nat_key *k);
/* Quick test for the hooks: is there any NAT flow in the namespace? */
static inline bool vipfwd_nat_active(struct vipfwd_net *vn)
{
	return READ_ONCE(vn->nat_ready) && atomic_read(&vn->nat.nelems);
}

int vipfwd_nat_manip4(struct sk_buff *skb, unsigned int off, bool src,
		      __be32 addr, __be16 port, bool inner);
unsigned int vipfwd_nat4_forward(struct vipfwd_net *vn, struct sk_buff *skb,
				 const struct vipfwd_frontend *fe,
				 const struct vipfwd_decision *d,
				 const struct nf_hook_state *state);
void vipfwd_nat4_reply_untrack(struct vipfwd_net *vn, struct sk_buff *skb,
			       const struct vipfwd_tuple *t);
unsigned int vipfwd_nat4_reply(struct vipfwd_net *vn, struct sk_buff *skb);

/* icmp.c: ICMP errors about tracked flows */
unsigned int vipfwd_icmp4_in(struct vipfwd_net *vn, struct sk_buff *skb,
			     const struct nf_hook_state *state);
unsigned int vipfwd_icmp4_reply(struct vipfwd_net *vn, struct sk_buff *skb);
unsigned int vipfwd_icmp6_in(struct vipfwd_net *vn, struct sk_buff *skb,
			     const struct nf_hook_state *state);

/* encap6.c: outer IPv6 to @daddr (IPIP-like or GUE, per fe->encap; @hash
 * as for vipfwd_encap()), for encap.c's entry point; consumes skb,
 * returns 0 or -errno (skb freed on error)
 */
int vipfwd_encap6(struct net *net, struct sk_buff *skb,
		  const struct vipfwd_frontend *fe,
		  const struct in6_addr *daddr, u32 hash);

/* netlink.c */
int vipfwd_genl_init(void);
void vipfwd_genl_exit(void);
void vipfwd_notify_backend(struct vipfwd_net *vn,
			   const struct vipfwd_backend *be, u8 cmd);

/* netlink.c, shared with netlink_flow.c */
struct genl_info;

/*
 * Required attribute @type of @nest missing: say so and point at it. A
 * macro because 6.1's NL_SET_ERR_MSG() only takes a string literal.
 */
#define VIPFWD_MISSING(extack, nest, tb, type, msg) ({			\
	struct netlink_ext_ack *__ea = (extack);			\
	int __type = (type);						\
	bool __missing = !(tb)[__type];					\
									\
	if (__missing) {						\
		NL_SET_ERR_MSG(__ea, msg);				\
		NL_SET_ERR_ATTR_MISS(__ea, nest, __type);		\
	}								\
	__missing;							\
})

/* Policy entry of an attribute that only the kernel's replies carry. */
#define VIPFWD_REPLY_ONLY(what) {					\
	.type = NLA_REJECT,						\
	.reject_message = what " is reported by the kernel and cannot be set", \
}

int vipfwd_put_addr(struct sk_buff *skb, int type4, int type6, u8 family,
		    const union vipfwd_addr *addr);
int vipfwd_parse_nest(struct genl_info *info, int type, int maxtype,
		      const struct nla_policy *policy, struct nlattr **tb);
int vipfwd_get_addr(struct nlattr **tb, int type4, int type6, u8 *family,
		    union vipfwd_addr *addr, struct netlink_ext_ack *extack);
void *vipfwd_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd);
bool vipfwd_event_wanted(struct vipfwd_net *vn, struct genl_info *info);
struct sk_buff *vipfwd_event_alloc(struct vipfwd_net *vn, gfp_t gfp);
void vipfwd_event_send(struct vipfwd_net *vn, struct sk_buff *msg,
		       struct genl_info *info, gfp_t gfp);

/* netlink_flow.c: flows, EXPLAIN and namespace settings (netlink.c ops) */
struct netlink_callback;
extern const struct nla_policy vipfwd_flow_req_policy[VIPFWD_A_FLOW + 1];
extern const struct nla_policy vipfwd_explain_req_policy[VIPFWD_A_EXPLAIN + 1];
extern const struct nla_policy vipfwd_settings_req_policy[VIPFWD_A_SETTINGS + 1];
int vipfwd_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vipfwd_flow_flush_doit(struct sk_buff *skb, struct genl_info *info);
int vipfwd_explain_doit(struct sk_buff *skb, struct genl_info *info);
int vipfwd_settings_set_doit(struct sk_buff *skb, struct genl_info *info);
int vipfwd_settings_get_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _VIPFWD_H */
