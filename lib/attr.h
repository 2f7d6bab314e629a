/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Path attributes (RFC 4271 §4.3, §5 and the extensions listed in
 * update.h): one descriptor table (flags, length rule, decoder, JSON
 * formatter per type code), the RFC 7606 error handling per attribute,
 * and the canonical attribute blob stored in the Adj-RIB-In.
 *
 * Public: attr_parse(), attr_nlri_verify(), attr_json(), attr_canon(),
 *         attr_aggregator(), attr_has(), attr_seen(), attr_canon_json(),
 *         attr_canon_summary(), attr_name(), attr_type_octet().
 */
#ifndef BGPWATCH_ATTR_H
#define BGPWATCH_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aspath.h"
#include "bgp.h"
#include "explain.h"
#include "json.h"
#include "rbuf.h"
#include "wbuf.h"

/* Type codes below this have a descriptor (OTC, 35, is the last). */
#define ATTR_TABLE_SIZE 36

/* An MP_REACH_NLRI or MP_UNREACH_NLRI attribute (RFC 4760 §3, §4). */
struct attr_mp {
	bool present;
	bool decoded; /* IPv4/IPv6 unicast or multicast and NLRI verified */
	bool abbreviated; /* RFC 6396 §4.3.4 form: the family is the RIB's */
	uint16_t afi;
	uint8_t safi;
	const uint8_t *nh; /* MP_REACH next hop, nhlen octets */
	uint8_t nhlen;
	struct rbuf nlri; /* NLRI (reach) or Withdrawn Routes (unreach) */
};

/*
 * The parsed path attributes of one UPDATE. Pointers refer to the
 * message. Only the bitmaps and the fields named below are meaningful;
 * val[t]/len[t] are set only for a type t whose bit is set in have.
 */
struct attr_set {
	uint32_t seen[8]; /* bit per type code: first occurrence found */
	uint32_t have[8]; /* bit per type code: value valid and kept */
	struct rbuf section; /* the attributes walked (RFC 7606 §4 may cut) */
	bool as4; /* AS_PATH/AGGREGATOR carry 4-octet AS numbers */
	const uint8_t *val[ATTR_TABLE_SIZE]; /* value of a known attribute */
	uint16_t len[ATTR_TABLE_SIZE];
	uint8_t flags[ATTR_TABLE_SIZE]; /* flags as received */
	struct aspath as_path; /* AS_PATH as received */
	struct aspath as4_path; /* AS4_PATH as received */
	struct aspath_view path; /* AS path after RFC 6793 §4.2.3 */
	bool as4_used; /* AS4_PATH went into path */
	bool as4_aggr_used; /* AS4_AGGREGATOR replaced AGGREGATOR */
	struct attr_mp reach, unreach;
	uint16_t disable_afi; /* family of an afi-safi-disable verdict */
	uint8_t disable_safi;
	uint16_t n_unknown; /* recognised by nobody, kept raw */
	bool truncated; /* RFC 7606 §4: the walk stopped early */
	bool withdraw; /* some error called for treat-as-withdraw */
	bool non_unreach; /* an attribute other than MP_UNREACH_NLRI */
};

/* True when the attribute of type t was parsed and kept. */
static inline bool
attr_has(const struct attr_set *a, uint8_t t)
{
	return (a->have[t >> 5] & (1u << (t & 31))) != 0;
}

/* True when an attribute of type t was present, well-formed or not. */
static inline bool
attr_seen(const struct attr_set *a, uint8_t t)
{
	return (a->seen[t >> 5] & (1u << (t & 31))) != 0;
}

/*
 * Read one attribute of a path attribute field (RFC 4271 §4.3: flags,
 * type code, a 1-octet length or, with the Extended Length bit, a 2-octet
 * one, the value) from r, the value into *val. 0, or -1 with r unchanged
 * when the field ends inside it. No check of flags or value: that is
 * attr_parse()'s.
 */
int attr_hdr_next(
    struct rbuf *r, uint8_t *flags, uint8_t *type, struct rbuf *val) WUR;
/*
 * Parse the path attribute field r (RFC 4271 §4.3) as negotiated in s,
 * into *a, applying RFC 7606 per attribute: each error is recorded in *v
 * with verdict_set() (most severe wins) with the RFC 4271 §6.3 code,
 * subcode and data (the whole offending attribute) and a reason naming
 * the attribute and the RFC section. MP_REACH/MP_UNREACH NLRI of decoded
 * families are verified here (ADD-PATH per s). nlri_len is the length of
 * the UPDATE's NLRI field: without one a bad NEXT_HOP is only discarded
 * (RFC 4760 §3). Returns 0 when the walk finished (v may hold anything
 * up to afi-safi-disable), -1 for a session reset. Missing mandatory
 * attributes are the caller's to check (they depend on the NLRI) and
 * *r is not consumed. With ex non-NULL every byte is narrated.
 */
int attr_parse(struct rbuf *r, const struct bgp_sess *s, size_t nlri_len,
    struct attr_set *a, struct verdict *v, struct explain *ex) WUR;
/*
 * Check an NLRI or Withdrawn Routes field of afi (AFI_IPV4/AFI_IPV6)
 * with or without RFC 7911 path identifiers: every prefix length within
 * the family's width and every prefix inside the field (RFC 7606 §5.3).
 * Returns the number of prefixes, or -1 with a reason in why.
 */
long attr_nlri_verify(const struct rbuf *field, uint16_t afi, bool addpath,
    char *why, size_t whylen, struct explain *ex) WUR;
/* Write the "attributes" object (under key; NULL inside an array). */
void attr_json(const struct attr_set *a, struct json *j, const char *key);
/*
 * The aggregating AS and router id after RFC 6793 §4.2.3 (AS4_AGGREGATOR
 * replaces an AGGREGATOR of AS_TRANS). False when there is none.
 */
bool attr_aggregator(const struct attr_set *a, uint32_t *as, uint8_t id[4]);
/* Append the canonical blob of a for routes of afi (see update.h). */
void attr_canon(const struct attr_set *a, uint16_t afi, struct wbuf *out);

/* A summary of a canonical attribute blob, for filters and events. */
struct attr_summary {
	bool has_origin_as; /* false: empty path or AS_SET tail */
	uint32_t origin_as;
	bool has_upstream_as; /* false: path of one AS (after prepends) */
	uint32_t upstream_as;
	uint8_t nh_afi; /* 0 when no next hop */
	uint8_t nh[32];
	uint8_t nhlen;
	uint32_t path_len; /* RFC 4271 §9.1.2.2: sets 1, confed segments 0 */
};

/*
 * Write the "attributes" object (key included) for a canonical blob made by
 * update_attrs_canon(). Returns 0, or -1 if the blob does not decode
 * (which would be a bug: blobs come from verified updates).
 */
int attr_canon_json(
    const uint8_t *canon, size_t len, struct json *j, const char *key);
/* Fill *sum from a canonical blob. 0 or -1 as above. */
int attr_canon_summary(
    const uint8_t *canon, size_t len, struct attr_summary *sum) WUR;
/*
 * Append one attribute (flags, type, length, value) to w, setting the
 * extended-length bit exactly when the value exceeds 255 octets
 * (RFC 4271 §4.3). Used by every attribute encoder.
 */
void attr_put(
    struct wbuf *w, uint8_t flags, uint8_t type, const void *val, size_t len);
/* "ORIGIN", "AS_PATH", ... or NULL when unknown. */
const char *attr_name(uint8_t type);
/*
 * A pointer to one static octet holding type (for the data of a Missing
 * Well-known Attribute NOTIFICATION, RFC 4271 §6.3); NULL for type codes
 * above OTC.
 */
const uint8_t *attr_type_octet(uint8_t type);

#endif
