// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/vipfwd.h>

#include "human.h"
#include "lib/names.h"
#include "lib/parse.h"
#include "lib/table.h"

/* The word for an enum value, or its number for a value this tool does
 * not know yet (newer kernel).
 */
static const char *word(const struct vip_name *tab, unsigned int val,
			char *buf)
{
	const char *s = vip_name_str(tab, val);

	if (s)
		return s;
	snprintf(buf, 16, "%u", val);
	return buf;
}

static void append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used >= len - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* ---- frontends ---- */

enum { FC_KIND, FC_VIP, FC_PROTO, FC_PORT, FC_POOL, FC_MODE, FC_HASH,
       FC_NOBACKEND, FC_IDLE, FC_SOURCE, FC_ONDOWN, FC_NCOLS };
static const int frontend_seps[FC_NCOLS] = { 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2 };

static void frontend_row(struct vip_table *t, const struct vip_frontend *fe)
{
	char a[VIP_ADDRSTRLEN], n[16], mode[96] = "";

	vip_table_row(t);
	vip_table_cell(t, FC_KIND, "frontend");
	vip_table_cell(t, FC_VIP, "%s", vip_addr_str(&fe->vip, a));
	if (VIP_HAS(fe, VIPFWD_FRONTEND_A_PROTO))
		vip_table_cell(t, FC_PROTO, "%s",
			       word(vip_proto_names, fe->proto, n));
	if (VIP_HAS(fe, VIPFWD_FRONTEND_A_PORT))
		vip_table_cell(t, FC_PORT, "%u", fe->port);
	if (VIP_HAS(fe, VIPFWD_FRONTEND_A_POOL))
		vip_table_cell(t, FC_POOL, "-> pool %s", fe->pool);

	if (VIP_HAS(fe, VIPFWD_FRONTEND_A_MODE)) {
		append(mode, sizeof(mode), "mode %s",
		       word(vip_mode_names, fe->mode, n));
		if (fe->mode == VIPFWD_MODE_ENCAP &&
		    VIP_HAS(fe, VIPFWD_FRONTEND_A_ENCAP)) {
			append(mode, sizeof(mode), " %s",
			       word(vip_encap_names, fe->encap, n));
			if (fe->encap == VIPFWD_ENCAP_GUE &&
			    VIP_HAS(fe, VIPFWD_FRONTEND_A_GUE_PORT))
				append(mode, sizeof(mode), " gue-port %u",
				       fe->gue_port);
		}
		if (fe->mode == VIPFWD_MODE_NAT &&
		    VIP_HAS(fe, VIPFWD_FRONTEND_A_BACKEND_PORT) &&
		    fe->backend_port)
			append(mode, sizeof(mode), " backend-port %u",
			       fe->backend_port);
		vip_table_cell(t, FC_MODE, "%s", mode);
	}
	if (VIP_HAS(fe, VIPFWD_FRONTEND_A_HASH))
		vip_table_cell(t, FC_HASH, "hash %s",
			       word(vip_hash_names, fe->hash, n));
	if (VIP_HAS(fe, VIPFWD_FRONTEND_A_NO_BACKEND))
		vip_table_cell(t, FC_NOBACKEND, "no-backend %s",
			       word(vip_no_backend_names, fe->no_backend, n));
	/* Defaults are left out to keep the line short. */
	if (VIP_HAS(fe, VIPFWD_FRONTEND_A_IDLE_TIMEOUT) &&
	    fe->idle_timeout != VIPFWD_IDLE_TIMEOUT_DEFAULT)
		vip_table_cell(t, FC_IDLE, "idle-timeout %us",
			       fe->idle_timeout);
	if (fe->source.family && !vip_addr_is_any(&fe->source))
		vip_table_cell(t, FC_SOURCE, "source %s",
			       vip_addr_str(&fe->source, a));
	if (VIP_HAS(fe, VIPFWD_FRONTEND_A_ON_HEALTH_DOWN) &&
	    fe->on_health_down != VIPFWD_ON_HEALTH_DOWN_DEFAULT)
		vip_table_cell(t, FC_ONDOWN, "on-health-down %s",
			       word(vip_on_health_down_names,
				    fe->on_health_down, n));
}

/* ---- pools and backends ---- */

static const char *pool_desc(const struct vip_pool *p, char *buf, size_t len)
{
	char n[16], s[16];

	buf[0] = '\0';
	if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_TYPE)) {
		append(buf, len, "probe %s",
		       word(vip_probe_names, p->probe_type, n));
		if (p->probe_type != VIPFWD_PROBE_NONE &&
		    VIP_HAS(p, VIPFWD_POOL_A_PROBE_PORT))
			append(buf, len, " %u", p->probe_port);
		if (p->probe_type == VIPFWD_PROBE_HTTP) {
			if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_HTTP_PATH) &&
			    p->http_path[0])
				append(buf, len, " path %s", p->http_path);
			if (VIP_HAS(p, VIPFWD_POOL_A_PROBE_HTTP_EXPECT) &&
			    p->http_expect[0])
				append(buf, len, " expect %s",
				       p->http_expect);
		}
	}
	/* Probe timing means nothing without a probe. */
	if (!VIP_HAS(p, VIPFWD_POOL_A_PROBE_TYPE) ||
	    p->probe_type != VIPFWD_PROBE_NONE) {
		if (VIP_HAS(p, VIPFWD_POOL_A_INTERVAL_MS))
			append(buf, len, " interval %ss",
			       vip_ms_str(p->interval_ms, s));
		if (VIP_HAS(p, VIPFWD_POOL_A_TIMEOUT_MS))
			append(buf, len, " timeout %ss",
			       vip_ms_str(p->timeout_ms, s));
		if (VIP_HAS(p, VIPFWD_POOL_A_FALL))
			append(buf, len, " fall %u", p->fall);
		if (VIP_HAS(p, VIPFWD_POOL_A_RISE))
			append(buf, len, " rise %u", p->rise);
	}
	if (VIP_HAS(p, VIPFWD_POOL_A_TABLE_SIZE) &&
	    p->table_size != VIPFWD_TABLE_SIZE_DEFAULT)
		append(buf, len, " table-size %u", p->table_size);
	return buf[0] == ' ' ? buf + 1 : buf;
}

/* Backend columns, starting at the address; the caller owns the ones
 * before it ("backend" and, for flat lists, the pool).
 */
enum { BC_ADDR, BC_VIA, BC_WEIGHT, BC_TIER, BC_STATE, BC_HEALTH,
       BC_ELIGIBLE, BC_NCOLS };
static const int backend_seps[BC_NCOLS] = { 1, 2, 2, 1, 1, 2, 2 };

static void backend_cells(struct vip_table *t, int base,
			  const struct vip_backend *b)
{
	char a[VIP_ADDRSTRLEN], n[16];

	vip_table_cell(t, base + BC_ADDR, "%s", vip_addr_str(&b->addr, a));
	if (b->via.family && !vip_addr_is_any(&b->via))
		vip_table_cell(t, base + BC_VIA, "via %s",
			       vip_addr_str(&b->via, a));
	if (VIP_HAS(b, VIPFWD_BACKEND_A_WEIGHT))
		vip_table_cell(t, base + BC_WEIGHT, "weight %u", b->weight);
	if (VIP_HAS(b, VIPFWD_BACKEND_A_TIER))
		vip_table_cell(t, base + BC_TIER, "tier %u", b->tier);
	if (VIP_HAS(b, VIPFWD_BACKEND_A_STATE))
		vip_table_cell(t, base + BC_STATE, "%s",
			       word(vip_state_names, b->state, n));
	if (VIP_HAS(b, VIPFWD_BACKEND_A_HEALTH))
		vip_table_cell(t, base + BC_HEALTH, "health %s",
			       word(vip_health_names, b->health, n));
	if (VIP_HAS(b, VIPFWD_BACKEND_A_ELIGIBLE)) {
		if (b->eligible)
			vip_table_cell(t, base + BC_ELIGIBLE, "eligible");
		else if (b->reason[0])
			vip_table_cell(t, base + BC_ELIGIBLE,
				       "not eligible: %s", b->reason);
		else
			vip_table_cell(t, base + BC_ELIGIBLE, "not eligible");
	}
}

static void init_backend_table(struct vip_table *t, int lead)
{
	int seps[VIP_TABLE_COLS] = { 0 }, i;

	for (i = 1; i < lead; i++)
		seps[i] = 1;
	for (i = 0; i < BC_NCOLS; i++)
		seps[lead + i] = backend_seps[i];
	vip_table_init(t, lead + BC_NCOLS, seps);
}

static int print_table(struct vip_table *t, FILE *f)
{
	int err = vip_table_print(t, f);

	vip_table_free(t);
	return err;
}

/* "LABEL  flow-limit L  flows N", after a blank line when sep. */
static int human_settings_line(FILE *f, const char *label,
			       const struct vip_settings *st, bool sep)
{
	if (sep)
		fputc('\n', f);
	fputs(label, f);
	if (VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_LIMIT))
		fprintf(f, "  flow-limit %u", st->flow_limit);
	if (VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_COUNT))
		fprintf(f, "  flows %u", st->flow_count);
	fputc('\n', f);
	return 0;
}

int human_show(FILE *f, const struct vip_config *cfg, unsigned int what)
{
	struct vip_table t;
	size_t i, j;
	char desc[512];

	if (what & FETCH_FRONTENDS) {
		vip_table_init(&t, FC_NCOLS, frontend_seps);
		for (i = 0; i < cfg->frontends.n; i++)
			frontend_row(&t, vip_vec_at(&cfg->frontends, i));
		if (print_table(&t, f))
			return -1;
		if ((what & FETCH_POOLS) && cfg->frontends.n && cfg->pools.n)
			fputc('\n', f);
	}
	if (!(what & FETCH_POOLS))
		return 0;

	/* One table for all backends, so columns line up across pools. */
	init_backend_table(&t, 1);
	for (i = 0; i < cfg->pools.n; i++) {
		const struct vip_pool *p = vip_vec_at(&cfg->pools, i);
		const char *d = pool_desc(p, desc, sizeof(desc));
		size_t count = 0;

		if (i)
			vip_table_raw(&t, "%s", "");
		vip_table_raw(&t, "pool %s%s%s", p->name, *d ? "  " : "", d);
		for (j = 0; j < cfg->backends.n; j++) {
			const struct vip_backend *b =
				vip_vec_at(&cfg->backends, j);

			if (strcmp(b->pool, p->name))
				continue;
			vip_table_row(&t);
			vip_table_cell(&t, 0, "  backend");
			backend_cells(&t, 1, b);
			count++;
		}
		if (!count && (what & FETCH_BACKENDS))
			vip_table_raw(&t, "  (no backends)");
	}
	if (print_table(&t, f))
		return -1;
	if ((what & FETCH_SETTINGS) && cfg->has_settings)
		return human_settings_line(f, "settings", &cfg->settings,
					   cfg->frontends.n || cfg->pools.n);
	return 0;
}

int human_backends(FILE *f, const struct vip_config *cfg)
{
	struct vip_table t;
	size_t i;

	init_backend_table(&t, 2);
	for (i = 0; i < cfg->backends.n; i++) {
		const struct vip_backend *b = vip_vec_at(&cfg->backends, i);

		vip_table_row(&t);
		vip_table_cell(&t, 0, "backend");
		vip_table_cell(&t, 1, "%s", b->pool);
		backend_cells(&t, 2, b);
	}
	return print_table(&t, f);
}

/* ---- stats ---- */

enum { SC_KIND, SC_NAME, SC_PACKETS, SC_BYTES, SC_NEW, SC_FLOWS, SC_NCOLS };
static const int stats_seps[SC_NCOLS] = { 0, 1, 2, 2, 2, 2 };

static void counter_cell(struct vip_table *t, int col,
			 const struct vip_counters *c, int attr)
{
	if (VIP_HAS(c, attr))
		vip_table_cell(t, col, "%" PRIu64, c->v[attr]);
	else
		vip_table_cell(t, col, "-");
}

static void counter_word(FILE *f, const char *name,
			 const struct vip_counters *c, int attr)
{
	if (VIP_HAS(c, attr))
		fprintf(f, "  %s %" PRIu64, name, c->v[attr]);
	else
		fprintf(f, "  %s -", name);
}

int human_stats(FILE *f, const struct vip_config *cfg)
{
	struct vip_table t;
	char a[VIP_ADDRSTRLEN], n[16];
	const struct vip_counters *s = &cfg->stats;
	const struct vip_settings *st = &cfg->settings;
	size_t i;
	int c, first = 1;

	vip_table_init(&t, SC_NCOLS, stats_seps);
	for (c = SC_PACKETS; c < SC_NCOLS; c++)
		vip_table_align_right(&t, c);
	if (cfg->frontends.n || cfg->backends.n) {
		vip_table_row(&t);
		vip_table_cell(&t, SC_PACKETS, "packets");
		vip_table_cell(&t, SC_BYTES, "bytes");
		vip_table_cell(&t, SC_NEW, "new-flows");
		vip_table_cell(&t, SC_FLOWS, "flows");
	}

	for (i = 0; i < cfg->frontends.n; i++) {
		const struct vip_frontend *fe = vip_vec_at(&cfg->frontends, i);

		vip_table_row(&t);
		vip_table_cell(&t, SC_KIND, "frontend");
		vip_table_cell(&t, SC_NAME, "%s %s %u",
			       vip_addr_str(&fe->vip, a),
			       word(vip_proto_names, fe->proto, n), fe->port);
		counter_cell(&t, SC_PACKETS, &fe->stats, VIPFWD_STATS_A_PACKETS);
		counter_cell(&t, SC_BYTES, &fe->stats, VIPFWD_STATS_A_BYTES);
		counter_cell(&t, SC_NEW, &fe->stats, VIPFWD_STATS_A_NEW_FLOWS);
		counter_cell(&t, SC_FLOWS, &fe->stats,
			     VIPFWD_STATS_A_ACTIVE_FLOWS);
	}
	for (i = 0; i < cfg->backends.n; i++) {
		const struct vip_backend *b = vip_vec_at(&cfg->backends, i);

		vip_table_row(&t);
		vip_table_cell(&t, SC_KIND, "backend");
		vip_table_cell(&t, SC_NAME, "%s %s", b->pool,
			       vip_addr_str(&b->addr, a));
		counter_cell(&t, SC_PACKETS, &b->stats, VIPFWD_STATS_A_PACKETS);
		counter_cell(&t, SC_BYTES, &b->stats, VIPFWD_STATS_A_BYTES);
		counter_cell(&t, SC_NEW, &b->stats, VIPFWD_STATS_A_NEW_FLOWS);
		if (VIP_HAS(&b->stats, VIPFWD_STATS_A_ACTIVE_FLOWS))
			counter_cell(&t, SC_FLOWS, &b->stats,
				     VIPFWD_STATS_A_ACTIVE_FLOWS);
		else if (VIP_HAS(b, VIPFWD_BACKEND_A_FLOWS))
			vip_table_cell(&t, SC_FLOWS, "%u", b->flows);
		else
			vip_table_cell(&t, SC_FLOWS, "-");
	}
	if (print_table(&t, f))
		return -1;

	fputs("drops:", f);
	for (c = VIPFWD_STATS_A_DROP_NO_BACKEND;
	     c <= VIPFWD_STATS_A_DROP_TOO_BIG; c++) {
		char name[32];
		char *p;

		vip_strlcpy(name, word(vip_counter_names, (unsigned int)c, n),
			    sizeof(name));
		for (p = name; *p; p++)
			if (*p == '_')
				*p = '-';
		fprintf(f, "%s%s %" PRIu64, first ? " " : "  ", name,
			VIP_HAS(s, c) ? s->v[c] : 0);
		first = 0;
	}
	fputc('\n', f);

	/* The flow table: its size from the settings, else the counters. */
	fputs("flows:", f);
	if (cfg->has_settings && VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_COUNT))
		fprintf(f, " %u", st->flow_count);
	else if (VIP_HAS(s, VIPFWD_STATS_A_ACTIVE_FLOWS))
		fprintf(f, " %" PRIu64, s->v[VIPFWD_STATS_A_ACTIVE_FLOWS]);
	else
		fputs(" -", f);
	if (cfg->has_settings && VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_LIMIT))
		fprintf(f, " of limit %u", st->flow_limit);
	else if (VIP_HAS(s, VIPFWD_STATS_A_FLOW_LIMIT))
		fprintf(f, " of limit %" PRIu64,
			s->v[VIPFWD_STATS_A_FLOW_LIMIT]);
	counter_word(f, "table-full", s, VIPFWD_STATS_A_FLOW_TABLE_FULL);
	counter_word(f, "rescheduled", s, VIPFWD_STATS_A_RESCHEDULED);
	counter_word(f, "rejected", s, VIPFWD_STATS_A_REJECTED);
	fputc('\n', f);
	/* NAT and ICMP: only from kernels that count them. */
	if (VIP_HAS(s, VIPFWD_STATS_A_DROP_NAT_UNTRACKED) ||
	    VIP_HAS(s, VIPFWD_STATS_A_ICMP_FORWARDED)) {
		fputs("nat/icmp:", f);
		counter_word(f, "nat-untracked", s,
			     VIPFWD_STATS_A_DROP_NAT_UNTRACKED);
		counter_word(f, "nat-collision", s,
			     VIPFWD_STATS_A_DROP_NAT_COLLISION);
		counter_word(f, "icmp-forwarded", s,
			     VIPFWD_STATS_A_ICMP_FORWARDED);
		fputc('\n', f);
	}
	/* Host-side delivery (vipctl decap): tunnel packets from outside
	 * every decap prefix.
	 */
	if (VIP_HAS(s, VIPFWD_STATS_A_DROP_DECAP_FOREIGN)) {
		fputs("decap:", f);
		counter_word(f, "foreign", s, VIPFWD_STATS_A_DROP_DECAP_FOREIGN);
		fputc('\n', f);
	}
	/* Traffic to a VIP that no frontend handles, dropped by nftables. */
	if (cfg->has_guard)
		fprintf(f, "guard drops: %" PRIu64 " packets %" PRIu64 " bytes\n",
			cfg->guard_packets, cfg->guard_bytes);
	return 0;
}

/* ---- flows, explain, settings ---- */

/* "10.0.1.2:40000", "[2001:db8::1]:80"; the address alone for port 0
 * (a 3-tuple or 2-tuple key keeps no ports).
 */
static const char *endpoint(const struct vip_addr *a, uint16_t port,
			    char *buf, size_t len)
{
	char s[VIP_ADDRSTRLEN];

	vip_addr_str(a, s);
	if (!port)
		snprintf(buf, len, "%s", s);
	else if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", s, port);
	else
		snprintf(buf, len, "%s:%u", s, port);
	return buf;
}

enum { FL_PROTO, FL_SRC, FL_ARROW, FL_DST, FL_BACKEND, FL_POOL, FL_STATE,
       FL_IDLE, FL_EXPIRES, FL_NCOLS };
static const int flow_seps[FL_NCOLS] = { 0, 1, 1, 1, 2, 2, 2, 2, 2 };

int human_flows(FILE *f, const struct vip_vec *flows)
{
	char a[VIP_ADDRSTRLEN + 8], n[16];
	struct vip_table t;
	size_t i;

	vip_table_init(&t, FL_NCOLS, flow_seps);
	for (i = 0; i < flows->n; i++) {
		const struct vip_flow *fl = vip_vec_at(flows, i);

		vip_table_row(&t);
		vip_table_cell(&t, FL_PROTO, "%s",
			       word(vip_proto_names, fl->proto, n));
		vip_table_cell(&t, FL_SRC, "%s",
			       endpoint(&fl->src, fl->sport, a, sizeof(a)));
		vip_table_cell(&t, FL_ARROW, "->");
		vip_table_cell(&t, FL_DST, "%s",
			       endpoint(&fl->dst, fl->dport, a, sizeof(a)));
		if (fl->backend.family)
			vip_table_cell(&t, FL_BACKEND, "backend %s",
				       VIP_HAS(fl, VIPFWD_FLOW_A_BACKEND_PORT) ?
				       endpoint(&fl->backend, fl->backend_port,
						a, sizeof(a)) :
				       vip_addr_str(&fl->backend, a));
		if (VIP_HAS(fl, VIPFWD_FLOW_A_POOL))
			vip_table_cell(&t, FL_POOL, "pool %s", fl->pool);
		if (VIP_HAS(fl, VIPFWD_FLOW_A_STATE))
			vip_table_cell(&t, FL_STATE, "%s",
				       word(vip_flow_state_names, fl->state,
					    n));
		if (VIP_HAS(fl, VIPFWD_FLOW_A_IDLE_MS))
			vip_table_cell(&t, FL_IDLE, "idle %ss",
				       vip_ms_str(fl->idle_ms, n));
		if (VIP_HAS(fl, VIPFWD_FLOW_A_EXPIRES_MS))
			vip_table_cell(&t, FL_EXPIRES, "expires %ss",
				       vip_ms_str(fl->expires_ms, n));
	}
	return print_table(&t, f);
}

int human_flushed(FILE *f, const struct vip_flow *reply)
{
	uint32_t n = reply->flushed;

	fprintf(f, "%u flow%s removed\n", n, n == 1 ? "" : "s");
	return 0;
}

int human_explain(FILE *f, const struct vip_explain *x)
{
	char a[VIP_ADDRSTRLEN + 8], b[VIP_ADDRSTRLEN + 8], n[16];
	const char *verdict;
	char be[VIP_ADDRSTRLEN + 16];

	if (x->backend.family) {
		/* mode nat: the port the backend receives on, as flows shows */
		snprintf(be, sizeof(be), "backend %s",
			 endpoint(&x->backend, x->backend_port, a, sizeof(a)));
		verdict = be;
	} else if (!x->fe_vip.family) {
		verdict = "no frontend";
	} else {
		verdict = "no backend";
	}
	fprintf(f, "%s %s -> %s: %s\n", word(vip_proto_names, x->proto, n),
		endpoint(&x->src, x->sport, a, sizeof(a)),
		endpoint(&x->dst, x->dport, b, sizeof(b)), verdict);
	if (VIP_HAS(x, VIPFWD_EXPLAIN_A_REASON))
		fprintf(f, "  %s\n", x->reason);
	if (x->guard_drop)
		fputs("  then dropped by the VIP guard (table inet vipfwd): no frontend handles it\n",
		      f);
	if (!x->fe_vip.family)
		return 0;
	fprintf(f, "  frontend %s %s %u", vip_addr_str(&x->fe_vip, a),
		word(vip_proto_names, x->fe_proto, n), x->fe_port);
	if (VIP_HAS(x, VIPFWD_EXPLAIN_A_POOL))
		fprintf(f, "  pool %s", x->pool);
	if (VIP_HAS(x, VIPFWD_EXPLAIN_A_HASH))
		fprintf(f, "  hash 0x%08x", x->hash);
	if (VIP_HAS(x, VIPFWD_EXPLAIN_A_TIER))
		fprintf(f, "  tier %u", x->tier);
	if (VIP_HAS(x, VIPFWD_EXPLAIN_A_TABLE_INDEX))
		fprintf(f, "  table entry %u", x->table_index);
	if (VIP_HAS(x, VIPFWD_EXPLAIN_A_TABLE_SIZE))
		fprintf(f, " of %u", x->table_size);
	if (VIP_HAS(x, VIPFWD_EXPLAIN_A_FLOW_IDLE_MS))
		fprintf(f, "  flow idle %ss", vip_ms_str(x->flow_idle_ms, n));
	fputc('\n', f);
	return 0;
}

int human_settings(FILE *f, const struct vip_settings *st)
{
	if (VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_LIMIT))
		fprintf(f, "flow-limit %u\n", st->flow_limit);
	if (VIP_HAS(st, VIPFWD_SETTINGS_A_FLOW_COUNT))
		fprintf(f, "flows %u\n", st->flow_count);
	return 0;
}

/* ---- events ---- */

int human_event(FILE *f, const struct vip_obj *o)
{
	char n[16], desc[512];
	const char *ev = word(vip_cmd_names, o->cmd, n);
	struct vip_table t;

	switch (o->type) {
	case VIP_OBJ_POOL: {
		const char *d = pool_desc(&o->u.pool, desc, sizeof(desc));

		fprintf(f, "%s pool %s%s%s\n", ev, o->u.pool.name,
			*d ? "  " : "", d);
		return 0;
	}
	case VIP_OBJ_BACKEND:
		init_backend_table(&t, 3);
		vip_table_row(&t);
		vip_table_cell(&t, 0, "%s", ev);
		vip_table_cell(&t, 1, "backend");
		vip_table_cell(&t, 2, "%s", o->u.backend.pool);
		backend_cells(&t, 3, &o->u.backend);
		return print_table(&t, f);
	case VIP_OBJ_FRONTEND:
		/* A one-row table: only the column spacing matters. */
		vip_table_init(&t, FC_NCOLS, frontend_seps);
		frontend_row(&t, &o->u.frontend);
		fprintf(f, "%s ", ev);
		return print_table(&t, f);
	case VIP_OBJ_FLOW: {
		const struct vip_flow *fl = &o->u.flow;
		char a[VIP_ADDRSTRLEN];

		fprintf(f, "%s", ev);
		if (VIP_HAS(fl, VIPFWD_FLOW_A_FRONTEND_PROTO))
			fprintf(f, " frontend %s %s %u",
				vip_addr_str(&fl->fe_vip, a),
				word(vip_proto_names, fl->fe_proto, n),
				fl->fe_port);
		if (fl->backend.family)
			fprintf(f, " backend %s",
				vip_addr_str(&fl->backend, a));
		if (VIP_HAS(fl, VIPFWD_FLOW_A_FLUSHED))
			fprintf(f, "  %u flow%s removed", fl->flushed,
				fl->flushed == 1 ? "" : "s");
		fputc('\n', f);
		return 0;
	}
	case VIP_OBJ_SETTINGS:
		return human_settings_line(f, ev, &o->u.settings, false);
	default:
		fprintf(f, "%s\n", ev);
		return 0;
	}
}
