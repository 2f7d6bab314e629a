#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""Write events.schema.json (JSON Schema 2020-12 of bgpwatch's event
lines) to standard output.

This script is the source of the schema: change it, run
`./mkschema.py > events.schema.json` and review the diff;
tests/output/test_schema.py fails while the two differ. Field types never
change; fields are only added (with a new schema_version when a consumer
must know)."""
import json
from collections import OrderedDict as O

U32 = 4294967295


def node(kind, desc=None, **kw):
    d = O()
    if desc:
        d['description'] = desc
    d['type'] = kind
    d.update(kw)
    return d


def obj(props, required=(), desc=None):
    """A closed object: additionalProperties false."""
    d = node('object', desc)
    if required:
        d['required'] = list(required)
    d['additionalProperties'] = False
    d['properties'] = O(props)
    return d


def ref(name):
    return {'$ref': '#/$defs/' + name}


def arr(items, desc=None, unique=False):
    d = node('array', desc, items=items)
    if unique:
        d['uniqueItems'] = True
    return d


def s(desc=None, **kw):
    return node('string', desc, **kw)


def i(desc=None, **kw):
    kw.setdefault('minimum', 0)
    return node('integer', desc, **kw)


def b(desc=None):
    return node('boolean', desc)


def num01(desc):
    return node('number', desc, minimum=0, maximum=1)


def nullable(x):
    x = O(x)
    x['type'] = [x['type'], 'null']
    return x


def enum(vals, desc=None):
    return node('string', desc, enum=vals)


def const(v):
    return O([('const', v)])


def defs_basic():
    d = O()
    d['asn'] = node('integer', 'An AS number (RFC 6793), always a number.',
                    minimum=0, maximum=U32)
    d['asn_or_null'] = node(
        ['integer', 'null'], 'An AS number, or null when unknown (AS_SET '
        'tail, path of one AS).', minimum=0, maximum=U32)
    d['ip'] = node('string', 'An IPv4 or IPv6 address in its text form.',
                   anyOf=[{'format': 'ipv4'}, {'format': 'ipv6'}])
    d['ipv4'] = node('string', 'A dotted-quad IPv4 address (BGP '
                     'Identifier, cluster id).', format='ipv4')
    d['prefix'] = node(
        'string', 'An IPv4 or IPv6 prefix, address/length.',
        pattern='^([0-9]{1,3}(\\.[0-9]{1,3}){3}/([0-9]|[12][0-9]|3[0-2])'
        '|[0-9a-f:.]*:[0-9a-f:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$')
    d['timestamp'] = node(
        'string', 'RFC 3339 UTC with milliseconds.',
        pattern='^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])'
        'T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)\\.[0-9]{3}Z$')
    d['asset'] = arr(ref('asn'), 'A set of AS numbers, ascending.',
                     unique=True)
    d['family'] = s('An address family as AFI-SAFI, e.g. ipv4-unicast '
                    '(numbers when unnamed).', pattern='^[a-z0-9-]+$')
    d['afi'] = node(['string', 'null'],
                    'Address family name (null: unnamed AFI).')
    d['state'] = enum(['Idle', 'Connect', 'Active', 'OpenSent',
                       'OpenConfirm', 'Established'],
                      'RFC 4271 section 8.2.2 session state.')
    d['hex'] = s('Lower-case hex octets.', pattern='^([0-9a-f]{2})*$')
    d['peer'] = obj(O([
        ('ip', ref('ip')),
        ('as', ref('asn')),
        ('bgp_id', ref('ipv4')),
        ('description', s("The neighbor's descr, empty for none.")),
    ]), ['ip', 'as', 'description'], 'The neighbor the line is about.')
    return d


def aspath_props():
    seg = obj(O([
        ('type', enum(['sequence', 'set', 'confed-sequence',
                       'confed-set'])),
        ('asns', arr(ref('asn'))),
    ]), ['type', 'asns'])
    return O([
        ('segments', arr(seg)),
        ('flat', arr(ref('asn'))),
        ('length', i('RFC 4271 section 9.1.2.2 path length.')),
        ('origin_as', ref('asn_or_null')),
        ('upstream_as', ref('asn_or_null')),
        ('text', nullable(s())),
    ])


ASPATH_REQ = ['segments', 'flat', 'length', 'origin_as', 'upstream_as',
              'text']


def defs_attributes(d):
    d['aspath_obj'] = obj(aspath_props(), ASPATH_REQ, 'A decoded AS_PATH.')
    as4 = aspath_props()
    as4['merged'] = b('AS4_PATH was merged into AS_PATH (RFC 6793 section '
                      '4.2.3).')
    d['aggregator'] = obj(O([('as', ref('asn')), ('address', ref('ipv4'))]),
                          ['as', 'address'])
    d['ext_community'] = obj(O([
        ('type', i(maximum=255)), ('subtype', i(maximum=255)),
        ('name', s()), ('value', s()), ('text', s()), ('hex', ref('hex')),
    ]), ['type', 'subtype'])
    reach = obj(O([
        ('afi', s()), ('safi', s()), ('next_hop', arr(ref('ip'))),
        ('next_hop_hex', ref('hex')), ('decoded', b()),
    ]), ['afi', 'safi', 'decoded'])
    unreach = obj(O([('afi', s()), ('safi', s()), ('decoded', b())]),
                  ['afi', 'safi', 'decoded'])
    unknown = obj(O([
        ('type', i(maximum=255)), ('name', s()), ('flags', i(maximum=255)),
        ('value', ref('hex')),
    ]), ['type', 'flags', 'value'])
    d['attributes'] = obj(O([
        ('origin', enum(['igp', 'egp', 'incomplete', 'undefined'])),
        ('as_path', ref('aspath_obj')),
        ('next_hop', ref('ip')),
        ('med', i(maximum=U32)),
        ('local_pref', i(maximum=U32)),
        ('atomic_aggregate', b()),
        ('aggregator', ref('aggregator')),
        ('communities', arr(s(pattern='^[0-9]+:[0-9]+$'))),
        ('originator_id', ref('ipv4')),
        ('cluster_list', arr(ref('ipv4'))),
        ('mp_reach', reach),
        ('mp_unreach', unreach),
        ('extended_communities', arr(ref('ext_community'))),
        ('as4_path', obj(as4, ASPATH_REQ + ['merged'])),
        ('as4_aggregator', ref('aggregator')),
        ('ipv6_extended_communities', arr(ref('ext_community'))),
        ('large_communities', arr(s(pattern='^[0-9]+:[0-9]+:[0-9]+$'))),
        ('otc', ref('asn')),
        ('unknown', arr(unknown)),
    ]), desc="The route's path attributes as stored (canonical form).")


def path_props():
    return O([
        ('next_hop', ref('ip')),
        ('next_hop_link_local', ref('ip')),
        ('as_path', arr(ref('asn'), 'The AS_PATH flattened, always '
                        'numbers.')),
        ('origin_as', ref('asn_or_null')),
        ('origin_as_set', b('The path ends in an AS_SET: the origin is '
                            'unknown.')),
        ('upstream_as', ref('asn_or_null')),
    ])


def defs_watch(d):
    route = O([
        ('prefix', ref('prefix')),
        ('afi', enum(['ipv4', 'ipv6'])),
        ('path_id', i('RFC 7911 path identifier (0 without ADD-PATH).',
                      maximum=U32)),
    ])
    route.update(path_props())
    route['previous'] = obj(path_props(), ['as_path', 'origin_as',
                                           'origin_as_set', 'upstream_as'],
                            'The route before a replacement or '
                            'withdrawal.')
    route['attributes'] = O([('anyOf', [ref('attributes'),
                                        {'type': 'null'}])])
    d['route'] = obj(route, ['prefix', 'afi'])
    d['watch'] = obj(O([
        ('name', s()), ('prefix', ref('prefix')),
        ('match', enum(['exact', 'or-longer', 'origin-as'])),
    ]), ['name'])
    share = obj(O([
        ('as', ref('asn')), ('ratio', num01(None)), ('routes', i()),
    ]), ['as', 'ratio', 'routes'])
    d['upstreams'] = obj(O([
        ('baseline', ref('asset')), ('current', ref('asset')),
        ('added', ref('asset')), ('removed', ref('asset')),
        ('share', arr(share)),
        ('share_other', num01('Fraction of the routes through upstreams '
                              'not listed in share.')),
        ('as', ref('asn')), ('flapping', b()), ('flaps', i()),
        ('flapping_upstreams', ref('asset')),
        ('baseline_source', enum(['configured', 'learned'])),
        ('hold_down', i('Seconds.')),
    ]), ['baseline', 'current', 'added', 'removed', 'share',
         'baseline_source', 'hold_down'])
    d['origins'] = obj(O([
        ('previous', ref('asset')), ('previous_unknown', b()),
        ('current', ref('asset')), ('current_unknown', b()),
        ('moas', b()),
        ('expected', ref('asset')), ('unexpected', ref('asset')),
    ]), ['current', 'current_unknown', 'moas'])
    d['visibility'] = obj(O([
        ('peers', i()), ('min_peers', i()), ('eligible', i()),
        ('prefixes', i()), ('visible', i()),
    ]))
    d['treat_as_withdraw'] = obj(O([
        ('attribute', ref('hex')), ('reason', s()),
    ]), ['attribute', 'reason'])
    d['sync'] = obj(O([
        ('afi', ref('afi')), ('safi', node(['string', 'null'])),
        ('trigger', enum(['end-of-rib', 'timeout'])),
        ('complete', b()),
        ('routes', i('Routes the peer announced in its initial transfer of '
                     'this family (unicast; 0 for other SAFIs).')),
    ]), ['afi', 'safi', 'trigger', 'complete', 'routes'])


def open_obj():
    capa = obj(O([('code', i(maximum=255)), ('name', s())]), ['code'])
    addpath = obj(O([
        ('family', arr(ref('family'))),
        ('mode', enum(['none', 'receive', 'send', 'send-receive'])),
    ]), ['family', 'mode'])
    gr = obj(O([
        ('restart_time', i(maximum=4095)), ('restarted', b()),
        ('notification', b()), ('families', arr(ref('family'))),
    ]), ['restart_time', 'restarted', 'notification', 'families'])
    return obj(O([
        ('version', i(maximum=255)),
        ('as', ref('asn')),
        ('hold_time', i(maximum=65535)),
        ('bgp_id', ref('ipv4')),
        ('capabilities', arr(capa)),
        ('families', arr(ref('family'))),
        ('add_path', arr(addpath)),
        ('graceful_restart', gr),
        ('role', enum(['provider', 'rs', 'rs-client', 'customer', 'peer'])),
        ('hostname', s()), ('domain', s()),
    ]), ['version', 'as', 'hold_time', 'bgp_id', 'capabilities',
         'families'], 'The OPEN the peer sent.')


def defs_session(d):
    notif = obj(O([
        ('direction', enum(['sent', 'received'])),
        ('code', i(maximum=255)), ('subcode', i(maximum=255)),
        ('name', s()), ('code_name', s()), ('subcode_name', s()),
        ('shutdown_communication', s('RFC 9003 text.')),
    ]), ['direction', 'code', 'subcode', 'name', 'code_name'])
    d['session'] = obj(O([
        ('state', ref('state')),
        ('previous_state', ref('state')),
        ('fsm_event', s('RFC 4271 section 8.1 event name.')),
        ('hold_time', i(maximum=65535)), ('keepalive', i(maximum=65535)),
        ('families', arr(ref('family'))),
        ('add_path_receive', arr(ref('family'))),
        ('four_octet_as', b()), ('extended_message', b()),
        ('route_refresh', b()), ('enhanced_route_refresh', b()),
        ('graceful_restart', b()),
        ('local_ip', ref('ip')), ('local_port', i(maximum=65535)),
        ('remote_port', i(maximum=65535)),
        ('open', open_obj()),
        ('uptime', i('Seconds the session was established.')),
        ('stale_kept', b('RFC 4724: routes kept as stale.')),
        ('routes', i()),
        ('notification', notif),
    ]), ['state'])
    d['stats'] = obj(O([
        ('state', ref('state')), ('state_age', i('Seconds.')),
        ('prefixes', obj(O([
            ('ipv4_unicast', i()), ('ipv6_unicast', i()), ('total', i()),
        ]), ['ipv4_unicast', 'ipv6_unicast', 'total'])),
        ('updates', i()), ('announced', i()), ('withdrawn', i()),
        ('treat_as_withdraw', i()), ('attr_discard', i()),
        ('established', i()),
        ('last_update_age', node(['integer', 'null'], 'Seconds since the '
                                 'last UPDATE; null: none yet.',
                                 minimum=0)),
        ('interval', i('Seconds between two peer-stats lines.')),
    ]), ['state', 'prefixes', 'updates', 'announced', 'withdrawn',
         'treat_as_withdraw', 'attr_discard', 'established',
         'last_update_age', 'interval'])


def defs_collector(d):
    d['collector'] = obj(O([
        ('config', s()), ('local_as', ref('asn')),
        ('router_id', ref('ipv4')),
        ('neighbors', i()), ('watches', i()), ('outputs', i()),
        ('pid', O([('type', 'integer')])),
    ]), ['config', 'local_as', 'neighbors', 'watches', 'outputs', 'pid'])
    d['reload'] = obj(O([
        ('config', s()), ('ok', b()), ('error', s()),
        ('neighbors', i()), ('added', i()), ('removed', i()),
        ('reset', i()), ('watches', i()),
    ]), ['config', 'ok', 'neighbors', 'added', 'removed', 'reset',
         'watches'])
    d['output'] = obj(O([
        ('name', s()), ('type', enum(['file', 'stdout', 'tcp', 'tls'])),
        ('dropped', i(minimum=1)), ('first_sequence', i(minimum=1)),
        ('last_sequence', i(minimum=1)),
        ('first_time', ref('timestamp')), ('last_time', ref('timestamp')),
    ]), ['name', 'type', 'dropped', 'first_sequence', 'last_sequence',
         'first_time', 'last_time'])


ROUTE_ACTIONS = ['route-announced', 'route-replaced', 'route-withdrawn',
                 'route-treat-as-withdraw']
ALERT_ACTIONS = ['origin-changed', 'upstream-added', 'upstream-removed',
                 'expected-upstream-missing', 'more-specific-seen',
                 'visibility-lost', 'visibility-restored']
OTHER_ACTIONS = ['baseline-learned', 'rib-synced', 'session-established',
                 'session-closed', 'collector-started', 'config-reloaded',
                 'peer-stats', 'output-gap']


def bgpwatch():
    parts = ['peer', 'route', 'watch', 'upstreams', 'origins', 'visibility',
             'treat_as_withdraw', 'sync', 'session', 'stats', 'collector',
             'reload', 'output']
    props = O([('schema_version', const(1))])
    props.update((p, ref(p)) for p in parts)
    return obj(props, ['schema_version'], 'BGP specifics; schema_version '
               'says which version of this schema the line follows.')


def event():
    e = obj(O([
        ('kind', enum(['event', 'alert', 'state', 'metric'])),
        ('category', arr(enum(['network', 'process', 'configuration']))),
        ('type', arr(enum(['protocol', 'info', 'connection', 'start',
                           'end', 'change']))),
        ('action', enum(ROUTE_ACTIONS + ALERT_ACTIONS + OTHER_ACTIONS)),
        ('dataset', const('bgpwatch.events')),
        ('sequence', i('Monotonic per daemon run, from 1.', minimum=1)),
        ('id', s('RUNID-SEQUENCE, unique across runs.',
                 pattern='^[0-9a-f]{24}-[1-9][0-9]*$')),
        ('outcome', enum(['success', 'failure'])),
        ('reason', s()),
    ]), ['kind', 'category', 'type', 'action', 'dataset', 'sequence', 'id'])
    for k in ('category', 'type'):
        e['properties'][k]['minItems'] = 1
    return e


def when(actions, kind, parts, event_required=None):
    """The parts of bgpwatch (and of event) a family of actions has."""
    cond = {'properties': {'event': {'properties': {'action': {
        'enum': actions}}}}}
    ev = {'properties': {'kind': {'const': kind}}}
    if event_required:
        ev['required'] = event_required
    then = O([('properties', O([
        ('event', ev),
        ('bgpwatch', {'required': parts}),
    ]))])
    return O([('if', cond), ('then', then)])


def families():
    return [
        when(ROUTE_ACTIONS, 'event', ['peer', 'route', 'watch']),
        when(['route-treat-as-withdraw'], 'event', ['treat_as_withdraw']),
        when(ALERT_ACTIONS, 'alert', ['route', 'watch']),
        when(['upstream-added', 'upstream-removed',
              'expected-upstream-missing'], 'alert',
             ['upstreams', 'origins']),
        when(['origin-changed', 'more-specific-seen'], 'alert',
             ['origins']),
        when(['visibility-lost', 'visibility-restored'], 'alert',
             ['visibility']),
        when(['baseline-learned'], 'state',
             ['watch', 'upstreams', 'origins', 'visibility']),
        when(['rib-synced'], 'event', ['peer', 'sync']),
        when(['session-established', 'session-closed'], 'event',
             ['peer', 'session']),
        when(['peer-stats'], 'metric', ['peer', 'stats']),
        when(['collector-started'], 'state', ['collector']),
        when(['config-reloaded'], 'state', ['reload'], ['outcome']),
        when(['output-gap'], 'state', ['output'], ['reason']),
        O([('if', {'properties': {'bgpwatch': {'required': ['peer']}}}),
           ('then', {'required': ['source', 'related', 'network']})]),
    ]


def envelope():
    observer = obj(O([
        ('type', const('sensor')), ('product', const('bgpwatch')),
        ('hostname', s()), ('version', s()),
    ]), ['type', 'product'])
    source = obj(O([
        ('ip', ref('ip')),
        ('as', obj(O([('number', ref('asn'))]), ['number'])),
    ]), ['ip', 'as'])
    related = obj(O([('ip', O([
        ('type', 'array'), ('items', ref('ip')), ('minItems', 1),
        ('uniqueItems', True)]))]), ['ip'])
    return O([
        ('@timestamp', ref('timestamp')),
        ('log', obj(O([('level', enum(['info', 'notice', 'warning',
                                       'error']))]), ['level'])),
        ('message', s('One human sentence.')),
        ('ecs', obj(O([('version', const('8.11.0'))]), ['version'])),
        ('event', event()),
        ('observer', observer),
        ('source', source),
        ('network', obj(O([('protocol', const('bgp'))]), ['protocol'])),
        ('related', related),
        ('bgpwatch', bgpwatch()),
    ])


def schema():
    defs = defs_basic()
    defs_attributes(defs)
    defs_watch(defs)
    defs_session(defs)
    defs_collector(defs)
    return O([
        ('$schema', 'https://json-schema.org/draft/2020-12/schema'),
        ('$id', 'urn:bgpwatch:events:schema:1'),
        ('title', 'bgpwatch event line'),
        ('description', "One line of bgpwatch's JSON-lines output: an "
         'Elastic Common Schema 8.11 envelope with BGP specifics under '
         'bgpwatch. Field types never change; new fields may be added '
         '(additively) with a new schema_version.'),
        ('type', 'object'),
        ('required', ['@timestamp', 'log', 'message', 'ecs', 'event',
                      'observer', 'bgpwatch']),
        ('additionalProperties', False),
        ('properties', envelope()),
        ('allOf', families()),
        ('$defs', defs),
    ])


def main():
    print(json.dumps(schema(), indent=2))


if __name__ == '__main__':
    main()
