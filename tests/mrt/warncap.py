#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# A file with more bad records than warnings are shown (bgpd/mrtfile.c,
# MRTFILE_WARN_MAX): 150 TABLE_DUMP_V2 RIB records and no
# PEER_INDEX_TABLE. `bgpwatchctl mrt` and `bgpwatchctl replay` each show
# the first 100 with their offsets, say the rest are not shown, give the
# total, and exit 1. TAP for meson.
#
# usage: warncap.py BGPWATCHCTL

import os
import re
import struct
import subprocess
import sys
import tempfile

N, SHOWN = 150, 100


def records():
    out, offs = b"", []
    for i in range(N):
        body = struct.pack("!IB", i, 24) + bytes([10, 0, i]) + b"\0\0"
        offs.append(len(out))
        out += struct.pack("!IHHI", 1700000000, 13, 2, len(body)) + body
    return out, offs


def main(tool):
    data, offs = records()
    n, fails = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "nopi.mrt")
        with open(path, "wb") as f:
            f.write(data)
        for cmd in ("mrt", "replay"):
            p = subprocess.run([tool, cmd, path], capture_output=True,
                               text=True)
            pre = f"bgpwatchctl: {cmd}: {path}: "
            # replay's note on running without watches is no warning
            lines = [x for x in p.stderr.splitlines()
                     if not x.startswith("bgpwatchctl: replay: no watches")]
            got = [int(m.group(1)) for m in
                   (re.match(re.escape(pre) + r"offset (\d+): TABLE_DUMP_V2"
                             r" RIB record without a PEER_INDEX_TABLE$", x)
                    for x in lines) if m]
            for ok, what in (
                    (got == offs[:SHOWN], "the first 100, with offsets"),
                    (pre + "further warnings not shown" in lines,
                     "the rest said to be hidden"),
                    (lines[-1] == pre + f"{N} warnings", "the total"),
                    (len(lines) == SHOWN + 2, "nothing else"),
                    (p.returncode == 1, "exit status 1")):
                n += 1
                fails += not ok
                print(f"{'ok' if ok else 'not ok'} {n} - {cmd}: {what}")
    print(f"1..{n}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
