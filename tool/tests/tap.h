/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny TAP producer: "ok N - name" / "not ok N - name", plan at the end. */
#ifndef VIPCTL_TAP_H
#define VIPCTL_TAP_H

#include <stdbool.h>

int tap_ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tap_is_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int tap_is_int(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the plan; returns the exit status (0 when all passed). */
int tap_done(void);

/* Suites */
void test_parse(void);
void test_args(void);
void test_json(void);
void test_msg(void);
void test_output(void);
void test_cli(void);
void test_probe(void);
void test_guard(void);
void test_decap(void);

#endif
