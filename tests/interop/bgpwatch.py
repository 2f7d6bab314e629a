# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# bgpwatchd under test: a generated bgpwatch.conf in a private directory,
# the daemon in the foreground (-d) with its log in a file, and its state
# read back through `bgpwatchctl -j show ...` on its own control socket.
#
# Public: Bgpwatchd, neighbor_block().

import json
import os
import re
import signal
import subprocess

import lab

SANITIZER = re.compile(r"runtime error:|AddressSanitizer|LeakSanitizer")


def neighbor_block(addr, remote_as, **opts):
    """
    A neighbor block: opts md5="key", addpath=True, gr_time=N,
    extmsg=False, hold=N.
    """
    body = [f"remote-as {remote_as}"]
    if opts.get("md5"):
        body.append(f'md5 "{opts["md5"]}"')
    if opts.get("addpath"):
        body.append("add-path receive")
    if "gr_time" in opts:
        body.append(f"graceful-restart yes restart-time {opts['gr_time']}")
    if opts.get("extmsg") is False:
        body.append("extended-message no")
    if "hold" in opts:
        body.append(f"hold-time {opts['hold']}")
    return f"neighbor {addr} {{\n  " + "\n  ".join(body) + "\n}\n"


class Bgpwatchd:
    """
    bgpwatchd -d on addr:port with local AS local_as and the given neighbor
    blocks; control socket in work. netns: run it in that namespace.
    """

    def __init__(self, exe, ctl, work, addr, port, neighbors, local_as=65000,
                 router_id=None, netns=None, extra=""):
        self.exe, self.ctl_exe, self.work = exe, ctl, work
        self.sock = os.path.join(work, "bgpwatch.sock")
        self.conf = os.path.join(work, "bgpwatch.conf")
        self.logfile = os.path.join(work, "bgpwatchd.log")
        self.netns = netns
        rid = router_id or (addr if ":" not in addr else "192.0.2.1")
        with open(self.conf, "w") as f:
            f.write(f"local-as {local_as}\nrouter-id {rid}\n"
                    f"listen on {addr} port {port}\n"
                    f'control "{self.sock}"\n{extra}\n' +
                    "".join(neighbors))
        self.proc = lab.Proc("bgpwatchd", [exe, "-d", "-f", self.conf],
                             self.logfile, netns=netns)
        lab.wait_until("bgpwatchd to start",
                       lambda: self.log_has(r"bgpwatchd \S+ started"), 15)

    # ---- the log
    def log(self):
        with open(self.logfile, errors="replace") as f:
            return f.read()

    def log_has(self, pattern):
        if not self.proc.alive():
            raise lab.Abort("bgpwatchd exited: " +
                            "".join(self.proc.tail(10)))
        return re.search(pattern, self.log()) is not None

    def log_count(self, pattern):
        return len(re.findall(pattern, self.log()))

    # ---- the control socket
    def ctl(self, *args, timeout=120):
        """bgpwatchctl -s SOCK args...; stdout, or lab.Fail with stderr."""
        argv = lab.in_netns(self.netns, [self.ctl_exe, "-s", self.sock] +
                            list(args))
        try:
            r = subprocess.run(argv, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise lab.Fail(f"bgpwatchctl {' '.join(args)}: no answer in "
                           f"{timeout} s")
        if r.returncode != 0:
            raise lab.Fail(f"bgpwatchctl {' '.join(args)}: exit "
                           f"{r.returncode}: "
                           f"{r.stderr.decode(errors='replace').strip()}")
        return r.stdout.decode()

    def ctl_json(self, *args):
        """The JSON lines of bgpwatchctl -j args, parsed."""
        out = []
        for ln in self.ctl("-j", *args).splitlines():
            if ln.strip():
                try:
                    out.append(json.loads(ln))
                except ValueError:
                    raise lab.Fail(f"bgpwatchctl -j {' '.join(args)}: "
                                   f"not JSON: {ln[:200]!r}")
        return out

    def rib(self, neighbor=None):
        args = ["show", "rib"] + (["neighbor", neighbor] if neighbor else [])
        return self.ctl_json(*args)

    def neighbor(self, addr):
        lines = self.ctl_json("show", "neighbor", addr)
        if len(lines) != 1 or lines[0].get("address") != addr:
            raise lab.Fail(f"show neighbor {addr}: {lines}")
        return lines[0]

    def summary(self):
        lines = self.ctl_json("show", "summary")
        if len(lines) != 1 or "neighbors" not in lines[0]:
            raise lab.Fail(f"show summary: {lines}")
        return lines[0]

    def state(self, addr):
        return self.neighbor(addr)["state"]

    # ---- the end
    def stop(self):
        """SIGTERM; fail on a bad exit status or a sanitizer report."""
        rc = self.proc.stop(timeout=10, sig=signal.SIGTERM)
        bad = SANITIZER.search(self.log())
        if bad:
            raise lab.Fail("sanitizer report in the bgpwatchd log:\n" +
                           self.log()[bad.start():][:3000])
        if rc != 0:
            raise lab.Fail(f"bgpwatchd exited with status {rc}")
