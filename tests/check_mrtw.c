/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/mrtw.c: records written by the MRT writer are read back
 * through lib/mrt.c's reader (framing and body decoders) field by field;
 * one RIB record is also compared octet by octet with RFC 6396 §4.3.2.
 * Attribute blobs cut short are refused without writing anything.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrt.h"
#include "mrtw.h"
#include "testutil.h"
#include "wbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TS 0x5e0be100u

#define ORIGIN "40010100"
#define ASPATH "40020e 02 03 0000fde8 0000fde9 0000fdea"
#define NH6 "20010db8000000000000000000000001"
#define LL6 "fe800000000000000000000000000001"

/* Canonical blobs (update_attrs_canon()) and their RIB-entry form. */
static const struct {
	const char *name;
	const char *prefix;
	bool addpath;
	uint32_t path_id;
	const char *canon;
	const char *rib; /* RFC 6396 §4.3.4 form */
} ribs[] = {
	{ "v4", "192.0.2.0/24", false, 0, ORIGIN ASPATH "400304c0000201",
	    ORIGIN ASPATH "400304c0000201" },
	{ "v4 addpath", "198.51.100.128/25", true, 7,
	    ORIGIN ASPATH "400304c0000201", ORIGIN ASPATH "400304c0000201" },
	{ "v4 /0", "0.0.0.0/0", false, 0, ORIGIN, ORIGIN },
	{ "v6", "2001:db8::/32", false, 0,
	    ORIGIN ASPATH "800e15 0002 01 10 " NH6 " 00",
	    ORIGIN ASPATH "800e11 10 " NH6 },
	{ "v6 link-local, addpath", "2001:db8:1::/48", true, 0xffffffffu,
	    ORIGIN ASPATH "800e25 0002 01 20 " NH6 LL6 " 00",
	    ORIGIN ASPATH "800e21 20 " NH6 LL6 },
	{ "v6 /128 ext-len community", "2001:db8::1/128", false, 0,
	    ORIGIN "d0080004fde80001 800e15 0002 01 10 " NH6 " 00",
	    ORIGIN "c00804fde80001 800e11 10 " NH6 },
	{ "empty set", "10.0.0.0/8", false, 0, "", "" },
};

/* Read the single record of w back: 1 record, then the end. */
static void
read_one(struct mrt_reader *rd, struct wbuf *w, struct mrt_record *rec)
{
	mrt_reader_init_mem(rd, wbuf_data(w), wbuf_len(w), NULL, NULL);
	ck_assert_int_eq(mrt_next(rd, rec), 1);
	ck_assert_uint_eq(rec->ts, TS);
	/* RFC 6396 §3: the reader hands _ET bodies after the microseconds. */
	ck_assert_uint_eq(
	    rec->len + MRT_HDR_LEN + (rec->type == MRT_BGP4MP_ET ? 4 : 0),
	    wbuf_len(w));
}

START_TEST(test_rib)
{
	uint8_t canon[512], want[512];
	size_t clen, wlen;
	struct prefix p;
	struct wbuf w;
	struct mrtw_rib rib;
	struct mrt_reader rd;
	struct mrt_record rec, end;
	struct mrt_rib r;
	struct mrt_rib_entry e;
	const char *why;
	uint16_t k;

	ck_assert_int_eq(prefix_parse(ribs[_i].prefix, &p), 0);
	clen = testutil_unhex(ribs[_i].canon, canon, sizeof(canon));
	wlen = testutil_unhex(ribs[_i].rib, want, sizeof(want));
	ck_assert_int_eq(mrtw_attrs_len(canon, clen), (long)wlen);
	wbuf_init_dyn(&w, 0);
	mrtw_rib_begin(&w, &rib, TS, 42, &p, ribs[_i].addpath);
	for (k = 0; k < 3; k++)
		ck_assert_int_eq(mrtw_rib_entry(&w, &rib, k, TS - k,
		                     ribs[_i].path_id + k, canon, clen),
		    0);
	mrtw_rib_end(&w, &rib);
	ck_assert(!wbuf_error(&w));
	read_one(&rd, &w, &rec);
	ck_assert_uint_eq(rec.type, MRT_TABLE_DUMP_V2);
	ck_assert_int_eq(mrt_rib_parse(&rec, &r, &why), 0);
	ck_assert_uint_eq(r.seq, 42);
	ck_assert(r.addpath == ribs[_i].addpath);
	ck_assert_uint_eq(r.safi, SAFI_UNICAST);
	ck_assert_int_eq(prefix_cmp(&r.prefix, &p), 0);
	ck_assert_uint_eq(r.count, 3);
	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(mrt_rib_next(&r, &e, &why), 1);
		ck_assert_uint_eq(e.peer_index, k);
		ck_assert_uint_eq(e.originated, TS - k);
		ck_assert_uint_eq(e.path_id,
		    ribs[_i].addpath ? (uint32_t)(ribs[_i].path_id + k) : 0);
		ck_assert_uint_eq(e.attrlen, wlen);
		if (wlen > 0)
			ck_assert_mem_eq(e.attrs, want, wlen);
	}
	ck_assert_int_eq(mrt_rib_next(&r, &e, &why), 0);
	ck_assert_int_eq(mrt_next(&rd, &end), 0);
	ck_assert_uint_eq(rd.stats.warnings, 0);
	mrt_reader_free(&rd);
	wbuf_free(&w);
}
END_TEST

/* RFC 6396 §4.3.2 layout, octet by octet, independent of the reader. */
START_TEST(test_rib_bytes)
{
	static const char want[] = "5e0be100 000d 0002 00000013 "
	                           "00000005 18 c00002 0001 "
	                           "0003 5e0be100 0004 " ORIGIN;
	uint8_t canon[8];
	size_t clen = testutil_unhex(ORIGIN, canon, sizeof(canon));
	struct prefix p;
	struct wbuf w;
	struct mrtw_rib rib;
	uint8_t exp[64];
	size_t elen = testutil_unhex(want, exp, sizeof(exp));

	ck_assert_int_eq(prefix_parse("192.0.2.0/24", &p), 0);
	wbuf_init_dyn(&w, 0);
	mrtw_rib_begin(&w, &rib, TS, 5, &p, false);
	ck_assert_int_eq(mrtw_rib_entry(&w, &rib, 3, TS, 9, canon, clen), 0);
	mrtw_rib_end(&w, &rib);
	ck_assert_uint_eq(wbuf_len(&w), elen);
	ck_assert_str_eq(testutil_tohex(wbuf_data(&w), wbuf_len(&w)),
	    testutil_tohex(exp, elen));
	wbuf_free(&w);
}
END_TEST

/* Offsets at which a prefix of ribs[_i].canon is a whole blob. */
static bool
on_boundary(const uint8_t *p, size_t len, size_t cut)
{
	size_t off = 0, alen;

	while (off < cut && off + 3 <= len) {
		if (p[off] & ATTR_F_EXTLEN)
			alen = 4u + (size_t)(p[off + 2] << 8 | p[off + 3]);
		else
			alen = 3u + p[off + 2];
		off += alen;
	}
	return off == cut;
}

/* Every proper prefix of a blob that cuts an attribute is refused. */
START_TEST(test_rib_truncated)
{
	uint8_t canon[512];
	size_t clen = testutil_unhex(ribs[_i].canon, canon, sizeof(canon));
	struct prefix p;
	struct wbuf w;
	struct mrtw_rib rib;
	size_t cut, before;
	int rc;

	ck_assert_int_eq(prefix_parse(ribs[_i].prefix, &p), 0);
	wbuf_init_dyn(&w, 0);
	mrtw_rib_begin(&w, &rib, TS, 1, &p, ribs[_i].addpath);
	for (cut = 0; cut < clen; cut++) {
		before = wbuf_len(&w);
		rc = mrtw_rib_entry(&w, &rib, 0, TS, 1, canon, cut);
		if (on_boundary(canon, clen, cut))
			ck_assert_int_eq(rc, 0);
		else {
			ck_assert_int_eq(rc, -1);
			ck_assert_uint_eq(wbuf_len(&w), before);
		}
	}
	mrtw_rib_end(&w, &rib);
	ck_assert(!wbuf_error(&w));
	wbuf_free(&w);
}
END_TEST

/* PEER_INDEX_TABLE round trips (RFC 6396 §4.3.1). */
static const struct {
	const char *name;
	const char *view;
	uint16_t count;
	struct mrt_peer peer[3];
} tables[] = {
	{ "empty", "", 0, { { 0 } } },
	{ "v4", "bgpwatch", 1,
	    { { AFI_IPV4, 0xc0000201, 65001, { 192, 0, 2, 1 } } } },
	{ "mixed, 4-octet AS", "v", 3,
	    { { AFI_IPV4, 0x0a000001, 4200000000u, { 127, 0, 0, 2 } },
	        { AFI_IPV6, 0xc0000202, 130000,
	            { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } },
	        { AFI_IPV6, 0, 0, { [15] = 1 } } } },
};

START_TEST(test_peers)
{
	struct mrt_peers in, out;
	struct wbuf w;
	struct mrt_reader rd;
	struct mrt_record rec;
	const char *why;
	uint16_t k, alen;

	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.collector_id = 0xc0000264;
	in.count = tables[_i].count;
	in.peer = (struct mrt_peer *)tables[_i].peer;
	snprintf(in.view, sizeof(in.view), "%s", tables[_i].view);
	wbuf_init_dyn(&w, 0);
	mrtw_peer_index(&w, TS, &in);
	ck_assert(!wbuf_error(&w));
	read_one(&rd, &w, &rec);
	ck_assert_uint_eq(rec.subtype, MRT_TD2_PEER_INDEX_TABLE);
	ck_assert_int_eq(mrt_peers_parse(&rec, &out, &why), 0);
	ck_assert_uint_eq(out.collector_id, in.collector_id);
	ck_assert_str_eq(out.view, in.view);
	ck_assert_uint_eq(out.count, in.count);
	for (k = 0; k < in.count; k++) {
		alen = in.peer[k].afi == AFI_IPV6 ? 16 : 4;
		ck_assert_uint_eq(out.peer[k].afi, in.peer[k].afi);
		ck_assert_uint_eq(out.peer[k].bgp_id, in.peer[k].bgp_id);
		ck_assert_uint_eq(out.peer[k].as, in.peer[k].as);
		ck_assert_mem_eq(out.peer[k].ip, in.peer[k].ip, alen);
	}
	mrt_peers_free(&out);
	mrt_reader_free(&rd);
	wbuf_free(&w);
}
END_TEST

/* BGP4MP_ET round trips (RFC 6396 §4.4, RFC 8050 §3). */
#define KA "ffffffffffffffffffffffffffffffff001304"
#define UPD4                                                                   \
	"ffffffffffffffffffffffffffffffff 0021 02 0000 000a 40010100"          \
	"400304c0000201 00000001 18c00002"
static const struct {
	const char *name;
	bool is_state;
	bool addpath;
	bool as4;
	uint16_t afi;
	const char *msg;
	uint16_t subtype;
} bgp4mps[] = {
	{ "state change v4", true, false, true, AFI_IPV4, "",
	    MRT_BGP4MP_STATE_CHANGE_AS4 },
	{ "state change v6", true, false, true, AFI_IPV6, "",
	    MRT_BGP4MP_STATE_CHANGE_AS4 },
	{ "state change of a 2-octet session", true, false, false, AFI_IPV4, "",
	    MRT_BGP4MP_STATE_CHANGE_AS4 },
	{ "keepalive v4", false, false, true, AFI_IPV4, KA,
	    MRT_BGP4MP_MESSAGE_AS4 },
	{ "update v6", false, false, true, AFI_IPV6, KA,
	    MRT_BGP4MP_MESSAGE_AS4 },
	{ "update addpath", false, true, true, AFI_IPV4, UPD4,
	    MRT_BGP4MP_MESSAGE_AS4_ADDPATH },
	{ "update of a 2-octet session", false, false, false, AFI_IPV4, UPD4,
	    MRT_BGP4MP_MESSAGE },
	{ "update addpath, 2-octet session", false, true, false, AFI_IPV6, UPD4,
	    MRT_BGP4MP_MESSAGE_ADDPATH },
};

START_TEST(test_bgp4mp)
{
	uint8_t msg[128];
	struct mrt_bgp4mp in, out;
	struct wbuf w;
	struct mrt_reader rd;
	struct mrt_record rec;
	const char *why;
	size_t alen = bgp4mps[_i].afi == AFI_IPV6 ? 16 : 4;

	memset(&in, 0, sizeof(in));
	in.is_state = bgp4mps[_i].is_state;
	in.addpath = bgp4mps[_i].addpath;
	in.as4 = bgp4mps[_i].as4;
	in.afi = bgp4mps[_i].afi;
	in.peer_as = 4200000001u;
	in.local_as = 65000;
	in.ifindex = 3;
	memset(in.peer_ip, 0x11, alen);
	memset(in.local_ip, 0x22, alen);
	in.old_state = 5;
	in.new_state = 6;
	in.msglen = testutil_unhex(bgp4mps[_i].msg, msg, sizeof(msg));
	in.msg = msg;
	wbuf_init_dyn(&w, 0);
	mrtw_bgp4mp(&w, TS, 999999, &in);
	ck_assert(!wbuf_error(&w));
	read_one(&rd, &w, &rec);
	ck_assert_uint_eq(rec.type, MRT_BGP4MP_ET);
	ck_assert_uint_eq(rec.subtype, bgp4mps[_i].subtype);
	ck_assert_uint_eq(rec.usec, 999999);
	ck_assert_int_eq(mrt_bgp4mp_parse(&rec, &out, &why), 0);
	ck_assert(out.is_state == in.is_state);
	ck_assert(out.as4 == (in.as4 || in.is_state));
	ck_assert(!out.local);
	ck_assert(out.addpath == in.addpath);
	/* RFC 6793: a 2-octet field carries AS_TRANS for a wide number. */
	ck_assert_uint_eq(out.peer_as, out.as4 ? in.peer_as : BGP_AS_TRANS);
	ck_assert_uint_eq(out.local_as, in.local_as);
	ck_assert_uint_eq(out.ifindex, 3);
	ck_assert_uint_eq(out.afi, in.afi);
	ck_assert_mem_eq(out.peer_ip, in.peer_ip, alen);
	ck_assert_mem_eq(out.local_ip, in.local_ip, alen);
	if (in.is_state) {
		ck_assert_uint_eq(out.old_state, 5);
		ck_assert_uint_eq(out.new_state, 6);
	} else {
		ck_assert_uint_eq(out.msglen, in.msglen);
		ck_assert_mem_eq(out.msg, msg, in.msglen);
	}
	mrt_reader_free(&rd);
	wbuf_free(&w);
}
END_TEST

/* A full fixed buffer leaves the error set and no length written. */
START_TEST(test_overflow)
{
	uint8_t store[20];
	struct mrt_bgp4mp m;
	struct wbuf w;

	memset(&m, 0, sizeof(m));
	m.is_state = true;
	m.afi = AFI_IPV6;
	wbuf_init_fixed(&w, store, sizeof(store));
	mrtw_bgp4mp(&w, TS, 0, &m);
	ck_assert(wbuf_error(&w));
}
END_TEST

static Suite *
mrtw_suite(void)
{
	Suite *s = suite_create("mrtw");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_rib, 0, N(ribs));
	tcase_add_test(tc, test_rib_bytes);
	tcase_add_loop_test(tc, test_rib_truncated, 0, N(ribs));
	tcase_add_loop_test(tc, test_peers, 0, N(tables));
	tcase_add_loop_test(tc, test_bgp4mp, 0, N(bgp4mps));
	tcase_add_test(tc, test_overflow);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mrtw_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
