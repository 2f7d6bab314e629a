#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""contrib/schema/events.schema.json against the lines bgpwatch writes.

- The schema is what contrib/schema/mkschema.py prints, and a valid
  JSON Schema 2020-12.
- eventsample's stream (every event family, watch events from the real
  engine) is valid line by line, covers every event.action the schema
  names, and equals tests/golden/events/sample.jsonl.
- The schema is strict: changing the JSON type of any field of any line,
  adding a key to an object of bgpwatch.*, or dropping a required key is
  rejected; validate.py's compiled validator and jsonschema agree on every
  such mutant.

usage: test_schema.py EVENTSAMPLE SOURCE_ROOT [--update]"""
import copy
import json
import os
import subprocess
import sys

import outlib

WRONG = ['x', 7, 1.5, True, {}, []]


def kind(v):
    if isinstance(v, bool):
        return 'boolean'
    if isinstance(v, (int, float)):
        return 'number'
    if isinstance(v, str):
        return 'string'
    if v is None:
        return 'null'
    return 'object' if isinstance(v, dict) else 'array'


def leaves(obj, path=()):
    """Every (path, value) below obj; lists by index."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj)
    for k, v in items:
        if isinstance(v, (dict, list)) and v:
            yield from leaves(v, path + (k,))
        yield path + (k,), v


def objects(obj, path=()):
    if isinstance(obj, dict):
        yield path, obj
    items = obj.items() if isinstance(obj, dict) else (
        enumerate(obj) if isinstance(obj, list) else ())
    for k, v in items:
        yield from objects(v, path + (k,))


def mutate(obj, path, value=None, delete=False):
    m = copy.deepcopy(obj)
    node = m
    for k in path[:-1]:
        node = node[k]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return m


def verdicts(v, m):
    """(compiled validator accepts, jsonschema accepts)."""
    return bool(v.fast(m)), v.explain(m) is None


def mutants(t, v, lines):
    """Type changes, unknown keys, dropped keys: rejected, both agree."""
    n = disagree = missed = 0
    for i, obj in enumerate(lines):
        for j, (path, val) in enumerate(leaves(obj)):
            w = WRONG[(i + j) % len(WRONG)]
            if kind(w) == kind(val):
                w = WRONG[(i + j + 1) % len(WRONG)]
            if kind(val) == 'null':  # null stands for a scalar: never []
                w = []
            fast, ref = verdicts(v, mutate(obj, path, w))
            n += 1
            disagree += fast != ref
            if ref and path[0] != 'message':
                missed += 1
                print('# type change accepted: %s %r -> %r'
                      % ('.'.join(map(str, path)), val, w))
        for path, o in objects(obj.get('bgpwatch', {}), ('bgpwatch',)):
            fast, ref = verdicts(v, mutate(obj, path + ('zz_new',), 1))
            n += 1
            disagree += fast != ref
            if ref:
                missed += 1
                print('# unknown key accepted in %s' % '.'.join(
                    map(str, path)))
            for k in list(o)[:3]:
                fast, ref = verdicts(v, mutate(obj, path + (k,),
                                               delete=True))
                n += 1
                disagree += fast != ref
    t.ok(disagree == 0, 'compiled validator and jsonschema agree on %d '
         'mutants' % n, '%d disagreements' % disagree)
    t.ok(missed == 0, 'every type change and unknown key is rejected',
         '%d accepted' % missed)


def main():
    sample, root = sys.argv[1], sys.argv[2]
    update = '--update' in sys.argv
    t = outlib.Tap()
    schema = os.path.join(root, 'contrib', 'schema', 'events.schema.json')
    gen = subprocess.run([sys.executable, os.path.join(
        root, 'contrib', 'schema', 'mkschema.py')], capture_output=True,
        text=True, check=True).stdout
    with open(schema) as f:
        t.ok(gen == f.read(), 'events.schema.json is what mkschema.py '
             'writes')
    v = outlib.validate.Validator(schema)
    t.ok(True, 'the schema is valid JSON Schema 2020-12')
    out = subprocess.run([sample], capture_output=True, check=True).stdout
    golden = os.path.join(root, 'tests', 'golden', 'events', 'sample.jsonl')
    if update:
        with open(golden, 'wb') as f:
            f.write(out)
    path = os.path.join(outlib.tmpdir(), 'sample.jsonl')
    with open(path, 'wb') as f:
        f.write(out)
    try:
        lines = v.check_file(path, monotonic=True)
        t.ok(True, '%d sample lines valid, sequence increasing'
             % len(lines))
    except outlib.validate.Invalid as e:
        t.ok(False, 'sample lines valid', e)
        t.done()
    bad = [o['event']['sequence'] for o in lines if v.explain(o)]
    t.ok(not bad, 'jsonschema accepts them too', bad)
    actions = set(v.schema['properties']['event']['properties']['action']
                  ['enum'])
    seen = {o['event']['action'] for o in lines}
    t.ok(seen == actions, 'the sample has every event.action',
         'missing %s' % sorted(actions - seen))
    with open(golden, 'rb') as f:
        t.ok(f.read() == out, 'the sample equals tests/golden/events/'
             'sample.jsonl (test_schema.py ... --update rewrites it)')
    mutants(t, v, lines)
    outlib.cleanup(os.path.dirname(path))
    t.done()


if __name__ == '__main__':
    main()
