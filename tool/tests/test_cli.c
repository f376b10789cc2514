// SPDX-License-Identifier: GPL-2.0
/*
 * The vipctl binary itself for what needs no kernel: usage errors exit 2
 * with the message on stderr and nothing on stdout, help exits 0. Runs
 * under $VALGRIND too when set, so main() is checked for leaks as well.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tap.h"

struct result {
	int status;		/* exit code, or 128 + signal */
	char out[8192];
	char err[8192];
};

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
}

/* Runs "$VALGRIND $VIPCTL args..." through sh so VALGRIND may hold
 * options; the arguments are passed as positional parameters, unquoted
 * by nobody.
 */
static int run(struct result *res, const char *const *args)
{
	const char *vipctl = getenv("VIPCTL");
	const char *valgrind = getenv("VALGRIND");
	char script[512];
	const char *argv[40];
	FILE *out = tmpfile(), *err = tmpfile();
	int n = 0, status;
	pid_t pid;

	if (!vipctl)
		vipctl = "./vipctl";
	snprintf(script, sizeof(script), "exec %s \"$0\" \"$@\"",
		 valgrind ? valgrind : "");
	argv[n++] = "sh";
	argv[n++] = "-c";
	argv[n++] = script;
	argv[n++] = vipctl;
	while (*args && n < 39)
		argv[n++] = *args++;
	argv[n] = NULL;

	if (!out || !err)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv("/bin/sh", (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) :
		      128 + WTERMSIG(status);
	slurp(out, res->out, sizeof(res->out));
	slurp(err, res->err, sizeof(res->err));
	fclose(out);
	fclose(err);
	return 0;
}

static void usage_error(const char *const *args, const char *msg,
			const char *name)
{
	struct result r;
	char want[1024];

	if (run(&r, args)) {
		tap_ok(false, "%s: could not run vipctl", name);
		return;
	}
	snprintf(want, sizeof(want), "vipctl: %s\n", msg);
	tap_ok(r.status == 2 && r.out[0] == '\0',
	       "cli %s: exit 2, nothing on stdout (got %d)", name, r.status);
	tap_is_str(r.err, want, "cli %s: message on stderr", name);
}

void test_cli(void)
{
	struct result r;

	{
		const char *a[] = { "backend", "add", "p", "10.0.0.1", "wieght",
				    "1", NULL };

		usage_error(a, "unknown keyword \"wieght\" for backend add",
			    "misspelt keyword");
	}
	{
		const char *a[] = { "frontend", "add", "192.168.2.100", "tcp",
				    "70000", "pool", "p", NULL };

		usage_error(a, "invalid port \"70000\" (expected 0..65535)",
			    "port out of range");
	}
	{
		const char *a[] = { "-j", "-n", "lb", "backend", "add", "p",
				    "10.0.0.300", NULL };

		usage_error(a, "invalid backend address \"10.0.0.300\" (expected an IPv4 or IPv6 address)",
			    "malformed address, netns never entered");
	}
	{
		const char *a[] = { "pool", "add", "p", "interval", "1.0005",
				    NULL };

		usage_error(a, "invalid interval \"1.0005\" (expected seconds, 0.001..3600, e.g. 5 or 0.5)",
			    "sub-millisecond interval");
	}
	{
		const char *a[] = { "pool", "add", "bad\x1bname", NULL };

		usage_error(a, "invalid pool name \"bad?name\" (expected 1..31 printable characters, no spaces, not starting with \"-\")",
			    "control characters are not echoed raw");
	}
	{
		const char *a[] = { NULL };

		usage_error(a, "missing command (try \"vipctl help\")",
			    "no command");
	}

	{
		const char *a[] = { "--help", NULL };

		run(&r, a);
		tap_ok(r.status == 0 && !strncmp(r.out, "Usage: vipctl", 13) &&
		       strstr(r.out, "vipctl frontend add VIP PROTO PORT pool NAME") &&
		       strstr(r.out, "vipctl backend health POOL ADDR up|down") &&
		       strstr(r.out, "vipctl flows [frontend VIP PROTO PORT] [backend ADDR]") &&
		       strstr(r.out, "vipctl flows flush [frontend VIP PROTO PORT] [backend ADDR]") &&
		       strstr(r.out, "vipctl explain PROTO SRC SPORT VIP PORT") &&
		       strstr(r.out, "vipctl set flow-limit N") &&
		       strstr(r.out, "vipctl settings") &&
		       strstr(r.out, "[on-health-down default|keep|reschedule]") &&
		       strstr(r.out, "vipctl monitor") && !r.err[0],
		       "cli --help: full usage on stdout, exit 0");
	}
	{
		const char *a[] = { "flows", "help", NULL };

		run(&r, a);
		tap_ok(r.status == 0 && strstr(r.out, "vipctl flows flush") &&
		       !strstr(r.out, "vipctl explain"),
		       "cli flows help: just the flows commands");
	}
	{
		const char *a[] = { "explain", "tcp", "10.0.1.2", "40000",
				    "192.168.2.100", "1433", "x", NULL };

		usage_error(a, "unexpected argument \"x\" for explain",
			    "explain with a sixth argument");
	}
	{
		const char *a[] = { "set", "flow-limit", "0", NULL };

		usage_error(a, "invalid flow-limit \"0\" (expected 1..67108864)",
			    "set flow-limit 0");
	}
	{
		const char *a[] = { "flows", "flush", "backend", "10.0.2", NULL };

		usage_error(a, "invalid backend address \"10.0.2\" (expected an IPv4 or IPv6 address)",
			    "flows flush with a bad backend");
	}
	{
		const char *a[] = { "backend", "help", NULL };

		run(&r, a);
		tap_ok(r.status == 0 && strstr(r.out, "vipctl backend add") &&
		       !strstr(r.out, "vipctl pool add"),
		       "cli backend help: just the backend commands");
	}
	{
		const char *a[] = { "-V", NULL };

		run(&r, a);
		tap_ok(r.status == 0 && !strncmp(r.out, "vipctl ", 7),
		       "cli -V prints the version");
	}
	{
		const char *a[] = { "-n", "vipctl-test-no-such-ns", "show", NULL };

		run(&r, a);
		tap_is_str(r.err,
			   "vipctl: cannot open network namespace \"vipctl-test-no-such-ns\": No such file or directory\n",
			   "cli -n with a missing namespace: message");
		tap_is_int(r.status, 1, "cli -n with a missing namespace: exit 1");
	}
}
