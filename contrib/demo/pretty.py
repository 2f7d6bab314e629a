#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""Print bgpwatch event lines as one short line each, and check them.

    pretty.py [--clock CLOCK.json] [--follow SECONDS] [--only PREFIX]
              [--check] [--quiet] FILE

Reads the JSON lines FILE (tail -f style with --follow: new lines as they
are written, for SECONDS after the first session comes up) and prints the
alerts, one line each: scenario time, action, prefix, upstreams (baseline
-> current) and the share of each upstream; session-established,
rib-synced and baseline-learned briefly. With --clock (the clock.json of
scenario.py), event times are wall-clock times of a paced run: the first
session-established is scenario second 0, and every event is shown at
its scenario time (wall seconds times the pace, across the cut-out
night). Without it, the events' own timestamps are shown (a replay).
--follow gives up when no session comes up within 15 seconds. --only
prints only the alerts whose action starts with PREFIX; --quiet none.

--check: exit 1 unless the first appearance of AS20485 gave exactly one
upstream-added for each of 175.45.176.0/24, .178 and .179, there is no
upstream-added for .177, and no origin-changed at all.
"""
import argparse
import calendar
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import Clock  # noqa: E402

TTK = 20485
SHOWN = ("session-established", "session-closed", "rib-synced",
         "baseline-learned")


def wall(ts):
    """Epoch seconds of an ECS @timestamp ("2017-10-01T09:07:51.250Z")."""
    base, _, frac = ts.rstrip("Z").partition(".")
    t = calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S"))
    return t + (float("0." + frac) if frac else 0.0)


def ases(lst):
    return ",".join(str(a) for a in lst) or "-"


def share(up):
    return " ".join("AS%d %d%%" % (s["as"], round(100 * s["ratio"]))
                    for s in up.get("share", []))


class Printer:
    def __init__(self, clock):
        self.clock = clock
        self.t0 = None
        self.alerts = []  # (scenario epoch, action, prefix, upstream AS)

    def when(self, o):
        t = wall(o["@timestamp"])
        if self.clock is None:
            return t
        if self.t0 is None:
            self.t0 = t
        return self.clock.scenario((t - self.t0) * self.clock.pace)

    def line(self, o):
        act = o["event"]["action"]
        if act == "session-established" and self.t0 is None:
            self.t0 = wall(o["@timestamp"])
        if o["event"]["kind"] != "alert" and act not in SHOWN:
            return None
        t = self.when(o)
        b = o.get("bgpwatch", {})
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(t)))
        if act in SHOWN:
            what = o["message"]
            return "%s  %-20s %s" % (stamp, act, what[:90])
        pfx = b.get("route", {}).get("prefix", "-")
        up = b.get("upstreams", {})
        self.alerts.append((t, act, pfx, up.get("as")))
        text = "%s  %-20s %-16s" % (stamp, act, pfx)
        if act.startswith("upstream-"):
            text += " AS%s  upstreams %s -> %s  (watch share: %s)" % (
                up.get("as"), ases(up.get("baseline", [])),
                ases(up.get("current", [])), share(up))
        elif act.startswith("visibility-"):
            v = b.get("visibility", {})
            text += " seen by %s of %s peers" % (v.get("peers"),
                                                 v.get("eligible"))
        else:
            text += " " + o["message"][:80]
        return text


def follow(path, secs, pr):
    """Lines of path as they are written, until secs after t0."""
    deadline, start = None, time.time()
    while not os.path.exists(path):
        time.sleep(0.05)
    with open(path) as f:
        buf = ""
        while True:
            chunk = f.readline()
            if chunk:
                buf += chunk
                if buf.endswith("\n"):
                    yield buf
                    buf = ""
                continue
            if pr.t0 is None and time.time() - start > 15:
                return
            if pr.t0 is not None and deadline is None:
                deadline = pr.t0 + secs
            if deadline is not None and time.time() > deadline:
                return
            time.sleep(0.05)


def check(pr):
    added = [a for a in pr.alerts if a[1] == "upstream-added" and
             a[3] == TTK]
    t1 = min(a[0] for a in added) if added else None
    burst = sorted(a[2] for a in added if a[0] - t1 < 600)
    bad = []
    if burst != ["175.45.176.0/24", "175.45.178.0/24", "175.45.179.0/24"]:
        bad.append("first AS20485 appearance: upstream-added for %s, want "
                   ".176, .178, .179" % (burst or "nothing"))
    if any(a[2] == "175.45.177.0/24" and a[1] == "upstream-added"
           for a in pr.alerts):
        bad.append("upstream-added for 175.45.177.0/24")
    if any(a[1] == "origin-changed" for a in pr.alerts):
        bad.append("origin-changed raised")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clock")
    ap.add_argument("--follow", type=float)
    ap.add_argument("--only")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("file")
    a = ap.parse_args()
    clock = Clock.load(a.clock) if a.clock else None
    pr = Printer(clock)
    if a.follow is not None:
        lines = follow(a.file, a.follow, pr)
    else:
        lines = open(a.file)
    for raw in lines:
        o = json.loads(raw)
        text = pr.line(o)
        if a.only and not o["event"]["action"].startswith(a.only):
            continue
        if text is not None and not a.quiet:
            print(text, flush=True)
    if not a.check:
        return 0
    bad = check(pr)
    for b in bad:
        print("CHECK FAILED: " + b, flush=True)
    if not bad:
        n = sum(1 for x in pr.alerts if x[1] == "upstream-added")
        print("check: AS20485 added on .176, .178, .179 at its first "
              "appearance, never on .177; no origin change (%d alerts, %d "
              "upstream-added)" % (len(pr.alerts), n), flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
