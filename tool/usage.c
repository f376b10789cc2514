// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "usage.h"

static const char head[] =
"Usage: vipctl [-j|--json] [-n|--netns NAME] COMMAND ...\n";

static const char pool[] =
"  vipctl pool add NAME [POOL-OPTIONS]\n"
"  vipctl pool set NAME POOL-OPTIONS\n"
"  vipctl pool del NAME\n"
"  vipctl pool show [NAME]\n"
"    POOL-OPTIONS: [probe tcp PORT | probe http PORT [path P] [expect CODES] |\n"
"                   probe none] [interval S] [timeout S] [fall N] [rise N]\n"
"                  [table-size M]\n";

static const char backend[] =
"  vipctl backend add POOL ADDR [BACKEND-OPTIONS]\n"
"  vipctl backend set POOL ADDR BACKEND-OPTIONS [health up|down|unknown]\n"
"  vipctl backend del POOL ADDR\n"
"  vipctl backend health POOL ADDR up|down|unknown\n"
"  vipctl backend show [POOL]\n"
"    BACKEND-OPTIONS: [weight W] [tier T] [via ADDR|none]\n"
"                     [state enabled|draining|disabled]\n";

static const char frontend[] =
"  vipctl frontend add VIP PROTO PORT pool NAME [FRONTEND-OPTIONS]\n"
"  vipctl frontend set VIP PROTO PORT [pool NAME] FRONTEND-OPTIONS\n"
"  vipctl frontend del VIP PROTO PORT\n"
"  vipctl frontend show\n"
"    PROTO: tcp | udp | any    PORT: 0..65535 (0 = every port)\n"
"    FRONTEND-OPTIONS: [mode encap|nat] [encap ipip|gue] [gue-port N]\n"
"                      [backend-port N] [idle-timeout S]\n"
"                      [hash 5tuple|3tuple|2tuple] [no-backend drop|reject]\n"
"                      [source ADDR|none]\n"
"                      [on-health-down default|keep|reschedule]\n";

static const char show[] =
"  vipctl show               pools with their backends, frontends, settings\n";

static const char stats[] =
"  vipctl stats              packets, bytes, new and active flows per frontend\n"
"                            and backend; drops by reason; the flow table\n";

static const char flows[] =
"  vipctl flows [frontend VIP PROTO PORT] [backend ADDR]\n"
"                            the tracked flows (all, or those selected)\n"
"  vipctl flows flush [frontend VIP PROTO PORT] [backend ADDR]\n"
"                            forget them; their next packets are new flows\n";

static const char explain[] =
"  vipctl explain PROTO SRC SPORT VIP PORT\n"
"                            which backend such a packet gets now, and why\n"
"  vipctl explain -          the same for each \"PROTO SRC SPORT VIP PORT\"\n"
"                            line of stdin\n"
"    PROTO: tcp | udp\n";

static const char set[] =
"  vipctl set flow-limit N   flows tracked per namespace (1..67108864)\n";

static const char settings[] =
"  vipctl settings           the namespace settings and the flow count\n";

static const char monitor[] =
"  vipctl monitor            print configuration and health events until\n"
"                            interrupted (one JSON object per line with -j)\n";

static const char guard[] =
"  vipctl guard sync         make table inet vipfwd (the VIP guard) drop again\n"
"                            exactly what no frontend handles on each VIP\n"
"  vipctl guard show         the guard's VIPs and drops, against the frontends\n";

static const char decap[] =
"  vipctl decap add PREFIX [encap ipip|gue] [gue-port N]\n"
"                            on a hypervisor host: decapsulate tunnel packets\n"
"                            from PREFIX to a routed guest, deliver the inner\n"
"                            packet to that guest (gue needs gue-port)\n"
"  vipctl decap del PREFIX\n"
"  vipctl decap show         the prefixes, what each decapsulated, and the\n"
"                            tunnel packets dropped as from outside them\n";

static const char tail[] =
"\n"
"  S is seconds, fractions allowed (5, 0.5, 1.5s, 500ms).\n"
"  -j, --json          JSON output\n"
"  -n, --netns NAME    run in network namespace NAME (/run/netns/NAME)\n"
"  -h, --help          this help; \"vipctl COMMAND help\" for one command\n"
"  -V, --version       print the version\n"
"Exit status: 0 success, 1 operation failed, 2 usage error.\n"
"See vipctl(8).\n";

void vipctl_usage(FILE *f, const char *topic)
{
	static const struct {
		const char *name;
		const char *text;
	} parts[] = {
		{ "pool", pool }, { "backend", backend },
		{ "frontend", frontend }, { "show", show },
		{ "stats", stats }, { "flows", flows },
		{ "explain", explain }, { "set", set },
		{ "settings", settings }, { "monitor", monitor },
		{ "guard", guard },
		{ "decap", decap },
	};
	size_t i;

	fputs(head, f);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (!topic || !strcmp(topic, parts[i].name))
			fputs(parts[i].text, f);
	if (!topic)
		fputs(tail, f);
	else
		fputs("  S is seconds, fractions allowed (5, 0.5, 1.5s, 500ms). See vipctl(8).\n",
		      f);
}
