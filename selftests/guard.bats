#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The VIP guard (vipctl(8), VIP GUARD): table inet vipfwd holds the VIPs
# of the frontends and drops traffic to them that no frontend handles, on
# lb, before routing: never routed back out, never answered, counted. It
# follows frontend add/set/del, goes with the last frontend, and
# "vipctl guard sync" repairs what was changed by hand. Topology and
# helpers: selftests/lib/topo.bash. Runs as root with the module loaded.

load lib/topo

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init guard
	dmesg_mark
}

teardown() {
	topo_down
}

VIP2=192.168.2.101

expect() {
	[ "$3" -eq "$1" ] || vf_die "$2: $3, expected $1"
}

# gj JQ: `vipctl -j guard show` in lb through jq.
gj() { vj "$1" guard show; }

# guard_vips: the elements of set vip4 in lb, sorted, space-separated.
guard_vips() {
	nsx lb nft -j list set inet vipfwd vip4 |
		jq -r '[.nftables[] | select(.set) | .set.elem // [] | .[]] | sort | join(" ")'
}

has_table() { nsx lb nft list table inet vipfwd >/dev/null 2>&1; }

# guard_drops: packets of the guard's counter, read by nft.
guard_drops() {
	local out re="packets ([0-9]+)"
	out=$(nsx lb nft list counter inet vipfwd drops) || return 1
	[[ $out =~ $re ]] && echo "${BASH_REMATCH[1]}"
}

# Extra counters for this file, in table inet/netdev vguard (counters_dump
# reads only the vft tables, so these are read with gcnt).
#   lb  vip_eg    packets to the VIP leaving lb into the underlay (not IPIP:
#                 an IPIP packet's outer destination is the backend)
#   lb  to_cl     packets lb sends the client: ICMP or from the VIP
#   rt  vip_in    packets to the VIP arriving at rt
#   cl  answers   packets reaching the client from the VIP, or ICMP
#   b1  vip_raw   packets to the VIP reaching b1 unencapsulated (on eth0;
#                 tunl0 delivers the frontend's traffic)
guard_counters() {
	nsx lb nft -f - <<-EOF || return 1
		table netdev vguard {
			counter vip_eg {}
			counter to_cl {}
			chain eg1 {
				type filter hook egress device eth1 priority 0; policy accept;
				ip daddr $VIP counter name vip_eg
				ip daddr $VIP2 counter name vip_eg
			}
			chain eg0 {
				type filter hook egress device eth0 priority 0; policy accept;
				ip protocol icmp counter name to_cl
				ip saddr $VIP counter name to_cl
			}
		}
	EOF
	nsx rt nft -f - <<-EOF || return 1
		table inet vguard {
			counter vip_in {}
			chain pre {
				type filter hook prerouting priority -500; policy accept;
				ip daddr $VIP counter name vip_in
			}
		}
	EOF
	nsx cl nft -f - <<-EOF || return 1
		table inet vguard {
			counter answers {}
			chain pre {
				type filter hook prerouting priority -500; policy accept;
				ip saddr $VIP counter name answers
				ip protocol icmp counter name answers
			}
		}
	EOF
	nsx b1 nft -f - <<-EOF
		table inet vguard {
			counter vip_raw {}
			chain pre {
				type filter hook prerouting priority -500; policy accept;
				iifname "eth0" ip daddr $VIP counter name vip_raw
			}
		}
	EOF
}

rt_saw_vip() { [ "$(gcnt rt inet vip_in)" -ge 1 ]; }

# gcnt ROLE FAMILY NAME: packets of one vguard counter.
gcnt() {
	local out re="packets ([0-9]+)"
	out=$(nsx "$1" nft list counter "$2" vguard "$3") || return 1
	[[ $out =~ $re ]] && echo "${BASH_REMATCH[1]}"
}

@test "the guard follows frontend add, set and del; the last del removes the table" {
	ns_add lb
	vipctl_lb pool add p1
	! has_table || vf_die "a guard table before any frontend"

	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	has_table || vf_die "no table inet vipfwd after frontend add"
	[ "$(guard_vips)" = "$VIP" ] || vf_die "set vip4: $(guard_vips)"
	# The layout: both chains at -199 (after vipfwd's -201), the counter.
	local t
	t=$(nsx lb nft list table inet vipfwd)
	echo "$t"
	grep -q 'type filter hook prerouting priority -199; policy accept;' <<<"$t"
	grep -q 'type filter hook output priority -199; policy accept;' <<<"$t"
	[ "$(grep -c 'ip daddr @vip4 counter name "drops" drop' <<<"$t")" -eq 2 ]
	[ "$(grep -c 'ip6 daddr @vip6 counter name "drops" drop' <<<"$t")" -eq 2 ]
	grep -q 'counter drops' <<<"$t"
	[ "$(gj .in_sync)" = true ]

	# A second frontend on the same VIP: still one element.
	vipctl_lb frontend add "$VIP" udp 53 pool p1
	[ "$(guard_vips)" = "$VIP" ] || vf_die "set vip4: $(guard_vips)"
	# A second VIP.
	vipctl_lb frontend add "$VIP2" tcp 80 pool p1
	[ "$(guard_vips)" = "$VIP $VIP2" ] || vf_die "set vip4: $(guard_vips)"
	vipctl_lb frontend set "$VIP2" tcp 80 hash 2tuple
	[ "$(guard_vips)" = "$VIP $VIP2" ] || vf_die "after set: $(guard_vips)"
	[ "$(gj '.vips | join(" ")')" = "$VIP $VIP2" ]
	# Rules are not duplicated by the changes.
	[ "$(nsx lb nft list chain inet vipfwd prerouting | grep -c drop)" -eq 2 ]

	vipctl_lb frontend del "$VIP2" tcp 80
	[ "$(guard_vips)" = "$VIP" ] || vf_die "after del of $VIP2: $(guard_vips)"
	vipctl_lb frontend del "$VIP" udp 53
	[ "$(guard_vips)" = "$VIP" ] || vf_die "after del of udp 53: $(guard_vips)"
	# A refused change leaves the guard as it was.
	run vipctl_lb frontend add "$VIP2" tcp 80 pool nope
	[ "$status" -eq 1 ]
	[ "$(guard_vips)" = "$VIP" ] || vf_die "after a refused add: $(guard_vips)"

	vipctl_lb frontend del "$VIP" tcp 1433
	! has_table || vf_die "table inet vipfwd still there after the last frontend"
	[ "$(gj '"\(.present) \(.in_sync)"')" = "false true" ]
	run vipctl_lb guard show
	echo "$output"
	grep -q 'table inet vipfwd: absent' <<<"$output"
	grep -q 'in sync' <<<"$output"
}

@test "traffic to a VIP port without frontend is dropped on lb, counted, never routed or answered; the frontend still forwards" {
	topo_up 1
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	guard_counters || vf_die "cannot add the test's counters"
	local p out d0 d1 d2 ipip0 fe0 ans0 st
	p=$(payload p 65536)
	out=$VF_DIR/received

	# The frontend: byte for byte, through the guard's hooks.
	tcp_sink b1 1433 "$out"
	tcp_send cl "$p" "$VIP" 1433 || vf_die "TCP to VIP:1433 failed"
	wait_pid "$SINK_PID" "$VF_T" || true
	[ "$(sha "$out")" = "$(sha "$p")" ] || vf_die "VIP:1433: payload differs"
	d0=$(guard_drops)
	expect 0 "guard drops after frontend traffic" "$d0"
	ipip0=$(counter b1 netdev ipip_in)
	fe0=$(stat_frontend tcp 1433 packets)
	# The backend's replies reach the client from the VIP (via rt).
	ans0=$(gcnt cl inet answers)

	# TCP to VIP:22 and UDP to VIP:53 from the client: no frontend.
	run nsxt cl socat -u /dev/null "TCP:$VIP:22,connect-timeout=2"
	echo "tcp 22: status $status: $output"
	[ "$status" -ne 0 ] || vf_die "TCP to VIP:22 connected"
	head -c 300 /dev/urandom >"$VF_DIR/dgram"
	for _ in 1 2 3; do
		nsxt cl socat -u "OPEN:$VF_DIR/dgram" "UDP-SENDTO:$VIP:53" ||
			vf_die "client: sending UDP failed"
	done
	vf_sleep 0.5
	d1=$(guard_drops)
	echo "guard drops: $d0 -> $d1"
	# At least one SYN (a retransmit may follow) and the three datagrams.
	[ "$d1" -ge 4 ] || vf_die "guard drops $d1, expected >= 4"
	expect 0 "lb: packets to the VIP into the underlay" "$(gcnt lb netdev vip_eg)"
	expect 0 "lb: ICMP or VIP packets to the client" "$(gcnt lb netdev to_cl)"
	expect 0 "rt: packets to the VIP" "$(gcnt rt inet vip_in)"
	expect "$ans0" "client: answers" "$(gcnt cl inet answers)"
	expect 0 "b1: unencapsulated packets to the VIP" "$(gcnt b1 inet vip_raw)"
	expect "$ipip0" "b1: IPIP packets" "$(counter b1 netdev ipip_in)"
	expect "$fe0" "frontend tcp 1433 packets" "$(stat_frontend tcp 1433 packets)"
	# explain: vipfwd lets it pass, the guard drops it.
	[ "$(vj '"\(.why) \(.guard_drop)"' explain tcp "$CL_ADDR" 40000 "$VIP" 22)" = "no_frontend true" ]
	[ "$(vj '"\(.why) \(.guard_drop)"' explain tcp "$CL_ADDR" 40000 "$VIP" 1433)" != "no_frontend true" ]
	vipctl_lb explain udp "$CL_ADDR" 40000 "$VIP" 53 | grep -q 'dropped by the VIP guard'
	# vipctl stats reads the same counter.
	st=$(vj .guard_drops.packets stats)
	expect "$d1" "vipctl stats guard_drops" "$st"
	vipctl_lb stats | grep -q "^guard drops: $d1 packets" ||
		vf_die "no guard drops line in vipctl stats"

	# lb's own traffic (LOCAL_OUT) to VIP:22: refused at once, never sent.
	run nsxt lb socat -u /dev/null "TCP:$VIP:22,connect-timeout=2"
	echo "lb tcp 22: status $status: $output"
	[ "$status" -ne 0 ] || vf_die "lb: TCP to VIP:22 connected"
	d2=$(guard_drops)
	[ "$d2" -gt "$d1" ] || vf_die "guard drops did not rise for lb's own traffic ($d1 -> $d2)"
	expect 0 "lb: packets to the VIP into the underlay" "$(gcnt lb netdev vip_eg)"
	expect 0 "rt: packets to the VIP" "$(gcnt rt inet vip_in)"
	# lb's own traffic to the frontend still goes through vipfwd.
	tcp_sink b1 1433 "$out"
	tcp_send lb "$p" "$VIP" 1433 || vf_die "lb: TCP to VIP:1433 failed"
	wait_pid "$SINK_PID" "$VF_T" || true
	[ "$(sha "$out")" = "$(sha "$p")" ] || vf_die "lb to VIP:1433: payload differs"

	# The counter survives a frontend change.
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	expect "$d2" "guard drops after frontend add" "$(guard_drops)"

	# Without the guard the same datagram is routed out by lb (so the
	# checks above can fail); guard sync puts it back.
	nsx lb nft delete table inet vipfwd
	nsxt cl socat -u "OPEN:$VF_DIR/dgram" "UDP-SENDTO:$VIP:53"
	wait_until 5 rt_saw_vip ||
		vf_die "without the guard, the datagram did not reach rt"
	[ "$(gcnt lb netdev vip_eg)" -ge 1 ] || vf_die "without the guard, lb did not route it"
	[ "$(gj .in_sync)" = false ] || vf_die "guard show: in sync without a table"
	vipctl_lb guard sync
	[ "$(gj .in_sync)" = true ] || vf_die "guard show: not in sync after sync"
	d0=$(gcnt rt inet vip_in)
	nsxt cl socat -u "OPEN:$VF_DIR/dgram" "UDP-SENDTO:$VIP:53"
	vf_sleep 0.5
	expect 1 "guard drops after sync (a new counter)" "$(guard_drops)"
	expect "$d0" "rt: packets to the VIP after sync" "$(gcnt rt inet vip_in)"
	dmesg_clean_since || vf_die "kernel log"
}

@test "guard sync and any frontend change repair a guard changed by hand; guard show names the drift" {
	ns_add lb
	vipctl_lb pool add p1
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	vipctl_lb frontend add "$VIP2" udp 53 pool p1

	# The set deleted by hand (its rules first: they use it).
	nsx lb nft flush chain inet vipfwd prerouting
	nsx lb nft flush chain inet vipfwd output
	nsx lb nft delete set inet vipfwd vip4
	[ "$(gj '"\(.in_sync) \(.missing | join(","))"')" = "false $VIP,$VIP2" ]
	run vipctl_lb guard show
	echo "$output"
	grep -q "out of sync with the frontends: missing $VIP $VIP2" <<<"$output"
	run vipctl_lb guard sync
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "$VIP $VIP2" <<<"$output"
	[ "$(guard_vips)" = "$VIP $VIP2" ] || vf_die "set vip4 after sync: $(guard_vips)"
	[ "$(nsx lb nft list chain inet vipfwd output | grep -c drop)" -eq 2 ]
	[ "$(gj .in_sync)" = true ]

	# Elements changed by hand.
	nsx lb nft flush set inet vipfwd vip4
	nsx lb nft add element inet vipfwd vip4 '{ 10.9.9.9 }'
	[ "$(gj '"\(.missing | join(",")) \(.extra | join(","))"')" = "$VIP,$VIP2 10.9.9.9" ]
	vipctl_lb guard sync >/dev/null
	[ "$(guard_vips)" = "$VIP $VIP2" ] || vf_die "set vip4 after sync: $(guard_vips)"

	# A chain at another priority: the table is rebuilt.
	nsx lb nft delete chain inet vipfwd output ||
		{ nsx lb nft flush chain inet vipfwd output &&
		  nsx lb nft delete chain inet vipfwd output; }
	nsx lb nft add chain inet vipfwd output '{ type filter hook output priority 10; }'
	vipctl_lb guard sync >/dev/null
	nsx lb nft list chain inet vipfwd output | grep -q 'priority -199;' ||
		vf_die "chain output not at -199 after sync"

	# The table deleted by hand: any frontend change brings it back.
	nsx lb nft delete table inet vipfwd
	vipctl_lb frontend set "$VIP" tcp 1433 hash 2tuple
	[ "$(guard_vips)" = "$VIP $VIP2" ] || vf_die "after frontend set: $(guard_vips)"

	# guard help and a bad command.
	run vipctl_lb guard frob
	[ "$status" -eq 2 ]
	grep -q 'unknown command "frob" for guard' <<<"$output"
}
