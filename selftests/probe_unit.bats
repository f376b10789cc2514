#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vipprobe's probes against real sockets: tool/tests/unit's network cases
# (tool/tests/test_probe.c), which send packets and so run only in the
# test VM (VIPFWD_VM=1); `make -C tool test` on the host leaves them out
# of its plan. The unit binary runs once, in a private network namespace
# of its own on the VM's loopback, and every one of its connect() and
# half-open (SYN) probe results is a test here.
#
#   check: ...  probe_check.c: connect() probes, TCP and HTTP
#   syn: ...    probe_syn.c: half-open probes from a raw socket, IPv4 and
#               IPv6, refused, no answer, answers matched on ports and
#               acknowledgment number, nothing left to accept on the
#               backend; SYNs queued and sent in batches (300 backends at
#               once, more than the hash table's first size), a probe forgotten while queued, a SYN the kernel
#               refuses at the flush; answers through the eBPF ring
#               (probe_ring.c), a full ring overflowing to the socket
#               without loss, an answer with IP options read from the
#               socket, an engine without a ring

#
# The binary runs under valgrind (as `make -C tool test` does on the host),
# so the socket code's leaks and errors count too; PROBE_UNIT_VALGRIND=0
# runs it bare.

TOP=${REPO:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)}
UNIT=${PROBE_UNIT:-$TOP/tool/tests/unit}

setup_file() {
	local vg=()
	[ "${VIPFWD_VM:-}" = 1 ] || return 0
	if [ "${PROBE_UNIT_VALGRIND:-1}" = 1 ]; then
		vg=(valgrind -q --error-exitcode=99 --leak-check=full
		    --show-leak-kinds=definite,indirect,possible
		    --errors-for-leak-kinds=definite,indirect,possible)
	fi
	(cd "$TOP/tool" && VIPFWD_VM=1 VIPCTL="$TOP/tool/vipctl" "${vg[@]}" "$UNIT") \
		>"$BATS_FILE_TMPDIR/unit.tap" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/unit.rc"
}

setup() {
	[ "${VIPFWD_VM:-}" = 1 ] || skip "sends packets: only in the test VM (selftests/vm/run)"
	[ -x "$UNIT" ] || { echo "$UNIT is not built (make -C tool tests/unit)"; return 1; }
}

# case_ok NAME: the unit binary's result line for NAME (a prefix of the
# TAP name) is "ok"; shows the line and its diagnostics when it is not.
case_ok() {
	local tap=$BATS_FILE_TMPDIR/unit.tap
	if grep -qE "^ok [0-9]+ - $(sed 's/[][\.*^$()+?{}|]/\\&/g' <<<"$1")" "$tap"; then
		return 0
	fi
	echo "no \"ok\" for: $1"
	grep -F -A4 -- "- $1" "$tap" || echo "(no result line at all)"
	return 1
}

@test "unit binary: complete plan, every probe case ok" {
	local tap=$BATS_FILE_TMPDIR/unit.tap n
	grep -qE '^1\.\.[0-9]+$' "$tap" || { tail -n 20 "$tap"; false; }
	# Every network case has a test below (and no other suite failed).
	n=$(grep -cE '^(not )?ok [0-9]+ - (check|syn): ' "$tap")
	[ "$n" -eq 63 ] || { echo "$n probe cases, this file knows 63"; false; }
	! grep -E '^not ok' "$tap"
	# 99: valgrind found an error or a leak (its report is in the TAP).
	[ "$(cat "$BATS_FILE_TMPDIR/unit.rc")" = 0 ] || { grep '^==' "$tap"; false; }
}

@test "check: a private network namespace with lo up" { case_ok "check: a private network namespace with lo up"; }
@test "check: tcp to a listener succeeds" { case_ok "check: tcp to a listener succeeds"; }
@test "check: tcp detail" { case_ok "check: tcp detail"; }
@test "check: the socket is closed after a result" { case_ok "check: the socket is closed after a result"; }
@test "check: tcp to a closed port fails" { case_ok "check: tcp to a closed port fails"; }
@test "check: refused detail" { case_ok "check: refused detail"; }
@test "check: http 204 is up" { case_ok "check: http 204 is up"; }
@test "check: http detail" { case_ok "check: http detail"; }
@test "check: the request line and Host" { case_ok "check: the request line and Host"; }
@test "check: http 503 is a failure" { case_ok "check: http 503 is a failure"; }
@test "check: 503 detail" { case_ok "check: 503 detail"; }
@test "check: 503 in expect 500-503" { case_ok "check: 503 in expect 500-503"; }
@test "check: not HTTP is a failure" { case_ok "check: not HTTP is a failure"; }
@test "check: not-HTTP detail" { case_ok "check: not-HTTP detail"; }
@test "check: no reply is a failure" { case_ok "check: no reply is a failure"; }
@test "check: reply timeout detail" { case_ok "check: reply timeout detail"; }
@test "check: the socket is closed after a timeout" { case_ok "check: the socket is closed after a timeout"; }
@test "syn: a private network namespace with lo up" { case_ok "syn: a private network namespace with lo up"; }
@test "syn: engine opens (raw sockets, ports)" { case_ok "syn: engine opens (raw sockets, ports)"; }
@test "syn: answers come through eBPF rings" { case_ok "syn: answers come through eBPF rings"; }
@test "syn: IPv4 listener answers SYN-ACK" { case_ok "syn: IPv4 listener answers SYN-ACK"; }
@test "syn: success detail" { case_ok "syn: success detail"; }
@test "syn: a finished probe is off the engine, no fd" { case_ok "syn: a finished probe is off the engine, no fd"; }
@test "syn: half-open: the backend has no connection to accept" { case_ok "syn: half-open: the backend has no connection to accept"; }
@test "syn: IPv4 closed port fails" { case_ok "syn: IPv4 closed port fails"; }
@test "syn: RST is refused" { case_ok "syn: RST is refused"; }
@test "syn: IPv6 listener answers SYN-ACK" { case_ok "syn: IPv6 listener answers SYN-ACK"; }
@test "syn: IPv6 half-open, nothing to accept" { case_ok "syn: IPv6 half-open, nothing to accept"; }
@test "syn: IPv6 closed port fails" { case_ok "syn: IPv6 closed port fails"; }
@test "syn: IPv6 RST is refused" { case_ok "syn: IPv6 RST is refused"; }
@test "syn: all four answers came through the rings" { case_ok "syn: all four answers came through the rings"; }
@test "syn: one connection fills a backlog-0 listener" { case_ok "syn: one connection fills a backlog-0 listener"; }
@test "syn: no answer is a failure" { case_ok "syn: no answer is a failure"; }
@test "syn: timeout detail" { case_ok "syn: timeout detail"; }
@test "syn: a timed-out probe is off the engine" { case_ok "syn: a timed-out probe is off the engine"; }
@test "syn: a listener on every loopback address" { case_ok "syn: a listener on every loopback address"; }
@test "syn: 300 probes at once, every backend answered SYN-ACK" { case_ok "syn: 300 probes at once, every backend answered SYN-ACK"; }
@test "syn: one more queued" { case_ok "syn: one more queued"; }
@test "syn: aborted while queued, nothing to send or hand back" { case_ok "syn: aborted while queued, nothing to send or hand back"; }
@test "syn: 10.9.9.9 answers" { case_ok "syn: 10.9.9.9 answers"; }
@test "syn: queued with the kept source address" { case_ok "syn: queued with the kept source address"; }
@test "syn: the flush hands the probe back" { case_ok "syn: the flush hands the probe back"; }
@test "syn: it failed, a verdict, off the engine" { case_ok "syn: it failed, a verdict, off the engine"; }
@test "syn: the kernel's reason" { case_ok "syn: the kernel's reason"; }
@test "syn: a probe in flight" { case_ok "syn: a probe in flight"; }
@test "syn: a second probe of the same backend in flight" { case_ok "syn: a second probe of the same backend in flight"; }
@test "syn: they have different source ports" { case_ok "syn: they have different source ports"; }
@test "syn: three wrong SYN-ACKs sent" { case_ok "syn: three wrong SYN-ACKs sent"; }
@test "syn: the wrong SYN-ACKs" { case_ok "syn: the wrong SYN-ACKs"; }
@test "syn: both probes still waiting" { case_ok "syn: both probes still waiting"; }
@test "syn: the right SYN-ACK for the 2nd sent" { case_ok "syn: the right SYN-ACK for the 2nd sent"; }
@test "syn: it finishes the 2nd probe only" { case_ok "syn: it finishes the 2nd probe only"; }
@test "syn: abort takes it off" { case_ok "syn: abort takes it off"; }
@test "syn: a SYN-ACK with IP options finishes its probe" { case_ok "syn: a SYN-ACK with IP options finishes its probe"; }
@test "syn: ... read from the socket, not the ring" { case_ok "syn: ... read from the socket, not the ring"; }
@test "syn: one more in flight" { case_ok "syn: one more in flight"; }
@test "syn: closing the engine takes its probes off" { case_ok "syn: closing the engine takes its probes off"; }
@test "syn: an engine with a one-page ring opens" { case_ok "syn: an engine with a one-page ring opens"; }
@test "syn: a full ring overflows to the socket, nothing lost" { case_ok "syn: a full ring overflows to the socket, nothing lost"; }
@test "syn: an engine without a ring opens" { case_ok "syn: an engine without a ring opens"; }
@test "syn: it says why it has no ring" { case_ok "syn: it says why it has no ring"; }
@test "syn: without a ring the listener's SYN-ACK is read" { case_ok "syn: without a ring the listener's SYN-ACK is read"; }
@test "syn: ... from the socket" { case_ok "syn: ... from the socket"; }
