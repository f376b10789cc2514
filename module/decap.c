// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd host-side delivery: decapsulate on the backend's hypervisor host.
 *
 * A load balancer sends a backend's packets as IPIP (or GUE) to the
 * backend's address. When that backend is a guest behind this host, the
 * host can take the tunnel off and hand the guest the plain inner packet,
 * still addressed to the VIP, so the guest needs the VIP on its loopback
 * and nothing else (no tunnel device, no sysctls).
 *
 * What the hook (PRE_ROUTING, IPv4 outer headers) does with a packet, once
 * the namespace has at least one rule (without one it costs one load):
 *  - not sent to this host at L2, not IPv4, a fragment, not IPIP and not
 *    UDP to the GUE port of some rule: accepted untouched;
 *  - UDP to such a port without a GUE variant 0 data header carrying IPv4
 *    (4) or IPv6 (41), with GUE options, or with a bad UDP checksum:
 *    accepted untouched (a guest may run a service on that port);
 *  - the outer destination is not forwarded by this host (a local
 *    address, broadcast, no route, forwarding off; the stack's own input
 *    route decides): accepted untouched, so the host's own tunl0, fou
 *    ports etc. keep working;
 *  - forwarded to a guest, from a source inside a rule's prefix of the
 *    same encapsulation (and GUE port): decapsulated; the inner packet
 *    gets its TTL (hop limit) decremented like a router would and is sent
 *    to the same next hop the outer packet would have gone to (the
 *    route's gateway, or the outer destination itself), by that
 *    neighbour's link-layer address: never by ARP for the VIP. Counted on
 *    the rule (packets, inner bytes);
 *  - forwarded to a guest, from any other source: dropped, counted
 *    "decap_foreign" (namespace drop counters), so that nobody outside
 *    the prefixes can tunnel into a guest through this host;
 *  - inner packet malformed, TTL expired, or too big for the guest's
 *    link: dropped, counted "malformed" or "too_big" (no ICMP is sent).
 * The inner packet leaves by neigh_xmit(): it does not cross FORWARD or
 * POSTROUTING of this host (the outer packet crossed nothing but the
 * PRE_ROUTING hooks before ours), like a decapsulating router.
 *
 * Priority NF_IP_PRI_CONNTRACK - 2 (-202):
 *  - before conntrack (-200): what we take never creates a conntrack
 *    entry, and the decapsulated packet leaves with its conntrack reset;
 *  - before vipfwd's own hook (-201): a tunnel packet is judged by its
 *    outer header first; anything we leave reaches vipfwd's hook (and
 *    everything after) unchanged;
 *  - the VIP guard (nftables, -199) never sees the inner packet, whose
 *    destination is a VIP: it does not re-enter this host's PRE_ROUTING.
 *    raw (-300) and defragmentation (-400), when loaded, still come first.
 *
 * Rule lookup is a linear walk of a small array (VIPFWD_MAX_DECAP = 64
 * rules): a handful of compares, no hashing, and it only happens for
 * tunnel packets to forwarded destinations. The set is replaced as a
 * whole under vn->lock and read under RCU (netfilter holds
 * rcu_read_lock() around every hook).
 */
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/dst_metadata.h>
#include <net/gue.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/neighbour.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "vipfwd.h"

/* What the outer header says, before any rule is consulted. */
struct vipfwd_decap_pkt {
	u8		encap;		/* enum vipfwd_encap */
	__be16		gue_port;
	__be32		saddr;
	unsigned int	hdr_len;	/* outer headers to pull */
	__be16		inner_proto;	/* ETH_P_IP or ETH_P_IPV6 */
};

static bool vipfwd_decap_gue_port(const struct vipfwd_decap_set *set,
				  __be16 port)
{
	u32 i;

	for (i = 0; i < set->count; i++)
		if (set->rules[i].encap == VIPFWD_ENCAP_GUE &&
		    set->rules[i].gue_port == port)
			return true;
	return false;
}

/*
 * Is this an IPIP or GUE packet any rule could be about? Fills @p.
 * May reallocate the header: callers re-read every pointer.
 */
static bool vipfwd_decap_parse(struct sk_buff *skb,
			       const struct vipfwd_decap_set *set,
			       unsigned int hook, struct vipfwd_decap_pkt *p)
{
	const struct guehdr *gh;
	const struct iphdr *iph;
	const struct udphdr *uh;
	unsigned int ihl;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = ip_hdr(skb);
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) || ip_is_fragment(iph))
		return false;
	p->saddr = iph->saddr;

	if (iph->protocol == IPPROTO_IPIP) {
		p->encap = VIPFWD_ENCAP_IPIP;
		p->gue_port = 0;
		p->hdr_len = ihl;
		p->inner_proto = htons(ETH_P_IP);
		return true;
	}
	if (iph->protocol != IPPROTO_UDP)
		return false;

	if (!pskb_may_pull(skb, ihl + sizeof(*uh) + sizeof(*gh)))
		return false;
	uh = (const struct udphdr *)(skb_network_header(skb) + ihl);
	if (!vipfwd_decap_gue_port(set, uh->dest))
		return false;
	/* Variant 0, a data message, no options (the options would need
	 * the flag processing of net/ipv4/fou.c; a stock sender sends none).
	 */
	gh = (const struct guehdr *)(uh + 1);
	if (gh->version != 0 || gh->control || gh->hlen || gh->flags)
		return false;
	if (gh->proto_ctype == IPPROTO_IPIP)
		p->inner_proto = htons(ETH_P_IP);
	else if (gh->proto_ctype == IPPROTO_IPV6)
		p->inner_proto = htons(ETH_P_IPV6);
	else
		return false;
	/* We consume the UDP layer, so we check what it protects. Zero is
	 * "no checksum" for UDP over IPv4.
	 */
	if (uh->check && !skb_csum_unnecessary(skb) &&
	    nf_ip_checksum(skb, hook, ihl, IPPROTO_UDP))
		return false;
	p->encap = VIPFWD_ENCAP_GUE;
	p->gue_port = uh->dest;
	p->hdr_len = ihl + sizeof(*uh) + sizeof(*gh);
	return true;
}

static const struct vipfwd_decap_rule *
vipfwd_decap_match(const struct vipfwd_decap_set *set,
		   const struct vipfwd_decap_pkt *p)
{
	const struct vipfwd_decap_rule *r;
	u32 i;

	for (i = 0; i < set->count; i++) {
		r = &set->rules[i];
		if (r->family == AF_INET && r->encap == p->encap &&
		    r->gue_port == p->gue_port &&
		    (p->saddr & r->mask4) == r->prefix.ip)
			return r;
	}
	return NULL;
}

/*
 * The inner packet, now at skb->data: check its header, trim it to its
 * own length and decrement its TTL. Returns a drop reason or -1 for OK.
 */
static int vipfwd_decap_inner(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr *iph;
		unsigned int ihl, len;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return VIPFWD_DROP_MALFORMED;
		iph = ip_hdr(skb);
		ihl = iph->ihl * 4;
		if (iph->version != 4 || ihl < sizeof(*iph) ||
		    !pskb_may_pull(skb, ihl))
			return VIPFWD_DROP_MALFORMED;
		iph = ip_hdr(skb);
		len = ntohs(iph->tot_len);
		if (ip_fast_csum((u8 *)iph, iph->ihl) || len < ihl ||
		    len > skb->len || pskb_trim_rcsum(skb, len))
			return VIPFWD_DROP_MALFORMED;
		if (iph->ttl <= 1)
			return VIPFWD_DROP_MALFORMED;
		if (skb_ensure_writable(skb, ihl))
			return VIPFWD_DROP_NOMEM;
		ip_decrease_ttl(ip_hdr(skb));
	} else {
		struct ipv6hdr *ip6h;
		unsigned int len;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return VIPFWD_DROP_MALFORMED;
		ip6h = ipv6_hdr(skb);
		len = sizeof(*ip6h) + ntohs(ip6h->payload_len);
		if (ip6h->version != 6 || len > skb->len ||
		    pskb_trim_rcsum(skb, len))
			return VIPFWD_DROP_MALFORMED;
		if (ipv6_hdr(skb)->hop_limit <= 1)
			return VIPFWD_DROP_MALFORMED;
		if (skb_ensure_writable(skb, sizeof(*ip6h)))
			return VIPFWD_DROP_NOMEM;
		ipv6_hdr(skb)->hop_limit--;
	}
	return -1;
}

static unsigned int vipfwd_decap_hook(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct vipfwd_net *vn = vipfwd_net(state->net);
	const struct vipfwd_decap_set *set;
	const struct vipfwd_decap_rule *r;
	struct vipfwd_decap_pkt p;
	struct net_device *dev;
	const struct iphdr *iph;
	struct rtable *rt;
	__be32 nexthop;
	int reason;

	/* A namespace without rules pays for this load and nothing else. */
	set = rcu_dereference(vn->decap);
	if (!set)
		return NF_ACCEPT;

	/* Like ip_forward(): not ours unless sent to this host at L2. */
	if (skb->pkt_type != PACKET_HOST || !skb->dev)
		return NF_ACCEPT;
	if (!vipfwd_decap_parse(skb, set, state->hook, &p))
		return NF_ACCEPT;

	/* The stack's own input route (policy rules, rp_filter, the
	 * forwarding switch): only a destination it forwards is a guest.
	 * The route stays attached, so a packet we leave is not looked up
	 * twice.
	 */
	iph = ip_hdr(skb);
	if (!skb_valid_dst(skb) &&
	    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
				 skb->dev))
		return NF_ACCEPT;
	rt = skb_rtable(skb);
	if (!rt || rt->rt_type != RTN_UNICAST)
		return NF_ACCEPT;

	r = vipfwd_decap_match(set, &p);
	if (!r) {
		reason = VIPFWD_DROP_DECAP_FOREIGN;
		goto drop;
	}

	/* Where the outer packet was going: the same link, the same
	 * neighbour. Taken before the pull drops the route.
	 */
	dev = rt->dst.dev;
	nexthop = rt_nexthop(rt, ip_hdr(skb)->daddr);
	if (rt->rt_gw_family == AF_INET6 || !(dev->flags & IFF_UP)) {
		reason = VIPFWD_DROP_NO_ROUTE;
		goto drop;
	}
	/* dev is kept alive by RCU (we are inside the hook's read side)
	 * while the route that pointed at it goes.
	 */
	if (iptunnel_pull_header(skb, p.hdr_len, p.inner_proto, false)) {
		reason = VIPFWD_DROP_NOMEM;
		goto drop;
	}
	skb_reset_network_header(skb);
	/* An outer UDP checksum still to be filled in (a local sender's
	 * CHECKSUM_PARTIAL) points into what we pulled; the inner packet is
	 * complete then. A checksum a NIC verified was the outer one.
	 */
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    skb_checksum_start_offset(skb) < 0)
		skb->ip_summed = CHECKSUM_NONE;
	else if (p.encap == VIPFWD_ENCAP_GUE &&
		 skb->ip_summed == CHECKSUM_UNNECESSARY)
		__skb_decr_checksum_unnecessary(skb);

	reason = vipfwd_decap_inner(skb);
	if (reason >= 0)
		goto drop;
	if (skb->len > READ_ONCE(dev->mtu) && !skb_is_gso(skb)) {
		reason = VIPFWD_DROP_TOO_BIG;
		goto drop;
	}

	/* The TTL changed: a CHECKSUM_COMPLETE value no longer holds. */
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
	skb->dev = dev;
	vipfwd_stats_add(r->stats, skb->len);
	/* The neighbour is the outer (IPv4) next hop whatever the inner
	 * family; the link-layer header takes skb->protocol.
	 */
	neigh_xmit(NEIGH_ARP_TABLE, dev, &nexthop, skb);
	return NF_STOLEN;

drop:
	vipfwd_drop(vn, reason);
	return NF_DROP;
}

static const struct nf_hook_ops vipfwd_decap_ops[] = {
	{
		.hook		= vipfwd_decap_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_CONNTRACK - 2,
	},
};

int vipfwd_decap_register(struct net *net)
{
	return nf_register_net_hooks(net, vipfwd_decap_ops,
				     ARRAY_SIZE(vipfwd_decap_ops));
}

void vipfwd_decap_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, vipfwd_decap_ops,
				ARRAY_SIZE(vipfwd_decap_ops));
}

/* ---- rules (vn->lock) ---- */

const struct vipfwd_decap_set *vipfwd_decap_rules(struct vipfwd_net *vn)
{
	return rcu_dereference_protected(vn->decap,
					 lockdep_is_held(&vn->lock));
}

static struct vipfwd_decap_set *vipfwd_decap_set_alloc(u32 count)
{
	struct vipfwd_decap_set *set;

	set = kzalloc(struct_size(set, rules, count), GFP_KERNEL);
	if (set)
		set->count = count;
	return set;
}

static bool vipfwd_decap_same(const struct vipfwd_decap_rule *a,
			      const struct vipfwd_decap_rule *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       a->prefix.ip == b->prefix.ip;
}

int vipfwd_decap_add(struct vipfwd_net *vn,
		     const struct vipfwd_decap_rule *tmpl,
		     struct netlink_ext_ack *extack)
{
	struct vipfwd_decap_set *old, *set;
	struct vipfwd_decap_rule *r;
	u32 i, count;

	lockdep_assert_held(&vn->lock);
	old = rcu_dereference_protected(vn->decap, lockdep_is_held(&vn->lock));
	count = old ? old->count : 0;

	for (i = 0; i < count; i++) {
		if (vipfwd_decap_same(&old->rules[i], tmpl)) {
			VIPFWD_ERR_FMT(extack, NULL,
				       "decap prefix already exists",
				       "decap prefix %pI4/%u already exists",
				       &tmpl->prefix.ip, tmpl->plen);
			return -EEXIST;
		}
	}
	if (count >= VIPFWD_MAX_DECAP) {
		NL_SET_ERR_MSG(extack, "too many decap prefixes in this namespace (limit "
			       __stringify(VIPFWD_MAX_DECAP) ")");
		return -ENOSPC;
	}

	set = vipfwd_decap_set_alloc(count + 1);
	if (!set)
		return -ENOMEM;
	if (count)
		memcpy(set->rules, old->rules, count * sizeof(*r));
	r = &set->rules[count];
	*r = *tmpl;
	r->mask4 = inet_make_mask(r->plen);
	r->stats = vipfwd_stats_alloc();
	if (!r->stats) {
		kfree(set);
		return -ENOMEM;
	}

	rcu_assign_pointer(vn->decap, set);
	if (old)
		kfree_rcu(old, rcu);
	vn->generation++;
	return 0;
}

int vipfwd_decap_del(struct vipfwd_net *vn,
		     const struct vipfwd_decap_rule *key,
		     struct netlink_ext_ack *extack)
{
	struct vipfwd_decap_set *old, *set = NULL;
	struct vipfwd_pcpu_stats __percpu *stats;
	u32 i, j, count;

	lockdep_assert_held(&vn->lock);
	old = rcu_dereference_protected(vn->decap, lockdep_is_held(&vn->lock));
	count = old ? old->count : 0;
	for (i = 0; i < count; i++)
		if (vipfwd_decap_same(&old->rules[i], key))
			break;
	if (i == count) {
		VIPFWD_ERR_FMT(extack, NULL, "no such decap prefix",
			       "no decap prefix %pI4/%u",
			       &key->prefix.ip, key->plen);
		return -ENOENT;
	}

	if (count > 1) {
		set = vipfwd_decap_set_alloc(count - 1);
		if (!set)
			return -ENOMEM;
		for (j = 0; j < count; j++)
			if (j != i)
				set->rules[j < i ? j : j - 1] = old->rules[j];
	}
	stats = old->rules[i].stats;

	/* NULL when the last rule goes: the hook is back to one load. */
	rcu_assign_pointer(vn->decap, set);
	vn->generation++;
	/* No hook may still be counting into the rule's counters. Rules
	 * change rarely; waiting here keeps their lifetime simple.
	 */
	synchronize_rcu();
	vipfwd_stats_free(stats);
	kfree(old);
	return 0;
}

void vipfwd_decap_flush(struct vipfwd_net *vn)
{
	struct vipfwd_decap_set *set;
	u32 i;

	/* Only after the hooks are gone (netns.c): nothing reads the set. */
	set = rcu_dereference_protected(vn->decap, 1);
	RCU_INIT_POINTER(vn->decap, NULL);
	if (!set)
		return;
	for (i = 0; i < set->count; i++)
		vipfwd_stats_free(set->rules[i].stats);
	kfree(set);
}
