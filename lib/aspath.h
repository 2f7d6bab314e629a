/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * AS_PATH and AS4_PATH values (RFC 4271 §4.3, RFC 5065 §3, RFC 6793):
 * segment validation per RFC 7606 §7.2, the RFC 6793 §4.2.3 reconciliation
 * of AS_PATH with AS4_PATH, path length, origin and upstream AS, and the
 * text, JSON and wire forms. Paths are never copied: a view points into
 * the message, so nothing here allocates except the text form.
 *
 * Public: aspath_verify(), aspath_init(), aspath_view_init(),
 *         aspath_merge(), aspath_length(), aspath_iter_init(),
 *         aspath_iter_next(), aspath_seg_asn(), aspath_seg_name(),
 *         aspath_origin(), aspath_upstream(), aspath_fmt(), aspath_json(),
 *         aspath_encode().
 */
#ifndef BGPWATCH_ASPATH_H
#define BGPWATCH_ASPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp.h"
#include "explain.h"
#include "json.h"
#include "wbuf.h"

/* A verified AS_PATH or AS4_PATH value as it lies in the message. */
struct aspath {
	const uint8_t *data;
	uint16_t len;
	uint8_t asw; /* octets per AS number: 2 or 4 */
};

/*
 * The path a consumer sees: the first head_end octets of head (always on
 * an AS number boundary; a segment cut short there counts only the AS
 * numbers before the cut) followed by all of tail. Without AS4_PATH,
 * head_end is head.len and tail is empty.
 */
struct aspath_view {
	struct aspath head;
	uint16_t head_end;
	struct aspath tail;
};

/* One segment of a view. */
struct aspath_seg {
	uint8_t type; /* AS_SET .. AS_CONFED_SET */
	uint8_t count; /* AS numbers in this segment (after any cut) */
	uint8_t asw;
	const uint8_t *asns;
};

struct aspath_iter {
	const struct aspath_view *v;
	int part; /* 0: head, 1: tail, 2: done */
	size_t off;
};

/*
 * Check the len octets at p as a path of asw-octet AS numbers
 * (RFC 7606 §7.2): every segment has a known type (1..4; with
 * confed_ok false only AS_SET and AS_SEQUENCE, as RFC 6793 §6 requires
 * of AS4_PATH), a count of at least one, and fits exactly; no octet may
 * be left over; no AS number is 0 (RFC 7607 §2). An empty value is a
 * valid empty path. Returns 0, or -1
 * with a reason in why[0..whylen). With ex non-NULL each segment and AS
 * number is narrated.
 */
int aspath_verify(const uint8_t *p, size_t len, uint8_t asw, bool confed_ok,
    char *why, size_t whylen, struct explain *ex) WUR;
/* Describe a value already verified by aspath_verify(). */
void aspath_init(struct aspath *a, const uint8_t *p, uint16_t len, uint8_t asw);
/* A view of the whole of a, with no AS4_PATH. */
void aspath_view_init(struct aspath_view *v, const struct aspath *a);
/*
 * RFC 6793 §4.2.3: set *v to the path rebuilt from a 2-octet AS_PATH and
 * an AS4_PATH. When AS4_PATH counts more AS numbers than AS_PATH it is
 * ignored, *v is AS_PATH alone and false is returned; otherwise the
 * leading part of AS_PATH (with the confederation segments there or
 * adjacent to it) is followed by AS4_PATH so that the result counts as
 * many AS numbers as AS_PATH, and true is returned.
 */
bool aspath_merge(struct aspath_view *v, const struct aspath *as_path,
    const struct aspath *as4_path);
/*
 * The path length as RFC 4271 §9.1.2.2 counts it: an AS_SET counts one,
 * confederation segments (RFC 5065 §5.3) count nothing.
 */
uint32_t aspath_length(const struct aspath_view *v);

/* Walk the segments of v in order: 1 with *seg filled, 0 at the end. */
void aspath_iter_init(struct aspath_iter *it, const struct aspath_view *v);
int aspath_iter_next(struct aspath_iter *it, struct aspath_seg *seg);
/* The i-th AS number of seg (i < seg->count). */
uint32_t aspath_seg_asn(const struct aspath_seg *seg, unsigned i);
/* "sequence", "set", "confed-sequence", "confed-set" or NULL. */
const char *aspath_seg_name(uint8_t type);

/*
 * The origin AS: the last AS number of the path when, confederation
 * segments aside, the path ends in an AS_SEQUENCE. Returns false (origin
 * unknown) for an empty path or one that ends in an AS_SET.
 */
bool aspath_origin(const struct aspath_view *v, uint32_t *asn);
/*
 * The upstream (transit) AS: walking left from the origin past its
 * prepends, the first different AS number. Returns false when the origin
 * is unknown, when the path holds a single distinct AS, or when the
 * element left of the origin's run is an AS_SET (the upstream is then
 * one of several and not known). Confederation segments are skipped.
 */
bool aspath_upstream(const struct aspath_view *v, uint32_t *asn);
/*
 * Append the text form to w: AS numbers separated by spaces, AS_SET as
 * "{1,2}", AS_CONFED_SEQUENCE as "(65001 65002)", AS_CONFED_SET as
 * "[65001,65002]"; an empty path is "". No NUL is appended.
 */
void aspath_fmt(const struct aspath_view *v, struct wbuf *w);
/*
 * Write the path's keys into the object the caller has open: "segments"
 * [{"type","asns"}], "flat" (every AS number of every segment in wire
 * order, sets and confederation segments included), "length"
 * (aspath_length), "origin_as" and "upstream_as" (number or null) and
 * "text" (aspath_fmt).
 */
void aspath_json(const struct aspath_view *v, struct json *j);
/* Append the segments of v to w with asw-octet AS numbers (2 or 4). */
void aspath_encode(const struct aspath_view *v, struct wbuf *w, uint8_t asw);

#endif
