// SPDX-License-Identifier: GPL-2.0
/*
 * vipctl: configure the vipfwd kernel module (pools, backends, frontends)
 * over generic netlink. Exit status: 0 success, 1 the operation failed
 * (the kernel's extack text is printed verbatim), 2 usage error (nothing
 * was sent).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "fetch.h"
#include "human.h"
#include "jsonout.h"
#include "lib/netns.h"
#include "lib/nl.h"
#include "monitor.h"
#include "request.h"
#include "usage.h"

/* "vipctl: " + msg; control characters (from a quoted token or the
 * kernel) are shown as '?' so they cannot play tricks on the terminal.
 */
static void complain(const char *msg)
{
	const unsigned char *p;

	fputs("vipctl: ", stderr);
	for (p = (const unsigned char *)msg; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, stderr);
	fputc('\n', stderr);
}

/* A failed request: the kernel's words if it gave any, else strerror. */
static int failed(const struct vip_nl *h, int err)
{
	complain(h->msg[0] ? h->msg : strerror(-err));
	return 1;
}

static int change(const struct vipctl_req *r, struct vip_nl *h)
{
	struct nl_msg *msg = vipctl_request_msg(r, h->family);
	int err;

	if (!msg) {
		complain(strerror(ENOMEM));
		return 1;
	}
	err = vip_nl_request(h, msg, NULL, NULL);
	nlmsg_free(msg);
	return err ? failed(h, err) : 0;
}

static int show(const struct vipctl_req *r, struct vip_nl *h)
{
	struct vip_config cfg;
	const char *pool = NULL;
	unsigned int what;
	int err, rc = 0;

	switch (r->op) {
	case VC_POOL_SHOW:
		what = FETCH_POOLS | FETCH_BACKENDS;
		if (VIP_HAS(&r->pool, VIPFWD_POOL_A_NAME))
			pool = r->pool.name;
		break;
	case VC_BACKEND_SHOW:
		what = FETCH_BACKENDS;
		if (VIP_HAS(&r->backend, VIPFWD_BACKEND_A_POOL))
			pool = r->backend.pool;
		break;
	case VC_FRONTEND_SHOW:
		what = FETCH_FRONTENDS;
		break;
	case VC_STATS:
		what = FETCH_FRONTENDS | FETCH_BACKENDS | FETCH_STATS;
		break;
	default:
		what = FETCH_FRONTENDS | FETCH_POOLS | FETCH_BACKENDS;
		break;
	}

	vip_config_init(&cfg);
	err = vip_fetch(h, what, pool, &cfg);
	if (err) {
		rc = failed(h, err);
		goto out;
	}
	if (r->op == VC_BACKEND_SHOW) {
		if (r->json)
			json_backends(stdout, &cfg);
		else
			rc = human_backends(stdout, &cfg) ? 1 : 0;
	} else if (r->op == VC_STATS) {
		if (r->json)
			json_stats(stdout, &cfg);
		else
			rc = human_stats(stdout, &cfg) ? 1 : 0;
	} else {
		if (r->json)
			json_show(stdout, &cfg, what);
		else
			rc = human_show(stdout, &cfg, what) ? 1 : 0;
	}
	if (rc)
		complain(strerror(ENOMEM));
out:
	vip_config_free(&cfg);
	return rc;
}

static int run(const struct vipctl_req *r, struct vip_nl *h)
{
	switch (r->op) {
	case VC_POOL_SHOW:
	case VC_BACKEND_SHOW:
	case VC_FRONTEND_SHOW:
	case VC_SHOW:
	case VC_STATS:
		return show(r, h);
	case VC_MONITOR:
		return vipctl_monitor(h, r->json, stdout);
	default:
		return change(r, h);
	}
}

int main(int argc, char **argv)
{
	struct vipctl_req r;
	struct vip_err e;
	struct vip_nl h;
	int rc;

	if (vipctl_parse(argc, argv, &r, &e)) {
		complain(e.msg);
		return VIPCTL_EXIT_USAGE;
	}
	if (r.op == VC_HELP) {
		vipctl_usage(stdout, r.topic);
		return 0;
	}
	if (r.op == VC_VERSION) {
		printf("vipctl %s (vipfwd genl version %d)\n", VIPCTL_VERSION,
		       VIPFWD_GENL_VERSION);
		return 0;
	}
	if (r.netns && vip_netns_enter(r.netns, &e)) {
		complain(e.msg);
		return 1;
	}
	if (vip_nl_open(&h, &e)) {
		complain(e.msg);
		return 1;
	}
	rc = run(&r, &h);
	vip_nl_close(&h);
	if (fflush(stdout) || ferror(stdout)) {
		complain("cannot write output");
		rc = 1;
	}
	return rc;
}
