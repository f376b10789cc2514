#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Safety with traffic flowing: deleting a namespace that has vipfwd
# configuration, unloading and reloading the module; health flips moving
# new connections. The kernel log must stay clean (the VM runner checks
# the whole log too). The module is reloaded from $VIPFWD_KO (default
# module/vipfwd.ko) and is loaded again at the end whatever happens, so
# later suites keep working.

load lib/topo

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init life
	dmesg_mark
}

teardown() {
	vipfwd_load || echo "could not insmod $VIPFWD_KO again" >&2
	topo_down
}

# config_and_flood: pool p1 -> b1, frontends tcp 1433 and udp 5353, sinks on
# b1, and three endless streams through vipfwd: TCP and UDP from the client
# (PRE_ROUTING), TCP from lb itself (LOCAL_OUT). Returns once lb's IPIP
# counter is moving.
config_and_flood() {
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	bg b1 tsink socat -u "TCP-LISTEN:1433,bind=$VIP,reuseaddr,fork" OPEN:/dev/null
	wait_listen b1 tcp "$VIP:1433"
	bg b1 usink socat -u "UDP-RECV:5353,bind=$VIP" OPEN:/dev/null
	wait_listen b1 udp "$VIP:5353"
	flood cl tflood tcp "$VIP" 1433
	flood cl uflood udp "$VIP" 5353
	flood lb lflood tcp "$VIP" 1433
	LFLOOD_PID=$BG_PID
	# Both TCP streams are established on b1, through vipfwd.
	wait_until 20 b1_streams 2 || vf_die "b1 does not have both TCP streams"
	wait_until 20 ipip_out_above 100 || vf_die "the floods do not go through vipfwd"
}

ipip_out_above() { [ "$(counter lb netdev ipip_out)" -gt "$1" ]; }
b1_streams() { [ "$(nsx b1 ss -Htn state established "sport = :1433" | wc -l)" -eq "$1" ]; }

@test "deleting the load balancer's namespace with configuration and traffic flowing" {
	topo_up 1
	config_and_flood
	local old_cl
	old_cl=$(ns_of cl)

	ip netns del "$(ns_of lb)"
	# The namespace lives on while lb's own sender is in it: stop it, so the
	# namespace is torn down now, under the client's flood.
	stop_pid "$LFLOOD_PID"
	# lb's end of the client link going away means its namespace is being
	# dismantled (vipfwd's per-namespace state with it).
	wait_until 30 bash -c "! ip -n $old_cl link show eth0 >/dev/null 2>&1" ||
		vf_die "lb's namespace was not dismantled"
	vf_sleep 2
	dmesg_clean_since || vf_die "kernel log after deleting the namespace"

	# A fresh topology in new namespaces works and starts with no
	# configuration: nothing leaked from the dead namespace.
	topo_down
	topo_init life2
	topo_up 1
	[ "$(vipctl_lb -j show | jq -c '[.frontends, .pools]')" = '[[],[]]' ] ||
		vf_die "a new namespace inherited configuration"
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	name_server b1 1433 one
	[ "$(tcp_ask cl "$VIP" 1433)" = one ] || vf_die "forwarding broken after the namespace deletion"
	dmesg_clean_since
}

@test "rmmod and insmod with configuration and traffic flowing" {
	topo_up 1
	config_and_flood

	rmmod vipfwd || vf_die "rmmod vipfwd failed with configuration and traffic"
	! vipfwd_loaded || vf_die "vipfwd still loaded after rmmod"

	# Nothing is encapsulated any more: the IPIP counter stands still.
	local n1 n2
	vf_sleep 0.5
	n1=$(counter lb netdev ipip_out)
	vf_sleep 1.5
	n2=$(counter lb netdev ipip_out)
	[ "$n1" -eq "$n2" ] || vf_die "IPIP packets still sent after rmmod ($n1 -> $n2)"
	dmesg_clean_since || vf_die "kernel log after rmmod"

	vipfwd_load || vf_die "insmod $VIPFWD_KO failed"
	# A new module starts empty: the configuration lived in the old one.
	[ "$(vipctl_lb -j show | jq -c '[.frontends, .pools]')" = '[[],[]]' ] ||
		vf_die "configuration survived the reload"

	# Configured again, it forwards again: a new UDP stream, and a new TCP
	# transfer that arrives intact.
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	vipctl_lb frontend add "$VIP" tcp 1435 pool p1
	flood cl uflood2 udp "$VIP" 5353
	wait_until 20 ipip_out_above "$((n2 + 50))" || vf_die "UDP is not forwarded after insmod"
	tcp_through_vip cl 65536 1435
	dmesg_clean_since
}

@test "health flips move new connections to the other backend" {
	topo_up 2
	local b1 b2 i got
	b1=$(backend_addr 1)
	b2=$(backend_addr 2)
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$b1"
	vipctl_lb backend add p1 "$b2"
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	name_server b1 1433 one
	name_server b2 1433 two

	# asks N WANT: N new connections (N source ports) all answered by WANT.
	asks() {
		for ((i = 0; i < $1; i++)); do
			got=$(tcp_ask cl "$VIP" 1433) || vf_die "connection $i failed"
			[ "$got" = "$2" ] || vf_die "connection $i answered by '$got', expected '$2'"
		done
	}

	vipctl_lb backend health p1 "$b2" down
	asks 6 one

	vipctl_lb backend health p1 "$b1" down
	vipctl_lb backend health p1 "$b2" up
	[ "$(vj ".pools[].backends[] | select(.addr == \"$b1\") | .eligible | tostring" show)" = false ]
	asks 6 two

	vipctl_lb backend health p1 "$b1" up
	vipctl_lb backend health p1 "$b2" down
	asks 3 one

	# Nobody up: no answer, and the drop is counted as "no backend".
	vipctl_lb backend health p1 "$b1" down
	run tcp_ask cl "$VIP" 1433
	echo "both down: status $status: $output"
	[ "$status" -ne 0 ] || vf_die "a connection succeeded with every backend down"
	[ "$(vj '.drops.no_backend' stats)" -gt 0 ] || vf_die "no-backend drops not counted"
	dmesg_clean_since
}
