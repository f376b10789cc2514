// SPDX-License-Identifier: GPL-2.0
/*
 * vipprobe: probes the backends of every vipfwd pool that has a health
 * probe and pushes the verdicts into the kernel module.
 *
 *   vipprobe [-n NETNS] [-v] [--tcp-mode M] [--no-ebpf]
 *	run in the foreground
 *   vipprobe [-n NETNS] --once [-j] [--tcp-mode M]
 *	probe everything once, print, change nothing
 *
 * Exit status: 0 success (--once: every probe succeeded), 1 failure,
 * 2 usage error, 3 (--once) some probe failed.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/netns.h"
#include "probe.h"

static void usage(FILE *f)
{
	fputs("Usage: vipprobe [-n|--netns NAME] [-v|--verbose] [--tcp-mode MODE] [--no-ebpf]\n"
	      "       vipprobe [-n|--netns NAME] --once [-j|--json] [--tcp-mode MODE]\n"
	      "\n"
	      "Health-probes every backend of every vipfwd pool that has a probe\n"
	      "(tcp or http) on the backend's own address and the pool's probe\n"
	      "port, and sets each backend's health up or down in the kernel after\n"
	      "rise successes or fall failures in a row. Follows configuration\n"
	      "changes as they happen. SIGHUP re-reads the configuration; SIGTERM\n"
	      "and SIGINT stop it, leaving the last verdicts in the kernel.\n"
	      "\n"
	      "  -n, --netns NAME  work in network namespace NAME (/run/netns/NAME, or a path)\n"
	      "  -v, --verbose     log every probe result, not only health changes\n"
	      "      --once        probe every backend once, print the results and exit\n"
	      "                    without changing anything (exit 3 if a probe failed)\n"
	      "  -j, --json        --once results as a JSON array\n"
	      "      --tcp-mode M  how tcp probes are made: syn (half-open: a SYN from a\n"
	      "                    raw socket, needs CAP_NET_RAW) or connect (a full\n"
	      "                    connect()); by default syn, or connect when a raw\n"
	      "                    socket cannot be had\n"
	      "      --no-ebpf     read half-open answers from the raw socket, not\n"
	      "                    through an eBPF ring (the default where allowed)\n"
	      "  -h, --help        this text\n", f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "once", no_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "tcp-mode", required_argument, NULL, 'T' },
		{ "no-ebpf", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct probe_opts o;
	const char *netns = NULL;
	struct vip_err e;
	int c;

	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "+n:vjh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			netns = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'o':
			o.once = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'T':
			if (!strcmp(optarg, "syn")) {
				o.tcp_mode = PROBE_TCP_SYN;
			} else if (!strcmp(optarg, "connect")) {
				o.tcp_mode = PROBE_TCP_CONNECT;
			} else {
				fprintf(stderr, "vipprobe: --tcp-mode is syn or connect, not \"%s\"\n",
					optarg);
				return 2;
			}
			break;
		case 'E':
			o.no_ebpf = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vipprobe: unexpected argument \"%s\"\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (o.json && !o.once) {
		fputs("vipprobe: -j only goes with --once\n", stderr);
		return 2;
	}
	if (netns && vip_netns_enter(netns, &e)) {
		fprintf(stderr, "vipprobe: %s\n", e.msg);
		return 1;
	}
	return probe_run_main(&o);
}
