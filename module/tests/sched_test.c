// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the vipfwd scheduler (sched.c): eligibility, tiers,
 * determinism, weights and hash modes. The Maglev table itself has its
 * own suite, maglev_test.c.
 *
 * Run it with selftests/kunit/run (User-Mode Linux, module/ linked into a
 * kernel source tree as net/vipfwd).
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/mm.h>
#include <linux/socket.h>

#include "../vipfwd.h"
#include "fixture.h"

/* Hashes that drive the table checks: real tuple hashes, not a counter. */
#define NR_PICKS	10000
#define NR_SAMPLES	100000

/* The i-th sample flow: client 10.1.x.y, port varies, to a fixed VIP. */
static u32 test_flow_hash(u32 i)
{
	struct vipfwd_tuple t = {
		.family = AF_INET,
		.proto = IPPROTO_TCP,
		.sport = cpu_to_be16(1024 + i % 60000),
		.dport = cpu_to_be16(1433),
	};

	t.saddr.ip = cpu_to_be32(0x0a010000 | (i / 60000) << 8 | (i & 0xff));
	t.daddr.ip = cpu_to_be32(0xc0a80264);	/* 192.168.2.100 */
	return vipfwd_tuple_hash(&t, VIPFWD_HASH_5TUPLE);
}

#define S_EN	VIPFWD_BACKEND_ENABLED
#define S_DR	VIPFWD_BACKEND_DRAINING
#define S_DI	VIPFWD_BACKEND_DISABLED
#define H_UN	VIPFWD_HEALTH_UNKNOWN
#define H_UP	VIPFWD_HEALTH_UP
#define H_DN	VIPFWD_HEALTH_DOWN
#define P_NO	VIPFWD_PROBE_NONE
#define P_TCP	VIPFWD_PROBE_TCP

static const char R_OK[] = "eligible";
static const char R_DI[] = "disabled";
static const char R_DR[] = "draining";
static const char R_W0[] = "weight 0";
static const char R_DN[] = "health down";
static const char R_UN[] = "health unknown: no probe result yet";

static const struct {
	u8 state;
	u32 weight;
	u8 health;
	u8 probe;
	bool eligible;
	const char *reason;
} eligibility_cases[] = {
	/* enabled, weight > 0: health and probe decide */
	{ S_EN, 1, H_UP, P_NO,  true,  R_OK },
	{ S_EN, 1, H_UP, P_TCP, true,  R_OK },
	{ S_EN, 1, H_UN, P_NO,  true,  R_OK },
	{ S_EN, 1, H_UN, P_TCP, false, R_UN },
	{ S_EN, 1, H_UN, VIPFWD_PROBE_HTTP, false, R_UN },
	{ S_EN, 1, H_DN, P_NO,  false, R_DN },
	{ S_EN, 1, H_DN, P_TCP, false, R_DN },
	{ S_EN, 65535, H_UP, P_TCP, true, R_OK },
	/* enabled, weight 0: takes no new flows whatever the health */
	{ S_EN, 0, H_UP, P_NO,  false, R_W0 },
	{ S_EN, 0, H_UP, P_TCP, false, R_W0 },
	{ S_EN, 0, H_UN, P_NO,  false, R_W0 },
	{ S_EN, 0, H_UN, P_TCP, false, R_W0 },
	{ S_EN, 0, H_DN, P_NO,  false, R_W0 },
	{ S_EN, 0, H_DN, P_TCP, false, R_W0 },
	/* draining: state wins over weight and health */
	{ S_DR, 1, H_UP, P_NO,  false, R_DR },
	{ S_DR, 1, H_UP, P_TCP, false, R_DR },
	{ S_DR, 1, H_UN, P_NO,  false, R_DR },
	{ S_DR, 1, H_UN, P_TCP, false, R_DR },
	{ S_DR, 1, H_DN, P_NO,  false, R_DR },
	{ S_DR, 1, H_DN, P_TCP, false, R_DR },
	{ S_DR, 0, H_UP, P_NO,  false, R_DR },
	{ S_DR, 0, H_UN, P_TCP, false, R_DR },
	{ S_DR, 0, H_DN, P_TCP, false, R_DR },
	/* disabled */
	{ S_DI, 1, H_UP, P_NO,  false, R_DI },
	{ S_DI, 1, H_UP, P_TCP, false, R_DI },
	{ S_DI, 1, H_UN, P_NO,  false, R_DI },
	{ S_DI, 1, H_UN, P_TCP, false, R_DI },
	{ S_DI, 1, H_DN, P_NO,  false, R_DI },
	{ S_DI, 1, H_DN, P_TCP, false, R_DI },
	{ S_DI, 0, H_UP, P_NO,  false, R_DI },
	{ S_DI, 0, H_UN, P_TCP, false, R_DI },
	{ S_DI, 0, H_DN, P_TCP, false, R_DI },
};

static void eligibility_table(struct kunit *test)
{
	struct vipfwd_pool *pool = fx_pool(test, P_NO, VIPFWD_TABLE_SIZE_DEFAULT);
	struct vipfwd_backend *be;
	unsigned int i;

	be = fx_backend(test, pool, 0x0a00000b, 1, 0);
	for (i = 0; i < ARRAY_SIZE(eligibility_cases); i++) {
		const char *reason = NULL;
		bool ok;

		pool->probe_type = eligibility_cases[i].probe;
		be->state = eligibility_cases[i].state;
		be->weight = eligibility_cases[i].weight;
		be->health = eligibility_cases[i].health;

		ok = vipfwd_backend_eligible(pool, be, &reason);
		KUNIT_EXPECT_EQ_MSG(test, ok, eligibility_cases[i].eligible,
				    "case %u", i);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, reason);
		KUNIT_EXPECT_STREQ_MSG(test, reason,
				       eligibility_cases[i].reason,
				       "case %u", i);
		/* The reason pointer is optional. */
		KUNIT_EXPECT_EQ_MSG(test,
				    vipfwd_backend_eligible(pool, be, NULL),
				    eligibility_cases[i].eligible,
				    "case %u without reason", i);
	}
}

/* The table only ever holds eligible backends. */
static void build_skips_ineligible(struct kunit *test)
{
	struct vipfwd_pool *pool = fx_pool(test, P_TCP, VIPFWD_TABLE_SIZE_DEFAULT);
	struct vipfwd_backend *a, *b, *c, *d, *e;
	struct vipfwd_sched *s;
	u32 i, n_e = 0;

	a = fx_backend(test, pool, 0x0a000001, 1, 0);
	b = fx_backend(test, pool, 0x0a000002, 1, 0);
	c = fx_backend(test, pool, 0x0a000003, 1, 0);
	d = fx_backend(test, pool, 0x0a000004, 1, 0);
	e = fx_backend(test, pool, 0x0a000005, 2, 0);
	b->health = VIPFWD_HEALTH_UNKNOWN;	/* probe configured */
	c->state = VIPFWD_BACKEND_DRAINING;
	d->weight = 0;

	s = fx_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->count, 2U);
	if (s->count == 2) {
		KUNIT_EXPECT_PTR_EQ(test, s->backends[0], a);
		KUNIT_EXPECT_PTR_EQ(test, s->backends[1], e);
		/* Every entry is a's or e's, e (weight 2) owns two thirds. */
		for (i = 0; i < s->table_size; i++) {
			KUNIT_ASSERT_LT(test, (u32)s->table[i], 2U);
			n_e += s->table[i];
		}
		KUNIT_EXPECT_EQ(test, n_e, s->table_size * 2 / 3);
	}
	kvfree(s);

	/* Without a probe, unknown health counts as usable. */
	pool->probe_type = P_NO;
	s = fx_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->count, 3U);
	if (s->count == 3)
		KUNIT_EXPECT_PTR_EQ(test, s->backends[1], b);
	kvfree(s);
}

static void tier_selection(struct kunit *test)
{
	struct vipfwd_pool *pool = fx_pool(test, P_TCP, VIPFWD_TABLE_SIZE_DEFAULT);
	struct vipfwd_backend *a, *b, *c, *d, *e;
	struct vipfwd_sched *s;
	u32 i;

	/* tier 0: a (down), b (unknown); tier 1: c, d; tier 2: e */
	a = fx_backend(test, pool, 0x0a000001, 5, 0);
	b = fx_backend(test, pool, 0x0a000002, 5, 0);
	c = fx_backend(test, pool, 0x0a000003, 1, 1);
	d = fx_backend(test, pool, 0x0a000004, 1, 1);
	e = fx_backend(test, pool, 0x0a000005, 1, 2);
	a->health = VIPFWD_HEALTH_DOWN;
	b->health = VIPFWD_HEALTH_UNKNOWN;

	/* No eligible tier-0 backend: tier 1 takes everything, not tier 2. */
	s = fx_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->tier, 1);
	KUNIT_EXPECT_EQ(test, s->count, 2U);
	for (i = 0; i < NR_PICKS; i++) {
		struct vipfwd_backend *be = vipfwd_sched_pick(s, test_flow_hash(i));

		KUNIT_ASSERT_TRUE(test, be == c || be == d);
	}
	kvfree(s);

	/* One tier-0 backend comes up: it alone takes new flows. */
	b->health = VIPFWD_HEALTH_UP;
	s = fx_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->tier, 0);
	KUNIT_EXPECT_EQ(test, s->count, 1U);
	for (i = 0; i < NR_PICKS; i++)
		KUNIT_ASSERT_PTR_EQ(test, vipfwd_sched_pick(s, test_flow_hash(i)),
				    b);
	kvfree(s);

	/* Tier 0 draining, tier 1 disabled / weight 0: tier 2. */
	b->state = VIPFWD_BACKEND_DRAINING;
	c->state = VIPFWD_BACKEND_DISABLED;
	d->weight = 0;
	s = fx_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->tier, 2);
	KUNIT_EXPECT_EQ(test, s->count, 1U);
	if (s->count == 1)
		KUNIT_EXPECT_PTR_EQ(test, s->backends[0], e);
	kvfree(s);

	/* Tier order is numeric, not insertion order. */
	e->tier = 0;
	a->health = VIPFWD_HEALTH_UP;
	a->tier = 3;
	s = fx_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->tier, 0);
	KUNIT_EXPECT_EQ(test, s->count, 1U);
	if (s->count == 1)
		KUNIT_EXPECT_PTR_EQ(test, s->backends[0], e);
	kvfree(s);
}

static const struct {
	u32 addr;
	u32 weight;
} det_backends[] = {
	{ 0x0a00000a, 3 },	/* 10.0.0.10 */
	{ 0x0a000002, 1 },	/* 10.0.0.2: sorts before .10 numerically */
	{ 0xc0a80101, 7 },
	{ 0x0a000101, 2 },
	{ 0x01020304, 1 },
	{ 0x0a000003, 5 },
	{ 0xfe000001, 1 },
	{ 0x0a0000ff, 4 },
};

static struct vipfwd_sched *det_build(struct kunit *test, const u8 *order)
{
	struct vipfwd_pool *pool = fx_pool(test, P_NO, VIPFWD_TABLE_SIZE_DEFAULT);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(det_backends); i++)
		fx_backend(test, pool, det_backends[order[i]].addr,
			   det_backends[order[i]].weight, 0);
	return fx_build(test, pool);
}

static void determinism(struct kunit *test)
{
	static const u8 orders[][ARRAY_SIZE(det_backends)] = {
		{ 0, 1, 2, 3, 4, 5, 6, 7 },
		{ 7, 6, 5, 4, 3, 2, 1, 0 },
		{ 3, 6, 0, 5, 1, 7, 2, 4 },
	};
	struct vipfwd_sched *s[ARRAY_SIZE(orders)];
	unsigned int i, k;
	u32 h;

	for (k = 0; k < ARRAY_SIZE(orders); k++)
		s[k] = det_build(test, orders[k]);

	KUNIT_ASSERT_EQ(test, s[0]->count, (u32)ARRAY_SIZE(det_backends));

	/* Sorted by address, numerically. */
	for (i = 1; i < s[0]->count; i++)
		KUNIT_EXPECT_LT(test, be32_to_cpu(s[0]->backends[i - 1]->addr.ip),
				be32_to_cpu(s[0]->backends[i]->addr.ip));

	for (k = 1; k < ARRAY_SIZE(orders); k++) {
		KUNIT_ASSERT_EQ(test, s[k]->count, s[0]->count);
		for (i = 0; i < s[0]->count; i++)
			KUNIT_EXPECT_EQ(test, s[k]->backends[i]->addr.ip,
					s[0]->backends[i]->addr.ip);
		KUNIT_EXPECT_EQ(test, memcmp(s[k]->table, s[0]->table,
					     s[0]->table_size *
					     sizeof(*s[0]->table)), 0);
		for (i = 0; i < NR_PICKS; i++) {
			h = test_flow_hash(i);
			KUNIT_ASSERT_EQ_MSG(test,
					    vipfwd_sched_pick(s[k], h)->addr.ip,
					    vipfwd_sched_pick(s[0], h)->addr.ip,
					    "order %u, flow %u", k, i);
		}
	}

	for (k = 0; k < ARRAY_SIZE(orders); k++)
		kvfree(s[k]);
}

static void weights_1_3(struct kunit *test)
{
	struct vipfwd_pool *pool = fx_pool(test, P_NO, VIPFWD_TABLE_SIZE_DEFAULT);
	struct vipfwd_backend *light, *heavy, *be;
	struct vipfwd_sched *s;
	u32 i, n_light = 0, n_heavy = 0;

	light = fx_backend(test, pool, 0x0a000002, 1, 0);
	heavy = fx_backend(test, pool, 0x0a000001, 3, 0);
	s = fx_build(test, pool);

	for (i = 0; i < NR_SAMPLES; i++) {
		be = vipfwd_sched_pick(s, test_flow_hash(i));
		if (be == light)
			n_light++;
		else if (be == heavy)
			n_heavy++;
	}
	kvfree(s);

	KUNIT_EXPECT_EQ(test, n_light + n_heavy, (u32)NR_SAMPLES);
	/* 25% and 75%, each within 5% of its expected share. */
	KUNIT_EXPECT_GE(test, n_light, NR_SAMPLES / 4 * 95 / 100);
	KUNIT_EXPECT_LE(test, n_light, NR_SAMPLES / 4 * 105 / 100);
	KUNIT_EXPECT_GE(test, n_heavy, NR_SAMPLES / 4 * 3 * 95 / 100);
	KUNIT_EXPECT_LE(test, n_heavy, NR_SAMPLES / 4 * 3 * 105 / 100);
}

static void hash_modes(struct kunit *test)
{
	struct vipfwd_tuple base = {
		.family = AF_INET,
		.proto = IPPROTO_TCP,
		.sport = cpu_to_be16(40000),
		.dport = cpu_to_be16(1433),
	};
	struct vipfwd_tuple t;
	u32 h2, h3, h5, distinct5 = 0, prev5;
	unsigned int port;

	base.saddr.ip = cpu_to_be32(0xc0a80105);
	base.daddr.ip = cpu_to_be32(0xc0a80264);
	h2 = vipfwd_tuple_hash(&base, VIPFWD_HASH_2TUPLE);
	h3 = vipfwd_tuple_hash(&base, VIPFWD_HASH_3TUPLE);
	h5 = vipfwd_tuple_hash(&base, VIPFWD_HASH_5TUPLE);

	/* Same input, same hash. */
	KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&base, VIPFWD_HASH_5TUPLE), h5);

	/* Ports: only the 5-tuple mode sees them. */
	prev5 = h5;
	for (port = 1; port <= 1000; port++) {
		t = base;
		t.sport = cpu_to_be16(port);
		KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_2TUPLE), h2);
		KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_3TUPLE), h3);
		if (vipfwd_tuple_hash(&t, VIPFWD_HASH_5TUPLE) != prev5)
			distinct5++;
		prev5 = vipfwd_tuple_hash(&t, VIPFWD_HASH_5TUPLE);
	}
	KUNIT_EXPECT_EQ(test, distinct5, 1000U);

	t = base;
	t.dport = cpu_to_be16(1434);
	KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_2TUPLE), h2);
	KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_3TUPLE), h3);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_5TUPLE), h5);

	/* Protocol: seen by 3- and 5-tuple, not by 2-tuple. */
	t = base;
	t.proto = IPPROTO_UDP;
	KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_2TUPLE), h2);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_3TUPLE), h3);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_5TUPLE), h5);

	/* Addresses: every mode. */
	t = base;
	t.saddr.ip = cpu_to_be32(0xc0a80106);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_2TUPLE), h2);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_3TUPLE), h3);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_5TUPLE), h5);
	t = base;
	t.daddr.ip = cpu_to_be32(0xc0a80265);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_2TUPLE), h2);

	/* Source and destination are not interchangeable. */
	t = base;
	t.saddr = base.daddr;
	t.daddr = base.saddr;
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_2TUPLE), h2);
}

static void hash_ipv6(struct kunit *test)
{
	struct vipfwd_tuple a = {
		.family = AF_INET6,
		.proto = IPPROTO_TCP,
		.sport = cpu_to_be16(40000),
		.dport = cpu_to_be16(443),
	};
	struct vipfwd_tuple b;
	u32 ha;

	a.saddr.ip6.s6_addr32[0] = cpu_to_be32(0x20010db8);
	a.saddr.ip6.s6_addr32[3] = cpu_to_be32(1);
	a.daddr.ip6.s6_addr32[0] = cpu_to_be32(0x20010db8);
	a.daddr.ip6.s6_addr32[3] = cpu_to_be32(0x100);
	ha = vipfwd_tuple_hash(&a, VIPFWD_HASH_2TUPLE);

	/* Every word of an IPv6 address counts, not only the first. */
	b = a;
	b.saddr.ip6.s6_addr32[3] = cpu_to_be32(2);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&b, VIPFWD_HASH_2TUPLE), ha);
	b = a;
	b.daddr.ip6.s6_addr32[1] = cpu_to_be32(1);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&b, VIPFWD_HASH_2TUPLE), ha);
	b = a;
	b.sport = cpu_to_be16(40001);
	KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&b, VIPFWD_HASH_2TUPLE), ha);
	KUNIT_EXPECT_NE(test, vipfwd_tuple_hash(&b, VIPFWD_HASH_5TUPLE),
			vipfwd_tuple_hash(&a, VIPFWD_HASH_5TUPLE));
}

/*
 * Known answers: hosts behind ECMP, and one host across reboots and
 * upgrades, must compute exactly these values. A random or per-boot seed,
 * or a byte-order dependency, fails here.
 */
static void hash_known_answers(struct kunit *test)
{
	struct vipfwd_tuple t = {
		.family = AF_INET,
		.proto = IPPROTO_TCP,
		.sport = cpu_to_be16(40000),
		.dport = cpu_to_be16(1433),
	};

	t.saddr.ip = cpu_to_be32(0xc0a80105);	/* 192.168.1.5 */
	t.daddr.ip = cpu_to_be32(0xc0a80264);	/* 192.168.2.100 */
	KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_5TUPLE),
			0xbd871dbeU);
	KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_3TUPLE),
			0xd898b517U);
	KUNIT_EXPECT_EQ(test, vipfwd_tuple_hash(&t, VIPFWD_HASH_2TUPLE),
			0xb43c8da8U);
}

static void empty_table(struct kunit *test)
{
	struct vipfwd_pool *pool = fx_pool(test, P_TCP, VIPFWD_TABLE_SIZE_DEFAULT);
	struct vipfwd_backend *be;
	struct vipfwd_sched *s;
	u32 i;

	/* No backend at all. */
	s = fx_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->count, 0U);
	KUNIT_EXPECT_EQ(test, s->table_size, (u32)VIPFWD_TABLE_SIZE_DEFAULT);
	KUNIT_EXPECT_NULL(test, s->table);
	for (i = 0; i < 1000; i++)
		KUNIT_EXPECT_NULL(test, vipfwd_sched_pick(s, test_flow_hash(i)));
	KUNIT_EXPECT_NULL(test, vipfwd_sched_pick(s, 0xffffffff));
	kvfree(s);

	/* Backends, none eligible. */
	be = fx_backend(test, pool, 0x0a000001, 1, 0);
	be->health = VIPFWD_HEALTH_UNKNOWN;
	be = fx_backend(test, pool, 0x0a000002, 1, 1);
	be->health = VIPFWD_HEALTH_DOWN;
	s = fx_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->count, 0U);
	KUNIT_EXPECT_NULL(test, vipfwd_sched_pick(s, 0));
	KUNIT_EXPECT_NULL(test, vipfwd_sched_pick(s, 0x80000000));
	kvfree(s);

	/* No table published yet. */
	KUNIT_EXPECT_NULL(test, vipfwd_sched_pick(NULL, 0));
}

static struct kunit_case vipfwd_sched_cases[] = {
	KUNIT_CASE(eligibility_table),
	KUNIT_CASE(build_skips_ineligible),
	KUNIT_CASE(tier_selection),
	KUNIT_CASE(determinism),
	KUNIT_CASE(weights_1_3),
	KUNIT_CASE(hash_modes),
	KUNIT_CASE(hash_ipv6),
	KUNIT_CASE(hash_known_answers),
	KUNIT_CASE(empty_table),
	{}
};

static struct kunit_suite vipfwd_sched_suite = {
	.name = "vipfwd_sched",
	.test_cases = vipfwd_sched_cases,
};

kunit_test_suite(vipfwd_sched_suite);

MODULE_DESCRIPTION("KUnit tests for the vipfwd scheduler");
MODULE_LICENSE("GPL");
