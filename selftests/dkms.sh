#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftests/dkms.sh [KVER...]
#
# DKMS test of the module: stage the DKMS source (make dkms-source), then
# for each kernel release `dkms add`, `dkms build`, check the built .ko and
# its vermagic, and finally `dkms remove --all`. Prints TAP.
#
# Default kernels: the release's Debian headers and the newest
# bookworm-backports headers (selftests/vm/kver); a missing one is a
# failed test, not a skip. Everything happens in a private DKMS tree
# (--dkmstree/--sourcetree/--installtree in a temp dir): /var/lib/dkms,
# /usr/src and /lib/modules are left alone, and an installed vipfwd is not
# disturbed.

set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(cat "$top/VERSION")
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# Indented diagnostics, TAP style.
diag() { sed 's/^/# /'; }

if [ $# -gt 0 ]; then
	kvers=("$@")
else
	kvers=()
	for suite in stable backports; do
		if k=$("$top/selftests/vm/kver" "$suite" headers); then
			kvers+=("$k")
		else
			not_ok "dkms: no installed Debian $suite kernel headers (selftests/deps installs them)"
		fi
	done
fi

if ! command -v dkms >/dev/null; then
	not_ok "dkms: the dkms command is missing (apt-get install dkms)"
	echo "1..$n"
	exit 1
fi

tmp=$(mktemp -d /tmp/vipfwd-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
tree=(--dkmstree "$tmp/dkms" --sourcetree "$tmp/src" --installtree "$tmp/install")
mkdir -p "$tmp/dkms" "$tmp/src" "$tmp/install"

if make -s -C "$top" dkms-source DKMS_SOURCE="$tmp/src/vipfwd-$version" >"$tmp/stage.log" 2>&1; then
	ok "dkms: source staged as vipfwd-$version"
else
	not_ok "dkms: make dkms-source failed"
	diag <"$tmp/stage.log"
fi

if dkms add "${tree[@]}" -m vipfwd -v "$version" >"$tmp/add.log" 2>&1; then
	ok "dkms add vipfwd/$version"
else
	not_ok "dkms add vipfwd/$version"
	diag <"$tmp/add.log"
fi

for k in "${kvers[@]}"; do
	arch=$(uname -m)
	if dkms build "${tree[@]}" -m vipfwd -v "$version" -k "$k" >"$tmp/build-$k.log" 2>&1; then
		ok "dkms build for $k"
	else
		not_ok "dkms build for $k"
		diag <"$tmp/build-$k.log"
		log=$tmp/dkms/vipfwd/$version/build/make.log
		[ -f "$log" ] && tail -n 40 "$log" | diag
	fi
	ko=$tmp/dkms/vipfwd/$version/$k/$arch/module/vipfwd.ko
	[ -f "$ko" ] || ko=$(find "$tmp/dkms/vipfwd/$version/$k" -name 'vipfwd.ko*' 2>/dev/null | head -n 1)
	if [ -n "$ko" ] && [ -f "$ko" ]; then
		ok "dkms: vipfwd.ko built for $k"
		vm=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{ print $1 }')
		if [ "$vm" = "$k" ]; then
			ok "dkms: vermagic of the $k module is $k"
		else
			not_ok "dkms: vermagic of the $k module is '$vm', expected $k"
		fi
	else
		not_ok "dkms: no vipfwd.ko for $k in the DKMS tree"
		not_ok "dkms: vermagic of the $k module (no module)"
	fi
done

if dkms remove "${tree[@]}" -m vipfwd -v "$version" --all >"$tmp/remove.log" 2>&1 &&
	[ -z "$(dkms status "${tree[@]}" -m vipfwd 2>/dev/null)" ]; then
	ok "dkms remove vipfwd/$version --all"
else
	not_ok "dkms remove vipfwd/$version --all"
	diag <"$tmp/remove.log"
	dkms status "${tree[@]}" -m vipfwd 2>&1 | diag
fi

echo "1..$n"
[ "$failed" = 0 ]
