#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""The spool outlives the process: events spooled while the receiver was
away are sent, in order, by the next run once it is back.

usage: test_restart.py OUTTEST SOURCE_ROOT"""
import glob
import os
import sys

import outlib

N = 3000


def main():
    outtest = sys.argv[1]
    t = outlib.Tap()
    v = outlib.validate.Validator()
    d = outlib.tmpdir()
    try:
        port = outlib.free_port()
        conf = outlib.write_conf(d, 'output tcp "127.0.0.1:%d" spool '
                                 '"%s/spool" max 64M\n' % (port, d))
        s1, err = outlib.finish_outtest(outlib.start_outtest(
            outtest, conf, '-n', N, '-d', 300, '-S', 1000))
        if not t.ok(s1 is not None, 'first run', err):
            t.done()
        o = outlib.summary_output(s1, 'tcp:')
        t.ok(o['dropped'] == 0 and o['connects'] == 0 and o['spool'] > 0,
             'first run: receiver away, %d bytes left in the spool'
             % o['spool'], o)
        t.ok(glob.glob(os.path.join(d, 'spool', '*.seg')),
             'segments on disk')
        recv = outlib.TcpReceiver(port, os.path.join(d, 'recv'))
        s2, err = outlib.finish_outtest(outlib.start_outtest(
            outtest, conf, '-n', 0, '-d', 20000))
        recv.close()
        if not t.ok(s2 is not None, 'second run', err):
            t.done()
        lines = [x for s in outlib.read_streams(v, recv.files, False)
                 for x in s]
        t.ok(outlib.seqs(lines) == list(range(1, N + 1)),
             'second run sent the first run\'s %d events in order' % N)
        t.ok(all(x['event']['id'].startswith(s1['run_id'] + '-')
                 for x in lines), 'with the first run\'s ids')
        t.ok(not glob.glob(os.path.join(d, 'spool', '*.seg')),
             'and the spool is empty')
    finally:
        outlib.cleanup(d)
    t.done()


if __name__ == '__main__':
    main()
