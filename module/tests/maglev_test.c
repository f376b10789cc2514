// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the weighted Maglev table (maglev.c) as the scheduler
 * builds it (sched.c): balance, weights, disruption, determinism, tiers,
 * table sizes, and that a pick is the table entry's backend.
 *
 * The known answers were computed by an independent model of the
 * algorithm (jhash2, permutation, stride order) written in Python; a
 * change of seed, hash input, byte order or tie rule fails them.
 *
 * Run it with selftests/kunit/run (User-Mode Linux). Timings printed here
 * are UML's, not bare metal's: UML runs the same instructions natively but
 * pays for every page fault and timer tick through the host kernel.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/ktime.h>
#include <linux/math.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/socket.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "../vipfwd.h"
#include "fixture.h"

#define M_DEFAULT	VIPFWD_TABLE_SIZE_DEFAULT

struct mgtest {
	struct vipfwd_pool	*pool;
	struct vipfwd_backend	**be;	/* in creation order */
	u32			n;
};

/* 10.x.y.1 for i = x * 256 + y: sorted order equals creation order. */
static u32 mg_addr(u32 i)
{
	return 0x0a000001 | i << 8;
}

/* A pool of @n backends of weight 1 (or @weights[i]), tier 0. */
static void mg_init(struct kunit *test, struct mgtest *m, u32 n,
		    u32 table_size, const u32 *weights)
{
	u32 i;

	m->pool = fx_pool(test, VIPFWD_PROBE_NONE, table_size);
	m->n = n;
	m->be = kunit_kcalloc(test, n, sizeof(*m->be), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->be);
	for (i = 0; i < n; i++)
		m->be[i] = fx_backend(test, m->pool, mg_addr(i),
				      weights ? weights[i] : 1, 0);
}

static struct vipfwd_sched *mg_build(struct kunit *test,
				     struct vipfwd_pool *pool)
{
	struct vipfwd_sched *s = fx_build(test, pool);

	KUNIT_ASSERT_EQ(test, s->table_size, pool->table_size);
	return s;
}

/* abs_diff() is 6.2+. */
static u64 mg_diff(u64 a, u64 b)
{
	return a > b ? a - b : b - a;
}

static struct vipfwd_backend *mg_owner(const struct vipfwd_sched *s, u32 i)
{
	return s->backends[s->table[i]];
}

/*
 * Entries owned by each backend of @s, in @counts[] indexed like
 * s->backends. Also checks that every entry names a backend.
 */
static void mg_counts(struct kunit *test, const struct vipfwd_sched *s,
		      u32 *counts)
{
	u32 i;

	memset(counts, 0, s->count * sizeof(*counts));
	for (i = 0; i < s->table_size; i++) {
		KUNIT_ASSERT_LT_MSG(test, (u32)s->table[i], s->count,
				    "entry %u", i);
		counts[s->table[i]]++;
	}
}

static void mg_check_balance(struct kunit *test, u32 n)
{
	struct vipfwd_sched *s;
	struct mgtest m;
	u32 *counts, i, lo = U32_MAX, hi = 0;

	mg_init(test, &m, n, M_DEFAULT, NULL);
	s = mg_build(test, m.pool);
	KUNIT_ASSERT_EQ(test, s->count, n);
	counts = kunit_kcalloc(test, n, sizeof(*counts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, counts);
	mg_counts(test, s, counts);
	for (i = 0; i < n; i++) {
		lo = min(lo, counts[i]);
		hi = max(hi, counts[i]);
	}
	kunit_info(test, "N=%u M=%u: entries per backend %u..%u\n",
		   n, M_DEFAULT, lo, hi);
	KUNIT_EXPECT_LE(test, hi - lo, 1U);
	KUNIT_EXPECT_EQ(test, lo, M_DEFAULT / n);
	kvfree(s);
}

/* Equal weights: entry counts differ by at most 1. */
static void balance_equal_weights(struct kunit *test)
{
	mg_check_balance(test, 3);
	mg_check_balance(test, 10);
	mg_check_balance(test, 1000);
}

/*
 * Entries of each backend against its exact share M * w / W (W the sum
 * of the weights). When the table fills at virtual time T, a backend holds
 * T * w entries give or take one, and T is within N / W of M / W: so a
 * backend is off its share by at most 1 + N * w / W, plus 1 for rounding
 * the share. Equal weights: at most 1 apart (balance_equal_weights).
 */
static void mg_check_weights(struct kunit *test, const u32 *weights, u32 n,
			     u32 table_size)
{
	struct vipfwd_sched *s;
	struct mgtest m;
	u64 total = 0, exact, slack;
	u32 *counts, i;

	for (i = 0; i < n; i++)
		total += weights[i];
	mg_init(test, &m, n, table_size, weights);
	s = mg_build(test, m.pool);
	KUNIT_ASSERT_EQ(test, s->count, n);
	counts = kunit_kcalloc(test, n, sizeof(*counts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, counts);
	mg_counts(test, s, counts);
	for (i = 0; i < n; i++) {
		/* backends[] is sorted; mg_addr() keeps creation order. */
		KUNIT_ASSERT_PTR_EQ(test, s->backends[i], m.be[i]);
		exact = div64_u64((u64)table_size * weights[i] + total / 2,
				  total);
		slack = 2 + div64_u64((u64)n * weights[i] + total - 1, total);
		KUNIT_EXPECT_LE_MSG(test, mg_diff(counts[i], exact), slack,
				    "backend %u weight %u: %u entries, share %llu",
				    i, weights[i], counts[i], exact);
	}
	kvfree(s);
}

static void weights_proportional(struct kunit *test)
{
	static const u32 w123[] = { 1, 2, 3 };
	static const u32 wmix[] = { 1, 65535, 7, 100, 1, 3, 1000, 2 };
	static u32 wmany[1000];
	struct vipfwd_sched *s;
	struct mgtest m;
	u32 counts[3], i;

	/* 1:2:3 at the default size: 1/6, 2/6, 3/6 within 1% (and 2). */
	mg_init(test, &m, 3, M_DEFAULT, w123);
	s = mg_build(test, m.pool);
	mg_counts(test, s, counts);
	kunit_info(test, "1:2:3 at M=%u: %u %u %u entries\n", M_DEFAULT,
		   counts[0], counts[1], counts[2]);
	for (i = 0; i < 3; i++) {
		u32 share = M_DEFAULT * w123[i] / 6;

		KUNIT_EXPECT_GE(test, counts[i], share - share / 100);
		KUNIT_EXPECT_LE(test, counts[i], share + share / 100);
	}
	kvfree(s);

	mg_check_weights(test, w123, ARRAY_SIZE(w123), M_DEFAULT);
	mg_check_weights(test, w123, ARRAY_SIZE(w123), 13);
	mg_check_weights(test, wmix, ARRAY_SIZE(wmix), M_DEFAULT);
	mg_check_weights(test, wmix, ARRAY_SIZE(wmix), 1048573);
	for (i = 0; i < ARRAY_SIZE(wmany); i++)
		wmany[i] = 1 + i % 5;
	mg_check_weights(test, wmany, ARRAY_SIZE(wmany), M_DEFAULT);
}

/*
 * Disruption: remove one of @n backends and count the entries that
 * belonged to a surviving backend and now belong to another. Returns the
 * worst fraction in parts per million over @trials removals.
 */
static u32 mg_disruption_ppm(struct kunit *test, u32 n, u32 trials,
			     u32 *avg_ppm)
{
	struct vipfwd_sched *before, *after;
	struct vipfwd_backend *gone;
	u32 t, i, moved, kept, ppm, worst = 0;
	u64 sum = 0;
	struct mgtest m;

	mg_init(test, &m, n, M_DEFAULT, NULL);
	before = mg_build(test, m.pool);

	for (t = 0; t < trials; t++) {
		/* Spread the removed backends over the address range. */
		gone = m.be[(u64)t * n / trials + n / (2 * trials)];
		list_del(&gone->node);
		after = mg_build(test, m.pool);
		list_add_tail(&gone->node, &m.pool->backends);
		KUNIT_ASSERT_EQ(test, after->count, n - 1);

		moved = 0;
		kept = 0;
		for (i = 0; i < M_DEFAULT; i++) {
			if (mg_owner(before, i) == gone) {
				KUNIT_ASSERT_PTR_NE(test, mg_owner(after, i),
						    gone);
				continue;
			}
			kept++;
			if (mg_owner(after, i) != mg_owner(before, i))
				moved++;
		}
		ppm = div_u64((u64)moved * 1000000, kept);
		worst = max(worst, ppm);
		sum += ppm;
		kvfree(after);
	}
	kvfree(before);
	*avg_ppm = div_u64(sum, trials);
	return worst;
}

static void disruption_remove_one(struct kunit *test)
{
	static const u32 sizes[] = { 10, 100, 1000 };
	u32 k, worst, avg;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		worst = mg_disruption_ppm(test, sizes[k], 5, &avg);
		kunit_info(test,
			   "remove 1 of N=%u at M=%u: survivors' entries moved avg %u.%04u%% worst %u.%04u%% (5 removals)\n",
			   sizes[k], M_DEFAULT, avg / 10000, avg % 10000,
			   worst / 10000, worst % 10000);
		/* At most 1% of the survivors' entries move. */
		KUNIT_EXPECT_LE(test, worst, 10000U);
	}
}

static int mg_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Build time for N = 1000, M = 65537, the figure the Maglev paper gives. */
static void build_time(struct kunit *test)
{
	u64 ns[7];
	struct vipfwd_sched *s;
	struct mgtest m;
	u32 i;

	mg_init(test, &m, 1000, M_DEFAULT, NULL);
	for (i = 0; i < ARRAY_SIZE(ns); i++) {
		u64 t0 = ktime_get_ns();

		s = vipfwd_sched_build(m.pool, GFP_KERNEL);
		ns[i] = ktime_get_ns() - t0;
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
		kvfree(s);
	}
	sort(ns, ARRAY_SIZE(ns), sizeof(ns[0]), mg_u64_cmp, NULL);
	kunit_info(test,
		   "build N=1000 M=%u: median %llu us, min %llu us, max %llu us (%zu builds, UML)\n",
		   M_DEFAULT, div_u64(ns[ARRAY_SIZE(ns) / 2], 1000),
		   div_u64(ns[0], 1000), div_u64(ns[ARRAY_SIZE(ns) - 1], 1000),
		   ARRAY_SIZE(ns));
	/* Not a benchmark; catches a build that went quadratic. */
	KUNIT_EXPECT_LT(test, ns[0], 500ULL * NSEC_PER_MSEC);
}

/*
 * The same backends and weights, configured in different orders (and with
 * a mix of families), give byte-identical tables.
 */
static void determinism_insertion_order(struct kunit *test)
{
	enum { N = 300 };
	struct vipfwd_sched *ref = NULL, *s;
	struct rnd_state rnd;
	struct vipfwd_backend *be;
	struct vipfwd_pool *pool;
	u32 order[N], k, i, j, tmp;

	prandom_seed_state(&rnd, 20261121);
	for (i = 0; i < N; i++)
		order[i] = i;

	for (k = 0; k < 6; k++) {
		/* k = 0: ascending, 1: descending, then random shuffles. */
		if (k == 1) {
			for (i = 0; i < N; i++)
				order[i] = N - 1 - i;
		} else if (k > 1) {
			for (i = N - 1; i > 0; i--) {
				j = prandom_u32_state(&rnd) % (i + 1);
				tmp = order[i];
				order[i] = order[j];
				order[j] = tmp;
			}
		}

		pool = fx_pool(test, VIPFWD_PROBE_NONE, M_DEFAULT);
		for (i = 0; i < N; i++) {
			u32 b = order[i];

			/* Addresses out of numeric order of b, weights 1..7. */
			be = fx_backend(test, pool, 0xc0000000 ^ (b * 2654435761U),
					1 + b % 7, 0);
			if (b % 10 == 0) {
				/* Every tenth an IPv6 backend 2001:db8::b. */
				be->family = AF_INET6;
				memset(&be->addr, 0, sizeof(be->addr));
				be->addr.ip6.s6_addr32[0] = cpu_to_be32(0x20010db8);
				be->addr.ip6.s6_addr32[3] = cpu_to_be32(b);
			}
		}

		s = mg_build(test, pool);
		KUNIT_ASSERT_EQ(test, s->count, (u32)N);
		if (!ref) {
			ref = s;
			continue;
		}
		for (i = 0; i < N; i++) {
			KUNIT_ASSERT_EQ(test, s->backends[i]->family,
					ref->backends[i]->family);
			KUNIT_ASSERT_EQ_MSG(test,
					    memcmp(&s->backends[i]->addr,
						   &ref->backends[i]->addr,
						   sizeof(s->backends[i]->addr)),
					    0, "order %u, backend %u", k, i);
		}
		KUNIT_EXPECT_EQ_MSG(test,
				    memcmp(s->table, ref->table,
					   M_DEFAULT * sizeof(*s->table)),
				    0, "order %u", k);
		kvfree(s);
	}
	kvfree(ref);
}

/*
 * Known answers from the independent model: every host, of either byte
 * order, and every future version must compute exactly these.
 */
static void known_answers(struct kunit *test)
{
	static const u16 eq13[] = { 2, 1, 1, 0, 1, 1, 0, 0, 2, 0, 2, 0, 2 };
	static const u16 w13[] = { 2, 1, 1, 2, 1, 1, 2, 0, 2, 2, 2, 0, 2 };
	static const u16 w31[] = { 1, 2, 0, 0, 2, 2, 2, 2, 2, 0, 1, 1, 0, 1,
				   1, 1, 2, 1, 2, 2, 1, 2, 2, 0, 2, 2, 2, 1,
				   1, 2, 2 };
	static const u32 w10_counts[] = { 1191, 2383, 3575, 4766, 5958,
					  7150, 8341, 9533, 10724, 11916 };
	static const u32 w10[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	struct vipfwd_backend be6 = { .family = AF_INET6 };
	struct vipfwd_sched *s;
	struct vipfwd_pool *pool;
	struct vipfwd_backend *a, *b, *c;
	u32 off, skip, i, sum, counts[10];

	pool = fx_pool(test, VIPFWD_PROBE_NONE, 13);
	/* Configured out of order on purpose. */
	c = fx_backend(test, pool, 0x0a000003, 1, 0);
	a = fx_backend(test, pool, 0x0a000001, 1, 0);
	b = fx_backend(test, pool, 0x0a000002, 1, 0);

	vipfwd_maglev_perm(a, 13, &off, &skip);
	KUNIT_EXPECT_EQ(test, off, 3U);
	KUNIT_EXPECT_EQ(test, skip, 4U);
	vipfwd_maglev_perm(b, 65537, &off, &skip);
	KUNIT_EXPECT_EQ(test, off, 31758U);
	KUNIT_EXPECT_EQ(test, skip, 24713U);
	vipfwd_maglev_perm(c, 65537, &off, &skip);
	KUNIT_EXPECT_EQ(test, off, 59488U);
	KUNIT_EXPECT_EQ(test, skip, 59507U);
	be6.addr.ip6.s6_addr32[0] = cpu_to_be32(0x20010db8);
	be6.addr.ip6.s6_addr32[3] = cpu_to_be32(1);
	vipfwd_maglev_perm(&be6, 65537, &off, &skip);
	KUNIT_EXPECT_EQ(test, off, 18395U);
	KUNIT_EXPECT_EQ(test, skip, 2032U);

	s = mg_build(test, pool);
	KUNIT_ASSERT_EQ(test, s->count, 3U);
	KUNIT_EXPECT_PTR_EQ(test, s->backends[0], a);
	KUNIT_EXPECT_PTR_EQ(test, s->backends[2], c);
	KUNIT_EXPECT_EQ(test, memcmp(s->table, eq13, sizeof(eq13)), 0);
	kvfree(s);

	b->weight = 2;
	c->weight = 3;
	s = mg_build(test, pool);
	KUNIT_EXPECT_EQ(test, memcmp(s->table, w13, sizeof(w13)), 0);
	kvfree(s);

	pool->table_size = 31;
	s = mg_build(test, pool);
	KUNIT_EXPECT_EQ(test, memcmp(s->table, w31, sizeof(w31)), 0);
	kvfree(s);

	/* 10.0.0.1..10 with weights 1..10 at 65537: counts and a checksum. */
	pool = fx_pool(test, VIPFWD_PROBE_NONE, M_DEFAULT);
	for (i = 0; i < 10; i++)
		fx_backend(test, pool, 0x0a000001 + i, w10[i], 0);
	s = mg_build(test, pool);
	mg_counts(test, s, counts);
	sum = 0;
	for (i = 0; i < M_DEFAULT; i++)
		sum += (i + 1) * s->table[i];
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ_MSG(test, counts[i], w10_counts[i],
				    "backend %u", i);
	KUNIT_EXPECT_EQ(test, sum, 0xffb2df4eU);
	kvfree(s);
}

/* The table holds the lowest tier with an eligible backend, only it. */
static void tiers(struct kunit *test)
{
	struct vipfwd_pool *pool = fx_pool(test, VIPFWD_PROBE_NONE, 251);
	struct vipfwd_backend *a, *b, *c, *d;
	struct vipfwd_sched *s;
	u32 counts[2], i;

	/* Standby tier 1 (c, d) configured first, primaries after. */
	c = fx_backend(test, pool, 0x0a000103, 1, 1);
	d = fx_backend(test, pool, 0x0a000104, 5, 1);
	a = fx_backend(test, pool, 0x0a000201, 1, 0);
	b = fx_backend(test, pool, 0x0a000202, 1, 0);

	s = mg_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->tier, 0);
	KUNIT_ASSERT_EQ(test, s->count, 2U);
	KUNIT_EXPECT_PTR_EQ(test, s->backends[0], a);
	KUNIT_EXPECT_PTR_EQ(test, s->backends[1], b);
	mg_counts(test, s, counts);
	KUNIT_EXPECT_EQ(test, counts[0] + counts[1], 251U);
	KUNIT_EXPECT_LE(test, mg_diff(counts[0], counts[1]), 1ULL);
	kvfree(s);

	/* One primary down: the other takes the whole table, no standby. */
	a->health = VIPFWD_HEALTH_DOWN;
	s = mg_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->tier, 0);
	KUNIT_ASSERT_EQ(test, s->count, 1U);
	for (i = 0; i < 251; i++)
		KUNIT_ASSERT_PTR_EQ(test, mg_owner(s, i), b);
	kvfree(s);

	/* Both primaries unusable (down, draining): the standby tier. */
	b->state = VIPFWD_BACKEND_DRAINING;
	s = mg_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->tier, 1);
	KUNIT_ASSERT_EQ(test, s->count, 2U);
	KUNIT_EXPECT_PTR_EQ(test, s->backends[0], c);
	KUNIT_EXPECT_PTR_EQ(test, s->backends[1], d);
	mg_counts(test, s, counts);
	/* 1:5 weights within the standby tier too. */
	KUNIT_EXPECT_LE(test, mg_diff(counts[0], 251U / 6), 2ULL);
	KUNIT_EXPECT_LE(test, mg_diff(counts[1], 251U * 5 / 6), 2ULL);
	kvfree(s);

	/* A primary back: the standby tier loses every entry at once. */
	a->health = VIPFWD_HEALTH_UP;
	s = mg_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->tier, 0);
	KUNIT_ASSERT_EQ(test, s->count, 1U);
	for (i = 0; i < 251; i++)
		KUNIT_ASSERT_PTR_EQ(test, mg_owner(s, i), a);
	kvfree(s);

	/* Nothing eligible anywhere: no table, no pick. */
	a->weight = 0;
	c->state = VIPFWD_BACKEND_DISABLED;
	d->health = VIPFWD_HEALTH_DOWN;
	s = mg_build(test, pool);
	KUNIT_EXPECT_EQ(test, s->count, 0U);
	KUNIT_EXPECT_NULL(test, s->table);
	KUNIT_EXPECT_NULL(test, vipfwd_sched_pick(s, 0x12345678));
	kvfree(s);
}

/* Every valid size builds a full, balanced table; invalid ones fail. */
static void table_sizes(struct kunit *test)
{
	static const u32 good[] = { 13, 17, 251, 4093, 65537, 1048573 };
	static const u32 bad[] = { 0, 1, 2, 3, 11, 12, 15, 65536, 65535,
				   1048576, 1048583, U32_MAX };
	struct vipfwd_sched *s;
	struct mgtest m;
	u32 k, i, lo, hi, counts[13];

	mg_init(test, &m, 13, 13, NULL);
	for (k = 0; k < ARRAY_SIZE(good); k++) {
		KUNIT_EXPECT_TRUE(test, vipfwd_maglev_size_valid(good[k]));
		m.pool->table_size = good[k];
		s = mg_build(test, m.pool);
		mg_counts(test, s, counts);
		lo = U32_MAX;
		hi = 0;
		for (i = 0; i < 13; i++) {
			lo = min(lo, counts[i]);
			hi = max(hi, counts[i]);
		}
		KUNIT_EXPECT_LE_MSG(test, hi - lo, 1U, "M=%u", good[k]);
		KUNIT_EXPECT_GE_MSG(test, lo, 1U, "M=%u", good[k]);
		/* The entry of the largest hash is the last one. */
		KUNIT_EXPECT_EQ(test, vipfwd_sched_slot(s, U32_MAX), good[k] - 1);
		kvfree(s);
	}
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		KUNIT_EXPECT_FALSE_MSG(test, vipfwd_maglev_size_valid(bad[k]),
				       "size %u", bad[k]);
		m.pool->table_size = bad[k];
		s = vipfwd_sched_build(m.pool, GFP_KERNEL);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(s), "size %u", bad[k]);
		if (!IS_ERR_OR_NULL(s))
			kvfree(s);
	}

	/*
	 * More backends than entries (config.c refuses it; the builder
	 * must still terminate): 20 backends, 13 entries, one each.
	 */
	mg_init(test, &m, 20, 13, NULL);
	s = mg_build(test, m.pool);
	KUNIT_EXPECT_EQ(test, s->count, 20U);
	for (i = 0; i < 13; i++)
		KUNIT_EXPECT_LT(test, (u32)s->table[i], 20U);
	kvfree(s);
}

/* A pick is the backend of the entry vipfwd_sched_slot() names. */
static void pick_slot_consistency(struct kunit *test)
{
	static const u32 edge[] = { 0, 1, 0x7fffffff, 0x80000000, 0xfffffffe,
				    0xffffffff };
	struct vipfwd_sched *s;
	struct rnd_state rnd;
	struct mgtest m;
	u32 i, h, slot;

	mg_init(test, &m, 7, 4093, NULL);
	s = mg_build(test, m.pool);
	prandom_seed_state(&rnd, 7);
	for (i = 0; i < 100000 + ARRAY_SIZE(edge); i++) {
		h = i < ARRAY_SIZE(edge) ? edge[i] : prandom_u32_state(&rnd);
		slot = vipfwd_sched_slot(s, h);
		KUNIT_ASSERT_LT(test, slot, 4093U);
		/* Multiply-shift: the hash's share of 2^32, scaled. */
		KUNIT_ASSERT_EQ(test, slot, (u32)(((u64)h * 4093) >> 32));
		KUNIT_ASSERT_PTR_EQ(test, vipfwd_sched_pick(s, h),
				    mg_owner(s, slot));
	}
	KUNIT_EXPECT_EQ(test, vipfwd_sched_slot(s, 0), 0U);
	KUNIT_EXPECT_EQ(test, vipfwd_sched_slot(s, U32_MAX), 4092U);
	kvfree(s);

	/* No table published yet. */
	KUNIT_EXPECT_NULL(test, vipfwd_sched_pick(NULL, 1));
	KUNIT_EXPECT_EQ(test, vipfwd_sched_slot(NULL, 1), 0U);
}

static struct kunit_case vipfwd_maglev_cases[] = {
	KUNIT_CASE(balance_equal_weights),
	KUNIT_CASE(weights_proportional),
	KUNIT_CASE(disruption_remove_one),
	KUNIT_CASE(build_time),
	KUNIT_CASE(determinism_insertion_order),
	KUNIT_CASE(known_answers),
	KUNIT_CASE(tiers),
	KUNIT_CASE(table_sizes),
	KUNIT_CASE(pick_slot_consistency),
	{}
};

static struct kunit_suite vipfwd_maglev_suite = {
	.name = "vipfwd_maglev",
	.test_cases = vipfwd_maglev_cases,
};

kunit_test_suite(vipfwd_maglev_suite);
