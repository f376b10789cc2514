// SPDX-License-Identifier: GPL-2.0
/*
 * vipctl decap: the grammar (accepted forms, refusals quoting the bad
 * token), the netlink round trip of a rule, and the output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/vipfwd.h>
#include <netlink/genl/genl.h>

#include "args.h"
#include "decap.h"
#include "tap.h"

#define MAX_ARGS 32

static int parse(const char *line, struct vipctl_req *r, struct vip_err *e)
{
	char *copy = strdup(line), *tok, *save = NULL;
	char *argv[MAX_ARGS] = { "vipctl" };
	int argc = 1, rc;

	for (tok = strtok_r(copy, " ", &save); tok && argc < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	rc = vipctl_parse(argc, argv, r, e);
	free(copy);
	return rc;
}

static const struct {
	const char *line;
	const char *msg;
} bad_cases[] = {
	{ "decap", "missing command for decap (try \"vipctl decap help\")" },
	{ "decap list", "unknown command \"list\" for decap (expected add, del or show)" },
	{ "decap add", "missing PREFIX for decap add" },
	{ "decap del", "missing PREFIX for decap del" },
	{ "decap add 10.0.1/24", "invalid prefix \"10.0.1/24\" for decap add (expected ADDRESS/LENGTH, e.g. 10.0.1.0/24)" },
	{ "decap add host/24", "invalid prefix \"host/24\" for decap add (expected ADDRESS/LENGTH, e.g. 10.0.1.0/24)" },
	{ "decap add 10.0.1.0/33", "invalid prefix length in \"10.0.1.0/33\" for decap add (expected 0..32)" },
	{ "decap add 10.0.1.0/", "invalid prefix length in \"10.0.1.0/\" for decap add (expected 0..32)" },
	{ "decap add 10.0.1.0/x", "invalid prefix length in \"10.0.1.0/x\" for decap add (expected 0..32)" },
	{ "decap add fd00::/129", "invalid prefix length in \"fd00::/129\" for decap add (expected 0..128)" },
	{ "decap add 10.0.1.1/24", "invalid prefix \"10.0.1.1/24\" for decap add (host bits set after /24)" },
	{ "decap add 10.0.1.128/25 encap", "missing value after \"encap\"" },
	{ "decap add 10.0.1.0/24 encap vxlan", "invalid encap \"vxlan\" (expected ipip or gue)" },
	{ "decap add 10.0.1.0/24 encap ipip encap gue", "duplicate keyword \"encap\" for decap add" },
	{ "decap add 10.0.1.0/24 gue-port 6080", "\"gue-port\" needs \"encap gue\" for decap add" },
	{ "decap add 10.0.1.0/24 encap ipip gue-port 6080", "\"gue-port\" needs \"encap gue\" for decap add" },
	{ "decap add 10.0.1.0/24 encap gue", "\"encap gue\" needs \"gue-port N\" for decap add" },
	{ "decap add 10.0.1.0/24 encap gue gue-port 0", "invalid gue-port \"0\" (expected 1..65535)" },
	{ "decap add 10.0.1.0/24 encap gue gue-port 65536", "invalid gue-port \"65536\" (expected 1..65535)" },
	{ "decap add 10.0.1.0/24 encap gue gue-port 1 gue-port 2", "duplicate keyword \"gue-port\" for decap add" },
	{ "decap add 10.0.1.0/24 weight 1", "unknown keyword \"weight\" for decap add" },
	{ "decap del 10.0.1.0/24 encap ipip", "unexpected argument \"encap\" for decap del" },
	{ "decap show 10.0.1.0/24", "unexpected argument \"10.0.1.0/24\" for decap show" },
	{ "help decap x", "unexpected argument \"x\" for help" },
};

static void test_grammar(void)
{
	struct vipctl_req r;
	struct vip_err e;
	char a[VIP_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		int rc = parse(bad_cases[i].line, &r, &e);

		if (rc != -1)
			tap_ok(false, "refused: vipctl %s", bad_cases[i].line);
		else
			tap_is_str(e.msg, bad_cases[i].msg, "refused: vipctl %s",
				   bad_cases[i].line);
	}

	tap_ok(!parse("decap add 10.0.1.0/24", &r, &e) &&
	       r.op == VC_DECAP_ADD &&
	       !strcmp(vip_addr_str(&r.decap.prefix, a), "10.0.1.0") &&
	       r.decap.plen == 24 &&
	       r.decap.has == (1u << VIPFWD_DECAP_A_PREFIX4 |
			       1u << VIPFWD_DECAP_A_PREFIX_LEN),
	       "decap add PREFIX: prefix only, encap left to the kernel");
	tap_ok(!parse("decap add 10.0.2.0/24 encap gue gue-port 6080", &r, &e) &&
	       r.decap.encap == VIPFWD_ENCAP_GUE &&
	       r.decap.gue_port == 6080 &&
	       VIP_HAS(&r.decap, VIPFWD_DECAP_A_GUE_PORT),
	       "decap add PREFIX encap gue gue-port N");
	tap_ok(!parse("decap add 10.0.2.0/24 gue-port 6080 encap gue", &r, &e),
	       "decap add: keywords in any order");
	tap_ok(!parse("decap add 192.0.2.7", &r, &e) && r.decap.plen == 32,
	       "decap add ADDRESS: a single host, /32");
	tap_ok(!parse("decap add 0.0.0.0/0 encap ipip", &r, &e) &&
	       r.decap.plen == 0, "decap add 0.0.0.0/0");
	tap_ok(!parse("decap add fd00:1::/64", &r, &e) &&
	       VIP_HAS(&r.decap, VIPFWD_DECAP_A_PREFIX6) &&
	       r.decap.plen == 64,
	       "decap add IPv6 prefix parses (the kernel decides)");
	tap_ok(!parse("decap del 10.0.1.0/24", &r, &e) &&
	       r.op == VC_DECAP_DEL, "decap del PREFIX");
	tap_ok(!parse("-j decap show", &r, &e) && r.op == VC_DECAP_SHOW &&
	       r.json, "-j decap show");
	tap_ok(!parse("decap help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "decap"), "decap help");
	tap_ok(!parse("decap add help", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "decap"), "decap add help");
	tap_ok(!parse("help decap", &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "decap"), "help decap");
}

static void test_roundtrip(void)
{
	struct vipctl_req r;
	struct vip_err e;
	struct nl_msg *msg;
	struct nlattr *tb[VIPFWD_A_MAX + 1];
	struct vip_decap d;
	char desc[128];

	parse("decap add 10.0.2.0/24 encap gue gue-port 6080", &r, &e);
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 99, 0, 0, VIPFWD_CMD_DECAP_NEW, 1);
	tap_ok(!vip_decap_put(msg, &r.decap), "decap nest encoded");
	tap_ok(genlmsg_parse(nlmsg_hdr(msg), 0, tb, VIPFWD_A_MAX, NULL) >= 0 &&
	       tb[VIPFWD_A_DECAP] && !vip_decap_parse(tb[VIPFWD_A_DECAP], &d) &&
	       d.has == r.decap.has && d.plen == 24 && d.gue_port == 6080 &&
	       d.encap == VIPFWD_ENCAP_GUE &&
	       d.prefix.u.v4.s_addr == r.decap.prefix.u.v4.s_addr,
	       "decap nest decodes to what was encoded");
	vip_decap_desc(&d, desc, sizeof(desc));
	tap_is_str(desc, "10.0.2.0/24 encap gue gue-port 6080",
		   "decap description");
	nlmsg_free(msg);
}

static void test_show(void)
{
	struct vip_decap rules[2];
	struct vip_err e;
	struct vipctl_req r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	parse("decap add 10.0.1.0/24", &r, &e);
	rules[0] = r.decap;
	rules[0].packets = 12;
	rules[0].bytes = 1008;
	parse("decap add 10.0.2.0/24 encap gue gue-port 6080", &r, &e);
	rules[1] = r.decap;

	f = open_memstream(&buf, &len);
	vip_decap_human(f, rules, 2, 3);
	fclose(f);
	tap_is_str(buf,
		   "decap 10.0.1.0/24 encap ipip                   packets 12 bytes 1008\n"
		   "decap 10.0.2.0/24 encap gue gue-port 6080      packets 0 bytes 0\n"
		   "dropped (source outside every prefix): 3 packets\n",
		   "decap show, human");
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	vip_decap_json(f, rules, 2, 3);
	fclose(f);
	tap_is_str(buf,
		   "{\"decap\":[{\"prefix\":\"10.0.1.0/24\",\"encap\":\"ipip\",\"packets\":12,\"bytes\":1008},"
		   "{\"prefix\":\"10.0.2.0/24\",\"encap\":\"gue\",\"gue_port\":6080,\"packets\":0,\"bytes\":0}],"
		   "\"dropped_foreign\":3}\n",
		   "decap show, JSON");
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	vip_decap_human(f, rules, 0, 0);
	fclose(f);
	tap_is_str(buf, "no decap prefixes\ndropped (source outside every prefix): 0 packets\n",
		   "decap show, no rules");
	free(buf);
}

void test_decap(void)
{
	test_grammar();
	test_roundtrip();
	test_show();
}
