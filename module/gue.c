// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd GUE encapsulation: the UDP and GUE headers between the outer IP
 * header and the client's packet, in the form a stock Linux backend
 * decapsulates with `ip fou add port N gue` and tunl0 (or ip6tnl0/sit0):
 *
 *   outer IP | UDP sport=f(flow) dport=gue-port | GUE | inner IP packet
 *
 * GUE variant 0 with no options or flags: 4 bytes, version 0, C 0, hlen 0,
 * proto/ctype the inner packet's IP protocol number (IPPROTO_IPIP for an
 * inner IPv4 packet, IPPROTO_IPV6 for an inner IPv6 one); fou hands the
 * packet on to that protocol's tunnel handler.
 *
 * Nothing here depends on the outer IP family: the caller pushes the outer
 * header after these two and, for an outer IPv6 header (a zero UDP
 * checksum is not valid there by default), fills the UDP checksum.
 */
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/gue.h>
#include <net/ip.h>

#include "vipfwd.h"

/*
 * The UDP source port of a flow: its hash spread over this namespace's
 * ephemeral port range, as udp_flow_src_port() does for the kernel's own
 * tunnels. Every packet of a flow carries the same port (no reordering on
 * the way), different flows different ports: the backend's NIC spreads
 * them over its receive queues (RSS on the outer 4-tuple), and ECMP
 * routers along the underlay over their paths.
 */
__be16 vipfwd_gue_sport(struct net *net, u32 hash)
{
	int low, high;

	inet_get_local_port_range(net, &low, &high);
	if (unlikely(high <= low))
		return htons(low);
	/* Fold the high bits in: the multiplication keeps only the top ones. */
	hash ^= hash << 16;
	return htons((((u64)hash * (high - low + 1)) >> 32) + low);
}

/*
 * Push the GUE and UDP headers in front of the inner packet at skb->data.
 * The caller made the headroom private and large enough
 * (VIPFWD_GUE_HLEN more than its outer IP header needs) and declared the
 * GSO type (SKB_GSO_UDP_TUNNEL[_CSUM]) and the inner headers before. The
 * UDP checksum is left zero; the transport header ends at the UDP header,
 * which is what UDP tunnel segmentation (skb_udp_tunnel_segment()) reads:
 * the tunnel header is everything from there to the inner network header.
 */
void vipfwd_gue_push(struct sk_buff *skb, u8 inner_proto, __be16 sport,
		     __be16 dport)
{
	struct guehdr *gh;
	struct udphdr *uh;

	BUILD_BUG_ON(sizeof(*uh) + sizeof(*gh) != VIPFWD_GUE_HLEN);
	gh = skb_push(skb, sizeof(*gh));
	gh->word = 0;		/* version 0, data message, no options */
	gh->proto_ctype = inner_proto;

	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	/* A GSO packet's length is per segment, set again by segmentation. */
	uh->len = htons(min_t(unsigned int, skb->len, U16_MAX));
	uh->check = 0;
}
