#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Graceful restart, bgpwatchd as receiving speaker (RFC 4724 §4.2): a
# GR-capable peer's routes survive a dropped TCP connection as stale; the
# peer comes back (R and F bits), refreshed routes replace stale ones and
# End-of-RIB flushes the rest; a peer that does not come back is flushed
# when its restart time ends; a NOTIFICATION or a new OPEN without the F
# bit flushes at once. Enhanced route refresh (RFC 7313) uses the same
# stale marks between BoRR and EoRR.
#
# usage: test_gr.py PATH/TO/bgpwatchd

import time

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(70)
CONF = conf(70, neighbor(PEERS[0]))
PFX = ["10.70.1.0/24", "10.70.2.0/24", "10.70.3.0/24"]


def gr_caps(restarted=False, fbit=True, rtime=3):
    return [bp.cap_mp(1), bp.cap_as4(65001),
            bp.cap_gr(rtime, ((1, 1),), restarted=restarted, fbit=fbit)]


def session(d, prefixes, **kw):
    p = bp.Peer(ME, PORT, PEERS[0])
    p.establish(65001, "10.0.0.2", caps=gr_caps(**kw))
    p.send(bp.announce(prefixes, [65001, 65070], PEERS[0]))
    p.send(bp.eor_v4())
    return p


def t_restart_and_eor(exe):
    d = Daemon(exe, CONF)
    try:
        p = session(d, PFX)
        d.wait_log(r"End-of-RIB for ipv4 unicast: 3 paths")
        mark = d.mark()
        p.reset()  # TCP RST, no NOTIFICATION
        d.wait_log(r"graceful restart: 3 routes marked stale", start=mark)
        d.wait_log(r"stale routes kept for up to 3 s", start=mark)
        check(d.count(r"routes withdrawn \(session-down\)") == 0,
              "routes withdrawn although GR applies")
        # Back within the restart time, forwarding state kept (F bit).
        mark = d.mark()
        p = session(d, PFX[:2], restarted=True)
        d.wait_log(r"1 stale routes withdrawn: End-of-RIB", start=mark)
        d.wait_log(r"End-of-RIB for ipv4 unicast: 2 paths", start=mark)
        time.sleep(3.5)  # the restart timer was stopped: nothing more
        check(d.count(r"restart time expired") == 0, "restart timer ran on")
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_no_return(exe):
    d = Daemon(exe, CONF)
    try:
        p = session(d, PFX)
        d.wait_log(r"End-of-RIB for ipv4 unicast: 3 paths")
        mark = d.mark()
        t0 = time.monotonic()
        p.close()
        d.wait_log(r"graceful restart: 3 routes marked stale", start=mark)
        d.wait_log(r"3 stale routes withdrawn: restart time expired",
                   timeout=6, start=mark)
        took = time.monotonic() - t0
        check(2.5 <= took <= 5, f"flushed after {took:.1f} s, not 3 s")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_flush_cases(exe):
    d = Daemon(exe, CONF)
    try:
        # A NOTIFICATION ends the session for good (no RFC 8538 N bit).
        p = session(d, PFX)
        d.wait_log(r"End-of-RIB for ipv4 unicast: 3 paths")
        mark = d.mark()
        p.send(bp.notification(6, 4))
        d.wait_log(r"received NOTIFICATION 6/4", start=mark)
        d.wait_log(r"3 routes withdrawn \(session-down\)", start=mark)
        check(d.count(r"marked stale") == 0, "stale after NOTIFICATION")
        p.close()
        # Dropped, then back without the F bit: stale routes go at once.
        p = session(d, PFX)
        d.wait_log(r"End-of-RIB for ipv4 unicast: 3 paths", start=mark)
        mark = d.mark()
        p.reset()
        d.wait_log(r"3 routes marked stale", start=mark)
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2", caps=gr_caps(restarted=True,
                                                    fbit=False))
        d.wait_log(r"3 stale routes withdrawn: the new session does not "
                   r"preserve", start=mark)
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def rrefresh(subtype, afi=1, safi=1):
    return bp.msg(bp.ROUTE_REFRESH, bytes([0, afi, subtype, safi]))


def t_enhanced_refresh(exe):
    d = Daemon(exe, CONF)
    try:
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2", caps=[bp.cap_mp(1), bp.cap_as4(65001),
                                              bp.cap_rr(),
                                              bp.cap_enhanced_rr()])
        p.send(bp.announce(PFX, [65001, 65070], PEERS[0]))
        p.send(bp.eor_v4())
        d.wait_log(r"End-of-RIB for ipv4 unicast: 3 paths")
        # Our Adj-RIB-Out is empty: a refresh is answered BoRR, EoRR.
        p.send(rrefresh(0))
        check(p.recv_type(bp.ROUTE_REFRESH).hex() == "00010101", "no BoRR")
        check(p.recv_type(bp.ROUTE_REFRESH).hex() == "00010201", "no EoRR")
        # RFC 7313 §4: their BoRR makes routes stale until their EoRR.
        mark = d.mark()
        p.send(rrefresh(1))
        d.wait_log(r"3 routes marked stale", start=mark)
        p.send(bp.announce(PFX[1:], [65001, 65070], PEERS[0]))
        p.send(rrefresh(2))
        d.wait_log(r"1 stale routes withdrawn: EoRR", start=mark)
        p.send(bp.eor_v4())
        d.wait_log(r"End-of-RIB for ipv4 unicast: 2 paths", start=mark)
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("TCP reset: routes stale, refreshed, rest flushed at EoR",
           t_restart_and_eor),
          ("peer does not come back: flushed at its restart time",
           t_no_return),
          ("NOTIFICATION, or no F bit: flushed at once", t_flush_cases),
          ("enhanced route refresh: answered; BoRR/EoRR stale handling",
           t_enhanced_refresh)])
