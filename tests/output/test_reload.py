#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""Reloading the outputs while events flow (output_reconf()): an
unchanged output goes on without a hole, a new one starts mid-stream and
then gets every line, a removed one stops after a whole prefix of the
stream, a changed one is restarted without losing or reordering a line,
and a configuration whose new output cannot start is refused as a whole.

usage: test_reload.py OUTTEST SOURCE_ROOT"""
import os
import signal
import sys
import time

import outlib

N = 20000


def main():
    outtest = sys.argv[1]
    t = outlib.Tap()
    v = outlib.validate.Validator()
    d = outlib.tmpdir()
    try:
        a, b = os.path.join(d, 'a.json'), os.path.join(d, 'b.json')
        port = outlib.free_port()
        recv = outlib.TcpReceiver(port, os.path.join(d, 'tcp'))
        tcp = 'output tcp "127.0.0.1:%d" spool "%s/spool"\n' % (port, d)
        steps = [
            'output file "%s"\n' % b,  # b new, tcp removed
            'output file "%s" queue 32M\noutput file "%s"\n' % (a, b),
            'output file "%s" queue 32M\noutput file "%s"\n'
            'output tls "127.0.0.1:1" ca "%s/missing.pem"\n' % (a, b, d),
        ]
        conf = outlib.write_conf(d, 'output file "%s"\n' % a + tcp)
        p = outlib.start_outtest(outtest, conf, '-n', N, '-r', 5000)
        time.sleep(1)
        for i, step in enumerate(steps):
            text = step if i else 'output file "%s"\n' % a + step
            outlib.write_conf(d, text)
            p.send_signal(signal.SIGUSR1)
            time.sleep(0.8)
        summary, err = outlib.finish_outtest(p)
        recv.close()
        if not t.ok(summary is not None, 'outtest ran', err):
            t.done()
        t.ok(summary['reloads'] == 2 and summary['reload_failures'] == 1,
             'two reloads applied, the one with a bad output refused',
             summary)
        t.ok(sorted(o['name'] for o in summary['outputs']) ==
             sorted(['file:' + a, 'file:' + b]),
             'the outputs of the last good configuration run',
             summary['outputs'])
        last = summary['last_sequence']
        sa = outlib.seqs(v.check_file(a, monotonic=True))
        t.ok(sa == list(range(1, last + 1)),
             'the output kept (then changed) has every line in order')
        sb = outlib.seqs(v.check_file(b, monotonic=True))
        t.ok(sb and sb == list(range(sb[0], last + 1)) and sb[0] > 1,
             'the new output has every line from %s on'
             % (sb[0] if sb else None))
        st = [x for f in recv.files
              for x in v.check_file(f, monotonic=True, torn_tail=True)]
        sr = outlib.seqs(st)
        t.ok(sr and sr == list(range(1, len(sr) + 1)) and len(sr) < last,
             'the removed output got a whole prefix (1..%d)' % len(sr))
        t.ok(summary['max_late_ms'] < outlib.MAX_LATE_MS,
             'event loop never stalled (worst %d ms late)'
             % summary['max_late_ms'])
    finally:
        outlib.cleanup(d)
    t.done()


if __name__ == '__main__':
    main()
