/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VIP_NETNS_H
#define VIP_NETNS_H

#include "util.h"

/*
 * Moves the calling thread into a network namespace: NAME is looked up
 * as /run/netns/NAME (what "ip netns add" creates); a value containing a
 * '/' is taken as a path (e.g. /proc/PID/ns/net). Must run before any
 * netlink socket is opened. Returns 0, or -1 with e set.
 */
int vip_netns_enter(const char *name, struct vip_err *e);

#endif
