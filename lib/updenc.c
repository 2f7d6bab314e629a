/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * The UPDATE encoder: canonical attributes to session attributes, and
 * prefixes packed into UPDATE messages (see updenc.h).
 *
 * Public: updenc_init(), updenc_maxlen(), updenc_set_attrs(),
 *         updenc_announce_one(), updenc_announce(), updenc_withdraw_one(),
 *         updenc_withdraw(), updenc_attr_aspath().
 */
#include <string.h>

#include "attr.h"
#include "rbuf.h"
#include "updenc.h"

/* Octets before the path attributes: header, both length fields. */
#define UPDENC_FIXED (BGP_HDR_LEN + 2 + 2)

static const uint8_t updenc_marker[BGP_MARKER_LEN] = { 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff };

void
updenc_init(struct updenc *e, const struct updenc_sess *s)
{
	e->sess = *s;
	e->maxlen = updenc_maxlen(s);
	e->ready = false;
	e->afi = 0;
	e->safi = 0;
	e->mp = false;
	e->addpath = false;
	e->pre_len = e->attr_len = e->reach_len = 0;
}

size_t
updenc_maxlen(const struct updenc_sess *s)
{
	return s->ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;
}

/* Attribute header: flags, type, one or two length octets (RFC 4271 §4.3). */
static void
updenc_attr_hdr(struct wbuf *w, uint8_t flags, uint8_t type, size_t len)
{
	if (len > 255) {
		wbuf_put_u8(w, flags | ATTR_F_EXTLEN);
		wbuf_put_u8(w, type);
		wbuf_put_u16(w, (uint16_t)len);
	} else {
		wbuf_put_u8(w, flags & (uint8_t)~ATTR_F_EXTLEN);
		wbuf_put_u8(w, type);
		wbuf_put_u8(w, (uint8_t)len);
	}
}

void
updenc_attr_aspath(struct wbuf *w, const uint32_t *asns, size_t n)
{
	size_t i, k, len = 2 * ((n + 254) / 255) + 4 * n;

	updenc_attr_hdr(w, ATTR_F_TRANSITIVE, ATTR_AS_PATH, len);
	for (i = 0; i < n; i += k) {
		k = n - i > 255 ? 255 : n - i;
		wbuf_put_u8(w, AS_SEQUENCE);
		wbuf_put_u8(w, (uint8_t)k);
		for (size_t j = 0; j < k; j++)
			wbuf_put_u32(w, asns[i + j]);
	}
}

/*
 * Walk the 4-octet AS_PATH value v (RFC 4271 §4.3): *len2 gets its size
 * with 2-octet AS numbers, *len4 the size of its AS4_PATH (confederation
 * segments left out, RFC 6793 §3), *big whether an AS number needs 4
 * octets. Returns 0, or -1 when v is malformed.
 */
static int
updenc_aspath_scan(struct rbuf v, size_t *len2, size_t *len4, bool *big)
{
	uint8_t type, count;
	uint32_t as;

	*len2 = *len4 = 0;
	*big = false;
	while (rbuf_left(&v) > 0) {
		if (rbuf_get_u8(&v, &type) == -1 ||
		    rbuf_get_u8(&v, &count) == -1 ||
		    rbuf_left(&v) < (size_t)count * 4)
			return -1;
		*len2 += 2 + (size_t)count * 2;
		if (type != AS_CONFED_SEQUENCE && type != AS_CONFED_SET)
			*len4 += 2 + (size_t)count * 4;
		while (count-- > 0) {
			if (rbuf_get_u32(&v, &as) == -1)
				return -1;
			*big |= as > 0xffff;
		}
	}
	return 0;
}

/*
 * Append the segments of the verified 4-octet path v: as 2-octet AS
 * numbers with AS_TRANS for the big ones (RFC 6793 §4.2.2), or as 4-octet
 * ones without confederation segments (the AS4_PATH value, §3).
 */
static void
updenc_aspath_put(struct rbuf v, struct wbuf *out, bool as4path)
{
	uint8_t type = 0, count = 0;
	uint32_t as = 0;
	bool confed;

	while (rbuf_left(&v) > 0) {
		if (rbuf_get_u8(&v, &type) == -1 ||
		    rbuf_get_u8(&v, &count) == -1)
			return;
		confed = type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET;
		if (!as4path || !confed) {
			wbuf_put_u8(out, type);
			wbuf_put_u8(out, count);
		}
		while (count-- > 0) {
			if (rbuf_get_u32(&v, &as) == -1)
				return;
			if (as4path && !confed)
				wbuf_put_u32(out, as);
			else if (!as4path)
				wbuf_put_u16(out,
				    as > 0xffff ? BGP_AS_TRANS : (uint16_t)as);
		}
	}
}

/*
 * RFC 6793 §4.2.2: an 8-octet AGGREGATOR as 6 octets into out, with the
 * real one as AS4_AGGREGATOR into agg4 when the AS needs 4 octets.
 * Returns 1 when AS4_AGGREGATOR is needed, 0 when not, -1 when malformed.
 */
static int
updenc_aggr2(struct rbuf *v, uint8_t flags, struct wbuf *out, uint8_t agg4[8])
{
	uint8_t val[6];
	uint32_t as;

	if (rbuf_left(v) != 8 || rbuf_get_u32(v, &as) == -1 ||
	    rbuf_get_bytes(v, val + 2, 4) == -1)
		return -1;
	val[0] = as > 0xffff ? BGP_AS_TRANS >> 8 : (uint8_t)(as >> 8);
	val[1] = as > 0xffff ? BGP_AS_TRANS & 0xff : (uint8_t)as;
	attr_put(out, flags, ATTR_AGGREGATOR, val, sizeof(val));
	agg4[0] = (uint8_t)(as >> 24);
	agg4[1] = (uint8_t)(as >> 16);
	agg4[2] = (uint8_t)(as >> 8);
	agg4[3] = (uint8_t)as;
	memcpy(agg4 + 4, val + 2, 4);
	return as > 0xffff ? 1 : 0;
}

/* The reduced MP_REACH_NLRI value v (RFC 4760 §3, no NLRI) into e. */
static int
updenc_reach(struct updenc *e, uint16_t afi, struct rbuf *v)
{
	uint16_t rafi;
	uint8_t safi, nhlen, reserved;
	size_t len = rbuf_left(v);

	if (rbuf_get_u16(v, &rafi) == -1 || rbuf_get_u8(v, &safi) == -1 ||
	    rbuf_get_u8(v, &nhlen) == -1 || rbuf_skip(v, nhlen) == -1 ||
	    rbuf_get_u8(v, &reserved) == -1 || rbuf_left(v) != 0 || rafi != afi)
		return -1;
	memcpy(e->reach, rbuf_ptr(v) - len, len);
	e->reach[len - 1] = 0; /* RFC 4760 §3: Reserved, sent as 0 */
	e->reach_len = len;
	e->safi = safi;
	e->mp = true;
	return 0;
}

/* Pending RFC 6793 attributes, written in their place in type order. */
struct updenc_as4 {
	struct rbuf path; /* the 4-octet AS_PATH value */
	size_t path_len; /* of its AS4_PATH */
	bool need_path;
	uint8_t agg[8];
	bool need_agg;
};

/* Write the pending AS4_PATH/AS4_AGGREGATOR that go before type t. */
static void
updenc_as4_flush(struct updenc_as4 *p, unsigned t, struct wbuf *out)
{
	if (p->need_path && t > ATTR_AS4_PATH) {
		updenc_attr_hdr(out, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
		    ATTR_AS4_PATH, p->path_len);
		updenc_aspath_put(p->path, out, true);
		p->need_path = false;
	}
	if (p->need_agg && t > ATTR_AS4_AGGREGATOR) {
		attr_put(out, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
		    ATTR_AS4_AGGREGATOR, p->agg, sizeof(p->agg));
		p->need_agg = false;
	}
}

/* One attribute of the blob: copied, converted or kept aside. */
static int
updenc_one_attr(struct updenc *e, uint16_t afi, uint8_t flags, uint8_t type,
    struct rbuf *v, struct updenc_as4 *p, struct wbuf *out)
{
	size_t len2;
	bool big;
	int rc;

	updenc_as4_flush(p, type, out);
	switch (type) {
	case ATTR_MP_REACH_NLRI:
		if (e->mp || updenc_reach(e, afi, v) == -1)
			return -1;
		e->pre_len = wbuf_len(out);
		return 0;
	case ATTR_AS4_PATH:
	case ATTR_AS4_AGGREGATOR:
		return 0; /* RFC 6793 §4.2.1: not between NEW speakers */
	case ATTR_AS_PATH:
		if (e->sess.as4)
			break;
		if (updenc_aspath_scan(*v, &len2, &p->path_len, &big) == -1)
			return -1;
		updenc_attr_hdr(out, ATTR_F_TRANSITIVE, ATTR_AS_PATH, len2);
		updenc_aspath_put(*v, out, false);
		p->path = *v;
		p->need_path = big && p->path_len > 0;
		return 0;
	case ATTR_AGGREGATOR:
		if (e->sess.as4)
			break;
		if ((rc = updenc_aggr2(v, flags, out, p->agg)) == -1)
			return -1;
		p->need_agg = rc == 1;
		return 0;
	}
	attr_put(out, flags, type, rbuf_ptr(v), rbuf_left(v));
	return 0;
}

/* The largest NLRI entry of the encoder's family: path id, length, 16. */
static size_t
updenc_pfx_max(const struct updenc *e)
{
	return (e->addpath ? 4 : 0) + 1 + (e->afi == AFI_IPV6 ? 16 : 4);
}

int
updenc_set_attrs(
    struct updenc *e, uint16_t afi, const uint8_t *canon, size_t len)
{
	struct updenc_as4 p;
	struct wbuf out;
	struct rbuf r, v;
	uint8_t flags, type;
	size_t fixed;
	int fam;

	e->ready = e->mp = false;
	e->afi = afi;
	e->safi = SAFI_UNICAST;
	e->reach_len = 0;
	wbuf_init_fixed(&out, e->attrs, sizeof(e->attrs));
	memset(&p, 0, sizeof(p));
	e->pre_len = SIZE_MAX;
	rbuf_init(&r, canon, len);
	while (rbuf_left(&r) > 0) {
		if (attr_hdr_next(&r, &flags, &type, &v) == -1 ||
		    updenc_one_attr(e, afi, flags, type, &v, &p, &out) == -1)
			return -1;
	}
	updenc_as4_flush(&p, 256, &out);
	if (wbuf_error(&out) || (!e->mp && afi != AFI_IPV4))
		return -1;
	e->attr_len = wbuf_len(&out);
	if (!e->mp)
		e->pre_len = e->attr_len;
	fam = sess_family(afi, e->safi);
	e->addpath = fam >= 0 && (e->sess.addpath_tx & (1u << (unsigned)fam));
	fixed = UPDENC_FIXED + e->attr_len + (e->mp ? 4 + e->reach_len : 0);
	if (fixed + updenc_pfx_max(e) > e->maxlen)
		return -1;
	e->ready = true;
	return 0;
}

/* Octets of p in an NLRI field: path id, length octet, prefix octets. */
static inline size_t
updenc_pfx_len(const struct updenc_pfx *p, bool addpath)
{
	return (addpath ? 4u : 0u) + 1u + (p->p.len + 7u) / 8u;
}

/* Write p[0..n) as NLRI entries at d; returns the octets written. */
static size_t
updenc_put_nlri(uint8_t *d, const struct updenc_pfx *p, size_t n, bool addpath)
{
	uint8_t *s = d;
	size_t i, b;

	for (i = 0; i < n; i++) {
		if (addpath) {
			d[0] = (uint8_t)(p[i].path_id >> 24);
			d[1] = (uint8_t)(p[i].path_id >> 16);
			d[2] = (uint8_t)(p[i].path_id >> 8);
			d[3] = (uint8_t)p[i].path_id;
			d += 4;
		}
		b = (p[i].p.len + 7u) / 8u;
		*d++ = p[i].p.len;
		memcpy(d, p[i].p.addr, b);
		/* RFC 4271 §4.3: trailing bits are irrelevant; send zeros. */
		if (b > 0 && (p[i].p.len & 7) != 0)
			d[b - 1] &= (uint8_t)(0xff00 >> (p[i].p.len & 7));
		d += b;
	}
	return (size_t)(d - s);
}

/*
 * How many of p[0..n) (all of family afi) fit in room octets of NLRI. In
 * an MP attribute whose value starts with mpbase octets (0: not MP) a
 * value over 255 octets takes one more header octet, not counted in room
 * (RFC 4271 §4.3 Extended Length). *total gets their size.
 */
static size_t
updenc_fit(const struct updenc_pfx *p, size_t n, uint8_t afi, bool addpath,
    size_t room, size_t mpbase, size_t *total)
{
	size_t i, sum = 0, l, extra;

	for (i = 0; i < n; i++) {
		if (p[i].p.afi != afi)
			break;
		l = updenc_pfx_len(&p[i], addpath);
		extra = mpbase > 0 && mpbase + sum + l > 255 ? 1 : 0;
		if (sum + l + extra > room)
			break;
		sum += l;
	}
	*total = sum;
	return i;
}

/* The message header at d for a body of len octets (RFC 4271 §4.1). */
static uint8_t *
updenc_hdr(uint8_t *d, size_t len)
{
	memcpy(d, updenc_marker, BGP_MARKER_LEN);
	d[16] = (uint8_t)((len + BGP_HDR_LEN) >> 8);
	d[17] = (uint8_t)(len + BGP_HDR_LEN);
	d[18] = BGP_MSG_UPDATE;
	return d + BGP_HDR_LEN;
}

static inline uint8_t *
updenc_u16(uint8_t *d, size_t v)
{
	d[0] = (uint8_t)(v >> 8);
	d[1] = (uint8_t)v;
	return d + 2;
}

/* Reserve len octets in w and return where they start, or NULL. */
static uint8_t *
updenc_room(struct wbuf *w, size_t len)
{
	size_t off = wbuf_reserve(w, len);

	if (wbuf_error(w))
		return NULL;
	return w->buf + off;
}

/* An MP attribute header for a value of len octets; returns the end. */
static uint8_t *
updenc_mp_hdr(uint8_t *d, uint8_t type, size_t len)
{
	if (len > 255) {
		*d++ = ATTR_F_OPTIONAL | ATTR_F_EXTLEN;
		*d++ = type;
		return updenc_u16(d, len);
	}
	*d++ = ATTR_F_OPTIONAL;
	*d++ = type;
	*d++ = (uint8_t)len;
	return d;
}

size_t
updenc_announce_one(
    struct updenc *e, struct wbuf *w, const struct updenc_pfx *p, size_t n)
{
	size_t k, nlri, room, alen, mplen = 0, hlen = 0;
	uint8_t *d;

	if (n == 0 || !e->ready || p[0].p.afi != e->afi) {
		w->err = true;
		return 0;
	}
	room = e->maxlen - UPDENC_FIXED - e->attr_len;
	if (e->mp)
		room -= 3 + e->reach_len;
	k = updenc_fit(p, n, (uint8_t)e->afi, e->addpath, room,
	    e->mp ? e->reach_len : 0, &nlri);
	if (e->mp) {
		mplen = e->reach_len + nlri;
		hlen = mplen > 255 ? 4 : 3;
	}
	alen = e->attr_len + (e->mp ? hlen + mplen : 0);
	d = updenc_room(w, UPDENC_FIXED + alen + (e->mp ? 0 : nlri));
	if (d == NULL)
		return 0;
	d = updenc_hdr(d, 4 + alen + (e->mp ? 0 : nlri));
	d = updenc_u16(d, 0); /* no Withdrawn Routes */
	d = updenc_u16(d, alen);
	memcpy(d, e->attrs, e->pre_len);
	d += e->pre_len;
	if (e->mp) {
		/* RFC 4760 §3: AFI, SAFI, next hop, Reserved, then NLRI. */
		d = updenc_mp_hdr(d, ATTR_MP_REACH_NLRI, mplen);
		memcpy(d, e->reach, e->reach_len);
		d += e->reach_len;
		d += updenc_put_nlri(d, p, k, e->addpath);
	}
	memcpy(d, e->attrs + e->pre_len, e->attr_len - e->pre_len);
	d += e->attr_len - e->pre_len;
	if (!e->mp)
		updenc_put_nlri(d, p, k, e->addpath);
	return k;
}

size_t
updenc_announce(
    struct updenc *e, struct wbuf *w, const struct updenc_pfx *p, size_t n)
{
	size_t k, msgs = 0;

	while (n > 0) {
		if ((k = updenc_announce_one(e, w, p, n)) == 0)
			break;
		p += k;
		n -= k;
		msgs++;
	}
	return msgs;
}

size_t
updenc_withdraw_one(const struct updenc_sess *s, struct wbuf *w, uint16_t afi,
    uint8_t safi, const struct updenc_pfx *p, size_t n)
{
	int fam = sess_family(afi, safi);
	bool addpath = fam >= 0 && (s->addpath_tx & (1u << (unsigned)fam));
	bool mp = !(afi == AFI_IPV4 && safi == SAFI_UNICAST);
	size_t k, nlri, room, mplen = 0, alen = 0;
	uint8_t *d;

	if (n == 0 || p[0].p.afi != afi) {
		w->err = true;
		return 0;
	}
	room = updenc_maxlen(s) - UPDENC_FIXED - (mp ? 3 + 3 : 0);
	k = updenc_fit(p, n, (uint8_t)afi, addpath, room, mp ? 3 : 0, &nlri);
	if (mp) {
		mplen = 3 + nlri;
		alen = (mplen > 255 ? 4 : 3) + mplen;
	}
	d = updenc_room(w, UPDENC_FIXED + alen + (mp ? 0 : nlri));
	if (d == NULL)
		return 0;
	d = updenc_hdr(d, 4 + alen + (mp ? 0 : nlri));
	if (!mp) {
		d = updenc_u16(d, nlri);
		d += updenc_put_nlri(d, p, k, addpath);
		updenc_u16(d, 0);
		return k;
	}
	d = updenc_u16(d, 0);
	d = updenc_u16(d, alen);
	/* RFC 4760 §4: AFI, SAFI, Withdrawn Routes. */
	d = updenc_mp_hdr(d, ATTR_MP_UNREACH_NLRI, mplen);
	d = updenc_u16(d, afi);
	*d++ = safi;
	updenc_put_nlri(d, p, k, addpath);
	return k;
}

size_t
updenc_withdraw(const struct updenc_sess *s, struct wbuf *w, uint16_t afi,
    uint8_t safi, const struct updenc_pfx *p, size_t n)
{
	size_t k, msgs = 0;

	while (n > 0) {
		if ((k = updenc_withdraw_one(s, w, afi, safi, p, n)) == 0)
			break;
		p += k;
		n -= k;
		msgs++;
	}
	return msgs;
}
