// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd weighted Maglev table: which backend owns each entry of a pool's
 * consistent-hash table (Eisenbud et al., "Maglev: A Fast and Reliable
 * Software Network Load Balancer", NSDI 2016, section 3.4).
 *
 * Pure logic, no networking: sched.c calls it under vn->lock, off the data
 * path, and the KUnit suite in tests/maglev_test.c runs it under UML.
 *
 * Every backend has a preference list, a permutation of the M table
 * entries (M prime): entry (offset + j * skip) mod M for j = 0, 1, ...,
 * where offset and skip come from two hashes of the backend's address
 * alone. Backends then take turns claiming the next entry of their list
 * that is still free, until the table is full.
 *
 * Weights: whose turn it is follows stride scheduling. A backend of weight
 * w claims its n-th entry at virtual time n / w; claims happen in virtual
 * time order, ties going to the backend that sorts first by address. With
 * equal weights this is plain Maglev's round robin, so entry counts differ
 * by at most 1; otherwise each backend ends with M * w / sum(w) entries,
 * give or take one. A min-heap of next claim times keeps the build at
 * O(M log N) whatever the weights are (a round-based scheme needs up to
 * M * max(w) / sum(w) passes over all N backends).
 *
 * Determinism, so that hosts behind ECMP agree: the hashes use fixed seeds
 * over the address in host order (the same on hosts of either byte order),
 * the caller passes the backends sorted by address, and the virtual time
 * comparison is exact integer arithmetic. The table is a pure function of
 * (M, the set of addresses and weights); the order in which backends were
 * configured, memory layout or timing play no part.
 */
#include <linux/bitops.h>
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "vipfwd.h"

/* Fixed forever: changing either reshuffles every pool's table on upgrade
 * and makes old and new hosts disagree.
 */
#define VIPFWD_MAGLEV_SEED_OFFSET	0x6d676f66	/* "mgof" */
#define VIPFWD_MAGLEV_SEED_SKIP		0x6d67736b	/* "mgsk" */

/* Let other tasks run this often while a large table is filled. */
#define VIPFWD_MAGLEV_RESCHED_EVERY	16384

/* Entries are u16 indices into the pool's backends. */
static_assert(VIPFWD_MAX_POOL_BACKENDS <= VIPFWD_MAGLEV_MAX_BACKENDS);
static_assert(VIPFWD_MAGLEV_MAX_BACKENDS - 1 <= U16_MAX);

/* Build state of one backend. */
struct vipfwd_maglev_walk {
	u32	pos;	/* next entry of its permutation to try */
	u32	skip;
	u32	next;	/* ordinal of its next claim: entries claimed + 1 */
	u32	weight;
};

bool vipfwd_maglev_size_valid(u32 size)
{
	u32 d;

	if (size < VIPFWD_TABLE_SIZE_MIN || size > VIPFWD_TABLE_SIZE_MAX)
		return false;
	if (size % 2 == 0)
		return false;
	for (d = 3; d <= size / d; d += 2)
		if (size % d == 0)
			return false;
	return true;
}

/*
 * Offset and skip of a backend's permutation. Only the address counts (not
 * the weight, tier or position in the pool), so a backend keeps its
 * preferences when anything else in the pool changes.
 */
void vipfwd_maglev_perm(const struct vipfwd_backend *be, u32 size,
			u32 *offset, u32 *skip)
{
	u32 w[5];
	u32 n = 0;
	int i;

	if (be->family == AF_INET6) {
		for (i = 0; i < 4; i++)
			w[n++] = be32_to_cpu(be->addr.ip6.s6_addr32[i]);
	} else {
		w[n++] = be32_to_cpu(be->addr.ip);
	}
	/* AF_INET6 is 10 on Linux only: hosts that must agree run Linux. */
	w[n++] = be->family;

	*offset = jhash2(w, n, VIPFWD_MAGLEV_SEED_OFFSET) % size;
	/* size is prime, so any skip in [1, size - 1] visits every entry. */
	*skip = jhash2(w, n, VIPFWD_MAGLEV_SEED_SKIP) % (size - 1) + 1;
}

/* Does backend @a claim its next entry before backend @b? */
static bool vipfwd_maglev_before(const struct vipfwd_maglev_walk *walk,
				 u32 a, u32 b)
{
	/* next_a / weight_a < next_b / weight_b, without division. Both
	 * products stay below 2^20 * 2^16.
	 */
	u64 ta = (u64)walk[a].next * walk[b].weight;
	u64 tb = (u64)walk[b].next * walk[a].weight;

	if (ta != tb)
		return ta < tb;
	return a < b;
}

static void vipfwd_maglev_sift_down(const struct vipfwd_maglev_walk *walk,
				    u32 *heap, u32 n, u32 i)
{
	u32 child, tmp;

	for (;;) {
		child = 2 * i + 1;
		if (child >= n)
			break;
		if (child + 1 < n &&
		    vipfwd_maglev_before(walk, heap[child + 1], heap[child]))
			child++;
		if (!vipfwd_maglev_before(walk, heap[child], heap[i]))
			break;
		tmp = heap[i];
		heap[i] = heap[child];
		heap[child] = tmp;
		i = child;
	}
}

/*
 * Fill @table (@size entries, @size prime) with indices into @backends
 * (@count entries, sorted by address, every weight above 0). Sleeps when
 * @gfp allows it. Returns 0, -EINVAL for a bad size or count, -ENOMEM.
 *
 * More backends than entries cannot happen through the configuration
 * (config.c refuses it); should it, the table still fills and the
 * backends that come last in claim order get no entry.
 */
int vipfwd_maglev_fill(u16 *table, u32 size,
		       struct vipfwd_backend *const *backends, u32 count,
		       gfp_t gfp)
{
	bool may_sleep = gfpflags_allow_blocking(gfp);
	struct vipfwd_maglev_walk *walk, *w;
	u32 *heap, i, b, rr = 0, filled;
	unsigned long *used;
	bool equal = true;
	size_t bytes;

	if (!vipfwd_maglev_size_valid(size) || !count ||
	    count > VIPFWD_MAGLEV_MAX_BACKENDS)
		return -EINVAL;

	/* A bitmap of the entries taken: 8 KiB for the default size, it
	 * stays in L1 while the walks hop around the table.
	 */
	bytes = array_size(count, sizeof(*walk));
	bytes = size_add(bytes, array_size(count, sizeof(*heap)));
	bytes = size_add(bytes, array_size(BITS_TO_LONGS(size),
					   sizeof(*used)));
	walk = kvzalloc(bytes, gfp);
	if (!walk)
		return -ENOMEM;
	used = (unsigned long *)&walk[count];
	heap = (u32 *)&used[BITS_TO_LONGS(size)];

	for (i = 0; i < count; i++) {
		w = &walk[i];
		vipfwd_maglev_perm(backends[i], size, &w->pos, &w->skip);
		w->next = 1;
		/* Eligible backends have a weight above 0; should one
		 * not, count it as 1 rather than let it go without.
		 */
		w->weight = backends[i]->weight ? : 1;
		if (w->weight != walk[0].weight)
			equal = false;
		heap[i] = i;
	}
	for (i = count / 2; i-- > 0;)
		vipfwd_maglev_sift_down(walk, heap, count, i);

	for (filled = 0; filled < size; filled++) {
		/* Equal weights: the heap would hand out turns in address
		 * order, round after round; skip it.
		 */
		if (equal) {
			b = rr;
			if (++rr == count)
				rr = 0;
		} else {
			b = heap[0];
		}
		w = &walk[b];
		/* A permutation of all entries: a free one comes up before
		 * the walk returns to where it started.
		 */
		while (test_bit(w->pos, used)) {
			w->pos += w->skip;
			if (w->pos >= size)
				w->pos -= size;
		}
		__set_bit(w->pos, used);
		table[w->pos] = b;
		if (!equal) {
			w->next++;
			vipfwd_maglev_sift_down(walk, heap, count, 0);
		}

		if (may_sleep && filled % VIPFWD_MAGLEV_RESCHED_EVERY == 0)
			cond_resched();
	}

	kvfree(walk);
	return 0;
}
