#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Write the synthetic MRT files of tests/data/mrt/synthetic/ (RFC 6396),
# for the subtypes and attribute forms the real corpus lacks:
#   bgpdump.mrt   what bgpdump 1.6.2 decodes too: BGP4MP MESSAGE_LOCAL,
#                 MESSAGE_AS4_LOCAL, the ADD-PATH subtypes (RFC 8050),
#                 BGP4MP_ET with MP_REACH/MP_UNREACH, AS_SET, confederation
#                 segments with AS4_PATH, every attribute of the -m line,
#                 TABLE_DUMP AFI_IPv6, STATE_CHANGE_AS4 over IPv6,
#                 non-UPDATE messages; its reference is bgpdump -vm output.
#   extra.mrt     what bgpdump 1.6.2 does not decode: RIB_IPV4_MULTICAST,
#                 RIB_IPV6_MULTICAST_ADDPATH, RIB_GENERIC, the full MP_REACH
#                 form in a RIB entry, GEO_PEER_TABLE, BGP4MP_ENTRY and an
#                 OSPFv2 record (both skipped and counted); its expected
#                 output was checked by hand against RFC 6396.
# usage: synthetic.py DIR          write them
#        synthetic.py --check DIR  check that the stored files are these

import ipaddress
import os
import struct
import sys

T = 1600000000


def rec(ts, t, st, body, usec=None):
    if usec is not None:
        body = struct.pack('>I', usec) + body
    return struct.pack('>IHHI', ts, t, st, len(body)) + body


def bgpmsg(typ, body):
    return b'\xff' * 16 + struct.pack('>HB', 19 + len(body), typ) + body


def attr(flags, t, v):
    if len(v) > 255:
        return struct.pack('>BBH', flags | 0x10, t, len(v)) + v
    return struct.pack('>BBB', flags, t, len(v)) + v


def aspath(segs, w):
    fmt = '>I' if w == 4 else '>H'
    return b''.join(struct.pack('>BB', typ, len(asns)) +
                    b''.join(struct.pack(fmt, a) for a in asns)
                    for typ, asns in segs)


def update(wd, attrs, nlri):
    return (struct.pack('>H', len(wd)) + wd + struct.pack('>H', len(attrs)) +
            attrs + nlri)


def ip4(s):
    return ipaddress.IPv4Address(s).packed


def ip6(s):
    return ipaddress.IPv6Address(s).packed


def pfx(s, pid=None):
    net = ipaddress.ip_network(s)
    b = net.network_address.packed[:(net.prefixlen + 7) // 8]
    return ((struct.pack('>I', pid) if pid is not None else b'') +
            bytes([net.prefixlen]) + b)


def bgp4mp_hdr(pas, las, afi, peer, local, as4=True):
    f = '>IIHH' if as4 else '>HHHH'
    a = ip4 if afi == 1 else ip6
    return struct.pack(f, pas, las, 0, afi) + a(peer) + a(local)


ALL_ATTRS = (attr(0x40, 1, b'\x00') +
             attr(0x40, 2, aspath([(2, [65001, 65002]),
                                   (1, [65003, 65004])], 4)) +
             attr(0x40, 3, ip4('192.0.2.1')) +
             attr(0x80, 4, struct.pack('>I', 7)) +
             attr(0x40, 5, struct.pack('>I', 200)) +
             attr(0x40, 6, b'') +
             attr(0xc0, 7, struct.pack('>I', 65009) + ip4('192.0.2.9')) +
             attr(0xc0, 8, struct.pack('>IIII', 0xffffff01, 0xffffff02,
                                       0xffffff03, (65001 << 16) | 42)) +
             attr(0xc0, 32, struct.pack('>III', 65001, 1, 2)))


def peer_index():
    return (ip4('192.0.2.254') + struct.pack('>HH', 0, 2) +
            bytes([2]) + ip4('192.0.2.1') + ip4('192.0.2.1') +
            struct.pack('>I', 65001) +
            bytes([3]) + ip4('192.0.2.2') + ip6('2001:db8::2') +
            struct.pack('>I', 4200000000))


def rib(seq, prefix, entries):
    return (struct.pack('>I', seq) + prefix + struct.pack('>H', len(entries)) +
            b''.join(entries))


def rib_entry(peer, attrs, pid=None):
    return (struct.pack('>HI', peer, T) +
            (struct.pack('>I', pid) if pid is not None else b'') +
            struct.pack('>H', len(attrs)) + attrs)


def bgpdump_file():
    out = rec(T, 16, 9, bgp4mp_hdr(65001, 65000, 1, '198.51.100.1',
                                   '198.51.100.2') +
              bgpmsg(2, update(pfx('10.0.0.0/8', 5), ALL_ATTRS,
                               pfx('192.0.2.0/24', 1) +
                               pfx('192.0.2.0/24', 2))))
    out += rec(T + 1, 16, 7, bgp4mp_hdr(65001, 65000, 1, '198.51.100.1',
                                        '198.51.100.2') +
               bgpmsg(2, update(b'', ALL_ATTRS, pfx('203.0.113.0/24'))))
    # RFC 6793 §4.2.3 with RFC 5065 confederation segments in front.
    a2 = (attr(0x40, 1, b'\x02') +
          attr(0x40, 2, aspath([(3, [64512, 64513]), (2, [23456, 65002])],
                               2)) +
          attr(0x40, 3, ip4('192.0.2.1')) +
          attr(0xc0, 17, aspath([(2, [4200000000, 65002])], 4)))
    out += rec(T + 2, 16, 6, bgp4mp_hdr(65001, 65000, 1, '198.51.100.1',
                                        '198.51.100.2', as4=False) +
               bgpmsg(2, update(b'', a2, pfx('198.18.0.0/15'))))
    mp = (struct.pack('>HBB', 2, 1, 32) + ip6('2001:db8::1') +
          ip6('fe80::1') + b'\x00' + pfx('2001:db8:1::/48'))
    mpu = struct.pack('>HB', 2, 1) + pfx('2001:db8:2::/48')
    a6 = (attr(0x40, 1, b'\x01') + attr(0x40, 2, aspath([(2, [65001])], 4)) +
          attr(0x80, 14, mp) + attr(0x80, 15, mpu))
    out += rec(T + 3, 17, 4, bgp4mp_hdr(65001, 65000, 2, '2001:db8::a',
                                        '2001:db8::b') +
               bgpmsg(2, update(b'', a6, b'')), usec=42)
    # TABLE_DUMP AFI_IPv6: 2-octet AS, abbreviated MP_REACH (§4.3.4).
    td = (attr(0x40, 1, b'\x00') + attr(0x40, 2, aspath([(2, [65001, 65002])],
                                                        2)) +
          attr(0x80, 14, bytes([16]) + ip6('2001:db8::1')))
    out += rec(T + 4, 12, 2, struct.pack('>HH', 0, 1) + ip6('2001:db8:100::') +
               bytes([40, 1]) + struct.pack('>I', T) + ip6('2001:db8::1') +
               struct.pack('>HH', 65001, len(td)) + td)
    out += rec(T + 5, 16, 5, bgp4mp_hdr(4200000000, 65000, 2, '2001:db8::a',
                                        '2001:db8::b') +
               struct.pack('>HH', 6, 1))
    out += rec(T + 6, 13, 1, peer_index())
    ra = (attr(0x40, 1, b'\x00') +
          attr(0x40, 2, aspath([(2, [65001, 65005])], 4)) +
          attr(0x40, 3, ip4('192.0.2.1')))
    out += rec(T + 6, 13, 2, rib(0, pfx('192.0.2.0/24'), [rib_entry(0, ra)]))
    ra6 = (attr(0x40, 1, b'\x00') +
           attr(0x40, 2, aspath([(2, [4200000000])], 4)) +
           attr(0x80, 14, bytes([32]) + ip6('2001:db8::2') + ip6('fe80::2')))
    out += rec(T + 6, 13, 4, rib(2, pfx('2001:db8::/32'), [rib_entry(1, ra6)]))
    out += rec(T + 7, 16, 8, bgp4mp_hdr(65001, 65000, 1, '198.51.100.1',
                                        '198.51.100.2', as4=False) +
               bgpmsg(2, update(pfx('10.1.0.0/16', 3), b'', b'')))
    # Messages that make no -m line: KEEPALIVE, OPEN, NOTIFICATION.
    hdr = bgp4mp_hdr(65001, 65000, 1, '198.51.100.1', '198.51.100.2')
    out += rec(T + 8, 16, 4, hdr + bgpmsg(4, b''))
    out += rec(T + 8, 16, 4, hdr + bgpmsg(1, struct.pack('>BHHIB', 4, 65001,
                                                         90, 0xc0000201, 0)))
    out += rec(T + 8, 16, 4, hdr + bgpmsg(3, b'\x06\x02'))
    return out


def extra_file():
    out = rec(T, 13, 7, ip4('192.0.2.254') + struct.pack('>H', 0))
    out += rec(T, 13, 1, peer_index())
    ra = (attr(0x40, 1, b'\x00') +
          attr(0x40, 2, aspath([(2, [65001, 65005])], 4)) +
          attr(0x40, 3, ip4('192.0.2.1')))
    out += rec(T, 13, 3, rib(1, pfx('232.0.0.0/8'), [rib_entry(0, ra)]))
    # The full RFC 4760 MP_REACH form, as some producers write it.
    full = (attr(0x40, 1, b'\x00') + attr(0x40, 2, aspath([(2, [65007])], 4)) +
            attr(0x80, 14, struct.pack('>HBB', 2, 2, 16) + ip6('2001:db8::7') +
                 b'\x00'))
    out += rec(T, 13, 11, rib(2, pfx('ff0e::/16'),
                              [rib_entry(1, full, 7), rib_entry(1, full, 8)]))
    out += rec(T, 13, 6, rib(3, struct.pack('>HB', 1, 1) +
                             pfx('198.51.100.0/24'), [rib_entry(0, ra)]))
    # RIB_GENERIC of a family without a prefix codec: skipped, counted.
    out += rec(T, 13, 6, struct.pack('>IHB', 4, 25, 65) + b'\x00\x00')
    out += rec(T, 16, 2, b'\x00' * 8)
    out += rec(T, 11, 0, b'\x00' * 8)
    return out


def main(argv):
    files = {'bgpdump.mrt': bgpdump_file(), 'extra.mrt': extra_file()}
    if len(argv) == 3 and argv[1] == '--check':
        bad = 0
        for name, data in files.items():
            with open(os.path.join(argv[2], name), 'rb') as f:
                if f.read() != data:
                    print('FAIL: %s is not what synthetic.py writes' % name)
                    bad = 1
        print('synthetic files: %s' % ('differ' if bad else 'identical'))
        return bad
    if len(argv) != 2:
        print('usage: synthetic.py [--check] DIR', file=sys.stderr)
        return 2
    for name, data in files.items():
        with open(os.path.join(argv[1], name), 'wb') as f:
            f.write(data)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
