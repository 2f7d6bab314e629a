#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""A TLS output whose receiver (openssl s_server, client certificate
required, CA made here) is killed while 100,000 events are produced and
comes back later: every event arrives (at least once, in order on each
connection, no holes across connections), nothing is dropped, the loop
never stalls. Then a receiver whose certificate does not match the name
is refused and gets nothing.

usage: test_tls_down.py OUTTEST SOURCE_ROOT"""
import os
import sys
import time

import outlib

N = 100000


def wait_quiet(path, timeout=15):
    """Wait until the receiver's file stops growing."""
    end, last = time.time() + timeout, -1
    while time.time() < end:
        size = os.path.getsize(path)
        if size == last:
            return
        last = size
        time.sleep(0.5)


def check_run(t, v, summary, err, files):
    if not t.ok(summary is not None, 'outtest ran', err):
        return
    o = outlib.summary_output(summary, 'tls:')
    t.ok(summary['emitted'] == N, 'emitted %d' % summary['emitted'])
    t.ok(o['dropped'] == 0 and o['dropping'] == 0,
         'nothing dropped', o)
    t.ok(o['connects'] >= 2, 'reconnected (%d connections)' % o['connects'])
    t.ok(o['spooled'] > 0, '%d lines waited in the spool' % o['spooled'])
    t.ok(summary['max_late_ms'] < outlib.MAX_LATE_MS,
         'event loop never stalled (worst %d ms late)'
         % summary['max_late_ms'])
    try:
        streams = outlib.read_streams(v, files)
    except outlib.validate.Invalid as e:
        t.ok(False, 'received lines are valid, in order per connection', e)
        return
    t.ok(True, 'received lines are valid, in order per connection')
    got = [outlib.seqs(s) for s in streams]
    allseq = [q for s in got for q in s]
    t.ok(set(allseq) == set(range(1, N + 1)),
         '%d distinct sequences of %d received, %d lines in all'
         % (len(set(allseq)), N, len(allseq)),
         'missing %s' % sorted(set(range(1, N + 1)) - set(allseq))[:20])
    holes = [i for i in range(1, len(got))
             if got[i] and got[i - 1] and got[i][0] > got[i - 1][-1] + 1]
    t.ok(not holes, 'each connection resumes at or before where the '
         'last one stopped', [(got[i - 1][-1], got[i][0]) for i in holes])
    t.ok(not outlib.gap_lines([o for s in streams for o in s]),
         'no output-gap line')


def main():
    outtest = sys.argv[1]
    t = outlib.Tap()
    v = outlib.validate.Validator()
    d = outlib.tmpdir()
    try:
        pki = outlib.make_pki(d)
        port = outlib.free_port()
        conf = outlib.write_conf(d, (
            'output tls "127.0.0.1:%d" ca "%s" cert "%s" key "%s" '
            'spool "%s/spool" max 512M\n') % (
                port, pki['ca.pem'], pki['client.pem'], pki['client.key'],
                d))
        files = [os.path.join(d, 'recv.0'), os.path.join(d, 'recv.1')]
        srv = outlib.SServer(pki, port, files[0])
        p = outlib.start_outtest(outtest, conf, '-n', N, '-r', 20000,
                                 '-d', 60000)
        time.sleep(1.5)
        srv.kill()
        time.sleep(2.5)
        srv = outlib.SServer(pki, port, files[1])
        summary, err = outlib.finish_outtest(p)
        wait_quiet(files[1])
        srv.kill()
        check_run(t, v, summary, err, files)

        # A certificate for 127.0.0.1 is not one for wrong.example.
        conf = outlib.write_conf(d, (
            'output tls "127.0.0.1:%d" ca "%s" server-name wrong.example '
            'spool none\n') % (port, pki['ca.pem']))
        bad = os.path.join(d, 'recv.bad')
        srv = outlib.SServer(pki, port, bad, verify_client=False)
        summary, err = outlib.finish_outtest(
            outlib.start_outtest(outtest, conf, '-n', 10, '-d', 2500))
        srv.kill()
        o = summary and outlib.summary_output(summary, 'tls:')
        t.ok(o is not None and o['connects'] == 0 and
             'certificate' in o['error'] and os.path.getsize(bad) == 0,
             'a server certificate for another name is refused',
             (o, err))
    finally:
        outlib.cleanup(d)
    t.done()


if __name__ == '__main__':
    main()
