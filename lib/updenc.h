/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The UPDATE encoder of a speaker that sends routes: a canonical attribute
 * blob (update_attrs_canon() form) turned into the attributes a negotiated
 * session expects (RFC 6793 §4.2.2 AS_TRANS + AS4_PATH towards a 2-octet
 * peer), and prefixes packed into as few UPDATEs as fit in 4096 octets, or
 * 65535 with RFC 8654 extended messages: IPv4 unicast in the NLRI and
 * Withdrawn Routes fields, other families in MP_REACH_NLRI/MP_UNREACH_NLRI
 * (RFC 4760), with RFC 7911 path identifiers where negotiated.
 *
 * Public: updenc_init(), updenc_maxlen(), updenc_set_attrs(),
 *         updenc_announce_one(), updenc_announce(), updenc_withdraw_one(),
 *         updenc_withdraw(), updenc_attr_aspath().
 */
#ifndef BGPWATCH_UPDENC_H
#define BGPWATCH_UPDENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "prefix.h"
#include "wbuf.h"

/* What the receiving side decodes by, as negotiated. */
struct updenc_sess {
	bool as4; /* RFC 6793: both sides sent the 4-octet AS capability */
	bool ext_msg; /* RFC 8654: both sides sent extended messages */
	uint32_t addpath_tx; /* bit (1 << FAM_x): we send path ids for x */
};

/* One prefix to announce or withdraw, with its RFC 7911 path id. */
struct updenc_pfx {
	struct prefix p;
	uint32_t path_id; /* sent only where addpath_tx says so */
};

/*
 * An encoder for one session and one attribute set at a time. It is big
 * (the attributes may take a whole extended message): allocate it.
 */
struct updenc {
	struct updenc_sess sess;
	size_t maxlen; /* 4096 or 65535 */
	bool ready; /* updenc_set_attrs() succeeded */
	uint16_t afi;
	uint8_t safi;
	bool mp; /* prefixes go in MP_REACH_NLRI, not the NLRI field */
	bool addpath; /* path ids for this family */
	size_t pre_len; /* attrs[0..pre_len) come before MP_REACH_NLRI */
	size_t attr_len; /* every attribute but MP_REACH_NLRI */
	size_t reach_len; /* reach[]: AFI, SAFI, next hop length and value, 0 */
	uint8_t reach[5 + 255];
	uint8_t attrs[BGP_EXT_MAX_LEN];
};

/* Start an encoder for session s; set attributes before announcing. */
void updenc_init(struct updenc *e, const struct updenc_sess *s);

/* The largest message s allows: 4096, or 65535 with extended messages. */
size_t updenc_maxlen(const struct updenc_sess *s);

/*
 * Take canon[0..len), a canonical attribute blob for routes of afi (the
 * form of update_attrs_canon(): wire-format attributes sorted by type
 * code, 4-octet AS numbers, MP_REACH_NLRI reduced to AFI, SAFI and next
 * hop with no NLRI), as the attributes of the next announcements. IPv4
 * unicast routes travel in the NLRI field with the blob's NEXT_HOP
 * (RFC 4271 §4.3) unless the blob has an IPv4 MP_REACH_NLRI; every other
 * family needs one (RFC 4760 §3) and takes AFI and SAFI from it. Towards a
 * 2-octet AS peer AS_PATH and AGGREGATOR are rewritten with AS_TRANS for
 * AS numbers above 65535, and AS4_PATH (without confederation segments,
 * RFC 6793 §3) and AS4_AGGREGATOR carry the real ones (§4.2.2); towards a
 * 4-octet peer any AS4_PATH or AS4_AGGREGATOR in the blob is dropped
 * (§4.2.1). A confederation member above 65535 reaches a 2-octet peer as
 * AS_TRANS: RFC 6793 gives it no other form. Returns 0, or -1 (encoder
 * unusable until the next call) when an attribute overruns the blob, an
 * MP_REACH_NLRI is malformed, carries NLRI or names another AFI, an IPv6
 * blob has none, or the attributes leave no room for a prefix in one
 * message.
 */
int updenc_set_attrs(
    struct updenc *e, uint16_t afi, const uint8_t *canon, size_t len) WUR;

/*
 * Append one UPDATE to w announcing p[0..n) with the current attributes,
 * as many of them, in order, as fit in one message (the first always
 * does). Every prefix must be of the encoder's AFI. Returns how many were
 * put in; 0 (and w's error set) when n is 0, no attributes are set, a
 * prefix is of another family, or w has no room. Check wbuf_error() once.
 */
size_t updenc_announce_one(
    struct updenc *e, struct wbuf *w, const struct updenc_pfx *p, size_t n);
/*
 * Append as many UPDATEs as it takes to announce all of p[0..n); returns
 * the number of messages (0 for n 0). Errors as for updenc_announce_one().
 */
size_t updenc_announce(
    struct updenc *e, struct wbuf *w, const struct updenc_pfx *p, size_t n);

/*
 * Append one UPDATE withdrawing p[0..n) of (afi, safi) on session s, as
 * many as fit: IPv4 unicast in the Withdrawn Routes field, others in an
 * MP_UNREACH_NLRI attribute (RFC 4760 §4). Returns how many were put in;
 * 0 (and w's error set) when n is 0, a prefix is not of afi, or w has no
 * room.
 */
size_t updenc_withdraw_one(const struct updenc_sess *s, struct wbuf *w,
    uint16_t afi, uint8_t safi, const struct updenc_pfx *p, size_t n);
/* Withdraw all of p[0..n) in as many UPDATEs as needed; returns their number. */
size_t updenc_withdraw(const struct updenc_sess *s, struct wbuf *w,
    uint16_t afi, uint8_t safi, const struct updenc_pfx *p, size_t n);

/*
 * Append a canonical AS_PATH of the n 4-octet AS numbers asns as
 * AS_SEQUENCE segments of at most 255 each (RFC 4271 §5.1.2); n may be 0
 * (an empty path, as iBGP sends locally originated routes).
 */
void updenc_attr_aspath(struct wbuf *w, const uint32_t *asns, size_t n);

#endif
