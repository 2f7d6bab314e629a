#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# A normal session against bgpwatchd: OPEN exchange and what the daemon
# announces, keepalives with a short hold time, End-of-RIB from the daemon,
# UPDATEs stored and withdrawn (IPv4 and IPv6 via MP_REACH), a session
# flap that withdraws everything, ADD-PATH, extended messages, and a clean
# stop.
#
# usage: test_session.py PATH/TO/bgpwatchd

import signal
import struct
import time

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(61)


def parse_open(body):
    """(version, my_as, hold, bgp_id, {capability code: [values]})."""
    ver, my_as, hold = struct.unpack("!BHH", body[:5])
    bgp_id = ".".join(str(b) for b in body[5:9])
    caps, params, i = {}, body[10:10 + body[9]], 0
    while i < len(params):
        ptype, plen = params[i], params[i + 1]
        val, i = params[i + 2:i + 2 + plen], i + 2 + plen
        j = 0
        while ptype == 2 and j < len(val):
            code, clen = val[j], val[j + 1]
            caps.setdefault(code, []).append(val[j + 2:j + 2 + clen])
            j += 2 + clen
    return ver, my_as, hold, bgp_id, caps


def start(exe):
    return Daemon(exe, conf(61, neighbor(PEERS[0]) +
                            neighbor(PEERS[1], 65002) +
                            neighbor(PEERS[2], 65003,
                                     "  add-path receive\n")))


def t_open_exchange(exe):
    d = start(exe)
    try:
        p = bp.Peer(ME, PORT, PEERS[0])
        p.send(bp.open_msg(65001, "10.0.0.2", 90,
                           [bp.cap_mp(1), bp.cap_mp(2), bp.cap_as4(65001),
                            bp.cap_rr(), bp.cap_gr(120, ((1, 1), (2, 1)))]))
        ver, my_as, hold, bgp_id, caps = parse_open(
            p.recv_type(bp.OPEN, skip=()))
        check(ver == 4 and my_as == 65000 and hold == 90, (ver, my_as, hold))
        check(bgp_id == ME, bgp_id)
        check(caps[65] == [struct.pack("!I", 65000)], caps.get(65))
        check(set(caps[1]) == {b"\x00\x01\x00\x01", b"\x00\x02\x00\x01"},
              caps[1])
        check(2 in caps and 70 in caps and 64 in caps, sorted(caps))
        p.send(bp.keepalive())
        check(p.recv(5)[0] == bp.KEEPALIVE, "no KEEPALIVE in OpenConfirm")
        d.wait_log(rf"neighbor {PEERS[0]}: OpenConfirm -> Established")
        # RFC 4724 §4: End-of-RIB for both families, nothing else.
        eors = {p.recv_type(bp.UPDATE).hex(), p.recv_type(bp.UPDATE).hex()}
        check(eors == {"00000000", "00000006800f03000201"}, eors)
        d.wait_log(r"families: ipv4 unicast, ipv6 unicast; as4 yes.*"
                   r"graceful-restart yes \(restart time 120 s\)")
        p.close()
        d.wait_log(rf"{PEERS[0]}: Established -> Active: connection closed")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_keepalives(exe):
    d = start(exe)
    try:
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2", hold=3)
        # Hold 3 s: a KEEPALIVE every 1 s (hold/3, jittered 0.75..1).
        n, deadline = 0, time.monotonic() + 3.5
        while time.monotonic() < deadline:
            try:
                t, _ = p.recv(max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
            if t == bp.KEEPALIVE:
                n += 1
                p.send(bp.keepalive())
        check(n >= 3, f"only {n} KEEPALIVEs in 3.5 s")
        check(d.count(r"Established -> ") == 0, "session flapped")
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_updates_stored(exe):
    d = start(exe)
    try:
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2",
                    caps=[bp.cap_mp(1), bp.cap_mp(2), bp.cap_as4(65001)])
        p.send(bp.announce(["10.1.0.0/24", "10.2.0.0/16", "10.3.3.0/24"],
                           [65001, 65010, 65020], PEERS[0]))
        p.send(bp.update(attrs=bp.attr_origin() +
                         bp.attr_aspath([65001, 65030]) +
                         bp.attr_mp_reach_v6("2001:db8::1",
                                             ["2001:db8:1::/48"])))
        p.send(bp.eor_v4())
        d.wait_log(r"UPDATE announced 10\.1\.0\.0/24 10\.2\.0\.0/16 "
                   r"10\.3\.3\.0/24; path-length 3 origin-as 65020 "
                   r"upstream-as 65010 next-hop " + PEERS[0].replace(".",
                                                                     r"\."))
        d.wait_log(r"UPDATE announced 2001:db8:1::/48; path-length 2 "
                   r"origin-as 65030 upstream-as 65001 next-hop 2001:db8::1")
        d.wait_log(r"End-of-RIB for ipv4 unicast: 3 paths, 3 prefixes")
        mark = d.mark()
        p.send(bp.update(withdrawn=["10.2.0.0/16"]))
        # A second End-of-RIB reports the count again.
        p.send(bp.eor_v4())
        d.wait_log(r"UPDATE withdrawn 10\.2\.0\.0/16;", start=mark)
        d.wait_log(r"End-of-RIB for ipv4 unicast: 2 paths", start=mark)
        # The session ends: every route goes (no graceful restart).
        p.close()
        d.wait_log(r"3 routes withdrawn \(session-down\)", start=mark)
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_two_peers_and_stop(exe):
    d = start(exe)
    try:
        a = bp.Peer(ME, PORT, PEERS[0])
        a.establish(65001, "10.0.0.2")
        b = bp.Peer(ME, PORT, PEERS[1])
        b.establish(65002, "10.0.0.3")
        d.wait_log(rf"{PEERS[1]}: OpenConfirm -> Established")
        d.signal(signal.SIGTERM)
        for p in (a, b):
            code, sub, data = p.expect_notification()
            check((code, sub) == (6, 2), (code, sub))
            # RFC 9003: length-prefixed shutdown communication.
            check(data[1:1 + data[0]] == b"bgpwatchd shutting down", data)
            check(p.wait_closed(), "not closed after NOTIFICATION")
        check(d.proc.wait(10) == 0, "exit status")
    finally:
        d.cleanup()


def t_addpath(exe):
    d = start(exe)
    try:
        p = bp.Peer(ME, PORT, PEERS[2])
        p.establish(65003, "10.0.0.4",
                    caps=[bp.cap_mp(1), bp.cap_as4(65003),
                          bp.cap_addpath(((1, 1, 2),))])  # we send
        d.wait_log(r"add-path rx 0x1")
        # RFC 7911: two paths for one prefix, told apart by path id.
        p.send(bp.announce(["10.61.0.0/16"], [65003, 1], PEERS[2], [1]))
        p.send(bp.announce(["10.61.0.0/16"], [65003, 2], PEERS[2], [2]))
        p.send(bp.eor_v4())
        d.wait_log(r"UPDATE announced 10\.61\.0\.0/16#2;")
        d.wait_log(r"End-of-RIB for ipv4 unicast: 2 paths, 1 prefixes")
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def big_update(n):
    """One UPDATE with n /24s: over 4096 octets for n >= 1100."""
    return bp.announce([f"10.{i // 256}.{i % 256}.0/24" for i in range(n)],
                       [65001], PEERS[0])


def t_extended_message(exe):
    d = start(exe)
    try:
        msg = big_update(1500)
        check(len(msg) > 4096, len(msg))
        # RFC 8654: negotiated, so up to 65535 octets are fine.
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2", caps=[bp.cap_mp(1), bp.cap_as4(65001),
                                              bp.cap_extmsg()])
        p.send(msg)
        p.send(bp.eor_v4())
        d.wait_log(r"End-of-RIB for ipv4 unicast: 1500 paths")
        p.close()
        # Not negotiated: the length is a header error (1/2).
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2")
        p.send(msg)
        code, sub, data = p.expect_notification()
        check((code, sub, data) == (1, 2, struct.pack("!H", len(msg))),
              (code, sub, data.hex()))
        check(p.wait_closed(), "not closed")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("OPEN exchange, capabilities, End-of-RIB", t_open_exchange),
          ("keepalives at hold/3", t_keepalives),
          ("UPDATEs stored and withdrawn", t_updates_stored),
          ("ADD-PATH receive: two paths of one prefix", t_addpath),
          ("extended messages: 6 kB UPDATE only when negotiated",
           t_extended_message),
          ("two peers, SIGTERM sends Cease 2 with text", t_two_peers_and_stop)])
