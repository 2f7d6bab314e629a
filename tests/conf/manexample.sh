#!/bin/sh
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# manexample.sh CONFTEST MANPAGE EXPECTED
#
# The first literal display of the EXAMPLES section of bgpwatch.conf(5)
# must be a valid configuration that prints exactly as EXPECTED (the
# normalised contrib/examples/bgpwatch.conf): the manual and the example
# file say the same thing.
set -u
[ $# -eq 3 ] || { echo "usage: manexample.sh conftest manpage expected" >&2; exit 99; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$2" |
    sed -n '/^\.Bd -literal/,/^\.Ed/p' |
    sed '1d; /^\.Ed/,$d' >"$tmp/example.conf"
[ -s "$tmp/example.conf" ] || { echo "no example found in $2"; exit 1; }
"$1" -R "$tmp/example.conf" >"$tmp/out" || exit 1
diff -u "$3" "$tmp/out"
