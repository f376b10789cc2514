#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# GUE encapsulation (encap gue gue-port N) to a stock Linux backend: the
# backend runs no vipfwd, only `ip fou add port 5555 gue`, tunl0 up and
# the VIP on lo (selftests/lib/topo.bash's backend plus fou):
#  - control plane: gue-port required with encap gue, refused with ipip,
#    shown by vipctl show and -j show, ipip <-> gue with frontend set;
#  - TCP and UDP echo through the VIP, byte for byte, arriving as GUE
#    (udp dport 5555) and never as plain IPIP (nft counters on b1);
#  - the outer UDP source port: one per flow, many flows many ports
#    (an nft dynamic set of source ports on b1);
#  - a frontend switched from ipip to gue and back keeps an established
#    TCP connection working;
#  - TCP bulk with TSO through the tunnel, byte-identical, and iperf3
#    through the VIP against iperf3 to b1 directly; GRO super-packets
#    from lb's eth0 through the tunnel, GRO at b1;
#  - path MTU with every link at 1500: a 1 MB TCP transfer completes and
#    the client learned 1468 (1500 - 20 IPv4 - 8 UDP - 4 GUE), so does
#    lb's own connection to the VIP.
#
# One topology (one backend) for the file, underlay MTU 1600 until the
# last test lowers it to 1500. Each test makes its own vipctl
# configuration and removes it, and starts from zeroed nft counters, an
# empty source port set and empty route caches.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
load lib/topo

GUE_PORT=5555

# gue_backend ROLE: what a stock backend adds for GUE: fou's receiver on
# $GUE_PORT, which hands the inner packet to tunl0 (IPPROTO_IPIP in the
# GUE header); tunl0, the VIP on lo and rp_filter 0 are topo_up's. The
# table inet vft counts what arrives before decapsulation:
#   gue_in   GUE packets from lb (udp dport $GUE_PORT)
#   sports   their UDP source ports (a dynamic set)
gue_backend() {
	nsx "$1" ip fou add port "$GUE_PORT" gue || return 1
	nsx "$1" nft -f - <<-EOF
		table inet vft {
			counter gue_in {}
			set sports { type inet_service; flags dynamic; size 65535; }
			chain c_pre {
				type filter hook prerouting priority -500; policy accept;
				ip saddr $LB_ADDR udp dport $GUE_PORT counter name gue_in add @sports { udp sport }
			}
		}
	EOF
}

setup_file() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	[ -d /sys/module/fou ] || modprobe fou || vf_die "cannot load fou"
	topo_init gue
	export VF_ID VF_DIR VF_NBACKENDS
	topo_up 1
	gue_backend b1
}

teardown_file() {
	topo_down
}

setup() {
	[ -e "/run/netns/$(ns_of lb)" ] || vf_die "the topology was not built (see setup_file)"
	rm -f "$VF_DIR"/*.log "$VF_DIR/received" "$VF_DIR/echoed" "$VF_DIR/p"
	: >"$VF_DIR/frontends"
	fresh_paths_and_counters
	nsx b1 nft flush set inet vft sports || vf_die "cannot empty the source port set"
	NOMEM0=$(vj .drops.nomem stats) || vf_die "vipctl stats failed"
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || topo_diag 2>&1 || true
	stop_jobs
	p1_del
	gro_merge_off
}

# lb_pool PROTO PORT [FRONTEND-OPTIONS...]: pool p1 = b1 (once) and one
# frontend (teardown removes it); GUE to $GUE_PORT unless options say.
lb_pool() {
	local proto=$1 port=$2
	shift 2
	[ $# -gt 0 ] || set -- encap gue gue-port "$GUE_PORT"
	if ! vipctl_lb -j show | jq -e '.pools[] | select(.name == "p1")' >/dev/null; then
		vipctl_lb pool add p1 && vipctl_lb backend add p1 "$(backend_addr 1)" || return 1
	fi
	vipctl_lb frontend add "$VIP" "$proto" "$port" pool p1 "$@" || return 1
	echo "$proto $port" >>"$VF_DIR/frontends"
}

# rejects STATUS REGEX VIPCTL-ARGS...: vipctl fails with STATUS, says
# REGEX, and the configuration is unchanged.
rejects() {
	local want=$1 re=$2 before after
	shift 2
	before=$(vipctl_lb -j show)
	run "$VIPCTL" -n "$(ns_of lb)" "$@"
	echo "vipctl $* -> status $status: $output"
	[ "$status" -eq "$want" ] || vf_die "exit status $status, expected $want"
	[[ $output =~ $re ]] || vf_die "message does not match /$re/"
	after=$(vipctl_lb -j show)
	[ "$before" = "$after" ] || vf_die "configuration changed: $before -> $after"
}

# fe_json PORT: frontend VIP tcp PORT as vipctl -j show gives it.
fe_json() {
	vj ".frontends[] | select(.vip == \"$VIP\" and .port == $1) | tojson" show
}

# sports: the GUE source ports b1 has seen since setup, one a line.
sports() {
	nsx b1 nft -j list set inet vft sports |
		jq -r '.nftables[] | select(.set) | .set.elem // [] | .[] | if type == "object" then .elem.val else . end'
}

# gue_counters_ok: b1 got GUE from lb and no plain IPIP at all; no reply
# crossed lb.
gue_counters_ok() {
	counters_dump
	[ "$(cnt b1 inet gue_in)" -gt 0 ] || vf_die "no GUE packet reached b1"
	[ "$(cnt b1 netdev ipip_in)" -eq 0 ] || vf_die "plain IPIP reached b1"
	[ "$(cnt lb netdev ipip_out)" -eq 0 ] || vf_die "lb sent plain IPIP"
	[ "$(cnt lb inet vip_src_pre)" -eq 0 ] || vf_die "a reply from the VIP crossed lb"
	[ "$(cnt b1 netdev vip_src_out)" -gt 0 ] || vf_die "b1 sent no reply from the VIP"
}

@test "control plane: encap gue needs gue-port, ipip refuses it, show and JSON print it, set switches" {
	lb_pool tcp 1433 encap ipip
	rejects 1 'encap gue needs gue-port' frontend add "$VIP" tcp 1434 pool p1 encap gue
	rejects 1 'gue-port( 6080)? needs encap gue' frontend add "$VIP" tcp 1434 pool p1 gue-port 6080
	rejects 1 'gue-port( 6080)? needs encap gue' frontend set "$VIP" tcp 1433 gue-port 6080
	rejects 1 'encap gue needs gue-port' frontend set "$VIP" tcp 1433 encap gue
	rejects 2 'gue-port.*needs "encap gue"' frontend set "$VIP" tcp 1433 encap ipip gue-port 6080

	vipctl_lb frontend set "$VIP" tcp 1433 encap gue gue-port 6080
	fe_json 1433 | jq -e '.encap == "gue" and .gue_port == 6080' ||
		vf_die "JSON does not show encap gue gue-port 6080: $(fe_json 1433)"
	run vipctl_lb show
	echo "$output"
	[[ $output =~ "mode encap gue gue-port 6080" ]] || vf_die "show does not print gue-port"
	# A new gue-port alone on a GUE frontend.
	vipctl_lb frontend set "$VIP" tcp 1433 gue-port "$GUE_PORT"
	fe_json 1433 | jq -e ".gue_port == $GUE_PORT" || vf_die "gue-port not changed"
	# Back to ipip: the port goes with it.
	vipctl_lb frontend set "$VIP" tcp 1433 encap ipip
	fe_json 1433 | jq -e '.encap == "ipip" and (.gue_port // 0) == 0' ||
		vf_die "ipip kept a gue-port: $(fe_json 1433)"
}

@test "TCP and UDP echo through the VIP over GUE, byte for byte, GUE and no IPIP at b1" {
	lb_pool tcp 7
	lb_pool udp 7
	local p out
	# cat per connection: it ends, and the server closes, only after it
	# has written back everything the client sent (-t 30: socat's default
	# 0.5 s wait for that after the client's FIN is short under load).
	bg b1 techo socat -t 30 "TCP-LISTEN:7,bind=$VIP,reuseaddr,fork" EXEC:cat
	wait_listen b1 tcp "$VIP:7"
	bg b1 uecho socat "UDP-RECVFROM:7,bind=$VIP,reuseaddr,fork" PIPE
	wait_listen b1 udp "$VIP:7"

	p=$(payload p 262144)
	out=$VF_DIR/echoed
	nsxt cl socat -t 15 - "TCP:$VIP:7,connect-timeout=3" <"$p" >"$out" ||
		vf_die "TCP echo failed"
	[ "$(sha "$p")" = "$(sha "$out")" ] ||
		vf_die "TCP echo: got $(stat -c %s "$out") bytes back, sha256 differs"

	p=$(payload pu 1200)
	nsxt cl socat -t 3 - "UDP:$VIP:7" <"$p" >"$VF_DIR/uechoed" || vf_die "UDP echo failed"
	[ "$(sha "$p")" = "$(sha "$VF_DIR/uechoed")" ] ||
		vf_die "UDP echo: got $(stat -c %s "$VF_DIR/uechoed") bytes back, sha256 differs"

	gue_counters_ok
	[ "$(stat_frontend tcp 7 bytes)" -ge 262144 ] || vf_die "frontend tcp 7 counted less than the payload"
	[ "$(stat_frontend udp 7 packets)" -ge 1 ] || vf_die "frontend udp 7 counted nothing"
}

@test "outer UDP source port: one flow one port, many flows many ports, all ephemeral" {
	lb_pool tcp 1433
	local n i lo hi port
	tcp_through_vip cl 524288
	counters_dump
	n=$(sports | wc -l)
	echo "one flow: $(cnt b1 inet gue_in) GUE packets, source ports: $(sports | tr '\n' ' ')"
	# (TSO: the client's super-packets stay GSO packets through the
	# tunnel, so 512 KiB can be a few dozen packets.)
	[ "$(cnt b1 inet gue_in)" -ge 10 ] || vf_die "too few GUE packets to tell"
	[ "$n" -eq 1 ] || vf_die "one flow used $n source ports"

	name_server b1 1434 b1
	echo "tcp 1434" >>"$VF_DIR/frontends"
	vipctl_lb frontend add "$VIP" tcp 1434 pool p1 encap gue gue-port "$GUE_PORT"
	nsx b1 nft flush set inet vft sports
	for ((i = 0; i < 16; i++)); do
		[ "$(tcp_ask cl "$VIP" 1434)" = b1 ] || vf_die "connection $i got no answer"
	done
	n=$(sports | wc -l)
	echo "16 flows: source ports: $(sports | tr '\n' ' ')"
	echo "# source ports: 1 flow -> 1 port; 16 flows -> $n ports" >&3
	[ "$n" -ge 12 ] || vf_die "16 flows used only $n source ports"
	read -r lo hi <"/proc/sys/net/ipv4/ip_local_port_range"
	while read -r port; do
		((port >= lo && port <= hi)) || vf_die "source port $port outside $lo-$hi"
	done < <(sports)
}

@test "frontend set ipip -> gue -> ipip keeps an established TCP connection working" {
	lb_pool tcp 1433 encap ipip
	local out=$VF_DIR/received flood_pid s1 s2 s3
	tcp_sink b1 1433 "$out"
	flood cl flood tcp "$VIP" 1433
	flood_pid=$BG_PID
	wait_until 20 file_size_is_over "$out" 20000 || vf_die "the stream did not start over ipip"
	counters_dump
	[ "$(cnt b1 netdev ipip_in)" -gt 0 ] || vf_die "no IPIP before the switch"

	vipctl_lb frontend set "$VIP" tcp 1433 encap gue gue-port "$GUE_PORT"
	nsx b1 nft reset counters >/dev/null
	nsx lb nft reset counters >/dev/null
	s1=$(stat -c %s "$out")
	vf_sleep 3
	s2=$(stat -c %s "$out")
	kill -0 "$flood_pid" || vf_die "the connection broke when the frontend switched"
	[ "$s2" -gt $((s1 + 10000)) ] || vf_die "the stream stalled after the switch ($s1 -> $s2 bytes)"
	counters_dump
	[ "$(cnt b1 inet gue_in)" -gt 0 ] || vf_die "no GUE after the switch"
	[ "$(cnt b1 netdev ipip_in)" -eq 0 ] || vf_die "IPIP after the switch"
	[ "$(vj '[.backends[] | .flows] | add' stats)" -eq 1 ] || vf_die "not exactly one flow"

	# And back to ipip.
	vipctl_lb frontend set "$VIP" tcp 1433 encap ipip
	nsx b1 nft reset counters >/dev/null
	s1=$(stat -c %s "$out")
	vf_sleep 3
	s2=$(stat -c %s "$out")
	kill -0 "$flood_pid" || vf_die "the connection broke when the frontend switched back"
	[ "$s2" -gt $((s1 + 10000)) ] || vf_die "the stream stalled after the switch back ($s1 -> $s2 bytes)"
	counters_dump
	[ "$(cnt b1 netdev ipip_in)" -gt 0 ] || vf_die "no IPIP after the switch back"
	[ "$(cnt b1 inet gue_in)" -eq 0 ] || vf_die "GUE after the switch back"

	# The client ends the stream: the rest of its send queue and its FIN
	# reach b1 over IPIP.
	stop_pid "$flood_pid"
	wait_sink_end "$SINK_PID" "$out" "$VF_T" || {
		nsx cl ss -tin "dst $VIP" >&2
		nsx b1 ss -tin "src $VIP" >&2
		cat "$VF_DIR/sink-b1-1433.log" >&2
		vf_die "the sink did not see the end of the stream ($(stat -c %s "$out") bytes)"
	}
	s3=$(stat -c %s "$out")
	[ "$(tr -d ' ' <"$out" | wc -c)" -eq 0 ] || vf_die "the stream arrived changed"
	echo "stream: $s1 bytes at the switch, $s3 at the end"
}

# file_size_is_over FILE BYTES
file_size_is_over() { [ -e "$1" ] && [ "$(stat -c %s "$1")" -gt "$2" ]; }

@test "GSO: TCP bulk with TSO through GUE, byte-identical; iperf3 ratio to the direct path" {
	lb_pool tcp 1433
	lb_pool tcp 5201
	local i v d vs=() ds=() ratio
	nsx cl ethtool -k eth0 | grep -q '^tcp-segmentation-offload: on' || vf_die "TSO is off on the client"
	nsx lb ethtool -k eth1 | grep '^tx-udp_tnl-segmentation:'

	tcp_through_vip cl 4194304
	gue_counters_ok

	bg b1 iperf3 iperf3 -s -p 5201 -B 0.0.0.0
	wait_listen b1 tcp 0.0.0.0:5201
	IPERF_BYTES=$((64 << 20))
	for i in 1 2 3; do
		v=$(iperf_bps cl "$VIP" "vip$i") || return 1
		d=$(iperf_bps cl "$(backend_addr 1)" "direct$i") || return 1
		echo "round $i: vip $((v / 1000000)) Mbit/s, direct $((d / 1000000)) Mbit/s"
		vs+=("$v")
		ds+=("$d")
	done
	v=$(printf '%s\n' "${vs[@]}" | sort -n | sed -n 2p)
	d=$(printf '%s\n' "${ds[@]}" | sort -n | sed -n 2p)
	ratio=$(awk -v v="$v" -v d="$d" 'BEGIN { printf "%.2f", v / d }')
	echo "# GUE TCP bulk (TSO on): vip $((v / 1000000)) Mbit/s, direct $((d / 1000000)) Mbit/s, ratio $ratio" >&3
	[ "$(( $(vj .drops.nomem stats) - NOMEM0 ))" -eq 0 ] || vf_die "nomem drops"
	# What the receiver read of the three runs through the VIP went
	# through the frontend (the frontend's count may lag: wait for it).
	got=$(iperf_received vip1 vip2 vip3)
	wait_until 30 fe_bytes_at_least 5201 "$got" ||
		vf_die "frontend tcp 5201 carried $(stat_frontend tcp 5201 bytes) bytes, less than the $got iperf3's receiver read"
	# As pmtu.bats: the goal is 0.8; TCG on a shared host is noisy, the
	# test holds 0.5 (a path that segments everything in software or
	# drops fails it).
	awk -v r="$ratio" 'BEGIN { exit !(r >= 0.5) }' || vf_die "vip/direct ratio $ratio < 0.5"
}

@test "GRO: super-packets built by GRO at lb (client TSO off) through GUE, GRO at b1, byte-identical" {
	lb_pool tcp 1433
	# lb's eth0 merges the client's segments (up to 64 KiB: those above
	# 64 KiB - 32 cannot take the outer headers and are segmented by
	# vipfwd first); b1's eth0 merges the GUE packets (fou's GRO).
	gro_merge_on
	tcp_through_vip cl 4194304
	gue_counters_ok
	[ "$(cnt lb netdev big_in)" -gt 0 ] || vf_die "lb received no GRO packet: the test proves nothing"
	[ "$(( $(vj .drops.nomem stats) - NOMEM0 ))" -eq 0 ] || vf_die "nomem drops"
}

@test "PMTU, links at 1500: 1 MB of TCP through GUE arrives; the client and lb itself learned 1468" {
	# Last test: the underlay stays at 1500.
	ip -n "$(ns_of sw)" -batch - <<-EOF || vf_die "cannot lower the underlay MTU"
		link set lb mtu 1500
		link set rt mtu 1500
		link set b1 mtu 1500
		link set br0 mtu 1500
	EOF
	ip -n "$(ns_of lb)" link set eth1 mtu 1500 &&
		ip -n "$(ns_of rt)" link set eth0 mtu 1500 &&
		ip -n "$(ns_of b1)" link set eth0 mtu 1500 || vf_die "cannot lower the underlay MTU"
	lb_pool tcp 1433
	local too_big0
	too_big0=$(vj .drops.too_big stats)
	# Unless the client hears of the smaller MTU, the transfer stalls.
	tcp_through_vip cl 1048576
	[ "$(route_mtu cl "$VIP")" = 1468 ] || vf_die "the client did not learn path MTU 1468 for the VIP"
	[ "$(($(vj .drops.too_big stats) - too_big0))" -ge 1 ] || vf_die "too_big did not count"
	gue_counters_ok

	# lb's own connection to the VIP (LOCAL_OUT) learns it too.
	SINK_PID=
	tcp_through_vip lb 1048576
	[ "$(route_mtu lb "$VIP")" = 1468 ] || vf_die "lb did not learn path MTU 1468 for the VIP"
}
