#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""The event loop keeps its schedule while a file output writes into a
FIFO nobody reads (a disk that does not move) and a TCP receiver accepts
but never reads (a sink that is stuck): a 10 ms timer is never late by
more than outlib.MAX_LATE_MS. Afterwards both are read: each stream lacks
exactly the ranges its own output-gap lines name.

usage: test_liveness.py OUTTEST SOURCE_ROOT"""
import os
import sys
import threading
import time

import outlib

N = 40000


def drain_fifo(fd, path, stop):
    with open(path, 'wb') as f:
        while not stop.is_set():
            try:
                b = os.read(fd, 65536)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            if not b:
                time.sleep(0.01)
                continue
            f.write(b)


def check_stream(t, v, name, out, files, last):
    try:
        lines = [x for s in outlib.read_streams(v, files, False) for x in s]
    except outlib.validate.Invalid as e:
        t.ok(False, name + ': lines valid and in order', e)
        return
    got = set(outlib.seqs(lines))
    missing = set()
    for g in outlib.gap_lines(lines, out['name']):
        b = g['bgpwatch']['output']
        missing |= set(range(b['first_sequence'], b['last_sequence'] + 1))
    t.ok(sum(g['bgpwatch']['output']['dropped'] for g in
             outlib.gap_lines(lines, out['name'])) == out['dropped'],
         '%s: output-gap lines account for all %d dropped'
         % (name, out['dropped']))
    t.ok(got | missing == set(range(1, last + 1)) and not got & missing,
         name + ': the stream lacks exactly the ranges its gaps name',
         'unexplained %s' % sorted(set(range(1, last + 1)) - got -
                                   missing)[:10])


def main():
    outtest = sys.argv[1]
    t = outlib.Tap()
    v = outlib.validate.Validator()
    d = outlib.tmpdir()
    stop = threading.Event()
    try:
        fifo = os.path.join(d, 'slow.fifo')
        os.mkfifo(fifo)
        rfd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        port = outlib.free_port()
        recv = outlib.TcpReceiver(port, os.path.join(d, 'tcp'), read=False)
        conf = outlib.write_conf(d, (
            'output file "%s" queue 256K\n'
            'output tcp "127.0.0.1:%d" spool "%s/spool" max 1M '
            'queue 1M\n') % (fifo, port, d))
        p = outlib.start_outtest(outtest, conf, '-n', N, '-r', 10000,
                                 '-t', 10, '-d', 30000)
        time.sleep(5)
        fifo_out = os.path.join(d, 'fifo.out')
        th = threading.Thread(target=drain_fifo, args=(rfd, fifo_out, stop))
        th.start()
        recv.read.set()
        summary, err = outlib.finish_outtest(p)
        time.sleep(0.3)
        stop.set()
        th.join()
        recv.close()
        if not t.ok(summary is not None, 'outtest ran', err):
            t.done()
        t.ok(summary['max_late_ms'] < outlib.MAX_LATE_MS,
             'the 10 ms timer was never more than %d ms late (worst %d)'
             % (outlib.MAX_LATE_MS, summary['max_late_ms']))
        t.ok(summary['ticks'] >= 0.8 * summary['elapsed_ms'] / 10,
             'it fired %d times in %d ms' % (summary['ticks'],
                                             summary['elapsed_ms']))
        f = outlib.summary_output(summary, 'file:')
        n = outlib.summary_output(summary, 'tcp:')
        t.ok(f['dropped'] > 0, 'the FIFO output hit its queue bound '
             '(%d dropped)' % f['dropped'])
        t.ok(n['spooled'] > 0, 'the stuck TCP output spooled %d lines'
             % n['spooled'])
        t.ok(summary['drained'], 'both drained once read', summary)
        last = summary['last_sequence']
        check_stream(t, v, 'fifo', f, [fifo_out], last)
        check_stream(t, v, 'tcp', n, recv.files, last)
    finally:
        stop.set()
        outlib.cleanup(d)
    t.done()


if __name__ == '__main__':
    main()
