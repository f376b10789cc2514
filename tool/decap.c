// SPDX-License-Identifier: GPL-2.0
/*
 * vipctl decap: host-side delivery rules (docs/vipctl.8, DECAP).
 *
 *   decap add PREFIX [encap ipip|gue] [gue-port N]
 *   decap del PREFIX
 *   decap show
 *
 * PREFIX is ADDRESS/LENGTH with no host bits set; a bare address means
 * the single host (/32, /128).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/genl/genl.h>

#include "args.h"
#include "decap.h"
#include "lib/json.h"
#include "lib/names.h"
#include "lib/objects.h"
#include "lib/parse.h"

_Static_assert(VIPFWD_DECAP_A_MAX < 32, "decap attributes exceed bitmap");

/* ---- parsing ---- */

/* Host bits of @a beyond @plen set? */
static bool host_bits(const struct vip_addr *a, unsigned int plen)
{
	const uint8_t *b = a->family == AF_INET ?
			   (const uint8_t *)&a->u.v4 : a->u.v6.s6_addr;
	unsigned int len = a->family == AF_INET ? 4 : 16, i;

	for (i = 0; i < len; i++) {
		unsigned int bits = plen > 8 * i ? plen - 8 * i : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

		if (b[i] & ~mask)
			return true;
	}
	return false;
}

static int prefix(const char *tok, struct vip_decap *d, const char *cmd,
		  struct vip_err *e)
{
	char buf[VIP_ADDRSTRLEN + 8];
	const char *slash = strchr(tok, '/');
	unsigned int max;
	uint32_t plen;

	if (strlen(tok) >= sizeof(buf))
		goto bad;
	vip_strlcpy(buf, tok, sizeof(buf));
	if (slash)
		buf[slash - tok] = '\0';
	if (vip_addr_parse(buf, &d->prefix))
		goto bad;
	max = d->prefix.family == AF_INET ? 32 : 128;
	if (!slash) {
		plen = max;
	} else if (vip_parse_u32(slash + 1, &plen) || plen > max) {
		return vip_errf(e, "invalid prefix length in \"%s\" for %s (expected 0..%u)",
				tok, cmd, max);
	}
	if (host_bits(&d->prefix, plen))
		return vip_errf(e, "invalid prefix \"%s\" for %s (host bits set after /%u)",
				tok, cmd, plen);
	d->plen = (uint8_t)plen;
	VIP_SET(d, d->prefix.family == AF_INET ? VIPFWD_DECAP_A_PREFIX4 :
						 VIPFWD_DECAP_A_PREFIX6);
	VIP_SET(d, VIPFWD_DECAP_A_PREFIX_LEN);
	return 0;
bad:
	return vip_errf(e, "invalid prefix \"%s\" for %s (expected ADDRESS/LENGTH, e.g. 10.0.1.0/24)",
			tok, cmd);
}

int vipctl_decap_parse(int argc, char **argv, int i, struct vipctl_req *r,
		       struct vip_err *e)
{
	struct vip_decap *d = &r->decap;
	const char *verb = i < argc ? argv[i++] : NULL;
	const char *cmd, *kw, *v;
	unsigned int u;
	uint32_t port;
	char list[64];

	if (!verb)
		return vip_errf(e, "missing command for decap (try \"vipctl decap help\")");
	if (!strcmp(verb, "help") || !strcmp(verb, "-h") ||
	    !strcmp(verb, "--help")) {
		r->op = VC_HELP;
		r->topic = "decap";
		if (i < argc)
			return vip_errf(e, "unexpected argument \"%s\" for help",
					argv[i]);
		return 0;
	}
	if (!strcmp(verb, "add"))
		r->op = VC_DECAP_ADD;
	else if (!strcmp(verb, "del"))
		r->op = VC_DECAP_DEL;
	else if (!strcmp(verb, "show"))
		r->op = VC_DECAP_SHOW;
	else
		return vip_errf(e, "unknown command \"%s\" for decap (expected add, del or show)",
				verb);
	cmd = vipctl_op_name(r->op);
	if (i == argc - 1 && (!strcmp(argv[i], "help") ||
			      !strcmp(argv[i], "-h") ||
			      !strcmp(argv[i], "--help"))) {
		r->op = VC_HELP;
		r->topic = "decap";
		return 0;
	}
	if (r->op == VC_DECAP_SHOW) {
		if (i < argc)
			return vip_errf(e, "unexpected argument \"%s\" for %s",
					argv[i], cmd);
		return 0;
	}

	if (i >= argc)
		return vip_errf(e, "missing PREFIX for %s", cmd);
	if (prefix(argv[i++], d, cmd, e))
		return -1;
	if (r->op == VC_DECAP_DEL) {
		if (i < argc)
			return vip_errf(e, "unexpected argument \"%s\" for %s",
					argv[i], cmd);
		return 0;
	}

	while (i < argc) {
		kw = argv[i++];
		if (strcmp(kw, "encap") && strcmp(kw, "gue-port"))
			return vip_errf(e, "unknown keyword \"%s\" for %s", kw,
					cmd);
		if (VIP_HAS(d, kw[0] == 'e' ? VIPFWD_DECAP_A_ENCAP :
				       VIPFWD_DECAP_A_GUE_PORT))
			return vip_errf(e, "duplicate keyword \"%s\" for %s",
					kw, cmd);
		if (i >= argc)
			return vip_errf(e, "missing value after \"%s\"", kw);
		v = argv[i++];
		if (kw[0] == 'e') {
			if (vip_name_parse(vip_encap_names, v, &u))
				return vip_errf(e, "invalid encap \"%s\" (expected %s)",
						v, vip_name_list(vip_encap_names,
								 list,
								 sizeof(list)));
			d->encap = (uint8_t)u;
			VIP_SET(d, VIPFWD_DECAP_A_ENCAP);
		} else {
			if (vip_parse_u32(v, &port) || port < 1 ||
			    port > 65535)
				return vip_errf(e, "invalid gue-port \"%s\" (expected 1..65535)",
						v);
			d->gue_port = (uint16_t)port;
			VIP_SET(d, VIPFWD_DECAP_A_GUE_PORT);
		}
	}
	if (VIP_HAS(d, VIPFWD_DECAP_A_GUE_PORT) &&
	    (!VIP_HAS(d, VIPFWD_DECAP_A_ENCAP) ||
	     d->encap != VIPFWD_ENCAP_GUE))
		return vip_errf(e, "\"gue-port\" needs \"encap gue\" for %s",
				cmd);
	if (VIP_HAS(d, VIPFWD_DECAP_A_ENCAP) && d->encap == VIPFWD_ENCAP_GUE &&
	    !VIP_HAS(d, VIPFWD_DECAP_A_GUE_PORT))
		return vip_errf(e, "\"encap gue\" needs \"gue-port N\" for %s",
				cmd);
	return 0;
}

/* ---- netlink ---- */

int vip_decap_put(struct nl_msg *msg, const struct vip_decap *d)
{
	struct nlattr *nest = nla_nest_start(msg, VIPFWD_A_DECAP);

	if (!nest)
		return -NLE_NOMEM;
	if ((VIP_HAS(d, VIPFWD_DECAP_A_PREFIX4) &&
	     nla_put(msg, VIPFWD_DECAP_A_PREFIX4, 4, &d->prefix.u.v4)) ||
	    (VIP_HAS(d, VIPFWD_DECAP_A_PREFIX6) &&
	     nla_put(msg, VIPFWD_DECAP_A_PREFIX6, 16, &d->prefix.u.v6)) ||
	    (VIP_HAS(d, VIPFWD_DECAP_A_PREFIX_LEN) &&
	     nla_put_u8(msg, VIPFWD_DECAP_A_PREFIX_LEN, d->plen)) ||
	    (VIP_HAS(d, VIPFWD_DECAP_A_ENCAP) &&
	     nla_put_u8(msg, VIPFWD_DECAP_A_ENCAP, d->encap)) ||
	    (VIP_HAS(d, VIPFWD_DECAP_A_GUE_PORT) &&
	     nla_put_u16(msg, VIPFWD_DECAP_A_GUE_PORT, d->gue_port)))
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

int vip_decap_parse(struct nlattr *nest, struct vip_decap *d)
{
	struct nla_policy pol[VIPFWD_DECAP_A_MAX + 1] = {
		[VIPFWD_DECAP_A_PREFIX4] = { .type = NLA_U32 },
		[VIPFWD_DECAP_A_PREFIX6] = { .minlen = 16 },
		[VIPFWD_DECAP_A_PREFIX_LEN] = { .type = NLA_U8 },
		[VIPFWD_DECAP_A_ENCAP] = { .type = NLA_U8 },
		[VIPFWD_DECAP_A_GUE_PORT] = { .type = NLA_U16 },
		[VIPFWD_DECAP_A_PACKETS] = { .type = NLA_U64 },
		[VIPFWD_DECAP_A_BYTES] = { .type = NLA_U64 },
	};
	struct nlattr *tb[VIPFWD_DECAP_A_MAX + 1];
	int err, i;

	memset(d, 0, sizeof(*d));
	err = nla_parse_nested(tb, VIPFWD_DECAP_A_MAX, nest, pol);
	if (err < 0)
		return err;
	for (i = 1; i <= VIPFWD_DECAP_A_MAX; i++)
		if (tb[i] && i != VIPFWD_DECAP_A_PAD)
			VIP_SET(d, i);
	if (tb[VIPFWD_DECAP_A_PREFIX4]) {
		d->prefix.family = AF_INET;
		memcpy(&d->prefix.u.v4, nla_data(tb[VIPFWD_DECAP_A_PREFIX4]), 4);
	} else if (tb[VIPFWD_DECAP_A_PREFIX6]) {
		d->prefix.family = AF_INET6;
		memcpy(&d->prefix.u.v6, nla_data(tb[VIPFWD_DECAP_A_PREFIX6]),
		       16);
	}
	if (tb[VIPFWD_DECAP_A_PREFIX_LEN])
		d->plen = nla_get_u8(tb[VIPFWD_DECAP_A_PREFIX_LEN]);
	if (tb[VIPFWD_DECAP_A_ENCAP])
		d->encap = nla_get_u8(tb[VIPFWD_DECAP_A_ENCAP]);
	if (tb[VIPFWD_DECAP_A_GUE_PORT])
		d->gue_port = nla_get_u16(tb[VIPFWD_DECAP_A_GUE_PORT]);
	if (tb[VIPFWD_DECAP_A_PACKETS])
		d->packets = nla_get_u64(tb[VIPFWD_DECAP_A_PACKETS]);
	if (tb[VIPFWD_DECAP_A_BYTES])
		d->bytes = nla_get_u64(tb[VIPFWD_DECAP_A_BYTES]);
	return 0;
}

/* ---- output ---- */

static const char *encap_word(uint8_t encap)
{
	const char *w = vip_name_str(vip_encap_names, encap);

	return w ? w : "?";
}

void vip_decap_desc(const struct vip_decap *d, char *buf, size_t len)
{
	char a[VIP_ADDRSTRLEN];
	int n;

	n = snprintf(buf, len, "%s/%u encap %s", vip_addr_str(&d->prefix, a),
		     d->plen, encap_word(d->encap));
	if (d->encap == VIPFWD_ENCAP_GUE && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " gue-port %u", d->gue_port);
}

int vip_decap_human(FILE *f, const struct vip_decap *rules, size_t n,
		    uint64_t foreign)
{
	char desc[128];
	size_t i;

	for (i = 0; i < n; i++) {
		vip_decap_desc(&rules[i], desc, sizeof(desc));
		fprintf(f, "decap %-40s packets %" PRIu64 " bytes %" PRIu64 "\n",
			desc, rules[i].packets, rules[i].bytes);
	}
	if (!n)
		fputs("no decap prefixes\n", f);
	fprintf(f, "dropped (source outside every prefix): %" PRIu64 " packets\n",
		foreign);
	return ferror(f) ? -1 : 0;
}

static void decap_fields(struct vip_json *j, const struct vip_decap *d,
			 bool counters)
{
	char a[VIP_ADDRSTRLEN], p[VIP_ADDRSTRLEN + 8];

	snprintf(p, sizeof(p), "%s/%u", vip_addr_str(&d->prefix, a), d->plen);
	vip_json_kstr(j, "prefix", p);
	vip_json_kstr(j, "encap", encap_word(d->encap));
	if (d->encap == VIPFWD_ENCAP_GUE)
		vip_json_ku64(j, "gue_port", d->gue_port);
	if (counters) {
		vip_json_ku64(j, "packets", d->packets);
		vip_json_ku64(j, "bytes", d->bytes);
	}
}

void vip_decap_json(FILE *f, const struct vip_decap *rules, size_t n,
		    uint64_t foreign)
{
	struct vip_json j;
	size_t i;

	vip_json_init(&j, f);
	vip_json_obj_open(&j);
	vip_json_key(&j, "decap");
	vip_json_arr_open(&j);
	for (i = 0; i < n; i++) {
		vip_json_obj_open(&j);
		decap_fields(&j, &rules[i], true);
		vip_json_obj_close(&j);
	}
	vip_json_arr_close(&j);
	vip_json_ku64(&j, "dropped_foreign", foreign);
	vip_json_obj_close(&j);
	fputc('\n', f);
}

bool vipctl_decap_event(FILE *f, struct nlmsghdr *nlh, bool json)
{
	struct nlattr *tb[VIPFWD_A_MAX + 1];
	struct genlmsghdr *gh;
	struct vip_decap d;
	const char *ev;
	char desc[128];

	if (!genlmsg_valid_hdr(nlh, 0))
		return false;
	gh = nlmsg_data(nlh);
	if (gh->cmd != VIPFWD_CMD_DECAP_NEW && gh->cmd != VIPFWD_CMD_DECAP_DEL)
		return false;
	ev = gh->cmd == VIPFWD_CMD_DECAP_NEW ? "decap_new" : "decap_del";
	if (genlmsg_parse(nlh, 0, tb, VIPFWD_A_MAX, NULL) < 0 ||
	    !tb[VIPFWD_A_DECAP] || vip_decap_parse(tb[VIPFWD_A_DECAP], &d)) {
		fprintf(stderr, "vipctl: malformed event skipped\n");
		return true;
	}
	if (json) {
		struct vip_json j;

		vip_json_init(&j, f);
		vip_json_obj_open(&j);
		vip_json_kstr(&j, "event", ev);
		decap_fields(&j, &d, false);
		vip_json_obj_close(&j);
		fputc('\n', f);
	} else {
		vip_decap_desc(&d, desc, sizeof(desc));
		fprintf(f, "%s decap %s\n", ev, desc);
	}
	return true;
}

/* ---- running ---- */

struct decap_dump {
	struct vip_vec *rules;
	int err;
};

static int dump_cb(struct nlmsghdr *nlh, void *arg)
{
	struct decap_dump *dd = arg;
	struct nlattr *tb[VIPFWD_A_MAX + 1];
	struct vip_decap *d;

	if (genlmsg_parse(nlh, 0, tb, VIPFWD_A_MAX, NULL) < 0 ||
	    !tb[VIPFWD_A_DECAP])
		return 0;
	d = vip_vec_push(dd->rules);
	if (!d)
		return -ENOMEM;
	if (vip_decap_parse(tb[VIPFWD_A_DECAP], d))
		return -EBADMSG;
	return 0;
}

static void dump_reset(void *arg)
{
	vip_vec_clear(((struct decap_dump *)arg)->rules);
}

static int stats_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[VIPFWD_A_MAX + 1];
	struct vip_counters c;

	if (genlmsg_parse(nlh, 0, tb, VIPFWD_A_MAX, NULL) < 0 ||
	    !tb[VIPFWD_A_STATS] || vip_counters_parse(tb[VIPFWD_A_STATS], &c))
		return 0;
	*(uint64_t *)arg = c.v[VIPFWD_STATS_A_DROP_DECAP_FOREIGN];
	return 0;
}

static int complain(const struct vip_nl *h, int err)
{
	const char *m = h->msg[0] ? h->msg : strerror(-err);
	const unsigned char *p;

	fputs("vipctl: ", stderr);
	for (p = (const unsigned char *)m; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, stderr);
	fputc('\n', stderr);
	return 1;
}

static int show(const struct vipctl_req *r, struct vip_nl *h)
{
	struct decap_dump dd;
	struct vip_vec v;
	struct nl_msg *msg;
	uint64_t foreign = 0;
	int err, rc = 0;

	vip_vec_init(&v, sizeof(struct vip_decap));
	dd.rules = &v;
	dd.err = 0;
	msg = vip_nl_msg_new(h->family, VIPFWD_CMD_DECAP_GET, true);
	if (!msg)
		return complain(h, -ENOMEM);
	err = vip_nl_dump(h, msg, dump_cb, dump_reset, &dd);
	nlmsg_free(msg);
	if (err) {
		rc = complain(h, err);
		goto out;
	}
	msg = vip_nl_msg_new(h->family, VIPFWD_CMD_STATS_GET, false);
	if (!msg) {
		rc = complain(h, -ENOMEM);
		goto out;
	}
	err = vip_nl_request(h, msg, stats_cb, &foreign);
	nlmsg_free(msg);
	if (err) {
		rc = complain(h, err);
		goto out;
	}
	if (r->json)
		vip_decap_json(stdout, v.items, v.n, foreign);
	else if (vip_decap_human(stdout, v.items, v.n, foreign))
		rc = 1;
out:
	vip_vec_free(&v);
	return rc;
}

int vipctl_decap_run(const struct vipctl_req *r, struct vip_nl *h)
{
	struct nl_msg *msg;
	int err;

	if (r->op == VC_DECAP_SHOW)
		return show(r, h);
	msg = vip_nl_msg_new(h->family, r->op == VC_DECAP_ADD ?
				VIPFWD_CMD_DECAP_NEW : VIPFWD_CMD_DECAP_DEL,
			     false);
	if (!msg || vip_decap_put(msg, &r->decap) < 0) {
		nlmsg_free(msg);
		return complain(h, -ENOMEM);
	}
	err = vip_nl_request(h, msg, NULL, NULL);
	nlmsg_free(msg);
	return err ? complain(h, err) : 0;
}
