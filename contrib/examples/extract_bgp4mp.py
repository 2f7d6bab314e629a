#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Extract BGP messages from the BGP4MP / BGP4MP_ET records of an MRT file
# (RFC 6396 §4.4, plain, .gz or .bz2) and print them as commented hex that
# `bgpwatchctl decode` reads. Records can be picked by time, by AS path
# and by message type. Python 3 standard library only.
#
# Example (the file contrib/examples/update-nk2015.hex was made so):
#   extract_bgp4mp.py --time 1445565708.372152 \
#       --as-path "2914 1239 4837 131279" \
#       /work/shared/corpora/mrt/bgpdump/test_data/updates.et-header.2015.gz

import argparse
import bz2
import datetime
import gzip
import ipaddress
import struct
import sys

MRT_BGP4MP = 16
MRT_BGP4MP_ET = 17  # RFC 6396 §3: a microsecond field follows the header

# BGP4MP subtypes that carry a BGP message (RFC 6396 §4.4, RFC 8050 §3):
# subtype -> octets per AS number in the peer header.
MESSAGE_SUBTYPES = {
    1: 2,   # BGP4MP_MESSAGE
    4: 4,   # BGP4MP_MESSAGE_AS4
    6: 2,   # BGP4MP_MESSAGE_LOCAL
    7: 4,   # BGP4MP_MESSAGE_AS4_LOCAL
    8: 2,   # BGP4MP_MESSAGE_ADDPATH
    9: 4,   # BGP4MP_MESSAGE_AS4_ADDPATH
    10: 2,  # BGP4MP_MESSAGE_LOCAL_ADDPATH
    11: 4,  # BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH
}
TYPE_NAMES = {1: "OPEN", 2: "UPDATE", 3: "NOTIFICATION", 4: "KEEPALIVE",
              5: "ROUTE-REFRESH"}


def open_mrt(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    if path.endswith(".bz2"):
        return bz2.open(path, "rb")
    return open(path, "rb")


def records(fp):
    """Yield (index, seconds, microseconds, type, subtype, body)."""
    index = 0
    while True:
        hdr = fp.read(12)
        if len(hdr) < 12:
            return
        ts, mtype, subtype, length = struct.unpack("!IHHI", hdr)
        body = fp.read(length)
        if len(body) < length:
            sys.exit(f"record {index}: truncated MRT record")
        usec = 0
        if mtype == MRT_BGP4MP_ET:
            if length < 4:
                sys.exit(f"record {index}: BGP4MP_ET record too short")
            usec = struct.unpack("!I", body[:4])[0]
            body = body[4:]
        yield index, ts, usec, mtype, subtype, body
        index += 1


def bgp4mp_message(subtype, body):
    """Split a BGP4MP message record into its peer header and message."""
    asz = MESSAGE_SUBTYPES[subtype]
    fmt = "!HH" if asz == 2 else "!II"
    peer_as, local_as = struct.unpack(fmt, body[:2 * asz])
    off = 2 * asz
    _ifindex, afi = struct.unpack("!HH", body[off:off + 4])
    off += 4
    alen = 4 if afi == 1 else 16
    peer_ip = ipaddress.ip_address(body[off:off + alen])
    local_ip = ipaddress.ip_address(body[off + alen:off + 2 * alen])
    off += 2 * alen
    return {"peer_as": peer_as, "local_as": local_as, "peer_ip": peer_ip,
            "local_ip": local_ip, "as4": asz == 4, "msg": body[off:]}


def update_as_path(msg, as4):
    """The AS_PATH of an UPDATE as a flat list (RFC 4271 §4.3), or None."""
    if len(msg) < 23 or msg[18] != 2:
        return None
    wlen = struct.unpack("!H", msg[19:21])[0]
    off = 21 + wlen
    alen = struct.unpack("!H", msg[off:off + 2])[0]
    off += 2
    end = off + alen
    while off + 3 <= end:
        flags, code = msg[off], msg[off + 1]
        if flags & 0x10:
            vlen = struct.unpack("!H", msg[off + 2:off + 4])[0]
            off += 4
        else:
            vlen = msg[off + 2]
            off += 3
        if code == 2:
            return aspath_flat(msg[off:off + vlen], 4 if as4 else 2)
        off += vlen
    return None


def aspath_flat(val, asz):
    path, off = [], 0
    while off + 2 <= len(val):
        count = val[off + 1]
        off += 2
        for _ in range(count):
            path.append(int.from_bytes(val[off:off + asz], "big"))
            off += asz
    return path


def hex_lines(b, width=16):
    return [" ".join(f"{x:02x}" for x in b[i:i + width])
            for i in range(0, len(b), width)]


def print_message(path, idx, ts, usec, mtype, subtype, m, out):
    msg = m["msg"]
    when = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    tname = TYPE_NAMES.get(msg[18], str(msg[18])) if len(msg) > 18 else "?"
    out.write(f"# BGP {tname} message, {len(msg)} octets, from MRT record "
              f"{idx} of {path.rsplit('/', 1)[-1]}\n")
    out.write(f"# {'BGP4MP_ET' if mtype == MRT_BGP4MP_ET else 'BGP4MP'} "
              f"subtype {subtype}, time {when:%Y-%m-%d %H:%M:%S}"
              f".{usec:06d} UTC ({ts}.{usec:06d})\n")
    out.write(f"# peer {m['peer_ip']} AS{m['peer_as']}, "
              f"local {m['local_ip']} AS{m['local_as']}\n")
    if not m["as4"]:
        out.write("# 2-octet AS record: decode with --as2\n")
    out.write("# marker\n")
    out.write(hex_lines(msg[:16])[0] + "\n")
    out.write("# length, type\n")
    out.write(" ".join(f"{x:02x}" for x in msg[16:19]) + "\n")
    if len(msg) > 19:
        out.write("# body\n")
        out.write("\n".join(hex_lines(msg[19:])) + "\n")


def main():
    ap = argparse.ArgumentParser(
        description="Print BGP messages from MRT BGP4MP(_ET) records as hex "
                    "for `bgpwatchctl decode`.")
    ap.add_argument("mrt", help="MRT file (plain, .gz or .bz2)")
    ap.add_argument("--time", help="record time, SECONDS or SECONDS.USEC")
    ap.add_argument("--as-path", help='AS_PATH to match, e.g. "2914 4837"')
    ap.add_argument("--type", default="UPDATE",
                    help="message type to match (default UPDATE; 'any')")
    ap.add_argument("--count", type=int, default=1,
                    help="stop after this many messages (default 1)")
    args = ap.parse_args()

    want_ts = want_usec = None
    if args.time is not None:
        sec, _, frac = args.time.partition(".")
        want_ts = int(sec)
        want_usec = int(frac.ljust(6, "0")) if frac else None
    want_path = [int(a) for a in args.as_path.split()] if args.as_path \
        else None

    found = 0
    with open_mrt(args.mrt) as fp:
        for idx, ts, usec, mtype, subtype, body in records(fp):
            if mtype not in (MRT_BGP4MP, MRT_BGP4MP_ET) or \
                    subtype not in MESSAGE_SUBTYPES:
                continue
            if want_ts is not None and (ts != want_ts or (
                    want_usec is not None and usec != want_usec)):
                continue
            m = bgp4mp_message(subtype, body)
            msg = m["msg"]
            if args.type != "any" and (len(msg) < 19 or
                                       TYPE_NAMES.get(msg[18]) != args.type):
                continue
            if want_path is not None and \
                    update_as_path(msg, m["as4"]) != want_path:
                continue
            if found > 0:
                sys.stdout.write("\n")
            print_message(args.mrt, idx, ts, usec, mtype, subtype, m,
                          sys.stdout)
            found += 1
            if found == args.count:
                break
    if found == 0:
        sys.exit("no matching BGP4MP message")


if __name__ == "__main__":
    main()
