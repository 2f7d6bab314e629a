# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# What the MRT dump tests share (TAP for meson): a scratch directory with
# the daemon's control socket, TAP lines, bgpwatchctl calls, processes
# started here and only those signalled (by PID) at the end, the
# daemon's log checked for sanitizer reports, the RIB's routes as a
# comparable set, and bgpdump -m's reading of a file. Python 3 standard
# library only.

import json
import os
import shutil
import signal
import subprocess
import tempfile


def bgpdump(path):
    """bgpdump -m of path: (status, warnings, lines). Its note that it
    logs to syslog, on every run, is no warning."""
    bd = subprocess.run(["bgpdump", "-m", path], capture_output=True,
                        text=True, timeout=120)
    warn = [x for x in bd.stderr.splitlines() if "logging to" not in x]
    return bd.returncode, warn, bd.stdout.splitlines()


class Run:
    def __init__(self, ctl, prefix):
        self.ctl_exe = ctl
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.sock = os.path.join(self.tmp, "sock")
        self.procs = []
        self.ntest = 0
        self.failed = 0

    def ok(self, cond, what):
        self.ntest += 1
        if not cond:
            self.failed += 1
        print(("ok" if cond else "not ok") + f" {self.ntest} - {what}",
              flush=True)

    def ctl(self, *args):
        r = subprocess.run([self.ctl_exe, "-s", self.sock] + list(args),
                           capture_output=True, text=True, timeout=120)
        return r.returncode, r.stdout, r.stderr

    def start(self, cmd, log):
        """Start cmd, its standard error into log in the directory."""
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(self.tmp, log), "w"))
        self.procs.append(p)
        return p

    def routes_rib(self):
        """(neighbor, prefix, path id, attributes) of `show rib`."""
        rc, out, _ = self.ctl("-j", "show", "rib")
        return {(x["neighbor"], x["prefix"], x["path_id"],
                 json.dumps(x["attributes"], sort_keys=True))
                for x in map(json.loads, out.splitlines()) if "prefix" in x}

    def finish(self, daemon_log):
        """Stop what was started, check the log, print the plan; status."""
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        with open(os.path.join(self.tmp, daemon_log)) as f:
            log = f.read()
        self.ok("AddressSanitizer" not in log and
                "runtime error:" not in log and
                "LeakSanitizer" not in log, "no sanitizer report")
        print(f"1..{self.ntest}", flush=True)
        if self.failed:
            print(f"# files kept in {self.tmp}", flush=True)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return 1 if self.failed else 0
