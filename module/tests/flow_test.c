// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the vipfwd flow table (flow.c): insert and lookup per
 * hash mode, expiry, TCP state timeouts, the limit and its fallback, and
 * what existing flows do when their backend changes.
 *
 * Every case builds its own namespace state (no struct net: the flow table
 * needs none), pool, backends and frontend, and drives the same
 * vipfwd_flow_decide() the hooks call. The expiry work is cancelled so the
 * cases run the expiry pass themselves.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/socket.h>

#include "../vipfwd.h"
#include "fixture.h"

#define TEST_MAX_BE	4

struct flow_ctx {
	struct vipfwd_net	*vn;
	struct vipfwd_pool	*pool;
	struct vipfwd_backend	*be[TEST_MAX_BE];
	int			nr_be;
	struct vipfwd_frontend	*fe[4];
	int			nr_fe;
};

static void ctx_rebuild(struct kunit *test, struct flow_ctx *c)
{
	struct vipfwd_sched *s = fx_build(test, c->pool);

	s = rcu_replace_pointer(c->pool->sched, s, true);
	if (s) {
		synchronize_rcu();
		kvfree(s);
	}
}

/* What config.c does on a state or health change, for the flags. */
static void ctx_set(struct kunit *test, struct flow_ctx *c,
		    struct vipfwd_backend *be, u8 state, u8 health)
{
	u8 flags = 0;

	be->state = state;
	be->health = health;
	if (state == VIPFWD_BACKEND_DISABLED)
		flags |= VIPFWD_BE_GONE;
	if (health == VIPFWD_HEALTH_DOWN)
		flags |= VIPFWD_BE_DOWN;
	WRITE_ONCE(be->flow_flags, flags);
	ctx_rebuild(test, c);
}

static struct vipfwd_backend *ctx_backend(struct kunit *test,
					  struct flow_ctx *c, u32 addr)
{
	struct vipfwd_backend *be = kzalloc(sizeof(*be), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, be);
	be->stats = vipfwd_stats_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, be->stats);
	be->pool = c->pool;
	be->family = AF_INET;
	be->addr.ip = cpu_to_be32(addr);
	be->weight = 1;
	be->state = VIPFWD_BACKEND_ENABLED;
	be->health = VIPFWD_HEALTH_UP;
	refcount_set(&be->ref, 1);
	list_add_tail(&be->node, &c->pool->backends);
	c->pool->nr_backends++;
	c->be[c->nr_be++] = be;
	return be;
}

static struct vipfwd_frontend *ctx_frontend(struct kunit *test,
					    struct flow_ctx *c, u8 proto,
					    u16 port, u8 hash, u32 idle)
{
	struct vipfwd_frontend *fe = kunit_kzalloc(test, sizeof(*fe),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fe);
	fe->counters = vipfwd_counters_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fe->counters);
	fe->stats = fe->counters->pcpu;
	fe->family = AF_INET;
	fe->vip.ip = cpu_to_be32(0xc0a80264);	/* 192.168.2.100 */
	fe->proto = proto;
	fe->port = cpu_to_be16(port);
	fe->pool = c->pool;
	fe->hash = hash;
	fe->idle_timeout = idle;
	fe->on_health_down = VIPFWD_ON_HEALTH_DOWN_DEFAULT;
	c->fe[c->nr_fe++] = fe;
	return fe;
}

/* A namespace with three healthy backends and one 5tuple TCP frontend. */
static int flow_test_init(struct kunit *test)
{
	struct flow_ctx *c;
	int i;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	test->priv = c;

	KUNIT_ASSERT_EQ(test, vipfwd_flow_cache_init(), 0);
	c->vn = kunit_kzalloc(test, sizeof(*c->vn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->vn);
	c->vn->drops = vipfwd_drops_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->vn->drops);
	KUNIT_ASSERT_EQ(test, vipfwd_flows_init(c->vn), 0);
	/* The cases run expiry themselves. */
	cancel_delayed_work_sync(&c->vn->flows.gc);

	c->pool = fx_pool(test, VIPFWD_PROBE_NONE, VIPFWD_TABLE_SIZE_DEFAULT);
	for (i = 0; i < 3; i++)
		ctx_backend(test, c, 0x0a000b01 + i);	/* 10.0.11.1.. */
	ctx_rebuild(test, c);
	ctx_frontend(test, c, IPPROTO_TCP, 1433, VIPFWD_HASH_5TUPLE, 240);
	return 0;
}

static void flow_test_exit(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_sched *s;
	int i;

	/* Flows first (they hold references), then the configuration. */
	vipfwd_flows_exit(c->vn);
	for (i = 0; i < c->nr_fe; i++)
		vipfwd_counters_put(c->fe[i]->counters);
	s = rcu_replace_pointer(c->pool->sched, NULL, true);
	for (i = 0; i < c->nr_be; i++) {
		list_del(&c->be[i]->node);
		vipfwd_backend_release(c->be[i]);
	}
	/* Release, then free: two generations of callbacks. */
	rcu_barrier();
	rcu_barrier();
	kvfree(s);
	free_percpu(c->vn->drops);
	vipfwd_flow_cache_exit();
}

static struct vipfwd_tuple tup(u8 proto, u32 src, u16 sport, u16 dport)
{
	struct vipfwd_tuple t = {
		.family = AF_INET,
		.proto = proto,
		.sport = cpu_to_be16(sport),
		.dport = cpu_to_be16(dport),
	};

	t.saddr.ip = cpu_to_be32(src);
	t.daddr.ip = cpu_to_be32(0xc0a80264);
	return t;
}

static void decide(struct flow_ctx *c, struct vipfwd_frontend *fe,
		   const struct vipfwd_tuple *t, u8 flags, bool commit,
		   struct vipfwd_decision *d)
{
	rcu_read_lock();
	vipfwd_flow_decide(c->vn, fe, t, flags, commit, d);
	rcu_read_unlock();
}

static u64 ns_count(struct flow_ctx *c, enum vipfwd_ns_counter what)
{
	u64 v[__VIPFWD_CNT_MAX];

	vipfwd_counts_sum(c->vn, v);
	return v[what];
}

/* The first flow a walk finds. */
static int grab_info(const struct vipfwd_flow_info *info, void *arg)
{
	*(struct vipfwd_flow_info *)arg = *info;
	return 1;
}

static void first_flow(struct kunit *test, struct flow_ctx *c,
		       struct vipfwd_flow_info *info)
{
	u64 cursor = 0;

	memset(info, 0, sizeof(*info));
	KUNIT_ASSERT_EQ(test, vipfwd_flows_walk(c->vn, NULL, &cursor,
						grab_info, info), 1);
}

static void flow_insert_lookup(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe = c->fe[0];
	struct vipfwd_tuple t = tup(IPPROTO_TCP, 0x0a010001, 40000, 1433);
	struct vipfwd_tuple u = tup(IPPROTO_TCP, 0x0a010002, 40000, 1433);
	struct vipfwd_decision d, d2;

	/* EXPLAIN first: says "new flow", changes nothing. */
	decide(c, fe, &t, VIPFWD_TCP_SYN, false, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_NEW_FLOW);
	KUNIT_ASSERT_NOT_NULL(test, d.be);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 0U);
	KUNIT_EXPECT_EQ(test, d.table_size, (u32)VIPFWD_TABLE_SIZE_DEFAULT);
	KUNIT_EXPECT_LT(test, d.slot, d.table_size);
	KUNIT_EXPECT_EQ(test, d.hash, vipfwd_tuple_hash(&t, fe->hash));

	decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d2);
	KUNIT_EXPECT_EQ(test, d2.why, VIPFWD_WHY_NEW_FLOW);
	KUNIT_EXPECT_PTR_EQ(test, d2.be, d.be);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 1U);
	KUNIT_EXPECT_EQ(test, vipfwd_backend_flows(d.be), 1U);
	KUNIT_EXPECT_EQ(test, vipfwd_frontend_flows(fe), 1U);
	KUNIT_EXPECT_EQ(test, vipfwd_stats_new_flows(fe->stats), 1ULL);
	KUNIT_EXPECT_EQ(test, vipfwd_stats_new_flows(d.be->stats), 1ULL);

	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d2);
	KUNIT_EXPECT_EQ(test, d2.why, VIPFWD_WHY_FLOW);
	KUNIT_EXPECT_PTR_EQ(test, d2.be, d.be);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 1U);
	KUNIT_EXPECT_EQ(test, vipfwd_stats_new_flows(fe->stats), 1ULL);

	/* Another client: its own flow. */
	decide(c, fe, &u, VIPFWD_TCP_SYN, true, &d2);
	KUNIT_EXPECT_EQ(test, d2.why, VIPFWD_WHY_NEW_FLOW);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 2U);

	/* Flush by frontend removes both, by another frontend none. */
	{
		struct vipfwd_flow_filter f = {
			.has_frontend = true,
			.fe_family = AF_INET,
			.fe_vip = fe->vip,
			.fe_proto = IPPROTO_TCP,
			.fe_port = cpu_to_be16(80),
		};

		KUNIT_EXPECT_EQ(test, vipfwd_flows_flush(c->vn, &f), 0U);
		f.fe_port = fe->port;
		KUNIT_EXPECT_EQ(test, vipfwd_flows_flush(c->vn, &f), 2U);
		KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 0U);
	}
}

/* Count the flows a tuple set makes under each hash mode. */
static void flow_hash_modes(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe3, *fe2, *fe2b;
	struct vipfwd_tuple t;
	struct vipfwd_decision d;
	struct vipfwd_flow_info info;
	int i;

	/* 5tuple: every source port is a flow. */
	for (i = 0; i < 4; i++) {
		t = tup(IPPROTO_TCP, 0x0a010001, 40000 + i, 1433);
		decide(c, c->fe[0], &t, VIPFWD_TCP_SYN, true, &d);
	}
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 4U);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_flush(c->vn, NULL), 4U);

	/* 3tuple: ports do not matter, the protocol does. */
	fe3 = ctx_frontend(test, c, VIPFWD_PROTO_ANY, 0, VIPFWD_HASH_3TUPLE,
			   240);
	for (i = 0; i < 4; i++) {
		t = tup(IPPROTO_TCP, 0x0a010001, 40000 + i, 1000 + i);
		decide(c, fe3, &t, VIPFWD_TCP_SYN, true, &d);
		t = tup(IPPROTO_UDP, 0x0a010001, 40000 + i, 1000 + i);
		decide(c, fe3, &t, 0, true, &d);
	}
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 2U);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.key.sport, 0);
	KUNIT_EXPECT_EQ(test, info.key.dport, 0);
	KUNIT_EXPECT_EQ(test, info.state, (u8)VIPFWD_FLOW_STATE_OTHER);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_flush(c->vn, NULL), 2U);

	/* 2tuple: one flow per client, whatever protocol and ports. */
	fe2 = ctx_frontend(test, c, VIPFWD_PROTO_ANY, 0, VIPFWD_HASH_2TUPLE,
			   240);
	for (i = 0; i < 4; i++) {
		t = tup(i & 1 ? IPPROTO_UDP : IPPROTO_TCP, 0x0a010001,
			40000 + i, 1000 + i);
		decide(c, fe2, &t, 0, true, &d);
	}
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 1U);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.key.proto, 0);
	KUNIT_EXPECT_EQ(test, info.fe_proto, (u8)VIPFWD_PROTO_ANY);
	t = tup(IPPROTO_TCP, 0x0a010002, 40000, 1000);
	decide(c, fe2, &t, 0, true, &d);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 2U);
	vipfwd_flows_flush(c->vn, NULL);

	/* Two frontends on one VIP never share a flow. */
	fe2b = kunit_kzalloc(test, sizeof(*fe2b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fe2b);
	*fe2b = *fe2;
	fe2b->proto = IPPROTO_UDP;
	t = tup(IPPROTO_UDP, 0x0a010001, 40000, 53);
	decide(c, fe2, &t, 0, true, &d);
	decide(c, fe2b, &t, 0, true, &d);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 2U);
}

static void flow_expiry(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe;
	struct vipfwd_tuple t = tup(IPPROTO_UDP, 0x0a010001, 40000, 53);
	struct vipfwd_tuple u = tup(IPPROTO_UDP, 0x0a010002, 40000, 53);
	struct vipfwd_decision d;

	fe = ctx_frontend(test, c, IPPROTO_UDP, 53, VIPFWD_HASH_5TUPLE, 2);
	decide(c, fe, &t, 0, true, &d);
	decide(c, fe, &u, 0, true, &d);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 2U);

	/* Not idle long enough: the pass keeps them. */
	vipfwd_flows_expire(c->vn, U32_MAX);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 2U);

	msleep(1300);
	decide(c, fe, &u, 0, true, &d);		/* keeps u alive */
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_FLOW);
	msleep(1000);

	/* t is expired: a lookup treats it as a miss without removing it
	 * (EXPLAIN) ...
	 */
	decide(c, fe, &t, 0, false, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_NEW_FLOW);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 2U);

	/* ... and the expiry pass removes it; u was seen 1 s ago. */
	KUNIT_EXPECT_TRUE(test, vipfwd_flows_expire(c->vn, U32_MAX));
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 1U);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, vipfwd_frontend_flows(fe), 1U);

	/* An expired flow met by the data path is replaced. */
	msleep(2300);
	decide(c, fe, &u, 0, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_NEW_FLOW);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 1U);
	KUNIT_EXPECT_EQ(test, vipfwd_stats_new_flows(fe->stats), 3ULL);
}

static void flow_tcp_states(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe = c->fe[0];
	struct vipfwd_tuple t = tup(IPPROTO_TCP, 0x0a010001, 40000, 1433);
	struct vipfwd_flow_info info;
	struct vipfwd_decision d;

	decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.state, (u8)VIPFWD_FLOW_STATE_SYN);
	KUNIT_EXPECT_LE(test, info.expires_ms, 10000U);
	KUNIT_EXPECT_GT(test, info.expires_ms, 9000U);

	/* A retransmitted SYN stays SYN-only. */
	decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.state, (u8)VIPFWD_FLOW_STATE_SYN);

	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.state, (u8)VIPFWD_FLOW_STATE_ESTABLISHED);
	KUNIT_EXPECT_GT(test, info.expires_ms, 239000U);

	decide(c, fe, &t, VIPFWD_TCP_FIN | VIPFWD_TCP_ACK, true, &d);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.state, (u8)VIPFWD_FLOW_STATE_CLOSING);
	KUNIT_EXPECT_LE(test, info.expires_ms, 10000U);

	/* The last ACK of the close does not reopen it ... */
	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.state, (u8)VIPFWD_FLOW_STATE_CLOSING);

	/* ... a new SYN on the same ports does. */
	decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.state, (u8)VIPFWD_FLOW_STATE_SYN);

	/* RST closes too; a UDP frontend's flows have no TCP state. */
	decide(c, fe, &t, VIPFWD_TCP_RST, true, &d);
	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.state, (u8)VIPFWD_FLOW_STATE_CLOSING);

	/* A frontend timeout shorter than 10 s wins for SYN-only flows. */
	vipfwd_flows_flush(c->vn, NULL);
	fe->idle_timeout = 3;
	decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
	first_flow(test, c, &info);
	KUNIT_EXPECT_LE(test, info.expires_ms, 3000U);
}

static void flow_limit_fallback(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe = c->fe[0];
	struct vipfwd_decision d, e;
	struct vipfwd_tuple t;
	int i;

	KUNIT_EXPECT_EQ(test, vipfwd_flows_limit(c->vn),
			(u32)VIPFWD_FLOW_LIMIT_DEFAULT);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_set_limit(c->vn, 0, NULL), -ERANGE);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_set_limit(c->vn,
						     VIPFWD_FLOW_LIMIT_MAX + 1,
						     NULL), -ERANGE);
	KUNIT_ASSERT_EQ(test, vipfwd_flows_set_limit(c->vn, 3, NULL), 0);

	for (i = 0; i < 3; i++) {
		t = tup(IPPROTO_TCP, 0x0a010001, 40000 + i, 1433);
		decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
		KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_NEW_FLOW);
	}
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 3U);

	/* Full: forwarded by the table entry alone, never dropped. */
	t = tup(IPPROTO_TCP, 0x0a010001, 50000, 1433);
	decide(c, fe, &t, VIPFWD_TCP_SYN, false, &e);
	KUNIT_EXPECT_EQ(test, e.why, VIPFWD_WHY_TABLE_FULL);
	KUNIT_EXPECT_EQ(test, ns_count(c, VIPFWD_CNT_TABLE_FULL), 0ULL);
	decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_TABLE_FULL);
	KUNIT_ASSERT_NOT_NULL(test, d.be);
	KUNIT_EXPECT_PTR_EQ(test, d.be, e.be);
	KUNIT_EXPECT_PTR_EQ(test, d.be,
			    vipfwd_sched_pick(rcu_access_pointer(c->pool->sched),
					      d.hash));
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 3U);
	KUNIT_EXPECT_EQ(test, ns_count(c, VIPFWD_CNT_TABLE_FULL), 1ULL);

	/* Lowering the limit evicts nothing; existing flows still hit. */
	KUNIT_ASSERT_EQ(test, vipfwd_flows_set_limit(c->vn, 1, NULL), 0);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 3U);
	t = tup(IPPROTO_TCP, 0x0a010001, 40000, 1433);
	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_FLOW);
}

/* A flow pinned to backend 0: find a client port that picks it. */
static struct vipfwd_tuple flow_on(struct kunit *test, struct flow_ctx *c,
				   struct vipfwd_frontend *fe, u8 proto,
				   struct vipfwd_backend *be)
{
	struct vipfwd_decision d;
	struct vipfwd_tuple t;
	int i;

	for (i = 0; i < 1000; i++) {
		t = tup(proto, 0x0a010001, 30000 + i, be16_to_cpu(fe->port));
		decide(c, fe, &t, 0, false, &d);
		if (d.be == be && d.why == VIPFWD_WHY_NEW_FLOW) {
			decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
			KUNIT_EXPECT_PTR_EQ(test, d.be, be);
			return t;
		}
	}
	KUNIT_FAIL(test, "no client port picks the backend");
	return t;
}

static void flow_reschedule_disabled(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe = c->fe[0];
	struct vipfwd_backend *be = c->be[0];
	struct vipfwd_decision d, e;
	struct vipfwd_tuple t;

	t = flow_on(test, c, fe, IPPROTO_TCP, be);
	KUNIT_EXPECT_EQ(test, vipfwd_backend_flows(be), 1U);

	ctx_set(test, c, be, VIPFWD_BACKEND_DISABLED, VIPFWD_HEALTH_UP);
	decide(c, fe, &t, VIPFWD_TCP_ACK, false, &e);
	KUNIT_EXPECT_EQ(test, e.why, VIPFWD_WHY_RESCHEDULED);
	KUNIT_EXPECT_EQ(test, ns_count(c, VIPFWD_CNT_RESCHEDULED), 0ULL);

	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_RESCHEDULED);
	KUNIT_ASSERT_NOT_NULL(test, d.be);
	KUNIT_EXPECT_PTR_NE(test, d.be, be);
	KUNIT_EXPECT_PTR_EQ(test, d.be, e.be);
	KUNIT_EXPECT_EQ(test, ns_count(c, VIPFWD_CNT_RESCHEDULED), 1ULL);

	/* The flow now stays on its new backend, even once the old one
	 * is back.
	 */
	ctx_set(test, c, be, VIPFWD_BACKEND_ENABLED, VIPFWD_HEALTH_UP);
	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &e);
	KUNIT_EXPECT_EQ(test, e.why, VIPFWD_WHY_FLOW);
	KUNIT_EXPECT_PTR_EQ(test, e.be, d.be);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 1U);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, vipfwd_backend_flows(be), 0U);
	KUNIT_EXPECT_EQ(test, vipfwd_backend_flows(d.be), 1U);
}

static void flow_keep_draining(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe = c->fe[0];
	struct vipfwd_backend *be = c->be[0];
	struct vipfwd_decision d;
	struct vipfwd_tuple t;
	int i;

	t = flow_on(test, c, fe, IPPROTO_TCP, be);
	ctx_set(test, c, be, VIPFWD_BACKEND_DRAINING, VIPFWD_HEALTH_UP);
	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_FLOW);
	KUNIT_EXPECT_PTR_EQ(test, d.be, be);

	/* Weight 0 likewise. */
	ctx_set(test, c, be, VIPFWD_BACKEND_ENABLED, VIPFWD_HEALTH_UP);
	be->weight = 0;
	ctx_rebuild(test, c);
	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_FLOW);
	KUNIT_EXPECT_PTR_EQ(test, d.be, be);

	/* No new flow goes there. */
	for (i = 0; i < 200; i++) {
		struct vipfwd_tuple u = tup(IPPROTO_TCP, 0x0a020001, 1024 + i,
					    1433);

		decide(c, fe, &u, VIPFWD_TCP_SYN, true, &d);
		KUNIT_EXPECT_PTR_NE(test, d.be, be);
	}
	KUNIT_EXPECT_EQ(test, ns_count(c, VIPFWD_CNT_RESCHEDULED), 0ULL);
}

static void flow_health_down(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *tcp = c->fe[0], *udp;
	struct vipfwd_backend *be = c->be[1];
	struct vipfwd_decision d;
	struct vipfwd_tuple t, u;

	udp = ctx_frontend(test, c, IPPROTO_UDP, 53, VIPFWD_HASH_5TUPLE, 240);
	t = flow_on(test, c, tcp, IPPROTO_TCP, be);
	u = flow_on(test, c, udp, IPPROTO_UDP, be);
	ctx_set(test, c, be, VIPFWD_BACKEND_ENABLED, VIPFWD_HEALTH_DOWN);

	/* Default: TCP stays, UDP moves. */
	decide(c, tcp, &t, VIPFWD_TCP_ACK, false, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_FLOW);
	KUNIT_EXPECT_PTR_EQ(test, d.be, be);
	decide(c, udp, &u, 0, false, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_RESCHEDULED);
	KUNIT_EXPECT_PTR_NE(test, d.be, be);

	/* Per frontend: keep everything, or move everything. */
	udp->on_health_down = VIPFWD_ON_HEALTH_DOWN_KEEP;
	decide(c, udp, &u, 0, false, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_FLOW);
	tcp->on_health_down = VIPFWD_ON_HEALTH_DOWN_RESCHEDULE;
	decide(c, tcp, &t, VIPFWD_TCP_ACK, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_RESCHEDULED);
	KUNIT_EXPECT_PTR_NE(test, d.be, be);
}

/* A frontend moved to another pool: its flows follow. */
static void flow_pool_switch(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe = c->fe[0];
	struct vipfwd_pool *old = c->pool, *pool;
	struct vipfwd_backend *be;
	struct vipfwd_decision d;
	struct vipfwd_tuple t = tup(IPPROTO_TCP, 0x0a010001, 40000, 1433);

	decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
	KUNIT_EXPECT_PTR_EQ(test, d.be->pool, old);

	pool = fx_pool(test, VIPFWD_PROBE_NONE, VIPFWD_TABLE_SIZE_DEFAULT);
	c->pool = pool;
	be = ctx_backend(test, c, 0x0a000c01);
	ctx_rebuild(test, c);

	fe->pool = pool;
	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_RESCHEDULED);
	KUNIT_EXPECT_PTR_EQ(test, d.be, be);

	/* Put everything back where the exit handler expects it. */
	fe->pool = old;
	vipfwd_flows_flush(c->vn, NULL);
	rcu_barrier();
	list_del(&be->node);
	c->nr_be--;
	kvfree(rcu_replace_pointer(pool->sched, NULL, true));
	c->pool = old;
	synchronize_rcu();
	vipfwd_backend_release(be);
}

/*
 * NAT flows: keyed per connection whatever the hash mode, the reply index
 * finds them (and only while they live), a read-only lookup never makes
 * one, an unusable backend ends the flow instead of moving it, and the
 * flow kind follows the frontend's mode.
 */
static const struct vipfwd_nat_entry *
nat_reply(struct flow_ctx *c, const struct vipfwd_tuple *t,
	  const struct vipfwd_decision *d)
{
	const struct vipfwd_nat_entry *e;
	struct vipfwd_nat_key k = {
		.family = AF_INET,
		.proto = t->proto,
		.sport = d->be_port,
		.dport = t->sport,
	};

	k.saddr = d->be->addr;
	k.daddr = t->saddr;
	rcu_read_lock();
	e = vipfwd_nat_lookup(c->vn, &k);
	rcu_read_unlock();
	return e;
}

static void flow_nat(struct kunit *test)
{
	struct flow_ctx *c = test->priv;
	struct vipfwd_frontend *fe;
	struct vipfwd_tuple t = tup(IPPROTO_TCP, 0x0a010001, 40000, 35000);
	struct vipfwd_tuple u = tup(IPPROTO_TCP, 0x0a010001, 40001, 35000);
	const struct vipfwd_nat_entry *e;
	struct vipfwd_flow_info info;
	struct vipfwd_decision d, d2;
	struct vipfwd_backend *be;
	__be16 port;

	fe = ctx_frontend(test, c, IPPROTO_TCP, 35000, VIPFWD_HASH_2TUPLE, 240);
	fe->mode = VIPFWD_MODE_NAT;
	fe->backend_port = cpu_to_be16(3389);

	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, vipfwd_flow_find(c->vn, fe, &t, &port));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 0U);

	decide(c, fe, &t, VIPFWD_TCP_SYN, true, &d);
	KUNIT_EXPECT_EQ(test, d.why, VIPFWD_WHY_NEW_FLOW);
	KUNIT_ASSERT_NOT_NULL(test, d.be);
	KUNIT_EXPECT_EQ(test, d.be_port, cpu_to_be16(3389));
	e = nat_reply(c, &t, &d);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->vip.ip, t.daddr.ip);
	KUNIT_EXPECT_EQ(test, e->vport, t.dport);

	/* 2tuple picks the same backend, but each connection is a flow. */
	decide(c, fe, &u, VIPFWD_TCP_SYN, true, &d2);
	KUNIT_EXPECT_EQ(test, d2.why, VIPFWD_WHY_NEW_FLOW);
	KUNIT_EXPECT_PTR_EQ(test, d2.be, d.be);
	KUNIT_EXPECT_EQ(test, vipfwd_flows_count(c->vn), 2U);

	rcu_read_lock();
	be = vipfwd_flow_find(c->vn, fe, &t, &port);
	rcu_read_unlock();
	KUNIT_EXPECT_PTR_EQ(test, be, d.be);
	KUNIT_EXPECT_EQ(test, port, cpu_to_be16(3389));

	first_flow(test, c, &info);
	KUNIT_EXPECT_EQ(test, info.be_port, cpu_to_be16(3389));
	KUNIT_EXPECT_LT(test, info.state, (u8)__VIPFWD_FLOW_STATE_MAX);

	/* An unusable backend ends the flow: a new one, a new reply tuple. */
	ctx_set(test, c, d.be, VIPFWD_BACKEND_DISABLED, VIPFWD_HEALTH_UP);
	decide(c, fe, &t, VIPFWD_TCP_ACK, true, &d2);
	KUNIT_EXPECT_EQ(test, d2.why, VIPFWD_WHY_NEW_FLOW);
	KUNIT_ASSERT_NOT_NULL(test, d2.be);
	KUNIT_EXPECT_PTR_NE(test, d2.be, d.be);
	KUNIT_EXPECT_EQ(test, ns_count(c, VIPFWD_CNT_RESCHEDULED), 0ULL);
	KUNIT_EXPECT_NULL(test, nat_reply(c, &t, &d));
	KUNIT_EXPECT_NOT_NULL(test, nat_reply(c, &t, &d2));

	/* A frontend back in encap mode does not use the NAT flow. */
	fe->mode = VIPFWD_MODE_ENCAP;
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, vipfwd_flow_find(c->vn, fe, &t, &port));
	rcu_read_unlock();
	fe->mode = VIPFWD_MODE_NAT;

	/* Flush removes the reply entries with the flows. */
	KUNIT_EXPECT_EQ(test, vipfwd_flows_flush(c->vn, NULL), 2U);
	KUNIT_EXPECT_NULL(test, nat_reply(c, &t, &d2));
	KUNIT_EXPECT_EQ(test, atomic_read(&c->vn->nat.nelems), 0);
}

static struct kunit_case flow_cases[] = {
	KUNIT_CASE(flow_insert_lookup),
	KUNIT_CASE(flow_hash_modes),
	KUNIT_CASE(flow_expiry),
	KUNIT_CASE(flow_tcp_states),
	KUNIT_CASE(flow_limit_fallback),
	KUNIT_CASE(flow_reschedule_disabled),
	KUNIT_CASE(flow_keep_draining),
	KUNIT_CASE(flow_health_down),
	KUNIT_CASE(flow_pool_switch),
	KUNIT_CASE(flow_nat),
	{}
};

static struct kunit_suite flow_suite = {
	.name = "vipfwd_flow",
	.init = flow_test_init,
	.exit = flow_test_exit,
	.test_cases = flow_cases,
};

kunit_test_suite(flow_suite);

MODULE_DESCRIPTION("KUnit tests for the vipfwd flow table");
MODULE_LICENSE("GPL");
