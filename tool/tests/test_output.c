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
	SETF(f, STATS);

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

	cfg->stats.v[VIPFWD_STATS_A_DROP_NO_BACKEND] = 5;
	cfg->stats.v[VIPFWD_STATS_A_DROP_FRAGMENT] = 2;
	cfg->stats.has = (1u << VIPFWD_STATS_A_DROP_NO_BACKEND) |
			 (1u << VIPFWD_STATS_A_DROP_FRAGMENT);
	cfg->has_stats = true;
}

struct job {
	const struct vip_config *cfg;
	int kind;
	const struct vip_obj *obj;
};

enum { HUMAN_SHOW, HUMAN_POOLS, HUMAN_BACKENDS, HUMAN_STATS, JSON_SHOW,
       JSON_POOLS, JSON_FRONTENDS, JSON_BACKENDS, JSON_STATS, HUMAN_EVENT,
       JSON_EVENT };

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
"frontend 192.168.1.111 any 0    -> pool web         mode nat backend-port 3389  hash 2tuple  no-backend reject  idle-timeout 60s  source 10.10.20.1\n"
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
"                                 packets   bytes  flows\n"
"frontend 192.168.2.100 tcp 1433       12    3456      -\n"
"frontend 192.168.1.111 any 0           -       -      -\n"
"backend  sqlcluster 10.0.0.11         10    1000      0\n"
"backend  web 10.10.20.3             1000  100000      0\n"
"backend  sqlcluster 10.0.0.12         10    1000      0\n"
"drops: no-backend 5  no-route 0  malformed 0  fragment 2  nomem 0  too-big 0\n";

#define FE1 "{\"vip\":\"192.168.2.100\",\"proto\":\"tcp\",\"port\":1433,\"pool\":\"sqlcluster\",\"mode\":\"encap\",\"encap\":\"ipip\",\"gue_port\":0,\"backend_port\":0,\"idle_timeout\":240,\"hash\":\"5tuple\",\"no_backend\":\"drop\",\"source\":null,\"packets\":12,\"bytes\":3456}"
#define FE2 "{\"vip\":\"192.168.1.111\",\"proto\":\"any\",\"port\":0,\"pool\":\"web\",\"mode\":\"nat\",\"encap\":null,\"gue_port\":null,\"backend_port\":3389,\"idle_timeout\":60,\"hash\":\"2tuple\",\"no_backend\":\"reject\",\"source\":\"10.10.20.1\",\"packets\":null,\"bytes\":null}"
#define BE11 "{\"pool\":\"sqlcluster\",\"addr\":\"10.0.0.11\",\"weight\":1,\"tier\":0,\"state\":\"enabled\",\"health\":\"up\",\"eligible\":true,\"reason\":null,\"via\":null,\"flows\":0,\"packets\":10,\"bytes\":1000}"
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
	      "{\"frontends\":[{\"vip\":\"192.168.2.100\",\"proto\":\"tcp\",\"port\":1433,\"pool\":\"sqlcluster\",\"packets\":12,\"bytes\":3456},"
	      "{\"vip\":\"192.168.1.111\",\"proto\":\"any\",\"port\":0,\"pool\":\"web\",\"packets\":null,\"bytes\":null}],"
	      "\"backends\":[{\"pool\":\"sqlcluster\",\"addr\":\"10.0.0.11\",\"packets\":10,\"bytes\":1000,\"flows\":0},"
	      "{\"pool\":\"web\",\"addr\":\"10.10.20.3\",\"packets\":1000,\"bytes\":100000,\"flows\":0},"
	      "{\"pool\":\"sqlcluster\",\"addr\":\"10.0.0.12\",\"packets\":10,\"bytes\":1000,\"flows\":0}],"
	      "\"drops\":{\"no_backend\":5,\"no_route\":0,\"malformed\":0,\"fragment\":2,\"nomem\":0,\"too_big\":0}}\n",
	      "json stats");
	vip_config_free(&cfg);
	events();
}
