#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# `bgpwatchctl mrt -j FILE` against `bgpwatchctl mrt FILE`: every line is
# one JSON object; RIB files give one object per B line with the same
# peer, prefix, path id and AS path; update files give one object per
# state change and per BGP message, whose decoded "announced" and
# "withdrawn" prefixes are exactly the A and W lines.
#
# usage: json_check.py BGPWATCHCTL FILE...

import json
import subprocess
import sys


def run(tool, args):
    p = subprocess.run([tool, 'mrt'] + args, capture_output=True, text=True)
    return p.returncode, p.stdout.splitlines()


def check_rib(objs, lines, errors):
    if len(objs) != len(lines):
        errors.append('%d objects for %d B lines' % (len(objs), len(lines)))
    for o, line in zip(objs, lines):
        f = line.split('|')
        ap = f[0].endswith('_AP')
        path = f[7] if ap else f[6]
        got = (o['type'], o['timestamp'], o['peer']['ip'],
               o['peer']['as'], o['prefix'],
               o['attributes'].get('as_path', {}).get('text', ''))
        want = (f[0], int(f[1]), f[3], int(f[4]), f[5], path)
        if ap and o['path_id'] != int(f[6]):
            errors.append('path_id %d, line %s' % (o['path_id'], line))
        if got != want:
            errors.append('object %s, line %s' % (got, line))
            return


def check_updates(objs, lines, errors):
    want = {'A': [], 'W': [], 'STATE': []}
    for line in lines:
        f = line.split('|')
        want[f[2]].append((f[3], f[5]) if f[2] != 'STATE' else
                          (f[3], f[4], f[5], f[6]))
    got = {'A': [], 'W': [], 'STATE': []}
    for o in objs:
        peer = o['peer']['ip']
        if 'state' in o:
            got['STATE'].append((peer, str(o['peer']['as']),
                                 str(o['state']['old']),
                                 str(o['state']['new'])))
            continue
        m = o['message']
        if m.get('type') != 'UPDATE':
            continue
        tw = m.get('verdict', {}).get('action') == 'treat-as-withdraw'
        for p in m.get('withdrawn', []):
            got['W'].append((peer, p['prefix']))
        for p in m.get('announced', []):
            got['W' if tw else 'A'].append((peer, p['prefix']))
    for kind in want:
        if sorted(got[kind]) != sorted(want[kind]):
            errors.append('%s: %d from JSON, %d lines' %
                          (kind, len(got[kind]), len(want[kind])))


def main(argv):
    tool, errors = argv[1], []
    for path in argv[2:]:
        rc1, text = run(tool, [path])
        rc2, js = run(tool, ['-j', path])
        if rc1 != rc2:
            errors.append('%s: exit %d with -j, %d without' % (path, rc2, rc1))
        try:
            objs = [json.loads(line) for line in js]
        except ValueError as e:
            errors.append('%s: not JSON: %s' % (path, e))
            continue
        if text and text[0].split('|')[2] == 'B':
            check_rib(objs, text, errors)
        else:
            check_updates(objs, text, errors)
        print('%s: %d JSON lines, %d text lines' % (path, len(objs),
                                                    len(text)))
    for e in errors:
        print('FAIL: ' + e)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
