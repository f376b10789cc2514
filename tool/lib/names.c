// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/vipfwd.h>

#include "names.h"

const struct vip_name vip_probe_names[] = {
	{ "none", VIPFWD_PROBE_NONE },
	{ "tcp", VIPFWD_PROBE_TCP },
	{ "http", VIPFWD_PROBE_HTTP },
	{ NULL, 0 }
};

const struct vip_name vip_state_names[] = {
	{ "enabled", VIPFWD_BACKEND_ENABLED },
	{ "draining", VIPFWD_BACKEND_DRAINING },
	{ "disabled", VIPFWD_BACKEND_DISABLED },
	{ NULL, 0 }
};

const struct vip_name vip_health_names[] = {
	{ "unknown", VIPFWD_HEALTH_UNKNOWN },
	{ "up", VIPFWD_HEALTH_UP },
	{ "down", VIPFWD_HEALTH_DOWN },
	{ NULL, 0 }
};

const struct vip_name vip_mode_names[] = {
	{ "encap", VIPFWD_MODE_ENCAP },
	{ "nat", VIPFWD_MODE_NAT },
	{ NULL, 0 }
};

const struct vip_name vip_encap_names[] = {
	{ "ipip", VIPFWD_ENCAP_IPIP },
	{ "gue", VIPFWD_ENCAP_GUE },
	{ NULL, 0 }
};

const struct vip_name vip_hash_names[] = {
	{ "5tuple", VIPFWD_HASH_5TUPLE },
	{ "3tuple", VIPFWD_HASH_3TUPLE },
	{ "2tuple", VIPFWD_HASH_2TUPLE },
	{ NULL, 0 }
};

const struct vip_name vip_no_backend_names[] = {
	{ "drop", VIPFWD_NO_BACKEND_DROP },
	{ "reject", VIPFWD_NO_BACKEND_REJECT },
	{ NULL, 0 }
};

const struct vip_name vip_proto_names[] = {
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "any", VIPFWD_PROTO_ANY },
	{ NULL, 0 }
};

const struct vip_name vip_cmd_names[] = {
	{ "pool_new", VIPFWD_CMD_POOL_NEW },
	{ "pool_set", VIPFWD_CMD_POOL_SET },
	{ "pool_del", VIPFWD_CMD_POOL_DEL },
	{ "pool_get", VIPFWD_CMD_POOL_GET },
	{ "backend_new", VIPFWD_CMD_BACKEND_NEW },
	{ "backend_set", VIPFWD_CMD_BACKEND_SET },
	{ "backend_del", VIPFWD_CMD_BACKEND_DEL },
	{ "backend_get", VIPFWD_CMD_BACKEND_GET },
	{ "frontend_new", VIPFWD_CMD_FRONTEND_NEW },
	{ "frontend_set", VIPFWD_CMD_FRONTEND_SET },
	{ "frontend_del", VIPFWD_CMD_FRONTEND_DEL },
	{ "frontend_get", VIPFWD_CMD_FRONTEND_GET },
	{ "stats_get", VIPFWD_CMD_STATS_GET },
	{ "flow_get", VIPFWD_CMD_FLOW_GET },
	{ "flow_flush", VIPFWD_CMD_FLOW_FLUSH },
	{ "explain", VIPFWD_CMD_EXPLAIN },
	{ "settings_set", VIPFWD_CMD_SETTINGS_SET },
	{ "settings_get", VIPFWD_CMD_SETTINGS_GET },
	{ NULL, 0 }
};

/* JSON keys of the counters; drops use the reason alone ("no_backend")
 * because they always appear inside a "drops" object.
 */
const struct vip_name vip_counter_names[] = {
	{ "packets", VIPFWD_STATS_A_PACKETS },
	{ "bytes", VIPFWD_STATS_A_BYTES },
	{ "new_flows", VIPFWD_STATS_A_NEW_FLOWS },
	{ "active_flows", VIPFWD_STATS_A_ACTIVE_FLOWS },
	{ "no_backend", VIPFWD_STATS_A_DROP_NO_BACKEND },
	{ "no_route", VIPFWD_STATS_A_DROP_NO_ROUTE },
	{ "malformed", VIPFWD_STATS_A_DROP_MALFORMED },
	{ "fragment", VIPFWD_STATS_A_DROP_FRAGMENT },
	{ "nomem", VIPFWD_STATS_A_DROP_NOMEM },
	{ "too_big", VIPFWD_STATS_A_DROP_TOO_BIG },
	{ "table_full", VIPFWD_STATS_A_FLOW_TABLE_FULL },
	{ "rescheduled", VIPFWD_STATS_A_RESCHEDULED },
	{ "rejected", VIPFWD_STATS_A_REJECTED },
	{ "flow_limit", VIPFWD_STATS_A_FLOW_LIMIT },
	{ "nat_untracked", VIPFWD_STATS_A_DROP_NAT_UNTRACKED },
	{ "nat_collision", VIPFWD_STATS_A_DROP_NAT_COLLISION },
	{ "icmp_forwarded", VIPFWD_STATS_A_ICMP_FORWARDED },
	{ "decap_foreign", VIPFWD_STATS_A_DROP_DECAP_FOREIGN },
	{ NULL, 0 }
};

const struct vip_name vip_on_health_down_names[] = {
	{ "default", VIPFWD_ON_HEALTH_DOWN_DEFAULT },
	{ "keep", VIPFWD_ON_HEALTH_DOWN_KEEP },
	{ "reschedule", VIPFWD_ON_HEALTH_DOWN_RESCHEDULE },
	{ NULL, 0 }
};

const struct vip_name vip_flow_state_names[] = {
	{ "udp", VIPFWD_FLOW_STATE_UDP },
	{ "syn", VIPFWD_FLOW_STATE_SYN },
	{ "established", VIPFWD_FLOW_STATE_ESTABLISHED },
	{ "closing", VIPFWD_FLOW_STATE_CLOSING },
	{ "other", VIPFWD_FLOW_STATE_OTHER },
	{ NULL, 0 }
};

const struct vip_name vip_why_names[] = {
	{ "no_frontend", VIPFWD_WHY_NO_FRONTEND },
	{ "flow", VIPFWD_WHY_FLOW },
	{ "new_flow", VIPFWD_WHY_NEW_FLOW },
	{ "rescheduled", VIPFWD_WHY_RESCHEDULED },
	{ "table_full", VIPFWD_WHY_TABLE_FULL },
	{ "no_backend", VIPFWD_WHY_NO_BACKEND },
	{ NULL, 0 }
};

int vip_name_parse(const struct vip_name *tab, const char *word,
		   unsigned int *val)
{
	for (; tab->name; tab++) {
		if (!strcmp(tab->name, word)) {
			*val = tab->val;
			return 0;
		}
	}
	return -1;
}

const char *vip_name_str(const struct vip_name *tab, unsigned int val)
{
	for (; tab->name; tab++)
		if (tab->val == val)
			return tab->name;
	return NULL;
}

const char *vip_name_list(const struct vip_name *tab, char *buf,
			  unsigned int len)
{
	unsigned int n = 0, i, off = 0;

	while (tab[n].name)
		n++;
	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++) {
		const char *sep = i == 0 ? "" : i == n - 1 ? " or " : ", ";
		int w = snprintf(buf + off, len - off, "%s%s", sep,
				 tab[i].name);

		if (w < 0)
			break;
		off += (unsigned int)w;
	}
	return buf;
}
