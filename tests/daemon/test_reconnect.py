#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# 1,000 quick reconnects of one peer (each: OPEN exchange, one UPDATE,
# close; every other one with a TCP reset, every tenth with a second
# connection racing the first) must leave the daemon's memory where it
# was: RSS compared after a warm-up and at the end. Under AddressSanitizer
# (detected) or a wrapper such as valgrind (BGPWATCH_TEST_WRAPPED=1) the
# RSS check is skipped and the leak check at exit, through the exit
# status, takes its place.
#
# usage: test_reconnect.py PATH/TO/bgpwatchd

import os

import bgppeer as bp
from daemonlib import PORT, Daemon, check, conf, main, neighbor, net

ME, PEERS = net(67)
ROUNDS = 1000
WARMUP = 100


def instrumented(exe):
    if os.environ.get("BGPWATCH_TEST_WRAPPED"):
        return True
    with open(exe, "rb") as f:
        return b"__asan_init" in f.read()


def one_session(i):
    p = bp.Peer(ME, PORT, PEERS[0])
    p.establish(65001, "10.0.0.2")
    p.send(bp.announce([f"10.{i % 200}.{i // 200}.0/24"], [65001, 65067],
                       PEERS[0]))
    if i % 10 == 5:  # a second connection while the first is up
        q = bp.Peer(ME, PORT, PEERS[0])
        q.send(bp.open_msg(65001, "10.0.0.2"))
        q.close()
    if i % 2:
        p.reset()
    else:
        p.close()


def t_reconnects(exe):
    d = Daemon(exe, conf(67, neighbor(PEERS[0])))
    try:
        for i in range(WARMUP):
            one_session(i)
        d.wait_log(r"Established -> Active", timeout=10)
        before = d.rss_kb()
        for i in range(WARMUP, ROUNDS):
            one_session(i)
        p = bp.Peer(ME, PORT, PEERS[0])
        p.establish(65001, "10.0.0.2")
        mark = d.mark()
        p.send(bp.announce(["10.250.0.0/24"], [65001], PEERS[0]))
        p.send(bp.eor_v4())
        # Every earlier session's route went with its session.
        d.wait_log(r"End-of-RIB for ipv4 unicast: 1 paths", start=mark)
        after = d.rss_kb()
        n = d.count(r"OpenConfirm -> Established")
        check(n >= ROUNDS, f"only {n} sessions established")
        if not instrumented(exe):
            check(after - before < 1024,
                  f"RSS grew from {before} kB to {after} kB")
        print(f"# RSS {before} kB -> {after} kB over {ROUNDS - WARMUP} "
              f"sessions", flush=True)
        p.close()
        check(d.stop(timeout=30) == 0, "exit status (leaks under ASan?)")
    finally:
        d.cleanup()


if __name__ == "__main__":
    main([(f"{ROUNDS} quick reconnects, no memory growth", t_reconnects)])
