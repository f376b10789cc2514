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

# An HTTP server on every address of the namespace that answers 200 at
# once; prints its port when it listens. Quiet: vipprobe resets its
# connections when it is stopped.
http_server() {
	python3 -c '
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("0.0.0.0", 0), H)
s.handle_error = lambda *a: None
print(s.server_address[1], flush=True)
s.serve_forever()
'
}

@test "http probes with a 5 ms timeout, server answering at once: none fails for the loop's tick" {
	local log=$BATS_TEST_TMPDIR/vipprobe.log ok failed
	export -f http_server
	# 4 backends (127.0.0.1-4) every 100 ms for 3 s: about 120 probes.
	# Without the tick given back, about half failed on this host.
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare -n env BIN="$BIN" LOG="$log" bash -c '
		set -e
		ip link set lo up
		exec {srv}< <(http_server)
		server=$!
		read -r -t 10 port <&"$srv"
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
