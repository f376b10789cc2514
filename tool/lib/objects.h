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
};

enum vip_obj_type {
	VIP_OBJ_NONE,
	VIP_OBJ_POOL,
	VIP_OBJ_BACKEND,
	VIP_OBJ_FRONTEND,
	VIP_OBJ_STATS,
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
	} u;
};

/* Setters keep the address and its attribute bit in step. */
void vip_backend_set_addr(struct vip_backend *b, const struct vip_addr *a);
void vip_backend_set_via(struct vip_backend *b, const struct vip_addr *a);
void vip_frontend_set_vip(struct vip_frontend *f, const struct vip_addr *a);
void vip_frontend_set_source(struct vip_frontend *f,
			     const struct vip_addr *a);

/* Append the object's nest (VIPFWD_A_POOL, ...) with every attribute
 * whose bit is set. Return 0 or a negative libnl error.
 */
int vip_pool_put(struct nl_msg *msg, const struct vip_pool *p);
int vip_backend_put(struct nl_msg *msg, const struct vip_backend *b);
int vip_frontend_put(struct nl_msg *msg, const struct vip_frontend *f);
int vip_counters_put(struct nl_msg *msg, int attr,
		     const struct vip_counters *c);

/* Decode a nest into a zeroed structure. Return 0 or a negative libnl
 * error (malformed attribute).
 */
int vip_pool_parse(struct nlattr *nest, struct vip_pool *p);
int vip_backend_parse(struct nlattr *nest, struct vip_backend *b);
int vip_frontend_parse(struct nlattr *nest, struct vip_frontend *f);
int vip_counters_parse(struct nlattr *nest, struct vip_counters *c);

/* Decode a whole generic netlink message of the vipfwd family. */
int vip_obj_parse(struct nlmsghdr *nlh, struct vip_obj *o);

#endif
