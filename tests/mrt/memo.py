#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# `bgpwatchctl mrt` remembers the text of RIB entries by attribute set
# (cmd_mrt.c, mrtcmd_rib_text()). This TABLE_DUMP_V2 file (RFC 6396 §4.3)
# repeats sets on purpose: a clean one, one shown with a warning (a
# malformed ATOMIC_AGGREGATE, discarded per RFC 7606 §7.6), and the same
# octets in RIBs of two families, good in one and not in the other (an
# abbreviated MP_REACH_NLRI with a 4-octet next hop). Every entry must
# give its own full line, and every warned one its own warning, exactly
# as -j (which never uses the memo) shows them.
#
# usage: memo.py BGPWATCHCTL

import json
import os
import struct
import subprocess
import sys
import tempfile

TD2 = 13
PEER_INDEX, RIB4, RIB6 = 1, 2, 4


def rec(subtype, body, ts=1700000000):
    return struct.pack('!IHHI', ts, TD2, subtype, len(body)) + body


def attr(flags, code, value):
    return struct.pack('!BBB', flags, code, len(value)) + value


ORIGIN = attr(0x40, 1, b'\x00')
PATH = attr(0x40, 2, b'\x02\x02' + struct.pack('!II', 4837, 131279))
NH = attr(0x40, 3, bytes([192, 0, 2, 1]))
GOOD = ORIGIN + PATH + NH
BAD = GOOD + attr(0x40, 6, b'\x00')  # ATOMIC_AGGREGATE of length 1
# RFC 6396 §4.3.4: IPv6 next hop as next hop length and address only.
MP6 = attr(0x80, 14, b'\x10' + bytes.fromhex('20010db8' + '0' * 22 + '01'))
MP4 = attr(0x80, 14, b'\x04' + bytes([192, 0, 2, 1]))


def peers():
    body = struct.pack('!IH', 0xc0000201, 0) + struct.pack('!H', 2)
    body += b'\x02' + struct.pack('!I4sI', 1, bytes([192, 0, 2, 1]), 4837)
    body += b'\x03' + struct.pack('!I16sI', 2, bytes(15) + b'\x01', 20485)
    return rec(PEER_INDEX, body)


def rib(subtype, seq, prefix, entries):
    plen, addr = prefix
    body = struct.pack('!IB', seq, plen) + addr[:(plen + 7) // 8]
    body += struct.pack('!H', len(entries))
    for peer, attrs in entries:
        body += struct.pack('!HIH', peer, 1700000000, len(attrs)) + attrs
    return rec(subtype, body)


def build():
    out = peers()
    seq = 0
    plan = [GOOD, BAD, GOOD, BAD, BAD, GOOD]
    for i, attrs in enumerate(plan):
        out += rib(RIB4, seq, (24, bytes([10, 0, i, 0])),
                   [(0, attrs), (1, attrs)])
        seq += 1
    for i in range(3):
        out += rib(RIB6, seq, (48, bytes.fromhex('20010db8%04x' % i)),
                   [(1, ORIGIN + PATH + MP6), (0, ORIGIN + PATH + MP6)])
        seq += 1
    # Fine for IPv4 (RFC 8950 aside, a 4-octet next hop); not for IPv6.
    mp4 = ORIGIN + PATH + MP4
    out += rib(RIB4, seq, (24, bytes([10, 1, 0, 0])), [(0, mp4)])
    out += rib(RIB6, seq + 1, (48, bytes.fromhex('20010db8ffff')), [(1, mp4)])
    out += rib(RIB4, seq + 2, (24, bytes([10, 1, 1, 0])), [(0, mp4)])
    return out, 2 * len(plan) + 6 + 2, 2 * plan.count(BAD)


def main(tool):
    data, nlines, nwarn = build()
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'memo.mrt')
        with open(path, 'wb') as f:
            f.write(data)
        text = subprocess.run([tool, 'mrt', path], capture_output=True,
                              text=True)
        js = subprocess.run([tool, 'mrt', '-j', path], capture_output=True,
                            text=True)
    lines = text.stdout.splitlines()
    objs = [json.loads(x) for x in js.stdout.splitlines()]
    checks = [
        ('one line per entry', len(lines) == nlines == len(objs)),
        ('one warning per warned entry, as -j',
         text.stderr.count('ATOMIC_AGGREGATE') == nwarn and
         text.stderr == js.stderr),
        ('the IPv6 entry with a 4-octet next hop is judged, not recalled',
         'MP_REACH_NLRI' in text.stderr and
         '2001:db8:ffff::/48' not in text.stdout),
        ('same exit status as -j', text.returncode == js.returncode),
    ]
    tails = {}
    for line, obj in zip(lines, objs):
        f = line.split('|')
        a = obj['attributes']
        # bgpdump's IPv4 line shows NEXT_HOP only, "255.255.255.255" if none
        want_nh = (a['mp_reach']['next_hop'][0]
                   if 'mp_reach' in a and ':' in obj['prefix']
                   else a.get('next_hop', '255.255.255.255'))
        tails.setdefault(json.dumps(a, sort_keys=True), set()).add(
            '|'.join(f[6:]))
        checks.append(('%s %s: prefix, path, next hop' % (f[3], f[5]),
                       f[5] == obj['prefix'] and f[3] == obj['peer']['ip'] and
                       f[6] == '4837 131279' and f[8] == want_nh and
                       len(f) == 15))
    checks.append(('equal attributes, equal text',
                   all(len(t) == 1 for t in tails.values())))
    for i, (what, ok) in enumerate(checks, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, what))
        fails += not ok
    print('1..%d' % len(checks))
    if fails:
        sys.stderr.write(text.stdout + text.stderr)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
