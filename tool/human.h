/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Human-readable output: one line per object, words as typed on the
 * command line, columns aligned.
 */
#ifndef VIPCTL_HUMAN_H
#define VIPCTL_HUMAN_H

#include <stdio.h>

#include "fetch.h"

/* "show", "pool show", "frontend show": frontends and/or pools, each
 * pool followed by its backends.
 */
int human_show(FILE *f, const struct vip_config *cfg, unsigned int what);
/* "backend show": one line per backend, with its pool. */
int human_backends(FILE *f, const struct vip_config *cfg);
int human_stats(FILE *f, const struct vip_config *cfg);
/* "monitor": one line per event. */
int human_event(FILE *f, const struct vip_obj *o);

#endif
