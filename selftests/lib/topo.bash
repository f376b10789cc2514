# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Network-namespace topology and helpers shared by the bats suites.
#
#                       +-----------+ 10.0.2.0/24 underlay (bridge in "sw")
#   client  10.0.1.2 ---| lb        |---+-----------------+-----------+
#   (cl)    eth0    .1  | vipfwd    |.1 |                 |           |
#             |         +-----------+   b1 10.0.2.11     b2 .12  ... rt 10.0.2.254
#             |                         VIP on lo        VIP on lo    |
#             +---- eth1 10.0.3.2 ----------- 10.0.3.1 eth1 ----------+
#
# The client reaches the VIP (192.168.2.100) and 10.0.2.0/24 through lb.
# Backends own the VIP on lo, decapsulate IPIP on tunl0 and answer the
# client directly through the return router "rt": replies never cross lb
# (direct server return), which the nft counters below prove.
#
# Every test gets its own namespaces (names carry the bats pid and the test
# number), so tests never collide and teardown can remove exactly what the
# test made, even after a failure.
#
# The underlay (lb <-> sw <-> backends/rt) has a 1600-byte MTU: room for the
# 20-byte IPIP header, as on a real load-balancer underlay. Set
# VF_UNDERLAY_MTU=1500 to exercise path-MTU handling instead.

VF_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${REPO:-$(cd "$VF_LIB_DIR/../.." && pwd)}
VIPCTL=${VIPCTL:-$REPO/tool/vipctl}
VIPFWD_KO=${VIPFWD_KO:-${VIPFWD_VM_MODULE:-$REPO/module/vipfwd.ko}}
VF_UNDERLAY_MTU=${VF_UNDERLAY_MTU:-1600}
PY=${PY:-/usr/bin/python3}

# VF_UL: the underlay /24 (lb, backends, rt); the demo uses 10.0.0.
VF_UL=${VF_UL:-10.0.2}
VIP=192.168.2.100
CL_ADDR=10.0.1.2
LB_CL_ADDR=10.0.1.1
LB_ADDR=$VF_UL.1
RT_ADDR=$VF_UL.254
CL_RET_ADDR=10.0.3.2
RT_CL_ADDR=10.0.3.1

# Seconds allowed for any single network operation. TCG is slow but a
# working forwarder moves 256 KiB in well under a second; a broken one
# must fail, not hang.
VF_T=${VF_T:-15}

# ---------------------------------------------------------------- basics

vf_log() { printf '# %s\n' "$*" >&2; }

vf_die() {
	printf 'FAIL: %s\n' "$*" >&2
	return 1
}

# backend_addr I: the underlay address of backend I (1-based).
backend_addr() { echo "$VF_UL.$((10 + $1))"; }

# ns_of ROLE: namespace name for cl, lb, rt, sw, b1, b2, ...; VF_NS_<role>
# overrides one (the demo gives its namespaces readable names).
ns_of() {
	local v=VF_NS_$1
	echo "${!v:-${VF_ID}-$1}"
}

# nsx ROLE CMD...: run CMD in ROLE's namespace with the default timeout.
nsx() {
	local role=$1
	shift
	timeout "$VF_T" ip netns exec "$(ns_of "$role")" "$@"
}

# vipctl_lb ARGS...: vipctl against the load balancer's namespace.
vipctl_lb() { timeout "$VF_T" "$VIPCTL" -n "$(ns_of lb)" "$@"; }

# --------------------------------------------------------- background jobs

# bg ROLE NAME CMD...: start CMD in ROLE's namespace in the background,
# stdout+stderr to $VF_DIR/NAME.log; the pid is recorded for teardown and
# printed in the variable BG_PID. fd 3 is closed so bats does not wait.
bg() {
	local role=$1 name=$2
	shift 2
	ip netns exec "$(ns_of "$role")" "$@" >"$VF_DIR/$name.log" 2>&1 3>&- &
	BG_PID=$!
	echo "$BG_PID" >>"$VF_DIR/pids"
}

# wait_pid PID SECONDS: wait for a background job; 124 on timeout.
wait_pid() {
	local pid=$1 t=$2 i
	for ((i = 0; i < t * 20; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null
			return $?
		fi
		sleep 0.05
	done
	return 124
}

# stop_pid PID: end one job we started, quietly.
stop_pid() {
	kill "$1" 2>/dev/null
	wait_pid "$1" 3 >/dev/null 2>&1 || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# wait_listen ROLE PROTO ADDR:PORT: until a socket listens there (5 s).
wait_listen() {
	local role=$1 proto=$2 what=$3 i opt=-Hltn
	[ "$proto" = udp ] && opt=-Hlun
	for ((i = 0; i < 100; i++)); do
		if nsx "$role" ss $opt | awk '{print $4}' | grep -qxF "$what"; then
			return 0
		fi
		sleep 0.05
	done
	vf_die "nothing listens on $proto $what in $role"
	nsx "$role" ss -ltun >&2
	return 1
}

# wait_until SECONDS CMD...: poll CMD until it succeeds.
wait_until() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# ------------------------------------------------------------- topology

vf_modules() {
	# Built as modules in Debian's kernel; harmless where built in. Only
	# the VM can load them (the host kernel may not have ipip at all).
	local m
	for m in veth bridge ipip nf_tables; do
		[ -d "/sys/module/$m" ] || modprobe -q "$m" 2>/dev/null || true
	done
}

# topo_init TAG: choose this test's namespace names and scratch dir.
topo_init() {
	VF_ID="vf${1:-t}${BATS_SUITE_TEST_NUMBER:-0}x$$"
	VF_DIR=${BATS_TEST_TMPDIR:-$(mktemp -d)}/vf
	mkdir -p "$VF_DIR"
	: >"$VF_DIR/pids"
	: >"$VF_DIR/netns"
	VF_NBACKENDS=0
}

_ns_add() {
	ip netns add "$(ns_of "$1")" || return 1
	ns_of "$1" >>"$VF_DIR/netns"
	# No IPv6 chatter (router solicitations, MLD) on a slow VM; no
	# reverse-path filtering: replies arrive asymmetrically on purpose.
	ip netns exec "$(ns_of "$1")" sysctl -qw \
		net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.all.forwarding="${2:-0}" >/dev/null
}

# topo_up [NBACKENDS]: build the topology drawn at the top of this file.
topo_up() {
	local n=${1:-1} i b nsb
	VF_NBACKENDS=$n
	vf_modules
	_ns_add cl 0 && _ns_add lb 1 && _ns_add rt 1 && _ns_add sw 0 || return 1
	for ((i = 1; i <= n; i++)); do
		_ns_add "b$i" 0 || return 1
	done

	ip -n "$(ns_of cl)" link add eth0 type veth peer name eth0 netns "$(ns_of lb)" &&
	ip -n "$(ns_of cl)" link add eth1 type veth peer name eth1 netns "$(ns_of rt)" &&
	ip -n "$(ns_of lb)" link add eth1 type veth peer name lb netns "$(ns_of sw)" &&
	ip -n "$(ns_of rt)" link add eth0 type veth peer name rt netns "$(ns_of sw)" ||
		return 1
	for ((i = 1; i <= n; i++)); do
		ip -n "$(ns_of "b$i")" link add eth0 type veth peer name "b$i" netns "$(ns_of sw)" ||
			return 1
	done

	# The switch: a plain bridge, no addresses, no netfilter.
	{
		echo "link add br0 mtu $VF_UNDERLAY_MTU type bridge stp_state 0 forward_delay 0"
		for p in lb rt $(seq -f 'b%g' 1 "$n"); do
			echo "link set $p mtu $VF_UNDERLAY_MTU master br0 up"
		done
		echo "link set br0 up"
	} | ip -n "$(ns_of sw)" -batch - || return 1

	ip -n "$(ns_of cl)" -batch - <<-EOF || return 1
		link set lo up
		addr add $CL_ADDR/24 dev eth0
		addr add $CL_RET_ADDR/24 dev eth1
		link set eth0 up
		link set eth1 up
		route add $VIP/32 via $LB_CL_ADDR
		route add $VF_UL.0/24 via $LB_CL_ADDR
	EOF

	# lb's route to the VIP only exists so that its own sockets can pick a
	# source address (LOCAL_OUT test); it leads to rt, which has no route
	# to the VIP: without vipfwd such packets die there.
	ip -n "$(ns_of lb)" -batch - <<-EOF || return 1
		link set lo up
		addr add $LB_CL_ADDR/24 dev eth0
		addr add $LB_ADDR/24 dev eth1
		link set eth1 mtu $VF_UNDERLAY_MTU
		link set eth0 up
		link set eth1 up
		route add $VIP/32 via $RT_ADDR
	EOF

	ip -n "$(ns_of rt)" -batch - <<-EOF || return 1
		link set lo up
		addr add $RT_ADDR/24 dev eth0
		addr add $RT_CL_ADDR/24 dev eth1
		link set eth0 mtu $VF_UNDERLAY_MTU
		link set eth0 up
		link set eth1 up
		route add 10.0.1.0/24 via $CL_RET_ADDR
	EOF

	for ((i = 1; i <= n; i++)); do
		b=$(backend_addr "$i")
		nsb=$(ns_of "b$i")
		ip -n "$nsb" -batch - <<-EOF || return 1
			link set lo up
			addr add $VIP/32 dev lo
			addr add $b/24 dev eth0
			link set eth0 mtu $VF_UNDERLAY_MTU
			link set eth0 up
			route add default via $RT_ADDR
		EOF
		# tunl0 (ipip's fallback device) decapsulates what lb sends.
		# arp_ignore/arp_announce: the VIP on lo must never be answered
		# for on eth0, or lb could reach it without vipfwd (LVS-DR rule).
		if ip -n "$nsb" link set tunl0 up 2>/dev/null; then
			ip netns exec "$nsb" sysctl -qw net.ipv4.conf.tunl0.rp_filter=0 >/dev/null
		elif [ -z "${VF_NO_IPIP:-}" ]; then
			vf_die "no tunl0 in $nsb (modprobe ipip failed?)"
			return 1
		fi
		ip netns exec "$nsb" sysctl -qw \
			net.ipv4.conf.all.arp_ignore=1 \
			net.ipv4.conf.all.arp_announce=2 \
			net.ipv4.conf.eth0.rp_filter=0 >/dev/null || return 1
	done
	counters_up
}

# counters_up: nft counters that say where packets went.
#   lb: vip_src_pre/vip_src_fwd  packets from the VIP entering/forwarded by lb
#                                (replies; must stay 0: direct server return)
#       ipip_out                 IPIP packets lb sends into the underlay
#   rt: vip_src_fwd              replies from the VIP on the return path
#   bN: ipip_in                  IPIP packets from lb arriving at backend N
#       vip_src_out              packets from the VIP leaving backend N
counters_up() {
	local i
	ip netns exec "$(ns_of lb)" nft -f - <<-EOF || return 1
		table inet vft {
			counter vip_src_pre {}
			counter vip_src_fwd {}
			chain c_pre {
				type filter hook prerouting priority -450; policy accept;
				ip saddr $VIP counter name vip_src_pre
			}
			chain c_fwd {
				type filter hook forward priority 0; policy accept;
				ip saddr $VIP counter name vip_src_fwd
			}
		}
		table netdev vft {
			counter ipip_out {}
			chain c_eg {
				type filter hook egress device eth1 priority 0; policy accept;
				ip protocol 4 counter name ipip_out
			}
		}
	EOF
	ip netns exec "$(ns_of rt)" nft -f - <<-EOF || return 1
		table inet vft {
			counter vip_src_fwd {}
			chain c_fwd {
				type filter hook forward priority 0; policy accept;
				ip saddr $VIP counter name vip_src_fwd
			}
		}
	EOF
	for ((i = 1; i <= VF_NBACKENDS; i++)); do
		ip netns exec "$(ns_of "b$i")" nft -f - <<-EOF || return 1
			table netdev vft {
				counter ipip_in {}
				counter vip_src_out {}
				chain c_in {
					type filter hook ingress device eth0 priority 0; policy accept;
					ip saddr $LB_ADDR ip protocol 4 counter name ipip_in
				}
				chain c_eg {
					type filter hook egress device eth0 priority 0; policy accept;
					ip saddr $VIP counter name vip_src_out
				}
			}
		EOF
	done
}

# counter ROLE FAMILY NAME [packets|bytes]: read one named counter of
# table FAMILY vft in ROLE's namespace.
counter() {
	local what=${4:-packets}
	nsx "$1" nft -j list counter "$2" vft "$3" |
		jq -er ".nftables[] | select(.counter) | .counter.$what"
}

# counters_dump: every counter, one line each, for diagnostics.
counters_dump() {
	local role
	for role in lb rt $(seq -f 'b%g' 1 "$VF_NBACKENDS"); do
		nsx "$role" nft -j list counters 2>/dev/null |
			jq -r --arg r "$role" '.nftables[] | select(.counter) |
				"\($r) \(.counter.family) \(.counter.name) packets=\(.counter.packets) bytes=\(.counter.bytes)"'
	done
}

# topo_diag: what a failing test prints.
topo_diag() {
	local ns f
	echo "---- diagnostics for $VF_ID ----"
	for ns in $(cat "$VF_DIR/netns" 2>/dev/null); do
		if [ ! -e "/run/netns/$ns" ]; then
			echo "[$ns] namespace gone"
			continue
		fi
		echo "[$ns] addresses, routes, link counters"
		ip -n "$ns" -br addr
		ip -n "$ns" route
		ip -n "$ns" -s -br link 2>/dev/null || ip -n "$ns" -s link
	done
	echo "[nft counters]"
	counters_dump
	if [ -x "$VIPCTL" ] && [ -e "/run/netns/$(ns_of lb)" ]; then
		echo "[lb] vipctl show"
		timeout 5 "$VIPCTL" -n "$(ns_of lb)" show 2>&1
		echo "[lb] vipctl stats"
		timeout 5 "$VIPCTL" -n "$(ns_of lb)" stats 2>&1
	fi
	for f in "$VF_DIR"/*.log; do
		[ -e "$f" ] || continue
		echo "[log ${f##*/}]"
		tail -n 20 "$f"
	done
	echo "[dmesg tail]"
	dmesg 2>/dev/null | tail -n 15
	echo "---- end diagnostics ----"
}

# topo_down: kill our jobs, delete our namespaces. Safe to call twice and
# after a partial setup.
topo_down() {
	local pid ns
	[ -n "${VF_DIR:-}" ] || return 0
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -z "${VF_NO_DIAG:-}" ]; then
		topo_diag 2>&1 || true
	fi
	while read -r pid; do
		[ -n "$pid" ] && kill "$pid" 2>/dev/null
	done <"$VF_DIR/pids"
	for ns in $(cat "$VF_DIR/netns" 2>/dev/null); do
		[ -e "/run/netns/$ns" ] || continue
		# Anything still running inside was started by this test.
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	while read -r pid; do
		[ -n "$pid" ] && wait "$pid" 2>/dev/null
	done <"$VF_DIR/pids"
	: >"$VF_DIR/pids"
	: >"$VF_DIR/netns"
	return 0
}

# --------------------------------------------------------------- traffic

# payload NAME BYTES: random file under $VF_DIR, prints its path.
payload() {
	head -c "$2" /dev/urandom >"$VF_DIR/$1"
	echo "$VF_DIR/$1"
}

sha() { sha256sum <"$1" | cut -d' ' -f1; }

# tcp_sink ROLE PORT OUT: one-shot TCP listener bound to VIP:PORT only,
# writing what it receives to OUT; its log (socat -d -d) records the local
# and peer address of the accepted connection. Sets SINK_PID.
tcp_sink() {
	bg "$1" "sink-$1-$2" socat -d -d -u \
		"TCP-LISTEN:$2,bind=$VIP,reuseaddr" "OPEN:$3,creat,trunc"
	SINK_PID=$BG_PID
	wait_listen "$1" tcp "$VIP:$2"
}

# udp_sink ROLE PORT OUT: UDP receiver bound to VIP:PORT. Sets SINK_PID.
udp_sink() {
	bg "$1" "usink-$1-$2" socat -u \
		"UDP-RECV:$2,bind=$VIP,reuseaddr" "OPEN:$3,creat,trunc"
	SINK_PID=$BG_PID
	wait_listen "$1" udp "$VIP:$2"
}

# name_server ROLE PORT NAME: answers every TCP connection on VIP:PORT with
# one line, NAME. Sets SINK_PID.
name_server() {
	bg "$1" "names-$1-$2" socat \
		"TCP-LISTEN:$2,bind=$VIP,reuseaddr,fork" "SYSTEM:echo $3"
	SINK_PID=$BG_PID
	wait_listen "$1" tcp "$VIP:$2"
}

# tcp_send ROLE FILE ADDR PORT: send FILE over one TCP connection.
tcp_send() {
	timeout "$VF_T" ip netns exec "$(ns_of "$1")" \
		socat -u "OPEN:$2" "TCP:$3:$4,connect-timeout=3"
}

# tcp_ask ROLE ADDR PORT: connect, print the one line the server says.
tcp_ask() {
	timeout "$VF_T" ip netns exec "$(ns_of "$1")" \
		socat -T 5 -u "TCP:$2:$3,connect-timeout=3" STDOUT
}

# udp_send ROLE FILE ADDR PORT: FILE as 1024-byte datagrams (no IP
# fragments: those are not forwarded by design).
udp_send() {
	timeout "$VF_T" ip netns exec "$(ns_of "$1")" \
		socat -u -b 1024 "OPEN:$2" "UDP-SENDTO:$3:$4"
}

# pings ROLE ADDR [COUNT]: ICMP echo; iputils ping if installed, else
# busybox's (busybox-static is needed for the VM anyway).
pings() {
	local ping=(busybox ping)
	command -v ping >/dev/null && ping=(ping)
	nsx "$1" "${ping[@]}" -c "${3:-1}" -W 2 "$2"
}

# file_size_is FILE BYTES
file_size_is() { [ -e "$1" ] && [ "$(stat -c %s "$1")" -eq "$2" ]; }

# ---------------------------------------------------------- vipctl JSON

# vj JQ ARGS...: run `vipctl -j ARGS` in lb, apply JQ, fail if null.
vj() {
	local q=$1
	shift
	vipctl_lb -j "$@" | jq -er "$q"
}

# stat_frontend PROTO PORT FIELD: packets/bytes of one frontend (vipctl -j stats).
stat_frontend() {
	vj ".frontends[] | select(.vip == \"$VIP\" and .proto == \"$1\" and .port == $2) | .$3" stats
}

# stat_backend ADDR FIELD: packets/bytes/flows of one backend.
stat_backend() {
	vj "[.backends[] | select(.addr == \"$1\") | .$2] | add" stats
}

# ------------------------------------------------------------- the module

vipfwd_loaded() { [ -d /sys/module/vipfwd ]; }

# vipfwd_load: insmod the module unless it is loaded.
vipfwd_load() {
	vipfwd_loaded && return 0
	# shellcheck disable=SC2086 # parameters are words
	insmod "$VIPFWD_KO" ${VIPFWD_VM_MODULE_ARGS:-}
}

# dmesg_mark: remember where the kernel log is; dmesg_clean_since checks
# that nothing after it looks like a kernel bug (selftests/vm/dmesg-check).
dmesg_mark() { VF_DMESG_MARK=$(dmesg | wc -l); }

dmesg_clean_since() {
	dmesg | tail -n +"$((VF_DMESG_MARK + 1))" >"$VF_DIR/dmesg.new"
	"$REPO/selftests/vm/dmesg-check" "$VF_DIR/dmesg.new"
}
