#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Timers and stalled peers: the hold timer of an established session
# (hold time 3 s, RFC 4271 §4.4 NOTIFICATION 4/0), and a peer that sends
# half a header and stalls in OpenSent, closed by the OpenSent hold timer
# (shortened with BGPWATCHD_OPENSENT_HOLD, see bgpwatchd(8)).
#
# usage: test_timers.py PATH/TO/bgpwatchd

import time

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(63)


def t_hold_expiry(exe):
    d = Daemon(exe, conf(63, neighbor(PEERS[0])))
    try:
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2", hold=3)
        p.send(bp.announce(["10.63.0.0/16"], [65001], PEERS[0]))
        t0 = time.monotonic()
        # Never answer: the daemon's KEEPALIVEs come, then 4/0.
        code, sub, _ = p.expect_notification(timeout=6)
        took = time.monotonic() - t0
        check((code, sub) == (4, 0), (code, sub))
        check(2.5 <= took <= 4.5, f"hold timer fired after {took:.1f} s")
        check(p.wait_closed(), "not closed")
        d.wait_log(rf"{PEERS[0]}: sent NOTIFICATION 4/0 .*hold timer expired")
        d.wait_log(r"1 routes withdrawn \(session-down\)")
        d.wait_log(rf"{PEERS[0]}: Established -> Active: hold timer expired")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_half_header(exe):
    d = Daemon(exe, conf(63, neighbor(PEERS[0])),
               env={"BGPWATCHD_OPENSENT_HOLD": "2"})
    try:
        p = bp.Peer(ME, PORT, PEERS[0])
        p.recv_type(bp.OPEN, skip=())
        p.send(bp.MARKER[:10])  # half a header, then nothing
        t0 = time.monotonic()
        code, sub, _ = p.expect_notification(timeout=5)
        took = time.monotonic() - t0
        check((code, sub) == (4, 0), (code, sub))
        check(1.5 <= took <= 3.5, f"OpenSent hold fired after {took:.1f} s")
        check(p.wait_closed(), "not closed")
        d.wait_log(rf"{PEERS[0]}: OpenSent -> Active: hold timer expired")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_hold_zero(exe):
    # Hold time 0 on either side: no KEEPALIVEs, no hold timer (§4.2).
    d = Daemon(exe, conf(63, neighbor(PEERS[0])))
    try:
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2", hold=0)  # End-of-RIB read too
        try:
            t, body = p.recv(timeout=2)
            raise AssertionError(f"unexpected message {t} {body.hex()}")
        except TimeoutError:
            pass
        check(d.count(r"Established -> ") == 0, "session dropped")
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("hold timer expiry (hold 3 s): 4/0", t_hold_expiry),
          ("half header then stall: OpenSent hold timer", t_half_header),
          ("hold time 0: no keepalives, no expiry", t_hold_zero)])
