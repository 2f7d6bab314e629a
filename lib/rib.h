/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The per-peer Adj-RIB-In (RFC 4271 §3.2): for each AFI/SAFI, prefix and
 * path identifier (RFC 7911) map to an interned, reference-counted attribute
 * set. Every change is reported as a per-route delta (announced, replaced
 * with the previous set, withdrawn). Graceful restart stale routes
 * (RFC 4724 §4.2), ordered walks and resumable cursors for queries.
 *
 * Public: rib_attrtab_new(), rib_attrtab_free(), rib_attrtab_count(),
 *         rib_attrtab_bytes(), rib_attr_hash(), rib_attr_intern(),
 *         rib_attr_ref(),
 *         rib_attr_unref(), rib_new(), rib_free(), rib_set_delta_cb(),
 *         rib_update(), rib_withdraw(), rib_flush(), rib_flush_family(),
 *         rib_mark_stale(), rib_flush_stale(), rib_get(), rib_lookup(),
 *         rib_stats(), rib_mem(), rib_cursor_init(), rib_cursor_next(),
 *         rib_walk(), rib_check(), rib_reason_name().
 */
#ifndef BGPWATCH_RIB_H
#define BGPWATCH_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "prefix.h"

/*
 * An interned attribute set: the canonical blob of update_attrs_canon(),
 * shared by every route (of every peer) that carries the same bytes. The
 * RIB never looks inside bytes. Read-only for users; refcnt changes only
 * through rib_attr_ref() and rib_attr_unref().
 */
struct rib_attr {
	uint32_t refcnt;
	uint32_t hash;
	uint32_t id; /* slot in the table; routes store this, not a pointer */
	uint32_t len;
	uint8_t bytes[];
};

struct rib_attrtab;
struct rib;

enum rib_delta_kind {
	RIB_NONE = 0, /* nothing changed (no delta) */
	RIB_ANNOUNCED,
	RIB_REPLACED,
	RIB_WITHDRAWN,
};

/* Why a route went away (or came): carried in every delta. */
enum rib_reason {
	RIB_R_UPDATE = 0, /* an UPDATE announced or withdrew it */
	RIB_R_TREAT_AS_WITHDRAW, /* RFC 7606 §2 */
	RIB_R_SESSION_DOWN, /* session closed, no graceful restart */
	RIB_R_MAX_PREFIX, /* RFC 4486 §4: prefix limit reached */
	RIB_R_AFI_SAFI_DISABLE, /* RFC 7606 §2 "AFI/SAFI disable" */
	RIB_R_STALE_FLUSH, /* RFC 4724 §4.2, RFC 7313 §4 */
};

/*
 * One change to one route, handed to the delta callback after the RIB has
 * been changed. prefix points to storage valid during the callback only.
 * attr is the new set (ANNOUNCED, REPLACED), prev the old one (REPLACED,
 * WITHDRAWN); either is NULL otherwise. Both stay referenced until the
 * callback returns; take rib_attr_ref() to keep one longer.
 */
struct rib_delta {
	enum rib_delta_kind kind;
	enum rib_reason reason;
	uint8_t safi;
	const struct prefix *prefix;
	uint32_t path_id;
	struct rib_attr *attr;
	struct rib_attr *prev;
};

/* A stored route as seen by walks and lookups. */
struct rib_route {
	struct prefix prefix;
	uint8_t safi;
	bool stale;
	uint32_t path_id;
	struct rib_attr *attr;
};

struct rib_stats {
	uint64_t prefixes; /* distinct prefixes */
	uint64_t paths; /* prefix + path-id entries */
	uint64_t stale; /* paths still marked stale */
	size_t mem; /* bytes of tree nodes for the family */
};

enum rib_match {
	RIB_MATCH_ALL, /* every route of the family */
	RIB_MATCH_EXACT, /* the prefix itself, all path ids */
	RIB_MATCH_OR_LONGER, /* the prefix and everything inside it */
	RIB_MATCH_OR_SHORTER /* the prefix and everything covering it */
};

/*
 * A resumable position in a walk. It holds keys, never pointers into the
 * RIB, so it stays valid across event-loop turns while routes come and go.
 */
struct rib_cursor {
	uint16_t afi;
	uint8_t safi;
	enum rib_match match;
	struct prefix filter;
	bool started; /* last/last_path_id are meaningful */
	bool done;
	struct prefix last;
	uint32_t last_path_id;
};

typedef void (*rib_delta_cb)(void *arg, const struct rib_delta *d);
/* Return 0 to go on, anything else to stop after this route. */
typedef int (*rib_walk_cb)(void *arg, const struct rib_route *r);

/*
 * A new, empty interning table, to be shared by every RIB of the daemon.
 * Never returns NULL (out of memory ends the process). Not thread-safe.
 */
struct rib_attrtab *rib_attrtab_new(void);
/*
 * Free the table and any set still in it. Every RIB using it must have been
 * freed first; NULL is ignored.
 */
void rib_attrtab_free(struct rib_attrtab *tab);
/* Number of distinct attribute sets currently interned. */
size_t rib_attrtab_count(const struct rib_attrtab *tab);
/* Bytes held by the table: the sets (headers and blobs) and its indexes. */
size_t rib_attrtab_bytes(const struct rib_attrtab *tab);
/*
 * The 32-bit hash the table keys a set of len bytes by (a word-at-a-time
 * multiply/xor-shift mix): also for callers' own caches of sets.
 */
uint32_t rib_attr_hash(const void *bytes, size_t len);
/*
 * Return the set with these len bytes, creating it if needed, with one more
 * reference that the caller owns and must drop with rib_attr_unref(). Equal
 * bytes give the same pointer. Never returns NULL.
 */
struct rib_attr *
rib_attr_intern(struct rib_attrtab *tab, const void *bytes, size_t len);
/* Take one more reference on a. */
void rib_attr_ref(struct rib_attr *a);
/*
 * Drop one reference on a; at zero the set leaves tab and is freed, so a
 * must not be used afterwards.
 */
void rib_attr_unref(struct rib_attrtab *tab, struct rib_attr *a);

/*
 * A new, empty Adj-RIB-In for one peer, interning into tab (which must
 * outlive it). Carries IPv4/IPv6 unicast and multicast. Never returns NULL.
 */
struct rib *rib_new(struct rib_attrtab *tab);
/*
 * Free rib and drop its references, without deltas (use rib_flush() first
 * to report the routes as withdrawn). NULL is ignored.
 */
void rib_free(struct rib *rib);
/*
 * Deliver every later delta of rib to cb(arg, delta); NULL cb stops the
 * deltas. The callback must not change rib; it may read it (lookups and
 * walks see the state after the change).
 */
void rib_set_delta_cb(struct rib *rib, rib_delta_cb cb, void *arg);

/*
 * Store attr for (safi, p, path_id) (path_id 0 without ADD-PATH); the RIB
 * takes its own reference, the caller keeps its own. Returns RIB_ANNOUNCED
 * (new route), RIB_REPLACED (another set was stored; the delta carries it)
 * or RIB_NONE (the same set: no delta, but a stale mark is cleared,
 * RFC 4724 §4.2); -1 when the family is not carried or p->len is too long.
 * Bits of p beyond its length are ignored (RFC 4271 §4.3). Next hops live
 * inside attr and are stored as received, martian or not.
 */
int rib_update(struct rib *rib, uint8_t safi, const struct prefix *p,
    uint32_t path_id, struct rib_attr *attr);
/*
 * Remove (safi, p, path_id) for reason (RIB_R_UPDATE or
 * RIB_R_TREAT_AS_WITHDRAW as a rule). Returns RIB_WITHDRAWN, RIB_NONE when
 * the route was not there (no delta), or -1 as for rib_update().
 */
int rib_withdraw(struct rib *rib, uint8_t safi, const struct prefix *p,
    uint32_t path_id, enum rib_reason reason);
/*
 * Withdraw every route of every family, with one delta each carrying
 * reason (session down, max-prefix, ...). Returns the number withdrawn.
 */
size_t rib_flush(struct rib *rib, enum rib_reason reason);
/*
 * As rib_flush() for one AFI/SAFI only (RFC 7606 §2 AFI/SAFI disable).
 * Returns the number withdrawn, 0 for a family not carried.
 */
size_t rib_flush_family(
    struct rib *rib, uint16_t afi, uint8_t safi, enum rib_reason reason);
/*
 * RFC 4724 §4.2: the session went down with graceful restart; mark every
 * route of (afi, safi) stale, keeping it. A later rib_update() of a route
 * clears its mark. No deltas. Returns the number of routes marked.
 */
size_t rib_mark_stale(struct rib *rib, uint16_t afi, uint8_t safi);
/*
 * Withdraw the routes of (afi, safi) still marked stale, with reason
 * RIB_R_STALE_FLUSH: at End-of-RIB, when the restart timer expires, or when
 * the new OPEN does not preserve the family. Returns the number withdrawn.
 */
size_t rib_flush_stale(struct rib *rib, uint16_t afi, uint8_t safi);

/*
 * The set stored for (safi, p, path_id), or NULL. The pointer is borrowed:
 * valid until the route changes.
 */
struct rib_attr *rib_get(
    struct rib *rib, uint8_t safi, const struct prefix *p, uint32_t path_id);
/*
 * Copy up to max routes of exactly p (every path id, ascending) into out;
 * returns how many exist, which may exceed max. Attributes are borrowed.
 */
size_t rib_lookup(struct rib *rib, uint8_t safi, const struct prefix *p,
    struct rib_route *out, size_t max);
/* Counters of (afi, safi) into *st; 0, or -1 for a family not carried. */
int rib_stats(
    const struct rib *rib, uint16_t afi, uint8_t safi, struct rib_stats *st);
/* Bytes held by rib itself (not counting the shared attribute sets). */
size_t rib_mem(const struct rib *rib);

/*
 * Start a walk of (afi, safi) in prefix order (prefix_cmp(), then path id)
 * selecting routes by match against filter (ignored for RIB_MATCH_ALL).
 */
void rib_cursor_init(struct rib_cursor *c, uint16_t afi, uint8_t safi,
    enum rib_match match, const struct prefix *filter);
/*
 * Hand up to max routes (0: no limit) after the cursor's position to
 * cb(arg, route) and advance past them; stops early when cb returns
 * non-zero (that route counts as handed over). Sets c->done once it has
 * seen the end (a call that stops right before it leaves done clear and
 * the next returns 0). Returns the number handed over. Between calls the
 * RIB may change freely: no route is handed twice, and every route present
 * throughout the walk is handed once. cb must not change rib.
 */
size_t rib_cursor_next(struct rib *rib, struct rib_cursor *c, rib_walk_cb cb,
    void *arg, size_t max);
/* A whole walk in one call: rib_cursor_init() + rib_cursor_next(). */
size_t
rib_walk(struct rib *rib, uint16_t afi, uint8_t safi, enum rib_match match,
    const struct prefix *filter, rib_walk_cb cb, void *arg);
/*
 * Verify rib's internal invariants (order, balance, leaf chain, counters,
 * every route referring to a live set), for tests and fuzzers: O(n).
 * Returns 0, or -1 with *why naming the first violation found.
 */
int rib_check(const struct rib *rib, const char **why);
/* "update", "treat-as-withdraw", "session-down", ... */
const char *rib_reason_name(enum rib_reason reason);

#endif
