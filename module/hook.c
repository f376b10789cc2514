// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd netfilter hooks: find the packets addressed to a frontend and hand
 * them to the encapsulation.
 *
 * Two hooks per family and namespace: PRE_ROUTING for traffic passing through
 * (the VIP need not be a local address) and LOCAL_OUT for traffic this host
 * sends to a VIP itself. Both run just before conntrack, so a packet vipfwd
 * takes never creates a conntrack entry (and the encapsulated packet is
 * marked untracked in encap.c). If nf_defrag_ipv4 is loaded in the
 * namespace (conntrack in use), fragments are reassembled at a higher
 * priority than ours and we see whole packets.
 *
 * Behaviour per packet (documented in docs/architecture.md):
 *  - namespace without frontends, not IPv4 TCP/UDP, or (PRE_ROUTING) not
 *    addressed to this host at L2: accepted untouched;
 *  - no frontend for (daddr, proto, dport): accepted untouched, except
 *    that in PRE_ROUTING a reply from a frontend's (VIP, port) is marked
 *    untracked (see vipfwd_untrack_reply());
 *  - a fragment for a frontend: dropped, counted "fragment" (the ports of
 *    a non-first fragment are unknown, so only a frontend with port 0
 *    matches one);
 *  - a TCP/UDP header truncated or malformed, for a frontend: dropped,
 *    counted "malformed";
 *  - otherwise the flow table decides (vipfwd_flow_decide(): the flow's
 *    backend, or a new pick that it then remembers);
 *  - no eligible backend: dropped, counted "no backend"; with the
 *    frontend's "no-backend reject", the client also gets a TCP RST or an
 *    ICMP port unreachable, counted "rejected";
 *  - otherwise encapsulated to the chosen backend; IP options are carried
 *    inside the tunnel unchanged; or, for a frontend in mode nat,
 *    translated to the backend and accepted (nat.c);
 *  - ICMP: errors about a tracked flow go to icmp.c; other ICMP is
 *    accepted untouched.
 *
 * Two more hooks, POST_ROUTING and LOCAL_IN, translate the replies of NAT
 * flows (and ICMP errors about them) back; they cost one load while the
 * namespace has no NAT flow.
 *
 * Runs under rcu_read_lock() (netfilter holds it around every hook), which
 * is what keeps fe, fe->pool, the scheduler table, the flow and the
 * backend alive.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#include <net/tcp.h>

#include "vipfwd.h"

enum vipfwd_parse {
	VIPFWD_PARSE_OK,
	VIPFWD_PARSE_IGNORE,		/* not a packet vipfwd handles */
	VIPFWD_PARSE_FRAGMENT,
	VIPFWD_PARSE_MALFORMED,
};

/*
 * Fill @t from an IPv4 packet. The tuple holds as much as could be read
 * (ports stay 0 when they are not there), so a packet we refuse can still
 * be matched against the frontends to decide whether it was meant for one.
 * May reallocate the header: callers re-read every pointer afterwards.
 */
static enum vipfwd_parse vipfwd_parse4(struct sk_buff *skb,
				       struct vipfwd_tuple *t, u8 *tcp_flags)
{
	const struct iphdr *iph;
	unsigned int ihl;
	__be16 _ports[2];
	const __be16 *ports;

	/* ip_rcv() and the local output paths have validated the IP header;
	 * check anyway, it costs nothing when the header is linear.
	 */
	if (!pskb_may_pull(skb, sizeof(*iph)))
		return VIPFWD_PARSE_IGNORE;
	iph = ip_hdr(skb);
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph))
		return VIPFWD_PARSE_IGNORE;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return VIPFWD_PARSE_IGNORE;

	memset(t, 0, sizeof(*t));
	t->family = AF_INET;
	t->proto = iph->protocol;
	t->saddr.ip = iph->saddr;
	t->daddr.ip = iph->daddr;

	if (!pskb_may_pull(skb, ihl))
		return VIPFWD_PARSE_MALFORMED;
	iph = ip_hdr(skb);

	/* Ports of a first fragment are there; of later ones they are not. */
	if (!(iph->frag_off & htons(IP_OFFSET))) {
		ports = skb_header_pointer(skb, ihl, sizeof(_ports), _ports);
		if (ports) {
			t->sport = ports[0];
			t->dport = ports[1];
		}
	} else {
		ports = NULL;
	}

	if (ip_is_fragment(iph))
		return VIPFWD_PARSE_FRAGMENT;
	if (!ports)
		return VIPFWD_PARSE_MALFORMED;

	if (t->proto == IPPROTO_TCP) {
		const struct tcphdr *th;
		unsigned int thlen;

		if (!pskb_may_pull(skb, ihl + sizeof(*th)))
			return VIPFWD_PARSE_MALFORMED;
		th = (const struct tcphdr *)(skb_network_header(skb) + ihl);
		thlen = th->doff * 4;
		if (thlen < sizeof(*th) || ihl + thlen > skb->len)
			return VIPFWD_PARSE_MALFORMED;
		*tcp_flags = (th->syn ? VIPFWD_TCP_SYN : 0) |
			     (th->ack ? VIPFWD_TCP_ACK : 0) |
			     (th->fin ? VIPFWD_TCP_FIN : 0) |
			     (th->rst ? VIPFWD_TCP_RST : 0);
	} else {
		if (!pskb_may_pull(skb, ihl + sizeof(struct udphdr)))
			return VIPFWD_PARSE_MALFORMED;
	}

	return VIPFWD_PARSE_OK;
}

/*
 * A TCP RST from the VIP to the client, as the backend would have sent
 * it (RFC 9293 3.10.7.1): it answers the client's segment, from the VIP,
 * so the address is not ours and the route must allow any source. Never
 * for a RST, nor for a segment whose checksum is wrong.
 */
static void vipfwd_send_rst(struct net *net, struct sk_buff *oldskb,
			    unsigned int hook)
{
	const struct iphdr *oiph = ip_hdr(oldskb);
	unsigned int ihl = oiph->ihl * 4;
	const struct tcphdr *oth;
	struct sk_buff *nskb;
	struct tcphdr _oth, *th;
	struct flowi4 fl4;
	struct iphdr *iph;
	struct rtable *rt;
	u32 seglen;

	oth = skb_header_pointer(oldskb, ihl, sizeof(_oth), &_oth);
	if (!oth || oth->rst)
		return;
	if (!skb_csum_unnecessary(oldskb) &&
	    nf_ip_checksum(oldskb, hook, ihl, IPPROTO_TCP))
		return;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = oiph->saddr;
	fl4.saddr = oiph->daddr;
	fl4.flowi4_proto = IPPROTO_TCP;
	fl4.flowi4_flags = FLOWI_FLAG_ANYSRC;
	fl4.flowi4_mark = oldskb->mark;
	fl4.fl4_sport = oth->dest;
	fl4.fl4_dport = oth->source;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return;

	nskb = alloc_skb(LL_RESERVED_SPACE(rt->dst.dev) + sizeof(*iph) +
			 sizeof(*th), GFP_ATOMIC);
	if (!nskb) {
		ip_rt_put(rt);
		return;
	}
	skb_reserve(nskb, LL_RESERVED_SPACE(rt->dst.dev));
	skb_reset_network_header(nskb);
	iph = skb_put_zero(nskb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = oiph->daddr;
	iph->daddr = oiph->saddr;

	skb_set_transport_header(nskb, sizeof(*iph));
	th = skb_put_zero(nskb, sizeof(*th));
	th->source = oth->dest;
	th->dest = oth->source;
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	if (oth->ack) {
		th->seq = oth->ack_seq;
	} else {
		seglen = oldskb->len - ihl - oth->doff * 4 + oth->syn + oth->fin;
		th->ack = 1;
		th->ack_seq = htonl(ntohl(oth->seq) + seglen);
	}
	th->check = tcp_v4_check(sizeof(*th), iph->saddr, iph->daddr,
				 csum_partial(th, sizeof(*th), 0));
	nskb->ip_summed = CHECKSUM_NONE;
	nskb->protocol = htons(ETH_P_IP);
	nskb->mark = oldskb->mark;
	skb_dst_set(nskb, &rt->dst);
	ip_select_ident(net, nskb, NULL);
	/* No conntrack entry for our answer either. */
	nf_ct_set(nskb, NULL, IP_CT_UNTRACKED);
	/* __ip_local_out() fills in the length and the header checksum. */
	ip_local_out(net, NULL, nskb);
}

/*
 * ICMP port unreachable to the client. icmp_send() takes its namespace
 * and addresses from the packet's route; in PRE_ROUTING there is none yet,
 * so route it as the stack would (noref: the packet is dropped right
 * after, inside this RCU section).
 */
static void vipfwd_send_unreach(struct sk_buff *skb, unsigned int hook)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (!skb_csum_unnecessary(skb) &&
	    nf_ip_checksum(skb, hook, iph->ihl * 4, IPPROTO_UDP))
		return;
	if (!skb_dst(skb) &&
	    (!skb->dev || ip_route_input_noref(skb, iph->daddr, iph->saddr,
					       iph->tos, skb->dev)))
		return;
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
}

/*
 * A reply from a frontend's VIP and port that passes through this host
 * (the backend answers a client whose path back crosses us, or a
 * connection of this host itself): its flow is vipfwd's, so conntrack
 * leaves it alone too. It costs a non-VIP packet one more frontend
 * bucket lookup, by source address.
 */
static void vipfwd_untrack_reply(struct vipfwd_net *vn, struct sk_buff *skb,
				 const struct vipfwd_tuple *t)
{
	struct vipfwd_tuple r = {
		.family	= t->family,
		.proto	= t->proto,
		.sport	= t->dport,
		.dport	= t->sport,
		.saddr	= t->daddr,
		.daddr	= t->saddr,
	};

	if (!skb_nfct(skb) && vipfwd_frontend_lookup_rcu(vn, &r))
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

/*
 * "no-backend reject" for IPv6: an ICMPv6 port unreachable, for TCP too
 * (a client's connect() fails with ECONNREFUSED as it would on a RST;
 * building the RST needs nf_reject_ipv6, which vipfwd does not depend
 * on). icmpv6_send() takes its namespace from skb->dev; in LOCAL_OUT the
 * packet may have none yet, its route's device stands in.
 */
static void vipfwd_send_unreach6(struct sk_buff *skb)
{
	if (!skb->dev && skb_dst(skb))
		skb->dev = skb_dst(skb)->dev;
	if (!skb->dev)
		return;
	icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
}

/*
 * The frontend a packet we could not parse was meant for, to count its
 * drop. Without a protocol (IPv6 extension headers that ended early) only
 * a frontend for all ports of TCP, UDP or any protocol can have been
 * meant; IPv4 always has one.
 */
static const struct vipfwd_frontend *
vipfwd_lookup_unparsed(struct vipfwd_net *vn, struct vipfwd_tuple *t)
{
	const struct vipfwd_frontend *fe;

	if (t->proto)
		return vipfwd_frontend_lookup_rcu(vn, t);
	t->proto = IPPROTO_TCP;
	fe = vipfwd_frontend_lookup_rcu(vn, t);
	if (!fe) {
		t->proto = IPPROTO_UDP;
		fe = vipfwd_frontend_lookup_rcu(vn, t);
	}
	return fe;
}

/*
 * A parsed TCP/UDP packet of either family: find its frontend, let the
 * flow table decide (vipfwd_flow_decide()), then reject, translate (NAT,
 * IPv4 only: netlink.c refuses it for IPv6 VIPs) or encapsulate.
 */
static unsigned int vipfwd_handle(struct vipfwd_net *vn, struct sk_buff *skb,
				  const struct nf_hook_state *state,
				  const struct vipfwd_tuple *t, u8 tcp_flags)
{
	const struct vipfwd_frontend *fe;
	struct vipfwd_decision d;
	struct vipfwd_backend *be;
	unsigned int len;

	fe = vipfwd_frontend_lookup_rcu(vn, t);
	if (!fe) {
		if (state->hook == NF_INET_PRE_ROUTING) {
			vipfwd_untrack_reply(vn, skb, t);
			if (t->family == AF_INET)
				vipfwd_nat4_reply_untrack(vn, skb, t);
		}
		return NF_ACCEPT;
	}

	vipfwd_flow_decide(vn, fe, t, tcp_flags, true, &d);
	be = d.be;
	if (unlikely(!be)) {
		if (fe->no_backend == VIPFWD_NO_BACKEND_REJECT) {
			if (t->family == AF_INET6)
				vipfwd_send_unreach6(skb);
			else if (t->proto == IPPROTO_TCP)
				vipfwd_send_rst(state->net, skb, state->hook);
			else
				vipfwd_send_unreach(skb, state->hook);
			vipfwd_count(vn, VIPFWD_CNT_REJECTED);
		}
		vipfwd_drop(vn, VIPFWD_DROP_NO_BACKEND);
		return NF_DROP;
	}

	if (fe->mode == VIPFWD_MODE_NAT)
		return vipfwd_nat4_forward(vn, skb, fe, &d, state);

	/* Counted once handed to the output path; encap frees the skb and
	 * counts its own drops otherwise. The outer family follows the
	 * backend (encap.c).
	 */
	len = skb->len;
	if (!vipfwd_encap(state->net, skb, fe, be, vipfwd_encap_hash(fe, t))) {
		vipfwd_stats_add(fe->stats, len);
		vipfwd_stats_add(be->stats, len);
	}
	return NF_STOLEN;
}

/*
 * What the parser said, for either family: a packet to handle, one that
 * is not ours, or one refused (counted when it was meant for a frontend,
 * passed untouched otherwise).
 */
static unsigned int vipfwd_after_parse(struct vipfwd_net *vn,
				       struct sk_buff *skb,
				       const struct nf_hook_state *state,
				       enum vipfwd_parse parsed,
				       struct vipfwd_tuple *t, u8 tcp_flags)
{
	enum vipfwd_drop_reason reason;

	switch (parsed) {
	case VIPFWD_PARSE_OK:
		return vipfwd_handle(vn, skb, state, t, tcp_flags);
	case VIPFWD_PARSE_IGNORE:
		return NF_ACCEPT;
	case VIPFWD_PARSE_FRAGMENT:
		reason = VIPFWD_DROP_FRAGMENT;
		break;
	case VIPFWD_PARSE_MALFORMED:
	default:
		reason = VIPFWD_DROP_MALFORMED;
		break;
	}
	if (!vipfwd_lookup_unparsed(vn, t))
		return NF_ACCEPT;
	vipfwd_drop(vn, reason);
	return NF_DROP;
}

static unsigned int vipfwd_hook4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct vipfwd_net *vn = vipfwd_net(state->net);
	enum vipfwd_parse parsed;
	struct vipfwd_tuple t;
	u8 tcp_flags = 0;

	/* A host without frontends pays for this load and nothing else. */
	if (!READ_ONCE(vn->nr_frontends))
		return NF_ACCEPT;

	/* Like ip_forward(): not ours unless sent to this host at L2. */
	if (state->hook == NF_INET_PRE_ROUTING && skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;

	if (ip_hdr(skb)->protocol == IPPROTO_ICMP)
		return vipfwd_icmp4_in(vn, skb, state);

	parsed = vipfwd_parse4(skb, &t, &tcp_flags);
	return vipfwd_after_parse(vn, skb, state, parsed, &t, tcp_flags);
}

/*
 * After routing: NAT flows' replies (and ICMP errors about NAT flows)
 * going to the client get the VIP back as their source (nat.c, icmp.c).
 */
static unsigned int vipfwd_hook4_nat_out(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	struct vipfwd_net *vn = vipfwd_net(state->net);

	if (!vipfwd_nat_active(vn))
		return NF_ACCEPT;
	if (ip_hdr(skb)->protocol == IPPROTO_ICMP)
		return vipfwd_icmp4_reply(vn, skb);
	return vipfwd_nat4_reply(vn, skb);
}

/*
 * IPv6 (docs/architecture.md, "Packet path (IPv6)"): the same decisions as
 * vipfwd_hook4(), in functions of their own so that the IPv4 path keeps its
 * cost. Extension headers are skipped with ipv6_skip_exthdr(); a packet
 * whose chain of extension headers ends early (truncated, or "no next
 * header") has no known protocol or ports and is matched like a later
 * fragment: only against frontends for all ports, of TCP or UDP.
 * ICMPv6 errors about a flow go to icmp.c (vipfwd_icmp6_in()); other
 * ICMPv6 (so neighbour discovery) and every other protocol pass.
 */
static enum vipfwd_parse vipfwd_parse6(struct sk_buff *skb,
				       struct vipfwd_tuple *t, u8 *tcp_flags)
{
	const struct ipv6hdr *ip6h;
	__be16 _ports[2], frag_off;
	const __be16 *ports;
	u8 nexthdr;
	int off;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return VIPFWD_PARSE_IGNORE;
	ip6h = ipv6_hdr(skb);
	if (ip6h->version != 6)
		return VIPFWD_PARSE_IGNORE;

	memset(t, 0, sizeof(*t));
	t->family = AF_INET6;
	t->saddr.ip6 = ip6h->saddr;
	t->daddr.ip6 = ip6h->daddr;

	nexthdr = ip6h->nexthdr;
	/* Fast exit for what is neither TCP nor UDP nor an extension
	 * header: ICMPv6 (neighbour discovery) above all.
	 */
	if (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP &&
	    !ipv6_ext_hdr(nexthdr))
		return VIPFWD_PARSE_IGNORE;

	off = ipv6_skip_exthdr(skb, sizeof(*ip6h), &nexthdr, &frag_off);
	if (off < 0)
		return VIPFWD_PARSE_MALFORMED;	/* t->proto stays 0 */

	/* A later fragment stops the walk at its fragment header; what it
	 * carries is that header's next header.
	 */
	if (frag_off & htons(IP6_OFFSET)) {
		const u8 *fnh = skb_header_pointer(skb, off, sizeof(nexthdr),
						   &nexthdr);

		if (!fnh || (*fnh != IPPROTO_TCP && *fnh != IPPROTO_UDP))
			return VIPFWD_PARSE_IGNORE;
		t->proto = *fnh;
		return VIPFWD_PARSE_FRAGMENT;
	}
	if (nexthdr != IPPROTO_TCP && nexthdr != IPPROTO_UDP)
		return VIPFWD_PARSE_IGNORE;
	t->proto = nexthdr;

	ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
	if (ports) {
		t->sport = ports[0];
		t->dport = ports[1];
	}
	/* First fragment (MF set): its ports are read, it is still a
	 * fragment. A fragment header with offset 0 and MF clear (an
	 * "atomic fragment", RFC 6946) is a whole packet.
	 */
	if (frag_off)
		return VIPFWD_PARSE_FRAGMENT;
	if (!ports)
		return VIPFWD_PARSE_MALFORMED;

	if (t->proto == IPPROTO_TCP) {
		const struct tcphdr *th;
		struct tcphdr _th;
		unsigned int thlen;

		th = skb_header_pointer(skb, off, sizeof(_th), &_th);
		if (!th)
			return VIPFWD_PARSE_MALFORMED;
		thlen = th->doff * 4;
		if (thlen < sizeof(*th) || off + thlen > skb->len)
			return VIPFWD_PARSE_MALFORMED;
		*tcp_flags = (th->syn ? VIPFWD_TCP_SYN : 0) |
			     (th->ack ? VIPFWD_TCP_ACK : 0) |
			     (th->fin ? VIPFWD_TCP_FIN : 0) |
			     (th->rst ? VIPFWD_TCP_RST : 0);
	} else if (off + sizeof(struct udphdr) > skb->len) {
		return VIPFWD_PARSE_MALFORMED;
	}
	return VIPFWD_PARSE_OK;
}

static unsigned int vipfwd_hook6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct vipfwd_net *vn = vipfwd_net(state->net);
	enum vipfwd_parse parsed;
	struct vipfwd_tuple t;
	u8 tcp_flags = 0;

	if (!READ_ONCE(vn->nr_frontends))
		return NF_ACCEPT;
	if (state->hook == NF_INET_PRE_ROUTING && skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;

	/* ip6_rcv_core() pulled the IPv6 header. */
	if (ipv6_hdr(skb)->nexthdr == IPPROTO_ICMPV6)
		return vipfwd_icmp6_in(vn, skb, state);

	parsed = vipfwd_parse6(skb, &t, &tcp_flags);
	return vipfwd_after_parse(vn, skb, state, parsed, &t, tcp_flags);
}

/* Just before conntrack: what vipfwd takes, conntrack never sees. The
 * NAT reply hooks sit where the kernel's source NAT does.
 */
static const struct nf_hook_ops vipfwd_nf_ops[] = {
	{
		.hook		= vipfwd_hook4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_CONNTRACK - 1,
	},
	{
		.hook		= vipfwd_hook4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_CONNTRACK - 1,
	},
	{
		.hook		= vipfwd_hook4_nat_out,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_POST_ROUTING,
		.priority	= NF_IP_PRI_NAT_SRC,
	},
	{
		.hook		= vipfwd_hook4_nat_out,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_NAT_SRC,
	},
	{
		.hook		= vipfwd_hook6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP6_PRI_CONNTRACK - 1,
	},
	{
		.hook		= vipfwd_hook6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_CONNTRACK - 1,
	},
};

int vipfwd_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, vipfwd_nf_ops,
				     ARRAY_SIZE(vipfwd_nf_ops));
}

void vipfwd_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, vipfwd_nf_ops, ARRAY_SIZE(vipfwd_nf_ops));
}
