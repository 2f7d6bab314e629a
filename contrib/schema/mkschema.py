#!/usr/bin/env python3
# Copyright (c) 2026 The bgpwatch authors
# SPDX-License-Identifier: ISC
"""Write contrib/schema/events.schema.json (JSON Schema 2020-12 of the
event lines) to standard output. This script is the source of the schema:
change it, run `mkschema.py > events.schema.json`, review the diff;
tests/output/test_schema.py fails while the two differ. Field types never
change; new fields are added, with a new schema_version when a consumer
must know."""
import json, collections
O = collections.OrderedDict

def obj(props, required=(), addl=False, desc=None):
    d = O()
    if desc: d["description"] = desc
    d["type"] = "object"
    if required: d["required"] = list(required)
    d["additionalProperties"] = addl
    d["properties"] = O(props)
    return d

def ref(n): return {"$ref": "#/$defs/" + n}
def arr(items, desc=None, unique=False):
    d = O()
    if desc: d["description"] = desc
    d["type"] = "array"; d["items"] = items
    if unique: d["uniqueItems"] = True
    return d
def s(desc=None, **kw):
    d = O();
    if desc: d["description"] = desc
    d["type"] = "string"; d.update(kw); return d
def i(desc=None, **kw):
    d = O()
    if desc: d["description"] = desc
    d["type"] = "integer"; d["minimum"] = 0; d.update(kw); return d
def b(desc=None):
    d = O()
    if desc: d["description"] = desc
    d["type"] = "boolean"; return d
def nullable(x):
    x = O(x); x["type"] = [x["type"], "null"]; return x
def enum(vals, desc=None):
    d = O()
    if desc: d["description"] = desc
    d["type"] = "string"; d["enum"] = vals; return d

defs = O()
defs["asn"] = O([("description", "An AS number (RFC 6793), always a number."), ("type", "integer"), ("minimum", 0), ("maximum", 4294967295)])
defs["asn_or_null"] = O([("description", "An AS number, or null when unknown (AS_SET tail, path of one AS)."), ("type", ["integer", "null"]), ("minimum", 0), ("maximum", 4294967295)])
defs["ip"] = O([("description", "An IPv4 or IPv6 address in its text form."), ("type", "string"), ("anyOf", [{"format": "ipv4"}, {"format": "ipv6"}])])
defs["ipv4"] = O([("description", "A dotted-quad IPv4 address (BGP Identifier, cluster id)."), ("type", "string"), ("format", "ipv4")])
defs["prefix"] = O([("description", "An IPv4 or IPv6 prefix, address/length."), ("type", "string"), ("pattern", "^([0-9]{1,3}(\\.[0-9]{1,3}){3}/([0-9]|[12][0-9]|3[0-2])|[0-9a-f:.]*:[0-9a-f:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$")])
defs["timestamp"] = O([("description", "RFC 3339 UTC with milliseconds."), ("type", "string"), ("pattern", "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)\\.[0-9]{3}Z$")])
defs["asset"] = arr(ref("asn"), "A set of AS numbers, ascending.", unique=True)
defs["family"] = s("An address family as AFI-SAFI, e.g. ipv4-unicast (numbers when unnamed).", pattern="^[a-z0-9-]+$")
defs["afi"] = O([("description", "Address family name (null: unnamed AFI)."), ("type", ["string", "null"])])
defs["state"] = enum(["Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established"], "RFC 4271 section 8.2.2 session state.")
defs["hex"] = s("Lower-case hex octets.", pattern="^([0-9a-f]{2})*$")

defs["peer"] = obj(O([
    ("ip", ref("ip")),
    ("as", ref("asn")),
    ("bgp_id", ref("ipv4")),
    ("description", s("The neighbor's descr, empty for none.")),
]), ["ip", "as", "description"], desc="The neighbor the line is about.")

aspath_props = O([
    ("segments", arr(obj(O([("type", enum(["sequence", "set", "confed-sequence", "confed-set"])), ("asns", arr(ref("asn")))]), ["type", "asns"]))),
    ("flat", arr(ref("asn"))),
    ("length", i("RFC 4271 section 9.1.2.2 path length.")),
    ("origin_as", ref("asn_or_null")),
    ("upstream_as", ref("asn_or_null")),
    ("text", nullable(s())),
])
defs["aspath_obj"] = obj(aspath_props, ["segments", "flat", "length", "origin_as", "upstream_as", "text"], desc="A decoded AS_PATH.")
as4 = O(aspath_props); as4["merged"] = b("AS4_PATH was merged into AS_PATH (RFC 6793 section 4.2.3).")
defs["aggregator"] = obj(O([("as", ref("asn")), ("address", ref("ipv4"))]), ["as", "address"])
defs["ext_community"] = obj(O([
    ("type", i(maximum=255)), ("subtype", i(maximum=255)),
    ("name", s()), ("value", s()), ("text", s()), ("hex", ref("hex")),
]), ["type", "subtype"])
defs["mp_family"] = O([("afi", s()), ("safi", s())])
defs["attributes"] = obj(O([
    ("origin", enum(["igp", "egp", "incomplete", "undefined"])),
    ("as_path", ref("aspath_obj")),
    ("next_hop", ref("ip")),
    ("med", i(maximum=4294967295)),
    ("local_pref", i(maximum=4294967295)),
    ("atomic_aggregate", b()),
    ("aggregator", ref("aggregator")),
    ("communities", arr(s(pattern="^[0-9]+:[0-9]+$"))),
    ("originator_id", ref("ipv4")),
    ("cluster_list", arr(ref("ipv4"))),
    ("mp_reach", obj(O([("afi", s()), ("safi", s()), ("next_hop", arr(ref("ip"))), ("next_hop_hex", ref("hex")), ("decoded", b())]), ["afi", "safi", "decoded"])),
    ("mp_unreach", obj(O([("afi", s()), ("safi", s()), ("decoded", b())]), ["afi", "safi", "decoded"])),
    ("extended_communities", arr(ref("ext_community"))),
    ("as4_path", obj(as4, ["segments", "flat", "length", "origin_as", "upstream_as", "text", "merged"])),
    ("as4_aggregator", ref("aggregator")),
    ("ipv6_extended_communities", arr(ref("ext_community"))),
    ("large_communities", arr(s(pattern="^[0-9]+:[0-9]+:[0-9]+$"))),
    ("otc", ref("asn")),
    ("unknown", arr(obj(O([("type", i(maximum=255)), ("name", s()), ("flags", i(maximum=255)), ("value", ref("hex"))]), ["type", "flags", "value"]))),
]), desc="The route's path attributes as stored (canonical form).")

path_props = O([
    ("next_hop", ref("ip")),
    ("next_hop_link_local", ref("ip")),
    ("as_path", arr(ref("asn"), "The AS_PATH flattened, always numbers.")),
    ("origin_as", ref("asn_or_null")),
    ("origin_as_set", b("The path ends in an AS_SET: the origin is unknown.")),
    ("upstream_as", ref("asn_or_null")),
])
route_props = O([
    ("prefix", ref("prefix")),
    ("afi", enum(["ipv4", "ipv6"])),
    ("path_id", i("RFC 7911 path identifier (0 without ADD-PATH).", maximum=4294967295)),
])
route_props.update(path_props)
route_props["previous"] = obj(path_props, ["as_path", "origin_as", "origin_as_set", "upstream_as"], desc="The route before a replacement or withdrawal.")
route_props["attributes"] = O([("anyOf", [ref("attributes"), {"type": "null"}])])
defs["route"] = obj(route_props, ["prefix", "afi"])
defs["watch"] = obj(O([("name", s()), ("prefix", ref("prefix")), ("match", enum(["exact", "or-longer", "origin-as"]))]), ["name"])
defs["upstreams"] = obj(O([
    ("baseline", ref("asset")), ("current", ref("asset")), ("added", ref("asset")), ("removed", ref("asset")),
    ("share", arr(obj(O([("as", ref("asn")), ("ratio", O([("type", "number"), ("minimum", 0), ("maximum", 1)])), ("routes", i())]), ["as", "ratio", "routes"]))),
    ("share_other", O([("description", "Fraction of the routes through upstreams not listed in share."), ("type", "number"), ("minimum", 0), ("maximum", 1)])),
    ("as", ref("asn")), ("flapping", b()), ("flaps", i()),
    ("flapping_upstreams", ref("asset")),
    ("baseline_source", enum(["configured", "learned"])),
    ("hold_down", i("Seconds.")),
]), ["baseline", "current", "added", "removed", "share", "baseline_source", "hold_down"])
defs["origins"] = obj(O([
    ("previous", ref("asset")), ("previous_unknown", b()),
    ("current", ref("asset")), ("current_unknown", b()), ("moas", b()),
    ("expected", ref("asset")), ("unexpected", ref("asset")),
]), ["current", "current_unknown", "moas"])
defs["visibility"] = obj(O([("peers", i()), ("min_peers", i()), ("eligible", i()), ("prefixes", i()), ("visible", i())]))
defs["treat_as_withdraw"] = obj(O([("attribute", ref("hex")), ("reason", s())]), ["attribute", "reason"])
defs["sync"] = obj(O([("afi", ref("afi")), ("safi", O([("type", ["string", "null"])])), ("trigger", enum(["end-of-rib", "timeout"])), ("complete", b()), ("routes", i())]), ["afi", "safi", "trigger", "complete", "routes"])

notif = obj(O([
    ("direction", enum(["sent", "received"])),
    ("code", i(maximum=255)), ("subcode", i(maximum=255)),
    ("name", s()), ("code_name", s()), ("subcode_name", s()),
    ("shutdown_communication", s("RFC 9003 text.")),
]), ["direction", "code", "subcode", "name", "code_name"])
open_obj = obj(O([
    ("version", i(maximum=255)),
    ("as", ref("asn")),
    ("hold_time", i(maximum=65535)),
    ("bgp_id", ref("ipv4")),
    ("capabilities", arr(obj(O([("code", i(maximum=255)), ("name", s())]), ["code"]))),
    ("families", arr(ref("family"))),
    ("add_path", arr(obj(O([("family", arr(ref("family"))), ("mode", enum(["none", "receive", "send", "send-receive"]))]), ["family", "mode"]))),
    ("graceful_restart", obj(O([("restart_time", i(maximum=4095)), ("restarted", b()), ("notification", b()), ("families", arr(ref("family")))]), ["restart_time", "restarted", "notification", "families"])),
    ("role", enum(["provider", "rs", "rs-client", "customer", "peer"])),
    ("hostname", s()), ("domain", s()),
]), ["version", "as", "hold_time", "bgp_id", "capabilities", "families"], desc="The OPEN the peer sent.")
defs["session"] = obj(O([
    ("state", ref("state")),
    ("previous_state", ref("state")),
    ("fsm_event", s("RFC 4271 section 8.1 event name.")),
    ("hold_time", i(maximum=65535)), ("keepalive", i(maximum=65535)),
    ("families", arr(ref("family"))),
    ("add_path_receive", arr(ref("family"))),
    ("four_octet_as", b()), ("extended_message", b()), ("route_refresh", b()),
    ("enhanced_route_refresh", b()), ("graceful_restart", b()),
    ("local_ip", ref("ip")), ("local_port", i(maximum=65535)), ("remote_port", i(maximum=65535)),
    ("open", open_obj),
    ("uptime", i("Seconds the session was established.")),
    ("stale_kept", b("RFC 4724: routes kept as stale.")),
    ("routes", i()),
    ("notification", notif),
]), ["state"])
defs["stats"] = obj(O([
    ("state", ref("state")), ("state_age", i("Seconds.")),
    ("prefixes", obj(O([("ipv4_unicast", i()), ("ipv6_unicast", i()), ("total", i())]), ["ipv4_unicast", "ipv6_unicast", "total"])),
    ("updates", i()), ("announced", i()), ("withdrawn", i()),
    ("treat_as_withdraw", i()), ("attr_discard", i()), ("established", i()),
    ("last_update_age", O([("description", "Seconds since the last UPDATE; null: none yet."), ("type", ["integer", "null"]), ("minimum", 0)])),
    ("interval", i("Seconds between two peer-stats lines.")),
]), ["state", "prefixes", "updates", "announced", "withdrawn", "treat_as_withdraw", "attr_discard", "established", "last_update_age", "interval"])
defs["collector"] = obj(O([
    ("config", s()), ("local_as", ref("asn")), ("router_id", ref("ipv4")),
    ("neighbors", i()), ("watches", i()), ("outputs", i()),
    ("pid", O([("type", "integer")])),
]), ["config", "local_as", "neighbors", "watches", "outputs", "pid"])
defs["reload"] = obj(O([
    ("config", s()), ("ok", b()), ("error", s()),
    ("neighbors", i()), ("added", i()), ("removed", i()), ("reset", i()), ("watches", i()),
]), ["config", "ok", "neighbors", "added", "removed", "reset", "watches"])
defs["output"] = obj(O([
    ("name", s()), ("type", enum(["file", "stdout", "tcp", "tls"])),
    ("dropped", i(minimum=1)), ("first_sequence", i(minimum=1)), ("last_sequence", i(minimum=1)),
    ("first_time", ref("timestamp")), ("last_time", ref("timestamp")),
]), ["name", "type", "dropped", "first_sequence", "last_sequence", "first_time", "last_time"])

route_actions = ["route-announced", "route-replaced", "route-withdrawn", "route-treat-as-withdraw"]
alert_actions = ["origin-changed", "upstream-added", "upstream-removed", "expected-upstream-missing", "more-specific-seen", "visibility-lost", "visibility-restored"]
other_actions = ["baseline-learned", "rib-synced", "session-established", "session-closed", "collector-started", "config-reloaded", "peer-stats", "output-gap"]

bgpwatch = obj(O([
    ("schema_version", O([("const", 1)])),
    ("peer", ref("peer")),
    ("route", ref("route")), ("watch", ref("watch")), ("upstreams", ref("upstreams")),
    ("origins", ref("origins")), ("visibility", ref("visibility")),
    ("treat_as_withdraw", ref("treat_as_withdraw")), ("sync", ref("sync")),
    ("session", ref("session")), ("stats", ref("stats")),
    ("collector", ref("collector")), ("reload", ref("reload")), ("output", ref("output")),
]), ["schema_version"], desc="BGP specifics; schema_version says which version of this schema the line follows.")

event = obj(O([
    ("kind", enum(["event", "alert", "state", "metric"])),
    ("category", arr(enum(["network", "process", "configuration"]))),
    ("type", arr(enum(["protocol", "info", "connection", "start", "end", "change"]))),
    ("action", enum(route_actions + alert_actions + other_actions)),
    ("dataset", O([("const", "bgpwatch.events")])),
    ("sequence", i("Monotonic per daemon run, from 1.", minimum=1)),
    ("id", s("RUNID-SEQUENCE, unique across runs.", pattern="^[0-9a-f]{24}-[1-9][0-9]*$")),
    ("outcome", enum(["success", "failure"])),
    ("reason", s()),
]), ["kind", "category", "type", "action", "dataset", "sequence", "id"])
for k in ("category", "type"):
    event["properties"][k]["minItems"] = 1

def when(actions, then):
    cond = {"properties": {"event": {"properties": {"action": {"enum": actions}}}}}
    return O([("if", cond), ("then", then)])
def needs(kind, parts, extra=None):
    t = O([("properties", O([
        ("event", {"properties": {"kind": {"const": kind}}}),
        ("bgpwatch", {"required": parts}),
    ]))])
    if extra:
        t["properties"]["event"]["required"] = extra
    return t

allof = [
    when(route_actions, needs("event", ["peer", "route", "watch"])),
    when(["route-treat-as-withdraw"], needs("event", ["treat_as_withdraw"])),
    when(alert_actions, needs("alert", ["route", "watch"])),
    when(["upstream-added", "upstream-removed", "expected-upstream-missing"], needs("alert", ["upstreams", "origins"])),
    when(["origin-changed", "more-specific-seen"], needs("alert", ["origins"])),
    when(["visibility-lost", "visibility-restored"], needs("alert", ["visibility"])),
    when(["baseline-learned"], needs("state", ["watch", "upstreams", "origins", "visibility"])),
    when(["rib-synced"], needs("event", ["peer", "sync"])),
    when(["session-established", "session-closed"], needs("event", ["peer", "session"])),
    when(["peer-stats"], needs("metric", ["peer", "stats"])),
    when(["collector-started"], needs("state", ["collector"])),
    when(["config-reloaded"], needs("state", ["reload"], ["outcome"])),
    when(["output-gap"], needs("state", ["output"], ["reason"])),
    O([("if", {"properties": {"bgpwatch": {"required": ["peer"]}}}), ("then", {"required": ["source", "related", "network"]})]),
]

top = O([
    ("$schema", "https://json-schema.org/draft/2020-12/schema"),
    ("$id", "urn:bgpwatch:events:schema:1"),
    ("title", "bgpwatch event line"),
    ("description", "One line of bgpwatch's JSON-lines output: an Elastic Common Schema 8.11 envelope with BGP specifics under bgpwatch. Field types never change; new fields may be added (additively) with a new schema_version."),
    ("type", "object"),
    ("required", ["@timestamp", "log", "message", "ecs", "event", "observer", "bgpwatch"]),
    ("additionalProperties", False),
    ("properties", O([
        ("@timestamp", ref("timestamp")),
        ("log", obj(O([("level", enum(["info", "notice", "warning", "error"]))]), ["level"])),
        ("message", s("One human sentence.")),
        ("ecs", obj(O([("version", O([("const", "8.11.0")]))]), ["version"])),
        ("event", event),
        ("observer", obj(O([
            ("type", O([("const", "sensor")])), ("product", O([("const", "bgpwatch")])),
            ("hostname", s()), ("version", s()),
        ]), ["type", "product"])),
        ("source", obj(O([("ip", ref("ip")), ("as", obj(O([("number", ref("asn"))]), ["number"]))]), ["ip", "as"])),
        ("network", obj(O([("protocol", O([("const", "bgp")]))]), ["protocol"])),
        ("related", obj(O([("ip", O([("type", "array"), ("items", ref("ip")), ("minItems", 1), ("uniqueItems", True)]))]), ["ip"])),
        ("bgpwatch", bgpwatch),
    ])),
    ("allOf", allof),
    ("$defs", defs),
])


def main():
    print(json.dumps(top, indent=2))


if __name__ == '__main__':
    main()
