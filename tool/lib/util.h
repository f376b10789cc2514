/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the vipfwd tools: an error buffer that parsers
 * fill instead of printing (so tests can compare the text), and a growable
 * array for dump results.
 */
#ifndef VIP_UTIL_H
#define VIP_UTIL_H

#include <stddef.h>

#define VIP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A message for the user, without the "vipctl: " prefix. */
struct vip_err {
	char msg[512];
};

/* Formats into e->msg and returns -1, so callers can "return vip_errf()". */
int vip_errf(struct vip_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Copies src into dst (size bytes), always NUL-terminated; returns -1 when
 * src did not fit (dst then holds a truncated copy), else 0.
 */
int vip_strlcpy(char *dst, const char *src, size_t size);

/* Array of fixed-size elements; items are zeroed when pushed. */
struct vip_vec {
	void *items;
	size_t n;
	size_t cap;
	size_t size;
};

void vip_vec_init(struct vip_vec *v, size_t size);
void *vip_vec_push(struct vip_vec *v);	/* NULL when out of memory */
void *vip_vec_at(const struct vip_vec *v, size_t i);
void vip_vec_clear(struct vip_vec *v);	/* n = 0, keeps the memory */
void vip_vec_free(struct vip_vec *v);

#endif
