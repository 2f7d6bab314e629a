/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Watches: per watched prefix, a view across every peer's Adj-RIB-In of
 * its routes, origin ASes, upstream ASes and visibility, compared with a
 * baseline to raise origin, upstream, more-specific and visibility alerts
 * with hold-down and flap damping. No sockets, files or clocks: the caller
 * passes the event clock (milliseconds since the epoch) into every call
 * and drives the timers with watch_tick().
 *
 * Public: watch_conf_init(), watch_conf_free(), watch_conf_add_prefix(),
 *         watch_conf_add_origin_as(), watch_conf_add_expect_origin(),
 *         watch_conf_add_expect_upstream(), watch_conf_add_ignore(),
 *         watch_conf_equal(), watch_new(), watch_free(), watch_reconf(),
 *         watch_peer_add(), watch_peer_del(), watch_peer_info(),
 *         watch_peer_set_info(), watch_peer_up(), watch_peer_synced(),
 *         watch_peer_down(), watch_route_delta(),
 *         watch_treat_as_withdraw(), watch_tick(), watch_next_deadline(),
 *         watch_stats(), watch_show_json(), watch_show_text(),
 *         watch_event_json(), watch_event_json_memo(), watch_peer_json(),
 *         watch_event_message(),
 *         watch_action_name(), watch_kind_name(), watch_severity_name(),
 *         watch_match_name(), watch_attr_aspath().
 *
 * Definitions (for bgpwatch.conf(5) and the README to repeat):
 *
 * - origin AS: the last AS of the AS_PATH (after RFC 6793 §4.2.3) when
 *   the path ends in an AS_SEQUENCE; unknown (null, flagged "origin_as_set")
 *   when it ends in an AS_SET. upstream AS: the first AS left of the
 *   origin's prepends; null for a path of one AS (aspath.h).
 * - A watch matches a route when its prefix equals a "prefix ... exact"
 *   line, lies inside (or equals) a "prefix ... or-longer" line, or was
 *   learned through "origin-as N": a prefix that any route originates
 *   from N is watched from then on (exactly, whatever later originates
 *   it, so a changed origin is seen). Routes of ignored neighbors and of
 *   SAFIs other than unicast are not looked at.
 * - In initial transfer: from watch_peer_up() until End-of-RIB for every
 *   family the session carries (watch_peer_synced()), or the fallback: no
 *   delta from the peer for sync_idle seconds, or sync_max seconds since
 *   it came up. Routes of a peer in transfer are stored and reported as
 *   route events, but never raise alerts; its sync is an evaluation point.
 * - The alert view of a prefix is its routes from synced peers plus the
 *   "ghosts" of peers that went down: when a synced peer's session ends
 *   (watch_peer_down(), or a delta with reason session-down/max-prefix/
 *   afi-safi-disable) its watched routes are kept as ghosts until it has
 *   synced again or peer_grace seconds pass, so a collector session reset
 *   raises no alert; if the peer stays away the ghosts go and the change
 *   is alerted like any other.
 * - visibility: the number of peers (not ignored) with at least one route
 *   in the alert view; the threshold is min(min-peers, peers that could
 *   carry the family). Below it after being at or above: visibility-lost
 *   (severity error at zero: an outage); back: visibility-restored.
 * - origins: the set of origin ASes in the alert view. origin-changed when
 *   a non-empty set differs from the last non-empty set (MOAS appearing or
 *   resolving, a new origin), or when a prefix known before shows an
 *   origin outside "expect origin". Severity error when an unexpected
 *   origin is present.
 * - baseline: a watch-wide upstream set: "expect upstream" if configured
 *   (the expected set), else learned: the union of the upstreams of the
 *   watch's routes at the moment the watch is armed. A watch is armed when
 *   no peer is in transfer, at least one peer has synced, and every
 *   registered peer has synced or arm_wait seconds have passed since the
 *   first peer came up; that emits one baseline-learned (state) event.
 *   Nothing is alerted before. A watch added or changed by watch_reconf()
 *   is armed silently from the routes already there.
 * - Upstreams are judged per (prefix, AS) against the watch baseline, while
 *   the prefix is visible in the alert view (during an outage they are
 *   frozen: visibility alerts say it all):
 *   an AS appearing on the prefix that is not in the baseline, or that was
 *   reported gone, raises upstream-added at once; an AS that disappears
 *   starts a hold-down of hold-down seconds; if it returns within it there
 *   is no alert, its flap count goes up and it is marked flapping (shown in
 *   state, and in "flapping_upstreams" of every upstream alert about the
 *   prefix, until the AS is removed); if the hold-down expires while
 *   it is absent, upstream-removed is raised (expected-upstream-missing for
 *   an AS of "expect upstream"), with its flap count, which then resets.
 *   An expected upstream that a visible prefix never had starts the same
 *   hold-down. Every upstream alert carries the baseline, the prefix's
 *   current set, added (current - baseline), removed (baseline - current)
 *   and the share: per upstream AS, the fraction of the watch's routes
 *   (peer, prefix, path id) that use it (the WATCH_SHARE_MAX largest,
 *   always with the AS the alert is about; the rest summed as "other").
 * - more-specific-seen: a prefix strictly inside an or-longer line, first
 *   seen in the alert view after the watch was armed.
 *
 * Events are delivered synchronously through the callback given to
 * watch_new(), in order; every pointer in an event is valid during the
 * callback only. The callback must not call watch functions other than
 * the event formatters and watch_peer_info().
 */
#ifndef BGPWATCH_WATCH_H
#define BGPWATCH_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "json.h"
#include "prefix.h"
#include "rib.h"
#include "wbuf.h"

#define WATCH_NAME_MAX 64
#define WATCH_DESCR_MAX 128
#define WATCH_HOLD_DOWN_DEFAULT 300 /* seconds */
#define WATCH_SHARE_MAX 16 /* upstreams listed in an event's share */
#define WATCH_MIN_PEERS_DEFAULT 1

/* Configuration. */

enum watch_match {
	WATCH_MATCH_EXACT,
	WATCH_MATCH_OR_LONGER,
	WATCH_MATCH_ORIGIN_AS, /* learned through origin-as, never configured */
};

struct watch_conf_prefix {
	struct prefix prefix; /* masked */
	enum watch_match match; /* exact or or-longer */
};

struct watch_conf_addr {
	uint8_t afi;
	uint8_t addr[16];
};

/*
 * One watch block of bgpwatch.conf. Arrays are owned by the structure and
 * grown only by the watch_conf_add_*() helpers; prefix-file lines are
 * added as prefixes by the caller, and prefix_file (a heap string the
 * structure owns, or NULL) only records the path for printing.
 */
struct watch_conf {
	char name[WATCH_NAME_MAX];
	struct watch_conf_prefix *prefixes;
	size_t nprefixes;
	uint32_t *origin_as;
	size_t norigin_as;
	uint32_t *expect_origin;
	size_t nexpect_origin;
	uint32_t *expect_upstream;
	size_t nexpect_upstream;
	struct watch_conf_addr *ignore;
	size_t nignore;
	uint32_t hold_down; /* seconds */
	uint32_t min_peers;
	char *prefix_file; /* NULL or a path (informational) */
};

/*
 * Make c an empty watch called name (truncated to WATCH_NAME_MAX - 1) with
 * hold-down 300 and min-peers 1.
 */
void watch_conf_init(struct watch_conf *c, const char *name);
/* Free the arrays of c (not c itself); c is then empty. */
void watch_conf_free(struct watch_conf *c);
/*
 * Append a prefix line (match exact or or-longer; p is masked on the way
 * in). Returns 0, or -1 for another match kind or family; duplicates are
 * kept (watch_reconf() folds them).
 */
int watch_conf_add_prefix(
    struct watch_conf *c, const struct prefix *p, enum watch_match match);
/* Append one AS number to the list named (never fails). */
void watch_conf_add_origin_as(struct watch_conf *c, uint32_t as);
void watch_conf_add_expect_origin(struct watch_conf *c, uint32_t as);
void watch_conf_add_expect_upstream(struct watch_conf *c, uint32_t as);
/* Append an "ignore neighbor" address (afi AFI_IPV4 or AFI_IPV6). */
void
watch_conf_add_ignore(struct watch_conf *c, uint8_t afi, const uint8_t *addr);
/* True when a and b configure the same watch (same lists in any order). */
bool watch_conf_equal(const struct watch_conf *a, const struct watch_conf *b);

/* Tunables of the engine, in seconds; watch_new() sets the defaults. */
struct watch_params {
	uint32_t sync_idle; /* transfer ends after this much silence (60) */
	uint32_t sync_max; /* ... or this long after the peer came up (900) */
	uint32_t peer_grace; /* ghosts of a down peer live this long (300) */
	uint32_t arm_wait; /* wait for unsynced peers before arming (120) */
};

/* Peers. */

/*
 * A neighbor as events show it. The caller fills afi, addr, as, bgp_id
 * and descr; watch_peer_add()/watch_peer_set_info() fill ip and bgp_id_str.
 */
struct watch_peer_info {
	uint8_t afi;
	uint8_t addr[16];
	uint32_t as;
	uint32_t bgp_id; /* host order; 0 when not known yet */
	char descr[WATCH_DESCR_MAX];
	char ip[ADDR_STRLEN];
	char bgp_id_str[16];
};

struct watch;
struct watch_peer;

/* Events. */

enum watch_action {
	WATCH_ROUTE_ANNOUNCED,
	WATCH_ROUTE_REPLACED,
	WATCH_ROUTE_WITHDRAWN,
	WATCH_ROUTE_TREAT_AS_WITHDRAW,
	WATCH_ORIGIN_CHANGED,
	WATCH_UPSTREAM_ADDED,
	WATCH_UPSTREAM_REMOVED,
	WATCH_EXPECTED_UPSTREAM_MISSING,
	WATCH_MORE_SPECIFIC_SEEN,
	WATCH_VISIBILITY_LOST,
	WATCH_VISIBILITY_RESTORED,
	WATCH_BASELINE_LEARNED,
	WATCH_RIB_SYNCED,
};

enum watch_kind {
	WATCH_KIND_EVENT, /* route changes, rib-synced */
	WATCH_KIND_ALERT, /* detections */
	WATCH_KIND_STATE, /* baseline-learned */
};

enum watch_severity {
	WATCH_SEV_INFO,
	WATCH_SEV_NOTICE,
	WATCH_SEV_WARNING,
	WATCH_SEV_ERROR,
};

/* A sorted set of AS numbers. */
struct watch_asset {
	const uint32_t *as;
	size_t n;
};

struct watch_share {
	uint32_t as;
	uint64_t routes;
	double ratio; /* routes / all routes of the watch */
};

/* One route (or, with attr and prev NULL, only a prefix). */
struct watch_ev_route {
	struct prefix prefix;
	uint32_t path_id;
	bool has_path_id; /* false for watch-wide prefix alerts */
	const struct rib_attr *attr; /* the route now, or NULL */
	struct attr_summary sum; /* of attr (zero when NULL) */
	const struct rib_attr *prev; /* replaced/withdrawn: before, or NULL */
	struct attr_summary prev_sum;
};

struct watch_event {
	enum watch_action action;
	enum watch_kind kind;
	enum watch_severity severity;
	int64_t time; /* event clock, ms since the epoch */
	const struct watch_peer_info *peer; /* NULL for watch-wide events */
	const char *reason; /* for event.reason; NULL when none */
	bool has_route;
	struct watch_ev_route route;
	struct {
		const char *name; /* NULL for rib-synced */
		bool has_prefix; /* the line that matched */
		struct prefix prefix;
		enum watch_match match;
	} watch;
	struct {
		bool present;
		bool has_as;
		uint32_t as; /* the AS the alert is about */
		const char *baseline_source; /* "configured" or "learned" */
		struct watch_asset baseline, current, added, removed;
		const struct watch_share *share; /* sorted by AS */
		size_t nshare;
		double share_other; /* the ratio of upstreams not listed */
		bool flapping; /* of as */
		uint32_t flaps;
		struct watch_asset flapping_set; /* every flapping one */
		uint32_t hold_down; /* seconds */
	} upstreams;
	struct {
		bool present;
		struct watch_asset previous, current, expected, unexpected;
		bool previous_unknown; /* an AS_SET tail was among them */
		bool current_unknown;
		bool moas; /* more than one origin now */
	} origins;
	struct {
		bool present;
		uint32_t peers; /* peers carrying the prefix (alert view) */
		uint32_t min_peers; /* the threshold applied */
		uint32_t eligible; /* peers that could carry it */
		uint64_t prefixes; /* baseline-learned: prefixes of the watch */
		uint64_t visible; /* baseline-learned: ... of them visible */
	} visibility;
	struct {
		bool present;
		const uint8_t *attr; /* the offending attribute, raw */
		size_t len;
		const char *why; /* the decoder's reason */
	} taw;
	struct {
		bool present;
		uint16_t afi;
		uint8_t safi;
		const char *trigger; /* "end-of-rib" or "timeout" */
		bool complete; /* every family of the session synced */
		uint64_t routes; /* announced in the transfer, this family */
	} sync;
};

typedef void (*watch_event_cb)(void *arg, const struct watch_event *ev);

struct watch_stats {
	size_t watches;
	size_t peers;
	size_t prefixes; /* (watch, prefix) states */
	size_t routes; /* routes held in them, ghosts excluded */
	size_t ghosts;
	size_t trie_nodes;
	size_t holddowns; /* hold-downs running */
	size_t mem; /* bytes, approximately */
	uint64_t deltas; /* route deltas looked at */
	uint64_t matched; /* ... that matched a watch */
	uint64_t events; /* events delivered */
	uint64_t alerts; /* ... of kind alert */
};

/* The engine. */

/*
 * A new engine with no watches and no peers delivering events to
 * cb(arg, event). params may be NULL for the defaults. Never returns
 * NULL (out of memory ends the process).
 */
struct watch *
watch_new(const struct watch_params *params, watch_event_cb cb, void *arg);
/*
 * Free w, its watches and peer handles. The RIBs given to watch_peer_add()
 * are not touched. NULL is ignored.
 */
void watch_free(struct watch *w);
/*
 * Replace the watches with confs[0..n). Watches whose configuration is
 * unchanged (same name, watch_conf_equal()) keep all their state. New or
 * changed ones are rebuilt from the current RIBs of the peers (walked
 * with rib_walk(); routes already there raise no event nor alert) and
 * armed at once (silently) if the engine is armed. Removed ones go.
 * The confs are copied. Returns 0, or -1 with nothing changed when a name
 * is empty or repeated, min-peers is 0, or a watch has neither prefixes
 * nor origin-as; then *err (if not NULL) names the problem.
 */
int watch_reconf(struct watch *w, const struct watch_conf *confs, size_t n,
    int64_t now, const char **err);

/*
 * Register a neighbor (info copied; ip and bgp_id_str filled) whose
 * Adj-RIB-In is rib (NULL: none to walk on reload). The peer starts down.
 * Never returns NULL.
 */
struct watch_peer *watch_peer_add(
    struct watch *w, const struct watch_peer_info *info, struct rib *rib);
/*
 * Forget p: its routes and ghosts leave every watch silently (flush its
 * RIB through watch_route_delta() first to report them). p is freed.
 */
void watch_peer_del(struct watch *w, struct watch_peer *p, int64_t now);
/* The info of p (ip, AS, BGP id, description), valid as long as p. */
const struct watch_peer_info *watch_peer_info(const struct watch_peer *p);
/* Replace the info of p (the BGP id is known after OPEN, say). */
void
watch_peer_set_info(struct watch_peer *p, const struct watch_peer_info *info);
/*
 * The session of p is established carrying the families in fams (bits
 * 1 << FAM_IPV4_UNICAST, 1 << FAM_IPV6_UNICAST of bgp.h; 0 means IPv4
 * unicast, RFC 4760 §8): its initial transfer starts.
 */
void watch_peer_up(
    struct watch *w, struct watch_peer *p, uint32_t fams, int64_t now);
/*
 * End-of-RIB for (afi, safi) from p (RFC 4724 §2). Emits rib-synced (the
 * engine is the one source of rib-synced events, timeouts included);
 * when every family of the session is synced the transfer is over: the
 * peer's routes join the alert view (its old ghosts go) and every watch is
 * evaluated. Call it after flushing stale routes of that family. Other
 * SAFIs than unicast only emit rib-synced.
 */
void watch_peer_synced(struct watch *w, struct watch_peer *p, uint16_t afi,
    uint8_t safi, int64_t now);
/*
 * The session of p ended (graceful restart or not): its routes in the
 * alert view become ghosts (see above). Call it before flushing its RIB;
 * deltas with reason session-down or max-prefix imply it anyway.
 */
void watch_peer_down(struct watch *w, struct watch_peer *p, int64_t now);

/*
 * One delta of p's Adj-RIB-In (call it from the rib delta callback). A
 * route not matching any watch costs one trie lookup and no allocation
 * (plus a look at the origin AS when origin-as watches exist). A watched
 * one updates the prefix state and emits the route event, then any alerts.
 */
void watch_route_delta(struct watch *w, struct watch_peer *p,
    const struct rib_delta *d, int64_t now);
/*
 * RFC 7606 §2: p sent (safi, prefix, path_id) in an UPDATE whose attribute
 * attr[0..len) (the whole offending attribute, raw) made it treat-as-
 * withdraw, for reason why. Emits route-treat-as-withdraw when the prefix
 * is watched, whether or not a route was stored; call it for every prefix
 * of such an UPDATE before rib_withdraw() (whose delta then reports
 * route-withdrawn with reason treat-as-withdraw).
 */
void watch_treat_as_withdraw(struct watch *w, struct watch_peer *p,
    uint8_t safi, const struct prefix *prefix, uint32_t path_id,
    const uint8_t *attr, size_t len, const char *why, int64_t now);

/*
 * Run the timers due at now: hold-down expiries (events stamped with their
 * deadline), transfer fallbacks, ghost expiry and arming. Call it before
 * feeding anything stamped later than watch_next_deadline().
 */
void watch_tick(struct watch *w, int64_t now);
/* The earliest time watch_tick() has work, or -1 for none. */
int64_t watch_next_deadline(struct watch *w);
/* Counters and sizes into *st. */
void watch_stats(const struct watch *w, struct watch_stats *st);

/*
 * For `show watch [NAME]`: write one object per watch (or only the one
 * called name; NULL: all) as array elements into the array the caller
 * has open: configuration, armed state, baseline, origins, upstreams
 * with routes, share, first and last seen, prefix count, and with detail
 * every prefix with its visibility, origins and per-upstream hold-down and
 * flap state. Returns the number of watches written.
 */
size_t watch_show_json(
    const struct watch *w, const char *name, bool detail, struct json *j);
/* The same as a human table appended to out. Returns the watches shown. */
size_t watch_show_text(
    const struct watch *w, const char *name, bool detail, struct wbuf *out);

/* Formatting events. */

/*
 * Write the event's bgpwatch keys into the object the caller has open
 * ("bgpwatch", after schema_version and "peer"): "route", "watch",
 * "upstreams", "origins", "visibility", "treat_as_withdraw", "sync", each
 * only when it applies. ASNs are numbers, sets arrays, ratios doubles.
 * The envelope takes @timestamp from ev->time, event.action from
 * watch_action_name(), event.kind from watch_kind_name(), log.level from
 * watch_severity_name(), event.reason from ev->reason and message from
 * watch_event_message().
 */
void watch_event_json(const struct watch_event *ev, struct json *j);

/*
 * A memo of rendered "attributes" objects keyed by their canonical blob:
 * a burst of events about routes that share one set (every prefix of an
 * UPDATE) renders it once. Plain storage, no heap: zero it before first
 * use; sets or renderings larger than a slot are simply not kept.
 */
#define WATCH_JMEMO_SLOTS 16 /* a power of two */
#define WATCH_JMEMO_CANON 512
#define WATCH_JMEMO_JSON 3072
struct watch_jmemo {
	struct {
		bool used;
		uint32_t canonlen;
		uint32_t jsonlen;
		uint8_t canon[WATCH_JMEMO_CANON];
		char json[WATCH_JMEMO_JSON];
	} slot[WATCH_JMEMO_SLOTS];
	uint64_t hits; /* for tests and benchmarks */
	uint64_t misses;
};
/*
 * As watch_event_json(), rendering "attributes" through memo (NULL: no
 * memo). The output is the same octets either way.
 */
void watch_event_json_memo(
    const struct watch_event *ev, struct json *j, struct watch_jmemo *memo);
/* Write "peer": {"ip","as","bgp_id","description"} (nothing for NULL). */
void watch_peer_json(const struct watch_peer_info *peer, struct json *j);
/*
 * Append the one-line human sentence for ev to out, e.g. "AS131279 gained
 * upstream AS20485 on 175.45.178.0/24; upstreams now 4837,20485". No NUL.
 */
void watch_event_message(const struct watch_event *ev, struct wbuf *out);
/* "route-announced", "upstream-added", ... */
const char *watch_action_name(enum watch_action a);
/* "event", "alert", "state" */
const char *watch_kind_name(enum watch_kind k);
/* "info", "notice", "warning", "error" (ECS log.level) */
const char *watch_severity_name(enum watch_severity s);
/* "exact", "or-longer", "origin-as" */
const char *watch_match_name(enum watch_match m);
/*
 * Copy up to max AS numbers of the AS_PATH of a canonical attribute blob
 * (every segment flattened in wire order) into out; returns how many there
 * are (which may exceed max), 0 for no AS_PATH.
 */
size_t
watch_attr_aspath(const uint8_t *blob, size_t len, uint32_t *out, size_t max);

#endif
