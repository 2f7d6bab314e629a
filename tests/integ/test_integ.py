#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# bgpwatchd end to end with its event lines: scripted BGP peers on
# 127.80-86.0.0/24 announce routes, the daemon writes lines to a file (and
# a TCP sink), and every line is checked against the schema
# (tests/output/validate.py). Covers the watch alerts of a live session,
# session-established/-closed, peer-stats, config-reloaded, the TCP spool
# while the sink is down, `show watch` and the last NOTIFICATION after
# `neighbor X down "text"`. TAP output; Python 3 standard library plus
# python3-jsonschema (the validator).
#
# usage: test_integ.py BGPWATCHD BGPWATCHCTL SOURCE_ROOT

import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "daemon"))
sys.path.insert(0, os.path.join(HERE, "..", "control"))
sys.path.insert(0, os.path.join(HERE, "..", "output"))

import bgppeer  # noqa: E402
import ctlpeer  # noqa: E402
import daemonlib  # noqa: E402
from daemonlib import check  # noqa: E402
import outlib  # noqa: E402
import validate  # noqa: E402

NK = ["175.45.176.0/24", "175.45.177.0/24", "175.45.178.0/24",
      "175.45.179.0/24"]
# The watch of the 2017 case (bgpwatch.conf(5) WATCHES).
WATCH = """watch "star-jv" {
  prefix 175.45.176.0/22 or-longer
  hold-down %d
}
"""
VALIDATOR = validate.Validator()
CTL = None


def events_conf(n, extra="", watch_hold=None):
    me, peers = daemonlib.net(n)
    body = f'output file "@DIR@/events.jsonl"\n{extra}'
    if watch_hold is not None:
        body += WATCH % watch_hold
    nb = daemonlib.neighbor(peers[0], 65001, '  descr "lab-rs1"\n')
    return daemonlib.conf(n, nb, body)


class Run:
    """A daemon writing events.jsonl, and helpers to read it."""

    def __init__(self, exe, n, extra="", watch_hold=None, env=None):
        self.n = n
        self.me, self.peers = daemonlib.net(n)
        e = {"BGPWATCHD_STATS_INTERVAL": "3600"}
        e.update(env or {})
        self.d = daemonlib.Daemon(exe, events_conf(n, extra, watch_hold),
                                  env=e)
        self.path = os.path.join(self.d.dir, "events.jsonl")
        self.rotated = []  # older files, oldest first (logrotate)

    def lines(self):
        """Every line so far, each validated; the file must end whole."""
        if not os.path.exists(self.path):
            return []
        with open(self.path, "rb") as f:
            data = f.read()
        cut = data.rfind(b"\n") + 1
        return [VALIDATOR.check_line(x.decode())
                for x in data[:cut].splitlines()]

    def wait(self, pred, timeout=10.0, what="line"):
        deadline = time.monotonic() + timeout
        while True:
            got = [o for o in self.lines() if pred(o)]
            if got:
                return got
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} in {self.path}")
            time.sleep(0.01)

    def actions(self, action):
        return [o for o in self.lines() if o["event"]["action"] == action]

    def ctl(self, *args):
        sock = os.path.join(self.d.dir, "bgpwatch.sock")
        return subprocess.run([CTL, "-s", sock] + list(args),
                              capture_output=True, text=True, timeout=30)

    def finish(self):
        """Stop the daemon; check the whole file and the sequence."""
        try:
            self.d.stop()
            seq = []
            for path in self.rotated + [self.path]:
                objs = VALIDATOR.check_file(path, monotonic=True)
                seq += [o["event"]["sequence"] for o in objs]
            check(seq == list(range(1, len(seq) + 1)),
                  f"event.sequence not 1..N: {seq[:20]}")
        finally:
            for f in os.listdir(self.d.dir):
                sub = os.path.join(self.d.dir, f)
                if os.path.isdir(sub):
                    shutil.rmtree(sub)
            self.d.cleanup()


def nk_peer(r, hold=90):
    p = bgppeer.Peer(r.me, daemonlib.PORT, src=r.peers[0])
    p.establish(65001, r.peers[0], hold=hold)
    p.send(bgppeer.announce(NK, [65001, 2914, 4837, 131279], r.peers[0]))
    p.send(bgppeer.eor_v4())
    return p


def test_upstream_added(exe):
    """The 2017 case live: one upstream-added for .178, and its latency."""
    r = Run(exe, 80, watch_hold=60)
    try:
        p = nk_peer(r)
        r.wait(lambda o: o["event"]["action"] == "baseline-learned",
               what="baseline-learned")
        size = os.path.getsize(r.path)
        upd = bgppeer.announce([NK[2]], [65001, 2914, 20485, 131279],
                               r.peers[0])
        t0 = time.monotonic()
        p.send(upd)
        # The route-replaced line comes first, the alert right after it.
        while (b"upstream-added" not in open(r.path, "rb").read()[size:]
               and time.monotonic() - t0 < 10):
            time.sleep(0.0002)
        ms = (time.monotonic() - t0) * 1000
        print(f"# UPDATE sent -> upstream-added line in the file: "
              f"{ms:.2f} ms", flush=True)
        time.sleep(0.5)  # nothing else may follow
        got = r.actions("upstream-added")
        check(len(got) == 1, f"{len(got)} upstream-added lines")
        b = got[0]["bgpwatch"]
        check(b["route"]["prefix"] == NK[2], b["route"])
        check(b["upstreams"]["added"] == [20485], b["upstreams"])
        check(b["upstreams"]["baseline"] == [4837], b["upstreams"])
        check(got[0]["event"]["kind"] == "alert", got[0]["event"])
        # show watch: the table and the JSON
        out = r.ctl("show", "watch")
        check(out.returncode == 0 and "star-jv" in out.stdout,
              out.stdout + out.stderr)
        out = r.ctl("-j", "show", "watch", "star-jv")
        doc = json.loads(out.stdout)
        check([w["name"] for w in doc["watches"]] == ["star-jv"], doc)
        out = r.ctl("show", "watch", "nonesuch")
        check(out.returncode != 0 and "unknown watch" in out.stderr,
              out.stderr)
        p.close()
    finally:
        r.finish()


def test_treat_as_withdraw(exe):
    """RFC 7606 §2: a bad ORIGIN withdraws the route, with the raw hex."""
    r = Run(exe, 86, watch_hold=60,
            env={"BGPWATCHD_STATS_INTERVAL": "1"})
    try:
        p = nk_peer(r)
        r.wait(lambda o: o["event"]["action"] == "baseline-learned",
               what="baseline-learned")
        bad = bgppeer.attr(0x40, 1, bytes([7]))  # ORIGIN 7: undefined
        attrs = (bad + bgppeer.attr_aspath([65001, 2914, 4837, 131279]) +
                 bgppeer.attr_nexthop(r.peers[0]))
        p.send(bgppeer.update(attrs=attrs, nlri=[NK[1]]))
        got = r.wait(lambda o: o["event"]["action"] ==
                     "route-treat-as-withdraw", what="treat-as-withdraw")
        b = got[0]["bgpwatch"]
        check(b["route"]["prefix"] == NK[1], b["route"])
        check(b["treat_as_withdraw"]["attribute"] == bad.hex(),
              b["treat_as_withdraw"])
        r.wait(lambda o: o["event"]["action"] == "route-withdrawn" and
               o["bgpwatch"]["route"]["prefix"] == NK[1],
               what="route-withdrawn")
        st = r.wait(lambda o: o["event"]["action"] == "peer-stats",
                    timeout=5, what="peer-stats")
        check(st[-1]["bgpwatch"]["stats"]["treat_as_withdraw"] == 1,
              st[-1]["bgpwatch"]["stats"])
        p.close()
    finally:
        r.finish()


def test_session_closed(exe):
    """
    Cease 2 with a shutdown text: session-closed says so, before the
    routes it takes away are withdrawn.
    """
    r = Run(exe, 81, watch_hold=60)
    try:
        p = nk_peer(r)
        est = r.wait(lambda o: o["event"]["action"] ==
                     "session-established", what="session-established")
        s = est[0]["bgpwatch"]["session"]
        check(s["hold_time"] == 90 and s["four_octet_as"], s)
        check(est[0]["bgpwatch"]["peer"]["bgp_id"] == r.peers[0],
              est[0]["bgpwatch"]["peer"])
        text = "maintenance, back at 14:00"
        raw = text.encode()
        p.send(bgppeer.notification(6, 2, bytes([len(raw)]) + raw))
        got = r.wait(lambda o: o["event"]["action"] == "session-closed",
                     what="session-closed")
        s = got[0]["bgpwatch"]["session"]
        n = s["notification"]
        check(n["direction"] == "received" and n["code"] == 6 and
              n["subcode"] == 2, n)
        check(n["shutdown_communication"] == text, n)
        check(s["previous_state"] == "Established", s)
        check(s["stale_kept"] is False and s["routes"] == 0, s)
        # The withdrawals it causes come after it (as in replay).
        gone = r.wait(lambda o: o["event"]["action"] == "route-withdrawn",
                      what="route-withdrawn")
        check(len(gone) == 4 and all(
            o["event"]["reason"] == "session-down" and
            o["event"]["sequence"] > got[0]["event"]["sequence"]
            for o in gone), [(o["event"]["sequence"],
                              o["event"].get("reason")) for o in gone])
        p.close()
    finally:
        r.finish()


def test_session_closed_gr(exe):
    """RFC 4724 §4.2: a GR peer's TCP reset keeps its routes as stale."""
    r = Run(exe, 87, watch_hold=60)
    try:
        p = bgppeer.Peer(r.me, daemonlib.PORT, src=r.peers[0])
        p.establish(65001, r.peers[0], caps=[
            bgppeer.cap_mp(1), bgppeer.cap_as4(65001),
            bgppeer.cap_gr(120, ((1, 1),))])
        p.send(bgppeer.announce(NK, [65001, 2914, 4837, 131279],
                                r.peers[0]))
        p.send(bgppeer.eor_v4())
        r.wait(lambda o: o["event"]["action"] == "baseline-learned",
               what="baseline-learned")
        p.reset()  # TCP RST, no NOTIFICATION
        got = r.wait(lambda o: o["event"]["action"] == "session-closed",
                     what="session-closed")
        s = got[0]["bgpwatch"]["session"]
        check(s["stale_kept"] is True and s["routes"] == 4, s)
        check("4 routes kept as stale" in got[0]["message"],
              got[0]["message"])
        time.sleep(0.5)
        check(r.actions("route-withdrawn") == [], "routes withdrawn")
    finally:
        r.finish()


def test_admin_down_notification(exe):
    """`neighbor X down "text"`: show neighbor keeps the NOTIFICATION."""
    r = Run(exe, 82)
    try:
        p = nk_peer(r)
        r.wait(lambda o: o["event"]["action"] == "rib-synced",
               what="rib-synced")
        out = r.ctl("neighbor", r.peers[0], "down", "going away")
        check(out.returncode == 0, out.stderr)
        code, sub, data = p.expect_notification()
        check((code, sub) == (6, 2), (code, sub))
        out = r.ctl("-j", "show", "neighbor", r.peers[0])
        n = json.loads(out.stdout.splitlines()[0])
        le = n["last_error"]
        check(le["notification"] is True, le)
        check(le.get("shutdown_communication") == "going away", le)
        got = r.wait(lambda o: o["event"]["action"] == "session-closed",
                     what="session-closed")
        nf = got[0]["bgpwatch"]["session"]["notification"]
        check(nf["direction"] == "sent" and
              nf["shutdown_communication"] == "going away", nf)
        p.close()
    finally:
        r.finish()


def test_peer_stats(exe):
    """peer-stats every interval with the RIB and counters; a reload
    with stats-interval 0 stops them, one without starts them again."""
    r = Run(exe, 83, env={"BGPWATCHD_STATS_INTERVAL": "1"})
    try:
        p = nk_peer(r)
        r.wait(lambda o: o["event"]["action"] == "rib-synced",
               what="rib-synced")
        got = r.wait(lambda o: o["event"]["action"] == "peer-stats" and
                     o["bgpwatch"]["stats"]["prefixes"]["ipv4_unicast"] ==
                     4, timeout=5, what="peer-stats with 4 routes")
        st = got[0]["bgpwatch"]["stats"]
        check(st["updates"] == 2 and st["announced"] == 4, st)
        check(st["state"] == "Established" and st["interval"] == 1, st)
        check(st["last_update_age"] >= 0, st)
        r.d.reload(events_conf(83, "stats-interval 0\n"))
        r.wait(lambda o: o["event"]["action"] == "config-reloaded",
               what="config-reloaded")
        n = len(r.actions("peer-stats"))
        time.sleep(2.5)
        check(len(r.actions("peer-stats")) == n,
              "peer-stats after stats-interval 0")
        check(r.d.count(r"peer-stats: off") == 1, "no 'peer-stats: off'")
        last = r.lines()[-1]["event"]["sequence"]
        r.d.reload(events_conf(83))
        r.wait(lambda o: o["event"]["action"] == "peer-stats" and
               o["event"]["sequence"] > last, timeout=5,
               what="peer-stats after a reload without stats-interval 0")
        p.close()
    finally:
        r.finish()


def test_reload_watch(exe):
    """
    SIGHUP with a changed watch: config-reloaded, no session reset; a
    changed observer-name shows from the config-reloaded line on.
    """
    r = Run(exe, 84, watch_hold=60)
    try:
        p = nk_peer(r)
        r.wait(lambda o: o["event"]["action"] == "baseline-learned",
               what="baseline-learned")
        r.d.reload(events_conf(84, watch_hold=120))
        got = r.wait(lambda o: o["event"]["action"] == "config-reloaded",
                     what="config-reloaded")
        rl = got[0]["bgpwatch"]["reload"]
        check(rl["ok"] and rl["reset"] == 0 and rl["watches"] == 1, rl)
        host = got[0]["observer"]["hostname"]
        # A new observer-name: from the config-reloaded line on.
        r.d.reload(events_conf(84, 'observer-name "collector-2"\n',
                               watch_hold=120))
        got = r.wait(lambda o: o["event"]["action"] == "config-reloaded" and
                     o["observer"]["hostname"] == "collector-2",
                     what="config-reloaded from observer collector-2")
        check(got[0]["event"]["id"].split("-")[0] ==
              r.lines()[0]["event"]["id"].split("-")[0],
              "the run id changed with observer-name")
        check(host != "collector-2", f"observer {host} before")
        time.sleep(0.5)
        check(not r.actions("session-closed"), "a session was closed")
        check(r.d.count(r"Established -> ") == 0, "the session was reset")
        # The rebuilt watch still sees the routes: a change alerts.
        p.send(bgppeer.announce([NK[2]], [65001, 2914, 20485, 131279],
                                r.peers[0]))
        r.wait(lambda o: o["event"]["action"] == "upstream-added",
               what="upstream-added after reload")
        # logrotate: rename, SIGHUP; later lines go to a new file.
        old = r.path + ".1"
        os.rename(r.path, old)
        r.rotated.append(old)
        r.d.reload()
        got = r.wait(lambda o: o["event"]["action"] == "config-reloaded",
                     what="config-reloaded in the reopened file")
        check(got[0]["bgpwatch"]["reload"]["reset"] == 0, got[0])
        p.close()
    finally:
        r.finish()


def test_tcp_sink_down(exe):
    """A TCP sink away for > 10 s: the session lives, no line is lost."""
    port = outlib.free_port()
    recv = None
    spool_extra = (f'output tcp "127.0.0.1:{port}" spool '
                   f'"@DIR@/spool"\n')
    r = Run(exe, 85, extra=spool_extra, watch_hold=60,
            env={"BGPWATCHD_STATS_INTERVAL": "1"})
    try:
        os.makedirs(os.path.join(r.d.dir, "spool"), exist_ok=True)
        p = ctlpeer.Peer(r.peers[0], r.me, daemonlib.PORT, 65001, hold=3)
        p.connect()
        p.send(ctlpeer.update_v4(NK, [65001, 2914, 4837, 131279],
                                 r.peers[0]))
        t_end = time.monotonic() + 12
        flaps = 0
        while time.monotonic() < t_end:  # churn while the sink is down
            p.send(ctlpeer.withdraw_v4([NK[flaps % 4]]))
            p.send(ctlpeer.update_v4([NK[flaps % 4]],
                                     [65001, 2914, 4837, 131279],
                                     r.peers[0]))
            flaps += 1
            time.sleep(0.2)
        check(not p.closed, "the session dropped while the sink was down")
        with p.cond:
            ka = [t for t, ty, _ in p.received if ty == 4]
        gaps = [b - a for a, b in zip(ka, ka[1:])]
        check(len(ka) >= 8 and max(gaps) < 2.5,
              f"KEEPALIVEs from the daemon: {len(ka)}, gaps {gaps}")
        check(not r.actions("session-closed"), "session-closed while down")
        recv = outlib.TcpReceiver(port, os.path.join(r.d.dir, "recv"))
        want = {o["event"]["sequence"] for o in r.lines()}
        deadline = time.monotonic() + 70
        got = set()
        while time.monotonic() < deadline:
            got = set()
            for f in list(recv.files):
                if os.path.exists(f):
                    with open(f, "rb") as fh:
                        data = fh.read()
                    for ln in data[:data.rfind(b"\n") + 1].splitlines():
                        got.add(VALIDATOR.check_line(ln.decode())
                                ["event"]["sequence"])
            if want <= got:
                break
            time.sleep(0.2)
        missing = sorted(want - got)
        check(not missing, f"{len(missing)} lines never reached the sink: "
              f"{missing[:10]}")
        print(f"# {len(want)} lines, all through the spool after "
              f"12 s down", flush=True)
        gaps = [o for o in r.lines() if o["event"]["action"] == "output-gap"]
        check(not gaps, f"output-gap lines: {gaps[:1]}")
        check(not p.closed, "the session dropped")
        p.close()
    finally:
        if recv is not None:
            recv.close()
        r.finish()


def main():
    global CTL
    exe, CTL = sys.argv[1], sys.argv[2]
    tap = daemonlib.Tap()
    for name, fn in [("upstream-added", test_upstream_added),
                     ("treat-as-withdraw", test_treat_as_withdraw),
                     ("session-closed", test_session_closed),
                     ("session-closed, graceful restart",
                      test_session_closed_gr),
                     ("admin-down notification",
                      test_admin_down_notification),
                     ("peer-stats", test_peer_stats),
                     ("reload watch", test_reload_watch),
                     ("tcp sink down", test_tcp_sink_down)]:
        tap.run(name, fn, exe)
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
