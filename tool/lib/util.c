// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int vip_errf(struct vip_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int vip_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (!size)
		return -1;
	if (len >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, len + 1);
	return 0;
}

void vip_vec_init(struct vip_vec *v, size_t size)
{
	v->items = NULL;
	v->n = 0;
	v->cap = 0;
	v->size = size;
}

void *vip_vec_push(struct vip_vec *v)
{
	void *slot;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *items = realloc(v->items, cap * v->size);

		if (!items)
			return NULL;
		v->items = items;
		v->cap = cap;
	}
	slot = (char *)v->items + v->n * v->size;
	memset(slot, 0, v->size);
	v->n++;
	return slot;
}

void *vip_vec_at(const struct vip_vec *v, size_t i)
{
	return (char *)v->items + i * v->size;
}

void vip_vec_clear(struct vip_vec *v)
{
	v->n = 0;
}

void vip_vec_free(struct vip_vec *v)
{
	free(v->items);
	vip_vec_init(v, v->size);
}
