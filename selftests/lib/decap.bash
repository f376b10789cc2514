# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: GPL-2.0
#
# Topology of selftests/decap.bats (host-side delivery), built on the
# helpers of topo.bash:
#
#   cl 10.0.1.2 --- 10.0.1.1 lb 10.0.2.1 ===(underlay, MTU 1600)=== 10.0.2.254 hv
#                   vipfwd: VIP -> IPIP to the guest's address              |
#                                                     vg1 10.0.4.1/32 ---- g1 10.0.4.11
#                                                     vg2 10.0.4.1/32 ---- g2 10.0.4.12
#   sx 10.0.5.2 ----------------------------------------- 10.0.5.1 hv (eth1)
#
# hv is the guests' hypervisor host: it routes 10.0.4.11/32 and
# 10.0.4.12/32 to their veths and runs vipctl decap. The guests own only
# the VIP on lo (no tunnel device up, arp_ignore=1 so nobody answers ARP
# for the VIP); their default route is hv, which sends replies to the
# client back through lb (direct server return past vipfwd). sx is a
# second sender: a stock ipip device with GUE encapsulation, and hand-made
# IPIP from a source outside every decap prefix (10.0.6.2).
#
# nft counters (table ... vft in each namespace):
#   hv netdev   ipip_in (eth0 ingress, IPIP), gue_in (eth1, UDP 6080),
#               vip_g1 / vip_g2 (egress of vg1 / vg2, daddr VIP)
#   hv inet     fwd_vip, fwd_ipip: what crossed hv's FORWARD hook
#   g1, g2      netdev vip_in (eth0 ingress, daddr VIP), tun_in (IPIP or
#               UDP 6080 arriving at eth0)

DC_G1=10.0.4.11
DC_G2=10.0.4.12
DC_HV_UL=10.0.2.254
DC_SX=10.0.5.2
DC_FOREIGN=10.0.6.2
DC_GUE_PORT=6080
DC_LB_NET=$VF_UL.0/24

dc_counter_roles=(hv g1 g2)

dc_topo_up() {
	local g
	vf_modules
	modprobe -q fou 2>/dev/null || true
	ns_add cl lb hv g1 g2 sx || return 1
	{
		echo "link add eth0 netns $(ns_of cl) type veth peer name eth0 netns $(ns_of lb)"
		echo "link add eth1 netns $(ns_of lb) type veth peer name eth0 netns $(ns_of hv)"
		echo "link add vg1 netns $(ns_of hv) type veth peer name eth0 netns $(ns_of g1)"
		echo "link add vg2 netns $(ns_of hv) type veth peer name eth0 netns $(ns_of g2)"
		echo "link add eth0 netns $(ns_of sx) type veth peer name eth1 netns $(ns_of hv)"
	} | ip -batch - || return 1

	ns_setup cl 0 "
		link set lo up
		addr add $CL_ADDR/24 dev eth0
		link set eth0 up
		route add default via $LB_CL_ADDR" || return 1

	ns_setup lb 1 "
		link set lo up
		addr add $LB_CL_ADDR/24 dev eth0
		addr add $LB_ADDR/24 dev eth1
		link set eth1 mtu 1600
		link set eth0 up
		link set eth1 up
		route add 10.0.4.0/24 via $DC_HV_UL" || return 1

	ns_setup hv 1 "
		link set lo up
		addr add $DC_HV_UL/24 dev eth0
		link set eth0 mtu 1600
		link set eth0 up
		addr add 10.0.5.1/24 dev eth1
		link set eth1 up
		addr add 10.0.4.1/32 dev vg1
		addr add 10.0.4.1/32 dev vg2
		link set vg1 up
		link set vg2 up
		route add $DC_G1/32 dev vg1
		route add $DC_G2/32 dev vg2
		route add 10.0.1.0/24 via $LB_ADDR" "
		table netdev vft {
			counter ipip_in {}
			counter gue_in {}
			counter vip_g1 {}
			counter vip_g2 {}
			chain c_in0 {
				type filter hook ingress device eth0 priority 0; policy accept;
				ip protocol 4 counter name ipip_in
			}
			chain c_in1 {
				type filter hook ingress device eth1 priority 0; policy accept;
				udp dport $DC_GUE_PORT counter name gue_in
			}
			chain c_g1 {
				type filter hook egress device vg1 priority 0; policy accept;
				ip daddr $VIP counter name vip_g1
			}
			chain c_g2 {
				type filter hook egress device vg2 priority 0; policy accept;
				ip daddr $VIP counter name vip_g2
			}
		}
		table inet vft {
			counter fwd_vip {}
			counter fwd_ipip {}
			chain c_fwd {
				type filter hook forward priority 0; policy accept;
				ip daddr $VIP counter name fwd_vip
				ip protocol 4 counter name fwd_ipip
			}
		}" || return 1

	for g in 1 2; do
		local a=$DC_G1
		((g == 2)) && a=$DC_G2
		ns_setup "g$g" 0 "
			link set lo up
			addr add $VIP/32 dev lo
			addr add $a/32 dev eth0
			link set eth0 up
			route add 10.0.4.1/32 dev eth0
			route add default via 10.0.4.1" "
			table netdev vft {
				counter vip_in {}
				counter tun_in {}
				chain c_in {
					type filter hook ingress device eth0 priority 0; policy accept;
					ip daddr $VIP counter name vip_in
					ip protocol 4 counter name tun_in
					udp dport $DC_GUE_PORT counter name tun_in
				}
			}" net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 ||
			return 1
	done

	ns_setup sx 0 "
		link set lo up
		addr add $DC_SX/24 dev eth0
		link set eth0 up
		route add 10.0.4.0/24 via 10.0.5.1" || return 1
}

# dc_cnt ROLE FAMILY NAME: packets of one counter.
dc_cnt() { counter "$@"; }

# dc_reset: zero every counter of hv and the guests.
dc_reset() {
	local r
	for r in "${dc_counter_roles[@]}"; do
		nsx "$r" nft reset counters >/dev/null || return 1
	done
}

vipctl_hv() { "$VIPCTL" -n "$(ns_of hv)" "$@"; }

# dc_rule PREFIX FIELD: a field of one decap rule (vipctl -j decap show).
dc_rule() {
	vipctl_hv -j decap show | jq -er ".decap[] | select(.prefix == \"$1\") | .$2"
}

dc_foreign() { vipctl_hv -j decap show | jq -er .dropped_foreign; }

dc_foreign_ge() { [ "$(dc_foreign)" -ge "$1" ]; }

# echo servers on VIP: TCP 7001 and UDP 7002, in ROLE.
dc_echo() {
	bg "$1" "echo-tcp-$1" socat "TCP-LISTEN:7001,bind=$VIP,reuseaddr,fork" PIPE
	bg "$1" "echo-udp-$1" socat "UDP-RECVFROM:7002,bind=$VIP,reuseaddr,fork" PIPE
	wait_listen "$1" tcp "$VIP:7001" && wait_listen "$1" udp "$VIP:7002"
}

# dc_tcp_echo ROLE FILE OUT: send FILE to VIP:7001, the echo into OUT
# (socat ends when the server closes; -t bounds the wait for the echo).
dc_tcp_echo() {
	timeout 60 nsenter --net="/run/netns/$(ns_of "$1")" \
		socat -t 40 - "TCP:$VIP:7001,connect-timeout=5" <"$2" >"$3"
}

# dc_udp_echo ROLE FILE OUT: FILE as 1000-byte datagrams to VIP:7002,
# each sent after the echo of the one before arrived (the server forks
# per datagram, which can take seconds under TCG), echoes into OUT.
dc_udp_echo() {
	udp_echo_wait "$1" "$VIP" 7002 "$2" "$3"
}

# dc_scapy_foreign N: N hand-made IPIP packets from sx, outer source
# $DC_FOREIGN (outside every decap prefix) to g1, inner UDP from the
# client to the VIP's echo port; sent through sx's kernel route by a raw
# socket (scapy builds them; importing it takes long under TCG).
dc_scapy_foreign() {
	timeout 180 nsenter --net="/run/netns/$(ns_of sx)" /usr/bin/python3 -c '
import socket, sys
from scapy.layers.inet import IP, UDP
from scapy.packet import Raw
outer_src, guest, cl, vip, n = sys.argv[1:6]
pkt = IP(src=outer_src, dst=guest) / IP(src=cl, dst=vip) / UDP(sport=5555, dport=7002) / Raw(b"x" * 100)
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
for _ in range(int(n)):
    s.sendto(bytes(pkt), (guest, 0))
' "$DC_FOREIGN" "$DC_G1" "$CL_ADDR" "$VIP" "$1"
}

# dc_poke_monitor: add and remove 10.0.9.9/32; true once the monitor
# started by the test (log monitor.log) has printed that.
dc_poke_monitor() {
	vipctl_hv decap add 10.0.9.9/32 && vipctl_hv decap del 10.0.9.9/32 || return 1
	vf_sleep 0.5
	grep -q "decap_del decap 10.0.9.9/32" "$VF_DIR/monitor.log"
}
