// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <sys/socket.h>
#include <netlink/genl/genl.h>

#include "objects.h"
#include "util.h"

/* The has bitmaps are 32 bits wide. */
_Static_assert(VIPFWD_POOL_A_MAX < 32, "pool attributes exceed bitmap");
_Static_assert(VIPFWD_BACKEND_A_MAX < 32, "backend attributes exceed bitmap");
_Static_assert(VIPFWD_FRONTEND_A_MAX < 32, "frontend attrs exceed bitmap");
_Static_assert(VIPFWD_STATS_A_MAX < 32, "stats attributes exceed bitmap");
_Static_assert(VIPFWD_FLOW_A_MAX < 32, "flow attributes exceed bitmap");
_Static_assert(VIPFWD_EXPLAIN_A_MAX < 32, "explain attrs exceed bitmap");
_Static_assert(VIPFWD_SETTINGS_A_MAX < 32, "settings attrs exceed bitmap");

static void set_addr_bits(uint32_t *has, const struct vip_addr *a,
			  struct vip_addr *dst, int attr4, int attr6)
{
	*has &= ~((1u << attr4) | (1u << attr6));
	*dst = *a;
	if (a->family == AF_INET)
		*has |= 1u << attr4;
	else if (a->family == AF_INET6)
		*has |= 1u << attr6;
}

void vip_backend_set_addr(struct vip_backend *b, const struct vip_addr *a)
{
	set_addr_bits(&b->has, a, &b->addr, VIPFWD_BACKEND_A_ADDR4,
		      VIPFWD_BACKEND_A_ADDR6);
}

void vip_backend_set_via(struct vip_backend *b, const struct vip_addr *a)
{
	set_addr_bits(&b->has, a, &b->via, VIPFWD_BACKEND_A_VIA4,
		      VIPFWD_BACKEND_A_VIA6);
}

void vip_frontend_set_vip(struct vip_frontend *f, const struct vip_addr *a)
{
	set_addr_bits(&f->has, a, &f->vip, VIPFWD_FRONTEND_A_VIP4,
		      VIPFWD_FRONTEND_A_VIP6);
}

void vip_frontend_set_source(struct vip_frontend *f,
			     const struct vip_addr *a)
{
	set_addr_bits(&f->has, a, &f->source, VIPFWD_FRONTEND_A_SOURCE4,
		      VIPFWD_FRONTEND_A_SOURCE6);
}

void vip_flow_set_fe_vip(struct vip_flow *fl, const struct vip_addr *a)
{
	set_addr_bits(&fl->has, a, &fl->fe_vip, VIPFWD_FLOW_A_FRONTEND_VIP4,
		      VIPFWD_FLOW_A_FRONTEND_VIP6);
}

void vip_flow_set_backend(struct vip_flow *fl, const struct vip_addr *a)
{
	set_addr_bits(&fl->has, a, &fl->backend, VIPFWD_FLOW_A_BACKEND4,
		      VIPFWD_FLOW_A_BACKEND6);
}

void vip_explain_set_src(struct vip_explain *x, const struct vip_addr *a)
{
	set_addr_bits(&x->has, a, &x->src, VIPFWD_EXPLAIN_A_SRC4,
		      VIPFWD_EXPLAIN_A_SRC6);
}

void vip_explain_set_dst(struct vip_explain *x, const struct vip_addr *a)
{
	set_addr_bits(&x->has, a, &x->dst, VIPFWD_EXPLAIN_A_DST4,
		      VIPFWD_EXPLAIN_A_DST6);
}

/* ---- encoding ---- */

#define PUT(cond, expr)				\
	do {					\
		if ((cond) && (err = (expr)) < 0) \
			goto out;		\
	} while (0)

static int put_addr(struct nl_msg *msg, uint32_t has, int attr4, int attr6,
		    const struct vip_addr *a)
{
	if ((has >> attr4) & 1u)
		return nla_put_u32(msg, attr4, a->u.v4.s_addr);
	if ((has >> attr6) & 1u)
		return nla_put(msg, attr6, sizeof(a->u.v6), &a->u.v6);
	return 0;
}

int vip_pool_put(struct nl_msg *msg, const struct vip_pool *p)
{
	struct nlattr *nest;
	int err = 0;

	/* Strict kernel validation wants NLA_F_NESTED on nests. */
	nest = nla_nest_start(msg, VIPFWD_A_POOL | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	PUT(VIP_HAS(p, VIPFWD_POOL_A_NAME),
	    nla_put_string(msg, VIPFWD_POOL_A_NAME, p->name));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_PROBE_TYPE),
	    nla_put_u8(msg, VIPFWD_POOL_A_PROBE_TYPE, p->probe_type));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_PROBE_PORT),
	    nla_put_u16(msg, VIPFWD_POOL_A_PROBE_PORT, p->probe_port));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_PROBE_HTTP_PATH),
	    nla_put_string(msg, VIPFWD_POOL_A_PROBE_HTTP_PATH, p->http_path));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_PROBE_HTTP_EXPECT),
	    nla_put_string(msg, VIPFWD_POOL_A_PROBE_HTTP_EXPECT,
			   p->http_expect));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_INTERVAL_MS),
	    nla_put_u32(msg, VIPFWD_POOL_A_INTERVAL_MS, p->interval_ms));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_TIMEOUT_MS),
	    nla_put_u32(msg, VIPFWD_POOL_A_TIMEOUT_MS, p->timeout_ms));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_FALL),
	    nla_put_u32(msg, VIPFWD_POOL_A_FALL, p->fall));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_RISE),
	    nla_put_u32(msg, VIPFWD_POOL_A_RISE, p->rise));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_TABLE_SIZE),
	    nla_put_u32(msg, VIPFWD_POOL_A_TABLE_SIZE, p->table_size));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_BACKEND_COUNT),
	    nla_put_u32(msg, VIPFWD_POOL_A_BACKEND_COUNT, p->backend_count));
	PUT(VIP_HAS(p, VIPFWD_POOL_A_FRONTEND_COUNT),
	    nla_put_u32(msg, VIPFWD_POOL_A_FRONTEND_COUNT,
			p->frontend_count));
	return nla_nest_end(msg, nest);
out:
	nla_nest_cancel(msg, nest);
	return err;
}

int vip_counters_put(struct nl_msg *msg, int attr,
		     const struct vip_counters *c)
{
	struct nlattr *nest;
	int err = 0, i;

	nest = nla_nest_start(msg, attr | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	for (i = VIPFWD_STATS_A_PACKETS; i <= VIPFWD_STATS_A_MAX; i++)
		PUT(VIP_HAS(c, i), nla_put_u64(msg, i, c->v[i]));
	return nla_nest_end(msg, nest);
out:
	nla_nest_cancel(msg, nest);
	return err;
}

int vip_backend_put(struct nl_msg *msg, const struct vip_backend *b)
{
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(msg, VIPFWD_A_BACKEND | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_POOL),
	    nla_put_string(msg, VIPFWD_BACKEND_A_POOL, b->pool));
	PUT(1, put_addr(msg, b->has, VIPFWD_BACKEND_A_ADDR4,
			VIPFWD_BACKEND_A_ADDR6, &b->addr));
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_WEIGHT),
	    nla_put_u32(msg, VIPFWD_BACKEND_A_WEIGHT, b->weight));
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_TIER),
	    nla_put_u8(msg, VIPFWD_BACKEND_A_TIER, b->tier));
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_STATE),
	    nla_put_u8(msg, VIPFWD_BACKEND_A_STATE, b->state));
	PUT(1, put_addr(msg, b->has, VIPFWD_BACKEND_A_VIA4,
			VIPFWD_BACKEND_A_VIA6, &b->via));
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_HEALTH),
	    nla_put_u8(msg, VIPFWD_BACKEND_A_HEALTH, b->health));
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_ELIGIBLE),
	    nla_put_u8(msg, VIPFWD_BACKEND_A_ELIGIBLE, b->eligible));
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_REASON),
	    nla_put_string(msg, VIPFWD_BACKEND_A_REASON, b->reason));
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_FLOWS),
	    nla_put_u32(msg, VIPFWD_BACKEND_A_FLOWS, b->flows));
	PUT(VIP_HAS(b, VIPFWD_BACKEND_A_STATS),
	    vip_counters_put(msg, VIPFWD_BACKEND_A_STATS, &b->stats));
	return nla_nest_end(msg, nest);
out:
	nla_nest_cancel(msg, nest);
	return err;
}

int vip_frontend_put(struct nl_msg *msg, const struct vip_frontend *f)
{
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(msg, VIPFWD_A_FRONTEND | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	PUT(1, put_addr(msg, f->has, VIPFWD_FRONTEND_A_VIP4,
			VIPFWD_FRONTEND_A_VIP6, &f->vip));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_PROTO),
	    nla_put_u8(msg, VIPFWD_FRONTEND_A_PROTO, f->proto));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_PORT),
	    nla_put_u16(msg, VIPFWD_FRONTEND_A_PORT, f->port));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_POOL),
	    nla_put_string(msg, VIPFWD_FRONTEND_A_POOL, f->pool));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_MODE),
	    nla_put_u8(msg, VIPFWD_FRONTEND_A_MODE, f->mode));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_ENCAP),
	    nla_put_u8(msg, VIPFWD_FRONTEND_A_ENCAP, f->encap));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_GUE_PORT),
	    nla_put_u16(msg, VIPFWD_FRONTEND_A_GUE_PORT, f->gue_port));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_BACKEND_PORT),
	    nla_put_u16(msg, VIPFWD_FRONTEND_A_BACKEND_PORT,
			f->backend_port));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_IDLE_TIMEOUT),
	    nla_put_u32(msg, VIPFWD_FRONTEND_A_IDLE_TIMEOUT, f->idle_timeout));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_HASH),
	    nla_put_u8(msg, VIPFWD_FRONTEND_A_HASH, f->hash));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_NO_BACKEND),
	    nla_put_u8(msg, VIPFWD_FRONTEND_A_NO_BACKEND, f->no_backend));
	PUT(1, put_addr(msg, f->has, VIPFWD_FRONTEND_A_SOURCE4,
			VIPFWD_FRONTEND_A_SOURCE6, &f->source));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_STATS),
	    vip_counters_put(msg, VIPFWD_FRONTEND_A_STATS, &f->stats));
	PUT(VIP_HAS(f, VIPFWD_FRONTEND_A_ON_HEALTH_DOWN),
	    nla_put_u8(msg, VIPFWD_FRONTEND_A_ON_HEALTH_DOWN,
		       f->on_health_down));
	return nla_nest_end(msg, nest);
out:
	nla_nest_cancel(msg, nest);
	return err;
}

int vip_flow_put(struct nl_msg *msg, const struct vip_flow *fl)
{
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(msg, VIPFWD_A_FLOW | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_PROTO),
	    nla_put_u8(msg, VIPFWD_FLOW_A_PROTO, fl->proto));
	PUT(1, put_addr(msg, fl->has, VIPFWD_FLOW_A_SRC4, VIPFWD_FLOW_A_SRC6,
			&fl->src));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_SPORT),
	    nla_put_u16(msg, VIPFWD_FLOW_A_SPORT, fl->sport));
	PUT(1, put_addr(msg, fl->has, VIPFWD_FLOW_A_DST4, VIPFWD_FLOW_A_DST6,
			&fl->dst));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_DPORT),
	    nla_put_u16(msg, VIPFWD_FLOW_A_DPORT, fl->dport));
	PUT(1, put_addr(msg, fl->has, VIPFWD_FLOW_A_FRONTEND_VIP4,
			VIPFWD_FLOW_A_FRONTEND_VIP6, &fl->fe_vip));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_FRONTEND_PROTO),
	    nla_put_u8(msg, VIPFWD_FLOW_A_FRONTEND_PROTO, fl->fe_proto));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_FRONTEND_PORT),
	    nla_put_u16(msg, VIPFWD_FLOW_A_FRONTEND_PORT, fl->fe_port));
	PUT(1, put_addr(msg, fl->has, VIPFWD_FLOW_A_BACKEND4,
			VIPFWD_FLOW_A_BACKEND6, &fl->backend));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_POOL),
	    nla_put_string(msg, VIPFWD_FLOW_A_POOL, fl->pool));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_STATE),
	    nla_put_u8(msg, VIPFWD_FLOW_A_STATE, fl->state));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_IDLE_MS),
	    nla_put_u32(msg, VIPFWD_FLOW_A_IDLE_MS, fl->idle_ms));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_EXPIRES_MS),
	    nla_put_u32(msg, VIPFWD_FLOW_A_EXPIRES_MS, fl->expires_ms));
	PUT(VIP_HAS(fl, VIPFWD_FLOW_A_FLUSHED),
	    nla_put_u32(msg, VIPFWD_FLOW_A_FLUSHED, fl->flushed));
	return nla_nest_end(msg, nest);
out:
	nla_nest_cancel(msg, nest);
	return err;
}

int vip_explain_put(struct nl_msg *msg, const struct vip_explain *x)
{
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(msg, VIPFWD_A_EXPLAIN | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_PROTO),
	    nla_put_u8(msg, VIPFWD_EXPLAIN_A_PROTO, x->proto));
	PUT(1, put_addr(msg, x->has, VIPFWD_EXPLAIN_A_SRC4,
			VIPFWD_EXPLAIN_A_SRC6, &x->src));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_SPORT),
	    nla_put_u16(msg, VIPFWD_EXPLAIN_A_SPORT, x->sport));
	PUT(1, put_addr(msg, x->has, VIPFWD_EXPLAIN_A_DST4,
			VIPFWD_EXPLAIN_A_DST6, &x->dst));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_DPORT),
	    nla_put_u16(msg, VIPFWD_EXPLAIN_A_DPORT, x->dport));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_WHY),
	    nla_put_u8(msg, VIPFWD_EXPLAIN_A_WHY, x->why));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_REASON),
	    nla_put_string(msg, VIPFWD_EXPLAIN_A_REASON, x->reason));
	PUT(1, put_addr(msg, x->has, VIPFWD_EXPLAIN_A_FRONTEND_VIP4,
			VIPFWD_EXPLAIN_A_FRONTEND_VIP6, &x->fe_vip));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_FRONTEND_PROTO),
	    nla_put_u8(msg, VIPFWD_EXPLAIN_A_FRONTEND_PROTO, x->fe_proto));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_FRONTEND_PORT),
	    nla_put_u16(msg, VIPFWD_EXPLAIN_A_FRONTEND_PORT, x->fe_port));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_POOL),
	    nla_put_string(msg, VIPFWD_EXPLAIN_A_POOL, x->pool));
	PUT(1, put_addr(msg, x->has, VIPFWD_EXPLAIN_A_BACKEND4,
			VIPFWD_EXPLAIN_A_BACKEND6, &x->backend));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_TIER),
	    nla_put_u8(msg, VIPFWD_EXPLAIN_A_TIER, x->tier));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_HASH),
	    nla_put_u32(msg, VIPFWD_EXPLAIN_A_HASH, x->hash));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_TABLE_INDEX),
	    nla_put_u32(msg, VIPFWD_EXPLAIN_A_TABLE_INDEX, x->table_index));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_TABLE_SIZE),
	    nla_put_u32(msg, VIPFWD_EXPLAIN_A_TABLE_SIZE, x->table_size));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_FLOW_IDLE_MS),
	    nla_put_u32(msg, VIPFWD_EXPLAIN_A_FLOW_IDLE_MS, x->flow_idle_ms));
	PUT(VIP_HAS(x, VIPFWD_EXPLAIN_A_BACKEND_PORT),
	    nla_put_u16(msg, VIPFWD_EXPLAIN_A_BACKEND_PORT, x->backend_port));
	return nla_nest_end(msg, nest);
out:
	nla_nest_cancel(msg, nest);
	return err;
}

int vip_settings_put(struct nl_msg *msg, const struct vip_settings *st)
{
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(msg, VIPFWD_A_SETTINGS | NLA_F_NESTED);
	if (!nest)
		return -NLE_NOMEM;
	PUT(VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_LIMIT),
	    nla_put_u32(msg, VIPFWD_SETTINGS_A_FLOW_LIMIT, st->flow_limit));
	PUT(VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_COUNT),
	    nla_put_u32(msg, VIPFWD_SETTINGS_A_FLOW_COUNT, st->flow_count));
	return nla_nest_end(msg, nest);
out:
	nla_nest_cancel(msg, nest);
	return err;
}

/* ---- decoding ---- */

static const struct nla_policy addr6_policy = { .type = NLA_UNSPEC, .minlen = 16 };

static void get_addr4(struct nlattr *a, struct vip_addr *dst)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = AF_INET;
	dst->u.v4.s_addr = nla_get_u32(a);
}

static void get_addr6(struct nlattr *a, struct vip_addr *dst)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = AF_INET6;
	memcpy(&dst->u.v6, nla_data(a), sizeof(dst->u.v6));
}

/* Marks in *has every attribute present in tb. */
static uint32_t present(struct nlattr **tb, int max)
{
	uint32_t has = 0;
	int i;

	for (i = 1; i <= max; i++)
		if (tb[i])
			has |= 1u << i;
	return has;
}

int vip_counters_parse(struct nlattr *nest, struct vip_counters *c)
{
	struct nla_policy pol[VIPFWD_STATS_A_MAX + 1];
	struct nlattr *tb[VIPFWD_STATS_A_MAX + 1];
	int err, i;

	memset(pol, 0, sizeof(pol));
	for (i = VIPFWD_STATS_A_PACKETS; i <= VIPFWD_STATS_A_MAX; i++)
		pol[i].type = NLA_U64;
	memset(c, 0, sizeof(*c));
	err = nla_parse_nested(tb, VIPFWD_STATS_A_MAX, nest, pol);
	if (err < 0)
		return err;
	tb[VIPFWD_STATS_A_PAD] = NULL;
	c->has = present(tb, VIPFWD_STATS_A_MAX);
	for (i = VIPFWD_STATS_A_PACKETS; i <= VIPFWD_STATS_A_MAX; i++)
		if (tb[i])
			c->v[i] = nla_get_u64(tb[i]);
	return 0;
}

int vip_pool_parse(struct nlattr *nest, struct vip_pool *p)
{
	struct nla_policy pol[VIPFWD_POOL_A_MAX + 1] = {
		[VIPFWD_POOL_A_NAME] = { .type = NLA_STRING },
		[VIPFWD_POOL_A_PROBE_TYPE] = { .type = NLA_U8 },
		[VIPFWD_POOL_A_PROBE_PORT] = { .type = NLA_U16 },
		[VIPFWD_POOL_A_PROBE_HTTP_PATH] = { .type = NLA_STRING },
		[VIPFWD_POOL_A_PROBE_HTTP_EXPECT] = { .type = NLA_STRING },
		[VIPFWD_POOL_A_INTERVAL_MS] = { .type = NLA_U32 },
		[VIPFWD_POOL_A_TIMEOUT_MS] = { .type = NLA_U32 },
		[VIPFWD_POOL_A_FALL] = { .type = NLA_U32 },
		[VIPFWD_POOL_A_RISE] = { .type = NLA_U32 },
		[VIPFWD_POOL_A_TABLE_SIZE] = { .type = NLA_U32 },
		[VIPFWD_POOL_A_BACKEND_COUNT] = { .type = NLA_U32 },
		[VIPFWD_POOL_A_FRONTEND_COUNT] = { .type = NLA_U32 },
	};
	struct nlattr *tb[VIPFWD_POOL_A_MAX + 1];
	int err;

	memset(p, 0, sizeof(*p));
	err = nla_parse_nested(tb, VIPFWD_POOL_A_MAX, nest, pol);
	if (err < 0)
		return err;
	p->has = present(tb, VIPFWD_POOL_A_MAX);
	if (tb[VIPFWD_POOL_A_NAME])
		vip_strlcpy(p->name, nla_get_string(tb[VIPFWD_POOL_A_NAME]),
			    sizeof(p->name));
	if (tb[VIPFWD_POOL_A_PROBE_TYPE])
		p->probe_type = nla_get_u8(tb[VIPFWD_POOL_A_PROBE_TYPE]);
	if (tb[VIPFWD_POOL_A_PROBE_PORT])
		p->probe_port = nla_get_u16(tb[VIPFWD_POOL_A_PROBE_PORT]);
	if (tb[VIPFWD_POOL_A_PROBE_HTTP_PATH])
		vip_strlcpy(p->http_path,
			    nla_get_string(tb[VIPFWD_POOL_A_PROBE_HTTP_PATH]),
			    sizeof(p->http_path));
	if (tb[VIPFWD_POOL_A_PROBE_HTTP_EXPECT])
		vip_strlcpy(p->http_expect,
			    nla_get_string(tb[VIPFWD_POOL_A_PROBE_HTTP_EXPECT]),
			    sizeof(p->http_expect));
	if (tb[VIPFWD_POOL_A_INTERVAL_MS])
		p->interval_ms = nla_get_u32(tb[VIPFWD_POOL_A_INTERVAL_MS]);
	if (tb[VIPFWD_POOL_A_TIMEOUT_MS])
		p->timeout_ms = nla_get_u32(tb[VIPFWD_POOL_A_TIMEOUT_MS]);
	if (tb[VIPFWD_POOL_A_FALL])
		p->fall = nla_get_u32(tb[VIPFWD_POOL_A_FALL]);
	if (tb[VIPFWD_POOL_A_RISE])
		p->rise = nla_get_u32(tb[VIPFWD_POOL_A_RISE]);
	if (tb[VIPFWD_POOL_A_TABLE_SIZE])
		p->table_size = nla_get_u32(tb[VIPFWD_POOL_A_TABLE_SIZE]);
	if (tb[VIPFWD_POOL_A_BACKEND_COUNT])
		p->backend_count =
			nla_get_u32(tb[VIPFWD_POOL_A_BACKEND_COUNT]);
	if (tb[VIPFWD_POOL_A_FRONTEND_COUNT])
		p->frontend_count =
			nla_get_u32(tb[VIPFWD_POOL_A_FRONTEND_COUNT]);
	return 0;
}

int vip_backend_parse(struct nlattr *nest, struct vip_backend *b)
{
	struct nla_policy pol[VIPFWD_BACKEND_A_MAX + 1] = {
		[VIPFWD_BACKEND_A_POOL] = { .type = NLA_STRING },
		[VIPFWD_BACKEND_A_ADDR4] = { .type = NLA_U32 },
		[VIPFWD_BACKEND_A_ADDR6] = addr6_policy,
		[VIPFWD_BACKEND_A_WEIGHT] = { .type = NLA_U32 },
		[VIPFWD_BACKEND_A_TIER] = { .type = NLA_U8 },
		[VIPFWD_BACKEND_A_STATE] = { .type = NLA_U8 },
		[VIPFWD_BACKEND_A_VIA4] = { .type = NLA_U32 },
		[VIPFWD_BACKEND_A_VIA6] = addr6_policy,
		[VIPFWD_BACKEND_A_HEALTH] = { .type = NLA_U8 },
		[VIPFWD_BACKEND_A_ELIGIBLE] = { .type = NLA_U8 },
		[VIPFWD_BACKEND_A_REASON] = { .type = NLA_STRING },
		[VIPFWD_BACKEND_A_FLOWS] = { .type = NLA_U32 },
		[VIPFWD_BACKEND_A_STATS] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[VIPFWD_BACKEND_A_MAX + 1];
	int err;

	memset(b, 0, sizeof(*b));
	err = nla_parse_nested(tb, VIPFWD_BACKEND_A_MAX, nest, pol);
	if (err < 0)
		return err;
	b->has = present(tb, VIPFWD_BACKEND_A_MAX);
	if (tb[VIPFWD_BACKEND_A_POOL])
		vip_strlcpy(b->pool, nla_get_string(tb[VIPFWD_BACKEND_A_POOL]),
			    sizeof(b->pool));
	if (tb[VIPFWD_BACKEND_A_ADDR4])
		get_addr4(tb[VIPFWD_BACKEND_A_ADDR4], &b->addr);
	else if (tb[VIPFWD_BACKEND_A_ADDR6])
		get_addr6(tb[VIPFWD_BACKEND_A_ADDR6], &b->addr);
	if (tb[VIPFWD_BACKEND_A_WEIGHT])
		b->weight = nla_get_u32(tb[VIPFWD_BACKEND_A_WEIGHT]);
	if (tb[VIPFWD_BACKEND_A_TIER])
		b->tier = nla_get_u8(tb[VIPFWD_BACKEND_A_TIER]);
	if (tb[VIPFWD_BACKEND_A_STATE])
		b->state = nla_get_u8(tb[VIPFWD_BACKEND_A_STATE]);
	if (tb[VIPFWD_BACKEND_A_VIA4])
		get_addr4(tb[VIPFWD_BACKEND_A_VIA4], &b->via);
	else if (tb[VIPFWD_BACKEND_A_VIA6])
		get_addr6(tb[VIPFWD_BACKEND_A_VIA6], &b->via);
	if (tb[VIPFWD_BACKEND_A_HEALTH])
		b->health = nla_get_u8(tb[VIPFWD_BACKEND_A_HEALTH]);
	if (tb[VIPFWD_BACKEND_A_ELIGIBLE])
		b->eligible = nla_get_u8(tb[VIPFWD_BACKEND_A_ELIGIBLE]);
	if (tb[VIPFWD_BACKEND_A_REASON])
		vip_strlcpy(b->reason,
			    nla_get_string(tb[VIPFWD_BACKEND_A_REASON]),
			    sizeof(b->reason));
	if (tb[VIPFWD_BACKEND_A_FLOWS])
		b->flows = nla_get_u32(tb[VIPFWD_BACKEND_A_FLOWS]);
	if (tb[VIPFWD_BACKEND_A_STATS])
		return vip_counters_parse(tb[VIPFWD_BACKEND_A_STATS],
					  &b->stats);
	return 0;
}

int vip_frontend_parse(struct nlattr *nest, struct vip_frontend *f)
{
	struct nla_policy pol[VIPFWD_FRONTEND_A_MAX + 1] = {
		[VIPFWD_FRONTEND_A_VIP4] = { .type = NLA_U32 },
		[VIPFWD_FRONTEND_A_VIP6] = addr6_policy,
		[VIPFWD_FRONTEND_A_PROTO] = { .type = NLA_U8 },
		[VIPFWD_FRONTEND_A_PORT] = { .type = NLA_U16 },
		[VIPFWD_FRONTEND_A_POOL] = { .type = NLA_STRING },
		[VIPFWD_FRONTEND_A_MODE] = { .type = NLA_U8 },
		[VIPFWD_FRONTEND_A_ENCAP] = { .type = NLA_U8 },
		[VIPFWD_FRONTEND_A_GUE_PORT] = { .type = NLA_U16 },
		[VIPFWD_FRONTEND_A_BACKEND_PORT] = { .type = NLA_U16 },
		[VIPFWD_FRONTEND_A_IDLE_TIMEOUT] = { .type = NLA_U32 },
		[VIPFWD_FRONTEND_A_HASH] = { .type = NLA_U8 },
		[VIPFWD_FRONTEND_A_NO_BACKEND] = { .type = NLA_U8 },
		[VIPFWD_FRONTEND_A_SOURCE4] = { .type = NLA_U32 },
		[VIPFWD_FRONTEND_A_SOURCE6] = addr6_policy,
		[VIPFWD_FRONTEND_A_STATS] = { .type = NLA_NESTED },
		[VIPFWD_FRONTEND_A_ON_HEALTH_DOWN] = { .type = NLA_U8 },
	};
	struct nlattr *tb[VIPFWD_FRONTEND_A_MAX + 1];
	int err;

	memset(f, 0, sizeof(*f));
	err = nla_parse_nested(tb, VIPFWD_FRONTEND_A_MAX, nest, pol);
	if (err < 0)
		return err;
	f->has = present(tb, VIPFWD_FRONTEND_A_MAX);
	if (tb[VIPFWD_FRONTEND_A_VIP4])
		get_addr4(tb[VIPFWD_FRONTEND_A_VIP4], &f->vip);
	else if (tb[VIPFWD_FRONTEND_A_VIP6])
		get_addr6(tb[VIPFWD_FRONTEND_A_VIP6], &f->vip);
	if (tb[VIPFWD_FRONTEND_A_PROTO])
		f->proto = nla_get_u8(tb[VIPFWD_FRONTEND_A_PROTO]);
	if (tb[VIPFWD_FRONTEND_A_PORT])
		f->port = nla_get_u16(tb[VIPFWD_FRONTEND_A_PORT]);
	if (tb[VIPFWD_FRONTEND_A_POOL])
		vip_strlcpy(f->pool, nla_get_string(tb[VIPFWD_FRONTEND_A_POOL]),
			    sizeof(f->pool));
	if (tb[VIPFWD_FRONTEND_A_MODE])
		f->mode = nla_get_u8(tb[VIPFWD_FRONTEND_A_MODE]);
	if (tb[VIPFWD_FRONTEND_A_ENCAP])
		f->encap = nla_get_u8(tb[VIPFWD_FRONTEND_A_ENCAP]);
	if (tb[VIPFWD_FRONTEND_A_GUE_PORT])
		f->gue_port = nla_get_u16(tb[VIPFWD_FRONTEND_A_GUE_PORT]);
	if (tb[VIPFWD_FRONTEND_A_BACKEND_PORT])
		f->backend_port =
			nla_get_u16(tb[VIPFWD_FRONTEND_A_BACKEND_PORT]);
	if (tb[VIPFWD_FRONTEND_A_IDLE_TIMEOUT])
		f->idle_timeout =
			nla_get_u32(tb[VIPFWD_FRONTEND_A_IDLE_TIMEOUT]);
	if (tb[VIPFWD_FRONTEND_A_HASH])
		f->hash = nla_get_u8(tb[VIPFWD_FRONTEND_A_HASH]);
	if (tb[VIPFWD_FRONTEND_A_NO_BACKEND])
		f->no_backend = nla_get_u8(tb[VIPFWD_FRONTEND_A_NO_BACKEND]);
	if (tb[VIPFWD_FRONTEND_A_SOURCE4])
		get_addr4(tb[VIPFWD_FRONTEND_A_SOURCE4], &f->source);
	else if (tb[VIPFWD_FRONTEND_A_SOURCE6])
		get_addr6(tb[VIPFWD_FRONTEND_A_SOURCE6], &f->source);
	if (tb[VIPFWD_FRONTEND_A_ON_HEALTH_DOWN])
		f->on_health_down =
			nla_get_u8(tb[VIPFWD_FRONTEND_A_ON_HEALTH_DOWN]);
	if (tb[VIPFWD_FRONTEND_A_STATS])
		return vip_counters_parse(tb[VIPFWD_FRONTEND_A_STATS],
					  &f->stats);
	return 0;
}

/* Address attribute pair into dst; no bit is set when neither is there. */
static void get_addr_pair(struct nlattr **tb, int attr4, int attr6,
			  struct vip_addr *dst)
{
	if (tb[attr4])
		get_addr4(tb[attr4], dst);
	else if (tb[attr6])
		get_addr6(tb[attr6], dst);
}

int vip_flow_parse(struct nlattr *nest, struct vip_flow *fl)
{
	struct nla_policy pol[VIPFWD_FLOW_A_MAX + 1] = {
		[VIPFWD_FLOW_A_PROTO] = { .type = NLA_U8 },
		[VIPFWD_FLOW_A_SRC4] = { .type = NLA_U32 },
		[VIPFWD_FLOW_A_SRC6] = addr6_policy,
		[VIPFWD_FLOW_A_SPORT] = { .type = NLA_U16 },
		[VIPFWD_FLOW_A_DST4] = { .type = NLA_U32 },
		[VIPFWD_FLOW_A_DST6] = addr6_policy,
		[VIPFWD_FLOW_A_DPORT] = { .type = NLA_U16 },
		[VIPFWD_FLOW_A_FRONTEND_VIP4] = { .type = NLA_U32 },
		[VIPFWD_FLOW_A_FRONTEND_VIP6] = addr6_policy,
		[VIPFWD_FLOW_A_FRONTEND_PROTO] = { .type = NLA_U8 },
		[VIPFWD_FLOW_A_FRONTEND_PORT] = { .type = NLA_U16 },
		[VIPFWD_FLOW_A_BACKEND4] = { .type = NLA_U32 },
		[VIPFWD_FLOW_A_BACKEND6] = addr6_policy,
		[VIPFWD_FLOW_A_POOL] = { .type = NLA_STRING },
		[VIPFWD_FLOW_A_STATE] = { .type = NLA_U8 },
		[VIPFWD_FLOW_A_IDLE_MS] = { .type = NLA_U32 },
		[VIPFWD_FLOW_A_EXPIRES_MS] = { .type = NLA_U32 },
		[VIPFWD_FLOW_A_FLUSHED] = { .type = NLA_U32 },
		[VIPFWD_FLOW_A_BACKEND_PORT] = { .type = NLA_U16 },
	};
	struct nlattr *tb[VIPFWD_FLOW_A_MAX + 1];
	int err;

	memset(fl, 0, sizeof(*fl));
	err = nla_parse_nested(tb, VIPFWD_FLOW_A_MAX, nest, pol);
	if (err < 0)
		return err;
	fl->has = present(tb, VIPFWD_FLOW_A_MAX);
	if (tb[VIPFWD_FLOW_A_PROTO])
		fl->proto = nla_get_u8(tb[VIPFWD_FLOW_A_PROTO]);
	get_addr_pair(tb, VIPFWD_FLOW_A_SRC4, VIPFWD_FLOW_A_SRC6, &fl->src);
	if (tb[VIPFWD_FLOW_A_SPORT])
		fl->sport = nla_get_u16(tb[VIPFWD_FLOW_A_SPORT]);
	get_addr_pair(tb, VIPFWD_FLOW_A_DST4, VIPFWD_FLOW_A_DST6, &fl->dst);
	if (tb[VIPFWD_FLOW_A_DPORT])
		fl->dport = nla_get_u16(tb[VIPFWD_FLOW_A_DPORT]);
	get_addr_pair(tb, VIPFWD_FLOW_A_FRONTEND_VIP4,
		      VIPFWD_FLOW_A_FRONTEND_VIP6, &fl->fe_vip);
	if (tb[VIPFWD_FLOW_A_FRONTEND_PROTO])
		fl->fe_proto = nla_get_u8(tb[VIPFWD_FLOW_A_FRONTEND_PROTO]);
	if (tb[VIPFWD_FLOW_A_FRONTEND_PORT])
		fl->fe_port = nla_get_u16(tb[VIPFWD_FLOW_A_FRONTEND_PORT]);
	get_addr_pair(tb, VIPFWD_FLOW_A_BACKEND4, VIPFWD_FLOW_A_BACKEND6,
		      &fl->backend);
	if (tb[VIPFWD_FLOW_A_POOL])
		vip_strlcpy(fl->pool, nla_get_string(tb[VIPFWD_FLOW_A_POOL]),
			    sizeof(fl->pool));
	if (tb[VIPFWD_FLOW_A_STATE])
		fl->state = nla_get_u8(tb[VIPFWD_FLOW_A_STATE]);
	if (tb[VIPFWD_FLOW_A_IDLE_MS])
		fl->idle_ms = nla_get_u32(tb[VIPFWD_FLOW_A_IDLE_MS]);
	if (tb[VIPFWD_FLOW_A_EXPIRES_MS])
		fl->expires_ms = nla_get_u32(tb[VIPFWD_FLOW_A_EXPIRES_MS]);
	if (tb[VIPFWD_FLOW_A_FLUSHED])
		fl->flushed = nla_get_u32(tb[VIPFWD_FLOW_A_FLUSHED]);
	if (tb[VIPFWD_FLOW_A_BACKEND_PORT])
		fl->backend_port = nla_get_u16(tb[VIPFWD_FLOW_A_BACKEND_PORT]);
	return 0;
}

int vip_explain_parse(struct nlattr *nest, struct vip_explain *x)
{
	struct nla_policy pol[VIPFWD_EXPLAIN_A_MAX + 1] = {
		[VIPFWD_EXPLAIN_A_PROTO] = { .type = NLA_U8 },
		[VIPFWD_EXPLAIN_A_SRC4] = { .type = NLA_U32 },
		[VIPFWD_EXPLAIN_A_SRC6] = addr6_policy,
		[VIPFWD_EXPLAIN_A_SPORT] = { .type = NLA_U16 },
		[VIPFWD_EXPLAIN_A_DST4] = { .type = NLA_U32 },
		[VIPFWD_EXPLAIN_A_DST6] = addr6_policy,
		[VIPFWD_EXPLAIN_A_DPORT] = { .type = NLA_U16 },
		[VIPFWD_EXPLAIN_A_WHY] = { .type = NLA_U8 },
		[VIPFWD_EXPLAIN_A_REASON] = { .type = NLA_STRING },
		[VIPFWD_EXPLAIN_A_FRONTEND_VIP4] = { .type = NLA_U32 },
		[VIPFWD_EXPLAIN_A_FRONTEND_VIP6] = addr6_policy,
		[VIPFWD_EXPLAIN_A_FRONTEND_PROTO] = { .type = NLA_U8 },
		[VIPFWD_EXPLAIN_A_FRONTEND_PORT] = { .type = NLA_U16 },
		[VIPFWD_EXPLAIN_A_POOL] = { .type = NLA_STRING },
		[VIPFWD_EXPLAIN_A_BACKEND4] = { .type = NLA_U32 },
		[VIPFWD_EXPLAIN_A_BACKEND6] = addr6_policy,
		[VIPFWD_EXPLAIN_A_TIER] = { .type = NLA_U8 },
		[VIPFWD_EXPLAIN_A_HASH] = { .type = NLA_U32 },
		[VIPFWD_EXPLAIN_A_TABLE_INDEX] = { .type = NLA_U32 },
		[VIPFWD_EXPLAIN_A_TABLE_SIZE] = { .type = NLA_U32 },
		[VIPFWD_EXPLAIN_A_FLOW_IDLE_MS] = { .type = NLA_U32 },
		[VIPFWD_EXPLAIN_A_BACKEND_PORT] = { .type = NLA_U16 },
	};
	struct nlattr *tb[VIPFWD_EXPLAIN_A_MAX + 1];
	int err;

	memset(x, 0, sizeof(*x));
	err = nla_parse_nested(tb, VIPFWD_EXPLAIN_A_MAX, nest, pol);
	if (err < 0)
		return err;
	x->has = present(tb, VIPFWD_EXPLAIN_A_MAX);
	if (tb[VIPFWD_EXPLAIN_A_PROTO])
		x->proto = nla_get_u8(tb[VIPFWD_EXPLAIN_A_PROTO]);
	get_addr_pair(tb, VIPFWD_EXPLAIN_A_SRC4, VIPFWD_EXPLAIN_A_SRC6,
		      &x->src);
	if (tb[VIPFWD_EXPLAIN_A_SPORT])
		x->sport = nla_get_u16(tb[VIPFWD_EXPLAIN_A_SPORT]);
	get_addr_pair(tb, VIPFWD_EXPLAIN_A_DST4, VIPFWD_EXPLAIN_A_DST6,
		      &x->dst);
	if (tb[VIPFWD_EXPLAIN_A_DPORT])
		x->dport = nla_get_u16(tb[VIPFWD_EXPLAIN_A_DPORT]);
	if (tb[VIPFWD_EXPLAIN_A_WHY])
		x->why = nla_get_u8(tb[VIPFWD_EXPLAIN_A_WHY]);
	if (tb[VIPFWD_EXPLAIN_A_REASON])
		vip_strlcpy(x->reason,
			    nla_get_string(tb[VIPFWD_EXPLAIN_A_REASON]),
			    sizeof(x->reason));
	get_addr_pair(tb, VIPFWD_EXPLAIN_A_FRONTEND_VIP4,
		      VIPFWD_EXPLAIN_A_FRONTEND_VIP6, &x->fe_vip);
	if (tb[VIPFWD_EXPLAIN_A_FRONTEND_PROTO])
		x->fe_proto = nla_get_u8(tb[VIPFWD_EXPLAIN_A_FRONTEND_PROTO]);
	if (tb[VIPFWD_EXPLAIN_A_FRONTEND_PORT])
		x->fe_port = nla_get_u16(tb[VIPFWD_EXPLAIN_A_FRONTEND_PORT]);
	if (tb[VIPFWD_EXPLAIN_A_POOL])
		vip_strlcpy(x->pool, nla_get_string(tb[VIPFWD_EXPLAIN_A_POOL]),
			    sizeof(x->pool));
	get_addr_pair(tb, VIPFWD_EXPLAIN_A_BACKEND4, VIPFWD_EXPLAIN_A_BACKEND6,
		      &x->backend);
	if (tb[VIPFWD_EXPLAIN_A_TIER])
		x->tier = nla_get_u8(tb[VIPFWD_EXPLAIN_A_TIER]);
	if (tb[VIPFWD_EXPLAIN_A_HASH])
		x->hash = nla_get_u32(tb[VIPFWD_EXPLAIN_A_HASH]);
	if (tb[VIPFWD_EXPLAIN_A_TABLE_INDEX])
		x->table_index = nla_get_u32(tb[VIPFWD_EXPLAIN_A_TABLE_INDEX]);
	if (tb[VIPFWD_EXPLAIN_A_TABLE_SIZE])
		x->table_size = nla_get_u32(tb[VIPFWD_EXPLAIN_A_TABLE_SIZE]);
	if (tb[VIPFWD_EXPLAIN_A_FLOW_IDLE_MS])
		x->flow_idle_ms =
			nla_get_u32(tb[VIPFWD_EXPLAIN_A_FLOW_IDLE_MS]);
	if (tb[VIPFWD_EXPLAIN_A_BACKEND_PORT])
		x->backend_port =
			nla_get_u16(tb[VIPFWD_EXPLAIN_A_BACKEND_PORT]);
	return 0;
}

int vip_settings_parse(struct nlattr *nest, struct vip_settings *st)
{
	struct nla_policy pol[VIPFWD_SETTINGS_A_MAX + 1] = {
		[VIPFWD_SETTINGS_A_FLOW_LIMIT] = { .type = NLA_U32 },
		[VIPFWD_SETTINGS_A_FLOW_COUNT] = { .type = NLA_U32 },
	};
	struct nlattr *tb[VIPFWD_SETTINGS_A_MAX + 1];
	int err;

	memset(st, 0, sizeof(*st));
	err = nla_parse_nested(tb, VIPFWD_SETTINGS_A_MAX, nest, pol);
	if (err < 0)
		return err;
	st->has = present(tb, VIPFWD_SETTINGS_A_MAX);
	if (tb[VIPFWD_SETTINGS_A_FLOW_LIMIT])
		st->flow_limit = nla_get_u32(tb[VIPFWD_SETTINGS_A_FLOW_LIMIT]);
	if (tb[VIPFWD_SETTINGS_A_FLOW_COUNT])
		st->flow_count = nla_get_u32(tb[VIPFWD_SETTINGS_A_FLOW_COUNT]);
	return 0;
}

int vip_obj_parse(struct nlmsghdr *nlh, struct vip_obj *o)
{
	struct nla_policy pol[VIPFWD_A_MAX + 1] = {
		[VIPFWD_A_POOL] = { .type = NLA_NESTED },
		[VIPFWD_A_BACKEND] = { .type = NLA_NESTED },
		[VIPFWD_A_FRONTEND] = { .type = NLA_NESTED },
		[VIPFWD_A_STATS] = { .type = NLA_NESTED },
		[VIPFWD_A_FLOW] = { .type = NLA_NESTED },
		[VIPFWD_A_EXPLAIN] = { .type = NLA_NESTED },
		[VIPFWD_A_SETTINGS] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[VIPFWD_A_MAX + 1];
	struct genlmsghdr *gh;
	int err;

	memset(o, 0, sizeof(*o));
	if (!genlmsg_valid_hdr(nlh, 0))
		return -NLE_MSG_TOOSHORT;
	gh = nlmsg_data(nlh);
	o->cmd = gh->cmd;
	err = genlmsg_parse(nlh, 0, tb, VIPFWD_A_MAX, pol);
	if (err < 0)
		return err;
	if (tb[VIPFWD_A_POOL]) {
		o->type = VIP_OBJ_POOL;
		return vip_pool_parse(tb[VIPFWD_A_POOL], &o->u.pool);
	}
	if (tb[VIPFWD_A_BACKEND]) {
		o->type = VIP_OBJ_BACKEND;
		return vip_backend_parse(tb[VIPFWD_A_BACKEND], &o->u.backend);
	}
	if (tb[VIPFWD_A_FRONTEND]) {
		o->type = VIP_OBJ_FRONTEND;
		return vip_frontend_parse(tb[VIPFWD_A_FRONTEND],
					  &o->u.frontend);
	}
	if (tb[VIPFWD_A_STATS]) {
		o->type = VIP_OBJ_STATS;
		return vip_counters_parse(tb[VIPFWD_A_STATS], &o->u.stats);
	}
	if (tb[VIPFWD_A_FLOW]) {
		o->type = VIP_OBJ_FLOW;
		return vip_flow_parse(tb[VIPFWD_A_FLOW], &o->u.flow);
	}
	if (tb[VIPFWD_A_EXPLAIN]) {
		o->type = VIP_OBJ_EXPLAIN;
		return vip_explain_parse(tb[VIPFWD_A_EXPLAIN], &o->u.explain);
	}
	if (tb[VIPFWD_A_SETTINGS]) {
		o->type = VIP_OBJ_SETTINGS;
		return vip_settings_parse(tb[VIPFWD_A_SETTINGS],
					  &o->u.settings);
	}
	return 0;
}
