#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The flow table with real traffic (topology: selftests/lib/topo.bash):
# a full table degrades to the consistent hash alone, VIP traffic leaves no
# conntrack entry, "no-backend reject" answers with a RST or an ICMP port
# unreachable, and existing flows do what docs/architecture.md ("Flows
# during change") says when their backend is disabled, drained or goes
# down, and expire after the frontend's idle timeout.

load lib/topo

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init dp
}

teardown() {
	topo_down
}

# One value of `vipctl -j stats`.
stat_ns() { vj ".$1" stats; }

# send_udp_from ROLE SPORT PORT TEXT: one datagram from a fixed source
# port, so that every call is the same flow.
send_udp_from() {
	nsxt "$1" socat -u - "UDP-SENDTO:$VIP:$3,sourceport=$2,reuseaddr" <<<"$4"
}

# which_got FILE1 FILE2: 1 or 2, whichever file is not empty (only one).
which_got() {
	if [ -s "$1" ] && [ ! -s "$2" ]; then
		echo 1
	elif [ -s "$2" ] && [ ! -s "$1" ]; then
		echo 2
	else
		return 1
	fi
}

any_nonempty() { [ -s "$1" ] || [ -s "$2" ]; }
grep_file() { grep -q "$@" 2>/dev/null; }

# slow_tcp NAME FILE1 FILE2 PORT: one TCP connection from the client that
# sends FILE1, waits 4 s, sends FILE2, then closes. Sets SLOW_PID.
slow_tcp() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	bg cl "$1" bash -c '
		set -o pipefail
		{ cat "$1"; read -rt 4 <> <(:) || :; cat "$2"; } |
			socat -u - "TCP:$3:$4,connect-timeout=3"' slow "$2" "$3" "$VIP" "$4"
	SLOW_PID=$BG_PID
}

ct_count() { nsx lb cat /proc/sys/net/netfilter/nf_conntrack_count; }

@test "full flow table: new flows go by the consistent hash alone, counted, never dropped" {
	topo_up 2
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb backend add p1 "$(backend_addr 2)"
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	local o1=$VF_DIR/u1 o2=$VF_DIR/u2 i sp where be why
	udp_sink b1 5353 "$o1"
	udp_sink b2 5353 "$o2"
	vipctl_lb set flow-limit 2
	[ "$(stat_ns flow_limit)" -eq 2 ] || vf_die "flow limit not 2"

	# Eight flows (UDP: they stay tracked for the 240 s idle timeout), one
	# datagram each; the first two fit into the table.
	for ((i = 0; i < 8; i++)); do
		send_udp_from cl $((40000 + i)) 5353 "port$((40000 + i))"
	done
	all_arrived() { [ "$(cat "$o1" "$o2" | wc -l)" -eq 8 ]; }
	wait_until 20 all_arrived || vf_die "$(cat "$o1" "$o2" | wc -l) of 8 datagrams arrived"
	[ "$(stat_ns flow_count)" -eq 2 ] || vf_die "flow_count $(stat_ns flow_count), expected 2"
	[ "$(stat_ns table_full)" -eq 6 ] || vf_die "table_full $(stat_ns table_full), expected 6"
	[ "$(stat_ns drops.no_backend)" -eq 0 ] || vf_die "packets dropped"
	[ "$(stat_frontend udp 5353 new_flows)" -eq 2 ] || vf_die "new_flows != 2"

	# Each untracked flow went where the Maglev entry alone says, and a
	# tracked one where its flow says.
	for ((i = 0; i < 8; i++)); do
		sp=$((40000 + i))
		if grep -qx "port$sp" "$o1"; then where=$(backend_addr 1); else where=$(backend_addr 2); fi
		be=$(vj .backend explain udp "$CL_ADDR" "$sp" "$VIP" 5353)
		why=$(vj .why explain udp "$CL_ADDR" "$sp" "$VIP" 5353)
		echo "sport $sp: on $where, explain: $be ($why)"
		[ "$be" = "$where" ] || vf_die "sport $sp landed on $where, explain says $be"
		case $why in
		flow | table_full) ;;
		*) vf_die "sport $sp: explain says $why" ;;
		esac
	done

	# Lowering the limit evicts nothing; raising it tracks new flows again.
	vipctl_lb set flow-limit 1
	[ "$(stat_ns flow_count)" -eq 2 ] || vf_die "lowering the limit evicted flows"
	vipctl_lb set flow-limit 100
	send_udp_from cl 50000 5353 port50000
	wait_until 10 grep_file port50000 "$o1" "$o2" || vf_die "datagram after raising the limit lost"
	[ "$(stat_ns flow_count)" -eq 3 ] || vf_die "flow_count $(stat_ns flow_count), expected 3"
}

@test "VIP traffic creates no nf_conntrack entry while other forwarded traffic does" {
	modprobe nf_conntrack || skip "nf_conntrack not available"
	topo_up 1
	# A ct expression makes conntrack track everything in lb's namespace.
	nsx lb nft -f - <<-EOF
		table inet vfct {
			counter ct_new {}
			chain pre {
				type filter hook prerouting priority 0; policy accept;
				ct state new counter name ct_new
			}
			chain out {
				type filter hook output priority 0; policy accept;
				ct state new counter name ct_new
			}
		}
	EOF
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	local before uout
	before=$(ct_count)
	echo "conntrack entries in lb before: $before"

	tcp_through_vip cl 65536
	uout=$VF_DIR/udp
	udp_sink b1 5353 "$uout"
	send_udp_from cl 40000 5353 hello
	wait_until 10 grep_file hello "$uout" || vf_die "UDP through the VIP did not arrive"
	# lb's own connection to the VIP (LOCAL_OUT) too.
	tcp_through_vip lb 65536

	[ "$(ct_count)" -eq "$before" ] ||
		vf_die "conntrack count $before -> $(ct_count) after VIP traffic: $(nsx lb conntrack -L 2>&1)"
	[ "$(nsx lb conntrack -C)" -eq "$before" ] || vf_die "conntrack -C disagrees"
	[ "$(stat_frontend tcp 1433 packets)" -gt 0 ] || vf_die "vipfwd did not carry the TCP"

	# The control: forwarded non-VIP traffic is tracked, so the check above
	# could have failed.
	pings cl "$(backend_addr 1)" 1 || vf_die "ping through lb failed"
	[ "$(ct_count)" -gt "$before" ] || vf_die "conntrack does not track in lb: the test proves nothing"
}

@test "no-backend reject: TCP gets a RST (refused at once), UDP an ICMP port unreachable" {
	topo_up 1
	vipctl_lb pool add empty
	vipctl_lb frontend add "$VIP" tcp 1433 pool empty no-backend reject
	vipctl_lb frontend add "$VIP" udp 5353 pool empty no-backend reject
	vipctl_lb frontend add "$VIP" tcp 1434 pool empty
	[ "$(vj '.frontends[] | select(.port == 1433) | .no_backend' show)" = reject ]

	local t0
	t0=$SECONDS
	run nsxt cl socat -u "TCP:$VIP:1433,connect-timeout=8" STDOUT
	echo "tcp 1433: status $status: $output"
	[ "$status" -ne 0 ] || vf_die "connect succeeded without a backend"
	[[ $output == *"Connection refused"* ]] || vf_die "no RST: $output"
	[ $((SECONDS - t0)) -lt 8 ] || vf_die "refusal took $((SECONDS - t0)) s"

	# shellcheck disable=SC2016
	run nsxt cl python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.connect((sys.argv[1], 5353))
s.send(b"hello")
try:
    s.recv(100)
    print("data")
except ConnectionRefusedError:
    print("refused")
except socket.timeout:
    print("timeout")' "$VIP"
	echo "udp 5353: $output"
	[ "$output" = refused ] || vf_die "UDP: expected ICMP port unreachable, got '$output'"
	[ "$(stat_ns rejected)" -ge 2 ] || vf_die "rejected $(stat_ns rejected) < 2"

	# The default drops silently: the connect times out.
	run nsxt cl socat -u "TCP:$VIP:1434,connect-timeout=2" STDOUT
	echo "tcp 1434: status $status: $output"
	[ "$status" -ne 0 ] && [[ $output != *"refused"* ]] || vf_die "drop answered: $output"
	[ "$(stat_ns drops.no_backend)" -ge 3 ] || vf_die "no_backend drops not counted"
}

@test "a disabled backend's UDP flow is rescheduled to another backend" {
	topo_up 2
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb backend add p1 "$(backend_addr 2)"
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	local o1=$VF_DIR/u1 o2=$VF_DIR/u2 n other
	udp_sink b1 5353 "$o1"
	udp_sink b2 5353 "$o2"

	send_udp_from cl 40000 5353 first
	wait_until 10 any_nonempty "$o1" "$o2" || vf_die "first datagram arrived nowhere"
	n=$(which_got "$o1" "$o2") || vf_die "first datagram arrived twice"
	other=$((3 - n))
	[ "$(vj 'length' flows)" -eq 1 ] || vf_die "not one flow"
	[ "$(vj '.[0].backend' flows)" = "$(backend_addr "$n")" ] || vf_die "flow not on b$n"

	# Same flow again: same backend.
	send_udp_from cl 40000 5353 second
	wait_until 10 grep_file second "$VF_DIR/u$n" || vf_die "second datagram did not follow the flow"

	vipctl_lb backend set p1 "$(backend_addr "$n")" state disabled
	send_udp_from cl 40000 5353 third
	wait_until 10 grep_file third "$VF_DIR/u$other" || vf_die "third datagram not rescheduled to b$other"
	! grep -q third "$VF_DIR/u$n" || vf_die "third datagram reached the disabled backend"
	[ "$(stat_ns rescheduled)" -eq 1 ] || vf_die "rescheduled $(stat_ns rescheduled) != 1"
	[ "$(vj '.[0].backend' flows)" = "$(backend_addr "$other")" ] || vf_die "flow not moved"
	[ "$(vj 'length' flows)" -eq 1 ] || vf_die "the flow was duplicated"
}

@test "draining keeps an established TCP connection byte for byte; new ones go elsewhere" {
	topo_up 2
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb backend add p1 "$(backend_addr 2)"
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	local p1 p2 o1=$VF_DIR/t1 o2=$VF_DIR/t2 n other s1 s2
	p1=$(payload a 100000)
	p2=$(payload b 100000)
	bg b1 sink1 socat -u "TCP-LISTEN:1433,bind=$VIP,reuseaddr" "OPEN:$o1,creat,trunc"
	s1=$BG_PID
	wait_listen b1 tcp "$VIP:1433"
	bg b2 sink2 socat -u "TCP-LISTEN:1433,bind=$VIP,reuseaddr" "OPEN:$o2,creat,trunc"
	s2=$BG_PID
	wait_listen b2 tcp "$VIP:1433"

	slow_tcp slow "$p1" "$p2" 1433
	wait_until 20 any_nonempty "$o1" "$o2" || vf_die "the connection reached no backend"
	n=$(which_got "$o1" "$o2") || vf_die "data on both backends"
	other=$((3 - n))
	vipctl_lb backend set p1 "$(backend_addr "$n")" state draining
	[ "$(vj ".pools[].backends[] | select(.addr == \"$(backend_addr "$n")\") | .flows" show)" -eq 1 ] ||
		vf_die "draining backend does not report its flow"

	wait_pid "$SLOW_PID" "$VF_T" || vf_die "the slow connection failed"
	if [ "$n" = 1 ]; then wait_pid "$s1" "$VF_T"; else wait_pid "$s2" "$VF_T"; fi ||
		vf_die "the backend did not see the end of the stream"
	cat "$p1" "$p2" >"$VF_DIR/all"
	[ "$(sha "$VF_DIR/all")" = "$(sha "$VF_DIR/t$n")" ] ||
		vf_die "b$n got $(stat -c %s "$VF_DIR/t$n") bytes, not the 200000 sent, or different ones"
	[ ! -s "$VF_DIR/t$other" ] || vf_die "b$other got part of the drained connection"
	[ "$(stat_ns rescheduled)" -eq 0 ] || vf_die "a flow was rescheduled"

	# A new connection avoids the draining backend.
	tcp_send cl "$p1" "$VIP" 1433
	if [ "$n" = 1 ]; then wait_pid "$s2" "$VF_T"; else wait_pid "$s1" "$VF_T"; fi ||
		vf_die "the new connection did not reach b$other"
	[ "$(sha "$p1")" = "$(sha "$VF_DIR/t$other")" ] || vf_die "b$other got a different payload"
}

@test "health down: TCP flows stay, UDP flows move (frontend default)" {
	topo_up 2
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	vipctl_lb frontend add "$VIP" udp 5353 pool p1
	[ "$(vj '.frontends[0].on_health_down' show)" = default ]
	local p1 p2 o=$VF_DIR/t1 u1=$VF_DIR/u1 u2=$VF_DIR/u2 s1
	p1=$(payload a 100000)
	p2=$(payload b 100000)
	bg b1 sink1 socat -u "TCP-LISTEN:1433,bind=$VIP,reuseaddr" "OPEN:$o,creat,trunc"
	s1=$BG_PID
	wait_listen b1 tcp "$VIP:1433"
	udp_sink b1 5353 "$u1"
	udp_sink b2 5353 "$u2"

	# Both flows start on b1, the only backend; a second backend joins
	# without moving them.
	slow_tcp slow "$p1" "$p2" 1433
	send_udp_from cl 40000 5353 first
	wait_until 10 grep_file first "$u1" || vf_die "UDP did not reach b1"
	wait_until 20 file_size_is "$o" 100000 || vf_die "TCP did not reach b1"
	vipctl_lb backend add p1 "$(backend_addr 2)"
	send_udp_from cl 40000 5353 second
	wait_until 10 grep_file second "$u1" || vf_die "adding b2 moved the UDP flow"

	vipctl_lb backend health p1 "$(backend_addr 1)" down
	send_udp_from cl 40000 5353 third
	wait_until 10 grep_file third "$u2" || vf_die "UDP flow not rescheduled to b2"
	! grep -q third "$u1" || vf_die "UDP still reached b1 (down)"

	wait_pid "$SLOW_PID" "$VF_T" || vf_die "the TCP connection broke"
	wait_pid "$s1" "$VF_T" || vf_die "b1 did not see the end of the stream"
	cat "$p1" "$p2" >"$VF_DIR/all"
	[ "$(sha "$VF_DIR/all")" = "$(sha "$o")" ] || vf_die "TCP stream on b1 differs"
	[ "$(stat_ns rescheduled)" -eq 1 ] || vf_die "rescheduled $(stat_ns rescheduled) != 1"
}

@test "a flow idle longer than the frontend's idle-timeout expires" {
	topo_up 1
	vipctl_lb pool add p1
	vipctl_lb backend add p1 "$(backend_addr 1)"
	vipctl_lb frontend add "$VIP" udp 5353 pool p1 idle-timeout 5
	[ "$(vj '.frontends[0].idle_timeout' show)" -eq 5 ]
	local u=$VF_DIR/u st
	udp_sink b1 5353 "$u"
	send_udp_from cl 40000 5353 first
	wait_until 10 grep_file first "$u" || vf_die "UDP did not arrive"
	# One read of everything: under TCG each vipctl run takes a while.
	st=$(vipctl_lb -j stats)
	echo "$st"
	[ "$(jq '.flow_count' <<<"$st")" -eq 1 ] || vf_die "no flow tracked"
	[ "$(jq '.backends[0].flows' <<<"$st")" -eq 1 ] || vf_die "backend reports no flow"
	[ "$(jq '.frontends[0].active_flows' <<<"$st")" -eq 1 ] ||
		vf_die "frontend reports no active flow"

	flow_gone() { [ "$(stat_ns flow_count)" -eq 0 ]; }
	wait_until 15 flow_gone || vf_die "flow still tracked after 15 s"
	[ "$(stat_backend "$(backend_addr 1)" flows)" -eq 0 ] || vf_die "backend still reports the flow"
	[ "$(stat_frontend udp 5353 new_flows)" -eq 1 ] || vf_die "new_flows != 1"

	# The same client again is a new flow.
	send_udp_from cl 40000 5353 second
	wait_until 10 grep_file second "$u" || vf_die "UDP after expiry did not arrive"
	[ "$(stat_frontend udp 5353 new_flows)" -eq 2 ] || vf_die "new_flows != 2 after expiry"
}
