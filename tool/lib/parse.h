/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token parsers shared by the tools. They only say yes or no; the caller
 * words the error, because only it knows what the token was meant to be.
 */
#ifndef VIP_PARSE_H
#define VIP_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* Plain decimal ("0", "080", "65535"): no sign, space, hex or suffix.
 * Returns 0, or -1 when malformed or above UINT32_MAX.
 */
int vip_parse_u32(const char *tok, uint32_t *out);

/*
 * A duration in seconds, as milliseconds: "5", "0.5", ".25", "5s", "1.5s",
 * or "500ms". Fractions finer than a millisecond are refused rather than
 * rounded ("0.0005" is an error, "0.5000" is fine). Returns 0, or -1 when
 * malformed or above UINT32_MAX ms.
 */
int vip_parse_ms(const char *tok, uint32_t *ms);

/* Milliseconds as seconds text without trailing zeros: 5000 -> "5",
 * 500 -> "0.5", 1250 -> "1.25". buf needs 16 bytes.
 */
const char *vip_ms_str(uint32_t ms, char *buf);

/* Pool name: 1..VIPFWD_NAME_MAX-1 printable ASCII characters, no space,
 * not starting with '-' (it would read like an option).
 */
bool vip_valid_name(const char *s);
/* HTTP probe path: starts with '/', printable ASCII without spaces,
 * shorter than VIPFWD_HTTP_PATH_MAX.
 */
bool vip_valid_http_path(const char *s);
/* Expected HTTP status codes: comma-separated codes (100..599) or ranges
 * "200-399" with lo <= hi, shorter than VIPFWD_HTTP_EXPECT_MAX.
 */
bool vip_valid_http_expect(const char *s);

bool vip_is_prime(uint32_t n);

#endif
