// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd encapsulation: wrap the client's packet, unchanged, in an outer
 * IPv4 header (IPIP), or in outer IPv4, UDP and GUE headers (GUE, gue.c),
 * addressed to the backend (or its tunnel endpoint) and send it from this
 * host. The VIP stays the inner destination, so the backend, which owns
 * the VIP, answers the client directly.
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

/* One frontend's tunnel to one backend, as vipfwd_encap4() resolved it. */
struct vipfwd_tnl4 {
	__be32		saddr;
	__be32		daddr;
	u8		encap;		/* enum vipfwd_encap */
	__be16		sport;		/* GUE only */
	__be16		dport;		/* GUE only */
	unsigned int	hlen;		/* every outer header's bytes */
};

/*
 * Same rule as ip_forward(): DF set and a packet (for GSO, any segment)
 * larger than @mtu, or a reassembled packet whose largest fragment was.
 */
bool vipfwd_ip4_too_big(const struct sk_buff *skb, unsigned int mtu)
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
void vipfwd_ip4_frag_needed(struct sk_buff *skb, unsigned int mtu)
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
 * Before the outer headers go on, for either outer family: declare the
 * tunnel to GSO and the offloads (@gso_type; the inner headers are what
 * they segment and checksum), then drop what belonged to the packet's
 * old life. A received packet's timestamp is not a delivery time (our own
 * keeps its socket's); the route to the VIP (LOCAL_OUT), any conntrack
 * reference and extensions go.
 */
int vipfwd_encap_prepare(struct sk_buff *skb, int gso_type, u8 inner_ipproto)
{
	int err = iptunnel_handle_offloads(skb, gso_type);

	if (err)
		return err;
	skb_set_inner_ipproto(skb, inner_ipproto);
	skb_set_inner_mac_header(skb, skb_inner_network_offset(skb));
	if (skb->dev)
		skb_clear_tstamp(skb);
	skb_scrub_packet(skb, false);
	return 0;
}

/*
 * Push the outer header onto one packet (no super-packet above 64 KiB, no
 * GSO tunnel inside) and send it. Consumes @skb and the reference on @rt.
 */
static int vipfwd_xmit4(struct net *net, struct sk_buff *skb,
			struct rtable *rt, const struct vipfwd_tnl4 *tnl)
{
	bool gue = tnl->encap == VIPFWD_ENCAP_GUE;
	const struct iphdr *inner;
	struct iphdr *iph;
	u8 dsfield;
	__be16 df;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) + tnl->hlen))
		goto err_nomem;

	/* skb_cow_head() may have moved the data. */
	inner = ip_hdr(skb);
	dsfield = ipv4_get_dsfield(inner);
	df = inner->frag_off & htons(IP_DF);
	skb_set_transport_header(skb, skb_network_offset(skb) + inner->ihl * 4);

	/* Inner headers are what GSO segments and offloads checksum. GUE:
	 * the outer IPv4 header's UDP segmentation strips UDP and GUE and
	 * hands the rest to the IP-in-IPv4 segmentation (SKB_GSO_IPXIP4 for
	 * its check), as for fou on tunl0. No _CSUM: the UDP checksum is 0.
	 */
	if (vipfwd_encap_prepare(skb, SKB_GSO_IPXIP4 |
				 (gue ? SKB_GSO_UDP_TUNNEL : 0), IPPROTO_IPIP))
		goto err_nomem;

	if (gue)
		vipfwd_gue_push(skb, IPPROTO_IPIP, tnl->sport, tnl->dport);
	else
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
	iph->protocol = gue ? IPPROTO_UDP : IPPROTO_IPIP;
	iph->saddr = tnl->saddr;
	iph->daddr = tnl->daddr;
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

/*
 * IPv4 outer header: IPIP or GUE. Consumes @skb. @hash identifies the
 * flow: the GUE source port follows it.
 */
static int vipfwd_encap4(struct net *net, struct sk_buff *skb,
			 const struct vipfwd_frontend *fe,
			 const struct vipfwd_backend *be,
			 const struct vipfwd_dest *dest, u32 hash)
{
	struct sk_buff *segs, *seg, *next;
	enum vipfwd_drop_reason reason;
	const struct iphdr *iph;
	struct vipfwd_tnl4 tnl;
	struct flowi4 fl4;
	struct rtable *rt;
	unsigned int mtu;
	int err;

	/* An IPv6 packet has no IPv4 outer header here (no 6in4): to an
	 * IPv4 endpoint it is dropped, counted as no route.
	 */
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

	tnl.encap = fe->encap;
	if (tnl.encap == VIPFWD_ENCAP_GUE) {
		tnl.sport = vipfwd_gue_sport(net, hash);
		tnl.dport = fe->gue_port;
		tnl.hlen = VIPFWD_IPIP_HLEN + VIPFWD_GUE_HLEN;
		fl4.flowi4_proto = IPPROTO_UDP;
		fl4.fl4_sport = tnl.sport;
		fl4.fl4_dport = tnl.dport;
	} else {
		tnl.sport = 0;
		tnl.dport = 0;
		tnl.hlen = VIPFWD_IPIP_HLEN;
		fl4.flowi4_proto = IPPROTO_IPIP;
	}
	fl4.flowi4_tos = RT_TOS(iph->tos);
	fl4.flowi4_mark = skb->mark;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		reason = VIPFWD_DROP_NO_ROUTE;
		err = PTR_ERR(rt);
		goto err_drop;
	}
	tnl.saddr = fl4.saddr;
	tnl.daddr = fl4.daddr;
	/* Only a unicast route to another host: sending to ourselves would
	 * come back decapsulated, addressed to the VIP, and loop.
	 */
	if (rt->rt_type != RTN_UNICAST) {
		reason = VIPFWD_DROP_NO_ROUTE;
		err = -EHOSTUNREACH;
		goto err_rt;
	}

	mtu = dst_mtu(&rt->dst);
	mtu = mtu > tnl.hlen ? mtu - tnl.hlen : 0;
	if (vipfwd_ip4_too_big(skb, mtu)) {
		vipfwd_ip4_frag_needed(skb, mtu);
		reason = VIPFWD_DROP_TOO_BIG;
		err = -EMSGSIZE;
		goto err_rt;
	}

	/* Segment in software what the outer headers cannot describe: a GSO
	 * super-packet that only fits 64 KiB without them (GRO builds
	 * those), or one that is already a GSO tunnel packet.
	 */
	if (likely(!skb_is_gso(skb) ||
		   (!skb->encapsulation && skb->len <= IP_MAX_MTU - tnl.hlen)))
		return vipfwd_xmit4(net, skb, rt, &tnl);

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		reason = VIPFWD_DROP_NOMEM;
		err = segs ? PTR_ERR(segs) : -EINVAL;
		goto err_rt;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		vipfwd_xmit4(net, seg, (struct rtable *)dst_clone(&rt->dst),
			     &tnl);
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

/*
 * The frontend's encapsulation towards @be; see vipfwd.h. The outer
 * family is the tunnel endpoint's: the via, else the backend's address.
 * The via can change under us (RCU-replaced): read it once.
 */
int vipfwd_encap(struct net *net, struct sk_buff *skb,
		 const struct vipfwd_frontend *fe,
		 const struct vipfwd_backend *be, u32 hash)
{
	const struct vipfwd_dest *dest = rcu_dereference(be->dest);

	if (dest ? dest->family == AF_INET6 : be->family == AF_INET6)
		return vipfwd_encap6(net, skb, fe,
				     dest ? &dest->addr.ip6 : &be->addr.ip6,
				     hash);
	return vipfwd_encap4(net, skb, fe, be, dest, hash);
}
