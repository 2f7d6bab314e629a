/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/updenc.c: known-answer messages, round trips (every
 * UPDATE produced decodes with update_parse() to exactly the prefixes,
 * path ids and canonical attributes put in), dense packing in 4096 and
 * 65535 octets, 2-octet AS sessions (AS_TRANS + AS4_PATH/AS4_AGGREGATOR,
 * RFC 6793 §4.2.2), ADD-PATH (RFC 7911), withdrawals, and the errors of
 * updenc_set_attrs(), including every truncation of a canonical blob.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "testutil.h"
#include "update.h"
#include "updenc.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAXPFX 40000

static struct updenc enc;
static struct updenc_pfx pfx[MAXPFX];

/* Known answers ------------------------------------------------------- */

struct kat {
	const char *name;
	bool as4;
	uint16_t afi;
	const char *canon;
	const char *prefix;
	uint32_t path_id;
	bool addpath;
	bool withdraw;
	const char *msg; /* after the marker */
};

#define ORIGIN_IGP "40 01 01 00 "
#define NH_V4 "40 03 04 c0 00 02 01 "
#define REACH_V6                                                               \
	"80 0e 15 00 02 01 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 "   \
	"01 00 "

static const struct kat kats[] = {
	{ "v4 as4", true, AFI_IPV4,
	    ORIGIN_IGP "40 02 06 02 01 00 00 fd e9 " NH_V4, "192.0.2.0/24", 0,
	    false, false,
	    "002f 02 0000 0014 " ORIGIN_IGP "40 02 06 02 01 00 00 fd e9 " NH_V4
	    "18 c0 00 02" },
	/* RFC 6793 §4.2.2: AS_TRANS in AS_PATH, the real AS in AS4_PATH. */
	{ "v4 as2", false, AFI_IPV4,
	    ORIGIN_IGP "40 02 06 02 01 fa 56 ea 01 " NH_V4, "192.0.2.0/24", 0,
	    false, false,
	    "0036 02 0000 001b " ORIGIN_IGP "40 02 04 02 01 5b a0 " NH_V4
	    "c0 11 06 02 01 fa 56 ea 01 18 c0 00 02" },
	/* No AS4_PATH when every AS number fits in 2 octets. */
	{ "v4 as2 small", false, AFI_IPV4,
	    ORIGIN_IGP "40 02 06 02 01 00 00 fd e9 " NH_V4, "192.0.2.0/24", 0,
	    false, false,
	    "002d 02 0000 0012 " ORIGIN_IGP "40 02 04 02 01 fd e9 " NH_V4
	    "18 c0 00 02" },
	/* RFC 4760 §3: NLRI inside MP_REACH_NLRI, which keeps its place. */
	{ "v6", true, AFI_IPV6,
	    ORIGIN_IGP "40 02 06 02 01 00 00 fd e9 " REACH_V6
	               "c0 20 0c 00 00 fd e9 00 00 00 01 00 00 00 02",
	    "2001:db8:1::/48", 0, false, false,
	    "0052 02 0000 003b " ORIGIN_IGP "40 02 06 02 01 00 00 fd e9 "
	    "80 0e 1c 00 02 01 10 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 "
	    "01 00 30 20 01 0d b8 00 01 "
	    "c0 20 0c 00 00 fd e9 00 00 00 01 00 00 00 02" },
	/* RFC 7911 §3: the path id precedes the prefix. */
	{ "v4 addpath", true, AFI_IPV4, ORIGIN_IGP "40 02 00 " NH_V4,
	    "10.0.0.0/8", 7, true, false,
	    "002b 02 0000 000e " ORIGIN_IGP "40 02 00 " NH_V4
	    "00 00 00 07 08 0a" },
	/* Trailing bits past the length are sent as zeros (RFC 4271 §4.3). */
	{ "v4 masked", true, AFI_IPV4, ORIGIN_IGP "40 02 00 " NH_V4,
	    "10.255.0.0/9", 0, false, false,
	    "0028 02 0000 000e " ORIGIN_IGP "40 02 00 " NH_V4 "09 0a 80" },
	{ "v4 withdraw", true, AFI_IPV4, "", "192.0.2.0/24", 0, false, true,
	    "001b 02 0004 18 c0 00 02 0000" },
	{ "v6 withdraw", true, AFI_IPV6, "", "2001:db8::/32", 0, false, true,
	    "0022 02 0000 000b 80 0f 08 00 02 01 20 20 01 0d b8" },
	{ "v6 withdraw addpath", true, AFI_IPV6, "", "2001:db8::/32", 9, true,
	    true,
	    "0026 02 0000 000f 80 0f 0c 00 02 01 00 00 00 09 20 20 01 0d b8" },
};

START_TEST(test_kat)
{
	const struct kat *k = &kats[_i];
	struct updenc_sess s = { .as4 = k->as4 };
	uint8_t canon[512], want[512], buf[8192];
	struct wbuf w;
	size_t clen, wlen;

	if (k->addpath)
		s.addpath_tx = 1u << (k->afi == AFI_IPV4 ? FAM_IPV4_UNICAST
		                                         : FAM_IPV6_UNICAST);
	clen = testutil_unhex(k->canon, canon, sizeof(canon));
	memset(want, 0xff, BGP_MARKER_LEN);
	wlen = BGP_MARKER_LEN +
	    testutil_unhex(
	        k->msg, want + BGP_MARKER_LEN, sizeof(want) - BGP_MARKER_LEN);
	memset(&pfx[0], 0, sizeof(pfx[0]));
	ck_assert_int_eq(prefix_parse(k->prefix, &pfx[0].p), 0);
	/* prefix_parse() masks; put the host bits back to see them cut. */
	if (strcmp(k->name, "v4 masked") == 0)
		pfx[0].p.addr[1] = 0xff;
	pfx[0].path_id = k->path_id;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	updenc_init(&enc, &s);
	if (k->withdraw) {
		ck_assert_uint_eq(
		    updenc_withdraw(&s, &w, k->afi, SAFI_UNICAST, pfx, 1), 1);
	} else {
		ck_assert_int_eq(
		    updenc_set_attrs(&enc, k->afi, canon, clen), 0);
		ck_assert_uint_eq(updenc_announce(&enc, &w, pfx, 1), 1);
	}
	ck_assert(!wbuf_error(&w));
	ck_assert_msg(wlen == wbuf_len(&w) && memcmp(want, buf, wlen) == 0,
	    "%s: got %s", k->name, testutil_tohex(buf, wbuf_len(&w)));
}
END_TEST

/* Round trips ---------------------------------------------------------- */

struct rt {
	const char *name;
	bool as4, ext, addpath;
	uint16_t afi;
	uint32_t path[6]; /* 0-terminated */
	bool confed; /* a leading AS_CONFED_SEQUENCE (65001 65002) */
	uint32_t aggr_as; /* 0: no AGGREGATOR */
	size_t ncomm; /* communities, to size the attributes */
	bool nh32; /* IPv6: global + link-local next hop */
	bool unknown; /* an unknown optional transitive attribute */
	size_t n; /* prefixes */
	bool withdraw;
};

static const struct rt rts[] = {
	{ "v4 one", true, false, false, AFI_IPV4, { 65001, 65002 }, false, 0, 2,
	    false, false, 1, false },
	{ "v4 packed", true, false, false, AFI_IPV4, { 4200000001, 3356 },
	    false, 0, 3, false, false, 5000, false },
	{ "v4 as2 big", false, false, false, AFI_IPV4,
	    { 65001, 4200000001, 3356, 4200000002 }, false, 4200000003, 1,
	    false, true, 3000, false },
	{ "v4 as2 small", false, false, false, AFI_IPV4, { 65001, 3356 }, false,
	    65010, 0, false, false, 100, false },
	{ "v4 as2 confed", false, false, false, AFI_IPV4, { 4200000001, 3356 },
	    true, 0, 0, false, false, 10, false },
	{ "v4 as4 confed", true, false, false, AFI_IPV4, { 4200000001, 3356 },
	    true, 0, 0, false, false, 10, false },
	{ "v4 addpath", true, false, true, AFI_IPV4, { 65001 }, false, 0, 0,
	    false, false, 3000, false },
	{ "v4 ext", true, true, false, AFI_IPV4, { 65001 }, false, 0, 1, false,
	    false, 40000, false },
	{ "v4 big attrs", true, false, false, AFI_IPV4, { 65001 }, false, 0,
	    1000, false, false, 300, false },
	{ "v4 big attrs ext", false, true, true, AFI_IPV4,
	    { 65001, 4200000001 }, false, 0, 3000, false, false, 9000, false },
	{ "v6 one", true, false, false, AFI_IPV6, { 65001 }, false, 0, 0, false,
	    false, 1, false },
	{ "v6 packed", true, false, false, AFI_IPV6, { 65001, 6939 }, false, 0,
	    2, false, true, 3000, false },
	{ "v6 nh32 as2", false, false, false, AFI_IPV6, { 4200000001, 6939 },
	    false, 4200000001, 2, true, false, 3000, false },
	{ "v6 addpath ext", true, true, true, AFI_IPV6, { 65001 }, false, 0, 0,
	    false, false, 20000, false },
	{ "v4 withdraw", true, false, false, AFI_IPV4, { 0 }, false, 0, 0,
	    false, false, 5000, true },
	{ "v4 withdraw addpath ext", true, true, true, AFI_IPV4, { 0 }, false,
	    0, 0, false, false, 30000, true },
	{ "v6 withdraw", true, false, false, AFI_IPV6, { 0 }, false, 0, 0,
	    false, false, 5000, true },
	{ "v6 withdraw addpath", true, false, true, AFI_IPV6, { 0 }, false, 0,
	    0, false, false, 5000, true },
};

/* Prefix i of a test: lengths cycle through the family's range. */
static void
rt_prefix(uint16_t afi, size_t i, struct updenc_pfx *p)
{
	uint32_t x = (uint32_t)i * 2654435761u;

	memset(p, 0, sizeof(*p));
	p->p.afi = (uint8_t)afi;
	p->p.len = (uint8_t)(afi == AFI_IPV4 ? i % 33 : (i * 7) % 129);
	p->p.addr[0] = afi == AFI_IPV4 ? (uint8_t)(1 + i % 200) : 0x20;
	p->p.addr[1] = (uint8_t)(x >> 24);
	p->p.addr[2] = (uint8_t)(x >> 16);
	p->p.addr[3] = (uint8_t)(x >> 8);
	if (afi == AFI_IPV6)
		for (int b = 4; b < 16; b++)
			p->p.addr[b] = (uint8_t)(x >> (b % 4 * 8)) ^ (uint8_t)b;
	prefix_mask(&p->p);
	p->path_id = (uint32_t)i * 3 + 1;
}

/* The canonical blob of a round-trip vector, in type order. */
static size_t
rt_canon(const struct rt *t, uint8_t *buf, size_t cap)
{
	static const uint8_t nh4[4] = { 192, 0, 2, 1 };
	uint8_t v[5 + 32], val[8], comm[4 * 3000];
	struct wbuf w;
	size_t n = 0, i;

	wbuf_init_fixed(&w, buf, cap);
	attr_put(&w, ATTR_F_TRANSITIVE, ATTR_ORIGIN, "\0", 1);
	while (n < NELEM(t->path) && t->path[n] != 0)
		n++;
	if (t->confed) {
		attr_put(&w, ATTR_F_TRANSITIVE, ATTR_AS_PATH,
		    "\x03\x02\x00\x00\xfd\xe9\x00\x00\xfd\xea"
		    "\x02\x02\xfa\x56\xea\x01\x00\x00\x0d\x1c",
		    20);
		ck_assert(
		    n == 2 && t->path[0] == 4200000001 && t->path[1] == 3356);
	} else {
		updenc_attr_aspath(&w, t->path, n);
	}
	if (t->afi == AFI_IPV4)
		attr_put(&w, ATTR_F_TRANSITIVE, ATTR_NEXT_HOP, nh4, 4);
	attr_put(&w, ATTR_F_OPTIONAL, ATTR_MED, "\0\0\0\x32", 4);
	if (t->aggr_as != 0) {
		val[0] = (uint8_t)(t->aggr_as >> 24);
		val[1] = (uint8_t)(t->aggr_as >> 16);
		val[2] = (uint8_t)(t->aggr_as >> 8);
		val[3] = (uint8_t)t->aggr_as;
		memcpy(val + 4, nh4, 4);
		attr_put(&w, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
		    ATTR_AGGREGATOR, val, 8);
	}
	if (t->ncomm > 0) {
		for (i = 0; i < t->ncomm; i++) {
			comm[4 * i] = 0xfd;
			comm[4 * i + 1] = 0xe9;
			comm[4 * i + 2] = (uint8_t)(i >> 8);
			comm[4 * i + 3] = (uint8_t)i;
		}
		attr_put(&w, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
		    ATTR_COMMUNITIES, comm, 4 * t->ncomm);
	}
	if (t->afi == AFI_IPV6) {
		memset(v, 0, sizeof(v));
		v[1] = AFI_IPV6;
		v[2] = SAFI_UNICAST;
		v[3] = t->nh32 ? 32 : 16;
		v[4] = 0x20;
		v[5] = 0x01;
		v[6] = 0x0d;
		v[7] = 0xb8;
		v[19] = 1;
		if (t->nh32) {
			v[20] = 0xfe;
			v[21] = 0x80;
			v[35] = 1;
		}
		attr_put(&w, ATTR_F_OPTIONAL, ATTR_MP_REACH_NLRI, v, 5u + v[3]);
	}
	if (t->unknown)
		attr_put(&w,
		    ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE | ATTR_F_PARTIAL, 99,
		    "abc", 3);
	ck_assert(!wbuf_error(&w));
	return wbuf_len(&w);
}

/* One decoded message: checks that hold for each alone. */
static void
rt_check_msg(const struct rt *t, const struct bgp_sess *bs, const uint8_t *m,
    size_t len, const uint8_t *canon, size_t clen, struct update *u)
{
	static uint8_t cbuf[BGP_EXT_MAX_LEN];
	struct verdict v;
	struct msg_hdr h;
	struct rbuf r;
	struct wbuf cw;

	rbuf_init(&r, m, len);
	ck_assert_int_eq(msg_hdr_parse(&r, bs, &h, &v, NULL), 0);
	ck_assert_uint_eq(h.type, BGP_MSG_UPDATE);
	ck_assert_uint_le(h.len, bs->ext_msg ? 65535 : 4096);
	ck_assert_int_eq(
	    update_parse(m + BGP_HDR_LEN, h.len - BGP_HDR_LEN, bs, u, NULL), 0);
	ck_assert_msg(u->verdict.action == VERDICT_OK, "%s: %s", t->name,
	    u->verdict.reason);
	ck_assert(!u->eor);
	if (t->withdraw)
		return;
	wbuf_init_fixed(&cw, cbuf, sizeof(cbuf));
	ck_assert_int_eq(update_attrs_canon(u, t->afi, &cw), 0);
	ck_assert_msg(wbuf_len(&cw) == clen && memcmp(cbuf, canon, clen) == 0,
	    "%s: canonical attributes differ after the round trip", t->name);
	/* RFC 6793 §4.2.2: AS4_PATH only towards a 2-octet peer, if needed. */
	if (t->as4)
		ck_assert(!attr_seen(&u->attrs, ATTR_AS4_PATH) &&
		    !attr_seen(&u->attrs, ATTR_AS4_AGGREGATOR));
	else
		ck_assert(u->attrs.as_path.asw == 2);
}

/* Did the encoder stop only when the next prefix did not fit? */
static void
rt_check_full(const struct rt *t, const struct bgp_sess *bs, size_t msglen,
    const struct updenc_pfx *next)
{
	size_t pl = (bs->addpath_rx ? 4u : 0u) + 1u + (next->p.len + 7u) / 8u;

	ck_assert_msg(msglen + pl > (bs->ext_msg ? 65535u : 4096u),
	    "%s: message of %zu octets had room for %zu more", t->name, msglen,
	    pl);
}

START_TEST(test_roundtrip)
{
	const struct rt *t = &rts[_i];
	static uint8_t canon[16384];
	struct updenc_sess s = { .as4 = t->as4, .ext_msg = t->ext };
	struct bgp_sess bs = { .as4 = t->as4, .ext_msg = t->ext };
	struct update u;
	struct update_iter it;
	struct prefix p;
	struct wbuf w;
	uint32_t id;
	uint8_t safi;
	size_t clen = 0, i, off, got = 0, msgs, nmsg = 0, len;

	if (t->addpath) {
		s.addpath_tx = 1u << (t->afi == AFI_IPV4 ? FAM_IPV4_UNICAST
		                                         : FAM_IPV6_UNICAST);
		bs.addpath_rx = s.addpath_tx;
	}
	for (i = 0; i < t->n; i++)
		rt_prefix(t->afi, i, &pfx[i]);
	wbuf_init_dyn(&w, 0);
	updenc_init(&enc, &s);
	if (t->withdraw) {
		msgs = updenc_withdraw(&s, &w, t->afi, SAFI_UNICAST, pfx, t->n);
	} else {
		clen = rt_canon(t, canon, sizeof(canon));
		ck_assert_int_eq(
		    updenc_set_attrs(&enc, t->afi, canon, clen), 0);
		msgs = updenc_announce(&enc, &w, pfx, t->n);
	}
	ck_assert(!wbuf_error(&w));
	for (off = 0; off < wbuf_len(&w); off += len, nmsg++) {
		len = (size_t)wbuf_data(&w)[off + 16] << 8 |
		    wbuf_data(&w)[off + 17];
		ck_assert_uint_le(off + len, wbuf_len(&w));
		rt_check_msg(t, &bs, wbuf_data(&w) + off, len, canon, clen, &u);
		update_iter_init(
		    &it, &u, t->withdraw ? UPDATE_WITHDRAWN : UPDATE_ANNOUNCED);
		while (update_iter_next(&it, &p, &id, &safi)) {
			ck_assert_uint_lt(got, t->n);
			ck_assert_msg(prefix_cmp(&p, &pfx[got].p) == 0,
			    "%s: prefix %zu differs", t->name, got);
			ck_assert_uint_eq(
			    id, t->addpath ? pfx[got].path_id : 0);
			ck_assert_uint_eq(safi, SAFI_UNICAST);
			got++;
		}
		update_iter_init(
		    &it, &u, t->withdraw ? UPDATE_ANNOUNCED : UPDATE_WITHDRAWN);
		ck_assert_int_eq(update_iter_next(&it, &p, &id, &safi), 0);
		if (got < t->n)
			rt_check_full(t, &bs, len, &pfx[got]);
	}
	ck_assert_uint_eq(got, t->n);
	ck_assert_uint_eq(nmsg, msgs);
	wbuf_free(&w);
}
END_TEST

/* 2-octet sessions: what goes on the wire, not only what comes back. */
START_TEST(test_as2_wire)
{
	const struct rt *t = &rts[2]; /* "v4 as2 big" */
	static uint8_t canon[16384];
	static const uint16_t want2[] = { 65001, BGP_AS_TRANS, 3356,
		BGP_AS_TRANS };
	struct updenc_sess s = { .as4 = false };
	struct bgp_sess bs = { .as4 = false };
	struct update u;
	struct wbuf w;
	size_t clen, i;
	const uint8_t *m, *a;

	rt_prefix(AFI_IPV4, 24, &pfx[0]);
	clen = rt_canon(t, canon, sizeof(canon));
	updenc_init(&enc, &s);
	ck_assert_int_eq(updenc_set_attrs(&enc, AFI_IPV4, canon, clen), 0);
	wbuf_init_dyn(&w, 0);
	ck_assert_uint_eq(updenc_announce(&enc, &w, pfx, 1), 1);
	m = wbuf_data(&w);
	ck_assert_int_eq(update_parse(m + BGP_HDR_LEN,
	                     wbuf_len(&w) - BGP_HDR_LEN, &bs, &u, NULL),
	    0);
	ck_assert(u.attrs.as4_used && u.attrs.as4_aggr_used);
	ck_assert_uint_eq(u.attrs.as_path.len, 2 + 2 * 4);
	a = u.attrs.as_path.data;
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(a[2 + 2 * i] << 8 | a[3 + 2 * i], want2[i]);
	ck_assert_uint_eq(u.attrs.as4_path.len, 2 + 4 * 4);
	ck_assert_uint_eq(u.attrs.len[ATTR_AGGREGATOR], 6);
	a = u.attrs.val[ATTR_AGGREGATOR];
	ck_assert_uint_eq(a[0] << 8 | a[1], BGP_AS_TRANS);
	/* The unknown attribute passed through, Partial bit and all. */
	ck_assert(u.attrs.n_unknown == 1);
	wbuf_free(&w);
}
END_TEST

/* RFC 6793 §3: no confederation segments in AS4_PATH. */
START_TEST(test_as2_confed)
{
	const struct rt *t = &rts[4]; /* "v4 as2 confed" */
	static uint8_t canon[16384];
	struct updenc_sess s = { .as4 = false };
	struct bgp_sess bs = { .as4 = false };
	struct update u;
	struct wbuf w;
	size_t clen;
	const uint8_t *m;

	rt_prefix(AFI_IPV4, 24, &pfx[0]);
	clen = rt_canon(t, canon, sizeof(canon));
	updenc_init(&enc, &s);
	ck_assert_int_eq(updenc_set_attrs(&enc, AFI_IPV4, canon, clen), 0);
	wbuf_init_dyn(&w, 0);
	ck_assert_uint_eq(updenc_announce(&enc, &w, pfx, 1), 1);
	m = wbuf_data(&w);
	ck_assert_int_eq(update_parse(m + BGP_HDR_LEN,
	                     wbuf_len(&w) - BGP_HDR_LEN, &bs, &u, NULL),
	    0);
	ck_assert_uint_eq(u.attrs.as4_path.len, 2 + 2 * 4);
	ck_assert_uint_eq(u.attrs.as4_path.data[0], AS_SEQUENCE);
	ck_assert_uint_eq(u.attrs.as_path.len, 2 + 2 * 2 + 2 + 2 * 2);
	wbuf_free(&w);
}
END_TEST

/* Errors of updenc_set_attrs() -------------------------------------- */

struct bad {
	const char *name;
	bool ext;
	uint16_t afi;
	const char *canon;
};

static const struct bad bads[] = {
	{ "v6 without MP_REACH", false, AFI_IPV6, ORIGIN_IGP "40 02 00" },
	{ "MP_REACH of another AFI", false, AFI_IPV4,
	    ORIGIN_IGP "40 02 00 " REACH_V6 },
	{ "MP_REACH with NLRI", false, AFI_IPV6,
	    ORIGIN_IGP "40 02 00 80 0e 18 00 02 01 10 20 01 0d b8 00 00 00 00 "
	               "00 00 00 00 00 00 00 01 00 10 20 01" },
	{ "MP_REACH next hop overrun", false, AFI_IPV6,
	    "80 0e 05 00 02 01 10 00" },
	{ "two MP_REACH", false, AFI_IPV6, REACH_V6 REACH_V6 },
	{ "AS_PATH segment overrun", false, AFI_IPV4,
	    "40 02 06 02 02 00 00 fd e9" },
	{ "AGGREGATOR of 6 octets", false, AFI_IPV4,
	    "c0 07 06 fd e9 c0 00 02 01" },
	{ "attribute overrun", false, AFI_IPV4, "40 01 02 00" },
	{ "no room for a prefix", false, AFI_IPV4, "d0 08 0f f4 00" },
};

START_TEST(test_bad)
{
	const struct bad *b = &bads[_i];
	struct updenc_sess s = { .as4 = false, .ext_msg = b->ext };
	static uint8_t canon[8192];
	size_t clen;

	clen = testutil_unhex(b->canon, canon, sizeof(canon));
	/* "no room": a 4084-octet COMMUNITIES (0xff4) fills the message. */
	if (clen == 5 && canon[1] == ATTR_COMMUNITIES) {
		memset(canon + 4, 0, 4084);
		clen = 4 + 4084;
	}
	updenc_init(&enc, &s);
	ck_assert_msg(updenc_set_attrs(&enc, b->afi, canon, clen) == -1,
	    "%s accepted", b->name);
	ck_assert(!enc.ready);
}
END_TEST

/* The same attributes that fill a 4096 message leave room in 65535. */
START_TEST(test_room_ext)
{
	struct updenc_sess s = { .as4 = true };
	static uint8_t canon[8192];
	struct wbuf w;

	memset(canon, 0, sizeof(canon));
	canon[0] = ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE | ATTR_F_EXTLEN;
	canon[1] = ATTR_COMMUNITIES;
	canon[2] = 0x0f;
	canon[3] = 0xf4;
	updenc_init(&enc, &s);
	ck_assert_int_eq(updenc_set_attrs(&enc, AFI_IPV4, canon, 4088), -1);
	s.ext_msg = true;
	updenc_init(&enc, &s);
	ck_assert_int_eq(updenc_set_attrs(&enc, AFI_IPV4, canon, 4088), 0);
	rt_prefix(AFI_IPV4, 32, &pfx[0]);
	wbuf_init_dyn(&w, 0);
	ck_assert_uint_eq(updenc_announce(&enc, &w, pfx, 1), 1);
	ck_assert_uint_gt(wbuf_len(&w), 4096);
	wbuf_free(&w);
}
END_TEST

/*
 * Every proper prefix of a canonical blob: accepted exactly when it ends
 * on an attribute boundary (and, for IPv6, keeps MP_REACH_NLRI).
 */
START_TEST(test_truncation)
{
	const struct rt *t = &rts[_i == 0 ? 2 : 12];
	static uint8_t canon[16384], cut[16384];
	struct updenc_sess s = { .as4 = false };
	size_t clen, l, b, alen;
	bool boundary, reach;
	int rc;

	clen = rt_canon(t, canon, sizeof(canon));
	for (l = 0; l < clen; l++) {
		boundary = false;
		reach = false;
		for (b = 0; b <= l;) {
			if (b == l) {
				boundary = true;
				break;
			}
			alen = canon[b] & ATTR_F_EXTLEN
			    ? (size_t)(canon[b + 2] << 8 | canon[b + 3]) + 4
			    : (size_t)canon[b + 2] + 3;
			if (b + alen <= l && canon[b + 1] == ATTR_MP_REACH_NLRI)
				reach = true;
			b += alen;
		}
		/* A fresh copy: ASan sees any read past the cut. */
		memcpy(cut, canon, l);
		updenc_init(&enc, &s);
		rc = updenc_set_attrs(&enc, t->afi, cut, l);
		ck_assert_msg(rc ==
		        ((boundary && (t->afi == AFI_IPV4 || reach)) ? 0 : -1),
		    "%s: cut at %zu of %zu: %d", t->name, l, clen, rc);
	}
}
END_TEST

/* Prefixes of another family, or no attributes: nothing written. */
START_TEST(test_misuse)
{
	struct updenc_sess s = { .as4 = true };
	uint8_t canon[64], buf[8192];
	struct wbuf w;
	size_t clen;

	clen =
	    testutil_unhex(ORIGIN_IGP "40 02 00 " NH_V4, canon, sizeof(canon));
	rt_prefix(AFI_IPV6, 3, &pfx[0]);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	updenc_init(&enc, &s);
	ck_assert_uint_eq(updenc_announce_one(&enc, &w, pfx, 1), 0);
	ck_assert(wbuf_error(&w));
	wbuf_reset(&w);
	ck_assert_int_eq(updenc_set_attrs(&enc, AFI_IPV4, canon, clen), 0);
	ck_assert_uint_eq(updenc_announce_one(&enc, &w, pfx, 1), 0);
	ck_assert(wbuf_error(&w));
	wbuf_reset(&w);
	ck_assert_uint_eq(
	    updenc_withdraw_one(&s, &w, AFI_IPV4, SAFI_UNICAST, pfx, 1), 0);
	ck_assert(wbuf_error(&w));
	/* A mixed list stops at the first prefix of the other family. */
	wbuf_reset(&w);
	rt_prefix(AFI_IPV4, 3, &pfx[0]);
	rt_prefix(AFI_IPV6, 4, &pfx[1]);
	ck_assert_uint_eq(updenc_announce_one(&enc, &w, pfx, 2), 1);
	ck_assert(!wbuf_error(&w));
	/* A fixed buffer too small: the error is reported, not overrun. */
	wbuf_init_fixed(&w, buf, 30);
	ck_assert_uint_eq(updenc_announce_one(&enc, &w, pfx, 1), 0);
	ck_assert(wbuf_error(&w));
}
END_TEST

static Suite *
updenc_suite(void)
{
	Suite *s = suite_create("updenc");
	TCase *tc = tcase_create("updenc");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_kat, 0, NELEM(kats));
	tcase_add_loop_test(tc, test_roundtrip, 0, NELEM(rts));
	tcase_add_test(tc, test_as2_wire);
	tcase_add_test(tc, test_as2_confed);
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bads));
	tcase_add_test(tc, test_room_ext);
	tcase_add_loop_test(tc, test_truncation, 0, 2);
	tcase_add_test(tc, test_misuse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(updenc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
