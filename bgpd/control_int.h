/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Between the control socket (control.c: clients, framing, requests,
 * actions) and the answers to `show` (control_show.c: summary, neighbor
 * and the streamed Adj-RIB-In walk).
 *
 * Public: control_summary_json(), control_neighbor_json(),
 *         control_rib_new(), control_rib_fill(), control_rib_count(),
 *         control_rib_free().
 */
#ifndef BGPWATCH_CONTROL_INT_H
#define BGPWATCH_CONTROL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ctljson_val;
struct evbuffer;
struct json;
struct peer;
struct control_rib;

/* The text of an error from a control_rib_new() or a request check. */
#define CONTROL_ERRLEN 256

/*
 * Write the `show summary` document, {"neighbors":[...]}, one object per
 * configured neighbor in configuration order, as the top-level value of j.
 */
void control_summary_json(struct json *j);
/* Write the `show neighbor` object of p as the top-level value of j. */
void control_neighbor_json(const struct peer *p, struct json *j);

/*
 * Start a `show rib` walk with the filters of args (already checked for
 * names and types by the caller): prefix, match, neighbor, family,
 * origin_as, transit_as. Returns the walk, or NULL with the reason in
 * err[0..CONTROL_ERRLEN) (bad prefix, unknown neighbor, ...). The walk
 * keeps neighbor addresses and RIB cursors, never pointers into the
 * sessions, so it survives anything that happens between two fills.
 */
struct control_rib *control_rib_new(const struct ctljson_val *args, char *err);
/*
 * Append to out one JSON line per matching route among the next max
 * routes of the walk (filtered routes count towards max, so one call is
 * bounded work). Returns true when the walk is complete.
 */
bool control_rib_fill(struct control_rib *q, struct evbuffer *out, size_t max);
/* Routes written so far. */
uint64_t control_rib_count(const struct control_rib *q);
/* Free a walk; NULL is fine. */
void control_rib_free(struct control_rib *q);

#endif
