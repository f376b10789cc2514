#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vipprobe drives failover: a guest cluster's floating IP (192.168.2.100,
# TCP 1433) follows the node that answers the probe port 59999, and an
# HTTP probe follows the status code a backend returns. vipprobe runs in
# the background against lb's namespace (-n) and is always killed at
# teardown (topo_down kills every recorded pid). Every pool probes each
# second: under TCG every case costs seconds of setup already.
#
# The scale figure (10,000 backends, CPU) is selftests/probe_scale.bats.

load lib/topo

VIPPROBE=${VIPPROBE:-$REPO/tool/vipprobe}

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	[ -x "$VIPPROBE" ] || vf_die "$VIPPROBE is not built"
	topo_init prb
	declare -gA SRV_PID=()
}

teardown() {
	topo_down
}

# A tiny TCP/HTTP server, one process per node (selftests/lib/probe_srv.py).
PROBE_SRV=$VF_LIB_DIR/probe_srv.py

# probe_listen ROLE PORT: TCP listener on PORT (all addresses). bg's pid
# is the python process itself (bg execs it).
probe_listen() {
	bg "$1" "probe-$1-$2" /usr/bin/python3 "$PROBE_SRV" tcp "$2"
	SRV_PID["$1-$2"]=$BG_PID
	wait_listen "$1" tcp "0.0.0.0:$2"
}

# probe_unlisten ROLE PORT: stop that listener (returns once it is gone).
probe_unlisten() {
	local pid=${SRV_PID["$1-$2"]:-}
	[ -n "$pid" ] || return 1
	stop_pid "$pid"
}

# echo_server ROLE PORT: echoes every TCP connection on VIP:PORT back.
echo_server() {
	bg "$1" "echo-$1-$2" socat "TCP-LISTEN:$2,bind=$VIP,reuseaddr,fork" PIPE
	wait_listen "$1" tcp "$VIP:$2"
}

# vipprobe_start ARGS...: vipprobe in the background, against lb by -n.
vipprobe_start() {
	"$VIPPROBE" -n "$(ns_of lb)" "$@" >"$VF_DIR/vipprobe.log" 2>&1 3>&- &
	PROBE_PID=$!
	echo "$PROBE_PID" >>"$VF_DIR/pids"
}

# health POOL ADDR: the backend's health as the kernel has it.
health() {
	vj ".pools[] | select(.name == \"$1\") | .backends[] | select(.addr == \"$2\") | .health" pool show "$1"
}

health_is() { [ "$(health "$1" "$2")" = "$3" ]; }

# log_ms LINE: a vipprobe log line's timestamp in ms since the epoch (the
# same clock as $EPOCHREALTIME).
log_ms() { date -u -d "${1%%Z *}Z" +%s%3N; }

# now_ms: $EPOCHREALTIME in ms.
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# all_land N NAME...: N new connections to VIP:1433 are all answered by
# one of the NAMEs (each NAME must answer at least one when N >= 4 and
# there are two NAMEs: 2 eligible backends both take flows).
all_land() {
	local n=$1 i got name hit=" "
	shift
	for ((i = 0; i < n; i++)); do
		got=$(tcp_ask cl "$VIP" 1433) || vf_die "connection $i failed"
		for name; do
			[ "$got" = "$name" ] && break
		done
		[ "$got" = "$name" ] || vf_die "connection $i landed on '$got', expected: $*"
		hit+="$got "
	done
	echo "# $n new connections answered by:$hit" >&3
}

# snmp ROLE FILE FIELD: a counter of ROLE's namespace from /proc/net/snmp
# or /proc/net/netstat (FILE), e.g. snmp b1 snmp Tcp:PassiveOpens.
snmp() {
	nsx "$1" awk -v want="$3" '{
		if (!($1 in hdr)) { hdr[$1] = 1; for (i = 2; i <= NF; i++) name[$1, i] = $i; next }
		for (i = 2; i <= NF; i++) if ($1 name[$1, i] == want) print $i
	}' "/proc/net/$2"
}

# once_detail ADDR: the detail of ADDR in a --once -j result ($output).
once_detail() { jq -r ".[] | select(.addr == \"$1\") | .detail" <<<"$output"; }

@test "tcp probe: the floating IP follows the node that answers on 59999" {
	local b1 b2 t0 t1 ms seen line evs
	topo_up 2
	b1=$(backend_addr 1)
	b2=$(backend_addr 2)
	bg lb monitor "$VIPCTL" -j monitor
	vipctl_lb pool add sql probe tcp 59999 interval 1 fall 2 rise 1
	vipctl_lb backend add sql "$b1"
	vipctl_lb backend add sql "$b2"
	vipctl_lb frontend add "$VIP" tcp 1433 pool sql mode encap encap ipip
	name_server b1 1433 one
	name_server b2 1433 two
	probe_listen b1 59999

	# Before any verdict: unknown, takes no new flows, and show says why.
	health_is sql "$b1" unknown || vf_die "b1 should start unknown, is $(health sql "$b1")"
	[ "$(vj ".pools[0].backends[] | select(.addr == \"$b1\") | .reason" pool show sql)" = \
		"health unknown: no probe result yet" ] || vf_die "no reason for unknown health"
	[ "$(vj ".pools[0].backends[] | select(.addr == \"$b1\") | .eligible" pool show sql)" = false ] ||
		vf_die "an unknown backend of a probed pool is eligible"
	run vipctl_lb show
	echo "$output"
	[[ $output == *"not eligible: health unknown: no probe result yet"* ]] ||
		vf_die "vipctl show does not say why"

	vipprobe_start -v
	wait_until 10 health_is sql "$b1" up || vf_die "b1 never went up"
	wait_until 10 health_is sql "$b2" down || vf_die "b2 never went down"
	all_land 6 one

	# The active node changes: the probe listener moves to b2 (b2 may
	# take over its port a moment before b1 lets go, as a cluster does).
	# The clock starts when b1's listener is told to stop.
	probe_listen b2 59999
	t0=$(now_ms)
	probe_unlisten b1 59999 || vf_die "cannot stop b1's probe listener"
	wait_until 10 health_is sql "$b1" down || vf_die "b1 never went down"
	wait_until 10 health_is sql "$b2" up || vf_die "b2 never went up"
	t1=$(now_ms)
	# When vipprobe pushed b1 down (its log's timestamp, same clock),
	# and when this test saw it (polling vipctl costs a lot under TCG).
	line=$(grep "backend $b1: down (" "$VF_DIR/vipprobe.log") ||
		vf_die "no down verdict for b1 in the log"
	grep -E "backend .*: (up|down) \(" "$VF_DIR/vipprobe.log" | sed 's/^/# /' >&3
	ms=$(($(log_ms "$line") - t0))
	seen=$((t1 - t0))
	echo "# failover: b1 marked down $ms ms after its listener was stopped (seen by polling after $seen ms); limit interval*fall + interval + 1 s = 4000 ms" >&3
	[ "$ms" -le 4000 ] || vf_die "failover took $ms ms"
	all_land 6 two

	# One BACKEND_SET per transition: the log has exactly these verdicts,
	# and vipctl monitor -j saw exactly one health event for each.
	grep -q "backend $b1: up" "$VF_DIR/vipprobe.log"
	grep -q "backend $b2: down" "$VF_DIR/vipprobe.log"
	grep -q "backend $b1: down" "$VF_DIR/vipprobe.log"
	grep -q "backend $b2: up" "$VF_DIR/vipprobe.log"
	[ "$(grep -c ": up (\|: down (" "$VF_DIR/vipprobe.log")" -eq 4 ] ||
		vf_die "expected 4 transitions in the log"
	cat "$VF_DIR/monitor.log"
	evs=$(jq -r "select(.event == \"backend_set\" and .addr == \"$b1\") | .health" \
		"$VF_DIR/monitor.log" | tr '\n' ' ')
	[ "$evs" = "up down " ] || vf_die "monitor saw b1's health events '$evs', expected 'up down'"
	evs=$(jq -r "select(.event == \"backend_set\" and .addr == \"$b2\") | .health" \
		"$VF_DIR/monitor.log" | tr '\n' ' ')
	[ "$evs" = "down up " ] || vf_die "monitor saw b2's health events '$evs', expected 'down up'"

	# A backend added later is probed at once (events, no polling), and
	# vipprobe stops cleanly on SIGTERM leaving the verdicts in place.
	vipctl_lb backend del sql "$b1"
	vipctl_lb backend add sql "$b1"
	wait_until 10 health_is sql "$b1" down || vf_die "re-added b1 not probed"
	kill -TERM "$PROBE_PID"
	wait_pid "$PROBE_PID" 10 || vf_die "vipprobe did not exit 0 on SIGTERM"
	grep -q "stopping; the last verdicts stay in the kernel" "$VF_DIR/vipprobe.log"
	health_is sql "$b2" up
	health_is sql "$b1" down
	all_land 2 two
}

@test "failover keeps an established connection to the old node, byte for byte" {
	local b1 b2
	# The flow table keeps a TCP flow on its backend when the backend's
	# health goes down; without it the flow's next packet would be
	# rescheduled to the new node, which resets the connection.
	topo_up 2
	b1=$(backend_addr 1)
	b2=$(backend_addr 2)
	vipctl_lb pool add sql probe tcp 59999 interval 1 fall 2 rise 1
	vipctl_lb backend add sql "$b1"
	vipctl_lb backend add sql "$b2"
	vipctl_lb frontend add "$VIP" tcp 1433 pool sql mode encap encap ipip
	echo_server b1 1433
	echo_server b2 1433
	probe_listen b1 59999
	vipprobe_start
	wait_until 10 health_is sql "$b1" up || vf_die "b1 never went up"
	wait_until 10 health_is sql "$b2" down || vf_die "b2 never went down"

	# A client session to the VIP, on b1: 64 KiB echoed and compared,
	# then it waits for "go" and does it again.
	cat >"$VF_DIR/session.py" <<'PY'
import os, socket, sys, time
vip, port, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((vip, port), timeout=10)
def exchange(tag):
    data = os.urandom(65536)
    s.sendall(data)
    got = b""
    while len(got) < len(data):
        d = s.recv(65536)
        if not d:
            sys.exit("%s: connection closed after %d bytes" % (tag, len(got)))
        got += d
    if got != data:
        sys.exit("%s: echo differs" % tag)
    print(tag, "ok", len(got), flush=True)
exchange("before")
while not os.path.exists(go):
    time.sleep(0.1)
exchange("after")
PY
	bg cl session /usr/bin/python3 "$VF_DIR/session.py" "$VIP" 1433 "$VF_DIR/go"
	local session=$BG_PID
	wait_until 20 grep -q "before ok" "$VF_DIR/session.log" || vf_die "the session did not start"

	# Failover while the session is open; b1 stays alive.
	probe_listen b2 59999
	probe_unlisten b1 59999
	wait_until 10 health_is sql "$b1" down || vf_die "b1 never went down"
	wait_until 10 health_is sql "$b2" up || vf_die "b2 never went up"
	touch "$VF_DIR/go"
	wait_pid "$session" 20 || vf_die "the session broke: $(cat "$VF_DIR/session.log")"
	grep -q "after ok 65536" "$VF_DIR/session.log"
	sed 's/^/# session: /' "$VF_DIR/session.log" >&3
}

@test "restart does not flap: vipprobe resumes from the kernel's health" {
	local b1
	topo_up 1
	b1=$(backend_addr 1)
	vipctl_lb pool add sql probe tcp 59999 interval 1 timeout 1 fall 2 rise 3
	vipctl_lb backend add sql "$b1"
	probe_listen b1 59999
	vipprobe_start
	wait_until 15 health_is sql "$b1" up || vf_die "b1 never went up"
	kill -TERM "$PROBE_PID"
	wait_pid "$PROBE_PID" 10 || vf_die "vipprobe did not exit 0 on SIGTERM"
	grep -q "stopping; the last verdicts stay in the kernel" "$VF_DIR/vipprobe.log"
	health_is sql "$b1" up
	# Started again: b1 is up at once and stays up (no unknown/down
	# detour: with rise 3 a restart from unknown would take 3 s).
	vipprobe_start
	vf_sleep 2.5
	health_is sql "$b1" up
	grep -q "probing 1 backends of 1 pools" "$VF_DIR/vipprobe.log"
	! grep -q "backend $b1: " "$VF_DIR/vipprobe.log" || vf_die "a restart changed b1's health"
	# SIGHUP re-reads the configuration (a change the event stream
	# also saw is then found again, not duplicated), and changes nothing.
	vipctl_lb backend set sql "$b1" weight 7
	kill -HUP "$PROBE_PID"
	wait_until 10 grep -q "SIGHUP: reading the configuration again" "$VF_DIR/vipprobe.log" ||
		vf_die "no SIGHUP resync in the log"
	vf_sleep 1.5
	kill -0 "$PROBE_PID" || vf_die "vipprobe died on SIGHUP"
	health_is sql "$b1" up
	! grep -q "backend $b1: " "$VF_DIR/vipprobe.log" || vf_die "SIGHUP changed b1's health"
	# Stopping it while the backend fails: the kernel keeps "up" (the
	# last verdict), and the log says so.
	kill -INT "$PROBE_PID"
	wait_pid "$PROBE_PID" 10 || vf_die "vipprobe did not exit 0 on SIGINT"
	probe_unlisten b1 59999
	vf_sleep 1.5
	health_is sql "$b1" up
	# --once reports without changing the kernel.
	run "$VIPPROBE" -n "$(ns_of lb)" --once -j
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$(jq -r '.[0].ok' <<<"$output")" = false ]
	[ "$(jq -r '.[0].addr' <<<"$output")" = "$b1" ]
	[ "$(jq -r '.[0].type' <<<"$output")" = tcp ]
	[ "$(jq -r '.[0].port' <<<"$output")" = 59999 ]
	[ "$(jq -r '.[0].health' <<<"$output")" = up ]
	health_is sql "$b1" up
	probe_listen b1 59999
	run "$VIPPROBE" -n "$(ns_of lb)" --once -j
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[0].ok' <<<"$output")" = true ]
}

@test "http probe: 500 marks down, 200 marks up, a slow reply times out" {
	local b1 line
	topo_up 1
	b1=$(backend_addr 1)
	echo 200 >"$VF_DIR/code"
	bg b1 http /usr/bin/python3 "$PROBE_SRV" http 8080 "$VF_DIR/code"
	wait_listen b1 tcp "0.0.0.0:8080"
	vipctl_lb pool add web probe http 8080 path /health expect 200-299 interval 1 timeout 1 fall 2 rise 1
	vipctl_lb backend add web "$b1"
	vipprobe_start
	wait_until 10 health_is web "$b1" up || vf_die "200 did not make it up"
	grep -q "request GET /health HTTP/1.0" "$VF_DIR/http.log"

	echo 500 >"$VF_DIR/code"
	wait_until 10 health_is web "$b1" down || vf_die "500 did not make it down"
	grep -q "backend $b1: down (failures 2: HTTP 500 not in 200-299)" "$VF_DIR/vipprobe.log"

	run "$VIPPROBE" -n "$(ns_of lb)" --once -j
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$(jq -r '.[0].ok' <<<"$output")" = false ]
	[ "$(jq -r '.[0].detail' <<<"$output")" = "HTTP 500 not in 200-299" ]

	echo 200 >"$VF_DIR/code"
	wait_until 10 health_is web "$b1" up || vf_die "200 did not bring it back up"

	# A reply later than the pool's 1 s timeout is a failure: the
	# connection succeeds, the status line does not come in time.
	echo "sleep 2.5 200" >"$VF_DIR/code"
	wait_until 15 health_is web "$b1" down || vf_die "a slow reply did not make it down"
	line=$(grep "backend $b1: down (" "$VF_DIR/vipprobe.log" | tail -n 1)
	echo "$line"
	[[ $line == *"(failures 2: timeout waiting for reply)" ]] ||
		vf_die "down for the wrong reason: $line"
	echo 200 >"$VF_DIR/code"
	wait_until 15 health_is web "$b1" up || vf_die "did not recover after the slow replies"
}

@test "tiers: the standby takes new flows only while every tier-0 node is down; a SYN-dropping node costs one timeout per probe" {
	local b1 b2 b3 t0 ms line n
	topo_up 3
	b1=$(backend_addr 1)
	b2=$(backend_addr 2)
	b3=$(backend_addr 3)
	vipctl_lb pool add sql probe tcp 59999 interval 1 timeout 0.5 fall 3 rise 1
	vipctl_lb backend add sql "$b1" tier 0
	vipctl_lb backend add sql "$b2" tier 0
	vipctl_lb backend add sql "$b3" tier 1
	vipctl_lb frontend add "$VIP" tcp 1433 pool sql mode encap encap ipip
	name_server b1 1433 one
	name_server b2 1433 two
	name_server b3 1433 three
	probe_listen b1 59999
	probe_listen b2 59999
	probe_listen b3 59999
	vipprobe_start -v
	wait_until 10 health_is sql "$b1" up || vf_die "b1 never went up"
	wait_until 10 health_is sql "$b2" up || vf_die "b2 never went up"
	wait_until 10 health_is sql "$b3" up || vf_die "b3 never went up"
	# The standby is healthy, yet takes nothing while tier 0 has nodes.
	all_land 8 one two

	# b1 silently drops SYNs to its probe port: every probe waits for the
	# whole 0.5 s timeout, and the third failure in a row marks it down.
	t0=$(now_ms)
	nsx b1 nft -f - <<-EOF
		table inet synblock {
			chain c_in {
				type filter hook input priority -10; policy accept;
				tcp dport 59999 tcp flags & (syn | ack) == syn drop
			}
		}
	EOF
	wait_until 10 health_is sql "$b1" down || vf_die "b1 never went down"
	line=$(grep "backend $b1: down (" "$VF_DIR/vipprobe.log") || vf_die "no verdict in the log"
	ms=$(($(log_ms "$line") - t0))
	echo "# SYN drop: b1 marked down $ms ms after the rule (fall 3 x interval 1 s + 1 s + 1 s slack = 5000 ms)" >&3
	[ "$ms" -le 5000 ] || vf_die "b1 went down after $ms ms"
	[[ $line == *"(failures 3: timeout waiting for connect)" ]] || vf_die "wrong reason: $line"
	# Exactly fall (3) failed probes of b1 in a row before the verdict.
	n=$(sed -n "/backend $b1: down (/q; /backend $b1: probe /p" "$VF_DIR/vipprobe.log" |
		tail -n 3 | grep -c "probe failed: timeout waiting for connect")
	[ "$n" -eq 3 ] || vf_die "expected 3 timed-out probes before the verdict, saw $n"
	# One attempt costs one timeout: --once measures it.
	run "$VIPPROBE" -n "$(ns_of lb)" --once -j
	echo "$output"
	[ "$status" -eq 3 ]
	ms=$(jq -r ".[] | select(.addr == \"$b1\") | .ms" <<<"$output")
	echo "# SYN drop: one probe attempt took $ms ms (timeout 500 ms)" >&3
	[ "$(jq -r ".[] | select(.addr == \"$b1\") | .detail" <<<"$output")" = "timeout waiting for connect" ]
	[ "$ms" -ge 500 ] && [ "$ms" -lt 1500 ] || vf_die "a timed-out attempt took $ms ms"
	[ "$(jq -r ".[] | select(.addr == \"$b2\") | .ok" <<<"$output")" = true ]

	# b2 is left in tier 0: everything goes there, still nothing to b3.
	all_land 4 two
	# Now every tier-0 node is down: the standby takes new flows.
	probe_unlisten b2 59999
	wait_until 10 health_is sql "$b2" down || vf_die "b2 never went down"
	all_land 4 three
	# b1 recovers: tier 0 has a node again and takes everything back.
	nsx b1 nft delete table inet synblock
	wait_until 10 health_is sql "$b1" up || vf_die "b1 never came back"
	all_land 4 one
	health_is sql "$b3" up
}

@test "tcp probe modes: syn is half-open and leaves nothing on the backend; connect completes the handshake" {
	local b1 b2 po0 po1 po2 rx0 rx1 n left
	topo_up 2
	b1=$(backend_addr 1)
	b2=$(backend_addr 2)
	vipctl_lb pool add sql probe tcp 59999 interval 1 timeout 1 fall 2 rise 1
	vipctl_lb backend add sql "$b1"
	vipctl_lb backend add sql "$b2"
	probe_listen b1 59999

	# connect(): one full handshake, counted by b1 as a passive open.
	po0=$(snmp b1 snmp Tcp:PassiveOpens)
	run "$VIPPROBE" -n "$(ns_of lb)" --once -j --tcp-mode connect
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$(once_detail "$b1")" = connected ]
	[ "$(once_detail "$b2")" = "connect: Connection refused" ]
	po1=$(snmp b1 snmp Tcp:PassiveOpens)
	[ "$((po1 - po0))" -eq 1 ] || vf_die "connect mode: $((po1 - po0)) passive opens on b1, expected 1"

	# syn: the same verdicts, from a SYN-ACK and an RST.
	run "$VIPPROBE" -n "$(ns_of lb)" --once -j --tcp-mode syn
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$(once_detail "$b1")" = SYN-ACK ]
	[ "$(once_detail "$b2")" = "connect: Connection refused" ]

	# The daemon in syn mode, several probes a backend: verdicts as ever,
	# and b1 never completes a handshake (no passive open) nor has to
	# retransmit a SYN-ACK (our kernel's RST reached it every time).
	rx0=$(snmp b1 netstat TcpExt:TCPSynRetrans)
	vipprobe_start -v --tcp-mode syn
	wait_until 10 health_is sql "$b1" up || vf_die "b1 never went up"
	wait_until 10 health_is sql "$b2" down || vf_die "b2 never went down"
	grep -q "probing 2 backends of 1 pools (tcp: syn)" "$VF_DIR/vipprobe.log"
	wait_until 15 eval '[ "$(grep -c "backend $b1: probe ok: SYN-ACK" "$VF_DIR/vipprobe.log")" -ge 5 ]' ||
		vf_die "fewer than 5 SYN-ACK probes of b1"
	stop_pid "$PROBE_PID"
	po2=$(snmp b1 snmp Tcp:PassiveOpens)
	rx1=$(snmp b1 netstat TcpExt:TCPSynRetrans)
	n=$(grep -c "backend $b1: probe ok: SYN-ACK" "$VF_DIR/vipprobe.log")
	echo "# syn mode: $n probes of b1, passive opens +$((po2 - po1)), SYN-ACK retransmits +$((rx1 - rx0))" >&3
	[ "$po2" -eq "$po1" ] || vf_die "syn mode completed $((po2 - po1)) handshakes on b1"
	[ "$rx1" -eq "$rx0" ] || vf_die "b1 retransmitted $((rx1 - rx0)) SYN-ACKs: a probe was left half-open"
	grep "backend $b2: probe failed: connect: Connection refused" "$VF_DIR/vipprobe.log" >/dev/null
	# No half-open or open connection lingers on b1's probe port. (The
	# connect-mode probe above may still show as FIN-WAIT-2 here: b1's
	# server closed first; that one is not syn mode's.)
	left=$(nsx b1 ss -Htan state syn-recv state established "( sport = :59999 )" || true)
	[ -z "$left" ] || vf_die "left on b1: $left"
}
