#!/bin/sh
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Benchmark, not a test: `bgpwatchctl mrt` against `bgpdump -m` (Debian
# bgpdump, apt-get install bgpdump) on the largest real MRT files of
# tests/data/mrt, as shipped (gzip, bzip2) and decompressed. Both tools run
# in the same invocation, alternately, five times each; the table shows
# the median elapsed and CPU (user + system) seconds and how many times
# faster bgpwatchctl is. Output goes to /dev/null.
#
# usage: tests/bench/bench_mrt.sh [BGPWATCHCTL]
#        (default: build/bgpd/bgpwatchctl)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=${1:-$top/build/bgpd/bgpwatchctl}
data=$top/tests/data/mrt
runs=5

if ! command -v bgpdump >/dev/null 2>&1; then
	echo "bench_mrt: bgpdump is not installed (apt-get install bgpdump)" >&2
	exit 1
fi
if [ ! -x "$ctl" ]; then
	echo "bench_mrt: $ctl: not built" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run: append "elapsed cpu" to file $1.
# Elapsed and CPU (user + system, from wait4's rusage) in microseconds'
# resolution: time(1) rounds to 10 ms, too coarse for the small files.
bench_run() {
	out=$1
	shift
	python3 -c '
import os, subprocess, sys, time
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
ru = os.wait4(p.pid, 0)[2]
print("%.4f %.4f" % (time.perf_counter() - t, ru.ru_utime + ru.ru_stime))
' "$@" >>"$out"
}

# Median of column $2 of file $1.
bench_median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

bench_file() {
	name=$1
	file=$2
	rm -f "$tmp/ours" "$tmp/bgpdump"
	i=0
	while [ "$i" -lt "$runs" ]; do
		bench_run "$tmp/ours" "$ctl" mrt "$file"
		bench_run "$tmp/bgpdump" bgpdump -m "$file"
		i=$((i + 1))
	done
	oe=$(bench_median "$tmp/ours" 1)
	oc=$(bench_median "$tmp/ours" 2)
	be=$(bench_median "$tmp/bgpdump" 1)
	bc=$(bench_median "$tmp/bgpdump" 2)
	lines=$("$ctl" mrt "$file" 2>/dev/null | wc -l)
	awk -v n="$name" -v l="$lines" -v oe="$oe" -v oc="$oc" -v be="$be" \
	    -v bc="$bc" 'BEGIN {
		printf "%-50s %8d %7.3f %7.3f %7.3f %7.3f %6.1fx %6.1fx\n",
		    n, l, oe, oc, be, bc, (oe > 0 ? be / oe : 0),
		    (oc > 0 ? bc / oc : 0)
	}'
}

printf "%-50s %8s %7s %7s %7s %7s %7s %7s\n" file lines "ours s" \
    "ours cpu" "bgpd s" "bgpd cpu" elapsed cpu
for f in bgpdump/updates.et-header.2015.gz \
    pyasn/rib.20140523.0600_firstMB.bz2 \
    pyasn/rib6.20151101.0600_firstMB.bz2 \
    bgpdump/bview.20020722.2337.gz; do
	bench_file "$f" "$data/$f"
	plain="$tmp/$(basename "$f").mrt"
	case "$f" in
	*.gz) gzip -dc "$data/$f" >"$plain" ;;
	*.bz2) bzip2 -dc "$data/$f" >"$plain" 2>/dev/null || true ;;
	esac
	bench_file "$f (decompressed)" "$plain"
	rm -f "$plain"
done
uptime | sed 's/^/# /'
