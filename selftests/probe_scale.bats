#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vipprobe at scale (issue 4: "10,000 backends at 1 s interval using under
# 5% of one core"). The backends are real addresses: a listener farm
# namespace (fm) owns all of 10.200.0.0/16 through one local route (AnyIP)
# and one socket listens on 0.0.0.0:7000, so every probe is a real TCP
# handshake to that backend's own address, over a veth from lb, where
# vipfwd and vipprobe run.
#
#   lb 10.9.0.1 --veth-- 10.9.0.2 fm (local 10.200.0.0/16, listener :7000)
#
# vipprobe is pinned to CPU 0; the farm's listener and its receive path
# (RPS) to CPU 1, so that the farm's kernel work is not charged to
# vipprobe (the VM kernel has no IRQ time accounting: softirq work counts
# for whichever task it interrupts). What is left in vipprobe's system
# time is its own: its system calls and its side of each handshake.
#
# The figure: vipprobe's utime + stime from /proc/PID/stat over a window
# of PROBE_SCALE_SECONDS, the probe rate from an nft counter of the SYNs
# the farm receives, and the CPU per probe.
#
# Under TCG (the test VM's default) every instruction is emulated: a probe
# costs about a hundred times its native CPU, and neither the VM's two
# vCPUs nor the farm can sustain 10,000 handshakes a second. There the
# test uses PROBE_SCALE_N (2,000) backends probed every PROBE_SCALE_INTERVAL
# (40) seconds, 50 probes/s: at 10,000 backends every 60 s (167/s) the
# emulated farm dropped SYNs in bursts on a quiet host too (31 of 10,000
# backends went down on connect timeouts), which is the farm's limit, not
# vipprobe's; the cost per probe does not depend on the number of
# backends (PROBE_SCALE_N=10000 PROBE_SCALE_INTERVAL=60 runs the big one).
# It bounds the CPU per probe: all of it (utime + stime,
# PROBE_SCALE_MAX_US, 4000 us under TCG; measured: about 1500) and the
# part in vipprobe's own code (utime, PROBE_SCALE_MAX_USER_US, 300 us
# under TCG; measured: about 65). An event loop that did per-backend work
# for each probe (a scan of 10,000 backends: milliseconds under TCG) or
# spun between probes fails these; a loaded host (other VMs on the same
# cores inflate a TCG guest's tick accounting) stays well inside them.
# With KVM or on a host the defaults are the issue's own: interval 1 s,
# under 5% of one core (PROBE_SCALE_MAX_CPU), 5 us per probe.
#
# vipprobe has two ways of making a TCP probe: --tcp-mode connect (a
# socket and a full handshake per probe; the fallback without CAP_NET_RAW)
# and --tcp-mode syn (the default; half-open: a SYN from one raw socket,
# the SYN-ACK read back through a BPF filter, our kernel's RST ends it).
# Both are measured natively at 10,000 backends every second by
# selftests/host/probe_cpu.bats (make check's host step); here, under TCG,
# they are measured at small scale and by ratio. Connect is
# measured at N backends as above. Syn is measured only at a small pool,
# PROBE_SCALE_SYN_N (300) backends every PROBE_SCALE_SYN_INTERVAL (5) s:
# keeps the VM run short (3,000 every 30 s measured 101 probes/s and
# 881 us of CPU per probe: PROBE_SCALE_SYN_N=3000 PROBE_SCALE_SYN_INTERVAL=30).
# Connect is measured again at that same
# small size, and the last test reports the ratio of their CPU per probe
# there. Besides vipprobe's own CPU each measurement reports
# the whole VM's busy CPU per probe (/proc/stat: every CPU, farm and
# softirqs included), which also catches kernel work done for vipprobe
# on the other CPU (its side of the SYN-ACK arrives there).
#
# Knobs: PROBE_SCALE_N (10000 backends; 2000 under TCG), PROBE_SCALE_POOLS (10),
# PROBE_SCALE_SYN_N (300), PROBE_SCALE_SYN_INTERVAL (5),
# PROBE_SCALE_SECONDS (20), PROBE_SCALE_INTERVAL, PROBE_SCALE_MAX_CPU
# (percent of one core), PROBE_SCALE_MAX_US and PROBE_SCALE_MAX_USER_US
# (CPU per probe).

load lib/topo

VIPPROBE=${VIPPROBE:-$REPO/tool/vipprobe}
N=${PROBE_SCALE_N:-10000}	# 2000 under TCG, below
NPOOLS=${PROBE_SCALE_POOLS:-10}
WINDOW=${PROBE_SCALE_SECONDS:-20}
SYN_N=${PROBE_SCALE_SYN_N:-300}
SYN_INTERVAL=${PROBE_SCALE_SYN_INTERVAL:-5}
PORT=7000
if [ "${VIPFWD_VM:-}" = 1 ] && [ "${VIPFWD_VM_ACCEL:-tcg}" = tcg ]; then
	TCG=1
	N=${PROBE_SCALE_N:-2000}
	INTERVAL=${PROBE_SCALE_INTERVAL:-40}
	MAX_CPU=${PROBE_SCALE_MAX_CPU:-100}
	MAX_US=${PROBE_SCALE_MAX_US:-4000}
	MAX_USER_US=${PROBE_SCALE_MAX_USER_US:-300}
else
	TCG=0
	INTERVAL=${PROBE_SCALE_INTERVAL:-1}
	MAX_CPU=${PROBE_SCALE_MAX_CPU:-5}
	MAX_US=${PROBE_SCALE_MAX_US:-5}
	MAX_USER_US=${PROBE_SCALE_MAX_USER_US:-5}
fi

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	[ -x "$VIPPROBE" ] || vf_die "$VIPPROBE is not built"
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs (vipprobe and the farm apart)"
	topo_init psc
}

teardown() {
	# The generic diagnostics list every backend twice (vipctl show and
	# stats: 20,000 lines, minutes under TCG): say what matters, then
	# drop lb's namespace (and with it the configuration) first.
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${VF_DIR:-}" ]; then
		echo "---- vipprobe.log: first and last lines ----"
		head -n 5 "$VF_DIR/vipprobe.log" 2>/dev/null
		tail -n 20 "$VF_DIR/vipprobe.log" 2>/dev/null
		echo "---- up/down lines: $(grep -c ': up (' "$VF_DIR/vipprobe.log") / $(grep -c ': down (' "$VF_DIR/vipprobe.log")"
		[ -z "${PROBE_PID:-}" ] || stop_pid "$PROBE_PID"
		ip netns del "$(ns_of lb)" 2>/dev/null || true
	fi
	topo_down
}

# milli N: N thousandths as a decimal (1234 -> 1.234).
milli() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# cpu_ticks PID: "utime stime" of PID, in clock ticks.
cpu_ticks() {
	local stat rest
	read -r stat <"/proc/$1/stat" || return 1
	rest=${stat##*) }	# the fields after "(comm) "
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $rest
	# $1 is field 3 (state): utime and stime are fields 14 and 15.
	echo "${12} ${13}"
}

# The listener (selftests/bench/probe-farm, shared with probe-host):
# accepts and closes as fast as it can.
farm_listener() {
	bg fm farm taskset -c 1 /usr/bin/python3 "$REPO/selftests/bench/probe-farm" "$PORT"
	wait_listen fm tcp "0.0.0.0:$PORT"
}

all_up() { [ "$(grep -c ": up (" "$VF_DIR/vipprobe.log")" -ge "$N" ]; }

# vm_busy: the whole VM's busy CPU so far, in clock ticks (all CPUs).
vm_busy() {
	local user nice system irq softirq steal
	read -r _ user nice system _ _ irq softirq steal _ </proc/stat
	echo $((user + nice + system + irq + softirq + steal))
}

# scale MODE BACKENDS INTERVAL TAG: the measurement with vipprobe
# --tcp-mode MODE, BACKENDS backends probed every INTERVAL seconds; the
# CPU per probe goes to ns.TAG for the ratio test. N and INTERVAL are
# local here, so all_up sees this run's N.
scale() {
	local mode=$1 N=$2 INTERVAL=$3 tag=$4 i per first hz t0 t1 u0 s0 u1 s1 y0 y1 ups downs wall_ms probes \
		cpu_mc user_mc rate ns user_ns result b0 b1 vm_ns
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
	# The farm's receive path on CPU 1 (sysfs of fm's own namespace).
	ip netns exec "$(ns_of fm)" sh -c 'echo 2 >/sys/class/net/eth0/queues/rx-0/rps_cpus'
	farm_listener

	# NPOOLS pools, N backends in all: 10.200.0.1 upwards.
	per=$((N / NPOOLS))
	for ((i = 0; i < NPOOLS; i++)); do
		vipctl_lb pool add "p$i" probe tcp $PORT interval "$INTERVAL" timeout 1 fall 3 rise 1
		first=$((i * per + 1))
		nsx lb "$REPO/selftests/bench/probe-backends" "p$i" \
			"10.200.$((first / 256)).$((first % 256))" "$per"
	done
	[ "$(vj '[.pools[].backends | length] | add' pool show)" -eq "$N" ]

	bg lb vipprobe taskset -c 0 "$VIPPROBE" --tcp-mode "$mode"
	PROBE_PID=$BG_PID
	wait_until 120 grep -q "probing $N backends of $NPOOLS pools (tcp: $mode)" "$VF_DIR/vipprobe.log" ||
		vf_die "vipprobe did not start"
	# Warm-up: every backend has its first verdict, one log line each
	# ("up (successes 1: connected)"); first probes are spread over one
	# interval.
	wait_until $((2 * INTERVAL + 120)) all_up ||
		vf_die "only $(grep -c ": up (" "$VF_DIR/vipprobe.log") of $N backends went up"
	vf_sleep 2

	hz=$(getconf CLK_TCK)
	t0=$EPOCHREALTIME
	read -r u0 s0 < <(cpu_ticks "$PROBE_PID")
	b0=$(vm_busy)
	y0=$(counter fm inet syn)
	vf_sleep "$WINDOW"
	t1=$EPOCHREALTIME
	read -r u1 s1 < <(cpu_ticks "$PROBE_PID")
	b1=$(vm_busy)
	y1=$(counter fm inet syn)

	kill -0 "$PROBE_PID" || vf_die "vipprobe died"
	ups=$(grep -c ": up (" "$VF_DIR/vipprobe.log")
	downs=$(grep -c ": down (" "$VF_DIR/vipprobe.log" || true)
	# Integer arithmetic: wall time in ms; CPU in thousandths of a
	# percent of one core; CPU per probe in ns.
	wall_ms=$(( (${t1/./} - ${t0/./}) / 1000 ))
	probes=$((y1 - y0))
	cpu_mc=$(( (u1 + s1 - u0 - s0) * 100000 * 1000 / hz / wall_ms ))
	user_mc=$(( (u1 - u0) * 100000 * 1000 / hz / wall_ms ))
	rate=$(( probes * 1000 / wall_ms ))
	ns=$(( (u1 + s1 - u0 - s0) * 1000000000 / hz / (probes > 0 ? probes : 1) ))
	user_ns=$(( (u1 - u0) * 1000000000 / hz / (probes > 0 ? probes : 1) ))
	vm_ns=$(( (b1 - b0) * 1000000000 / hz / (probes > 0 ? probes : 1) ))
	result="mode=$mode tcg=$TCG backends=$N pools=$NPOOLS interval_s=$INTERVAL window_ms=$wall_ms"
	result+=" probes=$probes probes_per_s=$rate cpu_pct=$(milli "$cpu_mc")"
	result+=" user_pct=$(milli "$user_mc") ticks_user=$((u1 - u0)) ticks_sys=$((s1 - s0)) hz=$hz"
	result+=" cpu_us_per_probe=$(milli "$ns") user_us_per_probe=$(milli "$user_ns")"
	result+=" vm_busy_us_per_probe=$(milli "$vm_ns") up=$ups down=$downs"
	echo "# $result" >&3
	# At 10,000 probes a second (the issue's load) this CPU per probe
	# is ns x 10^4 / 10^9 s a second = ns / 1000 percent of one core.
	echo "# => at 10000 probes/s this is $(milli "$ns")% of one core" >&3
	if [ -n "${VIPFWD_VM_OUT:-}" ]; then
		echo "$result" >>"$VIPFWD_VM_OUT/probe-scale.txt" || true
	fi
	echo "$ns $user_ns $vm_ns" >"$BATS_FILE_TMPDIR/ns.$tag"

	# Every backend is probed about once an interval (the +-10 % jitter
	# averages out), and none went down: the farm kept up.
	[ "$rate" -ge $((N * 9 / 10 / INTERVAL)) ] || vf_die "only $rate probes/s for $N backends"
	[ "$rate" -le $((N * 12 / 10 / INTERVAL)) ] || vf_die "$rate probes/s for $N backends: too many"
	[ "$downs" -eq 0 ] || vf_die "$downs backends went down"
	[ "$cpu_mc" -lt $((MAX_CPU * 1000)) ] ||
		vf_die "vipprobe used $(milli "$cpu_mc")% of one core, limit $MAX_CPU%"
	[ "$ns" -lt $((MAX_US * 1000)) ] ||
		vf_die "vipprobe used $(milli "$ns") us of CPU per probe, limit $MAX_US us"
	[ "$user_ns" -lt $((MAX_USER_US * 1000)) ] ||
		vf_die "vipprobe used $(milli "$user_ns") us of user CPU per probe, limit $MAX_USER_US us"
}

@test "vipprobe --tcp-mode connect: $N backends, CPU per probe and of one core measured" {
	scale connect "$N" "$INTERVAL" connect
}

@test "vipprobe --tcp-mode connect: $SYN_N backends (syn's size), CPU per probe measured" {
	scale connect "$SYN_N" "$SYN_INTERVAL" connect-small
}

@test "vipprobe --tcp-mode syn (the default): $SYN_N backends, CPU per probe measured" {
	scale syn "$SYN_N" "$SYN_INTERVAL" syn-small
}

@test "vipprobe: CPU per probe, syn against connect at $SYN_N backends" {
	local c s
	[ -s "$BATS_FILE_TMPDIR/ns.connect-small" ] && [ -s "$BATS_FILE_TMPDIR/ns.syn-small" ] ||
		vf_die "a measurement above failed"
	read -r -a c <"$BATS_FILE_TMPDIR/ns.connect-small"
	read -r -a s <"$BATS_FILE_TMPDIR/ns.syn-small"
	# Percent of connect's cost, for vipprobe's CPU, its user part and
	# the whole VM's, both modes at the same pool size and interval.
	result="syn_vs_connect backends=$SYN_N interval_s=$SYN_INTERVAL"
	result+=" cpu_pct=$((s[0] * 100 / (c[0] > 0 ? c[0] : 1))) user_pct=$((s[1] * 100 / (c[1] > 0 ? c[1] : 1)))"
	result+=" vm_busy_pct=$((s[2] * 100 / (c[2] > 0 ? c[2] : 1)))"
	echo "# $result" >&3
	if [ -n "${VIPFWD_VM_OUT:-}" ]; then
		echo "$result" >>"$VIPFWD_VM_OUT/probe-scale.txt" || true
	fi
}
