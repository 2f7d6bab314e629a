#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Accepting connections and checking OPEN messages: a source that is no
# configured neighbor (or a neighbor that is `down`) is closed before a
# byte is read; bad OPENs get the RFC 4271 §6.2 NOTIFICATION (wrong AS 2/2,
# version 3 2/1 with data, hold time 1 2/6, BGP ID 0 or our own on iBGP
# 2/3, RFC 9234 role mismatch 2/11); `remote-as any` and 4-octet ASes.
#
# usage: test_open.py PATH/TO/bgpwatchd

import socket

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(65)
CONF = conf(65, neighbor(PEERS[0]) +
            neighbor(PEERS[1], "any") +
            neighbor(PEERS[2], 65000) +
            neighbor(PEERS[3], 4200000001, "  role peer\n") +
            neighbor(PEERS[4], 65005, "  down\n"))


def refused(src):
    """Connect from src: the daemon closes without sending anything."""
    s = socket.create_connection((ME, PORT), timeout=5,
                                 source_address=(src, 0))
    s.settimeout(5)
    try:
        data = s.recv(100)
    except ConnectionResetError:
        data = b""
    s.close()
    check(data == b"", f"daemon sent {data.hex()}")


def t_unconfigured(exe):
    d = Daemon(exe, CONF)
    try:
        refused(PEERS[7])
        d.wait_log(rf"connection from {PEERS[7]} port \d+ refused: not a "
                   r"configured neighbor")
        refused(PEERS[4])
        d.wait_log(rf"neighbor {PEERS[4]}: connection refused: shut down "
                   r"in the configuration")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def bad_open(d, src, open_raw, code, sub, data=None):
    p = bp.Peer(ME, PORT, src)
    p.send(open_raw)
    p.recv_type(bp.OPEN, skip=())
    got = p.expect_notification()
    check(got[:2] == (code, sub), f"{got[0]}/{got[1]}, want {code}/{sub}")
    if data is not None:
        check(got[2] == data, got[2].hex())
    check(p.wait_closed(), "not closed")


def t_bad_opens(exe):
    d = Daemon(exe, CONF)
    try:
        bad_open(d, PEERS[0], bp.open_msg(65009, "10.0.0.2"), 2, 2)
        d.wait_log(r"bad peer AS 65009, expected 65001")
        bad_open(d, PEERS[0], bp.open_msg(65001, "10.0.0.2", version=3), 2,
                 1, b"\x00\x04")
        bad_open(d, PEERS[0], bp.open_msg(65001, "10.0.0.2", hold=1), 2, 6)
        bad_open(d, PEERS[0], bp.open_msg(65001, "0.0.0.0"), 2, 3)
        # RFC 6286 §2.2: inside one AS the identifiers must differ.
        bad_open(d, PEERS[2], bp.open_msg(65000, ME), 2, 3)
        # RFC 9234: we are "peer", they say "customer" (3).
        bad_open(d, PEERS[3], bp.open_msg(
            4200000001, "10.0.0.5",
            caps=[bp.cap_mp(1), bp.cap_as4(4200000001), bp.cap_role(3)]),
            2, 11)
        check(d.count(r"Established") == 0, "a bad OPEN was accepted")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_good_opens(exe):
    d = Daemon(exe, CONF)
    try:
        # remote-as any; 4-octet AS behind AS_TRANS; iBGP; matching role.
        bp.Peer(ME, PORT, PEERS[1]).establish(4200000099, "10.0.0.3")
        d.wait_log(rf"{PEERS[1]}: session established: AS 4200000099")
        bp.Peer(ME, PORT, PEERS[2]).establish(65000, "10.0.0.4")
        d.wait_log(rf"{PEERS[2]}: session established: AS 65000")
        bp.Peer(ME, PORT, PEERS[3]).establish(
            4200000001, "10.0.0.5",
            caps=[bp.cap_mp(1), bp.cap_as4(4200000001), bp.cap_role(4)])
        d.wait_log(rf"{PEERS[3]}: session established: AS 4200000001.*"
                   r"role peer")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("unconfigured source and `down` neighbor refused at accept",
           t_unconfigured),
          ("bad OPENs: 2/2, 2/1, 2/6, 2/3, 2/3 iBGP, 2/11", t_bad_opens),
          ("remote-as any, 4-octet AS, iBGP, role pair", t_good_opens)])
