#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Odd packets to a VIP, sent with scapy (selftests/lib/scapy_send.py) from
# the client's eth0 straight onto the wire: fragments, IP options,
# truncated and malformed TCP/UDP headers, ICMP echo, an empty datagram.
# What vipfwd lets pass to a VIP, vipctl's VIP guard (table inet vipfwd,
# vipctl(8)) drops; its counter is "guard_drops" in `vipctl -j stats`.
# Each test checks what docs/architecture.md ("Defined behaviour for odd
# packets") says: vipfwd's drop counter by reason (`vipctl -j stats`,
# case by case), where the packet went (nft counters in lb, rt and b1, and
# what b1 captured on eth0, byte for byte), and, for the kernel log, the VM
# runner fails the run on any BUG/WARN.
#
# Topology: selftests/lib/topo.bash, one backend. Frontends: VIP tcp 1433
# and VIP udp 5353, pool p1 = b1.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
load lib/topo

SCAPY=$VF_LIB_DIR/scapy_send.py

# The topology and the frontends are built once for the whole file (under
# TCG that takes longer than most tests); each test starts from zeroed nft
# counters, checks vipctl's counters as deltas (send_cases records them
# before and after each case), and undoes what it adds itself.
setup_file() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init mal
	export VF_ID VF_DIR VF_NBACKENDS
	mal_up
}

teardown_file() {
	topo_down
}

setup() {
	[ -e "/run/netns/$(ns_of lb)" ] || vf_die "the topology was not built (see setup_file)"
	rm -f "$VF_DIR"/*.log "$VF_DIR/scapy.json" "$VF_DIR/udp"
	local r
	for r in lb rt b1; do
		nsx "$r" nft reset counters >/dev/null || vf_die "cannot reset the nft counters in $r"
	done
}

# teardown: diagnostics on failure; end the jobs this test started (the
# namespaces stay for the next test).
teardown() {
	if [ -z "${BATS_TEST_COMPLETED:-}" ]; then
		topo_diag 2>&1 || true
		# A test that failed half-way may have left its frontend.
		vipctl_lb frontend del "$VIP" udp 0 2>/dev/null || true
	fi
	stop_jobs
}

# mal_up: the topology, the frontends, and counters of our own:
#   lb inet vip_fwd   packets to the VIP that lb routes (vipfwd let them pass)
#   rt inet vip_in    packets to the VIP arriving at rt (where lb's route goes)
#   b1 inet tun_in    packets to the VIP that b1's tunl0 delivered to b1
#   b1 inet udp0_in   of those, UDP datagrams to port 5353 without payload
mal_up() {
	topo_up 1
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	nsx lb nft -f - <<-EOF
		table inet vft {
			counter vip_fwd {}
			chain m_fwd {
				type filter hook forward priority 0; policy accept;
				ip daddr $VIP counter name vip_fwd
			}
		}
	EOF
	nsx rt nft -f - <<-EOF
		table inet vft {
			counter vip_in {}
			chain m_pre {
				type filter hook prerouting priority 0; policy accept;
				ip daddr $VIP counter name vip_in
			}
		}
	EOF
	nsx b1 nft -f - <<-EOF
		table inet vft {
			counter tun_in {}
			counter udp0_in {}
			chain m_in {
				type filter hook input priority 0; policy accept;
				iifname "tunl0" ip daddr $VIP counter name tun_in
				iifname "tunl0" ip daddr $VIP udp dport 5353 udp length 8 counter name udp0_in
			}
		}
	EOF
}

# send_cases CASE...: send them from cl's eth0 to lb's eth0 (scapy),
# capture on b1's eth0 and cl's eth0 and eth1, `vipctl -j stats` before
# and after each case; the report is $VF_DIR/scapy.json.
send_cases() {
	timeout 300 /usr/bin/python3 "$SCAPY" \
		--from "$(ns_of cl):eth0" --to "$(ns_of lb):eth0" \
		--cap "b1=$(ns_of b1):eth0" --cap "cl=$(ns_of cl):eth0" \
		--cap "cl1=$(ns_of cl):eth1" \
		--after "$VIPCTL -n $(ns_of lb) -j stats" --wait 2 "$@" \
		>"$VF_DIR/scapy.json" || vf_die "scapy_send.py $* failed"
	jq -c '.cases[] | {case, sent}' "$VF_DIR/scapy.json"
	jq -c '.cap | to_entries[] | .key as $k | .value[] | [$k, .dir, .summary]' \
		"$VF_DIR/scapy.json"
}

# sj JQ: a value from the report (fails on null/false).
sj() { jq -er "$@" "$VF_DIR/scapy.json"; }

# The stats before a case ($i, its index) and after it.
JQ_CASE='(.cases | map(.case) | index($c)) as $i |
	(if $i == 0 then .before else .cases[$i - 1].after end) as $b |
	.cases[$i].after as $a'

# drop_delta CASE REASON: how much that drop counter grew during CASE.
drop_delta() {
	sj --arg c "$1" "$JQ_CASE | \$a.drops.$2 - \$b.drops.$2"
}

# drops_delta CASE: how much all drop counters together grew.
drops_delta() {
	sj --arg c "$1" "$JQ_CASE | ([\$a.drops[]] | add) - ([\$b.drops[]] | add)"
}

# guard_delta CASE: packets the VIP guard (vipctl's nftables table inet
# vipfwd, see vipctl(8)) dropped during CASE.
guard_delta() {
	sj --arg c "$1" "$JQ_CASE | \$a.guard_drops.packets - \$b.guard_drops.packets"
}

# fe_delta CASE PROTO PORT: packets counted by that frontend during CASE.
fe_delta() {
	sj --arg c "$1" --arg p "$2" --argjson n "$3" "$JQ_CASE |
		def fe(s): s.frontends[] | select(.proto == \$p and .port == \$n) | .packets;
		fe(\$a) - fe(\$b)"
}

# at_b1 CASE [K]: how many times b1 received, inside IPIP, the K-th packet
# (default 0) of CASE byte for byte.
at_b1() {
	sj --arg c "$1" --argjson k "${2:-0}" \
		'(.cases[] | select(.case == $c) | .sent[$k]) as $p |
		[.cap.b1[] | select(.dir == "in" and .inner == $p)] | length'
}

# b1_ipip: IPIP packets b1 captured arriving.
b1_ipip() { sj '[.cap.b1[] | select(.dir == "in" and .proto == 4)] | length'; }

# expect N WHAT VALUE: fail with WHAT unless VALUE is N.
expect() {
	[ "$3" -eq "$1" ] || vf_die "$2: $3, expected $1"
}

# First in the file: its absolute "malformed drops in all" needs a fresh
# namespace.
@test "truncated and malformed TCP/UDP headers are dropped, counted malformed; well-formed ones pass" {
	local c
	send_cases udp_ok tcp_ok tcp_truncated tcp_doff_small tcp_doff_big udp_truncated

	# The controls: well-formed packets to the same frontends arrive inside
	# the tunnel byte-identical, nothing dropped.
	for c in udp_ok tcp_ok; do
		expect 1 "$c: copies at b1" "$(at_b1 $c)"
		expect 0 "$c: drops" "$(drops_delta $c)"
	done
	expect 1 "udp_ok: udp 5353 frontend packets" "$(fe_delta udp_ok udp 5353)"
	expect 1 "tcp_ok: tcp 1433 frontend packets" "$(fe_delta tcp_ok tcp 1433)"

	# IHL fine, the packet ends inside the TCP header; a TCP data offset
	# below 5 words; one beyond the segment; a UDP header cut at 6 bytes.
	for c in tcp_truncated tcp_doff_small tcp_doff_big udp_truncated; do
		expect 1 "$c: malformed drops" "$(drop_delta $c malformed)"
		expect 1 "$c: all drops" "$(drops_delta $c)"
		expect 0 "$c: copies at b1" "$(at_b1 $c)"
	done
	expect 0 "tcp_truncated: frontend packets" "$(fe_delta tcp_truncated tcp 1433)"
	expect 0 "udp_truncated: frontend packets" "$(fe_delta udp_truncated udp 5353)"

	# Dropped by vipfwd, not routed on by lb; only the controls (and the
	# client's answers to tcp_ok's SYN-ACK) reached b1 through the tunnel.
	counters_dump
	expect 0 "lb: packets to the VIP routed" "$(cnt lb inet vip_fwd)"
	expect 0 "rt: packets to the VIP" "$(cnt rt inet vip_in)"
	[ "$(cnt b1 netdev ipip_in)" -ge 2 ] || vf_die "b1 got fewer than the 2 controls in IPIP"
	[ "$(cnt b1 inet tun_in)" -ge 2 ] || vf_die "b1's tunl0 delivered fewer than 2 packets"
	expect 4 "malformed drops in all" "$(vj .drops.malformed stats)"
}

@test "fragments without defragmentation: the first is dropped (fragment); a later one only for an all-ports frontend, else by the VIP guard" {
	local out=$VF_DIR/udp
	udp_sink b1 5353 "$out"

	# Frontend udp 5353: the first fragment carries the ports and is
	# dropped. The later one has no ports, so it matches no frontend and
	# vipfwd lets it pass; the VIP guard drops it (without the guard, lb
	# would route it on, towards rt).
	send_cases frag
	expect 1 "frag: fragment drops" "$(drop_delta frag fragment)"
	expect 1 "frag: all drops" "$(drops_delta frag)"
	expect 1 "frag: VIP guard drops" "$(guard_delta frag)"
	expect 0 "frag: frontend packets" "$(fe_delta frag udp 5353)"
	expect 0 "IPIP at b1" "$(b1_ipip)"
	counters_dump
	expect 0 "lb: packets to the VIP routed" "$(cnt lb inet vip_fwd)"
	expect 0 "rt: packets to the VIP" "$(cnt rt inet vip_in)"
	expect 0 "b1: IPIP in" "$(cnt b1 netdev ipip_in)"

	# With an all-ports UDP frontend on the VIP the later fragment matches
	# it (port unknown = 0) and vipfwd drops it too.
	vipctl_lb frontend add "$VIP" udp 0 pool p1
	send_cases frag
	expect 2 "frag, all-ports frontend: fragment drops" "$(drop_delta frag fragment)"
	expect 2 "frag, all-ports frontend: all drops" "$(drops_delta frag)"
	expect 0 "frag, all-ports frontend: VIP guard drops" "$(guard_delta frag)"
	expect 0 "IPIP at b1" "$(b1_ipip)"
	counters_dump
	expect 0 "lb: packets to the VIP routed" "$(cnt lb inet vip_fwd)"
	expect 0 "b1: IPIP in" "$(cnt b1 netdev ipip_in)"
	[ ! -s "$out" ] || vf_die "the backend's socket received: $(cat "$out")"
	vipctl_lb frontend del "$VIP" udp 0 || vf_die "cannot remove the all-ports frontend"
}

@test "IP options are carried inside the tunnel unchanged" {
	local out=$VF_DIR/udp
	udp_sink b1 5353 "$out"
	send_cases ip_options
	# Byte for byte, so the Record Route slots are still empty: lb did not
	# route the packet, vipfwd did not touch it.
	expect 1 "ip_options: copies at b1" "$(at_b1 ip_options)"
	sj '.cases[0].sent[0] | startswith("49")' >/dev/null ||
		vf_die "the test packet has no IP options"
	wait_until 10 file_size_is "$out" 23 ||
		vf_die "backend's socket got $(stat -c %s "$out") bytes, expected 23"
	[ "$(cat "$out")" = "vipfwd ip options test" ] || vf_die "backend's socket got: $(cat "$out")"
	expect 0 "ip_options: drops" "$(drops_delta ip_options)"
	expect 1 "ip_options: frontend packets" "$(fe_delta ip_options udp 5353)"
	counters_dump
	expect 0 "lb: packets to the VIP routed" "$(cnt lb inet vip_fwd)"
	expect 1 "b1: delivered by tunl0" "$(cnt b1 inet tun_in)"
}

@test "ICMP echo to a VIP passes vipfwd untouched; the VIP guard drops it" {
	send_cases icmp_echo
	# vipfwd's own counters did not move at all; only the guard's.
	sj '(.before | del(.guard_drops)) == (.cases[0].after | del(.guard_drops))' >/dev/null ||
		vf_die "vipctl stats changed: $(sj -c '[.before, .cases[0].after]')"
	expect 1 "icmp_echo: VIP guard drops" "$(guard_delta icmp_echo)"
	expect 0 "IPIP at b1" "$(b1_ipip)"
	counters_dump
	expect 0 "lb: packets to the VIP routed" "$(cnt lb inet vip_fwd)"
	expect 0 "rt: packets to the VIP" "$(cnt rt inet vip_in)"
	expect 0 "lb: IPIP out" "$(cnt lb netdev ipip_out)"
	expect 0 "b1: delivered by tunl0" "$(cnt b1 inet tun_in)"
	# Nobody answered: no echo reply, no ICMP error reached the client.
	expect 0 "ICMP to the client" "$(sj '[.cap.cl[], .cap.cl1[] | select(.dir == "in" and .proto == 1)] | length')"
}

@test "a UDP datagram without payload is forwarded" {
	send_cases udp_empty
	expect 1 "udp_empty: copies at b1" "$(at_b1 udp_empty)"
	expect 0 "udp_empty: drops" "$(drops_delta udp_empty)"
	expect 1 "udp_empty: frontend packets" "$(fe_delta udp_empty udp 5353)"
	counters_dump
	expect 1 "b1: empty datagrams delivered by tunl0" "$(cnt b1 inet udp0_in)"
	expect 0 "lb: packets to the VIP routed" "$(cnt lb inet vip_fwd)"
}

@test "fragments with nf_defrag active in lb's namespace are reassembled and forwarded as one datagram" {
	modprobe nf_conntrack || vf_die "nf_conntrack not available: cannot test defragmentation"
	# Last in the file: conntrack, once used in lb's namespace, stays.
	# A ct expression makes conntrack (and so defragmentation, at priority
	# -400, before vipfwd at -201) run in lb's namespace.
	nsx lb nft -f - <<-EOF
		table inet vfct {
			chain pre {
				type filter hook prerouting priority 0; policy accept;
				ct state new counter
			}
		}
	EOF
	local out=$VF_DIR/udp
	udp_sink b1 5353 "$out"
	send_cases frag
	wait_until 10 file_size_is "$out" 61 ||
		vf_die "backend's socket got $(stat -c %s "$out") bytes, expected the 61-byte datagram"
	[ "$(cat "$out")" = "vipfwd fragment test: first part|second part, later fragment" ] ||
		vf_die "backend's socket got: $(cat "$out")"
	expect 0 "frag: drops" "$(drops_delta frag)"
	expect 1 "frag: udp 5353 frontend packets" "$(fe_delta frag udp 5353)"
	# One IPIP packet: the whole datagram, not fragment by fragment.
	expect 1 "IPIP at b1" "$(b1_ipip)"
	counters_dump
	expect 0 "lb: packets to the VIP routed" "$(cnt lb inet vip_fwd)"
	expect 1 "b1: IPIP in" "$(cnt b1 netdev ipip_in)"
	expect 1 "b1: delivered by tunl0" "$(cnt b1 inet tun_in)"
}
