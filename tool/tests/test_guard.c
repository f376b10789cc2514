// SPDX-License-Identifier: GPL-2.0
/*
 * The VIP guard without a kernel: the VIP set a frontend list gives, the
 * nf_tables transaction built for it (decoded again with libmnl and
 * libnftnl), the errno classification, "guard show" output and the
 * "guard" command line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>	/* before any linux/ header: libc-compat */
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "args.h"
#include "fetch.h"
#include "guardctl.h"
#include "human.h"
#include "jsonout.h"
#include "lib/guard.h"
#include "tap.h"

#define T(x) ((NFNL_SUBSYS_NFTABLES << 8) | (x))

static void add(struct vip_guard_set *s, const char *txt)
{
	struct vip_addr a;

	if (vip_addr_parse(txt, &a) || vip_guard_set_add(s, &a))
		tap_diag("cannot add %s", txt);
}

/* The VIPs of s as text, IPv4 first. */
static void set_str(const struct vip_guard_set *s, char *buf, size_t len)
{
	char a[VIP_ADDRSTRLEN];
	struct vip_addr v;
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < vip_guard_set_count(s); i++) {
		vip_guard_set_at(s, i, &v);
		if (i)
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, vip_addr_str(&v, a), len - strlen(buf) - 1);
	}
}

static void test_set(void)
{
	struct vip_guard_set s;
	struct vip_vec fes;
	struct vip_frontend *fe;
	const char *vips[] = { "192.168.2.100", "10.0.0.1", "192.168.2.100",
			       "2001:db8::1", "10.0.0.1", "192.168.2.9" };
	char buf[256];
	size_t i;

	vip_vec_init(&fes, sizeof(struct vip_frontend));
	for (i = 0; i < VIP_ARRAY_SIZE(vips); i++) {
		struct vip_addr a;

		fe = vip_vec_push(&fes);
		vip_addr_parse(vips[i], &a);
		vip_frontend_set_vip(fe, &a);
		fe->port = (uint16_t)(1000 + i);
	}
	vip_guard_set_init(&s);
	tap_ok(!vipctl_guard_wanted(&fes, &s), "guard: VIPs of 6 frontends");
	set_str(&s, buf, sizeof(buf));
	tap_is_str(buf, "10.0.0.1 192.168.2.9 192.168.2.100 2001:db8::1",
		   "guard: each VIP once, sorted as addresses, IPv4 first");
	tap_is_int((long long)s.v4.n, 3, "guard: 3 IPv4 VIPs");
	tap_is_int((long long)s.v6.n, 1, "guard: 1 IPv6 VIP");
	vip_guard_set_free(&s);
	vip_vec_free(&fes);
}

struct walk {
	unsigned int n;
	uint16_t type[64];
	uint16_t flags[64];
	uint32_t seq[64];
	const struct nlmsghdr *msg[64];
};

static void walk(const struct vip_guard_batch *b, struct walk *w)
{
	const struct nlmsghdr *nlh = (const void *)b->buf;
	int len = (int)b->len;

	memset(w, 0, sizeof(*w));
	for (; mnl_nlmsg_ok(nlh, len) && w->n < 64;
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		w->type[w->n] = nlh->nlmsg_type;
		w->flags[w->n] = nlh->nlmsg_flags;
		w->seq[w->n] = nlh->nlmsg_seq;
		w->msg[w->n++] = nlh;
	}
}

static bool same_types(const struct walk *w, const uint16_t *want, size_t n)
{
	size_t i;

	if (w->n != n)
		return false;
	for (i = 0; i < n; i++)
		if (w->type[i] != want[i]) {
			tap_diag("message %zu: type 0x%x, expected 0x%x", i,
				 w->type[i], want[i]);
			return false;
		}
	return true;
}

static void check_chain(const struct nlmsghdr *nlh, const char *name,
			uint32_t hook)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	tap_ok(c && !nftnl_chain_nlmsg_parse(nlh, c) &&
	       !strcmp(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), name) &&
	       !strcmp(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "filter") &&
	       nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM) == hook &&
	       nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO) == -199 &&
	       nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY) == NF_ACCEPT,
	       "guard batch: chain %s: filter hook %u priority -199 policy accept",
	       name, hook);
	nftnl_chain_free(c);
}

struct rule_seen {
	char names[128];
	char set[32];
	char obj[32];
	uint32_t verdict, off, len;
};

static int expr_cb(struct nftnl_expr *e, void *arg)
{
	struct rule_seen *rs = arg;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (rs->names[0])
		strcat(rs->names, ",");
	strcat(rs->names, name);
	if (!strcmp(name, "lookup"))
		snprintf(rs->set, sizeof(rs->set), "%s",
			 nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET));
	if (!strcmp(name, "objref"))
		snprintf(rs->obj, sizeof(rs->obj), "%s",
			 nftnl_expr_get_str(e, NFTNL_EXPR_OBJREF_IMM_NAME));
	if (!strcmp(name, "immediate"))
		rs->verdict = nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT);
	if (!strcmp(name, "payload")) {
		rs->off = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET);
		rs->len = nftnl_expr_get_u32(e, NFTNL_EXPR_PAYLOAD_LEN);
	}
	return 0;
}

static void check_rule(const struct nlmsghdr *nlh, const char *chain,
		       const char *set, uint32_t off, uint32_t len)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct rule_seen rs = { .names = "" };
	bool ok = r && !nftnl_rule_nlmsg_parse(nlh, r);

	if (ok) {
		nftnl_expr_foreach(r, expr_cb, &rs);
		ok = !strcmp(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), chain);
	}
	tap_is_str(rs.names, "meta,cmp,payload,lookup,objref,immediate",
		   "guard batch: %s rule in %s: its expressions", set, chain);
	tap_ok(ok && !strcmp(rs.set, set) && !strcmp(rs.obj, "drops") &&
	       rs.verdict == NF_DROP && rs.off == off && rs.len == len,
	       "guard batch: %s rule in %s: daddr (offset %u, %u bytes) @%s counter name drops drop",
	       set, chain, off, len, set);
	nftnl_rule_free(r);
}

/*
 * The keys of a NEWSETELEM message, as addresses. Read with libmnl:
 * libnftnl numbers the elements of a request 1, 2, ... (the kernel does
 * not mind) while its parser wants every one typed NFTA_LIST_ELEM.
 */
static void elems_str(const struct nlmsghdr *nlh, char *buf, size_t len,
		      char *setname, size_t setlen)
{
	const struct nlattr *a, *el, *k, *v;

	buf[0] = '\0';
	setname[0] = '\0';
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_ELEM_LIST_SET)
			snprintf(setname, setlen, "%s", mnl_attr_get_str(a));
		if (mnl_attr_get_type(a) != NFTA_SET_ELEM_LIST_ELEMENTS)
			continue;
		mnl_attr_for_each_nested(el, a) {
			mnl_attr_for_each_nested(k, el) {
				if (mnl_attr_get_type(k) != NFTA_SET_ELEM_KEY)
					continue;
				mnl_attr_for_each_nested(v, k) {
					char t[VIP_ADDRSTRLEN];
					uint16_t klen = mnl_attr_get_payload_len(v);

					inet_ntop(klen == 4 ? AF_INET : AF_INET6,
						  mnl_attr_get_payload(v), t,
						  sizeof(t));
					if (buf[0])
						strncat(buf, " ",
							len - strlen(buf) - 1);
					strncat(buf, t, len - strlen(buf) - 1);
				}
			}
		}
	}
}

static void test_build(void)
{
	static const uint16_t full[] = {
		NFNL_MSG_BATCH_BEGIN, T(NFT_MSG_NEWTABLE), T(NFT_MSG_NEWSET),
		T(NFT_MSG_NEWSET), T(NFT_MSG_NEWOBJ),
		T(NFT_MSG_NEWCHAIN), T(NFT_MSG_DELRULE), T(NFT_MSG_NEWRULE),
		T(NFT_MSG_NEWRULE),
		T(NFT_MSG_NEWCHAIN), T(NFT_MSG_DELRULE), T(NFT_MSG_NEWRULE),
		T(NFT_MSG_NEWRULE),
		T(NFT_MSG_DELSETELEM), T(NFT_MSG_NEWSETELEM),
		T(NFT_MSG_DELSETELEM), NFNL_MSG_BATCH_END,
	};
	static const uint16_t del[] = {
		NFNL_MSG_BATCH_BEGIN, T(NFT_MSG_DELTABLE), NFNL_MSG_BATCH_END,
	};
	struct vip_guard_batch b;
	struct vip_guard_set s;
	struct walk w;
	char buf[4096], name[32];
	bool acks = true, seqs = true;
	unsigned int i;

	vip_guard_set_init(&s);
	add(&s, "192.168.2.100");
	add(&s, "10.0.0.1");
	tap_ok(!vip_guard_build(&s, 1000, false, &b), "guard batch: built");
	walk(&b, &w);
	tap_ok(same_types(&w, full, VIP_ARRAY_SIZE(full)),
	       "guard batch: table, sets, counter, chains flushed and refilled, sets flushed and refilled, in one transaction");
	tap_is_int(b.n, (long long)w.n, "guard batch: every message accounted");
	for (i = 0; i < w.n; i++) {
		seqs &= w.seq[i] == 1000 + i;
		if (i && i + 1 < w.n)
			acks &= !!(w.flags[i] & NLM_F_ACK);
	}
	tap_ok(seqs, "guard batch: consecutive sequence numbers");
	tap_ok(acks, "guard batch: every message asks for an answer");
	tap_ok(!(w.flags[1] & NLM_F_EXCL) && (w.flags[1] & NLM_F_CREATE),
	       "guard batch: the table is created if missing, kept if there");
	if (w.n == VIP_ARRAY_SIZE(full)) {
		check_chain(w.msg[5], "prerouting", NF_INET_PRE_ROUTING);
		check_chain(w.msg[9], "output", NF_INET_LOCAL_OUT);
		check_rule(w.msg[7], "prerouting", "vip4", 16, 4);
		check_rule(w.msg[8], "prerouting", "vip6", 24, 16);
		check_rule(w.msg[11], "output", "vip4", 16, 4);
		check_rule(w.msg[12], "output", "vip6", 24, 16);
		elems_str(w.msg[14], buf, sizeof(buf), name, sizeof(name));
		tap_is_str(buf, "10.0.0.1 192.168.2.100",
			   "guard batch: set vip4 gets both VIPs");
		tap_is_str(name, "vip4", "guard batch: ... in set vip4");
		tap_is_str(b.what[6], "flushing chain prerouting",
			   "guard batch: a refusal can be named");
	}
	vip_guard_batch_free(&b);

	/* IPv6: the second set. */
	add(&s, "2001:db8::7");
	tap_ok(!vip_guard_build(&s, 1, false, &b), "guard batch: with IPv6");
	walk(&b, &w);
	tap_is_int(w.n, VIP_ARRAY_SIZE(full) + 1,
		   "guard batch: IPv6 VIPs add one message");
	if (w.n == VIP_ARRAY_SIZE(full) + 1) {
		elems_str(w.msg[16], buf, sizeof(buf), name, sizeof(name));
		tap_ok(!strcmp(buf, "2001:db8::7") && !strcmp(name, "vip6"),
		       "guard batch: IPv6 VIP in set vip6");
	}
	vip_guard_batch_free(&b);

	/* Recreate: the table deleted first, in the same transaction. */
	tap_ok(!vip_guard_build(&s, 1, true, &b), "guard batch: recreate");
	walk(&b, &w);
	tap_ok(w.type[1] == T(NFT_MSG_DELTABLE) &&
	       w.type[2] == T(NFT_MSG_NEWTABLE) &&
	       w.type[w.n - 1] == NFNL_MSG_BATCH_END,
	       "guard batch: recreate deletes the table, then builds it");
	vip_guard_batch_free(&b);
	vip_guard_set_free(&s);

	/* No VIP: the table goes. */
	vip_guard_set_init(&s);
	tap_ok(!vip_guard_build(&s, 7, false, &b), "guard batch: empty");
	walk(&b, &w);
	tap_ok(same_types(&w, del, VIP_ARRAY_SIZE(del)),
	       "guard batch: no VIP left deletes the table");
	vip_guard_batch_free(&b);

	/* Many VIPs: split into messages of 128 elements. */
	for (i = 0; i < 300; i++) {
		struct vip_addr a = { .family = AF_INET };

		a.u.v4.s_addr = htonl(0x0a000000 + i);
		vip_guard_set_add(&s, &a);
	}
	tap_ok(!vip_guard_build(&s, 7, false, &b), "guard batch: 300 VIPs");
	walk(&b, &w);
	tap_ok(w.n == VIP_ARRAY_SIZE(full) + 2 &&
	       w.type[14] == T(NFT_MSG_NEWSETELEM) &&
	       w.type[15] == T(NFT_MSG_NEWSETELEM) &&
	       w.type[16] == T(NFT_MSG_NEWSETELEM),
	       "guard batch: 300 VIPs in three element messages");
	vip_guard_batch_free(&b);
	vip_guard_set_free(&s);
}

static char *print(const struct vip_guard_state *st,
		   const struct vip_guard_set *want, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	vipctl_guard_print(f, json, st, want);
	fclose(f);
	return out;
}

static void test_print(void)
{
	struct vip_guard_state st;
	struct vip_guard_set want;
	char *out;

	vip_guard_state_init(&st);
	vip_guard_set_init(&want);
	st.present = true;
	st.has_counter = true;
	st.packets = 3;
	st.bytes = 180;
	add(&st.set, "192.168.2.100");
	add(&want, "192.168.2.100");
	out = print(&st, &want, false);
	tap_is_str(out,
		   "table inet vipfwd: present\n"
		   "vips: 192.168.2.100\n"
		   "drops: 3 packets, 180 bytes\n"
		   "in sync with the frontends\n", "guard show: in sync");
	free(out);

	add(&want, "192.168.2.101");
	add(&st.set, "10.9.9.9");
	out = print(&st, &want, false);
	tap_is_str(out,
		   "table inet vipfwd: present\n"
		   "vips: 10.9.9.9 192.168.2.100\n"
		   "drops: 3 packets, 180 bytes\n"
		   "out of sync with the frontends: missing 192.168.2.101 extra 10.9.9.9 (run \"vipctl guard sync\")\n",
		   "guard show: drift named");
	free(out);
	out = print(&st, &want, true);
	tap_is_str(out,
		   "{\"table\":\"inet vipfwd\",\"present\":true,\"vips\":[\"10.9.9.9\",\"192.168.2.100\"],"
		   "\"drops\":{\"packets\":3,\"bytes\":180},\"in_sync\":false,"
		   "\"missing\":[\"192.168.2.101\"],\"extra\":[\"10.9.9.9\"]}\n",
		   "guard show -j: drift named");
	free(out);
	vip_guard_state_free(&st);

	vip_guard_state_init(&st);
	out = print(&st, &want, false);
	tap_is_str(out,
		   "table inet vipfwd: absent\n"
		   "out of sync with the frontends: missing 192.168.2.100 192.168.2.101 (run \"vipctl guard sync\")\n",
		   "guard show: table missing");
	free(out);
	vip_guard_set_free(&want);
	vip_guard_set_init(&want);
	out = print(&st, &want, true);
	tap_is_str(out,
		   "{\"table\":\"inet vipfwd\",\"present\":false,\"vips\":[],\"drops\":null,"
		   "\"in_sync\":true,\"missing\":[],\"extra\":[]}\n",
		   "guard show -j: no frontends, no table: in sync");
	free(out);
	vip_guard_state_free(&st);
	vip_guard_set_free(&want);
}

static int parse(const char *a1, const char *a2, const char *a3,
		 struct vipctl_req *r, struct vip_err *e)
{
	char *argv[] = { "vipctl", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = a3 ? 4 : a2 ? 3 : 2;

	return vipctl_parse(argc, argv, r, e);
}

static void test_guard_args(void)
{
	struct vipctl_req r;
	struct vip_err e;

	tap_ok(!parse("guard", "sync", NULL, &r, &e) && r.op == VC_GUARD_SYNC,
	       "guard sync parses");
	tap_ok(!parse("guard", "show", NULL, &r, &e) && r.op == VC_GUARD_SHOW,
	       "guard show parses");
	tap_ok(!parse("guard", "help", NULL, &r, &e) && r.op == VC_HELP &&
	       !strcmp(r.topic, "guard"), "guard help");
	parse("guard", "frob", NULL, &r, &e);
	tap_is_str(e.msg, "unknown command \"frob\" for guard (expected sync or show)",
		   "guard: unknown command quoted");
	parse("guard", "sync", "now", &r, &e);
	tap_is_str(e.msg, "unexpected argument \"now\" for guard sync",
		   "guard sync: extra argument quoted");
}

/* vipctl stats with the guard's counter: a last line, a last key. */
static void test_stats(void)
{
	struct vip_config cfg;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	vip_config_init(&cfg);
	cfg.has_guard = true;
	cfg.guard_packets = 5;
	cfg.guard_bytes = 300;
	f = open_memstream(&out, &len);
	human_stats(f, &cfg);
	fclose(f);
	tap_ok(out && strstr(out, "\nguard drops: 5 packets 300 bytes\n") &&
	       !strcmp(out + strlen(out) - strlen("guard drops: 5 packets 300 bytes\n"),
		       "guard drops: 5 packets 300 bytes\n"),
	       "stats: guard drops line last");
	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	json_stats(f, &cfg);
	fclose(f);
	tap_ok(out && strstr(out, ",\"guard_drops\":{\"packets\":5,\"bytes\":300}}\n"),
	       "stats -j: guard_drops object");
	free(out);
	vip_config_free(&cfg);
}

/* explain: a packet no frontend takes, to a VIP the guard holds. */
static void test_explain(void)
{
	struct vip_explain x = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	x.proto = 6;
	vip_addr_parse("10.0.1.2", &x.src);
	vip_addr_parse("192.168.2.100", &x.dst);
	x.sport = 40000;
	x.dport = 22;
	x.guard_drop = true;
	f = open_memstream(&out, &len);
	human_explain(f, &x);
	fclose(f);
	tap_ok(out && strstr(out, "\n  then dropped by the VIP guard (table inet vipfwd): no frontend handles it\n"),
	       "explain: the guard's drop named");
	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	json_explain(f, &x);
	fclose(f);
	tap_ok(out && strstr(out, ",\"guard_drop\":true}\n"),
	       "explain -j: guard_drop true");
	free(out);
}

void test_guard(void)
{
	test_stats();
	test_explain();
	test_set();
	test_build();
	tap_ok(vip_guard_errno_unavailable(-EOPNOTSUPP) &&
	       vip_guard_errno_unavailable(EPROTONOSUPPORT) &&
	       vip_guard_errno_unavailable(-EAFNOSUPPORT) &&
	       !vip_guard_errno_unavailable(-EEXIST) &&
	       !vip_guard_errno_unavailable(-EPERM),
	       "guard: no nf_tables is told apart from a refusal");
	test_print();
	test_guard_args();
}
