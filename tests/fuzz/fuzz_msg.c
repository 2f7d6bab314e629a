/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Fuzz target for the header check and the whole-message decoder
 * (msg_hdr_parse(), msg_decode_json(), update_parse() and the prefix
 * walk). The first input octet picks the session: bit 0 a 2-octet AS
 * session, bit 1 extended messages, bits 2-5 ADD-PATH receive for the four
 * families of enum sess_family, bit 6 --explain narration. The rest is the
 * message stream as a peer would send it.
 *
 * Invariants: the JSON is one valid document without a newline; the action
 * returned is the one in the verdict; a header error is code 1; an UPDATE
 * parses (0) exactly when its verdict is not session-reset, its prefix walk
 * ends, every prefix fits its family, and msg_decode_json() reaches the
 * same verdict; explained ranges stay inside the message.
 *
 * Public: LLVMFuzzerTestOneInput().
 */
#include <string.h>

#include "bgp.h"
#include "explain.h"
#include "fuzz_check.h"
#include "json.h"
#include "msg.h"
#include "prefix.h"
#include "rbuf.h"
#include "update.h"
#include "wbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_JSON_MAX (64u << 20)

static void
fuzz_msg_sess(uint8_t flags, struct bgp_sess *s)
{
	memset(s, 0, sizeof(*s));
	s->as4 = (flags & 0x01) == 0;
	s->ext_msg = (flags & 0x02) != 0;
	s->addpath_rx = (flags >> 2) & ((1u << FAM_COUNT) - 1);
}

/* Decode msg[0..len) to JSON and check the document; returns the action. */
static enum verdict_action
fuzz_msg_json(
    const uint8_t *msg, size_t len, const struct bgp_sess *s, bool narrate)
{
	struct explain ex;
	struct verdict v;
	struct wbuf w;
	struct json j;
	enum verdict_action act;
	size_t i;

	wbuf_init_dyn(&w, FUZZ_JSON_MAX);
	json_init(&j, &w);
	if (narrate)
		explain_init(&ex, msg);
	act = msg_decode_json(msg, len, s, &j, &v, narrate ? &ex : NULL);
	fuzz_require(act == v.action, "returned action is the verdict's");
	fuzz_require(
	    json_finish(&j) == 0 && !wbuf_error(&w), "JSON document complete");
	fuzz_require(memchr(wbuf_data(&w), '\n', wbuf_len(&w)) == NULL,
	    "no newline in the JSON line");
	fuzz_require(
	    fuzz_json_valid(wbuf_data(&w), wbuf_len(&w)), "JSON valid");
	if (narrate) {
		for (i = 0; i < ex.n; i++)
			fuzz_require(ex.items[i].off <= len &&
			        ex.items[i].len <= len - ex.items[i].off,
			    "explained range inside the message");
		explain_free(&ex);
	}
	wbuf_free(&w);
	return act;
}

/* Walk one part of a parsed update; check each prefix and the count. */
static void
fuzz_msg_walk(const struct update *u, enum update_part part, size_t bodylen)
{
	struct update_iter it;
	struct prefix p;
	uint32_t path_id;
	uint8_t safi;
	size_t n = 0;

	update_iter_init(&it, u, part);
	while (update_iter_next(&it, &p, &path_id, &safi)) {
		fuzz_require(p.afi == AFI_IPV4 || p.afi == AFI_IPV6,
		    "prefix family is IPv4 or IPv6");
		fuzz_require(p.len <= (p.afi == AFI_IPV4 ? 32 : 128),
		    "prefix length within the family");
		fuzz_require(
		    path_id == 0 || sess_addpath(&u->sess, p.afi, safi),
		    "path id only with ADD-PATH");
		/* Each prefix takes at least its length octet. */
		fuzz_require(++n <= bodylen, "prefix walk terminates");
	}
}

static void
fuzz_msg_update(const uint8_t *msg, size_t len, const struct bgp_sess *s)
{
	struct update u;
	int rc;

	rc = update_parse(msg + BGP_HDR_LEN, len - BGP_HDR_LEN, s, &u, NULL);
	fuzz_require((rc == 0) == (u.verdict.action != VERDICT_SESSION_RESET),
	    "update_parse returns 0 exactly without session reset");
	if (rc == 0) {
		fuzz_msg_walk(&u, UPDATE_WITHDRAWN, len - BGP_HDR_LEN);
		fuzz_msg_walk(&u, UPDATE_ANNOUNCED, len - BGP_HDR_LEN);
	}
	fuzz_require(fuzz_msg_json(msg, len, s, false) == u.verdict.action,
	    "msg_decode_json agrees with update_parse");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_sess s;
	struct msg_hdr h;
	struct verdict v;
	struct rbuf r;
	const uint8_t *msg;
	size_t len;

	if (size < 1)
		return 0;
	fuzz_msg_sess(data[0], &s);
	msg = data + 1;
	len = size - 1;
	(void)fuzz_msg_json(msg, len, &s, (data[0] & 0x40) != 0);

	rbuf_init(&r, msg, len);
	if (msg_hdr_parse(&r, &s, &h, &v, NULL) != 0) {
		fuzz_require(v.action == VERDICT_SESSION_RESET && v.code == 1,
		    "header error is a NOTIFICATION 1/x");
		return 0;
	}
	fuzz_require(h.len >= BGP_HDR_LEN &&
	        h.len <= (s.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN),
	    "header length within limits");
	fuzz_require(msg_type_name(h.type) != NULL, "header type known");
	fuzz_require(rbuf_left(&r) == len - BGP_HDR_LEN, "r past the header");
	if (h.type == BGP_MSG_UPDATE && h.len <= len)
		fuzz_msg_update(msg, h.len, &s);
	return 0;
}
