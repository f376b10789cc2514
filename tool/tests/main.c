// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int count, failed;

static void vresult(bool cond, const char *fmt, va_list ap)
{
	char name[1024];
	char *p;

	count++;
	if (!cond)
		failed++;
	vsnprintf(name, sizeof(name), fmt, ap);
	/* A test name must stay on its TAP line. */
	for (p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	printf("%sok %d - %s\n", cond ? "" : "not ", count, name);
	fflush(stdout);
}

int tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vresult(cond, fmt, ap);
	va_end(ap);
	return cond;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Multi-line values are shown line by line as TAP comments. */
static void diag_block(const char *label, const char *s)
{
	const char *nl;

	printf("#   %s:\n", label);
	if (!s) {
		printf("#     (null)\n");
		return;
	}
	do {
		nl = strchr(s, '\n');
		printf("#     |%.*s|\n", nl ? (int)(nl - s) : (int)strlen(s), s);
		s = nl ? nl + 1 : NULL;
	} while (s && *s);
}

int tap_is_str(const char *got, const char *want, const char *fmt, ...)
{
	bool cond = got && want ? !strcmp(got, want) : got == want;
	va_list ap;

	va_start(ap, fmt);
	vresult(cond, fmt, ap);
	va_end(ap);
	if (!cond) {
		diag_block("got", got);
		diag_block("expected", want);
	}
	return cond;
}

int tap_is_int(long long got, long long want, const char *fmt, ...)
{
	bool cond = got == want;
	va_list ap;

	va_start(ap, fmt);
	vresult(cond, fmt, ap);
	va_end(ap);
	if (!cond)
		printf("#   got %lld, expected %lld\n", got, want);
	return cond;
}

int tap_done(void)
{
	printf("1..%d\n", count);
	if (failed)
		printf("# %d of %d tests failed\n", failed, count);
	return failed ? 1 : 0;
}

int main(void)
{
	test_parse();
	test_args();
	test_json();
	test_msg();
	test_output();
	test_cli();
	test_probe();
	test_guard();
	test_decap();
	return tap_done();
}
