// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd netfilter hooks: find the packets addressed to a frontend and hand
 * them to the encapsulation.
 *
 * Two IPv4 hooks per namespace: PRE_ROUTING for traffic passing through
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
 *  - no frontend for (daddr, proto, dport): accepted untouched;
 *  - a fragment for a frontend: dropped, counted "fragment" (the ports of
 *    a non-first fragment are unknown, so only a frontend with port 0
 *    matches one);
 *  - a TCP/UDP header truncated or malformed, for a frontend: dropped,
 *    counted "malformed";
 *  - no eligible backend: dropped, counted "no backend";
 *  - otherwise encapsulated to the chosen backend; IP options are carried
 *    inside the tunnel unchanged.
 *
 * Runs under rcu_read_lock() (netfilter holds it around every hook), which
 * is what keeps fe, fe->pool, the scheduler table and the backend alive.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>

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
				       struct vipfwd_tuple *t)
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
	} else {
		if (!pskb_may_pull(skb, ihl + sizeof(struct udphdr)))
			return VIPFWD_PARSE_MALFORMED;
	}

	return VIPFWD_PARSE_OK;
}

static unsigned int vipfwd_hook4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct vipfwd_net *vn = vipfwd_net(state->net);
	enum vipfwd_drop_reason reason;
	const struct vipfwd_frontend *fe;
	struct vipfwd_backend *be;
	struct vipfwd_tuple t;
	unsigned int len;

	/* A host without frontends pays for this load and nothing else. */
	if (!READ_ONCE(vn->nr_frontends))
		return NF_ACCEPT;

	/* Like ip_forward(): not ours unless sent to this host at L2. */
	if (state->hook == NF_INET_PRE_ROUTING && skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;

	switch (vipfwd_parse4(skb, &t)) {
	case VIPFWD_PARSE_OK:
		break;
	case VIPFWD_PARSE_IGNORE:
		return NF_ACCEPT;
	case VIPFWD_PARSE_FRAGMENT:
		if (!vipfwd_frontend_lookup_rcu(vn, &t))
			return NF_ACCEPT;
		reason = VIPFWD_DROP_FRAGMENT;
		goto drop;
	case VIPFWD_PARSE_MALFORMED:
	default:
		if (!vipfwd_frontend_lookup_rcu(vn, &t))
			return NF_ACCEPT;
		reason = VIPFWD_DROP_MALFORMED;
		goto drop;
	}

	fe = vipfwd_frontend_lookup_rcu(vn, &t);
	if (!fe)
		return NF_ACCEPT;

	/* Only encap/ipip frontends exist so far: netlink.c refuses the
	 * others as not supported yet.
	 */
	be = vipfwd_sched_pick(rcu_dereference(fe->pool->sched),
			       vipfwd_tuple_hash(&t, fe->hash));
	if (!be) {
		reason = VIPFWD_DROP_NO_BACKEND;
		goto drop;
	}

	/* Counted once handed to the output path; encap frees the skb and
	 * counts its own drops otherwise.
	 */
	len = skb->len;
	if (!vipfwd_encap_ipip(state->net, skb, fe, be)) {
		vipfwd_stats_add(fe->stats, len);
		vipfwd_stats_add(be->stats, len);
	}
	return NF_STOLEN;

drop:
	vipfwd_drop(vn, reason);
	return NF_DROP;
}

/* Just before conntrack: what vipfwd takes, conntrack never sees. */
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
