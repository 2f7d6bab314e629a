/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The route pipeline shared by bgpwatchd and `bgpwatchctl replay`: a
 * decoded UPDATE (or a RIB dump entry) goes into the peer's Adj-RIB-In,
 * every RIB delta into lib/watch, and the watch events to the caller's
 * callback, all on a caller-supplied event clock (milliseconds since the
 * epoch), so a replay produces exactly the events a live session would.
 *
 * Public: pipeline_new(), pipeline_free(), pipeline_reconf(),
 *         pipeline_watch(), pipeline_attrtab(), pipeline_tick(),
 *         pipeline_next_deadline(), pipeline_peer_new(),
 *         pipeline_peer_free(), pipeline_peer_set_delta_cb(),
 *         pipeline_peer_rib(), pipeline_peer_watch(),
 *         pipeline_peer_info(), pipeline_peer_set_info(),
 *         pipeline_peer_fams(), pipeline_peer_up(), pipeline_peer_down(),
 *         pipeline_update(), pipeline_route(), pipeline_eor(),
 *         pipeline_mark_stale(), pipeline_flush_stale(),
 *         pipeline_routes().
 */
#ifndef BGPWATCH_PIPELINE_H
#define BGPWATCH_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "prefix.h"
#include "rib.h"
#include "update.h"
#include "watch.h"

/* Every family a session can carry (bits 1 << enum sess_family). */
#define PIPELINE_FAMS_ALL ((1u << FAM_COUNT) - 1)

struct pipeline;
struct pipeline_peer;

/* What one UPDATE did to the Adj-RIB-In (see pipeline_update()). */
struct pipeline_result {
	uint32_t announced; /* prefixes stored (new, replaced or unchanged) */
	uint32_t withdrawn; /* prefixes withdrawn, treat-as-withdraw too */
	uint32_t ignored; /* prefixes of families the peer does not carry */
	size_t disabled; /* routes flushed by an AFI/SAFI disable verdict */
	int last_fam; /* enum sess_family of the last stored prefix, or -1 */
};

/*
 * A new pipeline: an attribute interning table shared by all its peers
 * and a watch engine (params NULL: the defaults) that hands every event
 * to cb(arg, event) synchronously, in order (see watch.h for what the
 * callback may do). No watches until pipeline_reconf(). Never returns
 * NULL (out of memory ends the process).
 */
struct pipeline *
pipeline_new(const struct watch_params *params, watch_event_cb cb, void *arg);
/*
 * Free pl, its watch engine and table. Every peer must have been freed
 * with pipeline_peer_free() first. NULL is ignored.
 */
void pipeline_free(struct pipeline *pl);
/*
 * Replace the watches with confs[0..n) (watch_reconf(): unchanged ones
 * keep their state, new ones are built from the peers' RIBs without
 * events). Returns 0, or -1 with *err set and nothing changed.
 */
int pipeline_reconf(struct pipeline *pl, const struct watch_conf *confs,
    size_t n, int64_t now, const char **err);
/* The watch engine, for `show watch` and statistics. */
struct watch *pipeline_watch(struct pipeline *pl);
/* The shared interning table, for memory statistics. */
struct rib_attrtab *pipeline_attrtab(struct pipeline *pl);
/*
 * Advance the event clock to now and run the watch timers due by then
 * (hold-downs, transfer fallbacks, ghosts, arming). Call it before
 * anything stamped later than pipeline_next_deadline(); a replay calls it
 * before every record. The clock never goes back: an earlier now is
 * taken as the current time.
 */
void pipeline_tick(struct pipeline *pl, int64_t now);
/* The earliest time pipeline_tick() has work, or -1 for none. */
int64_t pipeline_next_deadline(struct pipeline *pl);

/*
 * Register a neighbor (info as watch_peer_add() wants it) with an empty
 * Adj-RIB-In. It starts down and carries no family until
 * pipeline_peer_up(). Never returns NULL.
 */
struct pipeline_peer *
pipeline_peer_new(struct pipeline *pl, const struct watch_peer_info *info);
/*
 * Forget pp: its routes leave the watches silently (call
 * pipeline_peer_down() first to report them) and its RIB is freed.
 * NULL is ignored.
 */
void pipeline_peer_free(struct pipeline_peer *pp, int64_t now);
/*
 * Also hand every RIB delta of pp to cb(arg, delta), after the watch
 * engine has seen it (the daemon's route logging); NULL stops it.
 */
void pipeline_peer_set_delta_cb(
    struct pipeline_peer *pp, rib_delta_cb cb, void *arg);
/* The Adj-RIB-In of pp (for queries; change it only through here). */
struct rib *pipeline_peer_rib(struct pipeline_peer *pp);
/* The watch engine's handle of pp. */
struct watch_peer *pipeline_peer_watch(struct pipeline_peer *pp);
/* The neighbor as events show it (watch_peer_info()). */
const struct watch_peer_info *
pipeline_peer_info(const struct pipeline_peer *pp);
/* Replace it (the BGP identifier is known after the OPEN, say). */
void pipeline_peer_set_info(
    struct pipeline_peer *pp, const struct watch_peer_info *info);
/* The families pp carries now (bits 1 << enum sess_family), 0 when down. */
uint32_t pipeline_peer_fams(const struct pipeline_peer *pp);
/* Routes (paths) in pp's Adj-RIB-In over all families. */
uint64_t pipeline_routes(const struct pipeline_peer *pp);

/*
 * The session of pp is established carrying fams (bits 1 << enum
 * sess_family; 0 means IPv4 unicast, RFC 4760 §8): prefixes of those
 * families are stored from now on and the initial transfer starts
 * (watch_peer_up(): no alerts until End-of-RIB or the fallback).
 */
void pipeline_peer_up(struct pipeline_peer *pp, uint32_t fams, int64_t now);
/*
 * The session of pp ended: its watched routes become ghosts
 * (watch_peer_down()), then for each family it carried the routes are
 * kept and marked stale when its bit is in stale_fams (RFC 4724 §4.2
 * graceful restart) or withdrawn with reason (RIB_R_SESSION_DOWN,
 * RIB_R_MAX_PREFIX, ...) otherwise. Returns the number withdrawn.
 */
size_t pipeline_peer_down(struct pipeline_peer *pp, uint32_t stale_fams,
    enum rib_reason reason, int64_t now);

/*
 * Apply one UPDATE decoded by update_parse() (its verdict anything but a
 * session reset) from pp at now:
 * - End-of-RIB (RFC 4724 §2) is pipeline_eor();
 * - AFI/SAFI disable (RFC 7606 §2): the family's routes are flushed with
 *   RIB_R_AFI_SAFI_DISABLE and the family is no longer carried;
 * - withdrawn prefixes are withdrawn;
 * - announced prefixes get the UPDATE's canonical attribute set, made and
 *   interned once per address family, unless u->treat_as_withdraw is set
 *   (RFC 7606 §2) or taw_why is not NULL (a check of the caller's failed,
 *   e.g. RFC 4271 §6.3 first AS): then each is reported with
 *   watch_treat_as_withdraw() and withdrawn with RIB_R_TREAT_AS_WITHDRAW.
 * Prefixes of families pp does not carry are skipped and counted. res
 * (may be NULL) tells what happened. Returns 0, or -1 for a session-reset
 * verdict (nothing applied).
 */
int pipeline_update(struct pipeline_peer *pp, const struct update *u,
    const char *taw_why, int64_t now, struct pipeline_result *res);
/*
 * Store one route with the canonical attribute set canon[0..len) (as
 * update_attrs_canon() or attr_canon() make it): an MRT RIB dump entry.
 * Returns what rib_update() returns (RIB_ANNOUNCED, RIB_REPLACED,
 * RIB_NONE), or -1 for a family pp does not carry (nothing stored).
 */
int
pipeline_route(struct pipeline_peer *pp, uint8_t safi, const struct prefix *p,
    uint32_t path_id, const uint8_t *canon, size_t len, int64_t now);
/*
 * End-of-RIB for (afi, safi) from pp (RFC 4724 §2): routes still stale in
 * that family are withdrawn (RFC 4724 §4.2), then the watch engine is
 * told (watch_peer_synced(): rib-synced, and alerts once every family is
 * synced). Returns the number of stale routes withdrawn.
 */
size_t
pipeline_eor(struct pipeline_peer *pp, uint16_t afi, uint8_t safi, int64_t now);
/*
 * Mark every route of the families in fams stale, keeping them (RFC 7313
 * §4 Beginning of Route Refresh; a replayed RIB dump that refreshes a
 * peer's table): routes not announced again before pipeline_eor() or
 * pipeline_flush_stale() are then withdrawn. Returns the number marked.
 */
size_t pipeline_mark_stale(struct pipeline_peer *pp, uint32_t fams);
/*
 * Withdraw the routes of (afi, safi) still stale (RFC 4724 §4.2: the
 * restart timer expired, or the new session does not preserve the
 * family). Returns the number withdrawn.
 */
size_t pipeline_flush_stale(
    struct pipeline_peer *pp, uint16_t afi, uint8_t safi, int64_t now);

#endif
