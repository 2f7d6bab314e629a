# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Test helpers for the control socket tests: a scripted BGP speaker that
# connects to bgpwatchd from a loopback address, negotiates IPv4/IPv6
# unicast, 4-octet AS, route refresh, extended messages and ADD-PATH, sends
# UPDATEs (RFC 4271 §4.3, RFC 4760, RFC 7911, RFC 1997, RFC 8092; the
# basic builders come from tests/daemon/bgppeer.py), keeps the session up
# with KEEPALIVEs from a thread and records every message bgpwatchd
# sends; plus a raw control socket client and a daemon runner. Python 3
# standard library only.

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

# The wire builders of the daemon tests' speaker (tests/daemon/bgppeer.py)
# are reused; this file adds what the control tests need on top.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "daemon"))
from bgppeer import (KEEPALIVE, NOTIFICATION, OPEN,  # noqa: E402,F401
                     ROUTE_REFRESH, UPDATE, attr, cap_addpath, cap_as4,
                     cap_extmsg, cap_mp, cap_rr, msg, prefix)
from bgppeer import open_msg as _open_msg  # noqa: E402

AFI_IPV4, AFI_IPV6, SAFI_UNICAST = 1, 2, 1


def open_msg(asn, bgp_id, hold, addpath=False, ext_msg=True, rr=True):
    """OPEN with MP IPv4/IPv6 unicast, AS4 and the optional extras."""
    caps = [cap_mp(AFI_IPV4), cap_mp(AFI_IPV6), cap_as4(asn)]
    if rr:
        caps.append(cap_rr())
    if ext_msg:
        caps.append(cap_extmsg())
    if addpath:  # RFC 7911 §4: send (2) for both families
        caps.append(cap_addpath(((AFI_IPV4, SAFI_UNICAST, 2),
                                 (AFI_IPV6, SAFI_UNICAST, 2))))
    return _open_msg(asn, bgp_id, hold, caps)


def nlri(pfx, path_id=None):
    """<length, prefix> with an optional RFC 7911 path identifier."""
    return prefix(pfx, path_id)


def as_path(asns, as_set=None):
    """AS_PATH of one AS_SEQUENCE (and an optional trailing AS_SET)."""
    v = b""
    if asns:
        v += struct.pack("!BB", 2, len(asns)) + b"".join(
            struct.pack("!I", a) for a in asns)
    if as_set:
        v += struct.pack("!BB", 1, len(as_set)) + b"".join(
            struct.pack("!I", a) for a in as_set)
    return attr(0x40, 2, v)


def path_attrs(path, next_hop=None, origin=0, communities=(),
               large=(), as_set=None):
    """ORIGIN, AS_PATH, NEXT_HOP (IPv4), COMMUNITIES, LARGE_COMMUNITIES."""
    a = attr(0x40, 1, bytes([origin])) + as_path(path, as_set)
    if next_hop is not None:
        a += attr(0x40, 3, socket.inet_aton(next_hop))
    if communities:
        a += attr(0xC0, 8, b"".join(struct.pack("!HH", x, y)
                                     for x, y in communities))
    if large:
        a += attr(0xC0, 32, b"".join(struct.pack("!III", *t)
                                      for t in large))
    return a


def update_v4(prefixes, path, next_hop, withdrawn=(), path_ids=None,
              **kw):
    """An IPv4 UPDATE; path_ids parallel to prefixes with ADD-PATH."""
    wd = b"".join(nlri(p, i) for p, i in withdrawn)
    ids = path_ids or [None] * len(prefixes)
    nl = b"".join(nlri(p, i) for p, i in zip(prefixes, ids))
    pa = path_attrs(path, next_hop, **kw) if prefixes else b""
    return msg(UPDATE, struct.pack("!H", len(wd)) + wd +
               struct.pack("!H", len(pa)) + pa + nl)


def update_v6(prefixes, path, next_hop, path_ids=None, **kw):
    """An IPv6 UPDATE: MP_REACH_NLRI (RFC 4760 §3)."""
    ids = path_ids or [None] * len(prefixes)
    nl = b"".join(nlri(p, i) for p, i in zip(prefixes, ids))
    nh = socket.inet_pton(socket.AF_INET6, next_hop)
    reach = struct.pack("!HBB", AFI_IPV6, SAFI_UNICAST, len(nh)) + nh + \
        b"\x00" + nl
    pa = attr(0x80, 14, reach) + path_attrs(path, None, **kw)
    return msg(UPDATE, struct.pack("!H", 0) + struct.pack("!H", len(pa)) +
               pa)


def withdraw_v6(prefixes, path_ids=None):
    """An IPv6 withdrawal: MP_UNREACH_NLRI (RFC 4760 §4)."""
    ids = path_ids or [None] * len(prefixes)
    wd = struct.pack("!HB", AFI_IPV6, SAFI_UNICAST) + b"".join(
        nlri(p, i) for p, i in zip(prefixes, ids))
    pa = attr(0x80, 15, wd)
    return msg(UPDATE, struct.pack("!H", 0) + struct.pack("!H", len(pa)) +
               pa)


def withdraw_v4(prefixes, path_ids=None):
    ids = path_ids or [None] * len(prefixes)
    return update_v4([], [], None, withdrawn=list(zip(prefixes, ids)))


class Peer:
    """One BGP session to bgpwatchd, from source address src."""

    def __init__(self, src, dst, port, asn, hold=90, addpath=False,
                 ext_msg=True, rr=True):
        self.src, self.dst, self.port, self.asn = src, dst, port, asn
        self.hold, self.addpath, self.ext_msg, self.rr = \
            hold, addpath, ext_msg, rr
        self.received = []  # (monotonic time, type, body)
        self.cond = threading.Condition()
        self.closed = False
        self.sock = None
        self.wlock = threading.Lock()

    def connect(self, timeout=10):
        """Connect, exchange OPENs and KEEPALIVEs; Established after."""
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((self.src, 0))
            try:
                s.connect((self.dst, self.port))
                break
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.sock = s
        self.closed = False
        self.send(open_msg(self.asn, self.src, self.hold, self.addpath,
                           self.ext_msg, self.rr))
        threading.Thread(target=self._reader, daemon=True).start()
        self.wait_for(OPEN, timeout)
        self.send(msg(KEEPALIVE))
        self.wait_for(KEEPALIVE, timeout)
        threading.Thread(target=self._keepalive, daemon=True).start()

    def send(self, data):
        with self.wlock:
            self.sock.sendall(data)

    def _reader(self):
        buf = b""
        sock = self.sock
        while True:
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            buf += data
            while len(buf) >= 19:
                ln = struct.unpack("!H", buf[16:18])[0]
                if len(buf) < ln:
                    break
                with self.cond:
                    self.received.append((time.monotonic(), buf[18],
                                          buf[19:ln]))
                    self.cond.notify_all()
                buf = buf[ln:]
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def _keepalive(self):
        sock = self.sock
        interval = max(self.hold / 3.0, 0.5) if self.hold else 30
        while not self.closed and sock is self.sock:
            time.sleep(interval)
            try:
                self.send(msg(KEEPALIVE))
            except OSError:
                return

    def wait_for(self, mtype, timeout=10, after=0):
        """The first message of mtype received after index after."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i, m in enumerate(self.received[after:], after):
                    if m[1] == mtype:
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    raise TimeoutError(f"no message of type {mtype}")
                self.cond.wait(left)

    def wait_closed(self, timeout=10):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not self.closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("session not closed")
                self.cond.wait(left)

    def close(self):
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()


def control_request(path, data, timeout=30, shut=True):
    """Send raw bytes to the control socket; every answer line back."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    s.sendall(data)
    if shut:
        s.shutdown(socket.SHUT_WR)
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
    return [json.loads(x) for x in out.decode().splitlines()], out


def write_config(path, text):
    with open(path, "w") as f:
        f.write(text)


class Daemon:
    """bgpwatchd -d -f conf, with its stderr collected in a file."""

    def __init__(self, exe, conf, logpath, env=None):
        self.exe, self.conf, self.logpath = exe, conf, logpath
        self.env = env
        self.proc = None

    def start(self):
        self.log = open(self.logpath, "ab")
        self.proc = subprocess.Popen([self.exe, "-d", "-v", "-f",
                                      self.conf], stdout=self.log,
                                     stderr=subprocess.STDOUT,
                                     env=self.env)
        return self.proc

    def wait_socket(self, path, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("bgpwatchd exited: " + self.logtext())
            if os.path.exists(path):
                try:
                    control_request(path, b'{"command":"show summary"}\n',
                                    timeout=5)
                    return
                except OSError:
                    pass
            time.sleep(0.1)
        raise TimeoutError("control socket did not appear")

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, timeout=15):
        """SIGTERM and wait; the exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return -9

    def logtext(self):
        self.log.flush()
        with open(self.logpath, "rb") as f:
            return f.read().decode(errors="replace")
