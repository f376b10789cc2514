// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <sys/socket.h>
#include <linux/vipfwd.h>

#include "jsonout.h"
#include "lib/names.h"

/* Key helpers: write the key with its value when present, with null when
 * absent and all keys are wanted, or nothing.
 */
static bool want(struct vip_json *j, const char *key, bool has, bool all)
{
	if (!has && !all)
		return false;
	vip_json_key(j, key);
	if (!has)
		vip_json_null(j);
	return has;
}

static void k_u64(struct vip_json *j, const char *key, bool has, uint64_t v,
		  bool all)
{
	if (want(j, key, has, all))
		vip_json_u64(j, v);
}

static void k_str(struct vip_json *j, const char *key, bool has,
		  const char *s, bool all)
{
	if (want(j, key, has, all))
		vip_json_str(j, s);
}

static void k_ms(struct vip_json *j, const char *key, bool has, uint32_t ms,
		 bool all)
{
	if (want(j, key, has, all))
		vip_json_ms_as_s(j, ms);
}

/* An enum as its word; a value this tool does not know as a number. */
static void k_word(struct vip_json *j, const char *key, bool has,
		   const struct vip_name *tab, unsigned int v, bool all)
{
	const char *s;

	if (!want(j, key, has, all))
		return;
	s = vip_name_str(tab, v);
	if (s)
		vip_json_str(j, s);
	else
		vip_json_u64(j, v);
}

/* Optional addresses (via, source): unset or 0.0.0.0 is null. */
static void k_addr(struct vip_json *j, const char *key,
		   const struct vip_addr *a, bool all, bool optional)
{
	char buf[VIP_ADDRSTRLEN];
	bool has = a->family && !(optional && vip_addr_is_any(a));

	if (want(j, key, has, all))
		vip_json_str(j, vip_addr_str(a, buf));
}

static void counters(struct vip_json *j, const struct vip_counters *c,
		     bool all)
{
	k_u64(j, "packets", VIP_HAS(c, VIPFWD_STATS_A_PACKETS),
	      c->v[VIPFWD_STATS_A_PACKETS], all);
	k_u64(j, "bytes", VIP_HAS(c, VIPFWD_STATS_A_BYTES),
	      c->v[VIPFWD_STATS_A_BYTES], all);
}

static bool is_drop(int attr)
{
	return attr >= VIPFWD_STATS_A_DROP_NO_BACKEND &&
	       attr <= VIPFWD_STATS_A_DROP_TOO_BIG;
}

/* A counter under its name; a number this tool does not know yet too. */
static void k_counter(struct vip_json *j, const struct vip_counters *c,
		      int attr, bool all)
{
	const char *name = vip_name_str(vip_counter_names, (unsigned int)attr);
	char buf[32];

	if (!name) {
		snprintf(buf, sizeof(buf), "counter_%d", attr);
		name = buf;
	}
	k_u64(j, name, VIP_HAS(c, attr), c->v[attr], all);
}

/*
 * Counters beyond packets/bytes: new/active flows (null when all is set
 * and the kernel did not say), the other counters the kernel sent, and
 * drops when there are any.
 */
static void extra_counters(struct vip_json *j, const struct vip_counters *c,
			   bool all)
{
	int i;
	bool drops = false;

	for (i = VIPFWD_STATS_A_NEW_FLOWS; i <= VIPFWD_STATS_A_ACTIVE_FLOWS; i++)
		k_counter(j, c, i, all);
	for (i = VIPFWD_STATS_A_DROP_TOO_BIG + 1; i <= VIPFWD_STATS_A_MAX; i++)
		if (VIP_HAS(c, i))
			k_counter(j, c, i, false);
	for (i = VIPFWD_STATS_A_DROP_NO_BACKEND; i <= VIPFWD_STATS_A_MAX; i++) {
		if (!VIP_HAS(c, i) || !is_drop(i))
			continue;
		if (!drops) {
			vip_json_key(j, "drops");
			vip_json_obj_open(j);
			drops = true;
		}
		vip_json_ku64(j, vip_name_str(vip_counter_names, i), c->v[i]);
	}
	if (drops)
		vip_json_obj_close(j);
}

static void frontend_fields(struct vip_json *j, const struct vip_frontend *fe,
			    bool all)
{
#define H(a) VIP_HAS(fe, VIPFWD_FRONTEND_A_##a)
	k_addr(j, "vip", &fe->vip, all, false);
	k_word(j, "proto", H(PROTO), vip_proto_names, fe->proto, all);
	k_u64(j, "port", H(PORT), fe->port, all);
	k_str(j, "pool", H(POOL), fe->pool, all);
	k_word(j, "mode", H(MODE), vip_mode_names, fe->mode, all);
	k_word(j, "encap", H(ENCAP), vip_encap_names, fe->encap, all);
	k_u64(j, "gue_port", H(GUE_PORT), fe->gue_port, all);
	k_u64(j, "backend_port", H(BACKEND_PORT), fe->backend_port, all);
	k_u64(j, "idle_timeout", H(IDLE_TIMEOUT), fe->idle_timeout, all);
	k_word(j, "hash", H(HASH), vip_hash_names, fe->hash, all);
	k_word(j, "no_backend", H(NO_BACKEND), vip_no_backend_names,
	       fe->no_backend, all);
	k_addr(j, "source", &fe->source, all, true);
	k_word(j, "on_health_down", H(ON_HEALTH_DOWN), vip_on_health_down_names,
	       fe->on_health_down, all);
	if (all || H(STATS))
		counters(j, &fe->stats, all);
#undef H
}

void json_frontend(struct vip_json *j, const struct vip_frontend *fe,
		   bool all)
{
	vip_json_obj_open(j);
	frontend_fields(j, fe, all);
	vip_json_obj_close(j);
}

static void backend_fields(struct vip_json *j, const struct vip_backend *b,
			   bool all)
{
#define H(a) VIP_HAS(b, VIPFWD_BACKEND_A_##a)
	k_str(j, "pool", H(POOL), b->pool, all);
	k_addr(j, "addr", &b->addr, all, false);
	k_u64(j, "weight", H(WEIGHT), b->weight, all);
	k_u64(j, "tier", H(TIER), b->tier, all);
	k_word(j, "state", H(STATE), vip_state_names, b->state, all);
	k_word(j, "health", H(HEALTH), vip_health_names, b->health, all);
	if (want(j, "eligible", H(ELIGIBLE), all))
		vip_json_bool(j, b->eligible);
	k_str(j, "reason", H(REASON), b->reason, all);
	k_addr(j, "via", &b->via, all, true);
	k_u64(j, "flows", H(FLOWS), b->flows, all);
	if (all || H(STATS))
		counters(j, &b->stats, all);
#undef H
}

void json_backend(struct vip_json *j, const struct vip_backend *b, bool all)
{
	vip_json_obj_open(j);
	backend_fields(j, b, all);
	vip_json_obj_close(j);
}

static void pool_fields(struct vip_json *j, const struct vip_pool *p,
			const struct vip_vec *backends, bool all)
{
#define H(a) VIP_HAS(p, VIPFWD_POOL_A_##a)
	bool http = H(PROBE_TYPE) && p->probe_type == VIPFWD_PROBE_HTTP;
	size_t i;

	k_str(j, "name", H(NAME), p->name, all);
	if (all || H(PROBE_TYPE) || H(PROBE_PORT) || H(INTERVAL_MS) ||
	    H(TIMEOUT_MS) || H(FALL) || H(RISE) || H(PROBE_HTTP_PATH) ||
	    H(PROBE_HTTP_EXPECT)) {
		vip_json_key(j, "probe");
		vip_json_obj_open(j);
		k_word(j, "type", H(PROBE_TYPE), vip_probe_names,
		       p->probe_type, all);
		k_u64(j, "port", H(PROBE_PORT), p->probe_port, all);
		k_ms(j, "interval", H(INTERVAL_MS), p->interval_ms, all);
		k_ms(j, "timeout", H(TIMEOUT_MS), p->timeout_ms, all);
		k_u64(j, "fall", H(FALL), p->fall, all);
		k_u64(j, "rise", H(RISE), p->rise, all);
		/* Listings: path/expect only mean something for http. */
		k_str(j, "path", H(PROBE_HTTP_PATH) && (http || !all),
		      p->http_path, all);
		k_str(j, "expect", H(PROBE_HTTP_EXPECT) && (http || !all),
		      p->http_expect, all);
		vip_json_obj_close(j);
	}
	k_u64(j, "table_size", H(TABLE_SIZE), p->table_size, all);
	k_u64(j, "backend_count", H(BACKEND_COUNT), p->backend_count, all);
	k_u64(j, "frontend_count", H(FRONTEND_COUNT), p->frontend_count, all);
	if (backends) {
		vip_json_key(j, "backends");
		vip_json_arr_open(j);
		for (i = 0; i < backends->n; i++) {
			const struct vip_backend *b = vip_vec_at(backends, i);

			if (!strcmp(b->pool, p->name))
				json_backend(j, b, all);
		}
		vip_json_arr_close(j);
	}
#undef H
}

void json_pool(struct vip_json *j, const struct vip_pool *p,
	       const struct vip_vec *backends, bool all)
{
	vip_json_obj_open(j);
	pool_fields(j, p, backends, all);
	vip_json_obj_close(j);
}

static void settings_obj(struct vip_json *j, const struct vip_settings *st)
{
	vip_json_obj_open(j);
	k_u64(j, "flow_limit", VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_LIMIT),
	      st->flow_limit, true);
	k_u64(j, "flow_count", VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_COUNT),
	      st->flow_count, true);
	vip_json_obj_close(j);
}

void json_show(FILE *f, const struct vip_config *cfg, unsigned int what)
{
	struct vip_json j;
	size_t i;

	vip_json_init(&j, f);
	vip_json_obj_open(&j);
	if (what & FETCH_FRONTENDS) {
		vip_json_key(&j, "frontends");
		vip_json_arr_open(&j);
		for (i = 0; i < cfg->frontends.n; i++)
			json_frontend(&j, vip_vec_at(&cfg->frontends, i), true);
		vip_json_arr_close(&j);
	}
	if (what & FETCH_POOLS) {
		vip_json_key(&j, "pools");
		vip_json_arr_open(&j);
		for (i = 0; i < cfg->pools.n; i++)
			json_pool(&j, vip_vec_at(&cfg->pools, i),
				  (what & FETCH_BACKENDS) ? &cfg->backends :
							    NULL, true);
		vip_json_arr_close(&j);
	}
	if ((what & FETCH_SETTINGS) && cfg->has_settings) {
		vip_json_key(&j, "settings");
		settings_obj(&j, &cfg->settings);
	}
	vip_json_obj_close(&j);
	fputc('\n', f);
}

void json_backends(FILE *f, const struct vip_config *cfg)
{
	struct vip_json j;
	size_t i;

	vip_json_init(&j, f);
	vip_json_obj_open(&j);
	vip_json_key(&j, "backends");
	vip_json_arr_open(&j);
	for (i = 0; i < cfg->backends.n; i++)
		json_backend(&j, vip_vec_at(&cfg->backends, i), true);
	vip_json_arr_close(&j);
	vip_json_obj_close(&j);
	fputc('\n', f);
}

void json_stats(FILE *f, const struct vip_config *cfg)
{
	const struct vip_counters *s = &cfg->stats;
	char a[VIP_ADDRSTRLEN];
	struct vip_json j;
	size_t i;
	int c;

	vip_json_init(&j, f);
	vip_json_obj_open(&j);
	vip_json_key(&j, "frontends");
	vip_json_arr_open(&j);
	for (i = 0; i < cfg->frontends.n; i++) {
		const struct vip_frontend *fe = vip_vec_at(&cfg->frontends, i);

		vip_json_obj_open(&j);
		vip_json_kstr(&j, "vip", vip_addr_str(&fe->vip, a));
		k_word(&j, "proto", true, vip_proto_names, fe->proto, true);
		vip_json_ku64(&j, "port", fe->port);
		k_str(&j, "pool", VIP_HAS(fe, VIPFWD_FRONTEND_A_POOL), fe->pool,
		      true);
		counters(&j, &fe->stats, true);
		extra_counters(&j, &fe->stats, true);
		vip_json_obj_close(&j);
	}
	vip_json_arr_close(&j);
	vip_json_key(&j, "backends");
	vip_json_arr_open(&j);
	for (i = 0; i < cfg->backends.n; i++) {
		const struct vip_backend *b = vip_vec_at(&cfg->backends, i);
		struct vip_counters bc = b->stats;

		/* Active flows: the backend's flow count when the counters
		 * do not have them.
		 */
		if (!VIP_HAS(&bc, VIPFWD_STATS_A_ACTIVE_FLOWS) &&
		    VIP_HAS(b, VIPFWD_BACKEND_A_FLOWS)) {
			bc.v[VIPFWD_STATS_A_ACTIVE_FLOWS] = b->flows;
			VIP_SET(&bc, VIPFWD_STATS_A_ACTIVE_FLOWS);
		}
		vip_json_obj_open(&j);
		vip_json_kstr(&j, "pool", b->pool);
		vip_json_kstr(&j, "addr", vip_addr_str(&b->addr, a));
		counters(&j, &bc, true);
		k_u64(&j, "flows", VIP_HAS(b, VIPFWD_BACKEND_A_FLOWS), b->flows,
		      true);
		extra_counters(&j, &bc, true);
		vip_json_obj_close(&j);
	}
	vip_json_arr_close(&j);
	/* Namespace totals, when the kernel keeps them. */
	for (c = VIPFWD_STATS_A_PACKETS; c <= VIPFWD_STATS_A_ACTIVE_FLOWS; c++)
		if (VIP_HAS(s, c))
			vip_json_ku64(&j, vip_name_str(vip_counter_names, c),
				      s->v[c]);
	vip_json_key(&j, "drops");
	vip_json_obj_open(&j);
	for (c = VIPFWD_STATS_A_DROP_NO_BACKEND;
	     c <= VIPFWD_STATS_A_DROP_TOO_BIG; c++)
		vip_json_ku64(&j, vip_name_str(vip_counter_names, c),
			      VIP_HAS(s, c) ? s->v[c] : 0);
	vip_json_obj_close(&j);
	/* The flow table: size and limit from the settings, else from the
	 * counters; null when the kernel keeps no flow table.
	 */
	if (cfg->has_settings &&
	    VIP_HAS(&cfg->settings, VIPFWD_SETTINGS_A_FLOW_COUNT))
		vip_json_ku64(&j, "flow_count", cfg->settings.flow_count);
	else
		k_u64(&j, "flow_count", VIP_HAS(s, VIPFWD_STATS_A_ACTIVE_FLOWS),
		      s->v[VIPFWD_STATS_A_ACTIVE_FLOWS], true);
	if (cfg->has_settings &&
	    VIP_HAS(&cfg->settings, VIPFWD_SETTINGS_A_FLOW_LIMIT))
		vip_json_ku64(&j, "flow_limit", cfg->settings.flow_limit);
	else
		k_counter(&j, s, VIPFWD_STATS_A_FLOW_LIMIT, true);
	k_counter(&j, s, VIPFWD_STATS_A_FLOW_TABLE_FULL, true);
	k_counter(&j, s, VIPFWD_STATS_A_RESCHEDULED, true);
	k_counter(&j, s, VIPFWD_STATS_A_REJECTED, true);
	/* NAT and ICMP: only from kernels that count them. */
	k_counter(&j, s, VIPFWD_STATS_A_DROP_NAT_UNTRACKED, false);
	k_counter(&j, s, VIPFWD_STATS_A_DROP_NAT_COLLISION, false);
	k_counter(&j, s, VIPFWD_STATS_A_ICMP_FORWARDED, false);
	k_counter(&j, s, VIPFWD_STATS_A_DROP_DECAP_FOREIGN, false);
	/* The VIP guard's drops; null when there is no guard table. */
	vip_json_key(&j, "guard_drops");
	if (cfg->has_guard) {
		vip_json_obj_open(&j);
		vip_json_ku64(&j, "packets", cfg->guard_packets);
		vip_json_ku64(&j, "bytes", cfg->guard_bytes);
		vip_json_obj_close(&j);
	} else {
		vip_json_null(&j);
	}
	vip_json_obj_close(&j);
	fputc('\n', f);
}

/* {"vip","proto","port"} of a frontend key, or null. */
static void frontend_key(struct vip_json *j, const char *key,
			 const struct vip_addr *vip, bool has_proto,
			 uint8_t proto, bool has_port, uint16_t port, bool all)
{
	if (!want(j, key, vip->family != 0, all))
		return;
	vip_json_obj_open(j);
	k_addr(j, "vip", vip, true, false);
	k_word(j, "proto", has_proto, vip_proto_names, proto, true);
	k_u64(j, "port", has_port, port, true);
	vip_json_obj_close(j);
}

static void flow_fields(struct vip_json *j, const struct vip_flow *fl,
			bool all)
{
#define H(a) VIP_HAS(fl, VIPFWD_FLOW_A_##a)
	k_word(j, "proto", H(PROTO), vip_proto_names, fl->proto, all);
	k_addr(j, "src", &fl->src, all, false);
	k_u64(j, "sport", H(SPORT), fl->sport, all);
	k_addr(j, "dst", &fl->dst, all, false);
	k_u64(j, "dport", H(DPORT), fl->dport, all);
	frontend_key(j, "frontend", &fl->fe_vip, H(FRONTEND_PROTO),
		     fl->fe_proto, H(FRONTEND_PORT), fl->fe_port, all);
	k_addr(j, "backend", &fl->backend, all, false);
	if (H(BACKEND_PORT))
		vip_json_ku64(j, "backend_port", fl->backend_port);
	k_str(j, "pool", H(POOL), fl->pool, all);
	k_word(j, "state", H(STATE), vip_flow_state_names, fl->state, all);
	k_ms(j, "idle", H(IDLE_MS), fl->idle_ms, all);
	k_ms(j, "expires", H(EXPIRES_MS), fl->expires_ms, all);
	if (H(FLUSHED))
		vip_json_ku64(j, "flushed", fl->flushed);
#undef H
}

void json_flows(FILE *f, const struct vip_vec *flows)
{
	struct vip_json j;
	size_t i;

	vip_json_init(&j, f);
	vip_json_arr_open(&j);
	for (i = 0; i < flows->n; i++) {
		vip_json_obj_open(&j);
		flow_fields(&j, vip_vec_at(flows, i), true);
		vip_json_obj_close(&j);
	}
	vip_json_arr_close(&j);
	fputc('\n', f);
}

void json_flushed(FILE *f, const struct vip_flow *reply)
{
	struct vip_json j;

	vip_json_init(&j, f);
	vip_json_obj_open(&j);
	vip_json_ku64(&j, "flushed", reply->flushed);
	vip_json_obj_close(&j);
	fputc('\n', f);
}

void json_explain(FILE *f, const struct vip_explain *x)
{
#define H(a) VIP_HAS(x, VIPFWD_EXPLAIN_A_##a)
	struct vip_json j;

	vip_json_init(&j, f);
	vip_json_obj_open(&j);
	k_word(&j, "proto", H(PROTO), vip_proto_names, x->proto, true);
	k_addr(&j, "src", &x->src, true, false);
	k_u64(&j, "sport", H(SPORT), x->sport, true);
	k_addr(&j, "dst", &x->dst, true, false);
	k_u64(&j, "dport", H(DPORT), x->dport, true);
	frontend_key(&j, "frontend", &x->fe_vip, H(FRONTEND_PROTO),
		     x->fe_proto, H(FRONTEND_PORT), x->fe_port, true);
	k_str(&j, "pool", H(POOL), x->pool, true);
	k_addr(&j, "backend", &x->backend, true, false);
	k_u64(&j, "backend_port", H(BACKEND_PORT), x->backend_port, true);
	k_word(&j, "why", H(WHY), vip_why_names, x->why, true);
	k_str(&j, "reason", H(REASON), x->reason, true);
	k_u64(&j, "tier", H(TIER), x->tier, true);
	k_u64(&j, "hash", H(HASH), x->hash, true);
	k_u64(&j, "table_index", H(TABLE_INDEX), x->table_index, true);
	k_u64(&j, "table_size", H(TABLE_SIZE), x->table_size, true);
	k_ms(&j, "flow_idle", H(FLOW_IDLE_MS), x->flow_idle_ms, true);
	vip_json_key(&j, "guard_drop");
	vip_json_bool(&j, x->guard_drop);
	vip_json_obj_close(&j);
	fputc('\n', f);
#undef H
}

void json_settings(FILE *f, const struct vip_settings *st)
{
	struct vip_json j;

	vip_json_init(&j, f);
	settings_obj(&j, st);
	fputc('\n', f);
}

void json_event(FILE *f, const struct vip_obj *o)
{
	struct vip_json j;
	const char *ev = vip_name_str(vip_cmd_names, o->cmd);

	vip_json_init(&j, f);
	vip_json_obj_open(&j);
	vip_json_key(&j, "event");
	if (ev)
		vip_json_str(&j, ev);
	else
		vip_json_u64(&j, o->cmd);
	switch (o->type) {
	case VIP_OBJ_POOL:
		pool_fields(&j, &o->u.pool, NULL, false);
		break;
	case VIP_OBJ_BACKEND:
		backend_fields(&j, &o->u.backend, false);
		break;
	case VIP_OBJ_FRONTEND:
		frontend_fields(&j, &o->u.frontend, false);
		break;
	case VIP_OBJ_STATS:
		counters(&j, &o->u.stats, false);
		extra_counters(&j, &o->u.stats, false);
		break;
	case VIP_OBJ_FLOW:
		flow_fields(&j, &o->u.flow, false);
		break;
	case VIP_OBJ_SETTINGS:
		k_u64(&j, "flow_limit",
		      VIP_HAS(&o->u.settings, VIPFWD_SETTINGS_A_FLOW_LIMIT),
		      o->u.settings.flow_limit, false);
		k_u64(&j, "flow_count",
		      VIP_HAS(&o->u.settings, VIPFWD_SETTINGS_A_FLOW_COUNT),
		      o->u.settings.flow_count, false);
		break;
	default:
		break;
	}
	vip_json_obj_close(&j);
	fputc('\n', f);
}
