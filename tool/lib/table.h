/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Column alignment for human output: rows of cells, each column padded to
 * its widest cell, empty columns left out, no trailing blanks. "Raw" rows
 * (headings) are printed as they are, in order, between the aligned rows.
 */
#ifndef VIP_TABLE_H
#define VIP_TABLE_H

#include <stdio.h>

#include "util.h"

#define VIP_TABLE_COLS 12

struct vip_table {
	int ncols;
	int sep[VIP_TABLE_COLS];	/* spaces before column i */
	int right[VIP_TABLE_COLS];	/* right-align column i */
	struct vip_vec rows;
	int oom;			/* an allocation failed */
};

/* seps: ncols entries, spaces before each column (the first is ignored) */
void vip_table_init(struct vip_table *t, int ncols, const int *seps);
/* Right-aligns a column (numbers). */
void vip_table_align_right(struct vip_table *t, int col);
/* Starts a new aligned row; cells are then set with vip_table_cell(). */
void vip_table_row(struct vip_table *t);
void vip_table_cell(struct vip_table *t, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vip_table_raw(struct vip_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Returns 0, or -1 if an allocation failed earlier (nothing printed). */
int vip_table_print(struct vip_table *t, FILE *f);
void vip_table_free(struct vip_table *t);

#endif
