/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the configuration out of the kernel: dumps (restarted when the
 * kernel flags them interrupted) collected into plain arrays.
 */
#ifndef VIPCTL_FETCH_H
#define VIPCTL_FETCH_H

#include <stdbool.h>

#include "lib/nl.h"
#include "lib/objects.h"
#include "lib/util.h"

struct vip_config {
	struct vip_vec frontends;	/* struct vip_frontend */
	struct vip_vec pools;		/* struct vip_pool */
	struct vip_vec backends;	/* struct vip_backend, by pool */
	struct vip_counters stats;	/* namespace-wide counters */
	bool has_stats;
	struct vip_settings settings;	/* flow limit and count */
	bool has_settings;
	/* The VIP guard's counter (table inet vipfwd), when there is one;
	 * filled by vipctl stats, not by vip_fetch().
	 */
	bool has_guard;
	uint64_t guard_packets, guard_bytes;
};

void vip_config_init(struct vip_config *cfg);
void vip_config_free(struct vip_config *cfg);

#define FETCH_FRONTENDS	0x1
#define FETCH_POOLS	0x2
#define FETCH_BACKENDS	0x4	/* of every fetched pool */
#define FETCH_STATS	0x8
#define FETCH_SETTINGS	0x10	/* a kernel without settings: left out */

/*
 * Fills cfg. With pool set, only that pool (and its backends) is read and
 * a missing pool is an error; otherwise all pools are dumped and a pool
 * deleted between the pool dump and its backend dump is just dropped.
 * Returns 0 or -errno (h->msg has the kernel's text).
 */
int vip_fetch(struct vip_nl *h, unsigned int what, const char *pool,
	      struct vip_config *cfg);

/*
 * One request answered by one object of type (EXPLAIN, SETTINGS_GET,
 * FLOW_FLUSH): msg is sent (and freed), the reply decoded into *o; o->type
 * stays VIP_OBJ_NONE when the kernel sent none. Returns 0 or -errno.
 */
int vip_fetch_one(struct vip_nl *h, struct nl_msg *msg, enum vip_obj_type type,
		  struct vip_obj *o);

/* The flows a dump request (msg, sent and freed) returns, into out
 * (struct vip_flow). Returns 0 or -errno.
 */
int vip_fetch_flows(struct vip_nl *h, struct nl_msg *msg, struct vip_vec *out);

#endif
