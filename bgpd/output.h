/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Outputs: where the event lines of lib/event go (bgpwatch.conf(5)
 * OUTPUTS). A file (appended, reopened on SIGHUP for logrotate), standard
 * output, or a TCP or TLS stream to Logstash's tcp input (json_lines),
 * reconnected with back-off and backed by a bounded on-disk spool
 * (bgpd/spool.c) and a resend window. No output ever blocks the event
 * loop: file and spool I/O run in one thread per output, sockets are
 * non-blocking bufferevents. Lines are never torn nor reordered; when a
 * bound is hit lines are dropped, counted, and an output-gap line says
 * which.
 *
 * Public: output_init(), output_emit(), output_reopen(), output_reconf(),
 *         output_shutdown(), output_stats(), output_count().
 */
#ifndef BGPWATCH_OUTPUT_H
#define BGPWATCH_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

struct event_base;
struct event_ctx;

/* The counters of one output (for `show`, metrics and tests). */
struct output_stats {
	char name[CONF_PATH_MAX + 16]; /* conf_output_name() */
	const char *type; /* "file", "stdout", "tcp", "tls" */
	bool up; /* file: open; tcp, tls: connected (handshake done) */
	uint64_t lines; /* lines taken (written, sent or waiting) */
	uint64_t bytes; /* bytes written to the file or the connection */
	uint64_t spooled; /* lines that waited in memory or the spool */
	uint64_t dropped; /* lines lost because a bound was hit */
	uint64_t gaps; /* output-gap lines written about those */
	uint64_t connects; /* connections established */
	uint64_t resent; /* bytes sent again after a reconnect */
	uint64_t dropping; /* lines dropped since the last output-gap line */
	uint64_t queued; /* bytes waiting in memory now (not yet sent) */
	uint64_t spool; /* bytes waiting in the spool now */
	int64_t error_time; /* ms since the epoch of the last error, 0 */
	char error[256]; /* the last error, "" for none */
};

/*
 * Start the outputs of c on base (before the event loop runs: startup
 * errors are fatal). Lines of output-gap events are numbered from ctx,
 * which must outlive the outputs. Opens files, loads TLS certificates,
 * opens and locks spools (their old contents are sent first) and starts
 * connecting. Returns 0, or -1 after logging why (nothing is left
 * running).
 */
int output_init(
    struct event_base *base, const struct conf *c, struct event_ctx *ctx);
/*
 * Hand one whole line (len bytes ending in '\n', event.sequence seq) to
 * every output. Never blocks and never fails: an output that cannot take
 * it (its memory queue or spool is full) drops it and, once it takes
 * lines again, writes an output-gap line after the first one it takes
 * (or within a second if no line comes), numbered from ctx.
 */
void output_emit(const void *line, size_t len, uint64_t seq);
/*
 * Reopen every file output by name (SIGHUP after logrotate renamed it):
 * lines already queued go to the old file, later ones to the new one.
 */
void output_reopen(void);
/*
 * Switch to the outputs of c (reload): unchanged ones (conf_output_equal)
 * keep running untouched, removed ones are shut down as by
 * output_shutdown() with a short timeout, new ones are started. All or
 * nothing: when a new output cannot be started, -1 is returned after
 * logging why and the running outputs stay as they were.
 */
int output_reconf(const struct conf *c);
/*
 * Flush and close every output, running the event loop for up to
 * timeout_ms to let connections drain. What a network output could not
 * send stays in its spool for the next start (lines only in memory are
 * logged as lost). Call after the event loop ended, before freeing base.
 */
void output_shutdown(int timeout_ms);
/* Fill st[0..max) with the counters of each output; returns how many. */
size_t output_stats(struct output_stats *st, size_t max);
/* The number of outputs running. */
size_t output_count(void);

#endif
