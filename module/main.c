// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd: virtual-IP forwarder.
 *
 * Module entry points. Per-namespace state (and with it the netfilter
 * hooks) comes first, so that a namespace exists for every request the
 * generic netlink family can receive; teardown goes the other way round.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

#include "vipfwd.h"

static int __init vipfwd_init(void)
{
	int err;

	err = vipfwd_netns_init();
	if (err)
		return err;

	err = vipfwd_genl_init();
	if (err)
		goto err_netns;

	return 0;

err_netns:
	vipfwd_netns_exit();
	rcu_barrier();
	return err;
}

static void __exit vipfwd_exit(void)
{
	/* No new requests, then no namespaces' state and hooks ... */
	vipfwd_genl_exit();
	vipfwd_netns_exit();
	/* ... and no RCU callback of ours left to run in freed module text. */
	rcu_barrier();
}

module_init(vipfwd_init);
module_exit(vipfwd_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vipfwd: virtual-IP forwarder (IPIP encapsulation to health-checked backends)");
MODULE_ALIAS_GENL_FAMILY(VIPFWD_GENL_NAME);
