#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Transport protection: TCP MD5 signatures (RFC 2385) on the listener and
# on connections the daemon opens, and GTSM (RFC 5082): a neighbor whose
# SYN arrives with TTL < 254 is refused at accept. As root, the switch to
# `user` after binding, and MD5 keys changed by a reload after it.
#
# usage: test_security.py PATH/TO/bgpwatchd

import os
import pwd
import socket

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(72)
KEY = "s3cret key"
CONF = conf(72, neighbor(PEERS[0], body=f'  md5 "{KEY}"\n') +
            neighbor(PEERS[1], 65002, f'  md5 "{KEY}"\n  connect\n'
                     f"  port {PORT}\n  local-address {ME}\n") +
            neighbor(PEERS[2], 65003, "  ttl-security yes\n"),
            "connect-retry 1")


def t_md5_listener(exe):
    d = Daemon(exe, CONF)
    try:
        for key in (None, "wrong key"):
            try:
                bp.Peer(ME, PORT, PEERS[0], timeout=1.5, md5=key)
                raise AssertionError(f"connected with key {key!r}")
            except (socket.timeout, TimeoutError):
                pass  # the SYN was dropped by the kernel
        p = bp.Peer(ME, PORT, PEERS[0], md5=KEY)
        p.establish(65001, "10.0.0.2")
        d.wait_log(rf"{PEERS[0]}: OpenConfirm -> Established")
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_md5_connect(exe):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    bp.set_md5(ls, ME, KEY)
    ls.bind((PEERS[1], PORT))
    ls.listen()
    ls.settimeout(8)
    d = Daemon(exe, CONF)
    try:
        sock, _ = ls.accept()  # only a signed SYN gets here
        p = bp.Peer.from_socket(sock)
        p.establish(65002, "10.0.0.3")
        d.wait_log(rf"{PEERS[1]}: OpenConfirm -> Established")
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        ls.close()
        d.cleanup()


def t_gtsm(exe):
    d = Daemon(exe, CONF, env={"BGPWATCHD_OPENSENT_HOLD": "2"})
    try:
        p = bp.Peer(ME, PORT, PEERS[2], ttl=255)
        p.establish(65003, "10.0.0.4")
        d.wait_log(rf"{PEERS[2]}: OpenConfirm -> Established")
        p.close()
        # TTL 64: the SYN shows it, the connection is closed at once.
        p = bp.Peer(ME, PORT, PEERS[2], ttl=64)
        p.send(bp.open_msg(65003, "10.0.0.4"))
        check(p.wait_closed(), "TTL 64 connection not closed")
        d.wait_log(rf"{PEERS[2]}: connection refused: SYN with TTL 64")
        check(d.count(r"OPEN received") == 1, "the TTL 64 OPEN got through")
        p.close()
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


def t_privdrop(exe):
    if os.geteuid() != 0:
        print("# skipped: not root, nothing to drop", flush=True)
        return
    d = Daemon(exe, CONF + 'user "nobody"\n')
    try:
        os.chmod(d.dir, 0o755)  # the configuration stays readable
        os.chmod(d.conf, 0o644)
        d.wait_log(r"running as user nobody")
        with open(f"/proc/{d.proc.pid}/status") as f:
            uids = [ln.split()[1:] for ln in f if ln.startswith("Uid:")][0]
        check(set(uids) == {str(pwd.getpwnam("nobody").pw_uid)}, uids)
        # A new MD5 key after the switch (Linux needs no privilege).
        mark = d.reload((CONF + 'user "nobody"\n').replace(KEY, "new key"))
        d.wait_log(r"applied", start=mark)
        p = bp.Peer(ME, PORT, PEERS[0], md5="new key")
        p.establish(65001, "10.0.0.2")
        p.close()
        check(d.count(r"TCP MD5 key") == 0, "setting a key failed")
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("MD5 on the listener: unsigned and wrong key dropped",
           t_md5_listener),
          ("MD5 on connections the daemon opens", t_md5_connect),
          ("GTSM: TTL 255 accepted, TTL 64 refused", t_gtsm),
          ("privileges dropped to `user`; MD5 keys still change",
           t_privdrop)])
