#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# End-to-end tests of the control socket (TAP output for meson): a
# bgpwatchd on 127.0.0.1 and a free port with its control socket in a
# temporary directory, scripted peers from 127.0.0.2-5 (ctlpeer.py), and
# bgpwatchctl or raw socket clients. Routes announced (IPv4, IPv6,
# ADD-PATH, communities) must come back exactly from `show rib`, through
# every filter; actions must reach the peers (RFC 9003 Cease, ROUTE-
# REFRESH); bad requests, slow and vanishing clients, a 100k-route dump
# next to a 3-second hold time, permissions and stale sockets are covered.
#
# usage: test_control.py PATH/TO/bgpwatchd PATH/TO/bgpwatchctl

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctlpeer  # noqa: E402
from ctlpeer import (Peer, update_v4, update_v6, withdraw_v4,  # noqa: E402
                     withdraw_v6, control_request)

DAEMON, CTL = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="bgpwatch-control-")
os.chmod(TMP, 0o711)  # others may reach the socket (permission tests)
SOCK = os.path.join(TMP, "bgpwatch.sock")
CONF = os.path.join(TMP, "bgpwatch.conf")
A, B, C = "127.0.0.2", "127.0.0.3", "127.0.0.4"
BULK = 100000


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


PORT = free_port()


def config(extra=""):
    return f"""local-as 65000
router-id 127.0.0.1
listen on 127.0.0.1 port {PORT}
control "{SOCK}"
neighbor {A} {{ remote-as 65001; descr "peer-a"; add-path receive }}
neighbor {B} {{ remote-as 65002; descr "peer-b"; hold-time 3 }}
neighbor {C} {{ remote-as 65003; descr "bulk" }}
{extra}"""


def ctl(*args, sock=SOCK, user=None, timeout=120):
    """Run bgpwatchctl; (exit status, stdout, stderr)."""
    cmd = [CTL, "-s", sock] + list(args)
    if user is not None:
        cmd = user + cmd
    p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    check(p.returncode >= 0, f"{args}: killed by signal {-p.returncode}")
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def ctlj(*args):
    """bgpwatchctl -j ...: the JSON lines; must succeed."""
    rc, out, err = ctl("-j", *args)
    check(rc == 0, f"{args}: exit {rc}: {err}")
    check(out == "" or out.endswith("\n"), "output not newline-ended")
    return [json.loads(x) for x in out.splitlines()]


def rib(*args):
    return ctlj("show", "rib", *args)


# The routes the peers announce ------------------------------------------

# (peer, family, prefix, path_id, path, next_hop, communities, large,
#  as_set)
ROUTES = [
    (A, "ipv4", "10.0.0.0/24", 1, [65001, 65010], A,
     [(65001, 100), (65001, 200)], [(65001, 1, 2)], None),
    (A, "ipv4", "10.0.0.0/24", 2, [65001, 65030, 65010], A, [], [], None),
    (A, "ipv4", "10.0.1.0/24", 1, [65001, 65010], A, [], [], None),
    (A, "ipv4", "10.1.0.0/16", 1, [65001, 65040, 65040], A, [], [], None),
    (A, "ipv4", "198.51.100.0/24", 9, [65001, 65060], A, [], [],
     [65070, 65071]),
    (A, "ipv6", "2001:db8::/32", 7, [65001, 65020, 65020], "2001:db8::2",
     [], [], None),
    (A, "ipv6", "2001:db8:1::/48", 1, [65001, 65030, 65020], "2001:db8::2",
     [(65001, 300)], [], None),
    (B, "ipv4", "10.0.0.0/24", 0, [65002, 65010], B, [], [(65002, 0, 7)],
     None),
    (B, "ipv6", "2001:db8::/32", 0, [65002, 65020], "2001:db8::3", [], [],
     None),
]
ORDER = {A: 0, B: 1, C: 2}


def announce(peer, routes):
    n = 0
    for (_, fam, pfx, pid, path, nh, comm, large, aset) in routes:
        ids = [pid] if peer.addpath else None
        if fam == "ipv4":
            m = update_v4([pfx], path, nh, path_ids=ids, communities=comm,
                          large=large, as_set=aset)
        else:
            m = update_v6([pfx], path, nh, path_ids=ids, communities=comm,
                          large=large, as_set=aset)
        peer.send(m)
        n += 1
    return n


def sort_key(r):
    nb, fam, pfx, pid = r[0], r[1], r[2], r[3]
    addr, plen = pfx.split("/")
    raw = socket.inet_pton(socket.AF_INET6 if ":" in addr else
                           socket.AF_INET, addr)
    return (ORDER[nb], 0 if fam == "ipv4" else 1, raw, int(plen), pid)


def expected(routes):
    """The `show rib -j` lines the routes must give, in walk order."""
    out = []
    for r in sorted(routes, key=sort_key):
        nb, fam, pfx, pid, path, nh, comm, large, aset = r
        origin = path[-1] if not aset else None
        up = None
        if origin is not None:
            rest = [a for a in path if a != origin]
            up = rest[-1] if rest else None
        out.append({"neighbor": nb, "family": fam, "prefix": pfx,
                    "path_id": pid, "stale": False, "origin_as": origin,
                    "upstream_as": up, "next_hop": nh,
                    "flat": path + (aset or []),
                    "communities": [f"{x}:{y}" for x, y in comm],
                    "large": [f"{x}:{y}:{z}" for x, y, z in large]})
    return out


def project(line):
    """The fields of a route line that expected() predicts."""
    a = line["attributes"]
    return {"neighbor": line["neighbor"], "family": line["family"],
            "prefix": line["prefix"], "path_id": line["path_id"],
            "stale": line["stale"], "origin_as": line["origin_as"],
            "upstream_as": line["upstream_as"],
            "next_hop": line["next_hop"], "flat": a["as_path"]["flat"],
            "communities": a.get("communities", []),
            "large": a.get("large_communities", [])}


def same_routes(got, routes, what):
    want = expected(routes)
    got = [project(x) for x in got]
    check(got == want, f"{what}: got\n{json.dumps(got, indent=1)}\n"
          f"want\n{json.dumps(want, indent=1)}")


def wait_until(fn, what, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if fn():
            return
        time.sleep(0.1)
    raise Fail(f"timed out waiting for {what}")


def summary_of(addr):
    (s,) = ctlj("show", "summary")
    for n in s["neighbors"]:
        if n["address"] == addr:
            return n
    raise Fail(f"{addr} not in the summary")


def established(addr):
    return summary_of(addr)["state"] == "Established"


# The tests ------------------------------------------------------------

S = {}  # state shared by the tests: daemon, peers


def t_start():
    ctlpeer.write_config(CONF, config())
    d = ctlpeer.Daemon(DAEMON, CONF, os.path.join(TMP, "bgpwatchd.log"))
    d.start()
    S["d"] = d
    d.wait_socket(SOCK)
    st = os.lstat(SOCK)
    check(oct(st.st_mode & 0o7777) == oct(0o660),
          f"socket mode {oct(st.st_mode)}")


def t_sessions():
    S["a"] = Peer(A, "127.0.0.1", PORT, 65001, addpath=True)
    S["b"] = Peer(B, "127.0.0.1", PORT, 65002, hold=3)
    S["a"].connect()
    S["b"].connect()
    S["a_upd"] = announce(S["a"], [r for r in ROUTES if r[0] == A])
    S["b_upd"] = announce(S["b"], [r for r in ROUTES if r[0] == B])
    wait_until(lambda: len(rib()) == len(ROUTES), "all routes")


def t_rib_exact():
    same_routes(rib(), ROUTES, "show rib")
    for line in rib():
        check(set(line) == {"neighbor", "family", "prefix", "path_id",
                            "stale", "origin_as", "upstream_as", "next_hop",
                            "attributes"}, f"members {sorted(line)}")
        check(line["attributes"]["origin"] == "igp", "origin attribute")


def sel(fn):
    return [r for r in ROUTES if fn(r)]


def t_rib_filters():
    cases = [
        (["10.0.0.0/24"], sel(lambda r: r[2] == "10.0.0.0/24")),
        (["10.0.0.0/8", "or-longer"], sel(lambda r: r[2].startswith("10."))),
        (["10.0.1.5", "or-shorter"], sel(lambda r: r[2] == "10.0.1.0/24")),
        (["2001:db8::/32", "or-longer"], sel(lambda r: r[1] == "ipv6")),
        (["2001:db8::/32"], sel(lambda r: r[2] == "2001:db8::/32")),
        (["neighbor", B], sel(lambda r: r[0] == B)),
        (["origin-as", "65010"], sel(lambda r: r[4][-1] == 65010)),
        (["origin-as", "65071"], []),  # an AS_SET has no origin
        (["transit-as", "65030"], sel(lambda r: 65030 in r[4])),
        # bgpctl semantics: all but the rightmost AS, prepends count
        (["transit-as", "65040"], sel(lambda r: r[2] == "10.1.0.0/16")),
        (["transit-as", "65010"], []),
        (["transit-as", "65001"], sel(lambda r: r[0] == A)),
        (["transit-as", "65070"], sel(lambda r: r[8] is not None)),
        (["transit-as", "65071"], []),
        (["family", "ipv6"], sel(lambda r: r[1] == "ipv6")),
        (["family", "ipv4-unicast"], sel(lambda r: r[1] == "ipv4")),
        (["family", "ipv4-multicast"], []),
        (["neighbor", A, "family", "ipv4", "origin-as", "65010",
          "transit-as", "65030"], sel(lambda r: r[0] == A and
                                      r[4] == [65001, 65030, 65010])),
    ]
    for args, want in cases:
        same_routes(rib(*args), want, f"show rib {' '.join(args)}")


def t_rib_errors():
    for args, msg in [
            (["neighbor", "192.0.2.99"], "unknown neighbor 192.0.2.99"),
            (["10.0.0.0/33"], "bad prefix 10.0.0.0/33"),
            (["2001:db8::/32", "family", "ipv4"],
             "prefix 2001:db8::/32 is not in family ipv4"),
            (["family", "ipx"], "unknown family ipx")]:
        rc, out, err = ctl("show", "rib", *args)
        check(rc == 1 and err == f"bgpwatchctl: {msg}\n",
              f"{args}: exit {rc}, stderr {err!r}")
    rc, out, err = ctl("show", "rib", "origin-as", "4294967296")
    check(rc == 2, f"AS number too big: exit {rc}")
    rc, out, err = ctl("show", "rib", "or-longer")
    check(rc == 2, f"or-longer without a prefix: exit {rc}")
    rc, out, err = ctl("show", "neighbor", "192.0.2.99")
    check(rc == 1 and "unknown neighbor 192.0.2.99" in err, err)


def t_summary():
    (s,) = ctlj("show", "summary")
    check(s["local_as"] == 65000 and s["router_id"] == "127.0.0.1",
          f"summary head {s}")
    want = {A: (65001, S["a_upd"]), B: (65002, S["b_upd"])}
    for n in s["neighbors"]:
        if n["address"] not in want:
            continue
        asn, upd = want[n["address"]]
        mine = [r for r in ROUTES if r[0] == n["address"]]
        v4 = len({r[2] for r in mine if r[1] == "ipv4"})
        v6 = len({r[2] for r in mine if r[1] == "ipv6"})
        check(n["as"] == asn and n["state"] == "Established",
              f"summary {n}")
        check(n["prefixes"] == {"ipv4": v4, "ipv6": v6}, f"prefixes {n}")
        check(n["paths"] == {"ipv4": sum(r[1] == "ipv4" for r in mine),
                             "ipv6": sum(r[1] == "ipv6" for r in mine)},
              f"paths {n}")
        check(n["updates_received"] == upd, f"updates {n}")
        check(isinstance(n["uptime"], int) and
              isinstance(n["last_update"], int), f"ages {n}")
    check([n["address"] for n in s["neighbors"]] == [A, B, C],
          "configuration order")
    check(summary_of(C)["uptime"] is None, "uptime of a down session")


def t_neighbor():
    (a,) = ctlj("show", "neighbor", A)
    g = a["negotiated"]
    check(g["families"] == ["ipv4", "ipv6"] and
          g["add_path_receive"] == ["ipv4", "ipv6"] and g["four_octet_as"]
          and g["route_refresh"] and g["extended_message"], f"nego {g}")
    check(a["timers"]["hold_time"] == 90 and
          a["timers"]["keepalive_interval"] == 30, f"timers {a['timers']}")
    check(a["counters"]["messages_received"]["update"] == S["a_upd"],
          f"counters {a['counters']}")
    check(a["counters"]["prefixes_announced"] ==
          sum(r[0] == A for r in ROUTES), "prefixes_announced")
    check(a["bgp_id"] == A and a["remote_as"] == 65001 and
          a["description"] == "peer-a", "identity")
    check(a["open"]["peer_as"] == 65001, "the peer's OPEN")
    check(a["last_error"] is None, "no error yet")
    (b,) = ctlj("show", "neighbor", B)
    check(b["timers"]["hold_time"] == 3 and
          b["timers"]["keepalive_interval"] == 1, f"B timers {b['timers']}")
    check(b["negotiated"]["add_path_receive"] == [], "B without ADD-PATH")
    allb = ctlj("show", "neighbor")
    check([x["address"] for x in allb] == [A, B, C], "show neighbor: all")


def t_withdraw():
    a = S["a"]
    a.send(withdraw_v4(["10.0.1.0/24"], [1]))
    a.send(withdraw_v6(["2001:db8:1::/48"], [1]))
    gone = {("10.0.1.0/24", 1), ("2001:db8:1::/48", 1)}
    left = [r for r in ROUTES if not (r[0] == A and (r[2], r[3]) in gone)]
    wait_until(lambda: len(rib()) == len(left), "withdrawals")
    same_routes(rib(), left, "after withdrawals")
    (n,) = ctlj("show", "neighbor", A)
    check(n["counters"]["prefixes_withdrawn"] == 2, "prefixes_withdrawn")
    S["routes"] = left


def t_clear_soft():
    b = S["b"]
    mark = len(b.received)
    rc, out, err = ctl("clear", "neighbor", B, "soft")
    check(rc == 0 and out == "" and err == "", f"exit {rc}: {err}")
    got = set()
    deadline = time.monotonic() + 5
    while len(got) < 2 and time.monotonic() < deadline:
        m = b.wait_for(ctlpeer.ROUTE_REFRESH, after=mark)
        mark = b.received.index(m) + 1
        got.add(m[2])
    # RFC 2918 §3: AFI, reserved (RFC 7313: subtype 0), SAFI
    check(got == {b"\x00\x01\x00\x01", b"\x00\x02\x00\x01"},
          f"ROUTE-REFRESH bodies {got}")
    check(established(B), "B still established")


def t_bulk():
    """C: 100k IPv4 routes (1000 paths), route refresh not negotiated."""
    c = Peer(C, "127.0.0.1", PORT, 65003, rr=False)
    c.connect()
    S["c"] = c
    per = 100
    for i in range(BULK // per):
        idx = [i * per + k for k in range(per)]
        pfx = [f"{20 + x // 65536}.{x >> 8 & 255}.{x & 255}.0/24"
               for x in idx]
        c.send(update_v4(pfx, [65003, 64000 + i % 1000, 4200000000 + i],
                         C, communities=[(65003, i % 65536)]))
    wait_until(lambda: summary_of(C)["prefixes"]["ipv4"] == BULK,
               "100k routes", timeout=120)
    rc, out, err = ctl("clear", "neighbor", C, "soft")
    check(rc == 1 and "route refresh was not negotiated" in err,
          f"soft clear without RR: {rc} {err!r}")


def keepalive_gaps(peer, since):
    times = [m[0] for m in peer.received if m[1] == ctlpeer.KEEPALIVE and
             m[0] >= since]
    return max((b - a for a, b in zip(times, times[1:])), default=0), times


def t_big_dump_keepalives():
    """Full dumps while B's 3 s hold timer must be served."""
    b = S["b"]
    t0 = time.monotonic()
    mark = len(b.received)
    procs = [subprocess.Popen([CTL, "-s", SOCK, "-j", "show", "rib"],
                              stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(3)]
    counts = []
    for p in procs:
        n = sum(1 for _ in p.stdout)
        p.wait()
        check(p.returncode == 0, f"dump exit {p.returncode}: "
              f"{p.stderr.read().decode()}")
        counts.append(n)
    elapsed = time.monotonic() - t0
    want = BULK + len(S["routes"])
    check(counts == [want] * 3, f"dumped {counts}, want {want}")
    if elapsed < 4:  # keep watching the keepalives for a while
        time.sleep(4 - elapsed)
    gap, times = keepalive_gaps(b, t0)
    check(len(times) >= 3 and gap < 2.5,
          f"KEEPALIVEs to B: max gap {gap:.2f}s over {len(times)}")
    check(not b.closed and established(B), "B's session went down")
    check(not any(m[1] == ctlpeer.NOTIFICATION
                  for m in b.received[mark:]), "B got a NOTIFICATION")
    (n,) = ctlj("show", "neighbor", B)
    check(n["counters"]["drops"] == 0, "B dropped")
    S["dump_s"] = elapsed


def t_slow_reader():
    """A client reading a line a second holds bounded daemon memory."""
    d = S["d"]
    before = d.rss_kb()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b'{"command":"show rib","args":{"neighbor":"%s"}}\n'
              % C.encode())
    f = s.makefile("rb", buffering=0)
    peak = before
    lines = 0
    t0 = time.monotonic()
    for i in range(5):
        line = f.readline()
        check(line.startswith(b'{"neighbor":"127.0.0.4"'), f"line {line}")
        lines += 1
        peak = max(peak, d.rss_kb())
        # others are still served promptly
        t1 = time.monotonic()
        check(summary_of(B)["state"] == "Established", "B down")
        check(time.monotonic() - t1 < 1.0, "show summary was slow")
        time.sleep(1)
    check(time.monotonic() - t0 >= 5, "too fast")
    grew = peak - before
    # The answer is ~60 MB of JSON; only a bounded window may be held.
    check(grew < 16 * 1024, f"daemon RSS grew {grew} kB for a slow reader")
    S["slow_grew"] = grew
    # Vanish mid-answer: the daemon cleans up and carries on.
    f.close()
    s.close()
    wait_until(lambda: established(B), "daemon alive after a vanished "
               "client")
    wait_until(clients_all_closed, "the daemon to drop the client")


def clients_all_closed():
    """Every control client the daemon accepted has been freed."""
    log = S["d"].logtext()
    return log.count(") connected") == log.count(" closed\n")


def t_disconnects():
    """Clients that go away at every stage of a streamed answer."""
    for nbytes in (0, 1, 100, 70000, 300000):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(SOCK)
        s.sendall(b'{"command":"show rib"}\n')
        got = 0
        while got < nbytes:
            d = s.recv(65536)
            if not d:
                break
            got += len(d)
        s.close()
    rc, out, err = ctl("show", "summary")
    check(rc == 0, "daemon gone after disconnecting clients")
    wait_until(clients_all_closed, "every client freed")


def raw(data, shut=False):
    lines, _ = control_request(SOCK, data, shut=shut)
    return lines


def t_malformed():
    cases = [
        (b"{bad\n", "invalid JSON: offset 1: member name expected"),
        (b"[1,2]\n", "a request must be a JSON object"),
        (b"{}\n", "the request has no \"command\" string"),
        (b'{"command":7}\n', "the request has no \"command\" string"),
        (b'{"command":"shutdown"}\n', "unknown command \"shutdown\""),
        (b'{"command":"show rib","verbose":true}\n',
         "unexpected member \"verbose\" in the request"),
        (b'{"command":"show rib","command":"reload"}\n',
         "member \"command\" given twice"),
        (b'{"command":"show rib","args":[]}\n', "\"args\" must be an object"),
        (b'{"command":"show rib","args":{"bogus":1}}\n',
         "show rib: unknown argument \"bogus\""),
        (b'{"command":"show rib","args":{"prefix":1}}\n',
         "show rib: argument \"prefix\" must be a string"),
        (b'{"command":"show rib","args":{"origin_as":-1}}\n',
         "an AS number is an integer from 0 to 4294967295"),
        (b'{"command":"show rib","args":{"origin_as":4294967296}}\n',
         "an AS number is an integer from 0 to 4294967295"),
        (b'{"command":"show rib","args":{"origin_as":1.5}}\n',
         "an AS number is an integer from 0 to 4294967295"),
        (b'{"command":"show rib","args":{"match":"or-longer"}}\n',
         "\"match\" needs a prefix"),
        (b'{"command":"show rib","args":{"prefix":"10.0.0.0/8",'
         b'"match":"all"}}\n', "unknown match all"),
        (b'{"command":"show rib","args":{"family":"ipv4","family":"ipv6"}}'
         b'\n', "show rib: argument \"family\" given twice"),
        (b'{"command":"clear neighbor"}\n',
         "argument \"neighbor\" is required"),
        (b'{"command":"clear neighbor","args":{"neighbor":"x"}}\n',
         "unknown neighbor x"),
        (b'{"command":"neighbor down","args":{"neighbor":"%s","text":"%s"}}'
         b'\n' % (A.encode(), b"x" * 256),
         "shutdown communication longer than 255 octets (RFC 9003)"),
        (b"\x00\xff\xfe garbage\n", "invalid JSON: offset 0: unexpected "
         "byte 0x00"),
        (b'{"command":"show summary","args":{"x":"\\ud800"}}\n',
         "invalid JSON: offset 45: lone high surrogate \\ud800"),
    ]
    for data, msg in cases:
        got = raw(data, shut=True)
        check(got == [{"error": msg}], f"{data[:60]!r}: {got}")
    # An error does not end the connection; requests are answered in
    # order, blank lines ignored, CRLF accepted, the last line may lack
    # its newline when the client half-closes.
    got = raw(b'nonsense\n\n  \r\n{"command":"show summary"}\r\n'
              b'{"command":"show neighbor","args":{"neighbor":"%s"}}'
              % B.encode(), shut=True)
    check(len(got) == 5 and "error" in got[0] and "neighbors" in got[1] and
          got[2] == {"end": True} and got[3]["address"] == B and
          got[4] == {"end": True}, f"pipelined: {got}")
    # A streamed answer, then another request on the same connection.
    got = raw(b'{"command":"show rib","args":{"neighbor":"%s"}}\n'
              b'{"command":"show summary"}\n' % B.encode(), shut=True)
    nb = len([r for r in S["routes"] if r[0] == B])
    check(len(got) == nb + 3 and got[nb] == {"end": True, "routes": nb} and
          got[nb + 2] == {"end": True}, f"stream then request: {got}")


def t_oversized():
    # 65536 octets is the limit: exactly that is fine.
    req = b'{"command":"show summary"}'
    line = req + b" " * (65536 - len(req))
    got = raw(line + b"\n", shut=True)
    check(len(got) == 2 and got[-1] == {"end": True}, f"65536: {got[-1:]}")
    # One more octet, with or without a newline: error, then hang-up.
    for data in (line + b" \n", line + b" " * 100000):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(SOCK)
        try:
            s.sendall(data + b'{"command":"show summary"}\n')
        except (BrokenPipeError, ConnectionResetError):
            pass
        out = b""
        while True:
            try:
                d = s.recv(65536)
            except ConnectionResetError:
                break
            if not d:
                break
            out += d
        s.close()
        check(out == b'{"error":"request line longer than 65536 '
              b'octets"}\n', f"oversized: {out[:100]!r}")
    check(established(B), "daemon alive after oversized requests")


def t_many_clients():
    socks = []
    for _ in range(80):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(SOCK)
        socks.append(s)
    time.sleep(0.5)
    refused = 0
    for s in socks:
        s.setblocking(False)
        try:
            d = s.recv(1000)
            if d == b'{"error":"too many control connections"}\n':
                refused += 1
        except BlockingIOError:
            pass
    for s in socks:
        s.close()
    check(refused == 80 - 64, f"{refused} refused, want {80 - 64}")
    wait_until(lambda: ctl("show", "summary")[0] == 0, "serving again")


def t_neighbor_down_up():
    a = S["a"]
    text = "maintenance \u2014 back at 14:00"
    mark = len(a.received)
    rc, out, err = ctl("neighbor", A, "down", text)
    check(rc == 0, f"down: {rc} {err}")
    m = a.wait_for(ctlpeer.NOTIFICATION, after=mark)
    raw_text = text.encode()
    # RFC 9003 §2: Cease (6) / Administrative Shutdown (2), length, text
    check(m[2] == b"\x06\x02" + bytes([len(raw_text)]) + raw_text,
          f"NOTIFICATION {m[2]!r}")
    a.wait_closed()
    wait_until(lambda: summary_of(A)["admin_down"], "admin down")
    n = summary_of(A)
    check(n["state"] == "Idle", f"state {n['state']}")
    check(rib("neighbor", A) == [], "routes of a down neighbor")
    (nb,) = ctlj("show", "neighbor", A)
    e = nb["last_error"]
    check(nb["admin_down"] and nb["admin_text"] == text, "admin_text")
    check(e is not None and "administratively down" in e["reason"],
          f"last_error {e}")
    if e["notification"]:
        check(e["sent"] and e["code"] == 6 and e["subcode"] == 2 and
              e["name"] == "Cease / Administrative Shutdown",
              f"last_error {e}")
    rc, out, err = ctl("neighbor", A, "up")
    check(rc == 0, f"up: {rc} {err}")
    a2 = Peer(A, "127.0.0.1", PORT, 65001, addpath=True)
    a2.connect()
    S["a"] = a2
    wait_until(lambda: established(A), "A back up")
    check(not summary_of(A)["admin_down"], "admin_down cleared")
    rc, out, err = ctl("clear", "neighbor", "192.0.2.7")
    check(rc == 1 and err == "bgpwatchctl: unknown neighbor 192.0.2.7\n",
          err)


def t_clear_hard():
    a = S["a"]
    mark = len(a.received)
    rc, out, err = ctl("clear", "neighbor", A)
    check(rc == 0, f"clear: {rc} {err}")
    m = a.wait_for(ctlpeer.NOTIFICATION, after=mark)
    check(m[2][:2] == b"\x06\x04", f"Cease 4 expected: {m[2]!r}")
    a.wait_closed()
    a2 = Peer(A, "127.0.0.1", PORT, 65001, addpath=True)
    a2.connect()
    S["a"] = a2
    wait_until(lambda: established(A), "A back after clear")


def t_reload():
    good = config()
    before = [(n["address"], n["state"]) for n in
              ctlj("show", "summary")[0]["neighbors"]]
    ctlpeer.write_config(CONF, good + "neighbor 127.0.0.9 { remote-as }\n")
    rc, out, err = ctl("reload")
    lines = err.splitlines()
    check(rc == 1 and lines[0] == "bgpwatchctl: reload failed; the running "
          "configuration stays", f"bad reload: {rc} {err!r}")
    check(any(x.startswith(f"  {CONF}:") for x in lines[1:]),
          f"no file:line detail: {err!r}")
    after = [(n["address"], n["state"]) for n in
             ctlj("show", "summary")[0]["neighbors"]]
    check(after == before, f"configuration changed: {after}")
    ctlpeer.write_config(CONF, good + "neighbor 127.0.0.5 { remote-as "
                         "65005 }\n")
    rc, out, err = ctl("reload")
    check(rc == 0 and out == "" and err == "", f"reload: {rc} {err}")
    addrs = [n["address"] for n in ctlj("show", "summary")[0]["neighbors"]]
    check(addrs == [A, B, C, "127.0.0.5"], f"after reload: {addrs}")
    check(established(A) and established(B), "sessions kept")
    ctlpeer.write_config(CONF, good)


def t_human():
    rc, out, err = ctl("show", "summary")
    lines = out.splitlines()
    check(rc == 0 and lines[0].split() == ["Neighbor", "AS", "State",
                                           "Up/Down", "PfxV4", "PfxV6",
                                           "Updates", "LastUpdate"],
          f"summary header {lines[:1]}")
    col = lines[0].index("State")
    check(all(x[col - 2:col] == "  " for x in lines[1:]), "aligned")
    rc, out, err = ctl("show", "rib", "neighbor", B)
    check(rc == 0 and len(out.splitlines()) == 2 +
          len([r for r in S["routes"] if r[0] == B]), f"rib table {out}")
    rc, out, err = ctl("show", "neighbor", B)
    check(rc == 0 and out.startswith(f"BGP neighbor is {B}, remote AS "
                                     "65002\n"), out[:80])


def sudo_nobody(gid=None):
    if gid is None:
        return ["runuser", "-u", "nobody", "--"]
    return ["setpriv", f"--reuid=65534", f"--regid={gid}", "--clear-groups"]


def t_permissions():
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return "SKIP not root or no runuser"
    rc, out, err = ctl("show", "summary", user=sudo_nobody())
    check(rc == 1 and "Permission denied" in err,
          f"nobody through mode 0660: {rc} {err!r}")
    if shutil.which("setpriv"):
        # Mode 0660 lets the socket's group in, and so does the daemon.
        gid = os.lstat(SOCK).st_gid
        rc, out, err = ctl("show", "summary", user=sudo_nobody(gid))
        check(rc == 0, f"the socket's group: {rc} {err!r}")
        # ... and as a supplementary group (SO_PEERGROUPS).
        rc, out, err = ctl("show", "summary", user=[
            "setpriv", "--reuid=65534", "--regid=65534",
            f"--groups={gid}"])
        check(rc == 0, f"supplementary group: {rc} {err!r}")
    os.chmod(SOCK, 0o666)
    try:
        rc, out, err = ctl("show", "summary", user=sudo_nobody())
        check(rc == 1 and err == "bgpwatchctl: permission denied\n",
              f"nobody on a widened socket: {rc} {err!r}")
    finally:
        os.chmod(SOCK, 0o660)
    check("refused uid 65534" in S["d"].logtext(), "refusal not logged")


def start_other(name, control):
    """A second daemon; its exit status if it exits within 5 s, else None."""
    conf = os.path.join(TMP, name + ".conf")
    ctlpeer.write_config(conf, f"""local-as 65000
router-id 127.0.0.1
listen on 127.0.0.1 port {free_port()}
control "{control}"
""")
    d = ctlpeer.Daemon(DAEMON, conf, os.path.join(TMP, name + ".log"))
    p = d.start()
    try:
        return p.wait(5), d
    except subprocess.TimeoutExpired:
        return None, d


def t_socket_in_use():
    rc, d = start_other("second", SOCK)
    check(rc is not None and rc != 0, "second daemon started on a live "
          "socket")
    check("in use" in d.logtext(), d.logtext())
    check(ctl("show", "summary")[0] == 0, "the first one still answers")


def t_not_a_socket():
    path = os.path.join(TMP, "file.sock")
    with open(path, "w") as f:
        f.write("precious\n")
    rc, d = start_other("file", path)
    check(rc is not None and rc != 0, "started over a regular file")
    check("exists and is not a socket" in d.logtext(), d.logtext())
    with open(path) as f:
        check(f.read() == "precious\n", "the file was touched")


def t_stale_socket():
    path = os.path.join(TMP, "stale.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)  # closed without unlink: nobody listens
    s.close()
    rc, d = start_other("stale", path)
    try:
        check(rc is None, f"did not start over a stale socket: "
              f"{d.logtext()}")
        d.wait_socket(path)
        check("removed the stale socket" in d.logtext(), d.logtext())
        check(ctl("show", "summary", sock=path)[0] == 0, "stale answers")
    finally:
        check(d.stop() == 0, "second daemon exit status")
    check(not os.path.exists(path), "socket left behind at exit")


def t_stop():
    for p in ("a", "b", "c"):
        if p in S:
            S[p].close()
    d = S.pop("d")
    rc = d.stop()
    log = d.logtext()
    check(rc == 0, f"bgpwatchd exit status {rc}")
    for bad in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
        check(bad not in log, f"{bad} in the daemon log:\n{log[-3000:]}")
    check(not os.path.exists(SOCK), "control socket left behind")
    rc, out, err = ctl("show", "summary")
    check(rc == 1 and "cannot connect" in err, f"no daemon: {rc} {err!r}")


TESTS = [
    ("daemon starts, socket mode 0660", t_start),
    ("sessions and routes", t_sessions),
    ("show rib returns exactly what was announced", t_rib_exact),
    ("show rib filters", t_rib_filters),
    ("show rib errors", t_rib_errors),
    ("show summary", t_summary),
    ("show neighbor", t_neighbor),
    ("withdrawals", t_withdraw),
    ("clear neighbor soft sends ROUTE-REFRESH", t_clear_soft),
    ("100k routes from a third peer", t_bulk),
    ("big dumps keep a 3 s hold time alive", t_big_dump_keepalives),
    ("slow reader: bounded memory, then vanishes", t_slow_reader),
    ("clients disconnecting mid-answer", t_disconnects),
    ("malformed and pipelined requests", t_malformed),
    ("oversized request lines", t_oversized),
    ("connection limit", t_many_clients),
    ("neighbor down with RFC 9003 text, then up", t_neighbor_down_up),
    ("clear neighbor (hard)", t_clear_hard),
    ("reload: bad config kept out, good one applied", t_reload),
    ("human tables", t_human),
    ("permissions (SO_PEERCRED)", t_permissions),
    ("socket in use: second daemon refuses", t_socket_in_use),
    ("regular file at the socket path", t_not_a_socket),
    ("stale socket replaced", t_stale_socket),
    ("clean shutdown", t_stop),
]


def main():
    print(f"1..{len(TESTS)}")
    failed = 0
    for i, (name, fn) in enumerate(TESTS, 1):
        try:
            r = fn()
            if isinstance(r, str) and r.startswith("SKIP"):
                print(f"ok {i} - {name} # {r}")
            else:
                print(f"ok {i} - {name}")
        except Exception as e:  # noqa: BLE001 - report and go on
            failed += 1
            print(f"not ok {i} - {name}")
            for line in f"{type(e).__name__}: {e}".splitlines():
                print(f"# {line}")
        sys.stdout.flush()
    if "d" in S:
        S["d"].stop()
    if "slow_grew" in S:
        print(f"# slow reader: daemon RSS grew {S['slow_grew']} kB; "
              f"3 parallel full dumps took {S.get('dump_s', 0):.1f} s")
    if failed == 0:
        shutil.rmtree(TMP, ignore_errors=True)
    else:
        print(f"# files kept in {TMP}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
