// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

int vip_addr_parse(const char *tok, struct vip_addr *a)
{
	memset(a, 0, sizeof(*a));
	/* inet_pton() already refuses "10.1", "010.0.0.1", "1.2.3.4 " and
	 * scoped IPv6 ("fe80::1%eth0"); pick the family by the colon so the
	 * error path is the same for both.
	 */
	if (strchr(tok, ':')) {
		if (inet_pton(AF_INET6, tok, &a->u.v6) != 1)
			return -1;
		a->family = AF_INET6;
		return 0;
	}
	if (inet_pton(AF_INET, tok, &a->u.v4) != 1)
		return -1;
	a->family = AF_INET;
	return 0;
}

const char *vip_addr_str(const struct vip_addr *a, char *buf)
{
	buf[0] = '\0';
	if (a->family == AF_INET || a->family == AF_INET6)
		inet_ntop(a->family, &a->u, buf, VIP_ADDRSTRLEN);
	return buf;
}

bool vip_addr_is_any(const struct vip_addr *a)
{
	static const struct in6_addr any6;

	if (a->family == AF_INET)
		return a->u.v4.s_addr == 0;
	if (a->family == AF_INET6)
		return !memcmp(&a->u.v6, &any6, sizeof(any6));
	return true;
}

bool vip_addr_equal(const struct vip_addr *a, const struct vip_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return !memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
	return true;
}
