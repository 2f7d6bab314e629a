#!/bin/sh
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# update.sh CONFTEST: regenerate the expected output of every golden config
# here, for review with `git diff` before committing. NAME.conf gives
# NAME.out (the normalised config), bad-NAME.conf gives bad-NAME.err (the
# error lines); contrib/examples/bgpwatch.conf gives example.out.
# Files under inc/ are only included by others, those under prefixes/ only
# read by prefix-file statements.
set -u
[ $# -eq 1 ] || { echo "usage: update.sh path/to/conftest" >&2; exit 2; }
case $1 in
/*) conftest=$1 ;;
*) conftest=$(pwd)/$1 ;;
esac
cd "$(dirname "$0")" || exit 1

for f in *.conf; do
	n=${f%.conf}
	case $n in
	bad-*)
		"$conftest" "$f" >/dev/null 2>"$n.err"
		[ $? -eq 1 ] || echo "$f: expected errors, got none" >&2
		;;
	*)
		"$conftest" -R "$f" >"$n.out" || echo "$f: failed" >&2
		;;
	esac
done
(cd ../../../contrib/examples && "$conftest" -R bgpwatch.conf) >example.out ||
    echo "contrib/examples/bgpwatch.conf: failed" >&2
git status --short . 2>/dev/null
exit 0
