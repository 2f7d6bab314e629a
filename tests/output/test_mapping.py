#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""contrib/elk against contrib/schema/events.schema.json.

Every leaf field of the schema has a mapping in the Elasticsearch index
template of a compatible type (ip for addresses, long for AS numbers and
counters, date for times, boolean, double, keyword or text for strings),
and every mapped field exists in the schema. The Filebeat input and the
Logstash pipeline carry the settings the ELK conventions ask for.

usage: test_mapping.py OUTTEST SOURCE_ROOT"""
import json
import os
import re
import sys

import outlib

# What an Elasticsearch field type may hold a schema type.
COMPATIBLE = {
    'integer': {'long', 'unsigned_long'},
    'number': {'double', 'float', 'scaled_float'},
    'boolean': {'boolean'},
    'ip': {'ip'},
    'date': {'date', 'date_nanos'},
    'string': {'keyword', 'constant_keyword', 'wildcard', 'text',
               'match_only_text'},
}
# $defs whose strings have a type of their own in Elasticsearch.
SPECIAL = {'ip': 'ip', 'ipv4': 'ip', 'timestamp': 'date'}


def schema_leaves(root, refs=None):
    """{dotted field: schema type} for every leaf of the schema; refs
    gets {dotted field: name of the $defs entry it is} where it is one."""
    out = {}
    refs = {} if refs is None else refs

    def walk(node, path, ref=None):
        if '$ref' in node:
            name = node['$ref'].split('/')[-1]
            walk(root['$defs'][name], path, name)
            return
        if 'anyOf' in node and 'type' not in node:
            for alt in node['anyOf']:
                if alt.get('type') != 'null':
                    walk(alt, path, ref)
            return
        types = node.get('type')
        types = [types] if isinstance(types, str) else (types or [])
        types = [x for x in types if x != 'null']
        if 'const' in node and not types:
            types = ['integer' if isinstance(node['const'], int)
                     else 'string']
        if types == ['object']:
            for k, sub in node.get('properties', {}).items():
                walk(sub, path + [k])
        elif types == ['array']:
            walk(node['items'], path, ref)
        elif len(types) == 1:
            t = SPECIAL.get(ref, types[0]) if types[0] == 'string' \
                else types[0]
            out['.'.join(path)] = t
            if ref is not None:
                refs['.'.join(path)] = ref
        else:
            out['.'.join(path)] = 'unknown %s' % types

    walk(root, [])
    return out


def template_leaves(props, path=(), out=None):
    """{dotted field: Elasticsearch type} of the template's mappings."""
    out = {} if out is None else out
    for k, m in props.items():
        if 'properties' in m:
            template_leaves(m['properties'], path + (k,), out)
        else:
            out['.'.join(path + (k,))] = m.get('type', 'object')
    return out


def check_template(t, root):
    with open(os.path.join(root, 'contrib', 'schema',
                           'events.schema.json')) as f:
        schema = json.load(f)
    with open(os.path.join(root, 'contrib', 'elk', 'elasticsearch',
                           'bgpwatch-events-template.json')) as f:
        tmpl = json.load(f)
    t.ok(tmpl['index_patterns'] == ['logs-bgpwatch.events-*'] and
         'data_stream' in tmpl, 'template: the bgpwatch.events data stream')
    refs = {}
    s = schema_leaves(schema, refs)
    m = template_leaves(tmpl['template']['mappings']['properties'])
    t.ok(not sorted(set(s) - set(m)), 'every schema field (%d) is mapped'
         % len(s), 'unmapped: %s' % sorted(set(s) - set(m)))
    t.ok(not sorted(set(m) - set(s)), 'every mapped field (%d) is in '
         'the schema' % len(m), 'unknown: %s' % sorted(set(m) - set(s)))
    bad = ['%s: schema %s, mapping %s' % (k, s[k], m[k])
           for k in sorted(set(s) & set(m))
           if m[k] not in COMPATIBLE.get(s[k], ())]
    t.ok(not bad, 'every mapping type fits the schema type', '\n'.join(bad))
    asn = [k for k, r in refs.items() if r in ('asn', 'asn_or_null',
                                               'asset')]
    t.ok(asn and all(m.get(k) == 'long' for k in asn),
         'AS numbers are long (%d fields)' % len(asn),
         [k for k in asn if m.get(k) != 'long'])


def check_filebeat(t, root):
    import yaml
    with open(os.path.join(root, 'contrib', 'elk', 'filebeat.yml')) as f:
        fb = yaml.safe_load(f)
    inp = fb['filebeat.inputs'][0]
    nd = inp['parsers'][0]['ndjson']
    t.ok(inp['type'] == 'filestream' and nd['target'] == '' and
         nd['expand_keys'] is True and nd['add_error_key'] is True,
         'filebeat: filestream, ndjson target "", expand_keys, '
         'add_error_key', inp)


def check_logstash(t, root):
    with open(os.path.join(root, 'contrib', 'elk', 'logstash',
                           'bgpwatch.conf')) as f:
        conf = re.sub(r'#.*', '', f.read())
    want = [r'tcp\s*\{', r'codec\s*=>\s*json_lines',
            r'ecs_compatibility\s*=>\s*v8', r'ssl_enabled\s*=>\s*true',
            r'ssl_certificate\s*=>', r'ssl_key\s*=>',
            r'ssl_certificate_authorities\s*=>',
            r'document_id\s*=>\s*"%\{\[event\]\[id\]\}"']
    missing = [w for w in want if not re.search(w, conf)]
    t.ok(not missing, 'logstash: tcp json_lines, ECS v8, TLS, event.id '
         'as document id', missing)
    t.ok(conf.count('{') == conf.count('}'), 'logstash: braces balance')


def main():
    root = sys.argv[2]
    t = outlib.Tap()
    check_template(t, root)
    check_filebeat(t, root)
    check_logstash(t, root)
    t.done()


if __name__ == '__main__':
    main()
