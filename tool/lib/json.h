/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal streaming JSON writer: compact output, commas handled by the
 * writer, strings escaped (control characters as \uXXXX, invalid UTF-8
 * replaced by U+FFFD so the output is always valid JSON).
 */
#ifndef VIP_JSON_H
#define VIP_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define VIP_JSON_DEPTH 16

struct vip_json {
	FILE *f;
	int depth;
	bool first[VIP_JSON_DEPTH];	/* nothing written yet at this level */
	bool after_key;			/* a key was written, value pending */
};

void vip_json_init(struct vip_json *j, FILE *f);

void vip_json_obj_open(struct vip_json *j);
void vip_json_obj_close(struct vip_json *j);
void vip_json_arr_open(struct vip_json *j);
void vip_json_arr_close(struct vip_json *j);
void vip_json_key(struct vip_json *j, const char *key);

void vip_json_str(struct vip_json *j, const char *s);
void vip_json_u64(struct vip_json *j, uint64_t v);
void vip_json_bool(struct vip_json *j, bool v);
void vip_json_null(struct vip_json *j);
/* Milliseconds written as a number of seconds: 500 -> 0.5 */
void vip_json_ms_as_s(struct vip_json *j, uint32_t ms);

/* Shorthands: key followed by value. */
void vip_json_kstr(struct vip_json *j, const char *key, const char *s);
void vip_json_ku64(struct vip_json *j, const char *key, uint64_t v);

/* Writes s as a quoted, escaped JSON string. */
void vip_json_escape(FILE *f, const char *s);

#endif
