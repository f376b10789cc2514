// SPDX-License-Identifier: GPL-2.0
/*
 * Memory for vipprobe's targets: fixed-size objects carved from 2 MiB
 * chunks that the kernel is asked to back with huge pages.
 *
 * Why: at ten thousand backends every probe touches a target that no
 * cache holds, and with the targets spread over ten megabytes of 4 KiB
 * pages most of those touches are also TLB misses; in a virtual machine
 * a TLB miss walks two sets of page tables. The same targets in a few
 * huge pages cost measurably less per probe (docs/benchmarks.md).
 *
 * Freed objects go on a free list and are reused; chunks are returned
 * only by probe_arena_destroy(), so the arena holds what the most
 * targets at once needed. Where huge pages are not to be had (THP off)
 * the chunks are ordinary pages and everything works the same.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "probe.h"

#define ARENA_CHUNK	(2u << 20)	/* one huge page on x86-64 */

/* The chunk's first bytes: what links it to the others. */
struct arena_chunk {
	struct arena_chunk *next;
};

/* A free object's first bytes. */
struct arena_free {
	struct arena_free *next;
};

void probe_arena_init(struct probe_arena *a, size_t size)
{
	memset(a, 0, sizeof(*a));
	/* Every object aligned to a cache line, and able to hold a link. */
	a->size = (size + 63) & ~(size_t)63;
}

/*
 * A chunk aligned to its size, so that it can be one huge page: map
 * twice as much and unmap what lies outside the aligned part.
 */
static void *chunk_map(void)
{
	uint8_t *p, *start;
	uintptr_t aligned;

	p = mmap(NULL, 2 * ARENA_CHUNK, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	aligned = ((uintptr_t)p + ARENA_CHUNK - 1) & ~(uintptr_t)(ARENA_CHUNK - 1);
	start = (uint8_t *)aligned;
	if (start > p)
		munmap(p, (size_t)(start - p));
	munmap(start + ARENA_CHUNK, (size_t)(p + ARENA_CHUNK - start));
	/* Advice only: without THP the chunk keeps small pages. */
	madvise(start, ARENA_CHUNK, MADV_HUGEPAGE);
	return start;
}

void *probe_arena_alloc(struct probe_arena *a)
{
	struct arena_chunk *c;
	void *obj;

	if (a->free) {
		obj = a->free;
		a->free = a->free->next;
	} else {
		/* Objects follow the chunk's link, a cache line in, and are
		 * carved as needed: a few targets touch a few pages.
		 */
		if (!a->chunks || a->carved + a->size > ARENA_CHUNK) {
			if (a->size > ARENA_CHUNK - 64)
				return NULL;
			c = chunk_map();
			if (!c)
				return NULL;
			c->next = a->chunks;
			a->chunks = c;
			a->carved = 64;
		}
		obj = (uint8_t *)a->chunks + a->carved;
		a->carved += a->size;
	}
	memset(obj, 0, a->size);
	a->used++;
	return obj;
}

void probe_arena_free(struct probe_arena *a, void *obj)
{
	struct arena_free *f = obj;

	if (!obj)
		return;
	f->next = a->free;
	a->free = f;
	a->used--;
}

void probe_arena_destroy(struct probe_arena *a)
{
	struct arena_chunk *c;

	while ((c = a->chunks)) {
		a->chunks = c->next;
		munmap(c, ARENA_CHUNK);
	}
	a->free = NULL;
	a->carved = 0;
	a->used = 0;
}
