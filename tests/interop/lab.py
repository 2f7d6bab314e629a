# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Process and network plumbing for the interop tests and the ingest
# benchmark: daemons started in their own session (optionally inside a
# network namespace) and stopped by their PID only, a registry that stops
# whatever is still running when the program ends (also on SIGTERM from a
# meson timeout), polling with deadlines, and lab namespaces joined by a
# bridge. Python 3 standard library only; needs root for namespaces,
# port 179 and TCP MD5.
#
# Public: Proc, Fail, Abort, wait_until(), workdir(), cleanup_all(),
#         at_cleanup(), exclusive(), install_signal_handlers(), netns_up(),
#         netns_down(), in_netns(), link_local().

import atexit
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time

_RUNNING = []  # every Proc started and not yet stopped
_DIRS = []  # temporary directories to remove at exit
_AFTER = []  # callables run by cleanup_all() once the daemons are gone


class Fail(Exception):
    """A test assertion failed (the message says what and why)."""


class Abort(Fail):
    """A failure no waiting can mend (a daemon died): wait_until() stops."""


def _session_members(sid):
    """PIDs whose session id is sid (a daemon and the children it forked)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
            fields = st.rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] not in "ZX":
                out.append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    return out


class Proc:
    """
    One daemon we started: argv runs in a new session (setsid), inside the
    network namespace netns when given, with stdout and stderr appended to
    log. `ip netns exec` execs the program, so pid is the daemon itself.
    Children it forks (OpenBGPD's engines, ExaBGP's API helper) stay in its
    session; stop() also ends those still alive, by PID.
    """

    def __init__(self, name, argv, log, netns=None, env=None, cwd=None):
        self.name = name
        self.log = log
        if netns:
            argv = ["ip", "netns", "exec", netns] + list(argv)
        e = dict(os.environ)
        e.update(env or {})
        with open(log, "ab") as lf:
            self.popen = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=lf,
                stderr=subprocess.STDOUT, env=e, cwd=cwd,
                start_new_session=True)
        self.pid = self.popen.pid
        _RUNNING.append(self)

    def alive(self):
        return self.popen.poll() is None

    def send_signal(self, sig):
        if self.alive():
            os.kill(self.pid, sig)

    def _reap_session(self):
        for pid in _session_members(self.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def stop(self, timeout=10.0, sig=signal.SIGTERM):
        """Send sig, wait up to timeout, then SIGKILL; returns the status."""
        if self.alive():
            self.send_signal(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.send_signal(signal.SIGKILL)
                self.popen.wait(5)
        # Children get a moment to notice their parent is gone.
        deadline = time.monotonic() + 3
        while _session_members(self.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        self._reap_session()
        if self in _RUNNING:
            _RUNNING.remove(self)
        return self.popen.returncode

    def kill9(self):
        """SIGKILL the daemon and every process of its session at once."""
        members = [p for p in _session_members(self.pid) if p != self.pid]
        self.send_signal(signal.SIGKILL)
        self.popen.wait(10)
        for pid in members:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self in _RUNNING:
            _RUNNING.remove(self)

    def tail(self, n=30):
        try:
            with open(self.log, errors="replace") as f:
                return f.readlines()[-n:]
        except OSError:
            return []


def wait_until(what, fn, timeout, interval=0.3):
    """
    Call fn until it returns a true value and return that value; raise Fail
    naming what after timeout seconds. fn may raise Fail to mean "not yet"
    (its last message is added to the failure), or Abort to end at once.
    """
    deadline = time.monotonic() + timeout
    last = ""
    while True:
        try:
            v = fn()
            if v:
                return v
        except Abort:
            raise
        except Fail as e:
            last = str(e)
        if time.monotonic() >= deadline:
            raise Fail(f"timeout ({timeout:.0f} s) waiting for {what}"
                       + (f": {last}" if last else ""))
        time.sleep(interval)


def exclusive(path, timeout):
    """
    An exclusive lock on the file path (flock), waited for up to timeout
    seconds; returns the open file, whose close() releases it.
    """
    f = open(path, "a")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return f
        except BlockingIOError:
            if time.monotonic() >= deadline:
                f.close()
                raise Fail(f"{path} still locked after {timeout} s "
                           f"(another interop run?)")
            time.sleep(0.2)


def workdir(tag):
    """A new private temporary directory, removed at exit unless kept."""
    d = tempfile.mkdtemp(prefix=f"bgpwatch-{tag}-")
    os.chmod(d, 0o755)  # daemons that drop privileges read their configs
    _DIRS.append(d)
    return d


def at_cleanup(fn):
    """Have cleanup_all() call fn() after stopping the daemons."""
    _AFTER.append(fn)


def cleanup_all(keep=False):
    """
    Stop every daemon still running (newest first), run the at_cleanup()
    functions, remove the work dirs.
    """
    for p in reversed(list(_RUNNING)):
        try:
            p.stop(timeout=5)
        except Exception as e:  # keep cleaning up the others
            print(f"# cleanup: {p.name} pid {p.pid}: {e}", flush=True)
    while _AFTER:
        try:
            _AFTER.pop()()
        except Exception as e:
            print(f"# cleanup: {e}", flush=True)
    if keep or os.environ.get("BGPWATCH_INTEROP_KEEP"):
        for d in _DIRS:
            print(f"# kept {d}", flush=True)
        return
    for d in _DIRS:
        shutil.rmtree(d, ignore_errors=True)
    _DIRS.clear()


def _on_signal(signum, frame):
    raise SystemExit(f"interrupted by signal {signum}")


def install_signal_handlers():
    """Turn SIGTERM/SIGINT/SIGHUP into SystemExit so cleanup runs."""
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, _on_signal)
    atexit.register(cleanup_all)


# ------------------------------------------------------------ namespaces


def _ip(*args, check=True):
    r = subprocess.run(["ip"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        raise Fail(f"ip {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


def _netns_list():
    return [ln.split()[0] for ln in _ip("netns", "list").splitlines()
            if ln.strip()]


def netns_up(prefix, nodes):
    """
    Namespaces <prefix>-<node> for nodes {name: id}, each with eth0 =
    198.18.0.<id>/24 and fdbb:1ab::<id>/64 on one bridge that lives in
    <prefix>-br. Nothing is added to the root namespace. Returns
    {name: (ipv4, ipv6)}.
    """
    have = _netns_list()
    br = f"{prefix}-br"
    if br not in have:
        _ip("netns", "add", br)
        _ip("-n", br, "link", "set", "lo", "up")
        _ip("-n", br, "link", "add", "br0", "type", "bridge")
        _ip("-n", br, "link", "set", "br0", "up")
    out = {}
    for name, nid in nodes.items():
        ns = f"{prefix}-{name}"
        v4, v6 = f"198.18.0.{nid}", f"fdbb:1ab::{nid:x}"
        out[name] = (v4, v6)
        if ns in have:
            continue
        _ip("netns", "add", ns)
        _ip("-n", ns, "link", "set", "lo", "up")
        _ip("link", "add", f"bwv{nid}", "netns", ns, "type", "veth", "peer",
            "name", f"bwb{nid}", "netns", br)
        _ip("-n", ns, "link", "set", f"bwv{nid}", "name", "eth0")
        _ip("-n", br, "link", "set", f"bwb{nid}", "master", "br0", "up")
        subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                        "net.ipv6.conf.eth0.accept_dad=0"], check=False)
        _ip("-n", ns, "addr", "add", f"{v4}/24", "dev", "eth0")
        _ip("-n", ns, "addr", "add", f"{v6}/64", "dev", "eth0", "nodad")
        _ip("-n", ns, "link", "set", "eth0", "up")
    return out


def netns_down(prefix):
    """Delete every namespace named <prefix>-*."""
    for ns in _netns_list():
        if ns.startswith(prefix + "-"):
            _ip("netns", "del", ns, check=False)


def in_netns(netns, argv):
    """argv run inside netns (unchanged when netns is None)."""
    return (["ip", "netns", "exec", netns] if netns else []) + list(argv)


def link_local(netns, dev="eth0"):
    """The IPv6 link-local address of dev in netns (waits for it)."""
    def get():
        out = _ip("-n", netns, "-6", "-o", "addr", "show", "dev", dev,
                  "scope", "link")
        for ln in out.splitlines():
            return ln.split()[3].split("/")[0]
        return None
    return wait_until(f"a link-local address on {netns} {dev}", get, 10)
