// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "parse.h"

void vip_json_init(struct vip_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

/* Called before every value or key: writes the separating comma. */
static void sep(struct vip_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
}

static void jopen(struct vip_json *j, char c)
{
	sep(j);
	fputc(c, j->f);
	/* Deeper nesting than we ever produce would be a bug; keep the
	 * output well-formed anyway by not tracking commas past the limit.
	 */
	if (j->depth < VIP_JSON_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void jclose(struct vip_json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void vip_json_obj_open(struct vip_json *j)
{
	jopen(j, '{');
}

void vip_json_obj_close(struct vip_json *j)
{
	jclose(j, '}');
}

void vip_json_arr_open(struct vip_json *j)
{
	jopen(j, '[');
}

void vip_json_arr_close(struct vip_json *j)
{
	jclose(j, ']');
}

void vip_json_key(struct vip_json *j, const char *key)
{
	sep(j);
	vip_json_escape(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one
 * (overlong forms, surrogates and values above U+10FFFF are invalid).
 */
static int utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], cp;
	int n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void vip_json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		int n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, (size_t)n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

void vip_json_str(struct vip_json *j, const char *s)
{
	sep(j);
	vip_json_escape(j->f, s);
}

void vip_json_u64(struct vip_json *j, uint64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void vip_json_bool(struct vip_json *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void vip_json_null(struct vip_json *j)
{
	sep(j);
	fputs("null", j->f);
}

void vip_json_ms_as_s(struct vip_json *j, uint32_t ms)
{
	char buf[16];

	sep(j);
	fputs(vip_ms_str(ms, buf), j->f);
}

void vip_json_kstr(struct vip_json *j, const char *key, const char *s)
{
	vip_json_key(j, key);
	vip_json_str(j, s);
}

void vip_json_ku64(struct vip_json *j, const char *key, uint64_t v)
{
	vip_json_key(j, key);
	vip_json_u64(j, v);
}
