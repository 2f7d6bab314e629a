#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Active open and connection collisions: a `connect` neighbor is dialed
# with exponential back-off while nobody listens; when both sides connect
# at once, RFC 4271 §6.8 keeps the connection opened by the side with the
# higher BGP Identifier and closes the other with Cease 7.
#
# usage: test_collision.py PATH/TO/bgpwatchd

import socket
import time

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(71)
CONF = conf(71, neighbor(PEERS[0], body=f"  connect\n  port {PORT}\n"),
            "connect-retry 1")


def t_backoff(exe):
    d = Daemon(exe, CONF)
    try:
        times = []
        for _ in range(3):
            m = d.wait_log(rf"{PEERS[0]}: Connect -> Active: connect: "
                           r"Connection refused", start=d.mark(),
                           timeout=8)
            times.append(time.monotonic())
            check(m is not None, "no failed attempt")
        i1, i2 = times[1] - times[0], times[2] - times[1]
        # connect-retry 1 s, then 2 s; jittered to 75..100 %.
        check(0.6 <= i1 <= 1.3, f"first retry after {i1:.2f} s")
        check(1.4 <= i2 <= 2.3, f"second retry after {i2:.2f} s")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def collide(exe, bgp_id):
    """Both sides connect; returns (outgoing, incoming) peers, daemon."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((PEERS[0], PORT))
    ls.listen()
    ls.settimeout(8)
    d = Daemon(exe, CONF)
    sock, _ = ls.accept()  # the daemon dials us
    ls.close()
    out = bp.Peer.from_socket(sock)
    out.recv_type(bp.OPEN, skip=())
    inc = bp.Peer(ME, PORT, PEERS[0])
    inc.recv_type(bp.OPEN, skip=())
    d.wait_log(r"second connection \(incoming port \d+\): Active -> "
               r"OpenSent")
    out.send(bp.open_msg(65001, bgp_id))
    out.recv_type(bp.KEEPALIVE, skip=())  # the daemon is in OpenConfirm
    inc.send(bp.open_msg(65001, bgp_id))
    return out, inc, d


def t_higher_id(exe):
    # Their identifier is higher: their connection (incoming) stays.
    out, inc, d = collide(exe, "200.0.0.1")
    try:
        code, sub, _ = out.expect_notification()
        check((code, sub) == (6, 7), (code, sub))
        inc.recv_type(bp.KEEPALIVE, skip=())
        inc.send(bp.keepalive())
        inc.recv_type(bp.UPDATE)  # End-of-RIB: established
        d.wait_log(r"OpenConfirm -> Established")
        check(out.wait_closed(), "losing connection not closed")
        inc.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_lower_id(exe):
    # Their identifier is lower: our connection (outgoing) stays.
    out, inc, d = collide(exe, "1.0.0.1")
    try:
        code, sub, _ = inc.expect_notification()
        check((code, sub) == (6, 7), (code, sub))
        out.send(bp.keepalive())
        out.recv_type(bp.UPDATE)  # End-of-RIB: established
        d.wait_log(r"OpenConfirm -> Established")
        check(inc.wait_closed(), "losing connection not closed")
        out.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("connect back-off 1 s, 2 s", t_backoff),
          ("collision, higher remote ID: incoming kept", t_higher_id),
          ("collision, lower remote ID: outgoing kept", t_lower_id)])
