// SPDX-License-Identifier: GPL-2.0
/*
 * vipprobe's pure parts: fall/rise, HTTP status lines, expect codes,
 * jitter; and probe_check.c's probes against real sockets on the loopback
 * of a private network namespace (skipped when one cannot be made).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "probe.h"
#include "tap.h"

static void test_sm(void)
{
	struct probe_sm s;
	int i, tr;

	/* Resume UP: fall 3 needs three failures in a row. */
	probe_sm_init(&s, VIPFWD_HEALTH_UP);
	tap_is_int(probe_sm_feed(&s, false, 3, 2), -1, "sm: up, 1st failure of fall 3: no change");
	tap_is_int(probe_sm_feed(&s, false, 3, 2), -1, "sm: up, 2nd failure: no change");
	tap_is_int(probe_sm_feed(&s, true, 3, 2), -1, "sm: success in between: no change");
	tap_is_int(probe_sm_feed(&s, false, 3, 2), -1, "sm: count restarted (1)");
	tap_is_int(probe_sm_feed(&s, false, 3, 2), -1, "sm: count restarted (2)");
	tap_is_int(probe_sm_feed(&s, false, 3, 2), VIPFWD_HEALTH_DOWN, "sm: 3rd failure in a row: down");
	tap_is_int(s.health, VIPFWD_HEALTH_DOWN, "sm: health is down");
	tap_is_int(probe_sm_feed(&s, false, 3, 2), -1, "sm: more failures when down: no new transition");
	tap_is_int(probe_sm_feed(&s, true, 3, 2), -1, "sm: down, 1st success of rise 2: no change");
	tap_is_int(probe_sm_feed(&s, false, 3, 2), -1, "sm: failure resets rise count");
	tap_is_int(probe_sm_feed(&s, true, 3, 2), -1, "sm: 1st success again");
	tap_is_int(probe_sm_feed(&s, true, 3, 2), VIPFWD_HEALTH_UP, "sm: 2nd success in a row: up");
	tap_is_int(probe_sm_feed(&s, true, 3, 2), -1, "sm: more successes when up: nothing");

	/* Unknown: rise successes make it up, fall failures down. */
	probe_sm_init(&s, VIPFWD_HEALTH_UNKNOWN);
	tap_is_int(probe_sm_feed(&s, true, 2, 1), VIPFWD_HEALTH_UP, "sm: unknown, rise 1: first success is up");
	probe_sm_init(&s, VIPFWD_HEALTH_UNKNOWN);
	tap_is_int(probe_sm_feed(&s, false, 2, 1), -1, "sm: unknown, fall 2: one failure stays unknown");
	tap_is_int(probe_sm_feed(&s, false, 2, 1), VIPFWD_HEALTH_DOWN, "sm: unknown, fall 2: second failure is down");

	/* fall 11 (the seed's NumberOfProbes): exactly 11. */
	probe_sm_init(&s, VIPFWD_HEALTH_UP);
	for (i = 1, tr = -1; i <= 11 && tr < 0; i++)
		tr = probe_sm_feed(&s, false, 11, 2);
	tap_is_int(i - 1, 11, "sm: fall 11 goes down on the 11th failure");

	/* fall/rise 0 behave as 1, and out-of-range health is unknown. */
	probe_sm_init(&s, 77);
	tap_is_int(s.health, VIPFWD_HEALTH_UNKNOWN, "sm: invalid start health becomes unknown");
	tap_is_int(probe_sm_feed(&s, false, 0, 0), VIPFWD_HEALTH_DOWN, "sm: fall 0 acts as 1");
	tap_is_int(probe_sm_feed(&s, true, 0, 0), VIPFWD_HEALTH_UP, "sm: rise 0 acts as 1");
}

static int status(const char *s)
{
	return probe_http_status(s, strlen(s));
}

static void test_http(void)
{
	char buf[512];

	tap_is_int(status("HTTP/1.1 200 OK\r\n"), 200, "http: 1.1 200 OK");
	tap_is_int(status("HTTP/1.0 500 Internal Server Error"), 500, "http: 1.0 500");
	tap_is_int(status("HTTP/1.1 204"), 204, "http: no reason phrase");
	tap_is_int(status("HTTP/1.1 301\r\n"), 301, "http: no reason, CRLF");
	tap_is_int(status("HTTP/1.1 20 OK"), -1, "http: two digits");
	tap_is_int(status("HTTP/1.1 2000 OK"), -1, "http: four digits");
	tap_is_int(status("HTTP/1.1 099 X"), -1, "http: below 100");
	tap_is_int(status("HTTP/1.1 600 X"), -1, "http: above 599");
	tap_is_int(status("HTTP/1.1 2a0 X"), -1, "http: not a number");
	tap_is_int(status("HTTP/11 200 OK"), -1, "http: bad version");
	tap_is_int(status("SSH-2.0-OpenSSH_9.2"), -1, "http: not HTTP at all");
	tap_is_int(status("HTTP/1.1"), -1, "http: truncated");
	tap_is_int(status(""), -1, "http: empty");
	tap_is_int(probe_http_status("HTTP/1.1 404 Not Found", 12), 404, "http: exact length of the code");

	tap_ok(probe_http_expect_match(NULL, 200), "expect: default has 200");
	tap_ok(probe_http_expect_match("", 399), "expect: default has 399");
	tap_ok(!probe_http_expect_match(NULL, 400), "expect: default lacks 400");
	tap_ok(!probe_http_expect_match(NULL, 500), "expect: default lacks 500");
	tap_ok(!probe_http_expect_match(NULL, 199), "expect: default lacks 199");
	tap_ok(probe_http_expect_match("200-299,404", 404), "expect: list member 404");
	tap_ok(probe_http_expect_match("200-299,404", 250), "expect: range member 250");
	tap_ok(!probe_http_expect_match("200-299,404", 403), "expect: 403 not in 200-299,404");
	tap_ok(probe_http_expect_match("500", 500), "expect: single code");
	tap_ok(!probe_http_expect_match("500", 200), "expect: single code excludes others");
	tap_is_int(probe_http_expect_valid("200-399"), 0, "expect: 200-399 valid");
	tap_is_int(probe_http_expect_valid("200,204,300-302"), 0, "expect: mixed list valid");
	tap_is_int(probe_http_expect_valid(""), -1, "expect: empty invalid");
	tap_is_int(probe_http_expect_valid("399-200"), -1, "expect: reversed range invalid");
	tap_is_int(probe_http_expect_valid("200,"), -1, "expect: trailing comma invalid");
	tap_is_int(probe_http_expect_valid("20"), -1, "expect: short code invalid");
	tap_is_int(probe_http_expect_valid("200 - 300"), -1, "expect: spaces invalid");
	tap_is_int(probe_http_expect_valid("700"), -1, "expect: 700 invalid");
	tap_ok(!probe_http_expect_match("abc", 200), "expect: invalid spec matches nothing");

	tap_is_int(probe_http_request(buf, sizeof(buf), "/health", "10.0.0.1"),
		   (long long)strlen("GET /health HTTP/1.0\r\nHost: 10.0.0.1\r\nUser-Agent: vipprobe\r\nConnection: close\r\n\r\n"),
		   "request: length");
	tap_is_str(buf, "GET /health HTTP/1.0\r\nHost: 10.0.0.1\r\nUser-Agent: vipprobe\r\nConnection: close\r\n\r\n",
		   "request: text");
	probe_http_request(buf, sizeof(buf), "", "[fd00::1]");
	tap_ok(!strncmp(buf, "GET / HTTP/1.0\r\nHost: [fd00::1]\r\n", 33), "request: empty path is /");
	tap_is_int(probe_http_request(buf, 20, "/health", "10.0.0.1"), -1, "request: too long for buffer");
}

static void test_jitter(void)
{
	static const uint32_t rnds[] = { 0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };
	uint32_t lo = UINT32_MAX, hi = 0, v, r;
	bool in = true;
	size_t i;

	for (i = 0; i < sizeof(rnds) / sizeof(rnds[0]); i++) {
		v = probe_jitter(1000, rnds[i]);
		in &= v >= 900 && v <= 1100;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	tap_ok(in, "jitter: 1000 ms stays within 900..1100");
	tap_is_int(lo, 900, "jitter: lowest is -10%%");
	tap_is_int(hi, 1100, "jitter: highest is +10%%");
	tap_is_int(probe_jitter(5, 0xffffffff), 5, "jitter: tiny interval unchanged");
	v = probe_jitter(VIPFWD_INTERVAL_MS_MAX, 0xffffffff);
	tap_is_int(v, VIPFWD_INTERVAL_MS_MAX + VIPFWD_INTERVAL_MS_MAX / 10, "jitter: max interval, no overflow");
	/* A spread of values, not a constant. */
	for (i = 0, r = 12345, in = true, lo = UINT32_MAX, hi = 0; i < 1000; i++) {
		r = r * 1664525u + 1013904223u;
		v = probe_jitter(1000, r);
		in &= v >= 900 && v <= 1100;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	tap_ok(in && hi - lo > 150, "jitter: 1000 draws spread over the window (%u..%u)", lo, hi);
	tap_is_int(probe_first_delay(1000, 0), 0, "first delay: from 0");
	tap_is_int(probe_first_delay(1000, 0xffffffff), 999, "first delay: below the interval");
}

/* A listener on 127.0.0.1, any port; its port goes to *port. */
static int listener(uint16_t *port, bool listening)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    (listening && listen(fd, 8)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		tap_diag("listener: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/*
 * Drives one probe to its end, playing the server on srv: accepts, reads
 * the request into req, and answers reply (NULL: never answers). Gives
 * up after about two seconds without a result and then times the probe
 * out, as the event loop would. Returns the probe's result.
 */
static bool drive(struct probe_run *r, const struct probe_spec *spec,
		  const struct vip_addr *a, int srv, const char *reply,
		  char *req, size_t reqsize)
{
	size_t reqlen = 0;
	int c = -1, rc, i;

	req[0] = '\0';
	rc = probe_start(r, spec, a);
	for (i = 0; rc == 0 && i < 200; i++) {
		struct pollfd pfd = { .fd = r->fd, .events = (short)probe_events(r) };

		if (poll(&pfd, 1, 10) > 0)
			rc = probe_step(r, spec);
		if (rc || srv < 0)
			continue;
		if (c < 0)
			c = accept4(srv, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (c >= 0 && reqlen < reqsize - 1) {
			ssize_t n = recv(c, req + reqlen, reqsize - 1 - reqlen, 0);

			if (n > 0) {
				reqlen += (size_t)n;
				req[reqlen] = '\0';
				if (strstr(req, "\r\n\r\n") && reply &&
				    send(c, reply, strlen(reply), 0) < 0)
					tap_diag("send: %s", strerror(errno));
			}
		}
	}
	if (rc == 0)
		probe_timeout(r);
	if (c >= 0)
		close(c);
	return r->ok;
}

/* Enters a new network namespace with lo up; returns the old one's fd. */
static int private_netns(void)
{
	struct ifreq ifr;
	int old = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd;

	if (old < 0)
		return -1;
	if (unshare(CLONE_NEWNET)) {
		close(old);
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)) {
		if (fd >= 0)
			close(fd);
		if (setns(old, CLONE_NEWNET))
			tap_diag("setns back: %s", strerror(errno));
		close(old);
		return -1;
	}
	close(fd);
	return old;
}

static void test_check(void)
{
	struct vip_addr a = { .family = AF_INET };
	struct probe_spec spec;
	struct probe_run r;
	char req[512];
	int old, srv;

	/* Real sockets, but only on a loopback nobody else can reach. */
	old = private_netns();
	if (old < 0) {
		tap_diag("skipping socket probes: no private network namespace (%s)",
			 strerror(errno));
		return;
	}
	a.u.v4.s_addr = htonl(INADDR_LOOPBACK);
	memset(&spec, 0, sizeof(spec));
	spec.type = VIPFWD_PROBE_TCP;

	srv = listener(&spec.port, true);
	tap_ok(drive(&r, &spec, &a, -1, NULL, req, sizeof(req)),
	       "check: tcp to a listener succeeds (%s)", r.detail);
	tap_is_str(r.detail, "connected", "check: tcp detail");
	tap_is_int(r.fd, -1, "check: the socket is closed after a result");
	close(srv);

	srv = listener(&spec.port, false);	/* bound, not listening */
	tap_ok(!drive(&r, &spec, &a, -1, NULL, req, sizeof(req)),
	       "check: tcp to a closed port fails");
	tap_is_str(r.detail, "connect: Connection refused", "check: refused detail");
	close(srv);

	spec.type = VIPFWD_PROBE_HTTP;
	strcpy(spec.path, "/health");
	srv = listener(&spec.port, true);
	tap_ok(drive(&r, &spec, &a, srv, "HTTP/1.1 204 No Content\r\n\r\n",
		     req, sizeof(req)), "check: http 204 is up (%s)", r.detail);
	tap_is_str(r.detail, "HTTP 204", "check: http detail");
	tap_ok(!strncmp(req, "GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n", 39),
	       "check: the request line and Host");
	tap_ok(!drive(&r, &spec, &a, srv, "HTTP/1.0 503 Busy\r\n\r\n",
		      req, sizeof(req)), "check: http 503 is a failure");
	tap_is_str(r.detail, "HTTP 503 not in 200-399", "check: 503 detail");
	strcpy(spec.expect, "500-503");
	tap_ok(drive(&r, &spec, &a, srv, "HTTP/1.0 503 Busy\n",
		     req, sizeof(req)), "check: 503 in expect 500-503");
	spec.expect[0] = '\0';
	tap_ok(!drive(&r, &spec, &a, srv, "SSH-2.0-OpenSSH\r\n",
		      req, sizeof(req)), "check: not HTTP is a failure");
	tap_is_str(r.detail, "not an HTTP status line", "check: not-HTTP detail");
	tap_ok(!drive(&r, &spec, &a, srv, NULL, req, sizeof(req)),
	       "check: no reply is a failure");
	tap_is_str(r.detail, "timeout waiting for reply", "check: reply timeout detail");
	tap_is_int(r.fd, -1, "check: the socket is closed after a timeout");
	close(srv);

	if (setns(old, CLONE_NEWNET))
		tap_diag("setns back: %s", strerror(errno));
	close(old);
}

void test_probe(void)
{
	test_sm();
	test_http();
	test_jitter();
	test_check();
}
