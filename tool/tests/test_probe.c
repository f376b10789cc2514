// SPDX-License-Identifier: GPL-2.0
/* vipprobe's pure parts: fall/rise, HTTP status lines, expect codes, jitter. */
#include <string.h>

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

void test_probe(void)
{
	test_sm();
	test_http();
	test_jitter();
}
