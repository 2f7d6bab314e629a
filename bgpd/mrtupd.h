/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT update dumps of the daemon (`dump updates` and `dump all`,
 * bgpwatch.conf(5)): every UPDATE, or every message, received and every
 * session state change as a BGP4MP_ET record (RFC 6396 §4.4), in files
 * started every SECONDS and renamed into place when complete. A writer
 * thread does all the disk I/O; the event loop only copies records into
 * its bounded queue.
 *
 * Public: mrtupd_reconf(), mrtupd_message(), mrtupd_state(),
 *         mrtupd_shutdown().
 */
#ifndef BGPWATCH_MRTUPD_H
#define BGPWATCH_MRTUPD_H

#include <stddef.h>
#include <stdint.h>

#include "session.h"

struct bgp_sess;
struct conf;
struct event_base;

/*
 * Apply the `dump updates|all PATH SECONDS` statement of c (or its
 * absence) on the loop of base: at start (after daemon(3) forked, before
 * the sessions start) and after each reload. A new statement starts the
 * writer thread; a changed or removed one closes the file being written
 * at once (it is renamed into place); an unchanged one keeps its file.
 * Failing to start the thread is logged and leaves the dump off.
 */
void mrtupd_reconf(struct event_base *base, const struct conf *c);

/*
 * Record the whole message msg[0..len) (header included) of type type,
 * just received from p on the socket fd, whose session negotiated s.
 * Only UPDATEs unless `dump all`. The record is stamped with the time of
 * the call, to the microsecond. Never blocks and never fails: a record
 * the queue has no room for is dropped, counted and logged.
 */
void mrtupd_message(const struct peer *p, const struct bgp_sess *s, int fd,
    uint8_t type, const uint8_t *msg, size_t len);

/*
 * Record that p goes from p->state to st (call it before p->state
 * changes); fd is the socket of p's session, -1 when it has none (the
 * addresses of its last session are recorded then).
 */
void mrtupd_state(const struct peer *p, int fd, enum session_state st);

/*
 * Close the file being written, let the writer finish every file (at
 * most 10 seconds, then it is cancelled and what it held is logged
 * as lost) and free everything. Call after the event loop ended.
 */
void mrtupd_shutdown(void);

#endif
