#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""The demo (contrib/demo/run) end to end, non-interactive (TAP).

    test_demo.py SOURCE_ROOT BUILD_ROOT

Runs the demo with BGPWATCH_DEMO_CI=1 into a temporary directory, wants
exit status 0 and its "demo: OK", validates every event line of the live
run and of the replay against the JSON Schema (tests/output/validate.py),
and counts the alerts on its own: AS20485 upstream-added for .176, .178
and .179 at its first appearance and again at its return (six), never for
.177; five upstream-removed (hold-down expiries); sixteen visibility-lost
and sixteen visibility-restored (four outages of four /24s); no
origin-changed; and the live run raising the same alerts as the replay.
"""
import collections
import json
import os
import subprocess
import sys
import tempfile

N = 0
FAILED = 0
TTK = 20485
NETS = ["175.45.%d.0/24" % o for o in (176, 177, 178, 179)]


def ok(cond, name, detail=""):
    global N, FAILED
    N += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", N, name))
    if not cond:
        FAILED += 1
        for line in str(detail).splitlines()[-30:]:
            print("# " + line)


def alerts(objs):
    return [o for o in objs if o["event"]["kind"] == "alert"]


def key(o):
    b = o["bgpwatch"]
    return (o["event"]["action"], b.get("route", {}).get("prefix"),
            b.get("upstreams", {}).get("as"))


def check_alerts(name, objs):
    al = alerts(objs)
    acts = collections.Counter(o["event"]["action"] for o in al)
    added = [o for o in al if key(o)[0] == "upstream-added"]
    ok(all(key(o)[2] == TTK for o in added) and len(added) == 6,
       name + ": six upstream-added, all AS20485", [key(o) for o in added])
    first = sorted(key(o)[1] for o in added[:3])
    ok(first == [NETS[0], NETS[2], NETS[3]],
       name + ": the first three are .176, .178, .179", first)
    ok(not any(key(o)[1] == NETS[1] for o in added),
       name + ": no upstream-added for 175.45.177.0/24")
    ok(acts["origin-changed"] == 0, name + ": no origin-changed")
    ok(acts["upstream-removed"] == 5, name + ": five upstream-removed",
       acts)
    ok(acts["visibility-lost"] == 16 and acts["visibility-restored"] == 16,
       name + ": 16 visibility-lost, 16 visibility-restored", acts)
    ok(sum(acts.values()) == 43, name + ": 43 alerts in all", acts)
    return collections.Counter(key(o) for o in al)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: test_demo.py SOURCE_ROOT BUILD_ROOT\n")
        return 2
    root, build = sys.argv[1], sys.argv[2]
    sys.path.insert(0, os.path.join(root, "tests", "output"))
    import validate
    print("1..20")
    with tempfile.TemporaryDirectory(prefix="bgpwatch-demo-test.") as d:
        env = dict(os.environ, BGPWATCH_DEMO_CI="1", BGPWATCH_BUILD=build,
                   BGPWATCH_DEMO_DIR=d)
        p = subprocess.run(["sh", os.path.join(root, "contrib", "demo",
                                               "run")],
                           env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=85)
        out = p.stdout.decode(errors="replace")
        ok(p.returncode == 0, "demo exits 0", out)
        ok("demo: OK" in out and "show watch star-jv" in out and
           "watch star-jv: armed" in out,
           "demo prints its alerts, show watch and OK", out)
        ok("upstream-added       175.45.176.0/24" in out and
           "2017-10-01 09:07:5" in out,
           "alerts shown with the scenario time", out)
        v = validate.Validator()
        got = {}
        for f in ("events.jsonl", "replay.jsonl"):
            try:
                got[f] = v.check_file(os.path.join(d, f))
                ok(len(got[f]) > 0, "%s: %d lines valid against the schema"
                   % (f, len(got[f])))
            except (validate.Invalid, OSError) as e:
                got[f] = []
                ok(False, f + ": valid against the schema", e)
        live = check_alerts("live", got["events.jsonl"])
        rep = check_alerts("replay", got["replay.jsonl"])
        ok(live == rep, "live run and replay raise the same alerts",
           "live - replay: %s\nreplay - live: %s" % (live - rep, rep - live))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
