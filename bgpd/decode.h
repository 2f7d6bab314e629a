/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * `bgpwatchctl decode`: BGP messages from hex text or a binary stream,
 * decoded by msg_decode_json() into one JSON line each, optionally followed
 * by the byte-range table of --explain.
 *
 * Public: decode_cmd() (see bgpwatchctl.h), decode_addpath_parse(),
 *         decode_stream(), decode_explain_table().
 */
#ifndef BGPWATCH_DECODE_H
#define BGPWATCH_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bgp.h"
#include "explain.h"
#include "wbuf.h"

struct decode_opts {
	struct bgp_sess sess; /* how to decode: as4, ext_msg, addpath_rx */
	bool binary; /* raw octets instead of hex text */
	bool explain; /* print the byte-range table too */
};

/*
 * Parse a --add-path argument: a comma-separated list of ipv4, ipv6,
 * ipv4-unicast, ipv6-unicast, ipv4-multicast, ipv6-multicast or all.
 * Returns 0 with the families' bits (1 << FAM_x) ORed into *mask, or -1
 * (and *mask unchanged) on an empty or unknown element.
 */
int decode_addpath_parse(const char *list, uint32_t *mask) WUR;

/*
 * Decode every message of in, writing one JSON line per message (and with
 * o->explain its table) to out, and warnings to stderr. Returns 0 when
 * every message had verdict ok, 1 when one did not, the input was not
 * well formed, or out could not be written.
 */
int decode_stream(FILE *in, FILE *out, const struct decode_opts *o);

/* What decode_explain_table() found wrong with an explain list. */
struct decode_cover {
	size_t unexplained; /* octets of the message no item covers */
	size_t first_gap; /* offset of the first of them */
	size_t outside; /* items reaching past the message */
};

/*
 * Append to w the --explain table for msg[0..len) narrated by ex: one row
 * per item in offset order (parents before what they contain), a
 * "(not decoded)" row for every range no item covers, then an empty line.
 * The row format is in bgpwatchctl(8). *cov says what was missing.
 */
void decode_explain_table(struct wbuf *w, const uint8_t *msg, size_t len,
    const struct explain *ex, struct decode_cover *cov);

#endif
