// SPDX-License-Identifier: GPL-2.0
/*
 * Half-open TCP probes: a SYN from a raw socket, and the backend's answer
 * read back from the same raw socket. A SYN-ACK means a listener is
 * there; an RST means the port is closed; silence until the timeout is a
 * failure. Nothing is ever connected: our own kernel has no socket for
 * the SYN-ACK's destination port and answers it with an RST, so the
 * backend drops its half-open connection at once.
 *
 * Why: a connect() probe costs a socket, a three-way handshake, an RST
 * and their system calls per probe, nearly all of it kernel work; a SYN
 * probe is a share of one sendmmsg(), and its answer the reading of a
 * record that an eBPF filter put in a ring (probe_ring.c). Without eBPF,
 * or when the ring is full, a classic BPF filter picks the answers out
 * and they are read with recvmmsg().
 *
 * SYNs are queued by probe_syn_start() and sent together by
 * probe_syn_flush(), which the loop calls after each pass over what is
 * due (at most SYN_TX_BATCH wait: a full batch goes out at once). A SYN
 * that cannot be sent finishes its probe there; flush hands such probes
 * back, since the loop must not judge them in the middle of its pass.
 *
 * The source ports come from a small reserved block: each is bound (not
 * listening) by one TCP socket of ours, so no local connect() can be
 * given the same port and see our SYN-ACKs, and a SYN-ACK to it still
 * finds no socket and gets the RST. A probe is found again by (backend
 * address, backend port, our port); the acknowledgment number must be
 * our random initial sequence number + 1, so late answers to an older
 * probe on the same ports are ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <netinet/tcp.h>	/* TH_SYN, TH_ACK, ... */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "lib/util.h"
#include "probe.h"

#define SYN_PORTS	64
#define SYN_BUCKETS_MIN	256	/* powers of two */
#define SYN_BUCKETS_MAX	65536
#define SYN_PORT_FIRST	32768
#define SYN_PORT_LAST	60999

#define SYN_IP4_HDR	20	/* IPv4 header, no options */
#define SYN_SEG		24	/* our SYN: TCP header and an MSS option */

#define SYN_RX_BATCH	64
#define SYN_RX_LEN	128	/* of an answer only the headers matter */
#define SYN_TX_BATCH	64

/* SYNs queued for the next sendmmsg(); a slot whose probe was forgotten
 * meanwhile has r[i] == NULL and is skipped.
 */
struct syn_tx {
	uint8_t pkt[SYN_TX_BATCH][SYN_IP4_HDR + SYN_SEG];
	struct sockaddr_in6 to[SYN_TX_BATCH];	/* or a sockaddr_in */
	struct probe_run *r[SYN_TX_BATCH];
	int n;
};

/* Answers read by the last recvmmsg(). */
struct syn_rx {
	uint8_t buf[SYN_RX_BATCH][SYN_RX_LEN];
	struct sockaddr_storage from[SYN_RX_BATCH];
	struct iovec iov[SYN_RX_BATCH];
	struct mmsghdr h[SYN_RX_BATCH];
	int n;
};

/* An answer as read: who sent it, its TCP header, and the hash bucket
 * its probe would be in (set by syn_answers(), which hashes once).
 */
struct syn_pkt {
	struct vip_addr from;
	const uint8_t *th;
	struct probe_run **bucket;
};

struct probe_syn {
	int fd[2];		/* raw IPPROTO_TCP: [0] IPv4, [1] IPv6 */
	int udp[2];		/* route lookups: our source address */
	int resv[SYN_PORTS];	/* the sockets that reserve our ports */
	uint16_t port[SYN_PORTS];
	size_t nports, next;
	uint16_t lo, hi;	/* every reserved port is in lo..hi */
	uint64_t rnd;
	struct syn_rx rx[2];	/* [0] IPv4, [1] IPv6 */
	struct probe_ring *ring[2];
	char ring_off[160];	/* why a family has no ring */
	uint64_t ring_answers, socket_answers;
	struct syn_tx tx[2];
	/* Probes whose SYN could not be sent, for probe_syn_flush() to
	 * hand back; chained by snext, phase PROBE_IDLE, syn still set.
	 */
	struct probe_run *unsent;
	/* Probes in flight by key, chained by snext. The table grows with
	 * what is in flight at once (a few hundred at ten thousand probes
	 * a second, when backends answer), not with the backends: a small
	 * table stays in the CPU's cache, where one sized for every backend
	 * cost a cache miss per lookup, two per probe.
	 */
	struct probe_run **hash;
	size_t nbuckets, hashed;
};

static uint32_t syn_rnd(struct probe_syn *e)
{
	e->rnd ^= e->rnd >> 12;
	e->rnd ^= e->rnd << 25;
	e->rnd ^= e->rnd >> 27;
	return (uint32_t)((e->rnd * 2685821657736338717ULL) >> 32);
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? sizeof(struct in6_addr) :
	       sizeof(struct in_addr);
}

static struct probe_run **syn_bucket(struct probe_syn *e,
				     const struct vip_addr *a, uint16_t dport,
				     uint16_t sport)
{
	const unsigned char *c = (const unsigned char *)&a->u;
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < addr_len(a->family); i++)
		h = (h ^ c[i]) * 16777619u;
	h = (h ^ dport) * 16777619u;
	h = (h ^ sport) * 16777619u;
	return &e->hash[(h ^ (h >> 15)) & (e->nbuckets - 1)];
}

/* Puts r at the head of its bucket's chain. */
static void syn_push(struct probe_syn *e, struct probe_run *r)
{
	struct probe_run **b = syn_bucket(e, &r->addr, r->dport, r->sport);

	r->snext = *b;
	*b = r;
}

/* Doubles the table; without the memory the chains just grow longer. */
static void syn_grow(struct probe_syn *e)
{
	struct probe_run **old = e->hash, *r;
	size_t i, n = e->nbuckets;

	if (n >= SYN_BUCKETS_MAX)
		return;
	e->hash = calloc(2 * n, sizeof(*e->hash));
	if (!e->hash) {
		e->hash = old;
		return;
	}
	e->nbuckets = 2 * n;
	for (i = 0; i < n; i++)
		while ((r = old[i])) {
			old[i] = r->snext;
			syn_push(e, r);
		}
	free(old);
}

static void syn_hash(struct probe_syn *e, struct probe_run *r)
{
	if (++e->hashed > e->nbuckets)
		syn_grow(e);
	syn_push(e, r);
}

/* The probe of that key in the chain that starts at r, or NULL. */
static struct probe_run *syn_chain_find(struct probe_run *r,
					const struct vip_addr *a,
					uint16_t dport, uint16_t sport)
{
	for (; r; r = r->snext)
		if (r->sport == sport && r->dport == dport &&
		    vip_addr_equal(&r->addr, a))
			return r;
	return NULL;
}

static struct probe_run *syn_find(struct probe_syn *e,
				  const struct vip_addr *a, uint16_t dport,
				  uint16_t sport)
{
	return syn_chain_find(*syn_bucket(e, a, dport, sport), a, dport, sport);
}

/* Takes r out of the hash and, if its SYN still waits, out of the batch. */
static void syn_unhash(struct probe_syn *e, struct probe_run *r)
{
	struct syn_tx *q = &e->tx[r->addr.family == AF_INET6];
	struct probe_run **b;
	int i;

	for (b = syn_bucket(e, &r->addr, r->dport, r->sport); *b;
	     b = &(*b)->snext)
		if (*b == r) {
			*b = r->snext;
			e->hashed--;
			break;
		}
	for (i = 0; i < q->n; i++)
		if (q->r[i] == r)
			q->r[i] = NULL;
}

void probe_syn_forget(struct probe_run *r)
{
	struct probe_syn *e = r->syn;
	struct probe_run **u;

	if (!e)
		return;
	if (r->phase == PROBE_SYN_SENT) {
		syn_unhash(e, r);
	} else {
		for (u = &e->unsent; *u; u = &(*u)->snext)
			if (*u == r) {
				*u = r->snext;
				break;
			}
	}
	r->snext = NULL;
	r->syn = NULL;
}

/*
 * Only SYN-ACKs and RSTs to a port in lo..hi reach us: every other TCP
 * packet of the namespace is dropped in the kernel. For IPv4 the raw
 * socket sees the IP header (its length in X); for IPv6 the TCP header
 * comes first.
 */
static int attach_filter(int fd, bool v6, uint16_t lo, uint16_t hi)
{
	struct sock_filter f4[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),		/* dport */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, lo, 0, 6),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, hi, 5, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 13),		/* flags */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, TH_RST, 2, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, TH_SYN | TH_ACK),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TH_SYN | TH_ACK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 256),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter f6[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 2),		/* dport */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, lo, 0, 6),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, hi, 5, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 13),		/* flags */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, TH_RST, 2, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, TH_SYN | TH_ACK),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TH_SYN | TH_ACK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 256),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog;

	if (v6) {
		prog.len = VIP_ARRAY_SIZE(f6);
		prog.filter = f6;
	} else {
		prog.len = VIP_ARRAY_SIZE(f4);
		prog.filter = f4;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog));
}

/* Binds one TCP socket to port (dual stack when IPv6 is there). */
static int reserve(uint16_t port)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct sockaddr_in s4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int off = 0, fd;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
			       sizeof(off)) == 0 &&
		    bind(fd, (struct sockaddr *)&s6, sizeof(s6)) == 0)
			return fd;
		close(fd);
		if (errno != EAFNOSUPPORT && errno != EADDRNOTAVAIL)
			return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&s4, sizeof(s4)) == 0)
		return fd;
	close(fd);
	return -1;
}

static int raw_socket(int family)
{
	int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			IPPROTO_TCP);
	int size = 4 << 20, one = 1;

	if (fd < 0)
		return -1;
	/* IPv4 SYNs carry our own IP header: the kernel then skips
	 * building one (ip_append_data()), a third of its cost per SYN.
	 */
	if (family == AF_INET &&
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) {
		close(fd);
		return -1;
	}
	/* Bursts of answers must not overflow the queue: a lost SYN-ACK
	 * would be a false failure. The forced size needs CAP_NET_ADMIN.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return fd;
}

static void drain(int fd)
{
	char buf[64];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

/*
 * The eBPF ring replaces the classic filter when the kernel allows it;
 * the first reason it did not is kept for the log.
 */
static void open_ring(struct probe_syn *e, int fam, size_t ring_bytes)
{
	char why[sizeof(e->ring_off)];

	if (!ring_bytes) {
		snprintf(e->ring_off, sizeof(e->ring_off), "turned off");
		return;
	}
	e->ring[fam] = probe_ring_open(e->fd[fam], fam, e->lo, e->hi,
				       ring_bytes, why, sizeof(why));
	if (!e->ring[fam] && !e->ring_off[0])
		vip_strlcpy(e->ring_off, why, sizeof(e->ring_off));
}

struct probe_syn *probe_syn_open(size_t ring_bytes, char *err, size_t errsize)
{
	struct probe_syn *e = calloc(1, sizeof(*e));
	uint32_t base;
	size_t i;
	int fam;

	if (!e) {
		snprintf(err, errsize, "%s", strerror(ENOMEM));
		return NULL;
	}
	e->fd[0] = e->fd[1] = e->udp[0] = e->udp[1] = -1;
	e->nbuckets = SYN_BUCKETS_MIN;
	e->hash = calloc(e->nbuckets, sizeof(*e->hash));
	if (!e->hash) {
		snprintf(err, errsize, "%s", strerror(ENOMEM));
		goto err_free;
	}
	if (getrandom(&e->rnd, sizeof(e->rnd), 0) != sizeof(e->rnd))
		e->rnd = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL;
	e->rnd |= 1;

	/* A block of ports from a random place in the ephemeral range;
	 * a port that is taken is skipped.
	 */
	base = SYN_PORT_FIRST + syn_rnd(e) %
	       (SYN_PORT_LAST - SYN_PORT_FIRST + 1 - 4 * SYN_PORTS);
	for (i = 0; i < 4 * SYN_PORTS && e->nports < SYN_PORTS; i++) {
		int fd = reserve((uint16_t)(base + i));

		if (fd < 0) {
			if (errno == EADDRINUSE)
				continue;
			snprintf(err, errsize, "reserving port %u: %s",
				 (unsigned int)(base + i), strerror(errno));
			goto err_free;
		}
		if (!e->nports)
			e->lo = (uint16_t)(base + i);
		e->hi = (uint16_t)(base + i);
		e->resv[e->nports] = fd;
		e->port[e->nports++] = (uint16_t)(base + i);
	}
	if (!e->nports) {
		snprintf(err, errsize, "no free port in %u-%u", base,
			 base + 4 * SYN_PORTS - 1);
		goto err_free;
	}

	for (fam = 0; fam < 2; fam++) {
		int family = fam ? AF_INET6 : AF_INET;

		e->fd[fam] = raw_socket(family);
		if (e->fd[fam] < 0) {
			/* A kernel without IPv6 only loses IPv6 probes. */
			if (fam && errno == EAFNOSUPPORT)
				continue;
			snprintf(err, errsize, "raw socket: %s%s",
				 strerror(errno), errno == EPERM ?
				 " (needs CAP_NET_RAW)" : "");
			goto err_free;
		}
		if (attach_filter(e->fd[fam], fam, e->lo, e->hi)) {
			snprintf(err, errsize, "filter: %s", strerror(errno));
			goto err_free;
		}
		/* What arrived before the filter was on. */
		drain(e->fd[fam]);
		open_ring(e, fam, ring_bytes);
		e->udp[fam] = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (e->udp[fam] < 0) {
			snprintf(err, errsize, "socket: %s", strerror(errno));
			goto err_free;
		}
	}
	return e;

err_free:
	probe_syn_close(e);
	return NULL;
}

void probe_syn_close(struct probe_syn *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; e->hash && i < e->nbuckets; i++)
		while (e->hash[i])
			probe_syn_forget(e->hash[i]);
	while (e->unsent)
		probe_syn_forget(e->unsent);
	for (i = 0; i < 2; i++) {
		probe_ring_close(e->ring[i]);
		if (e->fd[i] >= 0)
			close(e->fd[i]);
		if (e->udp[i] >= 0)
			close(e->udp[i]);
	}
	for (i = 0; i < e->nports; i++)
		close(e->resv[i]);
	free(e->hash);
	free(e);
}

int probe_syn_fd(const struct probe_syn *e, int family)
{
	return e->fd[family == AF_INET6];
}

int probe_syn_ring_fd(const struct probe_syn *e, int family)
{
	return probe_ring_fd(e->ring[family == AF_INET6]);
}

void probe_syn_info(const struct probe_syn *e, struct probe_syn_info *i)
{
	i->ring_answers = e->ring_answers;
	i->socket_answers = e->socket_answers;
	i->ring_off = e->ring_off[0] ? e->ring_off : NULL;
}

static uint32_t sum16(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (; len > 1; len -= 2, b += 2)
		sum += (uint32_t)(b[0] << 8 | b[1]);
	if (len)
		sum += (uint32_t)b[0] << 8;
	return sum;
}

/* The TCP checksum over the pseudo header of src -> dst and seg. */
uint16_t probe_tcp_csum(const struct vip_addr *src, const struct vip_addr *dst,
			const void *seg, size_t len)
{
	uint32_t sum = 0;

	sum = sum16(sum, &src->u, addr_len(src->family));
	sum = sum16(sum, &dst->u, addr_len(dst->family));
	sum += IPPROTO_TCP + (uint32_t)len;	/* both families alike */
	sum = sum16(sum, seg, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static int syn_finish(struct probe_run *r, bool ok, const char *detail)
{
	probe_syn_forget(r);
	r->ok = ok;
	vip_strlcpy(r->detail, detail, sizeof(r->detail));
	r->phase = PROBE_IDLE;
	return 1;
}

static void syn_tx_send(struct probe_syn *e, int fam);

/*
 * Our address towards the backend, for the checksum's pseudo header: a
 * route lookup (connect() of a UDP socket sends nothing), kept in @r and
 * reused while probes succeed, for at most PROBE_SRC_REUSE probes, so a
 * probe costs one sendto() and one recv() instead of four system calls.
 * A failed probe looks again: a route change may be why it failed.
 * Returns 0, or with r->detail set 1 when there is no route (a failed
 * probe) and -1 on a local error (no verdict).
 */
static int syn_source(struct probe_syn *e, struct probe_run *r,
		       const struct probe_spec *spec,
		       const struct vip_addr *addr,
		       struct sockaddr_storage *ss, socklen_t slen)
{
	int fam = addr->family == AF_INET6;
	struct sockaddr_storage me;
	socklen_t alen = sizeof(me);

	if (r->ok && r->src_uses && r->src_uses < PROBE_SRC_REUSE &&
	    r->src.family == addr->family && vip_addr_equal(&r->addr, addr)) {
		r->src_uses++;
		return 0;
	}
	r->src_uses = 0;
	/* The UDP socket needs a port; the raw socket below none. */
	((struct sockaddr_in *)ss)->sin_port = htons(spec->port);
	if (connect(e->udp[fam], (struct sockaddr *)ss, slen) < 0) {
		snprintf(r->detail, sizeof(r->detail), "connect: %s",
			 strerror(errno));
		return 1;
	}
	if (getsockname(e->udp[fam], (struct sockaddr *)&me, &alen) < 0) {
		snprintf(r->detail, sizeof(r->detail), "getsockname: %s",
			 strerror(errno));
		return -1;
	}
	memset(&r->src, 0, sizeof(r->src));
	r->src.family = addr->family;
	if (fam)
		r->src.u.v6 = ((struct sockaddr_in6 *)&me)->sin6_addr;
	else
		r->src.u.v4 = ((struct sockaddr_in *)&me)->sin_addr;
	r->src_uses = 1;
	return 0;
}

int probe_syn_start(struct probe_syn *e, struct probe_run *r,
		    const struct probe_spec *spec, const struct vip_addr *addr)
{
	int fam = addr->family == AF_INET6;
	struct sockaddr_storage ss;
	socklen_t slen;
	struct syn_tx *q;
	uint8_t *pkt, *seg;
	size_t tries;

	memset(&ss, 0, sizeof(ss));
	probe_syn_forget(r);
	r->fd = -1;
	r->phase = PROBE_IDLE;
	r->detail[0] = '\0';
	r->local_error = false;
	if (e->fd[fam] < 0)
		return syn_finish(r, false, "connect: Address family not supported by protocol");
	if (fam) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = addr->u.v6;
		slen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = addr->u.v4;
		slen = sizeof(*s4);
	}

	switch (syn_source(e, r, spec, addr, &ss, slen)) {
	case 0:
		break;
	case 1:
		r->ok = false;
		return 1;	/* r->detail says why */
	default:
		return -1;
	}
	/* Raw sockets take no port (IPv6 insists on 0). */
	((struct sockaddr_in *)&ss)->sin_port = 0;

	r->addr = *addr;
	r->dport = spec->port;
	/* The next reserved port this backend has no probe on already. */
	for (tries = 0; tries < e->nports; tries++) {
		r->sport = e->port[e->next++ % e->nports];
		if (!syn_find(e, addr, r->dport, r->sport))
			break;
	}
	if (tries == e->nports) {
		snprintf(r->detail, sizeof(r->detail),
			 "every source port busy towards this backend");
		return -1;
	}
	r->isn = syn_rnd(e);

	/* A full batch goes out first; what it could not send waits on
	 * e->unsent for probe_syn_flush().
	 */
	q = &e->tx[fam];
	if (q->n == SYN_TX_BATCH)
		syn_tx_send(e, fam);
	pkt = q->pkt[q->n];
	memset(pkt, 0, sizeof(q->pkt[0]));
	if (!fam) {
		/* IPv4: our own header (IP_HDRINCL). The kernel fills in
		 * the total length and the header checksum; a non-zero ID
		 * spares it choosing one.
		 */
		pkt[0] = 0x45;
		put16(pkt + 4, (uint16_t)(r->isn >> 16) | 1);
		put16(pkt + 6, 0x4000);		/* DF */
		pkt[8] = 64;			/* TTL */
		pkt[9] = IPPROTO_TCP;
		memcpy(pkt + 12, &r->src.u.v4, 4);
		memcpy(pkt + 16, &addr->u.v4, 4);
		seg = pkt + SYN_IP4_HDR;
	} else {
		seg = pkt;
	}
	put16(seg, r->sport);
	put16(seg + 2, r->dport);
	put32(seg + 4, r->isn);
	seg[12] = (SYN_SEG / 4) << 4;		/* data offset */
	seg[13] = TH_SYN;
	put16(seg + 14, 64240);			/* window */
	seg[20] = 2;				/* MSS option */
	seg[21] = 4;
	put16(seg + 22, fam ? 1440 : 1460);
	put16(seg + 16, probe_tcp_csum(&r->src, addr, seg, SYN_SEG));
	memcpy(&q->to[q->n], &ss, slen);
	q->r[q->n++] = r;

	r->syn = e;
	syn_hash(e, r);
	r->phase = PROBE_SYN_SENT;
	return 0;
}

/*
 * A SYN that could not be sent ends its probe: a failure like connect()'s
 * (no route, unreachable), or with r->local_error no verdict at all when
 * our own side was short (buffers, memory).
 */
static void syn_unsendable(struct probe_syn *e, struct probe_run *r, int err)
{
	syn_unhash(e, r);
	r->phase = PROBE_IDLE;
	r->ok = false;
	r->local_error = err == ENOBUFS || err == ENOMEM || err == EAGAIN;
	snprintf(r->detail, sizeof(r->detail), "%s: %s",
		 r->local_error ? "send" : "connect", strerror(err));
	r->snext = e->unsent;
	e->unsent = r;
}

/*
 * Sends family's queued SYNs with as few sendmmsg() calls as the kernel
 * lets us: it stops at a message it cannot send, which the next call
 * then reports as its error.
 */
static void syn_tx_send(struct probe_syn *e, int fam)
{
	struct syn_tx *q = &e->tx[fam];
	struct mmsghdr h[SYN_TX_BATCH];
	struct iovec iov[SYN_TX_BATCH];
	struct probe_run *r[SYN_TX_BATCH];
	int i, n = 0, done = 0, got;

	for (i = 0; i < q->n; i++) {
		if (!q->r[i])
			continue;	/* forgotten while queued */
		iov[n].iov_base = q->pkt[i];
		iov[n].iov_len = fam ? SYN_SEG : SYN_IP4_HDR + SYN_SEG;
		memset(&h[n], 0, sizeof(h[n]));
		h[n].msg_hdr.msg_name = &q->to[i];
		h[n].msg_hdr.msg_namelen = fam ? sizeof(struct sockaddr_in6) :
					   sizeof(struct sockaddr_in);
		h[n].msg_hdr.msg_iov = &iov[n];
		h[n].msg_hdr.msg_iovlen = 1;
		r[n++] = q->r[i];
	}
	q->n = 0;
	while (done < n) {
		got = sendmmsg(e->fd[fam], h + done, (unsigned int)(n - done), 0);
		if (got > 0) {
			done += got;
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		/* (0 cannot happen with messages to send: never loop on it.) */
		syn_unsendable(e, r[done], got < 0 ? errno : EIO);
		done++;
	}
}

struct probe_run *probe_syn_flush(struct probe_syn *e)
{
	struct probe_run *u, *r;
	int fam;

	for (fam = 0; fam < 2; fam++)
		if (e->tx[fam].n)
			syn_tx_send(e, fam);
	u = e->unsent;
	e->unsent = NULL;
	for (r = u; r; r = r->snext)
		r->syn = NULL;
	return u;
}

/*
 * Fills family's receive batch with one recvmmsg(): at ten thousand
 * probes a second a tick of the loop finds about a hundred answers.
 * Returns false when nothing was waiting.
 */
static bool syn_rx_fill(struct probe_syn *e, int fam)
{
	struct syn_rx *q = &e->rx[fam];
	int i, n;

	for (i = 0; i < SYN_RX_BATCH; i++) {
		q->iov[i].iov_base = q->buf[i];
		q->iov[i].iov_len = sizeof(q->buf[i]);
		memset(&q->h[i], 0, sizeof(q->h[i]));
		q->h[i].msg_hdr.msg_iov = &q->iov[i];
		q->h[i].msg_hdr.msg_iovlen = 1;
		/* IPv4's sender is in the IP header we get anyway. */
		if (fam) {
			q->h[i].msg_hdr.msg_name = &q->from[i];
			q->h[i].msg_hdr.msg_namelen = sizeof(q->from[i]);
		}
	}
	q->n = 0;
	do {
		n = recvmmsg(e->fd[fam], q->h, SYN_RX_BATCH,
			     MSG_DONTWAIT | MSG_TRUNC, NULL);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return false;
	q->n = n;
	return true;
}

/* Takes the sender and the TCP header (20 bytes at least) of an answer. */
static bool syn_pkt_set(struct syn_pkt *p, int family, const void *from,
			const uint8_t *th, size_t tlen)
{
	if (tlen < 20)
		return false;
	memset(&p->from, 0, sizeof(p->from));
	p->from.family = (uint8_t)family;
	memcpy(&p->from.u, from, addr_len(family));
	p->th = th;
	return true;
}

/* An IPv4 packet from its IP header on: the socket's and the ring's. */
static bool syn_pkt4(struct syn_pkt *p, const uint8_t *buf, size_t n)
{
	size_t hl;

	if (n < 20 || (buf[0] >> 4) != 4)
		return false;
	hl = (size_t)(buf[0] & 0x0f) * 4;
	return n >= hl && syn_pkt_set(p, AF_INET, buf + 12, buf + hl, n - hl);
}

/* A ring record: the IP header (IPv6: the fixed one) and the TCP header. */
static bool syn_ring_pkt(struct syn_pkt *p, int family, const uint8_t *buf,
			 size_t n)
{
	if (family == AF_INET6)
		return n >= 40 &&
		       syn_pkt_set(p, family, buf + 8, buf + 40, n - 40);
	return syn_pkt4(p, buf, n);
}

/* The probe that an answer finishes, with its result; NULL for anything
 * else.
 */
static struct probe_run *syn_answer(const struct syn_pkt *p)
{
	struct probe_run *r;
	uint8_t flags = p->th[13];

	r = syn_chain_find(*p->bucket, &p->from, get16(p->th),
			   get16(p->th + 2));
	/* Only an answer to this very SYN: it acknowledges isn + 1. */
	if (!r || !(flags & TH_ACK) || get32(p->th + 8) != r->isn + 1)
		return NULL;
	if (flags & TH_RST)
		syn_finish(r, false, "connect: Connection refused");
	else if ((flags & (TH_SYN | TH_FIN)) == TH_SYN)
		syn_finish(r, true, "SYN-ACK");
	else
		return NULL;
	return r;
}

/*
 * Judges a batch of answers. At ten thousand backends the probe an
 * answer finishes is a cache miss: the batch's probes are fetched
 * together first, then judged. Returns those finished, chained by snext.
 */
static struct probe_run *syn_answers(struct probe_syn *e,
				     struct syn_pkt *p, size_t n)
{
	struct probe_run *done = NULL, **tail = &done, *r;
	size_t i;

	/* Judging adds nothing to the table, so the buckets stay put. */
	for (i = 0; i < n; i++) {
		p[i].bucket = syn_bucket(e, &p[i].from, get16(p[i].th),
					 get16(p[i].th + 2));
		r = *p[i].bucket;
		if (r)	/* prefetching NULL costs a page walk */
			__builtin_prefetch(r);
	}
	for (i = 0; i < n; i++) {
		r = syn_answer(&p[i]);
		if (r) {
			*tail = r;
			tail = &r->snext;
		}
	}
	*tail = NULL;
	return done;
}

struct probe_run *probe_syn_recv(struct probe_syn *e, int family, bool *again)
{
	int fam = family == AF_INET6;
	struct syn_rx *q = &e->rx[fam];
	uint8_t rec[SYN_RX_BATCH][SYN_RX_LEN];
	struct syn_pkt pk[SYN_RX_BATCH];
	size_t len, got = 0, n = 0;
	int i;

	*again = true;
	if (e->ring[fam]) {
		while (got < SYN_RX_BATCH &&
		       (len = probe_ring_read(e->ring[fam], rec[n],
					      sizeof(rec[n])))) {
			got++;
			n += syn_ring_pkt(&pk[n], family, rec[n], len);
		}
		e->ring_answers += got;
		if (got)
			return syn_answers(e, pk, n);
	}
	if (!syn_rx_fill(e, fam)) {
		*again = false;
		return NULL;
	}
	e->socket_answers += (uint64_t)q->n;
	for (i = 0; i < q->n; i++) {
		struct sockaddr_in6 *from = (struct sockaddr_in6 *)&q->from[i];
		/* Only the headers matter: a longer packet was cut short. */
		size_t plen = q->h[i].msg_len < sizeof(q->buf[i]) ?
			      q->h[i].msg_len : sizeof(q->buf[i]);

		if (!fam)
			n += syn_pkt4(&pk[n], q->buf[i], plen);
		else if (from->sin6_family == AF_INET6)
			n += syn_pkt_set(&pk[n], family, &from->sin6_addr,
					 q->buf[i], plen);
	}
	return syn_answers(e, pk, n);
}
