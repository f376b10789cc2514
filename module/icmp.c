// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd ICMP errors about tracked flows: IPv4 (encap and nat frontends)
 * and, at the end, ICMPv6 (encap frontends).
 *
 * Which errors: destination unreachable (fragmentation needed included),
 * time exceeded and parameter problem, whose quoted packet is TCP or UDP
 * with at least its ports. Everything else ICMP (echo requests to a VIP
 * included) is not ours: accepted untouched here, and the VIP guard of
 * vipctl (nft, priority -199, after our hooks) drops what is addressed
 * to a VIP.
 *
 * Toward the backend (PRE_ROUTING / LOCAL_OUT, vipfwd_icmp4_in()): an
 * error addressed to a VIP about a packet from VIP:port to a client is
 * about a reply of the flow client -> VIP:port. When that flow exists (a
 * lookup that never creates one), the error goes to its backend:
 *  - encap frontends: encapsulated unchanged, as the flow's packets are;
 *    the backend's stack matches the quoted packet to its socket;
 *  - nat frontends: the quoted packet becomes backend:P -> client, the
 *    outer destination the backend; routed on like the flow's packets.
 * Without a flow the error is left alone (and the guard drops it).
 *
 * Toward the client (POST_ROUTING / LOCAL_IN, vipfwd_icmp4_reply(), nat
 * only): an error about a packet client -> backend:P of a NAT flow, on its
 * way to the client, gets the quoted destination translated to VIP:port,
 * and when the backend itself sent the error, the outer source becomes the
 * VIP. PRE_ROUTING marks such an error untracked (vipfwd_icmp4_in()).
 *
 * The ICMP checksum is checked before anything is changed (a corrupt
 * error is left alone) and recomputed over the whole message after.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "vipfwd.h"

/* What an ICMP error says, read without changing the packet. */
struct vipfwd_icmp_err {
	unsigned int	inner_off;	/* quoted IP header, from skb->data */
	__be32		outer_saddr;
	__be32		outer_daddr;
	/* the quoted packet, as it was sent */
	struct vipfwd_tuple q;
};

static bool vipfwd_icmp_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

static bool vipfwd_icmp4_parse(struct sk_buff *skb,
			       struct vipfwd_icmp_err *err)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int off = skb_network_offset(skb) + iph->ihl * 4;
	struct icmphdr _ih;
	const struct icmphdr *ih;
	struct iphdr _qh;
	const struct iphdr *qh;
	__be16 _ports[2];
	const __be16 *ports;

	if (ip_is_fragment(iph))
		return false;
	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih || !vipfwd_icmp_is_error(ih->type))
		return false;
	off += sizeof(_ih);
	qh = skb_header_pointer(skb, off, sizeof(_qh), &_qh);
	if (!qh || qh->version != 4 || qh->ihl < 5 ||
	    (qh->protocol != IPPROTO_TCP && qh->protocol != IPPROTO_UDP) ||
	    (qh->frag_off & htons(IP_OFFSET)))
		return false;
	ports = skb_header_pointer(skb, off + qh->ihl * 4, sizeof(_ports),
				   _ports);
	if (!ports)
		return false;

	memset(err, 0, sizeof(*err));
	err->inner_off = off;
	err->outer_saddr = iph->saddr;
	err->outer_daddr = iph->daddr;
	err->q.family = AF_INET;
	err->q.proto = qh->protocol;
	err->q.saddr.ip = qh->saddr;
	err->q.daddr.ip = qh->daddr;
	err->q.sport = ports[0];
	err->q.dport = ports[1];
	return true;
}

/* The rewrites below leave the message's checksum to be redone. */
static bool vipfwd_icmp4_csum_ok(struct sk_buff *skb, unsigned int hook)
{
	return skb_csum_unnecessary(skb) ||
	       !nf_ip_checksum(skb, hook, ip_hdrlen(skb), IPPROTO_ICMP);
}

static void vipfwd_icmp4_csum(struct sk_buff *skb)
{
	unsigned int off = skb_network_offset(skb) + ip_hdrlen(skb);
	struct icmphdr *ih = (struct icmphdr *)(skb->data + off);

	ih->checksum = 0;
	ih->checksum = csum_fold(skb_checksum(skb, off, skb->len - off, 0));
	skb->ip_summed = CHECKSUM_NONE;
}

/* To a NAT flow's backend: quoted source and outer destination. */
static unsigned int vipfwd_icmp4_to_backend(struct vipfwd_net *vn,
					    struct sk_buff *skb,
					    const struct vipfwd_icmp_err *err,
					    const struct vipfwd_backend *be,
					    __be16 be_port,
					    const struct nf_hook_state *state)
{
	struct iphdr *iph;

	if (be->family != AF_INET)
		return NF_ACCEPT;
	if (!vipfwd_icmp4_csum_ok(skb, state->hook))
		return NF_ACCEPT;
	if (vipfwd_nat_manip4(skb, err->inner_off, true, be->addr.ip, be_port,
			      true) ||
	    skb_ensure_writable(skb, skb_network_offset(skb) +
				ip_hdrlen(skb) + sizeof(struct icmphdr)))
		goto err_nomem;
	iph = ip_hdr(skb);
	csum_replace4(&iph->check, iph->daddr, be->addr.ip);
	iph->daddr = be->addr.ip;
	vipfwd_icmp4_csum(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	if (state->hook == NF_INET_LOCAL_OUT &&
	    ip_route_me_harder(state->net, state->sk, skb, RTN_UNSPEC)) {
		vipfwd_drop(vn, VIPFWD_DROP_NO_ROUTE);
		return NF_DROP;
	}
	vipfwd_count(vn, VIPFWD_CNT_ICMP_FORWARDED);
	return NF_ACCEPT;

err_nomem:
	vipfwd_drop(vn, VIPFWD_DROP_NOMEM);
	return NF_DROP;
}

/* The reply index key of a NAT flow the quoted packet (client's) is of. */
static void vipfwd_icmp_reply_key(struct vipfwd_nat_key *k,
				  const struct vipfwd_icmp_err *err)
{
	memset(k, 0, sizeof(*k));
	k->family = err->q.family;
	k->proto = err->q.proto;
	k->saddr = err->q.daddr;
	k->sport = err->q.dport;
	k->daddr = err->q.saddr;
	k->dport = err->q.sport;
}

unsigned int vipfwd_icmp4_in(struct vipfwd_net *vn, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct vipfwd_frontend *fe;
	struct vipfwd_icmp_err err;
	struct vipfwd_backend *be;
	struct vipfwd_nat_key k;
	struct vipfwd_tuple t;
	unsigned int len;
	__be16 be_port;

	if (!vipfwd_icmp4_parse(skb, &err))
		return NF_ACCEPT;

	/* About a NAT flow's client packet, heading for the client. */
	if (state->hook == NF_INET_PRE_ROUTING && vipfwd_nat_active(vn)) {
		vipfwd_icmp_reply_key(&k, &err);
		if (vipfwd_nat_lookup(vn, &k)) {
			if (!skb_nfct(skb))
				nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
			return NF_ACCEPT;
		}
	}

	/* For a VIP, about a reply VIP:port -> client: the flow's tuple. */
	if (err.outer_daddr != err.q.saddr.ip)
		return NF_ACCEPT;
	memset(&t, 0, sizeof(t));
	t.family = AF_INET;
	t.proto = err.q.proto;
	t.saddr = err.q.daddr;
	t.daddr = err.q.saddr;
	t.sport = err.q.dport;
	t.dport = err.q.sport;
	fe = vipfwd_frontend_lookup_rcu(vn, &t);
	if (!fe)
		return NF_ACCEPT;
	be = vipfwd_flow_find(vn, fe, &t, &be_port);
	if (!be)
		return NF_ACCEPT;

	if (fe->mode == VIPFWD_MODE_NAT)
		return vipfwd_icmp4_to_backend(vn, skb, &err, be, be_port,
					       state);

	len = skb->len;
	/* The flow's own tunnel: for GUE, the same UDP source port. */
	if (!vipfwd_encap(state->net, skb, fe, be, vipfwd_encap_hash(fe, &t))) {
		vipfwd_count(vn, VIPFWD_CNT_ICMP_FORWARDED);
		vipfwd_stats_add(be->stats, len);
	}
	return NF_STOLEN;
}

unsigned int vipfwd_icmp4_reply(struct vipfwd_net *vn, struct sk_buff *skb)
{
	const struct vipfwd_nat_entry *e;
	struct vipfwd_icmp_err err;
	struct vipfwd_nat_key k;
	struct iphdr *iph;

	if (!vipfwd_icmp4_parse(skb, &err))
		return NF_ACCEPT;
	vipfwd_icmp_reply_key(&k, &err);
	e = vipfwd_nat_lookup(vn, &k);
	if (!e)
		return NF_ACCEPT;
	/* LOCAL_IN and POST_ROUTING: the hook number only picks the
	 * pseudo-header rule, the same for both.
	 */
	if (!vipfwd_icmp4_csum_ok(skb, NF_INET_LOCAL_IN))
		return NF_ACCEPT;
	if (vipfwd_nat_manip4(skb, err.inner_off, false, e->vip.ip, e->vport,
			      true) ||
	    skb_ensure_writable(skb, skb_network_offset(skb) +
				ip_hdrlen(skb) + sizeof(struct icmphdr)))
		goto err_nomem;
	iph = ip_hdr(skb);
	if (iph->saddr == e->key.saddr.ip) {
		csum_replace4(&iph->check, iph->saddr, e->vip.ip);
		iph->saddr = e->vip.ip;
	}
	vipfwd_icmp4_csum(skb);
	vipfwd_count(vn, VIPFWD_CNT_ICMP_FORWARDED);
	return NF_ACCEPT;

err_nomem:
	vipfwd_drop(vn, VIPFWD_DROP_NOMEM);
	return NF_DROP;
}

/*
 * ICMPv6 errors toward the backend (PRE_ROUTING / LOCAL_OUT of IPv6, from
 * vipfwd_hook6()): destination unreachable, packet too big, time exceeded
 * and parameter problem, addressed to a VIP and quoting a reply VIP:port
 * -> client of a tracked flow of an encap frontend, go to the flow's
 * backend, encapsulated unchanged: a packet too big lowers the backend's
 * path MTU toward the client. Read only where the ICMPv6 header follows
 * the IPv6 header and the quoted packet's TCP/UDP header its IPv6 header
 * (what routers send; anything else is left alone). NAT has no IPv6
 * frontends (netlink.c refuses them).
 */
struct vipfwd_icmp6_err {
	struct icmp6hdr	icmp;
	struct ipv6hdr	q;		/* the quoted packet */
	__be16		ports[2];
};

static bool vipfwd_icmp6_is_error(u8 type)
{
	return type == ICMPV6_DEST_UNREACH || type == ICMPV6_PKT_TOOBIG ||
	       type == ICMPV6_TIME_EXCEED || type == ICMPV6_PARAMPROB;
}

unsigned int vipfwd_icmp6_in(struct vipfwd_net *vn, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	const struct vipfwd_icmp6_err *e;
	const struct vipfwd_frontend *fe;
	struct vipfwd_icmp6_err _e;
	struct vipfwd_backend *be;
	struct vipfwd_tuple t;
	unsigned int len;
	__be16 be_port;

	e = skb_header_pointer(skb, skb_network_offset(skb) + sizeof(*ip6h),
			       sizeof(_e), &_e);
	if (!e || !vipfwd_icmp6_is_error(e->icmp.icmp6_type) ||
	    (e->q.nexthdr != IPPROTO_TCP && e->q.nexthdr != IPPROTO_UDP) ||
	    !ipv6_addr_equal(&ip6h->daddr, &e->q.saddr))
		return NF_ACCEPT;

	/* The flow client -> VIP:port whose reply the error quotes. */
	memset(&t, 0, sizeof(t));
	t.family = AF_INET6;
	t.proto = e->q.nexthdr;
	t.saddr.ip6 = e->q.daddr;
	t.daddr.ip6 = e->q.saddr;
	t.sport = e->ports[1];
	t.dport = e->ports[0];
	fe = vipfwd_frontend_lookup_rcu(vn, &t);
	if (!fe || fe->mode != VIPFWD_MODE_ENCAP)
		return NF_ACCEPT;
	be = vipfwd_flow_find(vn, fe, &t, &be_port);
	if (!be)
		return NF_ACCEPT;
	/* A corrupt error is left alone (checked last: it costs a pass
	 * over the message).
	 */
	if (!skb_csum_unnecessary(skb) &&
	    nf_ip6_checksum(skb, state->hook, sizeof(*ip6h), IPPROTO_ICMPV6))
		return NF_ACCEPT;

	len = skb->len;
	if (!vipfwd_encap(state->net, skb, fe, be, vipfwd_encap_hash(fe, &t))) {
		vipfwd_count(vn, VIPFWD_CNT_ICMP_FORWARDED);
		vipfwd_stats_add(be->stats, len);
	}
	return NF_STOLEN;
}
