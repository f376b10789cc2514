#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# A probe's timeout is the backend's time, not vipprobe's. The loop
# gathers its wakeups per 10 ms tick (tool/probe_loop.c), so it may see
# each step of a probe up to a tick late: an HTTP probe's connect, then
# the reply to its request. Each step the probe moves on gives it that
# tick back; without that, any HTTP probe whose timeout is under about a
# tick fails although the backend answered at once.
#
# Runs tool/tests/vipprobe-nokernel (vipprobe with the module's netlink
# interface replaced by a stand-in, tool/tests/nokernel.c) on the host,
# as root, in a private network namespace with a local HTTP server
# (make check's "host" step).

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BIN=$REPO/tool/tests/vipprobe-nokernel

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (a network namespace)"
	make -s -C "$REPO/tool" tests/vipprobe-nokernel >/dev/null
}

@test "http probes with a 5 ms timeout, server answering at once: none fails for the loop's tick" {
	local log=$BATS_TEST_TMPDIR/vipprobe.log ok failed
	# 4 backends (127.0.0.1-4) every 100 ms for 3 s: about 120 probes.
	# Without the tick given back, about half failed on this host.
	echo 200 >"$BATS_TEST_TMPDIR/code"
	# The server (selftests/lib/probe_srv.py) answers 200 at once and
	# prints its port when it listens; its request log is not wanted.
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -n env BIN="$BIN" LOG="$log" SRV="$REPO/selftests/lib/probe_srv.py" \
		CODE="$BATS_TEST_TMPDIR/code" bash -c '
		set -e
		ip link set lo up
		exec {srv}< <(exec python3 "$SRV" http 0 "$CODE" 2>/dev/null)
		server=$!
		read -r -t 10 _ port <&"$srv"
		NOKERNEL_BACKENDS=4 NOKERNEL_FIRST=127.0.0.1 NOKERNEL_PORT=$port \
		NOKERNEL_HTTP_PATH=/ NOKERNEL_INTERVAL_MS=100 NOKERNEL_TIMEOUT_MS=5 \
		NOKERNEL_FALL=1 NOKERNEL_RISE=1 \
			timeout -s TERM 3 "$BIN" -v >"$LOG" 2>&1 || [ $? -eq 124 ]
		kill "$server"
	'
	ok=$(grep -c ': probe ok: ' "$log" || :)
	failed=$(grep -c ': probe failed: ' "$log" || :)
	echo "# $ok probes ok, $failed failed" >&3
	grep ': probe failed: ' "$log" | head -5
	[ "$ok" -ge 60 ] || { tail -20 "$log"; false; }
	# A stall of the host itself may still cost one or two.
	[ "$failed" -le 2 ]
}
