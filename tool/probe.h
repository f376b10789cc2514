/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vipprobe: health probes for the backends of vipfwd pools.
 *
 * The pure parts (state machine, HTTP status parsing, expect codes,
 * jitter, the timer wheel) live in probe_state.c, probe_http.c and
 * probe_wheel.c and are unit-tested; probe_check.c runs one probe on a
 * non-blocking socket, probe_syn.c half-open TCP probes over a raw
 * socket (their answers through probe_ring.c's eBPF ring); probe_loop.c is the epoll loop: configuration sync over
 * netlink, scheduling, verdicts.
 */
#ifndef VIPPROBE_PROBE_H
#define VIPPROBE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vipfwd.h>

#include "lib/addr.h"

/* ---- fall/rise state machine (probe_state.c) ---- */

struct probe_sm {
	uint8_t health;		/* enum vipfwd_health as last pushed/seen */
	uint32_t fails;		/* consecutive failures */
	uint32_t oks;		/* consecutive successes */
};

/* Start (or resume) from the kernel's current health, counters zero. */
void probe_sm_init(struct probe_sm *s, uint8_t health);
/*
 * Feed one probe result. Returns the new health when this result makes
 * a transition (fall consecutive failures -> DOWN from UP or UNKNOWN,
 * rise consecutive successes -> UP from DOWN or UNKNOWN), else -1.
 * fall/rise of 0 are treated as 1.
 */
int probe_sm_feed(struct probe_sm *s, bool ok, uint32_t fall, uint32_t rise);

/*
 * Delay until the next probe: interval_ms +- 10 %, spread by rnd (any
 * 32-bit random value) so probes of many backends do not synchronise.
 */
uint32_t probe_jitter(uint32_t interval_ms, uint32_t rnd);
/* Delay of the very first probe of a backend: [0, interval_ms). */
uint32_t probe_first_delay(uint32_t interval_ms, uint32_t rnd);

/* ---- timers (probe_wheel.c) ---- */

/* vipprobe's loop wakes at most once a tick (probe_loop.c). */
#define PROBE_TICK_MS		10
#define PROBE_WHEEL_SLOTS	1024	/* a power of two; 10.24 s a turn */

/*
 * A timer sits in its slot's array, not in a list through its
 * neighbours: arming, moving and firing one touches the timer and its
 * slot's array, never another timer (at ten thousand backends every
 * other timer is a cache miss; the arrays stay in cache).
 */
struct probe_timer {
	uint64_t when;			/* deadline, ms (CLOCK_MONOTONIC) */
	uint32_t slot;			/* its slot + 1; 0: off;
					 * PROBE_WHEEL_SPILLED: on the spill list
					 */
	uint32_t pos;			/* its index in the slot's array */
	struct probe_timer *spill_next;	/* on the spill list only */
};

#define PROBE_WHEEL_SPILLED	UINT32_MAX

struct probe_wheel_slot {
	struct probe_timer **v;		/* NULL: a timer taken off since the
					 * slot last ran (cleared when it runs)
					 */
	uint32_t len, cap;
	uint32_t armed;			/* non-NULL entries */
};

struct probe_wheel {
	struct probe_wheel_slot slot[PROBE_WHEEL_SLOTS];
	/* Timers for which a slot could not grow (out of memory): every
	 * run looks through them, and places them when it can.
	 */
	struct probe_timer *spill;
	uint32_t max_cap;		/* tests: slots never grow past it (0: no limit) */
	uint64_t tick;			/* the first tick not run yet */
	size_t n;			/* timers on the wheel */
};

static inline bool probe_timer_armed(const struct probe_timer *t)
{
	return t->slot != 0;
}

/* (Re)arms t for when; a timer already on the wheel is moved. */
void probe_wheel_add(struct probe_wheel *w, struct probe_timer *t,
		     uint64_t when);
/* Takes t off the wheel (nothing when it is not on it). */
void probe_wheel_del(struct probe_wheel *w, struct probe_timer *t);
/* When the next run has work: the end of the first tick holding a
 * timer (which may be a turn or more away); UINT64_MAX when empty.
 */
uint64_t probe_wheel_next(const struct probe_wheel *w);
/*
 * Fires, off the wheel, every timer whose deadline's tick ended by now.
 * fire() may re-arm its own timer, at now or later, and nothing else.
 */
void probe_wheel_run(struct probe_wheel *w, uint64_t now,
		     void (*fire)(struct probe_timer *t, void *arg), void *arg);
/* Frees the slots' arrays; the timers are the caller's. */
void probe_wheel_free(struct probe_wheel *w);

/* ---- memory for targets (probe_arena.c) ---- */

/* Fixed-size, zeroed, cache-line-aligned objects on huge pages. */
struct probe_arena {
	size_t size;			/* of an object, rounded up */
	struct arena_chunk *chunks;	/* newest first; objects are carved
					 * from the newest
					 */
	size_t carved;			/* bytes of the newest chunk used */
	struct arena_free *free;	/* objects freed, for reuse */
	size_t used;			/* objects handed out */
};

void probe_arena_init(struct probe_arena *a, size_t size);
/* A zeroed object, or NULL when out of memory. */
void *probe_arena_alloc(struct probe_arena *a);
void probe_arena_free(struct probe_arena *a, void *obj);
/* Unmaps every chunk: every object is gone. */
void probe_arena_destroy(struct probe_arena *a);

/* ---- HTTP (probe_http.c) ---- */

#define PROBE_HTTP_EXPECT_DEFAULT "200-399"

/*
 * Parses an HTTP status line ("HTTP/1.1 200 OK", CRLF or LF optional) of
 * len bytes. Returns the status code (100..599), or -1 when it is not one.
 */
int probe_http_status(const char *line, size_t len);
/* Checks an expect list "200-399,404" (codes 100..599, ranges low-high,
 * comma separated, no spaces). Returns 0 when valid, else -1.
 */
int probe_http_expect_valid(const char *spec);
/* True when code is in spec (NULL or "" means the default 200-399). */
bool probe_http_expect_match(const char *spec, int code);
/* Writes the GET request into buf; returns its length, -1 if too long. */
int probe_http_request(char *buf, size_t size, const char *path,
		       const char *host);

/* ---- one probe on a socket (probe_check.c) ---- */

/* HTTP's strings first: what every probe reads is at the end, next to
 * struct target's own hot fields (probe_loop.c).
 */
struct probe_spec {
	char path[VIPFWD_HTTP_PATH_MAX];
	char expect[VIPFWD_HTTP_EXPECT_MAX];
	uint8_t type;		/* VIPFWD_PROBE_TCP or VIPFWD_PROBE_HTTP */
	uint16_t port;
	uint32_t interval_ms;
	uint32_t timeout_ms;
	uint32_t fall;
	uint32_t rise;
};

enum probe_phase {
	PROBE_IDLE,
	PROBE_CONNECTING,
	PROBE_SENDING,
	PROBE_READING,
	PROBE_SYN_SENT,		/* half-open: SYN sent, no fd of its own */
};

#define PROBE_BUF 512
#define PROBE_DETAIL 128

/* The fields every probe touches first, the HTTP buffer last, so that
 * a tcp probe touches few cache lines of its backend.
 */
struct probe_run {
	enum probe_phase phase;
	int fd;
	size_t len;		/* bytes in buf */
	size_t off;		/* bytes of the request already sent */
	bool ok;		/* result, valid once done */
	bool local_error;	/* half-open: our side could not send, no verdict */
	/* Half-open probes (probe_syn.c): the engine it is in flight on
	 * (NULL when none), its chain there and its key.
	 */
	struct probe_syn *syn;
	struct probe_run *snext;
	struct vip_addr addr;
	uint16_t sport, dport;
	uint32_t isn;
	/* Our source address towards addr, from a route lookup that is
	 * redone after a failed probe and every PROBE_SRC_REUSE probes.
	 */
	struct vip_addr src;
	uint32_t src_uses;
	char detail[PROBE_DETAIL];
	char buf[PROBE_BUF];	/* HTTP request, then the response head */
};

#define PROBE_SRC_REUSE	64

/*
 * Starts a probe of addr per spec. Returns 1 when it finished at once
 * (result in r), 0 when it is in flight: r->fd must then be watched for
 * probe_events(r) and probe_step() called when it is ready; -1 when no
 * socket could be made (a local shortage, no verdict; r->detail says).
 */
int probe_start(struct probe_run *r, const struct probe_spec *spec,
		const struct vip_addr *addr);
/* epoll events the probe waits for in its current phase. */
uint32_t probe_events(const struct probe_run *r);
/* Advances the probe; returns 1 when finished (result in r), else 0. */
int probe_step(struct probe_run *r, const struct probe_spec *spec);
/* Ends a probe that ran out of time (a failure) or was abandoned. */
void probe_timeout(struct probe_run *r);
void probe_abort(struct probe_run *r);

/* ---- half-open TCP probes (probe_syn.c) ---- */

struct probe_syn;

/* The answer ring's size per family (probe_ring.c): room for about
 * 5,400 IPv4 answers or 3,600 IPv6 ones.
 */
#define PROBE_SYN_RING_BYTES	(256 << 10)

/*
 * Opens the raw sockets (needs CAP_NET_RAW) and reserves the source
 * ports. With ring_bytes (a power of two of pages) answers come through
 * an eBPF ring where the kernel allows one, else (and with 0) through
 * the sockets. NULL on failure, with the reason in err.
 */
struct probe_syn *probe_syn_open(size_t ring_bytes, char *err,
				 size_t errsize);
void probe_syn_close(struct probe_syn *e);
/*
 * What to watch for EPOLLIN for family: the raw socket, and the answer
 * ring (-1: none).
 */
int probe_syn_fd(const struct probe_syn *e, int family);
int probe_syn_ring_fd(const struct probe_syn *e, int family);

struct probe_syn_info {
	uint64_t ring_answers;		/* packets read from the rings */
	uint64_t socket_answers;	/* packets read from the sockets */
	const char *ring_off;		/* NULL, or why there is no ring */
};

void probe_syn_info(const struct probe_syn *e, struct probe_syn_info *i);
/*
 * Queues the SYN of a TCP probe of addr; returns like probe_start(). In
 * flight (0), r->fd stays -1: the answer comes through probe_syn_recv(),
 * the timeout through probe_timeout(). The SYN leaves with the next
 * probe_syn_flush(), or at once when a batch is full.
 */
int probe_syn_start(struct probe_syn *e, struct probe_run *r,
		    const struct probe_spec *spec, const struct vip_addr *addr);
/*
 * Sends every queued SYN. Returns the probes whose SYN could not be sent
 * since the last call, finished (r->ok false, r->detail says why; with
 * r->local_error no verdict is due), chained by r->snext.
 */
struct probe_run *probe_syn_flush(struct probe_syn *e);
/*
 * Reads a batch of answers for family (from its ring, else its raw
 * socket). Returns the probes they finished (result in each), chained by
 * r->snext, or NULL; *again is false once nothing is left to read.
 */
struct probe_run *probe_syn_recv(struct probe_syn *e, int family,
				 bool *again);
/* Takes an unfinished probe off its engine (timeout, abort). */
void probe_syn_forget(struct probe_run *r);
/* ---- the answer ring of half-open probes (probe_ring.c) ---- */

struct probe_ring;

/*
 * Attaches to raw socket sock (IPv6 when v6) an eBPF filter that puts
 * the headers of SYN-ACKs and RSTs to ports lo..hi into a ring of size
 * bytes, and drops them; what the ring cannot take reaches the socket.
 * NULL, with the reason in err, when eBPF is not there or not allowed.
 */
struct probe_ring *probe_ring_open(int sock, bool v6, uint16_t lo,
				   uint16_t hi, size_t size, char *err,
				   size_t errsize);
void probe_ring_close(struct probe_ring *r);
/* Readable (EPOLLIN) while answers wait; -1 for no ring. */
int probe_ring_fd(const struct probe_ring *r);
/*
 * Copies the next answer (network header onwards, at most bufsize
 * bytes) to buf; returns its length, 0 when the ring is empty.
 */
size_t probe_ring_read(struct probe_ring *r, void *buf, size_t bufsize);

/* TCP checksum of the segment seg from src to dst (pseudo header). */
uint16_t probe_tcp_csum(const struct vip_addr *src, const struct vip_addr *dst,
			const void *seg, size_t len);

/* ---- the daemon (probe_loop.c) ---- */

enum probe_tcp_mode {
	PROBE_TCP_AUTO,		/* syn when it can be set up, else connect */
	PROBE_TCP_CONNECT,	/* a full connect() per probe */
	PROBE_TCP_SYN,		/* half-open; fail without CAP_NET_RAW */
};

struct probe_opts {
	bool once;		/* probe everything once, report, change nothing */
	bool json;		/* --once output as JSON */
	bool verbose;		/* log every probe result, not just transitions */
	enum probe_tcp_mode tcp_mode;	/* how tcp probes are made */
	bool no_ebpf;		/* half-open answers from the socket, no ring */
};

/* Runs vipprobe in the current network namespace; returns the exit code. */
int probe_run_main(const struct probe_opts *o);

#endif
