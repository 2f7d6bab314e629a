#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""logrotate during a burst: the file output is renamed and SIGHUP sent,
four times, while 50,000 events are written. Every line lands in exactly
one file, whole, in order, and each rotated file got some.

usage: test_reopen.py OUTTEST SOURCE_ROOT"""
import os
import signal
import sys
import time

import outlib

N = 50000
ROTATIONS = 4


def main():
    outtest = sys.argv[1]
    t = outlib.Tap()
    v = outlib.validate.Validator()
    d = outlib.tmpdir()
    try:
        path = os.path.join(d, 'events.json')
        conf = outlib.write_conf(d, 'output file "%s" queue 256M\n' % path)
        p = outlib.start_outtest(outtest, conf, '-n', N, '-r', 25000)
        end = time.time() + 10
        while time.time() < end and (not os.path.exists(path) or
                                     os.path.getsize(path) == 0):
            time.sleep(0.01)
        files = []
        for k in range(1, ROTATIONS + 1):
            time.sleep(0.3)
            files.append('%s.%d' % (path, k))
            os.rename(path, files[-1])
            p.send_signal(signal.SIGHUP)
        summary, err = outlib.finish_outtest(p)
        files.append(path)
        if not t.ok(summary is not None, 'outtest ran', err):
            t.done()
        o = outlib.summary_output(summary, 'file:')
        t.ok(o['dropped'] == 0, 'nothing dropped', o)
        t.ok(summary['max_late_ms'] < outlib.MAX_LATE_MS,
             'event loop never stalled (worst %d ms late)'
             % summary['max_late_ms'])
        try:
            streams = outlib.read_streams(v, files, torn_tail=False)
            t.ok(True, 'every line of every file is whole and valid')
        except outlib.validate.Invalid as e:
            t.ok(False, 'every line of every file is whole and valid', e)
            t.done()
        counts = [len(s) for s in streams]
        t.ok(all(c > 0 for c in counts),
             'each rotation got lines: %s' % counts)
        got = [q for s in streams for q in outlib.seqs(s)]
        t.ok(got == list(range(1, N + 1)),
             'the files in rotation order hold 1..%d once each' % N,
             'first difference at %s' % next(
                 (i for i, (a, b) in enumerate(zip(got, range(1, N + 1)))
                  if a != b), len(got)))
    finally:
        outlib.cleanup(d)
    t.done()


if __name__ == '__main__':
    main()
