#!/bin/bash
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Feed benchmark: bgpfeed sends a synthetic table (default 1,000,000 IPv4 +
# 200,000 IPv6, seed 1) over loopback to
#   1. its own sink (bgpfeed --sink: accept, negotiate, decode, count), and
#   2. BIRD as a passive receiver (skipped when bird/birdc are missing),
# and reports bgpfeed's send rate, CPU and peak RSS, and for BIRD the time
# from Established until `birdc show protocols all` counts the whole table.
# Compare with the lab's BIRD feeder: 7.3 s from Established to the full
# table at the receiver (/work/shared/lab/README.md, "Feeder speed").
#
# usage: tests/bench/bench_feed.sh [BUILD_DIR]
# env:   N4 N6 (table size), RUNS (default 3), BIRD, BIRDC (binaries)
#
# Only processes started here are signalled, by PID; everything runs on
# 127.0.0.1/127.0.0.2 with ports picked at random above 20000.
set -euo pipefail

BUILD=${1:-build}
FEED=$BUILD/contrib/bgpfeed/bgpfeed
N4=${N4:-1000000}
N6=${N6:-200000}
RUNS=${RUNS:-3}
BIRD=${BIRD:-$(command -v bird || echo /usr/sbin/bird)}
BIRDC=${BIRDC:-$(command -v birdc || echo /usr/sbin/birdc)}
TOTAL=$((N4 + N6))

[[ -x $FEED ]] || { echo "no $FEED: build first (ninja -C $BUILD)" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-feed-XXXXXX")
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

port() { echo $((20000 + RANDOM % 20000)); }
now() { date +%s.%N; }
# wait_for FILE PATTERN SECONDS
wait_for() {
	local end=$(($(date +%s) + $3))
	until grep -q -- "$2" "$1" 2>/dev/null; do
		(($(date +%s) < end)) || { echo "timeout waiting for '$2' in $1" >&2; cat "$1" >&2; return 1; }
		sleep 0.01
	done
}
# CPU seconds (utime + stime) and peak RSS (MiB) of a process.
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
proc_hwm() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

feed_report() { # feed.log -> "rate cpu rss"
	local rate cpu rss
	rate=$(sed -n 's/.*s: \([0-9]*\) prefixes\/s.*/\1/p' "$1" | tail -1)
	cpu=$(sed -n 's/.*cpu \([0-9.]*\) s user, \([0-9.]*\) s system.*/\1 \2/p' "$1" | awk '{ print $1 + $2 }')
	rss=$(sed -n 's/.*max rss \([0-9]*\) KiB.*/\1/p' "$1" | awk '{ printf "%.1f", $1 / 1024 }')
	echo "$rate $cpu $rss"
}

echo "bgpfeed --synthetic $N4,$N6 --seed 1 over loopback, $RUNS runs"
echo "$(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "1. to bgpfeed --sink"
printf "%-4s %12s %10s %12s %10s %10s %12s\n" run "sent s" "prefixes/s" "feed CPU s" "feed MiB" "sink s" "sink CPU s"
for run in $(seq "$RUNS"); do
	p=$(port)
	"$FEED" --sink --listen "127.0.0.1:$p" >"$TMP/sink.log" 2>&1 &
	sp=$!
	PIDS+=("$sp")
	wait_for "$TMP/sink.log" "listening" 5
	"$FEED" --local-as 65001 --synthetic "$N4,$N6" --seed 1 --stats \
	    --exit-when-done "127.0.0.1:$p" >"$TMP/feed.log" 2>&1
	wait "$sp" || true
	sent=$(sed -n 's/.*routes sent in \([0-9.]*\) s.*/\1/p' "$TMP/feed.log")
	read -r rate cpu rss <<<"$(feed_report "$TMP/feed.log")"
	got=$(sed -n 's/.*received \([0-9]*\) prefixes.*/\1/p' "$TMP/sink.log" | tail -1)
	[[ $got == "$TOTAL" ]] || { echo "sink received $got of $TOTAL" >&2; exit 1; }
	st=$(sed -n 's/.*End-of-RIB ipv6 after [0-9]* prefixes, \([0-9.]*\) s.*/\1/p' "$TMP/sink.log")
	scpu=$(sed -n 's/.*cpu \([0-9.]*\) s user, \([0-9.]*\) s system.*/\1 \2/p' "$TMP/sink.log" | awk '{ print $1 + $2 }')
	printf "%-4s %12s %10s %12s %10s %10s %12s\n" "$run" "$sent" "$rate" "$cpu" "$rss" "$st" "$scpu"
done
echo

if [[ ! -x $BIRD || ! -x $BIRDC ]]; then
	echo "2. BIRD: skipped (no bird/birdc)"
	exit 0
fi
echo "2. to BIRD ($("$BIRD" --version 2>&1 | head -1)) as a passive receiver"
printf "%-4s %12s %14s %10s %12s %10s %14s %10s\n" run "sent s" "Est->full s" "prefixes/s" "feed CPU s" "feed MiB" "BIRD CPU s" "BIRD MiB"
for run in $(seq "$RUNS"); do
	p=$(port)
	mkdir -p "$TMP/bird"
	cat >"$TMP/bird/bird.conf" <<EOF
router id 127.0.0.1;
protocol device { }
protocol bgp lab {
  local 127.0.0.1 port $p as 65000;
  neighbor 127.0.0.2 as 65001;
  passive; strict bind yes; multihop;
  ipv4 { import all; export none; };
  ipv6 { import all; export none; };
}
EOF
	"$BIRD" -f -c "$TMP/bird/bird.conf" -s "$TMP/bird/bird.ctl" >"$TMP/bird/out" 2>&1 &
	bp=$!
	PIDS+=("$bp")
	for _ in $(seq 100); do [[ -S $TMP/bird/bird.ctl ]] && break; sleep 0.05; done
	"$FEED" --local-as 65001 --local-addr 127.0.0.2 --synthetic "$N4,$N6" \
	    --seed 1 --nexthop6 2001:db8::1 --stats "127.0.0.1:$p" >"$TMP/feed.log" 2>&1 &
	fp=$!
	PIDS+=("$fp")
	wait_for "$TMP/feed.log" "established" 30
	t0=$(now)
	cpu0=$(proc_cpu "$bp")
	end=$(($(date +%s) + 300))
	while :; do
		counts=$("$BIRDC" -s "$TMP/bird/bird.ctl" show protocols all lab |
		    sed -n 's/.*Routes: *\([0-9]*\) imported.*/\1/p' | paste -sd' ')
		[[ $counts == "$N4 $N6" ]] && break
		(($(date +%s) < end)) || { echo "BIRD has $counts" >&2; exit 1; }
		sleep 0.05
	done
	t1=$(now)
	bcpu=$(awk -v a="$(proc_cpu "$bp")" -v b="$cpu0" 'BEGIN { printf "%.2f", a - b }')
	bmib=$(proc_hwm "$bp")
	kill "$fp"
	wait "$fp" || true
	kill "$bp"
	wait "$bp" || true
	PIDS=()
	read -r rate cpu rss <<<"$(feed_report "$TMP/feed.log")"
	el=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	prate=$(awk -v t="$el" -v n="$TOTAL" 'BEGIN { printf "%.0f", n / t }')
	sent=$(sed -n 's/.*routes sent in \([0-9.]*\) s.*/\1/p' "$TMP/feed.log")
	printf "%-4s %12s %14s %10s %12s %10s %14s %10s\n" "$run" "$sent" "$el" "$prate" "$cpu" "$rss" "$bcpu" "$bmib"
done
echo
echo "sent s: until bgpfeed's last octet was written to the socket, which"
echo "the receiver's reading paces (TCP back-pressure)."
echo "Lab baseline: BIRD feeding BIRD in netns, 7.3 s from Established to the full table."
