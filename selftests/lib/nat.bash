# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: GPL-2.0
#
# NAT topology (selftests/nat.bats): the seeds' port forwarding, with the
# backends' replies routed back through lb.
#
#   client (cl)  eth0 ------ eth0  lb  eth1 ---[ bridge in "sw" ]---+---------+
#   10.0.1.2      10.0.1.1  vipfwd   10.10.20.1                  b1 .3     b2 .4
#   10.0.1.9 (a "router" on   192.168.1.111 on lo               default via lb
#    the client side)         (the external address)            VIP2 on lo, tunl0
#
# NAT frontends on 192.168.1.111 (NAT_VIP, local to lb as on a home
# router); an encap frontend on 192.168.2.100 (VIP2, routed to lb by the
# client) whose backends own VIP2 on lo and decapsulate on tunl0. The
# backends' default route is lb: every reply crosses it.
#
# nft counters (table vft):
#   cl  inet  from_nat_vip    packets from 192.168.1.111
#             from_backend    packets from 10.10.20.0/24 (never: translated)
#             icmp_from_vip   ICMP errors from 192.168.1.111
#   lb  inet  fwd_to_be       forwarded to a backend's port 3389/3390
#             fwd_from_be     forwarded from a backend (replies)
#             ct_seen         packets conntrack tracks (enables conntrack)
#   bN  inet  from_client     TCP/UDP from 10.0.1.2 to port 3389/3390
#             from_lb         TCP from lb's 10.0.1.1 to port 3389
#             icmp_eth0       ICMP dest-unreachable arriving on eth0
#             icmp_tunl0      ICMP dest-unreachable decapsulated on tunl0

load lib/topo

NAT_VIP=192.168.1.111
VIP2=192.168.2.100
NAT_ROUTER=10.0.1.9
NAT_TOOL=$VF_LIB_DIR/nat_tool.py

nat_be() { echo "10.10.20.$((2 + $1))"; }

# nat_topo_up: two backends.
nat_topo_up() {
	local i b
	VF_NBACKENDS=2
	vf_modules
	ns_add cl lb sw b1 b2 || return 1
	{
		echo "link add eth0 netns $(ns_of cl) type veth peer name eth0 netns $(ns_of lb)"
		echo "link add eth1 netns $(ns_of lb) type veth peer name lb netns $(ns_of sw)"
		for i in 1 2; do
			echo "link add eth0 netns $(ns_of "b$i") type veth peer name b$i netns $(ns_of sw)"
		done
	} | ip -batch - || return 1
	{
		echo "link add br0 type bridge stp_state 0 forward_delay 0"
		for b in lb b1 b2; do
			echo "link set $b master br0 up"
		done
		echo "link set br0 up"
	} | ip -n "$(ns_of sw)" -batch - || return 1

	ns_setup cl 0 "
		link set lo up
		addr add $CL_ADDR/24 dev eth0
		addr add $NAT_ROUTER/24 dev eth0
		link set eth0 up
		route add default via $LB_CL_ADDR" "
		table inet vft {
			counter from_nat_vip {}
			counter from_backend {}
			counter icmp_from_vip {}
			chain c_in {
				type filter hook input priority 0; policy accept;
				ip saddr $NAT_VIP counter name from_nat_vip
				ip saddr 10.10.20.0/24 counter name from_backend
				ip saddr $NAT_VIP icmp type destination-unreachable counter name icmp_from_vip
			}
		}" || return 1

	ns_setup lb 1 "
		link set lo up
		addr add $NAT_VIP/32 dev lo
		addr add $LB_CL_ADDR/24 dev eth0
		addr add 10.10.20.1/24 dev eth1
		link set eth0 up
		link set eth1 up" "
		table inet vft {
			counter fwd_to_be {}
			counter fwd_from_be {}
			counter ct_seen {}
			chain c_fwd {
				type filter hook forward priority 0; policy accept;
				ip daddr 10.10.20.0/24 th dport { 3389, 3390 } counter name fwd_to_be
				ip saddr 10.10.20.0/24 counter name fwd_from_be
			}
			chain c_ct {
				type filter hook prerouting priority 0; policy accept;
				ct state new,established,related counter name ct_seen
			}
		}" || return 1

	for i in 1 2; do
		b=$(nat_be "$i")
		ns_setup "b$i" 0 "
			link set lo up
			addr add $VIP2/32 dev lo
			addr add $b/24 dev eth0
			link set eth0 up
			link set tunl0 up
			route add default via 10.10.20.1" "
			table inet vft {
				counter from_client {}
				counter from_lb {}
				counter icmp_eth0 {}
				counter icmp_tunl0 {}
				chain c_pre {
					type filter hook prerouting priority 0; policy accept;
					ip saddr $CL_ADDR th dport { 3389, 3390 } counter name from_client
					ip saddr $LB_CL_ADDR tcp dport 3389 counter name from_lb
					iifname eth0 icmp type destination-unreachable counter name icmp_eth0
					iifname tunl0 icmp type destination-unreachable counter name icmp_tunl0
				}
			}" net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
			net.ipv4.conf.tunl0.rp_filter=0 || return 1
	done
}

# nat_ct_count: conntrack entries in lb's namespace.
nat_ct_count() {
	nsx lb cat /proc/sys/net/netfilter/nf_conntrack_count
}

# nat_pmtu ROLE DST: the path MTU ROLE has learned toward DST, or nothing.
nat_pmtu() {
	local out re="mtu ([0-9]+)"
	out=$(nsx "$1" ip route get "$2") || return 1
	[[ $out =~ $re ]] && echo "${BASH_REMATCH[1]}"
	return 0
}

# nat_counters_dump: counters_dump (lb, b1, b2) plus the client's counters.
nat_counters_dump() {
	local line name re_c="counter ([a-z_0-9]+)" re_v="packets ([0-9]+) bytes ([0-9]+)"
	counters_dump
	while read -r line; do
		if [[ $line =~ $re_c ]]; then
			name=${BASH_REMATCH[1]}
		elif [[ $line =~ $re_v ]]; then
			echo "counter cl inet $name packets=${BASH_REMATCH[1]} bytes=${BASH_REMATCH[2]}"
			VF_CNT["cl inet $name packets"]=${BASH_REMATCH[1]}
			VF_CNT["cl inet $name bytes"]=${BASH_REMATCH[2]}
		fi
	done < <(nsx cl nft list counters 2>/dev/null)
}
