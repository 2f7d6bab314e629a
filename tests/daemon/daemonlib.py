# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Harness for the daemon tests: run one bgpwatchd in the foreground with a
# generated configuration in a temporary directory, follow its log, and
# report TAP. Every test uses its own 127.N.0.0/24 (N from the test) so
# tests can run in parallel; only processes started here are signalled,
# by PID. Python 3 standard library only.

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

PORT = 11179
SANITIZER = re.compile(r"runtime error:|AddressSanitizer|LeakSanitizer")


def net(n):
    """Addresses of test n: (daemon, [peer addresses])."""
    return f"127.{n}.0.1", [f"127.{n}.0.{i}" for i in range(2, 10)]


class Daemon:
    """One bgpwatchd -d process and its log."""

    def __init__(self, exe, conf, env=None, wait=True):
        self.exe = exe
        self.dir = tempfile.mkdtemp(prefix="bgpwatch-test-")
        self.conf = os.path.join(self.dir, "bgpwatch.conf")
        self.lines = []
        self.cond = threading.Condition()
        self.write_conf(conf)
        e = dict(os.environ)
        e.update(env or {})
        self.proc = subprocess.Popen([exe, "-d", "-f", self.conf],
                                     stderr=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, env=e)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        if wait:
            self.wait_log(r"bgpwatchd \S+ started")

    def write_conf(self, text):
        """Write the configuration; "@DIR@" stands for the temp dir."""
        with open(self.conf, "w") as f:
            f.write(text.replace("@DIR@", self.dir))

    def _read(self):
        for raw in self.proc.stderr:
            line = raw.decode(errors="replace").rstrip("\n")
            if os.environ.get("BGPWATCH_TEST_VERBOSE"):
                print("# log: " + line, flush=True)
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_log(self, pattern, timeout=10.0, start=0):
        """The first log line from index start matching pattern."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            i = start
            while True:
                while i < len(self.lines):
                    m = rx.search(self.lines[i])
                    if m:
                        return m
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and
                                 not self.reader.is_alive()):
                    raise AssertionError(
                        f"no log line matching {pattern!r}; log:\n" +
                        "\n".join(self.lines[-40:]))
                self.cond.wait(left)

    def mark(self):
        """Index for wait_log(start=...): only lines after this point."""
        with self.cond:
            return len(self.lines)

    def count(self, pattern):
        rx = re.compile(pattern)
        with self.cond:
            return sum(1 for ln in self.lines if rx.search(ln))

    def alive(self):
        return self.proc.poll() is None

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for ln in f:
                if ln.startswith("VmRSS:"):
                    return int(ln.split()[1])
        return 0

    def signal(self, sig):
        if self.alive():
            os.kill(self.proc.pid, sig)

    def reload(self, conf=None):
        if conf is not None:
            self.write_conf(conf)
        mark = self.mark()
        self.signal(signal.SIGHUP)
        return mark

    def stop(self, timeout=10.0):
        """SIGTERM and wait; returns the exit status (SIGKILL on hang)."""
        self.signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise AssertionError("bgpwatchd did not stop on SIGTERM")
        self.reader.join(5)
        bad = [ln for ln in self.lines if SANITIZER.search(ln)]
        if bad:
            raise AssertionError("sanitizer report:\n" + "\n".join(
                self.lines[self.lines.index(bad[0]):][:60]))
        return rc

    def cleanup(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()
        for f in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, f))
        os.rmdir(self.dir)


def conf(n, neighbors, extra=""):
    """A configuration for test n: local AS 65000 on 127.n.0.1."""
    me, _ = net(n)
    return (f"local-as 65000\nrouter-id {me}\n"
            f"listen on {me} port {PORT}\n"
            f'control "@DIR@/bgpwatch.sock"\n'
            f"log updates\n{extra}\n" + neighbors)


def neighbor(addr, remote_as=65001, body=""):
    return f"neighbor {addr} {{\n  remote-as {remote_as}\n{body}}}\n"


class Tap:
    """Minimal TAP producer: run(name, fn) for each case, then done()."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def run(self, name, fn, *args):
        self.n += 1
        try:
            fn(*args)
            print(f"ok {self.n} - {name}", flush=True)
        except Exception:  # report and go on with the next case
            self.failed += 1
            print(f"not ok {self.n} - {name}", flush=True)
            for ln in traceback.format_exc().splitlines():
                print("# " + ln, flush=True)

    def done(self):
        print(f"1..{self.n}", flush=True)
        return 1 if self.failed else 0


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def main(cases):
    """Run cases [(name, fn)] where fn(exe) gets the bgpwatchd path."""
    exe = sys.argv[1]
    tap = Tap()
    for name, fn in cases:
        tap.run(name, fn, exe)
    sys.exit(tap.done())
