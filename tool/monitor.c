// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <linux/vipfwd.h>

#include "decap.h"
#include "human.h"
#include "jsonout.h"
#include "monitor.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct printer {
	bool json;
	FILE *out;
};

static int event_cb(struct nlmsghdr *nlh, void *arg)
{
	struct printer *p = arg;
	struct vip_obj o;

	/* decap.c prints its own events. */
	if (vipctl_decap_event(p->out, nlh, p->json)) {
		fflush(p->out);
		return 0;
	}
	/* A message we cannot decode is reported and skipped; the stream
	 * goes on.
	 */
	if (vip_obj_parse(nlh, &o) < 0) {
		fprintf(stderr, "vipctl: malformed event skipped\n");
		return 0;
	}
	if (p->json)
		json_event(p->out, &o);
	else
		human_event(p->out, &o);
	/* Each event goes out as it happens, also into a pipe. */
	fflush(p->out);
	return 0;
}

int vipctl_monitor(struct vip_nl *h, bool json, FILE *out)
{
	struct printer p = { json, out };
	struct sigaction sa;
	sigset_t block, orig;
	struct vip_err e;
	int rc = 0;

	if (vip_nl_subscribe(h, VIPFWD_MCGRP_EVENTS, &e)) {
		fprintf(stderr, "vipctl: %s\n", e.msg);
		return 1;
	}

	/* Signals stay blocked except inside ppoll(), so one arriving
	 * between the check of "stop" and the wait cannot be lost.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!stop) {
		struct pollfd pfd = { .fd = vip_nl_fd(h), .events = POLLIN };
		int n = ppoll(&pfd, 1, NULL, &orig), err;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "vipctl: poll: %s\n", strerror(errno));
			rc = 1;
			break;
		}
		err = vip_nl_read_events(h, event_cb, &p);
		if (err == -ENOBUFS) {
			fprintf(stderr, "vipctl: events were lost (receive buffer overrun); run \"vipctl show\" to resynchronise\n");
			continue;
		}
		if (err == -EINTR || err == -EAGAIN)
			continue;
		if (err < 0) {
			fprintf(stderr, "vipctl: receiving events: %s\n",
				strerror(-err));
			rc = 1;
			break;
		}
		if (ferror(out)) {
			rc = 1;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return rc;
}
