#!/bin/sh
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Full-table ingest benchmark: bgpwatchd against BIRD 2 as receivers of
# the same synthetic table (1,000,000 IPv4 + 200,000 IPv6 routes, seed 1)
# sent by a BIRD feeder in a network namespace. See tests/bench/README.md,
# section "Ingest", and bench.py.
#
# usage: tests/bench/ingest/run.sh [BUILD_DIR [bench.py options...]]
#   BUILD_DIR  meson build directory (default: build), optimised and
#              without sanitizers
#   RUNS=3     runs per receiver (the medians are reported)
#   TABLE=/tmp/bgpwatch-ingest/full.routes  generated when missing, never
#              committed (about 90 MB)
# Needs root, bird2 and iproute2; about 3.5 GiB of memory (the feeder) and
# 5 minutes.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
runs=${RUNS:-3}
table=${TABLE:-/tmp/bgpwatch-ingest/full.routes}

fail() {
	echo "run.sh: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || fail "needs root (network namespaces, port 179)"
for p in bird birdc ip python3; do
	command -v "$p" >/dev/null 2>&1 ||
	    fail "$p not found (Debian: apt-get install bird2 iproute2)"
done
for p in bgpwatchd bgpwatchctl; do
	[ -x "$build/bgpd/$p" ] || fail "no $build/bgpd/$p: build first"
done

# Sanitizers or -O0 would measure the wrong thing: say so.
if command -v meson >/dev/null 2>&1; then
	meson introspect "$build" --buildoptions 2>/dev/null | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
if o.get("b_sanitize", "none") != "none":
    print("run.sh: warning: sanitizers on (%s)" % o["b_sanitize"])
if o.get("buildtype") in ("debug", "plain"):
    print("run.sh: warning: buildtype %s (not optimised)" % o["buildtype"])
' >&2 || true
fi

if [ ! -s "$table" ]; then
	mkdir -p "$(dirname "$table")"
	echo "run.sh: generating $table (about a minute)" >&2
	python3 "$here/gen_table.py" --seed 1 -o "$table.tmp"
	mv "$table.tmp" "$table"
fi

exec python3 "$here/bench.py" --bgpwatchd "$build/bgpd/bgpwatchd" \
    --bgpwatchctl "$build/bgpd/bgpwatchctl" --routes "$table" \
    --runs "$runs" --json "$(dirname "$table")/results.jsonl" "$@"
