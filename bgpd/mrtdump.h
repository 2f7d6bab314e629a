/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * MRT table dumps of the daemon (RFC 6396 §4.3): every peer's Adj-RIB-In
 * as TABLE_DUMP_V2, written a chunk of routes per event-loop turn into a
 * temporary file that is renamed into place when complete.
 *
 * Public: mrtdump_table(), mrtdump_reconf(), mrtdump_conf_path(),
 *         mrtdump_forget(), mrtdump_shutdown().
 */
#ifndef BGPWATCH_MRTDUMP_H
#define BGPWATCH_MRTDUMP_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct event_base;

/*
 * Told once when a dump ends: err NULL and the number of routes written,
 * or the reason it failed (the temporary file is then removed).
 */
typedef void (*mrtdump_done_cb)(void *arg, const char *err, uint64_t routes);

/*
 * Start dumping, from the loop of base, every peer's IPv4 and IPv6 unicast Adj-RIB-In to path
 * (through a temporary file next to it, renamed when complete). done (may be NULL) is
 * called with arg when it ends. Returns 0, or -1 with a reason in
 * err[errlen] when a dump is already running or the file cannot be
 * created; done is then not called.
 */
int mrtdump_table(struct event_base *base, const char *path,
    mrtdump_done_cb done, void *arg, char *err, size_t errlen);

/*
 * Arm (or stop) the periodic dump of `dump table PATH SECONDS` of c;
 * called at start and after each reload. An unchanged interval keeps its
 * phase.
 */
void mrtdump_reconf(struct event_base *base, const struct conf *c);

/*
 * The configured dump table path expanded by strftime(3) for now (UTC)
 * into dst[len]: 0, or -1 when none is configured or it does not fit.
 */
int mrtdump_conf_path(char *dst, size_t len);

/* Do not call back arg any more (its owner is going away). */
void mrtdump_forget(void *arg);

/* Abandon a running dump (removing its temporary file). */
void mrtdump_shutdown(void);

#endif
