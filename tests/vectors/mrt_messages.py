#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Real BGP messages from RIPE RIS / RouteViews MRT files (the updates.*
# files of tests/data/mrt/bgpdump, shared with tests/mrt/ and the bench):
# every message in a BGP4MP or BGP4MP_ET MESSAGE* record (RFC 6396 §4.4,
# RFC 8050 §3) goes through `bgpwatchctl decode --binary`, which must give
# one JSON line per message and never crash; verdicts are counted; and the
# announced/withdrawn prefixes, AS paths and the other route fields are
# compared with the bgpdump -vm reference lines next to each file.
#
# Usage: mrt_messages.py --ctl BGPWATCHCTL --data TESTS/DATA [-v]

import argparse
import collections
import gzip
import ipaddress
import itertools
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vecutil  # noqa: E402

MRT_BGP4MP = 16
MRT_BGP4MP_ET = 17  # RFC 6396 §3: a microsecond field follows the header

# BGP4MP subtypes carrying a BGP message (RFC 6396 §4.4, RFC 8050 §3):
# subtype -> (4-octet AS fields and message, ADD-PATH).
MSG_SUBTYPES = {
    1: (False, False),   # BGP4MP_MESSAGE
    4: (True, False),    # BGP4MP_MESSAGE_AS4
    6: (False, False),   # BGP4MP_MESSAGE_LOCAL
    7: (True, False),    # BGP4MP_MESSAGE_AS4_LOCAL
    8: (False, True),    # BGP4MP_MESSAGE_ADDPATH
    9: (True, True),     # BGP4MP_MESSAGE_AS4_ADDPATH
    10: (False, True),   # BGP4MP_MESSAGE_LOCAL_ADDPATH
    11: (True, True),    # BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH
}

# Where the reference is wrong. (file, reference prefix) -> (ours, why).
REF_ERRORS = {
    ("updates.nlri_mask_trailing_bits.gz", "11.13.0.0/13"): (
        "11.8.0.0/13",
        "RFC 4271 §4.3: bits beyond the prefix length are irrelevant, so "
        "the NLRI 0x0d 0x0b 0x0d reads 11.8.0.0/13; Debian bgpdump 1.6.2 "
        "prints the unmasked 11.13.0.0/13 (fixed upstream in 8f067c8)"),
}

# bgpdump's names for the RFC 1997 well-known communities.
WELL_KNOWN = {"65535:65281": "no-export", "65535:65282": "no-advertise",
              "65535:65283": "local-AS"}
ORIGIN_TEXT = {"igp": "IGP", "egp": "EGP", "incomplete": "INCOMPLETE"}
SEG_TEXT = {"sequence": ("", " ", ""), "set": ("{", ",", "}"),
            "confed-sequence": ("(", " ", ")"),
            "confed-set": ("[", ",", "]")}


# Files with a message the RFC says to reject, and how the test makes
# a valid one of it to compare routes with the reference.
# file -> (why, repair function over the whole message).
def drop_partial_nlri(msg):
    """Cut a trailing incomplete prefix off the IPv4 NLRI field."""
    wl = int.from_bytes(msg[19:21], "big")
    al = int.from_bytes(msg[21 + wl:23 + wl], "big")
    pos = end = 23 + wl + al
    while pos < len(msg):
        nxt = pos + 1 + (msg[pos] + 7) // 8
        if nxt > len(msg):
            break
        pos = end = nxt
    out = bytearray(msg[:end])
    out[16:18] = len(out).to_bytes(2, "big")
    return bytes(out)


REPAIRS = {
    "updates.nlri_mask_trailing_bits.gz": (
        "its NLRI field is 0d 0b 0d 0b: 11.8.0.0/13 and then a /11 with no "
        "address octets, so the field does not end on a prefix boundary: "
        "RFC 7606 §5.3 -> session reset, NOTIFICATION 3/10 (RFC 4271 "
        "§6.3 Invalid Network Field). bgpdump prints the complete prefix; "
        "the routes are compared on the message without the dangling octet",
        drop_partial_nlri, ("session-reset", 3, 10)),
}


def norm_addr(text):
    """RFC 5952 form, so glibc's and Python's text forms compare equal."""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def norm_line(line):
    """Normalise the address columns of a bgpdump -m line."""
    cols = line.split("|")
    for i in (3, 8):
        if i < len(cols):
            cols[i] = norm_addr(cols[i])
    if len(cols) > 5:
        addr, _, plen = cols[5].partition("/")
        cols[5] = norm_addr(addr) + "/" + plen
    if len(cols) > 13 and " " in cols[13]:
        asn, _, addr = cols[13].partition(" ")
        cols[13] = asn + " " + norm_addr(addr)
    return "|".join(cols)


class Message:
    __slots__ = ("ts", "et", "peer_ip", "peer_as", "as4", "addpath",
                 "data")


def mrt_records(blob):
    """Yield (timestamp, type, subtype, body) of each record (RFC 6396 §2)."""
    off = 0
    while off + 12 <= len(blob):
        ts = int.from_bytes(blob[off:off + 4], "big")
        rtype = int.from_bytes(blob[off + 4:off + 6], "big")
        sub = int.from_bytes(blob[off + 6:off + 8], "big")
        ln = int.from_bytes(blob[off + 8:off + 12], "big")
        body = blob[off + 12:off + 12 + ln]
        if len(body) != ln:
            raise ValueError("torn MRT record at offset %d" % off)
        off += 12 + ln
        yield ts, rtype, sub, body


def bgp4mp_message(ts, rtype, sub, body):
    """A Message from a BGP4MP(_ET) MESSAGE* record (RFC 6396 §4.4.2)."""
    m = Message()
    m.as4, m.addpath = MSG_SUBTYPES[sub]
    m.et = rtype == MRT_BGP4MP_ET
    if m.et:
        m.ts = "%d.%06d" % (ts, int.from_bytes(body[:4], "big"))
        body = body[4:]
    else:
        m.ts = str(ts)
    w = 4 if m.as4 else 2
    m.peer_as = int.from_bytes(body[:w], "big")
    pos = 2 * w + 2
    afi = int.from_bytes(body[pos:pos + 2], "big")
    alen = 4 if afi == 1 else 16
    pos += 2
    m.peer_ip = str(ipaddress.ip_address(body[pos:pos + alen]))
    m.data = body[pos + 2 * alen:]
    return m


# Files read only in part, to keep the suite quick: name -> (records,
# reference lines). bgpdump -vm of the first 1,000 records of the
# BGP4MP_ET file is exactly the first 41,837 lines of its reference of the
# whole file (tests/data/PROVENANCE.md).
HEADS = {
    "updates.et-header.2015.gz": (1000, 41837),
}


def load_messages(path, name):
    with gzip.open(path) as f:
        blob = f.read()
    out = []
    records = mrt_records(blob)
    if name in HEADS:
        records = itertools.islice(records, HEADS[name][0])
    for ts, rtype, sub, body in records:
        if rtype in (MRT_BGP4MP, MRT_BGP4MP_ET) and sub in MSG_SUBTYPES:
            out.append(bgp4mp_message(ts, rtype, sub, body))
    return out


def decode_all(dec, msgs):
    """
    JSON object per message (None where the decoder gave none). Messages
    are batched by session kind into one --binary stream each; a message
    whose header length disagrees with its record is decoded on its own.
    """
    res = [None] * len(msgs)
    groups = collections.defaultdict(list)
    problems = []
    for i, m in enumerate(msgs):
        hlen = int.from_bytes(m.data[16:18], "big") if len(m.data) >= 18 \
            else -1
        # RFC 8654: a message over 4096 octets means the collector had
        # negotiated extended messages.
        ext = len(m.data) > 4096
        key = (m.as4, m.addpath, ext, -1 if hlen == len(m.data) else i)
        groups[key].append(i)
    for (as4, addpath, ext, _), idx in groups.items():
        stream = b"".join(msgs[i].data for i in idx)
        rc, objs, bad, err = dec.run(stream, as2=not as4, binary=True,
                                     ext_msg=ext,
                                     addpath=("ipv4", "ipv6") if addpath
                                     else ())
        if vecutil.crashed(rc, err):
            problems.append("decoder crashed on a batch of %d: exit %d %r" %
                            (len(idx), rc, err[-400:]))
        if bad or len(objs) != len(idx):
            problems.append("%d messages gave %d JSON lines (+%d bad)" %
                            (len(idx), len(objs), len(bad)))
        for i, o in zip(idx, objs):
            res[i] = o
    return res, problems


def aspath_text(attrs):
    segs = (attrs.get("as_path") or {}).get("segments") or []
    parts = []
    for s in segs:
        open_, sep, close = SEG_TEXT[s["type"]]
        parts.append(open_ + sep.join(str(a) for a in s["asns"]) + close)
    return " ".join(parts)


def route_fields(attrs, nh):
    """bgpdump -m columns 7-14 from our attributes."""
    comms = " ".join(WELL_KNOWN.get(c, c)
                     for c in attrs.get("communities") or [])
    agg = attrs.get("aggregator")
    return [aspath_text(attrs), ORIGIN_TEXT.get(attrs.get("origin"), ""),
            nh or "", str(attrs.get("local_pref", 0)),
            str(attrs.get("med", 0)), comms,
            "AG" if attrs.get("atomic_aggregate") else "NAG",
            "%s %s" % (agg["as"], agg["address"]) if agg else "", ""]


def our_lines(m, obj):
    if obj.get("type") != "UPDATE":
        return []
    head = ["BGP4MP_ET" if m.et else "BGP4MP", m.ts]
    peer = [m.peer_ip, str(m.peer_as)]
    attrs = obj.get("attributes") or {}
    out = []
    for w in obj.get("withdrawn") or []:
        out.append("|".join(head + ["W"] + peer + [w["prefix"]]))
    for a in obj.get("announced") or []:
        out.append("|".join(head + ["A"] + peer + [a["prefix"]] +
                            route_fields(attrs, a.get("next_hop"))))
    return out


def ref_lines(path, name, used):
    """Reference A/W lines with REF_ERRORS applied (counted in used)."""
    out = []
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        lines = f
        if name in HEADS:
            lines = itertools.islice(f, HEADS[name][1])
        for line in lines:
            line = line.rstrip("\n")
            cols = line.split("|")
            if len(cols) < 6 or cols[2] not in ("A", "W"):
                continue
            fix = REF_ERRORS.get((name, cols[5]))
            if fix:
                cols[5] = fix[0]
                used[(name, line.split("|")[5])] += 1
                line = "|".join(cols)
            out.append(norm_line(line))
    return out


def apply_repair(dec, name, msgs, objs, problems):
    """Check the rejected messages' verdicts, then decode repaired ones."""
    why, fix, want = REPAIRS[name]
    changed = []
    for i, m in enumerate(msgs):
        fixed = fix(m.data)
        if fixed == m.data:
            continue
        v = (objs[i] or {}).get("verdict") or {}
        got = (v.get("action"), v.get("code"), v.get("subcode"))
        if got != want:
            problems.append("%s message %d: verdict %s, want %s (%s)" %
                            (name, i, got, want, why))
        m.data = fixed
        changed.append(i)
    if not changed:
        problems.append("%s: no message needed the repair: stale entry" %
                        name)
    sub = [msgs[i] for i in changed]
    objs2, problems2 = decode_all(dec, sub)
    problems.extend(problems2)
    for i, o in zip(changed, objs2):
        objs[i] = o


def check_file(dec, datadir, name, verbose):
    path = os.path.join(datadir, name)
    msgs = load_messages(path, name)
    objs, problems = decode_all(dec, msgs)
    verdicts = collections.Counter()
    types = collections.Counter()
    for o in objs:
        if o is not None:
            types[o.get("type")] += 1
            verdicts[(o.get("verdict") or {}).get("action")] += 1
    if name in REPAIRS:
        apply_repair(dec, name, msgs, objs, problems)
    ours = []
    for m, o in zip(msgs, objs):
        if o is not None:
            ours.extend(norm_line(x) for x in our_lines(m, o))
    return msgs, types, verdicts, ours, problems


def mrt_dir(data):
    """The MRT files of the tests/data tree data (tests/mrt/ reads them too)."""
    return os.path.join(data, "mrt", "bgpdump")


def update_files(datadir):
    """The BGP4MP update files of datadir, without their references."""
    return sorted(n for n in os.listdir(datadir)
                  if n.startswith("updates.") and n.endswith(".gz") and
                  ".bgpdump-vm" not in n and not n.endswith(".bgp.gz"))


def reference(datadir, name):
    """bgpdump's output for name, stored gzipped or, when small, plain."""
    path = os.path.join(datadir, name + ".bgpdump-vm.txt")
    return path + ".gz" if os.path.exists(path + ".gz") else path


def compare(ours, ref, verbose):
    a, b = collections.Counter(ours), collections.Counter(ref)
    only_ours = sorted((a - b).elements())
    only_ref = sorted((b - a).elements())
    diffs = []
    for line in only_ours[:5 if not verbose else 100]:
        diffs.append("  ours only: " + line)
    for line in only_ref[:5 if not verbose else 100]:
        diffs.append("  ref only:  " + line)
    return len(only_ours), len(only_ref), diffs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ctl", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    dec = vecutil.Decoder(args.ctl)
    datadir = mrt_dir(args.data)
    names = update_files(datadir)
    used = collections.Counter()
    failed = False
    for name in names:
        msgs, types, verdicts, ours, problems = check_file(
            dec, datadir, name, args.verbose)
        ref = ref_lines(reference(datadir, name), name, used)
        n_ours, n_ref, diffs = compare(ours, ref, args.verbose)
        print("%s: %d messages %s; verdicts %s; %d/%d bgpdump lines agree"
              "%s" % (name, len(msgs), dict(types), dict(verdicts),
                      len(ref) - n_ref, len(ref),
                      ", %d extra lines of ours" % n_ours if n_ours else ""))
        for p in problems + diffs:
            print(p)
        failed |= bool(problems) or n_ours > 0 or n_ref > 0
    for name, (why, _, want) in sorted(REPAIRS.items()):
        print("  rejected message in %s (%s): %s" %
              (name, "/".join(str(x) for x in want), why))
    for key, (fix, why) in sorted(REF_ERRORS.items()):
        n = used[key]
        print("  reference error %s %s -> %s (%d lines): %s" %
              (key[0], key[1], fix, n, why))
        if n == 0:
            print("FAIL reference error %s not seen: stale entry" % (key,))
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
