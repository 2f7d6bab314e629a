#!/bin/sh
# Regenerate the golden files under tests/golden/ from a build, for review:
# run it, read `git diff tests/golden`, and keep only what is right.
# usage: tests/golden/update.sh [BUILDDIR]    (default: ./build)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
ctl=$build/bgpd/bgpwatchctl
if [ ! -x "$ctl" ]; then
	echo "update.sh: $ctl not found; build first (ninja -C $build)" >&2
	exit 2
fi
# bgpwatchctl decode: tests/golden/decode/*.jsonl and *.txt
python3 "$src/tests/cli/golden_decode.py" --update "$ctl" "$src"
# bgpwatchctl show (human tables): tests/golden/control/*.txt
python3 "$src/tests/control/golden_show.py" --update "$ctl" "$src"
