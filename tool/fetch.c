// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"

/* Collects the objects of one type from a reply into a vector. */
struct collect {
	enum vip_obj_type type;
	struct vip_vec *vec;
	size_t start;		/* vec->n before this dump: reset point */
	const char *pool;	/* backends: fill in the pool if omitted */
};

static int collect_cb(struct nlmsghdr *nlh, void *arg)
{
	struct collect *c = arg;
	struct vip_obj *o;
	void *slot;
	int err;

	o = malloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	err = vip_obj_parse(nlh, o);
	if (err < 0 || o->type != c->type) {
		free(o);
		return err < 0 ? -EBADMSG : 0;
	}
	slot = vip_vec_push(c->vec);
	if (!slot) {
		free(o);
		return -ENOMEM;
	}
	switch (o->type) {
	case VIP_OBJ_POOL:
		memcpy(slot, &o->u.pool, sizeof(o->u.pool));
		break;
	case VIP_OBJ_BACKEND:
		if (!VIP_HAS(&o->u.backend, VIPFWD_BACKEND_A_POOL) && c->pool) {
			vip_strlcpy(o->u.backend.pool, c->pool,
				    sizeof(o->u.backend.pool));
			VIP_SET(&o->u.backend, VIPFWD_BACKEND_A_POOL);
		}
		memcpy(slot, &o->u.backend, sizeof(o->u.backend));
		break;
	case VIP_OBJ_FRONTEND:
		memcpy(slot, &o->u.frontend, sizeof(o->u.frontend));
		break;
	case VIP_OBJ_STATS:
		memcpy(slot, &o->u.stats, sizeof(o->u.stats));
		break;
	case VIP_OBJ_FLOW:
		memcpy(slot, &o->u.flow, sizeof(o->u.flow));
		break;
	case VIP_OBJ_EXPLAIN:
		memcpy(slot, &o->u.explain, sizeof(o->u.explain));
		break;
	case VIP_OBJ_SETTINGS:
		memcpy(slot, &o->u.settings, sizeof(o->u.settings));
		break;
	default:
		break;
	}
	free(o);
	return 0;
}

static void collect_reset(void *arg)
{
	struct collect *c = arg;

	c->vec->n = c->start;
}

static int run(struct vip_nl *h, struct nl_msg *msg, bool dump,
	       struct collect *c)
{
	int err;

	if (!msg)
		return -ENOMEM;
	c->start = c->vec->n;
	if (dump)
		err = vip_nl_dump(h, msg, collect_cb, collect_reset, c);
	else
		err = vip_nl_request(h, msg, collect_cb, c);
	nlmsg_free(msg);
	return err;
}

static int fetch_frontends(struct vip_nl *h, struct vip_config *cfg)
{
	struct collect c = { VIP_OBJ_FRONTEND, &cfg->frontends, 0, NULL };

	return run(h, vip_nl_msg_new(h->family, VIPFWD_CMD_FRONTEND_GET, true),
		   true, &c);
}

static int fetch_pools(struct vip_nl *h, const char *name,
		       struct vip_config *cfg)
{
	struct collect c = { VIP_OBJ_POOL, &cfg->pools, 0, NULL };
	struct nl_msg *msg;
	struct vip_pool key;

	msg = vip_nl_msg_new(h->family, VIPFWD_CMD_POOL_GET, !name);
	if (msg && name) {
		memset(&key, 0, sizeof(key));
		vip_strlcpy(key.name, name, sizeof(key.name));
		VIP_SET(&key, VIPFWD_POOL_A_NAME);
		if (vip_pool_put(msg, &key) < 0) {
			nlmsg_free(msg);
			return -ENOMEM;
		}
	}
	return run(h, msg, !name, &c);
}

static int fetch_backends(struct vip_nl *h, const char *pool,
			  struct vip_config *cfg)
{
	struct collect c = { VIP_OBJ_BACKEND, &cfg->backends, 0, pool };
	struct nl_msg *msg;
	struct vip_backend key;

	msg = vip_nl_msg_new(h->family, VIPFWD_CMD_BACKEND_GET, true);
	if (!msg)
		return -ENOMEM;
	memset(&key, 0, sizeof(key));
	vip_strlcpy(key.pool, pool, sizeof(key.pool));
	VIP_SET(&key, VIPFWD_BACKEND_A_POOL);
	if (vip_backend_put(msg, &key) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return run(h, msg, true, &c);
}

static int fetch_stats(struct vip_nl *h, struct vip_config *cfg)
{
	struct vip_vec v;
	struct collect c = { VIP_OBJ_STATS, &v, 0, NULL };
	int err;

	vip_vec_init(&v, sizeof(struct vip_counters));
	err = run(h, vip_nl_msg_new(h->family, VIPFWD_CMD_STATS_GET, false),
		  false, &c);
	if (!err && v.n) {
		memcpy(&cfg->stats, vip_vec_at(&v, 0), sizeof(cfg->stats));
		cfg->has_stats = true;
	}
	vip_vec_free(&v);
	return err;
}

int vip_fetch_one(struct vip_nl *h, struct nl_msg *msg, enum vip_obj_type type,
		  struct vip_obj *o)
{
	struct vip_vec v;
	struct collect c = { type, &v, 0, NULL };
	size_t size;
	int err;

	memset(o, 0, sizeof(*o));
	switch (type) {
	case VIP_OBJ_FLOW:
		size = sizeof(o->u.flow);
		break;
	case VIP_OBJ_EXPLAIN:
		size = sizeof(o->u.explain);
		break;
	case VIP_OBJ_SETTINGS:
		size = sizeof(o->u.settings);
		break;
	default:
		nlmsg_free(msg);
		return -EINVAL;
	}
	vip_vec_init(&v, size);
	err = run(h, msg, false, &c);
	if (!err && v.n) {
		o->type = type;
		memcpy(&o->u, vip_vec_at(&v, 0), size);
	}
	vip_vec_free(&v);
	return err;
}

int vip_fetch_flows(struct vip_nl *h, struct nl_msg *msg, struct vip_vec *out)
{
	struct collect c = { VIP_OBJ_FLOW, out, 0, NULL };

	return run(h, msg, true, &c);
}

static int fetch_settings(struct vip_nl *h, struct vip_config *cfg)
{
	struct vip_obj *o = malloc(sizeof(*o));
	int err;

	if (!o)
		return -ENOMEM;
	err = vip_fetch_one(h, vip_nl_msg_new(h->family,
					      VIPFWD_CMD_SETTINGS_GET, false),
			    VIP_OBJ_SETTINGS, o);
	/* A module without settings: show the rest. */
	if (err == -EOPNOTSUPP) {
		h->msg[0] = '\0';
		err = 0;
	}
	if (!err && o->type == VIP_OBJ_SETTINGS) {
		cfg->settings = o->u.settings;
		cfg->has_settings = true;
	}
	free(o);
	return err;
}

int vip_fetch(struct vip_nl *h, unsigned int what, const char *pool,
	      struct vip_config *cfg)
{
	size_t i;
	int err;

	if (what & FETCH_FRONTENDS) {
		err = fetch_frontends(h, cfg);
		if (err)
			return err;
	}
	if (what & (FETCH_POOLS | FETCH_BACKENDS)) {
		err = fetch_pools(h, pool, cfg);
		if (err)
			return err;
	}
	for (i = 0; (what & FETCH_BACKENDS) && i < cfg->pools.n;) {
		const struct vip_pool *p = vip_vec_at(&cfg->pools, i);

		err = fetch_backends(h, p->name, cfg);
		if (err == -ENOENT && !pool) {
			/* Deleted since the pool dump: leave it out. */
			memmove(vip_vec_at(&cfg->pools, i),
				vip_vec_at(&cfg->pools, i + 1),
				(cfg->pools.n - i - 1) * cfg->pools.size);
			cfg->pools.n--;
			continue;
		}
		if (err)
			return err;
		i++;
	}
	if (what & FETCH_STATS) {
		err = fetch_stats(h, cfg);
		if (err)
			return err;
	}
	if (what & FETCH_SETTINGS) {
		err = fetch_settings(h, cfg);
		if (err)
			return err;
	}
	return 0;
}
