/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VIPCTL_MONITOR_H
#define VIPCTL_MONITOR_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/nl.h"

/*
 * Prints every event of the "events" group until SIGINT or SIGTERM.
 * Returns the exit status (0 when stopped by a signal).
 */
int vipctl_monitor(struct vip_nl *h, bool json, FILE *out);

#endif
