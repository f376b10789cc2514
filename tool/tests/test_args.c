// SPDX-License-Identifier: GPL-2.0
/*
 * The vipctl grammar: every command form, every keyword, and the exact
 * error text (quoting the bad token) for refused input.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/vipfwd.h>

#include "args.h"
#include "tap.h"

#define MAX_ARGS 64

struct argv_buf {
	char *copy;
	char *argv[MAX_ARGS];
	int argc;
};

/* Splits "a b c" on single spaces; argv[0] is "vipctl". */
static void split(struct argv_buf *a, const char *line)
{
	char *tok, *save = NULL;

	a->copy = strdup(line);
	a->argv[0] = "vipctl";
	a->argc = 1;
	for (tok = strtok_r(a->copy, " ", &save); tok && a->argc < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " ", &save))
		a->argv[a->argc++] = tok;
	a->argv[a->argc] = NULL;
}

static int parse(const char *line, struct vipctl_req *r, struct vip_err *e)
{
	struct argv_buf a;
	int rc;

	split(&a, line);
	rc = vipctl_parse(a.argc, a.argv, r, e);
	/* netns points into argv; the tests that need it use parse_argv */
	r->netns = NULL;
	free(a.copy);
	return rc;
}

static void bad(const char *line, const char *msg)
{
	struct vipctl_req r;
	struct vip_err e;
	int rc = parse(line, &r, &e);

	if (rc != -1) {
		tap_ok(false, "refused: vipctl %s", line);
		return;
	}
	tap_is_str(e.msg, msg, "refused: vipctl %s", line);
}

static const struct {
	const char *line;
	const char *msg;
} bad_cases[] = {
	/* global */
	{ "", "missing command (try \"vipctl help\")" },
	{ "-j", "missing command (try \"vipctl help\")" },
	{ "-x show", "unknown option \"-x\" (try \"vipctl help\")" },
	{ "--jsn show", "unknown option \"--jsn\" (try \"vipctl help\")" },
	{ "-n", "missing value after \"-n\"" },
	{ "--netns", "missing value after \"--netns\"" },
	{ "--netns= show", "invalid network namespace \"\"" },
	{ "-n .. show", "invalid network namespace \"..\"" },
	{ "frob", "unknown command \"frob\" (try \"vipctl help\")" },
	{ "help frob", "unknown help topic \"frob\" (expected pool, backend, frontend, show, stats, flows, explain, set, settings, monitor or guard)" },
	{ "help pool x", "unexpected argument \"x\" for help" },
	{ "show x", "unexpected argument \"x\" for show" },
	{ "stats -j", "unexpected argument \"-j\" for stats" },
	{ "monitor now", "unexpected argument \"now\" for monitor" },
	{ "version 2", "unexpected argument \"2\" for version" },
	/* pool */
	{ "pool", "missing command for pool (try \"vipctl pool help\")" },
	{ "pool list", "unknown command \"list\" for pool (expected add, set, del or show)" },
	{ "pool add", "missing NAME for pool add" },
	{ "pool add a\001b", "invalid pool name \"a\001b\" (expected 1..31 printable characters, no spaces, not starting with \"-\")" },
	{ "pool add 01234567890123456789012345678901", "invalid pool name \"01234567890123456789012345678901\" (expected 1..31 printable characters, no spaces, not starting with \"-\")" },
	{ "pool add -p", "invalid pool name \"-p\" (expected 1..31 printable characters, no spaces, not starting with \"-\")" },
	{ "pool add p probe", "missing value after \"probe\"" },
	{ "pool add p probe udp 53", "invalid probe type \"udp\" (expected none, tcp or http)" },
	{ "pool add p probe tcp", "missing PORT after \"probe tcp\"" },
	{ "pool add p probe http", "missing PORT after \"probe http\"" },
	{ "pool add p probe tcp 0", "invalid probe port \"0\" (expected 1..65535)" },
	{ "pool add p probe tcp 65536", "invalid probe port \"65536\" (expected 1..65535)" },
	{ "pool add p probe tcp http", "invalid probe port \"http\" (expected 1..65535)" },
	{ "pool add p probe tcp 80 probe none", "duplicate keyword \"probe\" for pool add" },
	{ "pool add p probe none 80", "unknown keyword \"80\" for pool add" },
	{ "pool add p interval", "missing value after \"interval\"" },
	{ "pool add p interval 0", "invalid interval \"0\" (expected seconds, 0.001..3600, e.g. 5 or 0.5)" },
	{ "pool add p interval 0.0005", "invalid interval \"0.0005\" (expected seconds, 0.001..3600, e.g. 5 or 0.5)" },
	{ "pool add p interval 3601", "invalid interval \"3601\" (expected seconds, 0.001..3600, e.g. 5 or 0.5)" },
	{ "pool add p interval 5m", "invalid interval \"5m\" (expected seconds, 0.001..3600, e.g. 5 or 0.5)" },
	{ "pool add p interval -1", "invalid interval \"-1\" (expected seconds, 0.001..3600, e.g. 5 or 0.5)" },
	{ "pool add p timeout abc", "invalid timeout \"abc\" (expected seconds, 0.001..3600, e.g. 5 or 0.5)" },
	{ "pool add p interval 5 interval 6", "duplicate keyword \"interval\" for pool add" },
	{ "pool add p fall 0", "invalid fall \"0\" (expected 1..1000)" },
	{ "pool add p fall 1001", "invalid fall \"1001\" (expected 1..1000)" },
	{ "pool add p rise x", "invalid rise \"x\" (expected 1..1000)" },
	{ "pool add p rise 2 rise 3", "duplicate keyword \"rise\" for pool add" },
	{ "pool add p table-size 65536", "invalid table-size \"65536\" (expected a prime number up to 1048573, e.g. 65537)" },
	{ "pool add p table-size 2000003", "invalid table-size \"2000003\" (expected a prime number up to 1048573, e.g. 65537)" },
	{ "pool add p table-size 1", "invalid table-size \"1\" (expected a prime number up to 1048573, e.g. 65537)" },
	{ "pool add p path health", "invalid path \"health\" (expected an HTTP path starting with \"/\", at most 255 characters, no spaces)" },
	{ "pool add p expect 2xx", "invalid expect \"2xx\" (expected HTTP status codes 100..599 and ranges, e.g. 200 or 200-399,404)" },
	{ "pool add p probe tcp 80 path /h", "\"path\" needs \"probe http\" for pool add" },
	{ "pool add p expect 200 probe none", "\"expect\" needs \"probe http\" for pool add" },
	{ "pool add p wieght 1", "unknown keyword \"wieght\" for pool add" },
	{ "pool add p weight 1", "unknown keyword \"weight\" for pool add" },
	{ "pool set p", "nothing to change for pool set (give at least one option)" },
	{ "pool set", "missing NAME for pool set" },
	{ "pool del", "missing NAME for pool del" },
	{ "pool del p q", "unexpected argument \"q\" for pool del" },
	{ "pool del p probe none", "unexpected argument \"probe\" for pool del" },
	{ "pool show p q", "unexpected argument \"q\" for pool show" },
	{ "pool show a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:", "invalid pool name \"a:b:c:d:e:f:g:h:i:j:k:l:m:n:o:p:\" (expected 1..31 printable characters, no spaces, not starting with \"-\")" },
	/* backend */
	{ "backend", "missing command for backend (try \"vipctl backend help\")" },
	{ "backend rm p 10.0.0.1", "unknown command \"rm\" for backend (expected add, set, del, health or show)" },
	{ "backend add", "missing POOL for backend add" },
	{ "backend add p", "missing ADDR for backend add" },
	{ "backend add p 10.0.0.256", "invalid backend address \"10.0.0.256\" (expected an IPv4 or IPv6 address)" },
	{ "backend add p db1", "invalid backend address \"db1\" (expected an IPv4 or IPv6 address)" },
	{ "backend add p 10.0.0.1 wieght 1", "unknown keyword \"wieght\" for backend add" },
	{ "backend add p 10.0.0.1 weight", "missing value after \"weight\"" },
	{ "backend add p 10.0.0.1 weight 65536", "invalid weight \"65536\" (expected 0..65535)" },
	{ "backend add p 10.0.0.1 weight -1", "invalid weight \"-1\" (expected 0..65535)" },
	{ "backend add p 10.0.0.1 weight 1.5", "invalid weight \"1.5\" (expected 0..65535)" },
	{ "backend add p 10.0.0.1 weight 1 weight 2", "duplicate keyword \"weight\" for backend add" },
	{ "backend add p 10.0.0.1 tier 16", "invalid tier \"16\" (expected 0..15)" },
	{ "backend add p 10.0.0.1 state up", "invalid state \"up\" (expected enabled, draining or disabled)" },
	{ "backend add p 10.0.0.1 via gw", "invalid via address \"gw\" (expected an IPv4 or IPv6 address)" },
	{ "backend add p 10.0.0.1 via 10.0.0.2 via none", "duplicate keyword \"via\" for backend add" },
	{ "backend add p 10.0.0.1 health up", "unknown keyword \"health\" for backend add" },
	{ "backend set p 10.0.0.1", "nothing to change for backend set (give at least one option)" },
	{ "backend set p 10.0.0.1 health sick", "invalid health \"sick\" (expected unknown, up or down)" },
	{ "backend set p 10.0.0.1 health", "missing value after \"health\"" },
	{ "backend health p 10.0.0.1", "missing up|down for backend health" },
	{ "backend health p 10.0.0.1 ok", "invalid health \"ok\" (expected unknown, up or down)" },
	{ "backend health p 10.0.0.1 up now", "unexpected argument \"now\" for backend health" },
	{ "backend health p", "missing ADDR for backend health" },
	{ "backend del p", "missing ADDR for backend del" },
	{ "backend del p 10.0.0.1 weight 1", "unexpected argument \"weight\" for backend del" },
	{ "backend show p q", "unexpected argument \"q\" for backend show" },
	{ "backend show a\tb", "invalid pool name \"a\tb\" (expected 1..31 printable characters, no spaces, not starting with \"-\")" },
	/* frontend */
	{ "frontend", "missing command for frontend (try \"vipctl frontend help\")" },
	{ "frontend ls", "unknown command \"ls\" for frontend (expected add, set, del or show)" },
	{ "frontend add", "missing VIP for frontend add" },
	{ "frontend add 192.168.2.100", "missing PROTO for frontend add" },
	{ "frontend add 192.168.2.100 tcp", "missing PORT for frontend add" },
	{ "frontend add 192.168.2.100 tcp 1433", "missing \"pool NAME\" for frontend add" },
	{ "frontend add 192.168.2 tcp 1433 pool p", "invalid VIP address \"192.168.2\" (expected an IPv4 or IPv6 address)" },
	{ "frontend add 192.168.2.100 icmp 0 pool p", "invalid protocol \"icmp\" (expected tcp, udp or any)" },
	{ "frontend add 192.168.2.100 TCP 1433 pool p", "invalid protocol \"TCP\" (expected tcp, udp or any)" },
	{ "frontend add 192.168.2.100 tcp 70000 pool p", "invalid port \"70000\" (expected 0..65535)" },
	{ "frontend add 192.168.2.100 tcp -1 pool p", "invalid port \"-1\" (expected 0..65535)" },
	{ "frontend add 192.168.2.100 tcp http pool p", "invalid port \"http\" (expected 0..65535)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool", "missing value after \"pool\"" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p pool q", "duplicate keyword \"pool\" for frontend add" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p mode dsr", "invalid mode \"dsr\" (expected encap or nat)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p encap gre", "invalid encap \"gre\" (expected ipip or gue)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p gue-port 0", "invalid gue-port \"0\" (expected 1..65535)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p backend-port 65536", "invalid backend-port \"65536\" (expected 0..65535)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p idle-timeout 0", "invalid idle-timeout \"0\" (expected whole seconds, 1..86400)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p idle-timeout 0.5", "invalid idle-timeout \"0.5\" (expected whole seconds, 1..86400)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p idle-timeout 86401", "invalid idle-timeout \"86401\" (expected whole seconds, 1..86400)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p hash 4tuple", "invalid hash \"4tuple\" (expected 5tuple, 3tuple or 2tuple)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p no-backend ignore", "invalid no-backend \"ignore\" (expected drop or reject)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p source 1.2.3", "invalid source address \"1.2.3\" (expected an IPv4 or IPv6 address)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p wieght 1", "unknown keyword \"wieght\" for frontend add" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p mode nat encap ipip", "\"encap\" needs \"mode encap\" for frontend add" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p gue-port 6080 mode nat", "\"gue-port\" needs \"mode encap\" for frontend add" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p mode encap backend-port 1", "\"backend-port\" needs \"mode nat\" for frontend add" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p encap ipip gue-port 6080", "\"gue-port\" needs \"encap gue\" for frontend add" },
	{ "frontend set 192.168.2.100 tcp 1433", "nothing to change for frontend set (give at least one option)" },
	{ "frontend set 192.168.2.100 tcp 1433 hash 5tuple hash 2tuple", "duplicate keyword \"hash\" for frontend set" },
	{ "frontend del 192.168.2.100 tcp", "missing PORT for frontend del" },
	{ "frontend del 192.168.2.100 tcp 1433 pool p", "unexpected argument \"pool\" for frontend del" },
	{ "frontend show 192.168.2.100", "unexpected argument \"192.168.2.100\" for frontend show" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p on-health-down drop", "invalid on-health-down \"drop\" (expected default, keep or reschedule)" },
	{ "frontend add 192.168.2.100 tcp 1433 pool p on-health-down", "missing value after \"on-health-down\"" },
	{ "frontend set 192.168.2.100 tcp 1433 on-health-down keep on-health-down keep", "duplicate keyword \"on-health-down\" for frontend set" },
	/* flows */
	{ "flows x", "unknown keyword \"x\" for flows" },
	{ "flows frontend", "missing value after \"frontend\"" },
	{ "flows frontend 1.2.3 tcp 1", "invalid VIP address \"1.2.3\" (expected an IPv4 or IPv6 address)" },
	{ "flows frontend 192.168.2.100", "missing PROTO for flows" },
	{ "flows frontend 192.168.2.100 icmp 1", "invalid protocol \"icmp\" (expected tcp, udp or any)" },
	{ "flows frontend 192.168.2.100 tcp", "missing PORT for flows" },
	{ "flows frontend 192.168.2.100 tcp 65536", "invalid port \"65536\" (expected 0..65535)" },
	{ "flows frontend 192.168.2.100 tcp 1433 backend", "missing value after \"backend\"" },
	{ "flows backend b1", "invalid backend address \"b1\" (expected an IPv4 or IPv6 address)" },
	{ "flows backend 10.0.0.1 backend 10.0.0.2", "duplicate keyword \"backend\" for flows" },
	{ "flows flush frontend 192.168.2.100 tcp 1 frontend 192.168.2.100 tcp 2", "duplicate keyword \"frontend\" for flows flush" },
	{ "flows flush now", "unknown keyword \"now\" for flows flush" },
	{ "flows flush flush", "unknown keyword \"flush\" for flows flush" },
	/* explain */
	{ "explain", "missing PROTO for explain" },
	{ "explain any 10.0.1.2 1 192.168.2.100 80", "invalid protocol \"any\" (expected tcp or udp)" },
	{ "explain tcp", "missing SRC for explain" },
	{ "explain tcp 10.0.1", "invalid source address \"10.0.1\" (expected an IPv4 or IPv6 address)" },
	{ "explain tcp 10.0.1.2", "missing SPORT for explain" },
	{ "explain tcp 10.0.1.2 x", "invalid source port \"x\" (expected 0..65535)" },
	{ "explain tcp 10.0.1.2 65536", "invalid source port \"65536\" (expected 0..65535)" },
	{ "explain tcp 10.0.1.2 1", "missing VIP for explain" },
	{ "explain tcp 10.0.1.2 1 vip", "invalid VIP address \"vip\" (expected an IPv4 or IPv6 address)" },
	{ "explain tcp 10.0.1.2 1 2001:db8::1 80", "VIP \"2001:db8::1\" and source are of different address families" },
	{ "explain tcp 10.0.1.2 1 192.168.2.100", "missing PORT for explain" },
	{ "explain tcp 10.0.1.2 1 192.168.2.100 -1", "invalid port \"-1\" (expected 0..65535)" },
	{ "explain tcp 10.0.1.2 1 192.168.2.100 80 extra", "unexpected argument \"extra\" for explain" },
	{ "explain - x", "unexpected argument \"x\" for explain" },
	/* settings */
	{ "set", "nothing to change for set (expected flow-limit N)" },
	{ "set flow-limit", "missing value after \"flow-limit\"" },
	{ "set flow-limit 0", "invalid flow-limit \"0\" (expected 1..67108864)" },
	{ "set flow-limit 67108865", "invalid flow-limit \"67108865\" (expected 1..67108864)" },
	{ "set flow-limit 1e6", "invalid flow-limit \"1e6\" (expected 1..67108864)" },
	{ "set flow-limit 10 flow-limit 20", "duplicate keyword \"flow-limit\" for set" },
	{ "set flowlimit 10", "unknown keyword \"flowlimit\" for set" },
	{ "settings x", "unexpected argument \"x\" for settings" },
};

static void bad_forms(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		bad(bad_cases[i].line, bad_cases[i].msg);
}

static void good_pool(void)
{
	struct vipctl_req r;
	struct vip_err e;
	struct vip_pool *p = &r.pool;

	tap_ok(!parse("pool add sqlcluster probe tcp 59999 interval 5 fall 11",
		      &r, &e) && r.op == VC_POOL_ADD &&
	       !strcmp(p->name, "sqlcluster") &&
	       p->probe_type == VIPFWD_PROBE_TCP && p->probe_port == 59999 &&
	       p->interval_ms == 5000 && p->fall == 11 &&
	       p->has == ((1u << VIPFWD_POOL_A_NAME) |
			  (1u << VIPFWD_POOL_A_PROBE_TYPE) |
			  (1u << VIPFWD_POOL_A_PROBE_PORT) |
			  (1u << VIPFWD_POOL_A_INTERVAL_MS) |
			  (1u << VIPFWD_POOL_A_FALL)),
	       "pool add: the design's guest-cluster example, only typed fields set");

	tap_ok(!parse("pool add web probe http 8080 path /healthz expect 200-399,404 interval 0.5 timeout 250ms rise 3 table-size 251",
		      &r, &e) && p->probe_type == VIPFWD_PROBE_HTTP &&
	       p->probe_port == 8080 && !strcmp(p->http_path, "/healthz") &&
	       !strcmp(p->http_expect, "200-399,404") &&
	       p->interval_ms == 500 && p->timeout_ms == 250 && p->rise == 3 &&
	       p->table_size == 251, "pool add: http probe with every option");

	tap_ok(!parse("pool add web path /x probe http 80", &r, &e) &&
	       !strcmp(p->http_path, "/x"), "pool add: path before probe");

	tap_ok(!parse("pool add nop probe none", &r, &e) &&
	       p->probe_type == VIPFWD_PROBE_NONE &&
	       !VIP_HAS(p, VIPFWD_POOL_A_PROBE_PORT),
	       "pool add: probe none has no port");

	tap_ok(!parse("pool add bare", &r, &e) &&
	       p->has == (1u << VIPFWD_POOL_A_NAME),
	       "pool add: name only, kernel defaults the rest");

	tap_ok(!parse("pool set web path /other", &r, &e) &&
	       r.op == VC_POOL_SET && !strcmp(p->http_path, "/other") &&
	       !VIP_HAS(p, VIPFWD_POOL_A_PROBE_TYPE),
	       "pool set: path alone (kernel checks the stored probe)");

	tap_ok(!parse("pool set web interval 1.5s timeout 0.001", &r, &e) &&
	       p->interval_ms == 1500 && p->timeout_ms == 1,
	       "pool set: seconds with suffix and millisecond precision");

	tap_ok(!parse("pool add p interval 3600 table-size 1048573", &r, &e) &&
	       p->interval_ms == 3600000 && p->table_size == 1048573,
	       "pool add: upper limits accepted");

	tap_ok(!parse("pool del web", &r, &e) && r.op == VC_POOL_DEL &&
	       p->has == (1u << VIPFWD_POOL_A_NAME), "pool del: key only");

	tap_ok(!parse("pool show", &r, &e) && r.op == VC_POOL_SHOW &&
	       p->has == 0, "pool show: all pools");
	tap_ok(!parse("pool show web", &r, &e) && r.op == VC_POOL_SHOW &&
	       !strcmp(p->name, "web"), "pool show NAME");
}

static void good_backend(void)
{
	struct vipctl_req r;
	struct vip_err e;
	struct vip_backend *b = &r.backend;
	char buf[VIP_ADDRSTRLEN];

	tap_ok(!parse("backend add sqlcluster 10.0.0.11", &r, &e) &&
	       r.op == VC_BACKEND_ADD && !strcmp(b->pool, "sqlcluster") &&
	       b->addr.family == AF_INET &&
	       !strcmp(vip_addr_str(&b->addr, buf), "10.0.0.11") &&
	       b->has == ((1u << VIPFWD_BACKEND_A_POOL) |
			  (1u << VIPFWD_BACKEND_A_ADDR4)),
	       "backend add: IPv4 address goes to ADDR4");

	tap_ok(!parse("backend add p 2001:db8::11 via 2001:db8::1", &r, &e) &&
	       VIP_HAS(b, VIPFWD_BACKEND_A_ADDR6) &&
	       !VIP_HAS(b, VIPFWD_BACKEND_A_ADDR4) &&
	       VIP_HAS(b, VIPFWD_BACKEND_A_VIA6) &&
	       !strcmp(vip_addr_str(&b->via, buf), "2001:db8::1"),
	       "backend add: IPv6 address and via go to ADDR6/VIA6");

	tap_ok(!parse("backend add p 10.0.0.1 weight 0 tier 15 via 192.168.9.1 state draining",
		      &r, &e) && b->weight == 0 && b->tier == 15 &&
	       b->state == VIPFWD_BACKEND_DRAINING &&
	       VIP_HAS(b, VIPFWD_BACKEND_A_WEIGHT) &&
	       VIP_HAS(b, VIPFWD_BACKEND_A_VIA4) &&
	       !strcmp(vip_addr_str(&b->via, buf), "192.168.9.1"),
	       "backend add: every option, weight 0 is explicit");

	tap_ok(!parse("backend add p 10.0.0.1 weight 65535 state disabled",
		      &r, &e) && b->weight == 65535 &&
	       b->state == VIPFWD_BACKEND_DISABLED, "backend add: max weight");

	tap_ok(!parse("backend set p 10.0.0.1 via none", &r, &e) &&
	       r.op == VC_BACKEND_SET && VIP_HAS(b, VIPFWD_BACKEND_A_VIA4) &&
	       b->via.u.v4.s_addr == 0, "backend set: via none sends 0.0.0.0");

	tap_ok(!parse("backend set p 2001:db8::5 via none", &r, &e) &&
	       VIP_HAS(b, VIPFWD_BACKEND_A_VIA6) &&
	       vip_addr_is_any(&b->via), "backend set: via none on IPv6 sends ::");

	tap_ok(!parse("backend set p 10.0.0.1 health unknown state enabled",
		      &r, &e) && b->health == VIPFWD_HEALTH_UNKNOWN &&
	       VIP_HAS(b, VIPFWD_BACKEND_A_HEALTH) &&
	       b->state == VIPFWD_BACKEND_ENABLED,
	       "backend set: health and state");

	tap_ok(!parse("backend health p 10.0.0.1 up", &r, &e) &&
	       r.op == VC_BACKEND_HEALTH && b->health == VIPFWD_HEALTH_UP &&
	       b->has == ((1u << VIPFWD_BACKEND_A_POOL) |
			  (1u << VIPFWD_BACKEND_A_ADDR4) |
			  (1u << VIPFWD_BACKEND_A_HEALTH)),
	       "backend health up: pool, addr, health only");
	tap_ok(!parse("backend health p 10.0.0.1 down", &r, &e) &&
	       b->health == VIPFWD_HEALTH_DOWN, "backend health down");

	tap_ok(!parse("backend del p 10.0.0.1", &r, &e) &&
	       r.op == VC_BACKEND_DEL, "backend del");
	tap_ok(!parse("backend show", &r, &e) && r.op == VC_BACKEND_SHOW &&
	       b->has == 0, "backend show: all");
	tap_ok(!parse("backend show p", &r, &e) && !strcmp(b->pool, "p"),
	       "backend show POOL");
}

static void good_frontend(void)
{
	struct vipctl_req r;
	struct vip_err e;
	struct vip_frontend *f = &r.frontend;
	char buf[VIP_ADDRSTRLEN];

	tap_ok(!parse("frontend add 192.168.2.100 tcp 1433 pool sqlcluster mode encap encap ipip idle-timeout 240",
		      &r, &e) && r.op == VC_FRONTEND_ADD &&
	       VIP_HAS(f, VIPFWD_FRONTEND_A_VIP4) &&
	       !strcmp(vip_addr_str(&f->vip, buf), "192.168.2.100") &&
	       f->proto == 6 && f->port == 1433 &&
	       !strcmp(f->pool, "sqlcluster") &&
	       f->mode == VIPFWD_MODE_ENCAP && f->encap == VIPFWD_ENCAP_IPIP &&
	       f->idle_timeout == 240 &&
	       !VIP_HAS(f, VIPFWD_FRONTEND_A_HASH),
	       "frontend add: the design's guest-cluster example");

	tap_ok(!parse("frontend add 192.168.1.111 udp 0 pool rdp mode nat backend-port 3389 hash 2tuple no-backend reject source 10.10.20.1 idle-timeout 60s",
		      &r, &e) && f->proto == 17 && f->port == 0 &&
	       VIP_HAS(f, VIPFWD_FRONTEND_A_PORT) &&
	       f->mode == VIPFWD_MODE_NAT && f->backend_port == 3389 &&
	       f->hash == VIPFWD_HASH_2TUPLE &&
	       f->no_backend == VIPFWD_NO_BACKEND_REJECT &&
	       VIP_HAS(f, VIPFWD_FRONTEND_A_SOURCE4) &&
	       f->idle_timeout == 60,
	       "frontend add: nat, port 0, every option");

	tap_ok(!parse("frontend add 10.1.1.1 any 65535 pool p encap gue gue-port 6080 hash 3tuple",
		      &r, &e) && f->proto == VIPFWD_PROTO_ANY &&
	       f->port == 65535 && f->encap == VIPFWD_ENCAP_GUE &&
	       f->gue_port == 6080 && f->hash == VIPFWD_HASH_3TUPLE,
	       "frontend add: proto any, gue");

	tap_ok(!parse("frontend add 2001:db8::100 tcp 443 pool p source 2001:db8::1",
		      &r, &e) && VIP_HAS(f, VIPFWD_FRONTEND_A_VIP6) &&
	       !VIP_HAS(f, VIPFWD_FRONTEND_A_VIP4) &&
	       VIP_HAS(f, VIPFWD_FRONTEND_A_SOURCE6),
	       "frontend add: IPv6 VIP and source go to VIP6/SOURCE6");

	tap_ok(!parse("frontend set 192.168.2.100 tcp 1433 pool other", &r, &e) &&
	       r.op == VC_FRONTEND_SET && !strcmp(f->pool, "other"),
	       "frontend set: move to another pool");
	tap_ok(!parse("frontend set 192.168.2.100 tcp 1433 source none", &r, &e) &&
	       VIP_HAS(f, VIPFWD_FRONTEND_A_SOURCE4) &&
	       f->source.u.v4.s_addr == 0, "frontend set: source none");
	tap_ok(!parse("frontend del 192.168.2.100 udp 53", &r, &e) &&
	       r.op == VC_FRONTEND_DEL && f->proto == 17 && f->port == 53 &&
	       !VIP_HAS(f, VIPFWD_FRONTEND_A_POOL), "frontend del: key only");
	tap_ok(!parse("frontend show", &r, &e) && r.op == VC_FRONTEND_SHOW,
	       "frontend show");
}

static void good_flows(void)
{
	struct vipctl_req r;
	struct vip_err e;
	struct vip_flow *fl = &r.flow;
	struct vip_explain *x = &r.explain;
	char buf[VIP_ADDRSTRLEN];

	tap_ok(!parse("flows", &r, &e) && r.op == VC_FLOWS && fl->has == 0,
	       "flows: no filter");
	tap_ok(!parse("flows frontend 192.168.2.100 tcp 1433", &r, &e) &&
	       r.op == VC_FLOWS &&
	       fl->has == ((1u << VIPFWD_FLOW_A_FRONTEND_VIP4) |
			   (1u << VIPFWD_FLOW_A_FRONTEND_PROTO) |
			   (1u << VIPFWD_FLOW_A_FRONTEND_PORT)) &&
	       !strcmp(vip_addr_str(&fl->fe_vip, buf), "192.168.2.100") &&
	       fl->fe_proto == 6 && fl->fe_port == 1433,
	       "flows frontend VIP PROTO PORT: the frontend key only");
	tap_ok(!parse("flows backend 10.0.2.11 frontend 192.168.2.100 any 0",
		      &r, &e) && r.op == VC_FLOWS &&
	       VIP_HAS(fl, VIPFWD_FLOW_A_BACKEND4) &&
	       !strcmp(vip_addr_str(&fl->backend, buf), "10.0.2.11") &&
	       fl->fe_proto == VIPFWD_PROTO_ANY &&
	       VIP_HAS(fl, VIPFWD_FLOW_A_FRONTEND_PORT) && fl->fe_port == 0,
	       "flows backend ADDR frontend ...: either order, port 0 kept");
	tap_ok(!parse("flows backend 2001:db8::11", &r, &e) &&
	       VIP_HAS(fl, VIPFWD_FLOW_A_BACKEND6) &&
	       !VIP_HAS(fl, VIPFWD_FLOW_A_BACKEND4),
	       "flows backend IPv6 goes to BACKEND6");
	tap_ok(!parse("flows flush", &r, &e) && r.op == VC_FLOWS_FLUSH &&
	       fl->has == 0, "flows flush: every flow");
	tap_ok(!parse("flows flush backend 10.0.2.11", &r, &e) &&
	       r.op == VC_FLOWS_FLUSH &&
	       fl->has == (1u << VIPFWD_FLOW_A_BACKEND4),
	       "flows flush backend ADDR");
	tap_ok(!parse("flows help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "flows"), "flows help");
	tap_ok(!parse("flows flush help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "flows"), "flows flush help");

	tap_ok(!parse("explain tcp 10.0.1.2 40000 192.168.2.100 1433", &r, &e) &&
	       r.op == VC_EXPLAIN && !r.explain_batch && x->proto == 6 &&
	       !strcmp(vip_addr_str(&x->src, buf), "10.0.1.2") &&
	       x->sport == 40000 &&
	       !strcmp(vip_addr_str(&x->dst, buf), "192.168.2.100") &&
	       x->dport == 1433 &&
	       x->has == ((1u << VIPFWD_EXPLAIN_A_PROTO) |
			  (1u << VIPFWD_EXPLAIN_A_SRC4) |
			  (1u << VIPFWD_EXPLAIN_A_SPORT) |
			  (1u << VIPFWD_EXPLAIN_A_DST4) |
			  (1u << VIPFWD_EXPLAIN_A_DPORT)),
	       "explain PROTO SRC SPORT VIP PORT: the question only");
	tap_ok(!parse("explain udp 2001:db8::2 0 2001:db8::100 53", &r, &e) &&
	       x->proto == 17 && VIP_HAS(x, VIPFWD_EXPLAIN_A_SRC6) &&
	       VIP_HAS(x, VIPFWD_EXPLAIN_A_DST6) && x->sport == 0,
	       "explain udp over IPv6, source port 0");
	tap_ok(!parse("explain -", &r, &e) && r.op == VC_EXPLAIN &&
	       r.explain_batch, "explain -: questions from stdin");
	tap_ok(!parse("explain help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "explain"), "explain help");

	tap_ok(!vipctl_parse_explain_line("udp\t10.0.1.7  5353 192.168.2.100 53\r\n",
					  x, &e) && x->proto == 17 &&
	       x->sport == 5353 && x->dport == 53 &&
	       !strcmp(vip_addr_str(&x->src, buf), "10.0.1.7"),
	       "explain line: tabs, runs of blanks, CRLF");
	tap_ok(vipctl_parse_explain_line("udp 10.0.1.7", x, &e) == -1 &&
	       !strcmp(e.msg, "missing SPORT for explain"),
	       "explain line: the same errors as the command line");
	tap_ok(vipctl_parse_explain_line("tcp 10.0.1.7 1 192.168.2.100 80 9",
					 x, &e) == -1 &&
	       !strcmp(e.msg, "unexpected argument \"9\" for explain"),
	       "explain line: trailing token refused");
	tap_ok(vipctl_parse_explain_line("", x, &e) == -1 &&
	       !strcmp(e.msg, "missing PROTO for explain"),
	       "explain line: empty");

	tap_ok(!parse("set flow-limit 1", &r, &e) && r.op == VC_SET &&
	       r.settings.flow_limit == 1 &&
	       r.settings.has == (1u << VIPFWD_SETTINGS_A_FLOW_LIMIT),
	       "set flow-limit 1");
	tap_ok(!parse("set flow-limit 67108864", &r, &e) &&
	       r.settings.flow_limit == VIPFWD_FLOW_LIMIT_MAX,
	       "set flow-limit: the maximum");
	tap_ok(!parse("settings", &r, &e) && r.op == VC_SETTINGS, "settings");
	tap_ok(!parse("set help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "set"), "set help");
	tap_ok(!parse("help explain", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "explain"), "help explain");
	tap_ok(!parse("-j settings", &r, &e) && r.json &&
	       r.op == VC_SETTINGS, "-j settings");

	tap_ok(!parse("frontend add 192.168.2.100 udp 53 pool p on-health-down reschedule",
		      &r, &e) &&
	       VIP_HAS(&r.frontend, VIPFWD_FRONTEND_A_ON_HEALTH_DOWN) &&
	       r.frontend.on_health_down == VIPFWD_ON_HEALTH_DOWN_RESCHEDULE,
	       "frontend add ... on-health-down reschedule");
	tap_ok(!parse("frontend set 192.168.2.100 udp 53 on-health-down default",
		      &r, &e) && r.op == VC_FRONTEND_SET &&
	       r.frontend.on_health_down == VIPFWD_ON_HEALTH_DOWN_DEFAULT &&
	       VIP_HAS(&r.frontend, VIPFWD_FRONTEND_A_ON_HEALTH_DOWN),
	       "frontend set on-health-down default: sent explicitly");
	tap_ok(!parse("frontend set 192.168.2.100 tcp 1433 on-health-down keep",
		      &r, &e) &&
	       r.frontend.on_health_down == VIPFWD_ON_HEALTH_DOWN_KEEP,
	       "frontend set on-health-down keep");
	tap_is_str(vipctl_op_name(VC_FLOWS_FLUSH), "flows flush",
		   "op name: flows flush");
}

static void good_global(void)
{
	char *argv[] = { "vipctl", "-j", "-n", "lb", "show", NULL };
	char *argv2[] = { "vipctl", "--netns=blue", "--json", "stats", NULL };
	char *argv3[] = { "vipctl", "--netns", "/proc/1/ns/net", "monitor",
			  NULL };
	struct vipctl_req r;
	struct vip_err e;

	tap_ok(!vipctl_parse(5, argv, &r, &e) && r.json && r.op == VC_SHOW &&
	       r.netns && !strcmp(r.netns, "lb"), "-j -n NAME show");
	tap_ok(!vipctl_parse(4, argv2, &r, &e) && r.json &&
	       r.op == VC_STATS && !strcmp(r.netns, "blue"),
	       "--netns=NAME --json stats");
	tap_ok(!vipctl_parse(4, argv3, &r, &e) && !r.json &&
	       r.op == VC_MONITOR && !strcmp(r.netns, "/proc/1/ns/net"),
	       "--netns PATH monitor");

	tap_ok(!parse("--help", &r, &e) && r.op == VC_HELP && !r.topic,
	       "--help");
	tap_ok(!parse("-h", &r, &e) && r.op == VC_HELP, "-h");
	tap_ok(!parse("help", &r, &e) && r.op == VC_HELP && !r.topic, "help");
	tap_ok(!parse("help backend", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "backend"), "help backend");
	tap_ok(!parse("pool help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "pool"), "pool help");
	tap_ok(!parse("frontend add help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "frontend"), "frontend add help");
	tap_ok(!parse("stats help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "stats"), "stats help");
	tap_ok(!parse("-V", &r, &e) && r.op == VC_VERSION, "-V");
	tap_ok(!parse("show", &r, &e) && r.op == VC_SHOW && !r.json, "show");
	tap_ok(!parse("-- show", &r, &e) && r.op == VC_SHOW, "-- ends options");
	tap_is_str(vipctl_op_name(VC_BACKEND_HEALTH), "backend health",
		   "op names");
}

void test_args(void)
{
	bad_forms();
	good_pool();
	good_backend();
	good_frontend();
	good_flows();
	good_global();
}
