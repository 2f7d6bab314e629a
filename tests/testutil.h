/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Helpers shared by the Check unit tests (tests/check_<module>.c): hex text
 * to octets and back, the explain-coverage checker, JSON documents as C
 * strings, and a whole message decoded with its narration checked. Every
 * helper fails the running test (ck_assert) on bad input.
 *
 * Public: testutil_unhex(), testutil_tohex(), testutil_tile(),
 *         testutil_json_start(), testutil_json_end(),
 *         testutil_decode_covered(), testutil_decode_str().
 */
#ifndef BGPWATCH_TESTUTIL_H
#define BGPWATCH_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "explain.h"
#include "json.h"
#include "wbuf.h"

/* Longest input testutil_tohex() accepts: an RFC 8654 extended message. */
#define TESTUTIL_HEX_MAX BGP_EXT_MAX_LEN

/*
 * Decode the hex digit pairs of hex (spaces between pairs are skipped) into
 * out, which holds cap octets, and return the octet count. Fails the test
 * on a character that is not a hex digit, an odd digit count, or more than
 * cap octets.
 */
size_t testutil_unhex(const char *hex, uint8_t *out, size_t cap);

/*
 * The lower-case hex of p[0..len) in a static buffer, valid until the next
 * call. Fails the test when len exceeds TESTUTIL_HEX_MAX.
 */
const char *testutil_tohex(const uint8_t *p, size_t len);

/*
 * Check that the explain items from index i on at depth d tile
 * [off, off + len): in order, contiguous, none empty. With nested set the
 * children of each item tile it in turn and a depth may not be skipped;
 * without it deeper items are passed over. Returns the index after the
 * last item of the level, so tile(ex, 0, 0, 0, n, ...) == ex->n means the
 * whole narration was consumed.
 */
size_t testutil_tile(const struct explain *ex, size_t i, int d, size_t off,
    size_t len, bool nested);

/* Start a JSON document j in a fresh growable buffer w. */
void testutil_json_start(struct wbuf *w, struct json *j);

/*
 * Finish the document started by testutil_json_start() (failing the test
 * if json_finish() reports an error), free w and return the text as a
 * NUL-terminated string the caller frees.
 */
char *testutil_json_end(struct wbuf *w, struct json *j);

/*
 * Decode the message msg[0..len) with msg_decode_json() on session s (NULL:
 * defaults), filling v when non-NULL, with narration on; check that the
 * narration is complete and balanced and tiles the message (see
 * testutil_tile() for nested). Returns the verdict's action.
 */
enum verdict_action testutil_decode_covered(const uint8_t *msg, size_t len,
    const struct bgp_sess *s, bool nested, struct verdict *v);

/*
 * msg_decode_json() of the message msg[0..len) on session s (NULL:
 * defaults), filling v when non-NULL, as a NUL-terminated string that
 * stays valid until the next call.
 */
const char *testutil_decode_str(const uint8_t *msg, size_t len,
    const struct bgp_sess *s, struct verdict *v);

#endif /* BGPWATCH_TESTUTIL_H */
