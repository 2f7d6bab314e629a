#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Adapted from the project lab's generator (lab/gen_table.py, same
# licence), with one fix: a gap between prefixes may no longer jump past
# the end of the address space, which with --seed 1 lost the whole IPv6
# part ("IPv6 space exhausted after 199999 prefixes"). The gap is capped at
# half of the space left; the random sequence is unchanged, so the table is
# the lab's wherever the cap does not apply. Text output only.
"""Generate a synthetic, Internet-like BGP table (deterministic for a given --seed).

Output: lab-routes text (see tests/interop/routes/sample.routes), IPv4 then IPv6:
    <prefix> path=<asn,...> [comm=<a:b,...>] [lcomm=<a:b:c,...>] [med=<n>] [origin=...]
'path' excludes the feeder's own AS (the feeder prepends it), so the listener sees
2..8 hops with the default --max-hops 7.

Shape (defaults): 1,000,000 IPv4 + 200,000 IPv6 prefixes; ~75,000 origin ASes (about a
third 4-byte), 15 tier-1, 400 tier-2, 5,000 tier-3 transit ASes; each origin reaches the
feeder over 1-3 distinct upstream chains, each with 1-2 attribute sets (origin prepending on
~8 %, 0-5 standard communities tagged by the first transit AS, large communities on ~15 %,
MED on ~20 %); ~5 % of prefixes get an extra prefix-specific large community;
~30 % of covering prefixes (<= /22) also come with 1-4 more-specifics.
Prefix lengths follow today's distribution (IPv4 ~60 % /24; IPv6 ~50 % /48).
Never emitted: 0/8, 10/8, 127/8, 198.18/15 (the lab's transport net), 224/3, fc00::/7.

Usage: gen_table.py [--v4 N] [--v6 N] [--seed S] [-o table.routes]
"""
import argparse
import bisect
import ipaddress
import random
import sys

TIER1 = [174, 701, 1273, 1299, 2914, 3257, 3320, 3356, 3491, 5511, 6453, 6461, 6762, 6830, 7018]
V4_LEN = [(24, 600), (23, 95), (22, 125), (21, 55), (20, 55), (19, 22), (18, 12), (17, 8),
          (16, 6), (15, 0.5), (14, 0.2), (13, 0.1), (12, 0.05)]
V6_LEN = [(48, 500), (32, 110), (44, 80), (40, 80), (36, 40), (29, 30), (46, 30), (47, 20),
          (33, 20), (34, 15), (42, 15), (45, 15), (38, 10), (28, 10), (56, 15), (64, 10)]
V4_SKIP = [ipaddress.ip_network(n) for n in ("0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8",
                                              "198.18.0.0/15", "224.0.0.0/3")]


def weighted(rnd, table):
    total = sum(w for _, w in table)
    cum = []
    acc = 0
    for v, w in table:
        acc += w
        cum.append((acc, v))

    def pick():
        x = rnd.random() * total
        for c, v in cum:
            if x < c:
                return v
        return cum[-1][1]
    return pick


def asn_pool(rnd, n, used):
    out = []
    while len(out) < n:
        if rnd.random() < 0.35:
            a = rnd.randint(131072, 4199999999)      # 4-byte, outside private range
        else:
            a = rnd.randint(1, 64495)
            if a == 23456:
                continue
        if a not in used:
            used.add(a)
            out.append(a)
    return out


class Topology:
    def __init__(self, rnd, n_origins, max_hops):
        used = set(TIER1)
        self.rnd = rnd
        self.max_hops = max_hops
        self.t2 = asn_pool(rnd, 400, used)
        self.t3 = asn_pool(rnd, 5000, used)
        self.origins = asn_pool(rnd, n_origins, used)
        # upstreams: every t2 has 1-3 t1 parents, every t3 1-2 t2 parents
        self.up2 = {a: rnd.sample(TIER1, rnd.randint(1, 3)) for a in self.t2}
        self.up3 = {a: rnd.sample(self.t2, rnd.randint(1, 2)) for a in self.t3}
        self.paths = {}

    def chain(self, origin):
        """one upstream chain (list from feeder side towards origin, origin last)"""
        r = self.rnd
        depth = r.choices([-1, 0, 1, 2, 3, 4, 5], weights=[4, 8, 30, 33, 15, 7, 3])[0]
        if depth == -1:                             # a direct customer of the feeder
            return [origin]
        if depth == 0:
            return [r.choice(TIER1), origin]
        t3 = r.choice(self.t3)
        t2 = r.choice(self.up3[t3])
        t1 = r.choice(self.up2[t2])
        mid = [t1, t2, t3][:min(depth, 3)]
        while len(mid) < depth:                     # long tails: extra regional hops
            mid.append(r.choice(self.t3))
        p = mid + [origin]
        return p[: self.max_hops]

    def origin_paths(self, origin):
        """attribute variants (strings) of an origin: 1-3 paths x 1-2 attribute sets"""
        p = self.paths.get(origin)
        if p is None:
            r = self.rnd
            n = r.choices([1, 2, 3], weights=[55, 35, 10])[0]
            p = []
            for _ in range(n):
                c = self.chain(origin)
                p += [attrs(r, c, self.max_hops) for _ in range(r.choice((1, 1, 2)))]
            self.paths[origin] = p
        return p


def pick_attrs(rnd, variants):
    a = rnd.choice(variants)
    if rnd.random() < 0.05:     # a few prefix-specific tags (more distinct attribute sets)
        a += f" lcomm=64496:7:{rnd.randint(1, 50000)}" if " lcomm=" not in a else ""
    return a


def attrs(rnd, path, max_hops):
    path = list(path)
    if rnd.random() < 0.08 and len(path) < max_hops:        # origin prepending
        path += [path[-1]] * rnd.randint(1, min(3, max_hops - len(path)))
    s = "path=" + ",".join(map(str, path))
    nc = rnd.choices([0, 1, 2, 3, 4, 5], weights=[25, 20, 20, 15, 12, 8])[0]
    if nc:
        tag = path[0] if path[0] < 65536 else 64496
        vals = sorted(rnd.sample((100, 200, 300, 1000, 1100, 2000, 2100, 3000, 3100, 4000, 5000,
                                  20000, 20100, 21000, 666), nc))
        s += " comm=" + ",".join(f"{tag}:{v}" for v in vals)
    if rnd.random() < 0.15:
        la = path[-1]
        s += " lcomm=" + ",".join(f"{la}:{rnd.randint(1, 9)}:{rnd.randint(1, 999)}"
                                  for _ in range(rnd.randint(1, 3)))
    if rnd.random() < 0.20:
        s += f" med={rnd.choice((0, 10, 50, 100, 200, 1000))}"
    if rnd.random() < 0.03:
        s += " origin=incomplete"
    return s


def gen_v4(rnd, n, pick_origin, topo, max_hops, out):
    plen = weighted(rnd, V4_LEN)
    cur = int(ipaddress.IPv4Address("1.0.0.0"))
    end = int(ipaddress.IPv4Address("223.255.255.255"))
    count = 0
    lines = []
    tot = sum(w for _, w in V4_LEN)
    avg = sum((1 << (32 - L)) * w for L, w in V4_LEN) / tot
    while count < n:
        # spread the prefixes over the remaining space: mean gap adapts to what is left
        gap_mean = max(0.0, (end - cur) / (n - count) - 2.2 * avg)
        L = plen()
        size = 1 << (32 - L)
        cur = (cur + size - 1) // size * size
        if cur + size > end:
            break
        net = ipaddress.IPv4Network((cur, L))
        if any(net.overlaps(s) for s in V4_SKIP):
            cur += size
            continue
        origin = pick_origin()
        paths = topo.origin_paths(origin)
        lines.append(f"{net} {pick_attrs(rnd, paths)}")
        count += 1
        if L <= 22 and rnd.random() < 0.30 and count < n:   # de-aggregated more-specifics
            subs = list(net.subnets(new_prefix=24)) if L >= 16 else list(net.subnets(new_prefix=L + 8))
            for sub in sorted(rnd.sample(subs, min(len(subs), rnd.randint(1, 4)))):
                if count >= n:
                    break
                lines.append(f"{sub} {pick_attrs(rnd, paths)}")
                count += 1
        gap = int(rnd.expovariate(1.0 / gap_mean)) if gap_mean else 0
        cur += size + min(gap, max(0, end - cur - size) // 2)
    if count < n:
        sys.exit(f"IPv4 space exhausted after {count} prefixes")
    out.write("\n".join(lines) + "\n")
    return count


def gen_v6(rnd, n, pick_origin, topo, max_hops, out):
    plen = weighted(rnd, V6_LEN)
    base = int(ipaddress.IPv6Address("2001::"))
    end = int(ipaddress.IPv6Address("2c0f:ffff::"))
    cur = base
    count = 0
    lines = []
    tot = sum(w for _, w in V6_LEN)
    avg = sum((1 << (128 - L)) * w for L, w in V6_LEN) // int(tot)
    while count < n:
        gap_mean = max(1, (end - cur) // (n - count) - 3 * avg)
        L = plen()
        size = 1 << (128 - L)
        cur = (cur + size - 1) // size * size
        if cur + size > end:
            break
        net = ipaddress.IPv6Network((cur, L))
        origin = pick_origin()
        lines.append(f"{net} {pick_attrs(rnd, topo.origin_paths(origin))}")
        count += 1
        gap = int(rnd.expovariate(1.0 / gap_mean))
        cur += size + min(gap, max(0, end - cur - size) // 2)
    if count < n:
        sys.exit(f"IPv6 space exhausted after {count} prefixes")
    out.write("\n".join(lines) + "\n")
    return count


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--v4", type=int, default=1_000_000)
    ap.add_argument("--v6", type=int, default=200_000)
    ap.add_argument("--origins", type=int, default=75_000)
    ap.add_argument("--max-hops", type=int, default=7, help="max AS path length excluding the feeder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    topo = Topology(rnd, args.origins, args.max_hops)
    # heavy-tailed prefixes-per-origin: Pareto weights
    weights = [rnd.paretovariate(1.1) for _ in topo.origins]
    cum = []
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc)

    def pick_origin():
        return topo.origins[min(bisect.bisect(cum, rnd.random() * acc), len(cum) - 1)]

    out = sys.stdout if args.output == "-" else open(args.output, "w")
    n4 = gen_v4(rnd, args.v4, pick_origin, topo, args.max_hops, out) if args.v4 else 0
    n6 = gen_v6(rnd, args.v6, pick_origin, topo, args.max_hops, out) if args.v6 else 0
    out.flush()
    if out is not sys.stdout:
        out.close()
    print(f"generated {n4} IPv4 + {n6} IPv6 routes", file=sys.stderr)


if __name__ == "__main__":
    main()
