// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd per-CPU counters, and the shared counters of a frontend.
 *
 * Writers only ever touch their own CPU's copy. The hooks run in softirq
 * context (PRE_ROUTING) and in process context (LOCAL_OUT, preemptible),
 * so a writer pins itself to the CPU and, where 64-bit counters need the
 * seqcount (32-bit kernels), keeps interrupts off around the update so a
 * softirq on the same CPU cannot interleave. On 64-bit kernels this costs
 * a preempt_disable() and two local64 adds.
 */
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/u64_stats_sync.h>

#include "vipfwd.h"

struct vipfwd_pcpu_stats __percpu *vipfwd_stats_alloc(void)
{
	struct vipfwd_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct vipfwd_pcpu_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

void vipfwd_stats_free(struct vipfwd_pcpu_stats __percpu *stats)
{
	free_percpu(stats);
}

void vipfwd_stats_add(struct vipfwd_pcpu_stats __percpu *stats,
		      unsigned int len)
{
	struct vipfwd_pcpu_stats *s = get_cpu_ptr(stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats);
}

void vipfwd_stats_new_flow(struct vipfwd_pcpu_stats __percpu *stats)
{
	struct vipfwd_pcpu_stats *s = get_cpu_ptr(stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->new_flows);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats);
}

u64 vipfwd_stats_new_flows(struct vipfwd_pcpu_stats __percpu *stats)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct vipfwd_pcpu_stats *s = per_cpu_ptr(stats, cpu);
		unsigned int start;
		u64 n;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			n = u64_stats_read(&s->new_flows);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += n;
	}
	return sum;
}

/*
 * A frontend's counters, with the configuration's reference. Each flow of
 * the frontend takes one more; the last put frees them. Every holder got
 * its reference through a live frontend or a live flow, so no reader is
 * left when the count reaches 0: no grace period needed.
 */
struct vipfwd_counters *vipfwd_counters_alloc(void)
{
	struct vipfwd_counters *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->pcpu = vipfwd_stats_alloc();
	if (!c->pcpu) {
		kfree(c);
		return NULL;
	}
	refcount_set(&c->ref, 1);
	return c;
}

void vipfwd_counters_put(struct vipfwd_counters *c)
{
	if (refcount_dec_and_test(&c->ref)) {
		vipfwd_stats_free(c->pcpu);
		kfree(c);
	}
}

void vipfwd_stats_sum(struct vipfwd_pcpu_stats __percpu *stats,
		      u64 *packets, u64 *bytes)
{
	u64 p_sum = 0, b_sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct vipfwd_pcpu_stats *s = per_cpu_ptr(stats, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		p_sum += p;
		b_sum += b;
	}
	*packets = p_sum;
	*bytes = b_sum;
}

struct vipfwd_pcpu_drops __percpu *vipfwd_drops_alloc(void)
{
	struct vipfwd_pcpu_drops __percpu *drops;
	int cpu;

	drops = alloc_percpu(struct vipfwd_pcpu_drops);
	if (!drops)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(drops, cpu)->syncp);
	return drops;
}

void vipfwd_drop(struct vipfwd_net *vn, enum vipfwd_drop_reason reason)
{
	struct vipfwd_pcpu_drops *d;
	unsigned long flags;

	if (WARN_ON_ONCE(reason >= __VIPFWD_DROP_MAX))
		return;

	d = get_cpu_ptr(vn->drops);
	flags = u64_stats_update_begin_irqsave(&d->syncp);
	u64_stats_inc(&d->count[reason]);
	u64_stats_update_end_irqrestore(&d->syncp, flags);
	put_cpu_ptr(vn->drops);
}

void vipfwd_count(struct vipfwd_net *vn, enum vipfwd_ns_counter what)
{
	struct vipfwd_pcpu_drops *d;
	unsigned long flags;

	if (WARN_ON_ONCE(what >= __VIPFWD_CNT_MAX))
		return;

	d = get_cpu_ptr(vn->drops);
	flags = u64_stats_update_begin_irqsave(&d->syncp);
	u64_stats_inc(&d->events[what]);
	u64_stats_update_end_irqrestore(&d->syncp, flags);
	put_cpu_ptr(vn->drops);
}

void vipfwd_counts_sum(struct vipfwd_net *vn, u64 out[__VIPFWD_CNT_MAX])
{
	int cpu, i;

	for (i = 0; i < __VIPFWD_CNT_MAX; i++)
		out[i] = 0;

	for_each_possible_cpu(cpu) {
		const struct vipfwd_pcpu_drops *d = per_cpu_ptr(vn->drops, cpu);
		u64 snap[__VIPFWD_CNT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&d->syncp);
			for (i = 0; i < __VIPFWD_CNT_MAX; i++)
				snap[i] = u64_stats_read(&d->events[i]);
		} while (u64_stats_fetch_retry(&d->syncp, start));

		for (i = 0; i < __VIPFWD_CNT_MAX; i++)
			out[i] += snap[i];
	}
}

void vipfwd_drops_sum(struct vipfwd_net *vn, u64 out[__VIPFWD_DROP_MAX])
{
	int cpu, i;

	for (i = 0; i < __VIPFWD_DROP_MAX; i++)
		out[i] = 0;

	for_each_possible_cpu(cpu) {
		const struct vipfwd_pcpu_drops *d = per_cpu_ptr(vn->drops, cpu);
		u64 snap[__VIPFWD_DROP_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&d->syncp);
			for (i = 0; i < __VIPFWD_DROP_MAX; i++)
				snap[i] = u64_stats_read(&d->count[i]);
		} while (u64_stats_fetch_retry(&d->syncp, start));

		for (i = 0; i < __VIPFWD_DROP_MAX; i++)
			out[i] += snap[i];
	}
}
