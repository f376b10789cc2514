# shellcheck shell=bash disable=SC2034,SC2153
# SPDX-License-Identifier: GPL-2.0
#
# Dual-stack topology of selftests/ipv6.bats (helpers of lib/topo.bash:
# ns_of, nsx, bg, counters_dump, ...):
#
#   client (cl)  eth0 ------ eth0 lb (vipfwd) eth1 ---[ bridge in sw ]---+---------+---------+
#   fd00:1::2, 10.0.1.2     fd00:1::1        fd00:2::1                 b1 ::11    b2 ::12   rt ::254
#       |                   10.0.1.1         10.0.2.1                 VIPs on lo  VIPs on lo  |
#       +-- eth1 fd00:3::2, 10.0.3.2 ------------------------ fd00:3::1, 10.0.3.1 eth1 (rt) --+
#
# The client reaches the VIPs (fd00:100::100, 192.168.2.100) through lb.
# lb reaches the backends over IPv6 only (they have no IPv4 underlay
# address): IPv6-in-IPv6 for the IPv6 VIP, IPv4-in-IPv6 for the IPv4 VIP.
# Backends decapsulate both on ip6tnl0, ip6_tunnel's fallback device, in
# "mode any", own both VIPs on lo and answer the client directly through
# rt. Every link has MTU 1500, so the path MTU through the tunnel is 1460.
#
# What a stock Linux backend needs (set below):
#   - ip6_tunnel loaded (ip6tnl0 exists in every namespace), ip6tnl0 up and
#     `ip -6 tunnel change ip6tnl0 mode any` (its default, ip6ip6, drops
#     IPv4-in-IPv6);
#   - net.ipv4.conf.all.rp_filter=0 and net.ipv4.conf.ip6tnl0.rp_filter=0:
#     the inner IPv4 client address is not routed via ip6tnl0;
#   - the VIPs on lo (an address on lo is never answered for by ARP/ND on
#     eth0 with net.ipv4.conf.all.arp_ignore=1; IPv6 ND answers only for
#     addresses of the interface asked).
# No IPv6 sysctl is needed on the backend for IPv6-in-IPv6.
# For GUE over IPv6 the backends also run `ip fou add port $GUE6_PORT gue -6`
# (fou6): fou strips UDP and GUE and hands the inner packet to ip6tnl0.

VIP6=fd00:100::100
GUE6_PORT=5555
VIP6_V4BE=fd00:100::101		# an IPv6 VIP whose pool has an IPv4 backend
CL6=fd00:1::2
LB_CL6=fd00:1::1
LB6=fd00:2::1
RT6=fd00:2::254
CL_RET6=fd00:3::2
RT_CL6=fd00:3::1

# backend6 I: the underlay address of backend I.
backend6() { echo "fd00:2::$((10 + $1))"; }

# v6_setup ROLE FORWARDING IP-BATCH [NFT-RULES] [SYSCTL=VALUE...]: like
# ns_setup, with IPv6 on but quiet (no router solicitations, no DAD: every
# address is added nodad), reverse-path filtering off.
v6_setup() { ns_setup_family 6 "$@"; }

# topo6_up: build the topology above with two backends.
topo6_up() {
	local i b roles=(cl lb rt sw b1 b2)
	VF_NBACKENDS=2
	vf_modules
	modprobe -q ip6_tunnel 2>/dev/null || true
	modprobe -q fou6 2>/dev/null || true
	ns_add "${roles[@]}" || return 1
	{
		echo "link add eth0 netns $(ns_of cl) type veth peer name eth0 netns $(ns_of lb)"
		echo "link add eth1 netns $(ns_of cl) type veth peer name eth1 netns $(ns_of rt)"
		echo "link add eth1 netns $(ns_of lb) type veth peer name lb netns $(ns_of sw)"
		echo "link add eth0 netns $(ns_of rt) type veth peer name rt netns $(ns_of sw)"
		for i in 1 2; do
			echo "link add eth0 netns $(ns_of "b$i") type veth peer name b$i netns $(ns_of sw)"
		done
	} | ip -batch - || return 1
	{
		echo "link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0"
		for b in lb rt b1 b2; do
			echo "link set $b master br0 up"
		done
		echo "link set br0 up"
	} | ip -n "$(ns_of sw)" -batch - || return 1
	nsx sw sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6' || return 1

	v6_setup cl 0 "
		link set lo up
		addr add $CL_ADDR/24 dev eth0
		addr add $CL6/64 dev eth0 nodad
		addr add $CL_RET_ADDR/24 dev eth1
		addr add $CL_RET6/64 dev eth1 nodad
		link set eth0 up
		link set eth1 up
		route add $VIP/32 via $LB_CL_ADDR
		route add fd00:100::/64 via $LB_CL6" || return 1

	#   ip6ip6_out / ip4ip6_out  tunnel packets lb sends into the underlay
	#   vip6_src_pre             packets from the IPv6 VIP entering lb
	v6_setup lb 1 "
		link set lo up
		addr add $LB_CL_ADDR/24 dev eth0
		addr add $LB_CL6/64 dev eth0 nodad
		addr add $LB6/64 dev eth1 nodad
		link set eth0 up
		link set eth1 up" "
		table netdev vft {
			counter ip6ip6_out {}
			counter ip4ip6_out {}
			counter gue6_out {}
			chain c_eg {
				type filter hook egress device eth1 priority 0; policy accept;
				ip6 nexthdr 41 counter name ip6ip6_out
				ip6 nexthdr 4 counter name ip4ip6_out
				ip6 nexthdr udp udp dport $GUE6_PORT counter name gue6_out
			}
		}
		table inet vft {
			counter vip6_src_pre {}
			chain c_pre {
				type filter hook prerouting priority -450; policy accept;
				ip6 saddr $VIP6 counter name vip6_src_pre
			}
		}" || return 1

	#   vip_src_fwd  replies from either VIP on their way to the client
	v6_setup rt 1 "
		link set lo up
		addr add $RT6/64 dev eth0 nodad
		addr add $RT_CL_ADDR/24 dev eth1
		addr add $RT_CL6/64 dev eth1 nodad
		link set eth0 up
		link set eth1 up
		route add 10.0.1.0/24 via $CL_RET_ADDR
		route add fd00:1::/64 via $CL_RET6" "
		table inet vft {
			counter vip_src_fwd {}
			chain c_fwd {
				type filter hook forward priority 0; policy accept;
				ip6 saddr $VIP6 counter name vip_src_fwd
				ip saddr $VIP counter name vip_src_fwd
			}
		}" || return 1

	#   ip6ip6_in / ip4ip6_in  tunnel packets from lb arriving here
	#   vip_src_out            packets from either VIP leaving this backend
	for i in 1 2; do
		b=$(backend6 "$i")
		v6_setup "b$i" 0 "
			link set lo up
			addr add $VIP/32 dev lo
			addr add $VIP6/128 dev lo
			addr add $b/64 dev eth0 nodad
			link set eth0 up
			tunnel change ip6tnl0 mode any
			link set ip6tnl0 up
			fou add port $GUE6_PORT gue -6
			route add ::/0 via $RT6 dev eth0
			route add 0.0.0.0/0 via inet6 $RT6 dev eth0" "
			table netdev vft {
				counter ip6ip6_in {}
				counter ip4ip6_in {}
				counter gue6_in {}
				counter vip_src_out {}
				chain c_in {
					type filter hook ingress device eth0 priority 0; policy accept;
					ip6 saddr $LB6 ip6 nexthdr 41 counter name ip6ip6_in
					ip6 saddr $LB6 ip6 nexthdr 4 counter name ip4ip6_in
					ip6 saddr $LB6 udp dport $GUE6_PORT counter name gue6_in
				}
				chain c_eg {
					type filter hook egress device eth0 priority 0; policy accept;
					ip6 saddr $VIP6 counter name vip_src_out
					ip saddr $VIP counter name vip_src_out
				}
			}" net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
			net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.ip6tnl0.rp_filter=0 ||
			{
				vf_die "setting up backend $i failed (no ip6tnl0: is ip6_tunnel loadable?)"
				return 1
			}
	done
}

# echo_server ROLE TCP-PORT UDP-PORT: TCP echo on both VIPs' TCP-PORT, every
# answer starting with the backend's name on a line of its own; UDP echo on
# the IPv6 VIP's UDP-PORT.
echo_server() {
	# -t 30: after the client's FIN socat waits for cat to write the rest
	# (its default, 0.5 s, can cut the echo short on a loaded TCG host);
	# cat's exit ends the wait at once.
	bg "$1" "echo-$1-$2" socat -t 30 "TCP6-LISTEN:$2,ipv6only=0,reuseaddr,fork" \
		"SYSTEM:echo $1; exec cat"
	wait_listen "$1" tcp "*:$2"
	# Bound to the VIP: the answer must come from it. PIPE echoes in
	# socat itself: a shell and cat per datagram can take longer than
	# socat's 0.5 s after the datagram under load, and lose the answer.
	bg "$1" "uecho-$1-$3" socat "UDP6-RECVFROM:$3,bind=[$VIP6],reuseaddr,fork" PIPE
	wait_listen "$1" udp "[$VIP6]:$3"
}

# tcp_echo ROLE ADDR PORT IN OUT [SPORT]: send IN, store the answer in
# OUT. socat waits up to 60 s for the echo after sending all of IN; the
# whole exchange is bounded by 120 s (1 MB each way under TCG).
tcp_echo() {
	local bind=
	[ -z "${6:-}" ] || bind=",sourceport=$6"
	timeout 120 nsenter --net="/run/netns/$(ns_of "$1")" socat -t 60 -T 60 \
		- "TCP:$2:$3,connect-timeout=5$bind" <"$4" >"$5"
}

# udp_echo ROLE ADDR PORT IN OUT [SPORT]: one datagram, the echo into OUT.
udp_echo() {
	udp_echo_wait "$1" "$2" "$3" "$4" "$5" "${6:-}" 4096
}

# check_echo IN OUT: OUT is one name line, then IN byte for byte; prints
# the name.
check_echo() {
	local name
	name=$(head -n 1 "$2")
	tail -c +"$((${#name} + 2))" "$2" >"$2.body"
	cmp -s "$1" "$2.body" || {
		vf_die "echo differs: $(stat -c %s "$1") bytes sent, $(stat -c %s "$2.body") back (after \"$name\")"
		return 1
	}
	echo "$name"
}
