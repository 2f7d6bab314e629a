#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Agreement of `bgpwatchctl decode` with ExaBGP's QA vectors
# (tests/data/exabgp.jsonl): prefixes, next hops, path ids, AS path,
# origin, MED, LOCAL_PREF, communities of all three kinds and the other
# attributes are compared with ExaBGP's JSON or, where ExaBGP gave none,
# with Wireshark's field tree of the same bytes. Families bgpwatch does not
# decode must be recognised (MP_REACH/MP_UNREACH afi/safi named,
# "decoded":false).
#
# Usage: exabgp_vectors.py --ctl BGPWATCHCTL --data TESTS/DATA [-v]

import argparse
import collections
import ipaddress
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vecutil  # noqa: E402

# ExaBGP family words -> IANA codes.
EXA_AFI = {"ipv4": 1, "ipv6": 2, "l2vpn": 25, "bgp-ls": 16388}
EXA_SAFI = {"unicast": 1, "multicast": 2, "nlri-mpls": 4, "mcast-vpn": 5,
            "vpls": 65, "evpn": 70, "bgp-ls": 71, "sr-policy": 73,
            "mup": 85, "mpls-vpn": 128, "rtc": 132, "flow": 133,
            "flow-vpn": 134}

# What bgpwatch must call them (lib/bgp.c afi_name()/safi_name()); a code
# without a name there is printed as its number.
OUR_AFI = {1: "ipv4", 2: "ipv6", 25: "l2vpn", 16388: "bgp-ls"}
OUR_SAFI = {1: "unicast", 2: "multicast", 4: "labeled-unicast",
            5: "mcast-vpn", 65: "vpls", 70: "evpn", 71: "bgp-ls",
            128: "mpls-vpn", 129: "mpls-vpn-multicast", 132: "rtc",
            133: "flowspec", 134: "flowspec-vpn"}

# Families in the vectors that lib/bgp.c safi_name() does not name yet
# (reported): SR Policy (RFC 9830 §2.1) and BGP-MUP
# (draft-ietf-bess-mup-safi). Any name will do, but a name there must be:
# a family is recognised only when it is named.
NAME_REQUIRED = {73: "sr-policy", 85: "mup"}

# Attributes ExaBGP decodes and bgpwatch keeps raw in "unknown".
EXA_UNKNOWN = {"tunnel-encap": 23, "bgp-ls": 29, "bgp-prefix-sid": 40}

# Families whose NLRI bgpwatch walks (RFC 4760 §5 plain prefixes).
DECODED = {(1, 1), (1, 2), (2, 1), (2, 2)}

EXA_SEG = {"as-sequence": "sequence", "as-set": "set",
           "confed-sequence": "confed-sequence", "confed-set": "confed-set"}
WS_SEG = {"1": "set", "2": "sequence", "3": "confed-sequence",
          "4": "confed-set"}
ORIGINS = {"0": "igp", "1": "egp", "2": "incomplete"}

# Where the reference is wrong per the RFC. Key: vector name; value:
# (field, the RFC reason). A difference in that field is then not counted
# against bgpwatch; any other difference still is.
EXCEPTIONS = {
    "conf-extended-attributes.ci#3": (
        "extended_communities (ExaBGP text)",
        "0x0003 two-octet-AS route origin 300:73000: ExaBGP prints the "
        "4-octet local administrator as an IPv4 address (0.1.29.40); "
        "RFC 4360 §3.1 makes it a 4-octet number"),
    "conf-extended-attributes.ci#9": (
        "extended_communities (ExaBGP text)",
        "0x0003 route origin 9000:151587081: ExaBGP prints the local "
        "administrator as 9.9.9.9; RFC 4360 §3.1: a 4-octet number"),
    "conf-flow-redirect.ci#2": (
        "extended_communities (ExaBGP text)",
        "0x0003 route origin 2345:101124105: ExaBGP prints the local "
        "administrator as 6.7.8.9; RFC 4360 §3.1: a 4-octet number"),
}


def norm_addr(text):
    """RFC 5952 text of an address, or the input when it is not one."""
    try:
        return ipaddress.ip_address(text).compressed
    except ValueError:
        return text


def norm_prefix(text):
    """'addr/len' with the address normalised (not masked: a decoder
    that forgets to mask must show up)."""
    addr, _, plen = text.strip().partition("/")
    return "%s/%s" % (norm_addr(addr), plen)


def as_list(x):
    """Wireshark's JSON gives one child as an object, several as a list."""
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def exa_path_id(route):
    pi = route.get("path-information")
    if pi is None:
        return None
    return int(ipaddress.IPv4Address(pi))


def fam_codes(fam):
    afi, _, safi = fam.partition(" ")
    return EXA_AFI[afi], EXA_SAFI[safi]


def our_fam_name(afi, safi):
    return OUR_AFI.get(afi, afi), OUR_SAFI.get(safi, safi)


# --- session options from the ExaBGP configuration ---------------------

def conf_block(text, word):
    m = re.search(r"(?<![\w-])" + word + r"\s*\{([^{}]*)\}", text)
    return m.group(1) if m else None


def conf_session(names, confdir):
    """
    Derive (as2, addpath families) from the ExaBGP configs a vector was
    produced with: "asn4 disable" means 2-octet AS numbers (RFC 6793 §4.1
    not negotiated); "add-path send[/receive]" in the capability block
    means ExaBGP sends path ids (RFC 7911) for the families of the add-path
    block or, without one, for every configured family.
    """
    as2, addpath = False, set()
    for name in names or []:
        path = os.path.join(confdir, os.path.basename(name))
        with open(path) as f:
            text = re.sub(r"#.*", "", f.read())
        if re.search(r"\basn4\s+disable", text):
            as2 = True
        cap = conf_block(text, "capability") or ""
        if not re.search(r"add-path\s+(send|send/receive|receive/send)\s*;",
                         cap):
            continue
        fams = conf_block(text, "add-path")
        if fams is None:
            fams = conf_block(text, "family")
        if fams is None:
            fams = "ipv4 unicast; ipv6 unicast;"
        for afi in ("ipv4", "ipv6"):
            if re.search(afi + r"\s+unicast", fams):
                addpath.add(afi)
    return as2, sorted(addpath)


# --- the bytes to feed ---------------------------------------------------

def vector_bytes(vec):
    """Whole message for a vector, or None if it cannot be fed."""
    raw = vecutil.unhex(vec["hex"])
    if vec["framing"] == "message":
        return raw
    if vec["framing"] == "update-body":
        return vecutil.wrap_body(raw)
    if vec["framing"] == "nlri":
        # A bare BGP-LS NLRI (RFC 9552 §5.2): carry it the only way BGP
        # can, in MP_REACH_NLRI for AFI 16388 / SAFI 71 (RFC 4760 §3),
        # next hop 192.0.2.1, no SNPA.
        mp = ((16388).to_bytes(2, "big") + bytes([71, 4]) +
              bytes([192, 0, 2, 1, 0]) + raw)
        attrs = (vecutil.attr(vecutil.F_TRANSITIVE, 1, b"\x00") +
                 vecutil.as_path_attr([]) +
                 vecutil.attr(vecutil.F_OPTIONAL, 14, mp))
        return vecutil.update(attrs)
    return None


# --- comparison ----------------------------------------------------------

class Diff:
    """Differences found in one message, by field."""

    def __init__(self):
        self.items = []

    def add(self, field, ours, theirs):
        self.items.append((field, ours, theirs))

    def check(self, field, ours, theirs):
        if ours != theirs:
            self.add(field, ours, theirs)


def tsort(items):
    """Sort tuples that may hold None next to numbers."""
    return sorted(items, key=json.dumps)


def our_routes(obj):
    ann = tsort((norm_prefix(a.get("prefix", "")), a.get("path_id"),
                 norm_addr(a.get("next_hop") or ""))
                for a in obj.get("announced") or [])
    wd = tsort((norm_prefix(w.get("prefix", "")), w.get("path_id"))
               for w in obj.get("withdrawn") or [])
    return ann, wd


def our_mp(obj, key):
    """(afi, safi, decoded) of mp_reach/mp_unreach, or None."""
    mp = (obj.get("attributes") or {}).get(key)
    if not mp:
        return None
    return mp.get("afi"), mp.get("safi"), mp.get("decoded")


def check_recognised(diff, obj, key, codes):
    """A family we do not decode must be named and flagged undecoded."""
    want = our_fam_name(*codes) + (False,)
    got = our_mp(obj, key)
    if (codes[1] in NAME_REQUIRED and got and isinstance(got[1], str) and
            not got[1].isdigit()):
        want = (want[0], got[1], False)  # named: any name will do
    elif codes[1] in NAME_REQUIRED:
        want = (want[0], "<a name such as %s>" % NAME_REQUIRED[codes[1]],
                False)
    diff.check(key + " family", got, want)


def exa_routes(u, diff, obj, addpath):
    """ExaBGP's announce/withdraw -> our tuples; other families checked."""
    ann, wd, other = [], [], 0
    for fam, by_nh in (u.get("announce") or {}).items():
        codes = fam_codes(fam)
        if codes not in DECODED:
            check_recognised(diff, obj, "mp_reach", codes)
            other += 1
            continue
        for nh, routes in by_nh.items():
            for r in routes:
                ann.append((norm_prefix(r["nlri"]), exa_path_id(r),
                            norm_addr(nh)))
    for fam, routes in (u.get("withdraw") or {}).items():
        codes = fam_codes(fam)
        if codes not in DECODED:
            check_recognised(diff, obj, "mp_unreach", codes)
            other += 1
            continue
        for r in routes:
            wd.append((norm_prefix(r["nlri"]), exa_path_id(r)))
    return tsort(ann), tsort(wd), other


def ext_value_text(b):
    """RFC 4360 §3 / RFC 5668 §2 value of a route target/origin."""
    t = b[0] & 0x3f
    if t == 0x00:
        return "%d:%d" % (int.from_bytes(b[2:4], "big"),
                          int.from_bytes(b[4:8], "big"))
    if t == 0x01:
        return "%s:%d" % (ipaddress.IPv4Address(b[2:6]),
                          int.from_bytes(b[6:8], "big"))
    if t == 0x02:
        return "%d:%d" % (int.from_bytes(b[2:6], "big"),
                          int.from_bytes(b[6:8], "big"))
    return None


def cmp_ext_communities(diff, ours, exa_list):
    """Each ExaBGP value is the 8 octets as an integer."""
    if len(ours) != len(exa_list):
        diff.add("extended_communities", ours, exa_list)
        return
    for o, e in zip(ours, exa_list):
        b = e["value"].to_bytes(8, "big")
        if o.get("type") != b[0] or o.get("subtype") != b[1]:
            diff.add("extended_communities", o, e)
            continue
        if "hex" in o:
            diff.check("extended_communities", o["hex"].lower(), b.hex())
            continue
        if b[1] in (2, 3) and (b[0] & 0x3f) in (0, 1, 2):
            name = "target" if b[1] == 2 else "origin"
            diff.check("extended_communities",
                       (o.get("name"), o.get("value")),
                       (name, ext_value_text(b)))
            # ExaBGP's own text, e.g. "target:65000:99999"
            exa = e.get("string", "").replace("L:", ":")
            diff.check("extended_communities (ExaBGP text)",
                       "%s:%s" % (o.get("name"), o.get("value")), exa)


def cmp_attrs(diff, ours, exa):
    diff.check("origin", ours.get("origin"), exa.get("origin"))
    segs = [(EXA_SEG.get(s["element"], s["element"]), s["value"])
            for _, s in sorted((exa.get("as-path") or {}).items(),
                               key=lambda kv: int(kv[0]))]
    diff.check("as_path", our_segments(ours), segs)
    diff.check("med", ours.get("med"), exa.get("med"))
    diff.check("local_pref", ours.get("local_pref"),
               exa.get("local-preference"))
    diff.check("communities", ours.get("communities"),
               ["%d:%d" % tuple(c) for c in exa["community"]]
               if "community" in exa else None)
    diff.check("large_communities", ours.get("large_communities"),
               ["%d:%d:%d" % tuple(c) for c in exa["large-community"]]
               if "large-community" in exa else None)
    if "extended-community" in exa:
        cmp_ext_communities(diff, ours.get("extended_communities") or [],
                            exa["extended-community"])
    else:
        diff.check("extended_communities",
                   ours.get("extended_communities"), None)
    diff.check("atomic_aggregate", bool(ours.get("atomic_aggregate")),
               bool(exa.get("atomic-aggregate")))
    agg = ours.get("aggregator")
    diff.check("aggregator",
               "%s:%s" % (agg.get("as"), agg.get("address")) if agg else None,
               exa.get("aggregator"))
    diff.check("originator_id", ours.get("originator_id"),
               exa.get("originator-id"))
    diff.check("cluster_list", ours.get("cluster_list"),
               exa.get("cluster-list"))
    if "next-hop" in exa:
        diff.check("next_hop", norm_addr(ours.get("next_hop") or ""),
                   norm_addr(exa["next-hop"]))
    unknown = {u.get("type") for u in ours.get("unknown") or []}
    for key, code in EXA_UNKNOWN.items():
        if key in exa:
            diff.check("unknown type %d (%s)" % (code, key),
                       code in unknown, True)


def our_segments(attrs):
    ap = attrs.get("as_path") or {}
    return [(s.get("type"), s.get("asns")) for s in ap.get("segments") or []]


def check_aspath_summary(diff, attrs):
    """origin_as/upstream_as/flat as docs/DESIGN.md defines them."""
    ap = attrs.get("as_path")
    if not ap:
        return
    segs = our_segments(attrs)
    if any(t not in ("sequence",) for t, _ in segs):
        return
    flat = [a for _, asns in segs for a in asns]
    diff.check("as_path.flat", ap.get("flat"), flat)
    collapsed = [a for i, a in enumerate(flat) if i == 0 or flat[i - 1] != a]
    diff.check("as_path.origin_as", ap.get("origin_as"),
               flat[-1] if flat else None)
    diff.check("as_path.upstream_as", ap.get("upstream_as"),
               collapsed[-2] if len(collapsed) > 1 else None)


def compare_exabgp_update(vec, obj, exa, addpath):
    diff = Diff()
    u = exa["neighbor"]["message"]["update"]
    ann, wd, other = exa_routes(u, diff, obj, addpath)
    ours_ann, ours_wd = our_routes(obj)
    diff.check("announced", ours_ann, ann)
    diff.check("withdrawn", ours_wd, wd)
    attrs = obj.get("attributes") or {}
    cmp_attrs(diff, attrs, u.get("attribute") or {})
    check_aspath_summary(diff, attrs)
    return diff, other > 0


def compare_exabgp_open(obj, exa, ws):
    diff = Diff()
    caps = exa["neighbor"]["open"]["capabilities"]
    ours = sorted(c.get("code") for c in obj.get("capabilities") or [])
    diff.check("capabilities", ours, sorted(int(c) for c in caps))
    diff.check("capabilities (wireshark)", ours, ws_open_caps(ws))
    return diff


# --- Wireshark field tree ------------------------------------------------

def ws_open_caps(ws):
    codes = []
    for param in as_list((ws.get("bgp.open.opt") or {})
                         .get("bgp.open.opt.param")):
        for cap in as_list(param.get("bgp.cap")):
            codes.append(int(cap["bgp.cap.type"]))
    return sorted(codes)


def ws_keys_prefixes(tree):
    """Prefix-keyed children ("10.0.0.0/24 PathId 1") -> {prefix: pid}."""
    out = []
    for k, v in (tree or {}).items():
        if "/" not in k or not isinstance(v, dict):
            continue
        pfx = k.split(" PathId")[0]
        out.append(norm_prefix(pfx))
    return sorted(set(out))


PA = "bgp.update.path_attribute."


def ws_attrs(ws):
    pas = as_list((ws.get("bgp.update.path_attributes") or {})
                  .get("bgp.update.path_attribute"))
    return {int(p[PA + "type_code"]): p for p in pas}


def ws_as_path(p):
    segs = []
    for s in as_list(p.get(PA + "as_path_segment")):
        asns = [int(a) for a in as_list(s.get(PA + "as_path_segment.as2")) +
                as_list(s.get(PA + "as_path_segment.as4"))]
        segs.append((WS_SEG[s[PA + "as_path_segment.type"]], asns))
    return segs


def ws_communities(p):
    out = []
    for c in as_list((p.get(PA + "communities") or {})
                     .get(PA + "community")):
        out.append("%s:%s" % (c[PA + "community_as"],
                              c[PA + "community_value"]))
    return out


def ws_mp(p, which):
    """(afi, safi, prefixes) of an MP_REACH/MP_UNREACH field tree."""
    base = PA + which
    afi, safi = int(p[base + ".afi"]), int(p[base + ".safi"])
    sub = p.get(base)
    return afi, safi, ws_keys_prefixes(sub if isinstance(sub, dict) else {})


def compare_wireshark_update(obj, ws, addpath):
    diff = Diff()
    attrs_ws = ws_attrs(ws)
    attrs = obj.get("attributes") or {}
    wd = ws_keys_prefixes(ws.get("bgp.update.withdrawn_routes"))
    ann = ws_keys_prefixes(ws.get("bgp.update.nlri"))
    other = False
    for code, key, lst in ((14, "mp_reach", ann), (15, "mp_unreach", wd)):
        if code not in attrs_ws:
            continue
        afi, safi, pfx = ws_mp(attrs_ws[code],
                               "mp_reach_nlri" if code == 14
                               else "mp_unreach_nlri")
        if (afi, safi) in DECODED:
            lst.extend(pfx)
        else:
            check_recognised(diff, obj, key, (afi, safi))
            other = True
    ours_ann, ours_wd = our_routes(obj)
    diff.check("announced", sorted({p for p, _, _ in ours_ann}),
               sorted(set(ann)))
    diff.check("withdrawn", sorted({p for p, _ in ours_wd}),
               sorted(set(wd)))
    cmp_ws_attrs(diff, attrs, attrs_ws)
    check_aspath_summary(diff, attrs)
    return diff, other


def cmp_ws_attrs(diff, attrs, attrs_ws):
    if 1 in attrs_ws:
        diff.check("origin", attrs.get("origin"),
                   ORIGINS.get(attrs_ws[1][PA + "origin"]))
    if 2 in attrs_ws:
        diff.check("as_path", our_segments(attrs), ws_as_path(attrs_ws[2]))
    if 3 in attrs_ws:
        diff.check("next_hop", attrs.get("next_hop"),
                   attrs_ws[3][PA + "next_hop"])
    if 4 in attrs_ws:
        diff.check("med", attrs.get("med"),
                   int(attrs_ws[4][PA + "multi_exit_disc"]))
    if 5 in attrs_ws:
        diff.check("local_pref", attrs.get("local_pref"),
                   int(attrs_ws[5][PA + "local_pref"]))
    if 8 in attrs_ws:
        diff.check("communities", attrs.get("communities"),
                   ws_communities(attrs_ws[8]))
    if 16 in attrs_ws:
        n = len(as_list((attrs_ws[16].get("bgp.ext_communities") or {})
                        .get("bgp.ext_community")))
        diff.check("extended_communities (count)",
                   len(attrs.get("extended_communities") or []), n)
    if 32 in attrs_ws:
        want = ["%s:%s:%s" % (t["bgp.large_communities.ga"],
                              t["bgp.large_communities.ldp1"],
                              t["bgp.large_communities.ldp2"])
                for t in as_list(
                    attrs_ws[32].get("bgp.large_communities_tree"))]
        diff.check("large_communities", attrs.get("large_communities"), want)


def compare_wireshark_other(obj, ws):
    diff = Diff()
    t = int(ws["bgp.type"])
    if t == 1:
        diff.check("capabilities", sorted(c.get("code") for c in
                                          obj.get("capabilities") or []),
                   ws_open_caps(ws))
    elif t == 3:
        diff.check("code", obj.get("code"), int(ws["bgp.notify.major_error"]))
        diff.check("subcode", obj.get("subcode"),
                   int(ws["bgp.notify.minor_error"]))
    return diff


# --- driver ----------------------------------------------------------------

REFS = collections.Counter()  # which reference each message was checked on

TYPES = {1: "OPEN", 2: "UPDATE", 3: "NOTIFICATION", 4: "KEEPALIVE",
         5: "ROUTE-REFRESH"}


def exabgp_ref(vec):
    e = vec["expect"]
    return e.get("exabgp_json") or e.get("exabgp_jsv6")


def run_vector(dec, vec, confdir):
    """
    Returns (status, details): status is "agree", "recognised", "exception"
    or "disagree".
    """
    data = vector_bytes(vec)
    as2, addpath = conf_session(vec.get("exabgp_conf"), confdir)
    rc, objs, bad, err = dec.run(data, as2=as2, addpath=addpath,
                                 label=vec["name"])
    if vecutil.crashed(rc, err):
        return "disagree", ["decoder crashed: exit %d, stderr %r" %
                            (rc, err[-400:])]
    if bad or len(objs) != 1:
        return "disagree", ["want one JSON line, got %d (+%d unparsable), "
                            "exit %d, stderr %r" % (len(objs), len(bad), rc,
                                                    err[:200])]
    obj = objs[0]
    diff, other = Diff(), False
    msg_type = data[18]
    diff.check("type", obj.get("type"), TYPES.get(msg_type))
    diff.check("length", obj.get("length"), len(data))
    verdict = (obj.get("verdict") or {}).get("action")
    diff.check("verdict", verdict, "ok")
    diff.check("exit status", rc, 0 if verdict == "ok" else 1)
    exa = exabgp_ref(vec)
    ws = vec["expect"].get("wireshark")
    REFS[("ExaBGP JSON" if exa else "Wireshark field tree" if ws
          else "none")] += 1
    if vec["framing"] == "nlri":
        # ExaBGP decoded the bare NLRI; we can only recognise the family.
        check_recognised(diff, obj, "mp_reach", (16388, 71))
        other = True
    elif msg_type == 2 and exa:
        d, other = compare_exabgp_update(vec, obj, exa, addpath)
        diff.items += d.items
    elif msg_type == 1 and exa:
        diff.items += compare_exabgp_open(obj, exa, ws or {}).items
    elif msg_type == 2 and ws:
        d, other = compare_wireshark_update(obj, ws, addpath)
        diff.items += d.items
    elif ws:
        diff.items += compare_wireshark_other(obj, ws).items
    return classify(vec, diff, other)


def classify(vec, diff, other):
    exc = EXCEPTIONS.get(vec["name"])
    rest = [d for d in diff.items if not exc or d[0] != exc[0]]
    details = ["%s: ours %s, reference %s" % (f, json.dumps(o),
                                             json.dumps(t))
               for f, o, t in rest]
    if rest:
        return "disagree", details
    if exc and len(rest) != len(diff.items):
        return "exception", ["%s: %s" % exc]
    if exc:
        return "disagree", ["exception listed for %s but no difference in "
                            "it: remove it from EXCEPTIONS" % exc[0]]
    return ("recognised" if other else "agree"), []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ctl", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    dec = vecutil.Decoder(args.ctl)
    confdir = os.path.join(args.data, "exabgp-conf")
    counts = {"agree": 0, "recognised": 0, "exception": 0, "disagree": 0}
    with open(os.path.join(args.data, "exabgp.jsonl")) as f:
        vectors = [json.loads(line) for line in f if line.strip()]
    for vec in vectors:
        status, details = run_vector(dec, vec, confdir)
        counts[status] += 1
        if status == "disagree" or (args.verbose and details):
            for d in details:
                print("%s %s: %s" % (status.upper(), vec["name"], d))
    ok = counts["agree"] + counts["recognised"]
    print("ExaBGP: %d/%d messages agree (%d recognised-only), "
          "%d documented reference errors (RFC exceptions)" %
          (ok, len(vectors), counts["recognised"], counts["exception"]))
    print("  checked against: %s" % ", ".join(
        "%s %d" % kv for kv in sorted(REFS.items())))
    for name, (field, why) in sorted(EXCEPTIONS.items()):
        print("  exception %s [%s]: %s" % (name, field, why))
    return 1 if counts["disagree"] else 0


if __name__ == "__main__":
    sys.exit(main())
