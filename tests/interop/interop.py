#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Interop tests: bgpwatchd against real BGP implementations (BIRD 2, FRR,
# GoBGP, OpenBGPD, ExaBGP) on loopback. The implementation connects to
# bgpwatchd as an active eBGP peer and announces a routes file; the test
# compares `bgpwatchctl -j show rib` with the file, route by route and
# attribute by attribute, allowing only for the documented quirks of the
# sender (peers.py). One implementation and one feature per run:
#
#   basic    IPv4 + IPv6 routes with 4-octet ASes, communities and large
#            communities; a withdrawal; the peer's Cease with its RFC 9003
#            shutdown communication
#   addpath  ADD-PATH receive (RFC 7911): several paths per prefix, or the
#            capability and path identifiers where only one path is sent
#   md5      TCP MD5 (RFC 2385), and a wrong key that gets no session
#   refresh  `bgpwatchctl clear neighbor X soft`: ROUTE-REFRESH (RFC 2918,
#            RFC 7313) reaches the peer, routes are resent and kept
#   gr       graceful restart (RFC 4724): kill -9, stale routes, restart,
#            End-of-RIB flush, restart-time expiry
#   extmsg   extended messages (RFC 8654): an UPDATE over 4096 octets
#   linklocal  a direct eBGP session between two network namespaces, where
#            BIRD sends IPv6 next hops of 32 octets (global and link-local,
#            RFC 2545 §3) over an IPv4 session
#   watch    the 2017 case live (BIRD, GoBGP, ExaBGP): the peer moves a
#            watched /24 to a path through AS20485 and bgpwatchd writes
#            one upstream-added line (its latency from the peer's command
#            is printed); moved back, upstream-removed only after the
#            hold-down; every event line valid against the schema
#
# Exit status (meson "exitcode" protocol): 0 pass, 1 fail, 77 skip with a
# line naming what is missing. Each implementation/feature pair uses its
# own addresses 127.<80+i>.<f>.0/24 (bgpwatchd .1, peers .2 to .4), its
# own temporary directory, and stops only the processes it started.
#
# usage: interop.py --bgpwatchd PATH --bgpwatchctl PATH IMPL FEATURE
#        BGPWATCH_INTEROP_REQUIRE=1: a missing implementation fails
#        BGPWATCH_INTEROP_KEEP=1: keep the temporary directories

import argparse
import os
import sys
import time
from collections import Counter

import lab
import peers
import routes as rt
from bgpwatch import Bgpwatchd, neighbor_block

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
import validate  # noqa: E402
IMPLS = ["bird", "frr", "gobgp", "openbgpd", "exabgp"]
FEATURES = ["basic", "addpath", "md5", "refresh", "gr", "extmsg",
            "linklocal", "watch"]
NETNS = "bwiop"  # namespaces <NETNS>-dut and <NETNS>-peer (linklocal)
PORT = 10179  # bgpwatchd's; the peers keep 179 on their own addresses
PEER_AS = 4200000001  # the feeders' AS: 4-octet (RFC 6793)
LOCAL_AS = 65000
GR_TIME = 15  # the peers' Restart Time in the gr test: GoBGP takes up to
# about 8 s to reconnect after a restart on a loaded machine
ESTABLISH_S = 60
# One interop run at a time on the machine, whatever the build directory.
LOCK = "/tmp/bgpwatch-interop.lock"
CONVERGE_S = 30


T0 = time.monotonic()


def say(msg):
    print(f"# [{time.monotonic() - T0:5.1f} s] {msg}", flush=True)


def check(cond, msg):
    if not cond:
        raise lab.Fail(msg)


# ------------------------------------------------------------ comparison


def _upstream(flat):
    """The first AS left of the origin once its prepends are skipped."""
    i = len(flat) - 1
    while i > 0 and flat[i - 1] == flat[-1]:
        i -= 1
    return flat[i - 1] if i > 0 else None


def normalise(rec):
    """
    A `show rib` line as (prefix, path, origin, next hop, MED,
    communities, large communities), the form of Peer.expected(); checks
    the members that must agree with each other on the way.
    """
    a = rec.get("attributes")
    if not isinstance(a, dict):
        raise lab.Fail(f"route without attributes: {rec}")
    segs = a.get("as_path", {}).get("segments", [])
    if any(s.get("type") != "sequence" for s in segs):
        raise lab.Fail(f"unexpected AS path segments: {rec}")
    flat = a.get("as_path", {}).get("flat", [])
    if flat and (rec.get("origin_as") != flat[-1] or
                 rec.get("upstream_as") != _upstream(flat)):
        raise lab.Fail(f"origin_as/upstream_as disagree with the path: "
                       f"{rec}")
    extra = set(a) - {"origin", "as_path", "next_hop", "med", "communities",
                      "large_communities", "mp_reach"}
    if extra:
        raise lab.Fail(f"attributes nobody sent: {sorted(extra)}: {rec}")
    v6 = ":" in rec["prefix"]
    nh = (a.get("mp_reach", {}).get("next_hop") or [None])[0] if v6 \
        else a.get("next_hop")
    if rec.get("family") != ("ipv6" if v6 else "ipv4") or \
            nh != rec.get("next_hop"):
        raise lab.Fail(f"family or next hop inconsistent: {rec}")
    return (rec["prefix"], tuple(flat), a.get("origin"), rec.get("next_hop"),
            a.get("med"), tuple(sorted(a.get("communities", []))),
            tuple(sorted(a.get("large_communities", []))))


def _short(routes, n=4):
    """Routes for a message: long attribute lists cut to a count."""
    out = []
    for r in routes[:n]:
        out.append(tuple(x if not isinstance(x, tuple) or len(x) <= 8
                         else f"<{len(x)} items: {x[0]} ... {x[-1]}>"
                         for x in r))
    return out + (["..."] if len(routes) > n else [])


def rib_diff(bw, addr, peer, want, addpath):
    """
    None when bgpwatchd holds for addr exactly the routes want (as peer
    announced them) and none is stale; else what differs. With addpath,
    paths of a prefix must have distinct non-zero path identifiers (the
    sender chooses them), else every path identifier must be 0.
    """
    got = bw.rib(addr)
    if any(r.get("neighbor") != addr for r in got):
        return f"routes of other neighbors in `show rib neighbor {addr}`"
    have = Counter(normalise(r) for r in got)
    exp = Counter(peer.expected(r) for r in want)
    if have != exp:
        missing = list((exp - have).elements())
        extra = list((have - exp).elements())
        return (f"{len(got)} routes, {len(want)} expected; missing "
                f"{_short(missing)}; unexpected {_short(extra)}")
    stale = [r["prefix"] for r in got if r.get("stale")]
    if stale:
        return f"stale routes left: {stale}"
    ids = {}
    for r in got:
        ids.setdefault(r["prefix"], []).append(r.get("path_id"))
    for pfx, lst in ids.items():
        if addpath and (0 in lst or len(set(lst)) != len(lst)):
            return f"{pfx}: path identifiers {lst}"
        if not addpath and lst != [0]:
            return f"{pfx}: path identifiers {lst} without ADD-PATH"
    return None


def wait_rib(bw, addr, peer, want, addpath=False, timeout=CONVERGE_S):
    def ok():
        d = rib_diff(bw, addr, peer, want, addpath)
        if d:
            raise lab.Fail(d)
        return True
    lab.wait_until(f"the routes of {addr} in bgpwatchd", ok, timeout)


def wait_state(bw, addr, pred, what, timeout=ESTABLISH_S):
    def ok():
        n = bw.neighbor(addr)
        if not pred(n):
            raise lab.Fail(f"state {n['state']}, last error "
                           f"{n.get('last_error')}")
        return n
    return lab.wait_until(f"{addr} {what}", ok, timeout)


def established(bw, addr, timeout=ESTABLISH_S):
    return wait_state(bw, addr, lambda n: n["state"] == "Established",
                      "Established", timeout)


# ------------------------------------------------------------ the tests


class Ctx:
    """One run: implementation, feature, addresses, programs, work dir."""

    def __init__(self, a):
        self.impl, self.feature = a.impl, a.feature
        self.cls = peers.PEERS[a.impl]
        i, f = IMPLS.index(a.impl) + 1, FEATURES.index(a.feature) + 1
        self.net = f"127.{80 + i}.{f}"
        self.me = f"{self.net}.1"
        self.a, self.b = f"{self.net}.2", f"{self.net}.3"
        self.exe, self.ctl = a.bgpwatchd, a.bgpwatchctl
        self.work = lab.workdir(f"interop-{a.impl}-{a.feature}")
        self.bw = None
        self.peers = []
        self.ns_me = self.ns_peer = None
        if a.feature == "linklocal":
            # Two namespaces on a bridge: a directly connected /24.
            lab.at_cleanup(lambda: lab.netns_down(NETNS))
            addrs = lab.netns_up(NETNS, {"dut": 1, "peer": 2})
            self.me, self.a = addrs["dut"][0], addrs["peer"][0]
            self.peer_v6 = addrs["peer"][1]
            self.ns_me, self.ns_peer = f"{NETNS}-dut", f"{NETNS}-peer"

    def routes(self, name):
        return rt.parse_file(os.path.join(HERE, "routes", name))

    def daemon(self, neighbors, extra=""):
        d = os.path.join(self.work, "bgpwatchd")
        os.makedirs(d)
        self.bw = Bgpwatchd(self.exe, self.ctl, d, self.me, PORT, neighbors,
                            local_as=LOCAL_AS, netns=self.ns_me,
                            extra=extra.replace("@DIR@", d))
        return self.bw

    def peer(self, addr, routes, **kw):
        if self.ns_peer:
            kw.setdefault("netns", self.ns_peer)
        p = self.cls(os.path.join(self.work, f"peer-{addr}"), addr, self.me,
                     PORT, routes, peer_as=LOCAL_AS, local_as=PEER_AS, **kw)
        self.peers.append(p)
        p.start()
        return p

    def dump(self):
        """Logs for a failure report."""
        if self.bw:
            say("bgpwatchd log (tail):")
            for ln in self.bw.proc.tail(40):
                say("  " + ln.rstrip())
        for p in self.peers:
            say(f"{p.NAME} {p.local_ip} log (tail):")
            for ln in p.log_tail(25):
                say("  " + ln.rstrip())

    def finish(self):
        for p in self.peers:
            p.close()
        if self.bw:
            self.bw.stop()


def shut_down_and_check(c, peer, addr):
    """The peer ends the session: its NOTIFICATION is the last error."""
    text = f"bgpwatch interop: {c.impl} signing off"
    drops = c.bw.neighbor(addr)["counters"]["drops"]
    code, sub, want_text = peer.shutdown(text)
    n = wait_state(c.bw, addr,
                   lambda n: n["counters"]["drops"] > drops and
                   (n.get("last_error") or {}).get("notification") and
                   (peer.RECONNECTS or n["state"] != "Established"),
                   "closed with a NOTIFICATION", 30)
    e = n["last_error"]
    check(e.get("sent") is False, f"NOTIFICATION not from the peer: {e}")
    check((e.get("code"), e.get("subcode")) == (code, sub),
          f"last error {e}, expected {code}/{sub}")
    if want_text is None:
        check(not e.get("shutdown_communication"),
              f"unexpected shutdown communication: {e}")
    else:
        check(e.get("shutdown_communication") == want_text,
              f"shutdown communication {e.get('shutdown_communication')!r},"
              f" expected {want_text!r}")
    say(f"session closed by {c.impl}: {e.get('reason')}")
    check(c.bw.log_has(r"neighbor %s: %d routes withdrawn \(session-down\)"
                       % (addr.replace(".", r"\."), len(peer.routes))),
          "no 'routes withdrawn (session-down)' log line")
    if not peer.RECONNECTS:
        left = c.bw.rib(addr)
        check(left == [], f"{len(left)} routes left after the NOTIFICATION")


def t_basic(c):
    want = c.routes("sample.routes")
    bw = c.daemon([neighbor_block(c.a, PEER_AS)])
    p = c.peer(c.a, want, gr=not c.cls.GR_SILENT_CLOSE)
    n = established(bw, c.a)
    nego = n["negotiated"]
    check(sorted(nego["families"]) == ["ipv4", "ipv6"],
          f"families {nego['families']}")
    check(nego["four_octet_as"] is True, "four-octet AS not negotiated")
    check(n["remote_as"] == PEER_AS, f"remote AS {n['remote_as']}")
    wait_rib(bw, c.a, p, want)
    say(f"{len(want)} routes stored as announced")
    n = wait_state(bw, c.a, lambda n: sorted(
        n["negotiated"]["end_of_rib"]) == ["ipv4", "ipv6"],
        "End-of-RIB for both families", 15)
    gone = [r for r in want if str(r.prefix) in
            ("203.0.113.0/24", "2001:db8:ff00::/40")]
    p.withdraw(gone)
    keep = [r for r in want if r not in gone]
    wait_rib(bw, c.a, p, keep)
    say(f"withdrew {[str(r.prefix) for r in gone]}: gone")
    shut_down_and_check(c, p, c.a)


def t_addpath(c):
    multi = c.cls.MULTIPATH
    want = c.routes("addpath.routes" if multi else "sample.routes")
    bw = c.daemon([neighbor_block(c.a, PEER_AS, addpath=True)])
    p = c.peer(c.a, want, addpath=True)
    n = established(bw, c.a)
    aps = n["negotiated"]["add_path_receive"]
    check(sorted(aps) == ["ipv4", "ipv6"],
          f"ADD-PATH receive negotiated for {aps}")
    wait_rib(bw, c.a, p, want, addpath=True)
    rib = bw.rib(c.a)
    per = {}
    for r in rib:
        per.setdefault(r["prefix"], []).append(r["path_id"])
    say(f"path identifiers: {per}")
    if multi:
        check(all(len(v) == 2 for v in per.values()),
              f"expected 2 paths per prefix: {per}")
        gone = [r for r in want if r.seq == 2 and r.af == 4]
    else:
        say(f"{c.impl} sends one path per prefix: checked the capability "
            f"and the path identifiers only")
        gone = [r for r in want if str(r.prefix) == "203.0.113.0/24"]
    p.withdraw(gone)
    keep = [r for r in want if r not in gone]
    wait_rib(bw, c.a, p, keep, addpath=True)
    say(f"withdrew one path of {[str(r.prefix) for r in gone]}: "
        f"{len(keep)} paths left")
    rest = {r["prefix"]: r["path_id"] for r in bw.rib(c.a)}
    for r in gone:  # the other path of the prefix keeps its identifier
        if multi:
            check(rest.get(str(r.prefix)) in per[str(r.prefix)],
                  f"{r.prefix}: remaining path id {rest.get(str(r.prefix))}")


def tcp_md5_counters():
    """Linux's TcpExt TCPMD5* counters (segments dropped for MD5)."""
    with open("/proc/net/netstat") as f:
        lines = f.read().splitlines()
    out = {}
    for head, vals in zip(lines[::2], lines[1::2]):
        for k, v in zip(head.split()[1:], vals.split()[1:]):
            if k.startswith("TCPMD5"):
                out[k] = int(v)
    return out


def t_md5(c):
    key = "bgpwatch-interop-md5"
    want = c.routes("sample.routes")
    unsigned = f"{c.net}.4"
    bw = c.daemon([neighbor_block(x, PEER_AS, md5=key)
                   for x in (c.a, c.b, unsigned)])
    drops0 = tcp_md5_counters()
    good = c.peer(c.a, want, md5=key)
    bad = [c.peer(c.b, want, md5="not-the-key"), c.peer(unsigned, want)]
    t_bad = time.monotonic()
    established(bw, c.a)
    wait_rib(bw, c.a, good, want)
    say("MD5-signed session up, routes stored")
    # A wrong key or none: the kernel drops the SYNs before bgpwatchd sees
    # a byte. Leave time for a few connection attempts (retry 3 s).
    time.sleep(max(0.0, 8 - (time.monotonic() - t_bad)))
    for p in bad:
        check(p.alive(), f"{c.impl} {p.local_ip} exited")
        n = bw.neighbor(p.local_ip)
        check(n["state"] != "Established" and
              n["counters"]["established"] == 0 and
              n["counters"]["messages_received"]["total"] == 0,
              f"{p.local_ip}: state {n['state']}, counters {n['counters']}")
        check(bw.rib(p.local_ip) == [], f"routes from {p.local_ip}")
    drops = {k: v - drops0.get(k, 0) for k, v in tcp_md5_counters().items()}
    check(drops.get("TCPMD5Failure", 0) > 0 and
          drops.get("TCPMD5NotFound", 0) > 0,
          f"the kernel dropped no wrongly signed or unsigned segment: "
          f"{drops}")
    say(f"wrong MD5 key and no key: no session after "
        f"{time.monotonic() - t_bad:.0f} s, no message received; kernel "
        f"drops {drops}")


def t_refresh(c):
    want = c.routes("sample.routes")
    bw = c.daemon([neighbor_block(c.a, PEER_AS)])
    p = c.peer(c.a, want)
    n = established(bw, c.a)
    check(n["negotiated"]["route_refresh"] is True,
          "route refresh not negotiated")
    wait_rib(bw, c.a, p, want)
    wait_state(bw, c.a, lambda n: len(n["negotiated"]["end_of_rib"]) == 2,
               "End-of-RIB for both families", 15)
    n = bw.neighbor(c.a)
    rr0 = p.refreshes_received()
    upd0 = n["counters"]["messages_received"]["update"]
    sent0 = n["counters"]["messages_sent"]["route_refresh"]
    bw.ctl("clear", "neighbor", c.a, "soft")
    quirk, why = p.REFRESH_QUIRK or (None, None)
    # A reset may leave time for the first family's request only.
    lab.wait_until(f"{c.impl} to receive ROUTE-REFRESH",
                   lambda: p.refreshes_received() >=
                   rr0 + (1 if quirk == "reset" else 2), 20)
    say(f"{c.impl} received {p.refreshes_received() - rr0} ROUTE-REFRESH "
        f"(enhanced: {n['negotiated']['enhanced_route_refresh']})")
    if quirk:
        lab.wait_until(f"{c.impl} to log the known problem",
                       p.refresh_quirk_logged, 10)
        say(f"KNOWN QUIRK ({quirk}), resend not checked: {why}")
    if quirk == "ignored":
        time.sleep(2)
    elif quirk == "reset":
        # bgpwatchd keeps the routes as stale (RFC 4724) until the peer is
        # back and has sent its End-of-RIB.
        wait_state(bw, c.a, lambda n: n["counters"]["established"] == 2 and
                   len(n["negotiated"]["end_of_rib"]) == 2,
                   "re-established after the reset", 30)
    else:
        wait_state(bw, c.a, lambda n: n["counters"]["messages_received"][
            "update"] > upd0, "routes resent", 20)
    wait_rib(bw, c.a, p, want)
    n = bw.neighbor(c.a)
    if quirk != "reset":
        check(n["counters"]["messages_sent"]["route_refresh"] == sent0 + 2,
              f"ROUTE-REFRESH sent: {n['counters']['messages_sent']}")
        check(n["state"] == "Established" and
              n["counters"]["established"] == 1,
              f"session reset by the refresh: {n['counters']}")
    say(f"{n['counters']['messages_received']['update'] - upd0} UPDATEs "
        f"resent; routes unchanged, none stale")


def t_gr(c):
    want = c.routes("sample.routes")
    bw = c.daemon([neighbor_block(c.a, PEER_AS)])
    p = c.peer(c.a, want, gr=True, gr_time=GR_TIME)
    n = established(bw, c.a)
    check(n["negotiated"]["graceful_restart"] is True,
          "graceful restart not negotiated")
    cap = [x for x in n["open"]["capabilities"]
           if x.get("name") == "graceful-restart"]
    check(cap and cap[0]["restart_time"] == GR_TIME and
          len(cap[0]["families"]) == 2, f"peer's GR capability {cap}")
    fbit = all(f["forwarding"] for f in cap[0]["families"])
    wait_rib(bw, c.a, p, want)
    wait_state(bw, c.a, lambda n: len(n["negotiated"]["end_of_rib"]) == 2,
               "End-of-RIB for both families", 15)

    # 1. kill -9: the TCP connection ends without NOTIFICATION.
    p.kill9()
    wait_state(bw, c.a, lambda n: n["state"] != "Established",
               "session down", 20)
    rib = bw.rib(c.a)
    check(len(rib) == len(want) and all(r["stale"] for r in rib),
          f"after kill -9: {len(rib)} routes, stale "
          f"{[r['stale'] for r in rib]}")
    check(bw.log_has(r"graceful restart: %d routes marked stale" %
                     len(want)), "no 'marked stale' log line")
    say(f"{c.impl} killed: {len(rib)} routes kept as stale")

    # 2. It comes back with one route less: End-of-RIB flushes that one.
    keep = [r for r in want if str(r.prefix) != "100.64.0.0/22"]
    p.restart(keep)
    established(bw, c.a)
    wait_rib(bw, c.a, p, keep)
    why = ("1 stale routes withdrawn: End-of-RIB" if fbit else
           "stale routes withdrawn: the new session does not preserve")
    check(bw.log_has(why), f"no '{why}' log line")
    say(f"{c.impl} back (forwarding state bit {fbit}): routes refreshed, "
        f"stale ones withdrawn ({why})")

    # 3. Killed again and not restarted: the restart time flushes.
    wait_state(bw, c.a, lambda n: len(n["negotiated"]["end_of_rib"]) == 2,
               "End-of-RIB for both families", 15)
    p.kill9()
    t0 = time.monotonic()
    wait_state(bw, c.a, lambda n: n["state"] != "Established",
               "session down", 20)
    rib = bw.rib(c.a)
    check(len(rib) == len(keep) and all(r["stale"] for r in rib),
          f"after the second kill -9: {rib}")
    lab.wait_until("stale routes flushed at the restart time",
                   lambda: bw.rib(c.a) == [], GR_TIME + 15)
    dt = time.monotonic() - t0
    check(dt >= GR_TIME - 1, f"stale routes flushed after {dt:.1f} s, "
          f"before the restart time of {GR_TIME} s")
    check(bw.log_has(r"stale routes withdrawn: restart time expired"),
          "no 'restart time expired' log line")
    say(f"stale routes flushed {dt:.1f} s after the kill "
        f"(restart time {GR_TIME} s)")


def t_extmsg(c):
    # 1100 communities: a 4,400-octet attribute, so the UPDATE exceeds
    # 4096 octets and needs RFC 8654 on both sides.
    big = rt.Route("192.0.2.0/24", [64500, 4200000100],
                   comm=[(64500, i) for i in range(1, 1101)])
    want = c.routes("sample.routes") + [big]
    bw = c.daemon([neighbor_block(c.a, PEER_AS)])
    p = c.peer(c.a, want, extmsg=True)
    n = established(bw, c.a)
    check(n["negotiated"]["extended_message"] is True,
          "extended messages not negotiated")
    wait_rib(bw, c.a, p, want)
    say("extended messages negotiated; the route with 1100 communities "
        "(an UPDATE over 4096 octets) stored whole")


def t_linklocal(c):
    want = c.routes("sample.routes")
    bw = c.daemon([neighbor_block(c.a, PEER_AS)])
    p = c.peer(c.a, want, multihop=False, nh6=c.peer_v6)
    established(bw, c.a)
    wait_rib(bw, c.a, p, want)
    ll = lab.link_local(c.ns_peer)
    for r in bw.rib(c.a):
        if r["family"] != "ipv6":
            continue
        nh = r["attributes"]["mp_reach"]["next_hop"]
        check(nh == [c.peer_v6, ll],
              f"{r['prefix']}: MP_REACH next hops {nh}, expected "
              f"[{c.peer_v6}, {ll}]")
    say(f"IPv6 routes stored with next hop {c.peer_v6} and link-local {ll} "
        f"(32 octets) from a direct session")


# The 2017 case (../shared/corpora/nk2017.md): AS131279's four /24s,
# reached through China Unicom AS4837; at 09:07:51 UTC TransTeleCom
# AS20485 appeared as a second upstream of three of them.
NK = ["175.45.176.0/24", "175.45.177.0/24", "175.45.178.0/24",
      "175.45.179.0/24"]
NK_HOLD = 3  # the watch's hold-down, seconds
NK_CONF = f"""output file "@DIR@/events.jsonl"
watch "star-jv" {{
  prefix 175.45.176.0/22 or-longer
  hold-down {NK_HOLD}
}}
"""


class Events:
    """The event lines bgpwatchd writes, each checked against the schema."""

    def __init__(self, path):
        self.path = path
        self.v = validate.Validator()

    def lines(self):
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return []
        data = data[:data.rfind(b"\n") + 1]  # a line being written
        try:
            return [self.v.check_line(x.decode()) for x in data.splitlines()]
        except validate.Invalid as e:
            raise lab.Fail(f"{self.path}: {e}")

    def action(self, name):
        return [o for o in self.lines() if o["event"]["action"] == name]

    def wait(self, name, n=1, timeout=CONVERGE_S, poll=0.001):
        """The lines of action name once there are n; their wait."""
        t0 = time.monotonic()
        while True:
            got = self.action(name)
            if len(got) >= n:
                return got, time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                raise lab.Fail(f"{len(got)} {name} lines after {timeout} s, "
                               f"{n} expected")
            time.sleep(poll)


def t_watch(c):
    # Two peers of the same implementation carry the four /24s through
    # AS4837, as two collectors' feeds would; then one of them moves .178
    # to TransTeleCom, which becomes a second upstream of the prefix.
    ev = Events(os.path.join(c.work, "bgpwatchd", "events.jsonl"))
    via = [rt.Route(p, [2914, 4837, 131279]) for p in NK]
    bw = c.daemon([neighbor_block(c.a, PEER_AS), neighbor_block(c.b, PEER_AS)],
                  extra=NK_CONF)
    p = c.peer(c.a, via)
    c.peer(c.b, via)
    established(bw, c.a)
    established(bw, c.b)
    base, _ = ev.wait("baseline-learned")
    up = base[0]["bgpwatch"]["upstreams"]
    check(up["baseline"] == [4837], f"baseline {up}")
    say(f"baseline learned once both peers sent End-of-RIB: upstreams "
        f"{up['baseline']}")

    # 09:07:51: .178 through TransTeleCom.
    ttk = rt.Route(NK[2], [2914, 20485, 131279])
    t0 = time.monotonic()
    p.announce([ttk])
    got, _ = ev.wait("upstream-added")
    ms = (time.monotonic() - t0) * 1000
    time.sleep(0.5)  # nothing more may follow
    got = ev.action("upstream-added")
    check(len(got) == 1, f"{len(got)} upstream-added lines: {got}")
    b = got[0]["bgpwatch"]
    check(got[0]["event"]["kind"] == "alert", got[0]["event"])
    check(b["route"]["prefix"] == NK[2], f"alert for {b['route']}")
    check(b["upstreams"]["added"] == [20485] and
          b["upstreams"]["as"] == 20485 and b["upstreams"]["removed"] == [] and
          b["upstreams"]["baseline"] == [4837] and
          b["upstreams"]["current"] == [4837, 20485], b["upstreams"])
    check(b["peer"]["ip"] == c.a and b["peer"]["as"] == PEER_AS, b["peer"])
    rep = [o for o in ev.action("route-replaced")
           if o["bgpwatch"]["route"]["prefix"] == NK[2]]
    check(len(rep) == 1 and
          rep[0]["bgpwatch"]["route"]["previous"]["upstream_as"] == 4837 and
          rep[0]["bgpwatch"]["route"]["upstream_as"] == 20485,
          f"route-replaced for {NK[2]}: {rep}")
    share = {x["as"]: x["routes"] for x in b["upstreams"]["share"]}
    check(share == {4837: 7, 20485: 1}, f"share {b['upstreams']['share']}")
    check(ev.action("origin-changed") == [], "origin-changed lines")
    check(not any(o["bgpwatch"].get("route", {}).get("prefix") == NK[1]
                  for o in ev.lines() if o["event"]["kind"] == "alert"),
          f"an alert for {NK[1]}")
    say(f"{c.impl} {c.a} moved {NK[2]} to AS20485: one upstream-added line, "
        f"{ms:.1f} ms after the command to {c.impl}")

    # Back through AS4837: upstream-removed, but only after the hold-down.
    t1 = time.monotonic()
    p.announce([rt.Route(NK[2], [2914, 4837, 131279])])
    got, _ = ev.wait("upstream-removed", timeout=NK_HOLD + 15, poll=0.01)
    dt = time.monotonic() - t1
    check(dt >= NK_HOLD - 0.5, f"upstream-removed after {dt:.2f} s, "
          f"before the hold-down of {NK_HOLD} s")
    b = got[0]["bgpwatch"]
    # "as" is the upstream that went; added and removed compare the
    # current set with the baseline, which it matches again.
    check(len(got) == 1 and b["upstreams"]["as"] == 20485 and
          b["upstreams"]["current"] == [4837] and
          b["upstreams"]["added"] == [] and b["route"]["prefix"] == NK[2],
          b)
    seq = [o["event"]["sequence"] for o in ev.lines()]
    check(seq == list(range(seq[0], seq[0] + len(seq))),
          f"event.sequence not consecutive: {seq}")
    say(f"moved back: upstream-removed after {dt:.2f} s (hold-down "
        f"{NK_HOLD} s); {len(seq)} event lines, all valid")


TESTS = {"basic": t_basic, "addpath": t_addpath, "md5": t_md5,
         "refresh": t_refresh, "gr": t_gr, "extmsg": t_extmsg,
         "linklocal": t_linklocal, "watch": t_watch}


def main():
    ap = argparse.ArgumentParser(description="bgpwatchd interop test")
    ap.add_argument("--bgpwatchd", required=True)
    ap.add_argument("--bgpwatchctl", required=True)
    ap.add_argument("impl", choices=IMPLS)
    ap.add_argument("feature", choices=FEATURES)
    a = ap.parse_args()
    lab.install_signal_handlers()
    name = f"{a.impl} {a.feature}"
    cls = peers.PEERS[a.impl]
    if os.geteuid() != 0:
        print(f"SKIP {name}: needs root (port 179, TCP MD5)", flush=True)
        return 77
    miss = cls.missing()
    if miss:
        msg = f"{a.impl} is not installed (no {miss})"
        if os.environ.get("BGPWATCH_INTEROP_REQUIRE"):
            print(f"FAIL {name}: {msg}", flush=True)
            return 1
        print(f"SKIP {name}: {msg}", flush=True)
        return 77
    if a.feature in cls.LACKS:
        print(f"SKIP {name}: {cls.LACKS[a.feature]}", flush=True)
        return 77
    try:
        lock = lab.exclusive(LOCK, 240)
    except lab.Fail as e:
        print(f"FAIL {name}: {e}", flush=True)
        return 1
    if time.monotonic() - T0 > 1:
        say(f"waited for {LOCK} (another interop run)")
    c = None
    t0 = time.monotonic()  # after the lock
    try:
        c = Ctx(a)
        TESTS[a.feature](c)
        c.finish()
        print(f"PASS {name} ({time.monotonic() - t0:.1f} s)", flush=True)
        return 0
    except lab.Fail as e:
        print(f"FAIL {name}: {e}", flush=True)
        if c:
            c.dump()
        return 1
    finally:
        lab.cleanup_all()  # before the next run may start
        lock.close()


if __name__ == "__main__":
    sys.exit(main())
