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
};

void vip_config_init(struct vip_config *cfg);
void vip_config_free(struct vip_config *cfg);

#define FETCH_FRONTENDS	0x1
#define FETCH_POOLS	0x2
#define FETCH_BACKENDS	0x4	/* of every fetched pool */
#define FETCH_STATS	0x8

/*
 * Fills cfg. With pool set, only that pool (and its backends) is read and
 * a missing pool is an error; otherwise all pools are dumped and a pool
 * deleted between the pool dump and its backend dump is just dropped.
 * Returns 0 or -errno (h->msg has the kernel's text).
 */
int vip_fetch(struct vip_nl *h, unsigned int what, const char *pool,
	      struct vip_config *cfg);

#endif
