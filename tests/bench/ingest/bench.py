#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Full-table ingest benchmark, the receiving side: a BIRD 2 feeder in
# network namespace <prefix>-feed (198.18.0.10) is loaded once with the
# table and kept up; the receiver under test runs in <prefix>-dut
# (198.18.0.1) and is started afresh for every run, bgpwatchd and BIRD
# in turn, as the project lab's `bench.py ingest` does for BIRD, FRR,
# GoBGP and OpenBGPD. Per run: wall time from Established to all routes
# stored (polling the receiver's own CLI), CPU seconds of the receiver
# (utime+stime from /proc, in total and from Established on), peak RSS
# (VmHWM, and the largest VmRSS sampled) and bytes per route. Prints one
# JSON object per run, the medians, and a Markdown table with the ratios.
#
# usage: bench.py --bgpwatchd PATH --bgpwatchctl PATH --routes FILE
#                 [--runs 3] [--poll 0.5] [--json FILE] [--perf DIR]
# Needs root. See tests/bench/README.md, section "Ingest".

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "interop"))

import lab  # noqa: E402
import peers  # noqa: E402
import routes as rt  # noqa: E402
from bgpwatch import Bgpwatchd, neighbor_block  # noqa: E402

PREFIX = os.environ.get("BGPWATCH_BENCH_NETNS", "bwbench")
NODES = {"dut": 1, "feed": 10}
FEED_AS, RECV_AS = 4200000001, 65000
TICK = os.sysconf("SC_CLK_TCK")


def usage(pid):
    """((user, system) CPU seconds, VmRSS MiB, VmHWM MiB) of a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) / TICK, int(fields[12]) / TICK)
    rss = hwm = 0.0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    return cpu, rss, hwm


# ------------------------------------------------------------ receivers


class BgpwatchdReceiver:
    name = "bgpwatchd"

    def __init__(self, a, work, addr, peer):
        self.bw = Bgpwatchd(a.bgpwatchd, a.bgpwatchctl, work, addr, 179,
                            [neighbor_block(peer, FEED_AS)],
                            local_as=RECV_AS, netns=f"{PREFIX}-dut")
        self.pid = self.bw.proc.pid
        self.peer = peer

    def state(self):
        """(established, routes stored) from `bgpwatchctl -j show summary`."""
        for n in self.bw.summary()["neighbors"]:
            if n["address"] == self.peer:
                p = n.get("prefixes") or {}
                return (n["state"] == "Established",
                        int(p.get("ipv4", 0)) + int(p.get("ipv6", 0)))
        raise lab.Fail(f"no neighbor {self.peer} in show summary")

    def extra(self):
        """UPDATE messages it took (routes per UPDATE shape the cost)."""
        n = self.bw.neighbor(self.peer)["counters"]["messages_received"]
        return {"updates": n["update"]}

    def stop(self):
        self.bw.stop()


class BirdReceiver:
    """BIRD 2 as a passive receiver, as the lab's listener.sh sets it up."""

    name = "bird"

    def __init__(self, a, work, addr, peer):
        self.work, self.netns = work, f"{PREFIX}-dut"
        conf = f"""router id {addr};
log "{work}/bird.log" {{ info, remote, warning, error, auth, fatal, bug }};
protocol device {{ }}
protocol bgp lab {{
  local {addr} port 179 as {RECV_AS};
  neighbor {peer} as {FEED_AS};
  passive;
  strict bind yes;
  hold time 90;
  graceful restart on;
  ipv4 {{ import all; export none; }};
  ipv6 {{ import all; export none; }};
}}
"""
        with open(os.path.join(work, "bird.conf"), "w") as f:
            f.write(conf)
        self.ctl = os.path.join(work, "bird.ctl")
        self.proc = lab.Proc("bird-receiver",
                             ["bird", "-f", "-c",
                              os.path.join(work, "bird.conf"), "-s",
                              self.ctl], os.path.join(work, "stdout.log"),
                             netns=self.netns)
        self.pid = self.proc.pid
        lab.wait_until("BIRD receiver", self._up, 20)

    def birdc(self, *args):
        return peers.run(["birdc", "-s", self.ctl] + list(args),
                         netns=self.netns)

    def _up(self):
        try:
            return "BIRD" in self.birdc("show", "status")
        except lab.Fail:
            return False

    def state(self):
        """(established, routes imported) from `show protocols all lab`."""
        out = self.birdc("show", "protocols", "all", "lab")
        est = "BGP state:          Established" in out
        n = 0
        for line in out.splitlines():
            s = line.split()
            if s[:1] == ["Routes:"]:
                n += int(s[1])  # "Routes: N imported, ..." per channel
        return est, n

    def extra(self):
        return {}

    def stop(self):
        self.proc.stop()


RECEIVERS = {"bgpwatchd": BgpwatchdReceiver, "bird": BirdReceiver}


# ------------------------------------------------------------ one run


def perf_start(pid, out):
    return subprocess.Popen(["perf", "record", "-g", "-F", "999", "-p",
                             str(pid), "-o", out],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def measure(rcv, n, poll, timeout, perf_out=None):
    t0 = time.monotonic()
    t_est = None
    cpu_est = (0.0, 0.0)
    peak = 0.0
    perf = None
    try:
        while True:
            now = time.monotonic()
            cpu, rss, hwm = usage(rcv.pid)
            peak = max(peak, rss)
            est, got = rcv.state()
            if t_est is None and est:
                t_est, cpu_est = now, cpu
                if perf_out:
                    perf = perf_start(rcv.pid, perf_out)
            if t_est is not None and got >= n:
                t_end = time.monotonic()
                cpu, rss, hwm = usage(rcv.pid)
                return {"wall_s": round(t_end - t_est, 2),
                        "cpu_s": round(sum(cpu), 2),
                        "cpu_ingest_s": round(sum(cpu) - sum(cpu_est), 2),
                        "user_ingest_s": round(cpu[0] - cpu_est[0], 2),
                        "sys_ingest_s": round(cpu[1] - cpu_est[1], 2),
                        "peak_rss_mib": round(max(peak, rss, hwm), 1),
                        "hwm_mib": round(hwm, 1),
                        "bytes_per_route": round(hwm * 1048576 / n, 1),
                        "routes": got,
                        "established_after_s": round(t_est - t0, 2)}
            if now - t0 > timeout:
                raise lab.Fail(f"{rcv.name}: {got} of {n} routes after "
                               f"{timeout} s (established: {est})")
            time.sleep(poll)
    finally:
        if perf:
            perf.send_signal(2)  # SIGINT: perf writes its file and exits
            perf.wait(60)


def run_one(a, kind, i, n, perf_out):
    work = lab.workdir(f"bench-{kind}")
    rcv = RECEIVERS[kind](a, work, "198.18.0.1", "198.18.0.10")
    try:
        res = measure(rcv, n, a.poll, a.timeout, perf_out)
        res.update(rcv.extra())
    finally:
        rcv.stop()
    res.update({"receiver": kind, "run": i, "expected": n})
    return res


# ------------------------------------------------------------ report

KEYS = ("wall_s", "cpu_s", "cpu_ingest_s", "user_ingest_s", "sys_ingest_s",
        "peak_rss_mib", "hwm_mib", "bytes_per_route")


def medians(results, kind, n):
    ok = [r for r in results if r["receiver"] == kind]
    med = {k: statistics.median(r[k] for r in ok) for k in KEYS}
    med.update({"receiver": kind, "routes": n, "runs": len(ok),
                "median": True})
    return med


def table(bw, bird, n):
    def ratio(k):
        return bw[k] / bird[k] if bird[k] else float("nan")
    rows = [("wall s (Established -> all)", "wall_s", "%.2f"),
            ("CPU s, total", "cpu_s", "%.2f"),
            ("CPU s, ingest only", "cpu_ingest_s", "%.2f"),
            ("of which user", "user_ingest_s", "%.2f"),
            ("of which system (kernel)", "sys_ingest_s", "%.2f"),
            ("peak RSS MiB", "peak_rss_mib", "%.1f"),
            ("bytes per route (VmHWM / routes)", "bytes_per_route", "%.0f")]
    out = [f"| {n:,} routes, median of {bw['runs']} | bgpwatchd | BIRD | "
           f"bgpwatchd / BIRD |", "|---|---|---|---|"]
    for label, k, fmt in rows:
        out.append(f"| {label} | {fmt % bw[k]} | {fmt % bird[k]} | "
                   f"{ratio(k):.2f} |")
    cpu_ok = bw["cpu_s"] <= bird["cpu_s"] / 3
    mem_ok = bw["peak_rss_mib"] <= bird["peak_rss_mib"] / 2
    out.append("")
    out.append(f"target CPU <= 1/3 of BIRD: {'met' if cpu_ok else 'MISSED'} "
               f"({ratio('cpu_s'):.2f}); peak memory <= 1/2 of BIRD: "
               f"{'met' if mem_ok else 'MISSED'} "
               f"({ratio('peak_rss_mib'):.2f})")
    return "\n".join(out)


# ------------------------------------------------------------ main


def count_routes(path):
    with open(path) as f:
        return sum(1 for ln in f if ln.strip() and not ln.startswith("#"))


def main():
    ap = argparse.ArgumentParser(description="bgpwatchd ingest benchmark")
    ap.add_argument("--bgpwatchd", required=True)
    ap.add_argument("--bgpwatchctl", required=True)
    ap.add_argument("--routes", required=True, help="table (gen_table.py)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--poll", type=float, default=0.5)
    ap.add_argument("--pause", type=float, default=3.0)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--receivers", default="bgpwatchd,bird")
    ap.add_argument("--json", help="append the results to this file")
    ap.add_argument("--perf", help="perf record bgpwatchd's first run "
                    "into DIR/perf.data")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench.py: needs root (network namespaces, port 179)")
    lab.install_signal_handlers()
    kinds = a.receivers.split(",")
    n = count_routes(a.routes)
    results = []
    try:
        lab.netns_up(PREFIX, NODES)
        fw = lab.workdir("bench-feeder")
        feeder = peers.BirdPeer(fw, "198.18.0.10", "198.18.0.1", 179,
                                rt.parse_file(a.routes), local_as=FEED_AS,
                                peer_as=RECV_AS, nh6="fdbb:1ab::a",
                                netns=f"{PREFIX}-feed", multihop=True,
                                debug=False)
        feeder.start_timeout = 600
        t0 = time.monotonic()
        feeder.start()
        lab.wait_until("the BIRD feeder to load the table",
                       lambda: feeder.loaded(n), a.timeout, interval=2)
        print(f"# feeder BIRD loaded {n} routes in "
              f"{time.monotonic() - t0:.1f} s", flush=True)
        for i in range(1, a.runs + 1):
            for kind in kinds:  # interleaved: load drifts hit both alike
                perf_out = None
                if a.perf and kind == "bgpwatchd" and i == 1:
                    os.makedirs(a.perf, exist_ok=True)
                    perf_out = os.path.join(a.perf, "perf.data")
                res = run_one(a, kind, i, n, perf_out)
                print(json.dumps(res), flush=True)
                results.append(res)
                time.sleep(a.pause)
    except lab.Fail as e:
        sys.exit(f"bench.py: {e}")
    finally:
        lab.cleanup_all()
        lab.netns_down(PREFIX)
    meds = {k: medians(results, k, n) for k in kinds}
    for m in meds.values():
        print(json.dumps(m), flush=True)
    if a.json:
        with open(a.json, "a") as f:
            for r in results + list(meds.values()):
                f.write(json.dumps(r) + "\n")
    if "bgpwatchd" in meds and "bird" in meds:
        print()
        print(table(meds["bgpwatchd"], meds["bird"], n))


if __name__ == "__main__":
    main()
