#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# TABLE_DUMP_V2 RIB records that do not fit their PEER_INDEX_TABLE (RFC
# 6396 §4.3), read by `bgpwatchctl mrt` (text and -j) and `bgpwatchctl
# replay`, which share the walk (bgpd/mrtfile.c, mrtfile_rib_open() and
# mrtfile_rib_next()). A synthetic file [written here]:
#
#   offset   0  RIB_IPV4_UNICAST before any PEER_INDEX_TABLE: warned,
#               skipped
#   then        PEER_INDEX_TABLE of one peer (192.0.2.1, AS64500)
#   then        RIB_IPV4_UNICAST 198.51.100.0/24: an entry of peer 0 and
#               one of peer 7: the first shown, the second warned about
#   then        RIB_IPV4_UNICAST 203.0.113.0/24 announcing 2 entries and
#               holding 1: the entry shown, the cut warned about
#
# Each command must give the same three warnings, status 1, and (mrt)
# exactly the two good entries. TAP output.
#
# usage: td2warn.py BGPWATCHCTL

import json
import os
import struct
import subprocess
import sys
import tempfile

CTL = sys.argv[1]
TS = 1700000000
TD2, PIT, RIB4 = 13, 1, 2
PEER = ("192.0.2.1", 64500)


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def mrt(subtype, body):
    return struct.pack("!IHHI", TS, TD2, subtype, len(body)) + body


def peer_index_table():
    body = ip4("192.0.2.254") + struct.pack("!H", 0)  # no view name
    body += struct.pack("!H", 1)
    body += struct.pack("!B", 0x02) + ip4(PEER[0]) + ip4(PEER[0])
    body += struct.pack("!I", PEER[1])
    return mrt(PIT, body)


def attrs():
    path = struct.pack("!BB", 2, 2) + struct.pack("!II", PEER[1], 64511)
    return (struct.pack("!BBB", 0x40, 1, 1) + b"\x00" +
            struct.pack("!BBB", 0x40, 2, len(path)) + path +
            struct.pack("!BBB", 0x40, 3, 4) + ip4(PEER[0]))


def entry(index):
    a = attrs()
    return struct.pack("!HIH", index, TS - 60, len(a)) + a


def rib(seq, prefix, count, entries):
    addr, plen = prefix.split("/")
    body = struct.pack("!IB", seq, int(plen)) + ip4(addr)[:3]
    return mrt(RIB4, body + struct.pack("!H", count) + entries)


def run(*args):
    p = subprocess.run([CTL] + list(args), capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout.splitlines(), p.stderr.splitlines()


n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    failed += 0 if cond else 1
    print(f"{'ok' if cond else 'not ok'} {n} - {what}", flush=True)


def main():
    before = rib(0, "192.0.2.0/24", 1, entry(0))
    data = (before + peer_index_table() +
            rib(1, "198.51.100.0/24", 2, entry(0) + entry(7)) +
            rib(2, "203.0.113.0/24", 2, entry(0)))
    pit_off = len(before)
    rib1_off = pit_off + len(peer_index_table())
    rib2_off = rib1_off + len(rib(1, "198.51.100.0/24", 2,
                                  entry(0) + entry(7)))
    want = [
        (0, "TABLE_DUMP_V2 RIB record without a PEER_INDEX_TABLE"),
        (rib1_off, "RIB entry of peer 7: the PEER_INDEX_TABLE has 1 peers"),
        (rib2_off, "TABLE_DUMP_V2: "),
    ]
    with tempfile.TemporaryDirectory(prefix="bgpwatch-td2warn-") as d:
        path = os.path.join(d, "td2.mrt")
        with open(path, "wb") as f:
            f.write(data)
        for cmd in (["mrt"], ["mrt", "-j"], ["replay"]):
            rc, out, err = run(*cmd, path)
            name = " ".join(cmd)
            got = [x for x in err if ": offset " in x]
            match = len(got) == len(want) and all(
                f"bgpwatchctl: {cmd[0]}: {path}: offset {off}: {text}" in g
                for (off, text), g in zip(want, got))
            ok(match, f"{name}: the three warnings, in order: {err}")
            ok(rc == 1, f"{name}: status 1 ({rc})")
            if cmd == ["mrt"]:
                pfx = [x.split("|")[5] for x in out]
                ok(pfx == ["198.51.100.0/24", "203.0.113.0/24"] and
                   all(x.startswith("TABLE_DUMP2|") and
                       f"|B|{PEER[0]}|{PEER[1]}|" in x for x in out),
                   f"{name}: the two good entries, of peer 0: {out}")
            elif cmd == ["mrt", "-j"]:
                objs = [json.loads(x) for x in out]
                ok([o["prefix"] for o in objs] ==
                   ["198.51.100.0/24", "203.0.113.0/24"],
                   f"{name}: the two good entries: {out}")
    print(f"1..{n}", flush=True)
    return 1 if failed else 0


sys.exit(main())
