#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""`bgpwatchctl replay` end to end (TAP).

    replay_test.py [--update] BGPWATCHCTL SOURCE_ROOT

Replays the real 2015 BGP4MP_ET file (the PCH session carrying the North
Korea paths `2914 1239 4837 131279`) and the synthetic 2017 case that
mkmrt.py writes, compares the event lines with tests/golden/replay/, runs
every line produced through tests/output/validate.py (the JSON Schema of
contrib/schema/) and asserts the behaviour the cases are about on its own,
so a regenerated golden file cannot hide a wrong result. Then the failure
modes: missing file, damaged MRT, bad configuration, bad command line.
--update rewrites the golden files (review the diff before committing).
"""
import json
import os
import subprocess
import sys
import tempfile

CTL = ROOT = None
UPDATE = False
N = 0
FAILED = 0


def ok(cond, name, detail=""):
    global N, FAILED
    N += 1
    if cond:
        print("ok %d - %s" % (N, name))
    else:
        FAILED += 1
        print("not ok %d - %s" % (N, name))
        for line in str(detail).splitlines()[:20]:
            print("# " + line)


def replay(args, cwd=None):
    p = subprocess.run([CTL, "replay"] + args, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def validate(name, text):
    """Every line against the schema; event.sequence 1, 2, 3, ..."""
    try:
        v = validate_mod.Validator()
        objs = [v.check_line(line) for line in text.splitlines()]
    except validate_mod.Invalid as e:
        ok(False, name + ": every line valid against the schema", e)
        return []
    ok(len(objs) > 0, name + ": %d lines valid against the schema"
       % len(objs))
    seqs = [o["event"]["sequence"] for o in objs]
    ok(seqs == list(range(1, len(objs) + 1)),
       name + ": event.sequence counts 1, 2, 3, ...", seqs[:10])
    return objs


def golden(name, text):
    path = os.path.join(ROOT, "tests", "golden", "replay", name + ".jsonl")
    if UPDATE:
        with open(path, "w") as f:
            f.write(text)
    with open(path) as f:
        want = f.read()
    if text == want:
        ok(True, name + ": output equals " + os.path.relpath(path, ROOT))
        return
    got, exp = text.splitlines(), want.splitlines()
    i = next((k for k in range(min(len(got), len(exp)))
              if got[k] != exp[k]), min(len(got), len(exp)))
    ok(False, name + ": output equals golden file",
       "first difference at line %d (got %d lines, want %d)\n got: %s\n"
       "want: %s" % (i + 1, len(got), len(exp),
                     got[i][:300] if i < len(got) else "(end)",
                     exp[i][:300] if i < len(exp) else "(end)"))


def actions(objs, action):
    return [o for o in objs if o["event"]["action"] == action]


def route_prefix(o):
    return o["bgpwatch"]["route"]["prefix"]


def test_2015(conf):
    mrt = os.path.join(ROOT, "tests", "data", "mrt", "bgpdump",
                       "updates.et-header.2015.gz")
    rc, out, err = replay(["-f", conf, mrt])
    ok(rc == 0, "2015: exit status 0", err)
    ok("treat-as-withdraw" in err and "offset" not in err,
       "2015: RFC 7606 outcomes are notes, not warnings", err)
    golden("nk2015", out)
    objs = validate("2015", out)
    est = actions(objs, "session-established")
    ok(len(est) == 1 and
       est[0]["bgpwatch"]["peer"] == {
           "ip": "206.220.231.55", "as": 3856, "bgp_id": "206.220.231.55",
           "description": "pch-route-collector"} and
       est[0]["bgpwatch"]["session"]["previous_state"] == "OpenConfirm",
       "2015: session-established from the recorded OPEN and state change",
       est)
    ann = actions(objs, "route-announced")
    ok(sorted(route_prefix(o) for o in ann) ==
       ["175.45.176.0/24", "175.45.177.0/24", "175.45.178.0/24",
        "175.45.179.0/24"],
       "2015: the four /24s announced", [route_prefix(o) for o in ann])
    ok(all(o["bgpwatch"]["route"]["as_path"] == [2914, 1239, 4837, 131279]
           and o["bgpwatch"]["route"]["origin_as"] == 131279 and
           o["bgpwatch"]["route"]["upstream_as"] == 4837 and
           o["@timestamp"] == "2015-10-23T02:01:48.372Z" for o in ann),
       "2015: path 2914 1239 4837 131279, origin 131279, upstream 4837, "
       "the record's time", ann[:1])
    synced = actions(objs, "rib-synced")
    base = actions(objs, "baseline-learned")
    ok(len(synced) == 1 and synced[0]["@timestamp"] ==
       "2015-10-23T02:01:49.671Z", "2015: End-of-RIB ends the transfer",
       synced)
    ok(len(base) == 1 and
       base[0]["bgpwatch"]["upstreams"]["baseline"] == [4837] and
       base[0]["bgpwatch"]["origins"]["current"] == [131279],
       "2015: baseline learned: upstream {4837} (left of the origin), "
       "origin {131279}", base)
    ok(not [o for o in objs if o["event"]["kind"] == "alert"],
       "2015: no alert (the routes came in the initial transfer)")


def test_2017(conf, tmp):
    files = [os.path.join(tmp, "nk2017-rib.mrt"),
             os.path.join(tmp, "nk2017-updates.mrt")]
    rc, out, err = replay(["-f", conf] + files)
    ok(rc == 0 and err == "", "2017: exit status 0, nothing on stderr", err)
    golden("nk2017", out)
    objs = validate("2017", out)
    added = actions(objs, "upstream-added")
    ok(len(added) == 3, "2017: exactly three upstream-added", len(added))
    ok(sorted(route_prefix(o) for o in added) ==
       ["175.45.176.0/24", "175.45.178.0/24", "175.45.179.0/24"] and
       all(o["bgpwatch"]["upstreams"]["added"] == [20485] and
           o["bgpwatch"]["upstreams"]["baseline"] == [4837] and
           o["@timestamp"] == "2017-10-01T09:07:51.250Z" for o in added),
       "2017: AS20485 added on .176, .178, .179 at 09:07:51", added)
    ok(not [o for o in objs if o["event"]["kind"] == "alert" and
            route_prefix(o) == "175.45.177.0/24"],
       "2017: no alert for 175.45.177.0/24")
    ok(not actions(objs, "origin-changed"), "2017: no origin-changed")
    removed = actions(objs, "upstream-removed")
    ok(len(removed) == 3 and all(
        o["@timestamp"] == "2017-10-01T10:19:45.000Z" and
        o["bgpwatch"]["upstreams"]["removed"] == [] and
        o["bgpwatch"]["upstreams"]["current"] == [4837] for o in removed),
       "2017: AS20485 removed after the 300 s hold-down, on the record "
       "clock", removed)
    closed = actions(objs, "session-closed")
    ok(len(closed) == 1 and
       closed[0]["bgpwatch"]["session"]["notification"]
       ["shutdown_communication"] == "maintenance, back soon" and
       closed[0]["bgpwatch"]["session"]["routes"] == 5,
       "2017: session-closed with the recorded NOTIFICATION", closed)
    est = actions(objs, "session-established")
    ok(len(est) == 1 and est[0]["bgpwatch"]["session"]["hold_time"] == 90,
       "2017: session-established, hold time the smaller of the OPENs",
       est)
    kinds = [o["event"]["action"] for o in objs if o["event"]["kind"] ==
             "alert"]
    ok(sorted(kinds) == ["upstream-added"] * 3 + ["upstream-removed"] * 3,
       "2017: the session reset raises no alert", kinds)
    return files


def test_options(conf, files, tmp):
    rc, out, _ = replay(["-f", conf] + files)
    rc2, out2, _ = replay(["-f", conf] + files)
    ok(rc == rc2 == 0 and out == out2,
       "replaying the same input gives the same lines (event.id too)")
    path = os.path.join(tmp, "out.jsonl")
    rc3, out3, _ = replay(["-f", conf, "-o", path] + files)
    with open(path) as f:
        ok(rc3 == 0 and out3 == "" and f.read() == out,
           "-o FILE writes what standard output gets")
    rc, out, err = replay(["--all-routes", "-f", conf] + files)
    objs = validate("--all-routes", out)
    other = [o for o in objs if o["event"]["action"].startswith("route-")
             and route_prefix(o) == "198.51.100.0/24"]
    ok(rc == 0 and other and
       all(o["bgpwatch"]["watch"]["name"] == "all-routes" for o in other),
       "--all-routes: route events for unwatched prefixes too", err)
    rc, out, err = replay(files)
    objs = validate("no watches", out)
    ok(rc == 0 and "no watches" in err and
       set(o["event"]["action"] for o in objs) ==
       {"rib-synced", "session-closed", "session-established"},
       "without -f: session and rib-synced lines only", err)


def test_errors(conf, tmp):
    rc, out, err = replay(["-f", conf, os.path.join(tmp, "none.mrt")])
    ok(rc == 1 and out == "" and "none.mrt: " in err and
       "No such file" in err, "missing file: exit 1 and why", err)
    bad = os.path.join(tmp, "corrupt.mrt")
    rc, out, err = replay(["-f", conf, bad])
    ok(rc == 1 and "corrupt.mrt: offset " in err,
       "damaged MRT: exit 1, warnings with offsets", err)
    ok(len(validate("damaged MRT", out)) == 2,
       "damaged MRT: the records around the damage still replay")
    badconf = os.path.join(tmp, "bad.conf")
    with open(badconf, "w") as f:
        f.write("local-as 64512\nrouter-id 192.0.2.1\n"
                "watch \"w\" {\n\tprefix 10.0.0.1/8\n}\n")
    rc, out, err = replay(["-f", badconf, bad])
    ok(rc == 1 and out == "" and
       err.startswith(badconf + ":4: prefix 10.0.0.1/8: host bits set"),
       "bad configuration: exit 1, file:line: message", err)
    allconf = os.path.join(tmp, "all.conf")
    with open(allconf, "w") as f:
        f.write("local-as 64512\nrouter-id 192.0.2.1\n"
                "watch \"all-routes\" {\n\tprefix 10.0.0.0/8\n}\n")
    rc, out, err = replay(["--all-routes", "-f", allconf, bad])
    ok(rc == 1 and out == "" and "all-routes" in err,
       "--all-routes with a watch of that name: exit 1", err)
    rc, out, err = replay([])
    ok(rc == 2 and "usage:" in err, "no file: usage, exit 2", err)
    rc, out, err = replay(["-x", bad])
    ok(rc == 2 and "usage:" in err, "unknown option: usage, exit 2", err)


def main():
    global CTL, ROOT, UPDATE, validate_mod
    args = sys.argv[1:]
    if args and args[0] == "--update":
        UPDATE = True
        args = args[1:]
    if len(args) != 2:
        sys.stderr.write("usage: replay_test.py [--update] bgpwatchctl "
                         "source_root\n")
        return 2
    CTL, ROOT = os.path.abspath(args[0]), os.path.abspath(args[1])
    sys.path.insert(0, os.path.join(ROOT, "tests", "output"))
    import validate as validate_mod  # noqa: E402 (needs the path above)
    conf = os.path.join(ROOT, "tests", "replay", "nk.conf")
    mkmrt = os.path.join(ROOT, "tests", "replay", "mkmrt.py")
    with tempfile.TemporaryDirectory() as tmp:
        for what in ("nk2017", "corrupt"):
            subprocess.run([sys.executable, mkmrt, what, tmp], check=True)
        test_2015(conf)
        files = test_2017(conf, tmp)
        test_options(conf, files, tmp)
        test_errors(conf, tmp)
    print("1..%d" % N)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
