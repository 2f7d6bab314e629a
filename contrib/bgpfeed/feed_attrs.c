/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Route attributes for bgpfeed: struct feed_attrs to canonical blobs and
 * to script text, next-hop-self and AS prepending on canonical blobs from
 * MRT files, and the counting wrappers of the UPDATE encoder.
 *
 * Public: feed_attrs_init(), feed_attrs_canon(), feed_attrs_print(),
 *         feed_canon_edit(), feed_announce(), feed_withdraw(), feed_eor().
 */
#include <string.h>

#include "feed.h"
#include "rbuf.h"
#include "update.h"

#define F_T ATTR_F_TRANSITIVE
#define F_O ATTR_F_OPTIONAL
#define F_OT (ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE)

void
feed_attrs_init(struct feed_attrs *a)
{
	memset(a, 0, sizeof(*a));
	a->origin = ORIGIN_IGP;
}

static void
feed_put32(uint8_t *d, uint32_t v)
{
	d[0] = (uint8_t)(v >> 24);
	d[1] = (uint8_t)(v >> 16);
	d[2] = (uint8_t)(v >> 8);
	d[3] = (uint8_t)v;
}

/* AS_PATH (RFC 4271 §4.3) of a, with local_as in front when asked. */
static int
feed_attrs_aspath(
    const struct feed_attrs *a, const struct feed_out *o, struct wbuf *w)
{
	uint8_t v[2 + FEED_MAX_SEGS * 2 + (FEED_MAX_ASNS + 1) * 4];
	size_t len = 0, i, k, at = 0;
	bool pre = o->prepend;

	if (pre &&
	    (a->nseg == 0 || a->seg[0].type != AS_SEQUENCE ||
	        a->seg[0].count == 255)) {
		v[len++] = AS_SEQUENCE;
		v[len++] = 1;
		feed_put32(v + len, o->local_as);
		len += 4;
		pre = false;
	}
	for (i = 0; i < a->nseg; i++) {
		v[len++] = a->seg[i].type;
		v[len++] = (uint8_t)(a->seg[i].count + (pre ? 1 : 0));
		if (pre) {
			feed_put32(v + len, o->local_as);
			len += 4;
			pre = false;
		}
		for (k = 0; k < a->seg[i].count; k++, at++) {
			if (at >= a->nasn)
				return -1;
			feed_put32(v + len, a->asn[at]);
			len += 4;
		}
	}
	attr_put(w, F_T, ATTR_AS_PATH, v, len);
	return 0;
}

/* MP_REACH_NLRI reduced to AFI, SAFI and next hop (RFC 4760 §3). */
static void
feed_reach(struct wbuf *w, uint16_t afi, const uint8_t *nh, uint8_t nhlen)
{
	uint8_t v[5 + 32];

	v[0] = (uint8_t)(afi >> 8);
	v[1] = (uint8_t)afi;
	v[2] = SAFI_UNICAST;
	v[3] = nhlen;
	memcpy(v + 4, nh, nhlen);
	v[4 + nhlen] = 0;
	attr_put(w, F_O, ATTR_MP_REACH_NLRI, v, 5u + nhlen);
}

/* Communities, large communities: 4 or 12 octets each. */
static void
feed_attrs_comms(const struct feed_attrs *a, uint8_t type, struct wbuf *w)
{
	uint8_t v[FEED_MAX_COMM * 4 + FEED_MAX_LCOMM * 12];
	size_t i, len = 0;

	if (type == ATTR_COMMUNITIES) {
		for (i = 0; i < a->ncomm; i++, len += 4)
			feed_put32(v + len, a->comm[i]);
	} else {
		for (i = 0; i < a->nlcomm; i++, len += 12) {
			feed_put32(v + len, a->lcomm[i][0]);
			feed_put32(v + len + 4, a->lcomm[i][1]);
			feed_put32(v + len + 8, a->lcomm[i][2]);
		}
	}
	if (len > 0)
		attr_put(w, F_OT, type, v, len);
}

int
feed_attrs_canon(const struct feed_attrs *a, uint16_t afi,
    const struct feed_out *o, struct wbuf *w)
{
	uint8_t v[8];
	const uint8_t *nh;

	if (a->nh_set && a->nh_afi != afi &&
	    !(afi == AFI_IPV6 && a->nh_afi == AFI_IPV4))
		return -1;
	nh = a->nh_set ? a->nh : afi == AFI_IPV4 ? o->self4 : o->self6;
	attr_put(w, F_T, ATTR_ORIGIN, &a->origin, 1);
	if (feed_attrs_aspath(a, o, w) == -1)
		return -1;
	if (afi == AFI_IPV4)
		attr_put(w, F_T, ATTR_NEXT_HOP, nh, 4);
	if (a->has_med) {
		feed_put32(v, a->med);
		attr_put(w, F_O, ATTR_MED, v, 4);
	}
	if (a->has_lp) {
		feed_put32(v, a->lp);
		attr_put(w, F_T, ATTR_LOCAL_PREF, v, 4);
	}
	if (a->atomic)
		attr_put(w, F_T, ATTR_ATOMIC_AGGREGATE, NULL, 0);
	if (a->has_aggr) {
		feed_put32(v, a->aggr_as);
		memcpy(v + 4, a->aggr_id, 4);
		attr_put(w, F_OT, ATTR_AGGREGATOR, v, 8);
	}
	feed_attrs_comms(a, ATTR_COMMUNITIES, w);
	if (afi == AFI_IPV6) {
		if (a->nh_set && a->nh_afi == AFI_IPV4) {
			/* An IPv4-mapped IPv6 next hop (RFC 4291 §2.5.5.2). */
			uint8_t m[16] = { [10] = 0xff, [11] = 0xff };

			memcpy(m + 12, a->nh, 4);
			feed_reach(w, afi, m, 16);
		} else {
			feed_reach(w, afi, nh, 16);
		}
	}
	feed_attrs_comms(a, ATTR_LARGE_COMMUNITIES, w);
	return wbuf_error(w) ? -1 : 0;
}

/* Well-known communities (RFC 1997, RFC 7999, RFC 8326) by name. */
static const struct {
	uint32_t value;
	const char *name;
} feed_wk[] = {
	{ 0xffff0000, "graceful-shutdown" },
	{ 0xffff029a, "blackhole" },
	{ 0xffffff01, "no-export" },
	{ 0xffffff02, "no-advertise" },
	{ 0xffffff03, "no-export-subconfed" },
};

static void
feed_print_comm(uint32_t c, FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(feed_wk) / sizeof(feed_wk[0]); i++) {
		if (feed_wk[i].value == c) {
			fprintf(f, " %s", feed_wk[i].name);
			return;
		}
	}
	fprintf(f, " %u:%u", c >> 16, c & 0xffff);
}

static void
feed_print_path(const struct feed_attrs *a, FILE *f)
{
	static const char *open[] = { "", "{", "", "(", "[" };
	static const char *close[] = { "", "}", "", ")", "]" };
	size_t i, k, at = 0;
	uint8_t t;

	fputs(" path", f);
	for (i = 0; i < a->nseg; i++) {
		t = a->seg[i].type <= AS_CONFED_SET ? a->seg[i].type : 0;
		fprintf(f, " %s", open[t]);
		for (k = 0; k < a->seg[i].count && at < a->nasn; k++, at++)
			fprintf(f, "%s%u",
			    k > 0 ? (t == AS_SEQUENCE ? " " : ",") : "",
			    a->asn[at]);
		fputs(close[t], f);
	}
}

void
feed_attrs_print(const struct feed_attrs *a, FILE *f)
{
	static const char *origins[] = { "igp", "egp", "incomplete" };
	char buf[ADDR_STRLEN];
	size_t i;

	feed_print_path(a, f);
	fprintf(f, " origin %s", origins[a->origin <= 2 ? a->origin : 2]);
	if (a->nh_set)
		fprintf(f, " nexthop %s",
		    addr_fmt(a->nh_afi, a->nh, buf, sizeof(buf)));
	if (a->has_med)
		fprintf(f, " med %u", a->med);
	if (a->has_lp)
		fprintf(f, " localpref %u", a->lp);
	if (a->atomic)
		fputs(" atomic-aggregate", f);
	if (a->has_aggr)
		fprintf(f, " aggregator %u:%s", a->aggr_as,
		    addr_fmt(AFI_IPV4, a->aggr_id, buf, sizeof(buf)));
	if (a->ncomm > 0)
		fputs(" community", f);
	for (i = 0; i < a->ncomm; i++)
		feed_print_comm(a->comm[i], f);
	if (a->nlcomm > 0)
		fputs(" large-community", f);
	for (i = 0; i < a->nlcomm; i++)
		fprintf(f, " %u:%u:%u", a->lcomm[i][0], a->lcomm[i][1],
		    a->lcomm[i][2]);
}

/*
 * AS_PATH value v with local_as in front (RFC 4271 §5.1.2): into a
 * leading AS_SEQUENCE with room, else as a segment of its own.
 */
static void
feed_edit_aspath(struct rbuf v, uint32_t local_as, struct wbuf *w)
{
	struct rbuf peek = v;
	uint8_t type, count, hdr[6];
	size_t len;

	hdr[0] = AS_SEQUENCE;
	hdr[1] = 1;
	if (rbuf_get_u8(&peek, &type) == 0 && rbuf_get_u8(&peek, &count) == 0 &&
	    type == AS_SEQUENCE && count < 255) {
		hdr[1] = (uint8_t)(count + 1);
		v = peek;
		len = 4 + 2 + rbuf_left(&v);
	} else {
		len = 6 + rbuf_left(&v);
	}
	feed_put32(hdr + 2, local_as);
	wbuf_put_u8(w, len > 255 ? F_T | ATTR_F_EXTLEN : F_T);
	wbuf_put_u8(w, ATTR_AS_PATH);
	if (len > 255)
		wbuf_put_u16(w, (uint16_t)len);
	else
		wbuf_put_u8(w, (uint8_t)len);
	wbuf_put_bytes(w, hdr, 6);
	wbuf_put_bytes(w, rbuf_ptr(&v), rbuf_left(&v));
}

/*
 * What feed_canon_edit() still has to insert before type t: our AS, and
 * our next hop where the blob has none (NEXT_HOP for IPv4, an
 * MP_REACH_NLRI for IPv6: RIB entries may lack one).
 */
static void
feed_edit_insert(const struct feed_out *o, uint16_t afi, bool keep_nh,
    unsigned t, bool *need_path, bool *need_nh, struct wbuf *w)
{
	if (*need_path && t > ATTR_AS_PATH) {
		updenc_attr_aspath(w, &o->local_as, 1);
		*need_path = false;
	}
	if (*need_nh && afi == AFI_IPV4 && t > ATTR_NEXT_HOP && !keep_nh) {
		attr_put(w, F_T, ATTR_NEXT_HOP, o->self4, 4);
		*need_nh = false;
	}
	if (*need_nh && afi == AFI_IPV6 && t > ATTR_MP_REACH_NLRI && !keep_nh) {
		feed_reach(w, AFI_IPV6, o->self6, 16);
		*need_nh = false;
	}
}

int
feed_canon_edit(const uint8_t *in, size_t len, uint16_t afi,
    const struct feed_out *o, bool keep_nh, struct wbuf *w)
{
	bool need_path = o->prepend, need_nh = true;
	uint8_t flags, type;
	uint16_t rafi;
	struct rbuf r, v;

	rbuf_init(&r, in, len);
	while (rbuf_left(&r) > 0) {
		if (attr_hdr_next(&r, &flags, &type, &v) == -1)
			return -1;
		feed_edit_insert(
		    o, afi, keep_nh, type, &need_path, &need_nh, w);
		if (type == ATTR_AS_PATH && need_path) {
			feed_edit_aspath(v, o->local_as, w);
			need_path = false;
		} else if (type == ATTR_NEXT_HOP && !keep_nh) {
			attr_put(w, F_T, ATTR_NEXT_HOP, o->self4, 4);
			need_nh = false;
		} else if (type == ATTR_MP_REACH_NLRI && !keep_nh) {
			if (rbuf_get_u16(&v, &rafi) == -1)
				return -1;
			need_nh &= rafi != afi;
			if (rafi == AFI_IPV4)
				feed_reach(w, rafi, o->self4, 4);
			else
				feed_reach(w, rafi, o->self6, 16);
		} else {
			if (type == ATTR_NEXT_HOP ||
			    (type == ATTR_MP_REACH_NLRI && afi != AFI_IPV4))
				need_nh = false;
			attr_put(w, flags, type, rbuf_ptr(&v), rbuf_left(&v));
		}
	}
	feed_edit_insert(o, afi, keep_nh, 256, &need_path, &need_nh, w);
	return wbuf_error(w) ? -1 : 0;
}

static bool
feed_fam_ok(const struct feed_out *o, uint16_t afi)
{
	return afi == AFI_IPV4 ? o->fam_v4
	    : afi == AFI_IPV6  ? o->fam_v6
	                       : false;
}

int
feed_announce(struct feed_out *o, uint16_t afi, const uint8_t *canon,
    size_t clen, const struct updenc_pfx *p, size_t n)
{
	if (n == 0)
		return 0;
	if (!feed_fam_ok(o, afi)) {
		o->skipped += n;
		return 0;
	}
	if (updenc_set_attrs(o->enc, afi, canon, clen) == -1) {
		if (o->unsendable++ == 0)
			feed_warnx("attributes that do not make an UPDATE "
			           "of this session (no next hop, too long): "
			           "%zu prefixes not sent; more are counted",
			    n);
		o->skipped += n;
		return 0;
	}
	o->st->updates += updenc_announce(o->enc, o->w, p, n);
	o->st->announced += n;
	return 0;
}

void
feed_withdraw(
    struct feed_out *o, uint16_t afi, const struct updenc_pfx *p, size_t n)
{
	if (n == 0)
		return;
	if (!feed_fam_ok(o, afi)) {
		o->skipped += n;
		return;
	}
	o->st->updates +=
	    updenc_withdraw(&o->sess, o->w, afi, SAFI_UNICAST, p, n);
	o->st->withdrawn += n;
}

void
feed_eor(struct feed_out *o, uint16_t afi)
{
	if (!feed_fam_ok(o, afi))
		return;
	update_encode_eor(o->w, afi, SAFI_UNICAST);
	o->st->updates++;
}
