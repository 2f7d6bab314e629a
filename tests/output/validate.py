#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""Check bgpwatch event lines against contrib/schema/events.schema.json.

Every test that produces event lines runs them through this:

    validate.py [--schema FILE] [--monotonic] [--allow-torn-tail]
                [--reference] FILE...

FILE may be "-" for standard input. Each line must be one compact JSON
object (no whitespace outside strings, no duplicate keys, UTF-8,
newline-terminated) that the schema (JSON Schema 2020-12, with the ipv4
and ipv6 formats asserted) accepts. --monotonic also wants event.sequence
strictly increasing within each file; --allow-torn-tail lets the last line
of a file lack its newline and be cut anywhere (a TCP receiver killed
mid-line). The first bad line ends the run with exit status 1 and
"FILE:LINE: what is wrong" on stderr; otherwise "FILE: N lines" per file
on stdout and exit status 0.

Python tests may import it instead (sys.path to tests/output):

    import validate
    v = validate.Validator()           # default schema
    obj = v.check_line(text)           # raises validate.Invalid
    objs = v.check_file(path)          # list of parsed lines

Lines are checked by a validator compiled here from the schema (the
keywords the schema uses, nothing else: an unknown keyword is an error),
about thirty times faster than jsonschema; jsonschema itself checks the
schema, explains a line that fails, and with --reference checks every
line. test_schema.py holds the two to the same verdicts.

Needs python3-jsonschema (Debian package).
"""
import argparse
import ipaddress
import json
import os
import re
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                      'contrib', 'schema', 'events.schema.json')


class Invalid(Exception):
    """A line that is not a valid event line; str() says why."""


def _no_duplicates(pairs):
    keys = set()
    for k, _ in pairs:
        if k in keys:
            raise Invalid('duplicate key "%s"' % k)
        keys.add(k)
    return dict(pairs)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BLANK = re.compile(r'[ \t\r\n]')


def _compact(text):
    """Return the offset of whitespace outside strings, or -1."""
    if not _BLANK.search(_STRING.sub('""', text)):
        return -1
    m = _BLANK.search(_STRING.sub(lambda m: 'x' * len(m.group()), text))
    return m.start()


def _is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _json_eq(a, b):
    """Equality as JSON Schema means it: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_num(a) or _is_num(b):
        return _is_num(a) and _is_num(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_json_eq, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_eq(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _ipv4(x):
    try:
        ipaddress.IPv4Address(x)
        return True
    except ValueError:
        return False


def _ipv6(x):
    try:
        return not getattr(ipaddress.IPv6Address(x), 'scope_id', None)
    except ValueError:
        return False


def _ukey(x):
    """A hashable key equal for JSON-equal scalars, None for others."""
    if isinstance(x, bool):
        return ('b', x)
    if _is_num(x):
        return ('n', x)
    if isinstance(x, str):
        return ('s', x)
    if x is None:
        return ('z', None)
    return None


def _unique(x):
    keys = [_ukey(e) for e in x]
    if None not in keys:
        return len(set(keys)) == len(keys)
    return all(not _json_eq(x[i], x[j]) for i in range(len(x))
               for j in range(i + 1, len(x)))


_FORMATS = {'ipv4': _ipv4, 'ipv6': _ipv6}
_IGNORED = {'$schema', '$id', 'title', 'description', '$defs', 'then',
            'else'}
_TYPES = {
    'string': 'type(x) is str',
    'integer': '(type(x) is int or (type(x) is float and x.is_integer()))',
    'number': 'type(x) in (int, float)',
    'boolean': 'type(x) is bool',
    'null': 'x is None',
    'object': 'type(x) is dict',
    'array': 'type(x) is list',
}


class _Compiler:
    """The schema as Python source: one function per schema node, each
    True when x matches it, straight-line checks for the keywords used."""

    def __init__(self, root):
        self.root = root
        self.src = []
        self.ns = {'_json_eq': _json_eq, '_unique': _unique,
                   '_MISSING': object()}
        self.nodes = {}
        self.n = 0

    def const(self, v):
        self.n += 1
        name = 'C%d' % self.n
        self.ns[name] = v
        return name

    def build(self):
        top = self.node(self.root)
        exec('\n'.join(self.src), self.ns)
        return self.ns[top]

    def node(self, s):
        """The name of the function for schema node s."""
        if id(s) in self.nodes:
            return self.nodes[id(s)]
        self.n += 1
        name = 'f%d' % self.n
        self.nodes[id(s)] = name
        body = []
        for k, v in s.items():
            if k in _IGNORED:
                continue
            gen = getattr(self, 'k_' + k.lstrip('$'), None)
            if gen is None:
                raise ValueError('validator knows no keyword %s' % k)
            body += gen(v, s)
        self.src.append('def %s(x):' % name)
        self.src += ['    ' + line for line in body]
        self.src.append('    return True')
        return name

    def k_ref(self, v, s):
        if not v.startswith('#/'):
            raise ValueError('unsupported $ref %s' % v)
        node = self.root
        for part in v[2:].split('/'):
            node = node[part]
        return ['if not %s(x): return False' % self.node(node)]

    def k_type(self, v, s):
        tests = [_TYPES[t] for t in ([v] if isinstance(v, str) else v)]
        return ['if not (%s): return False' % ' or '.join(tests)]

    def k_enum(self, v, s):
        if all(isinstance(e, str) for e in v):
            c = self.const(frozenset(v))
            return ['if type(x) is not str or x not in %s: return False'
                    % c]
        c = self.const(v)
        return ['if not any(_json_eq(x, e) for e in %s): return False' % c]

    def k_const(self, v, s):
        c = self.const(v)
        if isinstance(v, str):
            return ['if type(x) is not str or x != %s: return False' % c]
        return ['if not _json_eq(x, %s): return False' % c]

    def k_properties(self, v, s):
        out = ['if type(x) is dict:']
        for k, sub in v.items():
            f = self.node(sub)
            out += ['    v = x.get(%r, _MISSING)' % k,
                    '    if v is not _MISSING and not %s(v): return False'
                    % f]
        return out

    def k_required(self, v, s):
        c = self.const(frozenset(v))
        return ['if type(x) is dict and not %s.issubset(x): return False'
                % c]

    def k_additionalProperties(self, v, s):
        c = self.const(frozenset(s.get('properties', {})))
        if v is False:
            return ['if type(x) is dict and not %s.issuperset(x): '
                    'return False' % c]
        f = self.node(v)
        return ['if type(x) is dict:',
                '    for k in x:',
                '        if k not in %s and not %s(x[k]): return False'
                % (c, f)]

    def k_items(self, v, s):
        f = self.node(v)
        return ['if type(x) is list:',
                '    for v in x:',
                '        if not %s(v): return False' % f]

    def k_minItems(self, v, s):
        return ['if type(x) is list and len(x) < %d: return False' % v]

    def k_uniqueItems(self, v, s):
        if not v:
            return []
        return ['if type(x) is list and not _unique(x): return False']

    def k_minimum(self, v, s):
        return ['if type(x) in (int, float) and x < %r: return False' % v]

    def k_maximum(self, v, s):
        return ['if type(x) in (int, float) and x > %r: return False' % v]

    def k_pattern(self, v, s):
        c = self.const(re.compile(v))
        return ['if type(x) is str and %s.search(x) is None: return False'
                % c]

    def k_format(self, v, s):
        c = self.const(_FORMATS[v])
        return ['if type(x) is str and not %s(x): return False' % c]

    def k_anyOf(self, v, s):
        fs = [self.node(x) for x in v]
        return ['if not (%s): return False'
                % ' or '.join('%s(x)' % f for f in fs)]

    def k_allOf(self, v, s):
        return ['if not %s(x): return False' % self.node(x) for x in v]

    def k_if(self, v, s):
        out = ['if %s(x):' % self.node(v)]
        out.append('    if not %s(x): return False' % self.node(s['then'])
                   if 'then' in s else '    pass')
        if 'else' in s:
            out += ['elif not %s(x): return False' % self.node(s['else'])]
        return out


class Validator:
    def __init__(self, schema=SCHEMA, reference=False):
        with open(schema, encoding='utf-8') as f:
            self.schema = json.load(f)
        cls = jsonschema.Draft202012Validator
        cls.check_schema(self.schema)
        self.v = cls(self.schema, format_checker=cls.FORMAT_CHECKER)
        self.fast = _Compiler(self.schema).build()
        self.reference = reference

    def explain(self, obj):
        """jsonschema's verdict: None, or why obj is invalid."""
        err = jsonschema.exceptions.best_match(self.v.iter_errors(obj))
        if err is None:
            return None
        path = '.'.join(str(p) for p in err.absolute_path) or '(line)'
        return '%s: %s' % (path, err.message)

    def check_obj(self, obj):
        if self.reference or not self.fast(obj):
            why = self.explain(obj)
            if why is not None:
                raise Invalid(why)
            if not self.reference:
                raise Invalid('rejected by the compiled validator but '
                              'not by jsonschema: a bug in validate.py')

    def check_line(self, text):
        """Parse and validate one line (without its newline)."""
        at = _compact(text)
        if at >= 0:
            raise Invalid('whitespace outside a string at column %d'
                          % (at + 1))
        try:
            obj = json.loads(text, object_pairs_hook=_no_duplicates)
        except ValueError as e:
            raise Invalid('not JSON: %s' % e)
        if not isinstance(obj, dict):
            raise Invalid('not a JSON object')
        self.check_obj(obj)
        return obj

    def check_file(self, path, monotonic=False, torn_tail=False):
        """All lines of path (or "-"), parsed; Invalid names the line."""
        if path == '-':
            data = sys.stdin.buffer.read()
        else:
            with open(path, 'rb') as f:
                data = f.read()
        lines = data.split(b'\n')
        tail = lines.pop()  # after the last newline: empty when whole
        if tail and not torn_tail:
            raise Invalid('%s:%d: no newline at the end'
                          % (path, len(lines) + 1))
        out = []
        last = 0
        for n, raw in enumerate(lines, 1):
            try:
                obj = self.check_line(raw.decode('utf-8'))
            except UnicodeDecodeError as e:
                raise Invalid('%s:%d: not UTF-8: %s' % (path, n, e))
            except Invalid as e:
                raise Invalid('%s:%d: %s' % (path, n, e))
            seq = obj['event']['sequence']
            if monotonic and seq <= last:
                raise Invalid('%s:%d: event.sequence %d after %d'
                              % (path, n, seq, last))
            last = seq
            out.append(obj)
        return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--schema', default=SCHEMA)
    ap.add_argument('--monotonic', action='store_true')
    ap.add_argument('--allow-torn-tail', action='store_true')
    ap.add_argument('--reference', action='store_true',
                    help='check every line with jsonschema (slow)')
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    v = Validator(a.schema, a.reference)
    for path in a.files:
        try:
            objs = v.check_file(path, a.monotonic, a.allow_torn_tail)
        except Invalid as e:
            print(e, file=sys.stderr)
            return 1
        except OSError as e:
            print('%s: %s' % (path, e), file=sys.stderr)
            return 1
        print('%s: %d lines' % (path, len(objs)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
