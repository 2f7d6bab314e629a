# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# `bgpwatchctl dump table` end to end (TAP for meson): bgpwatchd on
# 127.51.0.1 with two bgpfeed peers (one sending ADD-PATH path ids), a
# TABLE_DUMP_V2 file written by the daemon, read by bgpdump -m (no
# warning) and by `bgpwatchctl mrt -j`, compared route by route with
# `bgpwatchctl -j show rib`. Only processes started here are signalled,
# by PID. Python 3 standard library only.
#
# usage: test_mrtdump.py bgpwatchd bgpwatchctl bgpfeed

import json
import os
import subprocess
import sys
import time

import dumplib

DAEMON, CTL, FEED = sys.argv[1:4]
R = dumplib.Run(CTL, "bgpwatch-mrtdump-")
TMP, SOCK = R.tmp, R.sock
PORT = 11951
D, A, B = "127.51.0.1", "127.51.0.2", "127.51.0.3"
N4A, N6A, N4B, N6B = 1000, 200, 500, 100


def settled():
    """Wait until both peers' routes are all in the RIB."""
    want = {A: (N4A, N6A), B: (N4B, N6B)}
    for _ in range(300):
        rc, out, _ = R.ctl("-j", "show", "summary")
        if rc == 0:
            got = {}
            for n in json.loads(out.splitlines()[0]).get("neighbors", []):
                pf = n.get("prefixes", {})
                got[n["address"]] = (pf.get("ipv4"), pf.get("ipv6"))
            if got == want:
                return True
        time.sleep(0.1)
    return False


def routes_mrt(path):
    r = subprocess.run([CTL, "mrt", "-j", path], capture_output=True,
                       text=True, timeout=120)
    return r.returncode, {(x["peer"]["ip"], x["prefix"], x["path_id"],
                           json.dumps(x["attributes"], sort_keys=True))
                          for x in map(json.loads, r.stdout.splitlines())}


def main():
    with open(os.path.join(TMP, "bgpwatch.conf"), "w") as f:
        f.write(f"""local-as 65000
router-id {D}
listen on {D} port {PORT}
control "{SOCK}"
dump table "{TMP}/conf-%Y.mrt" 3600
neighbor {A} {{ remote-as 65001; add-path receive }}
neighbor {B} {{ remote-as 65002 }}
""")
    R.start([DAEMON, "-d", "-f", os.path.join(TMP, "bgpwatch.conf")], "d.log")
    for _ in range(100):
        if os.path.exists(SOCK):
            break
        time.sleep(0.1)
    R.start([FEED, "--local-as", "65001", "--local-addr", A, "--synthetic",
           f"{N4A},{N6A}", "--add-path-send", f"{D}:{PORT}"], "a.log")
    R.start([FEED, "--local-as", "65002", "--local-addr", B, "--synthetic",
           f"{N4B},{N6B}", "--seed", "7", f"{D}:{PORT}"], "b.log")
    R.ok(settled(), "both peers' routes are in the RIB")

    path = os.path.join(TMP, "rib.mrt")
    rc, out, err = R.ctl("dump", "table", path)
    R.ok(rc == 0 and os.path.exists(path), f"dump table: rc {rc} {err}")
    R.ok([f for f in os.listdir(TMP) if f.startswith("rib.mrt.")] == [],
       "no temporary file left")

    rc, warn, lines = dumplib.bgpdump(path)
    R.ok(rc == 0 and warn == [], f"bgpdump -m: no warning {warn}")
    R.ok(len(lines) == N4A + N6A + N4B + N6B, f"bgpdump: {len(lines)} routes")
    kinds = {(x.split("|")[0], x.split("|")[3]) for x in lines}
    R.ok(kinds == {("TABLE_DUMP2_AP", A), ("TABLE_DUMP2", B)},
       f"ADD-PATH subtypes exactly for the ADD-PATH peer (RFC 8050) {kinds}")

    rc, mrt = routes_mrt(path)
    rib = R.routes_rib()
    R.ok(rc == 0 and len(rib) == len(lines), f"show rib: {len(rib)} routes")
    R.ok(mrt == rib, f"mrt == rib ({len(mrt - rib)} only in the dump, "
       f"{len(rib - mrt)} only in the RIB)")

    # Without a path: the configured one, expanded by strftime (UTC).
    rc, out, err = R.ctl("dump", "table")
    cpath = os.path.join(TMP, time.strftime("conf-%Y.mrt", time.gmtime()))
    R.ok(rc == 0 and os.path.exists(cpath), f"configured path: rc {rc} {err}")
    R.ok(routes_mrt(cpath) == (0, rib), "configured dump == rib")

    rc, out, err = R.ctl("dump", "table", "/nonexistent/dir/x.mrt")
    R.ok(rc != 0 and "nonexistent" in err, f"unwritable path refused: {err}")
    rc, out, err = R.ctl("-j", "show", "summary")
    R.ok(rc == 0, "daemon still answers")


try:
    main()
finally:
    status = R.finish("d.log")
sys.exit(status)
