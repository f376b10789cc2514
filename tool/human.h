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
/* "flows": one line per flow. */
int human_flows(FILE *f, const struct vip_vec *flows);
/* "flows flush": how many went. */
int human_flushed(FILE *f, const struct vip_flow *reply);
/* "explain": the question, the backend, the reason, the details. */
int human_explain(FILE *f, const struct vip_explain *x);
/* "settings" */
int human_settings(FILE *f, const struct vip_settings *st);
/* "monitor": one line per event. */
int human_event(FILE *f, const struct vip_obj *o);

#endif
