/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Helpers shared by the Check unit tests; see testutil.h.
 *
 * Public: testutil_unhex(), testutil_tohex(), testutil_tile(),
 *         testutil_json_start(), testutil_json_end(),
 *         testutil_decode_covered(), testutil_decode_str().
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "testutil.h"

static int
testutil_xdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return tolower((unsigned char)c) - 'a' + 10;
}

size_t
testutil_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*hex != '\0') {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		ck_assert_msg(isxdigit((unsigned char)hex[0]) &&
		        isxdigit((unsigned char)hex[1]),
		    "bad hex at \"%s\"", hex);
		ck_assert_msg(
		    n < cap, "hex vector longer than %zu octets", cap);
		out[n++] = (uint8_t)(testutil_xdigit(hex[0]) << 4 |
		    testutil_xdigit(hex[1]));
		hex += 2;
	}
	return n;
}

const char *
testutil_tohex(const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	static char buf[2 * TESTUTIL_HEX_MAX + 1];
	size_t i;

	ck_assert_uint_le(len, TESTUTIL_HEX_MAX);
	for (i = 0; i < len; i++) {
		buf[2 * i] = digits[p[i] >> 4];
		buf[2 * i + 1] = digits[p[i] & 0x0f];
	}
	buf[2 * len] = '\0';
	return buf;
}

size_t
testutil_tile(const struct explain *ex, size_t i, int d, size_t off, size_t len,
    bool nested)
{
	const struct explain_item *it;
	size_t pos = off;

	while (i < ex->n && ex->items[i].depth >= d) {
		it = &ex->items[i++];
		if (it->depth > d) {
			ck_assert_msg(!nested,
			    "range \"%s\" at %zu is at depth "
			    "%d, expected %d",
			    it->text, it->off, it->depth, d);
			continue;
		}
		ck_assert_msg(it->off == pos,
		    "range \"%s\" at %zu, expected %zu", it->text, it->off,
		    pos);
		ck_assert_msg(it->len > 0, "empty range \"%s\"", it->text);
		if (nested && i < ex->n && ex->items[i].depth > d)
			i = testutil_tile(
			    ex, i, d + 1, it->off, it->len, nested);
		pos += it->len;
	}
	ck_assert_msg(pos == off + len,
	    "level %d ranges end at %zu, expected %zu", d, pos, off + len);
	return i;
}

void
testutil_json_start(struct wbuf *w, struct json *j)
{
	wbuf_init_dyn(w, 0);
	json_init(j, w);
}

char *
testutil_json_end(struct wbuf *w, struct json *j)
{
	char *s;

	ck_assert_int_eq(json_finish(j), 0);
	s = malloc(wbuf_len(w) + 1);
	ck_assert_ptr_nonnull(s);
	if (wbuf_len(w) > 0)
		memcpy(s, wbuf_data(w), wbuf_len(w));
	s[wbuf_len(w)] = '\0';
	wbuf_free(w);
	return s;
}

enum verdict_action
testutil_decode_covered(const uint8_t *msg, size_t len,
    const struct bgp_sess *s, bool nested, struct verdict *v)
{
	struct explain ex;
	struct wbuf w;
	struct json j;
	enum verdict_action a;

	explain_init(&ex, msg);
	testutil_json_start(&w, &j);
	a = msg_decode_json(msg, len, s, &j, v, &ex);
	free(testutil_json_end(&w, &j));
	ck_assert_int_eq(ex.err, 0);
	ck_assert_int_eq(ex.depth, 0);
	ck_assert_uint_eq(testutil_tile(&ex, 0, 0, 0, len, nested), ex.n);
	explain_free(&ex);
	return a;
}

const char *
testutil_decode_str(
    const uint8_t *msg, size_t len, const struct bgp_sess *s, struct verdict *v)
{
	static char *out;
	struct wbuf w;
	struct json j;

	testutil_json_start(&w, &j);
	msg_decode_json(msg, len, s, &j, v, NULL);
	free(out);
	out = testutil_json_end(&w, &j);
	return out;
}
