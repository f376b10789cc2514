/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vipfwd objects as plain C structures, and their netlink encoding.
 *
 * Every structure has a "has" bitmap indexed by the attribute numbers of
 * <linux/vipfwd.h>: bit VIPFWD_POOL_A_FALL set means "fall" is present. A
 * request only carries the attributes whose bits are set (a SET changes
 * just what the user typed), and a decoded reply tells which ones the
 * kernel sent.
 */
#ifndef VIP_OBJECTS_H
#define VIP_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/vipfwd.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "addr.h"

#define VIP_HAS(o, attr)	(((o)->has >> (attr)) & 1u)
#define VIP_SET(o, attr)	((o)->has |= 1u << (attr))

#define VIP_REASON_MAX	256

struct vip_counters {
	uint32_t has;		/* bits: enum vipfwd_stats_attr */
	uint64_t v[VIPFWD_STATS_A_MAX + 1];
};

struct vip_pool {
	uint32_t has;		/* bits: enum vipfwd_pool_attr */
	char name[VIPFWD_NAME_MAX];
	uint8_t probe_type;
	uint16_t probe_port;
	char http_path[VIPFWD_HTTP_PATH_MAX];
	char http_expect[VIPFWD_HTTP_EXPECT_MAX];
	uint32_t interval_ms;
	uint32_t timeout_ms;
	uint32_t fall;
	uint32_t rise;
	uint32_t table_size;
	uint32_t backend_count;
	uint32_t frontend_count;
};

struct vip_backend {
	uint32_t has;		/* bits: enum vipfwd_backend_attr */
	char pool[VIPFWD_NAME_MAX];
	struct vip_addr addr;	/* ADDR4 or ADDR6 */
	uint32_t weight;
	uint8_t tier;
	uint8_t state;
	uint8_t health;
	uint8_t eligible;
	struct vip_addr via;	/* VIA4 or VIA6 */
	char reason[VIP_REASON_MAX];
	uint32_t flows;
	struct vip_counters stats;
};

struct vip_frontend {
	uint32_t has;		/* bits: enum vipfwd_frontend_attr */
	struct vip_addr vip;	/* VIP4 or VIP6 */
	uint8_t proto;
	uint16_t port;
	char pool[VIPFWD_NAME_MAX];
	uint8_t mode;
	uint8_t encap;
	uint16_t gue_port;
	uint16_t backend_port;
	uint32_t idle_timeout;
	uint8_t hash;
	uint8_t no_backend;
	struct vip_addr source;	/* SOURCE4 or SOURCE6 */
	struct vip_counters stats;
	uint8_t on_health_down;
};

/* A tracked flow (FLOW_GET), or the filter of FLOW_GET / FLOW_FLUSH. */
struct vip_flow {
	uint32_t has;		/* bits: enum vipfwd_flow_attr */
	uint8_t proto;
	struct vip_addr src;	/* SRC4 or SRC6 */
	uint16_t sport;
	struct vip_addr dst;	/* DST4 or DST6 */
	uint16_t dport;
	struct vip_addr fe_vip;	/* FRONTEND_VIP4 or FRONTEND_VIP6 */
	uint8_t fe_proto;
	uint16_t fe_port;
	struct vip_addr backend;	/* BACKEND4 or BACKEND6 */
	char pool[VIPFWD_NAME_MAX];
	uint8_t state;
	uint32_t idle_ms;
	uint32_t expires_ms;
	uint32_t flushed;
	uint16_t backend_port;	/* nat flows */
};

/* EXPLAIN: the question (proto, src, sport, dst, dport) and the answer. */
struct vip_explain {
	uint32_t has;		/* bits: enum vipfwd_explain_attr */
	uint8_t proto;
	struct vip_addr src;	/* SRC4 or SRC6 */
	uint16_t sport;
	struct vip_addr dst;	/* DST4 or DST6 */
	uint16_t dport;
	uint8_t why;
	char reason[VIP_REASON_MAX];
	struct vip_addr fe_vip;	/* FRONTEND_VIP4 or FRONTEND_VIP6 */
	uint8_t fe_proto;
	uint16_t fe_port;
	char pool[VIPFWD_NAME_MAX];
	struct vip_addr backend;	/* BACKEND4 or BACKEND6 */
	uint8_t tier;
	uint32_t hash;
	uint32_t table_index;
	uint32_t table_size;
	uint32_t flow_idle_ms;
	uint16_t backend_port;	/* mode nat only */
	/* Not from the kernel: vipctl found dst in the VIP guard's set, so
	 * a packet that "passes untouched" is dropped by nftables instead.
	 */
	bool guard_drop;
};

/* Namespace-wide settings. */
struct vip_settings {
	uint32_t has;		/* bits: enum vipfwd_settings_attr */
	uint32_t flow_limit;
	uint32_t flow_count;
};

enum vip_obj_type {
	VIP_OBJ_NONE,
	VIP_OBJ_POOL,
	VIP_OBJ_BACKEND,
	VIP_OBJ_FRONTEND,
	VIP_OBJ_STATS,
	VIP_OBJ_FLOW,
	VIP_OBJ_EXPLAIN,
	VIP_OBJ_SETTINGS,
};

/* One decoded vipfwd message (reply, dump entry or event). */
struct vip_obj {
	enum vip_obj_type type;
	uint8_t cmd;
	union {
		struct vip_pool pool;
		struct vip_backend backend;
		struct vip_frontend frontend;
		struct vip_counters stats;
		struct vip_flow flow;
		struct vip_explain explain;
		struct vip_settings settings;
	} u;
};

/* Setters keep the address and its attribute bit in step. */
void vip_backend_set_addr(struct vip_backend *b, const struct vip_addr *a);
void vip_backend_set_via(struct vip_backend *b, const struct vip_addr *a);
void vip_frontend_set_vip(struct vip_frontend *f, const struct vip_addr *a);
void vip_frontend_set_source(struct vip_frontend *f,
			     const struct vip_addr *a);
void vip_flow_set_fe_vip(struct vip_flow *fl, const struct vip_addr *a);
void vip_flow_set_backend(struct vip_flow *fl, const struct vip_addr *a);
void vip_explain_set_src(struct vip_explain *x, const struct vip_addr *a);
void vip_explain_set_dst(struct vip_explain *x, const struct vip_addr *a);

/* Append the object's nest (VIPFWD_A_POOL, ...) with every attribute
 * whose bit is set. Return 0 or a negative libnl error.
 */
int vip_pool_put(struct nl_msg *msg, const struct vip_pool *p);
int vip_backend_put(struct nl_msg *msg, const struct vip_backend *b);
int vip_frontend_put(struct nl_msg *msg, const struct vip_frontend *f);
int vip_counters_put(struct nl_msg *msg, int attr,
		     const struct vip_counters *c);
int vip_flow_put(struct nl_msg *msg, const struct vip_flow *fl);
int vip_explain_put(struct nl_msg *msg, const struct vip_explain *x);
int vip_settings_put(struct nl_msg *msg, const struct vip_settings *st);

/* Decode a nest into a zeroed structure. Return 0 or a negative libnl
 * error (malformed attribute).
 */
int vip_pool_parse(struct nlattr *nest, struct vip_pool *p);
int vip_backend_parse(struct nlattr *nest, struct vip_backend *b);
int vip_frontend_parse(struct nlattr *nest, struct vip_frontend *f);
int vip_counters_parse(struct nlattr *nest, struct vip_counters *c);
int vip_flow_parse(struct nlattr *nest, struct vip_flow *fl);
int vip_explain_parse(struct nlattr *nest, struct vip_explain *x);
int vip_settings_parse(struct nlattr *nest, struct vip_settings *st);

/* Decode a whole generic netlink message of the vipfwd family. */
int vip_obj_parse(struct nlmsghdr *nlh, struct vip_obj *o);

#endif
