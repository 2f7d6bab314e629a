# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# `dump updates` and `dump all` end to end (TAP for meson): bgpwatchd on
# 127.52.0.1 with two bgpfeed peers, one sending ADD-PATH path ids, the
# other playing a script that announces, withdraws and replaces routes.
# The dump starts in a missing directory (the failure is logged, the
# daemon goes on), is moved by SIGHUP to `dump updates`, then to
# `dump all`, and ends with SIGTERM. Every file must read cleanly with
# bgpdump -m, hold the state changes, be named for its period, and the
# routes replayed from all files (`bgpwatchctl mrt -j`) must be those of
# `bgpwatchctl -j show rib` before the stop. Only processes started here
# are signalled, by PID. Python 3 standard library only.
#
# usage: test_dumpupd.py bgpwatchd bgpwatchctl bgpfeed

import json
import os
import signal
import subprocess
import sys
import time

import dumplib

DAEMON, CTL, FEED = sys.argv[1:4]
R = dumplib.Run(CTL, "bgpwatch-dumpupd-")
TMP, SOCK = R.tmp, R.sock
CONF = os.path.join(TMP, "bgpwatch.conf")
PORT = 11952
D, A, B = "127.52.0.1", "127.52.0.2", "127.52.0.3"
N4A, N6A = 2000, 300  # A: synthetic, ADD-PATH
N4B, N6B = 1500, 200  # B: script
W4B, W6B, R4B = 400, 50, 100  # B withdraws, then replaces
INTERVAL = 300
PATTERNS = {"upd": "upd-%Y%m%d-%H%M.mrt", "all": "all-%Y%m%d-%H%M.mrt"}


def write_conf(dump):
    with open(CONF, "w") as f:
        f.write(f"""local-as 65000
router-id {D}
listen on {D} port {PORT}
control "{SOCK}"
{dump}
neighbor {A} {{ remote-as 65001; add-path receive }}
neighbor {B} {{ remote-as 65002 }}
""")


def b_prefixes():
    v4 = [f"10.{i // 256}.{i % 256}.0/24" for i in range(N4B)]
    v6 = [f"2001:db8:{i:x}::/48" for i in range(N6B)]
    return v4, v6


def write_script():
    """B: everything at once, then withdraw some and replace some."""
    v4, v6 = b_prefixes()
    lines = []
    for pfx in (v4, v6):
        for i in range(0, len(pfx), 250):
            lines.append("at +0 announce " + " ".join(pfx[i:i + 250]) +
                         " path 65002 64512 origin igp community 65002:1")
    lines.append("at +0 eor")
    lines.append("at +4 withdraw " + " ".join(v4[:W4B] + v6[:W6B]))
    lines.append("at +4 announce " + " ".join(v4[W4B:W4B + R4B]) +
                 " path 65002 64999 med 7")
    path = os.path.join(TMP, "b.script")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def summary():
    rc, out, _ = R.ctl("-j", "show", "summary")
    if rc != 0:
        return {}
    return {n["address"]: (n["state"], n["prefixes"]["ipv4"],
                           n["prefixes"]["ipv6"])
            for n in json.loads(out.splitlines()[0]).get("neighbors", [])}


def wait_for(cond, tries=600):
    for _ in range(tries):
        s = summary()
        if cond(s):
            return True
        time.sleep(0.1)
    return False


def log_has(text, tries=100):
    for _ in range(tries):
        with open(os.path.join(TMP, "d.log")) as f:
            if text in f.read():
                return True
        time.sleep(0.1)
    return False


def renamed(prefix, tries=100):
    """Files of prefix there, none of them temporary (the writer's work)."""
    for _ in range(tries):
        names = [f for f in os.listdir(TMP) if f.startswith(prefix)]
        if names and not [f for f in names if f.endswith(".tmp")]:
            return True
        time.sleep(0.1)
    return False


def mrt_json(path):
    r = subprocess.run([CTL, "mrt", "-j", path], capture_output=True,
                       text=True, timeout=120)
    return r.returncode, r.stderr, [json.loads(x)
                                    for x in r.stdout.splitlines()]


def replay(records, rib):
    """Apply the records in order to rib {(peer, prefix, path_id): attrs}."""
    for x in records:
        peer = x["peer"]["ip"]
        if "state" in x:
            if x["state"]["old"] == 6 and x["state"]["new"] != 6:
                for k in [k for k in rib if k[0] == peer]:
                    del rib[k]
            continue
        m = x["message"]
        if m.get("type") != "UPDATE":
            continue
        for w in m["withdrawn"]:
            rib.pop((peer, w["prefix"], w.get("path_id", 0)), None)
        attrs = json.dumps(m["attributes"], sort_keys=True)
        for a in m["announced"]:
            rib[(peer, a["prefix"], a.get("path_id", 0))] = attrs


def files(kind):
    return sorted(f for f in os.listdir(TMP) if f.startswith(kind + "-"))


def check_names(kind, recs_by_file):
    """Each file is named for the period of its records (UTC)."""
    good = True
    for name, recs in recs_by_file.items():
        for x in recs:
            start = x["timestamp"] - x["timestamp"] % INTERVAL
            if time.strftime(PATTERNS[kind], time.gmtime(start)) != name:
                good = False
    return good


def phase_missing():
    """The dump starts where it cannot write: logged, not fatal."""
    write_conf(f'dump updates "{TMP}/missing/x-%H%M.mrt" {INTERVAL}')
    R.start([DAEMON, "-d", "-f", CONF], "d.log")
    for _ in range(100):
        if os.path.exists(SOCK):
            break
        time.sleep(0.1)
    R.ok(log_has("cannot create"), "a missing directory is logged")
    R.ok(summary() != {}, "the daemon goes on")


def phase_peers(daemon):
    """SIGHUP to `dump updates`, the peers come and send their routes."""
    write_conf(f'dump updates "{TMP}/{PATTERNS["upd"]}" {INTERVAL}')
    daemon.send_signal(signal.SIGHUP)
    R.ok(log_has("dump updates " + TMP + "/upd-"), "reload: dump updates")
    a = R.start([FEED, "--local-as", "65001", "--local-addr", A, "--synthetic",
               f"{N4A},{N6A}", "--add-path-send", f"{D}:{PORT}"], "a.log")
    R.start([FEED, "--local-as", "65002", "--local-addr", B, "--script",
           write_script(), f"{D}:{PORT}"], "b.log")
    R.ok(wait_for(lambda s: s.get(A) == ("Established", N4A, N6A) and
                s.get(B, ("",))[0] == "Established"),
       "A's routes are in, B is up")
    return a


def phase_all(daemon, a):
    """SIGHUP to `dump all`; B withdraws and replaces, A stops."""
    write_conf(f'dump all "{TMP}/{PATTERNS["all"]}" {INTERVAL}')
    daemon.send_signal(signal.SIGHUP)
    R.ok(log_has("dump all " + TMP + "/all-"), "reload: dump all")
    R.ok(renamed("upd-"), "reload: the updates file renamed into place")
    want_b = ("Established", N4B - W4B, N6B - W6B)
    R.ok(wait_for(lambda s: s.get(B) == want_b), f"B's routes: {want_b}")
    a.send_signal(signal.SIGTERM)
    a.wait(timeout=30)
    R.ok(wait_for(lambda s: s.get(A, ("",))[0] != "Established" and
                s.get(A)[1:] == (0, 0)), "A stopped, its routes gone")
    rib = R.routes_rib()
    t_rib = time.time()
    R.ok(len(rib) == N4B - W4B + N6B - W6B, f"show rib: {len(rib)} routes")
    daemon.send_signal(signal.SIGTERM)
    R.ok(daemon.wait(timeout=60) == 0, "bgpwatchd exits 0 on SIGTERM")
    return rib, t_rib


def check_files():
    R.ok([f for f in os.listdir(TMP) if f.endswith(".tmp")] == [],
       "no temporary file left")
    records = []
    states, kinds, types = [], {}, {"upd": set(), "all": set()}
    for kind in ("upd", "all"):
        names = files(kind)
        R.ok(len(names) >= 1, f"{kind}: {len(names)} file(s)")
        by_file = {}
        for name in names:
            path = os.path.join(TMP, name)
            rc, warn, lines = dumplib.bgpdump(path)
            R.ok(rc == 0 and warn == [],
               f"bgpdump -m {name}: {len(lines)} lines, no warning {warn}")
            states += [x.split("|") for x in lines if "|STATE|" in x]
            for x in lines:
                f = x.split("|")
                if f[2] in ("A", "W"):
                    kinds.setdefault(f[3], set()).add(f[0])
            rc, err, recs = mrt_json(path)
            R.ok(rc == 0 and err == "" and recs != [],
               f"bgpwatchctl mrt -j {name}: {len(recs)} records {err}")
            by_file[name] = recs
            records += recs
            types[kind] |= {x["message"]["type"] for x in recs
                            if "message" in x}
        R.ok(check_names(kind, by_file), f"{kind}: files named by period")
    return records, states, kinds, types


def main():
    phase_missing()
    daemon = R.procs[0]
    a = phase_peers(daemon)
    rib, t_rib = phase_all(daemon, a)
    t_end = time.time()
    records, states, kinds, types = check_files()

    # RFC 6396 §4.4.1 numbers; A and B both reach Established (6).
    for peer in (A, B):
        seq = [(int(x[5]), int(x[6])) for x in states if x[3] == peer]
        R.ok((5, 6) in seq, f"{peer}: OpenConfirm -> Established {seq}")
        R.ok(any(o == 6 and n != 6 for o, n in seq),
           f"{peer}: the close is recorded")
    # RFC 8050: the ADD-PATH subtype for A's UPDATEs only.
    R.ok(kinds == {A: {"BGP4MP_ET_AP"}, B: {"BGP4MP_ET"}},
       f"ADD-PATH subtypes exactly for the ADD-PATH peer {kinds}")
    R.ok(types["upd"] == {"UPDATE"}, f"dump updates: UPDATEs only "
       f"{types['upd']}")
    R.ok("NOTIFICATION" in types["all"] and "UPDATE" in types["all"],
       f"dump all: other messages too {types['all']}")
    ts = [x["timestamp"] + x["microseconds"] / 1e6 for x in records]
    R.ok(all(0 <= x["microseconds"] < 1000000 for x in records) and
       t_end - 600 < min(ts) and max(ts) <= t_end + 1,
       "timestamps with microseconds, of this run")
    eor = [x for x in records if "message" in x and
           x["message"].get("end_of_rib") is not None]
    R.ok(len(eor) >= 4, f"End-of-RIB markers recorded: {len(eor)}")

    # The shutdown closed B's session after the RIB was read.
    replayed = {}
    replay([x for x in records
            if x["timestamp"] + x["microseconds"] / 1e6 < t_rib], replayed)
    got = {k + (v,) for k, v in replayed.items()}
    R.ok(got == rib, f"replayed == rib ({len(got - rib)} only replayed, "
       f"{len(rib - got)} only in the RIB)")


try:
    main()
finally:
    status = R.finish("d.log")
sys.exit(status)
