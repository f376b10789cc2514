// SPDX-License-Identifier: GPL-2.0
/*
 * The VIP guard through libnftnl (layout and reasoning in guard.h).
 *
 * Writing: one nfnetlink batch (one nf_tables transaction), every message
 * with NLM_F_ACK so each one is answered (ACK or error) and a refusal can
 * be named. The kernel handles a batch within sendmsg(), so the answers
 * are queued when it returns; they are read with a short poll() anyway.
 *
 * Reading: GETTABLE, GETOBJ of the counter, a GETSETELEM dump per set.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>	/* before any linux/ header: libc-compat */
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "guard.h"
#include "nl.h"

/* nft's datatype numbers, so `nft list` prints the keys as addresses. */
#define NFT_TYPE_IPADDR		7
#define NFT_TYPE_IP6ADDR	8

/* Set elements per NEWSETELEM message, and the room a message may take. */
#define ELEMS_PER_MSG		128
#define MSG_ROOM		16384
/* A read request (table, set or object name: small). */
#define REQ_SIZE		1024

#define TABLE_COMMENT "VIP guard of vipctl: do not edit, run vipctl guard sync"

/* ---- the set of VIPs ---- */

void vip_guard_set_init(struct vip_guard_set *s)
{
	vip_vec_init(&s->v4, sizeof(struct in_addr));
	vip_vec_init(&s->v6, sizeof(struct in6_addr));
}

void vip_guard_set_free(struct vip_guard_set *s)
{
	vip_vec_free(&s->v4);
	vip_vec_free(&s->v6);
}

int vip_guard_set_add(struct vip_guard_set *s, const struct vip_addr *a)
{
	struct vip_vec *v;
	const void *key;
	size_t len, lo, hi;
	char *base;

	if (a->family == AF_INET) {
		v = &s->v4;
		key = &a->u.v4;
		len = sizeof(a->u.v4);
	} else if (a->family == AF_INET6) {
		v = &s->v6;
		key = &a->u.v6;
		len = sizeof(a->u.v6);
	} else {
		return -EINVAL;
	}
	/* Binary search in network byte order: sorted as addresses. */
	lo = 0;
	hi = v->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(vip_vec_at(v, mid), key, len);

		if (!c)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!vip_vec_push(v))
		return -ENOMEM;
	base = v->items;
	memmove(base + (lo + 1) * len, base + lo * len, (v->n - 1 - lo) * len);
	memcpy(base + lo * len, key, len);
	return 0;
}

size_t vip_guard_set_count(const struct vip_guard_set *s)
{
	return s->v4.n + s->v6.n;
}

void vip_guard_set_at(const struct vip_guard_set *s, size_t i,
		      struct vip_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (i < s->v4.n) {
		a->family = AF_INET;
		memcpy(&a->u.v4, vip_vec_at(&s->v4, i), sizeof(a->u.v4));
	} else {
		a->family = AF_INET6;
		memcpy(&a->u.v6, vip_vec_at(&s->v6, i - s->v4.n),
		       sizeof(a->u.v6));
	}
}

/* ---- building the transaction ---- */

/* Room for one more message; NULL when out of memory. */
static char *room(struct vip_guard_batch *b)
{
	if (b->cap - b->len < MSG_ROOM) {
		size_t cap = b->cap ? b->cap * 2 : 4 * MSG_ROOM;
		char *p = realloc(b->buf, cap);

		if (!p)
			return NULL;
		memset(p + b->cap, 0, cap - b->cap);
		b->buf = p;
		b->cap = cap;
	}
	if (b->n % 16 == 0) {
		const char **w = realloc(b->what, (b->n + 16) * sizeof(*w));

		if (!w)
			return NULL;
		b->what = w;
	}
	return b->buf + b->len;
}

/* Accounts for the message just written at the end of the buffer. */
static void added(struct vip_guard_batch *b, const char *what)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(b->buf + b->len);

	b->what[b->n++] = what;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static uint32_t next_seq(const struct vip_guard_batch *b)
{
	return b->seq + b->n;
}

static struct nlmsghdr *hdr(struct vip_guard_batch *b, uint16_t type,
			    uint16_t flags)
{
	char *p = room(b);

	if (!p)
		return NULL;
	return nftnl_nlmsg_build_hdr(p, type, NFPROTO_INET,
				     flags | NLM_F_ACK, next_seq(b));
}

static int put_table(struct vip_guard_batch *b, bool del)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nftnl_udata_buf *ud = NULL;
	struct nlmsghdr *nlh;
	int err = -ENOMEM;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, VIP_GUARD_TABLE);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_INET);
	if (!del) {
		/* Flags 0 also wakes up a table made dormant by hand. */
		nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
		ud = nftnl_udata_buf_alloc(256);
		if (!ud || !nftnl_udata_put_strz(ud, NFTNL_UDATA_TABLE_COMMENT,
						 TABLE_COMMENT))
			goto out;
		nftnl_table_set_data(t, NFTNL_TABLE_USERDATA,
				     nftnl_udata_buf_data(ud),
				     nftnl_udata_buf_len(ud));
	}
	nlh = hdr(b, del ? NFT_MSG_DELTABLE : NFT_MSG_NEWTABLE,
		  del ? 0 : NLM_F_CREATE);
	if (!nlh)
		goto out;
	nftnl_table_nlmsg_build_payload(nlh, t);
	added(b, del ? "deleting table inet " VIP_GUARD_TABLE :
		       "creating table inet " VIP_GUARD_TABLE);
	err = 0;
out:
	if (ud)
		nftnl_udata_buf_free(ud);
	nftnl_table_free(t);
	return err;
}

static int put_counter(struct vip_guard_batch *b)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;

	if (!o)
		return -ENOMEM;
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, VIP_GUARD_TABLE);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, VIP_GUARD_COUNTER);
	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, NFPROTO_INET);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	/* An existing counter is left as it is (counters have no update):
	 * its values survive every change.
	 */
	nlh = hdr(b, NFT_MSG_NEWOBJ, NLM_F_CREATE);
	if (nlh) {
		nftnl_obj_nlmsg_build_payload(nlh, o);
		added(b, "creating counter " VIP_GUARD_COUNTER);
	}
	nftnl_obj_free(o);
	return nlh ? 0 : -ENOMEM;
}

struct fam {
	const char *set;
	uint8_t nfproto;
	uint32_t key_type, key_len, daddr_off;
	uint32_t set_id;
	const char *make_set, *flush_set, *fill_set;
	const char *make_rule;
};

static const struct fam fams[2] = {
	{ VIP_GUARD_SET4, NFPROTO_IPV4, NFT_TYPE_IPADDR, 4, 16, 1,
	  "creating set " VIP_GUARD_SET4, "flushing set " VIP_GUARD_SET4,
	  "adding VIPs to set " VIP_GUARD_SET4,
	  "adding the " VIP_GUARD_SET4 " rule" },
	{ VIP_GUARD_SET6, NFPROTO_IPV6, NFT_TYPE_IP6ADDR, 16, 24, 2,
	  "creating set " VIP_GUARD_SET6, "flushing set " VIP_GUARD_SET6,
	  "adding VIPs to set " VIP_GUARD_SET6,
	  "adding the " VIP_GUARD_SET6 " rule" },
};

static struct nftnl_set *set_new(const struct fam *f)
{
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		return NULL;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, VIP_GUARD_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, f->set);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	return s;
}

static int put_set(struct vip_guard_batch *b, const struct fam *f)
{
	struct nftnl_set *s = set_new(f);
	struct nlmsghdr *nlh;

	if (!s)
		return -ENOMEM;
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, f->key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, f->key_len);
	nftnl_set_set_u32(s, NFTNL_SET_ID, f->set_id);
	nlh = hdr(b, NFT_MSG_NEWSET, NLM_F_CREATE);
	if (nlh) {
		nftnl_set_nlmsg_build_payload(nlh, s);
		added(b, f->make_set);
	}
	nftnl_set_free(s);
	return nlh ? 0 : -ENOMEM;
}

/* DELSETELEM without elements: the kernel flushes the set. */
static int flush_set(struct vip_guard_batch *b, const struct fam *f)
{
	struct nlmsghdr *nlh = hdr(b, NFT_MSG_DELSETELEM, 0);

	if (!nlh)
		return -ENOMEM;
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, VIP_GUARD_TABLE);
	mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, f->set);
	added(b, f->flush_set);
	return 0;
}

static int fill_set(struct vip_guard_batch *b, const struct fam *f,
		    const struct vip_vec *v)
{
	size_t i = 0, k;

	while (i < v->n) {
		struct nftnl_set *s = set_new(f);
		struct nlmsghdr *nlh;

		if (!s)
			return -ENOMEM;
		for (k = 0; k < ELEMS_PER_MSG && i < v->n; k++, i++) {
			struct nftnl_set_elem *e = nftnl_set_elem_alloc();

			if (!e) {
				nftnl_set_free(s);
				return -ENOMEM;
			}
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY,
					   vip_vec_at(v, i), f->key_len);
			nftnl_set_elem_add(s, e);
		}
		nlh = hdr(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE);
		if (nlh) {
			nftnl_set_elems_nlmsg_build_payload(nlh, s);
			added(b, f->fill_set);
		}
		nftnl_set_free(s);
		if (!nlh)
			return -ENOMEM;
	}
	return 0;
}

static const char *const chain_names[2] = { "prerouting", "output" };
static const uint32_t chain_hooks[2] = { NF_INET_PRE_ROUTING,
					 NF_INET_LOCAL_OUT };

static int put_chain(struct vip_guard_batch *b, int i)
{
	static const char *const what[2] = { "creating chain prerouting",
					     "creating chain output" };
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, VIP_GUARD_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, chain_names[i]);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, NFPROTO_INET);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, chain_hooks[i]);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, VIP_GUARD_PRIORITY);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nlh = hdr(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	if (nlh) {
		nftnl_chain_nlmsg_build_payload(nlh, c);
		added(b, what[i]);
	}
	nftnl_chain_free(c);
	return nlh ? 0 : -ENOMEM;
}

static struct nftnl_rule *rule_new(int chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r)
		return NULL;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, VIP_GUARD_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain_names[chain]);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	return r;
}

/* DELRULE naming only the chain: the kernel flushes the chain. */
static int flush_chain(struct vip_guard_batch *b, int chain)
{
	static const char *const what[2] = { "flushing chain prerouting",
					     "flushing chain output" };
	struct nftnl_rule *r = rule_new(chain);
	struct nlmsghdr *nlh;

	if (!r)
		return -ENOMEM;
	nlh = hdr(b, NFT_MSG_DELRULE, 0);
	if (nlh) {
		nftnl_rule_nlmsg_build_payload(nlh, r);
		added(b, what[chain]);
	}
	nftnl_rule_free(r);
	return nlh ? 0 : -ENOMEM;
}

/* Appends expression e to r, or frees it and fails. */
static int expr_add(struct nftnl_rule *r, struct nftnl_expr *e)
{
	if (!e)
		return -ENOMEM;
	nftnl_rule_add_expr(r, e);
	return 0;
}

/* meta nfproto F  F daddr @SET  counter name "drops"  drop */
static int put_rule(struct vip_guard_batch *b, int chain, const struct fam *f)
{
	struct nftnl_rule *r = rule_new(chain);
	struct nlmsghdr *nlh;
	struct nftnl_expr *e;
	int err = -ENOMEM;

	if (!r)
		return -ENOMEM;

	e = nftnl_expr_alloc("meta");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_NFPROTO);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	}
	if (expr_add(r, e))
		goto out;

	e = nftnl_expr_alloc("cmp");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
		nftnl_expr_set_u8(e, NFTNL_EXPR_CMP_DATA, f->nfproto);
	}
	if (expr_add(r, e))
		goto out;

	e = nftnl_expr_alloc("payload");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE,
				   NFT_PAYLOAD_NETWORK_HEADER);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, f->daddr_off);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, f->key_len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	}
	if (expr_add(r, e))
		goto out;

	e = nftnl_expr_alloc("lookup");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
		nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, f->set);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, f->set_id);
	}
	if (expr_add(r, e))
		goto out;

	e = nftnl_expr_alloc("objref");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE,
				   NFT_OBJECT_COUNTER);
		nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME,
				   VIP_GUARD_COUNTER);
	}
	if (expr_add(r, e))
		goto out;

	e = nftnl_expr_alloc("immediate");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_DROP);
	}
	if (expr_add(r, e))
		goto out;

	nlh = hdr(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
	if (!nlh)
		goto out;
	nftnl_rule_nlmsg_build_payload(nlh, r);
	added(b, f->make_rule);
	err = 0;
out:
	nftnl_rule_free(r);
	return err;
}

static int put_batch_edge(struct vip_guard_batch *b, bool begin)
{
	char *p = room(b);

	if (!p)
		return -ENOMEM;
	if (begin)
		nftnl_batch_begin(p, next_seq(b));
	else
		nftnl_batch_end(p, next_seq(b));
	added(b, begin ? "starting the transaction" :
			 "committing the transaction");
	return 0;
}

void vip_guard_batch_free(struct vip_guard_batch *b)
{
	free(b->buf);
	free(b->what);
	memset(b, 0, sizeof(*b));
}

int vip_guard_build(const struct vip_guard_set *s, uint32_t seq,
		    bool recreate, struct vip_guard_batch *b)
{
	const struct vip_vec *vv[2] = { &s->v4, &s->v6 };
	int err, i, c;

	memset(b, 0, sizeof(*b));
	b->seq = seq;
	err = put_batch_edge(b, true);
	if (err)
		goto fail;
	if (!vip_guard_set_count(s)) {
		err = put_table(b, true);
		if (err)
			goto fail;
		b->n_head = b->n;
		err = put_batch_edge(b, false);
		if (err)
			goto fail;
		return 0;
	}
	if (recreate) {
		err = put_table(b, true);
		if (err)
			goto fail;
	}
	err = put_table(b, false);
	b->n_head = b->n;
	for (i = 0; !err && i < 2; i++)
		err = put_set(b, &fams[i]);
	if (!err)
		err = put_counter(b);
	for (c = 0; !err && c < 2; c++) {
		err = put_chain(b, c);
		if (!err)
			err = flush_chain(b, c);
		for (i = 0; !err && i < 2; i++)
			err = put_rule(b, c, &fams[i]);
	}
	for (i = 0; !err && i < 2; i++) {
		err = flush_set(b, &fams[i]);
		if (!err)
			err = fill_set(b, &fams[i], vv[i]);
	}
	if (!err)
		err = put_batch_edge(b, false);
	if (!err)
		return 0;
fail:
	vip_guard_batch_free(b);
	return err;
}

/* ---- talking to nf_tables ---- */

bool vip_guard_errno_unavailable(int err)
{
	if (err < 0)
		err = -err;
	/* No NETLINK_NETFILTER, no nf_tables subsystem (not built, not
	 * loadable), no inet family.
	 */
	return err == EPROTONOSUPPORT || err == EOPNOTSUPP ||
	       err == EAFNOSUPPORT;
}

static struct mnl_socket *sock_open(struct vip_err *e, int *errp)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	int one = 1;

	if (!nl) {
		*errp = -errno;
		vip_errf(e, "cannot open a netfilter netlink socket: %s",
			 strerror(errno));
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		*errp = -errno;
		vip_errf(e, "cannot bind a netfilter netlink socket: %s",
			 strerror(errno));
		mnl_socket_close(nl);
		return NULL;
	}
	/* Answers without the request copied back; errors with text. */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	*errp = 0;
	return nl;
}

/*
 * Sends the batch and collects its answers. Returns 0 or the first
 * refusal as -errno, e saying which step and why, *unavailable whether
 * it means that there is no nf_tables to talk to.
 */
static int talk(struct mnl_socket *nl, const struct vip_guard_batch *b,
		struct vip_err *e, bool *unavailable)
{
	size_t bufsz = 65536;
	char *buf = malloc(bufsz);
	unsigned int want = b->n - 2, got = 0, bad_idx = 0;
	int fd = mnl_socket_get_fd(nl), err = 0;
	char text[256] = "";

	if (!buf)
		return vip_errf(e, "%s", strerror(ENOMEM)), -ENOMEM;
	if (mnl_socket_sendto(nl, b->buf, b->len) < 0) {
		err = -errno;
		vip_errf(e, "cannot send to nf_tables: %s", strerror(errno));
		goto out;
	}
	while (got < want) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct nlmsghdr *nlh;
		ssize_t n;
		int len;

		n = poll(&p, 1, 2000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* no more answers: judged below */
		n = recv(fd, buf, bufsz, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (!err) {
				err = -errno;
				vip_errf(e, "cannot read from nf_tables: %s",
					 strerror(errno));
			}
			break;
		}
		len = (int)n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			char msg[256];
			uint32_t idx = nlh->nlmsg_seq - b->seq;
			int r;

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			r = vip_nl_parse_status(nlh, msg, sizeof(msg));
			got++;
			if (r && !err) {
				err = r;
				bad_idx = idx;
				vip_strlcpy(text, msg, sizeof(text));
			}
			/* The batch itself refused: nothing else comes. */
			if (r && idx == 0)
				got = want;
		}
	}
	/* Only the batch as a whole (no nf_tables subsystem) or the table
	 * (no inet family) tell so: EOPNOTSUPP from a chain, say, is a
	 * refusal of that chain.
	 */
	*unavailable = err && vip_guard_errno_unavailable(err) &&
		       bad_idx < b->n_head;
	if (!err && got < want) {
		err = -ETIMEDOUT;
		vip_errf(e, "nf_tables answered %u of %u messages", got, want);
	} else if (err && !e->msg[0]) {
		vip_errf(e, "nf_tables refused %s: %s",
			 bad_idx < b->n ? b->what[bad_idx] : "the batch",
			 text[0] ? text : strerror(-err));
	}
out:
	free(buf);
	return err;
}

enum vip_guard_status vip_guard_apply(const struct vip_guard_set *s,
				      struct vip_err *e)
{
	struct vip_guard_batch b;
	struct mnl_socket *nl;
	uint32_t seq = (uint32_t)time(NULL) << 8;
	bool unavailable = false;
	int err;

	e->msg[0] = '\0';
	nl = sock_open(e, &err);
	if (!nl)
		return vip_guard_errno_unavailable(err) ? VIP_GUARD_UNAVAILABLE :
							 VIP_GUARD_FAILED;
	err = vip_guard_build(s, seq, false, &b);
	if (err) {
		vip_errf(e, "%s", strerror(-err));
		goto out;
	}
	err = talk(nl, &b, e, &unavailable);
	vip_guard_batch_free(&b);

	/* Nothing to delete is what was wanted. */
	if (err == -ENOENT && !vip_guard_set_count(s)) {
		err = 0;
		goto out;
	}
	if (!err || unavailable || err == -EPERM || err == -ENOMEM ||
	    err == -ENOBUFS || err == -ETIMEDOUT || !vip_guard_set_count(s))
		goto out;

	/* The table is there but refuses our layout (a chain or set changed
	 * by hand): delete it and build it again in one transaction; the
	 * counter starts again from zero. The first refusal stays in e.
	 */
	{
		struct vip_err e2;
		bool u2;

		e2.msg[0] = '\0';
		err = vip_guard_build(s, seq + 0x80, true, &b);
		if (err)
			goto out;
		err = talk(nl, &b, &e2, &u2);
		vip_guard_batch_free(&b);
	}
out:
	mnl_socket_close(nl);
	if (!err) {
		e->msg[0] = '\0';
		return VIP_GUARD_OK;
	}
	return unavailable ? VIP_GUARD_UNAVAILABLE : VIP_GUARD_FAILED;
}

/* ---- reading ---- */

void vip_guard_state_init(struct vip_guard_state *st)
{
	memset(st, 0, sizeof(*st));
	vip_guard_set_init(&st->set);
}

void vip_guard_state_free(struct vip_guard_state *st)
{
	vip_guard_set_free(&st->set);
}

/* One request (msg built in buf), answers to cb. Returns 0 or -errno. */
static int query(struct mnl_socket *nl, struct nlmsghdr *nlh,
		 mnl_cb_t cb, void *arg)
{
	uint32_t portid = mnl_socket_get_portid(nl);
	uint32_t seq = nlh->nlmsg_seq;
	size_t bufsz = 65536;	/* a whole dump datagram, whatever its size */
	char *buf = malloc(bufsz);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, bufsz);
		int r;

		if (n < 0) {
			err = -errno;
			break;
		}
		errno = 0;
		r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, arg);
		if (r < 0) {
			err = errno ? -errno : -EIO;
			break;
		}
		if (r == MNL_CB_STOP)
			break;
	}
out:
	free(buf);
	return err;
}

static int obj_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct vip_guard_state *st = arg;
	struct nftnl_obj *o = nftnl_obj_alloc();

	if (!o)
		return MNL_CB_ERROR;
	if (!nftnl_obj_nlmsg_parse(nlh, o)) {
		st->has_counter = true;
		st->packets = nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_PKTS);
		st->bytes = nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_BYTES);
	}
	nftnl_obj_free(o);
	return MNL_CB_OK;
}

static int elems_cb(const struct nlmsghdr *nlh, void *arg)
{
	return nftnl_set_elems_nlmsg_parse(nlh, arg) < 0 ? MNL_CB_ERROR :
							    MNL_CB_OK;
}

static int read_set(struct mnl_socket *nl, const struct fam *f,
		    struct vip_guard_set *out, uint32_t seq)
{
	char buf[REQ_SIZE];
	struct nftnl_set *s = set_new(f);
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *el;
	struct nlmsghdr *nlh;
	int err;

	if (!s)
		return -ENOMEM;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, NFPROTO_INET,
				    NLM_F_DUMP | NLM_F_ACK, seq);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	err = query(nl, nlh, elems_cb, s);
	if (err)
		goto out;
	it = nftnl_set_elems_iter_create(s);
	if (!it) {
		err = -ENOMEM;
		goto out;
	}
	for (el = nftnl_set_elems_iter_next(it); el && !err;
	     el = nftnl_set_elems_iter_next(it)) {
		struct vip_addr a = { 0 };
		uint32_t len = 0;
		const void *key = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY,
						     &len);

		if (!key || len != f->key_len)
			continue;
		a.family = f->nfproto == NFPROTO_IPV4 ? AF_INET : AF_INET6;
		memcpy(&a.u, key, len);
		err = vip_guard_set_add(out, &a);
	}
	nftnl_set_elems_iter_destroy(it);
out:
	nftnl_set_free(s);
	return err;
}

int vip_guard_read(struct vip_guard_state *st, bool counter_only,
		   struct vip_err *e)
{
	char buf[REQ_SIZE];
	uint32_t seq = (uint32_t)time(NULL) << 8;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	int err, i;

	e->msg[0] = '\0';
	nl = sock_open(e, &err);
	if (!nl)
		return -1;

	if (!counter_only) {
		struct nftnl_table *t = nftnl_table_alloc();

		if (!t) {
			err = -ENOMEM;
			goto fail;
		}
		nftnl_table_set_str(t, NFTNL_TABLE_NAME, VIP_GUARD_TABLE);
		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, NFPROTO_INET,
					    NLM_F_ACK, seq++);
		nftnl_table_nlmsg_build_payload(nlh, t);
		nftnl_table_free(t);
		err = query(nl, nlh, NULL, NULL);
		if (err == -ENOENT)
			goto absent;
		if (err)
			goto fail;
		st->present = true;
	}

	{
		struct nftnl_obj *o = nftnl_obj_alloc();

		if (!o) {
			err = -ENOMEM;
			goto fail;
		}
		nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, VIP_GUARD_TABLE);
		nftnl_obj_set_str(o, NFTNL_OBJ_NAME, VIP_GUARD_COUNTER);
		nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETOBJ, NFPROTO_INET,
					    NLM_F_ACK, seq++);
		nftnl_obj_nlmsg_build_payload(nlh, o);
		nftnl_obj_free(o);
		err = query(nl, nlh, obj_cb, st);
		if (err == -ENOENT)
			err = 0;	/* no table, or no counter */
		if (err)
			goto fail;
		if (counter_only)
			st->present = st->has_counter;
	}

	for (i = 0; !counter_only && i < 2; i++) {
		err = read_set(nl, &fams[i], &st->set, seq++);
		if (err == -ENOENT)
			err = 0;	/* a set deleted by hand: drift */
		if (err)
			goto fail;
	}
absent:
	mnl_socket_close(nl);
	return 0;
fail:
	vip_errf(e, "cannot read table inet %s: %s", VIP_GUARD_TABLE,
		 strerror(-err));
	mnl_socket_close(nl);
	return -1;
}
