/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The UPDATE message (RFC 4271 §4.3): withdrawn routes, path attributes and
 * NLRI, MP_REACH/MP_UNREACH (RFC 4760), ADD-PATH (RFC 7911), End-of-RIB
 * (RFC 4724 §2), and the RFC 7606 verdict. A decoded update lives on the
 * caller's stack and points into the message: nothing to free.
 *
 * Public: update_parse(), update_iter_init(), update_iter_next(),
 *         update_json(), update_attrs_canon(), update_encode_eor().
 */
#ifndef BGPWATCH_UPDATE_H
#define BGPWATCH_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "bgp.h"
#include "explain.h"
#include "json.h"
#include "prefix.h"
#include "rbuf.h"
#include "wbuf.h"

/* One MP_REACH_NLRI or MP_UNREACH_NLRI attribute (RFC 4760 §3, §4). */
struct update_mp {
	bool present;
	bool decoded; /* IPv4/IPv6 unicast or multicast: NLRI walked */
	uint16_t afi;
	uint8_t safi;
	const uint8_t *nh; /* MP_REACH next hop field, nhlen octets */
	uint8_t nhlen; /* 4, 16 or 32 (global + link-local) */
	struct rbuf nlri; /* the NLRI field, verified when decoded */
};

struct update {
	const uint8_t *body; /* message after the header */
	size_t len;
	struct bgp_sess sess; /* how it was decoded */
	struct rbuf withdrawn; /* IPv4 unicast Withdrawn Routes, verified */
	struct rbuf nlri; /* IPv4 unicast NLRI, verified */
	struct update_mp reach;
	struct update_mp unreach;
	struct attr_set attrs; /* parsed path attributes, see attr.h */
	bool eor; /* End-of-RIB marker (RFC 4724 §2) */
	uint16_t eor_afi;
	uint8_t eor_safi;
	struct verdict verdict; /* RFC 7606 outcome */
	/*
	 * Announced prefixes must be treated as withdrawn: the verdict is
	 * treat-as-withdraw, or a more severe afi-safi-disable won over a
	 * treat-as-withdraw error (RFC 7606 §3(h)).
	 */
	bool treat_as_withdraw;
	uint16_t disable_afi; /* the family of an afi-safi-disable verdict */
	uint8_t disable_safi;
};

/*
 * Decode the UPDATE body[0..len) (after the header) as negotiated in s.
 * Always fills u->verdict: VERDICT_OK, VERDICT_ATTR_DISCARD (the offending
 * attribute is dropped, the rest stands), VERDICT_TREAT_AS_WITHDRAW (every
 * announced prefix must be treated as withdrawn, RFC 7606 §2),
 * VERDICT_AFI_SAFI_DISABLE (u->disable_afi/safi; the family's MP prefixes
 * are not walked; see also u->treat_as_withdraw), or VERDICT_SESSION_RESET
 * (code 3/x + data). Every verdict carries the RFC 4271 §6.3 code/subcode
 * the error would have had and a reason naming the field and the RFC
 * section. Withdrawn Routes and NLRI fields that do not parse are a
 * session reset, 3/10 (RFC 7606 §3(j), §5.3); an UPDATE with attributes
 * other than MP_UNREACH_NLRI but no reachable NLRI turns any error beyond
 * attribute-discard into a session reset (RFC 7606 §5.2). Returns 0 when
 * the prefixes can be walked (every verdict but session reset), -1
 * otherwise (then nothing is walked). With ex non-NULL every byte of the
 * body is narrated. Allocation-free when ex is NULL.
 */
int update_parse(const uint8_t *body, size_t len, const struct bgp_sess *s,
    struct update *u, struct explain *ex) WUR;

enum update_part {
	UPDATE_WITHDRAWN, /* Withdrawn Routes + MP_UNREACH_NLRI */
	UPDATE_ANNOUNCED, /* NLRI + MP_REACH_NLRI */
};

struct update_iter {
	const struct update *u;
	enum update_part part;
	int stage; /* 0: IPv4 field, 1: MP attribute, 2: done */
	struct rbuf r;
	uint16_t afi;
	uint8_t safi;
	bool addpath;
};

/* Walk the withdrawn or announced prefixes of a parsed update. */
void update_iter_init(
    struct update_iter *it, const struct update *u, enum update_part part);
/*
 * Next prefix: 1 with *p (p->afi is the family), *path_id (0 without
 * ADD-PATH) and *safi set; 0 at the end. Only decoded families are
 * walked: IPv4 unicast fields first, then the MP attribute. After a call
 * returning 1, it->stage is 0 for the IPv4 field, 1 for the MP attribute,
 * and it->addpath tells whether *path_id came from the wire.
 */
int update_iter_next(
    struct update_iter *it, struct prefix *p, uint32_t *path_id, uint8_t *safi);

/*
 * Write the UPDATE's fields (not the enclosing object) in the decode JSON
 * shape: "withdrawn" [{"prefix","path_id"?}], "announced" [{"prefix",
 * "path_id"?, "next_hop"?, "next_hop_link_local"?, "safi"? (multicast
 * only)}], "attributes" (see attr_json(); "as_path" is the reconciled
 * path, "as4_path" the raw AS4_PATH), "end_of_rib" (null or {"afi",
 * "safi"}) and "verdict" {"action","code","subcode","reason","data"?,
 * "disabled"?,"treat_as_withdraw"?}. path_id appears only for families
 * with ADD-PATH. After a session reset the lists and "attributes" are
 * empty.
 */
void update_json(const struct update *u, struct json *j);

/*
 * Append to out the canonical attribute set of u for routes of family afi,
 * as stored in the Adj-RIB-In: wire-format path attributes as a 4-octet AS
 * session would send them, sorted by type code, with AS_PATH and AS4_PATH
 * merged (RFC 6793 §4.2.3), AS4_AGGREGATOR folded into AGGREGATOR,
 * MP_UNREACH dropped and MP_REACH_NLRI reduced to AFI/SAFI + next hop with
 * no NLRI. Equal paths give equal bytes, so the RIB can intern them.
 * Details: NEXT_HOP is kept only for afi IPv4; the reduced MP_REACH_NLRI
 * only when it is a decoded family of afi (attr_canon_summary() then
 * takes its next hop); attributes that were discarded are absent;
 * unrecognised optional transitive attributes are kept with the Partial
 * bit set and non-transitive ones dropped (RFC 4271 §5); the extended
 * length bit is set exactly when a value exceeds 255 octets.
 * Returns 0, or -1 when out reports an error or u reset the session.
 */
int
update_attrs_canon(const struct update *u, uint16_t afi, struct wbuf *out) WUR;

/* Append an End-of-RIB UPDATE for (afi, safi) (RFC 4724 §2). */
void update_encode_eor(struct wbuf *w, uint16_t afi, uint8_t safi);

#endif
