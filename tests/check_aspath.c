/*
 * Copyright (c) 2026 The bgpwatch authors
 * SPDX-License-Identifier: ISC
 *
 * Unit tests of lib/aspath.c: segment validation (RFC 7606 §7.2, RFC 7607),
 * origin and upstream AS, text/JSON/wire forms, the RFC 6793 §4.2.3 merge
 * of AS_PATH and AS4_PATH, and truncation of every valid path.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aspath.h"
#include "testutil.h"

#define NONE (-1LL) /* origin/upstream unknown */

/* Valid paths: wire value in, every derived form out. */
static const struct {
	const char *name;
	uint8_t asw;
	const char *hex;
	const char *text;
	long long origin, upstream;
	uint32_t length;
	const char *json;
} paths[] = {
	{ "empty", 4, "", "", NONE, NONE, 0,
	    "{\"segments\":[],\"flat\":[],\"length\":0,\"origin_as\":null,"
	    "\"upstream_as\":null,\"text\":\"\"}" },
	{ "single AS", 4, "020100000001", "1", 1, NONE, 1, NULL },
	{ "prepends collapse (nk2017 shape)", 4,
	    "02050000fbf4000012e5000012e5000200cf000200cf",
	    "64500 4837 4837 131279 131279", 131279, 4837, 5,
	    "{\"segments\":[{\"type\":\"sequence\",\"asns\":[64500,4837,4837,"
	    "131279,131279]}],\"flat\":[64500,4837,4837,131279,131279],"
	    "\"length\":5,\"origin_as\":131279,\"upstream_as\":4837,"
	    "\"text\":\"64500 4837 4837 131279 131279\"}" },
	{ "only prepends", 4, "0203000000070000000700000007", "7 7 7", 7, NONE,
	    3, NULL },
	{ "ends in a set", 4,
	    "02010000fbf4010200000001"
	    "00000002",
	    "64500 {1,2}", NONE, NONE, 2,
	    "{\"segments\":[{\"type\":\"sequence\",\"asns\":[64500]},"
	    "{\"type\":\"set\",\"asns\":[1,2]}],\"flat\":[64500,1,2],"
	    "\"length\":2,\"origin_as\":null,\"upstream_as\":null,"
	    "\"text\":\"64500 {1,2}\"}" },
	{ "set left of the origin", 4,
	    "02010000000101020000000200000003020100000004", NULL, 4, NONE, 3,
	    NULL },
	{ "set in the middle", 4,
	    "02010000fbf4010200000001000000020201000200cf",
	    "64500 {1,2} 131279", 131279, NONE, 3, NULL },
	{ "confed sequence leads", 4,
	    "03020000fde90000fdea02020000fbf4000200cf",
	    "(65001 65002) 64500 131279", 131279, 64500, 2, NULL },
	{ "confed set", 4, "04020000fde90000fdea020100000001",
	    "[65001,65002] 1", 1, NONE, 1, NULL },
	{ "confed at the end is ignored", 4, "0202000000010000000203010000fde9",
	    "1 2 (65001)", 2, 1, 2, NULL },
	{ "only confed", 4, "03010000fde9", "(65001)", NONE, NONE, 0, NULL },
	{ "prepends across segments", 4, "02020000000500000003020100000003",
	    "5 3 3", 3, 5, 3, NULL },
	/* osrg/gobgp @b7d523b6 (Apache-2.0), TestAsPathDecoding2Byte. */
	{ "gobgp 2-octet two sequences", 2, "0202006400c80201012c",
	    "100 200 300", 300, 200, 3, NULL },
	/* osrg/gobgp @b7d523b6 (Apache-2.0), TestAsPathDecoding4Byte. */
	{ "gobgp 4-octet sequence", 4, "0202000186a000030d40", "100000 200000",
	    200000, 100000, 2, NULL },
	{ "2-octet set and sequence", 2, "01020001000202010003", "{1,2} 3", 3,
	    NONE, 2, NULL },
};

START_TEST(test_path)
{
	uint8_t buf[256];
	size_t n = testutil_unhex(paths[_i].hex, buf, sizeof(buf));
	struct aspath a;
	struct aspath_view v;
	struct wbuf w;
	struct json j;
	char why[96];
	uint32_t asn = 0xdeadbeef;

	ck_assert_int_eq(
	    aspath_verify(buf, n, paths[_i].asw, true, why, sizeof(why), NULL),
	    0);
	aspath_init(&a, buf, (uint16_t)n, paths[_i].asw);
	aspath_view_init(&v, &a);
	if (paths[_i].origin == NONE)
		ck_assert(!aspath_origin(&v, &asn));
	else {
		ck_assert(aspath_origin(&v, &asn));
		ck_assert_uint_eq(asn, (uint32_t)paths[_i].origin);
	}
	if (paths[_i].upstream == NONE)
		ck_assert(!aspath_upstream(&v, &asn));
	else {
		ck_assert(aspath_upstream(&v, &asn));
		ck_assert_uint_eq(asn, (uint32_t)paths[_i].upstream);
	}
	ck_assert_uint_eq(aspath_length(&v), paths[_i].length);
	wbuf_init_dyn(&w, 0);
	if (paths[_i].text != NULL) {
		aspath_fmt(&v, &w);
		wbuf_put_u8(&w, 0);
		ck_assert_str_eq((const char *)wbuf_data(&w), paths[_i].text);
	}
	if (paths[_i].json != NULL) {
		wbuf_reset(&w);
		json_init(&j, &w);
		json_obj_open(&j, NULL);
		aspath_json(&v, &j);
		json_obj_close(&j);
		ck_assert_int_eq(json_finish(&j), 0);
		wbuf_put_u8(&w, 0);
		ck_assert_str_eq((const char *)wbuf_data(&w), paths[_i].json);
	}
	wbuf_free(&w);
}
END_TEST

/* Re-encoding a verified path with its own width gives the same bytes. */
START_TEST(test_encode_same)
{
	uint8_t buf[256];
	size_t n = testutil_unhex(paths[_i].hex, buf, sizeof(buf));
	struct aspath a;
	struct aspath_view v;
	struct wbuf w;

	aspath_init(&a, buf, (uint16_t)n, paths[_i].asw);
	aspath_view_init(&v, &a);
	wbuf_init_dyn(&w, 0);
	aspath_encode(&v, &w, paths[_i].asw);
	ck_assert(!wbuf_error(&w));
	ck_assert_uint_eq(wbuf_len(&w), n);
	ck_assert(n == 0 || memcmp(wbuf_data(&w), buf, n) == 0);
	wbuf_free(&w);
}
END_TEST

/*
 * Every proper prefix of a valid path: valid exactly when the cut falls
 * between segments, otherwise rejected (ASan checks the reads).
 */
START_TEST(test_truncation)
{
	uint8_t buf[256];
	size_t n = testutil_unhex(paths[_i].hex, buf, sizeof(buf));
	size_t cut, next = 0;
	char why[96];
	uint8_t *copy;
	int rc;

	for (cut = 0; cut < n; cut++) {
		if (cut > next)
			next += 2 + (size_t)buf[next + 1] * paths[_i].asw;
		copy = malloc(cut + 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, buf, cut);
		rc = aspath_verify(
		    copy, cut, paths[_i].asw, true, why, sizeof(why), NULL);
		ck_assert_int_eq(rc, cut == next ? 0 : -1);
		free(copy);
	}
}
END_TEST

/* Malformed values (RFC 7606 §7.2, RFC 7607, RFC 6793 §6). */
static const struct {
	const char *name;
	uint8_t asw;
	bool confed_ok;
	const char *hex;
	const char *why;
} bad[] = {
	{ "unknown segment type 5", 4, true, "050100000001", "type 5" },
	{ "segment type 0", 2, true, "00010001", "type 0" },
	{ "zero-length segment", 4, true, "0200", "length zero" },
	{ "zero-length after a good one", 2, true, "0201000a0100", "zero" },
	{ "overrun", 4, true, "0203000000010000000200", "overrun" },
	{ "underrun: one octet left", 2, true,
	    "020100010"
	    "2",
	    "underrun" },
	{ "AS 0 in a sequence", 4, true, "02020000000100000000", "RFC 7607" },
	{ "AS 0 in a set (2-octet)", 2, true, "010200010000", "RFC 7607" },
	{ "confed in AS4_PATH", 4, false, "03010000fde9", "not allowed" },
	{ "confed set in AS4_PATH", 4, false, "04010000fde9", "not allowed" },
};

START_TEST(test_bad)
{
	uint8_t buf[64];
	size_t n = testutil_unhex(bad[_i].hex, buf, sizeof(buf));
	char why[96] = "";

	ck_assert_int_eq(aspath_verify(buf, n, bad[_i].asw, bad[_i].confed_ok,
	                     why, sizeof(why), NULL),
	    -1);
	ck_assert_msg(strstr(why, bad[_i].why) != NULL, "%s: reason '%s'",
	    bad[_i].name, why);
}
END_TEST

/* RFC 6793 §4.2.3: 2-octet AS_PATH + AS4_PATH -> the path. */
static const struct {
	const char *name;
	const char *as_path; /* 2-octet */
	const char *as4_path;
	bool merged;
	const char *text;
	uint32_t length;
} merges[] = {
	{ "trans tail", "0203fbf45ba05ba0", "0202fa56ea01fa56ea02", true,
	    "64500 4200000001 4200000002", 3 },
	{ "AS4_PATH longer: ignored", "02015ba0",
	    "020200000001"
	    "00000002",
	    false, "23456", 1 },
	{ "equal lengths", "02025ba05ba0", "0202fa56ea01fa56ea02", true,
	    "4200000001 4200000002", 2 },
	{ "set counts one",
	    "0201fbf4010200010002"
	    "02015ba0",
	    "0201fa56ea01", true, "64500 {1,2} 4200000001", 3 },
	{ "leading confed", "0301fde90202fbf45ba0", "0201fa56ea01", true,
	    "(65001) 64500 4200000001", 2 },
	{ "split sequence",
	    "0204000100020003"
	    "5ba0",
	    "0202fa56ea01fa56ea02", true, "1 2 4200000001 4200000002", 4 },
	{ "adjacent confed",
	    "0201fbf4"
	    "0301fde9"
	    "02015ba0",
	    "0201fa56ea01", true, "64500 (65001) 4200000001", 2 },
	{ "empty AS4_PATH", "0202fbf45ba0", "", true, "64500 23456", 2 },
	{ "AS4 set", "0202fbf45ba0",
	    "010200000001"
	    "00000002",
	    true, "64500 {1,2}", 2 },
};

START_TEST(test_merge)
{
	uint8_t p2[128], p4[128];
	size_t n2, n4;
	struct aspath a, b;
	struct aspath_view v;
	struct wbuf w;
	char why[96];

	n2 = testutil_unhex(merges[_i].as_path, p2, sizeof(p2));
	n4 = testutil_unhex(merges[_i].as4_path, p4, sizeof(p4));
	ck_assert_int_eq(
	    aspath_verify(p2, n2, 2, true, why, sizeof(why), NULL), 0);
	ck_assert_int_eq(
	    aspath_verify(p4, n4, 4, false, why, sizeof(why), NULL), 0);
	aspath_init(&a, p2, (uint16_t)n2, 2);
	aspath_init(&b, p4, (uint16_t)n4, 4);
	ck_assert(aspath_merge(&v, &a, &b) == merges[_i].merged);
	wbuf_init_dyn(&w, 0);
	aspath_fmt(&v, &w);
	wbuf_put_u8(&w, 0);
	ck_assert_str_eq((const char *)wbuf_data(&w), merges[_i].text);
	ck_assert_uint_eq(aspath_length(&v), merges[_i].length);
	wbuf_free(&w);
}
END_TEST

/* A merged view re-encodes with 4-octet AS numbers, segment by segment. */
START_TEST(test_merge_encode)
{
	uint8_t p2[32], p4[32], want[64];
	size_t n2 = testutil_unhex("0203fbf45ba05ba0", p2, sizeof(p2));
	size_t n4 = testutil_unhex("0202fa56ea01fa56ea02", p4, sizeof(p4));
	size_t nw = testutil_unhex(
	    "02010000fbf40202fa56ea01fa56ea02", want, sizeof(want));
	struct aspath a, b;
	struct aspath_view v;
	struct wbuf w;

	aspath_init(&a, p2, (uint16_t)n2, 2);
	aspath_init(&b, p4, (uint16_t)n4, 4);
	ck_assert(aspath_merge(&v, &a, &b));
	wbuf_init_dyn(&w, 0);
	aspath_encode(&v, &w, 4);
	ck_assert_uint_eq(wbuf_len(&w), nw);
	ck_assert(memcmp(wbuf_data(&w), want, nw) == 0);
	/* RFC 6793 §4.2.2: to a 2-octet speaker, AS_TRANS stands in. */
	wbuf_reset(&w);
	aspath_encode(&v, &w, 2);
	nw = testutil_unhex("0201fbf402025ba05ba0", want, sizeof(want));
	ck_assert_uint_eq(wbuf_len(&w), nw);
	ck_assert(memcmp(wbuf_data(&w), want, nw) == 0);
	wbuf_free(&w);
}
END_TEST

/* Narration covers the value with segments, each split into fields. */
START_TEST(test_explain)
{
	uint8_t buf[64];
	size_t n = testutil_unhex(
	    "02020000fbf4000200cf010100000001", buf, sizeof(buf));
	struct explain ex;
	char why[96];

	explain_init(&ex, buf);
	ck_assert_int_eq(
	    aspath_verify(buf, n, 4, true, why, sizeof(why), &ex), 0);
	ck_assert_int_eq(ex.err, 0);
	ck_assert_uint_eq(testutil_tile(&ex, 0, 0, 0, n, true), ex.n);
	ck_assert(strstr(ex.items[0].text, "sequence") != NULL);
	ck_assert_str_eq(ex.items[3].text, "AS64500");
	explain_free(&ex);
}
END_TEST

START_TEST(test_seg_names)
{
	ck_assert_str_eq(aspath_seg_name(AS_SET), "set");
	ck_assert_str_eq(aspath_seg_name(AS_SEQUENCE), "sequence");
	ck_assert_str_eq(
	    aspath_seg_name(AS_CONFED_SEQUENCE), "confed-sequence");
	ck_assert_str_eq(aspath_seg_name(AS_CONFED_SET), "confed-set");
	ck_assert_ptr_null(aspath_seg_name(0));
	ck_assert_ptr_null(aspath_seg_name(5));
}
END_TEST

static Suite *
aspath_suite(void)
{
	Suite *s = suite_create("aspath");
	TCase *tc = tcase_create("aspath");
	int np = (int)(sizeof(paths) / sizeof(paths[0]));

	tcase_add_loop_test(tc, test_path, 0, np);
	tcase_add_loop_test(tc, test_encode_same, 0, np);
	tcase_add_loop_test(tc, test_truncation, 0, np);
	tcase_add_loop_test(
	    tc, test_bad, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_loop_test(
	    tc, test_merge, 0, (int)(sizeof(merges) / sizeof(merges[0])));
	tcase_add_test(tc, test_merge_encode);
	tcase_add_test(tc, test_explain);
	tcase_add_test(tc, test_seg_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(aspath_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
