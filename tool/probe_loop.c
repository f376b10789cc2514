// SPDX-License-Identifier: GPL-2.0
/*
 * vipprobe's event loop. One epoll set holds the probe sockets, the
 * netlink event socket and a signalfd; a timer wheel orders the
 * backends by their next deadline (next probe, or the running probe's
 * timeout), and epoll_wait() sleeps until the earliest one.
 *
 * Wakeups are gathered: after the loop wakes it does not block in
 * epoll_wait() again until PROBE_TICK_MS have passed, but sleeps out the
 * rest of that tick and then takes everything that became ready or due
 * meanwhile in one pass. Without that, ten thousand probes a second are
 * tens of thousands of wakeups a second (a due probe, an answer, each on
 * its own), and going to sleep and waking up cost more than the probes
 * (docs/benchmarks.md, "vipprobe on the host"). Probes start and results
 * are seen up to a tick late, so a timeout is honoured to within a tick;
 * the next probe is planned from its slot, not from when it ran, so
 * nothing drifts.
 *
 * The configuration is read with one dump at start (and on SIGHUP, or
 * when events were lost) and then followed through the "events"
 * multicast group. Verdicts go back as BACKEND_SET with HEALTH, one
 * message per transition, on a second netlink socket so that replies
 * and events never mix.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>

#include "fetch.h"
#include "lib/json.h"
#include "lib/names.h"
#include "lib/nl.h"
#include "lib/objects.h"
#include "probe.h"

/*
 * What a probe touches lies together, from the end of spec to the start
 * of run: at 10,000 backends every target is a cache miss, and a probe
 * that reads five neighbouring lines instead of seven scattered ones
 * costs measurably less.
 */
struct target {
	char pool[VIPFWD_NAME_MAX];
	struct probe_spec spec;	/* its strings first, rarely read */
	struct vip_addr addr;
	struct probe_sm sm;
	struct probe_timer timer;	/* next probe, or timeout of the running one */
	uint64_t started;	/* when the running/last probe started */
	uint64_t slot;		/* when it was due: the next is planned from
				 * here, not from started, so that a loop
				 * running late (slow verdict pushes, a busy
				 * CPU) does not stretch every later interval
				 */
	size_t tidx;		/* position in prober.t */
	struct target *hnext;	/* next in its hash bucket */
	bool stale;		/* not seen in the latest dump */
	bool done;		/* --once: has its result */
	uint32_t elapsed_ms;	/* --once: duration of the probe */
	struct probe_run run;	/* last: its HTTP buffer is rarely used */
};

struct prober {
	const struct probe_opts *o;
	struct vip_nl req;	/* requests: dumps and verdicts */
	struct vip_nl ev;	/* the events group */
	int epfd;
	int sigfd;
	struct vip_vec pools;	/* struct vip_pool, from the last dump */
	struct target **t;	/* every probed backend */
	size_t n, cap;
	struct probe_wheel wheel;	/* every target, by its deadline */
	struct probe_arena arena;	/* the targets' memory */
	struct target **hash;	/* (pool, addr) -> target, chained */
	size_t hsize;		/* buckets, a power of two, >= n */
	uint64_t rnd;
	size_t pending;		/* --once: probes without a result */
	bool resync;
	bool stop;
	bool short_logged;	/* "cannot start probes" said once */
	uint64_t woke;		/* when epoll_wait() last returned */
	struct probe_syn *syn;	/* half-open tcp probes, NULL: connect() */
};

/* Tags for the non-probe fds in epoll_event.data.ptr. */
static char tag_events, tag_signal, tag_syn4, tag_syn6;

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void logmsg(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char stamp[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ vipprobe: ", stamp, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000),
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* xorshift64*: plenty for spreading probes over time. */
static uint32_t rnd32(struct prober *p)
{
	p->rnd ^= p->rnd >> 12;
	p->rnd ^= p->rnd << 25;
	p->rnd ^= p->rnd >> 27;
	return (uint32_t)((p->rnd * 2685821657736338717ULL) >> 32);
}

static const char *health_str(uint8_t h)
{
	const char *s = vip_name_str(vip_health_names, h);

	return s ? s : "?";
}

static void reschedule(struct prober *p, struct target *t, uint64_t when)
{
	probe_wheel_add(&p->wheel, &t->timer, when);
}

/* ---- targets ---- */

/*
 * An index on (pool, address): events name a backend by both, and with
 * ten thousand targets a linear search per event (or per backend of a
 * dump) would cost more than all the probes.
 */
static size_t target_hash(const char *pool, const struct vip_addr *addr)
{
	const unsigned char *c = (const unsigned char *)&addr->u;
	size_t len = addr->family == AF_INET6 ? sizeof(addr->u.v6) :
		     sizeof(addr->u.v4);
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	size_t i;

	for (; *pool; pool++)
		h = (h ^ (unsigned char)*pool) * 1099511628211ULL;
	for (i = 0; i < len; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static struct target **bucket(struct prober *p, const char *pool,
			      const struct vip_addr *addr)
{
	return &p->hash[target_hash(pool, addr) & (p->hsize - 1)];
}

static void hash_insert(struct prober *p, struct target *t)
{
	struct target **b = bucket(p, t->pool, &t->addr);

	t->hnext = *b;
	*b = t;
}

static void hash_remove(struct prober *p, struct target *t)
{
	struct target **b = bucket(p, t->pool, &t->addr);

	for (; *b; b = &(*b)->hnext)
		if (*b == t) {
			*b = t->hnext;
			return;
		}
}

/* Grows the index to at least want buckets; -1 when out of memory. */
static int hash_grow(struct prober *p, size_t want)
{
	struct target **nh;
	size_t size = p->hsize ? p->hsize : 64, i;

	while (size < want)
		size *= 2;
	if (size == p->hsize)
		return 0;
	nh = calloc(size, sizeof(*nh));
	if (!nh)
		return -1;
	free(p->hash);
	p->hash = nh;
	p->hsize = size;
	for (i = 0; i < p->n; i++)
		hash_insert(p, p->t[i]);
	return 0;
}

static struct target *find_target(struct prober *p, const char *pool,
				  const struct vip_addr *addr)
{
	struct target *t;

	if (!p->hsize)
		return NULL;
	for (t = *bucket(p, pool, addr); t; t = t->hnext)
		if (vip_addr_equal(&t->addr, addr) && !strcmp(t->pool, pool))
			return t;
	return NULL;
}

static const struct vip_pool *find_pool(struct prober *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->pools.n; i++) {
		const struct vip_pool *pl = vip_vec_at(&p->pools, i);

		if (!strcmp(pl->name, name))
			return pl;
	}
	return NULL;
}

static bool pool_probed(const struct vip_pool *pl)
{
	return pl && (pl->probe_type == VIPFWD_PROBE_TCP ||
		      pl->probe_type == VIPFWD_PROBE_HTTP) && pl->probe_port;
}

static void spec_from_pool(struct probe_spec *s, const struct vip_pool *pl)
{
	memset(s, 0, sizeof(*s));
	s->type = pl->probe_type;
	s->port = pl->probe_port;
	vip_strlcpy(s->path, pl->http_path, sizeof(s->path));
	vip_strlcpy(s->expect, pl->http_expect, sizeof(s->expect));
	s->interval_ms = pl->interval_ms ? pl->interval_ms :
			 VIPFWD_INTERVAL_MS_DEFAULT;
	s->timeout_ms = pl->timeout_ms ? pl->timeout_ms :
			VIPFWD_TIMEOUT_MS_DEFAULT;
	s->fall = pl->fall ? pl->fall : VIPFWD_FALL_DEFAULT;
	s->rise = pl->rise ? pl->rise : VIPFWD_RISE_DEFAULT;
}

static bool spec_equal(const struct probe_spec *a, const struct probe_spec *b)
{
	return a->type == b->type && a->port == b->port &&
	       !strcmp(a->path, b->path) && !strcmp(a->expect, b->expect) &&
	       a->interval_ms == b->interval_ms &&
	       a->timeout_ms == b->timeout_ms && a->fall == b->fall &&
	       a->rise == b->rise;
}

static uint64_t first_when(struct prober *p, const struct target *t)
{
	if (p->o->once)
		return now_ms();
	return now_ms() + probe_first_delay(t->spec.interval_ms, rnd32(p));
}

static struct target *add_target(struct prober *p, const struct vip_pool *pl,
				 const struct vip_backend *b)
{
	struct target *t;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct target **nt = realloc(p->t, cap * sizeof(*nt));

		if (!nt)
			return NULL;
		p->t = nt;
		p->cap = cap;
	}
	if (hash_grow(p, p->n + 1))
		return NULL;
	t = probe_arena_alloc(&p->arena);
	if (!t)
		return NULL;
	vip_strlcpy(t->pool, pl->name, sizeof(t->pool));
	t->addr = b->addr;
	spec_from_pool(&t->spec, pl);
	/* Resume from what the kernel has: an UP backend stays UP until
	 * fall failures, so a restart of vipprobe never flaps anything.
	 */
	probe_sm_init(&t->sm, VIP_HAS(b, VIPFWD_BACKEND_A_HEALTH) ?
		      b->health : VIPFWD_HEALTH_UNKNOWN);
	t->run.fd = -1;
	t->tidx = p->n;
	p->t[p->n++] = t;
	hash_insert(p, t);
	reschedule(p, t, first_when(p, t));
	if (p->o->once)
		p->pending++;
	return t;
}

static void del_target(struct prober *p, size_t i)
{
	struct target *t = p->t[i];

	probe_abort(&t->run);	/* close() also drops it from epoll */
	probe_wheel_del(&p->wheel, &t->timer);
	hash_remove(p, t);
	p->t[i] = p->t[--p->n];
	p->t[i]->tidx = i;
	probe_arena_free(&p->arena, t);
}

/* ---- kernel ---- */

static void push_health(struct prober *p, struct target *t, uint8_t health,
			const char *why)
{
	struct vip_backend b;
	struct nl_msg *msg;
	char a[VIP_ADDRSTRLEN];
	int err = -ENOMEM;

	vip_addr_str(&t->addr, a);
	logmsg("pool %s backend %s: %s (%s %u: %s)", t->pool, a,
	       health_str(health), health == VIPFWD_HEALTH_UP ?
	       "successes" : "failures",
	       health == VIPFWD_HEALTH_UP ? t->spec.rise : t->spec.fall, why);

	memset(&b, 0, sizeof(b));
	vip_strlcpy(b.pool, t->pool, sizeof(b.pool));
	VIP_SET(&b, VIPFWD_BACKEND_A_POOL);
	vip_backend_set_addr(&b, &t->addr);
	b.health = health;
	VIP_SET(&b, VIPFWD_BACKEND_A_HEALTH);
	msg = vip_nl_msg_new(p->req.family, VIPFWD_CMD_BACKEND_SET, false);
	if (msg && vip_backend_put(msg, &b) >= 0)
		err = vip_nl_request(&p->req, msg, NULL, NULL);
	nlmsg_free(msg);
	if (err)
		logmsg("pool %s backend %s: cannot set health: %s", t->pool,
		       a, p->req.msg[0] ? p->req.msg : strerror(-err));
}

/*
 * Reads the whole configuration and makes the target list match it,
 * keeping the counters of backends that are still there.
 */
static int resync(struct prober *p)
{
	struct vip_config cfg;
	size_t i;
	int err;

	vip_config_init(&cfg);
	err = vip_fetch(&p->req, FETCH_POOLS | FETCH_BACKENDS, NULL, &cfg);
	if (err) {
		logmsg("cannot read the configuration: %s",
		       p->req.msg[0] ? p->req.msg : strerror(-err));
		vip_config_free(&cfg);
		return -1;
	}
	vip_vec_free(&p->pools);
	p->pools = cfg.pools;
	vip_vec_init(&cfg.pools, sizeof(struct vip_pool));

	for (i = 0; i < p->n; i++)
		p->t[i]->stale = true;
	for (i = 0; i < cfg.backends.n; i++) {
		const struct vip_backend *b = vip_vec_at(&cfg.backends, i);
		const struct vip_pool *pl = find_pool(p, b->pool);
		struct probe_spec spec;
		struct target *t;

		if (!pool_probed(pl))
			continue;
		t = find_target(p, b->pool, &b->addr);
		if (!t) {
			t = add_target(p, pl, b);
			if (!t) {
				logmsg("out of memory");
				break;
			}
			continue;
		}
		t->stale = false;
		spec_from_pool(&spec, pl);
		if (!spec_equal(&spec, &t->spec)) {
			/* New probe settings: start counting afresh. */
			probe_abort(&t->run);
			t->spec = spec;
			probe_sm_init(&t->sm, t->sm.health);
			reschedule(p, t, first_when(p, t));
		}
		if (VIP_HAS(b, VIPFWD_BACKEND_A_HEALTH) &&
		    b->health != t->sm.health)
			probe_sm_init(&t->sm, b->health);
	}
	for (i = 0; i < p->n;) {
		if (p->t[i]->stale)
			del_target(p, i);
		else
			i++;
	}
	vip_config_free(&cfg);
	return 0;
}

static int event_cb(struct nlmsghdr *nlh, void *arg)
{
	struct prober *p = arg;
	const struct vip_backend *b;
	const struct vip_pool *pl;
	struct target *t;
	struct vip_obj *o;
	char a[VIP_ADDRSTRLEN];

	o = malloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	if (vip_obj_parse(nlh, o) < 0) {
		free(o);
		return 0;
	}
	switch (o->type) {
	case VIP_OBJ_POOL:
		/* Rare; a fresh dump gets every detail right. */
		p->resync = true;
		break;
	case VIP_OBJ_BACKEND:
		b = &o->u.backend;
		t = find_target(p, b->pool, &b->addr);
		vip_addr_str(&b->addr, a);
		if (o->cmd == VIPFWD_CMD_BACKEND_DEL) {
			if (t) {
				logmsg("pool %s backend %s: removed", b->pool, a);
				del_target(p, t->tidx);
			}
		} else if (!t) {
			pl = find_pool(p, b->pool);
			if (pool_probed(pl)) {
				logmsg("pool %s backend %s: added, health %s",
				       b->pool, a, health_str(b->health));
				if (!add_target(p, pl, b))
					p->resync = true;
			}
		} else if (nlh->nlmsg_pid != nl_socket_get_local_port(p->req.sk) &&
			   VIP_HAS(b, VIPFWD_BACKEND_A_HEALTH) &&
			   b->health != t->sm.health) {
			/* Someone else (vipctl backend health) set it:
			 * take it as the new starting point.
			 */
			logmsg("pool %s backend %s: health set to %s from outside",
			       b->pool, a, health_str(b->health));
			probe_sm_init(&t->sm, b->health);
		}
		break;
	default:
		break;
	}
	free(o);
	return 0;
}

/* ---- probes ---- */

static void got_result(struct prober *p, struct target *t, uint64_t now)
{
	char a[VIP_ADDRSTRLEN];
	uint64_t next;
	int tr;

	if (p->o->once) {
		t->done = true;
		t->elapsed_ms = (uint32_t)(now - t->started);
		probe_wheel_del(&p->wheel, &t->timer);
		p->pending--;
		return;
	}
	if (p->o->verbose)
		logmsg("pool %s backend %s: probe %s: %s", t->pool,
		       vip_addr_str(&t->addr, a), t->run.ok ? "ok" : "failed",
		       t->run.detail);
	tr = probe_sm_feed(&t->sm, t->run.ok, t->spec.fall, t->spec.rise);
	if (tr >= 0)
		push_health(p, t, (uint8_t)tr, t->run.detail);
	next = t->slot + probe_jitter(t->spec.interval_ms, rnd32(p));
	reschedule(p, t, next > now ? next : now);
}

static void watch(struct prober *p, struct target *t, int op)
{
	struct epoll_event ev = { .events = probe_events(&t->run),
				  .data.ptr = t };

	if (epoll_ctl(p->epfd, op, t->run.fd, &ev) < 0) {
		snprintf(t->run.detail, sizeof(t->run.detail), "epoll: %s",
			 strerror(errno));
		probe_abort(&t->run);
		t->run.ok = false;
		got_result(p, t, now_ms());
	}
}

/* The target a half-open probe's run belongs to. */
static struct target *run_target(struct probe_run *r)
{
	return (struct target *)((char *)r - offsetof(struct target, run));
}

/* Our own side is short of something: try again soon, no verdict. */
static void short_of(struct prober *p, struct target *t, uint64_t now)
{
	if (!p->short_logged) {
		logmsg("cannot start probes: %s (retrying, no verdicts meanwhile)",
		       t->run.detail);
		p->short_logged = true;
	}
	reschedule(p, t, now + 100 + rnd32(p) % 400);
}

static void due(struct prober *p, struct target *t, uint64_t now)
{
	if (t->run.phase != PROBE_IDLE) {
		probe_timeout(&t->run);
		got_result(p, t, now);
		return;
	}
	t->slot = t->timer.when;
	t->started = now;
	switch (p->syn && t->spec.type == VIPFWD_PROBE_TCP ?
		probe_syn_start(p->syn, &t->run, &t->spec, &t->addr) :
		probe_start(&t->run, &t->spec, &t->addr)) {
	case -1:
		short_of(p, t, now);
		return;
	case 1:
		got_result(p, t, now);
		return;
	}
	p->short_logged = false;
	reschedule(p, t, now + t->spec.timeout_ms);
	if (t->run.fd >= 0)	/* a half-open probe has none */
		watch(p, t, EPOLL_CTL_ADD);
}

struct due_pass {
	struct prober *p;
	uint64_t now;
};

static void fire(struct probe_timer *tm, void *arg)
{
	struct due_pass *d = arg;

	due(d->p, (struct target *)((char *)tm - offsetof(struct target, timer)),
	    d->now);
}

/*
 * Runs the targets of every tick that ended since the last pass, then
 * sends the SYNs they queued; a probe whose SYN could not be sent is
 * judged only now, outside the wheel's pass.
 */
static void run_due(struct prober *p, uint64_t now)
{
	struct due_pass d = { .p = p, .now = now };
	struct probe_run *r, *next;

	probe_wheel_run(&p->wheel, now, fire, &d);
	if (!p->syn)
		return;
	for (r = probe_syn_flush(p->syn); r; r = next) {
		next = r->snext;
		r->snext = NULL;
		if (r->local_error)
			short_of(p, run_target(r), now);
		else
			got_result(p, run_target(r), now);
	}
}

/*
 * Answers to half-open probes, as many as are queued. A verdict reads
 * its target's state, spec and timer: at ten thousand backends cache
 * misses, so those of a whole batch are fetched together first.
 */
static void syn_ready(struct prober *p, int family)
{
	struct probe_run *done, *r, *next;
	bool again = true;
	uint64_t now = now_ms();

	while (again) {
		done = probe_syn_recv(p->syn, family, &again);
		for (r = done; r; r = r->snext) {
			struct target *t = run_target(r);

			__builtin_prefetch(&t->spec.type);
			__builtin_prefetch(&t->spec.rise);
			__builtin_prefetch(&t->sm);
			__builtin_prefetch(&t->timer);
			__builtin_prefetch(&t->slot);
		}
		for (r = done; r; r = next) {
			next = r->snext;
			r->snext = NULL;
			got_result(p, run_target(r), now);
		}
	}
}

static void ready(struct prober *p, struct target *t)
{
	uint32_t before = probe_events(&t->run);
	enum probe_phase phase = t->run.phase;

	if (probe_step(&t->run, &t->spec)) {
		got_result(p, t, now_ms());
		return;
	}
	/* The probe moved on to its next step (an HTTP request after the
	 * connect): the loop saw the last one up to a tick late, since it
	 * gathers its wakeups, and that tick is not the backend's to pay.
	 * Without it a short timeout (a few ticks) would fail an HTTP
	 * probe that the backend answered in time.
	 */
	if (t->run.phase != phase)
		reschedule(p, t, t->timer.when + PROBE_TICK_MS);
	if (probe_events(&t->run) != before)
		watch(p, t, EPOLL_CTL_MOD);
}

static void handle_signal(struct prober *p)
{
	struct signalfd_siginfo si;

	while (read(p->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP && !p->o->once) {
			logmsg("SIGHUP: reading the configuration again");
			p->resync = true;
		} else if (si.ssi_signo != SIGHUP) {
			p->stop = true;
		}
	}
}

static void handle_events(struct prober *p)
{
	int err;

	for (;;) {
		err = vip_nl_read_events(&p->ev, event_cb, p);
		if (err == -EAGAIN || err == -EWOULDBLOCK)
			return;
		if (err == -ENOBUFS) {
			logmsg("events were lost; reading the configuration again");
			p->resync = true;
			continue;
		}
		if (err == -EINTR)
			continue;
		if (err < 0) {
			logmsg("receiving events: %s", strerror(-err));
			p->stop = true;
			return;
		}
	}
}

static int loop(struct prober *p)
{
	/* Room for a tick's worth of answers at 10,000 probes a second. */
	struct epoll_event evs[1024];
	bool full = false;

	while (!p->stop && !(p->o->once && !p->pending)) {
		uint64_t now = now_ms(), next;
		bool nl_ready = false, sig_ready = false;
		int n, i, timeout = -1;

		run_due(p, now);
		if (p->o->once && !p->pending)
			break;
		next = probe_wheel_next(&p->wheel);
		if (next != UINT64_MAX) {
			uint64_t d = next > now ? next - now : 0;

			timeout = d > 60000 ? 60000 : (int)d;
		}
		/* --once answers as fast as it can; a full array means
		 * more is waiting already.
		 */
		if (!p->o->once && !full) {
			/* The pass above took time too: the clock again. */
			uint64_t t = now_ms();

			if (t - p->woke < PROBE_TICK_MS) {
				sleep_ms(p->woke + PROBE_TICK_MS - t);
				timeout = 0;
			}
		}
		n = epoll_wait(p->epfd, evs, (int)VIP_ARRAY_SIZE(evs), timeout);
		p->woke = now_ms();
		full = n == (int)VIP_ARRAY_SIZE(evs);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			logmsg("epoll_wait: %s", strerror(errno));
			return 1;
		}
		/* Probe sockets first: configuration changes below may
		 * free targets that later entries of evs point to.
		 */
		for (i = 0; i < n; i++) {
			void *ptr = evs[i].data.ptr;

			if (ptr == &tag_events)
				nl_ready = true;
			else if (ptr == &tag_signal)
				sig_ready = true;
			else if (ptr == &tag_syn4)
				syn_ready(p, AF_INET);
			else if (ptr == &tag_syn6)
				syn_ready(p, AF_INET6);
			else
				ready(p, ptr);
		}
		if (sig_ready)
			handle_signal(p);
		if (nl_ready && !p->stop)
			handle_events(p);
		if (p->resync && !p->stop) {
			p->resync = false;
			resync(p);
		}
	}
	return 0;
}

/* ---- --once output ---- */

static int by_pool_addr(const void *a, const void *b)
{
	const struct target *x = *(struct target * const *)a;
	const struct target *y = *(struct target * const *)b;
	int c = strcmp(x->pool, y->pool);

	if (c)
		return c;
	if (x->addr.family != y->addr.family)
		return x->addr.family - y->addr.family;
	return memcmp(&x->addr.u, &y->addr.u, x->addr.family == AF_INET ?
		      sizeof(x->addr.u.v4) : sizeof(x->addr.u.v6));
}

static int report(struct prober *p)
{
	struct vip_json j;
	bool all_ok = true;
	size_t i;

	qsort(p->t, p->n, sizeof(*p->t), by_pool_addr);
	for (i = 0; i < p->n; i++)
		p->t[i]->tidx = i;
	vip_json_init(&j, stdout);
	if (p->o->json)
		vip_json_arr_open(&j);
	for (i = 0; i < p->n; i++) {
		const struct target *t = p->t[i];
		const char *type = vip_name_str(vip_probe_names, t->spec.type);
		char a[VIP_ADDRSTRLEN];

		vip_addr_str(&t->addr, a);
		all_ok &= t->run.ok;
		if (!p->o->json) {
			printf("%s %s %s %u: %s (%s, %u ms), health %s\n",
			       t->pool, a, type, t->spec.port,
			       t->run.ok ? "ok" : "FAILED", t->run.detail,
			       t->elapsed_ms, health_str(t->sm.health));
			continue;
		}
		vip_json_obj_open(&j);
		vip_json_kstr(&j, "pool", t->pool);
		vip_json_kstr(&j, "addr", a);
		vip_json_ku64(&j, "port", t->spec.port);
		vip_json_kstr(&j, "type", type);
		if (t->spec.type == VIPFWD_PROBE_HTTP) {
			vip_json_kstr(&j, "path", t->spec.path[0] ?
				      t->spec.path : "/");
			vip_json_kstr(&j, "expect", t->spec.expect[0] ?
				      t->spec.expect :
				      PROBE_HTTP_EXPECT_DEFAULT);
		}
		vip_json_key(&j, "ok");
		vip_json_bool(&j, t->run.ok);
		vip_json_kstr(&j, "detail", t->run.detail);
		vip_json_ku64(&j, "ms", t->elapsed_ms);
		vip_json_kstr(&j, "health", health_str(t->sm.health));
		vip_json_obj_close(&j);
	}
	if (p->o->json) {
		vip_json_arr_close(&j);
		putchar('\n');
	}
	fflush(stdout);
	if (ferror(stdout))
		return 1;
	/* Like a check command: non-zero when some backend failed. */
	return all_ok ? 0 : 3;
}

/* ---- setup ---- */

static int setup(struct prober *p)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct rlimit rl;
	struct vip_err e;
	sigset_t mask;
	int fd;

	if (vip_nl_open(&p->req, &e)) {
		fprintf(stderr, "vipprobe: %s\n", e.msg);
		return -1;
	}
	if (!p->o->once) {
		if (vip_nl_open(&p->ev, &e) ||
		    vip_nl_subscribe(&p->ev, VIPFWD_MCGRP_EVENTS, &e)) {
			fprintf(stderr, "vipprobe: %s\n", e.msg);
			return -1;
		}
		nl_socket_set_nonblocking(p->ev.sk);
	}
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->epfd < 0)
		goto err_errno;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	p->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (p->sigfd < 0)
		goto err_errno;
	ev.data.ptr = &tag_signal;
	if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->sigfd, &ev) < 0)
		goto err_errno;
	if (!p->o->once) {
		fd = vip_nl_fd(&p->ev);
		ev.data.ptr = &tag_events;
		if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			goto err_errno;
	}
	/* Half-open probes unless connect() is asked for: at 10,000
	 * probes a second they cost a fifth of connect()'s CPU
	 * (docs/benchmarks.md). Without CAP_NET_RAW (or a free block of
	 * ports) the default falls back to connect() and says so.
	 */
	if (p->o->tcp_mode != PROBE_TCP_CONNECT) {
		char why[160];
		int i;

		p->syn = probe_syn_open(p->o->no_ebpf ? 0 : PROBE_SYN_RING_BYTES,
					why, sizeof(why));
		if (!p->syn && p->o->tcp_mode == PROBE_TCP_SYN) {
			fprintf(stderr, "vipprobe: --tcp-mode syn: %s\n", why);
			return -1;
		}
		if (!p->syn)
			logmsg("half-open tcp probes unavailable (%s): using connect()",
			       why);
		for (i = 0; p->syn && i < 4; i++) {
			int family = i & 1 ? AF_INET6 : AF_INET;

			fd = i < 2 ? probe_syn_fd(p->syn, family) :
			     probe_syn_ring_fd(p->syn, family);
			ev.data.ptr = i & 1 ? &tag_syn6 : &tag_syn4;
			if (fd >= 0 &&
			    epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
				goto err_errno;
		}
		if (p->syn) {
			struct probe_syn_info si;

			probe_syn_info(p->syn, &si);
			if (si.ring_off)
				logmsg("half-open answers read from the raw socket (no eBPF ring: %s)",
				       si.ring_off);
		}
	}
	/* One fd per probe in flight: with thousands of backends and
	 * probes waiting for their timeout, 1024 is not enough.
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrandom(&p->rnd, sizeof(p->rnd), 0) != sizeof(p->rnd))
		p->rnd = (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32);
	p->rnd |= 1;
	return 0;

err_errno:
	fprintf(stderr, "vipprobe: %s\n", strerror(errno));
	return -1;
}

int probe_run_main(const struct probe_opts *o)
{
	struct prober p;
	int rc = 1;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.epfd = -1;
	p.sigfd = -1;
	vip_vec_init(&p.pools, sizeof(struct vip_pool));
	probe_arena_init(&p.arena, sizeof(struct target));
	/* Subscribed before the dump: a change made meanwhile is then
	 * seen as an event too, never missed.
	 */
	if (setup(&p))
		goto out;
	if (resync(&p))
		goto out;
	if (!o->once)
		logmsg("probing %zu backends of %zu pools (tcp: %s)", p.n,
		       p.pools.n, p.syn ? "syn" : "connect");
	rc = loop(&p);
	if (o->once && !rc)
		rc = p.stop ? 1 : report(&p);
	if (!o->once)
		logmsg("stopping; the last verdicts stay in the kernel");
out:
	while (p.n)
		del_target(&p, p.n - 1);
	free(p.t);
	free(p.hash);
	probe_wheel_free(&p.wheel);
	probe_arena_destroy(&p.arena);
	probe_syn_close(p.syn);
	vip_vec_free(&p.pools);
	if (p.sigfd >= 0)
		close(p.sigfd);
	if (p.epfd >= 0)
		close(p.epfd);
	vip_nl_close(&p.ev);
	vip_nl_close(&p.req);
	return rc;
}
