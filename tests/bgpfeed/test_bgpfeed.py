#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# bgpfeed end to end (TAP for meson, suite 'bgpfeed'): bgpfeed against its
# own sink, against bgpwatchd (read back through bgpwatchctl -j show
# summary / show rib) and, when installed, against BIRD. Covered: the
# synthetic table arrives complete with every session option (extended
# messages, ADD-PATH, 2-octet AS); a printed synthetic table replayed as a
# script gives the very same routes; script timing with and without
# --pace; script errors as file:line; an MRT RIB peer's routes equal
# bgpdump's reference; MRT update files; --withdraw-on-exit; SIGTERM and
# script "stop" send Cease 2 with the RFC 9003 text; TCP MD5.
# Everything runs on 127.0.0.0/8; only processes started here are
# signalled, by PID.
#
# usage: test_bgpfeed.py BGPFEED BGPWATCHD BGPWATCHCTL SOURCE_ROOT

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

FEED, DAEMON, CTL, ROOT = sys.argv[1:5]
DATA = os.path.join(ROOT, "tests", "data", "mrt")
TMP = tempfile.mkdtemp(prefix="bgpfeed-test-")
SANITIZER = re.compile(r"runtime error:|AddressSanitizer|LeakSanitizer")
BIRD = shutil.which("bird") or ("/usr/sbin/bird"
                                if os.path.exists("/usr/sbin/bird") else None)
BIRDC = shutil.which("birdc") or ("/usr/sbin/birdc"
                                  if os.path.exists("/usr/sbin/birdc") else None)


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


class Proc:
    """A process whose stderr (and stdout) lines are collected."""

    def __init__(self, argv, name):
        self.name = name
        self.lines = []
        self.cond = threading.Condition()
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for raw in self.p.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            if os.environ.get("BGPFEED_TEST_VERBOSE"):
                print(f"# {self.name}: {line}", flush=True)
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_line(self, pattern, timeout=15.0):
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        with self.cond:
            i = 0
            while True:
                while i < len(self.lines):
                    m = rx.search(self.lines[i])
                    if m:
                        return m
                    i += 1
                left = end - time.monotonic()
                if left <= 0 or (self.p.poll() is not None and
                                 not self.t.is_alive()):
                    raise Fail(f"{self.name}: no line matching {pattern!r}:"
                               "\n" + "\n".join(self.lines[-30:]))
                self.cond.wait(min(left, 0.5))

    def grep(self, pattern):
        rx = re.compile(pattern)
        with self.cond:
            return [m for m in (rx.search(x) for x in self.lines) if m]

    def wait(self, timeout=20.0):
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            raise Fail(f"{self.name} did not exit")
        self.t.join(5)
        bad = [x for x in self.lines if SANITIZER.search(x)]
        check(not bad, f"{self.name}: sanitizer report:\n" + "\n".join(
            self.lines[self.lines.index(bad[0]):][:40]) if bad else "")
        return rc

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        return self.wait()

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


def feed(*args, name="bgpfeed"):
    return Proc([FEED] + [str(a) for a in args], name)


def sink(port, *args):
    s = feed("--sink", "-vv", "--listen", f"127.0.0.1:{port}", *args,
             name="sink")
    s.wait_line(r"listening on")
    return s


def sink_counts(s):
    """(announced, withdrawn, updates) of the sink's last summary line."""
    m = s.grep(r"received \d+ prefixes \((\d+) announced, (\d+) withdrawn\) "
               r"in (\d+) UPDATEs")
    check(m, "sink printed no summary:\n" + "\n".join(s.lines[-20:]))
    return tuple(int(x) for x in m[-1].groups())


def feed_counts(f):
    m = f.grep(r"sent \d+ prefixes \((\d+) announced, (\d+) withdrawn\) "
               r"in (\d+) UPDATEs")
    check(m, "bgpfeed printed no summary:\n" + "\n".join(f.lines[-20:]))
    return tuple(int(x) for x in m[-1].groups())


def synthetic_total(n4, n6, seed=1):
    """How many prefixes --print gives (the generator may stop early)."""
    out = subprocess.run([FEED, "--print", "--synthetic", f"{n4},{n6}",
                          "--seed", str(seed), "--local-as", "65001"],
                         capture_output=True, check=True, text=True).stdout
    return sum(len(x.split("path")[0].split()) - 3
               for x in out.splitlines() if " announce " in x)


# bgpwatchd ---------------------------------------------------------------

class Watchd:
    def __init__(self, neighbors):
        self.dir = tempfile.mkdtemp(dir=TMP)
        self.port = free_port()
        self.sock = os.path.join(self.dir, "bgpwatch.sock")
        conf = os.path.join(self.dir, "bgpwatch.conf")
        with open(conf, "w") as f:
            f.write(f"local-as 65000\nrouter-id 127.0.0.1\n"
                    f"listen on 127.0.0.1 port {self.port}\n"
                    f'control "{self.sock}"\n' + neighbors)
        self.proc = Proc([DAEMON, "-d", "-f", conf], "bgpwatchd")
        self.proc.wait_line(r"bgpwatchd \S+ started")

    def ctl(self, *args):
        p = subprocess.run([CTL, "-s", self.sock, "-j"] + list(args),
                           capture_output=True, timeout=120)
        check(p.returncode == 0, f"bgpwatchctl {args}: {p.stderr}")
        return [json.loads(x) for x in p.stdout.decode().splitlines()]

    def prefixes(self, addr):
        for n in self.ctl("show", "summary")[0]["neighbors"]:
            if n["address"] == addr:
                return n["state"], n["prefixes"]["ipv4"], n["prefixes"]["ipv6"]
        raise Fail(f"no neighbor {addr}")

    def wait_prefixes(self, addr, v4, v6, timeout=30):
        end = time.monotonic() + timeout
        got = None
        while time.monotonic() < end:
            got = self.prefixes(addr)
            if got == ("Established", v4, v6):
                return
            time.sleep(0.2)
        raise Fail(f"{addr}: want {v4}+{v6} prefixes, have {got}")

    def rib(self, addr):
        return self.ctl("show", "rib", "neighbor", addr)

    def stop(self):
        self.proc.stop()


def nb(addr, asn, body=""):
    return f"neighbor {addr} {{ remote-as {asn}; {body} }}\n"


# The cases -----------------------------------------------------------

def t_sink_options(flags):
    """The synthetic table arrives whole, whatever was negotiated."""
    def run():
        port = free_port()
        s = sink(port, "--ext-msg")
        f = feed("--local-as", 65001 if "--as2" in flags else 4200000001,
                 "--synthetic", "10000,2000", "--exit-when-done", "--stats",
                 *flags, f"127.0.0.1:{port}")
        check(f.wait() == 0, "bgpfeed failed")
        check(s.wait() == 0, "sink failed")
        total = synthetic_total(10000, 2000)
        check(total == 12000, f"generator made {total} prefixes")
        ann, wd, upd = sink_counts(s)
        check((ann, wd) == (12000, 0), f"sink got {ann}+{wd}")
        check(feed_counts(f) == (ann, wd, upd), "sent != received")
        check(len(s.grep(r"End-of-RIB ipv[46] after")) == 2,
              "End-of-RIB missing")
        s.wait_line(r'shutdown communication "bgpfeed shutting down"')
        est = s.grep(r"established: .*")[0].group(0)
        if "--ext-msg" in flags:
            check("extended messages yes" in est, est)
        if "--add-path-send" in flags:
            check("receive ipv4 ipv6" in est, est)
        if "--as2" in flags:
            check("2-octet AS" in est, est)
        # RFC 4271 §4.3: densely packed, about 3 prefixes per attribute set
        check(upd < 12000 / 2.5, f"{upd} UPDATEs for 12000 prefixes")
    return run


def t_watchd_synthetic():
    d = Watchd(nb("127.0.0.2", 65001))
    f = None
    try:
        f = feed("--local-as", 65001, "--local-addr", "127.0.0.2",
                 "--synthetic", "10000,2000", "--shutdown-text",
                 "lab over, thanks", f"127.0.0.1:{d.port}")
        d.wait_prefixes("127.0.0.2", 10000, 2000)
        check(f.stop() == 0, "bgpfeed exit status")
        d.proc.wait_line(r"received NOTIFICATION 6/2 \(Cease / Administrative"
                         r' Shutdown\), shutdown communication "lab over, '
                         r'thanks"')
    finally:
        if f:
            f.kill()
        d.stop()


def t_watchd_dials():
    """bgpfeed --listen: bgpwatchd opens the session."""
    port = free_port()
    f = feed("--local-as", 65001, "--synthetic", "1000,100", "--listen",
             f"127.0.0.2:{port}")
    f.wait_line(r"listening on")
    d = Watchd(nb("127.0.0.2", 65001, f"connect; port {port}"))
    try:
        d.wait_prefixes("127.0.0.2", 1000, 100)
        check(f.stop() == 0, "bgpfeed exit status")
    finally:
        f.kill()
        d.stop()


def rib_key(r):
    a = r["attributes"]
    return (r["prefix"], r["path_id"], json.dumps(a, sort_keys=True))


def t_print_replay():
    """--print then --script: the same routes as the generator's own."""
    script = os.path.join(TMP, "synth.script")
    with open(script, "w") as out:
        subprocess.run([FEED, "--print", "--synthetic", "3000,1000", "--seed",
                        "7", "--local-as", "65001"], stdout=out, check=True)
    d = Watchd(nb("127.0.0.2", 65001) + nb("127.0.0.3", 65001))
    fs = []
    try:
        common = ["--local-as", 65001, "--nexthop", "192.0.2.1",
                  "--nexthop6", "2001:db8::1"]
        fs.append(feed(*common, "--local-addr", "127.0.0.2", "--synthetic",
                       "3000,1000", "--seed", 7, f"127.0.0.1:{d.port}"))
        fs.append(feed(*common, "--local-addr", "127.0.0.3", "--script",
                       script, f"127.0.0.1:{d.port}"))
        d.wait_prefixes("127.0.0.2", 3000, 1000)
        d.wait_prefixes("127.0.0.3", 3000, 1000)
        a = sorted(rib_key(r) for r in d.rib("127.0.0.2"))
        b = sorted(rib_key(r) for r in d.rib("127.0.0.3"))
        check(len(a) == 4000 and a == b, "the replayed routes differ")
        paths = {json.loads(k[2])["as_path"]["text"] for k in a}
        check(all(p.startswith("65001 ") for p in paths),
              "eBGP paths must start with the feeder's AS")
        lens = [len(p.split()) for p in paths]
        check(min(lens) >= 2 and max(lens) <= 8, f"path lengths {lens}")
        for f in fs:
            check(f.stop() == 0, "bgpfeed exit status")
    finally:
        for f in fs:
            f.kill()
        d.stop()


TIMED = """# timing test
at +0 announce 175.45.176.0/24 path 65001 2914 4837 131279 origin igp
at +1.0 announce 175.45.177.0/24 2001:db8::/32 path 65001 3356 131279
at +2.0 withdraw 175.45.176.0/24
at +2.0 eor
at +2.5 stop "script over"
"""


def t_script_timing(pace):
    def run():
        path = os.path.join(TMP, f"timed{pace}.script")
        with open(path, "w") as fh:
            fh.write(TIMED)
        port = free_port()
        s = sink(port)
        args = ["--pace", pace] if pace else []
        f = feed("--local-as", 65001, "--script", path, *args,
                 f"127.0.0.1:{port}")
        check(f.wait() == 0, "bgpfeed exit status")
        check(s.wait() == 0, "sink exit status")
        k = float(pace or 1)
        got = [(float(m.group(1)), int(m.group(2)), int(m.group(3)))
               for m in s.grep(r"\+(\d+\.\d+) UPDATE (\d+) announced (\d+) "
                               r"withdrawn")]
        want = [(0, 1, 0), (1 / k, 1, 0), (1 / k, 1, 0), (2 / k, 0, 1),
                (2 / k, 0, 0), (2 / k, 0, 0)]
        check(len(got) == len(want), f"UPDATEs: {got}")
        for (t, a, w), (wt, wa, ww) in zip(got, want):
            check((a, w) == (wa, ww), f"UPDATEs: {got}")
            check(abs(t - wt) < 0.25, f"at {t}, want {wt}: {got}")
        s.wait_line(r'shutdown communication "script over"')
    return run


BAD_SCRIPTS = [
    ("announce 10.0.0.0/8", 1, r'expected "at \+SECONDS ACTION'),
    ("at +1 announce 10.0.0.0/8\nat +0.5 eor", 2,
     r"time \+0.5 before the 1 of an earlier line"),
    ("at +0 announce 10.0.0.0/33", 1, r'bad prefix "10.0.0.0/33"'),
    ("# ok\n\nat +0 announce 10.0.0.0/8 origin bgp", 3, r'bad origin "bgp"'),
    ("at +0 announce 10.0.0.0/8 path 1 {2,3", 1, r"unclosed"),
    ("at +0 announce 10.0.0.0/8 community 70000:1", 1, r"bad community"),
    ("at +0 announce 10.0.0.0/8 large-community 1:2", 1,
     r"bad large community"),
    ("at +0 announce 10.0.0.0/8 nexthop 2001:db8::1", 1,
     r"IPv4 prefixes need an IPv4 next hop"),
    ("at +0 withdraw 10.0.0.0/8 med 5", 1, r"withdraw takes prefixes"),
    ("at +0 eor ipv5", 1, r"eor takes ipv4"),
    ("at +0 launch", 1, r'unknown action "launch"'),
    ("at +x wait", 1, r'bad time "\+x"'),
    ("at +0 stop unquoted", 1, r"stop takes one"),
    ("at +0 announce path 1", 1, r"no prefix"),
    ("at +0 announce 10.0.0.0/8 med", 1, r"med needs a value"),
    ('at +0 stop "oops', 1, r"unterminated string"),
]


def t_script_errors():
    for i, (text, line, msg) in enumerate(BAD_SCRIPTS):
        path = os.path.join(TMP, f"bad{i}.script")
        with open(path, "w") as fh:
            fh.write(text + "\n")
        p = subprocess.run([FEED, "--local-as", "65001", "--script", path,
                            "127.0.0.1:1"], capture_output=True, text=True,
                           timeout=20)
        check(p.returncode != 0, f"{text!r} accepted")
        check(re.search(re.escape(path) + f":{line}: " + msg, p.stderr),
              f"{text!r}: {p.stderr!r}")


def bgpdump_routes(name, peer):
    """(prefix, AS path) of one peer in bgpdump -m output."""
    ref = os.path.join(DATA, name + ".bgpdump-vm.txt")
    op = open
    if not os.path.exists(ref):
        ref += ".gz"
        op = gzip.open
    out = set()
    with op(ref, "rt") as fh:
        for line in fh:
            f = line.split("|")
            if len(f) > 6 and f[2] == "B" and f[3] == peer:
                out.add((f[5], f[6]))
    return out


def t_mrt_rib():
    name, peer = "pyasn/rib.20140523.0600_firstMB.bz2", "4.69.184.193"
    want = bgpdump_routes(name, peer)
    d = Watchd(nb("127.0.0.2", 65001))
    f = None
    try:
        f = feed("--local-as", 65001, "--local-addr", "127.0.0.2",
                 "--mrt-rib", os.path.join(DATA, name), "--peer", peer,
                 f"127.0.0.1:{d.port}")
        n4 = sum(1 for p, _ in want if ":" not in p)
        d.wait_prefixes("127.0.0.2", n4, len(want) - n4, timeout=60)
        got = {(r["prefix"], r["attributes"]["as_path"]["text"])
               for r in d.rib("127.0.0.2")}
        check(got == want, f"{len(got ^ want)} routes differ")
        check(all(r["next_hop"] == "127.0.0.2" for r in d.rib("127.0.0.2")),
              "next hop not self")
        check(f.stop() == 0, "bgpfeed exit status")
    finally:
        if f:
            f.kill()
        d.stop()


def t_mrt_rib_td1():
    """TABLE_DUMP (2002), peer by address, counted at the sink."""
    name, peer = "bgpdump/bview.20020722.2337.gz", "193.203.0.1"
    want = bgpdump_routes(name, peer)
    port = free_port()
    s = sink(port)
    f = feed("--local-as", 65001, "--mrt-rib", os.path.join(DATA, name),
             "--peer", peer, "--exit-when-done", "--stats",
             f"127.0.0.1:{port}")
    check(f.wait(60) == 0, "bgpfeed exit status")
    check(s.wait() == 0, "sink exit status")
    check(sink_counts(s)[:2] == (len(want), 0),
          f"sink {sink_counts(s)}, bgpdump {len(want)}")


def t_mrt_updates():
    name = "bgpdump/updates.20160811.1600.gz"
    ann = wd = 0
    with gzip.open(os.path.join(DATA, name + ".bgpdump-vm.txt.gz"),
                   "rt") as fh:
        for line in fh:
            kind = line.split("|")[2]
            ann += kind == "A"
            wd += kind == "W"
    port = free_port()
    s = sink(port)
    f = feed("--local-as", 65001, "--mrt-updates", os.path.join(DATA, name),
             "--exit-when-done", "--stats", f"127.0.0.1:{port}")
    check(f.wait(60) == 0, "bgpfeed exit status")
    check(s.wait() == 0, "sink exit status")
    check(sink_counts(s)[:2] == (ann, wd),
          f"sink {sink_counts(s)}, bgpdump {ann} A, {wd} W")


AS2 = """at +0 announce 192.0.2.0/24 path 65001 4200000001 3356 path-id 7
at +0 announce 192.0.2.0/24 path 65001 3356 4200000002 path-id 8
at +0 announce 2001:db8::/32 path 65001 {4200000003,65010} path-id 9
at +0 eor
"""


def t_as2_addpath():
    """A 2-octet session (AS_TRANS + AS4_PATH) with ADD-PATH path ids."""
    path = os.path.join(TMP, "as2.script")
    with open(path, "w") as fh:
        fh.write(AS2)
    d = Watchd(nb("127.0.0.2", 65001, "add-path receive"))
    f = None
    try:
        f = feed("--local-as", 65001, "--as2", "--add-path-send",
                 "--local-addr", "127.0.0.2", "--script", path,
                 f"127.0.0.1:{d.port}")
        d.wait_prefixes("127.0.0.2", 1, 1)
        got = sorted((r["prefix"], r["path_id"],
                      r["attributes"]["as_path"]["text"])
                     for r in d.rib("127.0.0.2"))
        want = [("192.0.2.0/24", 7, "65001 4200000001 3356"),
                ("192.0.2.0/24", 8, "65001 3356 4200000002"),
                ("2001:db8::/32", 9, "65001 {4200000003,65010}")]
        check(got == want, f"rib {got}")
        check(f.stop() == 0, "bgpfeed exit status")
    finally:
        if f:
            f.kill()
        d.stop()


def t_withdraw_on_exit():
    port = free_port()
    s = sink(port)
    f = feed("--local-as", 65001, "--synthetic", "5000,1000",
             "--withdraw-on-exit", f"127.0.0.1:{port}")
    s.wait_line(r"table complete")
    f.wait_line(r"routes sent in")
    check(f.stop() == 0, "bgpfeed exit status")
    check(s.wait() == 0, "sink exit status")
    check(sink_counts(s)[:2] == (6000, 6000), f"sink {sink_counts(s)}")
    s.wait_line(r"shutdown communication")


def t_md5():
    if os.geteuid() != 0:
        print("# skipped: TCP MD5 is set up as root only here")
        return
    port = free_port()
    s = sink(port, "--md5", "s3cret")
    f = feed("--local-as", 65001, "--md5", "s3cret", "--synthetic", "100,0",
             "--exit-when-done", f"127.0.0.1:{port}")
    check(f.wait() == 0, "bgpfeed with the right key failed")
    check(s.wait() == 0 and sink_counts(s)[0] == 100, "sink")
    s = sink(port, "--md5", "s3cret")
    f = feed("--local-as", 65001, "--md5", "wrong", "--synthetic", "100,0",
             "--exit-when-done", f"127.0.0.1:{port}")
    time.sleep(3)
    check(not s.grep(r"established"), "session up with the wrong key")
    f.stop()
    s.stop()


def t_bird():
    if BIRD is None or BIRDC is None:
        print("# skipped: no BIRD installed")
        return
    d = tempfile.mkdtemp(dir=TMP)
    port = free_port()
    ctl = os.path.join(d, "bird.ctl")
    conf = os.path.join(d, "bird.conf")
    with open(conf, "w") as fh:
        fh.write(f"""router id 127.0.0.1;
protocol device {{ }}
protocol bgp lab {{
  local 127.0.0.1 port {port} as 65000;
  neighbor 127.0.0.2 as 65001;
  passive; strict bind yes; multihop;
  ipv4 {{ import all; export none; }};
  ipv6 {{ import all; export none; }};
}}
""")
    b = Proc([BIRD, "-f", "-c", conf, "-s", ctl], "bird")
    f = None
    try:
        end = time.monotonic() + 10
        while not os.path.exists(ctl) and time.monotonic() < end:
            time.sleep(0.1)
        f = feed("--local-as", 65001, "--local-addr", "127.0.0.2",
                 "--synthetic", "10000,2000", "--nexthop6", "2001:db8::1",
                 f"127.0.0.1:{port}")
        end = time.monotonic() + 30
        out = ""
        while time.monotonic() < end:
            out = subprocess.run([BIRDC, "-s", ctl, "show", "protocols",
                                  "all", "lab"], capture_output=True,
                                 text=True).stdout
            if re.findall(r"Routes:\s+(\d+) imported", out) == ["10000",
                                                               "2000"]:
                break
            time.sleep(0.3)
        check(re.findall(r"Routes:\s+(\d+) imported", out) == ["10000",
                                                              "2000"], out)
        check(f.stop() == 0, "bgpfeed exit status")
        time.sleep(0.3)
        out = subprocess.run([BIRDC, "-s", ctl, "show", "protocols", "all",
                              "lab"], capture_output=True, text=True).stdout
        check("Administrative shutdown" in out, out)
    finally:
        if f:
            f.kill()
        b.stop()


CASES = [
    ("sink: synthetic 10k+2k", t_sink_options([])),
    ("sink: synthetic, extended messages", t_sink_options(["--ext-msg"])),
    ("sink: synthetic, ADD-PATH send", t_sink_options(["--add-path-send"])),
    ("sink: synthetic, 2-octet AS", t_sink_options(["--as2"])),
    ("sink: synthetic, all options",
     t_sink_options(["--as2", "--ext-msg", "--add-path-send"])),
    ("bgpwatchd: synthetic complete, SIGTERM sends Cease 2 + text",
     t_watchd_synthetic),
    ("bgpwatchd dials bgpfeed --listen", t_watchd_dials),
    ("bgpwatchd: --print replayed by --script gives the same routes",
     t_print_replay),
    ("script timing, real time", t_script_timing(None)),
    ("script timing, --pace 4", t_script_timing("4")),
    ("script errors are file:line", t_script_errors),
    ("bgpwatchd: MRT RIB peer equals bgpdump", t_mrt_rib),
    ("sink: MRT TABLE_DUMP RIB peer count", t_mrt_rib_td1),
    ("sink: MRT update file counts", t_mrt_updates),
    ("bgpwatchd: 2-octet AS session with ADD-PATH", t_as2_addpath),
    ("sink: --withdraw-on-exit", t_withdraw_on_exit),
    ("sink: TCP MD5", t_md5),
    ("BIRD receives the synthetic table", t_bird),
]


def main():
    n = failed = 0
    for name, fn in CASES:
        n += 1
        try:
            fn()
            print(f"ok {n} - {name}", flush=True)
        except Exception:
            failed += 1
            print(f"not ok {n} - {name}", flush=True)
            for ln in traceback.format_exc().splitlines():
                print("# " + ln, flush=True)
    print(f"1..{n}", flush=True)
    shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
