#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/backports.sh [SUITE...]
#
# The VM suites that depend most on the kernel's version, again on the
# newest bookworm-backports kernel (6.12) instead of the release's (6.1):
# the forwarding data path (netfilter hooks, encapsulation, GSO), and
# vipprobe's probes (raw sockets, the classic and eBPF socket filters, the
# BPF ring buffer, whose verifier differs between kernels). The module is
# built against the backports headers from a staged copy of its source
# (as DKMS would get it), so module/vipfwd.ko, built for 6.1, stays as
# it is; selftests/vm/run refuses a module whose vermagic is not the
# booted kernel's. Prints TAP: one line for that build, then bats's.
#
# Default suites: selftests/datapath.bats probe.bats probe_unit.bats.
# Needs the backports kernel's headers and image (selftests/deps installs
# both); a missing one is a failed test, not a skip.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

if [ $# -gt 0 ]; then
	suites=("$@")
else
	suites=(selftests/datapath.bats selftests/probe.bats selftests/probe_unit.bats)
fi

bk=$(selftests/vm/kver backports headers) || {
	echo "not ok 1 - backports: no bookworm-backports kernel headers (selftests/deps installs them)"
	exit 1
}
if [ ! -f "/boot/vmlinuz-$bk" ] || [ ! -d "/lib/modules/$bk/kernel" ]; then
	echo "not ok 1 - backports: no kernel image $bk to boot (selftests/deps installs linux-image-$bk)"
	exit 1
fi

# Under /tmp, which the VM shares only when told (VIPFWD_VM_RO below).
stage=$(mktemp -d /tmp/vipfwd-backports.XXXXXX)
trap 'rm -rf "$stage"' EXIT
log=$stage/build.log
if make -s dkms-source DESTDIR="$stage" DKMS_SOURCE=/src >"$log" 2>&1 &&
	make -C "/lib/modules/$bk/build" M="$stage/src" W=1 KCFLAGS=-Werror modules >>"$log" 2>&1; then
	echo "ok 1 - backports: module built for $bk (W=1, warnings are errors)"
else
	echo "not ok 1 - backports: module build for $bk"
	sed 's/^/# /' "$log" | tail -n 30
	exit 1
fi

# The tools the suites call (vipctl, vipprobe, the probe unit binary).
if ! make -s -C tool all tests/unit >"$log" 2>&1; then
	echo "not ok 2 - backports: tools"
	sed 's/^/# /' "$log" | tail -n 30
	exit 1
fi

VIPFWD_VM_KERNEL=$bk VIPFWD_VM_MODULE=$stage/src/module/vipfwd.ko VIPFWD_VM_RO=$stage/src \
	VIPFWD_VM_TIMEOUT=${VIPFWD_VM_TIMEOUT:-1500} \
	selftests/vm/run bats --tap "${suites[@]}"
