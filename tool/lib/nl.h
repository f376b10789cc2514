/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink client for the vipfwd family, on top of libnl-genl-3.
 *
 * libnl builds and parses the messages; this file does the receiving
 * itself because it needs what libnl's callback machinery hides or only
 * half exposes: the extended-ACK message of every error (NLMSGERR_ATTR_MSG,
 * also on the NLMSG_DONE of a failed dump) and NLM_F_DUMP_INTR on any
 * part of a dump, so the dump can be restarted.
 */
#ifndef VIP_NL_H
#define VIP_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "util.h"

#define VIP_NL_DUMP_TRIES	5

struct vip_nl {
	struct nl_sock *sk;
	int family;		/* resolved id of "vipfwd" */
	uint32_t seq;
	unsigned char *buf;	/* receive buffer, grown on demand */
	size_t buflen;
	/* Text of the last failure: the kernel's extack message verbatim,
	 * or a local explanation; "" when there is none (then use strerror).
	 */
	char msg[512];
};

/* Called for every vipfwd message of a reply, dump or event batch; a
 * negative return stops delivery (the reply is still read to its end)
 * and becomes the request's result.
 */
typedef int (*vip_nl_cb)(struct nlmsghdr *nlh, void *arg);

/* Opens the socket, asks for extended ACKs and resolves the family.
 * Returns 0, or -1 with the reason in e.
 */
int vip_nl_open(struct vip_nl *h, struct vip_err *e);
void vip_nl_close(struct vip_nl *h);

/* A new request of the family: NLM_F_ACK, plus NLM_F_DUMP when dump. */
struct nl_msg *vip_nl_msg_new(int family, uint8_t cmd, bool dump);

/*
 * Sends msg (not freed) and reads the answer to its end, handing each
 * data message to cb (may be NULL). Returns 0 or -errno; on a kernel
 * error h->msg holds its extack text.
 */
int vip_nl_request(struct vip_nl *h, struct nl_msg *msg, vip_nl_cb cb,
		   void *arg);
/*
 * Same for a dump; when the kernel flags it interrupted (the
 * configuration changed while it was being dumped), calls reset(arg) to
 * drop what was collected and dumps again, up to VIP_NL_DUMP_TRIES times.
 */
int vip_nl_dump(struct vip_nl *h, struct nl_msg *msg, vip_nl_cb cb,
		void (*reset)(void *arg), void *arg);

/* Joins a multicast group of the family. Returns 0 or -1 with e set. */
int vip_nl_subscribe(struct vip_nl *h, const char *group, struct vip_err *e);
int vip_nl_fd(const struct vip_nl *h);
/* Reads one datagram of events and calls cb for each vipfwd message.
 * Returns 0, -ENOBUFS when the kernel had to drop events, or -errno.
 */
int vip_nl_read_events(struct vip_nl *h, vip_nl_cb cb, void *arg);

/*
 * Decodes an NLMSG_ERROR (ACK when 0) or NLMSG_DONE message: returns its
 * error code (<= 0) and copies NLMSGERR_ATTR_MSG into msg ("" if none).
 * Returns -EBADMSG for a truncated message. Exposed for the unit tests.
 */
int vip_nl_parse_status(const struct nlmsghdr *nlh, char *msg, size_t len);

#endif
