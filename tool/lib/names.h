/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keyword <-> value tables for the enums of <linux/vipfwd.h>. The same
 * words are used on the command line, in human output and in JSON, so a
 * value printed by one tool can be typed back into another.
 */
#ifndef VIP_NAMES_H
#define VIP_NAMES_H

struct vip_name {
	const char *name;
	unsigned int val;
};

/* NULL-terminated tables */
extern const struct vip_name vip_probe_names[];		/* none tcp http */
extern const struct vip_name vip_state_names[];		/* enabled draining disabled */
extern const struct vip_name vip_health_names[];	/* unknown up down */
extern const struct vip_name vip_mode_names[];		/* encap nat */
extern const struct vip_name vip_encap_names[];		/* ipip gue */
extern const struct vip_name vip_hash_names[];		/* 5tuple 3tuple 2tuple */
extern const struct vip_name vip_no_backend_names[];	/* drop reject */
extern const struct vip_name vip_proto_names[];		/* tcp udp any */
extern const struct vip_name vip_cmd_names[];		/* pool_new ... */
extern const struct vip_name vip_counter_names[];	/* packets bytes ... */
extern const struct vip_name vip_on_health_down_names[]; /* default keep reschedule */
extern const struct vip_name vip_flow_state_names[];	/* udp syn established ... */
extern const struct vip_name vip_why_names[];		/* no_frontend flow ... */

/* 0 and *val set when word is in tab, else -1. */
int vip_name_parse(const struct vip_name *tab, const char *word,
		   unsigned int *val);
/* The word for val, or NULL when the table does not know it. */
const char *vip_name_str(const struct vip_name *tab, unsigned int val);
/* "a, b or c": the words of tab, for "expected ..." messages. */
const char *vip_name_list(const struct vip_name *tab, char *buf,
			  unsigned int len);

#endif
