/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Internals of lib/watch shared by watch.c (engine, detection, timers),
 * watch_conf.c (configuration), watch_fmt.c (event JSON and messages)
 * and watch_show.c (state queries). Not for use outside these files.
 *
 * Public (to those files): watch_grow(), watch_fatal(), watch_route_info(),
 *         watch_blob_aspath(), watch_asset_has(), watch_conf_norm(),
 *         watch_conf_same(),
 *         watch_fmt_time(), watch_line_fmt().
 */
#ifndef BGPWATCH_WATCH_INT_H
#define BGPWATCH_WATCH_INT_H

#include "watch.h"
#include "wtrie.h"

/* Bits of struct wroute flags. */
#define WR_GHOST 0x01 /* kept from a peer whose session ended */
#define WR_ORIGIN 0x02 /* origin known */
#define WR_UPSTREAM 0x04 /* upstream known */
#define WR_ASSET 0x08 /* path ends in an AS_SET: origin unknown */

/* All families a peer can carry here (bits of enum sess_family). */
#define WFAM_ALL ((1u << FAM_IPV4_UNICAST) | (1u << FAM_IPV6_UNICAST))

/* One route of a watched prefix: (peer, path id), what it says. */
struct wroute {
	uint32_t peer; /* index into watch->peers */
	uint32_t path_id;
	uint32_t origin;
	uint32_t upstream;
	uint8_t flags;
};

enum wup_state {
	WU_ABSENT,
	WU_PRESENT,
	WU_HOLD, /* absent, hold-down running */
};

/* One upstream AS of one prefix: the hold-down and flap machine. */
struct wup {
	uint32_t as;
	uint8_t state; /* enum wup_state */
	bool reported; /* the operator knows it as an upstream of the prefix */
	bool gone; /* a removed/missing alert was raised for it */
	bool flapping;
	uint32_t flaps;
	int64_t deadline; /* WU_HOLD: when the hold-down expires */
	uint64_t seq; /* WU_HOLD: order among equal deadlines */
	int64_t first_seen;
	int64_t last_flap; /* -1: never */
};

enum wvis {
	WV_UNKNOWN, /* never seen with a threshold to judge */
	WV_UP,
	WV_DOWN,
};

struct wwatch;

/* The state of one (watch, prefix). */
struct wpfx {
	struct wpfx *next; /* other watches' states at the same prefix */
	struct wwatch *ww;
	struct prefix p;
	struct watch_conf_prefix line; /* the line it matched (or learned) */
	struct wroute *r; /* sorted by (peer, ghost, path id) */
	size_t nr, rcap;
	struct wup *up; /* sorted by AS */
	size_t nup, upcap;
	uint32_t *oref; /* last non-empty origin set (sorted) */
	size_t noref, orefcap;
	bool oref_unknown;
	uint8_t vis; /* enum wvis */
	bool known; /* existed at arming, or reported since */
	bool configured; /* an exact line of the configuration */
	bool learned; /* watched through origin-as */
	uint32_t nlive; /* routes that are not ghosts */
	uint32_t nholds; /* entries of up in WU_HOLD */
	int64_t first_seen; /* -1: never a route */
	int64_t last_change;
};

/* A configuration line at a trie node. */
struct wspec {
	struct wspec *next;
	struct wwatch *ww;
	enum watch_match match;
};

/* The value of a trie node: lines and states at exactly this prefix. */
struct wnode {
	struct prefix p;
	struct wspec *specs;
	struct wpfx *pfx; /* not owned: the watches own their states */
};

/* Watch-wide count of routes per AS (upstreams or origins). */
struct wagg {
	uint32_t as;
	uint64_t routes;
	int64_t first_seen;
	int64_t last_seen; /* last time routes went from >0 to 0, or -1 */
};

struct wwatch {
	struct watch_conf conf; /* sorted, deduplicated copy */
	bool armed;
	bool baseline_configured;
	uint32_t *baseline; /* sorted */
	size_t nbaseline;
	int64_t armed_time;
	struct wpfx **pfx;
	size_t npfx, pfxcap;
	struct wagg *ups; /* sorted by AS */
	size_t nups, upscap;
	struct wagg *origins;
	size_t norigins, origcap;
	uint64_t nroutes; /* live routes (not ghosts) */
	uint32_t eligible[2]; /* peers that can carry IPv4, IPv6 */
	uint64_t mark; /* dedup of matches within one delta */
	uint64_t alerts;
};

enum wpeer_state {
	WP_DOWN,
	WP_TRANSFER,
	WP_SYNCED,
};

struct watch_peer {
	struct watch_peer_info info;
	struct rib *rib;
	uint32_t idx;
	uint8_t state; /* enum wpeer_state */
	uint32_t fams; /* families of the session */
	uint32_t synced_fams; /* routes of these are in the alert view */
	uint32_t ghost_fams; /* families kept as ghosts (carrier still) */
	size_t nghosts;
	int64_t up_time;
	int64_t last_rx; /* last delta in transfer */
	int64_t ghost_until; /* -1 when ghost_fams is 0 */
	uint64_t xfer_routes[2]; /* announced in the transfer: IPv4, IPv6 */
	bool ever_synced;
};

/* A hold-down in the heap; stale entries are skipped when popped. */
struct wtimer {
	int64_t deadline;
	uint64_t seq; /* equal deadlines expire in the order they started */
	struct wpfx *pf;
	uint32_t as;
};

struct worigin_idx {
	uint32_t as;
	struct wwatch *ww;
};

struct watch {
	struct watch_params params;
	watch_event_cb cb;
	void *arg;
	struct wtrie trie;
	struct wwatch **watches;
	size_t nwatches;
	struct watch_peer **peers; /* by index; NULL slots are free */
	size_t npeers, peercap;
	struct wtimer *heap;
	size_t nheap, heapcap;
	uint64_t heapseq;
	struct worigin_idx *oidx; /* sorted by AS */
	size_t noidx, noidxcap;
	bool armed_once; /* the engine has armed its watches once */
	int64_t first_up; /* first watch_peer_up(), -1 before */
	uint64_t epoch;
	/*
	 * Scratch (never shrinks): the current view's sets, grown only when
	 * a view is computed, and the event sets, grown right after it so
	 * that no event under construction sees them move.
	 */
	uint32_t *s_orig, *s_ups;
	size_t s_vcap;
	uint32_t *s_add, *s_rem, *s_unexp, *s_prev, *s_flap;
	size_t s_ecap;
	struct watch_share *s_share;
	size_t s_sharecap;
	/* The attribute summaries of the delta being applied, once parsed. */
	bool sums_valid;
	struct attr_summary sum, prev_sum;
	uint64_t deltas, matched, events, alerts;
};

/* What a route's attribute set says, for matching and state. */
struct wrinfo {
	uint8_t flags; /* WR_ORIGIN, WR_UPSTREAM, WR_ASSET */
	uint32_t origin;
	uint32_t upstream;
};

/* End the process: impossible state or out of memory in fn. */
void watch_fatal(const char *fn, const char *what) __attribute__((noreturn));
/*
 * Make *arr (of elsize-byte elements, *cap of them) hold at least need
 * elements, doubling. Never fails.
 */
void watch_grow(void *arr, size_t *cap, size_t need, size_t elsize);
/* Fill *ri from a canonical attribute blob; an unreadable path: none. */
void watch_route_info(const uint8_t *blob, size_t len, struct wrinfo *ri);
/*
 * Set *v to the AS_PATH of a canonical attribute blob (4-octet AS numbers,
 * checked with aspath_verify()); -1 when there is none or it is bad.
 */
int watch_blob_aspath(const uint8_t *blob, size_t len, struct aspath_view *v);
/*
 * Fill *dst with a normalised deep copy of src: every list sorted and
 * without duplicates; a prefix given both exact and or-longer is kept as
 * or-longer. Free it with watch_conf_free().
 */
void watch_conf_norm(struct watch_conf *dst, const struct watch_conf *src);
/* watch_conf_equal() of two normalised configurations. */
bool watch_conf_same(const struct watch_conf *a, const struct watch_conf *b);
/* True when as is in the sorted set a[0..n). */
bool watch_asset_has(const uint32_t *a, size_t n, uint32_t as);
/* RFC 3339 UTC with milliseconds, "2017-10-01T09:07:51.000Z". */
void watch_fmt_time(int64_t ms, char *buf, size_t size);
/* "175.45.176.0/22 or-longer" into buf. */
void watch_line_fmt(const struct watch_conf_prefix *l, char *buf, size_t size);

#endif
