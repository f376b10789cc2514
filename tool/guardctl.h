/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vipctl's side of the VIP guard (lib/guard.h): keeping the nftables table
 * in step with the kernel's frontends after every frontend change, and the
 * "guard sync" and "guard show" commands.
 */
#ifndef VIPCTL_GUARDCTL_H
#define VIPCTL_GUARDCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/guard.h"
#include "lib/nl.h"
#include "lib/util.h"

/* The VIPs of a frontend list (struct vip_frontend). 0 or -ENOMEM. */
int vipctl_guard_wanted(const struct vip_vec *frontends,
			struct vip_guard_set *s);

/*
 * After a successful frontend add/set/del (what: "frontend added", ...):
 * re-derives the guard from the kernel's frontend list. Returns the exit
 * status: 0 when the guard follows, or when nf_tables is not available
 * (a warning says the guard is not installed and why); 1 when nf_tables
 * refused (the frontend change stands; the message says so and asks for
 * "vipctl guard sync").
 */
int vipctl_guard_follow(struct vip_nl *h, const char *what);

/* Whether the guard table (if any) drops traffic to addr. */
bool vipctl_guard_holds(const struct vip_addr *addr);

/*
 * Serialises frontend changes and guard updates of concurrent vipctl
 * runs (a global lock file, /run/lock/vipctl-guard.lock), so that the
 * VIP set one run derives cannot overwrite a newer one. Returns the file
 * descriptor to close when done, or -1 when the lock file cannot be
 * opened (then runs are not serialised; guard sync repairs a race).
 */
int vipctl_guard_lock(void);

/* "guard sync": the same, on demand; exit 1 also when unavailable. */
int vipctl_guard_sync(struct vip_nl *h, bool json);

/* "guard show": the table against the frontends. */
int vipctl_guard_show(struct vip_nl *h, bool json);

/* The report of guard show, from what the table holds (st) and what the
 * frontends want (want). Pure, for the unit tests.
 */
void vipctl_guard_print(FILE *f, bool json, const struct vip_guard_state *st,
			const struct vip_guard_set *want);

#endif
