/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VIPCTL_USAGE_H
#define VIPCTL_USAGE_H

#include <stdio.h>

#define VIPCTL_VERSION "0.1"

/* Prints the usage of topic ("pool", "backend", ...), or all of it. */
void vipctl_usage(FILE *f, const char *topic);

#endif
