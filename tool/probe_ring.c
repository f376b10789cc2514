// SPDX-License-Identifier: GPL-2.0
/*
 * The answer ring of half-open probes: an eBPF socket filter on a raw
 * socket copies the headers of each SYN-ACK or RST to one of our ports
 * into a BPF ring buffer and drops the packet. vipprobe reads the ring
 * from shared memory; the packet is never queued on the socket.
 *
 * Why: read through the socket, an answer costs vipprobe a share of a
 * recvmmsg(), the copy of its message header, and the freeing of an skb
 * that another CPU allocated: a fifth of a probe's CPU at ten thousand
 * probes a second (docs/benchmarks.md). Through the ring it costs the
 * reading of 48 bytes, and the filter runs where the packet is received
 * anyway, in the kernel's receive path.
 *
 * Nothing is lost when the ring cannot take an answer: the filter then
 * lets the packet through to the socket, where probe_syn.c reads it as
 * it does without a ring. So do packets the filter does not understand
 * (IPv4 options, IPv6 extension headers, headers outside the linear
 * part of the packet). Without eBPF (an old kernel, no CAP_BPF or
 * CAP_SYS_ADMIN, a policy against it) probe_syn.c attaches its classic
 * filter instead and every answer comes through the socket.
 *
 * The program is a few dozen instructions, assembled here rather than
 * compiled, so that vipprobe needs no compiler for eBPF nor libbpf.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <netinet/tcp.h>	/* TH_SYN, TH_ACK, ... */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "lib/util.h"
#include "probe.h"

/* Bytes copied per answer: IPv4 20 + TCP 20, IPv6 40 + TCP 20. */
#define RING_HDRS4	40
#define RING_HDRS6	60
#define RING_STACK	64	/* the filter's copy, at r10 - RING_STACK */

/* What the filter returns for a packet the socket should get (cut to
 * this length, as probe_syn.c's classic filter does).
 */
#define RING_DELIVER	256

struct probe_ring {
	int map;		/* the BPF ring buffer */
	size_t size;		/* its data area, a power of two of pages */
	size_t page;
	uint64_t *consumer;	/* read-write page: our position */
	void *producer_map;	/* producer page, then the data twice */
	const uint64_t *producer;
	const uint8_t *data;
};

/* ---- a small eBPF assembler ---- */

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
			    .off = (o), .imm = (i) })
#define MOV_REG(d, s)	INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV_IMM(d, i)	INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD_IMM(d, i)	INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define AND_IMM(d, i)	INSN(BPF_ALU64 | BPF_AND | BPF_K, d, 0, 0, i)
#define BE16(d)		INSN(BPF_ALU | BPF_END | BPF_TO_BE, d, 0, 0, 16)
#define LOAD(sz, d, s, o) INSN(BPF_LDX | (sz) | BPF_MEM, d, s, o, 0)
#define JUMP(op, d, i, o) INSN(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define CALL(f)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT()		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Registers: r0 return value, r1-r5 arguments, r10 the frame pointer. */
enum { R0, R1, R2, R3, R4, R5, R10 = 10 };

/* Jumps are assembled with label numbers in .off and fixed up after. */
enum ring_label { L_KEEP = 1, L_DROP, L_DELIVER, L_COUNT };

struct ring_asm {
	struct bpf_insn insn[48];
	int n;
	int at[L_COUNT];	/* where each label is */
	int jump[L_COUNT * 4];	/* jumps to fix up */
	int njumps;
};

static void emit(struct ring_asm *a, struct bpf_insn i)
{
	a->insn[a->n++] = i;
}

static void emit_jump(struct ring_asm *a, int op, int reg, int32_t imm,
		      enum ring_label to)
{
	a->jump[a->njumps++] = a->n;
	emit(a, JUMP(op, reg, imm, (int16_t)to));
}

static void label(struct ring_asm *a, enum ring_label l)
{
	a->at[l] = a->n;
}

static void link_jumps(struct ring_asm *a)
{
	int i;

	for (i = 0; i < a->njumps; i++) {
		struct bpf_insn *j = &a->insn[a->jump[i]];

		j->off = (int16_t)(a->at[j->off] - a->jump[i] - 1);
	}
}

/*
 * The filter. It reads the headers relative to the network header, so
 * the same code serves both families (an IPv6 raw socket's packet starts
 * at the TCP header, an IPv4 one's at the IP header).
 */
static void assemble(struct ring_asm *a, bool v6, int map, uint16_t lo,
		     uint16_t hi)
{
	int hdrs = v6 ? RING_HDRS6 : RING_HDRS4;
	int th = -RING_STACK + (v6 ? 40 : 20);	/* the TCP header's copy */

	memset(a, 0, sizeof(*a));
	/* bpf_skb_load_bytes_relative(skb, 0, r10 - 64, hdrs, NET) */
	emit(a, MOV_IMM(R2, 0));
	emit(a, MOV_REG(R3, R10));
	emit(a, ADD_IMM(R3, -RING_STACK));
	emit(a, MOV_IMM(R4, hdrs));
	emit(a, MOV_IMM(R5, BPF_HDR_START_NET));
	emit(a, CALL(BPF_FUNC_skb_load_bytes_relative));
	emit_jump(a, BPF_JNE, R0, 0, L_DELIVER);
	if (v6) {
		emit(a, LOAD(BPF_B, R0, R10, -RING_STACK + 6));	/* next hdr */
		emit_jump(a, BPF_JNE, R0, IPPROTO_TCP, L_DELIVER);
	} else {
		emit(a, LOAD(BPF_B, R0, R10, -RING_STACK));	/* version, IHL */
		emit_jump(a, BPF_JNE, R0, 0x45, L_DELIVER);
	}
	/* Our ports only, and only a SYN-ACK or an RST: as the classic
	 * filter, the kernel drops everything else.
	 */
	emit(a, LOAD(BPF_H, R0, R10, th + 2));			/* dport */
	emit(a, BE16(R0));
	emit_jump(a, BPF_JLT, R0, lo, L_DROP);
	emit_jump(a, BPF_JGT, R0, hi, L_DROP);
	emit(a, LOAD(BPF_B, R0, R10, th + 13));		/* flags */
	emit(a, MOV_REG(R1, R0));
	emit(a, AND_IMM(R1, TH_RST));
	emit_jump(a, BPF_JNE, R1, 0, L_KEEP);
	emit(a, AND_IMM(R0, TH_SYN | TH_ACK));
	emit_jump(a, BPF_JNE, R0, TH_SYN | TH_ACK, L_DROP);
	label(a, L_KEEP);
	/* bpf_ringbuf_output(map, r10 - 64, hdrs, 0); full: to the socket */
	emit(a, INSN(BPF_LD | BPF_DW | BPF_IMM, R1, BPF_PSEUDO_MAP_FD, 0, map));
	emit(a, INSN(0, 0, 0, 0, 0));
	emit(a, MOV_REG(R2, R10));
	emit(a, ADD_IMM(R2, -RING_STACK));
	emit(a, MOV_IMM(R3, hdrs));
	emit(a, MOV_IMM(R4, 0));
	emit(a, CALL(BPF_FUNC_ringbuf_output));
	emit_jump(a, BPF_JNE, R0, 0, L_DELIVER);
	label(a, L_DROP);
	emit(a, MOV_IMM(R0, 0));
	emit(a, EXIT());
	label(a, L_DELIVER);
	emit(a, MOV_IMM(R0, RING_DELIVER));
	emit(a, EXIT());
	link_jumps(a);
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load_filter(bool v6, int map, uint16_t lo, uint16_t hi,
		       char *err, size_t errsize)
{
	static char log[4096];
	struct ring_asm a;
	union bpf_attr attr;
	int fd;

	assemble(&a, v6, map, lo, hi);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uint64_t)(uintptr_t)a.insn;
	attr.insn_cnt = (uint32_t)a.n;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0 || errno != EACCES)
		goto out;
	/* The verifier refused it: load again for its reason. */
	log[0] = '\0';
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0) {
		snprintf(err, errsize, "eBPF verifier: %s",
			 log[0] ? log : strerror(errno));
		return -1;
	}
out:
	if (fd < 0)
		snprintf(err, errsize, "loading the eBPF filter: %s",
			 strerror(errno));
	return fd;
}

struct probe_ring *probe_ring_open(int sock, bool v6, uint16_t lo,
				   uint16_t hi, size_t size, char *err,
				   size_t errsize)
{
	struct probe_ring *r = calloc(1, sizeof(*r));
	union bpf_attr attr;
	int prog;

	if (!r) {
		snprintf(err, errsize, "%s", strerror(ENOMEM));
		return NULL;
	}
	r->map = -1;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	r->size = size;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_RINGBUF;
	attr.max_entries = (uint32_t)size;
	r->map = sys_bpf(BPF_MAP_CREATE, &attr);
	if (r->map < 0) {
		snprintf(err, errsize, "eBPF ring buffer: %s%s",
			 strerror(errno), errno == EPERM ?
			 " (needs CAP_BPF or CAP_SYS_ADMIN)" : "");
		goto err_free;
	}
	r->consumer = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED,
			   r->map, 0);
	if (r->consumer == MAP_FAILED) {
		r->consumer = NULL;
		snprintf(err, errsize, "mapping the ring: %s", strerror(errno));
		goto err_free;
	}
	/* The data area is mapped twice in a row: a record that wraps
	 * around the end reads as one piece.
	 */
	r->producer_map = mmap(NULL, r->page + 2 * size, PROT_READ, MAP_SHARED,
			       r->map, (off_t)r->page);
	if (r->producer_map == MAP_FAILED) {
		r->producer_map = NULL;
		snprintf(err, errsize, "mapping the ring: %s", strerror(errno));
		goto err_free;
	}
	r->producer = r->producer_map;
	r->data = (const uint8_t *)r->producer_map + r->page;

	prog = load_filter(v6, r->map, lo, hi, err, errsize);
	if (prog < 0)
		goto err_free;
	/* The socket holds the program (and it the map) from here on. */
	if (setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF, &prog, sizeof(prog))) {
		snprintf(err, errsize, "attaching the eBPF filter: %s",
			 strerror(errno));
		close(prog);
		goto err_free;
	}
	close(prog);
	return r;

err_free:
	probe_ring_close(r);
	return NULL;
}

void probe_ring_close(struct probe_ring *r)
{
	if (!r)
		return;
	if (r->producer_map)
		munmap(r->producer_map, r->page + 2 * r->size);
	if (r->consumer)
		munmap(r->consumer, r->page);
	if (r->map >= 0)
		close(r->map);
	free(r);
}

int probe_ring_fd(const struct probe_ring *r)
{
	return r ? r->map : -1;
}

/*
 * The kernel's record: a 32-bit length (with a busy and a discard bit)
 * and a page offset, then the data, padded to 8 bytes. The producer
 * position is published after the header; a busy record is still being
 * written and ends the read.
 */
size_t probe_ring_read(struct probe_ring *r, void *buf, size_t bufsize)
{
	uint64_t cons = *r->consumer, prod;
	const uint32_t *hdr;
	uint32_t len;
	size_t n;

	for (;;) {
		prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			return 0;
		hdr = (const uint32_t *)(r->data + (cons & (r->size - 1)));
		len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			return 0;
		cons += (BPF_RINGBUF_HDR_SZ + (len & ~BPF_RINGBUF_DISCARD_BIT) +
			 7) & ~(uint64_t)7;
		if (!(len & BPF_RINGBUF_DISCARD_BIT))
			break;
		__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
	}
	n = len < bufsize ? len : bufsize;
	memcpy(buf, (const uint8_t *)hdr + BPF_RINGBUF_HDR_SZ, n);
	__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
	return n;
}
