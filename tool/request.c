// SPDX-License-Identifier: GPL-2.0
#include <linux/vipfwd.h>

#include "lib/nl.h"
#include "request.h"

struct nl_msg *vipctl_request_msg(const struct vipctl_req *r, int family)
{
	static const uint8_t cmds[] = {
		[VC_POOL_ADD] = VIPFWD_CMD_POOL_NEW,
		[VC_POOL_SET] = VIPFWD_CMD_POOL_SET,
		[VC_POOL_DEL] = VIPFWD_CMD_POOL_DEL,
		[VC_BACKEND_ADD] = VIPFWD_CMD_BACKEND_NEW,
		[VC_BACKEND_SET] = VIPFWD_CMD_BACKEND_SET,
		[VC_BACKEND_HEALTH] = VIPFWD_CMD_BACKEND_SET,
		[VC_BACKEND_DEL] = VIPFWD_CMD_BACKEND_DEL,
		[VC_FRONTEND_ADD] = VIPFWD_CMD_FRONTEND_NEW,
		[VC_FRONTEND_SET] = VIPFWD_CMD_FRONTEND_SET,
		[VC_FRONTEND_DEL] = VIPFWD_CMD_FRONTEND_DEL,
		[VC_FLOWS] = VIPFWD_CMD_FLOW_GET,
		[VC_FLOWS_FLUSH] = VIPFWD_CMD_FLOW_FLUSH,
		[VC_EXPLAIN] = VIPFWD_CMD_EXPLAIN,
		[VC_SET] = VIPFWD_CMD_SETTINGS_SET,
		[VC_SETTINGS] = VIPFWD_CMD_SETTINGS_GET,
	};
	struct nl_msg *msg;
	int err = 0;

	if ((unsigned int)r->op >= sizeof(cmds) || !cmds[r->op])
		return NULL;
	msg = vip_nl_msg_new(family, cmds[r->op], r->op == VC_FLOWS);
	if (!msg)
		return NULL;
	switch (r->op) {
	case VC_POOL_ADD:
	case VC_POOL_SET:
	case VC_POOL_DEL:
		err = vip_pool_put(msg, &r->pool);
		break;
	case VC_BACKEND_ADD:
	case VC_BACKEND_SET:
	case VC_BACKEND_HEALTH:
	case VC_BACKEND_DEL:
		err = vip_backend_put(msg, &r->backend);
		break;
	case VC_FLOWS:
	case VC_FLOWS_FLUSH:
		/* No filter: no nest, every flow. */
		if (r->flow.has)
			err = vip_flow_put(msg, &r->flow);
		break;
	case VC_EXPLAIN:
		err = vip_explain_put(msg, &r->explain);
		break;
	case VC_SET:
		err = vip_settings_put(msg, &r->settings);
		break;
	case VC_SETTINGS:
		break;
	default:
		err = vip_frontend_put(msg, &r->frontend);
		break;
	}
	if (err < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}
