#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Build the seed corpora of the fuzz targets from the test vectors and the
# MRT files in tests/data, in each target's input format (see the head of
# fuzz_<target>.c). Files are named by the SHA-1 of their content. Minimise
# afterwards with libFuzzer's -merge=1 (README.md).
#
# Usage: mkseeds.py [--data tests/data] [--out DIR]  (DIR/seed_<target>)

import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "vectors"))
import exabgp_vectors  # noqa: E402
import malformed_vectors  # noqa: E402
import mrt_messages  # noqa: E402
import vecutil  # noqa: E402

FAM_BIT = {"ipv4": 0, "ipv6": 1}  # enum sess_family
MRT_SAMPLE = 400  # messages taken from each MRT file at most


def msg_flags(as2=False, ext=False, addpath=(), explain=False):
    """The session octet of fuzz_msg.c."""
    f = 0x01 if as2 else 0
    f |= 0x02 if ext else 0
    for fam in addpath:
        f |= 1 << (2 + FAM_BIT[fam])
    return f | (0x40 if explain else 0)


def attributes(msg):
    """(flags, type, value) of each path attribute of an UPDATE."""
    wl = int.from_bytes(msg[19:21], "big")
    al = int.from_bytes(msg[21 + wl:23 + wl], "big")
    a = msg[23 + wl:23 + wl + al]
    i, out = 0, []
    while i + 3 <= len(a):
        flags, code = a[i], a[i + 1]
        if flags & 0x10:
            n, i = int.from_bytes(a[i + 2:i + 4], "big"), i + 4
        else:
            n, i = a[i + 2], i + 3
        out.append((flags, code, a[i:i + n]))
        i += n
    return out


class Seeds:
    def __init__(self):
        self.sets = {"msg": set(), "open": set(), "aspath": set()}

    def add_msg(self, msg, **kw):
        self.sets["msg"].add(bytes([msg_flags(**kw)]) + msg)
        if len(msg) > 19 and msg[18] == 1:
            self.sets["open"].add(msg[19:])
        if len(msg) > 23 and msg[18] == 2:
            self.add_paths(msg, kw.get("as2", False))

    def add_paths(self, msg, as2):
        """AS_PATH values alone, and AS_PATH + AS4_PATH for the merge."""
        attrs = {code: val for _, code, val in attributes(msg)}
        if 2 not in attrs:
            return
        self.sets["aspath"].add(bytes([0x03 if as2 else 0x02, 0]) +
                                attrs[2])
        if as2 and 17 in attrs and len(attrs[2]) < 256:
            self.sets["aspath"].add(bytes([0x04, len(attrs[2])]) +
                                    attrs[2] + attrs[17])

    def write(self, outdir):
        for target, items in self.sets.items():
            d = os.path.join(outdir, "seed_" + target)
            os.makedirs(d, exist_ok=True)
            for data in sorted(items):
                name = hashlib.sha1(data).hexdigest()
                with open(os.path.join(d, name), "wb") as f:
                    f.write(data)
            print("%s: %d seeds in %s" % (target, len(items), d))


def from_exabgp(seeds, data):
    confdir = os.path.join(data, "exabgp-conf")
    with open(os.path.join(data, "exabgp.jsonl")) as f:
        for line in f:
            vec = json.loads(line)
            msg = exabgp_vectors.vector_bytes(vec)
            as2, addpath = exabgp_vectors.conf_session(
                vec.get("exabgp_conf"), confdir)
            seeds.add_msg(msg, as2=as2, addpath=addpath)
            seeds.add_msg(msg, as2=as2, addpath=addpath, explain=True)


def from_malformed(seeds, data):
    with open(os.path.join(data, "gobgp.jsonl")) as f:
        for line in f:
            vec = json.loads(line)
            raw = vecutil.unhex(vec["hex"])
            if vec["kind"] == "update_body":
                seeds.add_msg(vecutil.wrap_body(raw), as2=True)
            elif vec["kind"] == "path_attribute":
                as4 = (vec.get("session") or {}).get("asn4_negotiated",
                                                     True)
                attrs = malformed_vectors.with_attr(
                    malformed_vectors.gobgp_base(as4), raw)
                seeds.add_msg(vecutil.update(
                    attrs, malformed_vectors.GOBGP_NLRI), as2=not as4)
            else:
                seeds.add_msg(raw)
    with open(os.path.join(data, "openbgpd_rfc7606_attr.jsonl")) as f:
        for line in f:
            vec = json.loads(line)
            extra = vec.get("extra_attribute_hex")
            attrs = b"".join(v for _, v in sorted(
                malformed_vectors.OBGPD_BASE.items()))
            attrs += vecutil.unhex(extra) if extra else b""
            seeds.add_msg(vecutil.update(
                attrs, malformed_vectors.prefix_bytes(vec["prefix"])))


def from_mrt(seeds, data):
    d = mrt_messages.mrt_dir(data)
    for name in mrt_messages.update_files(d):
        msgs = mrt_messages.load_messages(os.path.join(d, name), name)
        step = max(1, len(msgs) // MRT_SAMPLE)
        for m in msgs[::step]:
            seeds.add_msg(m.data, as2=not m.as4, ext=len(m.data) > 4096,
                          addpath=("ipv4", "ipv6") if m.addpath else ())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(HERE, "..", "data"))
    ap.add_argument("--out", default=".")
    args = ap.parse_args()
    seeds = Seeds()
    from_exabgp(seeds, args.data)
    from_malformed(seeds, args.data)
    from_mrt(seeds, args.data)
    seeds.write(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
