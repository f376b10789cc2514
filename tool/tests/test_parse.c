// SPDX-License-Identifier: GPL-2.0
/* Token parsers of lib/: numbers, durations, addresses, names. */
#include <string.h>
#include <sys/socket.h>
#include <linux/vipfwd.h>

#include "lib/addr.h"
#include "lib/names.h"
#include "lib/parse.h"
#include "tap.h"

static void u32_cases(void)
{
	static const struct {
		const char *tok;
		int ok;
		uint32_t val;
	} c[] = {
		{ "0", 1, 0 }, { "65535", 1, 65535 }, { "080", 1, 80 },
		{ "4294967295", 1, 4294967295u }, { "4294967296", 0, 0 },
		{ "99999999999999999999", 0, 0 }, { "", 0, 0 }, { "-1", 0, 0 },
		{ "+1", 0, 0 }, { " 1", 0, 0 }, { "1 ", 0, 0 }, { "0x10", 0, 0 },
		{ "1e3", 0, 0 }, { "12a", 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint32_t v = 12345;
		int r = vip_parse_u32(c[i].tok, &v);

		if (c[i].ok)
			tap_ok(r == 0 && v == c[i].val, "u32 \"%s\" = %u",
			       c[i].tok, c[i].val);
		else
			tap_ok(r == -1, "u32 \"%s\" refused", c[i].tok);
	}
}

static void ms_cases(void)
{
	static const struct {
		const char *tok;
		int ok;
		uint32_t ms;
	} c[] = {
		{ "5", 1, 5000 }, { "0.5", 1, 500 }, { ".25", 1, 250 },
		{ "1.5", 1, 1500 }, { "0.001", 1, 1 }, { "0.5000", 1, 500 },
		{ "2.10", 1, 2100 }, { "5s", 1, 5000 }, { "1.5s", 1, 1500 },
		{ "500ms", 1, 500 }, { "0", 1, 0 }, { "3600", 1, 3600000 },
		{ "4294967.295", 1, 4294967295u },
		{ "4294967.296", 0, 0 }, { "4294968", 0, 0 },
		{ "0.0005", 0, 0 }, { "1.0001", 0, 0 }, { "5.", 0, 0 },
		{ ".", 0, 0 }, { "", 0, 0 }, { "s", 0, 0 }, { "ms", 0, 0 },
		{ "1.5ms", 0, 0 }, { "-1", 0, 0 }, { "5m", 0, 0 },
		{ "5 s", 0, 0 }, { "1,5", 0, 0 }, { "abc", 0, 0 },
		{ "5sec", 0, 0 }, { "1e3", 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint32_t v = 12345;
		int r = vip_parse_ms(c[i].tok, &v);

		if (c[i].ok)
			tap_ok(r == 0 && v == c[i].ms, "seconds \"%s\" = %u ms",
			       c[i].tok, c[i].ms);
		else
			tap_ok(r == -1, "seconds \"%s\" refused", c[i].tok);
	}
}

static void ms_str_cases(void)
{
	static const struct {
		uint32_t ms;
		const char *s;
	} c[] = {
		{ 0, "0" }, { 5000, "5" }, { 500, "0.5" }, { 1250, "1.25" },
		{ 1, "0.001" }, { 2100, "2.1" }, { 10010, "10.01" },
		{ 4294967295u, "4294967.295" },
	};
	size_t i;
	char buf[16];

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		tap_is_str(vip_ms_str(c[i].ms, buf), c[i].s,
			   "%u ms prints as %s s", c[i].ms, c[i].s);
}

static void addr_cases(void)
{
	static const struct {
		const char *tok;
		int family;		/* 0: refused */
		const char *canon;
	} c[] = {
		{ "10.0.0.1", AF_INET, "10.0.0.1" },
		{ "0.0.0.0", AF_INET, "0.0.0.0" },
		{ "255.255.255.255", AF_INET, "255.255.255.255" },
		{ "2001:db8::1", AF_INET6, "2001:db8::1" },
		{ "2001:DB8:0:0:0:0:0:1", AF_INET6, "2001:db8::1" },
		{ "::", AF_INET6, "::" },
		{ "::ffff:10.0.0.1", AF_INET6, "::ffff:10.0.0.1" },
		{ "10.0.0.256", 0, NULL }, { "10.0.0", 0, NULL },
		{ "10.1", 0, NULL }, { "010.0.0.1", 0, NULL },
		{ "10.0.0.1 ", 0, NULL }, { " 10.0.0.1", 0, NULL },
		{ "10.0.0.1/24", 0, NULL }, { "", 0, NULL },
		{ "host.example", 0, NULL }, { "2001:db8::1::2", 0, NULL },
		{ "fe80::1%eth0", 0, NULL }, { "[::1]", 0, NULL },
		{ "2001:db8::g", 0, NULL }, { "1.2.3.4.5", 0, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct vip_addr a;
		char buf[VIP_ADDRSTRLEN];
		int r = vip_addr_parse(c[i].tok, &a);

		if (c[i].family)
			tap_ok(r == 0 && a.family == c[i].family &&
			       !strcmp(vip_addr_str(&a, buf), c[i].canon),
			       "address \"%s\" is %s %s", c[i].tok,
			       c[i].family == AF_INET ? "IPv4" : "IPv6",
			       c[i].canon);
		else
			tap_ok(r == -1, "address \"%s\" refused", c[i].tok);
	}
}

static void misc_cases(void)
{
	unsigned int v = 99;
	char list[64];
	struct vip_addr z4, z6;

	tap_ok(vip_valid_name("sqlcluster") && vip_valid_name("a") &&
	       vip_valid_name("pool-1.web_2:x"), "pool names accepted");
	tap_ok(vip_valid_name("0123456789012345678901234567890"),
	       "31-character pool name accepted");
	tap_ok(!vip_valid_name("01234567890123456789012345678901"),
	       "32-character pool name refused");
	tap_ok(!vip_valid_name("") && !vip_valid_name("a b") &&
	       !vip_valid_name("-x") && !vip_valid_name("a\tb") &&
	       !vip_valid_name("caf\xc3\xa9"), "bad pool names refused");

	tap_ok(vip_valid_http_path("/") && vip_valid_http_path("/health?x=1"),
	       "http paths accepted");
	tap_ok(!vip_valid_http_path("health") && !vip_valid_http_path("") &&
	       !vip_valid_http_path("/a b"), "bad http paths refused");

	tap_ok(vip_valid_http_expect("200") &&
	       vip_valid_http_expect("200-399") &&
	       vip_valid_http_expect("200,301-302,404") &&
	       vip_valid_http_expect("100-599"), "expect codes accepted");
	tap_ok(!vip_valid_http_expect("") && !vip_valid_http_expect("99") &&
	       !vip_valid_http_expect("600") &&
	       !vip_valid_http_expect("399-200") &&
	       !vip_valid_http_expect("200,") &&
	       !vip_valid_http_expect("2000") &&
	       !vip_valid_http_expect("200 ") &&
	       !vip_valid_http_expect("2xx"), "bad expect codes refused");

	tap_ok(vip_is_prime(2) && vip_is_prime(65537) &&
	       vip_is_prime(VIPFWD_TABLE_SIZE_MAX) && vip_is_prime(251),
	       "primes recognised");
	tap_ok(!vip_is_prime(0) && !vip_is_prime(1) && !vip_is_prime(65536) &&
	       !vip_is_prime(65535) && !vip_is_prime(1048575) &&
	       !vip_is_prime(25), "non-primes recognised");

	tap_ok(vip_name_parse(vip_state_names, "draining", &v) == 0 &&
	       v == VIPFWD_BACKEND_DRAINING, "state draining parsed");
	tap_ok(vip_name_parse(vip_state_names, "Draining", &v) == -1,
	       "keywords are case-sensitive");
	tap_is_str(vip_name_str(vip_proto_names, VIPFWD_PROTO_ANY), "any",
		   "proto 0 is any");
	tap_ok(vip_name_str(vip_health_names, 77) == NULL,
	       "unknown enum value has no name");
	tap_is_str(vip_name_list(vip_health_names, list, sizeof(list)),
		   "unknown, up or down", "keyword list for messages");
	tap_is_str(vip_name_list(vip_mode_names, list, sizeof(list)),
		   "encap or nat", "two-word keyword list");

	vip_addr_parse("0.0.0.0", &z4);
	vip_addr_parse("::", &z6);
	tap_ok(vip_addr_is_any(&z4) && vip_addr_is_any(&z6),
	       "unspecified addresses recognised");
}

void test_parse(void)
{
	u32_cases();
	ms_cases();
	ms_str_cases();
	addr_cases();
	misc_cases();
}
