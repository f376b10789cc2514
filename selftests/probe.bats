#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vipprobe drives failover: a guest cluster's floating IP (192.168.2.100,
# TCP 1433) follows the node that answers the probe port 59999, and an
# HTTP probe follows the status code a backend returns. vipprobe runs in
# the background against lb's namespace (-n) and is always killed at
# teardown (topo_down kills every recorded pid).

load lib/topo

VIPPROBE=${VIPPROBE:-$REPO/tool/vipprobe}

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	[ -x "$VIPPROBE" ] || vf_die "$VIPPROBE is not built"
	topo_init prb
}

teardown() {
	topo_down
}

# A tiny server, one process per node, no fork per connection:
#   tcp PORT PIDFILE         accept and close (a cluster node's probe port)
#   http PORT PIDFILE FILE   answer every request with the status code in FILE
# It writes its own pid to PIDFILE: the pid bg records is the subshell's.
server_py() {
	cat >"$VF_DIR/srv.py" <<'PY'
import os, socket, sys
mode, port = sys.argv[1], int(sys.argv[2])
with open(sys.argv[3], "w") as f:
    f.write("%d\n" % os.getpid())
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(64)
print("listening", flush=True)
while True:
    c, _ = s.accept()
    try:
        if mode == "http":
            c.settimeout(5)
            req = b""
            while b"\r\n\r\n" not in req:
                d = c.recv(1024)
                if not d:
                    break
                req += d
            code = open(sys.argv[4]).read().strip()
            line = req.split(b"\r\n", 1)[0].decode(errors="replace")
            print("request", line, "->", code, flush=True)
            c.sendall(("HTTP/1.0 %s X\r\nContent-Length: 0\r\n\r\n" % code).encode())
    except OSError:
        pass
    c.close()
PY
}

# probe_listen ROLE PORT: TCP listener on PORT (all addresses).
probe_listen() {
	bg "$1" "probe-$1-$2" /usr/bin/python3 "$VF_DIR/srv.py" tcp "$2" "$VF_DIR/srv-$1-$2.pid"
	wait_listen "$1" tcp "0.0.0.0:$2"
}

# probe_unlisten ROLE PORT: stop that listener (the python process itself).
probe_unlisten() {
	local pid
	read -r pid <"$VF_DIR/srv-$1-$2.pid" || return 1
	kill "$pid"
	wait_until 10 pid_gone "$pid"
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

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

# all_land N NAME: N new connections to VIP:1433 are all answered by NAME.
all_land() {
	local i got
	for ((i = 0; i < $1; i++)); do
		got=$(tcp_ask cl "$VIP" 1433) || vf_die "connection $i failed"
		[ "$got" = "$2" ] || vf_die "connection $i landed on '$got', expected '$2'"
	done
}

@test "tcp probe: the floating IP follows the node that answers on 59999" {
	local b1 b2 t0 t1 ms seen line
	topo_up 2
	server_py
	b1=$(backend_addr 1)
	b2=$(backend_addr 2)
	vipctl_lb pool add sql probe tcp 59999 interval 1 fall 2 rise 1
	vipctl_lb backend add sql "$b1"
	vipctl_lb backend add sql "$b2"
	vipctl_lb frontend add "$VIP" tcp 1433 pool sql mode encap encap ipip
	name_server b1 1433 one
	name_server b2 1433 two
	probe_listen b1 59999

	# Before any verdict: unknown, no probe result yet.
	health_is sql "$b1" unknown || vf_die "b1 should start unknown, is $(health sql "$b1")"
	vipprobe_start -v
	wait_until 10 health_is sql "$b1" up || vf_die "b1 never went up"
	wait_until 10 health_is sql "$b2" down || vf_die "b2 never went down"
	all_land 6 one

	# The active node changes: the probe listener moves to b2 (b2 may
	# take over its port a moment before b1 lets go, as a cluster does).
	# The clock starts when b1's listener is told to stop.
	probe_listen b2 59999
	t0=$EPOCHREALTIME
	probe_unlisten b1 59999 || vf_die "cannot stop b1's probe listener"
	wait_until 10 health_is sql "$b1" down || vf_die "b1 never went down"
	wait_until 10 health_is sql "$b2" up || vf_die "b2 never went up"
	t1=$EPOCHREALTIME
	# When vipprobe pushed b1 down (its log's timestamp, same clock),
	# and when this test saw it (polling vipctl costs a lot under TCG).
	line=$(grep "backend $b1: down (" "$VF_DIR/vipprobe.log") ||
		vf_die "no down verdict for b1 in the log"
	grep -E "backend .*: (up|down) \(" "$VF_DIR/vipprobe.log" | sed 's/^/# /' >&3
	ms=$(( $(date -u -d "${line%%Z *}Z" +%s%3N) - ${t0/./} / 1000 ))
	seen=$(( (${t1/./} - ${t0/./}) / 1000 ))
	echo "# failover: b1 marked down $ms ms after its listener was stopped (seen by polling after $seen ms); limit interval*fall + interval + 1 s = 4000 ms" >&3
	[ "$ms" -le 4000 ] || vf_die "failover took $ms ms"
	all_land 6 two

	# One BACKEND_SET per transition: the log has exactly these verdicts.
	grep -q "backend $b1: up" "$VF_DIR/vipprobe.log"
	grep -q "backend $b2: down" "$VF_DIR/vipprobe.log"
	grep -q "backend $b1: down" "$VF_DIR/vipprobe.log"
	grep -q "backend $b2: up" "$VF_DIR/vipprobe.log"
	[ "$(grep -c ": up (\|: down (" "$VF_DIR/vipprobe.log")" -eq 4 ] ||
		vf_die "expected 4 transitions in the log"

	# A backend added later is probed at once (events, no polling), and
	# vipprobe stops cleanly on SIGTERM leaving the verdicts in place.
	vipctl_lb backend del sql "$b1"
	vipctl_lb backend add sql "$b1"
	wait_until 10 health_is sql "$b1" down || vf_die "re-added b1 not probed"
	kill -TERM "$PROBE_PID"
	wait_pid "$PROBE_PID" 10 || vf_die "vipprobe did not exit on SIGTERM"
	grep -q "the last verdicts stay in the kernel" "$VF_DIR/vipprobe.log"
	health_is sql "$b2" up
}

@test "restart does not flap: vipprobe resumes from the kernel's health" {
	local b1
	topo_up 1
	server_py
	b1=$(backend_addr 1)
	vipctl_lb pool add sql probe tcp 59999 interval 1 timeout 1 fall 2 rise 3
	vipctl_lb backend add sql "$b1"
	probe_listen b1 59999
	vipprobe_start
	wait_until 15 health_is sql "$b1" up || vf_die "b1 never went up"
	kill -TERM "$PROBE_PID"
	wait_pid "$PROBE_PID" 10
	health_is sql "$b1" up
	# Started again: b1 is up at once and stays up (no unknown/down detour).
	vipprobe_start
	vf_sleep 2.5
	health_is sql "$b1" up
	! grep -q "backend $b1: " "$VF_DIR/vipprobe.log" || vf_die "a restart changed b1's health"
	# SIGHUP re-reads the configuration, and changes nothing either.
	kill -HUP "$PROBE_PID"
	wait_until 10 grep -q "SIGHUP: reading the configuration again" "$VF_DIR/vipprobe.log" ||
		vf_die "no SIGHUP resync in the log"
	vf_sleep 1.5
	kill -0 "$PROBE_PID" || vf_die "vipprobe died on SIGHUP"
	health_is sql "$b1" up
	! grep -q "backend $b1: " "$VF_DIR/vipprobe.log" || vf_die "SIGHUP changed b1's health"
	# --once reports without changing the kernel.
	run "$VIPPROBE" -n "$(ns_of lb)" --once -j
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[0].ok' <<<"$output")" = true ]
	[ "$(jq -r '.[0].addr' <<<"$output")" = "$b1" ]
	[ "$(jq -r '.[0].type' <<<"$output")" = tcp ]
	[ "$(jq -r '.[0].port' <<<"$output")" = 59999 ]
}

@test "http probe: 500 marks down, 200 marks up, --once shows the code" {
	local b1
	topo_up 1
	server_py
	b1=$(backend_addr 1)
	echo 200 >"$VF_DIR/code"
	bg b1 http /usr/bin/python3 "$VF_DIR/srv.py" http 8080 "$VF_DIR/srv-http.pid" "$VF_DIR/code"
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
}
