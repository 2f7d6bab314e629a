#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
#
# Reference comparison of `bgpwatchctl mrt FILE` with the output of
# `bgpdump -vm FILE` (Debian bgpdump 1.6.2) stored next to every MRT file
# of tests/data/mrt/{bgpdump,bgpkit,pyasn} (see the READMEs there).
#
# The output must equal the reference line for line, except where the
# reference is wrong. Every such difference must be explained by one rule
# of EXCEPTIONS (each cites the RFC that makes the reference wrong), and
# FILES says exactly how many lines each rule explains in each file, so an
# exception can neither go unnoticed nor grow silently. Where bgpdump gave
# up on a damaged file, only its lines before the damage are compared and
# the rest is checked against another implementation's counts
# (bgpkit-parser's EXPECTATIONS.json).
#
# usage: compare.py BGPWATCHCTL DATADIR NAME    (NAME: a key of FILES)
#        compare.py --list                      (the names)

import gzip
import ipaddress
import json
import os
import subprocess
import sys


def fields(line):
    return line.split('|')


def canon_ipv6(line):
    """Write every IPv6 address of a line as RFC 5952 §4 says."""
    out = []
    for f in fields(line):
        addr, slash, rest = f.partition('/')
        if ':' in addr and all(c in '0123456789abcdefABCDEF:.' for c in addr):
            try:
                addr = str(ipaddress.IPv6Address(addr))
            except ValueError:
                pass
        out.append(addr + slash + rest)
    return '|'.join(out)


def asns(path):
    return path.split(' ') if path else []


# Each rule: (reason, predicate(reference line, our line) -> bool).
EXCEPTIONS = {
    'ipv6-text': (
        'RFC 5952 §4.2.2: "::" must not shorten a single 16-bit 0 field; '
        'bgpdump writes 2001:7f8:30::2:1:0:8447, we write '
        '2001:7f8:30:0:2:1:0:8447 (inet_ntop)',
        lambda ref, ours: canon_ipv6(ref) == ours),
    'aggregator-as0': (
        'RFC 7607 §2: an AGGREGATOR of AS 0 is malformed and discarded '
        '(attribute-discard, RFC 7606 §2); bgpdump prints "0 0.0.0.0"',
        lambda ref, ours: ref.endswith('|0 0.0.0.0|') and
        ours == ref[:-len('0 0.0.0.0|')] + '|'),
    'as0-path-withdraw': (
        'RFC 7607 §2 and RFC 7606 §7.2: an AS_PATH holding AS 0 is '
        'malformed, the UPDATE is treat-as-withdraw: its prefixes are '
        'withdrawn (W), not announced',
        lambda ref, ours: fields(ref)[2] == 'A' and
        '0' in asns(fields(ref)[6]) and
        ours == '|'.join(fields(ref)[:2] + ['W'] + fields(ref)[3:6])),
    'as4-path-ignored': (
        'RFC 6793 §4.2.3: an AGGREGATOR other than AS_TRANS means AS4_PATH '
        'is ignored; bgpdump merges AS4_PATH anyway, so its path shows the '
        '4-octet AS where AS_PATH holds AS_TRANS (23456)',
        lambda ref, ours: as4_ignored(fields(ref), fields(ours))),
    'legacy-withdrawn-prefix': (
        'RFC 6396 §B.2.1 / RFC 4271 §4.3: the withdrawn prefix is the one '
        'in the UPDATE; bgpdump prints the peer address in its place '
        '(a second inet_ntoa() overwrote the first)',
        lambda ref, ours: legacy_withdrawn(fields(ref), fields(ours))),
    'legacy-communities': (
        'RFC 4271 §5.1.4: MULTI_EXIT_DISC is one number; the line bgpdump '
        'writes for the BGP type (RFC 6396 §B.2.1) has no communities '
        'field and glues them onto the MED ("|0|08918:60 8918:1000|"); we '
        'leave them out of this layout (they are in the -j output)',
        lambda ref, ours: legacy_communities(fields(ref), fields(ours))),
    'nlri-trailing-bits': (
        'RFC 4271 §4.3: bits past the prefix length are irrelevant; '
        'Debian bgpdump 1.6.2 prints 11.13.0.0/13, upstream bgpdump (and '
        'its test_expect) 11.8.0.0/13',
        lambda ref, ours: masked(fields(ref)) == fields(ours)),
}


def as4_ignored(ref, ours):
    if len(ref) != len(ours) or ref[:6] != ours[:6] or ref[7:] != ours[7:]:
        return False
    a, b = asns(ref[6]), asns(ours[6])
    return len(a) == len(b) and a != b and all(
        x == y or (y == '23456' and x.isdigit() and int(x) > 65535)
        for x, y in zip(a, b))


def legacy_withdrawn(ref, ours):
    if ref[0] != 'BGP' or ref[2] != 'W' or len(ours) != 6 or \
            ref[:5] != ours[:5]:
        return False
    raddr, _, rlen = ref[5].partition('/')
    oaddr, _, olen = ours[5].partition('/')
    return raddr == ref[3] and rlen == olen and oaddr != raddr


def legacy_communities(ref, ours):
    return ref[0] == 'BGP' and ref[2] == 'A' and len(ref) == len(ours) and \
        ref[:10] == ours[:10] and ref[11:] == ours[11:] and \
        ref[10].startswith(ours[10]) and ref[10] != ours[10]


def masked(f):
    f = list(f)
    net = ipaddress.ip_network(f[5], strict=False)
    f[5] = str(net)
    return f


# Per file: data path (the reference is PATH.bgpdump-vm.txt[.gz]), exit
# status, exception counts, and for files bgpdump gave up on the number of
# its lines that are right (ref_valid) and what else to check.
FILES = {
    'bview.20020722.2337': dict(
        path='bgpdump/bview.20020722.2337.gz', status=1,
        exceptions={'aggregator-as0': 8}),
    'bview.64k_stream_overflow': dict(
        path='bgpdump/bview.64k_stream_overflow.gz'),
    'bview.ipv4_unicast_add_path': dict(
        path='bgpdump/bview.ipv4_unicast_add_path.gz'),
    'bview.ipv6_unicast_add_path': dict(
        path='bgpdump/bview.ipv6_unicast_add_path.gz'),
    'updates.20020722.2238': dict(path='bgpdump/updates.20020722.2238.gz'),
    'updates.20070211.0141': dict(path='bgpdump/updates.20070211.0141.gz'),
    'updates.20071015.1505': dict(path='bgpdump/updates.20071015.1505.gz'),
    'updates.20100722.2015': dict(
        path='bgpdump/updates.20100722.2015.gz',
        exceptions={'ipv6-text': 42}),
    'updates.20160811.1600': dict(path='bgpdump/updates.20160811.1600.gz'),
    'updates.et-header.2015': dict(
        path='bgpdump/updates.et-header.2015.gz', status=1,
        exceptions={'as0-path-withdraw': 4, 'aggregator-as0': 18}),
    'updates.long_withdrawal': dict(
        path='bgpdump/updates.long_withdrawal.gz'),
    'updates.nlri_mask_trailing_bits': dict(
        path='bgpdump/updates.nlri_mask_trailing_bits.gz', status=1,
        exceptions={'nlri-trailing-bits': 1},
        upstream='bgpdump/updates.nlri_mask_trailing_bits.gz.bgp.gz'),
    'rrc00.updates.19990903.1041': dict(
        path='bgpkit/rrc00_1999.09_updates.19990903.1041.gz', status=1,
        exceptions={'aggregator-as0': 44, 'legacy-withdrawn-prefix': 25},
        kinds={'A': 65286, 'W': 25, 'STATE': 4}),
    'rrc00.updates.19991214.1621': dict(
        path='bgpkit/rrc00_1999.12_updates.19991214.1621.gz', status=1,
        exceptions={'legacy-withdrawn-prefix': 1363, 'aggregator-as0': 88,
                    'legacy-communities': 3},
        kinds={'A': 54126, 'W': 1363, 'STATE': 27}),
    'rrc00.updates.20000102.2014': dict(
        path='bgpkit/rrc00_2000.01_updates.20000102.2014.gz',
        exceptions={'legacy-withdrawn-prefix': 675},
        kinds={'A': 5668, 'W': 675, 'STATE': 16}),
    # bgpdump stops after the first entry: the records say they are 4
    # octets shorter than written. bgpkit-parser: 452,018 entries.
    'rrc00.bview.20000111.0032': dict(
        path='bgpkit/rrc00_2000.01_bview.20000111.0032.gz', status=1,
        ref_valid=1, kinds={'B': 452018}),
    # Two torn records; bgpdump decodes the first as an UPDATE (prefix
    # lengths up to 255) and stops at the second. bgpkit-parser with
    # recovery: 2 gaps, 24 octets skipped, 5,378 announcements and
    # withdrawals.
    'rrc00.updates.20000325.0345': dict(
        path='bgpkit/rrc00_2000.03_updates.20000325.0345.gz', status=1,
        ref_valid=4, exceptions={'legacy-withdrawn-prefix': 2},
        kinds={'A': 4660, 'W': 718, 'STATE': 307},
        stderr=['skipped 10 octets', 'skipped 14 octets']),
    'rrc01.updates.20001104.0124': dict(
        path='bgpkit/rrc01_2000.11_updates.20001104.0124.gz',
        kinds={'A': 378, 'W': 141, 'STATE': 364}),
    'rrc03.updates.20100227.1600.first-796': dict(
        path='bgpkit/rrc03_2010.02_updates.20100227.1600.'
             'first-796-records.gz'),
    'rrc15.updates.20100227.1600': dict(
        path='bgpkit/rrc15_2010.02_updates.20100227.1600.gz',
        exceptions={'as4-path-ignored': 3}),
    'rrc15.updates.20100227.1610': dict(
        path='bgpkit/rrc15_2010.02_updates.20100227.1610.gz'),
    # tests/mrt/synthetic.py: subtypes the corpus lacks. bgpdump.mrt has
    # the output of Debian bgpdump 1.6.2 as reference; extra.mrt holds
    # what bgpdump does not decode, its expected output checked by hand.
    'synthetic.bgpdump': dict(path='synthetic/bgpdump.mrt'),
    'synthetic.extra': dict(
        path='synthetic/extra.mrt', ref='synthetic/extra.mrt.expected.txt',
        kinds={'B': 4},
        stderr=['1 OSPFv2 record not decoded',
                '2 TABLE_DUMP_V2 records not decoded',
                '1 BGP4MP record not decoded']),
    'pyasn.bview.20140112.1600_3samples': dict(
        path='pyasn/bview.20140112.1600_3samples.bz2', status=1,
        stderr=['without a PEER_INDEX_TABLE'] * 3),
    'pyasn.rib.20080501.0644_firstMB': dict(
        path='pyasn/rib.20080501.0644_firstMB.bz2', status=1,
        origins='rib.20080501.0644_firstMB.bz2',
        stderr=['bzip2: compressed stream cut short']),
    'pyasn.rib.20140523.0600_firstMB': dict(
        path='pyasn/rib.20140523.0600_firstMB.bz2', status=1,
        origins='rib.20140523.0600_firstMB.bz2',
        stderr=['bzip2: compressed stream cut short']),
    'pyasn.rib6.20151101.0600_firstMB': dict(
        path='pyasn/rib6.20151101.0600_firstMB.bz2', status=1,
        exceptions={'ipv6-text': 6048},
        stderr=['bzip2: compressed stream cut short']),
}


def read_lines(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8', newline='\n') as f:
        return f.read().splitlines()


def reference(datadir, path):
    base = os.path.join(datadir, path + '.bgpdump-vm.txt')
    return read_lines(base if os.path.exists(base) else base + '.gz')


def check_origins(datadir, name, lines, errors):
    """pyasn's origin spot checks: the origin of a prefix's first route."""
    with open(os.path.join(datadir, 'pyasn', 'EXPECTATIONS.json')) as f:
        spots = json.load(f)['files'][name]['origin_spot_checks']
    first = {}
    for line in lines:
        f = fields(line)
        first.setdefault(f[5], f[6])
    for prefix, want in spots.items():
        path = first.get(prefix)
        if path is None:
            errors.append('pyasn spot check: no route for %s' % prefix)
            continue
        last = path.split(' ')[-1]
        got = ([int(x) for x in last.strip('{}').split(',')]
               if last.startswith('{') else int(last))
        if isinstance(want, list):
            ok = isinstance(got, list) and sorted(got) == sorted(want)
        else:
            ok = got == want
        if not ok:
            errors.append('pyasn spot check %s: origin %s, want %s' %
                          (prefix, got, want))


def compare(tool, datadir, name):
    spec = FILES[name]
    proc = subprocess.run([tool, 'mrt', os.path.join(datadir, spec['path'])],
                          capture_output=True, text=True)
    ours = proc.stdout.splitlines()
    ref = (read_lines(os.path.join(datadir, spec['ref'])) if 'ref' in spec
           else reference(datadir, spec['path']))
    errors = []
    if proc.returncode != spec.get('status', 0):
        errors.append('exit status %d, want %d' %
                      (proc.returncode, spec.get('status', 0)))
    for want in spec.get('stderr', []):
        if want not in proc.stderr:
            errors.append('stderr lacks %r' % want)
    for want in set(spec.get('stderr', [])):
        n = proc.stderr.count(want)
        if n != spec['stderr'].count(want):
            errors.append('stderr has %r %d times' % (want, n))
    valid = spec.get('ref_valid', len(ref))
    if 'ref_valid' not in spec and len(ours) != len(ref):
        errors.append('%d lines, the reference has %d' % (len(ours), len(ref)))
    want = dict(spec.get('exceptions', {}))
    seen = {rule: 0 for rule in want}
    unexplained = 0
    for i, (r, o) in enumerate(zip(ref[:valid], ours)):
        if r == o:
            continue
        rule = next((k for k in want if EXCEPTIONS[k][1](r, o)), None)
        if rule is None:
            unexplained += 1
            if unexplained <= 10:
                errors.append('line %d differs:\n  ref:  %s\n  ours: %s' %
                              (i + 1, r, o))
            continue
        seen[rule] += 1
    if unexplained > 10:
        errors.append('... %d differing lines in all' % unexplained)
    for rule, n in want.items():
        if seen[rule] != n:
            errors.append('exception %s explains %d lines, the table says '
                          '%d' % (rule, seen[rule], n))
    if 'kinds' in spec:
        counts = {}
        for line in ours:
            kind = fields(line)[2]
            counts[kind] = counts.get(kind, 0) + 1
        if counts != spec['kinds']:
            errors.append('line kinds %s, want %s' % (counts, spec['kinds']))
    if 'upstream' in spec:
        up = read_lines(os.path.join(datadir, spec['upstream']))
        if ours != up:
            errors.append('differs from upstream bgpdump test_expect')
    if 'origins' in spec:
        check_origins(datadir, spec['origins'], ours, errors)
    for rule, n in sorted(want.items()):
        print('# exception %s (%d lines): %s' % (rule, n, EXCEPTIONS[rule][0]))
    print('%s: %d lines, %d compared with the reference, %d exceptions' %
          (name, len(ours), min(valid, len(ours)), sum(seen.values())))
    for e in errors:
        print('FAIL: ' + e)
    if errors and proc.stderr:
        print('stderr:\n' + proc.stderr[:2000])
    return 1 if errors else 0


def main(argv):
    if len(argv) == 2 and argv[1] == '--list':
        print('\n'.join(sorted(FILES)))
        return 0
    if len(argv) != 4 or argv[3] not in FILES:
        print(__doc__ or 'usage: compare.py BGPWATCHCTL DATADIR NAME',
              file=sys.stderr)
        return 2
    return compare(argv[1], argv[2], argv[3])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
