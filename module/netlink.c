// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd generic netlink family: configuration requests, dumps and events.
 *
 * Every request carries one object nest, parsed with a strict nested
 * policy. A handler first turns the request into a template object
 * (defaults for NEW, a copy of the existing object for SET), validates the
 * result as a whole, and only then asks config.c to change anything, so a
 * refused request leaves the configuration as it was. Every refusal says
 * why in the extended ack.
 *
 * Attributes the UAPI names for features that are not built yet are
 * refused with "... not supported yet", never accepted and ignored.
 *
 * Locking: handlers take vn->lock around lookups and changes, dumps take
 * it for each batch. Events are sent to the namespace's listeners of the
 * "events" group after every successful change, with the request's
 * command.
 */
#include <linux/ctype.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "vipfwd.h"

static struct genl_family vipfwd_genl_family;

/* Index of VIPFWD_MCGRP_EVENTS in vipfwd_mcgrps[]. */
#define VIPFWD_MCGRP_EVENTS_IDX	0

/* ---- policies ---- */

static struct netlink_range_validation vipfwd_ms_range = {
	.min = 1,
	.max = VIPFWD_INTERVAL_MS_MAX,
};

static struct netlink_range_validation vipfwd_fall_rise_range = {
	.min = 1,
	.max = VIPFWD_FALL_RISE_MAX,
};

static struct netlink_range_validation vipfwd_table_size_range = {
	.min = 1,
	.max = VIPFWD_TABLE_SIZE_MAX,
};

static struct netlink_range_validation vipfwd_weight_range = {
	.max = VIPFWD_MAX_WEIGHT,
};

static struct netlink_range_validation vipfwd_idle_timeout_range = {
	.min = 1,
	.max = VIPFWD_IDLE_TIMEOUT_MAX,
};

static const struct nla_policy vipfwd_pool_policy[VIPFWD_POOL_A_MAX + 1] = {
	[VIPFWD_POOL_A_NAME] = { .type = NLA_NUL_STRING,
				 .len = VIPFWD_NAME_MAX - 1 },
	[VIPFWD_POOL_A_PROBE_TYPE] = NLA_POLICY_MAX(NLA_U8, VIPFWD_PROBE_MAX),
	[VIPFWD_POOL_A_PROBE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[VIPFWD_POOL_A_PROBE_HTTP_PATH] = { .type = NLA_NUL_STRING,
					    .len = VIPFWD_HTTP_PATH_MAX - 1 },
	[VIPFWD_POOL_A_PROBE_HTTP_EXPECT] = { .type = NLA_NUL_STRING,
					      .len = VIPFWD_HTTP_EXPECT_MAX - 1 },
	[VIPFWD_POOL_A_INTERVAL_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &vipfwd_ms_range),
	[VIPFWD_POOL_A_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &vipfwd_ms_range),
	[VIPFWD_POOL_A_FALL] = NLA_POLICY_FULL_RANGE(NLA_U32,
						     &vipfwd_fall_rise_range),
	[VIPFWD_POOL_A_RISE] = NLA_POLICY_FULL_RANGE(NLA_U32,
						     &vipfwd_fall_rise_range),
	[VIPFWD_POOL_A_TABLE_SIZE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vipfwd_table_size_range),
	[VIPFWD_POOL_A_BACKEND_COUNT] = VIPFWD_REPLY_ONLY("backend count"),
	[VIPFWD_POOL_A_FRONTEND_COUNT] = VIPFWD_REPLY_ONLY("frontend count"),
};

static const struct nla_policy vipfwd_backend_policy[VIPFWD_BACKEND_A_MAX + 1] = {
	[VIPFWD_BACKEND_A_POOL] = { .type = NLA_NUL_STRING,
				    .len = VIPFWD_NAME_MAX - 1 },
	[VIPFWD_BACKEND_A_ADDR4] = { .type = NLA_BE32 },
	[VIPFWD_BACKEND_A_ADDR6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_BACKEND_A_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							  &vipfwd_weight_range),
	[VIPFWD_BACKEND_A_TIER] = NLA_POLICY_MAX(NLA_U8, VIPFWD_MAX_TIER),
	[VIPFWD_BACKEND_A_STATE] = NLA_POLICY_MAX(NLA_U8,
						  VIPFWD_BACKEND_STATE_MAX),
	[VIPFWD_BACKEND_A_VIA4] = { .type = NLA_BE32 },
	[VIPFWD_BACKEND_A_VIA6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_BACKEND_A_HEALTH] = NLA_POLICY_MAX(NLA_U8, VIPFWD_HEALTH_MAX),
	[VIPFWD_BACKEND_A_ELIGIBLE] = VIPFWD_REPLY_ONLY("eligibility"),
	[VIPFWD_BACKEND_A_REASON] = VIPFWD_REPLY_ONLY("eligibility reason"),
	[VIPFWD_BACKEND_A_FLOWS] = VIPFWD_REPLY_ONLY("flow count"),
	[VIPFWD_BACKEND_A_STATS] = VIPFWD_REPLY_ONLY("statistics"),
};

static const struct nla_policy vipfwd_frontend_policy[VIPFWD_FRONTEND_A_MAX + 1] = {
	[VIPFWD_FRONTEND_A_VIP4] = { .type = NLA_BE32 },
	[VIPFWD_FRONTEND_A_VIP6] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_FRONTEND_A_PROTO] = { .type = NLA_U8 },
	[VIPFWD_FRONTEND_A_PORT] = { .type = NLA_U16 },
	[VIPFWD_FRONTEND_A_POOL] = { .type = NLA_NUL_STRING,
				     .len = VIPFWD_NAME_MAX - 1 },
	[VIPFWD_FRONTEND_A_MODE] = NLA_POLICY_MAX(NLA_U8, VIPFWD_MODE_MAX),
	[VIPFWD_FRONTEND_A_ENCAP] = NLA_POLICY_MAX(NLA_U8, VIPFWD_ENCAP_MAX),
	[VIPFWD_FRONTEND_A_GUE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[VIPFWD_FRONTEND_A_BACKEND_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[VIPFWD_FRONTEND_A_IDLE_TIMEOUT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vipfwd_idle_timeout_range),
	[VIPFWD_FRONTEND_A_HASH] = NLA_POLICY_MAX(NLA_U8, VIPFWD_HASH_MAX),
	[VIPFWD_FRONTEND_A_NO_BACKEND] = NLA_POLICY_MAX(NLA_U8,
							VIPFWD_NO_BACKEND_MAX),
	[VIPFWD_FRONTEND_A_ON_HEALTH_DOWN] =
		NLA_POLICY_MAX(NLA_U8, VIPFWD_ON_HEALTH_DOWN_MAX),
	[VIPFWD_FRONTEND_A_SOURCE4] = { .type = NLA_BE32 },
	[VIPFWD_FRONTEND_A_SOURCE6] =
		NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VIPFWD_FRONTEND_A_STATS] = VIPFWD_REPLY_ONLY("statistics"),
};

/* Top level: each command family accepts exactly its own object nest. */
static const struct nla_policy vipfwd_pool_req_policy[VIPFWD_A_POOL + 1] = {
	[VIPFWD_A_POOL] = NLA_POLICY_NESTED(vipfwd_pool_policy),
};

static const struct nla_policy vipfwd_backend_req_policy[VIPFWD_A_BACKEND + 1] = {
	[VIPFWD_A_BACKEND] = NLA_POLICY_NESTED(vipfwd_backend_policy),
};

static const struct nla_policy vipfwd_frontend_req_policy[VIPFWD_A_FRONTEND + 1] = {
	[VIPFWD_A_FRONTEND] = NLA_POLICY_NESTED(vipfwd_frontend_policy),
};

/* ---- value checks ---- */

static bool vipfwd_ipv4_unicast(__be32 addr)
{
	return !ipv4_is_zeronet(addr) && !ipv4_is_loopback(addr) &&
	       !ipv4_is_multicast(addr) && !ipv4_is_lbcast(addr);
}

/* Pool names appear in command lines and saved configurations. */
static bool vipfwd_name_valid(const char *name)
{
	const char *c;

	if (!*name)
		return false;
	for (c = name; *c; c++)
		if (!isalnum(*c) && *c != '-' && *c != '_' && *c != '.')
			return false;
	return true;
}

/* The probe helper puts the path into a request line: printable only. */
static bool vipfwd_http_path_valid(const char *path)
{
	const char *c;

	if (path[0] != '/')
		return false;
	for (c = path; *c; c++)
		if (*c <= ' ' || *c >= 0x7f)
			return false;
	return true;
}

/* One three-digit HTTP status code (100..599). */
static bool vipfwd_parse_status(const char **sp, unsigned int *code)
{
	const char *s = *sp;
	unsigned int v = 0;
	int i;

	for (i = 0; i < 3; i++) {
		if (!isdigit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (isdigit(s[3]) || v < 100 || v > 599)
		return false;
	*code = v;
	*sp = s + 3;
	return true;
}

/* "200", "200-399", "200-299,404": codes and ranges, comma separated. */
static bool vipfwd_http_expect_valid(const char *s)
{
	for (;;) {
		unsigned int lo, hi;

		if (!vipfwd_parse_status(&s, &lo))
			return false;
		if (*s == '-') {
			s++;
			if (!vipfwd_parse_status(&s, &hi) || hi < lo)
				return false;
		}
		if (!*s)
			return true;
		if (*s++ != ',')
			return false;
	}
}

static bool vipfwd_is_prime(u32 n)
{
	u32 d;

	if (n < 2)
		return false;
	if (n % 2 == 0)
		return n == 2;
	for (d = 3; d <= n / d; d += 2)
		if (n % d == 0)
			return false;
	return true;
}

static const char *vipfwd_proto_name(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	default:
		return "any";
	}
}

/*
 * Refuse attributes a request does not use: @allowed is a bitmask of the
 * attribute types that may be present.
 */
static int vipfwd_only(struct nlattr **tb, int maxtype, unsigned long allowed,
		       struct netlink_ext_ack *extack)
{
	int type;

	for (type = 1; type <= maxtype; type++) {
		if (tb[type] && !(allowed & BIT(type))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[type],
					    "attribute not used by this request");
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- messages ---- */

/* Traffic counters, new flows and the flows tracked now (@active). */
static int vipfwd_put_stats(struct sk_buff *skb, int type,
			    struct vipfwd_pcpu_stats __percpu *stats,
			    u64 active)
{
	struct nlattr *nest;
	u64 packets, bytes;

	vipfwd_stats_sum(stats, &packets, &bytes);

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VIPFWD_STATS_A_PACKETS, packets,
			      VIPFWD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VIPFWD_STATS_A_BYTES, bytes,
			      VIPFWD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VIPFWD_STATS_A_NEW_FLOWS,
			      vipfwd_stats_new_flows(stats),
			      VIPFWD_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, VIPFWD_STATS_A_ACTIVE_FLOWS, active,
			      VIPFWD_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int vipfwd_put_addr(struct sk_buff *skb, int type4, int type6, u8 family,
		    const union vipfwd_addr *addr)
{
	if (family == AF_INET6)
		return nla_put_in6_addr(skb, type6, &addr->ip6);
	return nla_put_in_addr(skb, type4, addr->ip);
}

static int vipfwd_fill_pool(struct sk_buff *skb,
			    const struct vipfwd_pool *pool, u32 portid,
			    u32 seq, int flags, u8 cmd,
			    struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vipfwd_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	nest = nla_nest_start(skb, VIPFWD_A_POOL);
	if (!nest)
		goto err_cancel;
	if (nla_put_string(skb, VIPFWD_POOL_A_NAME, pool->name) ||
	    nla_put_u8(skb, VIPFWD_POOL_A_PROBE_TYPE, pool->probe_type))
		goto err_cancel;
	if (pool->probe_type != VIPFWD_PROBE_NONE &&
	    nla_put_u16(skb, VIPFWD_POOL_A_PROBE_PORT, pool->probe_port))
		goto err_cancel;
	if (pool->probe_type == VIPFWD_PROBE_HTTP &&
	    (nla_put_string(skb, VIPFWD_POOL_A_PROBE_HTTP_PATH,
			    pool->http_path) ||
	     nla_put_string(skb, VIPFWD_POOL_A_PROBE_HTTP_EXPECT,
			    pool->http_expect)))
		goto err_cancel;
	if (nla_put_u32(skb, VIPFWD_POOL_A_INTERVAL_MS, pool->interval_ms) ||
	    nla_put_u32(skb, VIPFWD_POOL_A_TIMEOUT_MS, pool->timeout_ms) ||
	    nla_put_u32(skb, VIPFWD_POOL_A_FALL, pool->fall) ||
	    nla_put_u32(skb, VIPFWD_POOL_A_RISE, pool->rise) ||
	    nla_put_u32(skb, VIPFWD_POOL_A_TABLE_SIZE, pool->table_size) ||
	    nla_put_u32(skb, VIPFWD_POOL_A_BACKEND_COUNT, pool->nr_backends) ||
	    nla_put_u32(skb, VIPFWD_POOL_A_FRONTEND_COUNT, pool->users))
		goto err_cancel;
	nla_nest_end(skb, nest);

	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int vipfwd_fill_backend(struct sk_buff *skb,
			       const struct vipfwd_backend *be, u32 portid,
			       u32 seq, int flags, u8 cmd,
			       struct netlink_callback *cb)
{
	const char *reason = NULL;
	struct nlattr *nest;
	bool eligible;
	void *hdr;

	eligible = vipfwd_backend_eligible(be->pool, be, &reason);
	if (!reason)
		reason = eligible ? "eligible" : "not eligible";

	hdr = genlmsg_put(skb, portid, seq, &vipfwd_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	nest = nla_nest_start(skb, VIPFWD_A_BACKEND);
	if (!nest)
		goto err_cancel;
	if (nla_put_string(skb, VIPFWD_BACKEND_A_POOL, be->pool->name) ||
	    vipfwd_put_addr(skb, VIPFWD_BACKEND_A_ADDR4, VIPFWD_BACKEND_A_ADDR6,
			    be->family, &be->addr) ||
	    nla_put_u32(skb, VIPFWD_BACKEND_A_WEIGHT, be->weight) ||
	    nla_put_u8(skb, VIPFWD_BACKEND_A_TIER, be->tier) ||
	    nla_put_u8(skb, VIPFWD_BACKEND_A_STATE, be->state))
		goto err_cancel;
	if (be->via_family &&
	    vipfwd_put_addr(skb, VIPFWD_BACKEND_A_VIA4, VIPFWD_BACKEND_A_VIA6,
			    be->via_family, &be->via))
		goto err_cancel;
	if (nla_put_u8(skb, VIPFWD_BACKEND_A_HEALTH, be->health) ||
	    nla_put_u8(skb, VIPFWD_BACKEND_A_ELIGIBLE, eligible) ||
	    nla_put_string(skb, VIPFWD_BACKEND_A_REASON, reason) ||
	    nla_put_u32(skb, VIPFWD_BACKEND_A_FLOWS, vipfwd_backend_flows(be)) ||
	    vipfwd_put_stats(skb, VIPFWD_BACKEND_A_STATS, be->stats,
			     vipfwd_backend_flows(be)))
		goto err_cancel;
	nla_nest_end(skb, nest);

	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int vipfwd_fill_frontend(struct sk_buff *skb,
				const struct vipfwd_frontend *fe, u32 portid,
				u32 seq, int flags, u8 cmd,
				struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vipfwd_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	nest = nla_nest_start(skb, VIPFWD_A_FRONTEND);
	if (!nest)
		goto err_cancel;
	if (vipfwd_put_addr(skb, VIPFWD_FRONTEND_A_VIP4, VIPFWD_FRONTEND_A_VIP6,
			    fe->family, &fe->vip) ||
	    nla_put_u8(skb, VIPFWD_FRONTEND_A_PROTO, fe->proto) ||
	    nla_put_u16(skb, VIPFWD_FRONTEND_A_PORT, ntohs(fe->port)) ||
	    nla_put_string(skb, VIPFWD_FRONTEND_A_POOL, fe->pool->name) ||
	    nla_put_u8(skb, VIPFWD_FRONTEND_A_MODE, fe->mode) ||
	    nla_put_u8(skb, VIPFWD_FRONTEND_A_ENCAP, fe->encap))
		goto err_cancel;
	if (fe->gue_port &&
	    nla_put_u16(skb, VIPFWD_FRONTEND_A_GUE_PORT, ntohs(fe->gue_port)))
		goto err_cancel;
	if (fe->backend_port &&
	    nla_put_u16(skb, VIPFWD_FRONTEND_A_BACKEND_PORT,
			ntohs(fe->backend_port)))
		goto err_cancel;
	if (nla_put_u32(skb, VIPFWD_FRONTEND_A_IDLE_TIMEOUT, fe->idle_timeout) ||
	    nla_put_u8(skb, VIPFWD_FRONTEND_A_HASH, fe->hash) ||
	    nla_put_u8(skb, VIPFWD_FRONTEND_A_NO_BACKEND, fe->no_backend) ||
	    nla_put_u8(skb, VIPFWD_FRONTEND_A_ON_HEALTH_DOWN,
		       fe->on_health_down))
		goto err_cancel;
	if (fe->source_family &&
	    vipfwd_put_addr(skb, VIPFWD_FRONTEND_A_SOURCE4,
			    VIPFWD_FRONTEND_A_SOURCE6, fe->source_family,
			    &fe->source))
		goto err_cancel;
	if (vipfwd_put_stats(skb, VIPFWD_FRONTEND_A_STATS, fe->stats,
			     vipfwd_frontend_flows(fe)))
		goto err_cancel;
	nla_nest_end(skb, nest);

	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* ---- events ---- */

/*
 * Events go to the "events" group of the request's namespace, and to the
 * requester itself when it set NLM_F_ECHO (genl_notify() does both).
 */
bool vipfwd_event_wanted(struct vipfwd_net *vn, struct genl_info *info)
{
	return genl_has_listeners(&vipfwd_genl_family, vn->net,
				  VIPFWD_MCGRP_EVENTS_IDX) ||
	       (info && nlmsg_report(info->nlhdr));
}

struct sk_buff *vipfwd_event_alloc(struct vipfwd_net *vn, gfp_t gfp)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, gfp);

	/* Tell listeners they missed something rather than nothing. */
	if (!msg)
		genl_set_err(&vipfwd_genl_family, vn->net, 0,
			     VIPFWD_MCGRP_EVENTS_IDX, -ENOBUFS);
	return msg;
}

void vipfwd_event_send(struct vipfwd_net *vn, struct sk_buff *msg,
		       struct genl_info *info, gfp_t gfp)
{
	if (!msg)
		return;
	if (info)
		genl_notify(&vipfwd_genl_family, msg, info,
			    VIPFWD_MCGRP_EVENTS_IDX, gfp);
	else
		genlmsg_multicast_netns(&vipfwd_genl_family, vn->net, msg, 0,
					VIPFWD_MCGRP_EVENTS_IDX, gfp);
}

/* A message header of the family, for the other netlink files. */
void *vipfwd_genl_put(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &vipfwd_genl_family, flags, cmd);
}

static u32 vipfwd_event_portid(struct genl_info *info)
{
	return info ? info->snd_portid : 0;
}

static u32 vipfwd_event_seq(struct genl_info *info)
{
	return info ? info->snd_seq : 0;
}

static struct sk_buff *vipfwd_pool_event(struct vipfwd_net *vn,
					 const struct vipfwd_pool *pool,
					 u8 cmd, struct genl_info *info)
{
	struct sk_buff *msg;

	if (!vipfwd_event_wanted(vn, info))
		return NULL;
	msg = vipfwd_event_alloc(vn, GFP_KERNEL);
	if (msg && vipfwd_fill_pool(msg, pool, vipfwd_event_portid(info),
				    vipfwd_event_seq(info), 0, cmd, NULL)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static struct sk_buff *vipfwd_backend_event(struct vipfwd_net *vn,
					    const struct vipfwd_backend *be,
					    u8 cmd, struct genl_info *info,
					    gfp_t gfp)
{
	struct sk_buff *msg;

	if (!vipfwd_event_wanted(vn, info))
		return NULL;
	msg = vipfwd_event_alloc(vn, gfp);
	if (msg && vipfwd_fill_backend(msg, be, vipfwd_event_portid(info),
				       vipfwd_event_seq(info), 0, cmd, NULL)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static struct sk_buff *vipfwd_frontend_event(struct vipfwd_net *vn,
					     const struct vipfwd_frontend *fe,
					     u8 cmd, struct genl_info *info)
{
	struct sk_buff *msg;

	if (!vipfwd_event_wanted(vn, info))
		return NULL;
	msg = vipfwd_event_alloc(vn, GFP_KERNEL);
	if (msg && vipfwd_fill_frontend(msg, fe, vipfwd_event_portid(info),
					vipfwd_event_seq(info), 0, cmd, NULL)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Backend event for changes made outside a netlink request (data path,
 * health). Callable from any context; the fields are a snapshot.
 */
void vipfwd_notify_backend(struct vipfwd_net *vn,
			   const struct vipfwd_backend *be, u8 cmd)
{
	vipfwd_event_send(vn, vipfwd_backend_event(vn, be, cmd, NULL,
						   GFP_ATOMIC),
			  NULL, GFP_ATOMIC);
}

/* ---- request parsing ---- */

/* Parse the request's object nest into @tb; refuse a request without one. */
int vipfwd_parse_nest(struct genl_info *info, int type, int maxtype,
		      const struct nla_policy *policy, struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[type];

	if (!nest) {
		switch (type) {
		case VIPFWD_A_POOL:
			NL_SET_ERR_MSG(info->extack, "missing pool name");
			break;
		case VIPFWD_A_BACKEND:
			NL_SET_ERR_MSG(info->extack, "missing backend (pool name and address)");
			break;
		case VIPFWD_A_FRONTEND:
			NL_SET_ERR_MSG(info->extack, "missing frontend (VIP, protocol and port)");
			break;
		case VIPFWD_A_EXPLAIN:
			NL_SET_ERR_MSG(info->extack,
				       "missing flow to explain (protocol, source, source port, VIP, port)");
			break;
		case VIPFWD_A_DECAP:
			NL_SET_ERR_MSG(info->extack, "missing decap prefix");
			break;
		default:
			NL_SET_ERR_MSG(info->extack, "missing settings");
			break;
		}
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, nest, policy, info->extack);
}

/*
 * The address a request gives in attribute @type4 or @type6 of @tb:
 * *@family becomes AF_INET or AF_INET6, or 0 when it has neither. Both at
 * once is ambiguous and refused. @addr is zeroed first: flows and filters
 * compare whole unions.
 */
int vipfwd_get_addr(struct nlattr **tb, int type4, int type6, u8 *family,
		    union vipfwd_addr *addr, struct netlink_ext_ack *extack)
{
	memset(addr, 0, sizeof(*addr));
	*family = 0;
	if (tb[type4] && tb[type6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[type6],
				    "give an IPv4 or an IPv6 address, not both");
		return -EINVAL;
	}
	if (tb[type6]) {
		*family = AF_INET6;
		addr->ip6 = nla_get_in6_addr(tb[type6]);
	} else if (tb[type4]) {
		*family = AF_INET;
		addr->ip = nla_get_in_addr(tb[type4]);
	}
	return 0;
}

/*
 * The IPv6 counterpart of vipfwd_ipv4_unicast(): no unspecified, loopback
 * or multicast address, as for IPv4, and no link-local or IPv4-mapped one
 * either: a link-local address means nothing without an interface, which
 * no object names, and a mapped address is IPv4 in disguise.
 */
static bool vipfwd_ipv6_unicast(const struct in6_addr *addr)
{
	int type = ipv6_addr_type(addr);

	/* IPV6_ADDR_ANY is 0: the unspecified address has no bit set. */
	return (type & IPV6_ADDR_UNICAST) &&
	       !(type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_MULTICAST |
			 IPV6_ADDR_LINKLOCAL | IPV6_ADDR_MAPPED));
}

/* Why vipfwd_ipv6_unicast() refused an address, for extack messages. */
#define VIPFWD_IPV6_RULE \
	" must be a unicast IPv6 address (not unspecified, loopback, multicast, link-local or IPv4-mapped)"

/* Look up the pool a request names in attribute @type of @tb. */
static struct vipfwd_pool *vipfwd_req_pool(struct vipfwd_net *vn,
					   struct nlattr **tb, int type,
					   const struct nlattr *nest,
					   struct netlink_ext_ack *extack)
{
	struct vipfwd_pool *pool;
	const char *name;

	if (VIPFWD_MISSING(extack, nest, tb, type, "missing pool name"))
		return ERR_PTR(-EINVAL);
	name = nla_data(tb[type]);
	pool = vipfwd_pool_find(vn, name);
	if (!pool) {
		VIPFWD_ERR_FMT(extack, tb[type], "pool does not exist",
			       "pool \"%s\" does not exist", name);
		return ERR_PTR(-ENOENT);
	}
	return pool;
}

/*
 * Apply a request's pool settings to @p (defaults or a copy of the pool)
 * and check the result as a whole.
 */
static int vipfwd_pool_apply(struct vipfwd_pool *p, struct nlattr **tb,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *a;

	a = tb[VIPFWD_POOL_A_PROBE_TYPE];
	if (a && nla_get_u8(a) != p->probe_type) {
		p->probe_type = nla_get_u8(a);
		/* Settings of another probe type do not carry over. */
		if (p->probe_type == VIPFWD_PROBE_NONE)
			p->probe_port = 0;
		p->http_path[0] = '\0';
		p->http_expect[0] = '\0';
		if (p->probe_type == VIPFWD_PROBE_HTTP) {
			strscpy(p->http_path, "/", sizeof(p->http_path));
			strscpy(p->http_expect, "200-399",
				sizeof(p->http_expect));
		}
	}

	a = tb[VIPFWD_POOL_A_PROBE_PORT];
	if (a) {
		if (p->probe_type == VIPFWD_PROBE_NONE) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "probe port needs a probe type (tcp or http)");
			return -EINVAL;
		}
		p->probe_port = nla_get_u16(a);
	}
	if (p->probe_type != VIPFWD_PROBE_NONE && !p->probe_port) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VIPFWD_POOL_A_PROBE_TYPE],
				    "missing probe port");
		return -EINVAL;
	}

	a = tb[VIPFWD_POOL_A_PROBE_HTTP_PATH];
	if (a) {
		if (p->probe_type != VIPFWD_PROBE_HTTP) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "http path needs an http probe");
			return -EINVAL;
		}
		if (!vipfwd_http_path_valid(nla_data(a))) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "http path must start with '/' and contain no spaces or control characters");
			return -EINVAL;
		}
		nla_strscpy(p->http_path, a, sizeof(p->http_path));
	}

	a = tb[VIPFWD_POOL_A_PROBE_HTTP_EXPECT];
	if (a) {
		if (p->probe_type != VIPFWD_PROBE_HTTP) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "http expect needs an http probe");
			return -EINVAL;
		}
		if (!vipfwd_http_expect_valid(nla_data(a))) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "http expect must be status codes or ranges, e.g. 200-399,404");
			return -EINVAL;
		}
		nla_strscpy(p->http_expect, a, sizeof(p->http_expect));
	}

	if (tb[VIPFWD_POOL_A_INTERVAL_MS])
		p->interval_ms = nla_get_u32(tb[VIPFWD_POOL_A_INTERVAL_MS]);
	/* A timeout the request did not set follows a shorter interval
	 * down ("interval 1" alone must work with the 2 s default); one it
	 * did set is checked against the interval.
	 */
	if (tb[VIPFWD_POOL_A_TIMEOUT_MS])
		p->timeout_ms = nla_get_u32(tb[VIPFWD_POOL_A_TIMEOUT_MS]);
	else if (p->timeout_ms > p->interval_ms)
		p->timeout_ms = p->interval_ms;
	if (p->timeout_ms > p->interval_ms) {
		a = tb[VIPFWD_POOL_A_TIMEOUT_MS] ? : tb[VIPFWD_POOL_A_INTERVAL_MS];
		NL_SET_ERR_MSG_ATTR(extack, a, "timeout must not exceed interval");
		return -EINVAL;
	}

	if (tb[VIPFWD_POOL_A_FALL])
		p->fall = nla_get_u32(tb[VIPFWD_POOL_A_FALL]);
	if (tb[VIPFWD_POOL_A_RISE])
		p->rise = nla_get_u32(tb[VIPFWD_POOL_A_RISE]);

	a = tb[VIPFWD_POOL_A_TABLE_SIZE];
	if (a) {
		/* Maglev needs a prime; below 13 entries it is no hash. */
		if (!vipfwd_is_prime(nla_get_u32(a)) ||
		    nla_get_u32(a) < VIPFWD_TABLE_SIZE_MIN) {
			VIPFWD_ERR_FMT(extack, a,
				       "table-size must be a prime number from "
				       __stringify(VIPFWD_TABLE_SIZE_MIN) " to "
				       __stringify(VIPFWD_TABLE_SIZE_MAX),
				       "table-size %u is not a prime number from "
				       __stringify(VIPFWD_TABLE_SIZE_MIN) " to "
				       __stringify(VIPFWD_TABLE_SIZE_MAX),
				       nla_get_u32(a));
			return -EINVAL;
		}
		p->table_size = nla_get_u32(a);
	}
	return 0;
}

/* Backend key: pool (looked up) and address. */
static int vipfwd_backend_key(struct vipfwd_net *vn, struct nlattr **tb,
			      const struct nlattr *nest,
			      struct vipfwd_pool **pool,
			      struct vipfwd_backend *key,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int err;

	*pool = vipfwd_req_pool(vn, tb, VIPFWD_BACKEND_A_POOL, nest, extack);
	if (IS_ERR(*pool))
		return PTR_ERR(*pool);

	err = vipfwd_get_addr(tb, VIPFWD_BACKEND_A_ADDR4, VIPFWD_BACKEND_A_ADDR6,
			      &key->family, &key->addr, extack);
	if (err)
		return err;
	if (!key->family) {
		NL_SET_ERR_MSG(extack, "missing backend address");
		NL_SET_ERR_ATTR_MISS(extack, nest, VIPFWD_BACKEND_A_ADDR4);
		return -EINVAL;
	}
	if (key->family == AF_INET6) {
		if (!vipfwd_ipv6_unicast(&key->addr.ip6)) {
			VIPFWD_ERR_FMT(extack, tb[VIPFWD_BACKEND_A_ADDR6],
				       "backend address" VIPFWD_IPV6_RULE,
				       "backend address %pI6c" VIPFWD_IPV6_RULE,
				       &key->addr.ip6);
			return -EINVAL;
		}
		return 0;
	}
	a = tb[VIPFWD_BACKEND_A_ADDR4];
	if (!vipfwd_ipv4_unicast(key->addr.ip)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "backend address must be a unicast IPv4 address");
		return -EINVAL;
	}
	return 0;
}

static struct vipfwd_backend *
vipfwd_backend_lookup(struct vipfwd_pool *pool, const struct vipfwd_backend *key,
		      struct netlink_ext_ack *extack)
{
	struct vipfwd_backend *be;

	be = vipfwd_backend_find(pool, key->family, &key->addr);
	if (!be && key->family == AF_INET6)
		VIPFWD_ERR_FMT(extack, NULL, "backend is not in this pool",
			       "backend %pI6c is not in pool \"%s\"",
			       &key->addr.ip6, pool->name);
	else if (!be)
		VIPFWD_ERR_FMT(extack, NULL, "backend is not in this pool",
			       "backend %pI4 is not in pool \"%s\"",
			       &key->addr.ip, pool->name);
	return be;
}

static int vipfwd_backend_apply(struct vipfwd_backend *b, struct nlattr **tb,
				struct netlink_ext_ack *extack)
{
	struct nlattr *a;

	a = tb[VIPFWD_BACKEND_A_VIA6];
	if (a) {
		struct in6_addr via = nla_get_in6_addr(a);

		/* :: clears it, as 0.0.0.0 does below. */
		if (!ipv6_addr_any(&via) && !vipfwd_ipv6_unicast(&via)) {
			VIPFWD_ERR_FMT(extack, a, "via" VIPFWD_IPV6_RULE,
				       "via %pI6c" VIPFWD_IPV6_RULE, &via);
			return -EINVAL;
		}
		if (tb[VIPFWD_BACKEND_A_VIA4]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "give an IPv4 or an IPv6 via, not both");
			return -EINVAL;
		}
		memset(&b->via, 0, sizeof(b->via));
		b->via_family = 0;
		if (!ipv6_addr_any(&via)) {
			b->via_family = AF_INET6;
			b->via.ip6 = via;
		}
	}
	a = tb[VIPFWD_BACKEND_A_VIA4];
	if (a) {
		__be32 via = nla_get_in_addr(a);

		memset(&b->via, 0, sizeof(b->via));
		b->via_family = 0;
		/* 0.0.0.0 clears it: the backend's own address is used. */
		if (via) {
			if (!vipfwd_ipv4_unicast(via)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "via must be a unicast IPv4 address");
				return -EINVAL;
			}
			b->via_family = AF_INET;
			b->via.ip = via;
		}
	}

	if (tb[VIPFWD_BACKEND_A_WEIGHT])
		b->weight = nla_get_u32(tb[VIPFWD_BACKEND_A_WEIGHT]);
	if (tb[VIPFWD_BACKEND_A_TIER])
		b->tier = nla_get_u8(tb[VIPFWD_BACKEND_A_TIER]);
	if (tb[VIPFWD_BACKEND_A_STATE])
		b->state = nla_get_u8(tb[VIPFWD_BACKEND_A_STATE]);
	if (tb[VIPFWD_BACKEND_A_HEALTH])
		b->health = nla_get_u8(tb[VIPFWD_BACKEND_A_HEALTH]);
	return 0;
}

/* Frontend key: VIP, protocol, port. */
static int vipfwd_frontend_key(struct nlattr **tb, const struct nlattr *nest,
			       struct vipfwd_frontend *key,
			       struct netlink_ext_ack *extack)
{
	u8 proto;
	int err;

	err = vipfwd_get_addr(tb, VIPFWD_FRONTEND_A_VIP4, VIPFWD_FRONTEND_A_VIP6,
			      &key->family, &key->vip, extack);
	if (err)
		return err;
	if (!key->family) {
		NL_SET_ERR_MSG(extack, "missing frontend VIP address");
		NL_SET_ERR_ATTR_MISS(extack, nest, VIPFWD_FRONTEND_A_VIP4);
		return -EINVAL;
	}
	if (key->family == AF_INET6) {
		if (!vipfwd_ipv6_unicast(&key->vip.ip6)) {
			VIPFWD_ERR_FMT(extack, tb[VIPFWD_FRONTEND_A_VIP6],
				       "VIP" VIPFWD_IPV6_RULE,
				       "VIP %pI6c" VIPFWD_IPV6_RULE,
				       &key->vip.ip6);
			return -EINVAL;
		}
	} else if (!vipfwd_ipv4_unicast(key->vip.ip)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VIPFWD_FRONTEND_A_VIP4],
				    "VIP must be a unicast IPv4 address");
		return -EINVAL;
	}

	if (VIPFWD_MISSING(extack, nest, tb, VIPFWD_FRONTEND_A_PROTO,
			   "missing frontend protocol"))
		return -EINVAL;
	proto = nla_get_u8(tb[VIPFWD_FRONTEND_A_PROTO]);
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
	    proto != VIPFWD_PROTO_ANY) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VIPFWD_FRONTEND_A_PROTO],
				    "protocol must be tcp, udp or any");
		return -EINVAL;
	}
	key->proto = proto;

	if (VIPFWD_MISSING(extack, nest, tb, VIPFWD_FRONTEND_A_PORT,
			   "missing frontend port"))
		return -EINVAL;
	key->port = htons(nla_get_u16(tb[VIPFWD_FRONTEND_A_PORT]));
	return 0;
}

static struct vipfwd_frontend *
vipfwd_frontend_lookup(struct vipfwd_net *vn, const struct vipfwd_frontend *key,
		       struct netlink_ext_ack *extack)
{
	struct vipfwd_frontend *fe = vipfwd_frontend_find(vn, key);

	if (!fe && key->family == AF_INET6)
		VIPFWD_ERR_FMT(extack, NULL, "frontend does not exist",
			       "frontend %pI6c %s %u does not exist",
			       &key->vip.ip6, vipfwd_proto_name(key->proto),
			       ntohs(key->port));
	else if (!fe)
		VIPFWD_ERR_FMT(extack, NULL, "frontend does not exist",
			       "frontend %pI4 %s %u does not exist",
			       &key->vip.ip, vipfwd_proto_name(key->proto),
			       ntohs(key->port));
	return fe;
}

/*
 * mode and backend-port, checked against the result as a whole (a SET
 * keeps what it does not name). In mode nat the packet is translated and
 * routed, so what only describes the tunnel is refused with it: encap,
 * gue-port and source. Switching to mode encap clears backend-port
 * unless the request names one, which is refused. A backend's via is not
 * used by NAT (the route to the backend's address decides).
 */
static int vipfwd_frontend_apply_mode(struct vipfwd_frontend *f,
				      struct nlattr **tb,
				      struct netlink_ext_ack *extack)
{
	struct nlattr *mode = tb[VIPFWD_FRONTEND_A_MODE];
	struct nlattr *a;

	if (mode)
		f->mode = nla_get_u8(mode);
	a = tb[VIPFWD_FRONTEND_A_BACKEND_PORT];
	if (f->mode != VIPFWD_MODE_NAT) {
		if (a) {
			VIPFWD_ERR_FMT(extack, a,
				       "backend-port needs mode nat",
				       "backend-port %u needs mode nat",
				       nla_get_u16(a));
			return -EINVAL;
		}
		f->backend_port = 0;
		return 0;
	}
	/* Translation is written for IPv4 headers only (nat.c). */
	if (f->family != AF_INET) {
		NL_SET_ERR_MSG_ATTR(extack, mode ?: a,
				    "mode nat is IPv4 only: an IPv6 VIP cannot use it yet");
		return -EOPNOTSUPP;
	}
	/* The policy refuses 0; 0 stays "the port the client used". */
	if (a)
		f->backend_port = htons(nla_get_u16(a));
	a = tb[VIPFWD_FRONTEND_A_ENCAP];
	if (a) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "encap does not apply to mode nat");
		return -EINVAL;
	}
	a = tb[VIPFWD_FRONTEND_A_SOURCE4] ?: tb[VIPFWD_FRONTEND_A_SOURCE6];
	if (a || f->source_family) {
		NL_SET_ERR_MSG_ATTR(extack, a ?: mode,
				    "source (the tunnel's outer source) does not apply to mode nat");
		return -EINVAL;
	}
	if (f->gue_port || f->encap != VIPFWD_ENCAP_IPIP) {
		NL_SET_ERR_MSG_ATTR(extack, mode,
				    "mode nat does not use an encapsulation: remove gue-port / encap gue first");
		return -EINVAL;
	}
	return 0;
}

/*
 * encap ipip|gue and gue-port, on a new frontend's defaults or on a copy of
 * the one a SET replaces. gue-port has no default: GUE has no assigned
 * port, and a guessed one that the backends' `ip fou add port` does not
 * match would silently lose every packet. So encap gue needs a gue-port,
 * given now or kept from before; encap ipip clears it; a gue-port with
 * ipip (given or kept) is an error.
 */
static int vipfwd_frontend_apply_encap(struct vipfwd_frontend *f,
				       struct nlattr **tb,
				       struct netlink_ext_ack *extack)
{
	struct nlattr *enc = tb[VIPFWD_FRONTEND_A_ENCAP];
	struct nlattr *port = tb[VIPFWD_FRONTEND_A_GUE_PORT];
	u8 encap = enc ? nla_get_u8(enc) : f->encap;

	if (encap == VIPFWD_ENCAP_GUE) {
		if (port)
			f->gue_port = htons(nla_get_u16(port));
		if (!f->gue_port) {
			NL_SET_ERR_MSG_ATTR(extack, enc,
					    "encap gue needs gue-port (the UDP port of the backends' ip fou)");
			return -EINVAL;
		}
	} else {
		if (port) {
			VIPFWD_ERR_FMT(extack, port,
				       "gue-port needs encap gue",
				       "gue-port %u needs encap gue (the frontend uses encap ipip)",
				       nla_get_u16(port));
			return -EINVAL;
		}
		f->gue_port = 0;
	}
	f->encap = encap;
	return 0;
}

static int vipfwd_frontend_apply(struct vipfwd_net *vn,
				 struct vipfwd_frontend *f, struct nlattr **tb,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int err;

	if (tb[VIPFWD_FRONTEND_A_POOL]) {
		struct vipfwd_pool *pool;

		pool = vipfwd_req_pool(vn, tb, VIPFWD_FRONTEND_A_POOL, NULL,
				       extack);
		if (IS_ERR(pool))
			return PTR_ERR(pool);
		f->pool = pool;
	}

	err = vipfwd_frontend_apply_encap(f, tb, extack);
	if (err)
		return err;
	/* Ranges are the policy's; existing flows pick a changed timeout
	 * up with their next packet.
	 */
	if (tb[VIPFWD_FRONTEND_A_IDLE_TIMEOUT])
		f->idle_timeout = nla_get_u32(tb[VIPFWD_FRONTEND_A_IDLE_TIMEOUT]);
	if (tb[VIPFWD_FRONTEND_A_NO_BACKEND])
		f->no_backend = nla_get_u8(tb[VIPFWD_FRONTEND_A_NO_BACKEND]);
	if (tb[VIPFWD_FRONTEND_A_ON_HEALTH_DOWN])
		f->on_health_down =
			nla_get_u8(tb[VIPFWD_FRONTEND_A_ON_HEALTH_DOWN]);
	/* One outer source per frontend; it is used for the outer headers
	 * of its own family only (encap.c, encap6.c).
	 */
	a = tb[VIPFWD_FRONTEND_A_SOURCE6];
	if (a) {
		struct in6_addr src = nla_get_in6_addr(a);

		/* :: clears it, as 0.0.0.0 does below. */
		if (!ipv6_addr_any(&src) && !vipfwd_ipv6_unicast(&src)) {
			VIPFWD_ERR_FMT(extack, a, "source" VIPFWD_IPV6_RULE,
				       "source %pI6c" VIPFWD_IPV6_RULE, &src);
			return -EINVAL;
		}
		if (tb[VIPFWD_FRONTEND_A_SOURCE4]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "give an IPv4 or an IPv6 source, not both");
			return -EINVAL;
		}
		memset(&f->source, 0, sizeof(f->source));
		f->source_family = 0;
		if (!ipv6_addr_any(&src)) {
			f->source_family = AF_INET6;
			f->source.ip6 = src;
		}
	}
	a = tb[VIPFWD_FRONTEND_A_SOURCE4];
	if (a) {
		__be32 src = nla_get_in_addr(a);

		memset(&f->source, 0, sizeof(f->source));
		f->source_family = 0;
		/* 0.0.0.0 clears it: the route picks the outer source. */
		if (src) {
			if (!vipfwd_ipv4_unicast(src)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "source must be a unicast IPv4 address");
				return -EINVAL;
			}
			f->source_family = AF_INET;
			f->source.ip = src;
		}
	}
	if (tb[VIPFWD_FRONTEND_A_HASH])
		f->hash = nla_get_u8(tb[VIPFWD_FRONTEND_A_HASH]);
	return vipfwd_frontend_apply_mode(f, tb, extack);
}

/* ---- pool commands ---- */

#define VIPFWD_POOL_KEY	BIT(VIPFWD_POOL_A_NAME)

static int vipfwd_pool_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_POOL_A_MAX + 1];
	struct vipfwd_pool tmpl, *pool;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_POOL, VIPFWD_POOL_A_MAX,
				vipfwd_pool_policy, tb);
	if (err)
		return err;
	if (VIPFWD_MISSING(extack, info->attrs[VIPFWD_A_POOL], tb,
			   VIPFWD_POOL_A_NAME, "missing pool name"))
		return -EINVAL;
	if (!vipfwd_name_valid(nla_data(tb[VIPFWD_POOL_A_NAME]))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VIPFWD_POOL_A_NAME],
				    "pool name must be letters, digits, '.', '_' or '-'");
		return -EINVAL;
	}

	vipfwd_pool_defaults(&tmpl);
	nla_strscpy(tmpl.name, tb[VIPFWD_POOL_A_NAME], sizeof(tmpl.name));
	err = vipfwd_pool_apply(&tmpl, tb, extack);
	if (err)
		return err;

	mutex_lock(&vn->lock);
	pool = vipfwd_pool_create(vn, &tmpl, extack);
	if (IS_ERR(pool)) {
		err = PTR_ERR(pool);
		goto out_unlock;
	}
	vipfwd_event_send(vn, vipfwd_pool_event(vn, pool, VIPFWD_CMD_POOL_NEW,
						info),
			  info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_pool_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_POOL_A_MAX + 1];
	struct vipfwd_pool tmpl, *pool;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_POOL, VIPFWD_POOL_A_MAX,
				vipfwd_pool_policy, tb);
	if (err)
		return err;

	mutex_lock(&vn->lock);
	pool = vipfwd_req_pool(vn, tb, VIPFWD_POOL_A_NAME,
			       info->attrs[VIPFWD_A_POOL], extack);
	if (IS_ERR(pool)) {
		err = PTR_ERR(pool);
		goto out_unlock;
	}

	vipfwd_pool_defaults(&tmpl);
	strscpy(tmpl.name, pool->name, sizeof(tmpl.name));
	tmpl.probe_type = pool->probe_type;
	tmpl.probe_port = pool->probe_port;
	strscpy(tmpl.http_path, pool->http_path, sizeof(tmpl.http_path));
	strscpy(tmpl.http_expect, pool->http_expect, sizeof(tmpl.http_expect));
	tmpl.interval_ms = pool->interval_ms;
	tmpl.timeout_ms = pool->timeout_ms;
	tmpl.fall = pool->fall;
	tmpl.rise = pool->rise;
	tmpl.table_size = pool->table_size;

	err = vipfwd_pool_apply(&tmpl, tb, extack);
	if (err)
		goto out_unlock;
	err = vipfwd_pool_update(vn, pool, &tmpl, extack);
	if (err)
		goto out_unlock;
	vipfwd_event_send(vn, vipfwd_pool_event(vn, pool, VIPFWD_CMD_POOL_SET,
						info),
			  info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_pool_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_POOL_A_MAX + 1];
	struct vipfwd_pool *pool;
	struct sk_buff *event;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_POOL, VIPFWD_POOL_A_MAX,
				vipfwd_pool_policy, tb);
	if (err)
		return err;
	err = vipfwd_only(tb, VIPFWD_POOL_A_MAX, VIPFWD_POOL_KEY, extack);
	if (err)
		return err;

	mutex_lock(&vn->lock);
	pool = vipfwd_req_pool(vn, tb, VIPFWD_POOL_A_NAME,
			       info->attrs[VIPFWD_A_POOL], extack);
	if (IS_ERR(pool)) {
		err = PTR_ERR(pool);
		goto out_unlock;
	}
	/* Built first: the pool is freed by the delete. */
	event = vipfwd_pool_event(vn, pool, VIPFWD_CMD_POOL_DEL, info);
	err = vipfwd_pool_delete(vn, pool, extack);
	if (err) {
		nlmsg_free(event);
		goto out_unlock;
	}
	vipfwd_event_send(vn, event, info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_pool_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_POOL_A_MAX + 1];
	struct vipfwd_pool *pool;
	struct sk_buff *msg;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_POOL, VIPFWD_POOL_A_MAX,
				vipfwd_pool_policy, tb);
	if (err)
		return err;
	err = vipfwd_only(tb, VIPFWD_POOL_A_MAX, VIPFWD_POOL_KEY, extack);
	if (err)
		return err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&vn->lock);
	pool = vipfwd_req_pool(vn, tb, VIPFWD_POOL_A_NAME,
			       info->attrs[VIPFWD_A_POOL], extack);
	if (IS_ERR(pool))
		err = PTR_ERR(pool);
	else
		err = vipfwd_fill_pool(msg, pool, info->snd_portid,
				       info->snd_seq, 0, VIPFWD_CMD_POOL_GET,
				       NULL);
	mutex_unlock(&vn->lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* A dump ends when a batch adds nothing; a full batch asks for more. */
static int vipfwd_dump_result(struct sk_buff *skb, int err)
{
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ? err : skb->len;
}

/*
 * Optional dump filter: the pool name in attribute @type of the request's
 * @nest_type nest; nothing else may be given. Empty @name: no filter.
 *
 * The core has validated the request already; it is parsed again here
 * because the way a dump reaches the core's parse result differs between
 * kernel versions, and the request is small.
 */
static int vipfwd_dump_filter(struct netlink_callback *cb, int nest_type,
			      const struct nla_policy *req_policy,
			      int maxtype, const struct nla_policy *policy,
			      int type, char *name, size_t len)
{
	struct nlattr *tb[VIPFWD_FRONTEND_A_MAX + 1];
	struct nlattr *attrs[VIPFWD_A_MAX + 1];
	struct nlattr *nest;
	int err;

	BUILD_BUG_ON((int)VIPFWD_POOL_A_MAX > (int)VIPFWD_FRONTEND_A_MAX ||
		     (int)VIPFWD_BACKEND_A_MAX > (int)VIPFWD_FRONTEND_A_MAX);

	name[0] = '\0';
	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, attrs, nest_type, req_policy,
			  cb->extack);
	if (err)
		return err;
	nest = attrs[nest_type];
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, maxtype, nest, policy, cb->extack);
	if (err)
		return err;
	err = vipfwd_only(tb, maxtype, BIT(type), cb->extack);
	if (err)
		return err;
	if (tb[type])
		nla_strscpy(name, tb[type], len);
	return 0;
}

/*
 * On the first batch, a filter naming no pool is an error; on a later
 * batch the pool went away meanwhile, which the changed generation
 * reports as an interrupted dump.
 */
static int vipfwd_dump_check_pool(struct vipfwd_net *vn,
				  struct netlink_callback *cb,
				  const char *name)
{
	if (!name[0] || vipfwd_pool_find(vn, name))
		return 0;
	if (cb->args[0] || cb->args[1])
		return 0;
	VIPFWD_ERR_FMT(cb->extack, NULL, "pool does not exist",
		       "pool \"%s\" does not exist", name);
	return -ENOENT;
}

static int vipfwd_pool_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vipfwd_net *vn = vipfwd_net(sock_net(skb->sk));
	char name[VIPFWD_NAME_MAX];
	struct vipfwd_pool *pool;
	long idx = 0;
	int err;

	err = vipfwd_dump_filter(cb, VIPFWD_A_POOL, vipfwd_pool_req_policy,
				 VIPFWD_POOL_A_MAX, vipfwd_pool_policy,
				 VIPFWD_POOL_A_NAME, name, sizeof(name));
	if (err)
		return err;

	mutex_lock(&vn->lock);
	cb->seq = vn->generation;
	err = vipfwd_dump_check_pool(vn, cb, name);
	if (err)
		goto out_unlock;
	list_for_each_entry(pool, &vn->pools, node) {
		if (idx < cb->args[0] ||
		    (name[0] && strcmp(pool->name, name))) {
			idx++;
			continue;
		}
		err = vipfwd_fill_pool(skb, pool, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       VIPFWD_CMD_POOL_GET, cb);
		if (err)
			break;
		idx++;
	}
	cb->args[0] = idx;
out_unlock:
	mutex_unlock(&vn->lock);
	return vipfwd_dump_result(skb, err);
}

/* ---- backend commands ---- */

#define VIPFWD_BACKEND_KEY	(BIT(VIPFWD_BACKEND_A_POOL) |		\
				 BIT(VIPFWD_BACKEND_A_ADDR4) |		\
				 BIT(VIPFWD_BACKEND_A_ADDR6))

static int vipfwd_backend_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_BACKEND_A_MAX + 1];
	struct vipfwd_backend tmpl, *be;
	struct vipfwd_pool *pool;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_BACKEND, VIPFWD_BACKEND_A_MAX,
				vipfwd_backend_policy, tb);
	if (err)
		return err;

	vipfwd_backend_defaults(&tmpl);
	mutex_lock(&vn->lock);
	err = vipfwd_backend_key(vn, tb, info->attrs[VIPFWD_A_BACKEND], &pool,
				 &tmpl, extack);
	if (err)
		goto out_unlock;
	err = vipfwd_backend_apply(&tmpl, tb, extack);
	if (err)
		goto out_unlock;
	be = vipfwd_backend_create(vn, pool, &tmpl, extack);
	if (IS_ERR(be)) {
		err = PTR_ERR(be);
		goto out_unlock;
	}
	vipfwd_event_send(vn, vipfwd_backend_event(vn, be,
						   VIPFWD_CMD_BACKEND_NEW,
						   info, GFP_KERNEL),
			  info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_backend_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_BACKEND_A_MAX + 1];
	struct vipfwd_backend tmpl, *be;
	struct vipfwd_pool *pool;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_BACKEND, VIPFWD_BACKEND_A_MAX,
				vipfwd_backend_policy, tb);
	if (err)
		return err;

	vipfwd_backend_defaults(&tmpl);
	mutex_lock(&vn->lock);
	err = vipfwd_backend_key(vn, tb, info->attrs[VIPFWD_A_BACKEND], &pool,
				 &tmpl, extack);
	if (err)
		goto out_unlock;
	be = vipfwd_backend_lookup(pool, &tmpl, extack);
	if (!be) {
		err = -ENOENT;
		goto out_unlock;
	}

	tmpl.via_family = be->via_family;
	tmpl.via = be->via;
	tmpl.weight = be->weight;
	tmpl.tier = be->tier;
	tmpl.state = be->state;
	tmpl.health = be->health;
	err = vipfwd_backend_apply(&tmpl, tb, extack);
	if (err)
		goto out_unlock;
	be = vipfwd_backend_update(vn, be, &tmpl, extack);
	if (IS_ERR(be)) {
		err = PTR_ERR(be);
		goto out_unlock;
	}
	vipfwd_event_send(vn, vipfwd_backend_event(vn, be,
						   VIPFWD_CMD_BACKEND_SET,
						   info, GFP_KERNEL),
			  info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_backend_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_BACKEND_A_MAX + 1];
	struct vipfwd_backend key, *be;
	struct vipfwd_pool *pool;
	struct sk_buff *event;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_BACKEND, VIPFWD_BACKEND_A_MAX,
				vipfwd_backend_policy, tb);
	if (err)
		return err;
	err = vipfwd_only(tb, VIPFWD_BACKEND_A_MAX, VIPFWD_BACKEND_KEY, extack);
	if (err)
		return err;

	vipfwd_backend_defaults(&key);
	mutex_lock(&vn->lock);
	err = vipfwd_backend_key(vn, tb, info->attrs[VIPFWD_A_BACKEND], &pool,
				 &key, extack);
	if (err)
		goto out_unlock;
	be = vipfwd_backend_lookup(pool, &key, extack);
	if (!be) {
		err = -ENOENT;
		goto out_unlock;
	}
	/* Built first: the backend is freed by the delete. */
	event = vipfwd_backend_event(vn, be, VIPFWD_CMD_BACKEND_DEL, info,
				     GFP_KERNEL);
	err = vipfwd_backend_delete(vn, be, extack);
	if (err) {
		nlmsg_free(event);
		goto out_unlock;
	}
	vipfwd_event_send(vn, event, info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_backend_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_BACKEND_A_MAX + 1];
	struct vipfwd_backend key, *be;
	struct vipfwd_pool *pool;
	struct sk_buff *msg;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_BACKEND, VIPFWD_BACKEND_A_MAX,
				vipfwd_backend_policy, tb);
	if (err)
		return err;
	err = vipfwd_only(tb, VIPFWD_BACKEND_A_MAX, VIPFWD_BACKEND_KEY, extack);
	if (err)
		return err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	vipfwd_backend_defaults(&key);
	mutex_lock(&vn->lock);
	err = vipfwd_backend_key(vn, tb, info->attrs[VIPFWD_A_BACKEND], &pool,
				 &key, extack);
	if (err)
		goto out_unlock;
	be = vipfwd_backend_lookup(pool, &key, extack);
	if (!be) {
		err = -ENOENT;
		goto out_unlock;
	}
	err = vipfwd_fill_backend(msg, be, info->snd_portid, info->snd_seq, 0,
				  VIPFWD_CMD_BACKEND_GET, NULL);
out_unlock:
	mutex_unlock(&vn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Every backend of every pool, or of the pool named in the request.
 * cb->args[0]: pool index, cb->args[1]: backend index within that pool.
 */
static int vipfwd_backend_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct vipfwd_net *vn = vipfwd_net(sock_net(skb->sk));
	char name[VIPFWD_NAME_MAX];
	struct vipfwd_backend *be;
	struct vipfwd_pool *pool;
	long pidx = 0, bidx;
	int err;

	err = vipfwd_dump_filter(cb, VIPFWD_A_BACKEND,
				 vipfwd_backend_req_policy, VIPFWD_BACKEND_A_MAX,
				 vipfwd_backend_policy, VIPFWD_BACKEND_A_POOL,
				 name, sizeof(name));
	if (err)
		return err;

	mutex_lock(&vn->lock);
	cb->seq = vn->generation;
	err = vipfwd_dump_check_pool(vn, cb, name);
	if (err)
		goto out_unlock;
	list_for_each_entry(pool, &vn->pools, node) {
		if (pidx < cb->args[0] ||
		    (name[0] && strcmp(pool->name, name))) {
			pidx++;
			continue;
		}
		bidx = 0;
		list_for_each_entry(be, &pool->backends, node) {
			if (bidx < cb->args[1]) {
				bidx++;
				continue;
			}
			err = vipfwd_fill_backend(skb, be,
						  NETLINK_CB(cb->skb).portid,
						  cb->nlh->nlmsg_seq,
						  NLM_F_MULTI,
						  VIPFWD_CMD_BACKEND_GET, cb);
			if (err) {
				cb->args[0] = pidx;
				cb->args[1] = bidx;
				goto out_unlock;
			}
			bidx++;
		}
		cb->args[1] = 0;
		pidx++;
	}
	cb->args[0] = pidx;
out_unlock:
	mutex_unlock(&vn->lock);
	return vipfwd_dump_result(skb, err);
}

/* ---- frontend commands ---- */

#define VIPFWD_FRONTEND_KEY	(BIT(VIPFWD_FRONTEND_A_VIP4) |		\
				 BIT(VIPFWD_FRONTEND_A_VIP6) |		\
				 BIT(VIPFWD_FRONTEND_A_PROTO) |		\
				 BIT(VIPFWD_FRONTEND_A_PORT))

static int vipfwd_frontend_new_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_FRONTEND_A_MAX + 1];
	struct vipfwd_frontend tmpl, *fe;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_FRONTEND, VIPFWD_FRONTEND_A_MAX,
				vipfwd_frontend_policy, tb);
	if (err)
		return err;

	vipfwd_frontend_defaults(&tmpl);
	err = vipfwd_frontend_key(tb, info->attrs[VIPFWD_A_FRONTEND], &tmpl,
				  extack);
	if (err)
		return err;
	if (VIPFWD_MISSING(extack, info->attrs[VIPFWD_A_FRONTEND], tb,
			   VIPFWD_FRONTEND_A_POOL, "missing pool name"))
		return -EINVAL;

	mutex_lock(&vn->lock);
	err = vipfwd_frontend_apply(vn, &tmpl, tb, extack);
	if (err)
		goto out_unlock;
	fe = vipfwd_frontend_create(vn, &tmpl, extack);
	if (IS_ERR(fe)) {
		err = PTR_ERR(fe);
		goto out_unlock;
	}
	vipfwd_event_send(vn, vipfwd_frontend_event(vn, fe,
						    VIPFWD_CMD_FRONTEND_NEW,
						    info),
			  info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_frontend_set_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_FRONTEND_A_MAX + 1];
	struct vipfwd_frontend tmpl, *fe;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_FRONTEND, VIPFWD_FRONTEND_A_MAX,
				vipfwd_frontend_policy, tb);
	if (err)
		return err;

	vipfwd_frontend_defaults(&tmpl);
	err = vipfwd_frontend_key(tb, info->attrs[VIPFWD_A_FRONTEND], &tmpl,
				  extack);
	if (err)
		return err;

	mutex_lock(&vn->lock);
	fe = vipfwd_frontend_lookup(vn, &tmpl, extack);
	if (!fe) {
		err = -ENOENT;
		goto out_unlock;
	}
	tmpl.pool = fe->pool;
	tmpl.mode = fe->mode;
	tmpl.encap = fe->encap;
	tmpl.gue_port = fe->gue_port;
	tmpl.backend_port = fe->backend_port;
	tmpl.idle_timeout = fe->idle_timeout;
	tmpl.hash = fe->hash;
	tmpl.no_backend = fe->no_backend;
	tmpl.on_health_down = fe->on_health_down;
	tmpl.source_family = fe->source_family;
	tmpl.source = fe->source;

	err = vipfwd_frontend_apply(vn, &tmpl, tb, extack);
	if (err)
		goto out_unlock;
	fe = vipfwd_frontend_replace(vn, fe, &tmpl, extack);
	if (IS_ERR(fe)) {
		err = PTR_ERR(fe);
		goto out_unlock;
	}
	vipfwd_event_send(vn, vipfwd_frontend_event(vn, fe,
						    VIPFWD_CMD_FRONTEND_SET,
						    info),
			  info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_frontend_del_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_FRONTEND_A_MAX + 1];
	struct vipfwd_frontend key, *fe;
	struct sk_buff *event;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_FRONTEND, VIPFWD_FRONTEND_A_MAX,
				vipfwd_frontend_policy, tb);
	if (err)
		return err;
	err = vipfwd_frontend_key(tb, info->attrs[VIPFWD_A_FRONTEND], &key,
				  extack);
	if (err)
		return err;
	err = vipfwd_only(tb, VIPFWD_FRONTEND_A_MAX, VIPFWD_FRONTEND_KEY,
			  extack);
	if (err)
		return err;

	mutex_lock(&vn->lock);
	fe = vipfwd_frontend_lookup(vn, &key, extack);
	if (!fe) {
		err = -ENOENT;
		goto out_unlock;
	}
	/* Built first: the frontend is freed by the delete. */
	event = vipfwd_frontend_event(vn, fe, VIPFWD_CMD_FRONTEND_DEL, info);
	vipfwd_frontend_delete(vn, fe);
	vipfwd_event_send(vn, event, info, GFP_KERNEL);
out_unlock:
	mutex_unlock(&vn->lock);
	return err;
}

static int vipfwd_frontend_get_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[VIPFWD_FRONTEND_A_MAX + 1];
	struct vipfwd_frontend key, *fe;
	struct sk_buff *msg;
	int err;

	err = vipfwd_parse_nest(info, VIPFWD_A_FRONTEND, VIPFWD_FRONTEND_A_MAX,
				vipfwd_frontend_policy, tb);
	if (err)
		return err;
	err = vipfwd_frontend_key(tb, info->attrs[VIPFWD_A_FRONTEND], &key,
				  extack);
	if (err)
		return err;
	err = vipfwd_only(tb, VIPFWD_FRONTEND_A_MAX, VIPFWD_FRONTEND_KEY,
			  extack);
	if (err)
		return err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&vn->lock);
	fe = vipfwd_frontend_lookup(vn, &key, extack);
	if (!fe)
		err = -ENOENT;
	else
		err = vipfwd_fill_frontend(msg, fe, info->snd_portid,
					   info->snd_seq, 0,
					   VIPFWD_CMD_FRONTEND_GET, NULL);
	mutex_unlock(&vn->lock);

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Every frontend, or those using the pool named in the request.
 * cb->args[0]: hash bucket, cb->args[1]: index within the bucket.
 */
static int vipfwd_frontend_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct vipfwd_net *vn = vipfwd_net(sock_net(skb->sk));
	char name[VIPFWD_NAME_MAX];
	struct vipfwd_frontend *fe;
	long bkt, idx;
	int err;

	err = vipfwd_dump_filter(cb, VIPFWD_A_FRONTEND,
				 vipfwd_frontend_req_policy,
				 VIPFWD_FRONTEND_A_MAX,
				 vipfwd_frontend_policy, VIPFWD_FRONTEND_A_POOL,
				 name, sizeof(name));
	if (err)
		return err;

	mutex_lock(&vn->lock);
	cb->seq = vn->generation;
	err = vipfwd_dump_check_pool(vn, cb, name);
	if (err)
		goto out_unlock;
	for (bkt = cb->args[0]; bkt < HASH_SIZE(vn->frontends); bkt++) {
		idx = 0;
		hlist_for_each_entry(fe, &vn->frontends[bkt], hnode) {
			if (idx < cb->args[1] ||
			    (name[0] && strcmp(fe->pool->name, name))) {
				idx++;
				continue;
			}
			err = vipfwd_fill_frontend(skb, fe,
						   NETLINK_CB(cb->skb).portid,
						   cb->nlh->nlmsg_seq,
						   NLM_F_MULTI,
						   VIPFWD_CMD_FRONTEND_GET, cb);
			if (err) {
				cb->args[0] = bkt;
				cb->args[1] = idx;
				goto out_unlock;
			}
			idx++;
		}
		cb->args[1] = 0;
	}
	cb->args[0] = bkt;
out_unlock:
	mutex_unlock(&vn->lock);
	return vipfwd_dump_result(skb, err);
}

/* ---- namespace counters ---- */

static const u16 vipfwd_drop_attr[__VIPFWD_DROP_MAX] = {
	[VIPFWD_DROP_NO_BACKEND]	= VIPFWD_STATS_A_DROP_NO_BACKEND,
	[VIPFWD_DROP_NO_ROUTE]		= VIPFWD_STATS_A_DROP_NO_ROUTE,
	[VIPFWD_DROP_MALFORMED]		= VIPFWD_STATS_A_DROP_MALFORMED,
	[VIPFWD_DROP_FRAGMENT]		= VIPFWD_STATS_A_DROP_FRAGMENT,
	[VIPFWD_DROP_NOMEM]		= VIPFWD_STATS_A_DROP_NOMEM,
	[VIPFWD_DROP_TOO_BIG]		= VIPFWD_STATS_A_DROP_TOO_BIG,
	[VIPFWD_DROP_DECAP_FOREIGN]	= VIPFWD_STATS_A_DROP_DECAP_FOREIGN,
	[VIPFWD_DROP_NAT_UNTRACKED]	= VIPFWD_STATS_A_DROP_NAT_UNTRACKED,
	[VIPFWD_DROP_NAT_COLLISION]	= VIPFWD_STATS_A_DROP_NAT_COLLISION,
};

static const u16 vipfwd_count_attr[__VIPFWD_CNT_MAX] = {
	[VIPFWD_CNT_TABLE_FULL]		= VIPFWD_STATS_A_FLOW_TABLE_FULL,
	[VIPFWD_CNT_RESCHEDULED]	= VIPFWD_STATS_A_RESCHEDULED,
	[VIPFWD_CNT_REJECTED]		= VIPFWD_STATS_A_REJECTED,
	[VIPFWD_CNT_ICMP_FORWARDED]	= VIPFWD_STATS_A_ICMP_FORWARDED,
};

static int vipfwd_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vipfwd_net *vn = vipfwd_net(genl_info_net(info));
	u64 counts[__VIPFWD_CNT_MAX];
	u64 drops[__VIPFWD_DROP_MAX];
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int i;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &vipfwd_genl_family, 0, VIPFWD_CMD_STATS_GET);
	if (!hdr)
		goto err_free;

	vipfwd_drops_sum(vn, drops);
	nest = nla_nest_start(msg, VIPFWD_A_STATS);
	if (!nest)
		goto err_free;
	for (i = 0; i < __VIPFWD_DROP_MAX; i++)
		if (nla_put_u64_64bit(msg, vipfwd_drop_attr[i], drops[i],
				      VIPFWD_STATS_A_PAD))
			goto err_free;
	vipfwd_counts_sum(vn, counts);
	for (i = 0; i < __VIPFWD_CNT_MAX; i++)
		if (nla_put_u64_64bit(msg, vipfwd_count_attr[i], counts[i],
				      VIPFWD_STATS_A_PAD))
			goto err_free;
	/* ACTIVE_FLOWS here is the namespace's tracked flows. */
	if (nla_put_u64_64bit(msg, VIPFWD_STATS_A_FLOW_LIMIT,
			      vipfwd_flows_limit(vn), VIPFWD_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, VIPFWD_STATS_A_ACTIVE_FLOWS,
			      vipfwd_flows_count(vn), VIPFWD_STATS_A_PAD))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- family ---- */

/*
 * Changes need CAP_NET_ADMIN in the user namespace owning the network
 * namespace (GENL_UNS_ADMIN_PERM); reading the configuration does not.
 */
static const struct genl_ops vipfwd_genl_ops[] = {
	{
		.cmd		= VIPFWD_CMD_POOL_NEW,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_pool_new_doit,
		.policy		= vipfwd_pool_req_policy,
		.maxattr	= VIPFWD_A_POOL,
	},
	{
		.cmd		= VIPFWD_CMD_POOL_SET,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_pool_set_doit,
		.policy		= vipfwd_pool_req_policy,
		.maxattr	= VIPFWD_A_POOL,
	},
	{
		.cmd		= VIPFWD_CMD_POOL_DEL,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_pool_del_doit,
		.policy		= vipfwd_pool_req_policy,
		.maxattr	= VIPFWD_A_POOL,
	},
	{
		.cmd		= VIPFWD_CMD_POOL_GET,
		.doit		= vipfwd_pool_get_doit,
		.dumpit		= vipfwd_pool_dumpit,
		.policy		= vipfwd_pool_req_policy,
		.maxattr	= VIPFWD_A_POOL,
	},
	{
		.cmd		= VIPFWD_CMD_BACKEND_NEW,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_backend_new_doit,
		.policy		= vipfwd_backend_req_policy,
		.maxattr	= VIPFWD_A_BACKEND,
	},
	{
		.cmd		= VIPFWD_CMD_BACKEND_SET,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_backend_set_doit,
		.policy		= vipfwd_backend_req_policy,
		.maxattr	= VIPFWD_A_BACKEND,
	},
	{
		.cmd		= VIPFWD_CMD_BACKEND_DEL,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_backend_del_doit,
		.policy		= vipfwd_backend_req_policy,
		.maxattr	= VIPFWD_A_BACKEND,
	},
	{
		.cmd		= VIPFWD_CMD_BACKEND_GET,
		.doit		= vipfwd_backend_get_doit,
		.dumpit		= vipfwd_backend_dumpit,
		.policy		= vipfwd_backend_req_policy,
		.maxattr	= VIPFWD_A_BACKEND,
	},
	{
		.cmd		= VIPFWD_CMD_FRONTEND_NEW,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_frontend_new_doit,
		.policy		= vipfwd_frontend_req_policy,
		.maxattr	= VIPFWD_A_FRONTEND,
	},
	{
		.cmd		= VIPFWD_CMD_FRONTEND_SET,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_frontend_set_doit,
		.policy		= vipfwd_frontend_req_policy,
		.maxattr	= VIPFWD_A_FRONTEND,
	},
	{
		.cmd		= VIPFWD_CMD_FRONTEND_DEL,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_frontend_del_doit,
		.policy		= vipfwd_frontend_req_policy,
		.maxattr	= VIPFWD_A_FRONTEND,
	},
	{
		.cmd		= VIPFWD_CMD_FRONTEND_GET,
		.doit		= vipfwd_frontend_get_doit,
		.dumpit		= vipfwd_frontend_dumpit,
		.policy		= vipfwd_frontend_req_policy,
		.maxattr	= VIPFWD_A_FRONTEND,
	},
	{
		/* no policy: the core refuses any attribute */
		.cmd		= VIPFWD_CMD_STATS_GET,
		.doit		= vipfwd_stats_get_doit,
	},
	/* netlink_flow.c; flows are read with CAP_NET_ADMIN only */
	{
		.cmd		= VIPFWD_CMD_FLOW_GET,
		.flags		= GENL_UNS_ADMIN_PERM,
		.dumpit		= vipfwd_flow_get_dumpit,
		.policy		= vipfwd_flow_req_policy,
		.maxattr	= VIPFWD_A_FLOW,
	},
	{
		.cmd		= VIPFWD_CMD_FLOW_FLUSH,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_flow_flush_doit,
		.policy		= vipfwd_flow_req_policy,
		.maxattr	= VIPFWD_A_FLOW,
	},
	{
		.cmd		= VIPFWD_CMD_EXPLAIN,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_explain_doit,
		.policy		= vipfwd_explain_req_policy,
		.maxattr	= VIPFWD_A_EXPLAIN,
	},
	{
		.cmd		= VIPFWD_CMD_SETTINGS_SET,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_settings_set_doit,
		.policy		= vipfwd_settings_req_policy,
		.maxattr	= VIPFWD_A_SETTINGS,
	},
	{
		/* no policy: the core refuses any attribute */
		.cmd		= VIPFWD_CMD_SETTINGS_GET,
		.doit		= vipfwd_settings_get_doit,
	},
	/* netlink_decap.c: host-side delivery rules */
	{
		.cmd		= VIPFWD_CMD_DECAP_NEW,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_decap_new_doit,
		.policy		= vipfwd_decap_req_policy,
		.maxattr	= VIPFWD_A_DECAP,
	},
	{
		.cmd		= VIPFWD_CMD_DECAP_DEL,
		.flags		= GENL_UNS_ADMIN_PERM,
		.doit		= vipfwd_decap_del_doit,
		.policy		= vipfwd_decap_req_policy,
		.maxattr	= VIPFWD_A_DECAP,
	},
	{
		.cmd		= VIPFWD_CMD_DECAP_GET,
		.dumpit		= vipfwd_decap_get_dumpit,
		.policy		= vipfwd_decap_req_policy,
		.maxattr	= VIPFWD_A_DECAP,
	},
};

static const struct genl_multicast_group vipfwd_mcgrps[] = {
	[VIPFWD_MCGRP_EVENTS_IDX] = { .name = VIPFWD_MCGRP_EVENTS, },
};

static struct genl_family vipfwd_genl_family __ro_after_init = {
	.name		= VIPFWD_GENL_NAME,
	.version	= VIPFWD_GENL_VERSION,
	.maxattr	= VIPFWD_A_MAX,
	.netnsok	= true,
	/* Requests are serialised by genl_mutex; vn->lock still guards the
	 * configuration against namespace teardown and is what the rules
	 * in vipfwd.h are written against.
	 */
	.parallel_ops	= false,
	/* Every command is new: reserved header fields must be zero, only
	 * the request/ack/echo/dump flags are accepted, attributes are
	 * validated strictly, and a command without a policy takes none.
	 */
	.resv_start_op	= VIPFWD_CMD_UNSPEC,
	.module		= THIS_MODULE,
	.ops		= vipfwd_genl_ops,
	.n_ops		= ARRAY_SIZE(vipfwd_genl_ops),
	.mcgrps		= vipfwd_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vipfwd_mcgrps),
};

int vipfwd_genl_init(void)
{
	return genl_register_family(&vipfwd_genl_family);
}

void vipfwd_genl_exit(void)
{
	genl_unregister_family(&vipfwd_genl_family);
}
