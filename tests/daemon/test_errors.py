#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Peers that break the protocol: header errors (RFC 4271 §6.1) with the
# NOTIFICATION the peer must receive, while a second peer's session goes
# on undisturbed; an UPDATE before Established (RFC 6608); a malformed
# UPDATE (session reset, §6.3) and the RFC 7606 soft errors
# (treat-as-withdraw, attribute-discard) that keep the session.
#
# usage: test_errors.py PATH/TO/bgpwatchd

import struct

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(62)
CONF = conf(62, neighbor(PEERS[0]) + neighbor(PEERS[1], 65002))


def bystander_ok(d, b, mark):
    """The second peer is still established and its UPDATEs count."""
    b.send(bp.keepalive())
    b.send(bp.announce(["10.99.0.0/16"], [65002], PEERS[1]))
    d.wait_log(rf"{PEERS[1]}: UPDATE announced 10\.99\.0\.0/16", start=mark)
    check(d.count(rf"neighbor {PEERS[1]}: Established -> ") == 0,
          "the second peer's session flapped")


def header_case(exe, raw, want_code, want_sub, want_data):
    d = Daemon(exe, CONF)
    try:
        b = bp.Peer(ME, PORT, PEERS[1])
        b.establish(65002, "10.0.0.3")
        a = bp.Peer(ME, PORT, PEERS[0])
        a.establish(65001, "10.0.0.2")
        mark = d.mark()
        a.send(raw)
        code, sub, data = a.expect_notification()
        check((code, sub) == (want_code, want_sub), (code, sub))
        check(data == want_data, data.hex())
        check(a.wait_closed(), "not closed after the NOTIFICATION")
        d.wait_log(rf"{PEERS[0]}: sent NOTIFICATION {want_code}/{want_sub}")
        bystander_ok(d, b, mark)
        b.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_garbage(exe):
    # 19 zero octets: the marker is wrong (1/1, no data).
    header_case(exe, b"\x00" * 19, 1, 1, b"")


def t_bad_length(exe):
    # 5000 > 4096 without extended messages: 1/2 with the length field.
    header_case(exe, bp.MARKER + struct.pack("!HB", 5000, 2), 1, 2,
                struct.pack("!H", 5000))


def t_bad_type(exe):
    header_case(exe, bp.MARKER + struct.pack("!HB", 19, 9), 1, 3, b"\x09")


def t_update_in_opensent(exe):
    d = Daemon(exe, CONF)
    try:
        # OpenConfirm (OPEN exchanged, no KEEPALIVE yet): an UPDATE is 5/2.
        a = bp.Peer(ME, PORT, PEERS[0])
        a.send(bp.open_msg(65001, "10.0.0.2"))
        a.recv_type(bp.OPEN, skip=())
        a.send(bp.eor_v4())
        code, sub, data = a.expect_notification()
        check((code, sub, data) == (5, 2, b"\x02"), (code, sub, data))
        # OpenSent (no OPEN from the peer yet): a KEEPALIVE is 5/1.
        a2 = bp.Peer(ME, PORT, PEERS[0])
        a2.recv_type(bp.OPEN, skip=())
        a2.send(bp.keepalive())
        code, sub, data = a2.expect_notification()
        check((code, sub, data) == (5, 1, b"\x04"), (code, sub, data))
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_malformed_update(exe):
    d = Daemon(exe, CONF)
    try:
        a = bp.Peer(ME, PORT, PEERS[0])
        a.establish(65001, "10.0.0.2")
        a.send(bp.announce(["10.5.0.0/16"], [65001], PEERS[0]))
        d.wait_log(r"UPDATE announced 10\.5\.0\.0/16")
        # Total Path Attribute Length beyond the message: RFC 7606 §4
        # leaves only a session reset (3/1).
        a.send(bp.msg(bp.UPDATE, struct.pack("!HH", 0, 100) + b"\x40\x01"))
        code, sub, _ = a.expect_notification()
        check((code, sub) == (3, 1), (code, sub))
        check(a.wait_closed(), "not closed")
        d.wait_log(r"1 routes withdrawn \(session-down\)")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_soft_errors(exe):
    d = Daemon(exe, CONF)
    try:
        a = bp.Peer(ME, PORT, PEERS[0])
        a.establish(65001, "10.0.0.2")
        a.send(bp.announce(["10.6.0.0/16", "10.7.0.0/16"], [65001],
                           PEERS[0]))
        # RFC 7606 §7.1: an undefined ORIGIN value is treat-as-withdraw.
        bad_origin = bp.attr(0x40, 1, b"\x05")
        a.send(bp.update(attrs=bad_origin + bp.attr_aspath([65001]) +
                         bp.attr_nexthop(PEERS[0]), nlri=["10.6.0.0/16"]))
        d.wait_log(r"UPDATE treat-as-withdraw \(RFC 7606 §2\): .*"
                   r"attribute 40010105")
        # RFC 7606 §7.6: ATOMIC_AGGREGATE of length 1 is discarded.
        bad_atomic = bp.attr(0x40, 6, b"\x01")
        a.send(bp.update(attrs=bp.attr_origin() + bp.attr_aspath([65001]) +
                         bp.attr_nexthop(PEERS[0]) + bad_atomic,
                         nlri=["10.8.0.0/16"]))
        d.wait_log(r"UPDATE attribute-discard \(RFC 7606 §2\)")
        a.send(bp.eor_v4())
        # 10.6/16 withdrawn, 10.7/16 and 10.8/16 stored.
        d.wait_log(r"End-of-RIB for ipv4 unicast: 2 paths")
        a.send(bp.keepalive())
        check(d.count(r"Established -> ") == 0, "session reset")
        a.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("garbage after OPEN: 1/1, second peer unaffected", t_garbage),
          ("length 5000: 1/2 with data", t_bad_length),
          ("type 9: 1/3 with data", t_bad_type),
          ("unexpected messages: RFC 6608 5/1, 5/2", t_update_in_opensent),
          ("malformed UPDATE: 3/1, routes withdrawn", t_malformed_update),
          ("RFC 7606 treat-as-withdraw and attribute-discard",
           t_soft_errors)])
