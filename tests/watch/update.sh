#!/bin/sh
# Regenerate tests/golden/watch/ from a build, for review: run it, read
# `git diff tests/golden/watch`, and keep only what is right. The counts
# that define the case are asserted by the program either way.
# usage: tests/watch/update.sh [BUILDDIR]    (default: ./build)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
prog=$build/tests/watch/nk2017
if [ ! -x "$prog" ]; then
	echo "update.sh: $prog not found; build first (ninja -C $build)" >&2
	exit 2
fi
mkdir -p "$src/tests/golden/watch"
"$prog" --update "$src/tests/golden/watch"
