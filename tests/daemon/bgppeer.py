#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# A tiny scripted BGP speaker for the daemon tests (Python 3 standard
# library only): builds OPEN/UPDATE/KEEPALIVE/NOTIFICATION messages,
# opens a session to bgpwatchd, and can misbehave on purpose (garbage,
# half headers, stalls). Used as a module by tests/daemon/test_*.py, or
# from the command line:
#
#   bgppeer.py --connect 127.0.0.1:11179 --src 127.0.0.2 --as 65001 \
#       --id 10.0.0.2 [--update HEX]... [--stay SECONDS]

import argparse
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5
AS_TRANS = 23456
TCP_MD5SIG = 14
IP_MINTTL = 21


def msg(mtype, body=b""):
    """A whole message: RFC 4271 §4.1 header + body."""
    return MARKER + struct.pack("!HB", 19 + len(body), mtype) + body


def keepalive():
    return msg(KEEPALIVE)


def notification(code, subcode, data=b""):
    return msg(NOTIFICATION, bytes([code, subcode]) + data)


# Capabilities (RFC 5492), each as (code, value).
def cap_mp(afi, safi=1):
    return (1, struct.pack("!HBB", afi, 0, safi))


def cap_rr():
    return (2, b"")


def cap_enhanced_rr():
    return (70, b"")


def cap_as4(asn):
    return (65, struct.pack("!I", asn))


def cap_extmsg():
    return (6, b"")


def cap_gr(restart_time, families=((1, 1),), restarted=False, fbit=True,
           nbit=False):
    flags = (0x8000 if restarted else 0) | (0x4000 if nbit else 0)
    v = struct.pack("!H", flags | (restart_time & 0xfff))
    for afi, safi in families:
        v += struct.pack("!HBB", afi, safi, 0x80 if fbit else 0)
    return (64, v)


def cap_addpath(families=((1, 1, 2),)):
    return (69, b"".join(struct.pack("!HBB", a, s, f)
                         for a, s, f in families))


def cap_role(role):
    return (9, bytes([role]))


def open_msg(asn, bgp_id, hold=90, caps=None, version=4):
    """OPEN (RFC 4271 §4.2) with one Capabilities parameter."""
    if caps is None:
        caps = [cap_mp(1), cap_as4(asn), cap_rr()]
    capbytes = b"".join(bytes([c, len(v)]) + v for c, v in caps)
    params = bytes([2, len(capbytes)]) + capbytes if caps else b""
    my_as = asn if asn <= 0xffff else AS_TRANS
    body = struct.pack("!BHH4sB", version, my_as, hold,
                       socket.inet_aton(bgp_id), len(params)) + params
    return msg(OPEN, body)


# UPDATE pieces (RFC 4271 §4.3).
def prefix(p, path_id=None):
    """'10.0.0.0/24' -> NLRI octets (with an ADD-PATH id if given)."""
    addr, plen = p.split("/")
    plen = int(plen)
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    raw = socket.inet_pton(fam, addr)[:(plen + 7) // 8]
    pid = struct.pack("!I", path_id) if path_id is not None else b""
    return pid + bytes([plen]) + raw


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def attr_origin(o=0):
    return attr(0x40, 1, bytes([o]))


def attr_aspath(asns, four=True):
    if not asns:
        return attr(0x40, 2, b"")
    fmt = "!I" if four else "!H"
    seg = bytes([2, len(asns)]) + b"".join(struct.pack(fmt, a)
                                           for a in asns)
    return attr(0x40, 2, seg)


def attr_nexthop(nh):
    return attr(0x40, 3, socket.inet_aton(nh))


def attr_mp_reach_v6(nh, prefixes):
    v = struct.pack("!HBB", 2, 1, 16) + socket.inet_pton(
        socket.AF_INET6, nh) + b"\x00" + b"".join(prefix(p)
                                                   for p in prefixes)
    return attr(0x80, 14, v)


def update(withdrawn=(), attrs=b"", nlri=()):
    """An UPDATE; withdrawn/nlri are lists of prefix() octets or strings."""
    def enc(lst):
        return b"".join(p if isinstance(p, bytes) else prefix(p)
                        for p in lst)
    w, n = enc(withdrawn), enc(nlri)
    return msg(UPDATE, struct.pack("!H", len(w)) + w +
               struct.pack("!H", len(attrs)) + attrs + n)


def announce(prefixes, asns, nh, addpath_ids=None):
    """A plain IPv4 announcement of prefixes with path asns via nh."""
    attrs = attr_origin() + attr_aspath(asns) + attr_nexthop(nh)
    if addpath_ids is not None:
        nl = [prefix(p, i) for p, i in zip(prefixes, addpath_ids)]
    else:
        nl = list(prefixes)
    return update(attrs=attrs, nlri=nl)


def eor_v4():
    return update()


class Closed(Exception):
    """The daemon closed the connection."""


class Peer:
    """One TCP connection to bgpwatchd, speaking (or abusing) BGP."""

    def __init__(self, host, port, src=None, timeout=10.0, md5=None,
                 ttl=None):
        self.sock = socket.socket(socket.AF_INET6 if ":" in host
                                  else socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if md5 is not None:
            set_md5(self.sock, host, md5)
        if ttl is not None:
            self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
        if src is not None:
            self.sock.bind((src, 0))
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.buf = b""
        self.their_open = None

    @classmethod
    def from_socket(cls, sock, timeout=10.0):
        self = cls.__new__(cls)
        self.sock = sock
        self.sock.settimeout(timeout)
        self.buf = b""
        self.their_open = None
        return self

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, n, deadline):
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no complete message in time")
            self.sock.settimeout(left)
            try:
                d = self.sock.recv(65536)
            except ConnectionResetError:
                d = b""
            if not d:
                raise Closed(f"closed with {len(self.buf)} octets pending")
            self.buf += d

    def recv(self, timeout=10.0):
        """Next message as (type, body); raises Closed or TimeoutError."""
        deadline = time.monotonic() + timeout
        self._fill(19, deadline)
        length, mtype = struct.unpack("!HB", self.buf[16:19])
        self._fill(length, deadline)
        body = self.buf[19:length]
        self.buf = self.buf[length:]
        return mtype, body

    def recv_type(self, want, timeout=10.0, skip=(KEEPALIVE,)):
        """The next message of type want, skipping those in skip."""
        deadline = time.monotonic() + timeout
        while True:
            mtype, body = self.recv(max(0.01, deadline - time.monotonic()))
            if mtype == want:
                return body
            if mtype not in skip:
                raise AssertionError(f"expected type {want}, got {mtype} "
                                     f"{body.hex()}")

    def expect_notification(self, timeout=10.0):
        """(code, subcode, data) of the NOTIFICATION the daemon sends."""
        body = self.recv_type(NOTIFICATION, timeout,
                              skip=(KEEPALIVE, UPDATE))
        return body[0], body[1], body[2:]

    def wait_closed(self, timeout=10.0):
        """
        True once the daemon closed the connection (data discarded); our
        side is closed then too.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                d = self.sock.recv(65536)
            except socket.timeout:
                return False
            except ConnectionResetError:
                d = b""
            if not d:
                self.close()
                return True
        return False

    def establish(self, asn, bgp_id, hold=90, caps=None, timeout=10.0,
                  sync=True):
        """
        OPEN, KEEPALIVE both ways; returns the daemon's OPEN body. With
        sync, also wait for the daemon's first End-of-RIB, which it sends
        once it is Established itself.
        """
        self.send(open_msg(asn, bgp_id, hold, caps))
        self.their_open = self.recv_type(OPEN, timeout, skip=())
        self.send(keepalive())
        self.recv_type(KEEPALIVE, timeout, skip=())
        if sync:
            self.recv_type(UPDATE, timeout)
        return self.their_open

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def reset(self):
        """Close with a TCP RST (SO_LINGER 0)."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        self.close()


def set_md5(sock, peer_addr, key):
    """Linux TCP_MD5SIG (RFC 2385) for peer_addr on sock."""
    if ":" in peer_addr:
        sa = struct.pack("=HHI16sI", socket.AF_INET6, 0, 0,
                         socket.inet_pton(socket.AF_INET6, peer_addr), 0)
    else:
        sa = struct.pack("=HH4s", socket.AF_INET, 0,
                         socket.inet_aton(peer_addr))
    sa += b"\0" * (128 - len(sa))
    k = key.encode()
    sock.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG,
                    sa + struct.pack("=BBHI", 0, 0, len(k), 0) + k +
                    b"\0" * (80 - len(k)))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--connect", required=True, help="HOST:PORT")
    ap.add_argument("--src", help="source address")
    ap.add_argument("--as", dest="asn", type=int, default=65001)
    ap.add_argument("--id", default="10.0.0.2", help="BGP identifier")
    ap.add_argument("--hold", type=int, default=90)
    ap.add_argument("--md5")
    ap.add_argument("--update", action="append", default=[],
                    help="hex of a whole message to send once established")
    ap.add_argument("--garbage", action="store_true",
                    help="send 19 octets of garbage once established")
    ap.add_argument("--stay", type=float, default=0,
                    help="seconds to stay, answering keepalives")
    a = ap.parse_args()
    host, port = a.connect.rsplit(":", 1)
    p = Peer(host.strip("[]"), int(port), a.src, md5=a.md5)
    p.establish(a.asn, a.id, a.hold)
    print("established", flush=True)
    for h in a.update:
        p.send(bytes.fromhex(h))
    if a.garbage:
        p.send(b"\x00" * 19)
    deadline = time.monotonic() + a.stay
    try:
        while time.monotonic() < deadline:
            try:
                t, body = p.recv(max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
            print(f"received type {t} {body.hex()}", flush=True)
            if t == KEEPALIVE:
                p.send(keepalive())
    except Closed as e:
        print(f"closed: {e}", flush=True)
    p.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
