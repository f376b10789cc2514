/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON output (-j). Keys follow the design's contract; in listings every
 * key is present (null when the kernel did not say), in events only what
 * the event carried. Durations are seconds (fractional numbers allowed).
 */
#ifndef VIPCTL_JSONOUT_H
#define VIPCTL_JSONOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "fetch.h"
#include "lib/json.h"

void json_frontend(struct vip_json *j, const struct vip_frontend *fe,
		   bool all);
/* backends: the pool's backends are taken from it; NULL = no key */
void json_pool(struct vip_json *j, const struct vip_pool *p,
	       const struct vip_vec *backends, bool all);
void json_backend(struct vip_json *j, const struct vip_backend *b,
		  bool all);

/* {"frontends":[...],"pools":[...]} with the parts in what (FETCH_*). */
void json_show(FILE *f, const struct vip_config *cfg, unsigned int what);
/* {"backends":[...]} */
void json_backends(FILE *f, const struct vip_config *cfg);
/* {"frontends":[...],"backends":[...],"drops":{...},"flow_count",...} */
void json_stats(FILE *f, const struct vip_config *cfg);
/* [{"proto","src","sport","dst","dport","frontend":{...},"backend",...}] */
void json_flows(FILE *f, const struct vip_vec *flows);
/* {"flushed":N} */
void json_flushed(FILE *f, const struct vip_flow *reply);
/* {"proto",...,"frontend","backend","why","reason",...}, one line */
void json_explain(FILE *f, const struct vip_explain *x);
/* {"flow_limit":L,"flow_count":N} */
void json_settings(FILE *f, const struct vip_settings *st);
/* {"event":"backend_set",<the object's keys>} */
void json_event(FILE *f, const struct vip_obj *o);

#endif
