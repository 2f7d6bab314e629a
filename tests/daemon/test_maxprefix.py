#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# max-prefix (RFC 4486): over the limit the session is closed with Cease 1
# and the AFI/SAFI/limit data, routes are withdrawn, and the neighbor stays
# Idle (connections refused) for its restart time; warn-only logs once and
# keeps the session.
#
# usage: test_maxprefix.py PATH/TO/bgpwatchd

import socket
import struct

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(66)
CONF = conf(66, neighbor(PEERS[0], body="  max-prefix 5 restart 1\n") +
            neighbor(PEERS[1], 65002, "  max-prefix 5 warn-only\n"))


def pfx(i):
    return f"10.{i}.0.0/16"


def t_limit(exe):
    d = Daemon(exe, CONF)
    try:
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2")
        p.send(bp.announce([pfx(i) for i in range(5)], [65001], PEERS[0]))
        p.send(bp.eor_v4())
        d.wait_log(r"End-of-RIB for ipv4 unicast: 5 paths")
        p.send(bp.announce([pfx(5)], [65001], PEERS[0]))
        code, sub, data = p.expect_notification()
        check((code, sub) == (6, 1), (code, sub))
        # RFC 4486 §4: AFI 1, SAFI 1, the limit.
        check(data == struct.pack("!HBI", 1, 1, 5), data.hex())
        check(p.wait_closed(), "not closed")
        d.wait_log(r"6 routes withdrawn \(max-prefix\)")
        d.wait_log(rf"{PEERS[0]}: max-prefix: staying Idle for 1 minute")
        d.wait_log(rf"{PEERS[0]}: Established -> Idle: max-prefix 5 exceeded")
        # Down for the restart time: refused before a byte is read.
        s = socket.create_connection((ME, PORT), timeout=5,
                                     source_address=(PEERS[0], 0))
        s.settimeout(5)
        check(s.recv(100) == b"", "connection not refused")
        s.close()
        d.wait_log(rf"{PEERS[0]}: connection refused: max-prefix")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_warn_only(exe):
    d = Daemon(exe, CONF)
    try:
        p = bp.Peer(ME, PORT, PEERS[1])
        p.establish(65002, "10.0.0.3")
        p.send(bp.announce([pfx(i) for i in range(7)], [65002], PEERS[1]))
        p.send(bp.announce([pfx(7)], [65002], PEERS[1]))
        p.send(bp.eor_v4())
        d.wait_log(r"End-of-RIB for ipv4 unicast: 8 paths")
        check(d.count(r"exceed max-prefix 5 \(warning only\)") == 1,
              "warning not logged exactly once")
        p.send(bp.keepalive())
        check(d.count(r"Established -> ") == 0, "session closed")
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("over the limit: Cease 1 with data, Idle, refused", t_limit),
          ("warn-only: logged once, session kept", t_warn_only)])
