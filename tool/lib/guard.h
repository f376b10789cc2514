/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VIP guard: an nftables table that drops traffic to a VIP which no
 * frontend handles, kept by vipctl through libnftnl.
 *
 *   table inet vipfwd {
 *       comment "VIP guard of vipctl: do not edit, run vipctl guard sync"
 *       counter drops { }
 *       set vip4 { type ipv4_addr; }
 *       set vip6 { type ipv6_addr; }
 *       chain prerouting {
 *           type filter hook prerouting priority -199; policy accept;
 *           meta nfproto ipv4 ip daddr @vip4 counter name "drops" drop
 *           meta nfproto ipv6 ip6 daddr @vip6 counter name "drops" drop
 *       }
 *       chain output { the same, hook output priority -199 }
 *   }
 *
 * vipfwd's own hooks run at -201 (NF_IP_PRI_CONNTRACK - 1) and steal or
 * drop every packet a frontend matches, so the guard chains see only what
 * no frontend handles. -199 is the first priority after vipfwd's that no
 * built-in hook uses (conntrack is -200); it is before mangle (-150),
 * destination NAT (-100) and filter (0), so no rule of those can send VIP
 * traffic elsewhere first, and before the routing decision of forwarded
 * traffic.
 *
 * Every change is one nftables transaction that states the whole table:
 * create what is missing (the counter is kept, with its values), flush
 * both chains and both sets and fill them again from the VIPs of the
 * kernel's frontend list. No VIP left: the table is deleted.
 */
#ifndef VIP_GUARD_H
#define VIP_GUARD_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "addr.h"
#include "util.h"

#define VIP_GUARD_TABLE		"vipfwd"
#define VIP_GUARD_FAMILY_NAME	"inet"
#define VIP_GUARD_SET4		"vip4"
#define VIP_GUARD_SET6		"vip6"
#define VIP_GUARD_COUNTER	"drops"
#define VIP_GUARD_PRIORITY	(-199)

/* The VIPs the guard holds: sorted, each once. */
struct vip_guard_set {
	struct vip_vec v4;	/* struct in_addr */
	struct vip_vec v6;	/* struct in6_addr */
};

void vip_guard_set_init(struct vip_guard_set *s);
void vip_guard_set_free(struct vip_guard_set *s);
/* Adds a VIP (kept sorted, duplicates ignored). 0 or -ENOMEM/-EINVAL. */
int vip_guard_set_add(struct vip_guard_set *s, const struct vip_addr *a);
size_t vip_guard_set_count(const struct vip_guard_set *s);
/* The i-th VIP, IPv4 first. */
void vip_guard_set_at(const struct vip_guard_set *s, size_t i,
		      struct vip_addr *a);

/* A built transaction: the messages between BATCH_BEGIN and BATCH_END. */
struct vip_guard_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq;		/* of BATCH_BEGIN; message k has seq + k */
	unsigned int n;		/* messages, BEGIN and END included */
	unsigned int n_head;	/* BEGIN and the table messages */
	const char **what;	/* message k does what[k] (for errors) */
};

/*
 * The transaction that makes the table hold exactly s; s empty: the one
 * that deletes the table. With recreate, the table is deleted first and
 * built from scratch in the same transaction (for a table that was
 * changed by hand beyond repair; its counter restarts). No I/O, so the
 * content is unit-tested. Returns 0 or -ENOMEM.
 */
int vip_guard_build(const struct vip_guard_set *s, uint32_t seq,
		    bool recreate, struct vip_guard_batch *b);
void vip_guard_batch_free(struct vip_guard_batch *b);

enum vip_guard_status {
	VIP_GUARD_OK,		/* the table holds the set (or is gone) */
	VIP_GUARD_UNAVAILABLE,	/* no nf_tables here: nothing installed */
	VIP_GUARD_FAILED,	/* nf_tables refused: the table is stale */
};

/* Whether an errno from nf_tables means "no nf_tables (inet) here". */
bool vip_guard_errno_unavailable(int err);

/*
 * Makes the table hold s, in the current network namespace (deleting it
 * when s is empty). On anything but VIP_GUARD_OK, e says why.
 */
enum vip_guard_status vip_guard_apply(const struct vip_guard_set *s,
				      struct vip_err *e);

/* What the table holds now. */
struct vip_guard_state {
	bool present;			/* the table exists */
	struct vip_guard_set set;	/* elements of vip4 and vip6 */
	bool has_counter;
	uint64_t packets, bytes;	/* counter "drops" */
};

void vip_guard_state_init(struct vip_guard_state *st);
void vip_guard_state_free(struct vip_guard_state *st);
/* Reads the table. Returns 0 (present false if there is none) or -1 with
 * e set; counter_only reads just the counter (cheap, for vipctl stats).
 */
int vip_guard_read(struct vip_guard_state *st, bool counter_only,
		   struct vip_err *e);

#endif
