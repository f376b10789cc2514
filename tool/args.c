// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <sys/socket.h>
#include <linux/vipfwd.h>

#include "args.h"
#include "lib/names.h"
#include "lib/parse.h"

/* Walks argv; cmd names the command in messages ("backend add"). */
struct cursor {
	int argc;
	char **argv;
	int i;
	const char *cmd;
	struct vip_err *e;
};

static const char *const op_names[] = {
	[VC_HELP] = "help",
	[VC_VERSION] = "version",
	[VC_POOL_ADD] = "pool add",
	[VC_POOL_SET] = "pool set",
	[VC_POOL_DEL] = "pool del",
	[VC_POOL_SHOW] = "pool show",
	[VC_BACKEND_ADD] = "backend add",
	[VC_BACKEND_SET] = "backend set",
	[VC_BACKEND_DEL] = "backend del",
	[VC_BACKEND_HEALTH] = "backend health",
	[VC_BACKEND_SHOW] = "backend show",
	[VC_FRONTEND_ADD] = "frontend add",
	[VC_FRONTEND_SET] = "frontend set",
	[VC_FRONTEND_DEL] = "frontend del",
	[VC_FRONTEND_SHOW] = "frontend show",
	[VC_SHOW] = "show",
	[VC_STATS] = "stats",
	[VC_MONITOR] = "monitor",
	[VC_FLOWS] = "flows",
	[VC_FLOWS_FLUSH] = "flows flush",
	[VC_EXPLAIN] = "explain",
	[VC_SET] = "set",
	[VC_SETTINGS] = "settings",
	[VC_GUARD_SYNC] = "guard sync",
	[VC_GUARD_SHOW] = "guard show",
	[VC_DECAP_ADD] = "decap add",
	[VC_DECAP_DEL] = "decap del",
	[VC_DECAP_SHOW] = "decap show",
};

const char *vipctl_op_name(enum vipctl_op op)
{
	if ((unsigned int)op < VIP_ARRAY_SIZE(op_names) && op_names[op])
		return op_names[op];
	return "?";
}

static const char *next(struct cursor *c)
{
	return c->i < c->argc ? c->argv[c->i++] : NULL;
}

static const char *peek(const struct cursor *c)
{
	return c->i < c->argc ? c->argv[c->i] : NULL;
}

/* The value after keyword kw. */
static const char *value(struct cursor *c, const char *kw)
{
	const char *v = next(c);

	if (!v)
		vip_errf(c->e, "missing value after \"%s\"", kw);
	return v;
}

/* A required positional argument, named by its metavariable. */
static const char *positional(struct cursor *c, const char *what)
{
	const char *v = next(c);

	if (!v)
		vip_errf(c->e, "missing %s for %s", what, c->cmd);
	return v;
}

static int no_more(struct cursor *c)
{
	const char *v = next(c);

	if (v)
		return vip_errf(c->e, "unexpected argument \"%s\" for %s", v,
				c->cmd);
	return 0;
}

static int unknown_keyword(struct cursor *c, const char *kw)
{
	return vip_errf(c->e, "unknown keyword \"%s\" for %s", kw, c->cmd);
}

static int duplicate(struct cursor *c, const char *kw)
{
	return vip_errf(c->e, "duplicate keyword \"%s\" for %s", kw, c->cmd);
}

static int number(struct cursor *c, const char *what, const char *tok,
		  uint32_t min, uint32_t max, uint32_t *out)
{
	if (vip_parse_u32(tok, out) || *out < min || *out > max)
		return vip_errf(c->e, "invalid %s \"%s\" (expected %u..%u)",
				what, tok, min, max);
	return 0;
}

static int keyword(struct cursor *c, const char *what, const char *tok,
		   const struct vip_name *tab, unsigned int *out)
{
	char list[128];

	if (vip_name_parse(tab, tok, out))
		return vip_errf(c->e, "invalid %s \"%s\" (expected %s)", what,
				tok, vip_name_list(tab, list, sizeof(list)));
	return 0;
}

static int address(struct cursor *c, const char *what, const char *tok,
		   struct vip_addr *a)
{
	if (vip_addr_parse(tok, a))
		return vip_errf(c->e, "invalid %s address \"%s\" (expected an IPv4 or IPv6 address)",
				what, tok);
	return 0;
}

/* An optional address that "none" (or the unspecified address) clears;
 * cleared addresses are sent as 0.0.0.0 / :: of the object's family.
 */
static int address_or_none(struct cursor *c, const char *what,
			   const char *tok, uint8_t family, struct vip_addr *a)
{
	if (!strcmp(tok, "none")) {
		memset(a, 0, sizeof(*a));
		a->family = family;
		return 0;
	}
	return address(c, what, tok, a);
}

static int pool_name(struct cursor *c, const char *tok, char *dst)
{
	if (!vip_valid_name(tok))
		return vip_errf(c->e, "invalid pool name \"%s\" (expected 1..%d printable characters, no spaces, not starting with \"-\")",
				tok, VIPFWD_NAME_MAX - 1);
	vip_strlcpy(dst, tok, VIPFWD_NAME_MAX);
	return 0;
}

static int seconds_ms(struct cursor *c, const char *what, const char *tok,
		      uint32_t *ms)
{
	if (vip_parse_ms(tok, ms) || *ms < 1 || *ms > VIPFWD_INTERVAL_MS_MAX)
		return vip_errf(c->e, "invalid %s \"%s\" (expected seconds, 0.001..%u, e.g. 5 or 0.5)",
				what, tok, VIPFWD_INTERVAL_MS_MAX / 1000);
	return 0;
}

/* ---- pool ---- */

static int probe(struct cursor *c, struct vip_pool *p)
{
	unsigned int type;
	uint32_t port;
	const char *tok;

	if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_TYPE))
		return duplicate(c, "probe");
	tok = value(c, "probe");
	if (!tok || keyword(c, "probe type", tok, vip_probe_names, &type))
		return -1;
	p->probe_type = (uint8_t)type;
	VIP_SET(p, VIPFWD_POOL_A_PROBE_TYPE);
	if (type == VIPFWD_PROBE_NONE)
		return 0;
	tok = next(c);
	if (!tok)
		return vip_errf(c->e, "missing PORT after \"probe %s\"",
				vip_name_str(vip_probe_names, type));
	if (number(c, "probe port", tok, 1, 65535, &port))
		return -1;
	p->probe_port = (uint16_t)port;
	VIP_SET(p, VIPFWD_POOL_A_PROBE_PORT);
	return 0;
}

static int pool_options(struct cursor *c, struct vip_pool *p)
{
	const char *kw, *v;

	while ((kw = next(c))) {
		uint32_t *u32 = NULL, min = 1, max = 0;
		int attr;

		if (!strcmp(kw, "probe")) {
			if (probe(c, p))
				return -1;
			continue;
		}
		if (!strcmp(kw, "path")) {
			if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_HTTP_PATH))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v)
				return -1;
			if (!vip_valid_http_path(v))
				return vip_errf(c->e, "invalid path \"%s\" (expected an HTTP path starting with \"/\", at most %d characters, no spaces)",
						v, VIPFWD_HTTP_PATH_MAX - 1);
			vip_strlcpy(p->http_path, v, sizeof(p->http_path));
			VIP_SET(p, VIPFWD_POOL_A_PROBE_HTTP_PATH);
			continue;
		}
		if (!strcmp(kw, "expect")) {
			if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_HTTP_EXPECT))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v)
				return -1;
			if (!vip_valid_http_expect(v))
				return vip_errf(c->e, "invalid expect \"%s\" (expected HTTP status codes 100..599 and ranges, e.g. 200 or 200-399,404)",
						v);
			vip_strlcpy(p->http_expect, v, sizeof(p->http_expect));
			VIP_SET(p, VIPFWD_POOL_A_PROBE_HTTP_EXPECT);
			continue;
		}
		if (!strcmp(kw, "interval") || !strcmp(kw, "timeout")) {
			bool interval = kw[0] == 'i';

			attr = interval ? VIPFWD_POOL_A_INTERVAL_MS :
					  VIPFWD_POOL_A_TIMEOUT_MS;
			if ((p->has >> attr) & 1u)
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v || seconds_ms(c, kw, v, interval ?
					     &p->interval_ms : &p->timeout_ms))
				return -1;
			VIP_SET(p, attr);
			continue;
		}
		if (!strcmp(kw, "fall")) {
			attr = VIPFWD_POOL_A_FALL;
			u32 = &p->fall;
			max = VIPFWD_FALL_RISE_MAX;
		} else if (!strcmp(kw, "rise")) {
			attr = VIPFWD_POOL_A_RISE;
			u32 = &p->rise;
			max = VIPFWD_FALL_RISE_MAX;
		} else if (!strcmp(kw, "table-size")) {
			if (VIP_HAS(p, VIPFWD_POOL_A_TABLE_SIZE))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v)
				return -1;
			if (vip_parse_u32(v, &p->table_size) ||
			    p->table_size > VIPFWD_TABLE_SIZE_MAX ||
			    !vip_is_prime(p->table_size))
				return vip_errf(c->e, "invalid table-size \"%s\" (expected a prime number up to %u, e.g. %u)",
						v, VIPFWD_TABLE_SIZE_MAX,
						VIPFWD_TABLE_SIZE_DEFAULT);
			VIP_SET(p, VIPFWD_POOL_A_TABLE_SIZE);
			continue;
		} else {
			return unknown_keyword(c, kw);
		}
		if ((p->has >> attr) & 1u)
			return duplicate(c, kw);
		v = value(c, kw);
		if (!v || number(c, kw, v, min, max, u32))
			return -1;
		VIP_SET(p, attr);
	}

	/* Contradictions within the command itself. */
	if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_TYPE) &&
	    p->probe_type != VIPFWD_PROBE_HTTP) {
		if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_HTTP_PATH))
			return vip_errf(c->e, "\"path\" needs \"probe http\" for %s",
					c->cmd);
		if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_HTTP_EXPECT))
			return vip_errf(c->e, "\"expect\" needs \"probe http\" for %s",
					c->cmd);
	}
	return 0;
}

static int nothing_to_change(struct cursor *c)
{
	return vip_errf(c->e, "nothing to change for %s (give at least one option)",
			c->cmd);
}

static int parse_pool(struct cursor *c, struct vipctl_req *r)
{
	struct vip_pool *p = &r->pool;
	const char *tok;

	if (r->op == VC_POOL_SHOW) {
		tok = next(c);
		if (!tok)
			return 0;
	} else {
		tok = positional(c, "NAME");
		if (!tok)
			return -1;
	}
	if (pool_name(c, tok, p->name))
		return -1;
	VIP_SET(p, VIPFWD_POOL_A_NAME);

	switch (r->op) {
	case VC_POOL_ADD:
		return pool_options(c, p);
	case VC_POOL_SET:
		if (pool_options(c, p))
			return -1;
		if (p->has == (1u << VIPFWD_POOL_A_NAME))
			return nothing_to_change(c);
		return 0;
	default:
		return no_more(c);
	}
}

/* ---- backend ---- */

static int backend_options(struct cursor *c, struct vip_backend *b,
			   bool with_health)
{
	const char *kw, *v;
	unsigned int word;
	uint32_t n;

	while ((kw = next(c))) {
		if (!strcmp(kw, "weight")) {
			if (VIP_HAS(b, VIPFWD_BACKEND_A_WEIGHT))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v || number(c, kw, v, 0, VIPFWD_MAX_WEIGHT,
					 &b->weight))
				return -1;
			VIP_SET(b, VIPFWD_BACKEND_A_WEIGHT);
		} else if (!strcmp(kw, "tier")) {
			if (VIP_HAS(b, VIPFWD_BACKEND_A_TIER))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v || number(c, kw, v, 0, VIPFWD_MAX_TIER, &n))
				return -1;
			b->tier = (uint8_t)n;
			VIP_SET(b, VIPFWD_BACKEND_A_TIER);
		} else if (!strcmp(kw, "state")) {
			if (VIP_HAS(b, VIPFWD_BACKEND_A_STATE))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v || keyword(c, kw, v, vip_state_names, &word))
				return -1;
			b->state = (uint8_t)word;
			VIP_SET(b, VIPFWD_BACKEND_A_STATE);
		} else if (!strcmp(kw, "via")) {
			struct vip_addr a;

			if (VIP_HAS(b, VIPFWD_BACKEND_A_VIA4) ||
			    VIP_HAS(b, VIPFWD_BACKEND_A_VIA6))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v || address_or_none(c, "via", v, b->addr.family,
						  &a))
				return -1;
			vip_backend_set_via(b, &a);
		} else if (with_health && !strcmp(kw, "health")) {
			if (VIP_HAS(b, VIPFWD_BACKEND_A_HEALTH))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v || keyword(c, kw, v, vip_health_names, &word))
				return -1;
			b->health = (uint8_t)word;
			VIP_SET(b, VIPFWD_BACKEND_A_HEALTH);
		} else {
			return unknown_keyword(c, kw);
		}
	}
	return 0;
}

static int parse_backend(struct cursor *c, struct vipctl_req *r)
{
	struct vip_backend *b = &r->backend;
	const char *tok;
	struct vip_addr a;
	unsigned int word;
	uint32_t key;

	if (r->op == VC_BACKEND_SHOW) {
		tok = next(c);
		if (!tok)
			return 0;
	} else {
		tok = positional(c, "POOL");
		if (!tok)
			return -1;
	}
	if (pool_name(c, tok, b->pool))
		return -1;
	VIP_SET(b, VIPFWD_BACKEND_A_POOL);
	if (r->op == VC_BACKEND_SHOW)
		return no_more(c);

	tok = positional(c, "ADDR");
	if (!tok || address(c, "backend", tok, &a))
		return -1;
	vip_backend_set_addr(b, &a);
	key = b->has;

	switch (r->op) {
	case VC_BACKEND_ADD:
		return backend_options(c, b, false);
	case VC_BACKEND_SET:
		if (backend_options(c, b, true))
			return -1;
		if (b->has == key)
			return nothing_to_change(c);
		return 0;
	case VC_BACKEND_HEALTH:
		tok = next(c);
		if (!tok)
			return vip_errf(c->e, "missing up|down for %s", c->cmd);
		if (keyword(c, "health", tok, vip_health_names, &word))
			return -1;
		b->health = (uint8_t)word;
		VIP_SET(b, VIPFWD_BACKEND_A_HEALTH);
		return no_more(c);
	default:
		return no_more(c);
	}
}

/* ---- frontend ---- */

static int frontend_options(struct cursor *c, struct vip_frontend *f)
{
	const char *kw, *v;
	unsigned int word;
	uint32_t n;

	while ((kw = next(c))) {
		int attr;
		const struct vip_name *tab = NULL;
		uint8_t *u8 = NULL;
		uint16_t *u16 = NULL;
		uint32_t min = 0;

		if (!strcmp(kw, "pool")) {
			if (VIP_HAS(f, VIPFWD_FRONTEND_A_POOL))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v || pool_name(c, v, f->pool))
				return -1;
			VIP_SET(f, VIPFWD_FRONTEND_A_POOL);
			continue;
		}
		if (!strcmp(kw, "source")) {
			struct vip_addr a;

			if (VIP_HAS(f, VIPFWD_FRONTEND_A_SOURCE4) ||
			    VIP_HAS(f, VIPFWD_FRONTEND_A_SOURCE6))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v || address_or_none(c, "source", v, f->vip.family,
						  &a))
				return -1;
			vip_frontend_set_source(f, &a);
			continue;
		}
		if (!strcmp(kw, "idle-timeout")) {
			uint32_t ms;

			if (VIP_HAS(f, VIPFWD_FRONTEND_A_IDLE_TIMEOUT))
				return duplicate(c, kw);
			v = value(c, kw);
			if (!v)
				return -1;
			if (vip_parse_ms(v, &ms) || ms % 1000 || ms < 1000 ||
			    ms / 1000 > VIPFWD_IDLE_TIMEOUT_MAX)
				return vip_errf(c->e, "invalid idle-timeout \"%s\" (expected whole seconds, 1..%u)",
						v, VIPFWD_IDLE_TIMEOUT_MAX);
			f->idle_timeout = ms / 1000;
			VIP_SET(f, VIPFWD_FRONTEND_A_IDLE_TIMEOUT);
			continue;
		}

		if (!strcmp(kw, "mode")) {
			attr = VIPFWD_FRONTEND_A_MODE;
			tab = vip_mode_names;
			u8 = &f->mode;
		} else if (!strcmp(kw, "encap")) {
			attr = VIPFWD_FRONTEND_A_ENCAP;
			tab = vip_encap_names;
			u8 = &f->encap;
		} else if (!strcmp(kw, "hash")) {
			attr = VIPFWD_FRONTEND_A_HASH;
			tab = vip_hash_names;
			u8 = &f->hash;
		} else if (!strcmp(kw, "no-backend")) {
			attr = VIPFWD_FRONTEND_A_NO_BACKEND;
			tab = vip_no_backend_names;
			u8 = &f->no_backend;
		} else if (!strcmp(kw, "on-health-down")) {
			attr = VIPFWD_FRONTEND_A_ON_HEALTH_DOWN;
			tab = vip_on_health_down_names;
			u8 = &f->on_health_down;
		} else if (!strcmp(kw, "gue-port")) {
			attr = VIPFWD_FRONTEND_A_GUE_PORT;
			u16 = &f->gue_port;
			min = 1;
		} else if (!strcmp(kw, "backend-port")) {
			attr = VIPFWD_FRONTEND_A_BACKEND_PORT;
			u16 = &f->backend_port;
		} else {
			return unknown_keyword(c, kw);
		}
		if ((f->has >> attr) & 1u)
			return duplicate(c, kw);
		v = value(c, kw);
		if (!v)
			return -1;
		if (tab) {
			if (keyword(c, kw, v, tab, &word))
				return -1;
			*u8 = (uint8_t)word;
		} else {
			if (number(c, kw, v, min, 65535, &n))
				return -1;
			*u16 = (uint16_t)n;
		}
		VIP_SET(f, attr);
	}

	/* Contradictions within the command itself. */
	if (VIP_HAS(f, VIPFWD_FRONTEND_A_MODE)) {
		if (f->mode == VIPFWD_MODE_NAT &&
		    VIP_HAS(f, VIPFWD_FRONTEND_A_ENCAP))
			return vip_errf(c->e, "\"encap\" needs \"mode encap\" for %s",
					c->cmd);
		if (f->mode == VIPFWD_MODE_NAT &&
		    VIP_HAS(f, VIPFWD_FRONTEND_A_GUE_PORT))
			return vip_errf(c->e, "\"gue-port\" needs \"mode encap\" for %s",
					c->cmd);
		if (f->mode == VIPFWD_MODE_ENCAP &&
		    VIP_HAS(f, VIPFWD_FRONTEND_A_BACKEND_PORT))
			return vip_errf(c->e, "\"backend-port\" needs \"mode nat\" for %s",
					c->cmd);
	}
	if (VIP_HAS(f, VIPFWD_FRONTEND_A_ENCAP) &&
	    f->encap != VIPFWD_ENCAP_GUE &&
	    VIP_HAS(f, VIPFWD_FRONTEND_A_GUE_PORT))
		return vip_errf(c->e, "\"gue-port\" needs \"encap gue\" for %s",
				c->cmd);
	return 0;
}

static int parse_frontend(struct cursor *c, struct vipctl_req *r)
{
	struct vip_frontend *f = &r->frontend;
	const char *tok;
	struct vip_addr a;
	unsigned int proto;
	uint32_t port, key;

	if (r->op == VC_FRONTEND_SHOW)
		return no_more(c);

	tok = positional(c, "VIP");
	if (!tok || address(c, "VIP", tok, &a))
		return -1;
	vip_frontend_set_vip(f, &a);
	tok = positional(c, "PROTO");
	if (!tok || keyword(c, "protocol", tok, vip_proto_names, &proto))
		return -1;
	f->proto = (uint8_t)proto;
	VIP_SET(f, VIPFWD_FRONTEND_A_PROTO);
	tok = positional(c, "PORT");
	if (!tok || number(c, "port", tok, 0, 65535, &port))
		return -1;
	f->port = (uint16_t)port;
	VIP_SET(f, VIPFWD_FRONTEND_A_PORT);
	key = f->has;

	switch (r->op) {
	case VC_FRONTEND_ADD:
		if (frontend_options(c, f))
			return -1;
		if (!VIP_HAS(f, VIPFWD_FRONTEND_A_POOL))
			return vip_errf(c->e, "missing \"pool NAME\" for %s",
					c->cmd);
		return 0;
	case VC_FRONTEND_SET:
		if (frontend_options(c, f))
			return -1;
		if (f->has == key)
			return nothing_to_change(c);
		return 0;
	default:
		return no_more(c);
	}
}

/* ---- flows, explain, settings ---- */

static bool is_help(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "-h") || !strcmp(s, "--help");
}

/* [frontend VIP PROTO PORT] [backend ADDR], in any order. */
static int flow_filter(struct cursor *c, struct vip_flow *fl)
{
	const char *kw, *tok;
	struct vip_addr a;
	unsigned int proto;
	uint32_t port;

	while ((kw = next(c))) {
		if (!strcmp(kw, "frontend")) {
			if (VIP_HAS(fl, VIPFWD_FLOW_A_FRONTEND_PROTO))
				return duplicate(c, kw);
			tok = value(c, kw);
			if (!tok || address(c, "VIP", tok, &a))
				return -1;
			vip_flow_set_fe_vip(fl, &a);
			tok = positional(c, "PROTO");
			if (!tok || keyword(c, "protocol", tok, vip_proto_names,
					    &proto))
				return -1;
			fl->fe_proto = (uint8_t)proto;
			VIP_SET(fl, VIPFWD_FLOW_A_FRONTEND_PROTO);
			tok = positional(c, "PORT");
			if (!tok || number(c, "port", tok, 0, 65535, &port))
				return -1;
			fl->fe_port = (uint16_t)port;
			VIP_SET(fl, VIPFWD_FLOW_A_FRONTEND_PORT);
		} else if (!strcmp(kw, "backend")) {
			if (VIP_HAS(fl, VIPFWD_FLOW_A_BACKEND4) ||
			    VIP_HAS(fl, VIPFWD_FLOW_A_BACKEND6))
				return duplicate(c, kw);
			tok = value(c, kw);
			if (!tok || address(c, "backend", tok, &a))
				return -1;
			vip_flow_set_backend(fl, &a);
		} else {
			return unknown_keyword(c, kw);
		}
	}
	return 0;
}

static const struct vip_name explain_protos[] = {
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ NULL, 0 }
};

/* PROTO SRC SPORT VIP PORT, nothing after. */
static int explain_args(struct cursor *c, struct vip_explain *x)
{
	const char *tok;
	struct vip_addr a;
	unsigned int proto;
	uint32_t port;

	tok = positional(c, "PROTO");
	if (!tok || keyword(c, "protocol", tok, explain_protos, &proto))
		return -1;
	x->proto = (uint8_t)proto;
	VIP_SET(x, VIPFWD_EXPLAIN_A_PROTO);
	tok = positional(c, "SRC");
	if (!tok || address(c, "source", tok, &a))
		return -1;
	vip_explain_set_src(x, &a);
	tok = positional(c, "SPORT");
	if (!tok || number(c, "source port", tok, 0, 65535, &port))
		return -1;
	x->sport = (uint16_t)port;
	VIP_SET(x, VIPFWD_EXPLAIN_A_SPORT);
	tok = positional(c, "VIP");
	if (!tok || address(c, "VIP", tok, &a))
		return -1;
	if (a.family != x->src.family)
		return vip_errf(c->e, "VIP \"%s\" and source are of different address families",
				tok);
	vip_explain_set_dst(x, &a);
	tok = positional(c, "PORT");
	if (!tok || number(c, "port", tok, 0, 65535, &port))
		return -1;
	x->dport = (uint16_t)port;
	VIP_SET(x, VIPFWD_EXPLAIN_A_DPORT);
	return no_more(c);
}

int vipctl_parse_explain_line(const char *line, struct vip_explain *x,
			      struct vip_err *e)
{
	char buf[512], *argv[16], *tok, *save = NULL;
	struct cursor c = { .e = e, .cmd = "explain" };
	int argc = 0;

	memset(x, 0, sizeof(*x));
	if (vip_strlcpy(buf, line, sizeof(buf)))
		return vip_errf(e, "line too long for explain");
	for (tok = strtok_r(buf, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == (int)VIP_ARRAY_SIZE(argv))
			return vip_errf(e, "unexpected argument \"%s\" for explain",
					tok);
		argv[argc++] = tok;
	}
	c.argc = argc;
	c.argv = argv;
	return explain_args(&c, x);
}

static int parse_flows(struct cursor *c, struct vipctl_req *r)
{
	const char *tok = peek(c);

	r->op = VC_FLOWS;
	if (tok && !strcmp(tok, "flush")) {
		c->i++;
		r->op = VC_FLOWS_FLUSH;
	}
	c->cmd = vipctl_op_name(r->op);
	if (c->i == c->argc - 1 && is_help(peek(c))) {
		r->op = VC_HELP;
		r->topic = "flows";
		return 0;
	}
	return flow_filter(c, &r->flow);
}

static int parse_explain(struct cursor *c, struct vipctl_req *r)
{
	const char *tok = peek(c);

	r->op = VC_EXPLAIN;
	c->cmd = "explain";
	if (c->i == c->argc - 1 && is_help(tok)) {
		r->op = VC_HELP;
		r->topic = "explain";
		return 0;
	}
	if (tok && !strcmp(tok, "-")) {
		c->i++;
		r->explain_batch = true;
		return no_more(c);
	}
	return explain_args(c, &r->explain);
}

static int parse_set(struct cursor *c, struct vipctl_req *r)
{
	struct vip_settings *st = &r->settings;
	const char *kw, *v;

	r->op = VC_SET;
	c->cmd = "set";
	if (c->i == c->argc - 1 && is_help(peek(c))) {
		r->op = VC_HELP;
		r->topic = "set";
		return 0;
	}
	while ((kw = next(c))) {
		if (strcmp(kw, "flow-limit"))
			return unknown_keyword(c, kw);
		if (VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_LIMIT))
			return duplicate(c, kw);
		v = value(c, kw);
		if (!v || number(c, kw, v, 1, VIPFWD_FLOW_LIMIT_MAX,
				 &st->flow_limit))
			return -1;
		VIP_SET(st, VIPFWD_SETTINGS_A_FLOW_LIMIT);
	}
	if (!st->has)
		return vip_errf(c->e, "nothing to change for set (expected flow-limit N)");
	return 0;
}

/* ---- top level ---- */

struct verb {
	const char *word;
	enum vipctl_op op;
};

static const struct verb pool_verbs[] = {
	{ "add", VC_POOL_ADD }, { "set", VC_POOL_SET },
	{ "del", VC_POOL_DEL }, { "show", VC_POOL_SHOW }, { NULL, 0 }
};

static const struct verb backend_verbs[] = {
	{ "add", VC_BACKEND_ADD }, { "set", VC_BACKEND_SET },
	{ "del", VC_BACKEND_DEL }, { "health", VC_BACKEND_HEALTH },
	{ "show", VC_BACKEND_SHOW }, { NULL, 0 }
};

static const struct verb frontend_verbs[] = {
	{ "add", VC_FRONTEND_ADD }, { "set", VC_FRONTEND_SET },
	{ "del", VC_FRONTEND_DEL }, { "show", VC_FRONTEND_SHOW }, { NULL, 0 }
};

static const struct verb guard_verbs[] = {
	{ "sync", VC_GUARD_SYNC }, { "show", VC_GUARD_SHOW }, { NULL, 0 }
};

static const char *const topics[] = {
	"pool", "backend", "frontend", "show", "stats", "flows", "explain",
	"set", "settings", "monitor", "guard", NULL
};

static int parse_object(struct cursor *c, struct vipctl_req *r,
			const char *object, const struct verb *verbs)
{
	const char *tok = next(c);
	const struct verb *v;
	char list[96] = "";

	if (!tok || is_help(tok)) {
		if (tok) {
			r->op = VC_HELP;
			r->topic = object;
			return no_more(c);
		}
		return vip_errf(c->e, "missing command for %s (try \"vipctl %s help\")",
				object, object);
	}
	for (v = verbs; v->word; v++) {
		if (!strcmp(v->word, tok))
			break;
		strcat(list, v == verbs ? "" : v[1].word ? ", " : " or ");
		strcat(list, v->word);
	}
	if (!v->word)
		return vip_errf(c->e, "unknown command \"%s\" for %s (expected %s)",
				tok, object, list);
	r->op = v->op;
	c->cmd = vipctl_op_name(r->op);

	/* "vipctl pool add help" asks for the usage, as in ip(8). */
	if (c->i == c->argc - 1 && is_help(peek(c))) {
		r->op = VC_HELP;
		r->topic = object;
		return 0;
	}
	if (object[0] == 'g')
		return no_more(c);
	if (object[0] == 'p')
		return parse_pool(c, r);
	if (object[0] == 'b')
		return parse_backend(c, r);
	return parse_frontend(c, r);
}

int vipctl_parse(int argc, char **argv, struct vipctl_req *r,
		 struct vip_err *e)
{
	struct cursor c = { .argc = argc, .argv = argv, .i = 1, .e = e };
	const char *tok;
	int i;

	memset(r, 0, sizeof(*r));
	e->msg[0] = '\0';

	/* Global options, before the command. */
	while ((tok = peek(&c)) && tok[0] == '-') {
		c.i++;
		if (!strcmp(tok, "-j") || !strcmp(tok, "--json")) {
			r->json = true;
		} else if (!strcmp(tok, "-n") || !strcmp(tok, "--netns") ||
			   !strncmp(tok, "--netns=", 8)) {
			const char *ns = tok[1] == '-' && tok[7] == '=' ?
					 tok + 8 : value(&c, tok);

			if (!ns)
				return -1;
			if (!ns[0] || !strcmp(ns, ".") || !strcmp(ns, ".."))
				return vip_errf(e, "invalid network namespace \"%s\"",
						ns);
			r->netns = ns;
		} else if (!strcmp(tok, "-h") || !strcmp(tok, "--help")) {
			r->op = VC_HELP;
			return 0;
		} else if (!strcmp(tok, "-V") || !strcmp(tok, "--version")) {
			r->op = VC_VERSION;
			return 0;
		} else if (!strcmp(tok, "--")) {
			break;
		} else {
			return vip_errf(e, "unknown option \"%s\" (try \"vipctl help\")",
					tok);
		}
	}

	tok = next(&c);
	if (!tok)
		return vip_errf(e, "missing command (try \"vipctl help\")");
	c.cmd = tok;

	if (!strcmp(tok, "help")) {
		r->op = VC_HELP;
		tok = next(&c);
		if (!tok)
			return 0;
		if (!strcmp(tok, "decap")) {
			r->topic = "decap";
			return no_more(&c);
		}
		for (i = 0; topics[i]; i++)
			if (!strcmp(topics[i], tok))
				break;
		if (!topics[i])
			return vip_errf(e, "unknown help topic \"%s\" (expected pool, backend, frontend, show, stats, flows, explain, set, settings, monitor or guard)",
					tok);
		r->topic = topics[i];
		return no_more(&c);
	}
	if (!strcmp(tok, "version")) {
		r->op = VC_VERSION;
		return no_more(&c);
	}
	if (!strcmp(tok, "pool"))
		return parse_object(&c, r, "pool", pool_verbs);
	if (!strcmp(tok, "backend"))
		return parse_object(&c, r, "backend", backend_verbs);
	if (!strcmp(tok, "frontend"))
		return parse_object(&c, r, "frontend", frontend_verbs);
	if (!strcmp(tok, "guard"))
		return parse_object(&c, r, "guard", guard_verbs);
	if (!strcmp(tok, "decap"))
		return vipctl_decap_parse(argc, argv, c.i, r, e);
	if (!strcmp(tok, "flows"))
		return parse_flows(&c, r);
	if (!strcmp(tok, "explain"))
		return parse_explain(&c, r);
	if (!strcmp(tok, "set"))
		return parse_set(&c, r);
	if (!strcmp(tok, "settings")) {
		r->op = VC_SETTINGS;
		if (c.i == argc - 1 && is_help(peek(&c))) {
			r->op = VC_HELP;
			r->topic = "settings";
			return 0;
		}
		return no_more(&c);
	}
	if (!strcmp(tok, "show") || !strcmp(tok, "stats") ||
	    !strcmp(tok, "monitor")) {
		r->op = tok[1] == 'h' ? VC_SHOW :
			tok[1] == 't' ? VC_STATS : VC_MONITOR;
		if (c.i == argc - 1 && is_help(peek(&c))) {
			r->topic = r->op == VC_SHOW ? "show" :
				   r->op == VC_STATS ? "stats" : "monitor";
			r->op = VC_HELP;
			return 0;
		}
		return no_more(&c);
	}
	return vip_errf(e, "unknown command \"%s\" (try \"vipctl help\")",
			tok);
}
