/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vipctl decap add|del|show: host-side delivery rules (decap prefixes).
 * The parser is pure (unit-tested); the rest talks to the kernel.
 */
#ifndef VIPCTL_DECAP_H
#define VIPCTL_DECAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/vipfwd.h>
#include <netlink/msg.h>

#include "lib/addr.h"
#include "lib/nl.h"
#include "lib/util.h"

struct vipctl_req;

/* A decap rule, a request's or the kernel's. */
struct vip_decap {
	uint32_t has;		/* bits: enum vipfwd_decap_attr */
	struct vip_addr prefix;	/* PREFIX4 or PREFIX6 */
	uint8_t plen;
	uint8_t encap;		/* enum vipfwd_encap */
	uint16_t gue_port;
	uint64_t packets;
	uint64_t bytes;
};

/*
 * "decap add PREFIX [encap ipip|gue] [gue-port N]", "decap del PREFIX",
 * "decap show": argv[i] is the word after "decap". Sets r->op and
 * r->decap. Returns 0 or -1 with e set (the message quotes the bad token).
 */
int vipctl_decap_parse(int argc, char **argv, int i, struct vipctl_req *r,
		       struct vip_err *e);

/* Netlink encoding and decoding of the VIPFWD_A_DECAP nest. */
int vip_decap_put(struct nl_msg *msg, const struct vip_decap *d);
int vip_decap_parse(struct nlattr *nest, struct vip_decap *d);

/* "10.0.1.0/24 encap ipip" and so on; one line, no newline. */
void vip_decap_desc(const struct vip_decap *d, char *buf, size_t len);
/* Output of "decap show" (rules and the namespace's foreign drops). */
int vip_decap_human(FILE *f, const struct vip_decap *rules, size_t n,
		    uint64_t foreign);
void vip_decap_json(FILE *f, const struct vip_decap *rules, size_t n,
		    uint64_t foreign);

/* Runs a parsed decap command. Returns the exit status. */
int vipctl_decap_run(const struct vipctl_req *r, struct vip_nl *h);

/* monitor: prints a DECAP_NEW/DECAP_DEL event and returns true, or
 * returns false for any other message.
 */
bool vipctl_decap_event(FILE *f, struct nlmsghdr *nlh, bool json);

#endif
