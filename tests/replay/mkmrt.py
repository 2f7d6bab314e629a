#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""Write the synthetic MRT files of the replay tests (RFC 6396).

    mkmrt.py nk2017 DIR     DIR/nk2017-rib.mrt and DIR/nk2017-updates.mrt
    mkmrt.py corrupt DIR    DIR/corrupt.mrt: two good records around
                            20 octets of junk, then a record cut short

nk2017: the 2017-10-01 North Korea case of
/work/shared/corpora/nk2017.md, as two RIS-like files [synthetic]:

- a TABLE_DUMP_V2 RIB dump at 2017-10-01 08:00:00 UTC: two collector peers
  (192.0.2.1 AS2914, 192.0.2.2 AS1299) with the four /24s of AS131279
  (Star JV) through AS4837 (China Unicom), and one unrelated prefix;
- BGP4MP_ET updates: at 09:07:51 (the time source A of nk2017.md gives)
  the AS2914 peer moves .176, .178 and .179 to AS20485 (TransTeleCom), not
  .177; at 10:14:45 back to AS4837; at 10:20:00 an unrelated update moves
  the clock past the 300 s hold-down; at 11:00 the AS1299 peer's session
  is reset with an RFC 9003 shutdown NOTIFICATION and at 11:01 comes back
  (OPENs both ways) with its routes and an End-of-RIB.

Standard library only; every file is the same bytes on every run.
"""
import os
import struct
import sys

T_RIB = 1506844800  # 2017-10-01T08:00:00Z
MRT_TABLE_DUMP_V2 = 13
MRT_BGP4MP_ET = 17
PEER_INDEX_TABLE = 1
RIB_IPV4_UNICAST = 2
MESSAGE_AS4 = 4
STATE_CHANGE_AS4 = 5
MESSAGE_AS4_LOCAL = 7

COLLECTOR = "192.0.2.254"
LOCAL_AS = 64512
PEERS = [("192.0.2.1", 2914, "192.0.2.1"), ("192.0.2.2", 1299, "192.0.2.2")]
NETS = ["175.45.176.0/24", "175.45.177.0/24", "175.45.178.0/24",
        "175.45.179.0/24"]
OTHER = "198.51.100.0/24"
CU = [4837, 131279]       # via China Unicom
TTK = [20485, 131279]     # via TransTeleCom


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def nlri(prefix):
    addr, plen = prefix.split("/")
    plen = int(plen)
    return bytes([plen]) + ip4(addr)[:(plen + 7) // 8]


def mrt(ts, mtype, subtype, body, usec=None):
    if usec is not None:
        body = struct.pack("!I", usec) + body
    return struct.pack("!IHHI", ts, mtype, subtype, len(body)) + body


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def attrs(path, nexthop):
    aspath = struct.pack("!BB", 2, len(path)) + b"".join(
        struct.pack("!I", a) for a in path)
    return (attr(0x40, 1, b"\x00") + attr(0x40, 2, aspath) +
            attr(0x40, 3, ip4(nexthop)))


def peer_index_table():
    body = ip4(COLLECTOR) + struct.pack("!H", 4) + b"test"
    body += struct.pack("!H", len(PEERS))
    for ip, asn, bgp_id in PEERS:
        body += struct.pack("!B", 0x02) + ip4(bgp_id) + ip4(ip)
        body += struct.pack("!I", asn)
    return mrt(T_RIB, MRT_TABLE_DUMP_V2, PEER_INDEX_TABLE, body)


def rib_record(seq, prefix, path_of_peer):
    entries = b""
    for i, (ip, asn, _) in enumerate(PEERS):
        a = attrs([asn] + path_of_peer, ip)
        entries += struct.pack("!HIH", i, T_RIB - 3600, len(a)) + a
    body = struct.pack("!I", seq) + nlri(prefix)
    body += struct.pack("!H", len(PEERS)) + entries
    return mrt(T_RIB, MRT_TABLE_DUMP_V2, RIB_IPV4_UNICAST, body)


def bgp4mp_head(peer):
    ip, asn, _ = PEERS[peer]
    return (struct.pack("!IIHH", asn, LOCAL_AS, 0, 1) + ip4(ip) +
            ip4(COLLECTOR))


def bgp_msg(mtype, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), mtype) + body


def update(peer, ts, announce=None, path=None, withdraw=None, usec=0):
    wd = b"".join(nlri(p) for p in withdraw or [])
    pa = attrs([PEERS[peer][1]] + path, PEERS[peer][0]) if announce else b""
    body = struct.pack("!H", len(wd)) + wd + struct.pack("!H", len(pa))
    body += pa + b"".join(nlri(p) for p in announce or [])
    return mrt(ts, MRT_BGP4MP_ET, MESSAGE_AS4,
               bgp4mp_head(peer) + bgp_msg(2, body), usec)


def state(peer, ts, old, new, usec=0):
    return mrt(ts, MRT_BGP4MP_ET, STATE_CHANGE_AS4,
               bgp4mp_head(peer) + struct.pack("!HH", old, new), usec)


def open_msg(peer, ts, local=False, usec=0):
    ip, asn, bgp_id = PEERS[peer]
    if local:
        asn, bgp_id = LOCAL_AS, COLLECTOR
    caps = (b"\x01\x04\x00\x01\x00\x01" +          # MP IPv4 unicast
            b"\x02\x00" +                          # route refresh
            b"\x41\x04" + struct.pack("!I", asn))  # 4-octet AS
    params = struct.pack("!BB", 2, len(caps)) + caps
    body = struct.pack("!BHH", 4, asn if asn < 65536 else 23456,
                       90 if local else 180) + ip4(bgp_id)
    body += struct.pack("!B", len(params)) + params
    sub = MESSAGE_AS4_LOCAL if local else MESSAGE_AS4
    return mrt(ts, MRT_BGP4MP_ET, sub, bgp4mp_head(peer) + bgp_msg(1, body),
               usec)


def notification(peer, ts, text, usec=0):
    comm = text.encode()
    body = struct.pack("!BBB", 6, 2, len(comm)) + comm
    return mrt(ts, MRT_BGP4MP_ET, MESSAGE_AS4,
               bgp4mp_head(peer) + bgp_msg(3, body), usec)


def nk2017(outdir):
    rib = peer_index_table()
    for seq, net in enumerate(NETS):
        rib += rib_record(seq, net, CU)
    rib += rib_record(len(NETS), OTHER, [64500])
    ttk = [NETS[0], NETS[2], NETS[3]]
    up = []
    up.append(update(0, 1506848871, announce=ttk, path=TTK, usec=250000))
    up.append(update(0, 1506852885, announce=ttk, path=CU))
    up.append(update(1, 1506853200, announce=[OTHER], path=[64500, 64501]))
    up.append(notification(1, 1506855600, "maintenance, back soon"))
    up.append(state(1, 1506855600, 6, 1, usec=1000))
    up.append(state(1, 1506855660, 1, 2))
    up.append(state(1, 1506855660, 2, 4, usec=100))
    up.append(open_msg(1, 1506855661, local=True))
    up.append(open_msg(1, 1506855661, usec=500))
    up.append(state(1, 1506855661, 4, 5, usec=600))
    up.append(state(1, 1506855661, 5, 6, usec=700))
    up.append(update(1, 1506855662, announce=NETS, path=CU))
    up.append(update(1, 1506855662, announce=[OTHER], path=[64500]))
    up.append(update(1, 1506855663))  # End-of-RIB (RFC 4724 §2)
    with open(os.path.join(outdir, "nk2017-rib.mrt"), "wb") as f:
        f.write(rib)
    with open(os.path.join(outdir, "nk2017-updates.mrt"), "wb") as f:
        f.write(b"".join(up))


def corrupt(outdir):
    good1 = update(0, 1506848871, announce=[NETS[0]], path=CU)
    junk = b"\x00\x01\x02\x03" * 5
    good2 = update(0, 1506848872, announce=[NETS[1]], path=CU)
    cut = update(0, 1506848873, announce=[NETS[2]], path=CU)[:-7]
    with open(os.path.join(outdir, "corrupt.mrt"), "wb") as f:
        f.write(good1 + junk + good2 + cut)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("nk2017", "corrupt"):
        sys.stderr.write("usage: mkmrt.py nk2017|corrupt DIR\n")
        return 2
    {"nk2017": nk2017, "corrupt": corrupt}[sys.argv[1]](sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
