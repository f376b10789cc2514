// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd NAT mode: the frontend's address and port are translated to the
 * chosen backend's address and port (the frontend's backend-port, or the
 * port the client used), and the packet goes on through the stack's own
 * routing. Replies that come back through this host are translated back.
 *
 * Where each step happens (IPv4; an IPv6 variant adds *6 functions that
 * use the same reply index, whose key already holds either family):
 *  - client -> VIP:port, PRE_ROUTING or LOCAL_OUT (hook.c, the same hook
 *    as encapsulation, just before conntrack): the flow table decides the
 *    backend (vipfwd_flow_decide(), the frontend's hash mode picks), the
 *    destination becomes backend:P, the packet is marked untracked and
 *    accepted. PRE_ROUTING routes it afterwards; in LOCAL_OUT the route
 *    to the VIP is replaced (ip_route_me_harder()).
 *  - backend:P -> client, PRE_ROUTING: only marked untracked, so that
 *    conntrack sees neither direction of a NAT flow.
 *  - backend:P -> client, POST_ROUTING (forwarded) or LOCAL_IN (the client
 *    is this host): the source becomes VIP:port. Like the kernel's own
 *    NAT, after routing: a reply whose source is a local address (the VIP
 *    may be one) would be refused by the input route's source check.
 *
 * The reply index (nat_table.c, no netfilter in it so that the flow
 * table's KUnit suite links without) is an rhashtable of struct
 * vipfwd_nat_entry, each inside its NAT flow (flow.c). Rules:
 *  - lookups under RCU, no lock; insert and remove take the bucket lock;
 *  - flow.c links the entry before it publishes the flow and unlinks it
 *    when it unlinks the flow, before the flow's call_rcu(): whoever
 *    found an entry under RCU may read it (and its flow) until it leaves
 *    the read-side section;
 *  - an entry's key, vip and vport never change once linked;
 *  - vipfwd_nat_exit() runs when no reader is left (hooks gone), before
 *    the flows are freed, and frees nothing itself.
 *
 * Checksums are updated incrementally. A packet whose checksum the NIC
 * (or GSO) completes (CHECKSUM_PARTIAL) only gets its pseudo-header part
 * changed, as inet_proto_csum_replace4() does; a UDP packet without a
 * checksum keeps none.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "vipfwd.h"

/*
 * Rewrite the source (@src) or destination of the IPv4 TCP/UDP packet
 * whose IP header is at @off to @addr:@port. @inner: the packet is the
 * one an ICMP error quotes; only its first 8 transport bytes are sure to
 * be there (a checksum beyond what is quoted is left alone, as the
 * kernel's NAT does), and the skb's checksum state is the outer packet's (the caller
 * recomputes the ICMP checksum). Pointers into the packet are stale after.
 */
int vipfwd_nat_manip4(struct sk_buff *skb, unsigned int off, bool src,
		      __be32 addr, __be16 port, bool inner)
{
	unsigned int l4off, need;
	__sum16 *check = NULL;
	struct iphdr *iph;
	__be16 *ports;
	__be32 *paddr;
	__be16 *pport;
	u8 proto;

	iph = (struct iphdr *)(skb->data + off);
	proto = iph->protocol;
	l4off = off + iph->ihl * 4;
	need = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
				      sizeof(struct udphdr);
	/* The caller has checked that the ports are there. */
	if (inner && skb->len < l4off + need)
		need = skb->len - l4off;
	if (skb_ensure_writable(skb, l4off + need))
		return -ENOMEM;

	iph = (struct iphdr *)(skb->data + off);
	ports = (__be16 *)(skb->data + l4off);
	paddr = src ? &iph->saddr : &iph->daddr;
	pport = src ? &ports[0] : &ports[1];
	if (proto == IPPROTO_TCP) {
		if (need >= sizeof(struct tcphdr))
			check = &((struct tcphdr *)ports)->check;
	} else if (need >= sizeof(struct udphdr)) {
		check = &((struct udphdr *)ports)->check;
		/* No UDP checksum: none to keep (unless one is pending). */
		if (!*check && (inner || skb->ip_summed != CHECKSUM_PARTIAL))
			check = NULL;
	}

	if (check && inner) {
		csum_replace4(check, *paddr, addr);
		csum_replace2(check, *pport, port);
	} else if (check) {
		inet_proto_csum_replace4(check, skb, *paddr, addr, true);
		inet_proto_csum_replace2(check, skb, *pport, port, false);
	}
	if (check && proto == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
	csum_replace4(&iph->check, *paddr, addr);
	*paddr = addr;
	*pport = port;
	return 0;
}

/*
 * A client's packet for a NAT frontend, @d the flow table's decision
 * (d->be set). Returns the verdict; the packet stays ours to count.
 */
unsigned int vipfwd_nat4_forward(struct vipfwd_net *vn, struct sk_buff *skb,
				 const struct vipfwd_frontend *fe,
				 const struct vipfwd_decision *d,
				 const struct nf_hook_state *state)
{
	const struct vipfwd_backend *be = d->be;
	enum vipfwd_drop_reason reason;
	unsigned int len = skb->len;

	/* Without a flow the replies could not be translated back: a
	 * stateless fallback would only make the client's packets reach a
	 * backend whose answers it drops.
	 */
	if (d->why == VIPFWD_WHY_TABLE_FULL) {
		reason = d->nat_collision ? VIPFWD_DROP_NAT_COLLISION :
					    VIPFWD_DROP_NAT_UNTRACKED;
		goto drop;
	}
	if (be->family != AF_INET) {
		reason = VIPFWD_DROP_NO_ROUTE;
		goto drop;
	}
	if (vipfwd_nat_manip4(skb, skb_network_offset(skb), false,
			      be->addr.ip, d->be_port, false)) {
		reason = VIPFWD_DROP_NOMEM;
		goto drop;
	}
	/* Neither direction of a NAT flow creates a conntrack entry. */
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	if (state->hook == NF_INET_LOCAL_OUT &&
	    ip_route_me_harder(state->net, state->sk, skb, RTN_UNSPEC)) {
		reason = VIPFWD_DROP_NO_ROUTE;
		goto drop;
	}
	vipfwd_stats_add(fe->stats, len);
	vipfwd_stats_add(be->stats, len);
	return NF_ACCEPT;

drop:
	vipfwd_drop(vn, reason);
	return NF_DROP;
}

static void vipfwd_nat_reply_key(struct vipfwd_nat_key *k,
				 const struct vipfwd_tuple *t)
{
	memset(k, 0, sizeof(*k));
	k->family = t->family;
	k->proto = t->proto;
	k->saddr = t->saddr;
	k->daddr = t->daddr;
	k->sport = t->sport;
	k->dport = t->dport;
}

/* PRE_ROUTING, a packet no frontend takes: is it a NAT flow's reply? */
void vipfwd_nat4_reply_untrack(struct vipfwd_net *vn, struct sk_buff *skb,
			       const struct vipfwd_tuple *t)
{
	struct vipfwd_nat_key k;

	if (!vipfwd_nat_active(vn) || skb_nfct(skb))
		return;
	vipfwd_nat_reply_key(&k, t);
	if (vipfwd_nat_lookup(vn, &k))
		nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

/*
 * POST_ROUTING / LOCAL_IN: a NAT flow's reply gets the VIP and port back
 * as its source. Anything else, fragments included (a later fragment
 * has no ports; a NAT flow's replies are expected unfragmented, as the
 * client's packets are), is left alone.
 */
unsigned int vipfwd_nat4_reply(struct vipfwd_net *vn, struct sk_buff *skb)
{
	const struct vipfwd_nat_entry *e;
	const struct iphdr *iph;
	struct vipfwd_nat_key k;
	__be16 _ports[2];
	const __be16 *ports;

	iph = ip_hdr(skb);
	if ((iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP) ||
	    ip_is_fragment(iph))
		return NF_ACCEPT;
	ports = skb_header_pointer(skb, skb_network_offset(skb) +
				   iph->ihl * 4, sizeof(_ports), _ports);
	if (!ports)
		return NF_ACCEPT;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.proto = iph->protocol;
	k.saddr.ip = iph->saddr;
	k.daddr.ip = iph->daddr;
	k.sport = ports[0];
	k.dport = ports[1];
	e = vipfwd_nat_lookup(vn, &k);
	if (!e)
		return NF_ACCEPT;
	if (vipfwd_nat_manip4(skb, skb_network_offset(skb), true, e->vip.ip,
			      e->vport, false)) {
		vipfwd_drop(vn, VIPFWD_DROP_NOMEM);
		return NF_DROP;
	}
	return NF_ACCEPT;
}
