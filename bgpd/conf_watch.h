/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The watch blocks of bgpwatch.conf (bgpwatch.conf(5) WATCHES): the
 * statements of one block, prefix files, printing and comparing. conf.c
 * reads the words of each statement and hands them here; not for use
 * outside the configuration code (conf.c, conf_print.c).
 *
 * Internal: conf_watch_begin(), conf_watch_stmt(), conf_watch_end(),
 *           conf_watch_keyword(), conf_watch_print(), conf_watches_equal(),
 *           conf_watches_free().
 */
#ifndef BGPWATCH_CONF_WATCH_H
#define BGPWATCH_CONF_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct conf;
struct conf_wblock;

/*
 * Start the block `watch NAME { ... }` written at file:line (file is the
 * path messages and relative prefix-file names use; it must live until
 * conf_watch_end()). name is NULL when the statement already failed.
 * Messages go to err as `FILE:LINE: message`, each one counted in
 * *errors. Never returns NULL (out of memory ends the process).
 */
struct conf_wblock *conf_watch_begin(struct conf *c, const char *name,
    const char *file, int line, FILE *err, int *errors);
/*
 * One statement of the block, its words argv[0..argc) (argc >= 1), at
 * line. Returns 0 (done, errors reported), or -1 when argv[0] is not a
 * watch keyword (nothing reported: the caller says where it belongs).
 */
int conf_watch_stmt(
    struct conf_wblock *b, const char *const *argv, size_t argc, int line);
/*
 * The closing '}': check the block as a whole (something to watch, no
 * prefix listed twice), add it to the configuration when it has no
 * errors, and free b.
 */
void conf_watch_end(struct conf_wblock *b);
/* True when name is a statement of watch blocks (for misplaced ones). */
bool conf_watch_keyword(const char *name);
/* Print every watch block of c, normalised, each after an empty line. */
void conf_watch_print(const struct conf *c, FILE *out);
/* True when a and b have the same watches, in the same order. */
bool conf_watches_equal(const struct conf *a, const struct conf *b);
/* Free the watches of c (conf_free()). */
void conf_watches_free(struct conf *c);

#endif
