// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd generic netlink: the flow table (FLOW_GET dump, FLOW_FLUSH),
 * EXPLAIN, and the namespace settings (SETTINGS_SET, SETTINGS_GET).
 *
 * The operations table lives in netlink.c with the rest of the family;
 * this file provides the policies and handlers it points at.
 *
 * Flows are not configuration: they come and go with traffic, so a flow
 * dump is not tied to vn->generation. It walks the table with a cursor
 * (flow.c) and resumes after the last flow that fitted; flows created or
 * removed meanwhile may or may not appear, and a table resize between two
 * batches can repeat or skip some: a dump of a busy table is a sample of
 * no single instant.
 *
 * EXPLAIN runs the data path's own decision (vipfwd_flow_decide() with
 * commit == false) under rcu_read_lock(), as the hooks do, so what it
 * reports is what a packet of that flow would get now.
 *
 * Flows reveal who talks to whom: dumping, flushing and explaining them
 * needs CAP_NET_ADMIN in the namespace's user namespace, as every change
 * does. Reading the settings does not.
 */
#include <linux/in.h>
#include <linux/kernel.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vipfwd.h"

#define VIPFWD_NOT_FILTER(what) {					\
	.type = NLA_REJECT,						\
	.reject_message = "flows can only be selected by frontend and backend, not by " what, \
}

/* ---- policies ---- */

/* FLOW_GET and FLOW_FLUSH: the nest is a filter. */
static const struct nla_policy vipfwd_flow_filter_policy[VIPFWD_FLOW_A_MAX + 1] = {
	[VIPFWD_FLOW_A_PROTO] = VIPFWD_NOT_FILTER("protocol"),
	[VIPFWD_FLOW_A_SRC4] = VIPFWD_NOT_FILTER("client address"),
	[VIPFWD_FLOW_A_SRC6] = VIPFWD_NOT_FILTER("client address"),
	[VIPFWD_FLOW_A_SPORT] = VIPFWD_NOT_FILTER("client port"),
	[VIPFWD_FLOW_A_DST4] = VIPFWD_NOT_FILTER("destination address"),
	[VIPFWD_FLOW_A_DST6] = VIPFWD_NOT_FILTER("destination address"),
	[VIPFWD_FLOW_A_DPORT] = VIPFWD_NOT_FILTER("destination port"),
	[VIPFWD_FLOW_A_FRONTEND_VIP4] = { .type = NLA_BE32 },
	[VIPFWD_FLOW_A_FRONTEND_VIP6] =
		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_FLOW_A_FRONTEND_PROTO] = { .type = NLA_U8 },
	[VIPFWD_FLOW_A_FRONTEND_PORT] = { .type = NLA_U16 },
	[VIPFWD_FLOW_A_BACKEND4] = { .type = NLA_BE32 },
	[VIPFWD_FLOW_A_BACKEND6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_FLOW_A_POOL] = VIPFWD_NOT_FILTER("pool"),
	[VIPFWD_FLOW_A_STATE] = VIPFWD_NOT_FILTER("state"),
	[VIPFWD_FLOW_A_IDLE_MS] = VIPFWD_NOT_FILTER("idle time"),
	[VIPFWD_FLOW_A_EXPIRES_MS] = VIPFWD_NOT_FILTER("expiry"),
	[VIPFWD_FLOW_A_FLUSHED] = VIPFWD_REPLY_ONLY("flushed count"),
	[VIPFWD_FLOW_A_BACKEND_PORT] = VIPFWD_NOT_FILTER("backend port"),
};

static const struct nla_policy vipfwd_explain_policy[VIPFWD_EXPLAIN_A_MAX + 1] = {
	[VIPFWD_EXPLAIN_A_PROTO] = { .type = NLA_U8 },
	[VIPFWD_EXPLAIN_A_SRC4] = { .type = NLA_BE32 },
	[VIPFWD_EXPLAIN_A_SRC6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_EXPLAIN_A_SPORT] = { .type = NLA_U16 },
	[VIPFWD_EXPLAIN_A_DST4] = { .type = NLA_BE32 },
	[VIPFWD_EXPLAIN_A_DST6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_EXPLAIN_A_DPORT] = { .type = NLA_U16 },
	[VIPFWD_EXPLAIN_A_WHY] = VIPFWD_REPLY_ONLY("the verdict"),
	[VIPFWD_EXPLAIN_A_REASON] = VIPFWD_REPLY_ONLY("the reason"),
	[VIPFWD_EXPLAIN_A_FRONTEND_VIP4] = VIPFWD_REPLY_ONLY("the frontend"),
	[VIPFWD_EXPLAIN_A_FRONTEND_VIP6] = VIPFWD_REPLY_ONLY("the frontend"),
	[VIPFWD_EXPLAIN_A_FRONTEND_PROTO] = VIPFWD_REPLY_ONLY("the frontend"),
	[VIPFWD_EXPLAIN_A_FRONTEND_PORT] = VIPFWD_REPLY_ONLY("the frontend"),
	[VIPFWD_EXPLAIN_A_POOL] = VIPFWD_REPLY_ONLY("the pool"),
	[VIPFWD_EXPLAIN_A_BACKEND4] = VIPFWD_REPLY_ONLY("the backend"),
	[VIPFWD_EXPLAIN_A_BACKEND6] = VIPFWD_REPLY_ONLY("the backend"),
	[VIPFWD_EXPLAIN_A_TIER] = VIPFWD_REPLY_ONLY("the tier"),
	[VIPFWD_EXPLAIN_A_HASH] = VIPFWD_REPLY_ONLY("the hash"),
	[VIPFWD_EXPLAIN_A_TABLE_INDEX] = VIPFWD_REPLY_ONLY("the table entry"),
	[VIPFWD_EXPLAIN_A_TABLE_SIZE] = VIPFWD_REPLY_ONLY("the table size"),
	[VIPFWD_EXPLAIN_A_FLOW_IDLE_MS] = VIPFWD_REPLY_ONLY("the idle time"),
	[VIPFWD_EXPLAIN_A_BACKEND_PORT] = VIPFWD_REPLY_ONLY("the backend port"),
};

static struct netlink_range_validation vipfwd_flow_limit_range = {
	.min = 1,
	.max = VIPFWD_FLOW_LIMIT_MAX,
};

static const struct nla_policy vipfwd_settings_policy[VIPFWD_SETTINGS_A_MAX + 1] = {
	[VIPFWD_SETTINGS_A_FLOW_LIMIT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vipfwd_flow_limit_range),
	[VIPFWD_SETTINGS_A_FLOW_COUNT] = VIPFWD_REPLY_ONLY("the flow count"),
};

/* Top level: each command accepts exactly its own nest. */
const struct nla_policy vipfwd_flow_req_policy[VIPFWD_A_FLOW + 1] = {
	[VIPFWD_A_FLOW] = NLA_POLICY_NESTED(vipfwd_flow_filter_policy),
};

const struct nla_policy vipfwd_explain_req_policy[VIPFWD_A_EXPLAIN + 1] = {
	[VIPFWD_A_EXPLAIN] = NLA_POLICY_NESTED(vipfwd_explain_policy),
};

const struct nla_policy vipfwd_settings_req_policy[VIPFWD_A_SETTINGS + 1] = {
	[VIPFWD_A_SETTINGS] = NLA_POLICY_NESTED(vipfwd_settings_policy),
};

/* ---- flow filter ---- */

/*
 * A frontend is named by all of VIP, protocol and port (the key vipctl
 * prints), a backend by its address. An absent nest selects every flow.
 */
static int vipfwd_flow_filter_parse(const struct nlattr *nest,
				    struct vipfwd_flow_filter *f,
				    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VIPFWD_FLOW_A_MAX + 1];
	struct nlattr *a;
	int err;

	memset(f, 0, sizeof(*f));
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, VIPFWD_FLOW_A_MAX, nest,
			       vipfwd_flow_filter_policy, extack);
	if (err)
		return err;

	if (tb[VIPFWD_FLOW_A_FRONTEND_VIP4] ||
	    tb[VIPFWD_FLOW_A_FRONTEND_VIP6] ||
	    tb[VIPFWD_FLOW_A_FRONTEND_PROTO] ||
	    tb[VIPFWD_FLOW_A_FRONTEND_PORT]) {
		err = vipfwd_get_addr(tb, VIPFWD_FLOW_A_FRONTEND_VIP4,
				      VIPFWD_FLOW_A_FRONTEND_VIP6,
				      &f->fe_family, &f->fe_vip, extack);
		if (err)
			return err;
		if ((!f->fe_family &&
		     VIPFWD_MISSING(extack, nest, tb,
				    VIPFWD_FLOW_A_FRONTEND_VIP4,
				    "frontend filter needs the VIP, protocol and port")) ||
		    VIPFWD_MISSING(extack, nest, tb,
				   VIPFWD_FLOW_A_FRONTEND_PROTO,
				   "frontend filter needs the VIP, protocol and port") ||
		    VIPFWD_MISSING(extack, nest, tb,
				   VIPFWD_FLOW_A_FRONTEND_PORT,
				   "frontend filter needs the VIP, protocol and port"))
			return -EINVAL;
		a = tb[VIPFWD_FLOW_A_FRONTEND_PROTO];
		f->fe_proto = nla_get_u8(a);
		if (f->fe_proto != IPPROTO_TCP && f->fe_proto != IPPROTO_UDP &&
		    f->fe_proto != VIPFWD_PROTO_ANY) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "protocol must be tcp, udp or any");
			return -EINVAL;
		}
		f->has_frontend = true;
		f->fe_port =
			htons(nla_get_u16(tb[VIPFWD_FLOW_A_FRONTEND_PORT]));
	}

	err = vipfwd_get_addr(tb, VIPFWD_FLOW_A_BACKEND4,
			      VIPFWD_FLOW_A_BACKEND6, &f->be_family,
			      &f->be_addr, extack);
	if (err)
		return err;
	f->has_backend = f->be_family != 0;
	return 0;
}

/* The filter as attributes of the current nest (FLOW_FLUSH reply/event). */
static int vipfwd_flow_filter_put(struct sk_buff *skb,
				  const struct vipfwd_flow_filter *f)
{
	if (f->has_frontend &&
	    (vipfwd_put_addr(skb, VIPFWD_FLOW_A_FRONTEND_VIP4,
			     VIPFWD_FLOW_A_FRONTEND_VIP6, f->fe_family,
			     &f->fe_vip) ||
	     nla_put_u8(skb, VIPFWD_FLOW_A_FRONTEND_PROTO, f->fe_proto) ||
	     nla_put_u16(skb, VIPFWD_FLOW_A_FRONTEND_PORT, ntohs(f->fe_port))))
		return -EMSGSIZE;
	if (f->has_backend &&
	    vipfwd_put_addr(skb, VIPFWD_FLOW_A_BACKEND4,
			    VIPFWD_FLOW_A_BACKEND6, f->be_family,
			    &f->be_addr))
		return -EMSGSIZE;
	return 0;
}

/* ---- FLOW_GET ---- */

struct vipfwd_flow_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int vipfwd_flow_fill(const struct vipfwd_flow_info *fi, void *arg)
{
	struct vipfwd_flow_dump_ctx *ctx = arg;
	struct sk_buff *skb = ctx->skb;
	const struct vipfwd_tuple *k = &fi->key;
	struct nlattr *nest;
	void *hdr;

	hdr = vipfwd_genl_put(skb, NETLINK_CB(ctx->cb->skb).portid,
			      ctx->cb->nlh->nlmsg_seq, NLM_F_MULTI,
			      VIPFWD_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, VIPFWD_A_FLOW);
	if (!nest)
		goto err_cancel;
	if (nla_put_u8(skb, VIPFWD_FLOW_A_PROTO, k->proto) ||
	    vipfwd_put_addr(skb, VIPFWD_FLOW_A_SRC4, VIPFWD_FLOW_A_SRC6,
			    k->family, &k->saddr) ||
	    nla_put_u16(skb, VIPFWD_FLOW_A_SPORT, ntohs(k->sport)) ||
	    vipfwd_put_addr(skb, VIPFWD_FLOW_A_DST4, VIPFWD_FLOW_A_DST6,
			    k->family, &k->daddr) ||
	    nla_put_u16(skb, VIPFWD_FLOW_A_DPORT, ntohs(k->dport)) ||
	    vipfwd_put_addr(skb, VIPFWD_FLOW_A_FRONTEND_VIP4,
			    VIPFWD_FLOW_A_FRONTEND_VIP6, fi->fe_family,
			    &fi->fe_vip) ||
	    nla_put_u8(skb, VIPFWD_FLOW_A_FRONTEND_PROTO, fi->fe_proto) ||
	    nla_put_u16(skb, VIPFWD_FLOW_A_FRONTEND_PORT, ntohs(fi->fe_port)))
		goto err_cancel;
	if (fi->be_family &&
	    vipfwd_put_addr(skb, VIPFWD_FLOW_A_BACKEND4,
			    VIPFWD_FLOW_A_BACKEND6, fi->be_family,
			    &fi->be_addr))
		goto err_cancel;
	if ((fi->pool[0] && nla_put_string(skb, VIPFWD_FLOW_A_POOL, fi->pool)) ||
	    nla_put_u8(skb, VIPFWD_FLOW_A_STATE, fi->state) ||
	    nla_put_u32(skb, VIPFWD_FLOW_A_IDLE_MS, fi->idle_ms) ||
	    nla_put_u32(skb, VIPFWD_FLOW_A_EXPIRES_MS, fi->expires_ms))
		goto err_cancel;
	/* NAT flows: where the backend receives them. */
	if (fi->be_port &&
	    nla_put_u16(skb, VIPFWD_FLOW_A_BACKEND_PORT, ntohs(fi->be_port)))
		goto err_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * The filter is parsed again for every batch: the core has validated the
 * request already, and how a dump reaches the core's parse result differs
 * between kernel versions. The walk cursor lives in cb->ctx, which the
 * core zeroes when the dump starts.
 */
int vipfwd_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vipfwd_net *vn = vipfwd_net(sock_net(skb->sk));
	struct vipfwd_flow_dump_ctx ctx = { .skb = skb, .cb = cb };
	struct nlattr *attrs[VIPFWD_A_FLOW + 1];
	struct vipfwd_flow_filter filter;
	u64 cursor;
	int err;

	BUILD_BUG_ON(sizeof(cursor) > sizeof(cb->ctx));

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, attrs, VIPFWD_A_FLOW,
			  vipfwd_flow_req_policy, cb->extack);
	if (err)
		return err;
	err = vipfwd_flow_filter_parse(attrs[VIPFWD_A_FLOW], &filter,
				       cb->extack);
	if (err)
		return err;

	memcpy(&cursor, cb->ctx, sizeof(cursor));
	err = vipfwd_flows_walk(vn, &filter, &cursor, vipfwd_flow_fill, &ctx);
	memcpy(cb->ctx, &cursor, sizeof(cursor));

	/* Full batch: ask for more; an empty one ends the dump. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ? err : skb->len;
}

/* ---- FLOW_FLUSH ---- */

static int vipfwd_flush_fill(struct sk_buff *msg,
			     const struct vipfwd_flow_filter *f, u32 flushed,
			     u32 portid, u32 seq)
{
	struct nlattr *nest;
	void *hdr;

	hdr = vipfwd_genl_put(msg, portid, seq, 0, VIPFWD_CMD_FLOW_FLUSH);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, VIPFWD_A_FLOW);
	if (!nest || vipfwd_flow_filter_put(msg, f) ||
	    nla_put_u32(msg, VIPFWD_FLOW_A_FLUSHED, flushed)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
}

/*
 * Removes the flows the filter selects (all without one); the reply and
 * the event carry the filter and how many flows went. Later packets of
 * those flows are scheduled again, as new flows.
 */
int vipfwd_flow_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct vipfwd_flow_filter filter;
	struct sk_buff *reply, *event = NULL;
	u32 flushed;
	int err;

	err = vipfwd_flow_filter_parse(info->attrs[VIPFWD_A_FLOW], &filter,
				       info->extack);
	if (err)
		return err;
	/* Allocated first: once flows are gone, only the count can fail. */
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;

	flushed = vipfwd_flows_flush(vn, &filter);

	if (vipfwd_event_wanted(vn, info)) {
		event = vipfwd_event_alloc(vn, GFP_KERNEL);
		if (event && vipfwd_flush_fill(event, &filter, flushed,
					       info->snd_portid,
					       info->snd_seq)) {
			nlmsg_free(event);
			event = NULL;
		}
	}
	vipfwd_event_send(vn, event, info, GFP_KERNEL);

	err = vipfwd_flush_fill(reply, &filter, flushed, info->snd_portid,
				info->snd_seq);
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	return genlmsg_reply(reply, info);
}

/* ---- EXPLAIN ---- */

/* What EXPLAIN says in words; @fe and @d as vipfwd_flow_decide() left them. */
static void vipfwd_explain_reason(char *buf, size_t len,
				  const struct vipfwd_frontend *fe,
				  const struct vipfwd_decision *d)
{
	char be[56];	/* "[" INET6_ADDRSTRLEN "]:65535" */
	int n;

	if (!fe) {
		snprintf(buf, len,
			 "no frontend matches: the packet passes untouched");
		return;
	}
	if (!d->be || d->why == VIPFWD_WHY_NO_BACKEND) {
		snprintf(buf, len, "no eligible backend in pool %s: %s",
			 fe->pool->name,
			 fe->no_backend == VIPFWD_NO_BACKEND_REJECT ?
			 "rejected (TCP RST or ICMP unreachable to the client)" :
			 "dropped");
		return;
	}
	/* Either family, formatted once for the messages below; NAT adds
	 * the port the backend receives on (not the VIP's).
	 */
	if (d->be->family == AF_INET6)
		n = snprintf(be, sizeof(be), d->be_port ? "[%pI6c]" : "%pI6c",
			     &d->be->addr.ip6);
	else
		n = snprintf(be, sizeof(be), "%pI4", &d->be->addr.ip);
	if (d->be_port)
		snprintf(be + n, sizeof(be) - n, ":%u", ntohs(d->be_port));
	switch (d->why) {
	case VIPFWD_WHY_FLOW:
		snprintf(buf, len,
			 "existing flow pins backend %s (idle %u.%03u s)",
			 be, d->idle_ms / 1000, d->idle_ms % 1000);
		break;
	case VIPFWD_WHY_RESCHEDULED:
		snprintf(buf, len,
			 "existing flow's backend is no longer usable: rescheduled by Maglev table entry %u of %u (tier %u) to backend %s",
			 d->slot, d->table_size, d->tier, be);
		break;
	case VIPFWD_WHY_TABLE_FULL:
		snprintf(buf, len,
			 "flow table full: not tracked, Maglev table entry %u of %u (tier %u) alone picks backend %s",
			 d->slot, d->table_size, d->tier, be);
		break;
	default:
		snprintf(buf, len,
			 "new flow: Maglev table entry %u of %u (tier %u) picks backend %s",
			 d->slot, d->table_size, d->tier, be);
		break;
	}
}

/* The question repeated, then the answer; under rcu_read_lock(). */
static int vipfwd_explain_fill(struct sk_buff *msg,
			       const struct vipfwd_tuple *t,
			       const struct vipfwd_frontend *fe,
			       const struct vipfwd_decision *d)
{
	char reason[256];	/* the longest text with an IPv6 backend */
	struct nlattr *nest;
	u8 why;

	why = fe ? d->why : VIPFWD_WHY_NO_FRONTEND;
	vipfwd_explain_reason(reason, sizeof(reason), fe, d);

	nest = nla_nest_start(msg, VIPFWD_A_EXPLAIN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, VIPFWD_EXPLAIN_A_PROTO, t->proto) ||
	    vipfwd_put_addr(msg, VIPFWD_EXPLAIN_A_SRC4,
			    VIPFWD_EXPLAIN_A_SRC6, t->family, &t->saddr) ||
	    nla_put_u16(msg, VIPFWD_EXPLAIN_A_SPORT, ntohs(t->sport)) ||
	    vipfwd_put_addr(msg, VIPFWD_EXPLAIN_A_DST4,
			    VIPFWD_EXPLAIN_A_DST6, t->family, &t->daddr) ||
	    nla_put_u16(msg, VIPFWD_EXPLAIN_A_DPORT, ntohs(t->dport)) ||
	    nla_put_u8(msg, VIPFWD_EXPLAIN_A_WHY, why) ||
	    nla_put_string(msg, VIPFWD_EXPLAIN_A_REASON, reason))
		goto err_cancel;
	if (!fe)
		goto out;

	if (vipfwd_put_addr(msg, VIPFWD_EXPLAIN_A_FRONTEND_VIP4,
			    VIPFWD_EXPLAIN_A_FRONTEND_VIP6, fe->family,
			    &fe->vip) ||
	    nla_put_u8(msg, VIPFWD_EXPLAIN_A_FRONTEND_PROTO, fe->proto) ||
	    nla_put_u16(msg, VIPFWD_EXPLAIN_A_FRONTEND_PORT, ntohs(fe->port)) ||
	    nla_put_string(msg, VIPFWD_EXPLAIN_A_POOL, fe->pool->name) ||
	    nla_put_u32(msg, VIPFWD_EXPLAIN_A_HASH, d->hash))
		goto err_cancel;
	if (d->be &&
	    vipfwd_put_addr(msg, VIPFWD_EXPLAIN_A_BACKEND4,
			    VIPFWD_EXPLAIN_A_BACKEND6, d->be->family,
			    &d->be->addr))
		goto err_cancel;
	if (d->be && d->be_port &&
	    nla_put_u16(msg, VIPFWD_EXPLAIN_A_BACKEND_PORT, ntohs(d->be_port)))
		goto err_cancel;
	/* The table entry that picked the backend; an existing flow's
	 * backend was picked long ago, by a table that may be gone.
	 */
	if (d->why == VIPFWD_WHY_FLOW) {
		if (nla_put_u32(msg, VIPFWD_EXPLAIN_A_FLOW_IDLE_MS, d->idle_ms))
			goto err_cancel;
	} else if (d->be && d->table_size) {
		if (nla_put_u8(msg, VIPFWD_EXPLAIN_A_TIER, d->tier) ||
		    nla_put_u32(msg, VIPFWD_EXPLAIN_A_TABLE_INDEX, d->slot) ||
		    nla_put_u32(msg, VIPFWD_EXPLAIN_A_TABLE_SIZE,
				d->table_size))
			goto err_cancel;
	}
out:
	nla_nest_end(msg, nest);
	return 0;

err_cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/* The packet EXPLAIN asks about, as the data path would parse it. */
static int vipfwd_explain_tuple(struct genl_info *info,
				struct vipfwd_tuple *t)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[VIPFWD_A_EXPLAIN];
	struct nlattr *tb[VIPFWD_EXPLAIN_A_MAX + 1];
	u8 family;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_EXPLAIN, VIPFWD_EXPLAIN_A_MAX,
				vipfwd_explain_policy, tb);
	if (err)
		return err;
	if (VIPFWD_MISSING(extack, nest, tb, VIPFWD_EXPLAIN_A_PROTO,
			   "missing protocol") ||
	    VIPFWD_MISSING(extack, nest, tb, VIPFWD_EXPLAIN_A_SPORT,
			   "missing source port") ||
	    VIPFWD_MISSING(extack, nest, tb, VIPFWD_EXPLAIN_A_DPORT,
			   "missing destination port"))
		return -EINVAL;

	memset(t, 0, sizeof(*t));
	err = vipfwd_get_addr(tb, VIPFWD_EXPLAIN_A_SRC4, VIPFWD_EXPLAIN_A_SRC6,
			      &t->family, &t->saddr, extack);
	if (err)
		return err;
	if (!t->family) {
		NL_SET_ERR_MSG(extack, "missing source address");
		NL_SET_ERR_ATTR_MISS(extack, nest, VIPFWD_EXPLAIN_A_SRC4);
		return -EINVAL;
	}
	err = vipfwd_get_addr(tb, VIPFWD_EXPLAIN_A_DST4, VIPFWD_EXPLAIN_A_DST6,
			      &family, &t->daddr, extack);
	if (err)
		return err;
	if (!family) {
		NL_SET_ERR_MSG(extack, "missing destination (VIP) address");
		NL_SET_ERR_ATTR_MISS(extack, nest, VIPFWD_EXPLAIN_A_DST4);
		return -EINVAL;
	}
	/* A packet has one family: the VIP's and the client's agree. */
	if (family != t->family) {
		NL_SET_ERR_MSG_ATTR(extack, tb[family == AF_INET6 ?
					       VIPFWD_EXPLAIN_A_DST6 :
					       VIPFWD_EXPLAIN_A_DST4],
				    "source and destination address must be of the same family");
		return -EINVAL;
	}
	t->proto = nla_get_u8(tb[VIPFWD_EXPLAIN_A_PROTO]);
	if (t->proto != IPPROTO_TCP && t->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VIPFWD_EXPLAIN_A_PROTO],
				    "protocol must be tcp or udp");
		return -EINVAL;
	}
	t->sport = htons(nla_get_u16(tb[VIPFWD_EXPLAIN_A_SPORT]));
	t->dport = htons(nla_get_u16(tb[VIPFWD_EXPLAIN_A_DPORT]));
	return 0;
}

/*
 * Which backend a packet of this flow would go to now, and why. Nothing
 * is created, refreshed or counted (commit == false). A TCP packet is
 * taken as a plain ACK: the middle of a connection, which follows an
 * existing flow if there is one and is scheduled like a new one if not.
 */
int vipfwd_explain_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	const struct vipfwd_frontend *fe;
	struct vipfwd_decision d = { };
	struct vipfwd_tuple t;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = vipfwd_explain_tuple(info, &t);
	if (err)
		return err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = vipfwd_genl_put(msg, info->snd_portid, info->snd_seq, 0,
			      VIPFWD_CMD_EXPLAIN);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}

	/* fe, its pool and d.be are only valid until rcu_read_unlock(). */
	rcu_read_lock();
	fe = vipfwd_frontend_lookup_rcu(vn, &t);
	if (fe)
		vipfwd_flow_decide(vn, fe, &t,
				   t.proto == IPPROTO_TCP ? VIPFWD_TCP_ACK : 0,
				   false, &d);
	err = vipfwd_explain_fill(msg, &t, fe, &d);
	rcu_read_unlock();
	if (err)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/* ---- settings ---- */

static int vipfwd_settings_fill(struct sk_buff *msg, struct vipfwd_net *vn,
				u32 portid, u32 seq, u8 cmd)
{
	struct nlattr *nest;
	void *hdr;

	hdr = vipfwd_genl_put(msg, portid, seq, 0, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, VIPFWD_A_SETTINGS);
	if (!nest ||
	    nla_put_u32(msg, VIPFWD_SETTINGS_A_FLOW_LIMIT,
			vipfwd_flows_limit(vn)) ||
	    nla_put_u32(msg, VIPFWD_SETTINGS_A_FLOW_COUNT,
			vipfwd_flows_count(vn))) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
}

int vipfwd_settings_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[VIPFWD_A_SETTINGS];
	struct nlattr *tb[VIPFWD_SETTINGS_A_MAX + 1];
	struct sk_buff *event = NULL;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_SETTINGS, VIPFWD_SETTINGS_A_MAX,
				vipfwd_settings_policy, tb);
	if (err)
		return err;
	/* The flow limit is the only setting so far. */
	if (VIPFWD_MISSING(extack, nest, tb, VIPFWD_SETTINGS_A_FLOW_LIMIT,
			   "nothing to change: missing flow limit"))
		return -EINVAL;

	mutex_lock(&vn->lock);
	err = vipfwd_flows_set_limit(vn,
				     nla_get_u32(tb[VIPFWD_SETTINGS_A_FLOW_LIMIT]),
				     extack);
	if (err)
		goto out_unlock;
	if (vipfwd_event_wanted(vn, info)) {
		event = vipfwd_event_alloc(vn, GFP_KERNEL);
		if (event && vipfwd_settings_fill(event, vn, info->snd_portid,
						  info->snd_seq,
						  VIPFWD_CMD_SETTINGS_SET)) {
			nlmsg_free(event);
			event = NULL;
		}
	}
	vipfwd_event_send(vn, event, info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

int vipfwd_settings_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = vipfwd_settings_fill(msg, vn, info->snd_portid, info->snd_seq,
				   VIPFWD_CMD_SETTINGS_GET);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}
