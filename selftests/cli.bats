#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# vipctl against the real module: every error path exits non-zero with a
# message naming the problem and leaves the configuration exactly as it
# was; usage errors exit 2, kernel rejections exit 1 with the kernel's
# text; -j output, -n, --help, human show.

load lib/topo

setup() {
	vipfwd_loaded || vf_die "the vipfwd module is not loaded"
	topo_init cli
	ns_add lb
	# The baseline every error is tried against.
	vipctl_lb pool add p1 probe tcp 59999 interval 5 fall 11
	vipctl_lb backend add p1 10.0.2.11
	vipctl_lb backend add p1 10.0.2.12 weight 5 tier 1
	vipctl_lb frontend add "$VIP" tcp 1433 pool p1
	vipctl_lb pool add spare
}

teardown() {
	topo_down
}

# rejects RC REGEX ARGS...: `vipctl -n LB ARGS` exits RC, prints a message
# matching REGEX (extended, case-insensitive), and `vipctl -j show` is the
# same before and after.
rejects() {
	local want=$1 re=$2 before after
	shift 2
	before=$(vipctl_lb -j show)
	run "$VIPCTL" -n "$(ns_of lb)" "$@"
	echo "vipctl $*"
	echo "  -> status $status: $output"
	[ "$status" -eq "$want" ] || vf_die "exit status $status, expected $want"
	shopt -s nocasematch
	[[ $output =~ $re ]] || vf_die "message does not match /$re/"
	shopt -u nocasematch
	after=$(vipctl_lb -j show)
	[ "$before" = "$after" ] || vf_die "configuration changed: $before -> $after"
}

@test "duplicate frontend" {
	rejects 1 'frontend.*(already exists|exists)' frontend add "$VIP" tcp 1433 pool spare
}

@test "frontend with an unknown pool" {
	rejects 1 'pool.*(does not exist|not found|unknown|no such)' frontend add "$VIP" tcp 1434 pool nope
}

@test "pool del while a frontend uses it" {
	rejects 1 'pool.*(in use|used by)' pool del p1
}

@test "duplicate pool" {
	rejects 1 'pool.*exists' pool add p1
}

@test "duplicate backend" {
	rejects 1 'backend.*(already|exists)' backend add p1 10.0.2.11
}

@test "backend in an unknown pool" {
	rejects 1 'pool.*(does not exist|not found|unknown|no such)' backend add nope 10.0.2.13
}

@test "malformed addresses" {
	rejects 2 'invalid.*"192\.168\.2\.300"' frontend add 192.168.2.300 tcp 1434 pool p1
	rejects 2 'invalid.*"abc"' frontend add abc tcp 1434 pool p1
	rejects 2 'invalid.*"10\.0\.2\.300"' backend add p1 10.0.2.300
	rejects 2 'invalid.*"abc"' backend add p1 abc
	rejects 2 'invalid.*"1\.2\.3"' backend add p1 10.0.2.14 via 1.2.3
}

@test "out-of-range port" {
	rejects 2 'port.*"70000"' frontend add "$VIP" tcp 70000 pool p1
	rejects 2 'port.*"70000"' pool add p2 probe tcp 70000
	rejects 2 'port.*"-1"' frontend add "$VIP" tcp -1 pool p1
}

@test "unknown keyword" {
	rejects 2 'unknown keyword.*"bogus"' frontend add "$VIP" tcp 1434 pool p1 bogus 3
	rejects 2 'unknown keyword.*"colour"' pool add p2 colour red
	rejects 2 'unknown keyword.*"colour"' backend set p1 10.0.2.11 colour red
	rejects 2 'unknown (command|keyword).*"frobnicate"' frobnicate
}

@test "missing argument" {
	rejects 2 'missing.*pool' frontend add "$VIP" tcp 1434 pool
	rejects 2 'missing.*port' frontend add "$VIP" tcp
	rejects 2 'missing.*(addr|address)' backend add p1
	rejects 2 'missing.*(up|down|health)' backend health p1 10.0.2.11
	rejects 2 'missing.*pool' frontend add "$VIP" tcp 1434
}

@test "bad interval" {
	rejects 2 'interval.*"abc"' pool add p2 interval abc
	rejects 2 'interval.*"-5"' pool set p1 interval -5
}

@test "timeout longer than interval: the kernel rejects, on add and on set" {
	rejects 1 'timeout.*interval' pool add p2 interval 1 timeout 2
	rejects 1 'timeout.*interval' pool set p1 timeout 6
}

@test "table-size that is not prime" {
	rejects 2 'table-size.*"65536".*prime|prime.*65536' pool add p2 table-size 65536
}

@test "table-size: any prime from 13 up; the kernel refuses smaller ones" {
	rejects 1 'table-size.*13' pool add p2 table-size 11
	rejects 1 'table-size.*13' pool set spare table-size 7
	vipctl_lb pool add p2 table-size 13
	[ "$(vj '.pools[] | select(.name == "p2") | .table_size' show)" = 13 ]
	vipctl_lb pool set p2 table-size 1048573
	[ "$(vj '.pools[] | select(.name == "p2") | .table_size' show)" = 1048573 ]
	# A pool in use, with backends: its table is rebuilt at the new size.
	vipctl_lb pool set p1 table-size 251
	[ "$(vj '.pools[] | select(.name == "p1") | .table_size' show)" = 251 ]
	vipctl_lb pool set p1 table-size 65537
	[ "$(vj '.pools[] | select(.name == "p1") | .table_size' show)" = 65537 ]
}

@test "table-size: never fewer entries than the pool has backends" {
	local i
	vipctl_lb pool add p2 table-size 13
	for i in $(seq 1 13); do
		vipctl_lb backend add p2 "10.0.3.$i"
	done
	rejects 1 'full.*table-size' backend add p2 10.0.3.14
	vipctl_lb pool set p2 table-size 17
	vipctl_lb backend add p2 10.0.3.14
	rejects 1 'table-size.*smaller.*backends' pool set p2 table-size 13
	vipctl_lb backend del p2 10.0.3.14
	vipctl_lb pool set p2 table-size 13
	[ "$(vj '.pools[] | select(.name == "p2") | "\(.table_size) \(.backends | length)"' show)" = "13 13" ]
}

@test "table-size: new flows are placed in a table of the pool's size (explain)" {
	local j h m
	vipctl_lb backend health p1 10.0.2.11 up
	for m in 251 13 65537; do
		vipctl_lb pool set p1 table-size "$m"
		j=$(vipctl_lb -j explain tcp 10.0.1.1 40000 "$VIP" 1433)
		echo "table-size $m: $j"
		[ "$(jq -r .table_size <<<"$j")" = "$m" ]
		[ "$(jq -r .backend <<<"$j")" = 10.0.2.11 ]
		h=$(jq -r .hash <<<"$j")
		# The entry is the hash's share of 2^32 scaled to the table.
		[ "$(jq -r .table_index <<<"$j")" = $((h * m >> 32)) ]
	done
}

@test "what is not built yet is rejected, naming it: NAT for IPv6 VIPs, IPv6 decap prefixes" {
	rejects 1 'mode nat is IPv4 only' frontend add 2001:db8::100 tcp 1433 pool p1 mode nat
	rejects 1 'IPv6 decap prefixes are not supported yet' decap add 2001:db8::/64
}

@test "flow settings of a frontend are accepted and shown" {
	local j
	vipctl_lb frontend add "$VIP" tcp 1434 pool p1 idle-timeout 30 hash 2tuple \
		no-backend reject on-health-down keep
	j=$(vipctl_lb -j show)
	jq -e '.frontends[] | select(.port == 1434) |
		.idle_timeout == 30 and .hash == "2tuple" and .no_backend == "reject"
		and .on_health_down == "keep"' <<<"$j" >/dev/null ||
		vf_die "frontend settings not as set: $j"
	rejects 2 'idle-timeout "0"' frontend set "$VIP" tcp 1434 idle-timeout 0
	rejects 2 'on-health-down.*maybe' frontend set "$VIP" tcp 1434 on-health-down maybe
}

@test "-j show is JSON with the design's keys" {
	local j
	j=$(vipctl_lb -j show)
	jq -e . <<<"$j" >/dev/null || vf_die "not JSON: $j"
	jq -e '
		(.frontends | length == 1) and
		(.frontends[0] | .vip == "192.168.2.100" and .proto == "tcp" and .port == 1433
			and .pool == "p1" and .mode == "encap" and .encap == "ipip") and
		(.pools | length == 2) and
		(.pools[] | select(.name == "p1") |
			(.probe | .type == "tcp" and .port == 59999 and .interval == 5
				and has("timeout") and .fall == 11 and has("rise")) and
			(.backends | length == 2) and
			(.backends[] | select(.addr == "10.0.2.12") |
				.weight == 5 and .tier == 1 and .state == "enabled"
				and .health == "unknown" and has("flows"))) and
		(.pools[] | select(.name == "spare") | .backends == [])
	' <<<"$j" || vf_die "missing or wrong keys: $j"

	vipctl_lb backend health p1 10.0.2.11 up
	[ "$(vj '.pools[].backends[] | select(.addr == "10.0.2.11") | .health' show)" = up ]
}

@test "-n NETNS: the configuration belongs to that namespace only" {
	ns_add other
	local o
	o=$(timeout "$VF_T" "$VIPCTL" -n "$(ns_of other)" -j show)
	[ "$(jq -c '[.frontends, .pools]' <<<"$o")" = '[[],[]]' ] || vf_die "other namespace sees: $o"

	timeout "$VF_T" "$VIPCTL" -n "$(ns_of other)" pool add p1
	timeout "$VF_T" "$VIPCTL" -n "$(ns_of other)" frontend add "$VIP" udp 53 pool p1
	# lb still has its own, unchanged; the other has just what it was given.
	[ "$(vj '[.frontends[] | "\(.proto) \(.port)"] | join(",")' show)" = "tcp 1433" ]
	o=$(timeout "$VF_T" "$VIPCTL" -n "$(ns_of other)" -j show)
	[ "$(jq -r '[.frontends[] | "\(.proto) \(.port)"] | join(",")' <<<"$o")" = "udp 53" ]
	[ "$(jq -r '.pools[0].backends | length' <<<"$o")" = 0 ]

	# Namespaces without vipfwd configuration: -n of one that does not exist.
	run timeout "$VF_T" "$VIPCTL" -n "$(ns_of nosuch)" show
	echo "$output"
	[ "$status" -ne 0 ] && grep -q "$(ns_of nosuch)" <<<"$output"
}

@test "--help exits 0 and shows the grammar" {
	run "$VIPCTL" --help
	[ "$status" -eq 0 ]
	grep -q 'frontend add VIP PROTO PORT pool NAME' <<<"$output"
	grep -q 'backend health POOL ADDR' <<<"$output"
}

@test "human show lists what was added" {
	run vipctl_lb show
	echo "$output"
	[ "$status" -eq 0 ]
	grep -Eq "frontend +192\.168\.2\.100 +tcp +1433.*p1" <<<"$output"
	grep -Eq "pool +p1 .*probe tcp 59999" <<<"$output"
	grep -Eq "pool +spare" <<<"$output"
	grep -Eq "backend +10\.0\.2\.11 " <<<"$output"
	grep -Eq "backend +10\.0\.2\.12 .*weight 5 tier 1" <<<"$output"
}
