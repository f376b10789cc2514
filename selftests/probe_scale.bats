#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vipprobe at scale: 10,000 backends probed every second (issue 4: "10,000
# backends at 1 s interval using under 5% of one core"). The backends are
# real addresses: a listener farm namespace (fm) owns all of 10.200.0.0/16
# through one local route (AnyIP) and one socket listens on 0.0.0.0:7000,
# so every probe is a real TCP handshake to that backend's own address,
# over a veth from lb, where vipfwd and vipprobe run.
#
#   lb 10.9.0.1 --veth-- 10.9.0.2 fm (local 10.200.0.0/16, listener :7000)
#
# Knobs: PROBE_SCALE_N (10000 backends), PROBE_SCALE_POOLS (10),
# PROBE_SCALE_SECONDS (20, the measuring window), PROBE_SCALE_MAX_CPU
# (the bound asserted, percent of one CPU; see the test for why).

load lib/topo

VIPPROBE=${VIPPROBE:-$REPO/tool/vipprobe}
N=${PROBE_SCALE_N:-10000}
NPOOLS=${PROBE_SCALE_POOLS:-10}
WINDOW=${PROBE_SCALE_SECONDS:-20}
INTERVAL=${PROBE_SCALE_INTERVAL:-1}
PORT=7000

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	[ -x "$VIPPROBE" ] || vf_die "$VIPPROBE is not built"
	topo_init psc
}

teardown() {
	# The generic diagnostics list every backend twice (vipctl show and
	# stats: 20,000 lines, minutes under TCG); say what matters instead.
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${VF_DIR:-}" ]; then
		echo "---- vipprobe.log (first and last lines) ----"
		head -n 5 "$VF_DIR/vipprobe.log" 2>/dev/null
		tail -n 20 "$VF_DIR/vipprobe.log" 2>/dev/null
		echo "---- farm.log ----"
		tail -n 5 "$VF_DIR/farm.log" 2>/dev/null
		BATS_TEST_COMPLETED=1
	fi
	topo_down
}

# The listener: accepts and closes as fast as it can, one process; the
# probes close with an RST, so nothing lingers.
farm_listener() {
	cat >"$VF_DIR/farm.py" <<'PY'
import os, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(65535)
accept, close = s._accept, os.close
while True:
    try:
        close(accept()[0])
    except OSError:
        pass
PY
	bg fm farm /usr/bin/python3 "$VF_DIR/farm.py" "$PORT"
	wait_listen fm tcp "0.0.0.0:$PORT"
}

# milli N: N thousandths as a decimal (1234 -> 1.234).
milli() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# cpu_ticks PID: utime + stime of PID, in clock ticks.
cpu_ticks() {
	local stat rest
	read -r stat <"/proc/$1/stat" || return 1
	rest=${stat##*) }	# the fields after "(comm) "
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $rest
	# $1 is field 3 (state): utime and stime are fields 14 and 15.
	echo $((${12} + ${13}))
}

@test "vipprobe: $N backends at 1 s interval, CPU of one core measured" {
	local i per first pid farm hz t0 t1 c0 c1 f0 f1 s0 s1 ups downs cpu_mc rate max
	ns_add lb fm
	ip -batch - <<-EOF
		link add eth0 netns $(ns_of lb) type veth peer name eth0 netns $(ns_of fm)
	EOF
	ns_setup lb 0 "
		link set lo up
		addr add 10.9.0.1/30 dev eth0
		link set eth0 up
		route add 10.200.0.0/16 via 10.9.0.2"
	# The farm counts the SYNs it gets on the probe port: the probe rate.
	ns_setup fm 0 "
		link set lo up
		addr add 10.9.0.2/30 dev eth0
		link set eth0 up
		route add local 10.200.0.0/16 dev lo" "
		table inet vft {
			counter syn {}
			chain c_in {
				type filter hook input priority 0; policy accept;
				tcp dport $PORT tcp flags & (syn | ack) == syn counter name syn
			}
		}" net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
	farm_listener
	farm=$BG_PID

	# NPOOLS pools, N backends in all: 10.200.0.1 upwards.
	per=$((N / NPOOLS))
	for ((i = 0; i < NPOOLS; i++)); do
		vipctl_lb pool add "p$i" probe tcp $PORT interval "$INTERVAL" timeout 1 fall 3 rise 1
		first=$((i * per + 1))
		nsx lb "$REPO/selftests/bench/probe-backends" "p$i" \
			"10.200.$((first / 256)).$((first % 256))" "$per"
	done
	[ "$(vj '[.pools[].backends | length] | add' pool show)" -eq "$N" ]

	bg lb vipprobe "$VIPPROBE"
	pid=$BG_PID
	# Warm-up: every backend has its first verdict (one log line each:
	# "up (successes 1: connected)").
	wait_until 120 grep -q "probing $N backends of $NPOOLS pools" "$VF_DIR/vipprobe.log" ||
		vf_die "vipprobe did not start"
	wait_until $((3 * INTERVAL + 120)) eval '[ "$(grep -c ": up (" "$VF_DIR/vipprobe.log")" -ge "$N" ]' ||
		vf_die "only $(grep -c ": up (" "$VF_DIR/vipprobe.log") of $N backends went up"
	vf_sleep 2

	hz=$(getconf CLK_TCK)
	t0=$EPOCHREALTIME
	c0=$(cpu_ticks "$pid")
	f0=$(cpu_ticks "$farm")
	s0=$(counter fm inet syn)
	vf_sleep "$WINDOW"
	t1=$EPOCHREALTIME
	c1=$(cpu_ticks "$pid")
	f1=$(cpu_ticks "$farm")
	s1=$(counter fm inet syn)

	kill -0 "$pid" || vf_die "vipprobe died"
	ups=$(grep -c ": up (" "$VF_DIR/vipprobe.log")
	downs=$(grep -c ": down (" "$VF_DIR/vipprobe.log" || true)
	# Integer arithmetic: wall time in ms; CPU in thousandths of a
	# percent of one core; CPU per probe in ns.
	local wall_ms=$(( (${t1/./} - ${t0/./}) / 1000 )) probes=$((s1 - s0)) fcpu_mc ns
	cpu_mc=$(( (c1 - c0) * 100000 * 1000 / hz / wall_ms ))
	fcpu_mc=$(( (f1 - f0) * 100000 * 1000 / hz / wall_ms ))
	rate=$(( probes * 1000 / wall_ms ))
	ns=$(( (c1 - c0) * 1000000000 / hz / (probes + 1) ))
	RESULT="backends=$N pools=$NPOOLS interval_s=$INTERVAL window_ms=$wall_ms probes=$probes probes_per_s=$rate"
	RESULT+=" vipprobe_cpu_pct=$(milli "$cpu_mc") vipprobe_ticks=$((c1 - c0)) hz=$hz"
	RESULT+=" cpu_us_per_probe=$(milli "$ns") listener_cpu_pct=$(milli "$fcpu_mc") up=$ups down=$downs"
	echo "# $RESULT" >&3
	if [ -n "${VIPFWD_VM_OUT:-}" ]; then
		echo "$RESULT" >>"$VIPFWD_VM_OUT/probe-scale.txt" || true
	fi

	# Every backend is probed about once an interval (the +-10 % jitter
	# averages out), and none went down: the farm kept up.
	[ "$rate" -ge $((N * 9 / 10 / INTERVAL)) ] || vf_die "only $rate probes/s for $N backends"
	[ "$rate" -le $((N * 12 / 10 / INTERVAL)) ] || vf_die "$rate probes/s for $N backends: too many"
	[ "$downs" -eq 0 ] || vf_die "$downs backends went down"
	max=${PROBE_SCALE_MAX_CPU:-5}
	[ "$cpu_mc" -lt $((max * 1000)) ] ||
		vf_die "vipprobe used $(milli "$cpu_mc")% of one core, limit $max%"
}
