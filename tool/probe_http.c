// SPDX-License-Identifier: GPL-2.0
/* HTTP probe text handling: request, status line, expected codes. */
#include <stdio.h>
#include <string.h>

#include "probe.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int probe_http_status(const char *line, size_t len)
{
	size_t i;
	int code;

	/* "HTTP/" DIGIT "." DIGIT SP 3DIGIT (SP reason | end of line) */
	if (len < 12 || memcmp(line, "HTTP/", 5) || !is_digit(line[5]) ||
	    line[6] != '.' || !is_digit(line[7]) || line[8] != ' ')
		return -1;
	for (i = 9, code = 0; i < 12; i++) {
		if (!is_digit(line[i]))
			return -1;
		code = code * 10 + (line[i] - '0');
	}
	if (len > 12 && line[12] != ' ' && line[12] != '\r' &&
	    line[12] != '\n')
		return -1;
	if (code < 100 || code > 599)
		return -1;
	return code;
}

/* Reads a code 100..599 at *p; returns it or -1. */
static int read_code(const char **p)
{
	int code = 0, n = 0;

	while (is_digit(**p) && n < 4) {
		code = code * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n != 3 || code < 100 || code > 599)
		return -1;
	return code;
}

/*
 * Walks spec; calls back per range. Returns -1 on a syntax error, 1 when
 * code (if >= 0) is in a range, else 0.
 */
static int walk(const char *spec, int code)
{
	const char *p = spec;
	int found = 0;

	if (!*p)
		return -1;
	for (;;) {
		int lo = read_code(&p), hi;

		if (lo < 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			hi = read_code(&p);
			if (hi < lo)
				return -1;
		}
		if (code >= lo && code <= hi)
			found = 1;
		if (!*p)
			return found;
		if (*p != ',')
			return -1;
		p++;
	}
}

int probe_http_expect_valid(const char *spec)
{
	return walk(spec, -1) < 0 ? -1 : 0;
}

bool probe_http_expect_match(const char *spec, int code)
{
	if (!spec || !*spec)
		spec = PROBE_HTTP_EXPECT_DEFAULT;
	return walk(spec, code) == 1;
}

int probe_http_request(char *buf, size_t size, const char *path,
		       const char *host)
{
	int n;

	/* HTTP/1.0 with "Connection: close": the server answers and hangs
	 * up, nothing to negotiate.
	 */
	n = snprintf(buf, size,
		     "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: vipprobe\r\nConnection: close\r\n\r\n",
		     path && *path ? path : "/", host);
	if (n < 0 || (size_t)n >= size)
		return -1;
	return n;
}
