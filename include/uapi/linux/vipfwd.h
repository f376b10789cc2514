/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * vipfwd: virtual-IP forwarder, generic netlink interface.
 *
 * Shared by the kernel module and the tools. Append-only: never renumber,
 * never reuse a value, add new values just before the __*_MAX sentinel.
 *
 * Objects (all per network namespace):
 *   pool      a named set of backends plus its health-probe settings
 *   backend   an address inside a pool
 *   frontend  (VIP, protocol, port) mapped to a pool
 *
 * Every request carries exactly one object nest (VIPFWD_A_POOL,
 * VIPFWD_A_BACKEND or VIPFWD_A_FRONTEND). Replies, dumps and events
 * carry the same nests. Events are sent to the VIPFWD_MCGRP_EVENTS group
 * with the command that caused them (NEW, SET, DEL).
 */
#ifndef _UAPI_LINUX_VIPFWD_H
#define _UAPI_LINUX_VIPFWD_H

#define VIPFWD_GENL_NAME	"vipfwd"
#define VIPFWD_GENL_VERSION	1
#define VIPFWD_MCGRP_EVENTS	"events"

/* Limits the kernel enforces; the tools use them for early errors. */
#define VIPFWD_NAME_MAX			32	/* pool name, including NUL */
#define VIPFWD_HTTP_PATH_MAX		256	/* including NUL */
#define VIPFWD_HTTP_EXPECT_MAX		64	/* "200-399,404", including NUL */
#define VIPFWD_MAX_POOLS		1024	/* per namespace */
#define VIPFWD_MAX_BACKENDS		65536	/* per namespace, all pools */
#define VIPFWD_MAX_POOL_BACKENDS	16384	/* per pool */
#define VIPFWD_MAX_FRONTENDS		4096	/* per namespace */
#define VIPFWD_MAX_WEIGHT		65535
#define VIPFWD_MAX_TIER			15
#define VIPFWD_TABLE_SIZE_DEFAULT	65537	/* prime */
#define VIPFWD_TABLE_SIZE_MAX		1048573	/* largest prime below 2^20 */
#define VIPFWD_IDLE_TIMEOUT_DEFAULT	240	/* seconds */
#define VIPFWD_IDLE_TIMEOUT_MAX		86400	/* seconds */
#define VIPFWD_INTERVAL_MS_DEFAULT	5000
#define VIPFWD_TIMEOUT_MS_DEFAULT	2000
#define VIPFWD_INTERVAL_MS_MAX		3600000
#define VIPFWD_FALL_DEFAULT		3
#define VIPFWD_RISE_DEFAULT		2
#define VIPFWD_FALL_RISE_MAX		1000
#define VIPFWD_FLOW_LIMIT_DEFAULT	1048576	/* tracked flows per namespace */
#define VIPFWD_FLOW_LIMIT_MAX		67108864

enum vipfwd_cmd {
	VIPFWD_CMD_UNSPEC,
	VIPFWD_CMD_POOL_NEW,
	VIPFWD_CMD_POOL_SET,
	VIPFWD_CMD_POOL_DEL,
	VIPFWD_CMD_POOL_GET,		/* doit by name, or dump all */
	VIPFWD_CMD_BACKEND_NEW,
	VIPFWD_CMD_BACKEND_SET,		/* also carries health changes */
	VIPFWD_CMD_BACKEND_DEL,
	VIPFWD_CMD_BACKEND_GET,		/* doit by pool+addr, dump by pool */
	VIPFWD_CMD_FRONTEND_NEW,
	VIPFWD_CMD_FRONTEND_SET,
	VIPFWD_CMD_FRONTEND_DEL,
	VIPFWD_CMD_FRONTEND_GET,	/* doit by key, or dump all */
	VIPFWD_CMD_STATS_GET,		/* namespace-wide counters */
	VIPFWD_CMD_FLOW_GET,		/* dump, VIPFWD_A_FLOW as filter */
	VIPFWD_CMD_FLOW_FLUSH,		/* VIPFWD_A_FLOW as filter */
	VIPFWD_CMD_EXPLAIN,		/* VIPFWD_A_EXPLAIN in and out */
	VIPFWD_CMD_SETTINGS_SET,	/* VIPFWD_A_SETTINGS */
	VIPFWD_CMD_SETTINGS_GET,
	VIPFWD_CMD_DECAP_NEW,		/* VIPFWD_A_DECAP: prefix, encap */
	VIPFWD_CMD_DECAP_DEL,		/* VIPFWD_A_DECAP: prefix */
	VIPFWD_CMD_DECAP_GET,		/* dump all */

	__VIPFWD_CMD_MAX,
	VIPFWD_CMD_MAX = __VIPFWD_CMD_MAX - 1
};

/* Top-level attributes. */
enum vipfwd_attr {
	VIPFWD_A_UNSPEC,
	VIPFWD_A_POOL,			/* nest, enum vipfwd_pool_attr */
	VIPFWD_A_BACKEND,		/* nest, enum vipfwd_backend_attr */
	VIPFWD_A_FRONTEND,		/* nest, enum vipfwd_frontend_attr */
	VIPFWD_A_STATS,			/* nest, enum vipfwd_stats_attr */
	VIPFWD_A_PAD,
	VIPFWD_A_FLOW,			/* nest, enum vipfwd_flow_attr */
	VIPFWD_A_EXPLAIN,		/* nest, enum vipfwd_explain_attr */
	VIPFWD_A_SETTINGS,		/* nest, enum vipfwd_settings_attr */
	VIPFWD_A_DECAP,			/* nest, enum vipfwd_decap_attr */

	__VIPFWD_A_MAX,
	VIPFWD_A_MAX = __VIPFWD_A_MAX - 1
};

enum vipfwd_probe_type {
	VIPFWD_PROBE_NONE,
	VIPFWD_PROBE_TCP,
	VIPFWD_PROBE_HTTP,

	__VIPFWD_PROBE_MAX,
	VIPFWD_PROBE_MAX = __VIPFWD_PROBE_MAX - 1
};

enum vipfwd_pool_attr {
	VIPFWD_POOL_A_UNSPEC,
	VIPFWD_POOL_A_NAME,		/* string, < VIPFWD_NAME_MAX */
	VIPFWD_POOL_A_PROBE_TYPE,	/* u8, enum vipfwd_probe_type */
	VIPFWD_POOL_A_PROBE_PORT,	/* u16, 1..65535 */
	VIPFWD_POOL_A_PROBE_HTTP_PATH,	/* string, starts with '/' */
	VIPFWD_POOL_A_PROBE_HTTP_EXPECT,	/* string, e.g. "200-399" */
	VIPFWD_POOL_A_INTERVAL_MS,	/* u32 */
	VIPFWD_POOL_A_TIMEOUT_MS,	/* u32, <= interval */
	VIPFWD_POOL_A_FALL,		/* u32, consecutive failures -> down */
	VIPFWD_POOL_A_RISE,		/* u32, consecutive successes -> up */
	VIPFWD_POOL_A_TABLE_SIZE,	/* u32, prime */
	VIPFWD_POOL_A_BACKEND_COUNT,	/* u32, reply only */
	VIPFWD_POOL_A_FRONTEND_COUNT,	/* u32, reply only: frontends using it */

	__VIPFWD_POOL_A_MAX,
	VIPFWD_POOL_A_MAX = __VIPFWD_POOL_A_MAX - 1
};

enum vipfwd_backend_state {
	VIPFWD_BACKEND_ENABLED,
	VIPFWD_BACKEND_DRAINING,	/* keeps existing flows, no new ones */
	VIPFWD_BACKEND_DISABLED,	/* no traffic at all */

	__VIPFWD_BACKEND_STATE_MAX,
	VIPFWD_BACKEND_STATE_MAX = __VIPFWD_BACKEND_STATE_MAX - 1
};

enum vipfwd_health {
	VIPFWD_HEALTH_UNKNOWN,		/* probe configured, no verdict yet */
	VIPFWD_HEALTH_UP,
	VIPFWD_HEALTH_DOWN,

	__VIPFWD_HEALTH_MAX,
	VIPFWD_HEALTH_MAX = __VIPFWD_HEALTH_MAX - 1
};

enum vipfwd_backend_attr {
	VIPFWD_BACKEND_A_UNSPEC,
	VIPFWD_BACKEND_A_POOL,		/* string, pool name */
	VIPFWD_BACKEND_A_ADDR4,		/* be32 */
	VIPFWD_BACKEND_A_ADDR6,		/* binary, struct in6_addr */
	VIPFWD_BACKEND_A_WEIGHT,	/* u32, 0..VIPFWD_MAX_WEIGHT */
	VIPFWD_BACKEND_A_TIER,		/* u8, 0..VIPFWD_MAX_TIER */
	VIPFWD_BACKEND_A_STATE,		/* u8, enum vipfwd_backend_state */
	VIPFWD_BACKEND_A_VIA4,		/* be32, tunnel endpoint; 0 clears */
	VIPFWD_BACKEND_A_VIA6,		/* binary, struct in6_addr */
	VIPFWD_BACKEND_A_HEALTH,	/* u8, enum vipfwd_health */
	VIPFWD_BACKEND_A_ELIGIBLE,	/* u8, reply only: takes new flows */
	VIPFWD_BACKEND_A_REASON,	/* string, reply only: why (not) eligible */
	VIPFWD_BACKEND_A_FLOWS,		/* u32, reply only: tracked flows */
	VIPFWD_BACKEND_A_STATS,		/* nest, enum vipfwd_stats_attr */

	__VIPFWD_BACKEND_A_MAX,
	VIPFWD_BACKEND_A_MAX = __VIPFWD_BACKEND_A_MAX - 1
};

enum vipfwd_mode {
	VIPFWD_MODE_ENCAP,
	VIPFWD_MODE_NAT,

	__VIPFWD_MODE_MAX,
	VIPFWD_MODE_MAX = __VIPFWD_MODE_MAX - 1
};

enum vipfwd_encap {
	VIPFWD_ENCAP_IPIP,
	VIPFWD_ENCAP_GUE,

	__VIPFWD_ENCAP_MAX,
	VIPFWD_ENCAP_MAX = __VIPFWD_ENCAP_MAX - 1
};

enum vipfwd_hash {
	VIPFWD_HASH_5TUPLE,		/* saddr, daddr, proto, sport, dport */
	VIPFWD_HASH_3TUPLE,		/* saddr, daddr, proto */
	VIPFWD_HASH_2TUPLE,		/* saddr, daddr: client affinity */

	__VIPFWD_HASH_MAX,
	VIPFWD_HASH_MAX = __VIPFWD_HASH_MAX - 1
};

enum vipfwd_no_backend {
	VIPFWD_NO_BACKEND_DROP,
	VIPFWD_NO_BACKEND_REJECT,	/* TCP RST / ICMP unreachable */

	__VIPFWD_NO_BACKEND_MAX,
	VIPFWD_NO_BACKEND_MAX = __VIPFWD_NO_BACKEND_MAX - 1
};

/* What happens to the existing flows of a backend whose health goes down. */
enum vipfwd_on_health_down {
	VIPFWD_ON_HEALTH_DOWN_DEFAULT,	/* TCP flows kept, UDP rescheduled */
	VIPFWD_ON_HEALTH_DOWN_KEEP,	/* every flow kept */
	VIPFWD_ON_HEALTH_DOWN_RESCHEDULE,	/* every flow rescheduled */

	__VIPFWD_ON_HEALTH_DOWN_MAX,
	VIPFWD_ON_HEALTH_DOWN_MAX = __VIPFWD_ON_HEALTH_DOWN_MAX - 1
};

/* Frontend protocol: IPPROTO_TCP, IPPROTO_UDP, or this value for both. */
#define VIPFWD_PROTO_ANY	0

enum vipfwd_frontend_attr {
	VIPFWD_FRONTEND_A_UNSPEC,
	VIPFWD_FRONTEND_A_VIP4,		/* be32 */
	VIPFWD_FRONTEND_A_VIP6,		/* binary, struct in6_addr */
	VIPFWD_FRONTEND_A_PROTO,	/* u8: IPPROTO_TCP, IPPROTO_UDP, ANY */
	VIPFWD_FRONTEND_A_PORT,		/* u16, 0 = every port */
	VIPFWD_FRONTEND_A_POOL,		/* string, pool name */
	VIPFWD_FRONTEND_A_MODE,		/* u8, enum vipfwd_mode */
	VIPFWD_FRONTEND_A_ENCAP,	/* u8, enum vipfwd_encap */
	VIPFWD_FRONTEND_A_GUE_PORT,	/* u16 */
	VIPFWD_FRONTEND_A_BACKEND_PORT,	/* u16, nat mode */
	VIPFWD_FRONTEND_A_IDLE_TIMEOUT,	/* u32, seconds */
	VIPFWD_FRONTEND_A_HASH,		/* u8, enum vipfwd_hash */
	VIPFWD_FRONTEND_A_NO_BACKEND,	/* u8, enum vipfwd_no_backend */
	VIPFWD_FRONTEND_A_SOURCE4,	/* be32, outer source; 0 clears */
	VIPFWD_FRONTEND_A_SOURCE6,	/* binary, struct in6_addr */
	VIPFWD_FRONTEND_A_STATS,	/* nest, enum vipfwd_stats_attr */
	VIPFWD_FRONTEND_A_ON_HEALTH_DOWN,	/* u8, enum vipfwd_on_health_down */

	__VIPFWD_FRONTEND_A_MAX,
	VIPFWD_FRONTEND_A_MAX = __VIPFWD_FRONTEND_A_MAX - 1
};

/* Counters; each is a u64 (padded with VIPFWD_STATS_A_PAD). */
enum vipfwd_stats_attr {
	VIPFWD_STATS_A_UNSPEC,
	VIPFWD_STATS_A_PAD,
	VIPFWD_STATS_A_PACKETS,
	VIPFWD_STATS_A_BYTES,
	VIPFWD_STATS_A_NEW_FLOWS,
	VIPFWD_STATS_A_ACTIVE_FLOWS,
	/* drops by reason (namespace-wide; frontends carry their own) */
	VIPFWD_STATS_A_DROP_NO_BACKEND,	/* no eligible backend */
	VIPFWD_STATS_A_DROP_NO_ROUTE,	/* no route to the backend */
	VIPFWD_STATS_A_DROP_MALFORMED,	/* truncated or bad header */
	VIPFWD_STATS_A_DROP_FRAGMENT,	/* IP fragment for a VIP */
	VIPFWD_STATS_A_DROP_NOMEM,	/* could not make room for headers */
	VIPFWD_STATS_A_DROP_TOO_BIG,	/* DF set and too big: ICMP sent */
	VIPFWD_STATS_A_FLOW_TABLE_FULL,	/* new flows sent by hash alone */
	VIPFWD_STATS_A_RESCHEDULED,	/* flows moved off an unusable backend */
	VIPFWD_STATS_A_REJECTED,	/* no backend: RST / ICMP sent */
	VIPFWD_STATS_A_FLOW_LIMIT,	/* namespace flow table limit */
	VIPFWD_STATS_A_DROP_DECAP_FOREIGN,	/* tunnel packet to a routed
						 * guest from outside every
						 * decap prefix
						 */
	VIPFWD_STATS_A_DROP_NAT_UNTRACKED, /* nat: no flow could be made */
	VIPFWD_STATS_A_DROP_NAT_COLLISION, /* nat: reply tuple taken */
	VIPFWD_STATS_A_ICMP_FORWARDED,	/* ICMP errors sent to a flow's end */

	__VIPFWD_STATS_A_MAX,
	VIPFWD_STATS_A_MAX = __VIPFWD_STATS_A_MAX - 1
};

/*
 * A tracked flow (FLOW_GET dump) and the filter of FLOW_GET and
 * FLOW_FLUSH. As a filter only the FRONTEND_* and BACKEND_* attributes
 * are read; every one given must match. The key holds what the
 * frontend's hash mode selects: ports are 0 for 3tuple, and proto and
 * ports are 0 for 2tuple.
 */
enum vipfwd_flow_state {
	VIPFWD_FLOW_STATE_UDP,
	VIPFWD_FLOW_STATE_SYN,		/* TCP, only SYNs seen so far */
	VIPFWD_FLOW_STATE_ESTABLISHED,
	VIPFWD_FLOW_STATE_CLOSING,	/* TCP, FIN or RST seen */
	VIPFWD_FLOW_STATE_OTHER,	/* 2tuple/3tuple key: protocol mixed */

	__VIPFWD_FLOW_STATE_MAX,
	VIPFWD_FLOW_STATE_MAX = __VIPFWD_FLOW_STATE_MAX - 1
};

enum vipfwd_flow_attr {
	VIPFWD_FLOW_A_UNSPEC,
	VIPFWD_FLOW_A_PROTO,		/* u8 */
	VIPFWD_FLOW_A_SRC4,		/* be32, client */
	VIPFWD_FLOW_A_SRC6,		/* binary, struct in6_addr */
	VIPFWD_FLOW_A_SPORT,		/* u16 */
	VIPFWD_FLOW_A_DST4,		/* be32, VIP */
	VIPFWD_FLOW_A_DST6,		/* binary, struct in6_addr */
	VIPFWD_FLOW_A_DPORT,		/* u16 */
	VIPFWD_FLOW_A_FRONTEND_VIP4,	/* be32; the frontend the flow is of */
	VIPFWD_FLOW_A_FRONTEND_VIP6,	/* binary, struct in6_addr */
	VIPFWD_FLOW_A_FRONTEND_PROTO,	/* u8: IPPROTO_TCP, IPPROTO_UDP, ANY */
	VIPFWD_FLOW_A_FRONTEND_PORT,	/* u16, 0 = every port */
	VIPFWD_FLOW_A_BACKEND4,		/* be32 */
	VIPFWD_FLOW_A_BACKEND6,		/* binary, struct in6_addr */
	VIPFWD_FLOW_A_POOL,		/* string */
	VIPFWD_FLOW_A_STATE,		/* u8, enum vipfwd_flow_state */
	VIPFWD_FLOW_A_IDLE_MS,		/* u32, since the last packet */
	VIPFWD_FLOW_A_EXPIRES_MS,	/* u32, until it expires if idle */
	VIPFWD_FLOW_A_FLUSHED,		/* u32, FLOW_FLUSH reply: flows removed */
	VIPFWD_FLOW_A_BACKEND_PORT,	/* u16, nat flows: backend's port */

	__VIPFWD_FLOW_A_MAX,
	VIPFWD_FLOW_A_MAX = __VIPFWD_FLOW_A_MAX - 1
};

/* Why a packet goes (or would go) where it goes. */
enum vipfwd_explain_why {
	VIPFWD_WHY_NO_FRONTEND,		/* passes untouched */
	VIPFWD_WHY_FLOW,		/* an existing flow pins the backend */
	VIPFWD_WHY_NEW_FLOW,		/* new flow: Maglev table entry */
	VIPFWD_WHY_RESCHEDULED,		/* flow's backend unusable: new pick */
	VIPFWD_WHY_TABLE_FULL,		/* flow table full: Maglev entry alone */
	VIPFWD_WHY_NO_BACKEND,		/* dropped or rejected */

	__VIPFWD_WHY_MAX,
	VIPFWD_WHY_MAX = __VIPFWD_WHY_MAX - 1
};

/*
 * EXPLAIN: the request gives PROTO, SRC, SPORT, DST, DPORT; the reply
 * repeats them and adds what the data path would do with such a packet
 * now, computed by the same code and without changing anything.
 */
enum vipfwd_explain_attr {
	VIPFWD_EXPLAIN_A_UNSPEC,
	VIPFWD_EXPLAIN_A_PROTO,		/* u8, IPPROTO_TCP or IPPROTO_UDP */
	VIPFWD_EXPLAIN_A_SRC4,		/* be32 */
	VIPFWD_EXPLAIN_A_SRC6,		/* binary, struct in6_addr */
	VIPFWD_EXPLAIN_A_SPORT,		/* u16 */
	VIPFWD_EXPLAIN_A_DST4,		/* be32 */
	VIPFWD_EXPLAIN_A_DST6,		/* binary, struct in6_addr */
	VIPFWD_EXPLAIN_A_DPORT,		/* u16 */
	/* reply only */
	VIPFWD_EXPLAIN_A_WHY,		/* u8, enum vipfwd_explain_why */
	VIPFWD_EXPLAIN_A_REASON,	/* string, one line for people */
	VIPFWD_EXPLAIN_A_FRONTEND_VIP4,	/* be32, the matching frontend */
	VIPFWD_EXPLAIN_A_FRONTEND_VIP6,	/* binary, struct in6_addr */
	VIPFWD_EXPLAIN_A_FRONTEND_PROTO,	/* u8 */
	VIPFWD_EXPLAIN_A_FRONTEND_PORT,	/* u16 */
	VIPFWD_EXPLAIN_A_POOL,		/* string */
	VIPFWD_EXPLAIN_A_BACKEND4,	/* be32, absent: no backend */
	VIPFWD_EXPLAIN_A_BACKEND6,	/* binary, struct in6_addr */
	VIPFWD_EXPLAIN_A_TIER,		/* u8, tier of the table used */
	VIPFWD_EXPLAIN_A_HASH,		/* u32, flow hash */
	VIPFWD_EXPLAIN_A_TABLE_INDEX,	/* u32, Maglev table entry */
	VIPFWD_EXPLAIN_A_TABLE_SIZE,	/* u32 */
	VIPFWD_EXPLAIN_A_FLOW_IDLE_MS,	/* u32, existing flow only */
	VIPFWD_EXPLAIN_A_BACKEND_PORT,	/* u16, mode nat: the backend's port */

	__VIPFWD_EXPLAIN_A_MAX,
	VIPFWD_EXPLAIN_A_MAX = __VIPFWD_EXPLAIN_A_MAX - 1
};

/* Namespace-wide settings. */
enum vipfwd_settings_attr {
	VIPFWD_SETTINGS_A_UNSPEC,
	VIPFWD_SETTINGS_A_FLOW_LIMIT,	/* u32, 1..VIPFWD_FLOW_LIMIT_MAX */
	VIPFWD_SETTINGS_A_FLOW_COUNT,	/* u32, reply only */

	__VIPFWD_SETTINGS_A_MAX,
	VIPFWD_SETTINGS_A_MAX = __VIPFWD_SETTINGS_A_MAX - 1
};

/*
 * Host-side delivery (decap rules), per namespace. On a hypervisor host,
 * IPIP or GUE packets from a source inside a rule's prefix whose outer
 * destination is a guest this host routes to are decapsulated and the
 * inner packet is sent to that guest's link-layer address. A rule is
 * named by its prefix; NEW refuses an existing prefix, DEL needs one.
 */
#define VIPFWD_MAX_DECAP		64	/* prefixes per namespace */

enum vipfwd_decap_attr {
	VIPFWD_DECAP_A_UNSPEC,
	VIPFWD_DECAP_A_PAD,
	VIPFWD_DECAP_A_PREFIX4,		/* be32, no host bits set */
	VIPFWD_DECAP_A_PREFIX6,		/* binary, struct in6_addr */
	VIPFWD_DECAP_A_PREFIX_LEN,	/* u8, 0..32 (0..128 for IPv6) */
	VIPFWD_DECAP_A_ENCAP,		/* u8, enum vipfwd_encap; ipip default */
	VIPFWD_DECAP_A_GUE_PORT,	/* u16, gue only (and required) */
	VIPFWD_DECAP_A_PACKETS,		/* u64, reply only: decapsulated */
	VIPFWD_DECAP_A_BYTES,		/* u64, reply only: inner bytes */

	__VIPFWD_DECAP_A_MAX,
	VIPFWD_DECAP_A_MAX = __VIPFWD_DECAP_A_MAX - 1
};

#endif /* _UAPI_LINUX_VIPFWD_H */
