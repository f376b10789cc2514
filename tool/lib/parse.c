// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <linux/vipfwd.h>

#include "parse.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads a run of digits at *p into *val; -1 on overflow or no digit. */
static int digits(const char **p, uint64_t limit, uint64_t *val)
{
	const char *s = *p;
	uint64_t v = 0;

	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > limit)
			return -1;
	}
	*p = s;
	*val = v;
	return 0;
}

int vip_parse_u32(const char *tok, uint32_t *out)
{
	uint64_t v;

	if (digits(&tok, UINT32_MAX, &v) || *tok)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int vip_parse_ms(const char *tok, uint32_t *ms)
{
	const char *p = tok;
	uint64_t whole = 0, frac = 0;
	unsigned int fdigits = 0;

	if (is_digit(*p) && digits(&p, UINT32_MAX, &whole))
		return -1;
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return -1;
		for (; is_digit(*p); p++, fdigits++) {
			if (fdigits < 3)
				frac = frac * 10 + (uint64_t)(*p - '0');
			else if (*p != '0')
				return -1;	/* finer than 1 ms */
		}
		while (fdigits < 3) {
			frac *= 10;
			fdigits++;
		}
	} else if (p == tok) {
		return -1;		/* no digits at all */
	}

	if (!strcmp(p, "ms")) {
		/* "500ms": whole milliseconds only */
		if (strchr(tok, '.'))
			return -1;
		*ms = (uint32_t)whole;
		return 0;
	}
	if (*p && strcmp(p, "s"))
		return -1;
	whole = whole * 1000 + frac;
	if (whole > UINT32_MAX)
		return -1;
	*ms = (uint32_t)whole;
	return 0;
}

const char *vip_ms_str(uint32_t ms, char *buf)
{
	unsigned int frac = ms % 1000;

	if (!frac)
		snprintf(buf, 16, "%u", ms / 1000);
	else if (frac % 100 == 0)
		snprintf(buf, 16, "%u.%u", ms / 1000, frac / 100);
	else if (frac % 10 == 0)
		snprintf(buf, 16, "%u.%02u", ms / 1000, frac / 10);
	else
		snprintf(buf, 16, "%u.%03u", ms / 1000, frac);
	return buf;
}

static bool printable_no_space(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

bool vip_valid_name(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len < VIPFWD_NAME_MAX && s[0] != '-' &&
	       printable_no_space(s);
}

bool vip_valid_http_path(const char *s)
{
	return s[0] == '/' && strlen(s) < VIPFWD_HTTP_PATH_MAX &&
	       printable_no_space(s);
}

static int status_code(const char **p, uint64_t *code)
{
	const char *start = *p;

	if (digits(p, 999, code) || *p - start != 3)
		return -1;
	return *code >= 100 && *code <= 599 ? 0 : -1;
}

bool vip_valid_http_expect(const char *s)
{
	const char *p = s;

	if (!*s || strlen(s) >= VIPFWD_HTTP_EXPECT_MAX)
		return false;
	for (;;) {
		uint64_t lo, hi;

		if (status_code(&p, &lo))
			return false;
		if (*p == '-') {
			p++;
			if (status_code(&p, &hi) || hi < lo)
				return false;
		}
		if (!*p)
			return true;
		if (*p++ != ',')
			return false;
	}
}

bool vip_is_prime(uint32_t n)
{
	uint32_t d;

	if (n < 2)
		return false;
	if (n % 2 == 0)
		return n == 2;
	for (d = 3; (uint64_t)d * d <= n; d += 2)
		if (n % d == 0)
			return false;
	return true;
}
