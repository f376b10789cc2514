/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VIP_ADDR_H
#define VIP_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* An IPv4 or IPv6 address; family 0 means "not set". */
struct vip_addr {
	uint8_t family;		/* AF_INET, AF_INET6 or 0 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

#define VIP_ADDRSTRLEN INET6_ADDRSTRLEN

/*
 * Strict literal parsing: dotted-quad IPv4 (no leading zeros, no short
 * forms such as "10.1") or RFC 4291 IPv6 text without zone or brackets.
 * Returns 0 or -1.
 */
int vip_addr_parse(const char *tok, struct vip_addr *a);
/* Text form into buf (VIP_ADDRSTRLEN bytes); "" when family is 0. */
const char *vip_addr_str(const struct vip_addr *a, char *buf);
/* The unspecified address (0.0.0.0 or ::), used to clear via/source. */
bool vip_addr_is_any(const struct vip_addr *a);
bool vip_addr_equal(const struct vip_addr *a, const struct vip_addr *b);

#endif
