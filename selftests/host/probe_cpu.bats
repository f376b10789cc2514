#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vipprobe's CPU at the scale issue 4 names (10,000 backends probed every
# second), measured on the host itself rather than in the emulated test
# VM: selftests/bench/probe-host runs tool/tests/vipprobe-nokernel
# (vipprobe with the module's netlink interface replaced by a stand-in
# that serves the backends; tool/tests/nokernel.c) against a listener farm
# namespace over a veth, vipprobe pinned to CPU 0 and the farm to CPU 1.
# Runs as root on the host (make check's "host" step), not in the VM.
#
# Bounds (CPU per probe, microseconds) are about twice what this kind of
# machine measured (docs/benchmarks.md, "vipprobe on the host"); the
# figures themselves are printed and compared with the issue's goal,
# 5% of one core = 5 us per probe at 10,000 probes a second.
#   PROBE_HOST_MAX_SYN_US (15), PROBE_HOST_MAX_CONNECT_US (80),
#   PROBE_HOST_MAX_WAKEUPS (150 a second: the loop gathers its wakeups
#   per 10 ms tick), PROBE_HOST_N (10000), PROBE_HOST_SECONDS (20).

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BIN=$REPO/tool/tests/vipprobe-nokernel
N=${PROBE_HOST_N:-10000}
WINDOW=${PROBE_HOST_SECONDS:-20}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs (vipprobe and the farm apart)"
	make -s -C "$REPO/tool" tests/vipprobe-nokernel >/dev/null
}

# measure MODE MAX_US: one probe-host run; its key=value line is in $result.
measure() {
	local mode=$1 max_us=$2 per wake pct
	run "$REPO/selftests/bench/probe-host" "$mode" "$N" 1000 "$WINDOW"
	echo "$output"
	[ "$status" -eq 0 ] || return 1
	result=$(grep '^mode=' <<<"$output")
	echo "# $result" >&3
	per=$(sed -n 's/.* cpu_us_per_probe=\([0-9]*\)\..*/\1/p' <<<"$result")
	wake=$(sed -n 's/.* wakeups_per_s=\([0-9]*\) .*/\1/p' <<<"$result")
	pct=$(sed -n 's/.* cpu_pct=\([0-9.]*\) .*/\1/p' <<<"$result")
	[ -n "$per" ] && [ -n "$wake" ] || { echo "no figures in: $result"; return 1; }
	# syn's figure is that of answers through the eBPF ring, the default,
	# unless this host allows no eBPF even to root (a seccomp filter, a
	# kernel without it): then it is the socket's, and says why.
	if [[ $result == *" answers=socket"* ]]; then
		grep -q '^probe-host: note: answers from the socket (no eBPF ring: ' <<<"$output" ||
			{ echo "answers from the socket, and no reason given"; return 1; }
		echo "# $(grep -m1 '^probe-host: note:' <<<"$output")" >&3
	fi
	if [ "$per" -lt 5 ]; then
		echo "# => $mode: $pct% of one core at 10,000 probes/s (goal: under 5%, met)" >&3
	else
		echo "# => $mode: $pct% of one core at 10,000 probes/s (goal: under 5%)" >&3
	fi
	[ "$per" -lt "$max_us" ] || { echo "$per us of CPU per probe, bound $max_us"; return 1; }
	[ "$wake" -le "${PROBE_HOST_MAX_WAKEUPS:-150}" ] ||
		{ echo "$wake wakeups a second, bound ${PROBE_HOST_MAX_WAKEUPS:-150}"; return 1; }
}

@test "vipprobe (syn, the default): $N backends every 1 s, CPU per probe and wakeups on the host" {
	measure syn "${PROBE_HOST_MAX_SYN_US:-15}"
}

@test "vipprobe --tcp-mode connect: $N backends every 1 s, CPU per probe and wakeups on the host" {
	measure connect "${PROBE_HOST_MAX_CONNECT_US:-80}"
}

# one_listener_script FILE: the start of a script for a private network
# namespace (unshare -n): one listener on 127.0.0.1:7001 for 30 s, and the
# stand-in's environment to probe it; the caller appends what it runs with
# vipprobe (the script's $1) and ends with "kill %1".
one_listener_script() {
	cat >"$1" <<'EOF'
set -e
ip link set lo up
python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 7001)); s.listen(64)
time.sleep(30)' &
sleep 1
export NOKERNEL_FIRST=127.0.0.1 NOKERNEL_BACKENDS=1 NOKERNEL_PORT=7001 NOKERNEL_INTERVAL_MS=200
EOF
}

# A private namespace with one listener on 127.0.0.1:7001, and vipprobe
# probing it with CAP_NET_RAW taken away: the default mode falls back
# to connect() and says so; --tcp-mode syn refuses to start.
@test "vipprobe without CAP_NET_RAW: the default falls back to connect, --tcp-mode syn says what is missing" {
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
	one_listener_script "$BATS_TEST_TMPDIR/t.sh"
	cat >>"$BATS_TEST_TMPDIR/t.sh" <<'EOF'
nocap="setpriv --inh-caps=-net_raw --bounding-set=-net_raw"
set +e
timeout --preserve-status -s TERM 2 $nocap "$1" -v 2>&1
echo "default-exit=$?"
$nocap "$1" --tcp-mode syn 2>&1
echo "syn-exit=$?"
kill %1
EOF
	run unshare -n bash "$BATS_TEST_TMPDIR/t.sh" "$BIN"
	echo "$output"
	[[ $output == *"half-open tcp probes unavailable (raw socket: Operation not permitted (needs CAP_NET_RAW)): using connect()"* ]]
	[[ $output == *"probing 1 backends of 1 pools (tcp: connect)"* ]]
	[[ $output == *"backend 127.0.0.1: probe ok: connected"* ]]
	[[ $output == *"default-exit=0"* ]]
	[[ $output == *"vipprobe: --tcp-mode syn: raw socket: Operation not permitted (needs CAP_NET_RAW)"* ]]
	[[ $output == *"syn-exit=1"* ]]
}

# The same listener, probed by vipprobe with and without the capabilities
# eBPF needs (CAP_BPF, CAP_SYS_ADMIN): with them the answers come through
# the eBPF ring (no log line about it); without them syn probes still work,
# their answers read from the raw socket, and vipprobe says why.
@test "vipprobe without CAP_BPF: syn probes read their answers from the socket and say why" {
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
	[ "$(cat /proc/sys/kernel/unprivileged_bpf_disabled)" != 0 ] ||
		skip "kernel.unprivileged_bpf_disabled=0: eBPF cannot be taken away here"
	one_listener_script "$BATS_TEST_TMPDIR/t.sh"
	cat >>"$BATS_TEST_TMPDIR/t.sh" <<'EOF'
nobpf="setpriv --inh-caps=-bpf,-sys_admin --bounding-set=-bpf,-sys_admin"
set +e
echo "== with eBPF"
timeout --preserve-status -s TERM 2 "$1" -v 2>&1
echo "full-exit=$?"
echo "== without"
timeout --preserve-status -s TERM 2 $nobpf "$1" -v 2>&1
echo "nobpf-exit=$?"
kill %1
EOF
	run unshare -n bash "$BATS_TEST_TMPDIR/t.sh" "$BIN"
	echo "$output"
	with=${output%%== without*}
	without=${output#*== without}
	if [[ $with == *"no eBPF ring"* ]]; then
		skip "this host allows no eBPF even to root: $(grep -o -m1 'no eBPF ring: .*' <<<"$with")"
	fi
	[[ $with != *"no eBPF ring"* ]]
	[[ $with == *"backend 127.0.0.1: probe ok: SYN-ACK"* ]]
	[[ $with == *"full-exit=0"* ]]
	[[ $without == *"half-open answers read from the raw socket (no eBPF ring: eBPF ring buffer: Operation not permitted (needs CAP_BPF or CAP_SYS_ADMIN))"* ]]
	[[ $without == *"probing 1 backends of 1 pools (tcp: syn)"* ]]
	[[ $without == *"backend 127.0.0.1: probe ok: SYN-ACK"* ]]
	[[ $without == *"nobpf-exit=0"* ]]
}
