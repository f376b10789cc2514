#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Host-side delivery (vipctl decap): on the backends' hypervisor host hv,
# IPIP from lb (inside the decap prefix) and GUE from a stock sender are
# decapsulated and the plain inner packet, still addressed to the VIP,
# goes to the guest by its own MAC address; the guests have only the VIP
# on lo. Tunnel packets from outside every prefix are dropped and counted;
# tunnel packets to hv itself reach hv's own stack; rules are bounded (64)
# and refused with the kernel's words. Topology:
# selftests/lib/decap.bash, built once for the file.

# jq programs are single-quoted on purpose.
# shellcheck disable=SC2016
load lib/topo
load lib/decap

setup_file() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init decap
	export VF_ID VF_DIR
	dc_topo_up || return 1
	# lb: one pool per guest, so each protocol's guest is known.
	vipctl_lb pool add pg1 &&
		vipctl_lb backend add pg1 "$DC_G1" &&
		vipctl_lb pool add pg2 &&
		vipctl_lb backend add pg2 "$DC_G2" &&
		vipctl_lb frontend add "$VIP" tcp 7001 pool pg1 &&
		vipctl_lb frontend add "$VIP" udp 7002 pool pg2 || return 1
	vipctl_hv decap add "$DC_LB_NET" || return 1
	vipctl_hv decap add 10.0.5.0/24 encap gue gue-port "$DC_GUE_PORT" || return 1
	dc_echo g1 && dc_echo g2
}

teardown_file() {
	topo_down
}

setup() {
	[ -e "/run/netns/$(ns_of hv)" ] || vf_die "the topology was not built (see setup_file)"
	dc_reset || vf_die "cannot reset the nft counters"
}

teardown() {
	[ -n "${BATS_TEST_COMPLETED:-}" ] || {
		topo_diag 2>&1
		echo "[hv] vipctl decap show"
		vipctl_hv decap show 2>&1
		echo "[hv] neighbours"
		ip -n "$(ns_of hv)" neigh
	} || true
}

@test "guests have no tunnel device up and only the VIP on lo" {
	local g
	for g in g1 g2; do
		run nsx "$g" ip -d -o link show up
		[ "$status" -eq 0 ]
		echo "$output"
		if grep -E ' (ipip|gre|gretap|sit|ip6tnl|vxlan|fou|ipip6)( |$)' <<<"$output"; then
			vf_die "$g has a tunnel device up"
		fi
		[ "$(nsx "$g" ip -o -4 addr show dev lo | grep -c "inet ")" -eq 2 ] ||
			vf_die "$g's lo should hold 127.0.0.1 and the VIP only"
	done
}

@test "TCP and UDP through the VIP reach the guests byte for byte, decapsulated on hv" {
	local p out u uout ipip0 ipip1 fwd
	ipip0=$(dc_rule "$DC_LB_NET" packets) || vf_die "decap show failed"
	p=$(payload p 65536)
	out=$VF_DIR/tcp-echo
	dc_tcp_echo cl "$p" "$out" || vf_die "TCP echo through the VIP failed"
	[ "$(sha "$p")" = "$(sha "$out")" ] ||
		vf_die "TCP echo: got $(stat -c %s "$out") bytes, sha256 differs"

	u=$(payload u 3000)
	uout=$VF_DIR/udp-echo
	dc_udp_echo cl "$u" "$uout" || vf_die "UDP echo through the VIP failed"
	[ "$(sha "$u")" = "$(sha "$uout")" ] ||
		vf_die "UDP echo: got $(stat -c %s "$uout") bytes, sha256 differs"

	# hv got IPIP from lb, sent plain VIP packets to both guests, and
	# nothing crossed its FORWARD hook; the guests saw no tunnel packet.
	local ipip_in vip_g1 vip_g2 g1_in g2_in
	ipip_in=$(dc_cnt hv netdev ipip_in)
	vip_g1=$(dc_cnt hv netdev vip_g1)
	vip_g2=$(dc_cnt hv netdev vip_g2)
	g1_in=$(dc_cnt g1 netdev vip_in)
	g2_in=$(dc_cnt g2 netdev vip_in)
	echo "hv ipip_in=$ipip_in vip_g1=$vip_g1 vip_g2=$vip_g2; g1 vip_in=$g1_in g2 vip_in=$g2_in"
	[ "$ipip_in" -gt 0 ] || vf_die "hv received no IPIP"
	[ "$vip_g1" -gt 0 ] || vf_die "hv sent g1 no VIP packet (TCP)"
	[ "$vip_g2" -ge 3 ] || vf_die "hv sent g2 fewer than the 3 UDP datagrams"
	[ "$g1_in" -eq "$vip_g1" ] || vf_die "g1 received $g1_in VIP packets, hv sent $vip_g1"
	[ "$g2_in" -eq "$vip_g2" ] || vf_die "g2 received $g2_in VIP packets, hv sent $vip_g2"
	[ "$(dc_cnt g1 netdev tun_in)" -eq 0 ] || vf_die "g1 received tunnel packets"
	[ "$(dc_cnt g2 netdev tun_in)" -eq 0 ] || vf_die "g2 received tunnel packets"
	fwd=$(dc_cnt hv inet fwd_vip)
	[ "$fwd" -eq 0 ] || vf_die "$fwd VIP packets crossed hv's FORWARD hook"
	[ "$(dc_cnt hv inet fwd_ipip)" -eq 0 ] || vf_die "hv forwarded IPIP as such"

	# Delivered by the guest's MAC: hv never asked who has the VIP.
	[ -z "$(ip -n "$(ns_of hv)" neigh show "$VIP")" ] ||
		vf_die "hv has a neighbour entry for the VIP"

	# The rule counted exactly what hv sent the guests.
	ipip1=$(dc_rule "$DC_LB_NET" packets)
	echo "decap $DC_LB_NET packets: $ipip0 -> $ipip1"
	[ $((ipip1 - ipip0)) -eq $((vip_g1 + vip_g2)) ] ||
		vf_die "decap counted $((ipip1 - ipip0)), hv sent $((vip_g1 + vip_g2))"
	[ "$(dc_rule "$DC_LB_NET" bytes)" -ge 65536 ] || vf_die "decap byte count < payload"
}

@test "IPIP toward a guest from outside every prefix is dropped and counted" {
	local f0 f1 r0 r1
	f0=$(dc_foreign) || vf_die "decap show failed"
	r0=$(dc_rule "$DC_LB_NET" packets)
	# Five hand-made IPIP packets, outer source 10.0.6.2, inner UDP from
	# the client to the VIP's echo port, sent through sx's kernel route.
	dc_scapy_foreign 5 || vf_die "scapy sender failed"
	wait_until 10 dc_foreign_ge $((f0 + 5)) || vf_die "dropped_foreign did not grow by 5"
	f1=$(dc_foreign)
	r1=$(dc_rule "$DC_LB_NET" packets)
	echo "dropped_foreign $f0 -> $f1; rule $r0 -> $r1"
	[ $((f1 - f0)) -eq 5 ] || vf_die "dropped_foreign grew by $((f1 - f0)), expected 5"
	[ "$r1" -eq "$r0" ] || vf_die "the rule counted foreign packets"
	[ "$(dc_cnt g1 netdev vip_in)" -eq 0 ] || vf_die "g1 got an inner packet"
	[ "$(dc_cnt g1 netdev tun_in)" -eq 0 ] || vf_die "g1 got the IPIP packet"
	[ "$(dc_cnt hv netdev vip_g1)" -eq 0 ] || vf_die "hv sent something to g1"
}

@test "IPIP addressed to hv itself still reaches hv's own tunl0" {
	local r0 f0
	r0=$(dc_rule "$DC_LB_NET" packets)
	f0=$(dc_foreign)
	ip -n "$(ns_of lb)" -batch - <<-EOF || vf_die "lb tunnel setup failed"
		link add th type ipip remote $DC_HV_UL local $LB_ADDR
		addr add 172.16.9.1/32 dev th
		link set th up
		route add 172.16.9.2/32 dev th
	EOF
	ip -n "$(ns_of hv)" -batch - <<-EOF || vf_die "hv tunl0 setup failed"
		link set tunl0 up
		addr add 172.16.9.2/32 dev lo
		route add 172.16.9.1/32 via $LB_ADDR
	EOF
	pings lb 172.16.9.2 2 || vf_die "hv did not answer a ping that came in IPIP"
	[ "$(dc_cnt hv netdev ipip_in)" -ge 2 ] || vf_die "the ping did not arrive as IPIP"
	[ "$(dc_rule "$DC_LB_NET" packets)" -eq "$r0" ] || vf_die "decap took a packet for hv itself"
	[ "$(dc_foreign)" -eq "$f0" ] || vf_die "a packet for hv itself was counted foreign"
	ip -n "$(ns_of lb)" link del th
	ip -n "$(ns_of hv)" link set tunl0 down
}

@test "GUE from a stock ipip/gue sender is decapsulated byte for byte" {
	local p out u uout g0 g1n vip_g2
	ip -n "$(ns_of sx)" -batch - <<-EOF || vf_die "cannot create the GUE sender (fou module?)"
		link add tg type ipip remote $DC_G2 local $DC_SX encap gue encap-sport auto encap-dport $DC_GUE_PORT
		link set tg up
		route add $VIP/32 dev tg src $DC_SX
	EOF
	g0=$(dc_rule 10.0.5.0/24 packets)
	p=$(payload pg 32768)
	out=$VF_DIR/gue-tcp
	dc_tcp_echo sx "$p" "$out" || vf_die "TCP echo over GUE failed"
	[ "$(sha "$p")" = "$(sha "$out")" ] || vf_die "TCP over GUE: sha256 differs"
	u=$(payload ug 2000)
	uout=$VF_DIR/gue-udp
	dc_udp_echo sx "$u" "$uout" || vf_die "UDP echo over GUE failed"
	[ "$(sha "$u")" = "$(sha "$uout")" ] || vf_die "UDP over GUE: sha256 differs"

	vip_g2=$(dc_cnt hv netdev vip_g2)
	g1n=$(dc_rule 10.0.5.0/24 packets)
	echo "hv gue_in=$(dc_cnt hv netdev gue_in) vip_g2=$vip_g2; rule $g0 -> $g1n"
	[ "$(dc_cnt hv netdev gue_in)" -gt 0 ] || vf_die "hv received no GUE"
	[ "$(dc_cnt g2 netdev tun_in)" -eq 0 ] || vf_die "g2 received GUE packets"
	[ "$(dc_cnt g2 netdev vip_in)" -eq "$vip_g2" ] || vf_die "g2 did not get what hv sent"
	[ $((g1n - g0)) -eq "$vip_g2" ] || vf_die "the GUE rule counted $((g1n - g0)), hv sent $vip_g2"
	ip -n "$(ns_of sx)" link del tg
}

@test "decap show, monitor events, del, and refusals" {
	local mon
	run vipctl_hv decap show
	echo "$output"
	[ "$status" -eq 0 ]
	grep -E "^decap $DC_LB_NET encap ipip +packets [0-9]+ bytes [0-9]+$" <<<"$output"
	grep -E "^decap 10.0.5.0/24 encap gue gue-port $DC_GUE_PORT +packets" <<<"$output"
	grep -E "^dropped \(source outside every prefix\): [0-9]+ packets$" <<<"$output"

	bg hv monitor "$VIPCTL" monitor
	mon=$BG_PID
	# Under TCG the monitor takes a while to subscribe: poke until it
	# prints something, then make the changes this test checks.
	wait_until 30 dc_poke_monitor || vf_die "vipctl monitor printed nothing"
	vipctl_hv decap add 10.0.7.0/24
	vipctl_hv decap del 10.0.7.0/24
	wait_until 10 grep -q "decap_del" "$VF_DIR/monitor.log" || true
	stop_pid "$mon"
	cat "$VF_DIR/monitor.log"
	grep -qx "decap_new decap 10.0.7.0/24 encap ipip" "$VF_DIR/monitor.log" ||
		vf_die "monitor did not print the add"
	grep -qx "decap_del decap 10.0.7.0/24 encap ipip" "$VF_DIR/monitor.log" ||
		vf_die "monitor did not print the del"

	# Refused by the kernel (extack printed verbatim), nothing changes.
	run vipctl_hv decap add "$DC_LB_NET" encap gue gue-port 1
	echo "$output"
	[ "$status" -eq 1 ]
	grep -E "decap prefix .*already exists" <<<"$output"
	run vipctl_hv decap del 10.0.8.0/24
	echo "$output"
	[ "$status" -eq 1 ]
	grep -E "no (such )?decap prefix" <<<"$output"
	# Refused by vipctl, quoting the bad token (exit 2, nothing sent).
	run vipctl_hv decap add 10.0.8.1/24
	[ "$status" -eq 2 ]
	grep -F '"10.0.8.1/24"' <<<"$output"
	run vipctl_hv decap add 10.0.8.0/24 gue-port 9
	[ "$status" -eq 2 ]
	[ "$(vipctl_hv -j decap show | jq '.decap | length')" -eq 2 ] || vf_die "a refused request changed the rules"

	# Bounded: 64 prefixes per namespace (2 above + 62 hosts), no 65th.
	local i
	for ((i = 1; i <= 62; i++)); do
		vipctl_hv decap add "10.1.0.$i" || vf_die "decap add 10.1.0.$i failed below the limit"
	done
	run vipctl_hv decap add 10.1.0.63
	echo "$output"
	[ "$status" -eq 1 ]
	grep -F "too many decap prefixes in this namespace (limit 64)" <<<"$output"
	[ "$(vipctl_hv -j decap show | jq '.decap | length')" -eq 64 ] || vf_die "not 64 rules at the limit"
	for ((i = 1; i <= 62; i++)); do
		vipctl_hv decap del "10.1.0.$i/32" || vf_die "decap del 10.1.0.$i/32 failed"
	done

	# del removes: the GUE rule goes, the IPIP one stays.
	vipctl_hv decap del 10.0.5.0/24
	run vipctl_hv -j decap show
	echo "$output"
	[ "$(jq '.decap | length' <<<"$output")" -eq 1 ]
	[ "$(jq -r '.decap[0].prefix' <<<"$output")" = "$DC_LB_NET" ]
	vipctl_hv decap del "$DC_LB_NET"
	[ "$(vipctl_hv -j decap show | jq '.decap | length')" -eq 0 ]

	# Without a rule hv decapsulates nothing: lb's IPIP is forwarded to g1
	# as IPIP, which g1 (no tunnel device) cannot use.
	dc_reset
	if nsxt cl socat -u - "TCP:$VIP:7001,connect-timeout=2" </dev/null; then
		vf_die "TCP connected without decap"
	fi
	[ "$(dc_cnt g1 netdev tun_in)" -gt 0 ] || vf_die "g1 did not get the IPIP packets as such"
	[ "$(dc_cnt g1 netdev vip_in)" -eq 0 ] || vf_die "g1 got a plain VIP packet without decap"
}
