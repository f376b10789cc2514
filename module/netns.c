// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd per-network-namespace state.
 *
 * Every namespace gets a struct vipfwd_net (allocated and zeroed by the
 * netns core through .id/.size) and its own netfilter hooks. Teardown is
 * split in two so that no packet can still be inside a hook when the
 * configuration goes away:
 *  - pre_exit unregisters the hooks. The netns core then waits for an RCU
 *    grace period (in cleanup_net() and in unregister_pernet_subsys()
 *    alike) before calling exit, and hooks run inside rcu_read_lock(), so
 *    by the time exit runs no hook is executing for this namespace.
 *  - exit removes every flow, then every object. Objects are still freed after a further
 *    grace period (the rules in vipfwd.h do not depend on the above), and
 *    the module's exit waits for those callbacks with rcu_barrier().
 */
#include <linux/module.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "vipfwd.h"

static unsigned int vipfwd_net_id __read_mostly;

struct vipfwd_net *vipfwd_net(const struct net *net)
{
	return net_generic(net, vipfwd_net_id);
}

static int __net_init vipfwd_net_init(struct net *net)
{
	struct vipfwd_net *vn = vipfwd_net(net);
	int err;

	vn->net = net;
	mutex_init(&vn->lock);
	INIT_LIST_HEAD(&vn->pools);
	hash_init(vn->frontends);
	/* Never 0: dumps use it as cb->seq and 0 disables the check. */
	vn->generation = 1;

	vn->drops = vipfwd_drops_alloc();
	if (!vn->drops) {
		err = -ENOMEM;
		goto err_mutex;
	}

	err = vipfwd_flows_init(vn);
	if (err)
		goto err_drops;

	/* Last: once the hooks are in, packets may look at vn. */
	err = vipfwd_hooks_register(net);
	if (err)
		goto err_flows;

	/* decap.c's hook: reads only vn->decap, NULL until a rule exists. */
	err = vipfwd_decap_register(net);
	if (err)
		goto err_hooks;

	return 0;

err_hooks:
	vipfwd_hooks_unregister(net);
err_flows:
	vipfwd_flows_exit(vn);
err_drops:
	free_percpu(vn->drops);
	vn->drops = NULL;
err_mutex:
	mutex_destroy(&vn->lock);
	return err;
}

static void __net_exit vipfwd_net_pre_exit(struct net *net)
{
	vipfwd_hooks_unregister(net);
	vipfwd_decap_unregister(net);
}

static void __net_exit vipfwd_net_exit(struct net *net)
{
	struct vipfwd_net *vn = vipfwd_net(net);

	/* Flows first: they hold references the configuration's objects
	 * outlive them by (either order would be safe, this one frees the
	 * backends in one go).
	 */
	vipfwd_flows_exit(vn);

	mutex_lock(&vn->lock);
	vipfwd_net_flush(vn);
	mutex_unlock(&vn->lock);
	vipfwd_decap_flush(vn);

	/* No hook runs any more (see the top of this file), so nothing can
	 * count a drop into this memory.
	 */
	free_percpu(vn->drops);
	vn->drops = NULL;
	mutex_destroy(&vn->lock);
}

static struct pernet_operations vipfwd_net_ops = {
	.init		= vipfwd_net_init,
	.pre_exit	= vipfwd_net_pre_exit,
	.exit		= vipfwd_net_exit,
	.id		= &vipfwd_net_id,
	.size		= sizeof(struct vipfwd_net),
};

int vipfwd_netns_init(void)
{
	int err;

	err = vipfwd_flow_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&vipfwd_net_ops);
	if (err)
		vipfwd_flow_cache_exit();
	return err;
}

void vipfwd_netns_exit(void)
{
	unregister_pernet_subsys(&vipfwd_net_ops);
	/* Flows are freed by RCU callbacks, which put backends whose own
	 * free is one more callback: wait for both generations before the
	 * cache goes (main.c waits once more for everything else).
	 */
	rcu_barrier();
	rcu_barrier();
	vipfwd_flow_cache_exit();
}
