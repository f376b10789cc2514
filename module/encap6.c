// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd outer IPv6 encapsulation: the client's packet, unchanged, inside
 * an outer IPv6 header addressed to a backend (or tunnel endpoint) with an
 * IPv6 address: IPv6-in-IPv6 (next header 41) for an IPv6 VIP,
 * IPv4-in-IPv6 (next header 4) for an IPv4 VIP. A stock Linux backend
 * receives both on its ip6tnl0 fallback device in "mode any".
 *
 * The outer header: traffic class = the inner DSCP and ECN (RFC 6040
 * normal mode), flow label from the inner packet's flow hash (one label
 * per flow, so the underlay's ECMP keeps a flow on one path), hop limit
 * from the route, source = the frontend's IPv6 source or the route's.
 *
 * Path MTU. The room left for the inner packet is the route MTU minus 40:
 *  - inner IPv6 larger than that (for GSO: any segment): ICMPv6 packet too
 *    big with that MTU, never below 1280 (the IPv6 minimum). Between 1280
 *    and MTU - 40, which only a route MTU below 1320 allows, the outer
 *    packet is fragmented by this host (RFC 2473 section 7.1);
 *  - inner IPv4 with DF: ICMP fragmentation needed with MTU - 40;
 *  - inner IPv4 without DF: the outer IPv6 packet is fragmented by this
 *    host (the inner one is never touched).
 *
 * GUE over IPv6 (encap gue): UDP and GUE headers (gue.c) between the outer
 * IPv6 header and the inner packet, 52 bytes in all. IPv6 wants a UDP
 * checksum (a zero one is dropped unless the receiver set udp6zerocsumrx),
 * so it is filled in with udp6_set_csum(), which also covers an inner
 * checksum still to be done by the device (local checksum offload). GSO
 * packets are segmented here first: one outer checksum per segment, no
 * reliance on how UDP tunnel segmentation treats an IPv6 outer header.
 *
 * Called from encap.c's entry point under rcu_read_lock(); consumes the
 * skb. Like encap.c, the inner bytes are never written.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/dsfield.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#if __has_include("net/gso.h")
#include <net/gso.h>
#endif

#include "vipfwd.h"

#define VIPFWD_IP6_HLEN		sizeof(struct ipv6hdr)

/* One frontend's tunnel to one backend, as vipfwd_encap6() resolved it. */
struct vipfwd_tnl6 {
	struct flowi6	fl6;		/* addresses, flow label */
	u8		family;		/* the inner packet's */
	bool		gue;
	__be16		sport;		/* GUE only */
	__be16		dport;		/* GUE only */
	unsigned int	hlen;		/* every outer header's bytes */
};

/* Too big for @mtu, as ip6_forward() decides for IPv6 (no DF: always). */
static bool vipfwd6_inner6_too_big(const struct sk_buff *skb,
				   unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	/* Reassembled by nf_defrag_ipv6: its largest fragment counts. */
	if (unlikely(IP6CB(skb)->frag_max_size > mtu))
		return true;
	if (skb->ignore_df)
		return false;
	if (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))
		return false;
	return true;
}

/*
 * Tell the client the largest packet that fits: ICMPv6 packet too big for
 * an IPv6 packet, ICMP fragmentation needed (encap.c) for an IPv4 one.
 * icmpv6_send() takes its namespace from skb->dev; in LOCAL_OUT an IPv6
 * packet may have no device yet and its route's stands in.
 */
static void vipfwd6_too_big(struct sk_buff *skb, u8 family, unsigned int mtu)
{
	if (family == AF_INET) {
		vipfwd_ip4_frag_needed(skb, mtu);
		return;
	}
	if (!skb->dev && skb_dst(skb))
		skb->dev = skb_dst(skb)->dev;
	if (skb->dev)
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
}

/*
 * Push the outer header onto one packet and send it. Consumes @skb and
 * the reference on @dst.
 */
static int vipfwd6_xmit(struct net *net, struct sk_buff *skb,
			struct dst_entry *dst, const struct vipfwd_tnl6 *tnl,
			bool frag_outer)
{
	const struct flowi6 *fl6 = &tnl->fl6;
	struct ipv6hdr *ip6h;
	u8 dsfield, ipproto;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + tnl->hlen))
		goto err_nomem;

	/* skb_cow_head() may have moved the data. */
	if (tnl->family == AF_INET6) {
		dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
		ipproto = IPPROTO_IPV6;
	} else {
		dsfield = ipv4_get_dsfield(ip_hdr(skb));
		ipproto = IPPROTO_IPIP;
		skb_set_transport_header(skb, skb_network_offset(skb) +
					 ip_hdr(skb)->ihl * 4);
	}

	if (vipfwd_encap_prepare(skb, SKB_GSO_IPXIP6, ipproto))
		goto err_nomem;

	if (tnl->gue)
		vipfwd_gue_push(skb, ipproto, tnl->sport, tnl->dport);
	else
		skb->transport_header = skb->network_header;
	skb_push(skb, VIPFWD_IP6_HLEN);
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, dsfield, fl6->flowlabel);
	/* __ip6_local_out() sets it again (0 above IPV6_MAXPLEN). */
	ip6h->payload_len = htons(skb->len - VIPFWD_IP6_HLEN);
	ip6h->nexthdr = tnl->gue ? IPPROTO_UDP : ipproto;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6->saddr;
	ip6h->daddr = fl6->daddr;
	/* GUE: never a GSO packet here (vipfwd_encap6() segmented it). */
	if (tnl->gue)
		udp6_set_csum(false, skb, &ip6h->saddr, &ip6h->daddr,
			      skb->len - VIPFWD_IP6_HLEN);

	/* The outer packet creates no conntrack entry either. */
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);

	skb->protocol = htons(ETH_P_IPV6);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	/* ip6_fragment() refuses a packet larger than the MTU unless told
	 * that this host may fragment it.
	 */
	skb->ignore_df = frag_outer;
	skb_dst_set(skb, dst);

	ip6_local_out(net, skb->sk, skb);
	return 0;

err_nomem:
	dst_release(dst);
	vipfwd_drop(vipfwd_net(net), VIPFWD_DROP_NOMEM);
	kfree_skb(skb);
	return -ENOMEM;
}

int vipfwd_encap6(struct net *net, struct sk_buff *skb,
		  const struct vipfwd_frontend *fe,
		  const struct in6_addr *daddr, u32 hash)
{
	struct sk_buff *segs, *seg, *next;
	enum vipfwd_drop_reason reason;
	struct dst_entry *dst = NULL;
	unsigned int mtu, fit, room;
	struct vipfwd_tnl6 tnl;
	struct flowi6 *fl6 = &tnl.fl6;
	bool frag_outer;
	u8 family;
	int err;

	/* The packet has the VIP's family. */
	family = fe->family;
	tnl.family = family;
	tnl.gue = fe->encap == VIPFWD_ENCAP_GUE;

	memset(fl6, 0, sizeof(*fl6));
	fl6->daddr = *daddr;
	/* The frontend's source applies to outer headers of its family. */
	if (fe->source_family == AF_INET6)
		fl6->saddr = fe->source.ip6;
	if (tnl.gue) {
		tnl.sport = vipfwd_gue_sport(net, hash);
		tnl.dport = fe->gue_port;
		tnl.hlen = VIPFWD_IP6_HLEN + VIPFWD_GUE_HLEN;
		fl6->flowi6_proto = IPPROTO_UDP;
		fl6->fl6_sport = tnl.sport;
		fl6->fl6_dport = tnl.dport;
	} else {
		tnl.sport = 0;
		tnl.dport = 0;
		tnl.hlen = VIPFWD_IP6_HLEN;
		fl6->flowi6_proto = family == AF_INET6 ? IPPROTO_IPV6 :
							 IPPROTO_IPIP;
	}
	fl6->flowi6_mark = skb->mark;
	/* The inner flow's hash (computed once, cached in the skb). */
	fl6->flowlabel = cpu_to_be32(skb_get_hash(skb)) & IPV6_FLOWLABEL_MASK;

	/* Routes and, without a configured source, picks one. */
	err = ip6_dst_lookup(net, NULL, &dst, fl6);
	if (err) {
		reason = VIPFWD_DROP_NO_ROUTE;
		goto err_drop;
	}
	/* Only to another host: a local endpoint would decapsulate the
	 * packet here, addressed to the VIP, and loop.
	 */
	if ((dst->dev->flags & IFF_LOOPBACK) ||
	    (((struct rt6_info *)dst)->rt6i_flags & RTF_LOCAL)) {
		reason = VIPFWD_DROP_NO_ROUTE;
		err = -EHOSTUNREACH;
		goto err_dst;
	}

	mtu = dst_mtu(dst);
	fit = mtu > tnl.hlen ? mtu - tnl.hlen : 0;
	room = fit;
	if (family == AF_INET6) {
		room = max_t(unsigned int, room, IPV6_MIN_MTU);
		if (vipfwd6_inner6_too_big(skb, room)) {
			vipfwd6_too_big(skb, family, room);
			reason = VIPFWD_DROP_TOO_BIG;
			err = -EMSGSIZE;
			goto err_dst;
		}
	} else if (vipfwd_ip4_too_big(skb, room)) {
		vipfwd6_too_big(skb, family, room);
		reason = VIPFWD_DROP_TOO_BIG;
		err = -EMSGSIZE;
		goto err_dst;
	}
	/* What passed the checks above but does not fit the route (IPv4
	 * without DF, IPv6 between 1280 and a tiny route MTU) goes out in
	 * outer fragments. GSO segments fit, unless IPv4 without DF.
	 */
	frag_outer = skb->len > fit &&
		     (!skb_is_gso(skb) || family == AF_INET);

	/* Segment in software what the outer header cannot describe: a
	 * super-packet whose outer payload length would not fit 16 bits,
	 * one that is already a GSO tunnel packet, and any for GUE (its
	 * UDP checksum is computed per packet).
	 */
	if (likely(!skb_is_gso(skb) ||
		   (!tnl.gue && !skb->encapsulation &&
		    skb->len <= IPV6_MAXPLEN)))
		return vipfwd6_xmit(net, skb, dst, &tnl, frag_outer);

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		reason = VIPFWD_DROP_NOMEM;
		err = segs ? PTR_ERR(segs) : -EINVAL;
		goto err_dst;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		vipfwd6_xmit(net, seg, dst_clone(dst), &tnl, seg->len > fit);
	}
	dst_release(dst);
	return 0;

err_dst:
	dst_release(dst);
err_drop:
	vipfwd_drop(vipfwd_net(net), reason);
	kfree_skb(skb);
	return err;
}
