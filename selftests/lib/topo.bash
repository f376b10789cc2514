# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: GPL-2.0
# (SC2034: variables such as SINK_PID and BG_PID are set for the caller.)
#
# Network-namespace topology and helpers shared by the bats suites and the
# demo.
#
#                        +----------+          underlay $VF_UL.0/24
#   client (cl)  eth0 ---| lb       |--- eth1 .1 --[ bridge in "sw" ]--+------------+---------+
#   10.0.1.2      10.0.1.1  vipfwd  |                                 |            |         |
#       |                +----------+                            b1 .11       b2 .12   rt .254
#       |                                                        VIP on lo    VIP on lo    |
#       +-- eth1 10.0.3.2 --------------------------------- 10.0.3.1 eth1 (rt) ------------+
#
# The client reaches the VIP (192.168.2.100) and $VF_UL.0/24 through lb.
# Backends own the VIP on lo and decapsulate IPIP on tunl0; their default
# route is the return router rt, so they answer the client directly and no
# reply crosses lb (direct server return): the nft counters prove it.
#
# Every test gets its own namespaces (names carry the bats pid and the test
# number), so tests never collide, and teardown removes exactly what the
# test made, even after a failure.
#
# The underlay (lb - sw - backends, rt) has a 1600-byte MTU: room for the
# 20-byte IPIP header, as on a real load balancer's underlay. Set
# VF_UNDERLAY_MTU=1500 to exercise path-MTU handling instead.
#
# Under TCG every exec costs a good fraction of a second, so this file
# execs as little as it can: one `ip -batch` for all namespaces and links,
# one shell per namespace for its sysctls, addresses and nft rules,
# `nsenter --net` rather than `ip netns exec` (no mount namespace and no
# sysfs remount), bash builtins for parsing and short sleeps.

VF_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${REPO:-$(cd "$VF_LIB_DIR/../.." && pwd)}
VIPCTL=${VIPCTL:-$REPO/tool/vipctl}
VIPFWD_KO=${VIPFWD_KO:-${VIPFWD_VM_MODULE:-$REPO/module/vipfwd.ko}}
VF_UNDERLAY_MTU=${VF_UNDERLAY_MTU:-1600}

# VF_UL: the underlay /24 (lb, backends, rt); the demo uses 10.0.0.
VF_UL=${VF_UL:-10.0.2}
VIP=192.168.2.100
CL_ADDR=10.0.1.2
LB_CL_ADDR=10.0.1.1
LB_ADDR=$VF_UL.1
RT_ADDR=$VF_UL.254
CL_RET_ADDR=10.0.3.2
RT_CL_ADDR=10.0.3.1

# Seconds allowed for any single network operation. A working forwarder
# moves 256 KiB in a second even under TCG; a broken one must fail, not
# hang.
VF_T=${VF_T:-20}

# ---------------------------------------------------------------- basics

vf_die() {
	printf 'FAIL: %s\n' "$*" >&2
	return 1
}

# vf_sleep SECONDS: sleep without an exec (read on a pipe nobody writes).
vf_sleep() {
	if [ -z "${VF_SLEEP_FD:-}" ]; then
		exec {VF_SLEEP_FD}<> <(:)
	fi
	read -rt "$1" -u "$VF_SLEEP_FD" || true
}

# backend_addr I: the underlay address of backend I (1-based).
backend_addr() { echo "$VF_UL.$((10 + $1))"; }

# ns_of ROLE: namespace name of cl, lb, rt, sw, b1, b2, ...; VF_NS_<role>
# overrides one (the demo gives its namespaces readable names).
ns_of() {
	local v=VF_NS_$1
	echo "${!v:-${VF_ID}-$1}"
}

# nsx ROLE CMD...: run CMD in ROLE's network namespace.
nsx() {
	local role=$1
	shift
	nsenter --net="/run/netns/$(ns_of "$role")" "$@"
}

# nsxt ROLE CMD...: the same, killed after $VF_T seconds.
nsxt() {
	local role=$1
	shift
	timeout "$VF_T" nsenter --net="/run/netns/$(ns_of "$role")" "$@"
}

# vipctl_lb ARGS...: vipctl against the load balancer's namespace. (No
# timeout wrapper: it is netlink, not network traffic, and every exec
# counts under TCG; the VM runner bounds the whole run.)
vipctl_lb() { "$VIPCTL" -n "$(ns_of lb)" "$@"; }

# --------------------------------------------------------- background jobs

# bg ROLE NAME CMD...: start CMD in ROLE's namespace in the background,
# stdout+stderr to $VF_DIR/NAME.log; its pid (CMD's own: the subshell
# execs nsenter, which execs CMD) goes to BG_PID and to the list teardown
# kills. fd 3 is closed so that bats does not wait for it.
bg() {
	local role=$1 name=$2 ns
	shift 2
	ns=$(ns_of "$role")
	(exec nsenter --net="/run/netns/$ns" "$@") >"$VF_DIR/$name.log" 2>&1 3>&- &
	BG_PID=$!
	echo "$BG_PID" >>"$VF_DIR/pids"
}

# wait_pid PID SECONDS: wait for a background job; 124 on timeout.
wait_pid() {
	local pid=$1 t=$2 i rc=0
	for ((i = 0; i < t * 20; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null || rc=$?
			return "$rc"
		fi
		vf_sleep 0.05
	done
	return 124
}

# wait_sink_end PID FILE SECONDS: wait for a sink writing FILE to exit
# after its sender ended. The sender's socket may still hold megabytes
# that drain slowly on a loaded TCG host, so the limit is SECONDS without
# FILE growing, not SECONDS in all: a stream that stops short still fails
# (124). Returns the sink's exit status.
wait_sink_end() {
	local pid=$1 file=$2 t=$3 size last since=$SECONDS rc=0
	last=$(stat -c %s "$file" 2>/dev/null || echo 0)
	while kill -0 "$pid" 2>/dev/null; do
		size=$(stat -c %s "$file" 2>/dev/null || echo 0)
		if [ "$size" != "$last" ]; then
			last=$size
			since=$SECONDS
		fi
		((SECONDS - since < t)) || return 124
		vf_sleep 0.1
	done
	wait "$pid" 2>/dev/null || rc=$?
	return "$rc"
}

# gro_merge_on: the client sends MSS-sized segments (TSO and GSO off), and
# lb's and b1's eth0 merge what they receive (GRO on). lb's netdev counter
# big_in counts the packets above 1500 bytes entering lb: what GRO built.
# gro_merge_off (for teardown) goes back to veth's defaults.
gro_merge_on() {
	: >"$VF_DIR/gro"
	nsx cl ethtool -K eth0 tso off gso off
	nsx lb ethtool -K eth0 gro on
	nsx b1 ethtool -K eth0 gro on
	nsx lb nft -f - <<-EOF
		table netdev vft {
			counter big_in {}
			chain m_in {
				type filter hook ingress device eth0 priority 0; policy accept;
				meta length > 1500 counter name big_in
			}
		}
	EOF
}

gro_merge_off() {
	[ -e "$VF_DIR/gro" ] || return 0
	rm -f "$VF_DIR/gro"
	nsx cl ethtool -K eth0 tso on gso on || true
	nsx lb ethtool -K eth0 gro off || true
	nsx b1 ethtool -K eth0 gro off || true
}

# tcp_through_vip ROLE BYTES [PORT]: BYTES of TCP from ROLE through
# VIP:PORT (default 1433) to a new sink on b1, which must receive them byte
# for byte. Leaves the payload's path in TP and what arrived in TOUT.
tcp_through_vip() {
	local role=$1 n=$2 port=${3:-1433}
	TP=$(payload p "$n")
	TOUT=$VF_DIR/received
	tcp_sink b1 "$port" "$TOUT"
	tcp_send "$role" "$TP" "$VIP" "$port" || {
		vf_die "$n bytes of TCP from $role through $VIP:$port did not complete"
		return 1
	}
	wait_sink_end "$SINK_PID" "$TOUT" "$VF_T" || {
		vf_die "the sink on b1 did not see the end of $role's stream ($(stat -c %s "$TOUT") of $n bytes)"
		return 1
	}
	[ "$(sha "$TP")" = "$(sha "$TOUT")" ] || {
		vf_die "$n bytes of TCP from $role through $VIP:$port: sha256 differs"
		return 1
	}
}

# fresh_paths_and_counters: forget learned path MTUs (route caches of cl,
# lb, rt, b1) and zero the nft counters of lb, rt and b1.
fresh_paths_and_counters() {
	local r
	for r in cl lb rt b1; do
		nsx "$r" ip route flush cache || {
			vf_die "cannot flush the route cache in $r"
			return 1
		}
	done
	for r in lb rt b1; do
		nsx "$r" nft reset counters >/dev/null || {
			vf_die "cannot reset the nft counters in $r"
			return 1
		}
	done
}

# stop_jobs: end every job this test started (the namespaces stay, for
# the next test of the file).
stop_jobs() {
	local pid
	while read -r pid; do
		stop_pid "$pid"
	done <"$VF_DIR/pids"
	: >"$VF_DIR/pids"
}

# p1_del: remove what a test added on lb: the frontends of $VIP listed in
# $VF_DIR/frontends ("PROTO PORT" lines), then b1 and pool p1.
p1_del() {
	local proto port
	if [ -e "$VF_DIR/frontends" ]; then
		while read -r proto port; do
			vipctl_lb frontend del "$VIP" "$proto" "$port" || true
		done <"$VF_DIR/frontends"
		: >"$VF_DIR/frontends"
	fi
	vipctl_lb backend del p1 "$(backend_addr 1)" 2>/dev/null || true
	vipctl_lb pool del p1 2>/dev/null || true
}

# stop_pid PID: end one job we started.
stop_pid() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# wait_listen ROLE PROTO ADDR:PORT: until a socket listens exactly there.
wait_listen() {
	local role=$1 proto=$2 what=$3 opt=-Hltn local_addr end=$((SECONDS + 10))
	[ "$proto" = udp ] && opt=-Hlun
	while [ "$SECONDS" -le "$end" ]; do
		# State Recv-Q Send-Q Local:Port Peer:Port
		while read -r _ _ _ local_addr _; do
			[ "$local_addr" = "$what" ] && return 0
		done < <(nsx "$role" ss $opt "sport = :${what##*:}")
		vf_sleep 0.1
	done
	vf_die "nothing listens on $proto $what in $role"
	nsx "$role" ss -ltun >&2
	return 1
}

# wait_until SECONDS CMD...: poll CMD until it succeeds, for at most
# SECONDS of wall-clock time (under TCG one poll can take seconds).
wait_until() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		vf_sleep 0.1
	done
}

# ------------------------------------------------------------- topology

vf_modules() {
	# Modules in Debian's kernel; harmless where built in. Only the VM can
	# load them (the host kernel may not have ipip at all).
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

# ns_add ROLE...: create namespaces (one exec for all), recorded for
# teardown.
ns_add() {
	local r
	for r; do
		echo "netns add $(ns_of "$r")"
	done | ip -batch - || return 1
	for r; do
		ns_of "$r" >>"$VF_DIR/netns"
	done
}

# ns_setup ROLE FORWARDING IP-BATCH [NFT-RULES] [SYSCTL=VALUE...]: configure
# one namespace in one shell: no IPv6 chatter (router solicitations, MLD)
# on a slow VM, no reverse-path filtering on any device (replies arrive
# asymmetrically on purpose), forwarding on or off, then the ip commands,
# then the nft rules, then extra sysctls (dotted names). IPv6 is off;
# v6_setup (lib/ipv6.bash) is the same with IPv6 on.
ns_setup() { ns_setup_family 4 "$@"; }

# ns_setup_family 4|6 ROLE ...: ns_setup; with 6, IPv6 stays on but quiet
# (no router solicitations or advertisements, no DAD) and forwards too.
ns_setup_family() {
	local v=$1 role=$2 fwd=$3 ipcmds=$4 nftrules=${5:-}
	shift 5 2>/dev/null || shift $#
	# shellcheck disable=SC2016 # expanded by the inner shell
	nsx "$role" bash -c '
		set -e
		v=$1 fwd=$2 ipcmds=$3 nftrules=$4
		shift 4
		if [ "$v" = 6 ]; then
			for c in /proc/sys/net/ipv6/conf/*; do
				echo 0 >$c/router_solicitations
				echo 0 >$c/accept_ra
				echo 0 >$c/accept_dad
			done
			echo "$fwd" >/proc/sys/net/ipv6/conf/all/forwarding
		else
			echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
			echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
		fi
		echo "$fwd" >/proc/sys/net/ipv4/conf/all/forwarding
		ip -batch - <<<"$ipcmds"
		for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >"$f"; done
		[ -z "$nftrules" ] || nft -f - <<<"$nftrules"
		for kv; do
			k=${kv%%=*}
			echo "${kv#*=}" >"/proc/sys/${k//.//}"
		done
	' vf-ns-setup "$v" "$fwd" "$ipcmds" "$nftrules" "$@"
}

# topo_up [NBACKENDS]: build the topology drawn at the top of this file.
topo_up() {
	local n=${1:-1} i b roles=(cl lb rt sw)
	VF_NBACKENDS=$n
	vf_modules
	for ((i = 1; i <= n; i++)); do
		roles+=("b$i")
	done
	ns_add "${roles[@]}" || return 1

	# Each veth is created with both ends already in their namespaces.
	{
		echo "link add eth0 netns $(ns_of cl) type veth peer name eth0 netns $(ns_of lb)"
		echo "link add eth1 netns $(ns_of cl) type veth peer name eth1 netns $(ns_of rt)"
		echo "link add eth1 netns $(ns_of lb) type veth peer name lb netns $(ns_of sw)"
		echo "link add eth0 netns $(ns_of rt) type veth peer name rt netns $(ns_of sw)"
		for ((i = 1; i <= n; i++)); do
			echo "link add eth0 netns $(ns_of "b$i") type veth peer name b$i netns $(ns_of sw)"
		done
	} | ip -batch - || return 1

	# The switch: a plain bridge, no addresses.
	{
		echo "link add br0 mtu $VF_UNDERLAY_MTU type bridge stp_state 0 forward_delay 0"
		for b in lb rt "${roles[@]:4}"; do
			echo "link set $b mtu $VF_UNDERLAY_MTU master br0 up"
		done
		echo "link set br0 up"
	} | ip -n "$(ns_of sw)" -batch - || return 1

	ns_setup cl 0 "
		link set lo up
		addr add $CL_ADDR/24 dev eth0
		addr add $CL_RET_ADDR/24 dev eth1
		link set eth0 up
		link set eth1 up
		route add $VIP/32 via $LB_CL_ADDR
		route add $VF_UL.0/24 via $LB_CL_ADDR" || return 1

	# lb's route to the VIP only lets its own sockets pick a source address
	# (the LOCAL_OUT test); it leads to rt, which has no route to the VIP:
	# without vipfwd such packets die there.
	#   vip_src_pre/vip_src_fwd  packets from the VIP entering / forwarded
	#                            by lb: replies; 0 with direct server return
	#   ipip_out                 IPIP packets lb sends into the underlay
	ns_setup lb 1 "
		link set lo up
		addr add $LB_CL_ADDR/24 dev eth0
		addr add $LB_ADDR/24 dev eth1
		link set eth1 mtu $VF_UNDERLAY_MTU
		link set eth0 up
		link set eth1 up
		route add $VIP/32 via $RT_ADDR" "
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
		}" || return 1

	#   vip_src_fwd  replies from the VIP on their way to the client
	ns_setup rt 1 "
		link set lo up
		addr add $RT_ADDR/24 dev eth0
		addr add $RT_CL_ADDR/24 dev eth1
		link set eth0 mtu $VF_UNDERLAY_MTU
		link set eth0 up
		link set eth1 up
		route add 10.0.1.0/24 via $CL_RET_ADDR" "
		table inet vft {
			counter vip_src_fwd {}
			chain c_fwd {
				type filter hook forward priority 0; policy accept;
				ip saddr $VIP counter name vip_src_fwd
			}
		}" || return 1

	# Backends: tunl0 (ipip's fallback device) decapsulates what lb sends.
	# arp_ignore/arp_announce: the VIP on lo is never answered for on eth0,
	# or lb could reach it without vipfwd (the LVS direct-routing rule).
	#   ipip_in      IPIP packets from lb arriving at this backend
	#   vip_src_out  packets from the VIP leaving this backend
	for ((i = 1; i <= n; i++)); do
		b=$(backend_addr "$i")
		ns_setup "b$i" 0 "
			link set lo up
			addr add $VIP/32 dev lo
			addr add $b/24 dev eth0
			link set eth0 mtu $VF_UNDERLAY_MTU
			link set eth0 up
			${VF_NO_IPIP:+#}link set tunl0 up
			route add default via $RT_ADDR" "
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
			}" net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 ||
			{
				vf_die "setting up backend $i failed (no tunl0: is ipip loadable?)"
				return 1
			}
	done
}

# counter ROLE FAMILY NAME [packets|bytes]: one named counter of table
# FAMILY vft in ROLE's namespace.
counter() {
	local out re="packets ([0-9]+) bytes ([0-9]+)"
	out=$(nsx "$1" nft list counter "$2" vft "$3") || return 1
	[[ $out =~ $re ]] || {
		vf_die "cannot parse counter $2 $3 in $1: $out"
		return 1
	}
	if [ "${4:-packets}" = bytes ]; then
		echo "${BASH_REMATCH[2]}"
	else
		echo "${BASH_REMATCH[1]}"
	fi
}

# counters_dump: read every counter (one nft per namespace), print one line
# each for the test's output, and keep them for cnt.
counters_dump() {
	local role line fam name re_t="^table ([a-z]+) vft" re_c="counter ([a-z_0-9]+)" \
		re_v="packets ([0-9]+) bytes ([0-9]+)" i
	declare -gA VF_CNT=()
	for ((i = -1; i <= ${VF_NBACKENDS:-0}; i++)); do
		role=b$i
		((i == -1)) && role=lb
		((i == 0)) && role=rt
		[ -e "/run/netns/$(ns_of "$role")" ] || continue
		while read -r line; do
			if [[ $line =~ $re_t ]]; then
				fam=${BASH_REMATCH[1]}
			elif [[ $line =~ $re_c ]]; then
				name=${BASH_REMATCH[1]}
			elif [[ $line =~ $re_v ]]; then
				echo "counter $role $fam $name packets=${BASH_REMATCH[1]} bytes=${BASH_REMATCH[2]}"
				VF_CNT["$role $fam $name packets"]=${BASH_REMATCH[1]}
				VF_CNT["$role $fam $name bytes"]=${BASH_REMATCH[2]}
			fi
		done < <(nsx "$role" nft list counters 2>/dev/null)
	done
}

# cnt ROLE FAMILY NAME [packets|bytes]: a counter as the last counters_dump
# read it.
cnt() {
	local v=${VF_CNT["$1 $2 $3 ${4:-packets}"]:-}
	[ -n "$v" ] || {
		vf_die "no counter $* in the last counters_dump"
		return 1
	}
	echo "$v"
}

# topo_diag: what a failing test prints.
topo_diag() {
	local ns f
	echo "---- diagnostics for $VF_ID ----"
	while read -r ns; do
		if [ ! -e "/run/netns/$ns" ]; then
			echo "[$ns] namespace gone"
			continue
		fi
		echo "[$ns] addresses, routes, link counters"
		ip -n "$ns" -br addr
		ip -n "$ns" route
		ip -n "$ns" -s -br link 2>/dev/null || ip -n "$ns" -s link
	done <"$VF_DIR/netns"
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

# pids_in_ns NS: processes whose network namespace is NS (bash only).
pids_in_ns() {
	local p
	for p in /proc/[0-9]*; do
		[[ $p/ns/net -ef /run/netns/$1 ]] && echo "${p#/proc/}"
	done 2>/dev/null
	return 0
}

# topo_down: kill our jobs, delete our namespaces. Safe to call twice and
# after a partial setup; prints diagnostics first when the test failed.
topo_down() {
	local pid ns dels=()
	[ -n "${VF_DIR:-}" ] || return 0
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${BATS_TEST_NAME:-}" ]; then
		topo_diag 2>&1 || true
	fi
	while read -r pid; do
		kill "$pid" 2>/dev/null || true
	done <"$VF_DIR/pids"
	while read -r ns; do
		[ -e "/run/netns/$ns" ] || continue
		# Anything still running inside was started by this test.
		for pid in $(pids_in_ns "$ns"); do
			kill -9 "$pid" 2>/dev/null || true
		done
		dels+=("netns del $ns")
	done <"$VF_DIR/netns"
	if [ ${#dels[@]} -gt 0 ]; then
		printf '%s\n' "${dels[@]}" | ip -force -batch - 2>/dev/null || true
	fi
	while read -r pid; do
		wait "$pid" 2>/dev/null || true
	done <"$VF_DIR/pids"
	: >"$VF_DIR/pids"
	: >"$VF_DIR/netns"
	return 0
}

# --------------------------------------------------------------- traffic

# payload NAME BYTES: random file under $VF_DIR; prints its path.
payload() {
	head -c "$2" /dev/urandom >"$VF_DIR/$1"
	echo "$VF_DIR/$1"
}

sha() { sha256sum <"$1" | cut -d' ' -f1; }

# tcp_sink ROLE PORT OUT: one-shot TCP listener bound to VIP:PORT only,
# writing what it receives to OUT; its log (socat -d -d) names the local
# and peer address of the connection it accepted. Sets SINK_PID.
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

# name_server ROLE PORT NAME: answers every TCP connection on VIP:PORT
# with one line, NAME. Sets SINK_PID.
name_server() {
	bg "$1" "names-$1-$2" socat \
		"TCP-LISTEN:$2,bind=$VIP,reuseaddr,fork" "SYSTEM:echo $3"
	SINK_PID=$BG_PID
	wait_listen "$1" tcp "$VIP:$2"
}

# tcp_send ROLE FILE ADDR PORT: send FILE over one TCP connection.
tcp_send() {
	nsxt "$1" socat -u "OPEN:$2" "TCP:$3:$4,connect-timeout=3"
}

# tcp_ask ROLE ADDR PORT: connect; print the line the server says.
tcp_ask() {
	nsxt "$1" socat -T 5 -u "TCP:$2:$3,connect-timeout=3" STDOUT
}

# udp_send ROLE FILE ADDR PORT: FILE as 1024-byte datagrams (no IP
# fragments: vipfwd does not forward those, by design).
udp_send() {
	nsxt "$1" socat -u -b 1024 "OPEN:$2" "UDP-SENDTO:$3:$4"
}

# flood ROLE NAME tcp|udp ADDR PORT: endless paced stream, 1000 bytes per
# write (one datagram for udp) every 2 ms at most, from a bash loop: no
# exec per packet, and light enough that a TCG VM stays responsive. Ends
# when the connection breaks (tcp) or when killed.
flood() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	bg "$1" "$2" bash -c '
		exec {pause}<> <(:)
		exec 3<>"/dev/$1/$2/$3" || exit 1
		chunk=$(printf "%1000s" "")
		while printf "%s" "$chunk" >&3; do
			read -rt 0.002 -u "$pause" || :
		done' flood "$3" "$4" "$5"
}

# pings ROLE ADDR [COUNT]: ICMP echo; iputils ping if installed, else
# busybox's (busybox-static is needed for the VM anyway).
pings() {
	local ping=(busybox ping)
	command -v ping >/dev/null && ping=(ping)
	nsxt "$1" "${ping[@]}" -c "${3:-1}" -W 2 "$2"
}

# file_size_is FILE BYTES
file_size_is() { [ -e "$1" ] && [ "$(stat -c %s "$1")" -eq "$2" ]; }

# ---------------------------------------------------------- vipctl JSON

# vj JQ ARGS...: `vipctl -j ARGS` in lb through jq; fails on null/false.
vj() {
	local q=$1
	shift
	vipctl_lb -j "$@" | jq -er "$q"
}

# stat_frontend PROTO PORT FIELD: packets/bytes of one frontend.
stat_frontend() {
	vj ".frontends[] | select(.vip == \"$VIP\" and .proto == \"$1\" and .port == $2) | .$3" stats
}

# iperf_bps ROLE ADDR NAME: one iperf3 run of $IPERF_BYTES to ADDR:5201;
# prints the receiver's bits per second. The run must end cleanly and
# send $IPERF_BYTES (up to one block more).
iperf_bps() {
	local j=$VF_DIR/iperf-$3.json
	timeout 180 nsenter --net="/run/netns/$(ns_of "$1")" \
		iperf3 -c "$2" -n "$IPERF_BYTES" -J >"$j" || {
		vf_die "iperf3 to $2 ($3) failed: $(jq -r '.error // empty' "$j" 2>/dev/null)"
		return 1
	}
	jq -e '.error == null' "$j" >/dev/null || {
		vf_die "iperf3 $3: $(jq -r .error "$j")"
		return 1
	}
	# iperf3 -n writes whole blocks (128 KiB for TCP) and may end one
	# block past N.
	jq -e --argjson n "$IPERF_BYTES" \
		'.end.sum_sent.bytes >= $n and .end.sum_sent.bytes <= $n + 131072' "$j" >/dev/null || {
		vf_die "iperf3 $3 sent $(jq '.end.sum_sent.bytes' "$j") bytes, asked for $IPERF_BYTES"
		return 1
	}
	# Through the VIP or not, the receiver saw the bulk of it.
	jq -e '.end.sum_received.bytes > 0 and .end.sum_received.bits_per_second > 0' "$j" >/dev/null || {
		vf_die "iperf3 $3: nothing received: $(jq -c .end "$j")"
		return 1
	}
	jq '.end.sum_received.bits_per_second | floor' "$j"
}

# iperf_received NAME...: the bytes iperf3's receiver read in the runs
# NAME... of iperf_bps. A lower bound for what crossed the path: the
# client's count is of bytes written to its socket, and iperf3's server
# closes the data connection at the end of a test with bytes still in
# flight (the client's kernel then drops them, so they never cross).
iperf_received() {
	local n sum=0
	for n in "$@"; do
		sum=$((sum + $(jq '.end.sum_received.bytes' "$VF_DIR/iperf-$n.json")))
	done
	echo "$sum"
}

# route_mtu ROLE ADDR: the path MTU ROLE's route cache holds for ADDR
# (`ip route get`: "... cache expires 598sec mtu 1480"), or nothing.
route_mtu() {
	local re='[[:space:]]mtu ([0-9]+)' out
	out=$(nsx "$1" ip route get "$2")
	echo "$1: ip route get $2: $out" >&2
	[[ $out =~ $re ]] && echo "${BASH_REMATCH[1]}"
}

# udp_echo_wait ROLE ADDR PORT IN OUT [SPORT] [CHUNK]: IN as datagrams of
# CHUNK bytes (default 1000) from ROLE to ADDR:PORT (IPv4, or IPv6 with or
# without brackets), each sent once the echo of the one before arrived
# (30 s each: an echo server that forks per datagram can take seconds
# under TCG, where a fixed wait like socat -t loses the answer), echoes
# into OUT; from source port SPORT when given.
udp_echo_wait() {
	timeout 120 nsenter --net="/run/netns/$(ns_of "$1")" /usr/bin/python3 -c '
import socket, sys
addr, port, src, dst, sport, chunk = sys.argv[1:7]
addr = addr.strip("[]")
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(30)
if sport:
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", int(sport)))
s.connect((addr, int(port)))
with open(src, "rb") as f, open(dst, "wb") as out:
    while True:
        data = f.read(int(chunk))
        if not data:
            break
        s.send(data)
        out.write(s.recv(65536))
' "$2" "$3" "$4" "$5" "${6:-}" "${7:-1000}"
}

# fe_bytes_at_least PORT BYTES: frontend VIP tcp PORT counted BYTES (for
# wait_until: a sender that exits may still have bytes in flight).
fe_bytes_at_least() { [ "$(stat_frontend tcp "$1" bytes)" -ge "$2" ]; }

# stat_backend ADDR FIELD: packets/bytes/flows of one backend.
stat_backend() {
	vj "[.backends[] | select(.addr == \"$1\") | .$2] | add" stats
}

# ------------------------------------------------------------- the module

vipfwd_loaded() { [ -d /sys/module/vipfwd ]; }

# vipfwd_load: insmod the module unless it is loaded.
vipfwd_load() {
	vipfwd_loaded && return 0
	# shellcheck disable=SC2086 # parameters are separate words
	insmod "$VIPFWD_KO" ${VIPFWD_VM_MODULE_ARGS:-}
}

# dmesg_mark: remember where the kernel log is; dmesg_clean_since checks
# that nothing after it looks like a kernel bug (selftests/vm/dmesg-check).
dmesg_mark() { VF_DMESG_MARK=$(dmesg | wc -l); }

dmesg_clean_since() {
	dmesg | tail -n +"$((VF_DMESG_MARK + 1))" >"$VF_DIR/dmesg.new"
	"$REPO/selftests/vm/dmesg-check" "$VF_DIR/dmesg.new"
}
