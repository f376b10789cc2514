// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

struct row {
	char *raw;			/* non-NULL: a heading line */
	char *cell[VIP_TABLE_COLS];
};

void vip_table_init(struct vip_table *t, int ncols, const int *seps)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->ncols = ncols > VIP_TABLE_COLS ? VIP_TABLE_COLS : ncols;
	for (i = 0; i < t->ncols; i++)
		t->sep[i] = seps[i];
	vip_vec_init(&t->rows, sizeof(struct row));
}

static char *vformat(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

void vip_table_align_right(struct vip_table *t, int col)
{
	if (col >= 0 && col < t->ncols)
		t->right[col] = 1;
}

void vip_table_row(struct vip_table *t)
{
	if (!vip_vec_push(&t->rows))
		t->oom = 1;
}

void vip_table_cell(struct vip_table *t, int col, const char *fmt, ...)
{
	struct row *r;
	va_list ap;

	if (t->oom || !t->rows.n || col < 0 || col >= t->ncols)
		return;
	r = vip_vec_at(&t->rows, t->rows.n - 1);
	free(r->cell[col]);
	va_start(ap, fmt);
	r->cell[col] = vformat(fmt, ap);
	va_end(ap);
	if (!r->cell[col])
		t->oom = 1;
}

void vip_table_raw(struct vip_table *t, const char *fmt, ...)
{
	struct row *r;
	va_list ap;

	if (t->oom)
		return;
	r = vip_vec_push(&t->rows);
	if (!r) {
		t->oom = 1;
		return;
	}
	va_start(ap, fmt);
	r->raw = vformat(fmt, ap);
	va_end(ap);
	if (!r->raw)
		t->oom = 1;
}

static size_t cell_len(const struct row *r, int c)
{
	return r->cell[c] ? strlen(r->cell[c]) : 0;
}

int vip_table_print(struct vip_table *t, FILE *f)
{
	size_t width[VIP_TABLE_COLS] = { 0 }, i;
	int c;

	if (t->oom)
		return -1;
	for (i = 0; i < t->rows.n; i++) {
		struct row *r = vip_vec_at(&t->rows, i);

		for (c = 0; !r->raw && c < t->ncols; c++)
			if (cell_len(r, c) > width[c])
				width[c] = cell_len(r, c);
	}
	for (i = 0; i < t->rows.n; i++) {
		struct row *r = vip_vec_at(&t->rows, i);
		int last = -1, printed = 0;

		if (r->raw) {
			fprintf(f, "%s\n", r->raw);
			continue;
		}
		for (c = 0; c < t->ncols; c++)
			if (cell_len(r, c))
				last = c;
		for (c = 0; c <= last; c++) {
			const char *s = r->cell[c] ? r->cell[c] : "";

			if (!width[c])
				continue;	/* empty in every row */
			if (printed++)
				fprintf(f, "%*s", t->sep[c], "");
			if (t->right[c])
				fprintf(f, "%*s", (int)width[c], s);
			else if (c == last)
				fputs(s, f);
			else
				fprintf(f, "%-*s", (int)width[c], s);
		}
		fputc('\n', f);
	}
	return 0;
}

void vip_table_free(struct vip_table *t)
{
	size_t i;
	int c;

	for (i = 0; i < t->rows.n; i++) {
		struct row *r = vip_vec_at(&t->rows, i);

		free(r->raw);
		for (c = 0; c < VIP_TABLE_COLS; c++)
			free(r->cell[c]);
	}
	vip_vec_free(&t->rows);
}
