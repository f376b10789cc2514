/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The KUnit suites' shared fixture: pools, backends and scheduler tables
 * built by hand, as config.c would leave them, without netlink or a
 * namespace. Everything is kunit_kzalloc()ed and goes with the test;
 * a table from fx_build() is the caller's to kvfree() or publish.
 *
 * Static inline, so each suite takes only what it uses and the suites
 * need no extra object in module/Makefile's vipfwd_kunit-y.
 */
#ifndef _VIPFWD_TEST_FIXTURE_H
#define _VIPFWD_TEST_FIXTURE_H

#include <kunit/test.h>
#include <linux/list.h>
#include <linux/socket.h>

#include "../vipfwd.h"

/* An empty pool: no backends, probe @probe_type, Maglev size @table_size. */
static inline struct vipfwd_pool *fx_pool(struct kunit *test, u8 probe_type,
					  u32 table_size)
{
	struct vipfwd_pool *pool;

	pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);
	INIT_LIST_HEAD(&pool->backends);
	pool->probe_type = probe_type;
	pool->table_size = table_size;
	return pool;
}

/* An enabled, healthy IPv4 backend @addr (host order) appended to @pool. */
static inline struct vipfwd_backend *fx_backend(struct kunit *test,
						struct vipfwd_pool *pool,
						u32 addr, u32 weight, u8 tier)
{
	struct vipfwd_backend *be;

	be = kunit_kzalloc(test, sizeof(*be), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, be);
	be->pool = pool;
	be->family = AF_INET;
	be->addr.ip = cpu_to_be32(addr);
	be->weight = weight;
	be->tier = tier;
	be->state = VIPFWD_BACKEND_ENABLED;
	be->health = VIPFWD_HEALTH_UP;
	list_add_tail(&be->node, &pool->backends);
	pool->nr_backends++;
	return be;
}

/* The scheduler table of @pool as it stands; the test fails if none. */
static inline struct vipfwd_sched *fx_build(struct kunit *test,
					    struct vipfwd_pool *pool)
{
	struct vipfwd_sched *s = vipfwd_sched_build(pool, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	return s;
}

#endif /* _VIPFWD_TEST_FIXTURE_H */
