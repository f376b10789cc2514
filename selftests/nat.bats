#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# NAT mode (the seeds' port forwarding, 192.168.1.111:35000 -> backend:3389)
# with the backends' replies routed back through lb, and ICMP errors about
# tracked flows in both directions (encap and nat). Topology and counters:
# selftests/lib/nat.bash, built once for the file; the configuration too:
#   pool p1: 10.10.20.3, 10.10.20.4
#   192.168.1.111 tcp 35000 / udp 35000  mode nat backend-port 3389
#   192.168.1.111 udp 35001              mode nat backend-port 3390 (closed)
#   192.168.2.100 udp 80                 encap (ipip)
# Each test starts from zeroed nft counters and empty route caches.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
load lib/nat

setup_file() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init nat
	export VF_ID VF_DIR VF_NBACKENDS
	nat_topo_up || vf_die "building the NAT topology failed"
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(nat_be 1)"
	vipctl_lb backend add p1 "$(nat_be 2)"
	vipctl_lb frontend add "$NAT_VIP" tcp 35000 pool p1 mode nat backend-port 3389
	vipctl_lb frontend add "$NAT_VIP" udp 35000 pool p1 mode nat backend-port 3389
	vipctl_lb frontend add "$NAT_VIP" udp 35001 pool p1 mode nat backend-port 3390
	vipctl_lb frontend add "$VIP2" udp 80 pool p1
	local i
	for i in 1 2; do
		bg "b$i" "tcpecho-b$i" socat -d -d -t 30 TCP-LISTEN:3389,reuseaddr,fork EXEC:cat
		bg "b$i" "udpecho-b$i" /usr/bin/python3 "$NAT_TOOL" udpecho 3389
		bg "b$i" "udp80-b$i" /usr/bin/python3 "$NAT_TOOL" udpecho 80
	done
	for i in 1 2; do
		wait_listen "b$i" tcp "0.0.0.0:3389"
		wait_listen "b$i" udp "0.0.0.0:3389"
		wait_listen "b$i" udp "0.0.0.0:80"
	done
}

teardown_file() {
	topo_down
}

setup() {
	[ -e "/run/netns/$(ns_of lb)" ] || vf_die "the topology was not built (see setup_file)"
	local r
	for r in cl lb b1 b2; do
		nsx "$r" ip route flush cache || vf_die "cannot flush the route cache in $r"
		nsx "$r" nft reset counters >/dev/null || vf_die "cannot reset the nft counters in $r"
	done
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || topo_diag 2>&1 || true
}

# flow_backend PROTO SPORT: "ADDR PORT" of the flow from the client's SPORT.
flow_backend() {
	vj ".[] | select(.proto == \"$1\" and .sport == $2) | \"\\(.backend) \\(.backend_port)\"" flows
}

@test "nat: TCP and UDP echo byte for byte, backend sees the client and port 3389, replies translated, no conntrack" {
	local p out ct0 ct1 got be
	p=$(payload p 65536)
	out=$VF_DIR/echo
	ct0=$(nat_ct_count) || vf_die "no conntrack in lb (nf_conntrack not loaded?)"

	got=$(nsxt cl /usr/bin/python3 "$NAT_TOOL" tcpecho "$NAT_VIP" 35000 "$p" "$out") ||
		vf_die "TCP echo through $NAT_VIP:35000 failed"
	echo "$got"
	[ "$got" = "peer $NAT_VIP:35000" ] || vf_die "the client's TCP peer is not $NAT_VIP:35000"
	[ "$(sha "$p")" = "$(sha "$out")" ] || vf_die "TCP echo differs from what was sent"

	# The backend accepted client:port -> backend:3389 (socat names both).
	grep -hE "accepting connection from AF=2 $CL_ADDR:[0-9]+ on AF=2 10\.10\.20\.[34]:3389\$" \
		"$VF_DIR"/tcpecho-b*.log || vf_die "no backend accepted $CL_ADDR -> backend:3389"

	rm -f "$out"
	got=$(nsxt cl /usr/bin/python3 "$NAT_TOOL" udpecho-client 40100 "$NAT_VIP" 35000 "$p" "$out") ||
		vf_die "UDP echo through $NAT_VIP:35000 failed"
	echo "$got"
	[ "$got" = "peer $NAT_VIP:35000" ] || vf_die "the client's UDP replies did not come from $NAT_VIP:35000"
	[ "$(sha "$p")" = "$(sha "$out")" ] || vf_die "UDP echo differs from what was sent"
	grep -h "peer $CL_ADDR:40100 local port 3389" "$VF_DIR"/udpecho-b*.log ||
		vf_die "no backend saw UDP from $CL_ADDR:40100 on port 3389"

	# The path: lb forwarded to backend:3389 and the replies back; the
	# client only ever heard from the VIP.
	nat_counters_dump
	# (bytes: TSO/GRO make packet counts small)
	[ "$(cnt lb inet fwd_to_be bytes)" -ge 131072 ] || vf_die "lb forwarded less than both payloads to backend:3389"
	[ "$(cnt lb inet fwd_from_be bytes)" -ge 131072 ] || vf_die "lb forwarded less than both echoes back"
	[ "$(cnt cl inet from_nat_vip bytes)" -ge 131072 ] || vf_die "the client got less than both echoes from the VIP"
	[ "$(cnt cl inet from_backend)" -eq 0 ] || vf_die "an untranslated reply reached the client"
	[ $(($(cnt b1 inet from_client bytes) + $(cnt b2 inet from_client bytes))) -ge 131072 ] ||
		vf_die "the backends got less than both payloads from the client"

	# Neither direction made a conntrack entry, none was even looked at.
	ct1=$(nat_ct_count)
	[ "$ct1" -eq "$ct0" ] || vf_die "conntrack entries on lb went from $ct0 to $ct1"
	[ "$(cnt lb inet ct_seen)" -eq 0 ] || vf_die "conntrack tracked NAT packets"

	# Flows list the backend port; vipctl stats counted the frontend.
	flow_backend udp 40100 | grep -E "^10\.10\.20\.[34] 3389\$" ||
		vf_die "the UDP flow is not listed with backend port 3389"
	vipctl_lb flows | grep -E "backend 10\.10\.20\.[34]:3389" ||
		vf_die "vipctl flows does not show backend:3389"
	# explain names the backend's port too: for that flow, and for a new one.
	be=$(flow_backend udp 40100)
	[ "$(vj '"\(.backend) \(.backend_port) \(.why)"' explain udp "$CL_ADDR" 40100 "$NAT_VIP" 35000)" = "$be flow" ] ||
		vf_die "explain of the UDP flow does not name $be"
	vipctl_lb explain udp "$CL_ADDR" 40100 "$NAT_VIP" 35000 | grep -F "backend ${be/ /:}" ||
		vf_die "vipctl explain does not print backend ${be/ /:}"
	vj '.backend_port' explain tcp "$CL_ADDR" 1 "$NAT_VIP" 35000 | grep -x 3389 ||
		vf_die "explain of a new NAT flow has no backend port 3389"
	[ "$(vj '.frontends[] | select(.vip == "192.168.1.111" and .proto == "udp" and .port == 35000) | .bytes' stats)" -ge 65536 ] ||
		vf_die "the UDP frontend counted less than the payload"
	vipctl_lb show | grep -E "mode nat.*backend-port 3389" || vf_die "vipctl show lacks mode nat backend-port 3389"
}

@test "nat: lb's own TCP connection to the VIP (LOCAL_OUT) is translated both ways" {
	local p out got
	p=$(payload p 65536)
	out=$VF_DIR/echo-local
	# From lb's client-side address: with the VIP itself as the source
	# (the default toward a local VIP) the replies would be addressed to
	# the VIP, and the VIP guard drops those (docs/architecture.md).
	got=$(nsxt lb /usr/bin/python3 "$NAT_TOOL" tcpecho "$NAT_VIP" 35000 "$p" "$out" "$LB_CL_ADDR") ||
		vf_die "TCP echo from lb through $NAT_VIP:35000 failed"
	echo "$got"
	[ "$got" = "peer $NAT_VIP:35000" ] || vf_die "lb's TCP peer is not $NAT_VIP:35000"
	[ "$(sha "$p")" = "$(sha "$out")" ] || vf_die "TCP echo differs from what was sent"
	nat_counters_dump
	[ $(($(cnt b1 inet from_lb bytes) + $(cnt b2 inet from_lb bytes))) -ge 65536 ] ||
		vf_die "the backends got less than the payload from lb"
	[ "$(cnt lb inet fwd_to_be)" -eq 0 ] || vf_die "lb's own packets were counted as forwarded"
}

@test "nat: two backends share the flows" {
	local got b1 b2
	got=$(nsxt cl /usr/bin/python3 "$NAT_TOOL" spread 24 "$NAT_VIP" 35000) || vf_die "spread failed"
	[ "$got" = "echoed 24" ] || vf_die "not every flow was echoed: $got"
	nat_counters_dump
	b1=$(cnt b1 inet from_client)
	b2=$(cnt b2 inet from_client)
	echo "b1 $b1 b2 $b2"
	[ "$b1" -gt 0 ] && [ "$b2" -gt 0 ] || vf_die "one backend got all 24 flows ($b1 / $b2)"
	[ $((b1 + b2)) -eq 24 ] || vf_die "backends got $((b1 + b2)) packets for 24 datagrams"
}

@test "icmp: frag-needed about a reply reaches the NAT flow's backend, translated" {
	local be port fw0 fw1
	nsxt cl /usr/bin/python3 "$NAT_TOOL" udpecho-client 40200 "$NAT_VIP" 35000 \
		"$(payload q 100)" "$VF_DIR/q.echo" || vf_die "UDP echo failed"
	read -r be port < <(flow_backend udp 40200) || vf_die "no flow for port 40200"
	[ "$port" = 3389 ] || vf_die "flow backend port is $port"
	fw0=$(vj .icmp_forwarded stats)
	nsxt cl /usr/bin/python3 "$NAT_TOOL" frag-needed "$NAT_ROUTER" "$NAT_VIP" 35000 \
		"$CL_ADDR" 40200 1300 || vf_die "sending the ICMP error failed"
	local r
	r=b1
	[ "$be" = "$(nat_be 2)" ] && r=b2
	# The backend's UDP socket (backend:3389 <-> client:40200) took it:
	# only then does the backend learn the path MTU toward the client.
	wait_until 5 test "$(nat_pmtu "$r" "$CL_ADDR")" = 1300 ||
		vf_die "$r did not learn MTU 1300 toward the client: $(nsx "$r" ip route get "$CL_ADDR")"
	nat_counters_dump
	[ "$(cnt "$r" inet icmp_eth0)" -eq 1 ] || vf_die "$r did not get the ICMP error on eth0"
	fw1=$(vj .icmp_forwarded stats)
	[ $((fw1 - fw0)) -eq 1 ] || vf_die "icmp_forwarded grew by $((fw1 - fw0))"
}

@test "icmp: frag-needed about a reply reaches the encap flow's backend in the tunnel" {
	local be r
	# One datagram makes the flow (the backend's echo goes out unmatched).
	nsxt cl bash -c "exec 3<>/dev/udp/$VIP2/80; printf flow >&3" ||
		vf_die "UDP to $VIP2:80 failed"
	be=$(vj ".[] | select(.dst == \"$VIP2\") | .backend" flows) || vf_die "no encap flow"
	local sport
	sport=$(vj ".[] | select(.dst == \"$VIP2\") | .sport" flows)
	nsxt cl /usr/bin/python3 "$NAT_TOOL" frag-needed "$NAT_ROUTER" "$VIP2" 80 \
		"$CL_ADDR" "$sport" 1280 || vf_die "sending the ICMP error failed"
	r=b1
	[ "$be" = "$(nat_be 2)" ] && r=b2
	wait_until 5 test "$(nat_pmtu "$r" "$CL_ADDR")" = 1280 ||
		vf_die "$r did not learn MTU 1280 toward the client: $(nsx "$r" ip route get "$CL_ADDR")"
	nat_counters_dump
	[ "$(cnt "$r" inet icmp_tunl0)" -eq 1 ] || vf_die "$r did not get the ICMP error through tunl0"
}

@test "icmp: port unreachable from a NAT backend reaches the client from the VIP (ECONNREFUSED)" {
	local got
	got=$(nsxt cl /usr/bin/python3 "$NAT_TOOL" refused "$NAT_VIP" 35001) || vf_die "refused check failed"
	[ "$got" = refused ] || vf_die "the client's UDP socket saw: $got"
	nat_counters_dump
	[ "$(cnt cl inet icmp_from_vip)" -ge 1 ] || vf_die "the ICMP error did not come from the VIP"
	[ "$(cnt cl inet from_backend)" -eq 0 ] || vf_die "an untranslated ICMP error reached the client"
}

@test "icmp: echo requests to a VIP are not answered (the guard drops them); no-flow errors untouched" {
	local g0 g1
	g0=$(vj '.guard_drops.packets' stats) || vf_die "no guard"
	! pings cl "$NAT_VIP" 1 || vf_die "the VIP answered a ping"
	# An error about a flow that does not exist is left to the guard.
	nsxt cl /usr/bin/python3 "$NAT_TOOL" frag-needed "$NAT_ROUTER" "$NAT_VIP" 35000 \
		"$CL_ADDR" 40999 1300 || vf_die "sending the ICMP error failed"
	g1=$(vj '.guard_drops.packets' stats)
	[ $((g1 - g0)) -eq 2 ] || vf_die "guard drops grew by $((g1 - g0)), expected 2"
	nat_counters_dump
	[ "$(cnt b1 inet icmp_eth0)" -eq 0 ] && [ "$(cnt b2 inet icmp_eth0)" -eq 0 ] ||
		vf_die "a no-flow ICMP error reached a backend"
}

@test "nat: control plane refuses what does not apply, vipctl shows mode and backend port" {
	run vipctl_lb frontend add "$VIP2" tcp 81 pool p1 backend-port 80
	[ "$status" -ne 0 ] || vf_die "backend-port without mode nat accepted"
	run vipctl_lb frontend add "$NAT_VIP" tcp 36000 pool p1 mode nat encap ipip
	[ "$status" -ne 0 ] || vf_die "encap with mode nat accepted"
	echo "$output"
	# The kernel's check (vipctl cannot know the frontend's mode on a set).
	run vipctl_lb frontend set "$NAT_VIP" tcp 35000 encap ipip
	echo "$output"
	[ "$status" -ne 0 ] && [[ $output == *"encap does not apply to mode nat"* ]] ||
		vf_die "encap set on a NAT frontend was not refused by the kernel"
	run vipctl_lb frontend set "$NAT_VIP" tcp 35000 source 10.0.1.1
	[ "$status" -ne 0 ] && [[ $output == *"does not apply to mode nat"* ]] ||
		vf_die "source set on a NAT frontend was not refused"
	run vipctl_lb frontend add "$NAT_VIP" tcp 36000 pool p1 mode nat backend-port 0
	[ "$status" -ne 0 ] || vf_die "backend-port 0 accepted"
	# Port 0 frontend, no backend-port: the destination port is kept.
	vipctl_lb frontend add 192.168.1.112 tcp 0 pool p1 mode nat
	vj '.frontends[] | select(.vip == "192.168.1.112") | select(.mode == "nat")' show
	vipctl_lb frontend del 192.168.1.112 tcp 0
}
