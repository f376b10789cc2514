// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd generic netlink: decap rules (DECAP_NEW, DECAP_DEL, DECAP_GET).
 *
 * The operations table lives in netlink.c with the rest of the family;
 * this file provides the policy and handlers it points at. A rule is
 * named by its prefix (address and length); there is no SET: a rule is
 * replaced by deleting and adding it. Changes need CAP_NET_ADMIN (the
 * ops' GENL_UNS_ADMIN_PERM); reading does not. Every change is sent to
 * the "events" group with the request's command, like the other objects.
 *
 * IPv6 prefixes are refused as not supported yet: the hook reads IPv4
 * outer headers only (an IPv4 outer header may carry an IPv6 packet
 * inside GUE).
 */
#include <linux/in.h>
#include <linux/inetdevice.h>
#include <linux/kernel.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vipfwd.h"

static const struct nla_policy vipfwd_decap_policy[VIPFWD_DECAP_A_MAX + 1] = {
	[VIPFWD_DECAP_A_PAD] = { .type = NLA_REJECT },
	[VIPFWD_DECAP_A_PREFIX4] = { .type = NLA_BE32 },
	[VIPFWD_DECAP_A_PREFIX6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_DECAP_A_PREFIX_LEN] = { .type = NLA_U8 },
	[VIPFWD_DECAP_A_ENCAP] = NLA_POLICY_MAX(NLA_U8, VIPFWD_ENCAP_MAX),
	[VIPFWD_DECAP_A_GUE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[VIPFWD_DECAP_A_PACKETS] = VIPFWD_REPLY_ONLY("the packet count"),
	[VIPFWD_DECAP_A_BYTES] = VIPFWD_REPLY_ONLY("the byte count"),
};

const struct nla_policy vipfwd_decap_req_policy[VIPFWD_A_DECAP + 1] = {
	[VIPFWD_A_DECAP] = NLA_POLICY_NESTED(vipfwd_decap_policy),
};

/*
 * The prefix of a request: present, IPv4, a valid length and no host
 * bits set ("10.0.1.1/24" is a typo for something, refuse it rather
 * than guess which).
 */
static int vipfwd_decap_key(struct nlattr **tb, const struct nlattr *nest,
			    struct vipfwd_decap_rule *r,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	__be32 addr;
	u8 plen;

	memset(r, 0, sizeof(*r));
	/* The hook reads IPv4 outer headers only (decap.c). */
	if (tb[VIPFWD_DECAP_A_PREFIX6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VIPFWD_DECAP_A_PREFIX6],
				    "IPv6 decap prefixes are not supported yet");
		return -EOPNOTSUPP;
	}
	if (VIPFWD_MISSING(extack, nest, tb, VIPFWD_DECAP_A_PREFIX4,
			   "missing decap prefix address") ||
	    VIPFWD_MISSING(extack, nest, tb, VIPFWD_DECAP_A_PREFIX_LEN,
			   "missing decap prefix length"))
		return -EINVAL;

	addr = nla_get_in_addr(tb[VIPFWD_DECAP_A_PREFIX4]);
	a = tb[VIPFWD_DECAP_A_PREFIX_LEN];
	plen = nla_get_u8(a);
	if (plen > 32) {
		VIPFWD_ERR_FMT(extack, a,
			       "decap prefix length must be 0..32",
			       "decap prefix length %u: must be 0..32", plen);
		return -EINVAL;
	}
	if (addr & ~inet_make_mask(plen)) {
		VIPFWD_ERR_FMT(extack, tb[VIPFWD_DECAP_A_PREFIX4],
			       "decap prefix has host bits set",
			       "decap prefix %pI4/%u has host bits set (network is %pI4/%u)",
			       &addr, plen, &(__be32){ addr & inet_make_mask(plen) },
			       plen);
		return -EINVAL;
	}
	r->family = AF_INET;
	r->prefix.ip = addr;
	r->plen = plen;
	return 0;
}

static int vipfwd_decap_fill(struct sk_buff *skb,
			     const struct vipfwd_decap_rule *r, u32 portid,
			     u32 seq, int flags, u8 cmd,
			     struct netlink_callback *cb)
{
	struct nlattr *nest;
	u64 packets, bytes;
	void *hdr;

	hdr = vipfwd_genl_put(skb, portid, seq, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, VIPFWD_A_DECAP);
	if (!nest)
		goto err_cancel;
	if (vipfwd_put_addr(skb, VIPFWD_DECAP_A_PREFIX4,
			    VIPFWD_DECAP_A_PREFIX6, r->family, &r->prefix) ||
	    nla_put_u8(skb, VIPFWD_DECAP_A_PREFIX_LEN, r->plen) ||
	    nla_put_u8(skb, VIPFWD_DECAP_A_ENCAP, r->encap))
		goto err_cancel;
	if (r->encap == VIPFWD_ENCAP_GUE &&
	    nla_put_u16(skb, VIPFWD_DECAP_A_GUE_PORT, ntohs(r->gue_port)))
		goto err_cancel;
	vipfwd_stats_sum(r->stats, &packets, &bytes);
	if (nla_put_u64_64bit(skb, VIPFWD_DECAP_A_PACKETS, packets,
			      VIPFWD_DECAP_A_PAD) ||
	    nla_put_u64_64bit(skb, VIPFWD_DECAP_A_BYTES, bytes,
			      VIPFWD_DECAP_A_PAD))
		goto err_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Under vn->lock; NULL when nobody listens or memory ran out. */
static struct sk_buff *vipfwd_decap_event(struct vipfwd_net *vn,
					  const struct vipfwd_decap_rule *r,
					  u8 cmd, struct genl_info *info)
{
	struct sk_buff *msg;

	if (!vipfwd_event_wanted(vn, info))
		return NULL;
	msg = vipfwd_event_alloc(vn, GFP_KERNEL);
	if (msg && vipfwd_decap_fill(msg, r, info->snd_portid, info->snd_seq,
				     0, cmd, NULL)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static const struct vipfwd_decap_rule *
vipfwd_decap_find(struct vipfwd_net *vn, const struct vipfwd_decap_rule *key)
{
	const struct vipfwd_decap_set *set = vipfwd_decap_rules(vn);
	u32 i;

	for (i = 0; set && i < set->count; i++)
		if (set->rules[i].family == key->family &&
		    set->rules[i].plen == key->plen &&
		    set->rules[i].prefix.ip == key->prefix.ip)
			return &set->rules[i];
	return NULL;
}

int vipfwd_decap_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_DECAP_A_MAX + 1];
	const struct vipfwd_decap_rule *r;
	struct vipfwd_decap_rule tmpl;
	struct nlattr *gue;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_DECAP, VIPFWD_DECAP_A_MAX,
				vipfwd_decap_policy, tb);
	if (err)
		return err;
	err = vipfwd_decap_key(tb, info->attrs[VIPFWD_A_DECAP], &tmpl, extack);
	if (err)
		return err;

	tmpl.encap = VIPFWD_ENCAP_IPIP;
	if (tb[VIPFWD_DECAP_A_ENCAP])
		tmpl.encap = nla_get_u8(tb[VIPFWD_DECAP_A_ENCAP]);
	gue = tb[VIPFWD_DECAP_A_GUE_PORT];
	if (tmpl.encap == VIPFWD_ENCAP_GUE) {
		if (VIPFWD_MISSING(extack, info->attrs[VIPFWD_A_DECAP], tb,
				   VIPFWD_DECAP_A_GUE_PORT,
				   "decap encap gue needs a gue-port"))
			return -EINVAL;
		tmpl.gue_port = htons(nla_get_u16(gue));
	} else if (gue) {
		VIPFWD_ERR_FMT(extack, gue, "gue-port needs encap gue",
			       "gue-port %u needs encap gue", nla_get_u16(gue));
		return -EINVAL;
	}

	mutex_lock(&vn->lock);
	err = vipfwd_decap_add(vn, &tmpl, extack);
	if (err)
		goto out_unlock;
	r = vipfwd_decap_find(vn, &tmpl);
	if (r)
		vipfwd_event_send(vn, vipfwd_decap_event(vn, r,
							 VIPFWD_CMD_DECAP_NEW,
							 info),
				  info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

int vipfwd_decap_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_DECAP_A_MAX + 1];
	const struct vipfwd_decap_rule *r;
	struct vipfwd_decap_rule key;
	struct sk_buff *event = NULL;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_DECAP, VIPFWD_DECAP_A_MAX,
				vipfwd_decap_policy, tb);
	if (err)
		return err;
	err = vipfwd_decap_key(tb, info->attrs[VIPFWD_A_DECAP], &key, extack);
	if (err)
		return err;
	/* The prefix names the rule; settings given with it are a mistake. */
	if (tb[VIPFWD_DECAP_A_ENCAP] || tb[VIPFWD_DECAP_A_GUE_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VIPFWD_DECAP_A_ENCAP] ?:
				    tb[VIPFWD_DECAP_A_GUE_PORT],
				    "decap del takes the prefix only");
		return -EINVAL;
	}

	mutex_lock(&vn->lock);
	/* Built first: the rule is gone after the delete. */
	r = vipfwd_decap_find(vn, &key);
	if (r)
		event = vipfwd_decap_event(vn, r, VIPFWD_CMD_DECAP_DEL, info);
	err = vipfwd_decap_del(vn, &key, extack);
	if (err) {
		nlmsg_free(event);
		goto out_unlock;
	}
	vipfwd_event_send(vn, event, info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

/* A dump ends when a batch adds nothing; a full batch asks for more. */
int vipfwd_decap_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vipfwd_net *vn = vipfwd_net(sock_net(skb->sk));
	const struct vipfwd_decap_set *set;
	long idx;
	int err = 0;

	mutex_lock(&vn->lock);
	cb->seq = vn->generation;
	set = vipfwd_decap_rules(vn);
	for (idx = cb->args[0]; set && idx < set->count; idx++) {
		err = vipfwd_decap_fill(skb, &set->rules[idx],
					NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					VIPFWD_CMD_DECAP_GET, cb);
		if (err)
			break;
	}
	cb->args[0] = idx;
	mutex_unlock(&vn->lock);
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ? err : skb->len;
}
