// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the vipfwd module's netlink interface, linked into
 * vipprobe in place of lib/nl.o and fetch.o to make vipprobe-nokernel:
 * the same probe code, run where the module cannot be loaded. The
 * machines we develop on only load modules inside an emulated (TCG) VM,
 * where every probe costs about a hundred times its native CPU; this
 * binary lets the scale benchmark (selftests/bench/probe-host) measure
 * vipprobe's CPU on the host itself, against a real listener farm.
 *
 * The configuration comes from the environment instead of a dump:
 *
 *   NOKERNEL_BACKENDS   backends in all (default 10)
 *   NOKERNEL_POOLS      pools they are spread over (default 1)
 *   NOKERNEL_FIRST      address of the first backend (default 10.200.0.1);
 *                       the next ones count up from it
 *   NOKERNEL_PORT       probe port (default 7000)
 *   NOKERNEL_HTTP_PATH  set: an http probe of this path instead of tcp
 *   NOKERNEL_INTERVAL_MS, NOKERNEL_TIMEOUT_MS, NOKERNEL_FALL, NOKERNEL_RISE
 *
 * Health verdicts are accepted and dropped (vipprobe logs each one);
 * no events ever arrive. Only the configuration source and the verdict
 * sink differ from vipprobe: scheduling, sockets and the event loop are
 * vipprobe's own objects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/socket.h>

#include "fetch.h"
#include "lib/nl.h"

static unsigned long env_num(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : def;
}

int vip_nl_open(struct vip_nl *h, struct vip_err *e)
{
	memset(h, 0, sizeof(*h));
	h->sk = nl_socket_alloc();
	if (!h->sk)
		return vip_errf(e, "out of memory");
	/* A real socket that nothing is ever sent to: vipprobe watches
	 * the event socket's fd with epoll.
	 */
	if (nl_connect(h->sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(h->sk);
		h->sk = NULL;
		return vip_errf(e, "cannot open a netlink socket");
	}
	h->family = 1;
	return 0;
}

void vip_nl_close(struct vip_nl *h)
{
	if (h->sk)
		nl_socket_free(h->sk);
	memset(h, 0, sizeof(*h));
}

/* Only verdicts are built, and they are dropped: no header needed. */
struct nl_msg *vip_nl_msg_new(int family, uint8_t cmd, bool dump)
{
	(void)family;
	(void)cmd;
	(void)dump;
	return nlmsg_alloc();
}

/* A verdict (BACKEND_SET with HEALTH): taken. */
int vip_nl_request(struct vip_nl *h, struct nl_msg *msg, vip_nl_cb cb,
		   void *arg)
{
	(void)msg;
	(void)cb;
	(void)arg;
	h->msg[0] = '\0';
	return 0;
}

int vip_nl_subscribe(struct vip_nl *h, const char *group, struct vip_err *e)
{
	(void)h;
	(void)group;
	(void)e;
	return 0;
}

int vip_nl_fd(const struct vip_nl *h)
{
	return nl_socket_get_fd(h->sk);
}

int vip_nl_read_events(struct vip_nl *h, vip_nl_cb cb, void *arg)
{
	(void)h;
	(void)cb;
	(void)arg;
	return -EAGAIN;
}

int vip_fetch(struct vip_nl *h, unsigned int what, const char *pool,
	      struct vip_config *cfg)
{
	unsigned long n = env_num("NOKERNEL_BACKENDS", 10);
	unsigned long npools = env_num("NOKERNEL_POOLS", 1), i;
	const char *first = getenv("NOKERNEL_FIRST");
	const char *http_path = getenv("NOKERNEL_HTTP_PATH");
	struct vip_addr a;
	uint32_t base;

	(void)what;
	(void)pool;
	if (!first || !*first)
		first = "10.200.0.1";
	if (vip_addr_parse(first, &a) || a.family != AF_INET || !npools) {
		snprintf(h->msg, sizeof(h->msg),
			 "NOKERNEL_FIRST \"%s\": not an IPv4 address, or NOKERNEL_POOLS is 0",
			 first);
		return -EINVAL;
	}
	base = ntohl(a.u.v4.s_addr);
	for (i = 0; i < npools; i++) {
		struct vip_pool *p = vip_vec_push(&cfg->pools);

		if (!p)
			return -ENOMEM;
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "p%lu", i);
		p->probe_type = http_path ? VIPFWD_PROBE_HTTP : VIPFWD_PROBE_TCP;
		if (http_path)
			vip_strlcpy(p->http_path, http_path, sizeof(p->http_path));
		p->probe_port = (uint16_t)env_num("NOKERNEL_PORT", 7000);
		p->interval_ms = (uint32_t)env_num("NOKERNEL_INTERVAL_MS", 1000);
		p->timeout_ms = (uint32_t)env_num("NOKERNEL_TIMEOUT_MS", 1000);
		p->fall = (uint32_t)env_num("NOKERNEL_FALL", 3);
		p->rise = (uint32_t)env_num("NOKERNEL_RISE", 1);
	}
	for (i = 0; i < n; i++) {
		struct vip_backend *b = vip_vec_push(&cfg->backends);

		if (!b)
			return -ENOMEM;
		memset(b, 0, sizeof(*b));
		snprintf(b->pool, sizeof(b->pool), "p%lu", i % npools);
		a.u.v4.s_addr = htonl(base + (uint32_t)i);
		vip_backend_set_addr(b, &a);
	}
	return 0;
}
