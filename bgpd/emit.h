/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The daemon's event lines: one lib/event writer context per run (so
 * event.sequence is monotonic across every kind of line), formatting into
 * a reused buffer and handing each whole line to bgpd/output.
 *
 * Public: emit_init(), emit_observer(), emit_ctx(), emit_now(),
 *         emit_peer(), emit_watch(), emit_session_established(),
 *         emit_session_closed(), emit_peer_stats(),
 *         emit_collector_started(), emit_config_reloaded(), emit_free().
 */
#ifndef BGPWATCH_EMIT_H
#define BGPWATCH_EMIT_H

#include <stdint.h>

#include "event.h"
#include "watch.h"

struct peer;

/* The room emit_peer() needs for the dotted-quad BGP identifier. */
#define EMIT_ID_STRLEN 16

/*
 * Start the run: observer.hostname is observer (NULL or "": the host's
 * name), the version ours, the run id from the current time and
 * arc4random(3), sequence numbers from 1.
 */
void emit_init(const char *observer);
/* A new observer-name (a reload): the lines from now on carry it. */
void emit_observer(const char *observer);
/* The writer context (output_init() numbers output-gap lines from it). */
struct event_ctx *emit_ctx(void);
/* The event clock: wall-clock milliseconds since the epoch. */
int64_t emit_now(void);
/*
 * Describe p for a line into *ep; id (EMIT_ID_STRLEN bytes) receives the
 * BGP identifier text, empty while unknown. ep points into p and id.
 */
void emit_peer(const struct peer *p, struct event_peer *ep, char *id);
/* A watch engine event (the callback given to watch_new()). */
void emit_watch(void *arg, const struct watch_event *ev);
/* The session and collector lines; each is written to every output. */
void emit_session_established(const struct event_session_established *e);
void emit_session_closed(const struct event_session_closed *e);
void emit_peer_stats(const struct event_peer_stats *e);
void emit_collector_started(const struct event_collector *e);
void emit_config_reloaded(const struct event_reload *e);
/* Free the line buffer (after output_shutdown()). */
void emit_free(void);

#endif
