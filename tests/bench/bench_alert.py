#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""Alert latency and event throughput of a live bgpwatchd (not a test).

    bench_alert.py BGPWATCHD [--n4 N] [--watched W] [--samples S]
                   [--tput T]

A scripted peer on 127.90.0.2 loads a synthetic full table of N IPv4 /24s
(default 900,000; 800 prefixes per UPDATE, paths of three to five ASes)
and End-of-RIB into bgpwatchd, which watches W of them (default 10,000,
"prefix P exact" lines) and writes its event lines to a file.

- load: seconds from the first UPDATE sent to the rib-synced line.
- latency: S times (default 2,000), one UPDATE moving a watched prefix
  to another upstream is sent and the time until the event file has
  grown by whole lines is taken (the peer polls the file's size every
  0.1 ms, so the figures include the poll and the loopback send: an
  upper bound of "UPDATE received to JSON line written"); p50, p99, max.
- throughput: a second daemon watches 0.0.0.0/0 or-longer, so each route
  of a table load (the first T prefixes, default 200,000: about 1.2 kB a
  line) is a route-announced line: lines written per second from the
  first UPDATE to the rib-synced line, and the output's MB/s.

Python 3 standard library only; uses tests/daemon/bgppeer.py.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "daemon"))
import bgppeer  # noqa: E402

ME, PEER, PORT = "127.90.0.1", "127.90.0.2", 11179
PER_UPDATE = 800


def table(n):
    """n distinct /24s from 1.0.0.0 up, skipping 10/8, 127/8 and 224/3."""
    out, a = [], 1 << 24
    while len(out) < n:
        first = a >> 24
        if first in (10, 127) or first >= 224:
            a = (first + 1) << 24
            continue
        out.append(socket.inet_ntoa(a.to_bytes(4, "big")) + "/24")
        a += 256
    return out


def path(i):
    """A deterministic path: peer AS, one to three transits, origin."""
    origin = 64512 + i % 1000
    transit = [3356, 1299, 174, 2914, 6939][i % 5]
    mid = [[], [6453], [3257, 6762]][i % 3]
    return [65001, transit] + mid + [origin]


def start(exe, d, watch):
    conf = os.path.join(d, "bgpwatch.conf")
    with open(conf, "w") as f:
        f.write(f"local-as 65000\nrouter-id {ME}\n"
                f"listen on {ME} port {PORT}\n"
                f'control "{d}/sock"\n'
                f'output file "{d}/events.jsonl"\n'
                f"neighbor {PEER} {{\n  remote-as 65001\n}}\n" + watch)
    log = open(os.path.join(d, "log"), "wb")
    p = subprocess.Popen([exe, "-d", "-f", conf], stderr=log,
                         stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection((ME, PORT), 0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return p


def thread_cpu(pid):
    """{thread id: user+system CPU seconds} of every thread of pid."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                v = f.read().rsplit(")", 1)[1].split()
            out[tid] = (int(v[11]) + int(v[12])) / tick
        except OSError:
            pass
    return out


def load(peer, pfx, events):
    """Send the table and EoR; seconds until the rib-synced line."""
    t0 = time.monotonic()
    for i in range(0, len(pfx), PER_UPDATE):
        peer.send(bgppeer.announce(pfx[i:i + PER_UPDATE],
                                   path(i // PER_UPDATE), PEER))
    peer.send(bgppeer.eor_v4())
    while True:
        with open(events, "rb") as f:
            f.seek(max(0, os.path.getsize(events) - 65536))
            if b'"rib-synced"' in f.read():
                return time.monotonic() - t0
        time.sleep(0.01)


def wait_for(events, text, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(events, "rb") as f:
            if text in f.read():
                return
        time.sleep(0.05)
    raise RuntimeError(f"{text!r} never written")


def latency(peer, watched, events, samples):
    out = []
    for k in range(samples):
        pfx = watched[k % len(watched)]
        upd = bgppeer.announce([pfx], [65001, 3356 + k % 7, 131279], PEER)
        size = os.path.getsize(events)
        t0 = time.perf_counter()
        peer.send(upd)
        while True:
            now = os.path.getsize(events)
            if now > size:
                with open(events, "rb") as f:
                    f.seek(now - 1)
                    if f.read(1) == b"\n":
                        break
            time.sleep(0.0001)
        out.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.002)
    return out


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))]


def run(exe, n4, nwatched, samples, tput):
    pfx = table(n4)
    step = max(1, len(pfx) // nwatched)
    watched = pfx[::step][:nwatched]
    d = tempfile.mkdtemp(prefix="bench-alert-")
    ev = os.path.join(d, "events.jsonl")
    w = 'watch "bench" {\n' + "".join(f"  prefix {p} exact\n"
                                      for p in watched) + "}\n"
    dm = start(exe, d, w)
    try:
        peer = bgppeer.Peer(ME, PORT, src=PEER, timeout=60)
        peer.establish(65001, PEER, hold=0)
        secs = load(peer, pfx, ev)
        print(f"load: {n4} prefixes in {secs:.2f} s "
              f"({n4 / secs:,.0f} prefixes/s), {nwatched} watched")
        wait_for(ev, b'"baseline-learned"')
        lat = latency(peer, watched, ev, samples)
        print(f"latency UPDATE sent -> line in file ({samples} samples): "
              f"p50 {pct(lat, .5):.3f} ms, p99 {pct(lat, .99):.3f} ms, "
              f"max {max(lat):.3f} ms")
        peer.close()
    finally:
        dm.terminate()
        dm.wait()
        shutil.rmtree(d)
    d = tempfile.mkdtemp(prefix="bench-alert-")
    ev = os.path.join(d, "events.jsonl")
    dm = start(exe, d, 'watch "all" {\n  prefix 0.0.0.0/0 or-longer\n}\n')
    try:
        peer = bgppeer.Peer(ME, PORT, src=PEER, timeout=60)
        peer.establish(65001, PEER, hold=0)
        cpu0 = thread_cpu(dm.pid)
        secs = load(peer, pfx[:tput], ev)
        cpu1 = thread_cpu(dm.pid)
        with open(ev, "rb") as f:
            data = f.read()
        lines = data.count(b"\n")
        print(f"throughput: {lines} lines ({len(data) / 1e6:.0f} MB) in "
              f"{secs:.2f} s: {lines / secs:,.0f} events/s, "
              f"{len(data) / 1e6 / secs:.1f} MB/s to the file")
        # CPU per thread: the busiest bounds the rate on an idle machine.
        used = sorted((cpu1[t] - cpu0.get(t, 0.0) for t in cpu1),
                      reverse=True)
        print("  daemon CPU s by thread: " +
              ", ".join(f"{c:.2f}" for c in used if c > 0) +
              f"; busiest thread: {lines / max(used[0], 0.01):,.0f} "
              "events per CPU second")
        peer.close()
    finally:
        dm.terminate()
        dm.wait()
        shutil.rmtree(d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bgpwatchd")
    ap.add_argument("--n4", type=int, default=900000)
    ap.add_argument("--watched", type=int, default=10000)
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--tput", type=int, default=200000)
    a = ap.parse_args()
    run(a.bgpwatchd, a.n4, a.watched, a.samples, a.tput)


if __name__ == "__main__":
    main()
