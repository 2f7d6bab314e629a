/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The glue between a decoded UPDATE and the peer's Adj-RIB-In: RFC 7606
 * verdicts (treat-as-withdraw, AFI/SAFI disable, attribute discard),
 * canonical attribute sets interned once per UPDATE and family, End-of-RIB,
 * RFC 4724 stale routes and the max-prefix count.
 *
 * RIB changes feed the watch engine (lib/watch), driven by one timer.
 *
 * Public: rde_init(), rde_shutdown(), rde_attrtab(), rde_watch(),
 *         rde_watch_conf(), rde_peer_init(), rde_peer_free(),
 *         rde_peer_reconf(), rde_update(), rde_session_down(),
 *         rde_session_kept(), rde_session_up(), rde_mark_stale(),
 *         rde_flush_stale(), rde_flush(), rde_paths(), rde_fam_afi(),
 *         rde_fam_safi().
 */
#ifndef BGPWATCH_RDE_H
#define BGPWATCH_RDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "rib.h"

struct event_base;
struct peer;
struct watch;
struct watch_conf;

/*
 * Create the daemon-wide attribute interning table and the watch engine
 * (no watches yet; its events go to emit_watch()) with its timer on base.
 */
void rde_init(struct event_base *base);
/* Free them; every peer's RIB must be gone. */
void rde_shutdown(void);
/* The shared table (for memory statistics). */
struct rib_attrtab *rde_attrtab(void);
/* The watch engine (for `show watch`). */
struct watch *rde_watch(void);
/*
 * Switch the engine to the watches confs[0..n) (start-up and reload):
 * watch_reconf(), so unchanged watches keep their state and changed ones
 * are rebuilt from the RIBs. Returns 0, or -1 with *err set and nothing
 * changed.
 */
int rde_watch_conf(const struct watch_conf *confs, size_t n, const char **err);

/*
 * Give p an empty Adj-RIB-In with the delta callback attached and
 * register it with the watch engine (down).
 */
void rde_peer_init(struct peer *p);
/* Free p's RIB without deltas; its routes leave the watches silently. */
void rde_peer_free(struct peer *p);
/* p->conf changed (reload): refresh the description events show. */
void rde_peer_reconf(struct peer *p);

/*
 * Apply one UPDATE body (after the header) received on p's established
 * session: decode it with the negotiated state, withdraw and announce per
 * family, handle End-of-RIB, and enforce max-prefix. Returns 0 when the
 * session goes on (soft RFC 7606 errors included, counted and logged), or
 * -1 with *v the NOTIFICATION to send: the decoder's session-reset verdict
 * (v->data points into body), or Cease 1 (RFC 4486) when the prefix limit
 * is exceeded, with its AFI/SAFI/limit data in static storage that the
 * next call overwrites.
 */
int
rde_update(struct peer *p, const uint8_t *body, size_t len, struct verdict *v);

/*
 * The established session of p ended. With graceful true (RFC 4724 §4.2),
 * routes of the families the peer listed in its Graceful Restart
 * capability are kept and marked stale (p->stale), the others withdrawn;
 * otherwise everything is withdrawn with reason.
 */
void rde_session_down(struct peer *p, bool graceful, enum rib_reason reason);
/*
 * How many routes rde_session_down(p, graceful, ...) would keep as
 * stale: those of the families the peer listed, when graceful.
 */
uint64_t rde_session_kept(const struct peer *p, bool graceful);
/*
 * A new session of p is established: stale families the new OPEN does not
 * preserve (not in its Graceful Restart capability, or without the
 * forwarding-state bit, RFC 4724 §4.2) are flushed now; the rest wait for
 * End-of-RIB.
 */
void rde_session_up(struct peer *p);
/* Mark every route of the families in mask stale (RFC 7313 BoRR). */
void rde_mark_stale(struct peer *p, uint32_t mask);
/*
 * Withdraw routes still stale in the families of mask, logging why;
 * returns the number withdrawn.
 */
size_t rde_flush_stale(struct peer *p, uint32_t mask, const char *why);
/* Withdraw every route of p with reason; returns the number. */
size_t rde_flush(struct peer *p, enum rib_reason reason);
/* Paths stored for p over all families (what max-prefix counts). */
uint64_t rde_paths(const struct peer *p);

/* AFI and SAFI of an enum sess_family. */
uint16_t rde_fam_afi(int fam);
uint8_t rde_fam_safi(int fam);

#endif
