/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VIPCTL_REQUEST_H
#define VIPCTL_REQUEST_H

#include <netlink/msg.h>

#include "args.h"

/*
 * The netlink message for a change command (add, set, del, health, set
 * flow-limit, flows flush), the flows dump, an explain question
 * (r->explain; one per message in batch mode) or the settings read, of
 * family; NULL for other ops or when out of memory. No socket involved,
 * so the encoding is unit-tested.
 */
struct nl_msg *vipctl_request_msg(const struct vipctl_req *r, int family);

#endif
