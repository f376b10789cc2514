// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd IPIP encapsulation: wrap the client's packet, unchanged, in an
 * outer IPv4 header addressed to the backend (or its tunnel endpoint) and
 * send it from this host. The VIP stays the inner destination, so the
 * backend, which owns the VIP, answers the client directly.
 *
 * Called from both hooks:
 *  - PRE_ROUTING: a packet passing through; no route attached yet, any
 *    checksum state a driver or GRO left (including GSO super-packets);
 *  - LOCAL_OUT: this host's own packet, routed to the VIP; it may be a
 *    clone (TCP keeps the original for retransmission), checksum-partial
 *    and GSO, and belongs to a socket.
 * The inner bytes are never written: new headers go into the headroom,
 * which skb_cow_head() makes private first.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/dsfield.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
/* skb_gso_segment() and friends moved out of netdevice.h in 6.4. */
#if __has_include("net/gso.h")
#include <net/gso.h>
#endif

#include "vipfwd.h"

#define VIPFWD_IPIP_HLEN	sizeof(struct iphdr)

/*
 * Same rule as ip_forward(): DF set and a packet (for GSO, any segment)
 * larger than @mtu, or a reassembled packet whose largest fragment was.
 */
static bool vipfwd_exceeds_mtu(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (unlikely(IPCB(skb)->frag_max_size > mtu))
		return true;
	if (skb->ignore_df)
		return false;
	if (skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))
		return false;
	return true;
}

/*
 * Tell the sender the largest packet that fits through the tunnel.
 * icmp_send() takes its namespace and addressing from the packet's route.
 * In LOCAL_OUT the packet has one (to the VIP); the error loops back to the
 * local socket, which lowers its path MTU. In PRE_ROUTING there is none
 * yet, so route the packet as the stack would have (it is dropped right
 * after, the noref route never outlives this RCU section). Without any
 * route (no route back, martian source) no ICMP is sent.
 */
static void vipfwd_frag_needed(struct sk_buff *skb, unsigned int mtu)
{
	if (!skb_dst(skb)) {
		const struct iphdr *iph = ip_hdr(skb);

		if (!skb->dev ||
		    ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
					 skb->dev))
			return;
	}
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
}

/*
 * Push the outer header onto one packet (no super-packet above 64 KiB, no
 * GSO tunnel inside) and send it. Consumes @skb and the reference on @rt.
 */
static int vipfwd_ipip_xmit(struct net *net, struct sk_buff *skb,
			    struct rtable *rt, __be32 saddr, __be32 daddr)
{
	const struct iphdr *inner;
	struct iphdr *iph;
	u8 dsfield;
	__be16 df;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			      VIPFWD_IPIP_HLEN))
		goto err_nomem;

	/* skb_cow_head() may have moved the data. */
	inner = ip_hdr(skb);
	dsfield = ipv4_get_dsfield(inner);
	df = inner->frag_off & htons(IP_DF);
	skb_set_transport_header(skb, skb_network_offset(skb) + inner->ihl * 4);

	/* Inner headers are what GSO segments and offloads checksum. */
	if (iptunnel_handle_offloads(skb, SKB_GSO_IPXIP4))
		goto err_nomem;
	skb_set_inner_ipproto(skb, IPPROTO_IPIP);
	skb_set_inner_mac_header(skb, skb_inner_network_offset(skb));

	/* A received packet's timestamp is not a delivery time; our own
	 * keeps its socket's. The route to the VIP (LOCAL_OUT), any
	 * conntrack reference and extensions go.
	 */
	if (skb->dev)
		skb_clear_tstamp(skb);
	skb_scrub_packet(skb, false);

	skb->transport_header = skb->network_header;
	skb_push(skb, VIPFWD_IPIP_HLEN);
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = VIPFWD_IPIP_HLEN / 4;
	/* DSCP and ECN copied as they are (RFC 6040 normal mode), DF too. */
	iph->tos = dsfield;
	iph->frag_off = df;
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_IPIP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->tot_len = htons(skb->len);
	ip_select_ident_segs(net, skb, NULL, skb_shinfo(skb)->gso_segs ?: 1);
	ip_send_check(iph);	/* __ip_local_out() redoes it; harmless */

	/* The outer packet must not create a conntrack entry either. Both
	 * helpers are inline: no dependency on nf_conntrack.ko.
	 */
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);

	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	skb_dst_set(skb, &rt->dst);

	ip_local_out(net, skb->sk, skb);
	return 0;

err_nomem:
	ip_rt_put(rt);
	vipfwd_drop(vipfwd_net(net), VIPFWD_DROP_NOMEM);
	kfree_skb(skb);
	return -ENOMEM;
}

int vipfwd_encap_ipip(struct net *net, struct sk_buff *skb,
		      const struct vipfwd_frontend *fe,
		      const struct vipfwd_backend *be)
{
	const struct vipfwd_dest *dest;
	struct sk_buff *segs, *seg, *next;
	enum vipfwd_drop_reason reason;
	const struct iphdr *iph;
	struct flowi4 fl4;
	struct rtable *rt;
	unsigned int mtu;
	int err;

	/* The via can change under us (RCU-replaced): read it once. An
	 * IPv6 tunnel endpoint (via, else the backend's address) gets an
	 * outer IPv6 header (encap6.c). An IPv6 packet has no IPv4 outer
	 * header here (no 6in4): to an IPv4 endpoint it is dropped,
	 * counted as no route.
	 */
	dest = rcu_dereference(be->dest);
	if (dest ? dest->family == AF_INET6 : be->family == AF_INET6)
		return vipfwd_encap6(net, skb, fe,
				     dest ? &dest->addr.ip6 : &be->addr.ip6);
	if (fe->family == AF_INET6) {
		reason = VIPFWD_DROP_NO_ROUTE;
		err = -EAFNOSUPPORT;
		goto err_drop;
	}

	iph = ip_hdr(skb);

	/* IPv4 outer header; the frontend's source only if it is IPv4. */
	memset(&fl4, 0, sizeof(fl4));
	if (dest)
		fl4.daddr = dest->family == AF_INET ? dest->addr.ip : 0;
	else
		fl4.daddr = be->family == AF_INET ? be->addr.ip : 0;
	if (fe->source_family == AF_INET)
		fl4.saddr = fe->source.ip;
	if (!fl4.daddr) {
		reason = VIPFWD_DROP_NO_ROUTE;
		err = -EAFNOSUPPORT;
		goto err_drop;
	}
	fl4.flowi4_tos = RT_TOS(iph->tos);
	fl4.flowi4_proto = IPPROTO_IPIP;
	fl4.flowi4_mark = skb->mark;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		reason = VIPFWD_DROP_NO_ROUTE;
		err = PTR_ERR(rt);
		goto err_drop;
	}
	/* Only a unicast route to another host: sending to ourselves would
	 * come back decapsulated, addressed to the VIP, and loop.
	 */
	if (rt->rt_type != RTN_UNICAST) {
		reason = VIPFWD_DROP_NO_ROUTE;
		err = -EHOSTUNREACH;
		goto err_rt;
	}

	mtu = dst_mtu(&rt->dst);
	mtu = mtu > VIPFWD_IPIP_HLEN ? mtu - VIPFWD_IPIP_HLEN : 0;
	if (vipfwd_exceeds_mtu(skb, mtu)) {
		vipfwd_frag_needed(skb, mtu);
		reason = VIPFWD_DROP_TOO_BIG;
		err = -EMSGSIZE;
		goto err_rt;
	}

	/* Segment in software what the outer header cannot describe: a GSO
	 * super-packet that only fits 64 KiB without it (GRO builds those),
	 * or one that is already a GSO tunnel packet.
	 */
	if (likely(!skb_is_gso(skb) ||
		   (!skb->encapsulation &&
		    skb->len <= IP_MAX_MTU - VIPFWD_IPIP_HLEN)))
		return vipfwd_ipip_xmit(net, skb, rt, fl4.saddr, fl4.daddr);

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		reason = VIPFWD_DROP_NOMEM;
		err = segs ? PTR_ERR(segs) : -EINVAL;
		goto err_rt;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		vipfwd_ipip_xmit(net, seg, (struct rtable *)dst_clone(&rt->dst),
				 fl4.saddr, fl4.daddr);
	}
	ip_rt_put(rt);
	return 0;

err_rt:
	ip_rt_put(rt);
err_drop:
	vipfwd_drop(vipfwd_net(net), reason);
	kfree_skb(skb);
	return err;
}
