/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vipctl command line -> request structure. Pure: no I/O, no kernel, so
 * every accepted and refused form is unit-tested.
 */
#ifndef VIPCTL_ARGS_H
#define VIPCTL_ARGS_H

#include <stdbool.h>

#include "decap.h"
#include "lib/objects.h"
#include "lib/util.h"

enum vipctl_op {
	VC_HELP,
	VC_VERSION,
	VC_POOL_ADD,
	VC_POOL_SET,
	VC_POOL_DEL,
	VC_POOL_SHOW,
	VC_BACKEND_ADD,
	VC_BACKEND_SET,
	VC_BACKEND_DEL,
	VC_BACKEND_HEALTH,
	VC_BACKEND_SHOW,
	VC_FRONTEND_ADD,
	VC_FRONTEND_SET,
	VC_FRONTEND_DEL,
	VC_FRONTEND_SHOW,
	VC_SHOW,
	VC_STATS,
	VC_MONITOR,
	VC_FLOWS,
	VC_FLOWS_FLUSH,
	VC_EXPLAIN,
	VC_SET,
	VC_SETTINGS,
	VC_GUARD_SYNC,
	VC_GUARD_SHOW,
	VC_DECAP_ADD,
	VC_DECAP_DEL,
	VC_DECAP_SHOW,
};

struct vipctl_req {
	enum vipctl_op op;
	bool json;
	const char *netns;		/* -n NAME, or NULL */
	const char *topic;		/* VC_HELP: "pool", ..., NULL = all */
	/* The object of the command, with only the typed fields set.
	 * Show commands use them as filters (pool name).
	 */
	struct vip_pool pool;
	struct vip_backend backend;
	struct vip_frontend frontend;
	struct vip_flow flow;		/* flows, flows flush: the filter */
	struct vip_explain explain;	/* explain: the question */
	bool explain_batch;		/* "explain -": questions on stdin */
	struct vip_settings settings;	/* set */
	struct vip_decap decap;		/* decap add/del (decap.c) */
};

/* Exit status for a usage error. */
#define VIPCTL_EXIT_USAGE 2

/*
 * Parses argv (argv[0] is the program). Returns 0, or -1 with a message
 * quoting the offending token in e (a usage error: exit 2, send nothing).
 * The request points into argv; argv must outlive it.
 */
int vipctl_parse(int argc, char **argv, struct vipctl_req *r,
		 struct vip_err *e);

/*
 * One "explain" question from a line of text, as typed after "explain"
 * on the command line ("tcp 10.0.1.2 40000 192.168.2.100 1433"), for
 * "explain -". Returns 0, or -1 with a message in e. line is not changed.
 */
int vipctl_parse_explain_line(const char *line, struct vip_explain *x,
			      struct vip_err *e);

/* The command words of an op, e.g. "backend add". */
const char *vipctl_op_name(enum vipctl_op op);

#endif
