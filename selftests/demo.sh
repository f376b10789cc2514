#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/demo.sh: the guest-cluster walkthrough (`make demo` runs it in
# a throwaway VM with the module loaded). It needs root, the vipfwd module
# loaded and tool/vipctl and tool/vipprobe built; everything happens in network namespaces
# named demo-*, removed at the end. Exit status 0 only if every step
# behaved as the text says.
#
# shellcheck disable=SC2034 # VF_* variables are read by lib/topo.bash

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$here/.." && pwd)
export PATH="$REPO/tool:$PATH"
VIPCTL=${VIPCTL:-$REPO/tool/vipctl}
[ "$VIPCTL" = "$REPO/tool/vipctl" ] || PATH="$(dirname "$VIPCTL"):$PATH"

# The demo's network, built with the selftests' topology library: the
# underlay is 10.0.0.0/24 so that the cluster nodes are 10.0.0.11 and .12.
VF_UL=10.0.0
VF_NS_cl=demo-client VF_NS_lb=demo-lb VF_NS_rt=demo-router VF_NS_sw=demo-switch
VF_NS_b1=demo-node11 VF_NS_b2=demo-node12
# shellcheck source=selftests/lib/topo.bash
. "$here/lib/topo.bash"
VF_ID=demo
VF_DIR=$(mktemp -d /tmp/vipfwd-demo.XXXXXX)
: >"$VF_DIR/pids"
: >"$VF_DIR/netns"

failures=0
bold=
plain=
if [ -t 1 ]; then
	bold=$(printf '\033[1m')
	plain=$(printf '\033[0m')
fi

heading() { printf '\n%s== %s ==%s\n\n' "$bold" "$*" "$plain"; }
say() { printf '%s\n' "$@"; }
# notice LINE...: what to look at in the output above.
notice() {
	printf '  -> %s\n' "$1"
	shift
	[ $# -eq 0 ] || printf '     %s\n' "$@"
}

# show CMD...: print the command exactly as it is run, then run it.
show() {
	printf '%s$ %s%s\n' "$bold" "$*" "$plain"
	"$@"
}

pass() { printf '   ok: %s\n' "$*"; }
fail() {
	printf '   FAILED: %s\n' "$*"
	failures=$((failures + 1))
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	BATS_TEST_COMPLETED=1 topo_down
	rm -rf "$VF_DIR"
}
trap cleanup EXIT

# ask: one client connection to the VIP; prints the answer (empty: none).
ask() {
	printf '%s$ ip netns exec demo-client nc -w 3 %s 1433%s\n' "$bold" "$VIP" "$plain" >&2
	ip netns exec demo-client nc -w 3 "$VIP" 1433 </dev/null 2>/dev/null
}

# expect_answers N NODE: N new connections, each answered by NODE.
expect_answers() {
	local i got bad=0
	for ((i = 1; i <= $1; i++)); do
		got=$(ask)
		say "${got:-(no answer)}"
		[ "$got" = "hello from $2" ] || bad=1
	done
	if [ "$bad" = 0 ]; then
		pass "all $1 connections answered by $2"
	else
		fail "expected every answer to come from $2"
	fi
}

# backend_packets ADDR: vipfwd's packet counter for one backend.
backend_packets() {
	"$VIPCTL" -n demo-lb -j stats |
		jq -r --arg a "$1" '[.backends[] | select(.addr == $a) | .packets] | add'
}

if [ ! -d /sys/module/vipfwd ]; then
	say "The vipfwd module is not loaded. Run \`make demo\` (a throwaway VM does it all)," \
		"or as root on a test machine: insmod module/vipfwd.ko && selftests/demo.sh"
	exit 1
fi
[ -x "$VIPCTL" ] || { say "tool/vipctl is not built: run \`make\`."; exit 1; }
[ -x "$REPO/tool/vipprobe" ] || { say "tool/vipprobe is not built: run \`make\`."; exit 1; }

# ---------------------------------------------------------------------------
heading "vipfwd demo: a failover cluster's floating IP"

say "A two-node failover cluster (think SQL Server) serves clients on its floating" \
	"IP 192.168.2.100, TCP port 1433. Only the active node may receive that traffic." \
	"vipfwd, on the load balancer, sends each connection to the VIP to whichever node" \
	"is marked healthy: no ARP tricks, and the nodes only need to own the VIP."

heading "1. The network (network namespaces inside this machine)"

say "  demo-client 10.0.1.2 ---> demo-lb (vipfwd) 10.0.1.1 | 10.0.0.1 ---> demo-node11 10.0.0.11" \
	"                                                              \\---> demo-node12 10.0.0.12" \
	"  replies: node ---> demo-router 10.0.0.254 ---> client (they never cross demo-lb)" \
	"" \
	"Each node has the VIP on its loopback, its tunl0 device up (it unwraps the IPIP" \
	"packets vipfwd sends), and a tiny server on 192.168.2.100:1433 that answers" \
	"\"hello from nodeNN\". The client routes 192.168.2.100 to demo-lb." \
	"(The setup commands are in selftests/lib/topo.bash, function topo_up.)"
if ! topo_up 2 >"$VF_DIR/setup.log" 2>&1; then
	cat "$VF_DIR/setup.log"
	fail "could not build the demo network"
	exit 1
fi
for i in 1 2; do
	bg "b$i" "node1$i" socat "TCP-LISTEN:1433,bind=$VIP,reuseaddr,fork" \
		"SYSTEM:echo hello from node1$i"
	wait_listen "b$i" tcp "$VIP:1433" || { fail "node1$i's server did not start"; exit 1; }
done
pass "network and servers ready"

# ---------------------------------------------------------------------------
heading "2. Configure vipfwd on the load balancer"

say "The same commands a provisioning script would run on the host (-n demo-lb:" \
	"in the load balancer's network namespace; vipfwd's configuration is per namespace)."
step_ok=1
show vipctl -n demo-lb pool add sqlcluster probe tcp 59999 interval 5 fall 11 || step_ok=0
show vipctl -n demo-lb backend add sqlcluster 10.0.0.11 || step_ok=0
show vipctl -n demo-lb backend add sqlcluster 10.0.0.12 || step_ok=0
show vipctl -n demo-lb frontend add 192.168.2.100 tcp 1433 pool sqlcluster mode encap encap ipip idle-timeout 240 ||
	step_ok=0
if [ "$step_ok" = 1 ]; then pass "configuration accepted"; else fail "a vipctl command failed"; fi
echo
show vipctl -n demo-lb show
notice "The pool's probe: TCP port 59999 every 5 s, 11 failures in a row mean down." \
	"Both nodes are \"health unknown\": with a probe configured, a node gets no new" \
	"connections until its health is known."
if [ "$("$VIPCTL" -n demo-lb -j show | jq '[.pools[].backends[] | select(.eligible)] | length')" = 0 ]; then
	pass "no node is eligible yet"
else
	fail "a node is eligible before any health verdict"
fi

# ---------------------------------------------------------------------------
heading "3. No health verdict yet: the VIP does not answer"

got=$(ask)
say "${got:-(no answer after 3 s)}"
if [ -z "$got" ]; then pass "no answer, as expected"; else fail "got an answer with no eligible node: $got"; fi
show vipctl -n demo-lb stats
drops=$("$VIPCTL" -n demo-lb -j stats | jq '.drops.no_backend')
notice "The client's packets were dropped and counted under \"no-backend\" ($drops)."
if [ "${drops:-0}" -gt 0 ]; then pass "drops counted"; else fail "no-backend drops not counted"; fi

# ---------------------------------------------------------------------------
heading "4. vipprobe: node 11 answers the probe, so node 11 gets the traffic"

say "The cluster runs its probe listener on TCP 59999 only on the active node," \
	"node 11 for now. vipprobe, on the load balancer, probes every node's own" \
	"address on that port and sets each node's health in vipfwd. For the demo the" \
	"probe runs every second and 2 failures mean down (the pool above has the" \
	"production values, 5 s and 11), so the failover below takes seconds:"
show vipctl -n demo-lb pool set sqlcluster probe tcp 59999 interval 1 timeout 1 fall 2 rise 1 ||
	fail "pool set failed"
bg b1 probe11 socat TCP-LISTEN:59999,reuseaddr,fork SYSTEM:true
probe11=$BG_PID
wait_listen b1 tcp "0.0.0.0:59999" || fail "node 11's probe listener did not start"
printf '%s$ vipprobe -n demo-lb &%s   (on a host: systemctl enable --now vipprobe)\n' "$bold" "$plain"
bg lb vipprobe "$REPO/tool/vipprobe"
# health ADDR: the node's health as vipfwd has it.
health() {
	"$VIPCTL" -n demo-lb -j show |
		jq -r --arg a "$1" '.pools[].backends[] | select(.addr == $a) | .health'
}
# healths_are H11 H12: node 11's and node 12's health are H11 and H12.
# shellcheck disable=SC2317 # called through wait_until
healths_are() { [ "$(health 10.0.0.11)" = "$1" ] && [ "$(health 10.0.0.12)" = "$2" ]; }
if wait_until 15 healths_are up down; then
	pass "vipprobe set node 11 up and node 12 down"
else
	fail "after 15 s: node 11 is $(health 10.0.0.11), node 12 $(health 10.0.0.12)"
fi
say "vipprobe's log (one line per health change):"
sed -n 's/^[^ ]* vipprobe: /  /p' "$VF_DIR/vipprobe.log"
show vipctl -n demo-lb show
echo
say "Three new connections from the client:"
expect_answers 3 node11
echo
show vipctl -n demo-lb stats
p11=$(backend_packets 10.0.0.11)
p12=$(backend_packets 10.0.0.12)
notice "Packets were counted for 10.0.0.11 ($p11) and none for 10.0.0.12 ($p12)."
if [ "${p11:-0}" -gt 0 ] && [ "${p12:-1}" -eq 0 ]; then
	pass "only node 11 got traffic"
else
	fail "counters: 10.0.0.11=$p11 10.0.0.12=$p12"
fi

# ---------------------------------------------------------------------------
heading "5. Failover: node 12 takes over"

say "The cluster moves its role to node 12: node 11 stops its probe listener," \
	"node 12 starts one. Nothing is done on the load balancer:"
lines=$(wc -l <"$VF_DIR/vipprobe.log")
t0=$EPOCHREALTIME
stop_pid "$probe11"
bg b2 probe12 socat TCP-LISTEN:59999,reuseaddr,fork SYSTEM:true
wait_listen b2 tcp "0.0.0.0:59999" || fail "node 12's probe listener did not start"
if wait_until 15 healths_are down up; then
	ms=$(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 ))
	# interval x fall + one interval, and a second of slack.
	if [ "$ms" -le 4000 ]; then
		pass "vipprobe moved the health over in $ms ms (at most 1 s x 2 failures + 1 s + 1 s slack)"
	else
		fail "the health moved over only after $ms ms"
	fi
else
	fail "after 15 s: node 11 is $(health 10.0.0.11), node 12 $(health 10.0.0.12)"
fi
say "vipprobe's log since:"
tail -n +"$((lines + 1))" "$VF_DIR/vipprobe.log" | sed -n 's/^[^ ]* vipprobe: /  /p'
show vipctl -n demo-lb show
echo
say "Three new connections from the client, same address and port as before:"
expect_answers 3 node12
echo
show vipctl -n demo-lb stats
q11=$(backend_packets 10.0.0.11)
q12=$(backend_packets 10.0.0.12)
notice "10.0.0.12's counter moved ($p12 -> $q12); 10.0.0.11's stayed at $q11."
if [ "${q12:-0}" -gt 0 ] && [ "${q11:-x}" = "$p11" ]; then
	pass "new connections went to node 12 only"
else
	fail "counters: 10.0.0.11 $p11 -> $q11, 10.0.0.12 $p12 -> $q12"
fi

# ---------------------------------------------------------------------------
heading "6. The answers did not come back through the load balancer"

say "vipfwd wraps each packet in IPIP with the VIP kept inside, so the node" \
	"answers from 192.168.2.100 straight to the client (direct server return)." \
	"nft counters of packets from the VIP:"
lb_seen=$(( $(counter lb inet vip_src_pre) + $(counter lb inet vip_src_fwd) ))
rt_seen=$(counter rt inet vip_src_fwd)
say "  seen by demo-lb:     $lb_seen" "  seen by demo-router: $rt_seen"
if [ "$lb_seen" -eq 0 ] && [ "$rt_seen" -gt 0 ]; then
	pass "replies took the direct path"
else
	fail "replies: lb saw $lb_seen, router $rt_seen"
fi

# ---------------------------------------------------------------------------
if [ "$failures" = 0 ]; then
	heading "Done: every step behaved as described"
	say "Try it by hand: the commands above, on any host with the module loaded" \
		"(see README.md). The bats suites in selftests/ check all of this and more."
	exit 0
fi
heading "$failures step(s) did not behave as described (FAILED lines above)"
exit 1
