// SPDX-License-Identifier: GPL-2.0
/*
 * vipfwd NAT reply index: reply tuple (backend:port -> client:port) to the
 * NAT flow it belongs to. The rules are in nat.c's header comment and at
 * struct vipfwd_nat_entry; this file holds only the table, with no
 * netfilter dependency (the flow table's KUnit suite links it).
 */
#include <linux/rhashtable.h>

#include "vipfwd.h"

static const struct rhashtable_params vipfwd_nat_params = {
	.key_len		= sizeof(struct vipfwd_nat_key),
	.key_offset		= offsetof(struct vipfwd_nat_entry, key),
	.head_offset		= offsetof(struct vipfwd_nat_entry, node),
	.automatic_shrinking	= true,
};

int vipfwd_nat_init(struct vipfwd_net *vn)
{
	int err;

	err = rhashtable_init(&vn->nat, &vipfwd_nat_params);
	if (err)
		return err;
	WRITE_ONCE(vn->nat_ready, true);
	return 0;
}

void vipfwd_nat_exit(struct vipfwd_net *vn)
{
	if (!vn->nat_ready)
		return;
	WRITE_ONCE(vn->nat_ready, false);
	/* The entries belong to the flows, freed by flow.c. */
	rhashtable_destroy(&vn->nat);
}

/* 0, -EEXIST when another flow owns the reply tuple, or -ENOMEM. */
int vipfwd_nat_link(struct vipfwd_net *vn, struct vipfwd_nat_entry *e)
{
	return rhashtable_lookup_insert_fast(&vn->nat, &e->node,
					     vipfwd_nat_params);
}

void vipfwd_nat_unlink(struct vipfwd_net *vn, struct vipfwd_nat_entry *e)
{
	rhashtable_remove_fast(&vn->nat, &e->node, vipfwd_nat_params);
}

/* Under RCU: the live NAT flow whose replies look like @k, or NULL. */
const struct vipfwd_nat_entry *
vipfwd_nat_lookup(struct vipfwd_net *vn, const struct vipfwd_nat_key *k)
{
	const struct vipfwd_nat_entry *e;

	if (!vipfwd_nat_active(vn))
		return NULL;
	e = rhashtable_lookup(&vn->nat, k, vipfwd_nat_params);
	if (e && !vipfwd_nat_entry_alive(e))
		return NULL;
	return e;
}
