// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink encoding without a kernel: requests built from parsed command
 * lines decode back to exactly what was typed (and nothing more), reply
 * objects round-trip, and error/ACK messages yield the extack text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/vipfwd.h>
#include <netlink/genl/genl.h>

#include "args.h"
#include "lib/nl.h"
#include "request.h"
#include "tap.h"

#define FAMILY 0x1d	/* any id: no kernel involved */

static int parse_line(const char *line, struct vipctl_req *r)
{
	char *copy = strdup(line), *argv[64], *tok, *save = NULL;
	struct vip_err e;
	int argc = 1, rc;

	argv[0] = "vipctl";
	for (tok = strtok_r(copy, " ", &save); tok && argc < 63;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	rc = vipctl_parse(argc, argv, r, &e);
	r->netns = NULL;
	free(copy);
	return rc;
}

/* Builds the request for line and decodes it again. */
static int roundtrip(const char *line, struct vipctl_req *r,
		     struct vip_obj *o, uint16_t *flags)
{
	struct nl_msg *msg;
	int err;

	if (parse_line(line, r))
		return -1;
	msg = vipctl_request_msg(r, FAMILY);
	if (!msg)
		return -1;
	*flags = nlmsg_hdr(msg)->nlmsg_flags;
	err = nlmsg_hdr(msg)->nlmsg_type == FAMILY ?
	      vip_obj_parse(nlmsg_hdr(msg), o) : -1;
	nlmsg_free(msg);
	return err;
}

static void requests(void)
{
	struct vipctl_req r;
	struct vip_obj o;
	uint16_t flags = 0;

	tap_ok(!roundtrip("pool add sqlcluster probe tcp 59999 interval 0.5 fall 11",
			  &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_POOL_NEW && o.type == VIP_OBJ_POOL &&
	       o.u.pool.has == r.pool.has &&
	       !memcmp(&o.u.pool, &r.pool, sizeof(o.u.pool)),
	       "pool add -> POOL_NEW, same fields back");
	tap_ok(o.u.pool.interval_ms == 500, "interval 0.5 sent as 500 ms");
	tap_ok((flags & (NLM_F_REQUEST | NLM_F_ACK)) ==
	       (NLM_F_REQUEST | NLM_F_ACK) && !(flags & NLM_F_DUMP),
	       "change requests ask for an ACK");

	tap_ok(!roundtrip("pool set web probe http 80 path /h expect 200-299 timeout 1 rise 4 table-size 251",
			  &r, &o, &flags) && o.cmd == VIPFWD_CMD_POOL_SET &&
	       !memcmp(&o.u.pool, &r.pool, sizeof(o.u.pool)),
	       "pool set -> POOL_SET with http probe");
	tap_ok(!roundtrip("pool del web", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_POOL_DEL &&
	       o.u.pool.has == (1u << VIPFWD_POOL_A_NAME),
	       "pool del -> POOL_DEL with the name only");

	tap_ok(!roundtrip("backend add p 10.0.0.11 weight 0 tier 2 via 192.0.2.1 state draining",
			  &r, &o, &flags) && o.cmd == VIPFWD_CMD_BACKEND_NEW &&
	       o.type == VIP_OBJ_BACKEND &&
	       !memcmp(&o.u.backend, &r.backend, sizeof(o.u.backend)),
	       "backend add -> BACKEND_NEW, same fields back");
	tap_ok(o.u.backend.addr.u.v4.s_addr == htonl(0x0a00000b) &&
	       o.u.backend.via.u.v4.s_addr == htonl(0xc0000201),
	       "IPv4 addresses travel in network byte order");
	tap_ok(!roundtrip("backend health p 10.0.0.11 down", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_BACKEND_SET &&
	       o.u.backend.health == VIPFWD_HEALTH_DOWN &&
	       o.u.backend.has == ((1u << VIPFWD_BACKEND_A_POOL) |
				   (1u << VIPFWD_BACKEND_A_ADDR4) |
				   (1u << VIPFWD_BACKEND_A_HEALTH)),
	       "backend health -> BACKEND_SET with health only");
	tap_ok(!roundtrip("backend set p 2001:db8::11 weight 7 via none",
			  &r, &o, &flags) && o.cmd == VIPFWD_CMD_BACKEND_SET &&
	       VIP_HAS(&o.u.backend, VIPFWD_BACKEND_A_ADDR6) &&
	       VIP_HAS(&o.u.backend, VIPFWD_BACKEND_A_VIA6) &&
	       !memcmp(&o.u.backend, &r.backend, sizeof(o.u.backend)),
	       "backend set IPv6 -> ADDR6, via none -> VIA6 ::");
	tap_ok(!roundtrip("backend del p 10.0.0.11", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_BACKEND_DEL &&
	       o.u.backend.has == ((1u << VIPFWD_BACKEND_A_POOL) |
				   (1u << VIPFWD_BACKEND_A_ADDR4)),
	       "backend del -> BACKEND_DEL with the key only");

	tap_ok(!roundtrip("frontend add 192.168.2.100 tcp 1433 pool sqlcluster mode encap encap ipip idle-timeout 240",
			  &r, &o, &flags) && o.cmd == VIPFWD_CMD_FRONTEND_NEW &&
	       o.type == VIP_OBJ_FRONTEND &&
	       !memcmp(&o.u.frontend, &r.frontend, sizeof(o.u.frontend)),
	       "frontend add -> FRONTEND_NEW, same fields back");
	tap_ok(o.u.frontend.proto == 6 && o.u.frontend.port == 1433 &&
	       o.u.frontend.vip.u.v4.s_addr == htonl(0xc0a80264),
	       "frontend key: proto 6, port 1433, VIP");
	tap_ok(!roundtrip("frontend set 192.168.1.111 any 0 mode nat backend-port 3389 hash 3tuple no-backend reject source 10.0.0.1",
			  &r, &o, &flags) && o.cmd == VIPFWD_CMD_FRONTEND_SET &&
	       o.u.frontend.proto == VIPFWD_PROTO_ANY &&
	       VIP_HAS(&o.u.frontend, VIPFWD_FRONTEND_A_PORT) &&
	       !memcmp(&o.u.frontend, &r.frontend, sizeof(o.u.frontend)),
	       "frontend set -> FRONTEND_SET, proto any, port 0 sent");
	tap_ok(!roundtrip("frontend del 192.168.1.111 udp 53", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_FRONTEND_DEL &&
	       o.u.frontend.has == ((1u << VIPFWD_FRONTEND_A_VIP4) |
				    (1u << VIPFWD_FRONTEND_A_PROTO) |
				    (1u << VIPFWD_FRONTEND_A_PORT)),
	       "frontend del -> FRONTEND_DEL with the key only");

	tap_ok(!roundtrip("frontend set 192.168.2.100 udp 53 on-health-down reschedule",
			  &r, &o, &flags) &&
	       o.u.frontend.on_health_down == VIPFWD_ON_HEALTH_DOWN_RESCHEDULE &&
	       !memcmp(&o.u.frontend, &r.frontend, sizeof(o.u.frontend)),
	       "frontend set on-health-down -> ON_HEALTH_DOWN");

	tap_ok(!parse_line("show", &r) && !vipctl_request_msg(&r, FAMILY),
	       "show is not a change request");
}

/* The new requests: flows (dump), flush, explain, settings. */
static void flow_requests(void)
{
	struct vipctl_req r;
	struct vip_obj o;
	uint16_t flags = 0;

	tap_ok(!roundtrip("flows", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_FLOW_GET && o.type == VIP_OBJ_NONE &&
	       (flags & NLM_F_DUMP) == NLM_F_DUMP,
	       "flows -> FLOW_GET dump without a filter nest");
	tap_ok(!roundtrip("flows frontend 192.168.2.100 tcp 1433 backend 10.0.2.11",
			  &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_FLOW_GET && o.type == VIP_OBJ_FLOW &&
	       o.u.flow.has == r.flow.has &&
	       !memcmp(&o.u.flow, &r.flow, sizeof(o.u.flow)) &&
	       o.u.flow.fe_vip.u.v4.s_addr == htonl(0xc0a80264) &&
	       o.u.flow.backend.u.v4.s_addr == htonl(0x0a00020b),
	       "flows frontend ... backend ... -> FLOW_GET with the filter");
	tap_ok(!roundtrip("flows flush backend 10.0.2.11", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_FLOW_FLUSH &&
	       o.u.flow.has == (1u << VIPFWD_FLOW_A_BACKEND4) &&
	       (flags & NLM_F_ACK) && !(flags & NLM_F_DUMP),
	       "flows flush backend -> FLOW_FLUSH, acked, not a dump");
	tap_ok(!roundtrip("flows flush", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_FLOW_FLUSH && o.type == VIP_OBJ_NONE,
	       "flows flush -> FLOW_FLUSH without a filter: every flow");
	tap_ok(!roundtrip("explain tcp 10.0.1.2 40000 192.168.2.100 1433",
			  &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_EXPLAIN && o.type == VIP_OBJ_EXPLAIN &&
	       o.u.explain.has == r.explain.has &&
	       !memcmp(&o.u.explain, &r.explain, sizeof(o.u.explain)) &&
	       o.u.explain.sport == 40000 && o.u.explain.dport == 1433,
	       "explain -> EXPLAIN with the five fields only");
	tap_ok(!roundtrip("set flow-limit 5000", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_SETTINGS_SET &&
	       o.type == VIP_OBJ_SETTINGS &&
	       o.u.settings.has == (1u << VIPFWD_SETTINGS_A_FLOW_LIMIT) &&
	       o.u.settings.flow_limit == 5000,
	       "set flow-limit -> SETTINGS_SET with the limit only");
	tap_ok(!roundtrip("settings", &r, &o, &flags) &&
	       o.cmd == VIPFWD_CMD_SETTINGS_GET && o.type == VIP_OBJ_NONE,
	       "settings -> SETTINGS_GET, no attributes");
}

/* Replies of the new commands as the kernel sends them. */
static void flow_replies(void)
{
	struct vip_obj *o = calloc(1, sizeof(*o));
	struct nl_msg *msg;
	struct nlattr *nest;
	struct in6_addr a6;

	msg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_FLOW_GET, false);
	nest = nla_nest_start(msg, VIPFWD_A_FLOW | NLA_F_NESTED);
	nla_put_u8(msg, VIPFWD_FLOW_A_PROTO, 6);
	nla_put_u32(msg, VIPFWD_FLOW_A_SRC4, htonl(0x0a000102));
	nla_put_u16(msg, VIPFWD_FLOW_A_SPORT, 40000);
	nla_put_u32(msg, VIPFWD_FLOW_A_DST4, htonl(0xc0a80264));
	nla_put_u16(msg, VIPFWD_FLOW_A_DPORT, 1433);
	nla_put_u32(msg, VIPFWD_FLOW_A_FRONTEND_VIP4, htonl(0xc0a80264));
	nla_put_u8(msg, VIPFWD_FLOW_A_FRONTEND_PROTO, 6);
	nla_put_u16(msg, VIPFWD_FLOW_A_FRONTEND_PORT, 1433);
	inet_pton(AF_INET6, "2001:db8::11", &a6);
	nla_put(msg, VIPFWD_FLOW_A_BACKEND6, sizeof(a6), &a6);
	nla_put_string(msg, VIPFWD_FLOW_A_POOL, "p1");
	nla_put_u8(msg, VIPFWD_FLOW_A_STATE, VIPFWD_FLOW_STATE_SYN);
	nla_put_u32(msg, VIPFWD_FLOW_A_IDLE_MS, 7);
	nla_put_u32(msg, VIPFWD_FLOW_A_EXPIRES_MS, 9993);
	nla_nest_end(msg, nest);
	tap_ok(!vip_obj_parse(nlmsg_hdr(msg), o) && o->type == VIP_OBJ_FLOW &&
	       o->u.flow.proto == 6 && o->u.flow.sport == 40000 &&
	       o->u.flow.src.family == AF_INET &&
	       o->u.flow.backend.family == AF_INET6 &&
	       VIP_HAS(&o->u.flow, VIPFWD_FLOW_A_BACKEND6) &&
	       !strcmp(o->u.flow.pool, "p1") &&
	       o->u.flow.state == VIPFWD_FLOW_STATE_SYN &&
	       o->u.flow.idle_ms == 7 && o->u.flow.expires_ms == 9993,
	       "flow dump entry decodes, IPv6 backend");
	nlmsg_free(msg);

	msg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_EXPLAIN, false);
	nest = nla_nest_start(msg, VIPFWD_A_EXPLAIN | NLA_F_NESTED);
	nla_put_u8(msg, VIPFWD_EXPLAIN_A_PROTO, 17);
	nla_put_u8(msg, VIPFWD_EXPLAIN_A_WHY, VIPFWD_WHY_TABLE_FULL);
	nla_put_string(msg, VIPFWD_EXPLAIN_A_REASON, "flow table full");
	nla_put_u32(msg, VIPFWD_EXPLAIN_A_BACKEND4, htonl(0x0a00020c));
	nla_put_u8(msg, VIPFWD_EXPLAIN_A_TIER, 2);
	nla_put_u32(msg, VIPFWD_EXPLAIN_A_HASH, 0xffffffff);
	nla_put_u32(msg, VIPFWD_EXPLAIN_A_TABLE_INDEX, 65536);
	nla_put_u32(msg, VIPFWD_EXPLAIN_A_TABLE_SIZE, 65537);
	nla_nest_end(msg, nest);
	tap_ok(!vip_obj_parse(nlmsg_hdr(msg), o) &&
	       o->type == VIP_OBJ_EXPLAIN &&
	       o->u.explain.why == VIPFWD_WHY_TABLE_FULL &&
	       !strcmp(o->u.explain.reason, "flow table full") &&
	       o->u.explain.backend.u.v4.s_addr == htonl(0x0a00020c) &&
	       o->u.explain.tier == 2 && o->u.explain.hash == 0xffffffff &&
	       o->u.explain.table_index == 65536 &&
	       o->u.explain.table_size == 65537 &&
	       !o->u.explain.fe_vip.family,
	       "explain reply decodes; no frontend attribute: family 0");
	nlmsg_free(msg);

	msg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_SETTINGS_GET, false);
	nest = nla_nest_start(msg, VIPFWD_A_SETTINGS | NLA_F_NESTED);
	nla_put_u32(msg, VIPFWD_SETTINGS_A_FLOW_LIMIT, 1048576);
	nla_put_u32(msg, VIPFWD_SETTINGS_A_FLOW_COUNT, 0);
	nla_nest_end(msg, nest);
	tap_ok(!vip_obj_parse(nlmsg_hdr(msg), o) &&
	       o->type == VIP_OBJ_SETTINGS &&
	       o->u.settings.flow_limit == 1048576 &&
	       o->u.settings.has == ((1u << VIPFWD_SETTINGS_A_FLOW_LIMIT) |
				     (1u << VIPFWD_SETTINGS_A_FLOW_COUNT)),
	       "settings reply decodes, a zero count is present");
	nlmsg_free(msg);

	/* FLOW_FLUSH reply: filter echoed, count */
	msg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_FLOW_FLUSH, false);
	nest = nla_nest_start(msg, VIPFWD_A_FLOW | NLA_F_NESTED);
	nla_put_u32(msg, VIPFWD_FLOW_A_FLUSHED, 40);
	nla_nest_end(msg, nest);
	tap_ok(!vip_obj_parse(nlmsg_hdr(msg), o) && o->type == VIP_OBJ_FLOW &&
	       o->cmd == VIPFWD_CMD_FLOW_FLUSH && o->u.flow.flushed == 40 &&
	       o->u.flow.has == (1u << VIPFWD_FLOW_A_FLUSHED),
	       "flush reply decodes the count");
	nlmsg_free(msg);

	/* A too-short u32 in a flow is an error, not garbage. */
	msg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_FLOW_GET, false);
	nest = nla_nest_start(msg, VIPFWD_A_FLOW | NLA_F_NESTED);
	{
		uint16_t two = 2;

		nla_put(msg, VIPFWD_FLOW_A_IDLE_MS, sizeof(two), &two);
	}
	nla_nest_end(msg, nest);
	tap_ok(vip_obj_parse(nlmsg_hdr(msg), o) < 0,
	       "truncated flow attribute is an error");
	nlmsg_free(msg);
	free(o);
}

/* A reply as the kernel would send it, with the reply-only fields. */
static void replies(void)
{
	struct nl_msg *msg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_BACKEND_GET, false);
	struct vip_backend b, *d;
	struct vip_obj *o = calloc(1, sizeof(*o));
	struct vip_pool p;
	struct nl_msg *pmsg;

	memset(&b, 0, sizeof(b));
	strcpy(b.pool, "sqlcluster");
	VIP_SET(&b, VIPFWD_BACKEND_A_POOL);
	vip_addr_parse("10.0.0.12", &b.addr);
	VIP_SET(&b, VIPFWD_BACKEND_A_ADDR4);
	b.weight = 1;
	b.health = VIPFWD_HEALTH_UNKNOWN;
	b.eligible = 0;
	strcpy(b.reason, "health unknown: no probe result yet");
	b.flows = 3;
	b.stats.v[VIPFWD_STATS_A_PACKETS] = 1ull << 40;
	b.stats.v[VIPFWD_STATS_A_BYTES] = 123;
	b.stats.has = (1u << VIPFWD_STATS_A_PACKETS) |
		      (1u << VIPFWD_STATS_A_BYTES);
	b.has |= (1u << VIPFWD_BACKEND_A_WEIGHT) |
		 (1u << VIPFWD_BACKEND_A_HEALTH) |
		 (1u << VIPFWD_BACKEND_A_ELIGIBLE) |
		 (1u << VIPFWD_BACKEND_A_REASON) |
		 (1u << VIPFWD_BACKEND_A_FLOWS) |
		 (1u << VIPFWD_BACKEND_A_STATS);
	vip_backend_put(msg, &b);
	d = &o->u.backend;
	tap_ok(!vip_obj_parse(nlmsg_hdr(msg), o) &&
	       o->type == VIP_OBJ_BACKEND && d->has == b.has &&
	       !strcmp(d->reason, b.reason) && d->flows == 3 &&
	       d->stats.v[VIPFWD_STATS_A_PACKETS] == 1ull << 40 &&
	       d->stats.has == b.stats.has,
	       "backend reply with reason, flows and 64-bit counters decodes");
	nlmsg_free(msg);

	memset(&p, 0, sizeof(p));
	strcpy(p.name, "p");
	p.backend_count = 2;
	p.frontend_count = 1;
	p.has = (1u << VIPFWD_POOL_A_NAME) |
		(1u << VIPFWD_POOL_A_BACKEND_COUNT) |
		(1u << VIPFWD_POOL_A_FRONTEND_COUNT);
	pmsg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_POOL_GET, true);
	vip_pool_put(pmsg, &p);
	tap_ok((nlmsg_hdr(pmsg)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP,
	       "dump requests carry NLM_F_DUMP");
	tap_ok(!vip_obj_parse(nlmsg_hdr(pmsg), o) && o->type == VIP_OBJ_POOL &&
	       o->u.pool.frontend_count == 1 && o->u.pool.backend_count == 2,
	       "pool reply counts decode");
	nlmsg_free(pmsg);

	/* An unknown attribute from a newer kernel is ignored. */
	pmsg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_POOL_GET, false);
	{
		struct nlattr *nest = nla_nest_start(pmsg, VIPFWD_A_POOL |
						     NLA_F_NESTED);

		nla_put_string(pmsg, VIPFWD_POOL_A_NAME, "newer");
		nla_put_u32(pmsg, VIPFWD_POOL_A_MAX + 5, 7);
		nla_nest_end(pmsg, nest);
	}
	tap_ok(!vip_obj_parse(nlmsg_hdr(pmsg), o) &&
	       !strcmp(o->u.pool.name, "newer") &&
	       o->u.pool.has == (1u << VIPFWD_POOL_A_NAME),
	       "unknown attributes from a newer kernel are ignored");
	nlmsg_free(pmsg);

	/* A u32 attribute that is too short is refused. */
	pmsg = vip_nl_msg_new(FAMILY, VIPFWD_CMD_POOL_GET, false);
	{
		struct nlattr *nest = nla_nest_start(pmsg, VIPFWD_A_POOL |
						     NLA_F_NESTED);
		uint8_t one = 1;

		nla_put(pmsg, VIPFWD_POOL_A_FALL, 1, &one);
		nla_nest_end(pmsg, nest);
	}
	tap_ok(vip_obj_parse(nlmsg_hdr(pmsg), o) < 0,
	       "truncated attribute in a reply is an error");
	nlmsg_free(pmsg);
	free(o);
}

/* Builds an NLMSG_ERROR / NLMSG_DONE as af_netlink.c lays them out. */
static size_t put_tlv_msg(unsigned char *p, const char *text)
{
	struct nlattr *a = (struct nlattr *)p;
	size_t len = strlen(text) + 1;

	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(p + NLA_HDRLEN, text, len);
	return NLA_ALIGN(a->nla_len);
}

static size_t put_tlv_u32(unsigned char *p, int type, uint32_t v)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = (uint16_t)type;
	a->nla_len = NLA_HDRLEN + 4;
	memcpy(p + NLA_HDRLEN, &v, 4);
	return NLA_ALIGN(a->nla_len);
}

static void status(void)
{
	union {
		unsigned char b[1024];
		struct nlmsghdr h;
	} u;
	struct nlmsghdr *nlh = &u.h;
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	unsigned char *p;
	char msg[128];
	int err;

	/* capped error with an offset TLV first, then the message */
	memset(&u, 0, sizeof(u));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e->error = -EBUSY;
	e->msg.nlmsg_len = 64;	/* the request's length, not included */
	p = (unsigned char *)(e + 1);
	p += put_tlv_u32(p, NLMSGERR_ATTR_OFFS, 20);
	p += put_tlv_msg(p, "pool \"p\" is in use by 1 frontend");
	nlh->nlmsg_len = (uint32_t)(p - u.b);
	err = vip_nl_parse_status(nlh, msg, sizeof(msg));
	tap_is_int(err, -EBUSY, "capped error: errno");
	tap_is_str(msg, "pool \"p\" is in use by 1 frontend",
		   "capped error: extack text");

	/* uncapped: the request (header + 12 bytes) sits before the TLVs */
	memset(&u, 0, sizeof(u));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	e->error = -ENOENT;
	e->msg.nlmsg_len = NLMSG_HDRLEN + 10;
	p = (unsigned char *)(e + 1) + NLMSG_ALIGN(10);
	memset((unsigned char *)(e + 1), 0x41, 10);
	p += put_tlv_msg(p, "pool not found");
	nlh->nlmsg_len = (uint32_t)(p - u.b);
	err = vip_nl_parse_status(nlh, msg, sizeof(msg));
	tap_ok(err == -ENOENT && !strcmp(msg, "pool not found"),
	       "uncapped error: TLVs found after the echoed request");

	/* no TLVs: plain errno, empty text */
	nlh->nlmsg_flags = 0;
	err = vip_nl_parse_status(nlh, msg, sizeof(msg));
	tap_ok(err == -ENOENT && msg[0] == '\0',
	       "error without extack: errno only");

	/* ACK */
	memset(&u, 0, sizeof(u));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*e));
	tap_ok(vip_nl_parse_status(nlh, msg, sizeof(msg)) == 0 && !msg[0],
	       "ACK is success");

	/* NLMSG_DONE of a failed dump, with its message */
	memset(&u, 0, sizeof(u));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	err = -EINVAL;
	memcpy(NLMSG_DATA(nlh), &err, sizeof(err));
	p = (unsigned char *)NLMSG_DATA(nlh) + 4;
	p += put_tlv_msg(p, "missing pool");
	nlh->nlmsg_len = (uint32_t)(p - u.b);
	err = vip_nl_parse_status(nlh, msg, sizeof(msg));
	tap_ok(err == -EINVAL && !strcmp(msg, "missing pool"),
	       "failed dump: error and text from NLMSG_DONE");

	/* a message longer than the buffer is cut, still terminated */
	memset(&u, 0, sizeof(u));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e->error = -EINVAL;
	p = (unsigned char *)(e + 1);
	p += put_tlv_msg(p, "0123456789abcdef");
	nlh->nlmsg_len = (uint32_t)(p - u.b);
	vip_nl_parse_status(nlh, msg, 8);
	tap_is_str(msg, "0123456", "long extack text is truncated safely");

	/* a TLV claiming more bytes than there are is ignored */
	memset(&u, 0, sizeof(u));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e->error = -EPERM;
	p = (unsigned char *)(e + 1);
	put_tlv_msg(p, "abc");
	((struct nlattr *)p)->nla_len = 200;
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*e)) + 8;
	err = vip_nl_parse_status(nlh, msg, sizeof(msg));
	tap_ok(err == -EPERM && !msg[0], "bogus TLV length ignored");

	/* truncated error message */
	nlh->nlmsg_len = NLMSG_LENGTH(2);
	tap_is_int(vip_nl_parse_status(nlh, msg, sizeof(msg)), -EBADMSG,
		   "truncated NLMSG_ERROR is -EBADMSG");
}

void test_msg(void)
{
	requests();
	flow_requests();
	replies();
	flow_replies();
	status();
}
