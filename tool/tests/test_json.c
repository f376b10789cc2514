// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: escaping and structure. */
#include <stdio.h>
#include <stdlib.h>

#include "lib/json.h"
#include "tap.h"

/* Runs fn on a memory stream and returns what it wrote (caller frees). */
static char *capture(void (*fn)(FILE *f, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, arg);
	fclose(f);
	return buf;
}

static void escape_fn(FILE *f, const void *arg)
{
	vip_json_escape(f, arg);
}

static void check_escape(const char *in, const char *want, const char *name)
{
	char *got = capture(escape_fn, in);

	tap_is_str(got, want, "escape: %s", name);
	free(got);
}

static void nested_fn(FILE *f, const void *arg)
{
	struct vip_json j;

	(void)arg;
	vip_json_init(&j, f);
	vip_json_obj_open(&j);
	vip_json_kstr(&j, "name", "p");
	vip_json_key(&j, "probe");
	vip_json_obj_open(&j);
	vip_json_kstr(&j, "type", "tcp");
	vip_json_key(&j, "interval");
	vip_json_ms_as_s(&j, 500);
	vip_json_key(&j, "timeout");
	vip_json_ms_as_s(&j, 2000);
	vip_json_key(&j, "path");
	vip_json_null(&j);
	vip_json_obj_close(&j);
	vip_json_key(&j, "backends");
	vip_json_arr_open(&j);
	vip_json_obj_open(&j);
	vip_json_ku64(&j, "weight", 0);
	vip_json_key(&j, "eligible");
	vip_json_bool(&j, true);
	vip_json_obj_close(&j);
	vip_json_obj_open(&j);
	vip_json_ku64(&j, "bytes", 18446744073709551615ull);
	vip_json_key(&j, "eligible");
	vip_json_bool(&j, false);
	vip_json_obj_close(&j);
	vip_json_arr_close(&j);
	vip_json_key(&j, "empty");
	vip_json_arr_open(&j);
	vip_json_arr_close(&j);
	vip_json_key(&j, "e");
	vip_json_obj_open(&j);
	vip_json_obj_close(&j);
	vip_json_obj_close(&j);
}

static void array_fn(FILE *f, const void *arg)
{
	struct vip_json j;

	(void)arg;
	vip_json_init(&j, f);
	vip_json_arr_open(&j);
	vip_json_u64(&j, 1);
	vip_json_str(&j, "two");
	vip_json_arr_open(&j);
	vip_json_arr_close(&j);
	vip_json_null(&j);
	vip_json_arr_close(&j);
}

void test_json(void)
{
	char *got;

	check_escape("plain", "\"plain\"", "plain text");
	check_escape("", "\"\"", "empty string");
	check_escape("a\"b", "\"a\\\"b\"", "double quote");
	check_escape("a\\b", "\"a\\\\b\"", "backslash");
	check_escape("/path", "\"/path\"", "slash is left alone");
	check_escape("\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\"", "short escapes");
	check_escape("\001\037\177", "\"\\u0001\\u001f\\u007f\"",
		     "other control characters as \\u");
	check_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
		     "valid UTF-8 passes through");
	check_escape("a\xff" "b", "\"a\\ufffdb\"", "invalid byte replaced");
	check_escape("\xc3", "\"\\ufffd\"", "truncated sequence replaced");
	check_escape("\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong form replaced");
	check_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"",
		     "UTF-16 surrogate replaced");
	check_escape("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
		     "above U+10FFFF replaced");

	got = capture(nested_fn, NULL);
	tap_is_str(got,
		   "{\"name\":\"p\",\"probe\":{\"type\":\"tcp\",\"interval\":0.5,"
		   "\"timeout\":2,\"path\":null},\"backends\":[{\"weight\":0,"
		   "\"eligible\":true},{\"bytes\":18446744073709551615,"
		   "\"eligible\":false}],\"empty\":[],\"e\":{}}",
		   "writer: nested objects, arrays, commas, numbers");
	free(got);

	got = capture(array_fn, NULL);
	tap_is_str(got, "[1,\"two\",[],null]", "writer: top-level array");
	free(got);
}
