// SPDX-License-Identifier: GPL-2.0
/*
 * vipprobe's pure parts: fall/rise, HTTP status lines, expect codes,
 * jitter, the timer wheel, the TCP checksum of a SYN. These run
 * everywhere.
 *
 * The probes themselves (probe_check.c's connect() probes, probe_syn.c's
 * half-open ones) send real packets, and packets go only inside the test
 * VM: they run when VIPFWD_VM=1 (set by selftests/vm/run), on the
 * loopback of a private network namespace there, and
 * selftests/probe_unit.bats runs them and checks every result. On the
 * host they are not part of the plan, and no socket is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The timer wheel: a fire() that records what fired, and may re-arm. */
struct fired {
	struct probe_wheel *w;
	struct probe_timer *got[8];
	uint64_t at[8];
	int n;
	uint64_t rearm;		/* 0: leave it off; else re-arm at this */
};

static void record(struct probe_timer *t, void *arg)
{
	struct fired *f = arg;

	if (f->n < 8)
		f->got[f->n] = t;
	f->n++;
	if (f->rearm)
		probe_wheel_add(f->w, t, f->rearm);
}

static void test_wheel(void)
{
	/* 1,000,000 ms is tick 100,000: a clock far from zero, as ever. */
	const uint64_t t0 = 1000000;
	struct probe_wheel *w = calloc(1, sizeof(*w));
	struct probe_timer a = { 0 }, b = { 0 }, c = { 0 }, far = { 0 };
	struct fired f = { .w = w };

	if (!w) {
		tap_ok(false, "wheel: out of memory");
		return;
	}
	tap_ok(probe_wheel_next(w) == UINT64_MAX, "wheel: empty, no next run");
	probe_wheel_run(w, t0, record, &f);	/* the first run only sets the clock */
	probe_wheel_add(w, &a, t0 + 25);
	probe_wheel_add(w, &b, t0 + 3);
	probe_wheel_add(w, &c, t0 + 3);
	tap_is_int((long long)w->n, 3, "wheel: three timers on");
	tap_is_int((long long)(probe_wheel_next(w) - t0), 10,
		   "wheel: the next run is due at the end of the earliest tick");
	probe_wheel_run(w, t0 + 9, record, &f);
	tap_is_int(f.n, 0, "wheel: nothing fires before its tick has ended");
	probe_wheel_run(w, t0 + 10, record, &f);
	tap_ok(f.n == 2 && ((f.got[0] == &b && f.got[1] == &c) ||
			    (f.got[0] == &c && f.got[1] == &b)),
	       "wheel: both timers of the ended tick fire, once each");
	tap_ok(!probe_timer_armed(&b) && !probe_timer_armed(&c) && w->n == 1,
	       "wheel: fired timers are off the wheel");

	/* Moving a timer: it fires at the new time only. */
	probe_wheel_add(w, &a, t0 + 45);
	f.n = 0;
	probe_wheel_run(w, t0 + 40, record, &f);
	tap_is_int(f.n, 0, "wheel: a moved timer does not fire at its old time");
	probe_wheel_run(w, t0 + 50, record, &f);
	tap_ok(f.n == 1 && f.got[0] == &a, "wheel: it fires at its new time");

	/* More than a turn away (30 s, three turns of 10.24 s): passed
	 * over by its slot until its own turn.
	 */
	probe_wheel_add(w, &far, t0 + 30050);
	f.n = 0;
	for (uint64_t now = t0 + 60; now < t0 + 30050; now += 10)
		probe_wheel_run(w, now, record, &f);
	tap_is_int(f.n, 0, "wheel: a deadline three turns away waits out the turns");
	probe_wheel_run(w, t0 + 30060, record, &f);
	tap_ok(f.n == 1 && f.got[0] == &far, "wheel: and fires in its own turn");

	/* A stall longer than a turn: everything due fires, once. */
	probe_wheel_add(w, &a, t0 + 31000);
	probe_wheel_add(w, &b, t0 + 35000);
	probe_wheel_add(w, &c, t0 + 90000);
	f.n = 0;
	probe_wheel_run(w, t0 + 60000, record, &f);
	tap_ok(f.n == 2 && !probe_timer_armed(&a) && !probe_timer_armed(&b) &&
	       probe_timer_armed(&c),
	       "wheel: after a 30 s stall the two due timers fire, the later one waits");

	/* A deadline in a tick already run fires at the next run. */
	probe_wheel_add(w, &a, t0 + 100);
	tap_is_int((long long)(probe_wheel_next(w) - (t0 + 60000)), 10,
		   "wheel: a deadline in the past is due at the end of the current tick");
	f.n = 0;
	probe_wheel_run(w, t0 + 60010, record, &f);
	tap_ok(f.n == 1 && f.got[0] == &a, "wheel: and fires then");

	/* fire() re-arming at now: not again in the same run. */
	probe_wheel_add(w, &a, t0 + 60015);
	f.n = 0;
	f.rearm = t0 + 60020;
	probe_wheel_run(w, t0 + 60020, record, &f);
	tap_is_int(f.n, 1, "wheel: a timer re-armed at now by fire() waits for the next run");
	f.rearm = 0;
	probe_wheel_run(w, t0 + 60030, record, &f);
	tap_is_int(f.n, 2, "wheel: and fires at the end of its tick");

	probe_wheel_del(w, &c);
	probe_wheel_del(w, &c);
	tap_ok(w->n == 0 && probe_wheel_next(w) == UINT64_MAX,
	       "wheel: deleting (twice) leaves it empty");
	probe_wheel_free(w);
	free(w);
}

/* How many of the n timers at t are on the spill list. */
static int spilled(const struct probe_timer *t, int n)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		k += t[i].slot == PROBE_WHEEL_SPILLED;
	return k;
}

/*
 * The wheel's slots are arrays: timers taken off leave holes that go
 * when the slot runs, a slot that runs keeps its later-turn timers in
 * order, and a slot that cannot grow puts timers on the spill list,
 * where they still fire on time.
 */
static void test_wheel_slots(void)
{
	const uint64_t t0 = 1000000;
	struct probe_wheel *w = calloc(1, sizeof(*w));
	struct probe_timer *t = calloc(100, sizeof(*t));
	struct fired f = { .w = w };
	struct probe_wheel_slot *s;
	int fired_ok, n;

	if (!w || !t) {
		tap_ok(false, "wheel slots: out of memory");
		free(w);
		free(t);
		return;
	}
	probe_wheel_run(w, t0, record, &f);
	/* 100 timers in one tick, every other one taken off again. */
	for (int i = 0; i < 100; i++)
		probe_wheel_add(w, &t[i], t0 + 5);
	for (int i = 0; i < 100; i += 2)
		probe_wheel_del(w, &t[i]);
	s = &w->slot[(t0 / PROBE_TICK_MS) & (PROBE_WHEEL_SLOTS - 1)];
	tap_ok(s->len == 100 && s->armed == 50 && w->n == 50,
	       "wheel slots: taking timers off leaves holes (len %u, armed %u)",
	       s->len, s->armed);
	/* Half of the others moved a turn later, into the same slot. */
	for (int i = 1; i < 100; i += 4)
		probe_wheel_add(w, &t[i], t0 + 5 + PROBE_WHEEL_SLOTS * PROBE_TICK_MS);
	f.n = 0;
	probe_wheel_run(w, t0 + 10, record, &f);
	fired_ok = 1;
	for (int i = 0; i < 100; i++)
		if (probe_timer_armed(&t[i]) != (i % 4 == 1))
			fired_ok = 0;
	tap_ok(f.n == 25 && fired_ok,
	       "wheel slots: the run fires the 25 due, none taken off (%d fired)", f.n);
	n = 0;
	for (uint32_t i = 0; i < s->len; i++)
		if (s->v[i] == &t[1 + 4 * i] && s->v[i]->pos == i)
			n++;
	tap_ok(s->len == 25 && s->armed == 25 && n == 25,
	       "wheel slots: the run leaves only the 25 of the later turn, in order, "
	       "each knowing its place (len %u)", s->len);
	for (int i = 1; i < 100; i += 4)
		probe_wheel_del(w, &t[i]);
	tap_ok(w->n == 0 && s->armed == 0, "wheel slots: and they come off");

	/* Slots that cannot grow past 16: the rest spill, and fire on time. */
	w->max_cap = 16;
	f.n = 0;
	for (int i = 0; i < 40; i++)
		probe_wheel_add(w, &t[i], t0 + 1000 + (i % 2) * 100);
	n = spilled(t, 40);
	tap_ok(n == 8 && w->n == 40,
	       "wheel slots: 40 timers in two full slots of 16: 8 spill (%d)", n);
	probe_wheel_del(w, &t[39]);
	probe_wheel_add(w, &t[39], t0 + 1100);
	tap_ok(w->n == 40 && t[39].slot == PROBE_WHEEL_SPILLED,
	       "wheel slots: a spilled timer is taken off and spills again");
	tap_is_int((long long)(probe_wheel_next(w) - t0), 1010,
		   "wheel slots: the next run is when the first ones are due");
	for (uint64_t now = t0 + 20; now <= t0 + 1000; now += 10)
		probe_wheel_run(w, now, record, &f);
	tap_is_int(f.n, 0, "wheel slots: nothing fires early, spilled or not");
	w->max_cap = 0;		/* memory again */
	probe_wheel_run(w, t0 + 1010, record, &f);
	tap_is_int(f.n, 20, "wheel slots: the 20 due at +1000 fire, 4 of them spilled");
	n = spilled(t, 40);
	tap_ok(n == 0 && w->n == 20,
	       "wheel slots: once slots can grow, a run places the spilled timers of +1100");
	f.n = 0;
	probe_wheel_run(w, t0 + 1110, record, &f);
	tap_ok(f.n == 20 && w->n == 0, "wheel slots: and they fire at +1100");
	probe_wheel_free(w);
	free(w);
	free(t);
}

/* The targets' arena: zeroed, aligned objects, reused when freed. */
static void test_arena(void)
{
	struct probe_arena a;
	uint8_t *o[20];
	int aligned = 1, zero = 1, distinct = 1;

	/* 300,000 bytes: six objects to a 2 MiB chunk, 20 need four. */
	probe_arena_init(&a, 300000 - 7);
	tap_is_int((long long)a.size, 300032, "arena: the size is rounded to cache lines");
	for (int i = 0; i < 20; i++) {
		o[i] = probe_arena_alloc(&a);
		if (!o[i]) {
			tap_ok(false, "arena: out of memory");
			probe_arena_destroy(&a);
			return;
		}
		aligned &= ((uintptr_t)o[i] & 63) == 0;
		for (size_t k = 0; k < a.size; k += 4096)
			zero &= o[i][k] == 0;
		zero &= o[i][a.size - 1] == 0;
		memset(o[i], 0xa5, a.size);
		for (int j = 0; j < i; j++)
			distinct &= o[i] + a.size <= o[j] || o[j] + a.size <= o[i];
	}
	tap_ok(aligned && zero && distinct && a.used == 20,
	       "arena: 20 objects over four chunks, aligned, zeroed, apart");
	probe_arena_free(&a, o[7]);
	probe_arena_free(&a, NULL);
	tap_ok(a.used == 19, "arena: freeing one (and NULL) leaves 19");
	tap_ok(probe_arena_alloc(&a) == o[7] && o[7][0] == 0 &&
	       o[7][a.size - 1] == 0,
	       "arena: the freed object comes back, zeroed");
	probe_arena_destroy(&a);
	tap_ok(!a.chunks && !a.free && !a.used, "arena: destroyed, nothing left");
}

static void hex(uint8_t *out, const char *s)
{
	unsigned int b;

	for (; s[0] && s[1]; s += 2, out++) {
		sscanf(s, "%2x", &b);
		*out = (uint8_t)b;
	}
}

/* Reference values: the same SYNs built and checksummed by scapy. */
static void test_csum(void)
{
	struct vip_addr src = { .family = AF_INET }, dst = { .family = AF_INET };
	uint8_t seg[24];

	inet_pton(AF_INET, "10.9.0.1", &src.u.v4);
	inet_pton(AF_INET, "10.200.1.2", &dst.u.v4);
	hex(seg, "9c401b5812345678000000006002faf00000""0000020405b4");
	tap_is_int(probe_tcp_csum(&src, &dst, seg, sizeof(seg)), 0x671d,
		   "csum: IPv4 SYN with MSS (scapy: 0x671d)");
	seg[16] = 0x67;
	seg[17] = 0x1d;
	tap_is_int(probe_tcp_csum(&src, &dst, seg, sizeof(seg)), 0,
		   "csum: over a checksummed segment is 0");
	src.family = dst.family = AF_INET6;
	inet_pton(AF_INET6, "fd00::1", &src.u.v6);
	inet_pton(AF_INET6, "fd00::2", &dst.u.v6);
	hex(seg, "9c401b5812345678000000006002faf00000""0000020405a0");
	tap_is_int(probe_tcp_csum(&src, &dst, seg, sizeof(seg)), 0x8300,
		   "csum: IPv6 SYN with MSS (scapy: 0x8300)");
	seg[16] = 0x83;
	seg[17] = 0x00;
	tap_is_int(probe_tcp_csum(&src, &dst, seg, sizeof(seg)), 0,
		   "csum: IPv6, over a checksummed segment is 0");
	seg[23] ^= 1;
	tap_ok(probe_tcp_csum(&src, &dst, seg, sizeof(seg)) != 0,
	       "csum: one flipped bit shows");
}

/* A listener on the loopback (::1 for AF_INET6), any port; its port
 * goes to *port. backlog < 0: bound, not listening.
 */
static int listener6(int family, uint16_t *port, int backlog)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr *sa = family == AF_INET6 ? (struct sockaddr *)&s6 :
			      (struct sockaddr *)&sin;
	socklen_t len = family == AF_INET6 ? sizeof(s6) : sizeof(sin);
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, sa, len) ||
	    (backlog >= 0 && listen(fd, backlog)) ||
	    getsockname(fd, sa, &len)) {
		tap_diag("listener: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET6 ? s6.sin6_port : sin.sin_port);
	return fd;
}

static int listener(uint16_t *port, bool listening)
{
	return listener6(AF_INET, port, listening ? 8 : -1);
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
	tap_ok(old >= 0, "check: a private network namespace with lo up");
	if (old < 0)
		return;
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

/* Waits up to ms for an answer on family's socket or ring. */
static bool syn_poll(struct probe_syn *e, int family, int ms)
{
	struct pollfd pfd[2] = {
		{ .fd = probe_syn_fd(e, family), .events = POLLIN },
		{ .fd = probe_syn_ring_fd(e, family), .events = POLLIN },
	};

	return poll(pfd, 2, ms) > 0;
}

/*
 * Waits up to ms for the answer to the half-open probe r (on engine e)
 * and times it out when none comes. Returns the probe's result; *other
 * counts packets that finished some other probe (there should be none).
 */
/* How many probes a chain from probe_syn_recv() holds. */
static int syn_count(const struct probe_run *done)
{
	int n = 0;

	for (; done; done = done->snext)
		n++;
	return n;
}

static bool syn_wait(struct probe_syn *e, struct probe_run *r, int family,
		     int ms)
{
	int i;

	for (i = 0; r->phase == PROBE_SYN_SENT && i < ms / 10; i++) {
		bool again = true;

		if (!syn_poll(e, family, 10))
			continue;
		while (again) {
			struct probe_run *done = probe_syn_recv(e, family, &again);

			for (; done; done = done->snext)
				if (done != r)
					tap_diag("an answer finished another probe");
		}
	}
	if (r->phase == PROBE_SYN_SENT)
		probe_timeout(r);
	return r->ok;
}

static bool syn_probe(struct probe_syn *e, struct probe_run *r,
		      struct probe_spec *spec, const struct vip_addr *a,
		      int ms)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = probe_syn_start(e, r, spec, a);
	if (rc < 0)
		tap_diag("probe_syn_start: %s", r->detail);
	if (rc)
		return r->ok;
	if (probe_syn_flush(e)) {
		tap_diag("the SYN was not sent: %s", r->detail);
		return false;
	}
	return syn_wait(e, r, a->family, ms);
}

/* More than four of probe_syn.c's send batches, and more probes in
 * flight than its hash table has buckets at first.
 */
#define SYN_MANY 300

/* A listener on every loopback address (127.0.0.0/8); its port in *port. */
static int listener_any(uint16_t *port)
{
	struct sockaddr_in any = { .sin_family = AF_INET };
	socklen_t len = sizeof(any);
	int srv;

	srv = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&any, sizeof(any)) ||
	    listen(srv, 256) || getsockname(srv, (struct sockaddr *)&any, &len)) {
		tap_diag("a listener on every address: %s", strerror(errno));
		if (srv >= 0)
			close(srv);
		return -1;
	}
	*port = ntohs(any.sin_port);
	return srv;
}

/*
 * Probes 127.0.0.1 onwards (SYN_MANY backends) at once on the
 * port of spec; returns how many answered SYN-ACK.
 */
static int syn_many(struct probe_syn *e, const struct probe_spec *spec,
		    const char *what)
{
	static struct probe_run many[SYN_MANY];
	struct vip_addr a = { .family = AF_INET };
	int i, started = 0, ok = 0, left;
	struct probe_run *u;
	bool again;

	memset(many, 0, sizeof(many));
	for (i = 0; i < SYN_MANY; i++) {
		a.u.v4.s_addr = htonl(INADDR_LOOPBACK + (uint32_t)i);
		started += probe_syn_start(e, &many[i], spec, &a) == 0;
	}
	u = probe_syn_flush(e);
	if (started != SYN_MANY || u)
		tap_diag("%s: %d of %d queued, %s", what, started, SYN_MANY,
			 u ? u->detail : "every SYN sent");
	for (i = 0, left = SYN_MANY; left && i < 300; i++) {
		if (!syn_poll(e, AF_INET, 10))
			continue;
		for (again = true; again;)
			left -= syn_count(probe_syn_recv(e, AF_INET, &again));
	}
	for (i = 0; i < SYN_MANY; i++) {
		if (many[i].phase == PROBE_SYN_SENT)
			probe_timeout(&many[i]);
		ok += many[i].ok && !strcmp(many[i].detail, "SYN-ACK");
	}
	return ok;
}

/*
 * Queued SYNs: more than a batch at once all leave and are all answered;
 * a probe forgotten while queued is never sent; a SYN the kernel refuses
 * finishes its probe at the flush, with the reason.
 */
static void test_syn_batch(struct probe_syn *e, const struct probe_spec *tcp)
{
	struct probe_spec s = *tcp, *spec = &s;
	struct vip_addr a = { .family = AF_INET };
	struct probe_run r, *u;
	int srv;

	/* One listener for all of 127.0.0.0/8: every address a backend. */
	srv = listener_any(&spec->port);
	tap_ok(srv >= 0, "syn: a listener on every loopback address");
	if (srv < 0)
		return;
	tap_is_int(syn_many(e, spec, "syn"), SYN_MANY,
		   "syn: %d probes at once, every backend answered SYN-ACK",
		   SYN_MANY);

	/* Forgotten before the flush: off the engine, never sent. */
	memset(&r, 0, sizeof(r));
	a.u.v4.s_addr = htonl(INADDR_LOOPBACK);
	tap_is_int(probe_syn_start(e, &r, spec, &a), 0, "syn: one more queued");
	probe_abort(&r);
	tap_ok(probe_syn_flush(e) == NULL && r.syn == NULL && r.phase == PROBE_IDLE,
	       "syn: aborted while queued, nothing to send or hand back");

	/* A probe that keeps its source address (after a success) while
	 * the route goes away: the kernel refuses the SYN at the flush.
	 */
	a.u.v4.s_addr = htonl(0x0a090909);	/* 10.9.9.9 */
	if (system("ip addr add 10.9.9.9/32 dev lo")) {
		tap_ok(false, "syn: cannot add 10.9.9.9 to lo");
		close(srv);
		return;
	}
	memset(&r, 0, sizeof(r));
	tap_ok(probe_syn_start(e, &r, spec, &a) == 0 && !probe_syn_flush(e) &&
	       syn_wait(e, &r, AF_INET, 2000),
	       "syn: 10.9.9.9 answers (%s)", r.detail);
	if (system("ip addr del 10.9.9.9/32 dev lo"))
		tap_diag("cannot remove 10.9.9.9 from lo");
	tap_is_int(probe_syn_start(e, &r, spec, &a), 0,
		   "syn: queued with the kept source address");
	u = probe_syn_flush(e);
	tap_ok(u == &r && r.snext == NULL, "syn: the flush hands the probe back");
	tap_ok(!r.ok && !r.local_error && r.syn == NULL && r.phase == PROBE_IDLE,
	       "syn: it failed, a verdict, off the engine");
	tap_is_str(r.detail, "connect: Network is unreachable",
		   "syn: the kernel's reason");
	close(srv);
}

/*
 * Engines with other rings: a ring of one page holds 85 answers, so of
 * SYN_MANY at once some must reach the socket, and none may be lost; without
 * a ring every answer comes through the socket.
 */
static void test_syn_ring(const struct probe_spec *tcp)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct vip_addr a = { .family = AF_INET };
	struct probe_spec s = *tcp;
	struct probe_syn_info i;
	struct probe_syn *e;
	struct probe_run r;
	char err[160];
	int srv, ok;

	srv = listener_any(&s.port);
	e = srv < 0 ? NULL : probe_syn_open(page, err, sizeof(err));
	tap_ok(e != NULL, "syn: an engine with a one-page ring opens %s",
	       e ? "" : err);
	if (e) {
		ok = syn_many(e, &s, "one-page ring");
		probe_syn_info(e, &i);
		tap_ok(ok == SYN_MANY && i.ring_answers && i.socket_answers,
		       "syn: a full ring overflows to the socket, nothing lost (%d of %d answered: %llu through the ring, %llu through the socket)",
		       ok, SYN_MANY, (unsigned long long)i.ring_answers,
		       (unsigned long long)i.socket_answers);
		probe_syn_close(e);
	}

	e = srv < 0 ? NULL : probe_syn_open(0, err, sizeof(err));
	tap_ok(e != NULL, "syn: an engine without a ring opens %s",
	       e ? "" : err);
	if (!e)
		goto out;
	probe_syn_info(e, &i);
	tap_ok(i.ring_off && !strcmp(i.ring_off, "turned off") &&
	       probe_syn_ring_fd(e, AF_INET) < 0,
	       "syn: it says why it has no ring (%s)", i.ring_off);
	a.u.v4.s_addr = htonl(INADDR_LOOPBACK);
	tap_ok(syn_probe(e, &r, &s, &a, 2000),
	       "syn: without a ring the listener's SYN-ACK is read (%s)",
	       r.detail);
	probe_syn_info(e, &i);
	tap_ok(i.ring_answers == 0 && i.socket_answers == 1,
	       "syn: ... from the socket (%llu through the socket)",
	       (unsigned long long)i.socket_answers);
	probe_syn_close(e);
out:
	if (srv >= 0)
		close(srv);
}

/* Something to accept on srv, after the handshake had time to finish. */
static bool acceptable(int srv)
{
	int c;

	usleep(100 * 1000);
	c = accept4(srv, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (c < 0)
		return false;
	close(c);
	return true;
}

/*
 * Sends a SYN-ACK from 127.0.0.1:from to 127.0.0.1:to acknowledging ack,
 * as a backend would (a raw socket of our own plays it); with options,
 * its IP header carries four bytes of options (no-ops).
 */
static int fake_synack_opt(uint16_t from, uint16_t to, uint32_t ack,
			   bool options)
{
	static const uint8_t nops[4] = { 1, 1, 1, 0 };
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct vip_addr lo = { .family = AF_INET };
	uint8_t seg[20];
	uint16_t c;
	int fd, rc;

	lo.u.v4.s_addr = htonl(INADDR_LOOPBACK);
	dst.sin_addr = lo.u.v4;
	memset(seg, 0, sizeof(seg));
	seg[0] = (uint8_t)(from >> 8);
	seg[1] = (uint8_t)from;
	seg[2] = (uint8_t)(to >> 8);
	seg[3] = (uint8_t)to;
	seg[7] = 1;				/* seq 1 */
	seg[8] = (uint8_t)(ack >> 24);
	seg[9] = (uint8_t)(ack >> 16);
	seg[10] = (uint8_t)(ack >> 8);
	seg[11] = (uint8_t)ack;
	seg[12] = 5 << 4;
	seg[13] = 0x12;				/* SYN, ACK */
	seg[14] = 0xff;
	c = probe_tcp_csum(&lo, &lo, seg, sizeof(seg));
	seg[16] = (uint8_t)(c >> 8);
	seg[17] = (uint8_t)c;
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return -1;
	if (options &&
	    setsockopt(fd, IPPROTO_IP, IP_OPTIONS, nops, sizeof(nops))) {
		close(fd);
		return -1;
	}
	rc = sendto(fd, seg, sizeof(seg), 0, (struct sockaddr *)&dst,
		    sizeof(dst)) == (ssize_t)sizeof(seg) ? 0 : -1;
	close(fd);
	return rc;
}

static int fake_synack(uint16_t from, uint16_t to, uint32_t ack)
{
	return fake_synack_opt(from, to, ack, false);
}

static void test_syn(void)
{
	struct vip_addr a = { .family = AF_INET }, a6 = { .family = AF_INET6 };
	struct probe_spec spec;
	struct probe_syn_info info;
	uint64_t read0;
	struct probe_run r, r2;
	struct probe_syn *e;
	char err[160];
	int srv, cli, old, n, wrong;
	bool again;

	old = private_netns();
	tap_ok(old >= 0, "syn: a private network namespace with lo up");
	if (old < 0)
		return;
	a.u.v4.s_addr = htonl(INADDR_LOOPBACK);
	a6.u.v6 = in6addr_loopback;
	memset(&spec, 0, sizeof(spec));
	spec.type = VIPFWD_PROBE_TCP;

	e = probe_syn_open(PROBE_SYN_RING_BYTES, err, sizeof(err));
	tap_ok(e != NULL, "syn: engine opens (raw sockets, ports) %s", e ? "" : err);
	if (!e)
		goto out;
	probe_syn_info(e, &info);
	tap_ok(!info.ring_off && probe_syn_ring_fd(e, AF_INET) >= 0 &&
	       probe_syn_ring_fd(e, AF_INET6) >= 0,
	       "syn: answers come through eBPF rings %s",
	       info.ring_off ? info.ring_off : "");

	srv = listener(&spec.port, true);
	tap_ok(syn_probe(e, &r, &spec, &a, 2000),
	       "syn: IPv4 listener answers SYN-ACK (%s)", r.detail);
	tap_is_str(r.detail, "SYN-ACK", "syn: success detail");
	tap_ok(r.syn == NULL && r.phase == PROBE_IDLE && r.fd == -1,
	       "syn: a finished probe is off the engine, no fd");
	tap_ok(!acceptable(srv),
	       "syn: half-open: the backend has no connection to accept");
	close(srv);

	srv = listener(&spec.port, false);
	tap_ok(!syn_probe(e, &r, &spec, &a, 2000), "syn: IPv4 closed port fails");
	tap_is_str(r.detail, "connect: Connection refused", "syn: RST is refused");
	close(srv);

	srv = listener6(AF_INET6, &spec.port, 8);
	tap_ok(srv >= 0 && syn_probe(e, &r, &spec, &a6, 2000),
	       "syn: IPv6 listener answers SYN-ACK (%s)", r.detail);
	tap_ok(!acceptable(srv), "syn: IPv6 half-open, nothing to accept");
	close(srv);
	srv = listener6(AF_INET6, &spec.port, -1);
	tap_ok(!syn_probe(e, &r, &spec, &a6, 2000), "syn: IPv6 closed port fails");
	tap_is_str(r.detail, "connect: Connection refused", "syn: IPv6 RST is refused");
	close(srv);
	/* Two SYN-ACKs and two RSTs so far, IPv4 and IPv6. */
	probe_syn_info(e, &info);
	tap_ok(info.ring_answers == 4 && info.socket_answers == 0,
	       "syn: all four answers came through the rings (ring %llu, socket %llu)",
	       (unsigned long long)info.ring_answers,
	       (unsigned long long)info.socket_answers);

	/* A listener whose accept queue is full drops SYNs: no answer. */
	srv = listener6(AF_INET, &spec.port, 0);
	cli = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	{
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons(spec.port),
					   .sin_addr = a.u.v4 };

		tap_ok(cli >= 0 && !connect(cli, (struct sockaddr *)&sin, sizeof(sin)),
		       "syn: one connection fills a backlog-0 listener");
	}
	tap_ok(!syn_probe(e, &r, &spec, &a, 500), "syn: no answer is a failure");
	tap_is_str(r.detail, "timeout waiting for connect", "syn: timeout detail");
	tap_ok(r.syn == NULL, "syn: a timed-out probe is off the engine");

	test_syn_batch(e, &spec);

	/* Answers are matched on ports and the acknowledgment number. */
	memset(&r, 0, sizeof(r));
	tap_is_int(probe_syn_start(e, &r, &spec, &a), 0, "syn: a probe in flight");
	memset(&r2, 0, sizeof(r2));
	tap_is_int(probe_syn_start(e, &r2, &spec, &a), 0,
		   "syn: a second probe of the same backend in flight");
	tap_ok(r.sport != r2.sport, "syn: they have different source ports (%u, %u)",
	       r.sport, r2.sport);
	tap_ok(!fake_synack(spec.port, r.sport, r.isn + 2) &&
	       !fake_synack((uint16_t)(spec.port + 1), r.sport, r.isn + 1) &&
	       !fake_synack(spec.port, r2.sport, r.isn + 1),
	       "syn: three wrong SYN-ACKs sent");
	usleep(100 * 1000);
	probe_syn_info(e, &info);
	read0 = info.ring_answers + info.socket_answers;
	for (again = true, n = 0, wrong = 0; again && n < 100; n++)
		wrong += syn_count(probe_syn_recv(e, AF_INET, &again));
	probe_syn_info(e, &info);
	read0 = info.ring_answers + info.socket_answers - read0;
	tap_ok(read0 >= 3 && !wrong,
	       "syn: the wrong SYN-ACKs (%llu packets read) finish nothing",
	       (unsigned long long)read0);
	tap_ok(r.phase == PROBE_SYN_SENT && r2.phase == PROBE_SYN_SENT,
	       "syn: both probes still waiting");
	tap_ok(!fake_synack(spec.port, r2.sport, r2.isn + 1), "syn: the right SYN-ACK for the 2nd sent");
	tap_ok(syn_wait(e, &r2, AF_INET, 1000) && r.phase == PROBE_SYN_SENT,
	       "syn: it finishes the 2nd probe only");
	probe_abort(&r);
	tap_ok(r.syn == NULL && r.phase == PROBE_IDLE, "syn: abort takes it off");
	/* An answer the eBPF filter does not parse (IPv4 options) goes to
	 * the socket, where it is read all the same.
	 */
	memset(&r, 0, sizeof(r));
	probe_syn_info(e, &info);
	tap_ok(probe_syn_start(e, &r, &spec, &a) == 0 &&
	       !fake_synack_opt(spec.port, r.sport, r.isn + 1, true) &&
	       syn_wait(e, &r, AF_INET, 1000),
	       "syn: a SYN-ACK with IP options finishes its probe (%s)", r.detail);
	{
		struct probe_syn_info after;

		probe_syn_info(e, &after);
		tap_ok(after.socket_answers == info.socket_answers + 1 &&
		       after.ring_answers == info.ring_answers,
		       "syn: ... read from the socket, not the ring");
	}
	/* Closing with a probe in flight leaves nothing behind. */
	memset(&r, 0, sizeof(r));
	tap_is_int(probe_syn_start(e, &r, &spec, &a), 0, "syn: one more in flight");
	if (cli >= 0)
		close(cli);
	close(srv);
	probe_syn_close(e);
	tap_ok(r.syn == NULL, "syn: closing the engine takes its probes off");
	test_syn_ring(&spec);
out:
	if (setns(old, CLONE_NEWNET))
		tap_diag("setns back: %s", strerror(errno));
	close(old);
}

void test_probe(void)
{
	const char *vm = getenv("VIPFWD_VM");

	test_sm();
	test_http();
	test_jitter();
	test_wheel();
	test_wheel_slots();
	test_arena();
	test_csum();
	if (!vm || strcmp(vm, "1")) {
		tap_diag("probe sockets: only in the VM (selftests/probe_unit.bats)");
		return;
	}
	test_check();
	test_syn();
}
