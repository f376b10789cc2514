#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vipfwd forwards real traffic: client -> lb (vipfwd) -> IPIP -> backend,
# the backend answers the client directly (direct server return). Topology
# and counters: selftests/lib/topo.bash. Needs the module loaded (the VM
# runner does it) and runs as root.

load lib/topo

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init fwd
}

teardown() {
	topo_down
}

# lb_pool N: pool p1 with backends 1..N, frontend VIP tcp 1433 -> p1.
lb_pool() {
	local i
	vipctl_lb pool add p1
	for ((i = 1; i <= $1; i++)); do
		vipctl_lb backend add p1 "$(backend_addr "$i")"
	done
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
}

@test "256 KiB over TCP reach the backend byte-identical on a VIP-bound socket, replies bypass lb" {
	topo_up 1
	lb_pool 1
	tcp_through_vip cl 262144

	# The listener was bound to the VIP only (tcp_sink checked it listens on
	# exactly 192.168.2.100:1433); socat names both ends of the connection
	# it accepted: the VIP locally, the client's own address as the peer.
	grep -E "accepting connection from AF=2 $CL_ADDR:[0-9]+ on AF=2 $VIP:1433\$" \
		"$VF_DIR/sink-b1-1433.log" ||
		vf_die "backend's accepted connection is not client -> VIP:1433"

	# Direct server return: the replies (from the VIP) went b1 -> rt -> client,
	# lb never saw one; lb did send IPIP packets carrying at least the payload.
	counters_dump
	[ "$(cnt lb inet vip_src_pre)" -eq 0 ] || vf_die "a reply from the VIP entered lb"
	[ "$(cnt lb inet vip_src_fwd)" -eq 0 ] || vf_die "lb forwarded a reply from the VIP"
	[ "$(cnt rt inet vip_src_fwd)" -gt 0 ] || vf_die "no reply took the return path via rt"
	[ "$(cnt b1 netdev vip_src_out)" -gt 0 ] || vf_die "b1 sent no reply from the VIP"
	[ "$(cnt lb netdev ipip_out)" -gt 0 ] || vf_die "lb sent no IPIP packet"
	[ "$(cnt lb netdev ipip_out bytes)" -ge 262144 ] || vf_die "lb's IPIP bytes < payload"
	[ "$(cnt b1 netdev ipip_in bytes)" -ge 262144 ] || vf_die "b1 received < payload in IPIP"

	# vipfwd's own counters agree that it carried the payload.
	[ "$(stat_frontend tcp 1433 bytes)" -ge 262144 ] || vf_die "frontend byte counter < payload"
	[ "$(stat_backend "$(backend_addr 1)" packets)" -gt 0 ] || vf_die "backend packet counter is 0"
}

@test "a backend whose health is down gets nothing" {
	topo_up 2
	lb_pool 2
	local b1 b2 i got
	b1=$(backend_addr 1)
	b2=$(backend_addr 2)
	vipctl_lb backend health p1 "$b2" down
	name_server b1 1433 one
	name_server b2 1433 two

	# Eight connections (eight source ports): were health ignored, each would
	# have an even chance of landing on b2.
	for ((i = 0; i < 8; i++)); do
		got=$(tcp_ask cl "$VIP" 1433) || vf_die "connection $i failed"
		[ "$got" = one ] || vf_die "connection $i answered by '$got', expected b1 ('one')"
	done

	counters_dump
	[ "$(cnt b1 netdev ipip_in)" -gt 0 ] || vf_die "b1 got no IPIP packet"
	[ "$(cnt b2 netdev ipip_in)" -eq 0 ] || vf_die "b2 (health down) got IPIP packets"
	[ "$(stat_backend "$b1" packets)" -gt 0 ] || vf_die "vipctl stats: b1 packets = 0"
	[ "$(stat_backend "$b2" packets)" -eq 0 ] || vf_die "vipctl stats: b2 (down) packets > 0"
	[ "$(vj ".pools[].backends[] | select(.addr == \"$b2\") | .health" show)" = down ]
}

@test "a port with no frontend is not forwarded" {
	topo_up 1
	lb_pool 1
	local out st p
	p=$(payload p 4096)
	out=$VF_DIR/received
	# A listener on VIP:1434 that would accept if anything reached it.
	tcp_sink b1 1434 "$out"

	run tcp_send cl "$p" "$VIP" 1434
	echo "client: status $status: $output"
	[ "$status" -ne 0 ] || vf_die "connection to VIP:1434 (no frontend) succeeded"

	counters_dump
	[ "$(cnt lb netdev ipip_out)" -eq 0 ] || vf_die "lb encapsulated traffic for VIP:1434"
	[ "$(cnt b1 netdev ipip_in)" -eq 0 ] || vf_die "b1 received IPIP packets"
	! grep -q 'accepting connection' "$VF_DIR/sink-b1-1434.log" ||
		vf_die "b1 accepted a connection on VIP:1434"
	[ "$(stat_frontend tcp 1433 packets)" -eq 0 ] || vf_die "frontend tcp 1433 counted packets"
	st=$(vipctl_lb -j stats | jq -c '[.backends[].packets] | add')
	[ "$st" -eq 0 ] || vf_die "backend counters moved: $st"
}

@test "traffic to non-VIP addresses is untouched" {
	topo_up 1
	lb_pool 1
	vipctl_lb frontend add "$VIP" udp 0 pool p1
	local before after p out b1
	b1=$(backend_addr 1)
	before=$(vipctl_lb -j stats)

	pings cl "$b1" 3 || vf_die "client cannot ping $b1 through lb"

	# Same port as the frontend, but to the backend's own address.
	p=$(payload p 65536)
	out=$VF_DIR/received
	bg b1 plain socat -u "TCP-LISTEN:1433,bind=$b1,reuseaddr" "OPEN:$out,creat,trunc"
	wait_listen b1 tcp "$b1:1433"
	tcp_send cl "$p" "$b1" 1433
	wait_pid "$BG_PID" "$VF_T" || vf_die "the listener on $b1 did not see the end of the stream"
	[ "$(sha "$p")" = "$(sha "$out")" ] || vf_die "plain TCP to $b1 corrupted"

	counters_dump
	[ "$(cnt lb netdev ipip_out)" -eq 0 ] || vf_die "lb encapsulated non-VIP traffic"
	[ "$(cnt b1 netdev ipip_in)" -eq 0 ] || vf_die "b1 received IPIP packets"
	after=$(vipctl_lb -j stats)
	[ "$before" = "$after" ] || vf_die "vipctl stats changed: $before -> $after"
}

@test "UDP to a udp frontend arrives; UDP to a tcp-only frontend does not" {
	topo_up 1
	lb_pool 1
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	local p out out2 n
	# 32 datagrams of 1024 bytes, each a distinct line of random text, so
	# that they can be compared whatever order they arrive in (two CPUs may
	# reorder UDP; that is allowed).
	p=$VF_DIR/p
	head -c 24552 /dev/urandom | base64 -w 1023 >"$p"
	[ "$(stat -c %s "$p")" -eq 32768 ]
	out=$VF_DIR/received
	udp_sink b1 5353 "$out"
	udp_send cl "$p" "$VIP" 5353
	wait_until 10 file_size_is "$out" 32768 ||
		vf_die "backend got $(stat -c %s "$out") of 32768 bytes"
	cmp -s "$p" "$out" || echo "note: datagrams arrived in a different order"
	[ "$(sort "$p" | sha256sum)" = "$(sort "$out" | sha256sum)" ] ||
		vf_die "UDP payload differs"
	[ "$(stat_frontend udp 5353 packets)" -ge 32 ] || vf_die "frontend udp 5353 counted < 32 datagrams"

	# VIP:1433 is a tcp frontend: a UDP datagram to it is not vipfwd's.
	n=$(counter lb netdev ipip_out)
	out2=$VF_DIR/received-udp1433
	udp_sink b1 1433 "$out2"
	udp_send cl "$p" "$VIP" 1433
	vf_sleep 1
	counters_dump
	[ "$(cnt lb netdev ipip_out)" -eq "$n" ] || vf_die "UDP to a tcp frontend was encapsulated"
	[ ! -s "$out2" ] || vf_die "UDP to a tcp frontend reached the backend"
	[ "$(stat_frontend tcp 1433 packets)" -eq 0 ] || vf_die "tcp frontend counted UDP"
}

@test "LOCAL_OUT: the load balancer's own connection to the VIP reaches the backend" {
	topo_up 1
	lb_pool 1
	tcp_through_vip lb 65536
	grep -E "accepting connection from AF=2 $LB_ADDR:[0-9]+ on AF=2 $VIP:1433\$" \
		"$VF_DIR/sink-b1-1433.log" || vf_die "backend did not see lb -> VIP:1433"
	counters_dump
	[ "$(cnt lb netdev ipip_out bytes)" -ge 65536 ] || vf_die "lb's IPIP bytes < payload"
	[ "$(stat_frontend tcp 1433 bytes)" -ge 65536 ] || vf_die "frontend byte counter < payload"
}

@test "frontend del stops forwarding, frontend add restores it" {
	topo_up 1
	lb_pool 1
	local n got
	name_server b1 1433 one
	got=$(tcp_ask cl "$VIP" 1433) && [ "$got" = one ] ||
		vf_die "before del: answer '$got', expected 'one'"

	vipctl_lb frontend del "$VIP" tcp 1433
	[ "$(vj '.frontends | length' show)" -eq 0 ]
	n=$(counter b1 netdev ipip_in)
	run tcp_ask cl "$VIP" 1433
	echo "after del: status $status: $output"
	[ "$status" -ne 0 ] && [ "$output" != one ] || vf_die "VIP still answered after frontend del"
	[ "$(counter b1 netdev ipip_in)" -eq "$n" ] || vf_die "b1 got IPIP after frontend del"

	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	got=$(tcp_ask cl "$VIP" 1433) && [ "$got" = one ] ||
		vf_die "after re-add: answer '$got', expected 'one'"
}
