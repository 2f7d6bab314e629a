#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# SIGHUP reload: a configuration with errors is logged as file:line and
# changes nothing; a good one removes neighbors (Cease 3), adds them,
# resets changed ones (Cease 6), keeps the others' sessions, shuts down a
# neighbor marked `down` (Cease 2 with text), and binds or closes
# listeners.
#
# usage: test_reload.py PATH/TO/bgpwatchd

import socket

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(68)
EXTRA = "127.68.0.200"


def cf(nbrs, extra=""):
    return conf(68, nbrs, extra)


A = neighbor(PEERS[0])
B = neighbor(PEERS[1], 65002, '  descr "b"\n')
B2 = neighbor(PEERS[1], 65002, '  descr "b, renamed"\n')
B3 = neighbor(PEERS[1], 65002, '  descr "b, renamed"\n  hold-time 30\n')
C = neighbor(PEERS[2], 65003)
C_DOWN = neighbor(PEERS[2], 65003, "  down\n")


def alive(d, p, who):
    """p's session still works: the daemon logs its UPDATE."""
    mark = d.mark()
    p.send(bp.announce(["10.68.0.0/16"], [65000 + who], PEERS[who - 1]))
    d.wait_log(rf"{PEERS[who - 1]}: UPDATE announced 10\.68\.0\.0/16",
               start=mark)


def t_reload(exe):
    d = Daemon(exe, cf(A + B))
    try:
        a = bp.Peer(ME, PORT, PEERS[0])
        a.establish(65001, "10.0.0.2")
        b = bp.Peer(ME, PORT, PEERS[1])
        b.establish(65002, "10.0.0.3")

        # 1. Errors: logged with file:line, nothing changes.
        mark = d.reload(cf(A + B) + "hold-time 2\nbogus-keyword\n")
        d.wait_log(r"reload: .*bgpwatch\.conf:\d+: hold-time 2", start=mark)
        d.wait_log(r"reload: .*bgpwatch\.conf:\d+: unknown keyword",
                   start=mark)
        d.wait_log(r"keeping the running configuration", start=mark)
        check(d.alive(), "daemon died on a bad configuration")
        alive(d, a, 1)
        alive(d, b, 2)

        # 2. A removed (Cease 3), B's descr changed (kept), C added.
        mark = d.reload(cf(B2 + C))
        code, sub, _ = a.expect_notification()
        check((code, sub) == (6, 3), (code, sub))
        d.wait_log(rf"neighbor {PEERS[0]}: removed", start=mark)
        d.wait_log(r"applied", start=mark)
        alive(d, b, 2)
        c = bp.Peer(ME, PORT, PEERS[2])
        c.establish(65003, "10.0.0.4")
        s = socket.create_connection((ME, PORT), timeout=5,
                                     source_address=(PEERS[0], 0))
        check(s.recv(10) == b"", "removed neighbor still accepted")
        s.close()

        # 3. B's hold time changes: its OPEN changes, Cease 6.
        mark = d.reload(cf(B3 + C))
        code, sub, _ = b.expect_notification()
        check((code, sub) == (6, 6), (code, sub))
        alive(d, c, 3)
        b = bp.Peer(ME, PORT, PEERS[1])
        check(b.establish(65002, "10.0.0.3")[3:5] == b"\x00\x1e",
              "new hold time not offered")

        # 4. C marked down: Cease 2 with a shutdown communication.
        mark = d.reload(cf(B3 + C_DOWN))
        code, sub, data = c.expect_notification()
        check((code, sub) == (6, 2), (code, sub))
        check(data[1:1 + data[0]] == b"shut down by configuration", data)
        d.wait_log(rf"{PEERS[2]}: Established -> Idle", start=mark)
        alive(d, b, 2)

        # 5. Listeners follow `listen on`.
        mark = d.reload(cf(B3 + C_DOWN, f"listen on {EXTRA} port {PORT}"))
        d.wait_log(rf"listening on {EXTRA} port {PORT}", start=mark)
        p = bp.Peer(EXTRA, PORT, PEERS[1])
        p.recv_type(bp.OPEN, skip=())
        p.close()
        mark = d.reload(cf(B3 + C_DOWN))
        d.wait_log(rf"listener {EXTRA} port {PORT} closed", start=mark)
        try:
            socket.create_connection((EXTRA, PORT), timeout=2).close()
            raise AssertionError("closed listener still accepts")
        except ConnectionRefusedError:
            pass
        check(d.stop() == 0, "exit status")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([("SIGHUP: bad config kept out; add, remove, reset, down, listen",
           t_reload)])
