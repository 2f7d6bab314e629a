#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""A TCP output whose receiver is away while its spool (or memory queue)
fills: the lines beyond the bound are dropped, and the output-gap line
says exactly how many and which (the received stream lacks exactly that
range, the count matches the output's counter). Once with the gap closed
by the timer after the receiver returned, once by the first line taken
while the events still flow, once without a spool.

usage: test_spool_full.py OUTTEST SOURCE_ROOT"""
import os
import sys
import time

import outlib


def run(outtest, d, name, out_conf, n, rate, back_after):
    """outtest with the receiver starting back_after seconds late."""
    port = outlib.free_port()
    conf = outlib.write_conf(d, out_conf % {'port': port, 'd': d,
                                            'name': name})
    p = outlib.start_outtest(outtest, conf, '-n', n, '-r', rate,
                             '-d', 30000)
    time.sleep(back_after)
    recv = outlib.TcpReceiver(port, os.path.join(d, name))
    summary, err = outlib.finish_outtest(p)
    time.sleep(0.3)
    recv.close()
    return summary, err, recv.files


def check(t, v, name, summary, err, files, by_line):
    if not t.ok(summary is not None, name + ': outtest ran', err):
        return
    o = outlib.summary_output(summary, 'tcp:')
    last = summary['last_sequence']
    t.ok(o['dropped'] > 0, '%s: the bound was hit (%d dropped)'
         % (name, o['dropped']))
    t.ok(summary['max_late_ms'] < outlib.MAX_LATE_MS,
         '%s: event loop never stalled (worst %d ms late)'
         % (name, summary['max_late_ms']))
    try:
        lines = [x for s in outlib.read_streams(v, files, False) for x in s]
    except outlib.validate.Invalid as e:
        t.ok(False, name + ': received lines are valid and in order', e)
        return
    got = outlib.seqs(lines)
    t.ok(got == sorted(set(got)), name + ': received lines are valid and '
         'in order, each once')
    gaps = outlib.gap_lines(lines, o['name'])
    if not t.ok(len(gaps) == 1, name + ': one output-gap line', gaps):
        return
    g = gaps[0]['bgpwatch']['output']
    first, lastd = g['first_sequence'], g['last_sequence']
    t.ok(g['dropped'] == o['dropped'] == lastd - first + 1,
         '%s: output-gap says %d dropped (%d-%d), the counter %d'
         % (name, g['dropped'], first, lastd, o['dropped']))
    want = set(range(1, last + 1)) - set(range(first, lastd + 1))
    t.ok(set(got) == want, name + ': the stream lacks exactly that range',
         'extra %s missing %s' % (sorted(set(got) - want)[:10],
                                  sorted(want - set(got))[:10]))
    gseq = gaps[0]['event']['sequence']
    if by_line and gseq == lastd + 1:
        # The timer found room a moment before the next line came.
        t.ok(gseq in got, name + ': the timer closed the gap first')
    elif by_line:
        t.ok(gseq == lastd + 2 and lastd + 1 in got and
             got.index(gseq) == got.index(lastd + 1) + 1,
             name + ': the gap line follows the first line taken again',
             (gseq, lastd))
    else:
        t.ok(gseq == last and lastd == last - 1,
             name + ': the timer closed the gap after the last line',
             (gseq, lastd, last))


def main():
    outtest = sys.argv[1]
    t = outlib.Tap()
    v = outlib.validate.Validator()
    d = outlib.tmpdir()
    spool = ('output tcp "127.0.0.1:%(port)d" spool "%(d)s/%(name)s.spool" '
             'max 64K\n')
    try:
        s, e, f = run(outtest, d, 'idle', spool, 2000, 0, 1.0)
        check(t, v, 'spool, gap closed by the timer', s, e, f, False)
        s, e, f = run(outtest, d, 'flowing', spool, 12000, 2000, 1.5)
        check(t, v, 'spool, gap closed by a line', s, e, f, True)
        s, e, f = run(outtest, d, 'memory',
                      'output tcp "127.0.0.1:%(port)d" spool none '
                      'queue 64K\n', 2000, 0, 1.0)
        check(t, v, 'memory queue', s, e, f, False)
    finally:
        outlib.cleanup(d)
    t.done()


if __name__ == '__main__':
    main()
