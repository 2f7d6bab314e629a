#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Damaged input never crashes `bgpwatchctl mrt`: deterministic mutations
# (flipped bits, overwritten, inserted and deleted octets, cuts, garbage
# between records) of small MRT files of every record type, as plain
# files and as cut gzip and bzip2 streams, with and without -j. Every run
# must end with status 0 or 1 (never a signal, a sanitizer report or 2),
# and every stdout line must be whole: a -m line with at least 6 fields,
# a -j line that parses as JSON. For RIB dumps, text and -j give as many
# lines, the same warnings and status (text lines of RIB entries come
# from a memo of attribute sets, -j lines never do).
#
# usage: robust.py BGPWATCHCTL DATADIR

import bz2
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile

SOURCES = [
    'bgpdump/bview.ipv4_unicast_add_path.gz',
    'bgpdump/bview.ipv6_unicast_add_path.gz',
    'bgpdump/updates.20020722.2238.gz',
    'bgpdump/updates.nlri_mask_trailing_bits.gz',
    'bgpkit/rrc01_2000.11_updates.20001104.0124.gz',
    'synthetic/bgpdump.mrt',
    'synthetic/extra.mrt',
]
MUTANTS = 25   # per source
MAX_LEN = 64 * 1024


def load(datadir, path):
    with open(os.path.join(datadir, path), 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    return data[:MAX_LEN]


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        kind = rng.randrange(6)
        pos = rng.randrange(max(1, len(data)))
        if kind == 0 and data:
            data[pos] ^= 1 << rng.randrange(8)
        elif kind == 1 and data:
            data[pos] = rng.choice([0, 0xff, 0x7f, 0x80, rng.randrange(256)])
        elif kind == 2:
            data[pos:pos] = bytes(rng.randrange(256)
                                  for _ in range(rng.randint(1, 16)))
        elif kind == 3:
            del data[pos:pos + rng.randint(1, 16)]
        elif kind == 4:
            del data[pos:]
        else:
            # A plausible header with a wild length.
            data[pos:pos] = (rng.randrange(2**32).to_bytes(4, 'big') +
                             rng.choice([12, 13, 16, 17, 5]).to_bytes(2, 'big') +
                             rng.randrange(13).to_bytes(2, 'big') +
                             rng.randrange(2**32).to_bytes(4, 'big'))
    return bytes(data)


def check(tool, path, args, errors):
    p = subprocess.run([tool, 'mrt'] + args + [path], capture_output=True)
    what = '%s %s' % (' '.join(args), os.path.basename(path))
    if p.returncode not in (0, 1):
        errors.append('%s: exit status %d\n%s' %
                      (what, p.returncode, p.stderr.decode(errors='replace')[-2000:]))
        return None
    if b'Sanitizer' in p.stderr or b'runtime error' in p.stderr:
        errors.append('%s: sanitizer report\n%s' %
                      (what, p.stderr.decode(errors='replace')[-2000:]))
    out = p.stdout.decode('utf-8', errors='strict')
    if out and not out.endswith('\n'):
        errors.append('%s: last line not ended' % what)
    for line in out.splitlines():
        if args:
            json.loads(line)
        elif len(line.split('|')) < 6:
            errors.append('%s: torn line %r' % (what, line))
            return None
    return (p.returncode, len(out.splitlines()), p.stderr)


def main(argv):
    tool, datadir = argv[1], argv[2]
    rng = random.Random(20261122)
    errors = []
    runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for src in SOURCES:
            data = load(datadir, src)
            for i in range(MUTANTS):
                m = mutate(rng, data)
                form = i % 3
                name = os.path.join(tmp, 'm%d' % i)
                if form == 1:
                    m = gzip.compress(m, mtime=0)
                    m = m[:rng.randrange(len(m) + 1)] if i % 2 else m
                elif form == 2:
                    m = bz2.compress(m)
                    m = m[:rng.randrange(len(m) + 1)] if i % 2 else m
                with open(name, 'wb') as f:
                    f.write(m)
                got = [check(tool, name, args, errors)
                       for args in ([], ['-j'])]
                runs += 2
                # RIB dumps: a line per entry both ways, the same
                # warnings (messages are judged more closely by -j).
                if 'bview' in src and None not in got and got[0] != got[1]:
                    errors.append('%s mutant %d: text %r, -j %r' %
                                  (src, i, got[0][:2], got[1][:2]))
    print('%d runs on mutated input' % runs)
    for e in errors[:20]:
        print('FAIL: ' + e)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
