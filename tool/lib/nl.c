// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/vipfwd.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define RECV_BUF_MIN	(32 * 1024)
#define EVENT_RCVBUF	(1024 * 1024)
#define EVENT_RCVBUF_ADMIN	(8 * 1024 * 1024)

int vip_nl_open(struct vip_nl *h, struct vip_err *e)
{
	int one = 1, fd, err;

	memset(h, 0, sizeof(*h));
	h->family = -1;
	h->sk = nl_socket_alloc();
	if (!h->sk)
		return vip_errf(e, "out of memory");
	err = genl_connect(h->sk);
	if (err < 0) {
		vip_errf(e, "cannot open a generic netlink socket: %s",
			 nl_geterror(err));
		goto err_free;
	}
	fd = nl_socket_get_fd(h->sk);
	/* Ask for the kernel's error text, and only the header of our
	 * request echoed back in errors. Old kernels without these options
	 * still work, just without the text.
	 */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	h->family = genl_ctrl_resolve(h->sk, VIPFWD_GENL_NAME);
	if (h->family < 0) {
		if (h->family == -NLE_OBJ_NOTFOUND)
			vip_errf(e, "generic netlink family \"%s\" not found (is the vipfwd module loaded?)",
				 VIPFWD_GENL_NAME);
		else
			vip_errf(e, "cannot resolve generic netlink family \"%s\": %s",
				 VIPFWD_GENL_NAME, nl_geterror(h->family));
		goto err_free;
	}
	h->seq = (uint32_t)time(NULL);
	return 0;

err_free:
	nl_socket_free(h->sk);
	h->sk = NULL;
	return -1;
}

void vip_nl_close(struct vip_nl *h)
{
	if (h->sk)
		nl_socket_free(h->sk);
	free(h->buf);
	memset(h, 0, sizeof(*h));
}

struct nl_msg *vip_nl_msg_new(int family, uint8_t cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK),
			 cmd, VIPFWD_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Walks the extended-ACK TLVs at p and keeps the message text. */
static void parse_tlvs(const unsigned char *p, size_t len, char *msg,
		       size_t msglen)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len, adv;

		if (alen < NLA_HDRLEN || alen > len)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    alen > NLA_HDRLEN && msglen) {
			const char *s = (const char *)(p + NLA_HDRLEN);
			size_t n = strnlen(s, alen - NLA_HDRLEN);

			if (n >= msglen)
				n = msglen - 1;
			memcpy(msg, s, n);
			msg[n] = '\0';
		}
		adv = NLA_ALIGN(alen);
		if (adv >= len)
			return;
		p += adv;
		len -= adv;
	}
}

int vip_nl_parse_status(const struct nlmsghdr *nlh, char *msg, size_t len)
{
	const unsigned char *payload = NLMSG_DATA(nlh);
	size_t plen, off;
	int error;

	if (len)
		msg[0] = '\0';
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;
	plen = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump's end: an int error, then the TLVs. */
		if (plen < sizeof(int))
			return 0;	/* very old kernels sent nothing */
		memcpy(&error, payload, sizeof(error));
		off = NLMSG_ALIGN(sizeof(int));
	} else {
		const struct nlmsgerr *e = (const struct nlmsgerr *)payload;

		if (plen < sizeof(*e))
			return -EBADMSG;
		error = e->error;
		off = sizeof(*e);
		/* Unless capped, the whole request follows its header. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= NLMSG_HDRLEN)
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < plen)
		parse_tlvs(payload + off, plen - off, msg, len);
	return error > 0 ? -error : error;
}

/* Receives one datagram of any size into h->buf. */
static ssize_t recv_datagram(struct vip_nl *h, bool retry_eintr)
{
	int fd = nl_socket_get_fd(h->sk);
	ssize_t n;

	for (;;) {
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR && retry_eintr)
				continue;
			return -errno;
		}
		if ((size_t)n > h->buflen || !h->buf) {
			size_t len = (size_t)n < RECV_BUF_MIN ?
				     RECV_BUF_MIN : (size_t)n;
			unsigned char *buf = realloc(h->buf, len);

			if (!buf)
				return -ENOMEM;
			h->buf = buf;
			h->buflen = len;
		}
		n = recv(fd, h->buf, h->buflen, 0);
		if (n < 0) {
			if (errno == EINTR && retry_eintr)
				continue;
			return -errno;
		}
		return n;
	}
}

static int send_request(struct vip_nl *h, struct nl_msg *msg)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	ssize_t n;

	nlh->nlmsg_seq = ++h->seq;
	nlh->nlmsg_pid = nl_socket_get_local_port(h->sk);
	do {
		n = sendto(nl_socket_get_fd(h->sk), nlh, nlh->nlmsg_len, 0,
			   (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return 0;
}

/* Sends msg and reads until its ACK/error or the end of the dump. */
static int transact(struct vip_nl *h, struct nl_msg *msg, vip_nl_cb cb,
		    void *arg, bool *intr)
{
	uint32_t port = nl_socket_get_local_port(h->sk), seq;
	int err, cb_err = 0;

	h->msg[0] = '\0';
	*intr = false;
	err = send_request(h, msg);
	if (err)
		return err;
	seq = h->seq;

	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n = recv_datagram(h, true);
		int len;

		if (n < 0)
			return (int)n;
		if (n == 0)
			return -ECONNRESET;
		len = (int)n;
		for (nlh = (struct nlmsghdr *)h->buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			/* Leftovers of an earlier, abandoned request. */
			if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != port)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			switch (nlh->nlmsg_type) {
			case NLMSG_ERROR:
			case NLMSG_DONE:
				err = vip_nl_parse_status(nlh, h->msg,
							  sizeof(h->msg));
				return err ? err : cb_err;
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				continue;
			default:
				if (nlh->nlmsg_type != h->family || !cb ||
				    cb_err)
					continue;
				cb_err = cb(nlh, arg);
			}
		}
	}
}

int vip_nl_request(struct vip_nl *h, struct nl_msg *msg, vip_nl_cb cb,
		   void *arg)
{
	bool intr;

	return transact(h, msg, cb, arg, &intr);
}

int vip_nl_dump(struct vip_nl *h, struct nl_msg *msg, vip_nl_cb cb,
		void (*reset)(void *arg), void *arg)
{
	int tries, err;

	for (tries = 1;; tries++) {
		bool intr;

		err = transact(h, msg, cb, arg, &intr);
		if (err || !intr)
			return err;
		if (tries == VIP_NL_DUMP_TRIES)
			break;
		if (reset)
			reset(arg);
	}
	snprintf(h->msg, sizeof(h->msg),
		 "the configuration kept changing while it was read (%d tries), try again",
		 VIP_NL_DUMP_TRIES);
	return -EAGAIN;
}

int vip_nl_subscribe(struct vip_nl *h, const char *group, struct vip_err *e)
{
	int size = EVENT_RCVBUF_ADMIN;
	int grp, err;

	grp = genl_ctrl_resolve_grp(h->sk, VIPFWD_GENL_NAME, group);
	if (grp < 0)
		return vip_errf(e, "cannot find multicast group \"%s\" of \"%s\": %s",
				group, VIPFWD_GENL_NAME, nl_geterror(grp));
	err = nl_socket_add_membership(h->sk, grp);
	if (err < 0)
		return vip_errf(e, "cannot join multicast group \"%s\": %s",
				group, nl_geterror(err));
	/* Bursts (a pool with many backends going down, or vipprobe's own
	 * first verdicts for thousands of backends) must not overrun the
	 * socket; the default buffer holds only a few hundred events.
	 * SO_RCVBUF is capped by net.core.rmem_max; with CAP_NET_ADMIN
	 * (vipprobe has it) SO_RCVBUFFORCE is not.
	 */
	if (setsockopt(nl_socket_get_fd(h->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &size, sizeof(size)))
		nl_socket_set_buffer_size(h->sk, EVENT_RCVBUF, 0);
	return 0;
}

int vip_nl_fd(const struct vip_nl *h)
{
	return nl_socket_get_fd(h->sk);
}

int vip_nl_read_events(struct vip_nl *h, vip_nl_cb cb, void *arg)
{
	struct nlmsghdr *nlh;
	ssize_t n = recv_datagram(h, false);
	int len, err;

	if (n < 0)
		return (int)n;
	len = (int)n;
	for (nlh = (struct nlmsghdr *)h->buf; NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len)) {
		if (nlh->nlmsg_type != h->family)
			continue;
		err = cb(nlh, arg);
		if (err < 0)
			return err;
	}
	return 0;
}
