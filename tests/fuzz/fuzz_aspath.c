/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Fuzz target for AS_PATH/AS4_PATH handling (lib/aspath.h): verification,
 * the RFC 6793 §4.2.3 merge, segment walk, origin and upstream AS, text,
 * JSON and wire forms. First octet: bit 0 a 2-octet AS_PATH, bit 1
 * confederation segments allowed, bit 2 merge mode, where the second
 * octet picks where the 2-octet AS_PATH ends and the AS4_PATH begins.
 *
 * Invariants: a verified path re-encodes to the same octets; its text form
 * parses back to the same segments; its JSON is valid; the origin is the
 * last AS of a final AS_SEQUENCE and the upstream a different AS of the
 * path; re-encoding any view with 2 or 4 octets verifies again; a merged
 * path counts as many AS numbers as AS_PATH (RFC 6793 §4.2.3).
 *
 * Public: LLVMFuzzerTestOneInput().
 */
#include <stdlib.h>
#include <string.h>

#include "aspath.h"
#include "bgp.h"
#include "fuzz_check.h"
#include "json.h"
#include "wbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SEG_MAX 2048 /* a 64 KiB value holds fewer segments */

/* Segments of a path, sequences run together as the text form shows. */
struct fuzz_segs {
	size_t n;
	uint8_t type[FUZZ_SEG_MAX];
	size_t first[FUZZ_SEG_MAX]; /* index into asn[] */
	size_t count[FUZZ_SEG_MAX];
	size_t nasn;
	uint32_t asn[65536];
};

static void
fuzz_segs_add(struct fuzz_segs *s, uint8_t type, uint32_t asn, bool start)
{
	if (start &&
	    !(type == AS_SEQUENCE && s->n > 0 &&
	        s->type[s->n - 1] == AS_SEQUENCE)) {
		fuzz_require(s->n < FUZZ_SEG_MAX, "segment table room");
		s->type[s->n] = type;
		s->first[s->n] = s->nasn;
		s->count[s->n] = 0;
		s->n++;
	}
	fuzz_require(s->nasn < 65536, "AS table room");
	s->asn[s->nasn++] = asn;
	s->count[s->n - 1]++;
}

static void
fuzz_segs_of_view(const struct aspath_view *v, struct fuzz_segs *s)
{
	struct aspath_iter it;
	struct aspath_seg seg;
	unsigned i;

	s->n = s->nasn = 0;
	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg))
		for (i = 0; i < seg.count; i++)
			fuzz_segs_add(
			    s, seg.type, aspath_seg_asn(&seg, i), i == 0);
}

static bool
fuzz_text_asn(const char **t, uint32_t *asn)
{
	unsigned long v;
	char *end;

	if (**t < '0' || **t > '9')
		return false;
	v = strtoul(*t, &end, 10);
	if (v > UINT32_MAX)
		return false;
	*asn = (uint32_t)v;
	*t = end;
	return true;
}

/* One element of the text form: an AS number or a bracketed segment. */
static bool
fuzz_text_elem(const char **t, struct fuzz_segs *s)
{
	static const char open[] = "{([", close[] = "})]";
	static const uint8_t types[] = { AS_SET, AS_CONFED_SEQUENCE,
		AS_CONFED_SET };
	const char *o = **t != '\0' ? strchr(open, **t) : NULL;
	uint32_t asn;
	bool first;
	char sep;

	if (o == NULL) {
		if (!fuzz_text_asn(t, &asn))
			return false;
		fuzz_segs_add(s, AS_SEQUENCE, asn, true);
		return true;
	}
	sep = types[o - open] == AS_CONFED_SEQUENCE ? ' ' : ',';
	(*t)++;
	for (first = true;; first = false) {
		if (!fuzz_text_asn(t, &asn))
			return false;
		fuzz_segs_add(s, types[o - open], asn, first);
		if (**t == close[o - open]) {
			(*t)++;
			return true;
		}
		if (**t != sep)
			return false;
		(*t)++;
	}
}

/* Parse aspath_fmt() output back; false when it is not well formed. */
static bool
fuzz_segs_of_text(const char *t, struct fuzz_segs *s)
{
	s->n = s->nasn = 0;
	if (*t == '\0')
		return true;
	for (;;) {
		if (!fuzz_text_elem(&t, s))
			return false;
		if (*t == '\0')
			return true;
		if (*t++ != ' ')
			return false;
	}
}

static bool
fuzz_segs_equal(const struct fuzz_segs *a, const struct fuzz_segs *b)
{
	return a->n == b->n && a->nasn == b->nasn &&
	    memcmp(a->type, b->type, a->n) == 0 &&
	    memcmp(a->count, b->count, a->n * sizeof(a->count[0])) == 0 &&
	    memcmp(a->asn, b->asn, a->nasn * sizeof(a->asn[0])) == 0;
}

static void
fuzz_aspath_text(const struct aspath_view *v)
{
	static struct fuzz_segs walked, parsed;
	struct wbuf w;

	wbuf_init_dyn(&w, 1u << 20);
	aspath_fmt(v, &w);
	wbuf_put_u8(&w, 0);
	fuzz_require(!wbuf_error(&w), "text form fits");
	fuzz_segs_of_view(v, &walked);
	fuzz_require(fuzz_segs_of_text((const char *)wbuf_data(&w), &parsed),
	    "text form parses");
	fuzz_require(fuzz_segs_equal(&walked, &parsed),
	    "text form parses back to the same segments");
	wbuf_free(&w);
}

static void
fuzz_aspath_json(const struct aspath_view *v)
{
	struct wbuf w;
	struct json j;

	wbuf_init_dyn(&w, 4u << 20);
	json_init(&j, &w);
	json_obj_open(&j, NULL);
	aspath_json(v, &j);
	json_obj_close(&j);
	fuzz_require(
	    json_finish(&j) == 0 && !wbuf_error(&w), "AS path JSON complete");
	fuzz_require(
	    fuzz_json_valid(wbuf_data(&w), wbuf_len(&w)), "AS path JSON valid");
	wbuf_free(&w);
}

/* The last AS-level element, and the one left of its prepend run. */
static void
fuzz_aspath_ends(const struct aspath_view *v)
{
	struct aspath_iter it;
	struct aspath_seg seg, last = { 0 };
	uint32_t origin, up;
	bool in_path = false;
	unsigned i;

	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg))
		if (seg.type == AS_SET || seg.type == AS_SEQUENCE)
			last = seg;
	if (!aspath_origin(v, &origin)) {
		fuzz_require(last.type != AS_SEQUENCE,
		    "origin known when the path ends in AS_SEQUENCE");
		fuzz_require(
		    !aspath_upstream(v, &up), "no upstream without origin");
		return;
	}
	fuzz_require(last.type == AS_SEQUENCE && last.count > 0 &&
	        aspath_seg_asn(&last, last.count - 1) == origin,
	    "origin is the last AS of the final AS_SEQUENCE");
	if (!aspath_upstream(v, &up))
		return;
	fuzz_require(up != origin, "upstream differs from origin");
	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg))
		for (i = 0; i < seg.count; i++)
			in_path |= aspath_seg_asn(&seg, i) == up;
	fuzz_require(in_path, "upstream is on the path");
}

/* Encode v with asw-octet AS numbers and verify the result again. */
static void
fuzz_aspath_reencode(const struct aspath_view *v, uint8_t asw)
{
	struct wbuf w;
	char why[128];

	wbuf_init_dyn(&w, 1u << 20);
	aspath_encode(v, &w, asw);
	fuzz_require(!wbuf_error(&w), "encoding fits");
	fuzz_require(aspath_verify(wbuf_data(&w), wbuf_len(&w), asw, true, why,
	                 sizeof(why), NULL) == 0,
	    "a re-encoded path verifies");
	wbuf_free(&w);
}

static void
fuzz_aspath_view(const struct aspath_view *v)
{
	fuzz_aspath_text(v);
	fuzz_aspath_json(v);
	fuzz_aspath_ends(v);
	fuzz_aspath_reencode(v, 4);
	fuzz_aspath_reencode(v, 2);
}

static void
fuzz_aspath_single(const uint8_t *p, size_t len, uint8_t asw, bool confed)
{
	struct aspath a;
	struct aspath_view v;
	struct wbuf w;
	char why[128] = "";

	if (aspath_verify(p, len, asw, confed, why, sizeof(why), NULL) != 0) {
		fuzz_require(why[0] != '\0', "a rejected path says why");
		return;
	}
	aspath_init(&a, p, (uint16_t)len, asw);
	aspath_view_init(&v, &a);
	wbuf_init_dyn(&w, 1u << 20);
	aspath_encode(&v, &w, asw);
	fuzz_require(wbuf_len(&w) == len &&
	        (len == 0 || memcmp(wbuf_data(&w), p, len) == 0),
	    "a verified path re-encodes to the same octets");
	wbuf_free(&w);
	fuzz_aspath_view(&v);
}

static void
fuzz_aspath_merged(const uint8_t *p, size_t len, size_t cut)
{
	struct aspath a, b;
	struct aspath_view va, vb, v;
	char why[128];

	if (aspath_verify(p, cut, 2, true, why, sizeof(why), NULL) != 0 ||
	    aspath_verify(
	        p + cut, len - cut, 4, false, why, sizeof(why), NULL) != 0)
		return;
	aspath_init(&a, p, (uint16_t)cut, 2);
	aspath_init(&b, p + cut, (uint16_t)(len - cut), 4);
	aspath_view_init(&va, &a);
	aspath_view_init(&vb, &b);
	if (!aspath_merge(&v, &a, &b)) {
		fuzz_require(aspath_length(&vb) > aspath_length(&va),
		    "AS4_PATH ignored only when longer (RFC 6793 §4.2.3)");
		return;
	}
	fuzz_require(aspath_length(&v) == aspath_length(&va),
	    "merged path as long as AS_PATH (RFC 6793 §4.2.3)");
	fuzz_aspath_view(&v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t flags;

	if (size < 2 || size - 2 > UINT16_MAX)
		return 0;
	flags = data[0];
	if (flags & 0x04)
		fuzz_aspath_merged(data + 2, size - 2, data[1] % (size - 1));
	else
		fuzz_aspath_single(data + 2, size - 2, flags & 0x01 ? 2 : 4,
		    (flags & 0x02) != 0);
	return 0;
}
