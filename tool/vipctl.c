// SPDX-License-Identifier: GPL-2.0
/*
 * vipctl: configure the vipfwd kernel module (pools, backends, frontends)
 * over generic netlink. Exit status: 0 success, 1 the operation failed
 * (the kernel's extack text is printed verbatim), 2 usage error (nothing
 * was sent).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "decap.h"
#include "fetch.h"
#include "guardctl.h"
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
	if (err)
		return failed(h, err);

	/* The VIP guard follows the frontends (vipctl(8), VIP GUARD). */
	switch (r->op) {
	case VC_FRONTEND_ADD:
		return vipctl_guard_follow(h, "frontend added");
	case VC_FRONTEND_SET:
		return vipctl_guard_follow(h, "frontend changed");
	case VC_FRONTEND_DEL:
		return vipctl_guard_follow(h, "frontend deleted");
	default:
		return 0;
	}
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
		what = FETCH_FRONTENDS | FETCH_BACKENDS | FETCH_STATS |
		       FETCH_SETTINGS;
		break;
	default:
		what = FETCH_FRONTENDS | FETCH_POOLS | FETCH_BACKENDS |
		       FETCH_SETTINGS;
		break;
	}

	vip_config_init(&cfg);
	err = vip_fetch(h, what, pool, &cfg);
	if (err) {
		rc = failed(h, err);
		goto out;
	}
	if (r->op == VC_STATS) {
		/* The guard's counter: one GETOBJ; no table, no line. */
		struct vip_guard_state gs;
		struct vip_err ge;

		vip_guard_state_init(&gs);
		if (!vip_guard_read(&gs, true, &ge) && gs.has_counter) {
			cfg.has_guard = true;
			cfg.guard_packets = gs.packets;
			cfg.guard_bytes = gs.bytes;
		}
		vip_guard_state_free(&gs);
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

static int flows(const struct vipctl_req *r, struct vip_nl *h)
{
	struct vip_vec v;
	int err, rc = 0;

	vip_vec_init(&v, sizeof(struct vip_flow));
	err = vip_fetch_flows(h, vipctl_request_msg(r, h->family), &v);
	if (err)
		rc = failed(h, err);
	else if (r->json)
		json_flows(stdout, &v);
	else if (human_flows(stdout, &v)) {
		complain(strerror(ENOMEM));
		rc = 1;
	}
	vip_vec_free(&v);
	return rc;
}

/* A request answered by one object (flush, explain, settings). */
static int ask(const struct vipctl_req *r, struct vip_nl *h,
	       enum vip_obj_type type)
{
	struct vip_obj *o = malloc(sizeof(*o));
	int err, rc = 0;

	if (!o) {
		complain(strerror(ENOMEM));
		return 1;
	}
	err = vip_fetch_one(h, vipctl_request_msg(r, h->family), type, o);
	if (err) {
		rc = failed(h, err);
		goto out;
	}
	if (o->type != type) {
		complain("the kernel sent no answer");
		rc = 1;
		goto out;
	}
	/* A packet no frontend takes meets the VIP guard next. */
	if (type == VIP_OBJ_EXPLAIN && !o->u.explain.fe_vip.family &&
	    o->u.explain.dst.family)
		o->u.explain.guard_drop = vipctl_guard_holds(&o->u.explain.dst);
	switch (type) {
	case VIP_OBJ_FLOW:
		if (r->json)
			json_flushed(stdout, &o->u.flow);
		else
			human_flushed(stdout, &o->u.flow);
		break;
	case VIP_OBJ_EXPLAIN:
		if (r->json)
			json_explain(stdout, &o->u.explain);
		else
			human_explain(stdout, &o->u.explain);
		break;
	default:
		if (r->json)
			json_settings(stdout, &o->u.settings);
		else
			human_settings(stdout, &o->u.settings);
		break;
	}
out:
	free(o);
	return rc;
}

/*
 * "explain -": one question per line of stdin ("tcp SRC SPORT VIP PORT";
 * empty lines and #-comments skipped), one answer each, in order. Stops
 * at the first line that is not a question (exit 2) or that the kernel
 * refuses (exit 1).
 */
static int explain_batch(const struct vipctl_req *r, struct vip_nl *h)
{
	struct vipctl_req q = *r;
	char *line = NULL;
	size_t cap = 0;
	unsigned long n = 0;
	int rc = 0;

	q.explain_batch = false;
	while (getline(&line, &cap, stdin) > 0) {
		const char *p = line + strspn(line, " \t");
		struct vip_err e;

		n++;
		if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
			continue;
		if (vipctl_parse_explain_line(p, &q.explain, &e)) {
			char msg[600];

			snprintf(msg, sizeof(msg), "line %lu: %s", n, e.msg);
			complain(msg);
			rc = VIPCTL_EXIT_USAGE;
			break;
		}
		rc = ask(&q, h, VIP_OBJ_EXPLAIN);
		if (rc)
			break;
	}
	free(line);
	return rc;
}

static int run(const struct vipctl_req *r, struct vip_nl *h)
{
	switch (r->op) {
	case VC_FRONTEND_ADD:
	case VC_FRONTEND_SET:
	case VC_FRONTEND_DEL:
	case VC_GUARD_SYNC: {
		/* The change and the guard update that follows it, one
		 * vipctl at a time.
		 */
		int lock = vipctl_guard_lock(), rc;

		rc = r->op == VC_GUARD_SYNC ? vipctl_guard_sync(h, r->json) :
					      change(r, h);
		if (lock >= 0)
			close(lock);
		return rc;
	}
	case VC_POOL_SHOW:
	case VC_BACKEND_SHOW:
	case VC_FRONTEND_SHOW:
	case VC_SHOW:
	case VC_STATS:
		return show(r, h);
	case VC_MONITOR:
		return vipctl_monitor(h, r->json, stdout);
	case VC_FLOWS:
		return flows(r, h);
	case VC_FLOWS_FLUSH:
		return ask(r, h, VIP_OBJ_FLOW);
	case VC_EXPLAIN:
		if (r->explain_batch)
			return explain_batch(r, h);
		return ask(r, h, VIP_OBJ_EXPLAIN);
	case VC_SETTINGS:
		return ask(r, h, VIP_OBJ_SETTINGS);
	case VC_GUARD_SHOW:
		return vipctl_guard_show(h, r->json);
	case VC_DECAP_ADD:
	case VC_DECAP_DEL:
	case VC_DECAP_SHOW:
		return vipctl_decap_run(r, h);
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
