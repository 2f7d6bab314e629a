# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Routes files ("lab-routes v1", see routes/sample.routes) and their
# translation into what each implementation loads: BIRD static protocols,
# FRR route-maps and network statements, GoBGP CLI arguments, ExaBGP API
# commands, and an MRT TABLE_DUMP_V2 file (RFC 6396) for OpenBGPD's
# `bgpctl network mrt`. A prefix given twice is a second path (ADD-PATH).
#
# Public: Route, parse(), parse_file(), bird_config(), frr_config(),
#         gobgp_args(), exabgp_commands(), mrt_table().

import ipaddress
import struct
import time

ORIGINS = {"igp": 0, "egp": 1, "incomplete": 2}


class Route:
    """
    One path: prefix, path (the AS path behind the feeder, without its
    own AS), comm [(a, b)], lcomm [(a, b, c)], med (None: absent), origin,
    and seq, the number of this prefix's occurrence in the file (1, 2, ...)
    which becomes the ADD-PATH path identifier where the feeder lets us
    choose it.
    """

    __slots__ = ("prefix", "path", "comm", "lcomm", "med", "origin", "seq")

    def __init__(self, prefix, path, comm=(), lcomm=(), med=None,
                 origin="igp", seq=1):
        self.prefix = ipaddress.ip_network(prefix)
        self.path = list(path)
        self.comm = [tuple(c) for c in comm]
        self.lcomm = [tuple(c) for c in lcomm]
        self.med = med
        self.origin = origin
        self.seq = seq

    @property
    def af(self):
        return self.prefix.version

    def attr_key(self):
        return (tuple(self.path), tuple(self.comm), tuple(self.lcomm),
                self.med, self.origin)

    def line(self):
        """The route as a routes-file line."""
        s = f"{self.prefix} path=" + ",".join(map(str, self.path))
        if self.comm:
            s += " comm=" + ",".join("%d:%d" % c for c in self.comm)
        if self.lcomm:
            s += " lcomm=" + ",".join("%d:%d:%d" % c for c in self.lcomm)
        if self.med is not None:
            s += f" med={self.med}"
        if self.origin != "igp":
            s += f" origin={self.origin}"
        return s

    def __repr__(self):
        return f"<Route {self.line()} #{self.seq}>"


def _ints(v, n, what, lineno):
    parts = v.split(":")
    if len(parts) != n:
        raise ValueError(f"line {lineno}: bad {what} {v!r}")
    return tuple(int(x) for x in parts)


def parse(lines):
    """Routes of the lines of a routes file; ValueError names the line."""
    out = []
    seen = {}
    for lineno, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        try:
            net = ipaddress.ip_network(parts[0], strict=True)
        except ValueError as e:
            raise ValueError(f"line {lineno}: bad prefix: {e}") from None
        kw = {"path": [], "comm": [], "lcomm": [], "med": None,
              "origin": "igp"}
        for tok in parts[1:]:
            k, _, v = tok.partition("=")
            vals = [x for x in v.split(",") if x]
            if k == "path":
                kw["path"] = [int(x) for x in vals]
            elif k == "comm":
                kw["comm"] = [_ints(x, 2, "community", lineno)
                              for x in vals]
            elif k == "lcomm":
                kw["lcomm"] = [_ints(x, 3, "large community", lineno)
                               for x in vals]
            elif k == "med":
                kw["med"] = int(v)
            elif k == "origin" and v in ORIGINS:
                kw["origin"] = v
            else:
                raise ValueError(f"line {lineno}: bad token {tok!r}")
        seen[net] = seen.get(net, 0) + 1
        out.append(Route(net, seq=seen[net], **kw))
    return out


def parse_file(path):
    with open(path) as f:
        return parse(f)


# ------------------------------------------------------------------ BIRD 2


def bird_config(routes):
    """
    Static protocols lab_static<af>[_<n>]: the n-th path of a prefix goes
    into protocol n, so that `add paths tx` sends it as a path of its own.
    The filter block builds the attributes; BIRD prepends its own AS.
    """
    groups = {}
    for r in routes:
        groups.setdefault((r.af, r.seq), []).append(r)
    out = []
    for (af, seq), lst in sorted(groups.items()):
        name = f"lab_static{af}" + (f"_{seq}" if seq > 1 else "")
        out.append(f"protocol static {name} {{\n  ipv{af} {{ import all; }};")
        for r in lst:
            body = [f"bgp_origin = ORIGIN_{r.origin.upper()};"]
            body += [f"bgp_path.prepend({a});" for a in reversed(r.path)]
            body += ["bgp_community.add((%d,%d));" % c for c in r.comm]
            body += ["bgp_large_community.add((%d,%d,%d));" % c
                     for c in r.lcomm]
            if r.med is not None:
                body.append(f"bgp_med = {r.med};")
            out.append(f"  route {r.prefix} blackhole {{ {' '.join(body)} }};")
        out.append("}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ FRR


def frr_config(routes):
    """
    (route_maps, networks): route-map text, one per distinct attribute set
    (LAB0, LAB1, ...), and {4: [...], 6: [...]} of `network P route-map M`
    lines for the address-family blocks. FRR keeps one path per prefix.
    """
    maps = {}
    nets = {4: [], 6: []}
    for r in routes:
        k = r.attr_key()
        if k not in maps:
            maps[k] = f"LAB{len(maps)}"
        nets[r.af].append(f"network {r.prefix} route-map {maps[k]}")
    text = []
    for k, name in maps.items():
        text += _frr_route_map(name, *k)
    return "\n".join(text) + "\n", nets


def _frr_route_map(name, path, comm, lcomm, med, origin):
    """
    One route-map. FRR reads config lines of at most about 4 KB, so long
    community lists are split: the first chunks are set in entry 10, the
    others added (`additive`) by further entries that `on-match next`
    chains together.
    """
    comms = ["%d:%d" % c for c in comm]
    lcomms = ["%d:%d:%d" % c for c in lcomm]
    cc = [comms[i:i + 200] for i in range(0, len(comms), 200)]
    lc = [lcomms[i:i + 100] for i in range(0, len(lcomms), 100)]
    out = [f"route-map {name} permit 10"]
    if path:
        out.append(" set as-path prepend " + " ".join(map(str, path)))
    if cc:
        out.append(" set community " + " ".join(cc[0]))
    if lc:
        out.append(" set large-community " + " ".join(lc[0]))
    if med is not None:
        out.append(f" set metric {med}")
    out.append(f" set origin {origin}")
    more = [("community", c) for c in cc[1:]]
    more += [("large-community", c) for c in lc[1:]]
    for i, (kind, vals) in enumerate(more):
        out += [" on-match next", "exit",
                f"route-map {name} permit {20 + 10 * i}",
                f" set {kind} {' '.join(vals)} additive"]
    out.append("exit")
    return out


# ------------------------------------------------------------------ GoBGP


def gobgp_args(r, nh6, addpath):
    """`gobgp global rib add` arguments for r (IPv4 next hop: self)."""
    a = ["-a", f"ipv{r.af}", str(r.prefix), "origin", r.origin]
    if addpath:
        a += ["identifier", str(r.seq)]
    if r.path:
        a += ["aspath", ",".join(map(str, r.path))]
    if r.af == 6:
        a += ["nexthop", nh6]
    if r.comm:
        a += ["community", ",".join("%d:%d" % c for c in r.comm)]
    if r.lcomm:
        a += ["large-community", ",".join("%d:%d:%d" % c for c in r.lcomm)]
    if r.med is not None:
        a += ["med", str(r.med)]
    return a


# ------------------------------------------------------------------ ExaBGP


def exabgp_command(r, verb, local_as, nh4, nh6, addpath):
    """
    One ExaBGP API command, verb "announce" or "withdraw". ExaBGP does not
    prepend its own AS on eBGP, so local_as is written into the path.
    """
    nh = nh4 if r.af == 4 else nh6
    s = f"{verb} route {r.prefix} next-hop {nh}"
    if addpath:
        s += f" path-information 0.0.0.{r.seq}"
    if verb == "withdraw":
        return s
    s += f" origin {r.origin} as-path [ "
    s += " ".join(map(str, [local_as] + r.path)) + " ]"
    if r.comm:
        s += " community [ " + " ".join("%d:%d" % c for c in r.comm) + " ]"
    if r.lcomm:
        s += (" large-community [ " +
              " ".join("%d:%d:%d" % c for c in r.lcomm) + " ]")
    if r.med is not None:
        s += f" med {r.med}"
    return s


def exabgp_commands(routes, verb, local_as, nh4, nh6, addpath):
    return [exabgp_command(r, verb, local_as, nh4, nh6, addpath)
            for r in routes]


# ------------------------------------------------------------------ MRT


def _attr(flags, code, body):
    if len(body) > 255:  # RFC 4271 §4.3: Extended Length bit
        return struct.pack("!BBH", flags | 0x10, code, len(body)) + body
    return struct.pack("!BBB", flags, code, len(body)) + body


def _mrt_attrs(r, nh4, nh6):
    b = _attr(0x40, 1, bytes([ORIGINS[r.origin]]))
    segs = b""
    for i in range(0, len(r.path), 255):
        chunk = r.path[i:i + 255]
        segs += struct.pack("!BB", 2, len(chunk))
        segs += b"".join(struct.pack("!I", a) for a in chunk)
    b += _attr(0x40, 2, segs)
    if r.af == 4:
        b += _attr(0x40, 3, ipaddress.IPv4Address(nh4).packed)
    if r.med is not None:
        b += _attr(0x80, 4, struct.pack("!I", r.med))
    if r.comm:
        b += _attr(0xC0, 8, b"".join(struct.pack("!HH", *c) for c in r.comm))
    if r.af == 6:
        # RFC 4760 full MP_REACH_NLRI (RFC 6396 §4.3.4 allows both forms)
        nh = ipaddress.IPv6Address(nh6).packed
        plen = r.prefix.prefixlen
        nlri = bytes([plen]) + r.prefix.network_address.packed[
            :(plen + 7) // 8]
        b += _attr(0x80, 14, struct.pack("!HBB", 2, 1, len(nh)) + nh +
                   b"\0" + nlri)
    if r.lcomm:
        b += _attr(0xC0, 32,
                   b"".join(struct.pack("!III", *c) for c in r.lcomm))
    return b


def _mrt_rec(ts, typ, sub, body):
    return struct.pack("!IHHI", ts, typ, sub, len(body)) + body


def mrt_table(routes, peer_as, nh4="192.0.2.254", nh6="2001:db8::fe"):
    """
    An MRT TABLE_DUMP_V2 image (RFC 6396 §4.3): a PEER_INDEX_TABLE with one
    peer and a RIB_IPV4_UNICAST / RIB_IPV6_UNICAST record per route, with
    4-octet AS_PATH. Paths are written as given (no feeder AS).
    """
    ts = int(time.time())
    peer = ipaddress.IPv4Address("192.0.2.254").packed
    body = peer + struct.pack("!HH", 0, 1)  # collector id, no view, 1 peer
    body += bytes([0x02]) + peer + peer + struct.pack("!I", peer_as)
    out = [_mrt_rec(ts, 13, 1, body)]
    for seq, r in enumerate(routes):
        plen = r.prefix.prefixlen
        pfx = r.prefix.network_address.packed[:(plen + 7) // 8]
        attrs = _mrt_attrs(r, nh4, nh6)
        entry = struct.pack("!HIH", 0, ts, len(attrs)) + attrs
        body = struct.pack("!IB", seq, plen) + pfx + struct.pack("!H", 1)
        out.append(_mrt_rec(ts, 13, 2 if r.af == 4 else 4, body + entry))
    return b"".join(out)
