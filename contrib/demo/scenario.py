#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""The demo's scenario: a timeline file turned into what the demo plays.

    scenario.py TIMELINE OUTDIR PACE

writes, from TIMELINE (contrib/demo/nk2017/timeline.txt, format in its
header):

    OUTDIR/PEER.script   one bgpfeed(1) --script per peer, "at +SECONDS"
                         in scenario seconds (the cut-out night removed),
                         for bgpfeed --pace PACE
    OUTDIR/peers         "NAME ADDRESS AS" per line, for the run script
    OUTDIR/nk2017.mrt    the same timeline as BGP4MP_ET records (RFC 6396)
                         with the real 2017 timestamps, for bgpwatchctl
                         replay; records are built by tests/replay/mkmrt.py
    OUTDIR/clock.json    the clock segments and PACE, for pretty.py

Standard library only. Other programs import it for Clock.
"""
import calendar
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "replay"))
import mkmrt  # noqa: E402  (record encoders of the replay tests)

NET = "175.45.%s.0/24"
ACTIONS = ("announce", "withdraw", "eor", "end")


class Error(Exception):
    """A bad timeline line; str() is "FILE:LINE: message"."""


def epoch(date, clock):
    return calendar.timegm(time.strptime(date + " " + clock,
                                         "%Y-%m-%d %H:%M:%S"))


class Clock:
    """Scenario time (UTC epoch) <-> script seconds, over the segments."""

    def __init__(self, segments, pace=1.0):
        self.segments = segments  # [(start, end)], epochs, in order
        self.pace = pace

    def script(self, t):
        """Seconds into the played scenario of epoch t, or None."""
        off = 0
        for a, b in self.segments:
            if a <= t <= b:
                return off + t - a
            off += b - a
        return None

    def scenario(self, s):
        """The epoch at script second s (past the end: after the last)."""
        for a, b in self.segments:
            if s <= b - a:
                return a + s
            s -= b - a
        return self.segments[-1][1] + s

    def length(self):
        return sum(b - a for a, b in self.segments)

    @staticmethod
    def load(path):
        with open(path) as f:
            d = json.load(f)
        return Clock([tuple(s) for s in d["segments"]], d["pace"])


def parse(path):
    """(peers {name: (addr, as)}, Clock, [(epoch, peer, action, nets,
    path)]) from a timeline file."""
    peers, segs, events = {}, [], []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            w = line.split("#", 1)[0].split()
            where = "%s:%d: " % (path, n)
            if not w:
                continue
            if w[0] == "peer" and len(w) == 4:
                peers[w[1]] = (w[2], int(w[3]))
            elif w[0] == "clock" and len(w) == 5:
                segs.append((epoch(w[1], w[2]), epoch(w[3], w[4])))
            elif len(w) >= 4 and w[2] in peers and w[3] in ACTIONS:
                events.append(parse_event(where, w, peers))
            else:
                raise Error(where + "cannot parse: " + line.strip())
    clock = Clock(segs)
    last = None
    for ev in events:
        if clock.script(ev[0]) is None or (last and ev[0] < last):
            raise Error("%s: event at %s outside the clock or out of order"
                        % (path, time.strftime("%F %T", time.gmtime(ev[0]))))
        last = ev[0]
    return peers, clock, events


def parse_event(where, w, peers):
    t, peer, act = epoch(w[0], w[1]), w[2], w[3]
    rest = [x for x in w[4:] if not x.startswith("[")]
    marks = [x for x in w[4:] if x.startswith("[")]
    if not marks or w[4:] != rest + marks or \
            not all(x.endswith("]") for x in marks):
        raise Error(where + "want the source marks ([A], [synthetic], "
                    "...) at the end of the line")
    nets, path = [], []
    if act in ("announce", "withdraw"):
        if not rest:
            raise Error(where + act + " needs prefixes")
        nets = [NET % o for o in rest[0].split(",")]
        rest = rest[1:]
    if act == "announce":
        if len(rest) < 2 or rest[0] != "path":
            raise Error(where + "announce needs \"path AS...\"")
        path = [int(a) for a in rest[1:]]
        if path[0] != peers[peer][1]:
            raise Error(where + "the path must start with the peer's AS")
    elif rest:
        raise Error(where + "unexpected " + " ".join(rest))
    return (t, peer, act, nets, path)


def write_scripts(outdir, peers, clock, events):
    for name in peers:
        with open(os.path.join(outdir, name + ".script"), "w") as f:
            f.write("# bgpfeed script of peer %s, from the demo timeline\n"
                    % name)
            for t, peer, act, nets, path in events:
                if peer != name:
                    continue
                at = "at +%d " % clock.script(t)
                stamp = time.strftime("  # %F %T", time.gmtime(t))
                if act == "announce":
                    f.write(at + "announce %s path %s nexthop self%s\n" %
                            (" ".join(nets), " ".join(map(str, path)),
                             stamp))
                elif act == "withdraw":
                    f.write(at + "withdraw %s%s\n" % (" ".join(nets), stamp))
                elif act == "eor":
                    f.write(at + "eor ipv4" + stamp + "\n")
                else:
                    f.write(at + "wait" + stamp + "\n")


def write_mrt(outdir, peers, events):
    names = list(peers)
    mkmrt.PEERS = [(peers[n][0], peers[n][1], peers[n][0]) for n in names]
    recs = []
    for t, peer, act, nets, path in events:
        i = names.index(peer)
        if act == "announce":
            recs.append(mkmrt.update(i, t, announce=nets, path=path[1:]))
        elif act == "withdraw":
            recs.append(mkmrt.update(i, t, withdraw=nets))
        elif act == "eor":
            recs.append(mkmrt.update(i, t))  # End-of-RIB, RFC 4724 §2
        else:  # a KEEPALIVE: moves the replay clock, changes nothing
            recs.append(mkmrt.mrt(t, mkmrt.MRT_BGP4MP_ET, mkmrt.MESSAGE_AS4,
                                  mkmrt.bgp4mp_head(i) + mkmrt.bgp_msg(4, b""),
                                  0))
    with open(os.path.join(outdir, "nk2017.mrt"), "wb") as f:
        f.write(b"".join(recs))


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: scenario.py TIMELINE OUTDIR PACE\n")
        return 2
    try:
        peers, clock, events = parse(sys.argv[1])
    except (Error, OSError, ValueError) as e:
        sys.stderr.write("scenario.py: %s\n" % e)
        return 1
    outdir, pace = sys.argv[2], float(sys.argv[3])
    write_scripts(outdir, peers, clock, events)
    write_mrt(outdir, peers, events)
    with open(os.path.join(outdir, "peers"), "w") as f:
        for n, (addr, asn) in peers.items():
            f.write("%s %s %d\n" % (n, addr, asn))
    with open(os.path.join(outdir, "clock.json"), "w") as f:
        json.dump({"segments": clock.segments, "pace": pace}, f)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
