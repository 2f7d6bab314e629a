#!/bin/sh
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# golden.sh CONFTEST DIR FILE EXPECTED
#
# Run CONFTEST on FILE from inside DIR (so error lines name FILE as the
# golden file does) and compare with EXPECTED:
#   *.out  the normalised configuration: exit 0, nothing on stderr, and
#          conftest -R also checks that it parses back to an equal config
#          that prints the same (a fixed point);
#   *.err  the exact error lines on stderr: exit 1, nothing on stdout.
set -u
[ $# -eq 4 ] || { echo "usage: golden.sh conftest dir file expected" >&2; exit 99; }
conftest=$1 dir=$2 file=$3 expected=$4
case $conftest in
/*) ;;
*) conftest=$(pwd)/$conftest ;;
esac
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$dir" || exit 99

case $expected in
*.out)
	"$conftest" -R "$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
		echo "$file: exit $rc, want 0 and no errors:"
		cat "$tmp/err"
		exit 1
	fi
	diff -u "$expected" "$tmp/out" || exit 1
	;;
*.err)
	"$conftest" "$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 1 ] || [ -s "$tmp/out" ]; then
		echo "$file: exit $rc, want 1 and nothing on stdout"
		exit 1
	fi
	diff -u "$expected" "$tmp/err" || exit 1
	;;
*)
	echo "golden.sh: $expected: want a .out or .err file" >&2
	exit 99
	;;
esac
exit 0
