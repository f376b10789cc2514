// SPDX-License-Identifier: GPL-2.0
/* Human and JSON output of a known configuration, compared byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/vipfwd.h>

#include "fetch.h"
#include "human.h"
#include "jsonout.h"
#include "tap.h"

#define SETB(o, a) VIP_SET(o, VIPFWD_BACKEND_A_##a)
#define SETF(o, a) VIP_SET(o, VIPFWD_FRONTEND_A_##a)
#define SETP(o, a) VIP_SET(o, VIPFWD_POOL_A_##a)

static void counters(struct vip_counters *c, uint64_t packets, uint64_t bytes)
{
	c->v[VIPFWD_STATS_A_PACKETS] = packets;
	c->v[VIPFWD_STATS_A_BYTES] = bytes;
	c->has = (1u << VIPFWD_STATS_A_PACKETS) | (1u << VIPFWD_STATS_A_BYTES);
}

static void add_backend(struct vip_config *cfg, const char *pool,
			const char *addr, const char *via, uint32_t weight,
			uint8_t tier, uint8_t state, uint8_t health,
			const char *reason)
{
	struct vip_backend *b = vip_vec_push(&cfg->backends);

	strcpy(b->pool, pool);
	SETB(b, POOL);
	vip_addr_parse(addr, &b->addr);
	SETB(b, ADDR4);
	if (via) {
		vip_addr_parse(via, &b->via);
		SETB(b, VIA4);
	}
	b->weight = weight;
	b->tier = tier;
	b->state = state;
	b->health = health;
	b->eligible = reason == NULL;
	SETB(b, WEIGHT);
	SETB(b, TIER);
	SETB(b, STATE);
	SETB(b, HEALTH);
	SETB(b, ELIGIBLE);
	if (reason) {
		strcpy(b->reason, reason);
		SETB(b, REASON);
	}
	b->flows = 0;
	SETB(b, FLOWS);
	counters(&b->stats, weight * 10, weight * 1000);
	SETB(b, STATS);
}

static void build(struct vip_config *cfg)
{
	struct vip_frontend *f;
	struct vip_pool *p;

	vip_config_init(cfg);

	f = vip_vec_push(&cfg->frontends);
	vip_addr_parse("192.168.2.100", &f->vip);
	SETF(f, VIP4);
	f->proto = 6;
	f->port = 1433;
	strcpy(f->pool, "sqlcluster");
	f->mode = VIPFWD_MODE_ENCAP;
	f->encap = VIPFWD_ENCAP_IPIP;
	f->idle_timeout = 240;
	f->hash = VIPFWD_HASH_5TUPLE;
	f->no_backend = VIPFWD_NO_BACKEND_DROP;
	vip_addr_parse("0.0.0.0", &f->source);
	SETF(f, PROTO);
	SETF(f, PORT);
	SETF(f, POOL);
	SETF(f, MODE);
	SETF(f, ENCAP);
	SETF(f, GUE_PORT);
	SETF(f, BACKEND_PORT);
	SETF(f, IDLE_TIMEOUT);
	SETF(f, HASH);
	SETF(f, NO_BACKEND);
	SETF(f, SOURCE4);
	counters(&f->stats, 12, 3456);
	f->stats.v[VIPFWD_STATS_A_NEW_FLOWS] = 7;
	f->stats.v[VIPFWD_STATS_A_ACTIVE_FLOWS] = 3;
	f->stats.has |= (1u << VIPFWD_STATS_A_NEW_FLOWS) |
			(1u << VIPFWD_STATS_A_ACTIVE_FLOWS);
	SETF(f, STATS);
	f->on_health_down = VIPFWD_ON_HEALTH_DOWN_DEFAULT;
	SETF(f, ON_HEALTH_DOWN);

	f = vip_vec_push(&cfg->frontends);
	vip_addr_parse("192.168.1.111", &f->vip);
	SETF(f, VIP4);
	f->proto = VIPFWD_PROTO_ANY;
	f->port = 0;
	strcpy(f->pool, "web");
	f->mode = VIPFWD_MODE_NAT;
	f->backend_port = 3389;
	f->idle_timeout = 60;
	f->hash = VIPFWD_HASH_2TUPLE;
	f->no_backend = VIPFWD_NO_BACKEND_REJECT;
	vip_addr_parse("10.10.20.1", &f->source);
	f->on_health_down = VIPFWD_ON_HEALTH_DOWN_KEEP;
	SETF(f, ON_HEALTH_DOWN);
	SETF(f, PROTO);
	SETF(f, PORT);
	SETF(f, POOL);
	SETF(f, MODE);
	SETF(f, BACKEND_PORT);
	SETF(f, IDLE_TIMEOUT);
	SETF(f, HASH);
	SETF(f, NO_BACKEND);
	SETF(f, SOURCE4);

	p = vip_vec_push(&cfg->pools);
	strcpy(p->name, "sqlcluster");
	p->probe_type = VIPFWD_PROBE_TCP;
	p->probe_port = 59999;
	p->interval_ms = 5000;
	p->timeout_ms = 2000;
	p->fall = 11;
	p->rise = 2;
	p->table_size = VIPFWD_TABLE_SIZE_DEFAULT;
	p->backend_count = 2;
	p->frontend_count = 1;
	p->has = 0x1ffe;	/* every pool attribute */
	p->http_path[0] = '\0';

	p = vip_vec_push(&cfg->pools);
	strcpy(p->name, "web");
	p->probe_type = VIPFWD_PROBE_HTTP;
	p->probe_port = 8080;
	strcpy(p->http_path, "/health \"x\"");
	strcpy(p->http_expect, "200-399");
	p->interval_ms = 500;
	p->timeout_ms = 250;
	p->fall = 3;
	p->rise = 2;
	p->table_size = 251;
	p->has = 0x7fe;

	p = vip_vec_push(&cfg->pools);
	strcpy(p->name, "empty");
	p->probe_type = VIPFWD_PROBE_NONE;
	p->interval_ms = 5000;
	p->table_size = VIPFWD_TABLE_SIZE_DEFAULT;
	SETP(p, NAME);
	SETP(p, PROBE_TYPE);
	SETP(p, INTERVAL_MS);
	SETP(p, TABLE_SIZE);

	add_backend(cfg, "sqlcluster", "10.0.0.11", NULL, 1, 0,
		    VIPFWD_BACKEND_ENABLED, VIPFWD_HEALTH_UP, NULL);
	add_backend(cfg, "web", "10.10.20.3", "172.16.0.3", 100, 1,
		    VIPFWD_BACKEND_DRAINING, VIPFWD_HEALTH_DOWN,
		    "draining");
	add_backend(cfg, "sqlcluster", "10.0.0.12", NULL, 1, 0,
		    VIPFWD_BACKEND_ENABLED, VIPFWD_HEALTH_UNKNOWN,
		    "health unknown: no probe result yet");

	{
		/* 10.0.0.11 has flows: new ones counted, 2 active */
		struct vip_backend *b = vip_vec_at(&cfg->backends, 0);

		b->flows = 2;
		b->stats.v[VIPFWD_STATS_A_NEW_FLOWS] = 5;
		b->stats.has |= 1u << VIPFWD_STATS_A_NEW_FLOWS;
	}

	cfg->stats.v[VIPFWD_STATS_A_DROP_NO_BACKEND] = 5;
	cfg->stats.v[VIPFWD_STATS_A_DROP_FRAGMENT] = 2;
	cfg->stats.v[VIPFWD_STATS_A_FLOW_TABLE_FULL] = 4;
	cfg->stats.v[VIPFWD_STATS_A_RESCHEDULED] = 1;
	cfg->stats.v[VIPFWD_STATS_A_REJECTED] = 0;
	cfg->stats.has = (1u << VIPFWD_STATS_A_DROP_NO_BACKEND) |
			 (1u << VIPFWD_STATS_A_DROP_FRAGMENT) |
			 (1u << VIPFWD_STATS_A_FLOW_TABLE_FULL) |
			 (1u << VIPFWD_STATS_A_RESCHEDULED) |
			 (1u << VIPFWD_STATS_A_REJECTED);
	cfg->has_stats = true;
	cfg->settings.flow_limit = 1000;
	cfg->settings.flow_count = 3;
	cfg->settings.has = (1u << VIPFWD_SETTINGS_A_FLOW_LIMIT) |
			    (1u << VIPFWD_SETTINGS_A_FLOW_COUNT);
	cfg->has_settings = true;
}

struct job {
	const struct vip_config *cfg;
	int kind;
	const struct vip_obj *obj;
};

enum { HUMAN_SHOW, HUMAN_POOLS, HUMAN_BACKENDS, HUMAN_STATS, JSON_SHOW,
       JSON_POOLS, JSON_FRONTENDS, JSON_BACKENDS, JSON_STATS, HUMAN_EVENT,
       JSON_EVENT, HUMAN_SHOW_ALL, JSON_SHOW_ALL };

static char *render(const struct job *j)
{
	const unsigned int all = FETCH_FRONTENDS | FETCH_POOLS | FETCH_BACKENDS;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	switch (j->kind) {
	case HUMAN_SHOW:
		human_show(f, j->cfg, all);
		break;
	case HUMAN_POOLS:
		human_show(f, j->cfg, FETCH_POOLS | FETCH_BACKENDS);
		break;
	case HUMAN_BACKENDS:
		human_backends(f, j->cfg);
		break;
	case HUMAN_STATS:
		human_stats(f, j->cfg);
		break;
	case JSON_SHOW:
		json_show(f, j->cfg, all);
		break;
	case JSON_POOLS:
		json_show(f, j->cfg, FETCH_POOLS | FETCH_BACKENDS);
		break;
	case JSON_FRONTENDS:
		json_show(f, j->cfg, FETCH_FRONTENDS);
		break;
	case JSON_BACKENDS:
		json_backends(f, j->cfg);
		break;
	case JSON_STATS:
		json_stats(f, j->cfg);
		break;
	case HUMAN_EVENT:
		human_event(f, j->obj);
		break;
	case JSON_EVENT:
		json_event(f, j->obj);
		break;
	case HUMAN_SHOW_ALL:
		human_show(f, j->cfg, all | FETCH_SETTINGS);
		break;
	case JSON_SHOW_ALL:
		json_show(f, j->cfg, all | FETCH_SETTINGS);
		break;
	}
	fclose(f);
	return buf;
}

static void check(const struct vip_config *cfg, int kind, const char *want,
		  const char *name)
{
	struct job j = { cfg, kind, NULL };
	char *got = render(&j);

	tap_is_str(got, want, "%s", name);
	if (getenv("VIPCTL_TEST_DUMP"))
		fprintf(stderr, "=== %s\n%s", name, got);
	free(got);
}

static void check_event(const struct vip_obj *o, int kind, const char *want,
			const char *name)
{
	struct job j = { NULL, kind, o };
	char *got = render(&j);

	tap_is_str(got, want, "%s", name);
	free(got);
}

static const char human_show_want[] =
"frontend 192.168.2.100 tcp 1433 -> pool sqlcluster  mode encap ipip             hash 5tuple  no-backend drop\n"
"frontend 192.168.1.111 any 0    -> pool web         mode nat backend-port 3389  hash 2tuple  no-backend reject  idle-timeout 60s  source 10.10.20.1  on-health-down keep\n"
"\n"
"pool sqlcluster  probe tcp 59999 interval 5s timeout 2s fall 11 rise 2\n"
"  backend 10.0.0.11                   weight 1   tier 0 enabled   health up       eligible\n"
"  backend 10.0.0.12                   weight 1   tier 0 enabled   health unknown  not eligible: health unknown: no probe result yet\n"
"\n"
"pool web  probe http 8080 path /health \"x\" expect 200-399 interval 0.5s timeout 0.25s fall 3 rise 2 table-size 251\n"
"  backend 10.10.20.3  via 172.16.0.3  weight 100 tier 1 draining  health down     not eligible: draining\n"
"\n"
"pool empty  probe none\n"
"  (no backends)\n";

static const char human_backends_want[] =
"backend sqlcluster 10.0.0.11                   weight 1   tier 0 enabled   health up       eligible\n"
"backend web        10.10.20.3  via 172.16.0.3  weight 100 tier 1 draining  health down     not eligible: draining\n"
"backend sqlcluster 10.0.0.12                   weight 1   tier 0 enabled   health unknown  not eligible: health unknown: no probe result yet\n";

static const char human_stats_want[] =
"                                 packets   bytes  new-flows  flows\n"
"frontend 192.168.2.100 tcp 1433       12    3456          7      3\n"
"frontend 192.168.1.111 any 0           -       -          -      -\n"
"backend  sqlcluster 10.0.0.11         10    1000          5      2\n"
"backend  web 10.10.20.3             1000  100000          -      0\n"
"backend  sqlcluster 10.0.0.12         10    1000          -      0\n"
"drops: no-backend 5  no-route 0  malformed 0  fragment 2  nomem 0  too-big 0\n"
"flows: 3 of limit 1000  table-full 4  rescheduled 1  rejected 0\n";

#define HUMAN_SHOW_ALL_WANT \
"frontend 192.168.2.100 tcp 1433 -> pool sqlcluster  mode encap ipip             hash 5tuple  no-backend drop\n" \
"frontend 192.168.1.111 any 0    -> pool web         mode nat backend-port 3389  hash 2tuple  no-backend reject  idle-timeout 60s  source 10.10.20.1  on-health-down keep\n" \
"\n" \
"pool sqlcluster  probe tcp 59999 interval 5s timeout 2s fall 11 rise 2\n" \
"  backend 10.0.0.11                   weight 1   tier 0 enabled   health up       eligible\n" \
"  backend 10.0.0.12                   weight 1   tier 0 enabled   health unknown  not eligible: health unknown: no probe result yet\n" \
"\n" \
"pool web  probe http 8080 path /health \"x\" expect 200-399 interval 0.5s timeout 0.25s fall 3 rise 2 table-size 251\n" \
"  backend 10.10.20.3  via 172.16.0.3  weight 100 tier 1 draining  health down     not eligible: draining\n" \
"\n" \
"pool empty  probe none\n" \
"  (no backends)\n" \
"\n" \
"settings  flow-limit 1000  flows 3\n"

#define HUMAN_STATS_OLD_WANT \
"                                 packets   bytes  new-flows  flows\n" \
"frontend 192.168.2.100 tcp 1433       12    3456          7      3\n" \
"frontend 192.168.1.111 any 0           -       -          -      -\n" \
"backend  sqlcluster 10.0.0.11         10    1000          5      2\n" \
"backend  web 10.10.20.3             1000  100000          -      0\n" \
"backend  sqlcluster 10.0.0.12         10    1000          -      0\n" \
"drops: no-backend 0  no-route 0  malformed 0  fragment 0  nomem 0  too-big 0\n" \
"flows: -  table-full -  rescheduled -  rejected -\n"

#define FE1 "{\"vip\":\"192.168.2.100\",\"proto\":\"tcp\",\"port\":1433,\"pool\":\"sqlcluster\",\"mode\":\"encap\",\"encap\":\"ipip\",\"gue_port\":0,\"backend_port\":0,\"idle_timeout\":240,\"hash\":\"5tuple\",\"no_backend\":\"drop\",\"source\":null,\"on_health_down\":\"default\",\"packets\":12,\"bytes\":3456}"
#define FE2 "{\"vip\":\"192.168.1.111\",\"proto\":\"any\",\"port\":0,\"pool\":\"web\",\"mode\":\"nat\",\"encap\":null,\"gue_port\":null,\"backend_port\":3389,\"idle_timeout\":60,\"hash\":\"2tuple\",\"no_backend\":\"reject\",\"source\":\"10.10.20.1\",\"on_health_down\":\"keep\",\"packets\":null,\"bytes\":null}"
#define BE11 "{\"pool\":\"sqlcluster\",\"addr\":\"10.0.0.11\",\"weight\":1,\"tier\":0,\"state\":\"enabled\",\"health\":\"up\",\"eligible\":true,\"reason\":null,\"via\":null,\"flows\":2,\"packets\":10,\"bytes\":1000}"
#define BE12 "{\"pool\":\"sqlcluster\",\"addr\":\"10.0.0.12\",\"weight\":1,\"tier\":0,\"state\":\"enabled\",\"health\":\"unknown\",\"eligible\":false,\"reason\":\"health unknown: no probe result yet\",\"via\":null,\"flows\":0,\"packets\":10,\"bytes\":1000}"
#define BEW "{\"pool\":\"web\",\"addr\":\"10.10.20.3\",\"weight\":100,\"tier\":1,\"state\":\"draining\",\"health\":\"down\",\"eligible\":false,\"reason\":\"draining\",\"via\":\"172.16.0.3\",\"flows\":0,\"packets\":1000,\"bytes\":100000}"
#define POOLS "\"pools\":[" \
"{\"name\":\"sqlcluster\",\"probe\":{\"type\":\"tcp\",\"port\":59999,\"interval\":5,\"timeout\":2,\"fall\":11,\"rise\":2,\"path\":null,\"expect\":null},\"table_size\":65537,\"backend_count\":2,\"frontend_count\":1,\"backends\":[" BE11 "," BE12 "]}," \
"{\"name\":\"web\",\"probe\":{\"type\":\"http\",\"port\":8080,\"interval\":0.5,\"timeout\":0.25,\"fall\":3,\"rise\":2,\"path\":\"/health \\\"x\\\"\",\"expect\":\"200-399\"},\"table_size\":251,\"backend_count\":null,\"frontend_count\":null,\"backends\":[" BEW "]}," \
"{\"name\":\"empty\",\"probe\":{\"type\":\"none\",\"port\":null,\"interval\":5,\"timeout\":null,\"fall\":null,\"rise\":null,\"path\":null,\"expect\":null},\"table_size\":65537,\"backend_count\":null,\"frontend_count\":null,\"backends\":[]}]"

static void events(void)
{
	struct vip_obj o;
	struct vip_backend *b = &o.u.backend;
	struct vip_frontend *f = &o.u.frontend;

	memset(&o, 0, sizeof(o));
	o.type = VIP_OBJ_BACKEND;
	o.cmd = VIPFWD_CMD_BACKEND_SET;
	strcpy(b->pool, "p");
	SETB(b, POOL);
	vip_addr_parse("10.0.0.1", &b->addr);
	SETB(b, ADDR4);
	b->health = VIPFWD_HEALTH_UP;
	SETB(b, HEALTH);
	b->eligible = 1;
	SETB(b, ELIGIBLE);
	check_event(&o, JSON_EVENT,
		    "{\"event\":\"backend_set\",\"pool\":\"p\",\"addr\":\"10.0.0.1\",\"health\":\"up\",\"eligible\":true}\n",
		    "json event: backend_set carries only what the kernel sent");
	check_event(&o, HUMAN_EVENT,
		    "backend_set backend p 10.0.0.1  health up  eligible\n",
		    "human event: backend_set");

	memset(&o, 0, sizeof(o));
	o.type = VIP_OBJ_FRONTEND;
	o.cmd = VIPFWD_CMD_FRONTEND_DEL;
	vip_addr_parse("192.168.2.100", &f->vip);
	SETF(f, VIP4);
	f->proto = 17;
	SETF(f, PROTO);
	f->port = 53;
	SETF(f, PORT);
	check_event(&o, JSON_EVENT,
		    "{\"event\":\"frontend_del\",\"vip\":\"192.168.2.100\",\"proto\":\"udp\",\"port\":53}\n",
		    "json event: frontend_del with the key");
	check_event(&o, HUMAN_EVENT,
		    "frontend_del frontend 192.168.2.100 udp 53\n",
		    "human event: frontend_del");

	memset(&o, 0, sizeof(o));
	o.type = VIP_OBJ_POOL;
	o.cmd = VIPFWD_CMD_POOL_NEW;
	strcpy(o.u.pool.name, "sql\"x");
	SETP(&o.u.pool, NAME);
	o.u.pool.probe_type = VIPFWD_PROBE_TCP;
	SETP(&o.u.pool, PROBE_TYPE);
	o.u.pool.probe_port = 59999;
	SETP(&o.u.pool, PROBE_PORT);
	check_event(&o, JSON_EVENT,
		    "{\"event\":\"pool_new\",\"name\":\"sql\\\"x\",\"probe\":{\"type\":\"tcp\",\"port\":59999}}\n",
		    "json event: pool_new, name escaped");
	check_event(&o, HUMAN_EVENT, "pool_new pool sql\"x  probe tcp 59999\n",
		    "human event: pool_new");

	o.cmd = 99;
	o.u.pool.has = 1u << VIPFWD_POOL_A_NAME;
	check_event(&o, JSON_EVENT, "{\"event\":99,\"name\":\"sql\\\"x\"}\n",
		    "json event: unknown command shown as its number");
}

/* Output of one of the printers into a string (caller frees). */
#define CAPTURE(call) ({						\
	char *buf__ = NULL;						\
	size_t len__ = 0;						\
	FILE *f = open_memstream(&buf__, &len__);			\
									\
	call;								\
	fclose(f);							\
	buf__;								\
})

static void is_out(char *got, const char *want, const char *name)
{
	tap_is_str(got, want, "%s", name);
	free(got);
}

static void flows_output(void)
{
	struct vip_vec v;
	struct vip_flow *fl;
	struct vip_obj o;

	vip_vec_init(&v, sizeof(struct vip_flow));
	is_out(CAPTURE(human_flows(f, &v)), "", "human flows: none, no output");
	is_out(CAPTURE(json_flows(f, &v)), "[]\n", "json flows: empty array");

	fl = vip_vec_push(&v);
	fl->proto = 6;
	vip_addr_parse("10.0.1.2", &fl->src);
	fl->sport = 40000;
	vip_addr_parse("192.168.2.100", &fl->dst);
	fl->dport = 1433;
	vip_addr_parse("192.168.2.100", &fl->fe_vip);
	fl->fe_proto = 6;
	fl->fe_port = 1433;
	vip_addr_parse("10.0.2.11", &fl->backend);
	strcpy(fl->pool, "p1");
	fl->state = VIPFWD_FLOW_STATE_ESTABLISHED;
	fl->idle_ms = 1250;
	fl->expires_ms = 238750;
	fl->has = 0x1fffe & ~((1u << VIPFWD_FLOW_A_SRC6) |
			      (1u << VIPFWD_FLOW_A_DST6) |
			      (1u << VIPFWD_FLOW_A_FRONTEND_VIP6) |
			      (1u << VIPFWD_FLOW_A_BACKEND6));
	fl->has |= (1u << VIPFWD_FLOW_A_IDLE_MS) |
		   (1u << VIPFWD_FLOW_A_EXPIRES_MS);

	/* A 2-tuple flow: no protocol, no ports; its backend's pool gone. */
	fl = vip_vec_push(&v);
	vip_addr_parse("10.0.1.200", &fl->src);
	vip_addr_parse("192.168.1.111", &fl->dst);
	vip_addr_parse("192.168.1.111", &fl->fe_vip);
	fl->fe_proto = 0;
	fl->fe_port = 0;
	vip_addr_parse("10.10.20.3", &fl->backend);
	fl->state = VIPFWD_FLOW_STATE_OTHER;
	fl->idle_ms = 0;
	fl->expires_ms = 60000;
	fl->has = (1u << VIPFWD_FLOW_A_PROTO) | (1u << VIPFWD_FLOW_A_SRC4) |
		  (1u << VIPFWD_FLOW_A_SPORT) | (1u << VIPFWD_FLOW_A_DST4) |
		  (1u << VIPFWD_FLOW_A_DPORT) |
		  (1u << VIPFWD_FLOW_A_FRONTEND_VIP4) |
		  (1u << VIPFWD_FLOW_A_FRONTEND_PROTO) |
		  (1u << VIPFWD_FLOW_A_FRONTEND_PORT) |
		  (1u << VIPFWD_FLOW_A_BACKEND4) | (1u << VIPFWD_FLOW_A_STATE) |
		  (1u << VIPFWD_FLOW_A_IDLE_MS) |
		  (1u << VIPFWD_FLOW_A_EXPIRES_MS);

	/* IPv6, UDP */
	fl = vip_vec_push(&v);
	fl->proto = 17;
	vip_addr_parse("2001:db8::2", &fl->src);
	fl->sport = 5353;
	vip_addr_parse("2001:db8::100", &fl->dst);
	fl->dport = 53;
	vip_addr_parse("2001:db8::100", &fl->fe_vip);
	fl->fe_proto = 17;
	fl->fe_port = 53;
	vip_addr_parse("2001:db8:1::11", &fl->backend);
	strcpy(fl->pool, "dns");
	fl->state = VIPFWD_FLOW_STATE_UDP;
	fl->idle_ms = 10;
	fl->expires_ms = 1;
	fl->has = (1u << VIPFWD_FLOW_A_PROTO) | (1u << VIPFWD_FLOW_A_SRC6) |
		  (1u << VIPFWD_FLOW_A_SPORT) | (1u << VIPFWD_FLOW_A_DST6) |
		  (1u << VIPFWD_FLOW_A_DPORT) |
		  (1u << VIPFWD_FLOW_A_FRONTEND_VIP6) |
		  (1u << VIPFWD_FLOW_A_FRONTEND_PROTO) |
		  (1u << VIPFWD_FLOW_A_FRONTEND_PORT) |
		  (1u << VIPFWD_FLOW_A_BACKEND6) | (1u << VIPFWD_FLOW_A_POOL) |
		  (1u << VIPFWD_FLOW_A_STATE) | (1u << VIPFWD_FLOW_A_IDLE_MS) |
		  (1u << VIPFWD_FLOW_A_EXPIRES_MS);

	is_out(CAPTURE(human_flows(f, &v)),
	       "tcp 10.0.1.2:40000     -> 192.168.2.100:1433  backend 10.0.2.11       pool p1   established  idle 1.25s  expires 238.75s\n"
	       "any 10.0.1.200         -> 192.168.1.111       backend 10.10.20.3                other        idle 0s     expires 60s\n"
	       "udp [2001:db8::2]:5353 -> [2001:db8::100]:53  backend 2001:db8:1::11  pool dns  udp          idle 0.01s  expires 0.001s\n",
	       "human flows: aligned, ports only where the key has them");
	is_out(CAPTURE(json_flows(f, &v)),
	       "[{\"proto\":\"tcp\",\"src\":\"10.0.1.2\",\"sport\":40000,\"dst\":\"192.168.2.100\",\"dport\":1433,"
	       "\"frontend\":{\"vip\":\"192.168.2.100\",\"proto\":\"tcp\",\"port\":1433},\"backend\":\"10.0.2.11\",\"pool\":\"p1\","
	       "\"state\":\"established\",\"idle\":1.25,\"expires\":238.75},"
	       "{\"proto\":\"any\",\"src\":\"10.0.1.200\",\"sport\":0,\"dst\":\"192.168.1.111\",\"dport\":0,"
	       "\"frontend\":{\"vip\":\"192.168.1.111\",\"proto\":\"any\",\"port\":0},\"backend\":\"10.10.20.3\",\"pool\":null,"
	       "\"state\":\"other\",\"idle\":0,\"expires\":60},"
	       "{\"proto\":\"udp\",\"src\":\"2001:db8::2\",\"sport\":5353,\"dst\":\"2001:db8::100\",\"dport\":53,"
	       "\"frontend\":{\"vip\":\"2001:db8::100\",\"proto\":\"udp\",\"port\":53},\"backend\":\"2001:db8:1::11\",\"pool\":\"dns\","
	       "\"state\":\"udp\",\"idle\":0.01,\"expires\":0.001}]\n",
	       "json flows: array, every key, durations in seconds");
	vip_vec_free(&v);

	/* flows flush: the reply's count */
	memset(&o, 0, sizeof(o));
	o.u.flow.flushed = 1;
	VIP_SET(&o.u.flow, VIPFWD_FLOW_A_FLUSHED);
	is_out(CAPTURE(human_flushed(f, &o.u.flow)), "1 flow removed\n",
	       "human flows flush: singular");
	o.u.flow.flushed = 40;
	is_out(CAPTURE(human_flushed(f, &o.u.flow)), "40 flows removed\n",
	       "human flows flush: plural");
	is_out(CAPTURE(json_flushed(f, &o.u.flow)), "{\"flushed\":40}\n",
	       "json flows flush");

	/* the flush event carries the filter */
	o.type = VIP_OBJ_FLOW;
	o.cmd = VIPFWD_CMD_FLOW_FLUSH;
	vip_addr_parse("10.0.2.11", &o.u.flow.backend);
	VIP_SET(&o.u.flow, VIPFWD_FLOW_A_BACKEND4);
	is_out(CAPTURE(human_event(f, &o)),
	       "flow_flush backend 10.0.2.11  40 flows removed\n",
	       "human event: flow_flush by backend");
	is_out(CAPTURE(json_event(f, &o)),
	       "{\"event\":\"flow_flush\",\"backend\":\"10.0.2.11\",\"flushed\":40}\n",
	       "json event: flow_flush with only what the kernel sent");
	vip_addr_parse("192.168.2.100", &o.u.flow.fe_vip);
	o.u.flow.fe_proto = 6;
	o.u.flow.fe_port = 1433;
	o.u.flow.has |= (1u << VIPFWD_FLOW_A_FRONTEND_VIP4) |
			(1u << VIPFWD_FLOW_A_FRONTEND_PROTO) |
			(1u << VIPFWD_FLOW_A_FRONTEND_PORT);
	is_out(CAPTURE(human_event(f, &o)),
	       "flow_flush frontend 192.168.2.100 tcp 1433 backend 10.0.2.11  40 flows removed\n",
	       "human event: flow_flush by frontend and backend");
	is_out(CAPTURE(json_event(f, &o)),
	       "{\"event\":\"flow_flush\",\"frontend\":{\"vip\":\"192.168.2.100\",\"proto\":\"tcp\",\"port\":1433},\"backend\":\"10.0.2.11\",\"flushed\":40}\n",
	       "json event: flow_flush with the frontend key");

	/* settings */
	memset(&o, 0, sizeof(o));
	o.type = VIP_OBJ_SETTINGS;
	o.cmd = VIPFWD_CMD_SETTINGS_SET;
	o.u.settings.flow_limit = 5000;
	o.u.settings.flow_count = 12;
	o.u.settings.has = (1u << VIPFWD_SETTINGS_A_FLOW_LIMIT) |
			   (1u << VIPFWD_SETTINGS_A_FLOW_COUNT);
	is_out(CAPTURE(human_settings(f, &o.u.settings)),
	       "flow-limit 5000\nflows 12\n", "human settings");
	is_out(CAPTURE(json_settings(f, &o.u.settings)),
	       "{\"flow_limit\":5000,\"flow_count\":12}\n", "json settings");
	is_out(CAPTURE(human_event(f, &o)),
	       "settings_set  flow-limit 5000  flows 12\n",
	       "human event: settings_set");
	is_out(CAPTURE(json_event(f, &o)),
	       "{\"event\":\"settings_set\",\"flow_limit\":5000,\"flow_count\":12}\n",
	       "json event: settings_set");
}

static void explain_question(struct vip_explain *x, const char *src,
			     uint16_t sport, const char *dst, uint16_t dport)
{
	struct vip_addr a;

	memset(x, 0, sizeof(*x));
	x->proto = 6;
	VIP_SET(x, VIPFWD_EXPLAIN_A_PROTO);
	vip_addr_parse(src, &a);
	vip_explain_set_src(x, &a);
	x->sport = sport;
	VIP_SET(x, VIPFWD_EXPLAIN_A_SPORT);
	vip_addr_parse(dst, &a);
	vip_explain_set_dst(x, &a);
	x->dport = dport;
	VIP_SET(x, VIPFWD_EXPLAIN_A_DPORT);
}

static void explain_frontend(struct vip_explain *x, uint8_t why,
			     const char *reason)
{
	x->why = why;
	VIP_SET(x, VIPFWD_EXPLAIN_A_WHY);
	strcpy(x->reason, reason);
	VIP_SET(x, VIPFWD_EXPLAIN_A_REASON);
	/* The frontend the question's destination matched. */
	x->fe_vip = x->dst;
	VIP_SET(x, VIPFWD_EXPLAIN_A_FRONTEND_VIP4);
	x->fe_proto = 6;
	VIP_SET(x, VIPFWD_EXPLAIN_A_FRONTEND_PROTO);
	x->fe_port = x->dport;
	VIP_SET(x, VIPFWD_EXPLAIN_A_FRONTEND_PORT);
	strcpy(x->pool, "p1");
	VIP_SET(x, VIPFWD_EXPLAIN_A_POOL);
	x->hash = 0xdeadbeef;
	VIP_SET(x, VIPFWD_EXPLAIN_A_HASH);
}

static void explain_output(void)
{
	struct vip_explain x;

	/* new flow: the table entry that chose */
	explain_question(&x, "10.0.1.2", 40000, "192.168.2.100", 1433);
	explain_frontend(&x, VIPFWD_WHY_NEW_FLOW,
			 "new flow: Maglev table entry 4242 of 65537 (tier 0) picks backend 10.0.2.11");
	vip_addr_parse("10.0.2.11", &x.backend);
	VIP_SET(&x, VIPFWD_EXPLAIN_A_BACKEND4);
	x.tier = 0;
	VIP_SET(&x, VIPFWD_EXPLAIN_A_TIER);
	x.table_index = 4242;
	VIP_SET(&x, VIPFWD_EXPLAIN_A_TABLE_INDEX);
	x.table_size = 65537;
	VIP_SET(&x, VIPFWD_EXPLAIN_A_TABLE_SIZE);
	is_out(CAPTURE(human_explain(f, &x)),
	       "tcp 10.0.1.2:40000 -> 192.168.2.100:1433: backend 10.0.2.11\n"
	       "  new flow: Maglev table entry 4242 of 65537 (tier 0) picks backend 10.0.2.11\n"
	       "  frontend 192.168.2.100 tcp 1433  pool p1  hash 0xdeadbeef  tier 0  table entry 4242 of 65537\n",
	       "human explain: new flow, tier and table entry");
	is_out(CAPTURE(json_explain(f, &x)),
	       "{\"proto\":\"tcp\",\"src\":\"10.0.1.2\",\"sport\":40000,\"dst\":\"192.168.2.100\",\"dport\":1433,"
	       "\"frontend\":{\"vip\":\"192.168.2.100\",\"proto\":\"tcp\",\"port\":1433},\"pool\":\"p1\",\"backend\":\"10.0.2.11\",\"backend_port\":null,"
	       "\"why\":\"new_flow\",\"reason\":\"new flow: Maglev table entry 4242 of 65537 (tier 0) picks backend 10.0.2.11\","
	       "\"tier\":0,\"hash\":3735928559,\"table_index\":4242,\"table_size\":65537,\"flow_idle\":null,\"guard_drop\":false}\n",
	       "json explain: new flow");

	/* existing flow: pinned, idle time */
	explain_question(&x, "10.0.1.2", 40000, "192.168.2.100", 1433);
	explain_frontend(&x, VIPFWD_WHY_FLOW,
			 "existing flow pins backend 10.0.2.12 (idle 0.500 s)");
	vip_addr_parse("10.0.2.12", &x.backend);
	VIP_SET(&x, VIPFWD_EXPLAIN_A_BACKEND4);
	x.flow_idle_ms = 500;
	VIP_SET(&x, VIPFWD_EXPLAIN_A_FLOW_IDLE_MS);
	is_out(CAPTURE(human_explain(f, &x)),
	       "tcp 10.0.1.2:40000 -> 192.168.2.100:1433: backend 10.0.2.12\n"
	       "  existing flow pins backend 10.0.2.12 (idle 0.500 s)\n"
	       "  frontend 192.168.2.100 tcp 1433  pool p1  hash 0xdeadbeef  flow idle 0.5s\n",
	       "human explain: existing flow");
	is_out(CAPTURE(json_explain(f, &x)),
	       "{\"proto\":\"tcp\",\"src\":\"10.0.1.2\",\"sport\":40000,\"dst\":\"192.168.2.100\",\"dport\":1433,"
	       "\"frontend\":{\"vip\":\"192.168.2.100\",\"proto\":\"tcp\",\"port\":1433},\"pool\":\"p1\",\"backend\":\"10.0.2.12\",\"backend_port\":null,"
	       "\"why\":\"flow\",\"reason\":\"existing flow pins backend 10.0.2.12 (idle 0.500 s)\","
	       "\"tier\":null,\"hash\":3735928559,\"table_index\":null,\"table_size\":null,\"flow_idle\":0.5,\"guard_drop\":false}\n",
	       "json explain: existing flow");

	/* mode nat: the port the backend receives on */
	explain_question(&x, "10.0.1.2", 40000, "192.168.1.111", 35000);
	explain_frontend(&x, VIPFWD_WHY_NEW_FLOW,
			 "new flow: Maglev table entry 7 of 251 (tier 0) picks backend 10.10.20.3:3389");
	vip_addr_parse("10.10.20.3", &x.backend);
	VIP_SET(&x, VIPFWD_EXPLAIN_A_BACKEND4);
	x.backend_port = 3389;
	VIP_SET(&x, VIPFWD_EXPLAIN_A_BACKEND_PORT);
	is_out(CAPTURE(human_explain(f, &x)),
	       "tcp 10.0.1.2:40000 -> 192.168.1.111:35000: backend 10.10.20.3:3389\n"
	       "  new flow: Maglev table entry 7 of 251 (tier 0) picks backend 10.10.20.3:3389\n"
	       "  frontend 192.168.1.111 tcp 35000  pool p1  hash 0xdeadbeef\n",
	       "human explain: nat, backend with its port");
	is_out(CAPTURE(json_explain(f, &x)),
	       "{\"proto\":\"tcp\",\"src\":\"10.0.1.2\",\"sport\":40000,\"dst\":\"192.168.1.111\",\"dport\":35000,"
	       "\"frontend\":{\"vip\":\"192.168.1.111\",\"proto\":\"tcp\",\"port\":35000},\"pool\":\"p1\",\"backend\":\"10.10.20.3\",\"backend_port\":3389,"
	       "\"why\":\"new_flow\",\"reason\":\"new flow: Maglev table entry 7 of 251 (tier 0) picks backend 10.10.20.3:3389\","
	       "\"tier\":null,\"hash\":3735928559,\"table_index\":null,\"table_size\":null,\"flow_idle\":null,\"guard_drop\":false}\n",
	       "json explain: nat, backend_port");

	/* no backend */
	explain_question(&x, "10.0.1.2", 40000, "192.168.2.100", 1433);
	explain_frontend(&x, VIPFWD_WHY_NO_BACKEND,
			 "no eligible backend in pool p1: dropped");
	is_out(CAPTURE(human_explain(f, &x)),
	       "tcp 10.0.1.2:40000 -> 192.168.2.100:1433: no backend\n"
	       "  no eligible backend in pool p1: dropped\n"
	       "  frontend 192.168.2.100 tcp 1433  pool p1  hash 0xdeadbeef\n",
	       "human explain: no backend");

	/* no frontend: frontend and backend null, reason says why */
	explain_question(&x, "10.0.1.2", 1, "192.168.9.9", 80);
	x.proto = 17;
	x.why = VIPFWD_WHY_NO_FRONTEND;
	VIP_SET(&x, VIPFWD_EXPLAIN_A_WHY);
	strcpy(x.reason, "no frontend matches: the packet passes untouched");
	VIP_SET(&x, VIPFWD_EXPLAIN_A_REASON);
	is_out(CAPTURE(human_explain(f, &x)),
	       "udp 10.0.1.2:1 -> 192.168.9.9:80: no frontend\n"
	       "  no frontend matches: the packet passes untouched\n",
	       "human explain: no frontend");
	is_out(CAPTURE(json_explain(f, &x)),
	       "{\"proto\":\"udp\",\"src\":\"10.0.1.2\",\"sport\":1,\"dst\":\"192.168.9.9\",\"dport\":80,"
	       "\"frontend\":null,\"pool\":null,\"backend\":null,\"backend_port\":null,\"why\":\"no_frontend\","
	       "\"reason\":\"no frontend matches: the packet passes untouched\","
	       "\"tier\":null,\"hash\":null,\"table_index\":null,\"table_size\":null,\"flow_idle\":null,\"guard_drop\":false}\n",
	       "json explain: no frontend");
}

void test_output(void)
{
	struct vip_config cfg;

	build(&cfg);
	check(&cfg, HUMAN_SHOW, human_show_want, "human show");
	check(&cfg, HUMAN_BACKENDS, human_backends_want, "human backend show");
	check(&cfg, HUMAN_STATS, human_stats_want, "human stats");
	check(&cfg, JSON_SHOW,
	      "{\"frontends\":[" FE1 "," FE2 "]," POOLS "}\n", "json show");
	check(&cfg, JSON_POOLS, "{" POOLS "}\n", "json pool show");
	check(&cfg, JSON_FRONTENDS, "{\"frontends\":[" FE1 "," FE2 "]}\n",
	      "json frontend show");
	check(&cfg, JSON_BACKENDS,
	      "{\"backends\":[" BE11 "," BEW "," BE12 "]}\n",
	      "json backend show");
	check(&cfg, JSON_STATS,
	      "{\"frontends\":[{\"vip\":\"192.168.2.100\",\"proto\":\"tcp\",\"port\":1433,\"pool\":\"sqlcluster\",\"packets\":12,\"bytes\":3456,\"new_flows\":7,\"active_flows\":3},"
	      "{\"vip\":\"192.168.1.111\",\"proto\":\"any\",\"port\":0,\"pool\":\"web\",\"packets\":null,\"bytes\":null,\"new_flows\":null,\"active_flows\":null}],"
	      "\"backends\":[{\"pool\":\"sqlcluster\",\"addr\":\"10.0.0.11\",\"packets\":10,\"bytes\":1000,\"flows\":2,\"new_flows\":5,\"active_flows\":2},"
	      "{\"pool\":\"web\",\"addr\":\"10.10.20.3\",\"packets\":1000,\"bytes\":100000,\"flows\":0,\"new_flows\":null,\"active_flows\":0},"
	      "{\"pool\":\"sqlcluster\",\"addr\":\"10.0.0.12\",\"packets\":10,\"bytes\":1000,\"flows\":0,\"new_flows\":null,\"active_flows\":0}],"
	      "\"drops\":{\"no_backend\":5,\"no_route\":0,\"malformed\":0,\"fragment\":2,\"nomem\":0,\"too_big\":0},"
	      "\"flow_count\":3,\"flow_limit\":1000,\"table_full\":4,\"rescheduled\":1,\"rejected\":0,\"guard_drops\":null}\n",
	      "json stats");
	check(&cfg, HUMAN_SHOW_ALL, HUMAN_SHOW_ALL_WANT,
	      "human show: the namespace settings last");
	check(&cfg, JSON_SHOW_ALL,
	      "{\"frontends\":[" FE1 "," FE2 "]," POOLS ",\"settings\":{\"flow_limit\":1000,\"flow_count\":3}}\n",
	      "json show: settings object");
	cfg.has_settings = false;
	check(&cfg, JSON_SHOW_ALL, "{\"frontends\":[" FE1 "," FE2 "]," POOLS "}\n",
	      "json show: no settings key when the kernel has none");
	cfg.stats.has = 0;
	check(&cfg, HUMAN_STATS, HUMAN_STATS_OLD_WANT,
	      "human stats from a kernel without flow counters");
	flows_output();
	explain_output();
	vip_config_free(&cfg);
	events();
}
