/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * AS_PATH / AS4_PATH validation, reconciliation and formatting; see
 * aspath.h for the contracts.
 */
#include <stdio.h>
#include <string.h>

#include "aspath.h"
#include "rbuf.h"

static bool
aspath_is_confed(uint8_t type)
{
	return type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET;
}

const char *
aspath_seg_name(uint8_t type)
{
	switch (type) {
	case AS_SET:
		return "set";
	case AS_SEQUENCE:
		return "sequence";
	case AS_CONFED_SEQUENCE:
		return "confed-sequence";
	case AS_CONFED_SET:
		return "confed-set";
	}
	return NULL;
}

static uint32_t
aspath_get_asn(const uint8_t *p, uint8_t asw)
{
	if (asw == 2)
		return (uint32_t)p[0] << 8 | p[1];
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Narrate one verified segment: header fields, then each AS number. */
static void
aspath_explain_seg(const uint8_t *seg, uint8_t type, uint8_t cnt, uint8_t asw,
    struct explain *ex)
{
	unsigned i;

	explain_add(ex, seg, 2 + (size_t)cnt * asw, "%s segment, %u AS%s",
	    aspath_seg_name(type), cnt, cnt == 1 ? "" : "es");
	explain_push(ex);
	explain_add(
	    ex, seg, 1, "segment type %u (%s)", type, aspath_seg_name(type));
	explain_add(ex, seg + 1, 1, "segment length: %u AS number%s", cnt,
	    cnt == 1 ? "" : "s");
	for (i = 0; i < cnt; i++)
		explain_add(ex, seg + 2 + i * asw, asw, "AS%u",
		    aspath_get_asn(seg + 2 + i * asw, asw));
	explain_pop(ex);
}

/* RFC 7606 §7.2: one segment; 0, or -1 with the reason. */
static int
aspath_verify_seg(struct rbuf *r, uint8_t asw, bool confed_ok, char *why,
    size_t whylen, struct explain *ex)
{
	const uint8_t *seg = rbuf_ptr(r);
	struct rbuf body;
	uint8_t type, cnt;

	if (rbuf_get_u8(r, &type) == -1 || rbuf_get_u8(r, &cnt) == -1) {
		snprintf(why, whylen,
		    "a single octet left after the last "
		    "segment (underrun)");
		return -1;
	}
	if (aspath_seg_name(type) == NULL ||
	    (!confed_ok && aspath_is_confed(type))) {
		snprintf(why, whylen, "segment type %u %s", type,
		    aspath_seg_name(type) == NULL ? "unknown"
		                                  : "not allowed here");
		return -1;
	}
	if (cnt == 0) {
		snprintf(why, whylen, "%s segment of length zero",
		    aspath_seg_name(type));
		return -1;
	}
	if (rbuf_get_sub(r, (size_t)cnt * asw, &body) == -1) {
		snprintf(why, whylen,
		    "%s segment of %u ASes overruns the attribute (overrun)",
		    aspath_seg_name(type), cnt);
		return -1;
	}
	while (rbuf_left(&body) > 0) {
		/* RFC 7607 §2: AS 0 makes the path malformed. */
		if (aspath_get_asn(rbuf_ptr(&body), asw) == 0) {
			snprintf(why, whylen, "AS number 0 (RFC 7607)");
			return -1;
		}
		if (rbuf_skip(&body, asw) == -1)
			return -1;
	}
	if (ex != NULL)
		aspath_explain_seg(seg, type, cnt, asw, ex);
	return 0;
}

int
aspath_verify(const uint8_t *p, size_t len, uint8_t asw, bool confed_ok,
    char *why, size_t whylen, struct explain *ex)
{
	struct rbuf r;

	rbuf_init(&r, p, len);
	while (rbuf_left(&r) > 0)
		if (aspath_verify_seg(&r, asw, confed_ok, why, whylen, ex) ==
		    -1)
			return -1;
	return 0;
}

void
aspath_init(struct aspath *a, const uint8_t *p, uint16_t len, uint8_t asw)
{
	a->data = p;
	a->len = len;
	a->asw = asw;
}

void
aspath_view_init(struct aspath_view *v, const struct aspath *a)
{
	v->head = *a;
	v->head_end = a->len;
	v->tail.data = NULL;
	v->tail.len = 0;
	v->tail.asw = 4;
}

void
aspath_iter_init(struct aspath_iter *it, const struct aspath_view *v)
{
	it->v = v;
	it->part = 0;
	it->off = 0;
}

int
aspath_iter_next(struct aspath_iter *it, struct aspath_seg *seg)
{
	const struct aspath *a;
	size_t end, avail;

	for (;;) {
		if (it->part == 0) {
			a = &it->v->head;
			end = it->v->head_end;
		} else if (it->part == 1) {
			a = &it->v->tail;
			end = a->len;
		} else
			return 0;
		/* The value was verified: a header is never cut short. */
		if (it->off + 2 > end) {
			it->part++;
			it->off = 0;
			continue;
		}
		seg->type = a->data[it->off];
		seg->count = a->data[it->off + 1];
		seg->asw = a->asw;
		seg->asns = a->data + it->off + 2;
		avail = (end - it->off - 2) / a->asw;
		if (seg->count > avail)
			seg->count = (uint8_t)avail;
		it->off += 2 + (size_t)seg->count * a->asw;
		return 1;
	}
}

uint32_t
aspath_seg_asn(const struct aspath_seg *seg, unsigned i)
{
	return aspath_get_asn(seg->asns + (size_t)i * seg->asw, seg->asw);
}

/* RFC 4271 §9.1.2.2 contribution of one segment. */
static uint32_t
aspath_seg_length(const struct aspath_seg *seg)
{
	if (aspath_is_confed(seg->type))
		return 0;
	return seg->type == AS_SET ? 1 : seg->count;
}

uint32_t
aspath_length(const struct aspath_view *v)
{
	struct aspath_iter it;
	struct aspath_seg seg;
	uint32_t n = 0;

	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg))
		n += aspath_seg_length(&seg);
	return n;
}

/*
 * RFC 6793 §4.2.3: how many leading octets of AS_PATH carry the first k
 * AS numbers, with confederation segments that lead or are adjacent to a
 * prepended segment.
 */
static uint16_t
aspath_merge_cut(const struct aspath *as_path, uint32_t k)
{
	struct aspath_view whole;
	struct aspath_iter it;
	struct aspath_seg seg;
	size_t off = 0;

	aspath_view_init(&whole, as_path);
	aspath_iter_init(&it, &whole);
	while (aspath_iter_next(&it, &seg)) {
		if (aspath_is_confed(seg.type)) {
			off = it.off;
			continue;
		}
		if (k == 0)
			break;
		if (seg.type == AS_SET) {
			k--;
			off = it.off;
			continue;
		}
		if (seg.count > k) {
			/* Split the sequence: take its first k AS numbers. */
			off += 2 + (size_t)k * seg.asw;
			break;
		}
		k -= seg.count;
		off = it.off;
	}
	return (uint16_t)off;
}

bool
aspath_merge(struct aspath_view *v, const struct aspath *as_path,
    const struct aspath *as4_path)
{
	struct aspath_view a, b;
	uint32_t n, m;

	aspath_view_init(&a, as_path);
	aspath_view_init(&b, as4_path);
	n = aspath_length(&a);
	m = aspath_length(&b);
	*v = a;
	if (m > n)
		return false; /* RFC 6793 §4.2.3: AS4_PATH ignored */
	v->head_end = aspath_merge_cut(as_path, n - m);
	v->tail = *as4_path;
	return true;
}

/*
 * One forward pass: the last element (an AS number of a sequence, or a
 * set) and the element before the trailing run of equal AS numbers.
 */
struct aspath_tail {
	bool have_cur, cur_set;
	uint32_t cur;
	bool have_prev, prev_set;
	uint32_t prev;
};

static void
aspath_tail_push(struct aspath_tail *t, bool is_set, uint32_t asn)
{
	if (!is_set && t->have_cur && !t->cur_set && t->cur == asn)
		return; /* a prepend */
	t->have_prev = t->have_cur;
	t->prev_set = t->cur_set;
	t->prev = t->cur;
	t->have_cur = true;
	t->cur_set = is_set;
	t->cur = asn;
}

static void
aspath_tail_scan(const struct aspath_view *v, struct aspath_tail *t)
{
	struct aspath_iter it;
	struct aspath_seg seg;
	unsigned i;

	memset(t, 0, sizeof(*t));
	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg)) {
		if (aspath_is_confed(seg.type))
			continue; /* not part of the AS-level path */
		if (seg.type == AS_SET) {
			aspath_tail_push(t, true, 0);
			continue;
		}
		for (i = 0; i < seg.count; i++)
			aspath_tail_push(t, false, aspath_seg_asn(&seg, i));
	}
}

bool
aspath_origin(const struct aspath_view *v, uint32_t *asn)
{
	struct aspath_tail t;

	aspath_tail_scan(v, &t);
	if (!t.have_cur || t.cur_set)
		return false;
	*asn = t.cur;
	return true;
}

bool
aspath_upstream(const struct aspath_view *v, uint32_t *asn)
{
	struct aspath_tail t;

	aspath_tail_scan(v, &t);
	if (!t.have_cur || t.cur_set || !t.have_prev || t.prev_set)
		return false;
	*asn = t.prev;
	return true;
}

void
aspath_fmt(const struct aspath_view *v, struct wbuf *w)
{
	static const uint8_t open[] = { 0, '{', 0, '(', '[' };
	static const uint8_t close[] = { 0, '}', 0, ')', ']' };
	struct aspath_iter it;
	struct aspath_seg seg;
	bool first = true;
	unsigned i;
	char sep;

	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg)) {
		sep =
		    seg.type == AS_SET || seg.type == AS_CONFED_SET ? ',' : ' ';
		if (!first)
			wbuf_put_u8(w, ' ');
		first = false;
		if (open[seg.type] != 0)
			wbuf_put_u8(w, open[seg.type]);
		for (i = 0; i < seg.count; i++) {
			if (i > 0)
				wbuf_put_u8(w, (uint8_t)sep);
			wbuf_put_dec(w, aspath_seg_asn(&seg, i));
		}
		if (close[seg.type] != 0)
			wbuf_put_u8(w, close[seg.type]);
	}
}

static void
aspath_json_segments(const struct aspath_view *v, struct json *j)
{
	struct aspath_iter it;
	struct aspath_seg seg;
	unsigned i;

	json_arr_open(j, "segments");
	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg)) {
		json_obj_open(j, NULL);
		json_str(j, "type", aspath_seg_name(seg.type));
		json_arr_open(j, "asns");
		for (i = 0; i < seg.count; i++)
			json_uint(j, NULL, aspath_seg_asn(&seg, i));
		json_arr_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "flat");
	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg))
		for (i = 0; i < seg.count; i++)
			json_uint(j, NULL, aspath_seg_asn(&seg, i));
	json_arr_close(j);
}

void
aspath_json(const struct aspath_view *v, struct json *j)
{
	struct wbuf text;
	uint32_t asn;

	aspath_json_segments(v, j);
	json_uint(j, "length", aspath_length(v));
	if (aspath_origin(v, &asn))
		json_uint(j, "origin_as", asn);
	else
		json_null(j, "origin_as");
	if (aspath_upstream(v, &asn))
		json_uint(j, "upstream_as", asn);
	else
		json_null(j, "upstream_as");
	/* A path fits a 64 KiB message: the text is bounded the same way. */
	wbuf_init_dyn(&text, 1 << 20);
	aspath_fmt(v, &text);
	if (wbuf_error(&text))
		json_null(j, "text");
	else
		json_strn(j, "text", wbuf_data(&text), wbuf_len(&text));
	wbuf_free(&text);
}

void
aspath_encode(const struct aspath_view *v, struct wbuf *w, uint8_t asw)
{
	struct aspath_iter it;
	struct aspath_seg seg;
	uint32_t asn;
	unsigned i;

	aspath_iter_init(&it, v);
	while (aspath_iter_next(&it, &seg)) {
		wbuf_put_u8(w, seg.type);
		wbuf_put_u8(w, seg.count);
		for (i = 0; i < seg.count; i++) {
			asn = aspath_seg_asn(&seg, i);
			if (asw == 4)
				wbuf_put_u32(w, asn);
			else /* RFC 6793 §4.2.2: AS_TRANS stands in */
				wbuf_put_u16(w,
				    asn > 0xffff ? BGP_AS_TRANS
				                 : (uint16_t)asn);
		}
	}
}
